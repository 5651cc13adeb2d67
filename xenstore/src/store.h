/*
 * The daemon's state, shared by the request handlers: the tree, the
 * clients (connections as the core sees them: who they are, their watches,
 * transactions and queued output), the introduced domains and the quotas.
 *
 * Nothing here does I/O.  A client's replies and watch events are queued
 * on client->out; the I/O layer (connection.c) drains the queue into a
 * transport, and the unit tests and the fuzzer read it directly.
 */
#ifndef XS_STORE_H
#define XS_STORE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"
#include <xenstore_lib.h>

#include "hmap.h"
#include "perms.h"
#include "tree.h"

/* One queued outgoing message: the header then hdr.len payload bytes. */
struct xs_msg {
    struct xs_msg *next;
    struct xsd_sockmsg hdr;
    uint8_t body[];
};

struct xs_outq {
    struct xs_msg *head, *tail;
    size_t bytes;        /* headers + payloads queued */
    unsigned nreplies;   /* replies (not watch events) queued */
};

struct xs_watch {
    struct xs_watch *next;
    char *path;          /* canonical (absolute or "@...") */
    char *token;
    size_t rel_prefix;   /* bytes to strip from event paths (relative watch) */
};

/* A change to report to watchers, with the permissions that decide who
 * may see it (captured when the change happened). */
struct xs_event {
    struct xs_event *next;
    char *path;
    bool exact;          /* only watches on exactly this path (removed children) */
    struct xs_permissions *perms[3];   /* node, parent, old node perms */
    unsigned nperms[3];
};

struct xs_txn_entry {
    char *path;
    struct xs_node *node;   /* the transaction's view; NULL = absent */
    uint64_t base_gen;      /* generation seen at first access; 0 = absent */
    bool dirty;             /* written or deleted by the transaction */
};

struct xs_owner_delta {
    unsigned domid;
    int delta;
};

struct xs_txn {
    struct xs_txn *next;
    uint32_t id;
    struct hmap entries;                 /* path -> struct xs_txn_entry */
    struct xs_event *ev_head, *ev_tail;  /* fired on commit */
    struct xs_owner_delta *deltas;       /* node count changes per owner */
    size_t ndeltas, deltas_cap;
};

struct xs_store;

struct xs_client {
    struct xs_client *prev, *next;
    struct xs_store *store;
    uint64_t serial;         /* for logs: "conn#N" */
    unsigned domid;
    bool is_domain;          /* a domain's ring (else a dom0 socket) */
    bool has_target;
    unsigned target;
    struct xs_watch *watches;
    unsigned nwatches;
    struct xs_txn *txns;
    unsigned ntxns;
    uint32_t next_txid;
    struct xs_outq out;
    bool dead;               /* to be closed: released, or output overflow */
    const char *dead_reason;
    void *io;                /* the I/O layer's connection, NULL if none */
};

struct xs_domain {
    unsigned domid;
    uint64_t mfn;            /* as given by INTRODUCE (signed decimal on the wire) */
    unsigned port;           /* the domain's event channel */
    bool has_target;
    unsigned target;
    bool shutdown;           /* seen shut down (or crashed); RESUME clears it */
    struct xs_client *client;
};

/* Quotas apply to unprivileged domains, as in Xen; see quota.c. */
struct xs_quota {
    unsigned nodes;          /* nodes a domain may own */
    unsigned node_size;      /* value + children list bytes of one node */
    unsigned watches;        /* per connection */
    unsigned transactions;   /* open per connection */
    unsigned txn_nodes;      /* nodes one transaction may touch */
    unsigned perms;          /* permission entries per node */
    unsigned outstanding;    /* requests whose replies are not yet sent */
    unsigned out_bytes;      /* queued output per connection (all clients) */
};

/* What the core asks of the outside world when domains come and go. */
struct xs_hooks {
    /* Map the new domain's ring, bind its event channel, attach I/O to c.
     * 0 or an errno that becomes the INTRODUCE error reply. */
    int (*domain_attach)(void *ctx, struct xs_client *c, uint64_t mfn, unsigned port);
    /* INTRODUCE of a domain already connected: rebind the event channel. */
    int (*domain_rebind)(void *ctx, struct xs_client *c, unsigned port);
    /* CONTROL save: write the state file now. */
    int (*save)(void *ctx, char *msg, size_t msglen);
    void *ctx;
};

struct xs_store {
    struct xs_tree tree;
    struct xs_quota quota;
    struct xs_client *clients;
    uint64_t next_serial;
    struct xs_domain *domains;
    size_t ndomains, domains_cap;
    /* Permissions of the special watch names @introduceDomain and
     * @releaseDomain (index 0 and 1). */
    struct xs_permissions *special_perms[2];
    unsigned special_nperms[2];
    unsigned priv_domid;     /* a second privileged domain; 0 = only dom0 */
    bool verbose;            /* log every request */
    struct xs_hooks hooks;
    uint64_t changes;        /* committed modifications, for the save policy */
    uint64_t requests;
};

#endif
