/*
 * The test doubles (test_helpers.h) and the end-to-end ring test: a real
 * shared ring (front ring and back ring from <xen/io/ring.h>), a few
 * hundred random reads and writes, direct and indirect, against a temp
 * file, data checked against a shadow copy of the disk.
 */
#define _GNU_SOURCE
#include "test_helpers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int fake_copy(void *ctx, uint32_t count, xengnttab_grant_copy_segment_t *segs)
{
    struct fake_guest *g = ctx;

    g->calls++;
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
        ck_assert_uint_le((unsigned)f->offset + s->len, BLK_PAGE_SIZE);
        ck_assert(!((s->flags & GNTCOPY_source_gref) && (s->flags & GNTCOPY_dest_gref)));
        if (f->domid != FAKE_DOMID || f->ref >= FAKE_PAGES || !g->granted[f->ref]) {
            s->status = GNTST_bad_gntref;
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

void tr_setup(struct test_ring *t, unsigned order, uint64_t bytes, bool writable)
{
    char err[256];

    memset(t, 0, sizeof(*t));
    t->guest.mem = aligned_alloc(BLK_PAGE_SIZE, (size_t)FAKE_PAGES * BLK_PAGE_SIZE);
    ck_assert_ptr_nonnull(t->guest.mem);
    memset(t->guest.mem, 0, (size_t)FAKE_PAGES * BLK_PAGE_SIZE);
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
    ck_assert_int_eq(blk_ring_setup(&t->ring, t->sring, order, FAKE_DOMID, &t->disk, &t->lim,
                                    &c, 0), 0);
}

void tr_teardown(struct test_ring *t)
{
    blk_ring_teardown(&t->ring);
    disk_close(&t->disk);
    unlink(t->path);
    free(t->sring);
    free(t->guest.mem);
}

blkif_request_t *tr_next(struct test_ring *t)
{
    blkif_request_t *r = RING_GET_REQUEST(&t->front, t->front.req_prod_pvt);
    t->front.req_prod_pvt++;
    memset(r, 0, sizeof(*r));
    return r;
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

START_TEST(random_rw_against_file)
{
    static struct test_ring t;
    static struct pending pend[16];
    uint8_t *shadow = calloc(1, DISK_BYTES);
    ck_assert_ptr_nonnull(shadow);
    tr_setup(&t, 1, DISK_BYTES, true);

    const unsigned rounds = 40, per_round = 12;     /* 480 requests */
    uint64_t zone = (DISK_BYTES / 512) / per_round;
    unsigned total = 0;
    for (unsigned round = 0; round < rounds; round++) {
        grant_ref_t next = 100;
        unsigned n = 1 + rnd() % per_round;
        for (unsigned i = 0; i < n; i++)
            make_request(&t, &pend[i], round * 100 + i, shadow, &next, (grant_ref_t)(10 + i),
                         i * zone, (i + 1) * zone);
        tr_push(&t);
        int rc = blk_ring_service(&t.ring);
        ck_assert_int_ge(rc, 0);
        for (unsigned i = 0; i < n; i++) {
            blkif_response_t rsp;
            ck_assert(tr_response(&t, &rsp));
            ck_assert_uint_eq(rsp.id, pend[i].id);
            ck_assert_int_eq(rsp.status, BLKIF_RSP_OKAY);
            ck_assert_uint_eq(rsp.operation, pend[i].write ? BLKIF_OP_WRITE : BLKIF_OP_READ);
            if (pend[i].write)
                continue;
            uint64_t off = pend[i].sector * 512;
            for (unsigned s = 0; s < pend[i].nsegs; s++) {
                const uint8_t *page = tr_page(&t, pend[i].gref[s]);
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
        ck_assert(!tr_response(&t, &extra));
        total += n;
    }
    ck_assert_uint_ge(total, 200);
    /* And the file itself holds what the shadow says. */
    FILE *f = fopen(t.path, "rb");
    ck_assert_ptr_nonnull(f);
    uint8_t *file = malloc(DISK_BYTES);
    ck_assert_uint_eq(fread(file, 1, DISK_BYTES, f), DISK_BYTES);
    fclose(f);
    ck_assert(memcmp(file, shadow, DISK_BYTES) == 0);
    free(file);
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
    suite_add_tcase(s, tc);
    return s;
}
