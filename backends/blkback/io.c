/*
 * The request engine (see blkio.h).  One batch:
 *   1. take: copy each slot once, decode it, reserve its bounce space;
 *   2. fetch the indirect segment lists (one grant copy for the batch);
 *   3. writes: frontend pages -> bounce (one grant copy for the batch);
 *   4. disk: reads and writes together (disk_rw), flush/barrier/discard
 *      in order between them;
 *   5. reads: bounce -> frontend pages (one grant copy);
 *   6. answer every request, push once.
 * A request that fails anywhere is answered with an error and skips the
 * later steps; the others in the batch go on.
 */
#define _GNU_SOURCE
#include "blkio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ring.h"

#define CNT_ADD(field, v) __atomic_fetch_add(&(field), (uint64_t)(v), __ATOMIC_RELAXED)

static void *map_anon(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

int blk_ring_setup(struct blk_ring *r, void *sring, unsigned order, domid_t domid,
                   const struct blk_disk *disk, const struct blk_limits *lim,
                   const struct blk_copier *copier, size_t bounce_size)
{
    blkif_sring_t *s = sring;

    memset(r, 0, sizeof(*r));
    if (bounce_size < (size_t)BLK_MAX_INDIRECT_SEGS * BLK_PAGE_SIZE)
        bounce_size = (size_t)BLK_MAX_INDIRECT_SEGS * BLK_PAGE_SIZE;
    RING_IDX start = __atomic_load_n(&s->rsp_prod, __ATOMIC_ACQUIRE);
    BACK_RING_ATTACH(&r->br, s, start, (size_t)BLK_PAGE_SIZE << order);
    r->domid = domid;
    r->disk = disk;
    r->lim = lim;
    r->copier = *copier;
    r->slots = RING_SIZE(&r->br);
    r->bounce_size = bounce_size;
    r->ind_cap = r->slots * (unsigned)BLK_MAX_IND_PAGES;
    r->ops_cap = (unsigned)(bounce_size / BLK_PAGE_SIZE);
    if (r->ops_cap < r->ind_cap)
        r->ops_cap = r->ind_cap;
    r->reqs = calloc(r->slots, sizeof(*r->reqs));
    r->ios = calloc(r->slots, sizeof(*r->ios));
    r->io_req = calloc(r->slots, sizeof(*r->io_req));
    r->ops = calloc(r->ops_cap, sizeof(*r->ops));
    r->op_req = calloc(r->ops_cap, sizeof(*r->op_req));
    r->bounce = map_anon(bounce_size);
    r->ind = map_anon((size_t)r->ind_cap * BLK_PAGE_SIZE);
    if (!r->reqs || !r->ios || !r->io_req || !r->ops || !r->op_req || !r->bounce || !r->ind) {
        blk_ring_teardown(r);
        return -ENOMEM;
    }
    r->aio = disk_aio_create(r->slots);
    return 0;
}

void blk_ring_teardown(struct blk_ring *r)
{
    disk_aio_destroy(r->aio);
    free(r->reqs);
    free(r->ios);
    free(r->io_req);
    free(r->ops);
    free(r->op_req);
    if (r->bounce)
        munmap(r->bounce, r->bounce_size);
    if (r->ind)
        munmap(r->ind, (size_t)r->ind_cap * BLK_PAGE_SIZE);
    r->reqs = NULL;
    r->ios = NULL;
    r->io_req = NULL;
    r->ops = NULL;
    r->op_req = NULL;
    r->bounce = r->ind = NULL;
    r->aio = NULL;
}

static void fail(struct blkreq *q, int16_t status, const char *why)
{
    if (q->status == BLKIF_RSP_OKAY) {
        q->status = status;
        q->why = why;
    }
}

/* ---- 1. take ------------------------------------------------------------ */

static int take_batch(struct blk_ring *r)
{
    RING_IDX prod;
    int avail = blkring_available(&r->br, &prod);

    if (avail < 0) {
        snprintf(r->fatal, sizeof(r->fatal),
                 "req_prod %u is %u ahead of rsp_prod %u on a ring of %u slots",
                 prod, (unsigned)(prod - r->br.rsp_prod_pvt), r->br.rsp_prod_pvt,
                 RING_SIZE(&r->br));
        return -1;
    }
    size_t bounce_used = 0;
    unsigned ind_used = 0, n = 0;
    while (n < (unsigned)avail && n < r->slots) {
        blkif_request_t raw;
        struct blkreq *q = &r->reqs[n];

        blkring_peek(&r->br, &raw);
        blkreq_decode(&raw, r->lim, q);
        size_t need = blkreq_max_bytes(q);
        if (need > r->bounce_size - bounce_used || q->nr_ind_pages > r->ind_cap - ind_used)
            break;                  /* next batch; n > 0 as one request always fits */
        q->bounce_off = bounce_used;
        bounce_used += need;
        q->ind_page = ind_used;
        ind_used += q->nr_ind_pages;
        blkring_consume(&r->br);
        CNT_ADD(r->cnt.reqs[q->kind], 1);
        if (q->indirect)
            CNT_ADD(r->cnt.indirect, 1);
        n++;
    }
    return (int)n;
}

/* ---- grant copies ------------------------------------------------------- */

/*
 * Runs ops[0..nops).  A failed segment fails its request.  If the call as
 * a whole fails, each request's run of ops is tried on its own so that one
 * request cannot fail the batch.
 */
static void run_copies(struct blk_ring *r, unsigned nops, const char *why)
{
    if (nops == 0)
        return;
    if (r->copier.copy(r->copier.ctx, nops, r->ops) < 0) {
        unsigned i = 0;
        while (i < nops) {
            unsigned j = i + 1;
            while (j < nops && r->op_req[j] == r->op_req[i])
                j++;
            if (r->copier.copy(r->copier.ctx, j - i, r->ops + i) < 0) {
                for (unsigned k = i; k < j; k++)
                    r->ops[k].status = GNTST_general_error;
            }
            i = j;
        }
    }
    for (unsigned i = 0; i < nops; i++)
        if (r->ops[i].status != GNTST_okay)
            fail(&r->reqs[r->op_req[i]], BLKIF_RSP_ERROR, why);
}

/* ---- 2. indirect segment lists ------------------------------------------ */

static void fetch_indirect(struct blk_ring *r, unsigned n)
{
    unsigned nops = 0;

    for (unsigned i = 0; i < n; i++) {
        const struct blkreq *q = &r->reqs[i];
        if (!q->indirect || q->status != BLKIF_RSP_OKAY)
            continue;
        for (unsigned p = 0; p < q->nr_ind_pages; p++) {
            unsigned segs = q->nr_segs - p * (unsigned)BLK_SEGS_PER_IND_PAGE;
            if (segs > BLK_SEGS_PER_IND_PAGE)
                segs = BLK_SEGS_PER_IND_PAGE;
            xengnttab_grant_copy_segment_t *op = &r->ops[nops];
            memset(op, 0, sizeof(*op));
            op->source.foreign.ref = q->ind_grefs[p];
            op->source.foreign.offset = 0;
            op->source.foreign.domid = r->domid;
            op->dest.virt = r->ind + (size_t)(q->ind_page + p) * BLK_PAGE_SIZE;
            op->len = (uint16_t)(segs * sizeof(struct blkif_request_segment));
            op->flags = GNTCOPY_source_gref;
            r->op_req[nops++] = i;
        }
    }
    if (nops == 0)
        return;
    run_copies(r, nops, "grant copy of an indirect page failed");
    for (unsigned i = 0; i < n; i++) {
        struct blkreq *q = &r->reqs[i];
        if (q->indirect && q->status == BLKIF_RSP_OKAY)
            blkreq_decode_indirect(q, r->ind + (size_t)q->ind_page * BLK_PAGE_SIZE, r->lim);
    }
}

/* ---- 3 and 5. data ------------------------------------------------------ */

/* to_disk: the writes' data, frontend -> bounce; else the reads' data,
 * bounce -> frontend. */
static void copy_data(struct blk_ring *r, unsigned n, bool to_disk)
{
    unsigned nops = 0;

    for (unsigned i = 0; i < n; i++) {
        const struct blkreq *q = &r->reqs[i];
        if (q->status != BLKIF_RSP_OKAY || !blkreq_has_data(q) || blkreq_is_write(q) != to_disk)
            continue;
        uint8_t *buf = r->bounce + q->bounce_off;
        for (unsigned s = 0; s < q->nr_segs; s++) {
            xengnttab_grant_copy_segment_t *op = &r->ops[nops];
            memset(op, 0, sizeof(*op));
            if (to_disk) {
                op->source.foreign.ref = q->seg[s].gref;
                op->source.foreign.offset = q->seg[s].offset;
                op->source.foreign.domid = r->domid;
                op->dest.virt = buf;
                op->flags = GNTCOPY_source_gref;
            } else {
                op->source.virt = buf;
                op->dest.foreign.ref = q->seg[s].gref;
                op->dest.foreign.offset = q->seg[s].offset;
                op->dest.foreign.domid = r->domid;
                op->flags = GNTCOPY_dest_gref;
            }
            op->len = q->seg[s].len;
            buf += q->seg[s].len;
            r->op_req[nops++] = i;
        }
    }
    run_copies(r, nops, to_disk ? "grant copy from the frontend failed (bad grant?)"
                                : "grant copy to the frontend failed (bad grant?)");
}

/* ---- 4. disk ------------------------------------------------------------ */

static void queue_rw(struct blk_ring *r, unsigned i, unsigned *nio)
{
    const struct blkreq *q = &r->reqs[i];
    struct blk_io *io = &r->ios[*nio];

    io->write = blkreq_is_write(q);
    io->off = q->sector << BLK_SECTOR_SHIFT;
    io->buf = r->bounce + q->bounce_off;
    io->len = q->bytes;
    io->result = 0;
    r->io_req[(*nio)++] = i;
}

static void submit_rw(struct blk_ring *r, unsigned *nio)
{
    if (*nio == 0)
        return;
    disk_rw(r->disk, r->aio, r->ios, *nio);
    for (unsigned k = 0; k < *nio; k++) {
        struct blkreq *q = &r->reqs[r->io_req[k]];
        if (r->ios[k].result < 0)
            fail(q, BLKIF_RSP_ERROR, "disk I/O failed");
        else if (r->ios[k].write)
            CNT_ADD(r->cnt.bytes_written, r->ios[k].len);
        else
            CNT_ADD(r->cnt.bytes_read, r->ios[k].len);
    }
    *nio = 0;
}

static int16_t status_of(int rc)
{
    if (rc == 0)
        return BLKIF_RSP_OKAY;
    return rc == -EOPNOTSUPP || rc == -ENOTSUP ? BLKIF_RSP_EOPNOTSUPP : BLKIF_RSP_ERROR;
}

/* FLUSH_DISKCACHE and WRITE_BARRIER: what came before reaches stable
 * storage first (Linux's blkback maps both to a PREFLUSH write); a
 * barrier's own data is flushed too, so that nothing after it overtakes it. */
static void do_flush(struct blk_ring *r, unsigned i, unsigned *nio)
{
    struct blkreq *q = &r->reqs[i];

    submit_rw(r, nio);
    int rc = disk_flush(r->disk);
    if (rc == 0 && blkreq_has_data(q)) {
        queue_rw(r, i, nio);
        submit_rw(r, nio);
        if (q->status == BLKIF_RSP_OKAY && q->kind == BLKREQ_BARRIER)
            rc = disk_flush(r->disk);
    }
    if (rc)
        fail(q, status_of(rc), "flush failed");
}

static void do_discard(struct blk_ring *r, unsigned i, unsigned *nio)
{
    struct blkreq *q = &r->reqs[i];

    submit_rw(r, nio);
    int rc = disk_discard(r->disk, q->sector << BLK_SECTOR_SHIFT,
                          q->nr_sectors << BLK_SECTOR_SHIFT);
    if (rc)
        fail(q, status_of(rc), "discard failed");
}

static void do_disk(struct blk_ring *r, unsigned n)
{
    unsigned nio = 0;

    for (unsigned i = 0; i < n; i++) {
        const struct blkreq *q = &r->reqs[i];
        if (q->status != BLKIF_RSP_OKAY)
            continue;
        switch (q->kind) {
        case BLKREQ_READ:
        case BLKREQ_WRITE:
            queue_rw(r, i, &nio);
            break;
        case BLKREQ_FLUSH:
        case BLKREQ_BARRIER:
            do_flush(r, i, &nio);
            break;
        case BLKREQ_DISCARD:
            do_discard(r, i, &nio);
            break;
        default:
            break;
        }
    }
    submit_rw(r, &nio);
}

/* ---- 6. answers --------------------------------------------------------- */

static bool respond(struct blk_ring *r, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        const struct blkreq *q = &r->reqs[i];
        if (q->status == BLKIF_RSP_ERROR)
            CNT_ADD(r->cnt.errors, 1);
        else if (q->status == BLKIF_RSP_EOPNOTSUPP)
            CNT_ADD(r->cnt.unsupported, 1);
        blkring_respond(&r->br, q->id, q->rsp_op, q->status);
    }
    CNT_ADD(r->cnt.batches, 1);
    return blkring_push(&r->br);
}

int blk_ring_service(struct blk_ring *r)
{
    bool notify = false;

    r->more = false;
    for (unsigned b = 0; b < BLK_BATCHES_PER_CALL; b++) {
        int n = take_batch(r);
        if (n < 0)
            return -1;
        if (n == 0) {
            if (!blkring_final_check(&r->br))
                return notify;
            continue;
        }
        fetch_indirect(r, (unsigned)n);
        copy_data(r, (unsigned)n, true);
        do_disk(r, (unsigned)n);
        copy_data(r, (unsigned)n, false);
        notify |= respond(r, (unsigned)n);
    }
    r->more = true;
    return notify;
}

void blk_counters_add(struct blk_counters *dst, const struct blk_counters *src)
{
#define ADD(f) dst->f += __atomic_load_n(&src->f, __ATOMIC_RELAXED)
    for (unsigned k = 0; k < BLKREQ_NKINDS; k++)
        ADD(reqs[k]);
    ADD(indirect);
    ADD(bytes_read);
    ADD(bytes_written);
    ADD(errors);
    ADD(unsupported);
    ADD(batches);
#undef ADD
}
