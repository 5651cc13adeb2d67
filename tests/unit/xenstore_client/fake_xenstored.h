/*
 * A tiny in-memory xenstored for tests: enough of the protocol to run the
 * client library and the xenstore-* tools against it (nodes, values,
 * permissions, watches, transactions without isolation, DIRECTORY_PART),
 * a log of every request for checking encodings, and a hook through which
 * a test can answer a request itself with any bytes it likes.
 *
 * It is not a model of the real daemon's access control or quotas.
 */
#ifndef FAKE_XENSTORED_H
#define FAKE_XENSTORED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xenstore_lib.h>

struct fake_xsd;

/* One request as it arrived (body nul-terminated one past len). */
struct fake_req {
    struct xsd_sockmsg hdr;
    char *body;
};

/*
 * Called for every request before the fake handles it.  Return true when
 * the hook has answered (by writing to FD) and the fake must not.
 */
typedef bool (*fake_hook_fn)(struct fake_xsd *f, int fd,
                             const struct xsd_sockmsg *hdr, const char *body,
                             void *arg);

struct fake_xsd *fake_xsd_new(void);
void fake_xsd_free(struct fake_xsd *f);

/* Serve on a new Unix socket at PATH, or on one end of a socketpair. */
int fake_xsd_start_socket(struct fake_xsd *f, const char *path);
int fake_xsd_start_fd(struct fake_xsd *f, int fd);
void fake_xsd_stop(struct fake_xsd *f);
/* Serve in the calling thread until SIGTERM/SIGINT (standalone binary). */
int fake_xsd_run_socket(struct fake_xsd *f, const char *path);

/* Knobs; set them before starting or under fake_xsd_lock(). */
void fake_xsd_set_hook(struct fake_xsd *f, fake_hook_fn fn, void *arg);
/* XS_DIRECTORY answers E2BIG above LIMIT bytes; DIRECTORY_PART pieces
 * carry at most CHUNK bytes of names. */
void fake_xsd_set_dir_limits(struct fake_xsd *f, size_t limit, size_t chunk);
/* The next N transaction commits answer EAGAIN. */
void fake_xsd_fail_commits(struct fake_xsd *f, unsigned int n);
/* Send watch events before, rather than after, the WATCH reply. */
void fake_xsd_events_first(struct fake_xsd *f, bool on);
/* Append one line per request to PATH (for the standalone binary). */
int fake_xsd_log_to(struct fake_xsd *f, const char *path);

void fake_xsd_lock(struct fake_xsd *f);
void fake_xsd_unlock(struct fake_xsd *f);

/* Seeding and inspecting the tree (they take the lock). */
int fake_xsd_write(struct fake_xsd *f, const char *path, const char *value);
int fake_xsd_write_bin(struct fake_xsd *f, const char *path, const void *v,
                       size_t len);
int fake_xsd_set_perms(struct fake_xsd *f, const char *path,
                       const char *perms);      /* e.g. "n0 r1" */
/* Value of PATH copied into BUF (nul-terminated); -1 if absent. */
int fake_xsd_read(struct fake_xsd *f, const char *path, char *buf,
                  size_t size);
bool fake_xsd_exists(struct fake_xsd *f, const char *path);
/* Permissions of PATH as "n0 r1"; -1 if absent. */
int fake_xsd_get_perms(struct fake_xsd *f, const char *path, char *buf,
                       size_t size);
/* Make nodes unreadable/unlistable by the client: answer ERR for them. */
void fake_xsd_deny(struct fake_xsd *f, uint32_t type, const char *path,
                   const char *err);

/* Requests seen so far (copies; free with fake_reqs_free). */
unsigned int fake_xsd_requests(struct fake_xsd *f, struct fake_req **reqs);
void fake_reqs_free(struct fake_req *reqs, unsigned int n);
/* Queue an event for every connected client (test-driven firing). */
void fake_xsd_fire(struct fake_xsd *f, const char *path, const char *token);

/* Write one message with an arbitrary header and body (for hooks). */
int fake_send_raw(int fd, uint32_t type, uint32_t req_id, uint32_t tx_id,
                  uint32_t len, const void *body, size_t body_len);

#endif /* FAKE_XENSTORED_H */
