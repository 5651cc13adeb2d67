/* See watch.h.  Also the WATCH, UNWATCH and RESET_WATCHES requests. */
#include "watch.h"

#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "handlers.h"
#include "message.h"
#include "path.h"
#include "perms.h"
#include "util.h"

struct xs_event *event_new(const char *path, bool exact)
{
    struct xs_event *ev = calloc(1, sizeof(*ev));
    if (!ev)
        return NULL;
    ev->path = xs_strdup(path);
    if (!ev->path) {
        free(ev);
        return NULL;
    }
    ev->exact = exact;
    return ev;
}

int event_set_perms(struct xs_event *ev, int slot, const struct xs_permissions *p,
                    unsigned n)
{
    if (!p || !n)
        return 0;
    struct xs_permissions *q = xs_memdup(p, n * sizeof(*p));
    if (!q)
        return ENOMEM;
    free(ev->perms[slot]);
    ev->perms[slot] = q;
    ev->nperms[slot] = n;
    return 0;
}

void event_free(struct xs_event *ev)
{
    if (!ev)
        return;
    free(ev->path);
    for (int i = 0; i < 3; i++)
        free(ev->perms[i]);
    free(ev);
}

static bool permitted(const struct xs_client *c, const struct xs_event *ev)
{
    struct xs_caller who;
    xs_client_caller(c, &who);
    if (who.privileged)
        return true;
    for (int i = 0; i < 3; i++)
        if (ev->perms[i] &&
            (perms_for_caller(ev->perms[i], ev->nperms[i], &who) & XS_PERM_READ))
            return true;
    return false;
}

void watch_fire(struct xs_store *st, const struct xs_event *ev)
{
    size_t plen = strlen(ev->path);
    for (struct xs_client *c = st->clients; c; c = c->next) {
        if (c->dead || !c->watches || !permitted(c, ev))
            continue;
        for (struct xs_watch *w = c->watches; w; w = w->next) {
            bool match = ev->exact ? strcmp(ev->path, w->path) == 0
                                   : path_is_child(ev->path, w->path);
            if (!match)
                continue;
            /* Relative watches hear relative paths; "/" watches can match
             * "@..." events, which are never made relative. */
            const char *p = ev->path;
            if (w->rel_prefix && ev->path[0] == '/' && plen > w->rel_prefix)
                p += w->rel_prefix;
            send_watch_event(c, p, w->token);
        }
    }
}

void watch_fire_special(struct xs_store *st, const char *name)
{
    int i = strcmp(name, "@introduceDomain") == 0 ? 0 : 1;
    struct xs_event *ev = event_new(name, false);
    if (!ev || event_set_perms(ev, EV_NODE, st->special_perms[i], st->special_nperms[i])) {
        event_free(ev);
        return;
    }
    watch_fire(st, ev);
    event_free(ev);
}

static void watch_free(struct xs_watch *w)
{
    free(w->path);
    free(w->token);
    free(w);
}

void watch_clear(struct xs_client *c)
{
    while (c->watches) {
        struct xs_watch *w = c->watches;
        c->watches = w->next;
        watch_free(w);
    }
    c->nwatches = 0;
}

/* WATCH and UNWATCH take exactly "path\0token\0". */
static int watch_args(struct xs_request *r, char **path, size_t *rel, const char **token)
{
    const char *vec[2];
    if (msg_split(r->data, r->len, vec, 2) != 2)
        return EINVAL;
    *token = vec[1];
    return path_canonicalize(vec[0], r->c->domid, PATH_WATCH, path, rel);
}

int do_watch(struct xs_request *r)
{
    struct xs_client *c = r->c;
    char *path;
    size_t rel;
    const char *token;
    int err = watch_args(r, &path, &rel, &token);
    if (err)
        return err;
    for (struct xs_watch *w = c->watches; w; w = w->next)
        if (strcmp(w->path, path) == 0 && strcmp(w->token, token) == 0) {
            free(path);
            return EEXIST;
        }
    if (!xs_client_privileged(c) && c->nwatches >= c->store->quota.watches) {
        free(path);
        return E2BIG;
    }
    struct xs_watch *w = calloc(1, sizeof(*w));
    char *tok = xs_strdup(token);
    if (!w || !tok) {
        free(w);
        free(tok);
        free(path);
        return ENOMEM;
    }
    w->path = path;
    w->token = tok;
    w->rel_prefix = rel;
    /* Append: events for one change reach watches in the order set. */
    struct xs_watch **pp = &c->watches;
    while (*pp)
        pp = &(*pp)->next;
    *pp = w;
    c->nwatches++;

    reply_ok(c, r->hdr);
    /* The initial event, after the reply, with the path as given. */
    send_watch_event(c, w->path + (w->rel_prefix ? w->rel_prefix : 0), w->token);
    return 0;
}

int do_unwatch(struct xs_request *r)
{
    struct xs_client *c = r->c;
    char *path;
    size_t rel;
    const char *token;
    int err = watch_args(r, &path, &rel, &token);
    if (err)
        return err;
    for (struct xs_watch **pp = &c->watches; *pp; pp = &(*pp)->next) {
        struct xs_watch *w = *pp;
        if (strcmp(w->path, path) == 0 && strcmp(w->token, token) == 0) {
            *pp = w->next;
            watch_free(w);
            c->nwatches--;
            free(path);
            reply_ok(c, r->hdr);
            return 0;
        }
    }
    free(path);
    return ENOENT;
}

int do_reset_watches(struct xs_request *r)
{
    xs_client_reset(r->c);
    reply_ok(r->c, r->hdr);
    return 0;
}
