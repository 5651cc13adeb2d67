/*
 * pgrant.c: persistent grants kept mapped.  The fake guest's memory is a
 * memfd, and fake_map maps a batch of its pages at consecutive addresses
 * as gntdev does, so what the copier writes through a mapping is what the
 * guest sees.  One refused ref fails the whole batch, as in gntdev.
 */
#define _GNU_SOURCE
#include "test_helpers.h"

#include "pgrant.h"

#include <string.h>


struct pg_test {
    struct fake_guest g;
    struct pgrant_cache cache;
    struct pgrant_copier cp;
    struct blk_counters cnt;
};

/* Every page granted and filled with a pattern; the fallback is fake_copy,
 * told to answer odd segments with an error. */
static void pg_setup(struct pg_test *t, unsigned cap)
{
    memset(t, 0, sizeof(*t));
    fake_guest_init(&t->g);
    t->g.lenient = true;
    for (unsigned i = 0; i < FAKE_PAGES; i++) {
        t->g.granted[i] = true;
        for (unsigned b = 0; b < BLK_PAGE_SIZE; b++)
            t->g.mem[(size_t)i * BLK_PAGE_SIZE + b] = (uint8_t)(i * 31 + b * 7);
    }
    struct pgrant_mapper m = { fake_map, fake_unmap, &t->g };
    struct blk_copier fb = { fake_copy, &t->g };
    ck_assert_int_eq(pgrant_init(&t->cache, &m, FAKE_DOMID, cap), 0);
    pgrant_copier_init(&t->cp, &t->cache, &fb, &t->cnt);
}

static void pg_teardown(struct pg_test *t)
{
    pgrant_copier_fini(&t->cp);
    pgrant_fini(&t->cache);
    fake_guest_fini(&t->g);             /* checks every page was unmapped */
}

/* A segment between the frontend's ref and our buffer, either way. */
static xengnttab_grant_copy_segment_t fe_seg(bool from_fe, grant_ref_t ref, uint16_t off,
                                             uint16_t len, void *buf)
{
    xengnttab_grant_copy_segment_t s = { 0 };
    __typeof__(s.source.foreign) fe = { .ref = ref, .offset = off, .domid = FAKE_DOMID };
    if (from_fe) {
        s.source.foreign = fe;
        s.dest.virt = buf;
        s.flags = GNTCOPY_source_gref;
    } else {
        s.dest.foreign = fe;
        s.source.virt = buf;
        s.flags = GNTCOPY_dest_gref;
    }
    s.len = len;
    s.status = 99;
    return s;
}

#define from_fe(ref, off, len, buf) fe_seg(true, ref, off, len, buf)
#define to_fe(ref, off, len, buf) fe_seg(false, ref, off, len, buf)

static uint8_t *gpage(struct pg_test *t, grant_ref_t ref)
{
    return t->g.mem + (size_t)ref * BLK_PAGE_SIZE;
}

START_TEST(mapped_once_and_copied_both_ways)
{
    struct pg_test t;
    static uint8_t buf[8][BLK_PAGE_SIZE], out[4][BLK_PAGE_SIZE];
    xengnttab_grant_copy_segment_t s[8];

    pg_setup(&t, 16);
    for (unsigned r = 0; r < 2; r++) {
        for (unsigned k = 0; k < 4; k++) {
            s[k] = from_fe(10 + k, (uint16_t)(k * 512), 2048, buf[k]);
            memset(out[k], 0x40 + r * 4 + k, sizeof(out[k]));
            s[4 + k] = to_fe(20 + k, 1024, 3072, out[k]);
        }
        ck_assert_int_eq(pgrant_copy(&t.cp, 8, s), 0);
        for (unsigned k = 0; k < 8; k++)
            ck_assert_int_eq(s[k].status, GNTST_okay);
        for (unsigned k = 0; k < 4; k++) {
            ck_assert_mem_eq(buf[k], gpage(&t, 10 + k) + k * 512, 2048);
            ck_assert_mem_eq(gpage(&t, 20 + k) + 1024, out[k], 3072);
        }
    }
    /* One batch for all 8 refs, none the second time, nothing by grant copy. */
    ck_assert_uint_eq(t.g.map_calls, 1);
    ck_assert_uint_eq(t.g.pages_mapped, 8);
    ck_assert_uint_eq(t.g.segs, 0);
    ck_assert_uint_eq(t.cnt.refs_mapped, 8);
    ck_assert_uint_eq(t.cnt.segs_mapped, 16);
    pg_teardown(&t);
}
END_TEST

START_TEST(repeated_ref_in_one_call_maps_once)
{
    struct pg_test t;
    static uint8_t buf[8][512];
    xengnttab_grant_copy_segment_t s[8];

    pg_setup(&t, 16);
    for (unsigned k = 0; k < 8; k++)
        s[k] = from_fe(3, (uint16_t)(k * 512), 512, buf[k]);
    ck_assert_int_eq(pgrant_copy(&t.cp, 8, s), 0);
    ck_assert_uint_eq(t.g.pages_mapped, 1);
    ck_assert_uint_eq(t.g.map_calls, 1);
    for (unsigned k = 0; k < 8; k++)
        ck_assert_mem_eq(buf[k], gpage(&t, 3) + k * 512, 512);
    pg_teardown(&t);
}
END_TEST

START_TEST(bad_ref_gets_its_error_and_the_rest_are_mapped)
{
    struct pg_test t;
    static uint8_t buf[3][BLK_PAGE_SIZE];
    xengnttab_grant_copy_segment_t s[3];

    pg_setup(&t, 16);
    t.g.granted[6] = false;
    s[0] = from_fe(4, 0, BLK_PAGE_SIZE, buf[0]);
    s[1] = from_fe(6, 0, BLK_PAGE_SIZE, buf[1]);
    s[2] = from_fe(5, 0, BLK_PAGE_SIZE, buf[2]);
    ck_assert_int_eq(pgrant_copy(&t.cp, 3, s), 0);
    ck_assert_int_eq(s[0].status, GNTST_okay);
    ck_assert_int_eq(s[1].status, GNTST_bad_gntref);
    ck_assert_int_eq(s[2].status, GNTST_okay);
    ck_assert_mem_eq(buf[0], gpage(&t, 4), BLK_PAGE_SIZE);
    ck_assert_mem_eq(buf[2], gpage(&t, 5), BLK_PAGE_SIZE);
    /* The batch failed; then each alone: 4 and 5 mapped, 6 refused. */
    ck_assert_uint_eq(t.g.map_calls, 4);
    ck_assert_uint_eq(t.g.pages_mapped, 2);
    ck_assert_uint_eq(t.cache.failures, 1);
    ck_assert_uint_eq(t.g.segs, 1);
    /* A read-only grant cannot be kept mapped rw: grant copy does it. */
    t.g.readonly[7] = true;
    s[0] = from_fe(7, 0, 512, buf[0]);
    ck_assert_int_eq(pgrant_copy(&t.cp, 1, s), 0);
    ck_assert_int_eq(s[0].status, GNTST_okay);
    ck_assert_mem_eq(buf[0], gpage(&t, 7), 512);
    ck_assert_uint_eq(t.g.segs, 2);
    pg_teardown(&t);
}
END_TEST

START_TEST(failures_stop_new_mappings_but_not_old_ones)
{
    struct pg_test t;
    static uint8_t buf[BLK_PAGE_SIZE];
    xengnttab_grant_copy_segment_t s;

    pg_setup(&t, 32);
    s = from_fe(1, 0, 512, buf);
    ck_assert_int_eq(pgrant_copy(&t.cp, 1, &s), 0);
    for (unsigned i = 0; i < FAKE_PAGES; i++)
        t.g.granted[i] = i < 2;
    for (grant_ref_t r = FAKE_PAGES; r < FAKE_PAGES + PGRANT_MAX_FAILURES + 5; r++) {
        s = from_fe(r, 0, 512, buf);
        ck_assert_int_eq(pgrant_copy(&t.cp, 1, &s), 0);
        ck_assert_int_eq(s.status, GNTST_bad_gntref);
    }
    ck_assert_uint_eq(t.cache.failures, PGRANT_MAX_FAILURES);
    unsigned calls = t.g.map_calls;
    s = from_fe(0, 0, 512, buf);                /* granted, but no more mapping */
    ck_assert_int_eq(pgrant_copy(&t.cp, 1, &s), 0);
    ck_assert_int_eq(s.status, GNTST_okay);
    ck_assert_uint_eq(t.g.map_calls, calls);
    unsigned fb = t.g.segs;
    s = from_fe(1, 512, 512, buf);              /* still mapped */
    ck_assert_int_eq(pgrant_copy(&t.cp, 1, &s), 0);
    ck_assert_int_eq(s.status, GNTST_okay);
    ck_assert_mem_eq(buf, gpage(&t, 1) + 512, 512);
    ck_assert_uint_eq(t.g.segs, fb);
    pg_teardown(&t);
}
END_TEST

START_TEST(cap_limits_the_mappings)
{
    struct pg_test t;
    static uint8_t buf[6][BLK_PAGE_SIZE];
    xengnttab_grant_copy_segment_t s[6];

    pg_setup(&t, 4);
    for (unsigned k = 0; k < 6; k++)
        s[k] = from_fe(30 + k, 0, BLK_PAGE_SIZE, buf[k]);
    ck_assert_int_eq(pgrant_copy(&t.cp, 6, s), 0);
    for (unsigned k = 0; k < 6; k++) {
        ck_assert_int_eq(s[k].status, GNTST_okay);
        ck_assert_mem_eq(buf[k], gpage(&t, 30 + k), BLK_PAGE_SIZE);
    }
    ck_assert_uint_eq(t.g.pages_mapped, 4);
    ck_assert_uint_eq(t.g.segs, 2);
    ck_assert_uint_eq(t.cnt.segs_mapped, 4);
    pg_teardown(&t);
}
END_TEST

START_TEST(odd_segments_go_to_grant_copy_unchanged)
{
    struct pg_test t;
    static uint8_t buf[BLK_PAGE_SIZE];
    xengnttab_grant_copy_segment_t s[3];

    pg_setup(&t, 16);
    s[0] = from_fe(2, 3584, 1024, buf);                     /* past its page */
    s[1] = from_fe(2, 0, 512, buf);
    s[1].source.foreign.domid = FAKE_DOMID + 1;               /* another domain's ref */
    s[2] = from_fe(2, 0, 512, buf);
    s[2].flags |= GNTCOPY_dest_gref;                        /* both sides foreign */
    s[2].dest.foreign.domid = FAKE_DOMID;
    ck_assert_int_eq(pgrant_copy(&t.cp, 2, s), 0);
    ck_assert_int_eq(s[0].status, GNTST_bad_copy_arg);
    ck_assert_int_eq(s[1].status, GNTST_bad_gntref);
    ck_assert_uint_eq(t.g.segs, 2);
    ck_assert_uint_eq(t.g.pages_mapped, 0);
    pgrant_copy(&t.cp, 1, &s[2]);
    ck_assert_uint_eq(t.g.pages_mapped, 0);
    ck_assert_uint_eq(t.g.segs, 3);
    pg_teardown(&t);
}
END_TEST

START_TEST(a_failing_fallback_fails_the_call)
{
    struct pg_test t;
    static uint8_t buf[BLK_PAGE_SIZE];
    xengnttab_grant_copy_segment_t s[2];

    pg_setup(&t, 16);
    t.g.granted[9] = false;
    t.g.fail_copy = true;
    s[0] = from_fe(8, 0, 512, buf);
    s[1] = from_fe(9, 0, 512, buf);
    ck_assert_int_eq(pgrant_copy(&t.cp, 2, s), -1);
    s[0] = from_fe(8, 0, 512, buf);             /* mapped: the fallback is not called */
    ck_assert_int_eq(pgrant_copy(&t.cp, 1, s), 0);
    pg_teardown(&t);
}
END_TEST

START_TEST(rings_share_one_cache)
{
    struct pg_test t;
    struct pgrant_copier other;
    struct blk_counters ocnt = { 0 };
    static uint8_t a[BLK_PAGE_SIZE], b[BLK_PAGE_SIZE];
    xengnttab_grant_copy_segment_t s;

    pg_setup(&t, 16);
    struct blk_copier fb = { fake_copy, &t.g };
    pgrant_copier_init(&other, &t.cache, &fb, &ocnt);
    memset(a, 0x5a, sizeof(a));
    s = to_fe(12, 0, BLK_PAGE_SIZE, a);
    ck_assert_int_eq(pgrant_copy(&t.cp, 1, &s), 0);
    s = from_fe(12, 0, BLK_PAGE_SIZE, b);
    ck_assert_int_eq(pgrant_copy(&other, 1, &s), 0);
    ck_assert_mem_eq(a, b, BLK_PAGE_SIZE);
    ck_assert_uint_eq(t.g.pages_mapped, 1);
    ck_assert_uint_eq(ocnt.refs_mapped, 0);
    ck_assert_uint_eq(ocnt.segs_mapped, 1);
    pgrant_copier_fini(&other);
    pg_teardown(&t);
}
END_TEST

START_TEST(memcpy_every_length_and_alignment)
{
    static uint8_t src[400], dst[400], want[400];

    for (unsigned i = 0; i < sizeof(src); i++)
        src[i] = (uint8_t)(i * 13 + 1);
    for (unsigned so = 0; so < 16; so += 3)
        for (unsigned d = 0; d < 16; d += 5)
            for (unsigned len = 0; len <= 300; len++) {
                memset(dst, 0xcc, sizeof(dst));
                memset(want, 0xcc, sizeof(want));
                memcpy(want + d, src + so, len);
                pgrant_memcpy(dst + d, src + so, len);
                ck_assert_mem_eq(dst, want, sizeof(dst));
            }
}
END_TEST

/* The engine end to end through the cache: random direct and indirect
 * reads and writes, data checked (test_ringio.c's test with a kept-mapping
 * copier in front of its fake grant copy). */
START_TEST(engine_through_kept_mappings)
{
    static struct test_ring t;

    tr_setup_kept(&t, 1, 4u << 20);
    random_rw_against_file_on(&t);
    /* Everything went through the mappings, nothing by grant copy. */
    ck_assert_uint_gt(t.ring.cnt.segs, 500);
    ck_assert_uint_eq(t.ring.cnt.segs_mapped, t.ring.cnt.segs);
    ck_assert_uint_eq(t.guest.calls, 0);
    ck_assert_uint_gt(t.guest.pages_mapped, 10);
    tr_teardown(&t);
}
END_TEST

Suite *pgrant_suite(void)
{
    Suite *s = suite_create("pgrant");
    TCase *tc = tcase_create("pgrant");
    tcase_add_test(tc, mapped_once_and_copied_both_ways);
    tcase_add_test(tc, repeated_ref_in_one_call_maps_once);
    tcase_add_test(tc, bad_ref_gets_its_error_and_the_rest_are_mapped);
    tcase_add_test(tc, failures_stop_new_mappings_but_not_old_ones);
    tcase_add_test(tc, cap_limits_the_mappings);
    tcase_add_test(tc, odd_segments_go_to_grant_copy_unchanged);
    tcase_add_test(tc, a_failing_fallback_fails_the_call);
    tcase_add_test(tc, rings_share_one_cache);
    tcase_add_test(tc, memcpy_every_length_and_alignment);
    suite_add_tcase(s, tc);
    TCase *engine = tcase_create("engine");
    tcase_set_timeout(engine, 60);          /* as ringio's: AIO under ASan */
    tcase_add_test(engine, engine_through_kept_mappings);
    suite_add_tcase(s, engine);
    return s;
}
