/*
 * What the pure data-path files (tx.c, rx.c, offload.c, csum.c) share: the
 * netif ring types from <xen/io/netif.h>, the barriers its macros need, the
 * grant-copy hook and the per-vif counters.  Nothing here touches a device,
 * so the unit tests drive these files with an in-memory ring and a fake
 * grant copy (tests/fake_gnt.c).
 */
#ifndef NB_RING_H
#define NB_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* <xen/io/ring.h> leaves the barriers to its includer.  x86 is TSO: the
 * read and write barriers only have to stop the compiler, the full one
 * orders a store before a later load (mfence). */
#ifndef xen_mb
#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif

#include <xen/grant_table.h>
#include <xen/io/netif.h>
#include <xengnttab.h>

#define NB_PAGE_SIZE      4096u
/* A frame as the netif ABI can carry it: first request's size is 16 bits. */
#define NB_FRAME_MAX      XEN_NETIF_MAX_TX_SIZE
#define NB_ETH_HLEN       14u
/* Data slots per packet that every frontend may use (netif.h). */
#define NB_MAX_SLOTS      XEN_NETIF_NR_SLOTS_MIN
/* Extra-info slots per packet: at most one of each known type. */
#define NB_MAX_EXTRAS     (XEN_NETIF_EXTRA_TYPE_MAX - 1)

/*
 * The grant copy, as xengnttab_grant_copy: fills each segment's status;
 * returns 0, or a negative errno if the call as a whole failed (then no
 * status can be trusted).  vif.c passes the real one, tests a fake.
 */
struct nb_copy_ops {
    int (*copy)(void *ctx, uint32_t count, xengnttab_grant_copy_segment_t *segs);
    void *ctx;
};

/* Per-vif counters: written by the vif's thread, read by the main thread
 * (SIGUSR1, disconnect).  "from guest" is the guest's transmit ring, "to
 * guest" its receive ring. */
struct nb_counters {
    atomic_uint_fast64_t from_guest_packets, from_guest_bytes;
    atomic_uint_fast64_t from_guest_dropped, from_guest_errors;
    atomic_uint_fast64_t to_guest_packets, to_guest_bytes;
    atomic_uint_fast64_t to_guest_dropped, to_guest_errors;
};

static inline void nb_count(atomic_uint_fast64_t *c, uint64_t n)
{
    atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static inline uint64_t nb_counter(const atomic_uint_fast64_t *c)
{
    return atomic_load_explicit(c, memory_order_relaxed);
}

/* What one run of an engine (tx_run, rx_run) ended with. */
enum nb_run {
    NB_RUN_IDLE,      /* nothing left to do until the next event */
    NB_RUN_MORE,      /* budget spent, work left: run again soon */
    NB_RUN_BLOCKED,   /* rx only: a frame waits for rx requests */
    NB_RUN_FATAL,     /* the frontend broke the ring protocol: disconnect */
};

/* The producer index a hostile frontend writes: read it once. */
static inline RING_IDX nb_read_idx(const RING_IDX *p)
{
    RING_IDX v = *(const volatile RING_IDX *)p;
    xen_rmb();      /* the requests up to v are read after v */
    return v;
}

#endif
