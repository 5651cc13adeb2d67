/*
 * The pipelined engine: requests taken while earlier ones are on the disk,
 * I/O finishing out of order (the fake driver holds every I/O until a test
 * finishes it), answers in ring order, flushes and barriers after the
 * writes in flight before them, bounce space running out, a frontend
 * turning hostile with I/O in flight, and the drain before a stop (Linux
 * AIO on a temp file).
 */
#define _GNU_SOURCE
#include "test_helpers.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static struct test_ring t;

static void held_setup(void)
{
    tr_setup_io(&t, 0, 2u << 20, true, TR_IO_HELD);
}

static void aio_setup(void)
{
    tr_setup_io(&t, 0, 2u << 20, true, TR_IO_AIO);
}

static void teardown(void)
{
    tr_teardown(&t);
}

static void expect(uint64_t id, uint8_t op, int16_t status)
{
    blkif_response_t rsp;
    ck_assert_msg(tr_response(&t, &rsp), "no answer for id %llu", (unsigned long long)id);
    ck_assert_uint_eq(rsp.id, id);
    ck_assert_uint_eq(rsp.operation, op);
    ck_assert_int_eq(rsp.status, status);
}

static void expect_none(void)
{
    blkif_response_t rsp;
    ck_assert(!tr_response(&t, &rsp));
}

/* Writes one page of pattern `seed` at sector directly into the file. */
static void file_put(uint64_t sector, unsigned seed, grant_ref_t scratch)
{
    tr_fill(&t, scratch, seed);
    FILE *f = fopen(t.path, "r+b");
    ck_assert_ptr_nonnull(f);
    fseek(f, (long)(sector * 512), SEEK_SET);
    ck_assert_uint_eq(fwrite(tr_page(&t, scratch), 1, BLK_PAGE_SIZE, f), BLK_PAGE_SIZE);
    fclose(f);
}

START_TEST(pipe_takes_while_io_in_flight)
{
    for (unsigned i = 0; i < 4; i++)
        tr_put_rw(&t, BLKIF_OP_READ, i, i * 8, 1, 100 + i);
    tr_push(&t);
    ck_assert_int_eq(blk_ring_service(&t.ring), 0);
    ck_assert_uint_eq(t.fdisk.submits, 1);          /* one io_submit for the four */
    ck_assert_uint_eq(t.fdisk.nheld, 4);
    ck_assert_uint_eq(blk_ring_busy(&t.ring), 4);
    expect_none();
    /* More requests while those are on the disk: taken and started too. */
    tr_put_rw(&t, BLKIF_OP_WRITE, 4, 64, 2, 200);
    tr_put_rw(&t, BLKIF_OP_READ, 5, 80, 1, 300);
    tr_push(&t);
    ck_assert_int_eq(blk_ring_service(&t.ring), 0);
    ck_assert_uint_eq(t.fdisk.nheld, 6);
    ck_assert_uint_eq(t.ring.inflight, 6);
    /* I/O in flight: its completion wakes the engine, which looks at the
     * ring then; the frontend is not asked to kick (req_event unarmed). */
    ck_assert_uint_eq(t.sring->req_event, 1);
    while (t.fdisk.nheld)
        fake_disk_finish(&t.fdisk, 0, 0);
    ck_assert_int_eq(blk_ring_service(&t.ring), 1);
    ck_assert_uint_eq(t.sring->req_event, 7);       /* idle: now it is armed */
    for (unsigned i = 0; i < 4; i++)
        expect(i, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    expect(4, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    expect(5, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    ck_assert_uint_eq(t.ring.cnt.batches, 2);
}
END_TEST

START_TEST(pipe_out_of_order_completion)
{
    for (unsigned i = 0; i < 4; i++)
        file_put(i * 8, 40 + i, 50);
    for (unsigned i = 0; i < 4; i++)
        tr_put_rw(&t, BLKIF_OP_READ, 10 + i, i * 8, 1, 100 + i);
    tr_push(&t);
    blk_ring_service(&t.ring);
    ck_assert_uint_eq(t.fdisk.nheld, 4);
    unsigned calls = t.guest.calls;

    /* The last finishes first: its data goes back at once, its answer
     * waits for the three before it (ring order). */
    fake_disk_finish(&t.fdisk, 3, 0);
    ck_assert_int_eq(blk_ring_service(&t.ring), 0);
    ck_assert_uint_eq(t.guest.calls, calls + 1);
    tr_fill(&t, 60, 43);
    ck_assert_mem_eq(tr_page(&t, 103), tr_page(&t, 60), 4096);
    ck_assert_uint_eq(t.sring->rsp_prod, 0);
    expect_none();

    /* The second fails on the disk, then the first finishes: both answered. */
    fake_disk_finish(&t.fdisk, 1, -EIO);
    fake_disk_finish(&t.fdisk, 0, 0);
    ck_assert_int_eq(blk_ring_service(&t.ring), 1);
    expect(10, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    expect(11, BLKIF_OP_READ, BLKIF_RSP_ERROR);
    expect_none();                                 /* 12 is still on the disk */
    fake_disk_finish(&t.fdisk, 0, 0);
    t.sring->rsp_event = t.front.rsp_cons + 1;
    ck_assert_int_eq(blk_ring_service(&t.ring), 1);
    expect(12, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    expect(13, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    for (unsigned i = 0; i < 4; i++) {
        if (i == 1)
            continue;
        tr_fill(&t, 60, 40 + i);
        ck_assert_mem_eq(tr_page(&t, 100 + i), tr_page(&t, 60), 4096);
    }
    ck_assert_uint_eq(t.ring.cnt.errors, 1);
    ck_assert_uint_eq(blk_ring_busy(&t.ring), 0);
    ck_assert_uint_eq(t.ring.bounce_held, 0);
}
END_TEST

START_TEST(pipe_flush_waits_for_writes_in_flight)
{
    tr_fill(&t, 100, 1);
    tr_fill(&t, 101, 2);
    tr_fill(&t, 102, 3);
    tr_put_rw(&t, BLKIF_OP_WRITE, 1, 0, 1, 100);
    tr_put_rw(&t, BLKIF_OP_WRITE, 2, 8, 1, 101);
    blkif_request_t *r = tr_next(&t);
    r->operation = BLKIF_OP_FLUSH_DISKCACHE;
    r->id = 3;
    tr_put_rw(&t, BLKIF_OP_WRITE, 4, 16, 1, 102);            /* after the flush */
    tr_push(&t);
    blk_ring_service(&t.ring);
    /* The flush waits for the two writes; the write after it is not taken. */
    ck_assert_uint_eq(t.fdisk.ios, 2);
    ck_assert_uint_eq(t.ring.br.req_cons, 2);
    fake_disk_finish(&t.fdisk, 1, 0);
    blk_ring_service(&t.ring);
    ck_assert_uint_eq(t.ring.br.req_cons, 2);      /* one write still in flight */
    ck_assert_uint_eq(t.fdisk.ios, 2);
    fake_disk_finish(&t.fdisk, 0, 0);
    blk_ring_service(&t.ring);
    /* Both done: the flush ran, then the last write started. */
    ck_assert_uint_eq(t.ring.br.req_cons, 4);
    ck_assert_uint_eq(t.fdisk.ios, 3);
    expect(1, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    expect(2, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    expect(3, BLKIF_OP_FLUSH_DISKCACHE, BLKIF_RSP_OKAY);
    expect_none();
    fake_disk_finish(&t.fdisk, 0, 0);
    blk_ring_service(&t.ring);
    expect(4, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    ck_assert_uint_eq(t.ring.cnt.reqs[BLKREQ_FLUSH], 1);
}
END_TEST

START_TEST(pipe_barrier_not_overtaken)
{
    /* A write in flight, a barrier writing the same sectors, then a read
     * of them: the barrier waits for the write and the read sees the
     * barrier's data, not the write's. */
    tr_fill(&t, 100, 7);
    tr_fill(&t, 101, 8);
    tr_put_rw(&t, BLKIF_OP_WRITE, 1, 32, 1, 100);
    tr_put_rw(&t, BLKIF_OP_WRITE_BARRIER, 2, 32, 1, 101);
    tr_put_rw(&t, BLKIF_OP_READ, 3, 32, 1, 200);
    tr_push(&t);
    blk_ring_service(&t.ring);
    ck_assert_uint_eq(t.fdisk.ios, 1);
    ck_assert_uint_eq(t.ring.br.req_cons, 1);
    fake_disk_finish(&t.fdisk, 0, 0);
    blk_ring_service(&t.ring);
    ck_assert_uint_eq(t.ring.br.req_cons, 3);
    ck_assert_uint_eq(t.fdisk.ios, 2);             /* the read; the barrier wrote itself */
    expect(1, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    expect(2, BLKIF_OP_WRITE_BARRIER, BLKIF_RSP_OKAY);
    fake_disk_finish(&t.fdisk, 0, 0);
    blk_ring_service(&t.ring);
    expect(3, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    ck_assert_mem_eq(tr_page(&t, 200), tr_page(&t, 101), 4096);
}
END_TEST

START_TEST(pipe_bounce_exhaustion)
{
    /* Bounce 1 MiB (the minimum), 256 KiB writes: four fit, the fifth
     * waits until the first is answered (space comes back in ring order). */
    for (unsigned i = 0; i < 64; i++)
        tr_fill(&t, 100 + i, i);
    for (unsigned i = 0; i < 6; i++)
        tr_put_indirect(&t, BLKIF_OP_WRITE, i, i * 512, 64, (grant_ref_t)(10 + i), 100);
    tr_push(&t);
    blk_ring_service(&t.ring);
    ck_assert_uint_eq(t.fdisk.ios, 4);
    ck_assert_uint_eq(t.ring.br.req_cons, 4);
    ck_assert_uint_eq(t.ring.bounce_held, 1u << 20);
    fake_disk_finish(&t.fdisk, 1, 0);              /* not the first: nothing freed */
    blk_ring_service(&t.ring);
    ck_assert_uint_eq(t.fdisk.ios, 4);
    expect_none();
    fake_disk_finish(&t.fdisk, 0, 0);              /* 0 and 1 answered: 512 KiB back */
    blk_ring_service(&t.ring);
    expect(0, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    expect(1, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    ck_assert_uint_eq(t.fdisk.ios, 6);
    ck_assert_uint_eq(t.ring.br.req_cons, 6);
    /* Now a 1 MiB write: waits for everything before it, then wraps. */
    tr_put_indirect(&t, BLKIF_OP_WRITE, 6, 4000 - 2048, 256, 20, 100);
    tr_push(&t);
    blk_ring_service(&t.ring);
    ck_assert_uint_eq(t.fdisk.ios, 6);
    for (unsigned i = 2; i < 6; i++) {
        fake_disk_finish(&t.fdisk, 0, 0);
        blk_ring_service(&t.ring);
        expect(i, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    }
    ck_assert_uint_eq(t.fdisk.ios, 7);
    fake_disk_finish(&t.fdisk, 0, 0);
    blk_ring_service(&t.ring);
    expect(6, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    ck_assert_uint_eq(t.ring.bounce_held, 0);
    ck_assert_uint_eq(t.ring.cnt.errors, 0);
}
END_TEST

START_TEST(pipe_hostile_slot_rewrite_in_flight)
{
    /* The frontend rewrites a slot whose request is on the disk: the
     * engine works from its copy, and answers the id it took. */
    file_put(24, 9, 50);
    tr_put_rw(&t, BLKIF_OP_READ, 1, 24, 1, 100);
    blkif_request_t *slot = RING_GET_REQUEST(&t.front, 0);
    tr_push(&t);
    blk_ring_service(&t.ring);
    slot->id = 99;
    slot->operation = BLKIF_OP_WRITE;
    slot->nr_segments = 200;
    slot->seg[0].gref = 0;
    /* A garbage request behind it waits for it (ring order). */
    tr_put_rw(&t, BLKIF_OP_READ, 2, 0, 1, 100);
    RING_GET_REQUEST(&t.front, 1)->seg[0].last_sect = 9;
    tr_push(&t);
    blk_ring_service(&t.ring);
    expect_none();
    fake_disk_finish(&t.fdisk, 0, 0);
    blk_ring_service(&t.ring);
    expect(1, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    expect(2, BLKIF_OP_READ, BLKIF_RSP_ERROR);
    tr_fill(&t, 60, 9);
    ck_assert_mem_eq(tr_page(&t, 100), tr_page(&t, 60), 4096);
}
END_TEST

START_TEST(pipe_hostile_req_prod_in_flight)
{
    /* Real AIO: reads on the disk when req_prod runs away.  Nothing more
     * is answered, and teardown waits for the disk before the bounce
     * buffer goes (ASan would see a write into freed memory otherwise). */
    for (unsigned i = 0; i < 8; i++)
        tr_put_rw(&t, BLKIF_OP_READ, i, i * 64, 8, 100 + i * 8);
    tr_push(&t);
    ck_assert_int_ge(blk_ring_service(&t.ring), 0);
    ck_assert_uint_eq(t.ring.br.req_cons, 8);
    RING_IDX answered = t.sring->rsp_prod;
    t.sring->req_prod = t.ring.br.rsp_prod_pvt + 1000;
    ck_assert_int_eq(blk_ring_service(&t.ring), -1);
    ck_assert_ptr_nonnull(strstr(t.ring.fatal, "ahead"));
    ck_assert_uint_eq(t.sring->rsp_prod, answered);
}
END_TEST

START_TEST(pipe_drain_answers_what_was_taken)
{
    /* Before a stop: everything taken is answered, what was not taken
     * stays on the ring for the next daemon (bounce full: 5 of 6). */
    for (unsigned i = 0; i < 6; i++)
        tr_put_indirect(&t, BLKIF_OP_WRITE, i, i * 512, 64, (grant_ref_t)(10 + i), 100);
    for (unsigned i = 0; i < 64; i++)
        tr_fill(&t, 100 + i, i);
    tr_push(&t);
    ck_assert_int_ge(blk_ring_service(&t.ring), 0);
    RING_IDX taken = t.ring.br.req_cons;
    ck_assert_uint_ge(taken, 4);
    blk_ring_drain(&t.ring);
    ck_assert_uint_eq(blk_ring_busy(&t.ring), 0);
    ck_assert_uint_eq(t.sring->rsp_prod, taken);
    for (unsigned i = 0; i < taken; i++)
        expect(i, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    ck_assert_uint_eq(t.ring.br.req_cons, taken);
    /* A daemon that resumes at rsp_prod serves the rest. */
    blk_ring_teardown(&t.ring);
    struct blk_copier c = { fake_copy, &t.guest };
    ck_assert_int_eq(blk_ring_setup(&t.ring, t.sring, 0, FAKE_DOMID, &t.disk, &t.lim, &c, NULL,
                                    0), 0);
    t.sring->rsp_event = t.front.rsp_cons + 1;
    ck_assert_int_ge(tr_serve(&t), 0);
    for (unsigned i = taken; i < 6; i++)
        expect(i, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    expect_none();
}
END_TEST

Suite *pipeline_suite(void)
{
    Suite *s = suite_create("pipeline");
    TCase *tc = tcase_create("held");
    tcase_add_checked_fixture(tc, held_setup, teardown);
    tcase_add_test(tc, pipe_takes_while_io_in_flight);
    tcase_add_test(tc, pipe_out_of_order_completion);
    tcase_add_test(tc, pipe_flush_waits_for_writes_in_flight);
    tcase_add_test(tc, pipe_barrier_not_overtaken);
    tcase_add_test(tc, pipe_bounce_exhaustion);
    tcase_add_test(tc, pipe_hostile_slot_rewrite_in_flight);
    suite_add_tcase(s, tc);
    tc = tcase_create("aio");
    tcase_add_checked_fixture(tc, aio_setup, teardown);
    tcase_add_test(tc, pipe_hostile_req_prod_in_flight);
    tcase_add_test(tc, pipe_drain_answers_what_was_taken);
    suite_add_tcase(s, tc);
    return s;
}
