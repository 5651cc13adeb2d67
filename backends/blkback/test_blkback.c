/*
 * Check tests for request decoding (req.c), the shared ring's back end
 * (ring.c) and the engine (io.c) with an in-memory ring, a fake grant
 * copy and a temp file; the runner for every suite.  Hostile frontends
 * get most of the cases.
 */
#define _GNU_SOURCE
#include "test_helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"

static const struct blk_limits lim_rw = {
    .sectors = 2048, .writable = true, .discard = true, .max_indirect_segs = 256,
};
static const struct blk_limits lim_ro = {
    .sectors = 2048, .writable = false, .discard = false, .max_indirect_segs = 256,
};

static struct blkreq q;

static blkif_request_t rw(uint8_t op, uint64_t sector, unsigned nseg)
{
    blkif_request_t r;
    memset(&r, 0, sizeof(r));
    r.operation = op;
    r.nr_segments = (uint8_t)nseg;
    r.id = 0x1234;
    r.sector_number = sector;
    for (unsigned i = 0; i < nseg && i < BLKIF_MAX_SEGMENTS_PER_REQUEST; i++)
        r.seg[i] = (struct blkif_request_segment){ 100 + i, 0, 7 };
    return r;
}

static blkif_request_t indirect(uint8_t op, uint64_t sector, unsigned nseg)
{
    blkif_request_t r;
    struct blkif_request_indirect *ir = (struct blkif_request_indirect *)&r;
    memset(&r, 0, sizeof(r));
    ir->operation = BLKIF_OP_INDIRECT;
    ir->indirect_op = op;
    ir->nr_segments = (uint16_t)nseg;
    ir->id = 0x77;
    ir->sector_number = sector;
    for (unsigned i = 0; i < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++)
        ir->indirect_grefs[i] = 50 + i;
    return r;
}

static blkif_request_t discard(uint64_t sector, uint64_t n)
{
    blkif_request_t r;
    struct blkif_request_discard *d = (struct blkif_request_discard *)&r;
    memset(&r, 0, sizeof(r));
    d->operation = BLKIF_OP_DISCARD;
    d->id = 9;
    d->sector_number = sector;
    d->nr_sectors = n;
    return r;
}

/* ---- req.c ---------------------------------------------------------------- */

START_TEST(decode_read_ok)
{
    blkif_request_t r = rw(BLKIF_OP_READ, 8, 2);
    r.seg[1].first_sect = 2;
    r.seg[1].last_sect = 5;
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_OKAY);
    ck_assert_uint_eq(q.kind, BLKREQ_READ);
    ck_assert_uint_eq(q.id, 0x1234);
    ck_assert_uint_eq(q.nr_segs, 2);
    ck_assert_uint_eq(q.bytes, 4096 + 4 * 512);
    ck_assert_uint_eq(q.nr_sectors, 12);
    ck_assert_uint_eq(q.seg[1].offset, 1024);
    ck_assert_uint_eq(q.seg[1].len, 2048);
    ck_assert_uint_eq(q.seg[1].gref, 101);
}
END_TEST

START_TEST(decode_segment_sectors_out_of_page)
{
    blkif_request_t r = rw(BLKIF_OP_WRITE, 0, 3);
    r.seg[2].last_sect = 8;
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
    r.seg[2].last_sect = 255;
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
}
END_TEST

START_TEST(decode_first_after_last)
{
    blkif_request_t r = rw(BLKIF_OP_READ, 0, 1);
    r.seg[0].first_sect = 5;
    r.seg[0].last_sect = 4;
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
    ck_assert_ptr_nonnull(q.why);
}
END_TEST

START_TEST(decode_segment_count_limits)
{
    blkif_request_t r = rw(BLKIF_OP_READ, 0, 0);
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);            /* no segments */
    r = rw(BLKIF_OP_WRITE, 0, 11);
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_OKAY);
    r.nr_segments = 12;
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
    r.nr_segments = 255;
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
}
END_TEST

START_TEST(decode_range_checks)
{
    blkif_request_t r = rw(BLKIF_OP_READ, 2048 - 8, 1);
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_OKAY);             /* the last page */
    r.sector_number = 2048 - 7;
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
    r.sector_number = UINT64_MAX - 3;                        /* wraps */
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
    ck_assert(blk_range_ok(0, 0, 0));
    ck_assert(!blk_range_ok(1, 0, 0));
    ck_assert(!blk_range_ok(UINT64_MAX, 2, UINT64_MAX));
    ck_assert(blk_range_ok(10, 5, 15));
    ck_assert(!blk_range_ok(10, 6, 15));
}
END_TEST

START_TEST(decode_unknown_operations)
{
    uint8_t ops[] = { BLKIF_OP_RESERVED_1, 7, 42, 255 };
    for (unsigned i = 0; i < sizeof(ops); i++) {
        blkif_request_t r = rw(ops[i], 0, 1);
        blkreq_decode(&r, &lim_rw, &q);
        ck_assert_int_eq(q.status, BLKIF_RSP_EOPNOTSUPP);
        ck_assert_uint_eq(q.rsp_op, ops[i]);
        ck_assert_uint_eq(q.id, 0x1234);
    }
}
END_TEST

START_TEST(decode_readonly)
{
    blkif_request_t r = rw(BLKIF_OP_WRITE, 0, 1);
    blkreq_decode(&r, &lim_ro, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
    r = rw(BLKIF_OP_READ, 0, 1);
    blkreq_decode(&r, &lim_ro, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_OKAY);
    r = indirect(BLKIF_OP_WRITE, 0, 20);
    blkreq_decode(&r, &lim_ro, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
    r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0);
    blkreq_decode(&r, &lim_ro, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_OKAY);             /* a flush alone is harmless */
}
END_TEST

START_TEST(decode_flush_and_barrier)
{
    blkif_request_t r = rw(BLKIF_OP_FLUSH_DISKCACHE, 0, 0);
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_OKAY);
    ck_assert_uint_eq(q.kind, BLKREQ_FLUSH);
    ck_assert(!blkreq_has_data(&q));
    r = rw(BLKIF_OP_WRITE_BARRIER, 16, 2);
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_OKAY);
    ck_assert_uint_eq(q.kind, BLKREQ_BARRIER);
    ck_assert(blkreq_has_data(&q));
    ck_assert(blkreq_is_write(&q));
    ck_assert_uint_eq(blkreq_max_bytes(&q), 8192);
}
END_TEST

START_TEST(decode_discard_cases)
{
    blkif_request_t r = discard(100, 200);
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_OKAY);
    ck_assert_uint_eq(q.nr_sectors, 200);
    ck_assert_uint_eq(blkreq_max_bytes(&q), 0);
    r = discard(2000, 49);
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
    r = discard(UINT64_MAX, 2);
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
    r = discard(0, 8);
    blkreq_decode(&r, &lim_ro, &q);                          /* not offered */
    ck_assert_int_eq(q.status, BLKIF_RSP_EOPNOTSUPP);
}
END_TEST

START_TEST(decode_indirect_header)
{
    blkif_request_t r = indirect(BLKIF_OP_READ, 0, 256);
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_OKAY);
    ck_assert(q.indirect);
    ck_assert_uint_eq(q.rsp_op, BLKIF_OP_READ);             /* Linux checks this */
    ck_assert_uint_eq(q.nr_ind_pages, 1);
    ck_assert_uint_eq(q.ind_grefs[0], 50);
    ck_assert_uint_eq(blkreq_max_bytes(&q), 256 * 4096);
    r = indirect(BLKIF_OP_READ, 0, 0);
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
    r = indirect(BLKIF_OP_READ, 0, 257);
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
    r = indirect(BLKIF_OP_READ, 0, 65535);
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
    ck_assert_uint_eq(q.nr_ind_pages, 0);                   /* nothing to fetch */
    r = indirect(BLKIF_OP_FLUSH_DISKCACHE, 0, 4);
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
    ck_assert_uint_eq(q.rsp_op, BLKIF_OP_FLUSH_DISKCACHE);
    r = indirect(BLKIF_OP_INDIRECT, 0, 4);
    blkreq_decode(&r, &lim_rw, &q);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
}
END_TEST

START_TEST(decode_indirect_segments)
{
    static struct blkif_request_segment page[512];
    blkif_request_t r = indirect(BLKIF_OP_WRITE, 100, 3);
    page[0] = (struct blkif_request_segment){ 5, 0, 7 };
    page[1] = (struct blkif_request_segment){ 6, 1, 1 };
    page[2] = (struct blkif_request_segment){ 7, 0, 3 };
    blkreq_decode(&r, &lim_rw, &q);
    blkreq_decode_indirect(&q, page, &lim_rw);
    ck_assert_int_eq(q.status, BLKIF_RSP_OKAY);
    ck_assert_uint_eq(q.bytes, 4096 + 512 + 2048);
    ck_assert_uint_eq(q.seg[1].offset, 512);
    /* Garbage in the page. */
    page[2].first_sect = 9;
    page[2].last_sect = 12;
    blkreq_decode(&r, &lim_rw, &q);
    blkreq_decode_indirect(&q, page, &lim_rw);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
    /* Good segments, but past the end. */
    page[2] = (struct blkif_request_segment){ 7, 0, 7 };
    r = indirect(BLKIF_OP_WRITE, 2048 - 16, 3);
    blkreq_decode(&r, &lim_rw, &q);
    blkreq_decode_indirect(&q, page, &lim_rw);
    ck_assert_int_eq(q.status, BLKIF_RSP_ERROR);
}
END_TEST

Suite *req_suite(void)
{
    Suite *s = suite_create("req");
    TCase *tc = tcase_create("decode");
    tcase_add_test(tc, decode_read_ok);
    tcase_add_test(tc, decode_segment_sectors_out_of_page);
    tcase_add_test(tc, decode_first_after_last);
    tcase_add_test(tc, decode_segment_count_limits);
    tcase_add_test(tc, decode_range_checks);
    tcase_add_test(tc, decode_unknown_operations);
    tcase_add_test(tc, decode_readonly);
    tcase_add_test(tc, decode_flush_and_barrier);
    tcase_add_test(tc, decode_discard_cases);
    tcase_add_test(tc, decode_indirect_header);
    tcase_add_test(tc, decode_indirect_segments);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- ring.c --------------------------------------------------------------- */

static struct test_ring t;

static void ring_setup(void)
{
    tr_setup(&t, 0, 1u << 20, true);
}

static void ring_teardown(void)
{
    tr_teardown(&t);
}

START_TEST(ring_available_counts)
{
    RING_IDX prod;
    ck_assert_uint_eq(RING_SIZE(&t.ring.br), 32);
    ck_assert_int_eq(blkring_available(&t.ring.br, &prod), 0);
    for (int i = 0; i < 5; i++)
        tr_next(&t);
    tr_push(&t);
    ck_assert_int_eq(blkring_available(&t.ring.br, &prod), 5);
    ck_assert_uint_eq(prod, 5);
}
END_TEST

START_TEST(ring_req_prod_runs_ahead)
{
    RING_IDX prod;
    t.sring->req_prod = 32;                       /* a full ring: fine */
    ck_assert_int_eq(blkring_available(&t.ring.br, &prod), 32);
    t.sring->req_prod = 33;
    ck_assert_int_eq(blkring_available(&t.ring.br, &prod), -1);
    t.sring->req_prod = 0x80000000u;
    ck_assert_int_eq(blkring_available(&t.ring.br, &prod), -1);
    t.sring->req_prod = (RING_IDX)-1;             /* "behind" us */
    ck_assert_int_eq(blkring_available(&t.ring.br, &prod), -1);
}
END_TEST

START_TEST(ring_req_prod_moves_backwards)
{
    RING_IDX prod;
    t.sring->req_prod = 4;
    blkif_request_t r;
    blkring_peek(&t.ring.br, &r);
    blkring_consume(&t.ring.br);
    blkring_peek(&t.ring.br, &r);
    blkring_consume(&t.ring.br);
    t.sring->req_prod = 1;                        /* below req_cons */
    ck_assert_int_eq(blkring_available(&t.ring.br, &prod), -1);
}
END_TEST

START_TEST(ring_peek_is_a_private_copy)
{
    blkif_request_t *slot = tr_next(&t);
    slot->operation = BLKIF_OP_READ;
    slot->nr_segments = 1;
    tr_push(&t);
    blkif_request_t copy;
    blkring_peek(&t.ring.br, &copy);
    /* The frontend rewrites the slot after we copied it (double fetch). */
    slot->nr_segments = 200;
    slot->operation = BLKIF_OP_INDIRECT;
    ck_assert_uint_eq(copy.nr_segments, 1);
    ck_assert_uint_eq(copy.operation, BLKIF_OP_READ);
}
END_TEST

START_TEST(ring_push_notify_holdoff)
{
    /* SHARED_RING_INIT: rsp_event 1, so the first response notifies. */
    blkring_respond(&t.ring.br, 1, BLKIF_OP_READ, 0);
    ck_assert(blkring_push(&t.ring.br));
    /* The frontend has not re-armed rsp_event: no notification. */
    blkring_respond(&t.ring.br, 2, BLKIF_OP_READ, 0);
    ck_assert(!blkring_push(&t.ring.br));
    blkif_response_t rsp;
    ck_assert(tr_response(&t, &rsp));
    ck_assert_uint_eq(rsp.id, 1);
    ck_assert(tr_response(&t, &rsp));
    ck_assert_uint_eq(rsp.id, 2);
    ck_assert(!tr_response(&t, &rsp));
}
END_TEST

START_TEST(ring_final_check_arms_event)
{
    ck_assert(!blkring_final_check(&t.ring.br));
    ck_assert_uint_eq(t.sring->req_event, 1);
    tr_next(&t);
    tr_push(&t);
    ck_assert(blkring_final_check(&t.ring.br));
}
END_TEST

Suite *ring_suite(void)
{
    Suite *s = suite_create("ring");
    TCase *tc = tcase_create("backring");
    tcase_add_checked_fixture(tc, ring_setup, ring_teardown);
    tcase_add_test(tc, ring_available_counts);
    tcase_add_test(tc, ring_req_prod_runs_ahead);
    tcase_add_test(tc, ring_req_prod_moves_backwards);
    tcase_add_test(tc, ring_peek_is_a_private_copy);
    tcase_add_test(tc, ring_push_notify_holdoff);
    tcase_add_test(tc, ring_final_check_arms_event);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- io.c ----------------------------------------------------------------- */

static int16_t expect_rsp(uint64_t id, uint8_t op)
{
    blkif_response_t rsp;
    ck_assert(tr_response(&t, &rsp));
    ck_assert_uint_eq(rsp.id, id);
    ck_assert_uint_eq(rsp.operation, op);
    return rsp.status;
}

static void io_setup(void)
{
    tr_setup(&t, 0, 2u << 20, true);
}

START_TEST(io_write_then_read_back)
{
    for (unsigned i = 0; i < 4; i++)
        tr_fill(&t, 100 + i, i + 1);
    tr_put_rw(&t, BLKIF_OP_WRITE, 1, 64, 4, 100);
    tr_push(&t);
    ck_assert_int_eq(blk_ring_service(&t.ring), 1);
    ck_assert_int_eq(expect_rsp(1, BLKIF_OP_WRITE), BLKIF_RSP_OKAY);
    tr_put_rw(&t, BLKIF_OP_READ, 2, 64, 4, 200);
    tr_push(&t);
    t.sring->rsp_event = t.front.rsp_cons + 1;      /* the frontend re-arms */
    ck_assert_int_eq(blk_ring_service(&t.ring), 1);
    ck_assert_int_eq(expect_rsp(2, BLKIF_OP_READ), BLKIF_RSP_OKAY);
    for (unsigned i = 0; i < 4; i++)
        ck_assert_mem_eq(tr_page(&t, 200 + i), tr_page(&t, 100 + i), 4096);
    ck_assert_uint_eq(t.ring.cnt.reqs[BLKREQ_WRITE], 1);
    ck_assert_uint_eq(t.ring.cnt.reqs[BLKREQ_READ], 1);
    ck_assert_uint_eq(t.ring.cnt.bytes_written, 16384);
    ck_assert_uint_eq(t.ring.cnt.bytes_read, 16384);
    ck_assert_uint_eq(t.ring.cnt.errors, 0);
}
END_TEST

START_TEST(io_partial_segments_pack)
{
    /* Sectors 2..3 of one page and 0..0 of another: 3 sectors on disk. */
    tr_fill(&t, 100, 9);
    tr_fill(&t, 101, 10);
    blkif_request_t *r = tr_next(&t);
    r->operation = BLKIF_OP_WRITE;
    r->nr_segments = 2;
    r->id = 5;
    r->sector_number = 10;
    r->seg[0] = (struct blkif_request_segment){ 100, 2, 3 };
    r->seg[1] = (struct blkif_request_segment){ 101, 0, 0 };
    tr_push(&t);
    ck_assert_int_ge(blk_ring_service(&t.ring), 0);
    ck_assert_int_eq(expect_rsp(5, BLKIF_OP_WRITE), BLKIF_RSP_OKAY);
    FILE *f = fopen(t.path, "rb");
    uint8_t buf[1536];
    fseek(f, 10 * 512, SEEK_SET);
    ck_assert_uint_eq(fread(buf, 1, sizeof(buf), f), sizeof(buf));
    fclose(f);
    ck_assert_mem_eq(buf, tr_page(&t, 100) + 1024, 1024);
    ck_assert_mem_eq(buf + 1024, tr_page(&t, 101), 512);
}
END_TEST

START_TEST(io_bad_grant_fails_only_its_request)
{
    tr_put_rw(&t, BLKIF_OP_WRITE, 1, 0, 2, 100);
    tr_put_rw(&t, BLKIF_OP_WRITE, 2, 16, 1, 0);             /* gref 0: never granted */
    tr_put_rw(&t, BLKIF_OP_READ, 3, 32, 1, FAKE_PAGES + 5); /* out of the table */
    tr_put_rw(&t, BLKIF_OP_READ, 4, 0, 2, 300);
    tr_push(&t);
    ck_assert_int_ge(blk_ring_service(&t.ring), 0);
    ck_assert_int_eq(expect_rsp(1, BLKIF_OP_WRITE), BLKIF_RSP_OKAY);
    ck_assert_int_eq(expect_rsp(2, BLKIF_OP_WRITE), BLKIF_RSP_ERROR);
    ck_assert_int_eq(expect_rsp(3, BLKIF_OP_READ), BLKIF_RSP_ERROR);
    ck_assert_int_eq(expect_rsp(4, BLKIF_OP_READ), BLKIF_RSP_OKAY);
    ck_assert_uint_eq(t.ring.cnt.errors, 2);
}
END_TEST

START_TEST(io_bad_grant_write_leaves_disk_alone)
{
    tr_fill(&t, 100, 3);
    tr_put_rw(&t, BLKIF_OP_WRITE, 1, 0, 1, 100);
    tr_push(&t);
    blk_ring_service(&t.ring);
    expect_rsp(1, BLKIF_OP_WRITE);
    /* A write whose second page is bad: nothing of it reaches the disk. */
    tr_fill(&t, 101, 4);
    blkif_request_t *r = tr_next(&t);
    r->operation = BLKIF_OP_WRITE;
    r->nr_segments = 2;
    r->id = 2;
    r->seg[0] = (struct blkif_request_segment){ 101, 0, 7 };
    r->seg[1] = (struct blkif_request_segment){ 0, 0, 7 };
    tr_push(&t);
    blk_ring_service(&t.ring);
    ck_assert_int_eq(expect_rsp(2, BLKIF_OP_WRITE), BLKIF_RSP_ERROR);
    tr_put_rw(&t, BLKIF_OP_READ, 3, 0, 1, 200);
    tr_push(&t);
    blk_ring_service(&t.ring);
    ck_assert_int_eq(expect_rsp(3, BLKIF_OP_READ), BLKIF_RSP_OKAY);
    ck_assert_mem_eq(tr_page(&t, 200), tr_page(&t, 100), 4096);
}
END_TEST

START_TEST(io_whole_copy_failure_is_isolated)
{
    /* A grant copy call that fails as a whole (as gntdev does for some
     * errors) is retried request by request. */
    t.guest.poison = 150;
    tr_put_rw(&t, BLKIF_OP_WRITE, 1, 0, 1, 100);
    tr_put_rw(&t, BLKIF_OP_WRITE, 2, 8, 1, 150);
    tr_put_rw(&t, BLKIF_OP_WRITE, 3, 16, 1, 101);
    tr_push(&t);
    blk_ring_service(&t.ring);
    ck_assert_int_eq(expect_rsp(1, BLKIF_OP_WRITE), BLKIF_RSP_OKAY);
    ck_assert_int_eq(expect_rsp(2, BLKIF_OP_WRITE), BLKIF_RSP_ERROR);
    ck_assert_int_eq(expect_rsp(3, BLKIF_OP_WRITE), BLKIF_RSP_OKAY);
}
END_TEST

START_TEST(io_hostile_req_prod_is_fatal)
{
    tr_put_rw(&t, BLKIF_OP_READ, 1, 0, 1, 100);
    tr_push(&t);
    t.sring->req_prod = 1000;
    ck_assert_int_eq(blk_ring_service(&t.ring), -1);
    ck_assert_ptr_nonnull(strstr(t.ring.fatal, "ahead"));
    ck_assert_uint_eq(t.sring->rsp_prod, 0);         /* nothing answered */
    ck_assert_uint_eq(t.guest.calls, 0);             /* nothing copied */
}
END_TEST

START_TEST(io_unknown_op_answered)
{
    tr_put_rw(&t, 99, 42, 0, 1, 100);
    tr_put_rw(&t, BLKIF_OP_READ, 43, 0, 1, 100);
    tr_push(&t);
    blk_ring_service(&t.ring);
    ck_assert_int_eq(expect_rsp(42, 99), BLKIF_RSP_EOPNOTSUPP);
    ck_assert_int_eq(expect_rsp(43, BLKIF_OP_READ), BLKIF_RSP_OKAY);
    ck_assert_uint_eq(t.ring.cnt.unsupported, 1);
    ck_assert_uint_eq(t.ring.cnt.reqs[BLKREQ_OTHER], 1);
}
END_TEST

START_TEST(io_garbage_requests_answered_with_errors)
{
    tr_put_rw(&t, BLKIF_OP_READ, 1, 4096, 1, 100);                 /* past the end */
    blkif_request_t *r = tr_next(&t);                        /* 0 segments */
    r->operation = BLKIF_OP_WRITE;
    r->id = 2;
    r = tr_next(&t);                                         /* 200 segments */
    r->operation = BLKIF_OP_READ;
    r->nr_segments = 200;
    r->id = 3;
    tr_put_rw(&t, BLKIF_OP_READ, 4, 0, 1, 100);
    t.front.req_prod_pvt--;
    r = RING_GET_REQUEST(&t.front, t.front.req_prod_pvt);
    r->seg[0].first_sect = 7;
    r->seg[0].last_sect = 1;
    t.front.req_prod_pvt++;
    tr_push(&t);
    ck_assert_int_ge(blk_ring_service(&t.ring), 0);
    ck_assert_int_eq(expect_rsp(1, BLKIF_OP_READ), BLKIF_RSP_ERROR);
    ck_assert_int_eq(expect_rsp(2, BLKIF_OP_WRITE), BLKIF_RSP_ERROR);
    ck_assert_int_eq(expect_rsp(3, BLKIF_OP_READ), BLKIF_RSP_ERROR);
    ck_assert_int_eq(expect_rsp(4, BLKIF_OP_READ), BLKIF_RSP_ERROR);
    ck_assert_uint_eq(t.guest.calls, 0);
}
END_TEST

START_TEST(io_indirect_1mib_roundtrip)
{
    for (unsigned i = 0; i < 256; i++)
        tr_fill(&t, 100 + i, i * 3 + 1);
    tr_put_indirect(&t, BLKIF_OP_WRITE, 7, 2048, 256, 10, 100);
    tr_push(&t);
    blk_ring_service(&t.ring);
    ck_assert_int_eq(expect_rsp(7, BLKIF_OP_WRITE), BLKIF_RSP_OKAY);
    tr_put_indirect(&t, BLKIF_OP_READ, 8, 2048, 256, 11, 400);
    tr_push(&t);
    blk_ring_service(&t.ring);
    ck_assert_int_eq(expect_rsp(8, BLKIF_OP_READ), BLKIF_RSP_OKAY);
    ck_assert_mem_eq(tr_page(&t, 400), tr_page(&t, 100), 256 * 4096);
    ck_assert_uint_eq(t.ring.cnt.indirect, 2);
    ck_assert_uint_eq(t.ring.cnt.bytes_read, 1u << 20);
}
END_TEST

START_TEST(io_indirect_hostile)
{
    /* Bad indirect gref. */
    tr_put_indirect(&t, BLKIF_OP_READ, 1, 0, 8, 10, 100);
    ((struct blkif_request_indirect *)RING_GET_REQUEST(&t.front, 0))->indirect_grefs[0] = 0;
    /* Garbage in the indirect page. */
    tr_put_indirect(&t, BLKIF_OP_READ, 2, 0, 8, 11, 100);
    ((struct blkif_request_segment *)tr_page(&t, 11))[5].last_sect = 9;
    /* More segments than advertised. */
    tr_put_indirect(&t, BLKIF_OP_READ, 3, 0, 300, 12, 100);
    /* Indirect flush. */
    tr_put_indirect(&t, BLKIF_OP_FLUSH_DISKCACHE, 4, 0, 1, 13, 100);
    /* A good one last. */
    tr_put_indirect(&t, BLKIF_OP_READ, 5, 0, 8, 14, 100);
    tr_push(&t);
    ck_assert_int_ge(blk_ring_service(&t.ring), 0);
    ck_assert_int_eq(expect_rsp(1, BLKIF_OP_READ), BLKIF_RSP_ERROR);
    ck_assert_int_eq(expect_rsp(2, BLKIF_OP_READ), BLKIF_RSP_ERROR);
    ck_assert_int_eq(expect_rsp(3, BLKIF_OP_READ), BLKIF_RSP_ERROR);
    ck_assert_int_eq(expect_rsp(4, BLKIF_OP_FLUSH_DISKCACHE), BLKIF_RSP_ERROR);
    ck_assert_int_eq(expect_rsp(5, BLKIF_OP_READ), BLKIF_RSP_OKAY);
}
END_TEST

START_TEST(io_flush_and_barrier)
{
    blkif_request_t *r = tr_next(&t);
    r->operation = BLKIF_OP_FLUSH_DISKCACHE;
    r->id = 1;
    tr_fill(&t, 100, 77);
    tr_put_rw(&t, BLKIF_OP_WRITE_BARRIER, 2, 40, 1, 100);
    tr_put_rw(&t, BLKIF_OP_READ, 3, 40, 1, 200);        /* after the barrier: sees it */
    tr_push(&t);
    blk_ring_service(&t.ring);
    ck_assert_int_eq(expect_rsp(1, BLKIF_OP_FLUSH_DISKCACHE), BLKIF_RSP_OKAY);
    ck_assert_int_eq(expect_rsp(2, BLKIF_OP_WRITE_BARRIER), BLKIF_RSP_OKAY);
    ck_assert_int_eq(expect_rsp(3, BLKIF_OP_READ), BLKIF_RSP_OKAY);
    ck_assert_mem_eq(tr_page(&t, 200), tr_page(&t, 100), 4096);
    ck_assert_uint_eq(t.ring.cnt.reqs[BLKREQ_FLUSH], 1);
    ck_assert_uint_eq(t.ring.cnt.reqs[BLKREQ_BARRIER], 1);
}
END_TEST

START_TEST(io_discard_zeroes)
{
    if (!t.disk.discard)
        return;             /* the filesystem under /tmp cannot punch holes */
    for (unsigned i = 0; i < 4; i++)
        tr_fill(&t, 100 + i, i + 5);
    tr_put_rw(&t, BLKIF_OP_WRITE, 1, 0, 4, 100);
    blkif_request_t *r = tr_next(&t);
    struct blkif_request_discard *d = (struct blkif_request_discard *)r;
    d->operation = BLKIF_OP_DISCARD;
    d->id = 2;
    d->sector_number = 8;
    d->nr_sectors = 16;
    tr_put_rw(&t, BLKIF_OP_READ, 3, 0, 4, 200);
    tr_push(&t);
    blk_ring_service(&t.ring);
    ck_assert_int_eq(expect_rsp(1, BLKIF_OP_WRITE), BLKIF_RSP_OKAY);
    ck_assert_int_eq(expect_rsp(2, BLKIF_OP_DISCARD), BLKIF_RSP_OKAY);
    ck_assert_int_eq(expect_rsp(3, BLKIF_OP_READ), BLKIF_RSP_OKAY);
    static const uint8_t zero[8192];
    ck_assert_mem_eq(tr_page(&t, 200), tr_page(&t, 100), 4096);
    ck_assert_mem_eq(tr_page(&t, 201), zero, 8192);
    ck_assert_mem_eq(tr_page(&t, 203), tr_page(&t, 103), 4096);
}
END_TEST

START_TEST(io_one_push_per_batch)
{
    for (unsigned i = 0; i < 32; i++)
        tr_put_rw(&t, i & 1 ? BLKIF_OP_READ : BLKIF_OP_WRITE, i, i * 8, 1, 100 + i);
    tr_push(&t);
    ck_assert_int_eq(blk_ring_service(&t.ring), 1);
    ck_assert_uint_eq(t.ring.cnt.batches, 1);
    ck_assert_uint_eq(t.guest.calls, 2);         /* writes in, reads out */
    ck_assert_uint_eq(t.sring->rsp_prod, 32);
    ck_assert_uint_eq(t.sring->req_event, 33);   /* armed for the next one */
}
END_TEST

START_TEST(io_bounce_limit_splits_batches)
{
    /* 4 x 1 MiB indirect writes on a ring with the minimum bounce (1 MiB):
     * four batches, every request answered. */
    for (unsigned i = 0; i < 4; i++)
        tr_put_indirect(&t, BLKIF_OP_WRITE, i, i * 256 * 8 % 4096, 256, 10 + i, 100);
    tr_push(&t);
    ck_assert_int_ge(blk_ring_service(&t.ring), 0);
    for (unsigned i = 0; i < 4; i++)
        ck_assert_int_eq(expect_rsp(i, BLKIF_OP_WRITE), BLKIF_RSP_OKAY);
    ck_assert_uint_eq(t.ring.cnt.batches, 4);
}
END_TEST

START_TEST(io_resume_at_rsp_prod)
{
    /* As after a daemon restart: the ring already went around. */
    blk_ring_teardown(&t.ring);
    t.sring->req_prod = t.sring->rsp_prod = 1000;
    t.front.req_prod_pvt = t.front.rsp_cons = 1000;
    struct blk_copier c = { fake_copy, &t.guest };
    struct blk_iodrv drv = tr_iodrv(&t);
    ck_assert_int_eq(blk_ring_setup(&t.ring, t.sring, 0, FAKE_DOMID, &t.disk, &t.lim, &c, &drv, 0),
                     0);
    tr_put_rw(&t, BLKIF_OP_READ, 5, 0, 1, 100);
    tr_push(&t);
    ck_assert_int_ge(blk_ring_service(&t.ring), 0);
    ck_assert_int_eq(expect_rsp(5, BLKIF_OP_READ), BLKIF_RSP_OKAY);
    ck_assert_uint_eq(t.sring->rsp_prod, 1001);
}
END_TEST

START_TEST(io_readonly_disk)
{
    tr_teardown(&t);
    tr_setup(&t, 0, 1u << 20, false);
    tr_put_rw(&t, BLKIF_OP_WRITE, 1, 0, 1, 100);
    tr_put_rw(&t, BLKIF_OP_READ, 2, 0, 1, 100);
    blkif_request_t *r = tr_next(&t);
    struct blkif_request_discard *d = (struct blkif_request_discard *)r;
    d->operation = BLKIF_OP_DISCARD;
    d->id = 3;
    d->nr_sectors = 8;
    tr_push(&t);
    blk_ring_service(&t.ring);
    ck_assert_int_eq(expect_rsp(1, BLKIF_OP_WRITE), BLKIF_RSP_ERROR);
    ck_assert_int_eq(expect_rsp(2, BLKIF_OP_READ), BLKIF_RSP_OKAY);
    ck_assert_int_eq(expect_rsp(3, BLKIF_OP_DISCARD), BLKIF_RSP_EOPNOTSUPP);
}
END_TEST

START_TEST(io_order1_ring_full)
{
    tr_teardown(&t);
    tr_setup(&t, 1, 1u << 20, true);
    ck_assert_uint_eq(t.ring.slots, 64);
    for (unsigned i = 0; i < 64; i++)
        tr_put_rw(&t, BLKIF_OP_READ, i, i, 1, 100 + i);
    tr_push(&t);
    ck_assert_int_ge(blk_ring_service(&t.ring), 0);
    for (unsigned i = 0; i < 64; i++)
        ck_assert_int_eq(expect_rsp(i, BLKIF_OP_READ), BLKIF_RSP_OKAY);
}
END_TEST

Suite *io_suite(void)
{
    Suite *s = suite_create("io");
    TCase *tc = tcase_create("engine");
    tcase_add_checked_fixture(tc, io_setup, ring_teardown);
    tcase_add_test(tc, io_write_then_read_back);
    tcase_add_test(tc, io_partial_segments_pack);
    tcase_add_test(tc, io_bad_grant_fails_only_its_request);
    tcase_add_test(tc, io_bad_grant_write_leaves_disk_alone);
    tcase_add_test(tc, io_whole_copy_failure_is_isolated);
    tcase_add_test(tc, io_hostile_req_prod_is_fatal);
    tcase_add_test(tc, io_unknown_op_answered);
    tcase_add_test(tc, io_garbage_requests_answered_with_errors);
    tcase_add_test(tc, io_indirect_1mib_roundtrip);
    tcase_add_test(tc, io_indirect_hostile);
    tcase_add_test(tc, io_flush_and_barrier);
    tcase_add_test(tc, io_discard_zeroes);
    tcase_add_test(tc, io_one_push_per_batch);
    tcase_add_test(tc, io_bounce_limit_splits_batches);
    tcase_add_test(tc, io_resume_at_rsp_prod);
    tcase_add_test(tc, io_readonly_disk);
    tcase_add_test(tc, io_order1_ring_full);
    suite_add_tcase(s, tc);
    return s;
}

/* ---- runner --------------------------------------------------------------- */

int main(void)
{
    SRunner *sr = srunner_create(req_suite());
    srunner_add_suite(sr, ring_suite());
    srunner_add_suite(sr, io_suite());
    srunner_add_suite(sr, fsm_suite());
    srunner_add_suite(sr, ringio_suite());
    srunner_add_suite(sr, pipeline_suite());
    srunner_add_suite(sr, pgrant_suite());
    srunner_run_all(sr, CK_NORMAL);     /* prints the summary line */
    int ran = srunner_ntests_run(sr);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (ran == 0) {
        fprintf(stderr, "test_blkback: no test ran\n");
        return 1;
    }
    return failed == 0 ? 0 : 1;
}
