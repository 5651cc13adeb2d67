/* See message.h. */
#include "message.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const char *const type_names[XS_TYPE_COUNT] = {
    [XS_CONTROL] = "CONTROL",
    [XS_DIRECTORY] = "DIRECTORY",
    [XS_READ] = "READ",
    [XS_GET_PERMS] = "GET_PERMS",
    [XS_WATCH] = "WATCH",
    [XS_UNWATCH] = "UNWATCH",
    [XS_TRANSACTION_START] = "TRANSACTION_START",
    [XS_TRANSACTION_END] = "TRANSACTION_END",
    [XS_INTRODUCE] = "INTRODUCE",
    [XS_RELEASE] = "RELEASE",
    [XS_GET_DOMAIN_PATH] = "GET_DOMAIN_PATH",
    [XS_WRITE] = "WRITE",
    [XS_MKDIR] = "MKDIR",
    [XS_RM] = "RM",
    [XS_SET_PERMS] = "SET_PERMS",
    [XS_WATCH_EVENT] = "WATCH_EVENT",
    [XS_ERROR] = "ERROR",
    [XS_IS_DOMAIN_INTRODUCED] = "IS_DOMAIN_INTRODUCED",
    [XS_RESUME] = "RESUME",
    [XS_SET_TARGET] = "SET_TARGET",
    [XS_RESET_WATCHES] = "RESET_WATCHES",
    [XS_DIRECTORY_PART] = "DIRECTORY_PART",
};

const char *msg_type_name(uint32_t type)
{
    if (type < XS_TYPE_COUNT && type_names[type])
        return type_names[type];
    return "UNKNOWN";
}

const char *msg_errno_name(int err)
{
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (xsd_errors[i].errnum == err)
            return xsd_errors[i].errstring;
    return xsd_errors[0].errstring;   /* EINVAL, as Xen does */
}

unsigned msg_split(const uint8_t *data, size_t len, const char **vec, unsigned max)
{
    unsigned n = 0;
    size_t off = 0;
    while (off < len) {
        const uint8_t *nul = memchr(data + off, 0, len - off);
        if (!nul)
            break;
        if (n < max)
            vec[n] = (const char *)data + off;
        n++;
        off = (size_t)(nul - data) + 1;
    }
    return n;
}

const char *msg_onearg(const uint8_t *data, size_t len)
{
    if (len == 0 || memchr(data, 0, len) != data + len - 1)
        return NULL;
    return (const char *)data;
}

unsigned msg_count_nuls(const uint8_t *data, size_t len)
{
    unsigned n = 0;
    for (size_t i = 0; i < len; i++)
        n += data[i] == 0;
    return n;
}

struct xs_msg *msg_new(uint32_t type, uint32_t req_id, uint32_t tx_id,
                       const void *body, size_t len)
{
    struct xs_msg *m = malloc(sizeof(*m) + len);
    if (!m)
        return NULL;
    m->next = NULL;
    m->hdr.type = type;
    m->hdr.req_id = req_id;
    m->hdr.tx_id = tx_id;
    m->hdr.len = (uint32_t)len;
    if (len)
        memcpy(m->body, body, len);
    return m;
}

void outq_push(struct xs_client *c, struct xs_msg *m, bool is_reply)
{
    if (!m) {
        /* Out of memory: the client would wait forever for this reply. */
        if (!c->dead) {
            c->dead = true;
            c->dead_reason = "out of memory queueing output";
        }
        return;
    }
    size_t sz = sizeof(m->hdr) + m->hdr.len;
    if (c->dead) {
        free(m);
        return;
    }
    if (c->out.bytes + sz > c->store->quota.out_bytes) {
        c->dead = true;
        c->dead_reason = "output queue over its bound (client not reading)";
        xs_log(XS_LOG_WARN, "conn#%llu (dom%u): %s, closing",
               (unsigned long long)c->serial, c->domid, c->dead_reason);
        free(m);
        return;
    }
    if (c->out.tail)
        c->out.tail->next = m;
    else
        c->out.head = m;
    c->out.tail = m;
    c->out.bytes += sz;
    if (is_reply)
        c->out.nreplies++;
}

struct xs_msg *outq_pop(struct xs_outq *q)
{
    struct xs_msg *m = q->head;
    if (!m)
        return NULL;
    q->head = m->next;
    if (!q->head)
        q->tail = NULL;
    m->next = NULL;
    q->bytes -= sizeof(m->hdr) + m->hdr.len;
    if (m->hdr.type != XS_WATCH_EVENT && q->nreplies)
        q->nreplies--;
    return m;
}

void outq_clear(struct xs_outq *q)
{
    struct xs_msg *m;
    while ((m = outq_pop(q)))
        free(m);
    q->nreplies = 0;
}

void reply_data(struct xs_client *c, const struct xsd_sockmsg *req,
                const void *data, size_t len)
{
    if (len > XENSTORE_PAYLOAD_MAX) {
        reply_error(c, req, E2BIG);
        return;
    }
    outq_push(c, msg_new(req->type, req->req_id, req->tx_id, data, len), true);
}

void reply_ok(struct xs_client *c, const struct xsd_sockmsg *req)
{
    reply_data(c, req, "OK", 3);
}

void reply_error(struct xs_client *c, const struct xsd_sockmsg *req, int err)
{
    const char *name = msg_errno_name(err);
    outq_push(c, msg_new(XS_ERROR, req->req_id, req->tx_id, name, strlen(name) + 1), true);
}

void send_watch_event(struct xs_client *c, const char *path, const char *token)
{
    size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
    if (pl + tl > XENSTORE_PAYLOAD_MAX)
        return;   /* cannot be sent; Xen drops it too */
    struct xs_msg *m = msg_new(XS_WATCH_EVENT, 0, 0, NULL, 0);
    if (m) {
        struct xs_msg *full = realloc(m, sizeof(*m) + pl + tl);
        if (!full) {
            free(m);
            m = NULL;
        } else {
            m = full;
            memcpy(m->body, path, pl);
            memcpy(m->body + pl, token, tl);
            m->hdr.len = (uint32_t)(pl + tl);
        }
    }
    outq_push(c, m, false);
}
