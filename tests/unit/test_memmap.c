/* Unit tests for hypervisor/mm/memmap.c. */
#include <errno.h>
#include <stdlib.h>

#include <sv/memmap.h>

#include "suites.h"

static struct memmap map;

static void setup(void)
{
    memmap_init(&map);
}

/* Compares the whole table against an expected list of {start, end}. */
static void expect_ranges(const struct memrange *want, unsigned int n)
{
    ck_assert_uint_eq(map.nr, n);
    for (unsigned int i = 0; i < n; i++) {
        ck_assert_msg(map.r[i].start == want[i].start && map.r[i].end == want[i].end,
                      "range %u is [%#llx,%#llx), want [%#llx,%#llx)", i,
                      (unsigned long long)map.r[i].start, (unsigned long long)map.r[i].end,
                      (unsigned long long)want[i].start, (unsigned long long)want[i].end);
    }
}

#define EXPECT(...) do { \
    static const struct memrange want_[] = { __VA_ARGS__ }; \
    expect_ranges(want_, ARRAY_SIZE(want_)); \
} while (0)

/* The invariant every operation must keep: sorted, non-empty, not touching.
 * (Plain ifs in loops: every ck_assert costs a message to the runner.) */
static void assert_canonical(void)
{
    for (unsigned int i = 0; i < map.nr; i++) {
        if (map.r[i].start >= map.r[i].end)
            ck_abort_msg("range %u is empty or inverted", i);
        if (i && map.r[i - 1].end >= map.r[i].start)
            ck_abort_msg("ranges %u and %u overlap, touch or are out of order", i - 1, i);
    }
}

/* Fills the table with MEMMAP_MAX disjoint, non-touching ranges. */
static void fill_table(void)
{
    for (unsigned int i = 0; i < MEMMAP_MAX; i++)
        ck_assert_int_eq(memmap_add(&map, 0x10000 + i * 0x2000, 0x11000 + i * 0x2000), 0);
    ck_assert_uint_eq(map.nr, MEMMAP_MAX);
}

START_TEST(test_init_is_empty)
{
    map.nr = 7;
    memmap_init(&map);
    ck_assert_uint_eq(map.nr, 0);
    ck_assert_uint_eq(memmap_total(&map), 0);
    ck_assert(!memmap_contains(&map, 0x1000, 0x2000));
}
END_TEST

START_TEST(test_add_keeps_sorted)
{
    ck_assert_int_eq(memmap_add(&map, 0x5000, 0x6000), 0);
    ck_assert_int_eq(memmap_add(&map, 0x1000, 0x2000), 0);
    ck_assert_int_eq(memmap_add(&map, 0x3000, 0x4000), 0);
    EXPECT({ 0x1000, 0x2000 }, { 0x3000, 0x4000 }, { 0x5000, 0x6000 });
    ck_assert_uint_eq(memmap_total(&map), 0x3000);
}
END_TEST

START_TEST(test_add_merges_touching)
{
    memmap_add(&map, 0x1000, 0x2000);
    memmap_add(&map, 0x3000, 0x4000);
    ck_assert_int_eq(memmap_add(&map, 0x2000, 0x3000), 0);     /* touches both */
    EXPECT({ 0x1000, 0x4000 });
    ck_assert_int_eq(memmap_add(&map, 0x4000, 0x4800), 0);     /* touches the end */
    ck_assert_int_eq(memmap_add(&map, 0x800, 0x1000), 0);      /* touches the start */
    EXPECT({ 0x800, 0x4800 });
}
END_TEST

START_TEST(test_add_merges_overlapping_span)
{
    memmap_add(&map, 0x1000, 0x2000);
    memmap_add(&map, 0x3000, 0x4000);
    memmap_add(&map, 0x5000, 0x6000);
    memmap_add(&map, 0x9000, 0xa000);
    ck_assert_int_eq(memmap_add(&map, 0x1800, 0x5800), 0);
    EXPECT({ 0x1000, 0x6000 }, { 0x9000, 0xa000 });
    ck_assert_int_eq(memmap_add(&map, 0x0, 0x10000), 0);       /* swallows everything */
    EXPECT({ 0x0, 0x10000 });
}
END_TEST

START_TEST(test_add_contained_and_empty)
{
    memmap_add(&map, 0x1000, 0x4000);
    ck_assert_int_eq(memmap_add(&map, 0x2000, 0x3000), 0);
    ck_assert_int_eq(memmap_add(&map, 0x7000, 0x7000), 0);     /* empty: no-op */
    EXPECT({ 0x1000, 0x4000 });
    ck_assert_int_eq(memmap_add(&map, 0x8000, 0x7000), -EINVAL);
    EXPECT({ 0x1000, 0x4000 });
}
END_TEST

START_TEST(test_remove_splits_middle)
{
    memmap_add(&map, 0x1000, 0x9000);
    ck_assert_int_eq(memmap_remove(&map, 0x3000, 0x4000), 0);
    EXPECT({ 0x1000, 0x3000 }, { 0x4000, 0x9000 });
}
END_TEST

START_TEST(test_remove_at_edges)
{
    memmap_add(&map, 0x1000, 0x9000);
    ck_assert_int_eq(memmap_remove(&map, 0x1000, 0x2000), 0);  /* exact start */
    EXPECT({ 0x2000, 0x9000 });
    ck_assert_int_eq(memmap_remove(&map, 0x8000, 0x9000), 0);  /* exact end */
    EXPECT({ 0x2000, 0x8000 });
    ck_assert_int_eq(memmap_remove(&map, 0x0, 0x2800), 0);     /* overhangs start */
    EXPECT({ 0x2800, 0x8000 });
    ck_assert_int_eq(memmap_remove(&map, 0x7800, 0xf000), 0);  /* overhangs end */
    EXPECT({ 0x2800, 0x7800 });
    ck_assert_int_eq(memmap_remove(&map, 0x2800, 0x7800), 0);  /* exactly all */
    ck_assert_uint_eq(map.nr, 0);
}
END_TEST

START_TEST(test_remove_across_ranges)
{
    memmap_add(&map, 0x1000, 0x2000);
    memmap_add(&map, 0x3000, 0x4000);
    memmap_add(&map, 0x5000, 0x6000);
    memmap_add(&map, 0x7000, 0x8000);
    ck_assert_int_eq(memmap_remove(&map, 0x1800, 0x7800), 0);
    EXPECT({ 0x1000, 0x1800 }, { 0x7800, 0x8000 });
}
END_TEST

START_TEST(test_remove_outside_is_noop)
{
    memmap_add(&map, 0x2000, 0x3000);
    memmap_add(&map, 0x5000, 0x6000);
    ck_assert_int_eq(memmap_remove(&map, 0x0, 0x2000), 0);     /* touches, no overlap */
    ck_assert_int_eq(memmap_remove(&map, 0x3000, 0x5000), 0);  /* the gap exactly */
    ck_assert_int_eq(memmap_remove(&map, 0x6000, 0x9000), 0);
    ck_assert_int_eq(memmap_remove(&map, 0x2800, 0x2800), 0);  /* empty */
    EXPECT({ 0x2000, 0x3000 }, { 0x5000, 0x6000 });
    ck_assert_int_eq(memmap_remove(&map, 0x2800, 0x2000), -EINVAL);
    EXPECT({ 0x2000, 0x3000 }, { 0x5000, 0x6000 });
}
END_TEST

START_TEST(test_full_table)
{
    struct memmap before;

    fill_table();
    before = map;
    /* A new disjoint range needs a slot. */
    ck_assert_int_eq(memmap_add(&map, 0x1000, 0x2000), -ENOSPC);
    ck_assert_mem_eq(&map, &before, sizeof(map));
    /* A hole inside one range needs a slot too. */
    ck_assert_int_eq(memmap_remove(&map, 0x10400, 0x10800), -ENOSPC);
    ck_assert_mem_eq(&map, &before, sizeof(map));
    /* Merging, trimming and deleting need none. */
    ck_assert_int_eq(memmap_add(&map, 0x11000, 0x12000), 0);   /* bridges 0 and 1 */
    ck_assert_uint_eq(map.nr, MEMMAP_MAX - 1);
    ck_assert_int_eq(memmap_add(&map, 0x1000, 0x2000), 0);     /* now fits */
    ck_assert_uint_eq(map.nr, MEMMAP_MAX);
    ck_assert_int_eq(memmap_remove(&map, 0x1000, 0x1800), 0);  /* trim at edge */
    ck_assert_uint_eq(map.nr, MEMMAP_MAX);
    assert_canonical();
}
END_TEST

START_TEST(test_page_align)
{
    memmap_add(&map, 0x1001, 0x5fff);           /* partial pages at both ends */
    memmap_add(&map, 0x7000, 0x8000);           /* already aligned */
    memmap_add(&map, 0x9800, 0xa800);           /* a page long but straddling */
    memmap_add(&map, 0xc100, 0xc200);           /* less than a page */
    memmap_page_align(&map);
    EXPECT({ 0x2000, 0x5000 }, { 0x7000, 0x8000 });
    ck_assert_uint_eq(memmap_total(&map), 0x4000);
}
END_TEST

START_TEST(test_page_align_top_of_address_space)
{
    /* Rounding these starts up would wrap to 0. */
    memmap_add(&map, ~(paddr_t)0 - 0x800, ~(paddr_t)0);
    memmap_page_align(&map);
    ck_assert_uint_eq(map.nr, 0);

    memmap_init(&map);
    memmap_add(&map, ~(paddr_t)0 - 0x2fff, ~(paddr_t)0);      /* aligned start */
    memmap_page_align(&map);
    ck_assert_uint_eq(map.nr, 1);
    ck_assert(map.r[0].start == (~(paddr_t)0 & PAGE_MASK) - 0x2000);
    ck_assert(map.r[0].end == (~(paddr_t)0 & PAGE_MASK));
}
END_TEST

START_TEST(test_contains)
{
    memmap_add(&map, 0x1000, 0x3000);
    memmap_add(&map, 0x4000, 0x5000);
    ck_assert(memmap_contains(&map, 0x1000, 0x3000));
    ck_assert(memmap_contains(&map, 0x1800, 0x2000));
    ck_assert(memmap_contains(&map, 0x4fff, 0x5000));
    ck_assert(!memmap_contains(&map, 0x2000, 0x4800));          /* spans the gap */
    ck_assert(!memmap_contains(&map, 0x0fff, 0x1800));
    ck_assert(!memmap_contains(&map, 0x4800, 0x5001));
    ck_assert(memmap_contains(&map, 0x9000, 0x9000));           /* empty */
    ck_assert(!memmap_contains(&map, 0x2000, 0x1000));          /* inverted */
}
END_TEST

START_TEST(test_take_highest_and_removes)
{
    memmap_add(&map, 0x100000, 0x200000);
    memmap_add(&map, 0x400000, 0x500000);
    paddr_t pa = memmap_take(&map, 0x3000, PAGE_SIZE, ~(paddr_t)0);

    ck_assert_uint_eq(pa, 0x4fd000);
    ck_assert(!memmap_contains(&map, pa, pa + 1));
    ck_assert(!memmap_contains(&map, pa + 0x2fff, pa + 0x3000));
    EXPECT({ 0x100000, 0x200000 }, { 0x400000, 0x4fd000 });
    ck_assert_uint_eq(memmap_total(&map), 0x200000 - 0x3000);
}
END_TEST

START_TEST(test_take_respects_limit)
{
    memmap_add(&map, 0x100000, 0x200000);
    memmap_add(&map, 0x400000, 0x500000);
    /* Limit inside the upper range: carve from below it and split. */
    ck_assert_uint_eq(memmap_take(&map, 0x1000, PAGE_SIZE, 0x480000), 0x47f000);
    EXPECT({ 0x100000, 0x200000 }, { 0x400000, 0x47f000 }, { 0x480000, 0x500000 });
    /* Limit below the upper range: the lower one serves. */
    ck_assert_uint_eq(memmap_take(&map, 0x1000, PAGE_SIZE, 0x300000), 0x1ff000);
    /* Range too small below limit. */
    ck_assert_uint_eq(memmap_take(&map, 0x2000, PAGE_SIZE, 0x101000), 0);
    ck_assert_uint_eq(memmap_take(&map, 0x1000, PAGE_SIZE, 0x101000), 0x100000);
    assert_canonical();
}
END_TEST

START_TEST(test_take_respects_align)
{
    memmap_add(&map, 0x1000, 0x2fe000);
    paddr_t pa = memmap_take(&map, 0x1000, 0x200000, ~(paddr_t)0);

    ck_assert_uint_eq(pa, 0x200000);
    EXPECT({ 0x1000, 0x200000 }, { 0x201000, 0x2fe000 });
    /* Nothing 2 MiB aligned is left that fits 0x300000 bytes. */
    ck_assert_uint_eq(memmap_take(&map, 0x300000, 0x200000, ~(paddr_t)0), 0);
    /* Bad alignments are refused. */
    ck_assert_uint_eq(memmap_take(&map, 0x1000, 0x3000, ~(paddr_t)0), 0);
    ck_assert_uint_eq(memmap_take(&map, 0x1000, 0, ~(paddr_t)0), 0);
    ck_assert_uint_eq(memmap_take(&map, 0, PAGE_SIZE, ~(paddr_t)0), 0);
    EXPECT({ 0x1000, 0x200000 }, { 0x201000, 0x2fe000 });
}
END_TEST

START_TEST(test_take_never_returns_zero)
{
    memmap_add(&map, 0x0, 0x1000);
    ck_assert_uint_eq(memmap_take(&map, 0x1000, PAGE_SIZE, ~(paddr_t)0), 0);
    EXPECT({ 0x0, 0x1000 });
}
END_TEST

START_TEST(test_take_full_table_avoids_split)
{
    fill_table();
    /* The top range would be split by the limit; the table is full, so the
     * next one down, which can give its whole top, serves instead. */
    paddr_t top_start = 0x10000 + (MEMMAP_MAX - 1) * 0x2000;
    paddr_t pa = memmap_take(&map, 0x400, 0x400, top_start + 0x800);

    ck_assert_uint_eq(pa, top_start - 0x2000 + 0xc00);
    ck_assert_uint_eq(map.nr, MEMMAP_MAX);
    assert_canonical();
}
END_TEST

/* Random adds and removes on a small grid, checked against a bitmap. */
#define GRID_UNITS 300
#define GRID_UNIT  0x100

static void assert_matches_model(const bool *model)
{
    bool covered[GRID_UNITS] = { false };

    assert_canonical();
    for (unsigned int i = 0; i < map.nr; i++) {
        if (map.r[i].start % GRID_UNIT || map.r[i].end % GRID_UNIT ||
            map.r[i].end > (paddr_t)GRID_UNITS * GRID_UNIT)
            ck_abort_msg("range %u leaves the grid", i);
        for (paddr_t a = map.r[i].start; a < map.r[i].end; a += GRID_UNIT)
            covered[a / GRID_UNIT] = true;
    }
    for (unsigned int u = 0; u < GRID_UNITS; u++)
        if (covered[u] != model[u])
            ck_abort_msg("unit %u disagrees with the model", u);
}

/* memmap_contains agrees with the model on a random span. */
static void assert_contains_matches_model(const bool *model, unsigned int *seed)
{
    unsigned int a = rand_r(seed) % GRID_UNITS;
    unsigned int b = a + 1 + rand_r(seed) % MIN(8u, GRID_UNITS - a);
    bool all = true;

    for (unsigned int u = a; u < b; u++)
        all = all && model[u];
    ck_assert(memmap_contains(&map, (paddr_t)a * GRID_UNIT, (paddr_t)b * GRID_UNIT) == all);
}

START_TEST(test_random_against_model)
{
    bool model[GRID_UNITS] = { false };
    unsigned int seed = 12345;

    for (int step = 0; step < 4000; step++) {
        unsigned int a = rand_r(&seed) % GRID_UNITS;
        unsigned int len = 1 + rand_r(&seed) % 12;
        unsigned int b = MIN(a + len, GRID_UNITS);
        bool add = rand_r(&seed) % 2;
        struct memmap before = map;
        int rc = add ? memmap_add(&map, (paddr_t)a * GRID_UNIT, (paddr_t)b * GRID_UNIT)
                     : memmap_remove(&map, (paddr_t)a * GRID_UNIT, (paddr_t)b * GRID_UNIT);

        if (rc) {
            ck_assert_int_eq(rc, -ENOSPC);
            ck_assert_uint_eq(before.nr, MEMMAP_MAX);
            ck_assert_mem_eq(&map, &before, sizeof(map));
            continue;
        }
        for (unsigned int u = a; u < b; u++)
            model[u] = add;
        assert_matches_model(model);
        assert_contains_matches_model(model, &seed);
    }
}
END_TEST

Suite *memmap_suite(void)
{
    Suite *s = suite_create("memmap");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_init_is_empty);
    tcase_add_test(tc, test_add_keeps_sorted);
    tcase_add_test(tc, test_add_merges_touching);
    tcase_add_test(tc, test_add_merges_overlapping_span);
    tcase_add_test(tc, test_add_contained_and_empty);
    tcase_add_test(tc, test_remove_splits_middle);
    tcase_add_test(tc, test_remove_at_edges);
    tcase_add_test(tc, test_remove_across_ranges);
    tcase_add_test(tc, test_remove_outside_is_noop);
    tcase_add_test(tc, test_full_table);
    tcase_add_test(tc, test_page_align);
    tcase_add_test(tc, test_page_align_top_of_address_space);
    tcase_add_test(tc, test_contains);
    tcase_add_test(tc, test_take_highest_and_removes);
    tcase_add_test(tc, test_take_respects_limit);
    tcase_add_test(tc, test_take_respects_align);
    tcase_add_test(tc, test_take_never_returns_zero);
    tcase_add_test(tc, test_take_full_table_avoids_split);
    tcase_add_test(tc, test_random_against_model);
    suite_add_tcase(s, tc);
    return s;
}
