/* See quota.h.  Defaults are Xen 4.17's where Xen has the quota. */
#include "quota.h"

#include <stddef.h>
#include <string.h>

void quota_set_defaults(struct xs_quota *q)
{
    q->nodes = 1000;
    q->node_size = 2048;
    q->watches = 128;
    q->transactions = 10;
    q->txn_nodes = 1024;
    q->perms = 5;
    q->outstanding = 20;
    q->out_bytes = 16u << 20;
}

const struct quota_item quota_items[] = {
    { "nodes", "nodes a domain may own", offsetof(struct xs_quota, nodes) },
    { "node-size", "bytes of value plus children list of one node", offsetof(struct xs_quota, node_size) },
    { "watches", "watches per connection", offsetof(struct xs_quota, watches) },
    { "transactions", "open transactions per connection", offsetof(struct xs_quota, transactions) },
    { "transaction-nodes", "nodes one transaction may touch", offsetof(struct xs_quota, txn_nodes) },
    { "permissions", "permission entries per node", offsetof(struct xs_quota, perms) },
    { "outstanding", "requests a domain may have unanswered", offsetof(struct xs_quota, outstanding) },
    { "output-bytes", "queued output per connection before it is closed", offsetof(struct xs_quota, out_bytes) },
};
const size_t quota_nitems = sizeof(quota_items) / sizeof(quota_items[0]);

const struct quota_item *quota_find(const char *name)
{
    for (size_t i = 0; i < quota_nitems; i++)
        if (strcmp(quota_items[i].name, name) == 0)
            return &quota_items[i];
    return NULL;
}

unsigned quota_get(const struct xs_quota *q, const struct quota_item *it)
{
    const unsigned *p = (const unsigned *)((const char *)q + it->offset);
    return *p;
}

void quota_put(struct xs_quota *q, const struct quota_item *it, unsigned v)
{
    unsigned *p = (unsigned *)((char *)q + it->offset);
    *p = v;
}
