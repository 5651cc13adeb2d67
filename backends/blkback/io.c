/*
 * The request engine (see blkio.h).  Each blk_ring_service pass:
 *   1. collect the I/O the disk finished;
 *   2. take what the frontend posted: copy each slot once, decode it,
 *      reserve its bounce space (stop when the bounce buffer is full);
 *      flush, barrier and discard wait until nothing before them is
 *      unfinished, then run at once, before anything after them is taken;
 *   3. fetch the new requests' indirect segment lists (one grant copy);
 *   4. one grant copy: the finished reads' data to the frontend and the
 *      new writes' data from it;
 *   5. start the new reads and writes (one io_submit);
 *   6. answer, in ring order, every request that is done; push once.
 * Passes repeat until one makes no progress; the caller then sleeps until
 * the frontend kicks or the disk finishes something.  A request that fails
 * anywhere is answered with an error and skips the later steps; the others
 * go on.
 *
 * Answers in ring order: a request that finished early waits for the ones
 * taken before it.  Responses overwrite request slots from rsp_prod on, so
 * answering out of order would destroy unanswered requests, and a daemon
 * restarted after a crash resumes at rsp_prod; in order, it takes again
 * exactly what was not answered.  The disk still works on everything at
 * once and completes it in any order.
 */
#define _GNU_SOURCE
#include "blkio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ring.h"

/* One request from the moment it is taken until it is answered. */
struct blk_slot {
    struct blkreq req;
    struct blk_io io;
    size_t bounce_charge;        /* its bounce space and the gap skipped before it */
    bool done;                   /* ready to answer */
};

static void *map_anon(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static size_t ind_bytes(const struct blk_ring *r)
{
    return (size_t)r->slots * BLK_MAX_IND_PAGES * BLK_PAGE_SIZE;
}

int blk_ring_setup(struct blk_ring *r, void *sring, unsigned order, domid_t domid,
                   const struct blk_disk *disk, const struct blk_limits *lim,
                   const struct blk_copier *copier, const struct blk_iodrv *io,
                   size_t bounce_size)
{
    blkif_sring_t *s = sring;

    memset(r, 0, sizeof(*r));
    r->io.fd = -1;
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
    /* Per pass: indirect pages of the new requests (their own call), and
     * data segments of requests holding bounce space (a page each at
     * least): both fit. */
    r->ops_cap = (unsigned)(bounce_size / BLK_PAGE_SIZE);
    if (r->ops_cap < r->slots * (unsigned)BLK_MAX_IND_PAGES)
        r->ops_cap = r->slots * (unsigned)BLK_MAX_IND_PAGES;
    r->slot = calloc(r->slots, sizeof(*r->slot));
    r->fresh = calloc(r->slots, sizeof(*r->fresh));
    r->finished = calloc(r->slots, sizeof(*r->finished));
    r->collected = calloc(r->slots, sizeof(*r->collected));
    r->submit = calloc(r->slots, sizeof(*r->submit));
    r->ops = calloc(r->ops_cap, sizeof(*r->ops));
    r->op_req = calloc(r->ops_cap, sizeof(*r->op_req));
    r->bounce = map_anon(bounce_size);
    r->ind = map_anon(ind_bytes(r));
    if (!r->slot || !r->fresh || !r->finished || !r->collected || !r->submit || !r->ops ||
        !r->op_req || !r->bounce || !r->ind) {
        blk_ring_teardown(r);
        return -ENOMEM;
    }
    if (io) {
        r->io = *io;
    } else {
        int rc = disk_iodrv_open(&r->io, disk, r->slots);
        if (rc) {
            blk_ring_teardown(r);
            return rc;
        }
        r->own_io = true;
    }
    return 0;
}

void blk_ring_teardown(struct blk_ring *r)
{
    /* First: the disk may still be writing into the bounce buffer. */
    if (r->own_io && r->io.close)
        r->io.close(r->io.ctx);
    r->own_io = false;
    r->io.fd = -1;
    free(r->slot);
    free(r->fresh);
    free(r->finished);
    free(r->collected);
    free(r->submit);
    free(r->ops);
    free(r->op_req);
    if (r->bounce)
        munmap(r->bounce, r->bounce_size);
    if (r->ind)
        munmap(r->ind, ind_bytes(r));
    r->slot = NULL;
    r->fresh = r->finished = NULL;
    r->collected = r->submit = NULL;
    r->ops = NULL;
    r->op_req = NULL;
    r->bounce = r->ind = NULL;
}

static void fail(struct blkreq *q, int16_t status, const char *why)
{
    if (q->status == BLKIF_RSP_OKAY) {
        q->status = status;
        q->why = why;
    }
}

static int16_t status_of(int rc)
{
    if (rc == 0)
        return BLKIF_RSP_OKAY;
    return rc == -EOPNOTSUPP || rc == -ENOTSUP ? BLKIF_RSP_EOPNOTSUPP : BLKIF_RSP_ERROR;
}

/* A request's I/O finished (or it never had any): it may be answered
 * once everything taken before it is. */
static void set_done(struct blk_ring *r, unsigned i)
{
    r->slot[i].done = true;
    r->undone--;
}

/* ---- bounce space --------------------------------------------------------- */

/*
 * Reserves `need` contiguous bytes for slot i.  Space is taken in ring
 * order and given back in ring order (answer()), so the bounce buffer is a
 * circular buffer: the bytes held run from tail to bounce_head, wrapping;
 * a request that does not fit before the end starts again at 0 and is
 * charged the gap it skipped.  false if the space is not free now.
 */
static bool bounce_reserve(struct blk_ring *r, unsigned i, size_t need)
{
    struct blk_slot *s = &r->slot[i];
    size_t size = r->bounce_size, head = r->bounce_head, held = r->bounce_held;
    size_t off, gap = 0;

    if (need == 0) {
        s->req.bounce_off = 0;
        s->bounce_charge = 0;
        return true;
    }
    if (need > size - held)
        return false;
    if (held == 0)
        head = 0;                           /* empty: start over */
    size_t tail = held <= head ? head - held : head + size - held;
    if (tail <= head) {                     /* free: [head, size) and [0, tail) */
        if (size - head >= need) {
            off = head;
        } else if (tail >= need) {
            off = 0;
            gap = size - head;
        } else {
            return false;
        }
    } else if (tail - head >= need) {       /* free: [head, tail) */
        off = head;
    } else {
        return false;
    }
    s->req.bounce_off = off;
    s->bounce_charge = gap + need;
    r->bounce_head = off + need;
    r->bounce_held = held + gap + need;
    return true;
}

/* ---- grant copies --------------------------------------------------------- */

static const char *copy_failure(const xengnttab_grant_copy_segment_t *op)
{
    return (op->flags & GNTCOPY_source_gref) ? "grant copy from the frontend failed (bad grant?)"
                                             : "grant copy to the frontend failed (bad grant?)";
}

/*
 * Runs ops[0..nops).  A failed segment fails its request.  If the call as
 * a whole fails, each request's run of ops is tried on its own so that one
 * request cannot fail the others.
 */
static void run_copies(struct blk_ring *r, unsigned nops, const char *why)
{
    if (nops == 0)
        return;
    CNT_ADD(r->cnt.segs, nops);
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
            fail(&r->slot[r->op_req[i]].req, BLKIF_RSP_ERROR, why ? why : copy_failure(&r->ops[i]));
}

/* Appends the ops that move slot i's data: frontend -> bounce for a write,
 * bounce -> frontend for a read.  Runs what is queued first if they would
 * not fit (they always do: see ops_cap). */
static void add_data_ops(struct blk_ring *r, unsigned i, unsigned *nops)
{
    const struct blkreq *q = &r->slot[i].req;
    bool to_disk = blkreq_is_write(q);
    uint8_t *buf = r->bounce + q->bounce_off;

    if (*nops + q->nr_segs > r->ops_cap) {
        run_copies(r, *nops, NULL);
        *nops = 0;
    }
    for (unsigned s = 0; s < q->nr_segs; s++) {
        xengnttab_grant_copy_segment_t *op = &r->ops[*nops];
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
        r->op_req[(*nops)++] = i;
    }
}

/* The new requests' indirect segment lists: fetched with one copy, then
 * decoded from our copy only. */
static void fetch_indirect(struct blk_ring *r)
{
    unsigned nops = 0;

    for (unsigned k = 0; k < r->nfresh; k++) {
        unsigned i = r->fresh[k];
        const struct blkreq *q = &r->slot[i].req;
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
    for (unsigned k = 0; k < r->nfresh; k++) {
        struct blkreq *q = &r->slot[r->fresh[k]].req;
        if (q->indirect && q->status == BLKIF_RSP_OKAY)
            blkreq_decode_indirect(q, r->ind + (size_t)q->ind_page * BLK_PAGE_SIZE, r->lim);
    }
}

/* ---- disk ----------------------------------------------------------------- */

static void prepare_io(struct blk_ring *r, unsigned i)
{
    struct blk_slot *s = &r->slot[i];

    s->io = (struct blk_io){
        .write = blkreq_is_write(&s->req),
        .off = s->req.sector << BLK_SECTOR_SHIFT,
        .buf = r->bounce + s->req.bounce_off,
        .len = s->req.bytes,
    };
}

/* Slot i's read or write finished: record how. */
static void io_account(struct blk_ring *r, unsigned i)
{
    struct blk_slot *s = &r->slot[i];

    if (s->io.result < 0)
        fail(&s->req, BLKIF_RSP_ERROR, "disk I/O failed");
    else if (s->io.write)
        CNT_ADD(r->cnt.bytes_written, s->io.len);
    else
        CNT_ADD(r->cnt.bytes_read, s->io.len);
}

/* ... and it waits for step 4 of a pass (a read's data goes back). */
static void io_finished(struct blk_ring *r, unsigned i)
{
    io_account(r, i);
    r->finished[r->nfinished++] = i;
}

static unsigned slot_of_io(const struct blk_ring *r, const struct blk_io *io)
{
    const struct blk_slot *s =
        (const struct blk_slot *)((const char *)io - offsetof(struct blk_slot, io));
    return (unsigned)(s - r->slot);
}

/*
 * FLUSH_DISKCACHE, WRITE_BARRIER and DISCARD, with nothing taken before
 * them unfinished; nothing after them is taken until they return.  Flush
 * and barrier: what came before reaches stable storage first (Linux's
 * blkback maps both to a PREFLUSH write); a barrier's own data is flushed
 * too, so that nothing after it overtakes it.
 */
static void run_ordered(struct blk_ring *r, unsigned i)
{
    struct blkreq *q = &r->slot[i].req;
    int rc = 0;

    if (q->kind == BLKREQ_DISCARD) {
        rc = disk_discard(r->disk, q->sector << BLK_SECTOR_SHIFT,
                          q->nr_sectors << BLK_SECTOR_SHIFT);
        if (rc)
            fail(q, status_of(rc), "discard failed");
        set_done(r, i);
        return;
    }
    if (blkreq_has_data(q)) {
        unsigned nops = 0;
        add_data_ops(r, i, &nops);
        run_copies(r, nops, NULL);
        if (q->status != BLKIF_RSP_OKAY) {       /* never touches the disk */
            set_done(r, i);
            return;
        }
    }
    rc = disk_flush(r->disk);
    if (rc == 0 && blkreq_has_data(q)) {
        prepare_io(r, i);
        r->slot[i].io.result = disk_rw_sync(r->disk, &r->slot[i].io);
        io_account(r, i);
        if (q->status == BLKIF_RSP_OKAY && q->kind == BLKREQ_BARRIER)
            rc = disk_flush(r->disk);
    }
    if (rc)
        fail(q, status_of(rc), "flush failed");
    set_done(r, i);
}

/* ---- the pass ------------------------------------------------------------- */

static bool is_ordered(const struct blkreq *q)
{
    return q->status == BLKIF_RSP_OKAY &&
           (q->kind == BLKREQ_FLUSH || q->kind == BLKREQ_BARRIER || q->kind == BLKREQ_DISCARD);
}

/*
 * Step 2.  Number taken, or -1 if req_prod is hostile.  *blocked: stopped
 * with requests left, until the disk finishes something (bounce space, or
 * a flush waiting for what came before it).
 */
static int take(struct blk_ring *r, bool *blocked)
{
    RING_IDX prod;
    int avail = blkring_available(&r->br, &prod);

    *blocked = false;
    if (avail < 0) {
        snprintf(r->fatal, sizeof(r->fatal),
                 "req_prod %u is %u ahead of rsp_prod %u on a ring of %u slots",
                 prod, (unsigned)(prod - r->br.rsp_prod_pvt), r->br.rsp_prod_pvt,
                 RING_SIZE(&r->br));
        return -1;
    }
    /* blkring_available: at most slots - busy, so slot i is free. */
    unsigned n = 0;
    while (n < (unsigned)avail) {
        unsigned i = r->br.req_cons % r->slots;
        struct blkreq *q = &r->slot[i].req;
        blkif_request_t raw;

        blkring_peek(&r->br, &raw);
        blkreq_decode(&raw, r->lim, q);
        bool ordered = is_ordered(q);
        if ((ordered && r->undone > 0) || !bounce_reserve(r, i, blkreq_max_bytes(q))) {
            *blocked = true;        /* taken again (a fresh copy) later */
            break;
        }
        q->ind_page = i * (unsigned)BLK_MAX_IND_PAGES;
        r->slot[i].done = false;
        blkring_consume(&r->br);
        r->undone++;
        n++;
        CNT_ADD(r->cnt.reqs[q->kind], 1);
        if (q->indirect)
            CNT_ADD(r->cnt.indirect, 1);
        if (ordered)
            run_ordered(r, i);
        else
            r->fresh[r->nfresh++] = i;
    }
    if (n > 0)
        CNT_ADD(r->cnt.batches, 1);
    return (int)n;
}

/* Step 5: the new reads and writes go to the disk together; the others
 * are done. */
static void start_io(struct blk_ring *r)
{
    unsigned n = 0;

    for (unsigned k = 0; k < r->nfresh; k++) {
        unsigned i = r->fresh[k];
        const struct blkreq *q = &r->slot[i].req;
        if (q->status != BLKIF_RSP_OKAY || (q->kind != BLKREQ_READ && q->kind != BLKREQ_WRITE)) {
            set_done(r, i);
            continue;
        }
        prepare_io(r, i);
        r->submit[n++] = &r->slot[i].io;
    }
    if (n == 0)
        return;
    r->io.submit(r->io.ctx, r->submit, n);
    for (unsigned k = 0; k < n; k++) {
        if (r->submit[k]->done)         /* finished at once: next pass */
            io_finished(r, slot_of_io(r, r->submit[k]));
        else
            r->inflight++;
    }
}

/* Step 6: every done request from rsp_prod on, in ring order. */
static bool answer(struct blk_ring *r)
{
    unsigned n = 0;

    while (r->br.rsp_prod_pvt != r->br.req_cons) {
        struct blk_slot *s = &r->slot[r->br.rsp_prod_pvt % r->slots];
        if (!s->done)
            break;
        if (s->req.status == BLKIF_RSP_ERROR)
            CNT_ADD(r->cnt.errors, 1);
        else if (s->req.status == BLKIF_RSP_EOPNOTSUPP)
            CNT_ADD(r->cnt.unsupported, 1);
        blkring_respond(&r->br, s->req.id, s->req.rsp_op, s->req.status);
        r->bounce_held -= s->bounce_charge;
        n++;
    }
    return n > 0 && blkring_push(&r->br);
}

/*
 * One pass (see the top of the file).  take_new false: only finish what
 * is taken; wait: block until the disk finishes something.  *progress:
 * anything collected, taken or finished, so another pass may do more.
 */
static int pass(struct blk_ring *r, bool take_new, bool wait, bool *notify, bool *progress,
                bool *blocked)
{
    unsigned ncollected = 0;
    int took = 0;

    *blocked = false;
    r->nfresh = 0;
    if (r->inflight > 0) {
        ncollected = r->io.collect(r->io.ctx, r->collected, r->slots, wait);
        for (unsigned k = 0; k < ncollected; k++)
            io_finished(r, slot_of_io(r, r->collected[k]));
        r->inflight -= ncollected;
    }
    if (take_new) {
        took = take(r, blocked);
        if (took < 0)
            return -1;
    }
    fetch_indirect(r);

    unsigned nops = 0;
    for (unsigned k = 0; k < r->nfinished; k++) {
        const struct blkreq *q = &r->slot[r->finished[k]].req;
        if (q->status == BLKIF_RSP_OKAY && !blkreq_is_write(q))
            add_data_ops(r, r->finished[k], &nops);
    }
    for (unsigned k = 0; k < r->nfresh; k++) {
        const struct blkreq *q = &r->slot[r->fresh[k]].req;
        if (q->status == BLKIF_RSP_OKAY && blkreq_has_data(q) && blkreq_is_write(q))
            add_data_ops(r, r->fresh[k], &nops);
    }
    run_copies(r, nops, NULL);

    unsigned nfinished = r->nfinished;
    for (unsigned k = 0; k < nfinished; k++)
        set_done(r, r->finished[k]);
    r->nfinished = 0;
    start_io(r);
    *notify |= answer(r);
    *progress = ncollected > 0 || took > 0 || nfinished > 0 || r->nfinished > 0;
    return 0;
}

int blk_ring_service(struct blk_ring *r)
{
    bool notify = false, progress, blocked;

    r->more = false;
    for (unsigned p = 0; p < BLK_PASSES_PER_CALL; p++) {
        if (pass(r, true, false, &notify, &progress, &blocked) < 0)
            return -1;
        if (progress)
            continue;
        /* The disk has I/O of ours in flight (always so when blocked): its
         * completion wakes us and we look at the ring then, so the
         * frontend need not kick us (req_event stays unarmed: at depth
         * that saves a kick, a hypercall and an interrupt per request).
         * Idle: arm req_event and look once more. */
        if (blocked || r->inflight > 0 || !blkring_final_check(&r->br))
            return notify;
    }
    r->more = true;
    return notify;
}

int blk_ring_drain(struct blk_ring *r)
{
    bool notify = false, progress, blocked;

    while (blk_ring_busy(r) > 0) {
        pass(r, false, r->inflight > 0, &notify, &progress, &blocked);
        if (!progress && r->inflight == 0)
            break;                  /* cannot happen: everything taken is done */
    }
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
    ADD(segs);
    ADD(segs_mapped);
    ADD(refs_mapped);
#undef ADD
}
