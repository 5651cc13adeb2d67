/*
 * Xenstore wire messages (<xen/io/xs_wire.h>): a struct xsd_sockmsg header
 * then hdr.len payload bytes, payloads mostly nul-terminated strings.  Here:
 * splitting payloads into arguments, building replies and events, errno
 * names, and the per-client output queue.
 */
#ifndef XS_MESSAGE_H
#define XS_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Name of a message type for logs ("READ"), or "UNKNOWN". */
const char *msg_type_name(uint32_t type);
/* The xsd_errors[] name of an errno ("ENOENT"); EINVAL for unknown ones. */
const char *msg_errno_name(int err);

/*
 * Counts the nul-terminated strings in a payload and stores pointers to
 * the first max of them (Xen's get_strings): bytes after the last nul do
 * not count.
 */
unsigned msg_split(const uint8_t *data, size_t len, const char **vec, unsigned max);
/* The payload is exactly one string with its nul at the very end. */
const char *msg_onearg(const uint8_t *data, size_t len);
/* Number of nul bytes in the payload (Xen's xs_count_strings). */
unsigned msg_count_nuls(const uint8_t *data, size_t len);

struct xs_msg *msg_new(uint32_t type, uint32_t req_id, uint32_t tx_id,
                       const void *body, size_t len);

/*
 * Queue a message to a client.  Over the client's output bound the client
 * is marked dead (its I/O side closes it) and the message is dropped: one
 * client that does not read cannot make the daemon hold unbounded memory.
 */
void outq_push(struct xs_client *c, struct xs_msg *m, bool is_reply);
struct xs_msg *outq_pop(struct xs_outq *q);
void outq_clear(struct xs_outq *q);

/* Reply to req (type, req_id and tx_id echoed). Over XENSTORE_PAYLOAD_MAX
 * the reply becomes E2BIG. */
void reply_data(struct xs_client *c, const struct xsd_sockmsg *req,
                const void *data, size_t len);
void reply_ok(struct xs_client *c, const struct xsd_sockmsg *req);
void reply_error(struct xs_client *c, const struct xsd_sockmsg *req, int err);
/* WATCH_EVENT "path\0token\0" with req_id and tx_id 0. */
void send_watch_event(struct xs_client *c, const char *path, const char *token);

#endif
