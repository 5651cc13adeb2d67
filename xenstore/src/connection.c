/* See connection.h. */
#include "connection.h"

#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "log.h"
#include "message.h"

/* Under AddressSanitizer the bytes around a payload handed to the core are
 * poisoned, so that reading past hdr.len is caught as it was when every
 * payload had its own allocation. */
#if defined(__SANITIZE_ADDRESS__)
#define CONN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONN_ASAN 1
#endif
#endif
#ifdef CONN_ASAN
#include <sanitizer/asan_interface.h>
#endif

struct xs_connection *conn_new(struct xs_client *c, struct xs_transport *tp, bool is_ring)
{
    struct xs_connection *conn = calloc(1, sizeof(*conn));
    if (!conn)
        return NULL;
    conn->tp = tp;
    conn->client = c;
    conn->is_ring = is_ring;
    c->io = conn;
    return conn;
}

void conn_free(struct xs_connection *conn)
{
    if (conn->tp)
        conn->tp->ops->close(conn->tp);
    if (conn->client) {
        conn->client->io = NULL;
        xs_client_free(conn->client);
    }
    free(conn->in);
    free(conn->out);
    free(conn);
}

static bool fail(struct xs_connection *conn, const char *why)
{
    conn->closing = true;
    if (!conn->why)
        conn->why = why;
    return false;
}

bool conn_alive(struct xs_connection *conn)
{
    if (conn->client->dead)
        return fail(conn, conn->client->dead_reason ? conn->client->dead_reason : "closed");
    return !conn->closing;
}

bool conn_wants_input(const struct xs_connection *conn)
{
    const struct xs_client *c = conn->client;
    const struct xs_quota *q = &c->store->quota;
    if (conn->closing || c->dead)
        return false;
    /* Staged output (see conn_handle_output) still counts as waiting. */
    size_t staged = conn->out_len - conn->out_off;
    unsigned replies = c->out.nreplies + (staged ? conn->out_replies : 0);
    if (!xs_client_privileged(c) && replies >= q->outstanding)
        return false;
    return c->out.bytes + staged < q->out_bytes / 2;
}

bool conn_wants_output(const struct xs_connection *conn)
{
    return conn->out_off < conn->out_len || conn->client->out.head;
}

bool conn_input_buffered(const struct xs_connection *conn)
{
    size_t have = conn->in_len - conn->in_off;
    struct xsd_sockmsg hdr;
    if (have < sizeof(hdr))
        return false;
    memcpy(&hdr, conn->in + conn->in_off, sizeof(hdr));
    return hdr.len > XENSTORE_PAYLOAD_MAX || have - sizeof(hdr) >= hdr.len;
}

static bool oversized(struct xs_connection *conn, const struct xsd_sockmsg *hdr)
{
    xs_log(XS_LOG_WARN,
           "conn#%llu (dom%u): message type %u announces %u payload bytes "
           "(max %u); closing the connection",
           (unsigned long long)conn->client->serial, conn->client->domid,
           hdr->type, hdr->len, XENSTORE_PAYLOAD_MAX);
    if (conn->tp->ops->protocol_error)
        conn->tp->ops->protocol_error(conn->tp);
    return fail(conn, "oversized message");
}

static void process(struct xs_connection *conn, const struct xsd_sockmsg *hdr,
                    const uint8_t *body)
{
#ifdef CONN_ASAN
    /* Whole granules before the payload, everything after it. */
    uintptr_t lo = (uintptr_t)conn->in, b = (uintptr_t)body;
    ASAN_POISON_MEMORY_REGION(conn->in, (b - lo) & ~(uintptr_t)7);
    ASAN_POISON_MEMORY_REGION(body + hdr->len, CONN_IN_SIZE - (size_t)(b - lo) - hdr->len);
#endif
    xs_process(conn->client, hdr, body);
#ifdef CONN_ASAN
    ASAN_UNPOISON_MEMORY_REGION(conn->in, CONN_IN_SIZE);
#endif
}

/* Handles the complete messages in the buffer, up to max_msgs in all. */
static bool handle_buffered(struct xs_connection *conn, unsigned *handled, unsigned max_msgs)
{
    while (*handled < max_msgs && conn_wants_input(conn)) {
        size_t have = conn->in_len - conn->in_off;
        struct xsd_sockmsg hdr;
        if (have < sizeof(hdr))
            break;
        memcpy(&hdr, conn->in + conn->in_off, sizeof(hdr));
        if (hdr.len > XENSTORE_PAYLOAD_MAX)
            return oversized(conn, &hdr);
        if (have - sizeof(hdr) < hdr.len)
            break;
        /* A complete message. */
        const uint8_t *body = conn->in + conn->in_off + sizeof(hdr);
        conn->in_off += sizeof(hdr) + hdr.len;
        process(conn, &hdr, body);
        (*handled)++;
        if (!conn_alive(conn))
            return false;
    }
    if (conn->in_off == conn->in_len)
        conn->in_off = conn->in_len = 0;
    return true;
}

bool conn_handle_input(struct xs_connection *conn, unsigned max_msgs)
{
    struct xs_transport *tp = conn->tp;
    unsigned handled = 0;
    bool may_read = tp->ops->can_read(tp);

    if (!conn->in) {
        conn->in = malloc(CONN_IN_SIZE);
        if (!conn->in)
            return fail(conn, "out of memory");
    }
    for (;;) {
        if (!handle_buffered(conn, &handled, max_msgs))
            return false;
        if (!may_read || handled >= max_msgs || !conn_wants_input(conn))
            return true;
        /* Only a partial message is left (less than CONN_IN_SIZE bytes):
         * move it to the front and read once into the rest. */
        if (conn->in_off) {
            memmove(conn->in, conn->in + conn->in_off, conn->in_len - conn->in_off);
            conn->in_len -= conn->in_off;
            conn->in_off = 0;
        }
        size_t room = CONN_IN_SIZE - conn->in_len;
        ssize_t n = tp->ops->read(tp, conn->in + conn->in_len, room);
        if (n < 0)
            return fail(conn, conn->is_ring ? "ring broken" : "peer closed");
        if (n == 0)
            return true;
        conn->in_len += (size_t)n;
        /* A short read took everything there was; a full one may not have. */
        may_read = (size_t)n == room;
    }
}

/* Moves queued messages into the staging buffer, whole ones, while they fit. */
static bool stage_output(struct xs_connection *conn)
{
    struct xs_outq *q = &conn->client->out;
    conn->out_off = conn->out_len = 0;
    conn->out_replies = 0;
    while (q->head) {
        size_t sz = sizeof(q->head->hdr) + q->head->hdr.len;
        if (conn->out_len + sz > conn->out_cap) {
            if (conn->out_len)
                break;   /* does not fit behind the others: next write */
            size_t cap = sz > CONN_OUT_SIZE ? sz : CONN_OUT_SIZE;
            uint8_t *nb = realloc(conn->out, cap);
            if (!nb)
                return fail(conn, "out of memory");
            conn->out = nb;
            conn->out_cap = cap;
        }
        struct xs_msg *m = outq_pop(q);
        if (m->hdr.type != XS_WATCH_EVENT)
            conn->out_replies++;
        /* hdr and body are contiguous in struct xs_msg. */
        memcpy(conn->out + conn->out_len, &m->hdr, sz);
        conn->out_len += sz;
        free(m);
    }
    return true;
}

bool conn_handle_output(struct xs_connection *conn)
{
    struct xs_transport *tp = conn->tp;
    for (;;) {
        if (conn->out_off == conn->out_len) {
            if (!stage_output(conn))
                return false;
            if (conn->out_len == 0)
                return true;
        }
        size_t want = conn->out_len - conn->out_off;
        ssize_t n = tp->ops->write(tp, conn->out + conn->out_off, want);
        if (n < 0)
            return fail(conn, conn->is_ring ? "ring broken" : "peer closed");
        conn->out_off += (size_t)n;
        if ((size_t)n < want)
            return true;   /* the transport is full: wait until it can take more */
    }
}
