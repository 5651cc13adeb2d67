/*
 * libsvxs: splitvisor's xenstore client library (dom0 userspace).
 *
 * Speaks Xen's xenstore wire protocol (<xen/io/xs_wire.h>) to a xenstored
 * Unix socket or to the /dev/xen/xenbus device, which carries the same
 * bytes.  Every reply is treated as hostile input: lengths are checked
 * against XENSTORE_PAYLOAD_MAX, each reply must echo the req_id of its
 * request, and string replies must be nul-terminated.
 *
 * Conventions:
 *  - Functions returning int give 0 on success and -1 with errno set.
 *  - Functions returning a pointer give a malloc()ed result, or NULL with
 *    errno set; the caller free()s it (arrays are one allocation).
 *  - An XS_ERROR reply sets errno to the error it names (via xsd_errors[]);
 *    an unknown name becomes EINVAL, as in Xen's libxenstore.
 *  - A framing violation (oversized length, wrong req_id or type) sets
 *    EPROTO, a stream cut short ECONNRESET, a reply that never comes (see
 *    svxs_set_reply_timeout) ETIMEDOUT; each closes the connection, as the
 *    byte stream can no longer be trusted.  Later calls fail with ENOTCONN.
 *  - A reply that is framed well but malformed inside (a string without
 *    its nul, a bad permission) fails that call with EPROTO only.
 *  - A handle is not thread-safe: use one per thread or lock around it.
 */
#ifndef SVXS_XS_CLIENT_H
#define SVXS_XS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* struct xs_permissions and XS_PERM_*; it includes <xen/io/xs_wire.h>. */
#include <xenstore_lib.h>

struct svxs_handle;

/* Transaction id as carried in xsd_sockmsg.tx_id; 0 means "none". */
typedef uint32_t svxs_tx_t;
#define SVXS_TX_NONE ((svxs_tx_t)0)

/* svxs_open() flags. */
#define SVXS_OPEN_SOCKET_ONLY 1u   /* do not fall back to the xenbus device */

/*
 * Where svxs_open() looks for the daemon: $XENSTORED_PATH, else
 * $XENSTORED_RUNDIR/socket, else /run/xenstored/socket (the same variables
 * Debian's libxenstore honours).  The answer may live in a static buffer
 * reused by the next call.
 */
const char *svxs_socket_path(void);
/* The device used when no socket answers: $XENSTORED_PATH, else
 * /dev/xen/xenbus if present, else /proc/xen/xenbus. */
const char *svxs_device_path(void);

/* Connect to the socket, or (without SVXS_OPEN_SOCKET_ONLY) the device. */
struct svxs_handle *svxs_open(unsigned int flags);
/* Connect to PATH: a Unix socket if it is one, else open it as a device. */
struct svxs_handle *svxs_open_path(const char *path);
/* Wrap a connected file descriptor (the handle owns it from now on). */
struct svxs_handle *svxs_open_fd(int fd);
void svxs_close(struct svxs_handle *h);

/* The descriptor, for poll(); readable when an event may be pending. */
int svxs_fileno(const struct svxs_handle *h);
/* Give up on a reply after MS milliseconds (ETIMEDOUT); -1 waits forever. */
void svxs_set_reply_timeout(struct svxs_handle *h, int ms);

/*
 * Generic request: send TYPE with PAYLOAD, wait for its reply.  *REPLY gets
 * the body (malloc()ed, with an extra nul after *REPLY_LEN bytes so it can
 * be used as a string); either out-pointer may be NULL.
 */
int svxs_request(struct svxs_handle *h, svxs_tx_t tx, uint32_t type,
                 const void *payload, size_t len,
                 char **reply, size_t *reply_len);

/* Value of PATH (not a string: may hold any byte; a nul follows *LEN). */
char *svxs_read(struct svxs_handle *h, svxs_tx_t tx, const char *path,
                size_t *len);
int svxs_write(struct svxs_handle *h, svxs_tx_t tx, const char *path,
               const void *data, size_t len);
int svxs_mkdir(struct svxs_handle *h, svxs_tx_t tx, const char *path);
int svxs_rm(struct svxs_handle *h, svxs_tx_t tx, const char *path);

/*
 * Children of PATH as an array of *NUM strings (one allocation).  When the
 * list does not fit one reply (E2BIG) it is fetched with XS_DIRECTORY_PART.
 */
char **svxs_directory(struct svxs_handle *h, svxs_tx_t tx, const char *path,
                      unsigned int *num);

/* Permissions of PATH; the first entry is the owner and the default. */
struct xs_permissions *svxs_get_perms(struct svxs_handle *h, svxs_tx_t tx,
                                      const char *path, unsigned int *num);
int svxs_set_perms(struct svxs_handle *h, svxs_tx_t tx, const char *path,
                   const struct xs_permissions *perms, unsigned int num);

/*
 * Watches.  Events may arrive between a request and its reply; they are
 * queued (up to SVXS_EVENT_QUEUE_MAX, beyond which they are counted as
 * lost) and handed out by svxs_read_watch() in arrival order.
 */
#define SVXS_EVENT_QUEUE_MAX 4096u
int svxs_watch(struct svxs_handle *h, const char *path, const char *token);
/* Also drops queued events of that watch, which nobody wants any more. */
int svxs_unwatch(struct svxs_handle *h, const char *path, const char *token);
/*
 * Next event as an array of *NUM strings (one allocation): [XS_WATCH_PATH]
 * and [XS_WATCH_TOKEN].  TIMEOUT_MS: -1 waits forever, 0 only looks.
 * ETIMEDOUT when nothing came in time.
 */
char **svxs_read_watch(struct svxs_handle *h, unsigned int *num,
                       int timeout_ms);
unsigned int svxs_pending_events(const struct svxs_handle *h);
unsigned long svxs_events_lost(const struct svxs_handle *h);

/* Transactions: EAGAIN from svxs_transaction_end() means "run it again". */
int svxs_transaction_start(struct svxs_handle *h, svxs_tx_t *tx);
int svxs_transaction_end(struct svxs_handle *h, svxs_tx_t tx, bool abort);

char *svxs_get_domain_path(struct svxs_handle *h, unsigned int domid);

/* "r5"-style text for one permission; -1/EINVAL for unknown bits. */
int svxs_perm_to_string(const struct xs_permissions *perm, char *buf,
                        size_t size);
/* Parse LEN bytes of nul-terminated "r5" strings, strictly. */
struct xs_permissions *svxs_perms_parse(const char *strings, size_t len,
                                        unsigned int *num);

/* errno for an XS_ERROR name such as "ENOENT"; EINVAL if unknown. */
int svxs_errno_from_name(const char *name);
/* The XS_ERROR name for an errno, or NULL if the protocol has none. */
const char *svxs_errno_name(int err);

#endif /* SVXS_XS_CLIENT_H */
