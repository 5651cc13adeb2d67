/*
 * Transactions and views.
 *
 * Handlers read and write nodes through a view: outside a transaction it
 * is the tree itself; inside one it is a private overlay.  The first time
 * a transaction touches a path it records the generation the tree had for
 * it (0 when absent) and works on a copy.  TRANSACTION_END "T" commits only
 * if every recorded path still has that generation -- anything the
 * transaction read or wrote changed meanwhile means EAGAIN -- and then
 * stores the dirty copies and fires the queued watch events.
 */
#ifndef XS_TRANSACTION_H
#define XS_TRANSACTION_H

#include "handlers.h"
#include "store.h"

struct xs_view {
    struct xs_store *st;
    struct xs_txn *txn;
    unsigned max_entries;    /* 0 = no limit (privileged callers) */
};

void view_init(struct xs_view *v, struct xs_request *r);
/* *out = the node at path or NULL.  0, ENOMEM or ENOSPC (too many nodes
 * touched by one transaction). */
int view_get(struct xs_view *v, const char *path, const struct xs_node **out);
/* Stores n (ownership passes on success). */
int view_put(struct xs_view *v, struct xs_node *n);
/* Deletes the single record at path. */
int view_del(struct xs_view *v, const char *path);
/* Nodes owned by domid as this view sees them. */
unsigned view_owner_count(struct xs_view *v, unsigned domid);
/* Fires the event now, or queues it until commit (ownership passes). */
void view_emit(struct xs_view *v, struct xs_event *ev);

struct xs_txn *txn_find(struct xs_client *c, uint32_t id);
/* Unlinks the transaction from the client and frees it. */
void txn_remove(struct xs_client *c, struct xs_txn *t);

#endif
