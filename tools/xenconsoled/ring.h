/*
 * The console ring (struct xencons_interface, <xen/io/console.h>) seen from
 * the backend, and the bounded backlog that feeds a pty.  Pure C: no Xen
 * library, no system call, so test_ring.c runs it on the host.
 *
 * The shared page belongs to a guest that may be hostile.  Every index is
 * read once into a local; a ring whose indexes are impossible is never
 * trusted for a length.  The backend owns out_cons and in_prod, the guest
 * owns out_prod and in_cons; data written by one side is published by a
 * release fence before its index, and read after an acquire fence that
 * follows the index read (the same pairing as Xen's wmb/rmb/mb).
 */
#ifndef XENCONSOLED_RING_H
#define XENCONSOLED_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <xen/io/console.h>

struct cons_ring {
    struct xencons_interface *intf;
    /* Times out_prod was found more than sizeof(out) ahead of out_cons
     * (out_cons was then set to out_prod).  The caller warns on the first. */
    unsigned long out_resyncs;
    /* Times in_prod - in_cons was larger than sizeof(in) (input dropped). */
    unsigned long in_broken;
};

#define RING_OUT_SIZE sizeof(((struct xencons_interface *)0)->out)
#define RING_IN_SIZE  sizeof(((struct xencons_interface *)0)->in)

void ring_init(struct cons_ring *r, struct xencons_interface *intf);

/* Bytes the guest has produced and we have not consumed; 0 when the
 * indexes are broken (the next ring_out_take resyncs them). */
size_t ring_out_avail(const struct cons_ring *r);

/* Copies at most max bytes of guest output to dst, oldest first, and
 * advances out_cons past them.  Returns the count.  A broken producer
 * index makes it resync (out_cons = out_prod), count it in out_resyncs
 * and return 0. */
size_t ring_out_take(struct cons_ring *r, char *dst, size_t max);

/* Free bytes in in[]; 0 when full or broken. */
size_t ring_in_space(const struct cons_ring *r);

/* Puts at most len bytes of src into in[] (no more than the free space)
 * and publishes them with in_prod.  Returns the count; 0 when broken
 * (counted in in_broken). */
size_t ring_in_put(struct cons_ring *r, const char *src, size_t len);

/*
 * Backlog: the bytes waiting for the pty.  A bounded FIFO; when a push
 * does not fit, the oldest bytes are dropped (so a reader who attaches
 * late sees the most recent output, and the guest never waits for one).
 */
struct backlog {
    char *buf;
    size_t cap;     /* bytes buf can hold */
    size_t head;    /* index of the oldest byte */
    size_t len;     /* bytes held */
    unsigned long long dropped;   /* bytes dropped so far */
};

/* Returns 0, or -1 if cap is 0 or the buffer cannot be allocated. */
int backlog_init(struct backlog *b, size_t cap);
void backlog_free(struct backlog *b);
void backlog_push(struct backlog *b, const char *src, size_t n);
/* Drops everything held (counted in dropped). */
void backlog_clear(struct backlog *b);
static inline bool backlog_empty(const struct backlog *b) { return b->len == 0; }

/*
 * Writes the backlog out through write_fn, oldest first, until it is empty
 * or write_fn accepts fewer bytes than offered.  write_fn returns the
 * bytes it took (0 when it would block) or -1 on a hard error.
 * Returns the bytes written, or -1 if write_fn failed (what was written
 * before the failure is gone from the backlog).
 */
typedef ssize_t backlog_write_fn(void *ctx, const char *data, size_t n);
ssize_t backlog_flush(struct backlog *b, backlog_write_fn *write_fn, void *ctx);

#endif
