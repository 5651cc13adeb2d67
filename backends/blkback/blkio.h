/*
 * One ring's request engine: takes every request the frontend has posted
 * (as many as the bounce buffer holds), moves the data with grant copies
 * between the frontend's pages and a local bounce buffer, does the disk
 * I/O for the whole batch at once, and answers with one push.
 *
 * Grant copy, not grant map: dom0 has no IOMMU under splitvisor, so a
 * grant-mapped page's dom0 frame is not the machine address a disk
 * controller would DMA to.  The bounce buffer is ordinary dom0 memory,
 * which is, and O_DIRECT I/O on it is safe.
 *
 * The Xen side is behind struct blk_copier (xengnttab_grant_copy in the
 * daemon, a fake guest memory in the tests), so this file runs on a host.
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

/* Bounce buffer per ring: the data of one batch (8 x 1 MiB requests, or
 * 2048 4 KiB ones). */
#define BLK_BOUNCE_BYTES   (8u << 20)
/* Batches served per blk_ring_service call before it returns to let the
 * caller look at its stop flag. */
#define BLK_BATCHES_PER_CALL 64u

struct blk_copier {
    /* Does segs[0..count); each segment's status says how it went.  0, or
     * -1 with errno if the call as a whole failed. */
    int (*copy)(void *ctx, uint32_t count, xengnttab_grant_copy_segment_t *segs);
    void *ctx;
};

/* Updated by the ring's thread with relaxed atomics; anyone may read. */
struct blk_counters {
    uint64_t reqs[BLKREQ_NKINDS];
    uint64_t indirect;
    uint64_t bytes_read;
    uint64_t bytes_written;
    uint64_t errors;             /* answered BLKIF_RSP_ERROR */
    uint64_t unsupported;        /* answered BLKIF_RSP_EOPNOTSUPP */
    uint64_t batches;
};

struct blk_ring {
    blkif_back_ring_t br;
    domid_t domid;
    const struct blk_disk *disk;
    const struct blk_limits *lim;
    struct blk_copier copier;
    struct blk_aio *aio;         /* NULL: synchronous I/O */
    unsigned slots;
    struct blkreq *reqs;         /* [slots] this batch's requests */
    struct blk_io *ios;          /* [slots] */
    unsigned *io_req;            /* [slots] request of each io */
    uint8_t *bounce;
    size_t bounce_size;
    uint8_t *ind;                /* indirect pages of a batch */
    unsigned ind_cap;            /* in pages */
    xengnttab_grant_copy_segment_t *ops;
    unsigned *op_req;            /* request of each op */
    unsigned ops_cap;
    struct blk_counters cnt;
    bool more;                   /* out: stopped with requests left */
    char fatal[192];             /* why the frontend was cut off */
};

/*
 * Attaches to the shared ring at sring (2^order pages) and allocates the
 * buffers.  Serving resumes at the ring's rsp_prod, as Linux's blkback
 * does: a fresh ring has 0 there; after a daemon restart the requests
 * taken but not answered are taken again.  0 or -errno.
 */
int blk_ring_setup(struct blk_ring *r, void *sring, unsigned order, domid_t domid,
                   const struct blk_disk *disk, const struct blk_limits *lim,
                   const struct blk_copier *copier, size_t bounce_size);
void blk_ring_teardown(struct blk_ring *r);

/*
 * Serves batches until the ring is empty (or BLK_BATCHES_PER_CALL; then
 * r->more).  1 if the frontend must be notified, 0 if not, -1 if it broke
 * the ring protocol (r->fatal says how; stop serving the ring).
 */
int blk_ring_service(struct blk_ring *r);

/* dst += a snapshot of src. */
void blk_counters_add(struct blk_counters *dst, const struct blk_counters *src);

#endif
