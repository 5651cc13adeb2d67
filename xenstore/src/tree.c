/* See tree.h. */
#include "tree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "util.h"

struct xs_node *node_new(const char *path)
{
    struct xs_node *n = calloc(1, sizeof(*n));
    if (!n)
        return NULL;
    n->path = xs_strdup(path);
    if (!n->path) {
        free(n);
        return NULL;
    }
    return n;
}

void node_free(struct xs_node *n)
{
    if (!n)
        return;
    free(n->path);
    free(n->value);
    free(n->perms);
    free(n->children);
    free(n);
}

struct xs_node *node_dup(const struct xs_node *n)
{
    struct xs_node *d = node_new(n->path);
    if (!d)
        return NULL;
    if (node_set_value(d, n->value, n->vlen) ||
        node_set_perms(d, n->perms, n->nperms)) {
        node_free(d);
        return NULL;
    }
    if (n->childlen) {
        d->children = xs_memdup(n->children, n->childlen);
        if (!d->children) {
            node_free(d);
            return NULL;
        }
        d->childlen = n->childlen;
    }
    d->gen = n->gen;
    return d;
}

int node_set_value(struct xs_node *n, const void *v, size_t len)
{
    uint8_t *p = NULL;
    if (len) {
        p = xs_memdup(v, len);
        if (!p)
            return ENOMEM;
    }
    free(n->value);
    n->value = p;
    n->vlen = (uint32_t)len;
    return 0;
}

int node_set_perms(struct xs_node *n, const struct xs_permissions *p, unsigned count)
{
    struct xs_permissions *q = NULL;
    if (count) {
        q = xs_memdup(p, count * sizeof(*p));
        if (!q)
            return ENOMEM;
    }
    free(n->perms);
    n->perms = q;
    n->nperms = count;
    return 0;
}

int node_add_child(struct xs_node *n, const char *name)
{
    size_t l = strlen(name) + 1;
    char *c = realloc(n->children, n->childlen + l);
    if (!c)
        return ENOMEM;
    memcpy(c + n->childlen, name, l);
    n->children = c;
    n->childlen += (uint32_t)l;
    return 0;
}

static long child_offset(const struct xs_node *n, const char *name)
{
    for (uint32_t off = 0; off < n->childlen;) {
        const char *c = n->children + off;
        size_t l = strlen(c) + 1;
        if (strcmp(c, name) == 0)
            return (long)off;
        off += (uint32_t)l;
    }
    return -1;
}

bool node_has_child(const struct xs_node *n, const char *name)
{
    return child_offset(n, name) >= 0;
}

bool node_remove_child(struct xs_node *n, const char *name)
{
    long off = child_offset(n, name);
    if (off < 0)
        return false;
    size_t l = strlen(name) + 1;
    memmove(n->children + off, n->children + off + l, n->childlen - (size_t)off - l);
    n->childlen -= (uint32_t)l;
    return true;
}

/* ---- owner counts ---------------------------------------------------- */

static struct xs_owner_count *owner_find(const struct xs_tree *t, unsigned domid)
{
    for (size_t i = 0; i < t->nowners; i++)
        if (t->owners[i].domid == domid)
            return &t->owners[i];
    return NULL;
}

/* Makes sure an entry exists so that a later increment cannot fail. */
static int owner_reserve(struct xs_tree *t, unsigned domid)
{
    if (owner_find(t, domid))
        return 0;
    if (t->nowners == t->owners_cap) {
        size_t cap = t->owners_cap ? t->owners_cap * 2 : 8;
        struct xs_owner_count *o = realloc(t->owners, cap * sizeof(*o));
        if (!o)
            return ENOMEM;
        t->owners = o;
        t->owners_cap = cap;
    }
    t->owners[t->nowners].domid = domid;
    t->owners[t->nowners].count = 0;
    t->nowners++;
    return 0;
}

static void owner_add(struct xs_tree *t, unsigned domid, int delta)
{
    struct xs_owner_count *o = owner_find(t, domid);
    if (!o)
        return;
    if (delta < 0 && o->count < (unsigned)-delta)
        o->count = 0;
    else
        o->count = (unsigned)((int)o->count + delta);
}

unsigned tree_owner_count(const struct xs_tree *t, unsigned domid)
{
    const struct xs_owner_count *o = owner_find(t, domid);
    return o ? o->count : 0;
}

/* ---- tree ------------------------------------------------------------- */

uint64_t tree_next_gen(struct xs_tree *t)
{
    return ++t->gen;
}

static int put(struct xs_tree *t, struct xs_node *n, bool keep_gen)
{
    if (owner_reserve(t, node_owner(n)))
        return ENOMEM;
    void *old = NULL;
    if (hmap_put(&t->nodes, n->path, n, &old))
        return ENOMEM;
    if (!keep_gen)
        n->gen = tree_next_gen(t);
    else if (n->gen > t->gen)
        t->gen = n->gen;
    if (old) {
        owner_add(t, node_owner(old), -1);
        node_free(old);
    }
    owner_add(t, node_owner(n), 1);
    return 0;
}

int tree_put(struct xs_tree *t, struct xs_node *n)
{
    return put(t, n, false);
}

int tree_put_keep_gen(struct xs_tree *t, struct xs_node *n)
{
    return put(t, n, true);
}

const struct xs_node *tree_get(const struct xs_tree *t, const char *path)
{
    return hmap_get(&t->nodes, path);
}

void tree_del(struct xs_tree *t, const char *path)
{
    struct xs_node *n = hmap_remove(&t->nodes, path);
    if (n) {
        owner_add(t, node_owner(n), -1);
        node_free(n);
    }
}

size_t tree_size(const struct xs_tree *t)
{
    return t->nodes.count;
}

static int add_initial(struct xs_tree *t, const char *path, const char *child)
{
    /* Owner dom0, nobody else may read: Xen's manual_node(). */
    const struct xs_permissions p = { .id = 0, .perms = XS_PERM_NONE };
    struct xs_node *n = node_new(path);
    if (!n)
        return ENOMEM;
    if (node_set_perms(n, &p, 1) || (child && node_add_child(n, child)) ||
        tree_put(t, n)) {
        node_free(n);
        return ENOMEM;
    }
    return 0;
}

int tree_init(struct xs_tree *t)
{
    hmap_init(&t->nodes);
    t->owners = NULL;
    t->nowners = t->owners_cap = 0;
    t->gen = 0;
    if (add_initial(t, "/", NULL)) {
        tree_destroy(t);
        return ENOMEM;
    }
    return 0;
}

int tree_init_default(struct xs_tree *t)
{
    if (tree_init(t))
        return ENOMEM;
    tree_del(t, "/");
    if (add_initial(t, "/", "tool") || add_initial(t, "/tool", "xenstored") ||
        add_initial(t, "/tool/xenstored", NULL)) {
        tree_destroy(t);
        return ENOMEM;
    }
    return 0;
}

void tree_destroy(struct xs_tree *t)
{
    for (struct hmap_entry *e = hmap_first(&t->nodes); e; e = hmap_next(&t->nodes, e))
        node_free(e->value);
    hmap_destroy(&t->nodes);
    free(t->owners);
    t->owners = NULL;
    t->nowners = t->owners_cap = 0;
}

unsigned tree_check(const struct xs_tree *t, char *msg, size_t msglen)
{
    unsigned problems = 0;
    msg[0] = '\0';
#define PROBLEM(...) do { if (!problems++) snprintf(msg, msglen, __VA_ARGS__); } while (0)

    if (!tree_get(t, "/"))
        PROBLEM("no root node");
    for (struct hmap_entry *e = hmap_first(&t->nodes); e; e = hmap_next(&t->nodes, e)) {
        const struct xs_node *n = e->value;
        if (n->nperms == 0)
            PROBLEM("%s has no permissions", n->path);
        for (uint32_t off = 0; off < n->childlen;) {
            const char *c = n->children + off;
            char *cp = path_join(n->path, c);
            if (cp && !tree_get(t, cp))
                PROBLEM("%s lists missing child %s", n->path, c);
            free(cp);
            off += (uint32_t)strlen(c) + 1;
        }
        if (strcmp(n->path, "/") != 0) {
            char *pp = path_parent(n->path);
            const struct xs_node *parent = pp ? tree_get(t, pp) : NULL;
            if (!parent)
                PROBLEM("%s has no parent", n->path);
            else if (!node_has_child(parent, path_basename(n->path)))
                PROBLEM("%s is not listed by its parent", n->path);
            free(pp);
        }
    }
    for (size_t i = 0; i < t->nowners; i++) {
        unsigned count = 0;
        for (struct hmap_entry *e = hmap_first(&t->nodes); e; e = hmap_next(&t->nodes, e))
            if (node_owner(e->value) == t->owners[i].domid)
                count++;
        if (count != t->owners[i].count)
            PROBLEM("domain %u owns %u nodes, counted %u", t->owners[i].domid,
                    count, t->owners[i].count);
    }
#undef PROBLEM
    return problems;
}
