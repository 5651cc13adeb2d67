/*
 * Console ring copy logic (see ring.h).  No Xen library calls here.
 */
#include "ring.h"

#include <stdlib.h>
#include <string.h>

/* One read (or write) of a field of the shared page: the compiler may
 * neither repeat it nor tear it. */
#define SHARED_LOAD(p)      __atomic_load_n((p), __ATOMIC_RELAXED)
#define SHARED_STORE(p, v)  __atomic_store_n((p), (v), __ATOMIC_RELAXED)
/* Index read -> data access (Xen's rmb/mb on the consumer side). */
#define FENCE_ACQUIRE()     __atomic_thread_fence(__ATOMIC_ACQUIRE)
/* Data access -> index write (Xen's wmb/mb before publishing). */
#define FENCE_RELEASE()     __atomic_thread_fence(__ATOMIC_RELEASE)

_Static_assert((RING_OUT_SIZE & (RING_OUT_SIZE - 1)) == 0, "out[] is a power of two");
_Static_assert((RING_IN_SIZE & (RING_IN_SIZE - 1)) == 0, "in[] is a power of two");

void ring_init(struct cons_ring *r, struct xencons_interface *intf)
{
    r->intf = intf;
    r->out_resyncs = 0;
    r->in_broken = 0;
}

size_t ring_out_avail(const struct cons_ring *r)
{
    XENCONS_RING_IDX cons = SHARED_LOAD(&r->intf->out_cons);
    XENCONS_RING_IDX prod = SHARED_LOAD(&r->intf->out_prod);
    XENCONS_RING_IDX used = prod - cons;   /* free-running, wraps at 2^32 */

    return used > RING_OUT_SIZE ? 0 : used;
}

size_t ring_out_take(struct cons_ring *r, char *dst, size_t max)
{
    struct xencons_interface *intf = r->intf;
    XENCONS_RING_IDX cons = SHARED_LOAD(&intf->out_cons);
    XENCONS_RING_IDX prod = SHARED_LOAD(&intf->out_prod);
    XENCONS_RING_IDX used = prod - cons;

    FENCE_ACQUIRE();
    if (used > RING_OUT_SIZE) {
        /* The guest broke its own ring: skip to where it says it is. */
        r->out_resyncs++;
        FENCE_RELEASE();
        SHARED_STORE(&intf->out_cons, prod);
        return 0;
    }

    size_t n = used < max ? used : max;
    size_t off = MASK_XENCONS_IDX(cons, intf->out);
    size_t first = RING_OUT_SIZE - off;     /* bytes before the end of out[] */
    if (first > n)
        first = n;
    memcpy(dst, intf->out + off, first);
    memcpy(dst + first, intf->out, n - first);

    /* Our reads of out[] are done before the guest may reuse the space. */
    FENCE_RELEASE();
    SHARED_STORE(&intf->out_cons, cons + (XENCONS_RING_IDX)n);
    return n;
}

size_t ring_in_space(const struct cons_ring *r)
{
    XENCONS_RING_IDX cons = SHARED_LOAD(&r->intf->in_cons);
    XENCONS_RING_IDX prod = SHARED_LOAD(&r->intf->in_prod);
    XENCONS_RING_IDX used = prod - cons;

    return used > RING_IN_SIZE ? 0 : RING_IN_SIZE - used;
}

size_t ring_in_put(struct cons_ring *r, const char *src, size_t len)
{
    struct xencons_interface *intf = r->intf;
    XENCONS_RING_IDX cons = SHARED_LOAD(&intf->in_cons);
    XENCONS_RING_IDX prod = SHARED_LOAD(&intf->in_prod);
    XENCONS_RING_IDX used = prod - cons;

    /* The guest's consumption is read before we overwrite what it freed. */
    FENCE_ACQUIRE();
    if (used > RING_IN_SIZE) {
        r->in_broken++;
        return 0;
    }

    size_t space = RING_IN_SIZE - used;
    size_t n = len < space ? len : space;
    size_t off = MASK_XENCONS_IDX(prod, intf->in);
    size_t first = RING_IN_SIZE - off;
    if (first > n)
        first = n;
    memcpy(intf->in + off, src, first);
    memcpy(intf->in, src + first, n - first);

    /* The data is visible before the index that publishes it (wmb). */
    FENCE_RELEASE();
    SHARED_STORE(&intf->in_prod, prod + (XENCONS_RING_IDX)n);
    return n;
}

/* ---- backlog ------------------------------------------------------------ */

int backlog_init(struct backlog *b, size_t cap)
{
    memset(b, 0, sizeof(*b));
    if (cap == 0)
        return -1;
    b->buf = malloc(cap);
    if (!b->buf)
        return -1;
    b->cap = cap;
    return 0;
}

void backlog_free(struct backlog *b)
{
    free(b->buf);
    memset(b, 0, sizeof(*b));
}

static void backlog_drop(struct backlog *b, size_t n)
{
    b->head = (b->head + n) % b->cap;
    b->len -= n;
    if (b->len == 0)
        b->head = 0;
}

void backlog_push(struct backlog *b, const char *src, size_t n)
{
    if (n > b->cap) {
        /* Only the newest cap bytes can be kept. */
        b->dropped += n - b->cap;
        src += n - b->cap;
        n = b->cap;
    }
    size_t room = b->cap - b->len;
    if (n > room) {
        b->dropped += n - room;
        backlog_drop(b, n - room);
    }

    size_t tail = (b->head + b->len) % b->cap;
    size_t first = b->cap - tail;
    if (first > n)
        first = n;
    memcpy(b->buf + tail, src, first);
    memcpy(b->buf, src + first, n - first);
    b->len += n;
}

void backlog_clear(struct backlog *b)
{
    b->dropped += b->len;
    b->head = 0;
    b->len = 0;
}

ssize_t backlog_flush(struct backlog *b, backlog_write_fn *write_fn, void *ctx)
{
    size_t total = 0;

    while (b->len > 0) {
        size_t chunk = b->cap - b->head;    /* contiguous bytes from head */
        if (chunk > b->len)
            chunk = b->len;
        ssize_t w = write_fn(ctx, b->buf + b->head, chunk);
        if (w < 0)
            return -1;
        if ((size_t)w > chunk)      /* a broken callback; trust no more */
            w = (ssize_t)chunk;
        backlog_drop(b, (size_t)w);
        total += (size_t)w;
        if ((size_t)w < chunk)
            break;
    }
    return (ssize_t)total;
}
