/* See transaction.h.  Also TRANSACTION_START and TRANSACTION_END. */
#include "transaction.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "message.h"
#include "util.h"
#include "watch.h"

void view_init(struct xs_view *v, struct xs_request *r)
{
    v->st = r->c->store;
    v->txn = r->txn;
    v->max_entries = xs_client_privileged(r->c) ? 0 : v->st->quota.txn_nodes;
}

static void entry_free(struct xs_txn_entry *e)
{
    node_free(e->node);
    free(e->path);
    free(e);
}

/* The transaction's entry for path, created from the tree on first use. */
static int txn_entry(struct xs_view *v, const char *path, struct xs_txn_entry **out)
{
    struct xs_txn *t = v->txn;
    struct xs_txn_entry *e = hmap_get(&t->entries, path);
    if (e) {
        *out = e;
        return 0;
    }
    if (v->max_entries && t->entries.count >= v->max_entries)
        return ENOSPC;
    e = calloc(1, sizeof(*e));
    if (!e)
        return ENOMEM;
    e->path = xs_strdup(path);
    const struct xs_node *n = tree_get(&v->st->tree, path);
    if (n) {
        e->node = node_dup(n);
        e->base_gen = n->gen;
    }
    if (!e->path || (n && !e->node) || hmap_put(&t->entries, e->path, e, NULL)) {
        entry_free(e);
        return ENOMEM;
    }
    *out = e;
    return 0;
}

int view_get(struct xs_view *v, const char *path, const struct xs_node **out)
{
    *out = NULL;
    if (!v->txn) {
        *out = tree_get(&v->st->tree, path);
        return 0;
    }
    struct xs_txn_entry *e;
    int err = txn_entry(v, path, &e);
    if (err)
        return err;
    *out = e->node;
    return 0;
}

static int delta_add(struct xs_txn *t, unsigned domid, int d)
{
    for (size_t i = 0; i < t->ndeltas; i++)
        if (t->deltas[i].domid == domid) {
            t->deltas[i].delta += d;
            return 0;
        }
    if (t->ndeltas == t->deltas_cap) {
        size_t cap = t->deltas_cap ? t->deltas_cap * 2 : 4;
        struct xs_owner_delta *p = realloc(t->deltas, cap * sizeof(*p));
        if (!p)
            return ENOMEM;
        t->deltas = p;
        t->deltas_cap = cap;
    }
    t->deltas[t->ndeltas].domid = domid;
    t->deltas[t->ndeltas].delta = d;
    t->ndeltas++;
    return 0;
}

/* Both owners get a delta slot first, so the accounting cannot half-fail. */
static int delta_move(struct xs_txn *t, const struct xs_node *old, const struct xs_node *new)
{
    if ((old && delta_add(t, node_owner(old), 0)) || (new && delta_add(t, node_owner(new), 0)))
        return ENOMEM;
    if (old)
        delta_add(t, node_owner(old), -1);
    if (new)
        delta_add(t, node_owner(new), 1);
    return 0;
}

int view_put(struct xs_view *v, struct xs_node *n)
{
    if (!v->txn) {
        int err = tree_put(&v->st->tree, n);
        if (!err)
            v->st->changes++;
        return err;
    }
    struct xs_txn_entry *e;
    int err = txn_entry(v, n->path, &e);
    if (err)
        return err;
    if (delta_move(v->txn, e->node, n))
        return ENOMEM;
    node_free(e->node);
    n->gen = tree_next_gen(&v->st->tree);   /* unique, for DIRECTORY_PART */
    e->node = n;
    e->dirty = true;
    return 0;
}

int view_del(struct xs_view *v, const char *path)
{
    if (!v->txn) {
        tree_del(&v->st->tree, path);
        v->st->changes++;
        return 0;
    }
    struct xs_txn_entry *e;
    int err = txn_entry(v, path, &e);
    if (err)
        return err;
    if (e->node && delta_move(v->txn, e->node, NULL))
        return ENOMEM;
    node_free(e->node);
    e->node = NULL;
    e->dirty = true;
    return 0;
}

unsigned view_owner_count(struct xs_view *v, unsigned domid)
{
    long count = tree_owner_count(&v->st->tree, domid);
    if (v->txn)
        for (size_t i = 0; i < v->txn->ndeltas; i++)
            if (v->txn->deltas[i].domid == domid)
                count += v->txn->deltas[i].delta;
    return count < 0 ? 0 : (unsigned)count;
}

void view_emit(struct xs_view *v, struct xs_event *ev)
{
    if (!ev)
        return;
    if (!v->txn) {
        watch_fire(v->st, ev);
        event_free(ev);
        return;
    }
    ev->next = NULL;
    if (v->txn->ev_tail)
        v->txn->ev_tail->next = ev;
    else
        v->txn->ev_head = ev;
    v->txn->ev_tail = ev;
}

/* ---- transactions ---------------------------------------------------- */

struct xs_txn *txn_find(struct xs_client *c, uint32_t id)
{
    for (struct xs_txn *t = c->txns; t; t = t->next)
        if (t->id == id)
            return t;
    return NULL;
}

static void txn_free(struct xs_txn *t)
{
    for (struct hmap_entry *he = hmap_first(&t->entries); he;
         he = hmap_next(&t->entries, he))
        entry_free(he->value);
    hmap_destroy(&t->entries);
    while (t->ev_head) {
        struct xs_event *ev = t->ev_head;
        t->ev_head = ev->next;
        event_free(ev);
    }
    free(t->deltas);
    free(t);
}

void txn_remove(struct xs_client *c, struct xs_txn *t)
{
    for (struct xs_txn **pp = &c->txns; *pp; pp = &(*pp)->next)
        if (*pp == t) {
            *pp = t->next;
            c->ntxns--;
            break;
        }
    txn_free(t);
}

int do_transaction_start(struct xs_request *r)
{
    struct xs_client *c = r->c;
    if (r->txn)
        return EBUSY;   /* no nested transactions */
    if (!xs_client_privileged(c) && c->ntxns >= c->store->quota.transactions)
        return ENOSPC;
    struct xs_txn *t = calloc(1, sizeof(*t));
    if (!t)
        return ENOMEM;
    hmap_init(&t->entries);
    /* Ids are per connection, never 0 (which means "no transaction"). */
    do {
        t->id = c->next_txid++;
    } while (t->id == 0 || txn_find(c, t->id));
    t->next = c->txns;
    c->txns = t;
    c->ntxns++;
    char id[16];
    int n = snprintf(id, sizeof(id), "%u", t->id);
    reply_data(c, r->hdr, id, (size_t)n + 1);
    return 0;
}

/* Every path the transaction touched still has the generation it saw. */
static bool txn_unchanged(struct xs_store *st, struct xs_txn *t)
{
    for (struct hmap_entry *he = hmap_first(&t->entries); he;
         he = hmap_next(&t->entries, he)) {
        const struct xs_txn_entry *e = he->value;
        const struct xs_node *cur = tree_get(&st->tree, e->path);
        if ((cur ? cur->gen : 0) != e->base_gen)
            return false;
    }
    return true;
}

static int txn_commit(struct xs_store *st, struct xs_txn *t)
{
    if (!txn_unchanged(st, t))
        return EAGAIN;
    /* Records move from the overlay into the tree; a put can only fail
     * for memory, and then the record is left out rather than lost. */
    int err = 0;
    for (struct hmap_entry *he = hmap_first(&t->entries); he;
         he = hmap_next(&t->entries, he)) {
        struct xs_txn_entry *e = he->value;
        if (!e->dirty)
            continue;
        if (e->node) {
            if (tree_put(&st->tree, e->node) == 0)
                e->node = NULL;
            else
                err = ENOMEM;
        } else {
            tree_del(&st->tree, e->path);
        }
        st->changes++;
    }
    while (t->ev_head) {
        struct xs_event *ev = t->ev_head;
        t->ev_head = ev->next;
        watch_fire(st, ev);
        event_free(ev);
    }
    t->ev_tail = NULL;
    return err;
}

int do_transaction_end(struct xs_request *r)
{
    const char *arg = msg_onearg(r->data, r->len);
    if (!arg || (strcmp(arg, "T") != 0 && strcmp(arg, "F") != 0))
        return EINVAL;
    if (!r->txn)
        return ENOENT;
    struct xs_txn *t = r->txn;
    /* The id goes away whatever the outcome; the client retries with a
     * new transaction after EAGAIN. */
    for (struct xs_txn **pp = &r->c->txns; *pp; pp = &(*pp)->next)
        if (*pp == t) {
            *pp = t->next;
            r->c->ntxns--;
            break;
        }
    int err = 0;
    if (arg[0] == 'T')
        err = txn_commit(r->c->store, t);
    txn_free(t);
    if (err)
        return err;
    reply_ok(r->c, r->hdr);
    return 0;
}
