/*
 * Disk programs on blkfront:
 *   blk_verify  write the pattern (include/splitvisor/blkpattern.h) over a
 *               region in mixed request sizes with several requests in
 *               flight, flush, read it all back in another order, compare
 *   blk_check   only read and compare (data dom0 wrote before we booted)
 *   blk_ops     flush, discard, and the errors the backend must give:
 *               past the end, writes to a read-only disk
 *   blk_bench   sequential 1 MiB and random 4 KiB, read and write, at
 *               queue depth 1 and 32: MiB/s and IOPS
 * Options (command line): blk_seed=S blk_mib=M blk_off_mib=O (verify),
 * chk_seed, chk_mib, chk_off_mib (check), blk_qd=Q, bench_ms=T bench_mib=M.
 */
#include "diskprog.h"
#include <splitvisor/blkpattern.h>

#define ENGINE_MAX_QD   32

/* Buffers for ENGINE_MAX_QD requests of up to bytes each. */
static uint64_t buffers(uint32_t qd, uint32_t bytes)
{
    static uint64_t base, have;
    uint64_t want = (uint64_t)qd * bytes;
    if (want <= have)
        return base;
    if (base)
        for (uint64_t off = 0; off < have; off += PAGE_SIZE)
            frame_free(base + off);
    base = frame_alloc_contig((want + PAGE_SIZE - 1) / PAGE_SIZE, 1);
    have = base ? want : 0;
    return base;
}

/* ---- a queue-depth engine: next() makes I/Os, done() looks at them ---- */

struct engine {
    struct blkdev *d;
    uint32_t qd, buf_bytes;
    uint64_t buf_base;
    /* Fills io (op, sector, bytes; pa is set) for the next I/O; false: no more. */
    bool (*next)(struct engine *e, struct blk_io *io);
    /* A completed I/O: NULL or why the run fails. */
    const char *(*done)(struct engine *e, struct blk_io *io);
    void *ctx;
    uint64_t ops, bytes;
};

static const char *engine_run(struct engine *e)
{
    static struct blk_io ios[ENGINE_MAX_QD];
    bool busy[ENGINE_MAX_QD] = { false }, more = true;
    uint32_t inflight = 0;
    const char *why = NULL;
    uint64_t idle_since = rdtsc();

    if (e->qd > ENGINE_MAX_QD)
        e->qd = ENGINE_MAX_QD;
    while ((more && !why) || inflight) {
        bool progress = false;
        for (uint32_t i = 0; i < e->qd && more && !why; i++) {
            if (busy[i])
                continue;
            struct blk_io *io = &ios[i];
            memset(io, 0, sizeof(*io));
            io->pa = e->buf_base + (uint64_t)i * e->buf_bytes;
            if (!e->next(e, io)) {
                more = false;
                break;
            }
            int rc = blk_submit(e->d, io);
            if (rc == -16)
                break;                      /* ring or grants full: reap first */
            if (rc) {
                why = fail("submit op %u sector %lu bytes %u: %d", io->op,
                           (unsigned long)io->sector, io->bytes, rc);
                break;
            }
            busy[i] = true;
            inflight++;
            progress = true;
        }
        if (blk_reap(e->d))
            progress = true;
        for (uint32_t i = 0; i < e->qd; i++) {
            if (!busy[i] || !ios[i].done)
                continue;
            busy[i] = false;
            inflight--;
            e->ops++;
            e->bytes += ios[i].bytes;
            const char *w = e->done(e, &ios[i]);
            if (w && !why)
                why = w;
        }
        if (progress) {
            idle_since = rdtsc();
        } else if (inflight) {
            blk_wait(e->d, 1000);
            if (rdtsc() - idle_since > ms_to_cycles(30000))
                return fail("%u requests unanswered for 30 s", inflight);
        }
    }
    return why;
}

/* ---- blk_verify / blk_check ---- */

struct verify {
    uint64_t seed, start, end, pos;     /* byte offsets */
    uint32_t size_idx;
    uint8_t op;
    bool reverse;
};

static const uint32_t verify_sizes[] = { 4096, 512, 8192, 45056, 65536, 1536, 131072, 1048576 };

static bool verify_next(struct engine *e, struct blk_io *io)
{
    struct verify *v = e->ctx;
    uint32_t max = blk_max_bytes(e->d);
    uint32_t size = verify_sizes[v->size_idx++ % ARRAY_SIZE(verify_sizes)];
    if (size > max)
        size = max;
    if (size > e->buf_bytes)
        size = e->buf_bytes;
    uint64_t off;
    if (!v->reverse) {
        if (v->pos >= v->end)
            return false;
        if (size > v->end - v->pos)
            size = (uint32_t)(v->end - v->pos);
        off = v->pos;
        v->pos += size;
    } else {
        if (v->pos <= v->start)
            return false;
        if (size > v->pos - v->start)
            size = (uint32_t)(v->pos - v->start);
        v->pos -= size;
        off = v->pos;
    }
    io->op = v->op;
    io->sector = off >> 9;
    io->bytes = size;
    if (v->op == BLKIF_OP_WRITE)
        blkpattern_fill(phys(io->pa), size, v->seed, off);
    return true;
}

static const char *verify_done(struct engine *e, struct blk_io *io)
{
    struct verify *v = e->ctx;
    if (io->status != BLKIF_RSP_OKAY)
        return fail("%s of %u bytes at sector %lu: status %d",
                    io->op == BLKIF_OP_WRITE ? "write" : "read", io->bytes,
                    (unsigned long)io->sector, io->status);
    if (io->op == BLKIF_OP_READ) {
        uint64_t bad = blkpattern_check(phys(io->pa), io->bytes, v->seed, io->sector << 9);
        if (bad != io->bytes)
            return fail("data differs at disk offset %#lx (read of %u bytes at sector %lu)",
                        (unsigned long)((io->sector << 9) + bad), io->bytes,
                        (unsigned long)io->sector);
    }
    return NULL;
}

/* The region and seed: blk_seed/blk_mib/blk_off_mib (verify) or
 * chk_seed/chk_mib/chk_off_mib (check). */
static const char *region(struct blkdev *d, struct verify *v, const char *pre)
{
    char k_mib[16], k_off[16], k_seed[16];
    snprintf(k_mib, sizeof(k_mib), "%s_mib", pre);
    snprintf(k_off, sizeof(k_off), "%s_off_mib", pre);
    snprintf(k_seed, sizeof(k_seed), "%s_seed", pre);
    uint64_t mib = cmdline_u64_or(k_mib, 64), off = cmdline_u64_or(k_off, 0);
    v->seed = cmdline_u64_or(k_seed, 1);
    v->start = off << 20;
    v->end = v->start + (mib << 20);
    if (v->end > d->sectors << 9 || v->end <= v->start)
        return fail("region %lu..%lu MiB is not inside the disk (%lu MiB)", (unsigned long)off,
                    (unsigned long)(off + mib), (unsigned long)(d->sectors >> 11));
    return NULL;
}

static const char *verify_pass(struct blkdev *d, struct verify *v, uint8_t op, bool reverse,
                               uint64_t *ns)
{
    uint32_t qd = (uint32_t)cmdline_u64_or("blk_qd", 8), bytes = blk_max_bytes(d);
    if (bytes > MiB)
        bytes = (uint32_t)MiB;
    struct engine e = { .d = d, .qd = qd, .buf_bytes = bytes, .buf_base = buffers(qd, bytes),
                        .next = verify_next, .done = verify_done, .ctx = v };
    if (!e.buf_base)
        return fail("no memory for %u buffers of %u bytes", qd, bytes);
    v->op = op;
    v->reverse = reverse;
    v->pos = reverse ? v->end : v->start;
    v->size_idx = reverse ? 3 : 0;
    uint64_t t0 = rdtsc();
    const char *why = engine_run(&e);
    *ns = cycles_to_ns(rdtsc() - t0);
    return why;
}

const char *prog_blk_verify(struct blkdev *d)
{
    struct verify v;
    uint64_t wns, rns;
    const char *why = region(d, &v, "blk");
    if (!why)
        why = verify_pass(d, &v, BLKIF_OP_WRITE, false, &wns);
    if (!why && d->flush && blk_rw_sync(d, BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0) != BLKIF_RSP_OKAY)
        why = fail("flush failed");
    if (!why)
        why = verify_pass(d, &v, BLKIF_OP_READ, true, &rns);
    if (!why)
        note("wrote %lu MiB at %lu MiB (seed %lu) in %lu ms, read it back in %lu ms: identical",
             (unsigned long)((v.end - v.start) >> 20), (unsigned long)(v.start >> 20),
             (unsigned long)v.seed, (unsigned long)(wns / 1000000), (unsigned long)(rns / 1000000));
    return why;
}

const char *prog_blk_check(struct blkdev *d)
{
    struct verify v;
    uint64_t ns;
    const char *why = region(d, &v, "chk");
    if (!why)
        why = verify_pass(d, &v, BLKIF_OP_READ, false, &ns);
    if (!why)
        note("read %lu MiB at %lu MiB: the pattern of seed %lu", (unsigned long)((v.end - v.start) >> 20),
             (unsigned long)(v.start >> 20), (unsigned long)v.seed);
    return why;
}

/* ---- blk_ops: flush, discard, the errors ---- */

const char *prog_blk_ops(struct blkdev *d)
{
    uint64_t buf = buffers(1, (uint32_t)PAGE_SIZE);
    if (!buf)
        return fail("no buffer");
    int rc;
    if (d->flush && (rc = blk_rw_sync(d, BLKIF_OP_FLUSH_DISKCACHE, 0, 0, 0)) != BLKIF_RSP_OKAY)
        return fail("flush: %d", rc);
    /* Past the end: the backend must refuse it, we submit it raw. */
    struct blk_io io = { .op = BLKIF_OP_READ, .sector = d->sectors, .pa = buf, .bytes = 4096 };
    uint64_t sectors = d->sectors;
    d->sectors = UINT64_MAX;            /* let it past our own check */
    rc = blk_submit(d, &io);
    d->sectors = sectors;
    if (rc)
        return fail("submit past the end: %d", rc);
    while (!io.done)
        if (!blk_reap(d))
            blk_wait(d, 1000);
    if (io.status != BLKIF_RSP_ERROR)
        return fail("read past the end answered %d, want BLKIF_RSP_ERROR", io.status);
    if (d->discard && !d->readonly) {
        uint64_t sector = (d->sectors - 2048) & ~7ull;
        blkpattern_fill(phys(buf), 4096, 7, sector << 9);
        if ((rc = blk_rw_sync(d, BLKIF_OP_WRITE, sector, buf, 4096)) != BLKIF_RSP_OKAY)
            return fail("write before discard: %d", rc);
        if ((rc = blk_rw_sync(d, BLKIF_OP_DISCARD, sector, 0, 1u << 20)) != BLKIF_RSP_OKAY)
            return fail("discard of 1 MiB at sector %lu: %d", (unsigned long)sector, rc);
        if ((rc = blk_rw_sync(d, BLKIF_OP_READ, sector, buf, 4096)) != BLKIF_RSP_OKAY)
            return fail("read after discard: %d", rc);
        /* A discarded range reads as zeroes or as before: either is allowed. */
        note("discard: 1 MiB at sector %lu, reads back as %s", (unsigned long)sector,
             *(uint64_t *)phys(buf) == 0 ? "zeroes" : "the old data");
    }
    if (d->readonly) {
        io = (struct blk_io){ .op = BLKIF_OP_WRITE, .sector = 0, .pa = buf, .bytes = 4096 };
        d->readonly = false;
        rc = blk_submit(d, &io);
        d->readonly = true;
        if (rc)
            return fail("submit write to read-only disk: %d", rc);
        while (!io.done)
            if (!blk_reap(d))
                blk_wait(d, 1000);
        if (io.status == BLKIF_RSP_OKAY)
            return fail("a write to a read-only disk succeeded");
        note("write to the read-only disk refused (%d)", io.status);
    }
    note("flush %s, read past the end refused", d->flush ? "ok" : "not offered");
    return NULL;
}

/* ---- blk_bench ---- */

struct bench {
    uint64_t rng, region_sectors, pos, deadline;
    uint32_t bs;
    uint8_t op;
    bool random;
};

static bool bench_next(struct engine *e, struct blk_io *io)
{
    struct bench *b = e->ctx;
    if (rdtsc() > b->deadline)
        return false;
    uint64_t sectors = b->bs >> 9;
    if (b->random) {
        io->sector = (rng_next(&b->rng) % (b->region_sectors / sectors)) * sectors;
    } else {
        if (b->pos + sectors > b->region_sectors)
            b->pos = 0;
        io->sector = b->pos;
        b->pos += sectors;
    }
    io->op = b->op;
    io->bytes = b->bs;
    return true;
}

static const char *bench_done(struct engine *e, struct blk_io *io)
{
    (void)e;
    if (io->status != BLKIF_RSP_OKAY)
        return fail("bench I/O at sector %lu: status %d", (unsigned long)io->sector, io->status);
    return NULL;
}

const char *prog_blk_bench(struct blkdev *d)
{
    static const struct { const char *name; uint8_t op; bool random; uint32_t bs, qd; } runs[] = {
        { "seq_write", BLKIF_OP_WRITE, false, 1u << 20, 1 },
        { "seq_write", BLKIF_OP_WRITE, false, 1u << 20, 32 },
        { "seq_read", BLKIF_OP_READ, false, 1u << 20, 1 },
        { "seq_read", BLKIF_OP_READ, false, 1u << 20, 32 },
        { "rand_write", BLKIF_OP_WRITE, true, 4096, 1 },
        { "rand_write", BLKIF_OP_WRITE, true, 4096, 32 },
        { "rand_read", BLKIF_OP_READ, true, 4096, 1 },
        { "rand_read", BLKIF_OP_READ, true, 4096, 32 },
    };
    uint64_t ms = cmdline_u64_or("bench_ms", 3000), mib = cmdline_u64_or("bench_mib", 64);
    if (mib << 11 > d->sectors)
        mib = d->sectors >> 11;
    for (size_t i = 0; i < ARRAY_SIZE(runs); i++) {
        uint32_t bs = runs[i].bs < blk_max_bytes(d) ? runs[i].bs : blk_max_bytes(d);
        struct bench b = { .rng = 0x1234567 + i, .region_sectors = mib << 11, .bs = bs,
                           .op = runs[i].op, .random = runs[i].random };
        struct engine e = { .d = d, .qd = runs[i].qd, .buf_bytes = bs,
                            .buf_base = buffers(runs[i].qd, bs), .next = bench_next,
                            .done = bench_done, .ctx = &b };
        if (!e.buf_base)
            return fail("no memory for %u buffers of %u bytes", runs[i].qd, bs);
        if (runs[i].op == BLKIF_OP_WRITE)
            for (uint32_t q = 0; q < runs[i].qd; q++)
                blkpattern_fill(phys(e.buf_base + (uint64_t)q * bs), bs, 99, (uint64_t)q * bs);
        uint64_t t0 = rdtsc();
        b.deadline = t0 + ms_to_cycles(ms);
        const char *why = engine_run(&e);
        uint64_t ns = cycles_to_ns(rdtsc() - t0);
        if (why)
            return why;
        if (!ns)
            ns = 1;
        uint64_t kib_s = e.bytes * 1000000000ull / 1024 / ns;
        uint64_t iops = e.ops * 1000000000ull / ns;
        kprintf("svfront: bench blk %s bs=%u qd=%u: %lu.%02lu MiB/s %lu IOPS (%lu ops in %lu ms)\n",
                runs[i].name, bs, runs[i].qd, (unsigned long)(kib_s / 1024),
                (unsigned long)(kib_s % 1024 * 100 / 1024), (unsigned long)iops,
                (unsigned long)e.ops, (unsigned long)(ns / 1000000));
    }
    return NULL;
}
