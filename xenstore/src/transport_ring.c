/*
 * See transport.h: the transport over a domain's struct
 * xenstore_domain_interface.  Requests arrive on req[] (the domain
 * produces, we consume), replies and events leave on rsp[] (we produce).
 *
 * The page is shared with the domain and everything in it is hostile:
 * each index is read exactly once per operation, offsets are always
 * masked, and a producer/consumer gap larger than the ring means the
 * domain is broken -- we stop talking to it (and say so in the page's
 * error field).  Barriers: read the producer before the data it covers,
 * finish with the data before publishing our index.
 */
#include "transport.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

struct ring_transport {
    struct xs_transport base;
    struct xenstore_domain_interface *intf;
    void (*notify)(void *ctx);
    void (*release)(void *ctx);
    void *ctx;
    bool broken;
};

static XENSTORE_RING_IDX load_idx(const XENSTORE_RING_IDX *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void store_idx(XENSTORE_RING_IDX *p, XENSTORE_RING_IDX v)
{
    __atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static void mark_broken(struct ring_transport *r, uint32_t why)
{
    if (!r->broken) {
        r->broken = true;
        __atomic_store_n(&r->intf->error, why, __ATOMIC_RELAXED);
        if (r->notify)
            r->notify(r->ctx);
    }
}

static ssize_t ring_read(struct xs_transport *t, void *buf, size_t len)
{
    struct ring_transport *r = (struct ring_transport *)t;
    if (r->broken)
        return -1;
    XENSTORE_RING_IDX cons = load_idx(&r->intf->req_cons);
    XENSTORE_RING_IDX prod = load_idx(&r->intf->req_prod);
    atomic_thread_fence(memory_order_acquire);   /* rmb: prod before data */
    XENSTORE_RING_IDX avail = prod - cons;
    if (avail > XENSTORE_RING_SIZE) {
        mark_broken(r, XENSTORE_ERROR_RINGIDX);
        return -1;
    }
    size_t done = 0;
    while (done < len && avail > 0) {
        size_t off = MASK_XENSTORE_IDX(cons);
        size_t n = XENSTORE_RING_SIZE - off;
        if (n > avail)
            n = avail;
        if (n > len - done)
            n = len - done;
        memcpy((char *)buf + done, r->intf->req + off, n);
        done += n;
        cons += (XENSTORE_RING_IDX)n;
        avail -= (XENSTORE_RING_IDX)n;
    }
    if (done) {
        atomic_thread_fence(memory_order_seq_cst);   /* mb: data before cons */
        store_idx(&r->intf->req_cons, cons);
        if (r->notify)
            r->notify(r->ctx);
    }
    return (ssize_t)done;
}

static ssize_t ring_write(struct xs_transport *t, const void *buf, size_t len)
{
    struct ring_transport *r = (struct ring_transport *)t;
    if (r->broken)
        return -1;
    XENSTORE_RING_IDX cons = load_idx(&r->intf->rsp_cons);
    XENSTORE_RING_IDX prod = load_idx(&r->intf->rsp_prod);
    atomic_thread_fence(memory_order_seq_cst);   /* mb: cons before we write */
    XENSTORE_RING_IDX used = prod - cons;
    if (used > XENSTORE_RING_SIZE) {
        mark_broken(r, XENSTORE_ERROR_RINGIDX);
        return -1;
    }
    size_t space = XENSTORE_RING_SIZE - used;
    size_t done = 0;
    while (done < len && space > 0) {
        size_t off = MASK_XENSTORE_IDX(prod);
        size_t n = XENSTORE_RING_SIZE - off;
        if (n > space)
            n = space;
        if (n > len - done)
            n = len - done;
        memcpy(r->intf->rsp + off, (const char *)buf + done, n);
        done += n;
        prod += (XENSTORE_RING_IDX)n;
        space -= n;
    }
    if (done) {
        atomic_thread_fence(memory_order_release);   /* wmb: data before prod */
        store_idx(&r->intf->rsp_prod, prod);
        if (r->notify)
            r->notify(r->ctx);
    }
    return (ssize_t)done;
}

static bool ring_can_read(struct xs_transport *t)
{
    struct ring_transport *r = (struct ring_transport *)t;
    if (r->broken)
        return true;   /* so that the next read reports it */
    XENSTORE_RING_IDX cons = load_idx(&r->intf->req_cons);
    XENSTORE_RING_IDX prod = load_idx(&r->intf->req_prod);
    return prod != cons;
}

static bool ring_can_write(struct xs_transport *t)
{
    struct ring_transport *r = (struct ring_transport *)t;
    if (r->broken)
        return true;
    XENSTORE_RING_IDX cons = load_idx(&r->intf->rsp_cons);
    XENSTORE_RING_IDX prod = load_idx(&r->intf->rsp_prod);
    return prod - cons != XENSTORE_RING_SIZE;
}

static void ring_protocol_error(struct xs_transport *t)
{
    mark_broken((struct ring_transport *)t, XENSTORE_ERROR_PROTO);
}

static void ring_close(struct xs_transport *t)
{
    struct ring_transport *r = (struct ring_transport *)t;
    if (r->release)
        r->release(r->ctx);
    free(r);
}

static const struct xs_transport_ops ring_ops = {
    .read = ring_read,
    .write = ring_write,
    .can_read = ring_can_read,
    .can_write = ring_can_write,
    .protocol_error = ring_protocol_error,
    .close = ring_close,
};

struct xs_transport *ring_transport_new(struct xenstore_domain_interface *intf,
                                        void (*notify)(void *ctx),
                                        void (*release)(void *ctx), void *ctx)
{
    struct ring_transport *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->base.ops = &ring_ops;
    r->intf = intf;
    r->notify = notify;
    r->release = release;
    r->ctx = ctx;
    return &r->base;
}

bool ring_transport_broken(const struct xs_transport *t)
{
    return ((const struct ring_transport *)t)->broken;
}

void ring_transport_reset(struct xs_transport *t)
{
    struct ring_transport *r = (struct ring_transport *)t;
    struct xenstore_domain_interface *i = r->intf;
    store_idx(&i->req_cons, 0);
    store_idx(&i->req_prod, 0);
    store_idx(&i->rsp_cons, 0);
    store_idx(&i->rsp_prod, 0);
    __atomic_store_n(&i->error, XENSTORE_ERROR_NONE, __ATOMIC_RELAXED);
    /* We report ring errors in the page; we do not offer reconnection. */
    __atomic_store_n(&i->server_features, XENSTORE_SERVER_FEATURE_ERROR, __ATOMIC_RELAXED);
    __atomic_store_n(&i->connection, XENSTORE_CONNECTED, __ATOMIC_RELAXED);
    atomic_thread_fence(memory_order_seq_cst);
    r->broken = false;
}
