/*
 * The test doubles (test_helpers.h) and the end-to-end ring test: a real
 * shared ring (front ring and back ring from <xen/io/ring.h>), a few
 * hundred random reads and writes, direct and indirect, against a temp
 * file through Linux AIO, data checked against a shadow copy of the disk.
 */
#define _GNU_SOURCE
#include "test_helpers.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUEST_BYTES ((size_t)FAKE_PAGES * BLK_PAGE_SIZE)

void fake_guest_init(struct fake_guest *g)
{
    memset(g, 0, sizeof(*g));
    g->fd = memfd_create("fake-guest", 0);
    ck_assert_int_ge(g->fd, 0);
    ck_assert_int_eq(ftruncate(g->fd, (off_t)GUEST_BYTES), 0);
    g->mem = mmap(NULL, GUEST_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, g->fd, 0);
    ck_assert_ptr_ne(g->mem, MAP_FAILED);
}

void fake_guest_fini(struct fake_guest *g)
{
    ck_assert_uint_eq(g->pages_unmapped, g->pages_mapped);
    munmap(g->mem, GUEST_BYTES);
    close(g->fd);
}

void *fake_map(void *ctx, domid_t domid, unsigned count, const grant_ref_t *refs)
{
    struct fake_guest *g = ctx;

    g->map_calls++;
    for (unsigned k = 0; k < count; k++)
        if (domid != FAKE_DOMID || refs[k] >= FAKE_PAGES || !g->granted[refs[k]] ||
            g->readonly[refs[k]]) {
            errno = EINVAL;
            return NULL;
        }
    uint8_t *base = mmap(NULL, (size_t)count * BLK_PAGE_SIZE, PROT_NONE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(base, MAP_FAILED);
    for (unsigned k = 0; k < count; k++)
        ck_assert_ptr_ne(mmap(base + (size_t)k * BLK_PAGE_SIZE, BLK_PAGE_SIZE,
                              PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, g->fd,
                              (off_t)refs[k] * BLK_PAGE_SIZE),
                         MAP_FAILED);
    g->pages_mapped += count;
    return base;
}

void fake_unmap(void *ctx, void *addr, unsigned count)
{
    struct fake_guest *g = ctx;

    ck_assert_int_eq(munmap(addr, (size_t)count * BLK_PAGE_SIZE), 0);
    g->pages_unmapped += count;
}

int fake_copy(void *ctx, uint32_t count, xengnttab_grant_copy_segment_t *segs)
{
    struct fake_guest *g = ctx;

    g->calls++;
    g->segs += count;
    if (g->fail_copy) {
        errno = EIO;
        return -1;
    }
    if (g->poison) {
        for (uint32_t i = 0; i < count; i++) {
            const xengnttab_grant_copy_segment_t *s = &segs[i];
            grant_ref_t ref = (s->flags & GNTCOPY_source_gref) ? s->source.foreign.ref
                                                             : s->dest.foreign.ref;
            if (ref == g->poison) {
                errno = EINVAL;
                return -1;
            }
        }
    }
    for (uint32_t i = 0; i < count; i++) {
        xengnttab_grant_copy_segment_t *s = &segs[i];
        bool from_guest = s->flags & GNTCOPY_source_gref;
        const struct { uint32_t ref; uint16_t offset; uint16_t domid; } *f =
            from_guest ? (const void *)&s->source.foreign : (const void *)&s->dest.foreign;
        /* gntdev refuses the whole call for these; the engine never asks. */
        bool odd = (unsigned)f->offset + s->len > BLK_PAGE_SIZE ||
                   ((s->flags & GNTCOPY_source_gref) && (s->flags & GNTCOPY_dest_gref));
        ck_assert(!odd || g->lenient);
        if (f->domid != FAKE_DOMID || f->ref >= FAKE_PAGES || !g->granted[f->ref]) {
            s->status = GNTST_bad_gntref;
            continue;
        }
        if (odd) {
            s->status = GNTST_bad_copy_arg;
            continue;
        }
        uint8_t *page = g->mem + (size_t)f->ref * BLK_PAGE_SIZE + f->offset;
        if (from_guest)
            memcpy(s->dest.virt, page, s->len);
        else
            memcpy(page, s->source.virt, s->len);
        s->status = GNTST_okay;
        g->ops++;
    }
    return 0;
}

static void fake_submit(void *ctx, struct blk_io *const *ios, unsigned n)
{
    struct fake_disk *f = ctx;

    f->submits++;
    for (unsigned i = 0; i < n; i++) {
        f->ios++;
        if (f->hold) {
            ck_assert_uint_lt(f->nheld, FAKE_MAX_IO);
            ios[i]->done = false;
            f->held[f->nheld++] = ios[i];
        } else {
            ios[i]->result = disk_rw_sync(f->disk, ios[i]);
            ios[i]->done = true;
        }
    }
}

static unsigned fake_collect(void *ctx, struct blk_io **out, unsigned max, bool wait)
{
    struct fake_disk *f = ctx;

    /* A test that holds I/O finishes it itself: waiting would be forever. */
    ck_assert(!wait || f->nready > 0);
    unsigned n = f->nready < max ? f->nready : max;
    memcpy(out, f->ready, n * sizeof(*out));
    memmove(f->ready, f->ready + n, (f->nready - n) * sizeof(*f->ready));
    f->nready -= n;
    return n;
}

void fake_disk_finish(struct fake_disk *f, unsigned k, int err)
{
    ck_assert_uint_lt(k, f->nheld);
    struct blk_io *io = f->held[k];
    memmove(f->held + k, f->held + k + 1, (f->nheld - k - 1) * sizeof(*f->held));
    f->nheld--;
    io->result = err ? err : disk_rw_sync(f->disk, io);
    io->done = true;
    f->ready[f->nready++] = io;
}

struct blk_iodrv tr_iodrv(struct test_ring *t)
{
    return (struct blk_iodrv){ fake_submit, fake_collect, NULL, &t->fdisk, -1 };
}

int tr_serve(struct test_ring *t)
{
    int acc = 0;

    for (unsigned round = 0; round < 100000; round++) {
        int rc = blk_ring_service(&t->ring);
        if (rc < 0)
            return rc;
        acc |= rc;
        if (blk_ring_busy(&t->ring) == 0 && !t->ring.more)
            return acc;
        if (t->ring.more)
            continue;
        ck_assert(t->io == TR_IO_AIO);
        struct pollfd p = { .fd = t->ring.io.fd, .events = POLLIN };
        ck_assert_int_eq(poll(&p, 1, 10000), 1);    /* the disk answers */
        uint64_t n;
        ck_assert_int_eq(read(p.fd, &n, sizeof(n)), (int)sizeof(n));
    }
    ck_abort_msg("the engine never went idle");
    return -1;
}

void tr_setup(struct test_ring *t, unsigned order, uint64_t bytes, bool writable)
{
    tr_setup_io(t, order, bytes, writable, TR_IO_NOW);
}

static void setup(struct test_ring *t, unsigned order, uint64_t bytes, bool writable,
                  enum tr_io io, bool kept)
{
    char err[256];

    memset(t, 0, sizeof(*t));
    fake_guest_init(&t->guest);
    for (unsigned i = 1; i < FAKE_PAGES; i++)    /* gref 0 is never granted */
        t->guest.granted[i] = true;
    t->order = order;
    t->sring = aligned_alloc(BLK_PAGE_SIZE, (size_t)BLK_PAGE_SIZE << order);
    ck_assert_ptr_nonnull(t->sring);
    memset(t->sring, 0, (size_t)BLK_PAGE_SIZE << order);
    SHARED_RING_INIT(t->sring);
    FRONT_RING_INIT(&t->front, t->sring, (size_t)BLK_PAGE_SIZE << order);

    snprintf(t->path, sizeof(t->path), "/tmp/blkback-test-XXXXXX");
    int fd = mkstemp(t->path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)bytes), 0);
    close(fd);
    ck_assert_int_eq(disk_open(&t->disk, t->path, writable, true, err, sizeof(err)), 0);
    t->lim = (struct blk_limits){ .sectors = bytes >> 9, .writable = writable,
                                  .discard = t->disk.discard,
                                  .max_indirect_segs = BLK_MAX_INDIRECT_SEGS };
    struct blk_copier c = { fake_copy, &t->guest };
    if (kept) {
        struct pgrant_mapper m = { fake_map, fake_unmap, &t->guest };
        ck_assert_int_eq(pgrant_init(&t->pg, &m, FAKE_DOMID, FAKE_PAGES), 0);
        pgrant_copier_init(&t->pgc, &t->pg, &c, &t->ring.cnt);
        c = (struct blk_copier){ pgrant_copy, &t->pgc };
        t->kept = true;
    }
    t->io = io;
    t->fdisk.disk = &t->disk;
    t->fdisk.hold = io == TR_IO_HELD;
    struct blk_iodrv drv = tr_iodrv(t);
    ck_assert_int_eq(blk_ring_setup(&t->ring, t->sring, order, FAKE_DOMID, &t->disk, &t->lim,
                                    &c, io == TR_IO_AIO ? NULL : &drv, 0), 0);
    if (io == TR_IO_AIO)
        ck_assert_int_ge(t->ring.io.fd, 0);         /* the kernel has AIO */
}

void tr_setup_io(struct test_ring *t, unsigned order, uint64_t bytes, bool writable,
                 enum tr_io io)
{
    setup(t, order, bytes, writable, io, false);
}

void tr_setup_kept(struct test_ring *t, unsigned order, uint64_t bytes)
{
    setup(t, order, bytes, true, TR_IO_AIO, true);
}

void tr_teardown(struct test_ring *t)
{
    blk_ring_teardown(&t->ring);
    if (t->kept) {
        pgrant_copier_fini(&t->pgc);
        pgrant_fini(&t->pg);
    }
    disk_close(&t->disk);
    unlink(t->path);
    free(t->sring);
    fake_guest_fini(&t->guest);
}

blkif_request_t *tr_next(struct test_ring *t)
{
    blkif_request_t *r = RING_GET_REQUEST(&t->front, t->front.req_prod_pvt);
    t->front.req_prod_pvt++;
    memset(r, 0, sizeof(*r));
    return r;
}

void tr_put_rw(struct test_ring *t, uint8_t op, uint64_t id, uint64_t sector, unsigned nseg,
               grant_ref_t g0)
{
    blkif_request_t *r = tr_next(t);
    r->operation = op;
    r->nr_segments = (uint8_t)nseg;
    r->id = id;
    r->sector_number = sector;
    for (unsigned i = 0; i < nseg; i++)
        r->seg[i] = (struct blkif_request_segment){ g0 + i, 0, 7 };
}

void tr_put_indirect(struct test_ring *t, uint8_t op, uint64_t id, uint64_t sector,
                     unsigned nseg, grant_ref_t ind, grant_ref_t g0)
{
    struct blkif_request_indirect *ir = (struct blkif_request_indirect *)tr_next(t);
    struct blkif_request_segment *segs = (void *)tr_page(t, ind);
    ir->operation = BLKIF_OP_INDIRECT;
    ir->indirect_op = op;
    ir->nr_segments = (uint16_t)nseg;
    ir->id = id;
    ir->sector_number = sector;
    ir->indirect_grefs[0] = ind;
    for (unsigned i = 0; i < nseg && i < BLK_SEGS_PER_IND_PAGE; i++)
        segs[i] = (struct blkif_request_segment){ g0 + i, 0, 7 };
}

void tr_push(struct test_ring *t)
{
    RING_PUSH_REQUESTS(&t->front);
}

bool tr_response(struct test_ring *t, blkif_response_t *out)
{
    if (t->front.rsp_cons == t->sring->rsp_prod)
        return false;
    *out = *RING_GET_RESPONSE(&t->front, t->front.rsp_cons);
    t->front.rsp_cons++;
    return true;
}

uint8_t *tr_page(struct test_ring *t, grant_ref_t g)
{
    return t->guest.mem + (size_t)g * BLK_PAGE_SIZE;
}

void tr_fill(struct test_ring *t, grant_ref_t g, unsigned seed)
{
    uint8_t *p = tr_page(t, g);
    for (unsigned i = 0; i < BLK_PAGE_SIZE; i++)
        p[i] = (uint8_t)(seed * 131u + i * 7u + (i >> 8));
}

/* ---- the random test ------------------------------------------------------ */

#define DISK_BYTES (4u << 20)

/* xorshift: the same run every time. */
static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return rnd_state;
}

struct pending {
    uint64_t id;
    bool write;
    uint64_t sector;
    unsigned nsegs;
    grant_ref_t gref[BLK_MAX_INDIRECT_SEGS];
    uint8_t first[BLK_MAX_INDIRECT_SEGS], last[BLK_MAX_INDIRECT_SEGS];
};

/* One request of random shape at a random place; data pages from *next_gref. */
static void make_request(struct test_ring *t, struct pending *p, uint64_t id, uint8_t *shadow,
                         grant_ref_t *next_gref, grant_ref_t ind_gref, uint64_t lo_sector,
                         uint64_t hi_sector)
{
    p->id = id;
    p->write = rnd() & 1;
    bool indirect = (rnd() % 3) == 0;
    unsigned maxsegs = indirect ? 64 : BLKIF_MAX_SEGMENTS_PER_REQUEST;
    p->nsegs = 1 + rnd() % maxsegs;
    uint64_t sectors = 0;
    for (unsigned s = 0; s < p->nsegs; s++) {
        p->first[s] = (uint8_t)(rnd() % 8);
        p->last[s] = (uint8_t)(p->first[s] + rnd() % (8u - p->first[s]));
        p->gref[s] = (*next_gref)++;
        sectors += p->last[s] - p->first[s] + 1u;
    }
    /* Inside [lo, hi) so that requests of one batch never overlap: blkif
     * does not order requests in flight together. */
    ck_assert_uint_le(sectors, hi_sector - lo_sector);
    p->sector = lo_sector + rnd() % (hi_sector - lo_sector - sectors + 1);
    if (p->write) {
        uint64_t off = p->sector * 512;
        for (unsigned s = 0; s < p->nsegs; s++) {
            tr_fill(t, p->gref[s], (unsigned)(id * 31 + s));
            size_t len = (p->last[s] - p->first[s] + 1u) * 512u;
            memcpy(shadow + off, tr_page(t, p->gref[s]) + p->first[s] * 512u, len);
            off += len;
        }
    } else {
        for (unsigned s = 0; s < p->nsegs; s++)
            memset(tr_page(t, p->gref[s]), 0xee, BLK_PAGE_SIZE);
    }

    blkif_request_t *r = tr_next(t);
    if (indirect) {
        struct blkif_request_indirect *ir = (struct blkif_request_indirect *)r;
        struct blkif_request_segment *segs = (void *)tr_page(t, ind_gref);
        ir->operation = BLKIF_OP_INDIRECT;
        ir->indirect_op = p->write ? BLKIF_OP_WRITE : BLKIF_OP_READ;
        ir->nr_segments = (uint16_t)p->nsegs;
        ir->id = id;
        ir->sector_number = p->sector;
        ir->indirect_grefs[0] = ind_gref;
        for (unsigned s = 0; s < p->nsegs; s++)
            segs[s] = (struct blkif_request_segment){ p->gref[s], p->first[s], p->last[s] };
    } else {
        r->operation = p->write ? BLKIF_OP_WRITE : BLKIF_OP_READ;
        r->nr_segments = (uint8_t)p->nsegs;
        r->id = id;
        r->sector_number = p->sector;
        for (unsigned s = 0; s < p->nsegs; s++)
            r->seg[s] = (struct blkif_request_segment){ p->gref[s], p->first[s], p->last[s] };
    }
}

/* The disk file holds exactly what the shadow copy says. */
static void check_file_is(const struct test_ring *tr, const uint8_t *shadow)
{
    FILE *f = fopen(tr->path, "rb");
    ck_assert_ptr_nonnull(f);
    uint8_t *file = malloc(DISK_BYTES);
    ck_assert_uint_eq(fread(file, 1, DISK_BYTES, f), DISK_BYTES);
    fclose(f);
    ck_assert(memcmp(file, shadow, DISK_BYTES) == 0);
    free(file);
}

void random_rw_against_file_on(struct test_ring *t)
{
    static struct pending pend[16];
    uint8_t *shadow = calloc(1, DISK_BYTES);
    ck_assert_ptr_nonnull(shadow);

    const unsigned rounds = 40, per_round = 12;     /* 480 requests */
    uint64_t zone = (DISK_BYTES / 512) / per_round;
    unsigned total = 0;
    for (unsigned round = 0; round < rounds; round++) {
        grant_ref_t next = 100;
        unsigned n = 1 + rnd() % per_round;
        for (unsigned i = 0; i < n; i++)
            make_request(t, &pend[i], round * 100 + i, shadow, &next, (grant_ref_t)(10 + i),
                         i * zone, (i + 1) * zone);
        tr_push(t);
        int rc = tr_serve(t);
        ck_assert_int_ge(rc, 0);
        for (unsigned i = 0; i < n; i++) {
            blkif_response_t rsp;
            ck_assert(tr_response(t, &rsp));
            ck_assert_uint_eq(rsp.id, pend[i].id);
            ck_assert_int_eq(rsp.status, BLKIF_RSP_OKAY);
            ck_assert_uint_eq(rsp.operation, pend[i].write ? BLKIF_OP_WRITE : BLKIF_OP_READ);
            if (pend[i].write)
                continue;
            uint64_t off = pend[i].sector * 512;
            for (unsigned s = 0; s < pend[i].nsegs; s++) {
                const uint8_t *page = tr_page(t, pend[i].gref[s]);
                size_t a = pend[i].first[s] * 512u, len = (pend[i].last[s] - pend[i].first[s] + 1u) * 512u;
                ck_assert_mem_eq(page + a, shadow + off, len);
                /* The rest of the page is untouched. */
                for (size_t b = 0; b < a; b++)
                    ck_assert_uint_eq(page[b], 0xee);
                for (size_t b = a + len; b < BLK_PAGE_SIZE; b++)
                    ck_assert_uint_eq(page[b], 0xee);
                off += len;
            }
        }
        blkif_response_t extra;
        ck_assert(!tr_response(t, &extra));
        total += n;
    }
    ck_assert_uint_ge(total, 200);
    /* And the file itself holds what the shadow says. */
    check_file_is(t, shadow);
    free(shadow);
}

START_TEST(random_rw_against_file)
{
    static struct test_ring t;

    tr_setup_io(&t, 1, DISK_BYTES, true, TR_IO_AIO);
    random_rw_against_file_on(&t);
    tr_teardown(&t);
}
END_TEST

/*
 * The same against the pipelined engine as a frontend drives it: requests
 * are posted while earlier ones are on the disk, the engine is served once
 * per step (not until idle), answers are checked as they come.  Requests
 * in flight together never overlap (each owns one of 16 zones until it is
 * answered); now and then a flush.  Answers must come in ring order.
 */
#define ZONES 16u

START_TEST(random_pipelined_against_file)
{
    static struct test_ring t;
    static struct pending pend[ZONES];
    int fifo[512] = { 0 };          /* zone of each posted request, -1: flush */
    uint64_t fifo_id[512] = { 0 };
    unsigned fhead = 0, ftail = 0;
    bool zone_busy[ZONES] = { false };
    uint8_t *shadow = calloc(1, DISK_BYTES);
    ck_assert_ptr_nonnull(shadow);
    tr_setup_io(&t, 2, DISK_BYTES, true, TR_IO_AIO);
    const uint64_t zone = (DISK_BYTES / 512) / ZONES;

    unsigned answered = 0, posted = 0, overlapped = 0, max_busy = 0, flushes = 0;
    uint64_t id = 1;
    for (unsigned step = 0; step < 3000 && answered < 600; step++) {
        unsigned k = rnd() % 6;
        for (unsigned n = 0; n < k && posted - answered < 120; n++) {
            if (rnd() % 16 == 0) {
                blkif_request_t *r = tr_next(&t);
                r->operation = BLKIF_OP_FLUSH_DISKCACHE;
                r->id = id;
                fifo[ftail % 512] = -1;
                fifo_id[ftail++ % 512] = id++;
                posted++;
                flushes++;
                continue;
            }
            unsigned z = rnd() % ZONES, tries = 0;
            while (zone_busy[z] && tries++ < ZONES)
                z = (z + 1) % ZONES;
            if (zone_busy[z])
                break;
            grant_ref_t next = (grant_ref_t)(100 + z * 64);
            make_request(&t, &pend[z], id, shadow, &next, (grant_ref_t)(10 + z), z * zone,
                         (z + 1) * zone);
            zone_busy[z] = true;
            fifo[ftail % 512] = (int)z;
            fifo_id[ftail++ % 512] = id++;
            posted++;
        }
        tr_push(&t);
        unsigned busy_before = blk_ring_busy(&t.ring);
        RING_IDX cons_before = t.ring.br.req_cons;
        ck_assert_int_ge(blk_ring_service(&t.ring), 0);
        if (busy_before > 0 && t.ring.br.req_cons != cons_before)
            overlapped++;
        if (blk_ring_busy(&t.ring) > max_busy)
            max_busy = blk_ring_busy(&t.ring);

        blkif_response_t rsp;
        unsigned got = 0;
        while (tr_response(&t, &rsp)) {
            ck_assert_uint_lt(fhead, ftail);
            int z = fifo[fhead % 512];
            ck_assert_uint_eq(rsp.id, fifo_id[fhead++ % 512]);   /* ring order */
            ck_assert_int_eq(rsp.status, BLKIF_RSP_OKAY);
            got++;
            answered++;
            if (z < 0) {
                ck_assert_uint_eq(rsp.operation, BLKIF_OP_FLUSH_DISKCACHE);
                continue;
            }
            const struct pending *p = &pend[z];
            ck_assert_uint_eq(rsp.operation, p->write ? BLKIF_OP_WRITE : BLKIF_OP_READ);
            zone_busy[z] = false;
            if (p->write)
                continue;
            uint64_t off = p->sector * 512;
            for (unsigned s = 0; s < p->nsegs; s++) {
                size_t a = p->first[s] * 512u, len = (p->last[s] - p->first[s] + 1u) * 512u;
                ck_assert_mem_eq(tr_page(&t, p->gref[s]) + a, shadow + off, len);
                off += len;
            }
        }
        t.sring->rsp_event = t.front.rsp_cons + 1;
        if (k == 0 && got == 0 && blk_ring_busy(&t.ring) > 0) {
            struct pollfd pf = { .fd = t.ring.io.fd, .events = POLLIN };
            ck_assert_int_eq(poll(&pf, 1, 10000), 1);
            uint64_t n;
            ck_assert_int_eq(read(pf.fd, &n, sizeof(n)), (int)sizeof(n));
        }
    }
    /* The rest. */
    ck_assert_int_ge(tr_serve(&t), 0);
    blkif_response_t rsp;
    while (tr_response(&t, &rsp)) {
        ck_assert_uint_eq(rsp.id, fifo_id[fhead++ % 512]);
        ck_assert_int_eq(rsp.status, BLKIF_RSP_OKAY);
        answered++;
    }
    ck_assert_uint_eq(fhead, ftail);
    ck_assert_uint_eq(answered, posted);
    ck_assert_uint_ge(answered, 600);
    ck_assert_uint_ge(flushes, 10);
    /* New requests were taken while earlier ones were in flight. */
    ck_assert_uint_ge(overlapped, 20);       /* ~80 seen */
    ck_assert_uint_ge(max_busy, 4);          /* 6-13 seen on ext4 */
    ck_assert_uint_eq(t.ring.cnt.errors, 0);
    check_file_is(&t, shadow);
    free(shadow);
    tr_teardown(&t);
}
END_TEST

Suite *ringio_suite(void)
{
    Suite *s = suite_create("ringio");
    TCase *tc = tcase_create("random");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, random_rw_against_file);
    tcase_add_test(tc, random_pipelined_against_file);
    suite_add_tcase(s, tc);
    return s;
}
