/*
 * The node requests: READ, WRITE, MKDIR, RM, DIRECTORY, DIRECTORY_PART,
 * GET_PERMS, SET_PERMS.  Semantics follow docs/misc/xenstore.txt and, where
 * it is silent, Xen's C xenstored:
 *  - a missing node answers ENOENT only if the caller could read (or write)
 *    its nearest existing ancestor, else EACCES, so errors leak nothing;
 *  - WRITE and MKDIR create missing parents, each inheriting its parent's
 *    permissions, owned by the creator when the creator is unprivileged;
 *  - RM of a missing node is fine if its parent exists.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "handlers.h"
#include "message.h"
#include "path.h"
#include "perms.h"
#include "transaction.h"
#include "util.h"
#include "watch.h"

/*
 * Looks up path for an access.  0 with *out set when the caller has all of
 * want; EACCES when not; ENOENT (or EACCES, see above) when absent.
 */
static int access_node(struct xs_request *r, struct xs_view *v, const char *path,
                       unsigned want, const struct xs_node **out)
{
    struct xs_caller who;
    xs_client_caller(r->c, &who);
    const struct xs_node *n;
    int err = view_get(v, path, &n);
    if (err)
        return err;
    *out = n;
    if (n)
        return (perms_for_caller(n->perms, n->nperms, &who) & want) == want ? 0 : EACCES;

    char *p = xs_strdup(path);
    if (!p)
        return ENOMEM;
    const struct xs_node *anc = NULL;
    while (!anc && strcmp(p, "/") != 0) {
        char *q = path_parent(p);
        free(p);
        p = q;
        if (!p)
            return ENOMEM;
        err = view_get(v, p, &anc);
        if (err) {
            free(p);
            return err;
        }
    }
    free(p);
    if (anc && (perms_for_caller(anc->perms, anc->nperms, &who) & want))
        return ENOENT;
    return EACCES;
}

/* The node path argument of a one-argument request, made absolute. */
static int onearg_path(struct xs_request *r, char **path)
{
    const char *arg = msg_onearg(r->data, r->len);
    if (!arg)
        return EINVAL;
    return path_canonicalize(arg, r->c->domid, PATH_NODE, path, NULL);
}

static bool unprivileged(struct xs_request *r)
{
    return !xs_client_privileged(r->c);
}

/* Node size quota: value plus children list, for unprivileged writers. */
static int check_size(struct xs_request *r, const struct xs_node *n)
{
    if (unprivileged(r) && (size_t)n->vlen + n->childlen > r->c->store->quota.node_size)
        return ENOSPC;
    return 0;
}

/* A change event carrying the permissions that decide who hears of it. */
static struct xs_event *change_event(struct xs_view *v, const char *path, bool exact,
                                     const struct xs_node *node,
                                     const struct xs_permissions *old, unsigned nold)
{
    struct xs_event *ev = event_new(path, exact);
    if (!ev)
        return NULL;
    const struct xs_node *parent = NULL;
    if (strcmp(path, "/") != 0) {
        char *pp = path_parent(path);
        if (pp)
            view_get(v, pp, &parent);
        free(pp);
    }
    if ((node && event_set_perms(ev, EV_NODE, node->perms, node->nperms)) ||
        (parent && event_set_perms(ev, EV_PARENT, parent->perms, parent->nperms)) ||
        event_set_perms(ev, EV_OLD, old, nold)) {
        event_free(ev);
        return NULL;
    }
    return ev;
}

/* The node named by a request's one path argument, which the caller may read. */
static int readable_node(struct xs_request *r, struct xs_view *v, const struct xs_node **n)
{
    char *path;

    view_init(v, r);
    int err = onearg_path(r, &path);
    if (err)
        return err;
    err = access_node(r, v, path, XS_PERM_READ, n);
    free(path);
    return err;
}

int do_read(struct xs_request *r)
{
    struct xs_view v;
    const struct xs_node *n;
    int err = readable_node(r, &v, &n);
    if (err)
        return err;
    reply_data(r->c, r->hdr, n->value, n->vlen);
    return 0;
}

/*
 * Creates path and its missing ancestors (value on path itself).  New
 * nodes are linked bottom-up, so a failure part way leaves at worst
 * unreachable records that are removed again.
 */
static int create_node(struct xs_request *r, struct xs_view *v, const char *path,
                       const uint8_t *value, size_t vlen)
{
    /* Missing paths, deepest first: missing[0] == path. */
    char **missing = NULL;
    size_t nmissing = 0;
    const struct xs_node *anc = NULL;
    int err = 0;
    char *p = xs_strdup(path);
    if (!p)
        return ENOMEM;
    for (;;) {
        char **m = realloc(missing, (nmissing + 1) * sizeof(*m));
        if (!m) {
            free(p);
            err = ENOMEM;
            goto out;
        }
        missing = m;
        missing[nmissing++] = p;
        p = path_parent(p);
        if (!p) {
            err = ENOMEM;
            goto out;
        }
        err = view_get(v, p, &anc);
        if (err || anc)
            break;
    }
    if (err) {
        free(p);
        goto out;
    }
    free(p);

    unsigned owner_override = r->c->domid;
    bool own = unprivileged(r);
    if (own && view_owner_count(v, owner_override) + nmissing > r->c->store->quota.nodes) {
        err = ENOSPC;
        goto out;
    }

    /* Build every record first, so allocation failures change nothing. */
    struct xs_node **nodes = calloc(nmissing + 1, sizeof(*nodes));
    if (!nodes) {
        err = ENOMEM;
        goto out;
    }
    struct xs_node *top = node_dup(anc);
    nodes[nmissing] = top;
    if (!top || node_add_child(top, path_basename(missing[nmissing - 1]))) {
        err = ENOMEM;
        goto free_nodes;
    }
    err = check_size(r, top);
    for (size_t i = nmissing; i-- > 0 && !err;) {
        const struct xs_node *parent = nodes[i + 1];
        struct xs_node *n = node_new(missing[i]);
        nodes[i] = n;
        if (!n || node_set_perms(n, parent->perms, parent->nperms) ||
            (i > 0 && node_add_child(n, path_basename(missing[i - 1]))) ||
            (i == 0 && node_set_value(n, value, vlen))) {
            err = ENOMEM;
            break;
        }
        if (own)
            n->perms[0].id = owner_override;
        err = check_size(r, n);
    }
    if (err)
        goto free_nodes;

    size_t stored = 0;
    for (; stored <= nmissing; stored++) {
        err = view_put(v, nodes[stored]);
        if (err)
            break;
        nodes[stored] = NULL;
    }
    if (err) {
        for (size_t i = 0; i < stored && i < nmissing; i++)
            view_del(v, missing[i]);
    }

free_nodes:
    for (size_t i = 0; i <= nmissing; i++)
        node_free(nodes[i]);
    free(nodes);
out:
    for (size_t i = 0; i < nmissing; i++)
        free(missing[i]);
    free(missing);
    return err;
}

int do_write(struct xs_request *r)
{
    struct xs_view v;
    view_init(&v, r);
    const char *vec[1];
    if (msg_split(r->data, r->len, vec, 1) < 1)
        return EINVAL;
    size_t off = strlen(vec[0]) + 1;
    const uint8_t *value = r->data + off;
    size_t vlen = r->len - off;

    char *path;
    int err = path_canonicalize(vec[0], r->c->domid, PATH_NODE, &path, NULL);
    if (err)
        return err;
    const struct xs_node *n;
    err = access_node(r, &v, path, XS_PERM_WRITE, &n);
    if (err == ENOENT) {
        err = create_node(r, &v, path, value, vlen);
    } else if (!err) {
        struct xs_node *d = node_dup(n);
        if (!d || node_set_value(d, value, vlen))
            err = ENOMEM;
        else if (!(err = check_size(r, d)))
            err = view_put(&v, d);
        if (err)
            node_free(d);
    }
    if (!err) {
        const struct xs_node *now = NULL;
        view_get(&v, path, &now);
        view_emit(&v, change_event(&v, path, false, now, NULL, 0));
        reply_ok(r->c, r->hdr);
    }
    free(path);
    return err;
}

int do_mkdir(struct xs_request *r)
{
    struct xs_view v;
    view_init(&v, r);
    char *path;
    int err = onearg_path(r, &path);
    if (err)
        return err;
    const struct xs_node *n;
    err = access_node(r, &v, path, XS_PERM_WRITE, &n);
    if (err == ENOENT) {
        err = create_node(r, &v, path, NULL, 0);
        if (!err) {
            view_get(&v, path, &n);
            view_emit(&v, change_event(&v, path, false, n, NULL, 0));
        }
    }
    if (!err)
        reply_ok(r->c, r->hdr);
    free(path);
    return err;
}

/* Removes the records below path, deepest first, each with an exact event
 * to watches on that very node. */
static int remove_subtree(struct xs_view *v, const char *path)
{
    const struct xs_node *n;
    int err = view_get(v, path, &n);
    if (err || !n)
        return err;
    /* Copy the list: removing children does not touch n, but view_get of
     * a child inside a transaction may rehash the overlay. */
    char *children = n->childlen ? xs_memdup(n->children, n->childlen) : NULL;
    uint32_t childlen = n->childlen;
    if (childlen && !children)
        return ENOMEM;
    for (uint32_t off = 0; off < childlen && !err;) {
        const char *name = children + off;
        off += (uint32_t)strlen(name) + 1;
        char *cp = path_join(path, name);
        if (!cp) {
            err = ENOMEM;
            break;
        }
        err = remove_subtree(v, cp);
        if (!err) {
            const struct xs_node *child;
            err = view_get(v, cp, &child);
            if (!err && child) {
                view_emit(v, change_event(v, cp, true, child, NULL, 0));
                err = view_del(v, cp);
            }
        }
        free(cp);
    }
    free(children);
    return err;
}

int do_rm(struct xs_request *r)
{
    struct xs_view v;
    view_init(&v, r);
    char *path;
    int err = onearg_path(r, &path);
    if (err)
        return err;
    const struct xs_node *n;
    err = access_node(r, &v, path, XS_PERM_WRITE, &n);
    char *ppath = path_parent(path);
    if (!ppath) {
        free(path);
        return ENOMEM;
    }
    if (err == ENOENT) {
        /* Already gone: fine if the parent is there. */
        const struct xs_node *parent;
        err = view_get(&v, ppath, &parent);
        if (!err)
            err = parent ? 0 : ENOENT;
        if (!err)
            reply_ok(r->c, r->hdr);
        goto out;
    }
    if (err)
        goto out;
    if (strcmp(path, "/") == 0) {
        err = EINVAL;
        goto out;
    }
    /* The event for the removed path goes first, while its permissions
     * can still be seen. */
    view_emit(&v, change_event(&v, path, false, n, NULL, 0));
    const struct xs_node *parent;
    err = view_get(&v, ppath, &parent);
    if (!err && !parent)
        err = EINVAL;   /* a node without parent: the tree is corrupt */
    struct xs_node *np = err ? NULL : node_dup(parent);
    if (!err && !np)
        err = ENOMEM;
    if (!err)
        err = remove_subtree(&v, path);
    if (!err)
        err = view_del(&v, path);
    if (!err) {
        node_remove_child(np, path_basename(path));
        err = view_put(&v, np);
        if (!err)
            np = NULL;
    }
    node_free(np);
    if (!err)
        reply_ok(r->c, r->hdr);
out:
    free(ppath);
    free(path);
    return err;
}

int do_directory(struct xs_request *r)
{
    struct xs_view v;
    const struct xs_node *n;
    int err = readable_node(r, &v, &n);
    if (err)
        return err;
    /* Too long for one reply: E2BIG tells clients to use DIRECTORY_PART. */
    reply_data(r->c, r->hdr, n->children, n->childlen);
    return 0;
}

/*
 * DIRECTORY_PART path|offset| -> gen|names from byte offset|.  As many
 * whole names as fit; when the list ends the reply ends with an extra nul.
 * An offset at or past the end answers "gen\0\0".
 */
int do_directory_part(struct xs_request *r)
{
    struct xs_view v;
    view_init(&v, r);
    const char *vec[2];
    unsigned long long off;
    if (msg_split(r->data, r->len, vec, 2) != 2 || r->data[r->len - 1] != 0 ||
        !xs_parse_uint(vec[1], UINT32_MAX, &off))
        return EINVAL;
    char *path;
    int err = path_canonicalize(vec[0], r->c->domid, PATH_NODE, &path, NULL);
    if (err)
        return err;
    const struct xs_node *n;
    err = access_node(r, &v, path, XS_PERM_READ, &n);
    free(path);
    if (err)
        return err;

    char gen[24];
    size_t genlen = (size_t)snprintf(gen, sizeof(gen), "%llu", (unsigned long long)n->gen) + 1;
    uint8_t reply[XENSTORE_PAYLOAD_MAX];
    memcpy(reply, gen, genlen);
    if (off >= n->childlen) {
        reply[genlen] = 0;
        reply_data(r->c, r->hdr, reply, genlen + 1);
        return 0;
    }
    /* Offsets come from the client: only start at the beginning of a
     * name, never in the middle of one. */
    if (off > 0 && n->children[off - 1] != 0)
        return EINVAL;
    size_t maxlen = XENSTORE_PAYLOAD_MAX - genlen - 1;
    size_t len = 0;
    while (off + len < n->childlen) {
        size_t l = strlen(n->children + off + len) + 1;
        if (len + l > maxlen)
            break;
        len += l;
    }
    memcpy(reply + genlen, n->children + off, len);
    size_t total = genlen + len;
    if (off + len == n->childlen)
        reply[total++] = 0;
    reply_data(r->c, r->hdr, reply, total);
    return 0;
}

static int perms_reply(struct xs_request *r, const struct xs_permissions *p, unsigned n)
{
    struct xs_buf b;
    xs_buf_init(&b);
    for (unsigned i = 0; i < n; i++) {
        char s[16];
        perm_to_string(&p[i], s, sizeof(s));
        if (xs_buf_append_str0(&b, s)) {
            xs_buf_free(&b);
            return ENOMEM;
        }
    }
    reply_data(r->c, r->hdr, b.data, b.len);
    xs_buf_free(&b);
    return 0;
}

static int special_index(const char *path)
{
    return strcmp(path, XS_SPECIAL_INTRODUCE) == 0 ? 0 : 1;
}

int do_get_perms(struct xs_request *r)
{
    struct xs_view v;
    view_init(&v, r);
    char *path;
    const char *arg = msg_onearg(r->data, r->len);
    if (!arg)
        return EINVAL;
    int err = path_canonicalize(arg, r->c->domid, PATH_PERMS, &path, NULL);
    if (err)
        return err;
    struct xs_caller who;
    xs_client_caller(r->c, &who);
    if (path[0] == '@') {
        struct xs_store *st = r->c->store;
        int i = special_index(path);
        free(path);
        if (!(perms_for_caller(st->special_perms[i], st->special_nperms[i], &who) &
              XS_PERM_READ))
            return EACCES;
        return perms_reply(r, st->special_perms[i], st->special_nperms[i]);
    }
    const struct xs_node *n;
    err = access_node(r, &v, path, XS_PERM_READ, &n);
    free(path);
    if (err)
        return err;
    return perms_reply(r, n->perms, n->nperms);
}

int do_set_perms(struct xs_request *r)
{
    struct xs_view v;
    view_init(&v, r);
    struct xs_store *st = r->c->store;
    /* path|perm|perm...| : at least one permission, every string ended. */
    unsigned count = msg_count_nuls(r->data, r->len);
    if (count < 2 || r->data[r->len - 1] != 0)
        return EINVAL;
    unsigned nperms = count - 1;
    if (unprivileged(r) && nperms > st->quota.perms)
        return ENOSPC;
    const char **vec = malloc(count * sizeof(*vec));
    struct xs_permissions *perms = malloc(nperms * sizeof(*perms));
    char *path = NULL;
    int err = (!vec || !perms) ? ENOMEM : 0;
    if (!err) {
        msg_split(r->data, r->len, vec, count);
        for (unsigned i = 0; i < nperms && !err; i++)
            err = perm_from_string(vec[i + 1], &perms[i]);
    }
    if (!err)
        err = path_canonicalize(vec[0], r->c->domid, PATH_PERMS, &path, NULL);
    if (err)
        goto out;

    struct xs_caller who;
    xs_client_caller(r->c, &who);
    const unsigned need = XS_PERM_WRITE | XS_PERM_OWNER;
    if (path[0] == '@') {
        int i = special_index(path);
        if ((perms_for_caller(st->special_perms[i], st->special_nperms[i], &who) & need) != need) {
            err = EACCES;
            goto out;
        }
        free(st->special_perms[i]);
        st->special_perms[i] = perms;
        st->special_nperms[i] = nperms;
        perms = NULL;
        st->changes++;
        reply_ok(r->c, r->hdr);
        goto out;
    }

    const struct xs_node *n;
    err = access_node(r, &v, path, need, &n);
    if (err)
        goto out;
    /* Unprivileged domains may not give their nodes away. */
    if (unprivileged(r) && perms[0].id != node_owner(n)) {
        err = EPERM;
        goto out;
    }
    struct xs_event *ev = change_event(&v, path, false, NULL, n->perms, n->nperms);
    struct xs_node *d = node_dup(n);
    if (!ev || !d || node_set_perms(d, perms, nperms)) {
        event_free(ev);
        node_free(d);
        err = ENOMEM;
        goto out;
    }
    if (event_set_perms(ev, EV_NODE, perms, nperms) || (err = view_put(&v, d))) {
        if (!err)
            err = ENOMEM;
        event_free(ev);
        node_free(d);
        goto out;
    }
    view_emit(&v, ev);
    reply_ok(r->c, r->hdr);
out:
    free(path);
    free(vec);
    free(perms);
    return err;
}
