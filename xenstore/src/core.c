/*
 * Store and client lifecycle, and the dispatch of one request to its
 * handler: privilege and transaction checks happen here, once, so the
 * handlers can assume them.
 */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "handlers.h"
#include "log.h"
#include "message.h"
#include "quota.h"
#include "transaction.h"
#include "watch.h"

int xs_store_init(struct xs_store *st)
{
    memset(st, 0, sizeof(*st));
    if (tree_init_default(&st->tree))
        return ENOMEM;
    quota_set_defaults(&st->quota);
    /* Only privileged domains see domain arrivals and departures until
     * the toolstack says otherwise (SET_PERMS on the special names). */
    const struct xs_permissions p = { .id = 0, .perms = XS_PERM_NONE };
    for (int i = 0; i < 2; i++) {
        st->special_perms[i] = malloc(sizeof(p));
        if (!st->special_perms[i]) {
            xs_store_destroy(st);
            return ENOMEM;
        }
        st->special_perms[i][0] = p;
        st->special_nperms[i] = 1;
    }
    return 0;
}

void xs_store_destroy(struct xs_store *st)
{
    while (st->clients)
        xs_client_free(st->clients);
    tree_destroy(&st->tree);
    free(st->domains);
    for (int i = 0; i < 2; i++)
        free(st->special_perms[i]);
    memset(st, 0, sizeof(*st));
}

struct xs_client *xs_client_new(struct xs_store *st, unsigned domid, bool is_domain)
{
    struct xs_client *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->store = st;
    c->serial = ++st->next_serial;
    c->domid = domid;
    c->is_domain = is_domain;
    c->next_txid = 1;
    c->next = st->clients;
    if (st->clients)
        st->clients->prev = c;
    st->clients = c;
    return c;
}

void xs_client_reset(struct xs_client *c)
{
    watch_clear(c);
    while (c->txns) {
        struct xs_txn *t = c->txns;
        txn_remove(c, t);
    }
}

void xs_client_free(struct xs_client *c)
{
    struct xs_store *st = c->store;
    xs_client_reset(c);
    outq_clear(&c->out);
    struct xs_domain *d = domain_find_by_client(st, c);
    if (d)
        d->client = NULL;
    if (c->prev)
        c->prev->next = c->next;
    else
        st->clients = c->next;
    if (c->next)
        c->next->prev = c->prev;
    free(c);
}

void xs_store_reap(struct xs_store *st)
{
    struct xs_client *c = st->clients;
    while (c) {
        struct xs_client *next = c->next;
        if (c->dead && !c->io)
            xs_client_free(c);
        c = next;
    }
}

bool xs_client_privileged(const struct xs_client *c)
{
    return c->domid == 0 || (c->store->priv_domid && c->domid == c->store->priv_domid);
}

void xs_client_caller(const struct xs_client *c, struct xs_caller *out)
{
    out->domid = c->domid;
    out->privileged = xs_client_privileged(c);
    out->has_target = c->has_target;
    out->target = c->target;
}

/* ---- dispatch ------------------------------------------------------- */

#define F_PRIV  1u   /* privileged callers only (EACCES otherwise) */
#define F_NOTID 2u   /* tx_id is ignored */

static const struct {
    int (*fn)(struct xs_request *r);
    unsigned flags;
} handlers[XS_TYPE_COUNT] = {
    [XS_CONTROL] = { do_control, F_PRIV | F_NOTID },
    [XS_DIRECTORY] = { do_directory, 0 },
    [XS_READ] = { do_read, 0 },
    [XS_GET_PERMS] = { do_get_perms, 0 },
    [XS_WATCH] = { do_watch, F_NOTID },
    [XS_UNWATCH] = { do_unwatch, F_NOTID },
    [XS_TRANSACTION_START] = { do_transaction_start, 0 },
    [XS_TRANSACTION_END] = { do_transaction_end, 0 },
    [XS_INTRODUCE] = { do_introduce, F_PRIV | F_NOTID },
    [XS_RELEASE] = { do_release, F_PRIV | F_NOTID },
    [XS_GET_DOMAIN_PATH] = { do_get_domain_path, F_NOTID },
    [XS_WRITE] = { do_write, 0 },
    [XS_MKDIR] = { do_mkdir, 0 },
    [XS_RM] = { do_rm, 0 },
    [XS_SET_PERMS] = { do_set_perms, 0 },
    [XS_IS_DOMAIN_INTRODUCED] = { do_is_domain_introduced, F_PRIV | F_NOTID },
    [XS_RESUME] = { do_resume, F_PRIV | F_NOTID },
    [XS_SET_TARGET] = { do_set_target, F_PRIV | F_NOTID },
    [XS_RESET_WATCHES] = { do_reset_watches, F_NOTID },
    [XS_DIRECTORY_PART] = { do_directory_part, 0 },
};

/* A short printable rendering of a payload for the request log. */
static void render_payload(const uint8_t *p, size_t len, char *out, size_t outlen)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 5 < outlen; i++) {
        uint8_t ch = p[i];
        if (ch == 0)
            out[o++] = '|';
        else if (ch >= 0x20 && ch < 0x7f)
            out[o++] = (char)ch;
        else
            out[o++] = '?';
    }
    if (len && o + 5 >= outlen) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

void xs_process(struct xs_client *c, const struct xsd_sockmsg *hdr,
                const uint8_t *payload)
{
    struct xs_store *st = c->store;
    st->requests++;

    if (st->verbose) {
        char text[96];
        render_payload(payload, hdr->len, text, sizeof(text));
        xs_log(XS_LOG_DEBUG, "conn#%llu dom%u %s req=%u tx=%u len=%u \"%s\"",
               (unsigned long long)c->serial, c->domid, msg_type_name(hdr->type),
               hdr->req_id, hdr->tx_id, hdr->len, text);
    }

    if (hdr->type >= XS_TYPE_COUNT || !handlers[hdr->type].fn) {
        reply_error(c, hdr, ENOSYS);
        return;
    }
    unsigned flags = handlers[hdr->type].flags;
    if ((flags & F_PRIV) && !xs_client_privileged(c)) {
        reply_error(c, hdr, EACCES);
        return;
    }

    struct xs_request r = { .c = c, .hdr = hdr, .data = payload, .len = hdr->len };
    if (!(flags & F_NOTID) && hdr->tx_id != 0) {
        r.txn = txn_find(c, hdr->tx_id);
        if (!r.txn) {
            reply_error(c, hdr, ENOENT);
            return;
        }
    }

    int err = handlers[hdr->type].fn(&r);
    if (err) {
        if (st->verbose)
            xs_log(XS_LOG_DEBUG, "conn#%llu %s -> %s", (unsigned long long)c->serial,
                   msg_type_name(hdr->type), msg_errno_name(err));
        reply_error(c, hdr, err);
    }
}
