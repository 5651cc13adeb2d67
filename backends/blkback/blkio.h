/*
 * One ring's request engine: takes the requests the frontend posts (as
 * many as the bounce buffer holds), moves the data with grant copies
 * between the frontend's pages and a local bounce buffer, and keeps the
 * disk busy: requests are taken while earlier ones are still on the disk,
 * and each is answered when its I/O completes.
 *
 * Grant copy, not grant map: dom0 has no IOMMU under splitvisor, so a
 * grant-mapped page's dom0 frame is not the machine address a disk
 * controller would DMA to.  The bounce buffer is ordinary dom0 memory,
 * which is, and O_DIRECT I/O on it is safe.
 *
 * The Xen side is behind struct blk_copier (xengnttab_grant_copy in the
 * daemon, a fake guest memory in the tests) and the disk behind struct
 * blk_iodrv (Linux AIO, or a fake), so this file runs on a host.
 */
#ifndef BLKIO_H
#define BLKIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xengnttab.h>

#include "blkproto.h"
#include "disk.h"
#include "req.h"

/* Bounce buffer per ring: the data of the requests in flight (8 x 1 MiB,
 * or 2048 x 4 KiB). */
#define BLK_BOUNCE_BYTES   (8u << 20)
/* Passes (collect, take, copy, submit, answer) per blk_ring_service call
 * before it returns to let the caller look at its stop flag. */
#define BLK_PASSES_PER_CALL 64u

struct blk_copier {
    /* Does segs[0..count); each segment's status says how it went.  0, or
     * -1 with errno if the call as a whole failed. */
    int (*copy)(void *ctx, uint32_t count, xengnttab_grant_copy_segment_t *segs);
    void *ctx;
};

/* Updated by the ring's thread with relaxed atomics (CNT_ADD); anyone may
 * read. */
#define CNT_ADD(field, v) __atomic_fetch_add(&(field), (uint64_t)(v), __ATOMIC_RELAXED)
struct blk_counters {
    uint64_t reqs[BLKREQ_NKINDS];
    uint64_t indirect;
    uint64_t bytes_read;
    uint64_t bytes_written;
    uint64_t errors;             /* answered BLKIF_RSP_ERROR */
    uint64_t unsupported;        /* answered BLKIF_RSP_EOPNOTSUPP */
    uint64_t batches;            /* passes that took requests */
    uint64_t segs;               /* data and indirect-page segments moved */
    uint64_t segs_mapped;        /* of those, by CPU copy from a kept mapping */
    uint64_t refs_mapped;        /* persistent grants mapped (pgrant.h) */
};

struct blk_slot;

struct blk_ring {
    blkif_back_ring_t br;
    domid_t domid;
    const struct blk_disk *disk;
    const struct blk_limits *lim;
    struct blk_copier copier;
    struct blk_iodrv io;
    bool own_io;                 /* opened by blk_ring_setup */
    unsigned slots;
    /* The request at ring index i is slot[i % slots] from when it is
     * taken (req_cons) until it is answered (rsp_prod_pvt): answers go
     * out in ring order, so that a restarted daemon that resumes at
     * rsp_prod takes again exactly what was not answered. */
    struct blk_slot *slot;
    unsigned undone;             /* taken, I/O not finished */
    unsigned inflight;           /* on the disk */
    unsigned *fresh;             /* [slots] taken in this pass */
    unsigned nfresh;
    unsigned *finished;          /* [slots] I/O finished, not yet handled */
    unsigned nfinished;
    struct blk_io **collected;   /* [slots] */
    struct blk_io **submit;      /* [slots] */
    /* Bounce space, allocated in ring order and freed in ring order (as
     * requests are answered): a circular buffer. */
    uint8_t *bounce;
    size_t bounce_size;
    size_t bounce_head;          /* next free byte */
    size_t bounce_held;          /* bytes held, gaps included */
    uint8_t *ind;                /* indirect pages, BLK_MAX_IND_PAGES per slot */
    xengnttab_grant_copy_segment_t *ops;
    unsigned *op_req;            /* slot of each op */
    unsigned ops_cap;
    struct blk_counters cnt;
    bool more;                   /* out: stopped with work left */
    char fatal[192];             /* why the frontend was cut off */
};

/*
 * Attaches to the shared ring at sring (2^order pages) and allocates the
 * buffers.  io: how to do disk I/O; NULL for Linux AIO on disk.  Serving
 * resumes at the ring's rsp_prod, as Linux's blkback does: a fresh ring
 * has 0 there; after a daemon restart the requests taken but not answered
 * are taken again.  0 or -errno.
 */
int blk_ring_setup(struct blk_ring *r, void *sring, unsigned order, domid_t domid,
                   const struct blk_disk *disk, const struct blk_limits *lim,
                   const struct blk_copier *copier, const struct blk_iodrv *io,
                   size_t bounce_size);
/* Waits for the I/O in flight (if the engine opened the driver) and frees
 * everything. */
void blk_ring_teardown(struct blk_ring *r);

/*
 * Does what can be done without waiting: collects finished I/O, answers
 * it, takes new requests and starts their I/O, until none of that makes
 * progress (or BLK_PASSES_PER_CALL passes; then r->more).  Call it again
 * when the frontend kicks or r->io.fd polls readable.  1 if the frontend
 * must be notified, 0 if not, -1 if it broke the ring protocol (r->fatal
 * says how; stop serving the ring).
 */
int blk_ring_service(struct blk_ring *r);

/*
 * Waits for every request taken to finish and answers them all; takes
 * no new one (before a stop: a daemon started later resumes at rsp_prod).
 * 1 if the frontend must be notified, else 0.
 */
int blk_ring_drain(struct blk_ring *r);

/* Requests taken and not yet answered. */
static inline unsigned blk_ring_busy(const struct blk_ring *r)
{
    return r->br.req_cons - r->br.rsp_prod_pvt;
}

/* dst += a snapshot of src. */
void blk_counters_add(struct blk_counters *dst, const struct blk_counters *src);

#endif
