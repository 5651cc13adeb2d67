/*
 * The xenstore core: request handling with no I/O.  Create a store, create
 * clients, hand each complete request to xs_process(), read replies and
 * watch events from client->out.  This is what the unit tests and the
 * fuzzer drive directly; the daemon wraps it with connections.
 */
#ifndef XS_CORE_H
#define XS_CORE_H

#include "store.h"

/* A store with Xen's initial tree ("/", "/tool", "/tool/xenstored") and
 * default quotas. 0 or ENOMEM. */
int xs_store_init(struct xs_store *st);
/* Frees everything, clients included. */
void xs_store_destroy(struct xs_store *st);

/* A new client for domid; sockets are dom0 (is_domain false). */
struct xs_client *xs_client_new(struct xs_store *st, unsigned domid, bool is_domain);
/* Unlinks and frees a client with its watches, transactions and queue. */
void xs_client_free(struct xs_client *c);
/* Drops all watches and transactions (RESET_WATCHES, RELEASE). */
void xs_client_reset(struct xs_client *c);
/* Frees dead clients that no I/O layer owns (tests, fuzzer). */
void xs_store_reap(struct xs_store *st);

bool xs_client_privileged(const struct xs_client *c);
void xs_client_caller(const struct xs_client *c, struct xs_caller *out);

/*
 * Handles one complete request: hdr->len payload bytes at payload.  The
 * reply (or XS_ERROR with the errno name) and any watch events land on
 * the output queues.  Never fails: every problem is an error reply.
 */
void xs_process(struct xs_client *c, const struct xsd_sockmsg *hdr,
                const uint8_t *payload);

#endif
