/*
 * Domain records and the domain requests: INTRODUCE, RELEASE,
 * GET_DOMAIN_PATH, IS_DOMAIN_INTRODUCED, RESUME, SET_TARGET.
 */
#include "domain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/xen.h>

#include "core.h"
#include "handlers.h"
#include "log.h"
#include "message.h"
#include "path.h"
#include "util.h"
#include "watch.h"

bool domain_id_valid(unsigned long long domid)
{
    return domid != 0 && domid < DOMID_FIRST_RESERVED;
}

struct xs_domain *domain_find(struct xs_store *st, unsigned domid)
{
    for (size_t i = 0; i < st->ndomains; i++)
        if (st->domains[i].domid == domid)
            return &st->domains[i];
    return NULL;
}

struct xs_domain *domain_find_by_client(struct xs_store *st, const struct xs_client *c)
{
    for (size_t i = 0; i < st->ndomains; i++)
        if (st->domains[i].client == c)
            return &st->domains[i];
    return NULL;
}

int domain_add(struct xs_store *st, unsigned domid, uint64_t mfn, unsigned port)
{
    if (!domain_id_valid(domid))
        return EINVAL;
    if (domain_find(st, domid))
        return EEXIST;
    if (st->ndomains == st->domains_cap) {
        size_t cap = st->domains_cap ? st->domains_cap * 2 : 8;
        struct xs_domain *d = realloc(st->domains, cap * sizeof(*d));
        if (!d)
            return ENOMEM;
        st->domains = d;
        st->domains_cap = cap;
    }
    struct xs_domain *d = &st->domains[st->ndomains++];
    memset(d, 0, sizeof(*d));
    d->domid = domid;
    d->mfn = mfn;
    d->port = port;
    return 0;
}

void domain_remove(struct xs_store *st, unsigned domid)
{
    struct xs_domain *d = domain_find(st, domid);
    if (!d)
        return;
    size_t i = (size_t)(d - st->domains);
    st->domains[i] = st->domains[st->ndomains - 1];
    st->ndomains--;
    /* Nobody targets a domain that is gone. */
    for (size_t j = 0; j < st->ndomains; j++)
        if (st->domains[j].has_target && st->domains[j].target == domid) {
            st->domains[j].has_target = false;
            if (st->domains[j].client)
                st->domains[j].client->has_target = false;
        }
}

/* A domid argument: strict decimal, at most 65535 (the protocol's range). */
static int parse_domid(const char *s, unsigned *out)
{
    unsigned long long v;
    if (!xs_parse_uint(s, 65535, &v))
        return EINVAL;
    *out = (unsigned)v;
    return 0;
}

/* The mfn is "signed decimal (!)" per the protocol; keep its bits. */
static int parse_mfn(const char *s, uint64_t *out)
{
    unsigned long long v;
    bool neg = s[0] == '-';
    if (!xs_parse_uint(s + neg, neg ? (1ull << 63) : UINT64_MAX, &v))
        return EINVAL;
    *out = neg ? (uint64_t)0 - v : v;
    return 0;
}

int do_introduce(struct xs_request *r)
{
    struct xs_store *st = r->c->store;
    const char *vec[3];
    if (msg_split(r->data, r->len, vec, 3) < 3)
        return EINVAL;
    unsigned domid;
    uint64_t mfn;
    unsigned long long port;
    if (parse_domid(vec[0], &domid) || !domain_id_valid(domid) ||
        parse_mfn(vec[1], &mfn) || !xs_parse_uint(vec[2], UINT32_MAX, &port) ||
        port == 0)
        return EINVAL;

    struct xs_domain *d = domain_find(st, domid);
    if (d && d->client) {
        /* Introduced again (after resume, say): only the event channel
         * may have changed. */
        if (st->hooks.domain_rebind) {
            int err = st->hooks.domain_rebind(st->hooks.ctx, d->client, (unsigned)port);
            if (err)
                return err;
        }
        d->port = (unsigned)port;
        reply_ok(r->c, r->hdr);
        return 0;
    }

    /* A new domain, or one known without a connection (its ring broke,
     * or it was restored where its page could not be mapped). */
    bool known = d != NULL;
    int err = known ? 0 : domain_add(st, domid, mfn, (unsigned)port);
    if (err)
        return err;
    struct xs_client *dc = xs_client_new(st, domid, true);
    if (!dc) {
        if (!known)
            domain_remove(st, domid);
        return ENOMEM;
    }
    d = domain_find(st, domid);
    dc->has_target = d->has_target;
    dc->target = d->target;
    if (st->hooks.domain_attach) {
        err = st->hooks.domain_attach(st->hooks.ctx, dc, mfn, (unsigned)port);
        if (err) {
            xs_client_free(dc);
            if (!known)
                domain_remove(st, domid);
            return err;
        }
    }
    d = domain_find(st, domid);
    d->client = dc;
    d->mfn = mfn;
    d->port = (unsigned)port;
    xs_log(XS_LOG_INFO, "domain %u introduced (mfn %llu, event channel %llu)",
           domid, (unsigned long long)mfn, port);
    reply_ok(r->c, r->hdr);
    watch_fire_special(st, XS_SPECIAL_INTRODUCE);
    return 0;
}

/* RELEASE, RESUME: one domid naming an introduced domain other than dom0. */
static int onearg_domain(struct xs_request *r, struct xs_domain **out)
{
    const char *arg = msg_onearg(r->data, r->len);
    unsigned domid;
    if (!arg || parse_domid(arg, &domid) || domid == 0)
        return EINVAL;
    *out = domain_find(r->c->store, domid);
    return *out ? 0 : ENOENT;
}

/* The domain's connection goes, then the domain. */
static void release_domain(struct xs_store *st, struct xs_domain *d)
{
    unsigned domid = d->domid;
    struct xs_client *dc = d->client;
    if (dc) {
        /* Its watches go first so its own departure fires nothing at it. */
        xs_client_reset(dc);
        outq_clear(&dc->out);
        dc->dead = true;
        dc->dead_reason = "domain released";
        if (dc->has_target)
            dc->has_target = false;
    }
    domain_remove(st, domid);
}

int do_release(struct xs_request *r)
{
    struct xs_store *st = r->c->store;
    struct xs_domain *d;
    int err = onearg_domain(r, &d);
    if (err)
        return err;
    unsigned domid = d->domid;
    release_domain(st, d);
    xs_log(XS_LOG_INFO, "domain %u released", domid);
    reply_ok(r->c, r->hdr);
    watch_fire_special(st, XS_SPECIAL_RELEASE);
    return 0;
}

/*
 * VIRQ_DOM_EXC fired: some domain shut down, crashed or went away.  As
 * Xen's xenstored does, a domain newly seen shut down, and a domain gone
 * (whose connection is then dropped), fire @releaseDomain once: that is
 * how toolstacks (xl's per-domain watcher) learn of it.
 */
void domain_check_states(struct xs_store *st, enum xs_domain_state (*state)(void *ctx, unsigned domid),
                         void *ctx)
{
    bool fire = false;

    for (size_t i = 0; i < st->ndomains;) {
        struct xs_domain *d = &st->domains[i];
        enum xs_domain_state s = state(ctx, d->domid);

        if (s == XS_DOMAIN_GONE) {
            xs_log(XS_LOG_INFO, "domain %u is gone: released", d->domid);
            release_domain(st, d);      /* the last domain moved into slot i */
            fire = true;
            continue;
        }
        if (s == XS_DOMAIN_SHUTDOWN && !d->shutdown) {
            xs_log(XS_LOG_INFO, "domain %u shut down", d->domid);
            d->shutdown = true;
            fire = true;
        }
        i++;
    }
    if (fire)
        watch_fire_special(st, XS_SPECIAL_RELEASE);
}

int do_resume(struct xs_request *r)
{
    struct xs_domain *d;
    int err = onearg_domain(r, &d);
    if (err)
        return err;
    /* It runs again (after a suspend): a later shutdown fires again. */
    d->shutdown = false;
    reply_ok(r->c, r->hdr);
    return 0;
}

int do_get_domain_path(struct xs_request *r)
{
    const char *arg = msg_onearg(r->data, r->len);
    unsigned domid;
    if (!arg || parse_domid(arg, &domid))
        return EINVAL;
    char home[32];
    path_domain_home(domid, home, sizeof(home));
    reply_data(r->c, r->hdr, home, strlen(home) + 1);
    return 0;
}

int do_is_domain_introduced(struct xs_request *r)
{
    const char *arg = msg_onearg(r->data, r->len);
    unsigned domid;
    if (!arg || parse_domid(arg, &domid))
        return EINVAL;
    /* dom0 (we run in it) and DOMID_SELF always count as there. */
    bool yes = domid == 0 || domid == DOMID_SELF || domain_find(r->c->store, domid);
    reply_data(r->c, r->hdr, yes ? "T" : "F", 2);
    return 0;
}

int do_set_target(struct xs_request *r)
{
    struct xs_store *st = r->c->store;
    const char *vec[2];
    unsigned domid, tdomid;
    if (msg_split(r->data, r->len, vec, 2) < 2 || parse_domid(vec[0], &domid) ||
        parse_domid(vec[1], &tdomid))
        return EINVAL;
    struct xs_domain *d = domain_find(st, domid);
    if (!d || !domain_find(st, tdomid))
        return ENOENT;
    d->has_target = true;
    d->target = tdomid;
    if (d->client) {
        d->client->has_target = true;
        d->client->target = tdomid;
    }
    reply_ok(r->c, r->hdr);
    return 0;
}
