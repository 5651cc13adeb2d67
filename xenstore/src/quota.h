/*
 * Quotas, as in Xen: they bind unprivileged domains only (dom0 and the
 * privileged domain are trusted), except the output bound, which protects
 * the daemon from any client that stops reading.  Errors follow Xen:
 * ENOSPC for the node count, node size, permission count and open
 * transactions; E2BIG for the watch count.
 */
#ifndef XS_QUOTA_H
#define XS_QUOTA_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"

void quota_set_defaults(struct xs_quota *q);

/* Named access for CONTROL quota and the state file. */
struct quota_item {
    const char *name;
    const char *what;
    size_t offset;       /* of the unsigned field in struct xs_quota */
};
extern const struct quota_item quota_items[];
extern const size_t quota_nitems;

const struct quota_item *quota_find(const char *name);
unsigned quota_get(const struct xs_quota *q, const struct quota_item *it);
void quota_put(struct xs_quota *q, const struct quota_item *it, unsigned v);

#endif
