/* Unit tests for hypervisor/mm/buddy.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sv/buddy.h>

#include "suites.h"

static struct buddy bd;
static struct frame_info *frames;      /* exactly nr entries, so ASan sees overruns */

/* Metadata starts as garbage: buddy_init must not rely on zeroed memory. */
static void make_buddy(mfn_t base, size_t nr)
{
    frames = malloc(nr * sizeof(*frames));
    ck_assert_ptr_nonnull(frames);
    memset(frames, 0xa5, nr * sizeof(*frames));
    buddy_init(&bd, frames, base, nr);
}

static void teardown(void)
{
    free(frames);
    frames = NULL;
}

static size_t free_blocks_of(unsigned int order)
{
    size_t counts[BUDDY_MAX_ORDER + 1];

    buddy_free_counts(&bd, counts);
    return counts[order];
}

/* Sum over the per-order counts must equal the free-frame counter. */
static size_t frames_in_counts(void)
{
    size_t counts[BUDDY_MAX_ORDER + 1], sum = 0;

    buddy_free_counts(&bd, counts);
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        sum += counts[o] << o;
    return sum;
}

static void assert_counts(const size_t want[BUDDY_MAX_ORDER + 1])
{
    size_t counts[BUDDY_MAX_ORDER + 1];

    buddy_free_counts(&bd, counts);
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        ck_assert_msg(counts[o] == want[o], "order %u: %zu free blocks, want %zu", o,
                      counts[o], want[o]);
}

static void assert_consistent(void)
{
    ck_assert_int_eq(buddy_check(&bd), 0);
    ck_assert_uint_eq(frames_in_counts(), buddy_free_frames(&bd));
}

static struct frame_info *frame(mfn_t mfn)
{
    return &frames[mfn - bd.base];
}

START_TEST(test_init_all_reserved)
{
    make_buddy(100, 64);
    ck_assert_uint_eq(buddy_free_frames(&bd), 0);
    ck_assert_uint_eq(bd.total_frames, 0);
    ck_assert_uint_eq(bd.bad_frees, 0);
    for (mfn_t m = 100; m < 164; m++)
        ck_assert_uint_eq(frame(m)->state, FRAME_RESERVED);
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        ck_assert(buddy_alloc(&bd, o) == INVALID_MFN);
    assert_consistent();
}
END_TEST

START_TEST(test_add_aligned_range_is_one_block)
{
    make_buddy(0, 1024);
    ck_assert_int_eq(buddy_add_free(&bd, 0, 1024), 0);
    ck_assert_uint_eq(buddy_free_frames(&bd), 1024);
    ck_assert_uint_eq(bd.total_frames, 1024);
    ck_assert_uint_eq(free_blocks_of(10), 1);
    ck_assert_uint_eq(frame(0)->state, FRAME_FREE_HEAD);
    ck_assert_uint_eq(frame(1023)->state, FRAME_FREE_TAIL);
    assert_consistent();
}
END_TEST

START_TEST(test_add_splits_into_maximal_aligned_blocks)
{
    size_t want[BUDDY_MAX_ORDER + 1] = { 0 };

    make_buddy(0, 64);
    ck_assert_int_eq(buddy_add_free(&bd, 3, 13), 0);     /* [3] [4,8) [8,16) */
    want[0] = want[2] = want[3] = 1;
    assert_counts(want);
    ck_assert_uint_eq(frame(3)->state, FRAME_FREE_HEAD);
    ck_assert_uint_eq(frame(4)->state, FRAME_FREE_HEAD);
    ck_assert_uint_eq(frame(4)->order, 2);
    ck_assert_uint_eq(frame(8)->order, 3);
    ck_assert_uint_eq(frame(2)->state, FRAME_RESERVED);
    ck_assert_uint_eq(frame(16)->state, FRAME_RESERVED);
    assert_consistent();
}
END_TEST

START_TEST(test_add_coalesces_with_free_neighbours)
{
    size_t want[BUDDY_MAX_ORDER + 1] = { 0 };

    make_buddy(0, 64);
    ck_assert_int_eq(buddy_add_free(&bd, 4, 4), 0);
    ck_assert_int_eq(buddy_add_free(&bd, 0, 4), 0);
    ck_assert_int_eq(buddy_add_free(&bd, 8, 8), 0);
    want[4] = 1;
    assert_counts(want);
    ck_assert_uint_eq(buddy_free_frames(&bd), 16);
    assert_consistent();
}
END_TEST

START_TEST(test_add_refuses_bad_ranges)
{
    make_buddy(16, 32);
    ck_assert_int_eq(buddy_add_free(&bd, 20, 8), 0);
    ck_assert_int_eq(buddy_add_free(&bd, 8, 10), -EINVAL);       /* starts below base */
    ck_assert_int_eq(buddy_add_free(&bd, 40, 9), -EINVAL);       /* ends past window */
    ck_assert_int_eq(buddy_add_free(&bd, 48, 1), -EINVAL);       /* just past window */
    ck_assert_int_eq(buddy_add_free(&bd, 16, ~(size_t)0), -EINVAL);
    ck_assert_int_eq(buddy_add_free(&bd, 24, 8), -EINVAL);       /* overlaps free */
    ck_assert_int_eq(buddy_add_free(&bd, 16, 16), -EINVAL);      /* covers free */
    ck_assert_uint_eq(buddy_free_frames(&bd), 8);
    ck_assert_uint_eq(frame(16)->state, FRAME_RESERVED);         /* nothing half-added */
    ck_assert_uint_eq(frame(27)->state, FRAME_FREE_TAIL);
    ck_assert_uint_eq(frame(28)->state, FRAME_RESERVED);
    ck_assert_int_eq(buddy_add_free(&bd, 30, 0), 0);             /* empty: no-op */
    ck_assert_int_eq(buddy_add_free(&bd, 47, 1), 0);             /* last frame */
    ck_assert_uint_eq(buddy_free_frames(&bd), 9);
    assert_consistent();
}
END_TEST

START_TEST(test_add_refuses_allocated_frames)
{
    make_buddy(0, 16);
    ck_assert_int_eq(buddy_add_free(&bd, 0, 16), 0);
    mfn_t m = buddy_alloc(&bd, 2);
    ck_assert_int_eq(buddy_add_free(&bd, m, 4), -EINVAL);
    ck_assert_int_eq(buddy_add_free(&bd, m + 1, 1), -EINVAL);
    assert_consistent();
}
END_TEST

START_TEST(test_alloc_aligned_and_marked)
{
    make_buddy(0, 4096);
    ck_assert_int_eq(buddy_add_free(&bd, 0, 4096), 0);
    for (unsigned int o = 0; o <= 8; o++) {
        mfn_t m = buddy_alloc(&bd, o);

        ck_assert(m != INVALID_MFN);
        ck_assert_uint_eq(m & ((1u << o) - 1), 0);
        ck_assert(m + (1u << o) <= 4096);
        ck_assert_uint_eq(frame(m)->state, FRAME_ALLOC_HEAD);
        ck_assert_uint_eq(frame(m)->order, o);
        for (mfn_t t = m + 1; t < m + (1u << o); t++)
            ck_assert_uint_eq(frame(t)->state, FRAME_ALLOC_TAIL);
        assert_consistent();
    }
    ck_assert_uint_eq(buddy_free_frames(&bd), 4096 - 511);
}
END_TEST

START_TEST(test_split_and_merge_back)
{
    size_t want[BUDDY_MAX_ORDER + 1] = { 0 };

    make_buddy(0, 1024);
    buddy_add_free(&bd, 0, 1024);
    mfn_t m = buddy_alloc(&bd, 0);
    ck_assert(m != INVALID_MFN);
    for (unsigned int o = 0; o < 10; o++)
        want[o] = 1;                    /* one buddy left over at every level */
    assert_counts(want);
    assert_consistent();
    ck_assert_int_eq(buddy_free(&bd, m, 0), 0);
    memset(want, 0, sizeof(want));
    want[10] = 1;
    assert_counts(want);
    assert_consistent();
}
END_TEST

START_TEST(test_exhaustion_order0)
{
    enum { BASE = 5, NR = 1000 };
    static mfn_t got[NR];
    size_t n = 0, counts_before[BUDDY_MAX_ORDER + 1];
    mfn_t m;

    make_buddy(BASE, NR);
    ck_assert_int_eq(buddy_add_free(&bd, BASE, NR), 0);
    buddy_free_counts(&bd, counts_before);
    while ((m = buddy_alloc(&bd, 0)) != INVALID_MFN) {
        ck_assert_uint_lt(n, NR);
        ck_assert(m >= BASE && m < BASE + NR);
        ck_assert_uint_eq(frame(m)->state, FRAME_ALLOC_HEAD);
        got[n++] = m;
    }
    ck_assert_uint_eq(n, NR);
    ck_assert_uint_eq(buddy_free_frames(&bd), 0);
    assert_consistent();
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(buddy_free(&bd, got[i], 0), 0);
    ck_assert_uint_eq(buddy_free_frames(&bd), NR);
    assert_counts(counts_before);
    assert_consistent();
}
END_TEST

START_TEST(test_exhaustion_higher_order)
{
    size_t n = 0;

    make_buddy(0, 256);
    ck_assert_int_eq(buddy_add_free(&bd, 1, 254), 0);   /* [1, 255) */
    /* Aligned 4-frame blocks fully inside: [4,8) ... [248,252) = 62. */
    while (buddy_alloc(&bd, 2) != INVALID_MFN)
        n++;
    ck_assert_uint_eq(n, 62);
    ck_assert_uint_eq(buddy_free_frames(&bd), 254 - 62 * 4);
    ck_assert(buddy_alloc(&bd, 1) != INVALID_MFN);       /* [2,4) or [252,254) */
    ck_assert(buddy_alloc(&bd, 1) != INVALID_MFN);
    ck_assert(buddy_alloc(&bd, 1) == INVALID_MFN);
    ck_assert_uint_eq(buddy_free_frames(&bd), 2);        /* frames 1 and 254 */
    assert_consistent();
}
END_TEST

START_TEST(test_fragmentation_then_coalesce)
{
    enum { NR = 256 };
    mfn_t got[NR];
    size_t original[BUDDY_MAX_ORDER + 1];

    make_buddy(0, NR);
    buddy_add_free(&bd, 0, NR);
    buddy_free_counts(&bd, original);
    ck_assert_uint_eq(original[8], 1);
    for (int i = 0; i < NR; i++) {
        got[i] = buddy_alloc(&bd, 0);
        ck_assert(got[i] != INVALID_MFN);
    }
    for (int i = 0; i < NR; i += 2)
        ck_assert_int_eq(buddy_free(&bd, got[i], 0), 0);
    ck_assert_uint_eq(buddy_free_frames(&bd), NR / 2);
    /* Half the memory is free but no two free frames are buddies. */
    ck_assert(buddy_alloc(&bd, 1) == INVALID_MFN);
    ck_assert_uint_eq(free_blocks_of(0), NR / 2);
    assert_consistent();
    for (int i = 1; i < NR; i += 2)
        ck_assert_int_eq(buddy_free(&bd, got[i], 0), 0);
    assert_counts(original);
    ck_assert(buddy_alloc(&bd, 8) == 0);
    assert_consistent();
}
END_TEST

START_TEST(test_double_free_refused)
{
    make_buddy(0, 64);
    buddy_add_free(&bd, 0, 64);
    mfn_t a = buddy_alloc(&bd, 1);
    mfn_t b = buddy_alloc(&bd, 1);
    ck_assert_int_eq(buddy_free(&bd, a, 1), 0);
    size_t free_before = buddy_free_frames(&bd);

    ck_assert_int_eq(buddy_free(&bd, a, 1), -EINVAL);
    ck_assert_uint_eq(bd.bad_frees, 1);
    ck_assert_uint_eq(buddy_free_frames(&bd), free_before);
    assert_consistent();
    /* Once merged into a bigger block, a was a tail or a bigger head. */
    ck_assert_int_eq(buddy_free(&bd, b, 1), 0);
    ck_assert_int_eq(buddy_free(&bd, a, 1), -EINVAL);
    ck_assert_int_eq(buddy_free(&bd, b, 1), -EINVAL);
    ck_assert_uint_eq(bd.bad_frees, 3);
    ck_assert_uint_eq(free_blocks_of(6), 1);
    assert_consistent();
}
END_TEST

START_TEST(test_wrong_order_refused)
{
    make_buddy(0, 64);
    buddy_add_free(&bd, 0, 64);
    mfn_t m = buddy_alloc(&bd, 2);
    ck_assert_int_eq(buddy_free(&bd, m, 1), -EINVAL);
    ck_assert_int_eq(buddy_free(&bd, m, 3), -EINVAL);
    ck_assert_uint_eq(bd.bad_frees, 2);
    ck_assert_uint_eq(frame(m)->state, FRAME_ALLOC_HEAD);
    assert_consistent();
    ck_assert_int_eq(buddy_free(&bd, m, 2), 0);
    ck_assert_uint_eq(buddy_free_frames(&bd), 64);
    assert_consistent();
}
END_TEST

START_TEST(test_tail_free_refused)
{
    make_buddy(0, 64);
    buddy_add_free(&bd, 0, 64);
    mfn_t m = buddy_alloc(&bd, 3);
    for (mfn_t t = m + 1; t < m + 8; t++)
        ck_assert_int_eq(buddy_free(&bd, t, 0), -EINVAL);
    ck_assert_int_eq(buddy_free(&bd, m + 4, 2), -EINVAL);   /* aligned, still a tail */
    ck_assert_uint_eq(bd.bad_frees, 8);
    assert_consistent();
    ck_assert_int_eq(buddy_free(&bd, m, 3), 0);
    assert_consistent();
}
END_TEST

START_TEST(test_reserved_free_refused)
{
    make_buddy(0, 64);
    buddy_add_free(&bd, 32, 32);
    ck_assert_int_eq(buddy_free(&bd, 0, 0), -EINVAL);
    ck_assert_int_eq(buddy_free(&bd, 16, 4), -EINVAL);
    ck_assert_int_eq(buddy_free(&bd, 31, 0), -EINVAL);
    ck_assert_uint_eq(bd.bad_frees, 3);
    ck_assert_uint_eq(frame(31)->state, FRAME_RESERVED);
    ck_assert_uint_eq(buddy_free_frames(&bd), 32);
    assert_consistent();
}
END_TEST

START_TEST(test_out_of_window_refused)
{
    make_buddy(64, 64);
    buddy_add_free(&bd, 64, 64);
    mfn_t m = buddy_alloc(&bd, 0);
    ck_assert_int_eq(buddy_free(&bd, 63, 0), -EINVAL);
    ck_assert_int_eq(buddy_free(&bd, 0, 0), -EINVAL);
    ck_assert_int_eq(buddy_free(&bd, 128, 0), -EINVAL);
    ck_assert_int_eq(buddy_free(&bd, INVALID_MFN, 0), -EINVAL);
    ck_assert_int_eq(buddy_free(&bd, m, BUDDY_MAX_ORDER + 1), -EINVAL);
    ck_assert_int_eq(buddy_free(&bd, m, 1000), -EINVAL);
    ck_assert_uint_eq(bd.bad_frees, 6);
    ck_assert(buddy_alloc(&bd, BUDDY_MAX_ORDER + 1) == INVALID_MFN);
    ck_assert(buddy_alloc(&bd, ~0u) == INVALID_MFN);
    assert_consistent();
    ck_assert_int_eq(buddy_free(&bd, m, 0), 0);
    ck_assert_uint_eq(free_blocks_of(6), 1);
}
END_TEST

START_TEST(test_unaligned_base_window)
{
    enum { BASE = 0x1003, NR = 100 };
    size_t want[BUDDY_MAX_ORDER + 1] = { 0 };
    static mfn_t got[NR];
    unsigned int seed = 7;
    size_t n = 0;
    mfn_t m;

    make_buddy(BASE, NR);
    ck_assert_int_eq(buddy_add_free(&bd, BASE, NR), 0);
    /* [1003] [1004,8) [1008,10) [1010,20) [1020,40) [1040,60) [1060,4) [1064,6) [1066] */
    want[0] = 2; want[1] = 1; want[2] = 2; want[3] = 1; want[4] = 1; want[5] = 2;
    assert_counts(want);
    assert_consistent();
    /* Blocks are aligned by absolute mfn, not relative to base. */
    mfn_t a = buddy_alloc(&bd, 5), b = buddy_alloc(&bd, 5);
    ck_assert(a != INVALID_MFN && b != INVALID_MFN);
    ck_assert_uint_eq(a & 31, 0);
    ck_assert_uint_eq(b & 31, 0);
    ck_assert(buddy_alloc(&bd, 5) == INVALID_MFN);       /* 36 frames free, no room */
    ck_assert_int_eq(buddy_free(&bd, a, 5), 0);
    ck_assert_int_eq(buddy_free(&bd, b, 5), 0);
    assert_counts(want);                                  /* edges never merge outward */

    while ((m = buddy_alloc(&bd, 0)) != INVALID_MFN)
        got[n++] = m;
    ck_assert_uint_eq(n, NR);
    for (size_t i = n; i > 1; i--) {                      /* free in random order */
        size_t j = rand_r(&seed) % i;
        mfn_t t = got[j];
        got[j] = got[i - 1];
        got[i - 1] = t;
    }
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(buddy_free(&bd, got[i], 0), 0);
        assert_consistent();
    }
    assert_counts(want);
}
END_TEST

START_TEST(test_single_frame_window)
{
    make_buddy(3, 1);                   /* buddy 2 lies outside the window */
    ck_assert_int_eq(buddy_add_free(&bd, 3, 1), 0);
    mfn_t m = buddy_alloc(&bd, 0);
    ck_assert_uint_eq(m, 3);
    ck_assert(buddy_alloc(&bd, 0) == INVALID_MFN);
    ck_assert_int_eq(buddy_free(&bd, m, 0), 0);
    ck_assert_uint_eq(free_blocks_of(0), 1);
    assert_consistent();
}
END_TEST

START_TEST(test_max_order_cap)
{
    size_t nr = ((size_t)2 << BUDDY_MAX_ORDER) + 5;

    make_buddy(0, nr);
    ck_assert_int_eq(buddy_add_free(&bd, 0, nr), 0);
    /* Two max-order buddies stay apart: there is no list above the cap. */
    ck_assert_uint_eq(free_blocks_of(BUDDY_MAX_ORDER), 2);
    ck_assert_uint_eq(free_blocks_of(2), 1);
    ck_assert_uint_eq(free_blocks_of(0), 1);
    assert_consistent();
    mfn_t a = buddy_alloc(&bd, BUDDY_MAX_ORDER);
    mfn_t b = buddy_alloc(&bd, BUDDY_MAX_ORDER);
    ck_assert(a != INVALID_MFN && b != INVALID_MFN && a != b);
    ck_assert(buddy_alloc(&bd, BUDDY_MAX_ORDER) == INVALID_MFN);
    ck_assert_int_eq(buddy_free(&bd, a, BUDDY_MAX_ORDER), 0);
    ck_assert_int_eq(buddy_free(&bd, b, BUDDY_MAX_ORDER), 0);
    ck_assert_uint_eq(free_blocks_of(BUDDY_MAX_ORDER), 2);
    assert_consistent();
}
END_TEST

START_TEST(test_check_detects_corruption)
{
    make_buddy(0, 64);
    buddy_add_free(&bd, 0, 64);
    mfn_t m = buddy_alloc(&bd, 2);
    ck_assert_int_eq(buddy_check(&bd), 0);

    frame(m + 1)->state = FRAME_FREE_TAIL;              /* tail of wrong kind */
    ck_assert_int_eq(buddy_check(&bd), -EINVAL);
    frame(m + 1)->state = FRAME_ALLOC_TAIL;
    ck_assert_int_eq(buddy_check(&bd), 0);

    bd.free_frames++;                                   /* counter drifts */
    ck_assert_int_eq(buddy_check(&bd), -EINVAL);
    bd.free_frames--;

    uint32_t saved = bd.free_head[2];                   /* head missing from list */
    bd.free_head[2] = FRAME_NONE;
    ck_assert_int_eq(buddy_check(&bd), -EINVAL);
    bd.free_head[2] = saved;

    frame(m)->order = 3;                                /* misaligned / overlapping head */
    ck_assert_int_eq(buddy_check(&bd), -EINVAL);
    frame(m)->order = 2;

    frame(m)->state = FRAME_RESERVED;                   /* orphaned tails */
    ck_assert_int_eq(buddy_check(&bd), -EINVAL);
    frame(m)->state = FRAME_ALLOC_HEAD;
    ck_assert_int_eq(buddy_check(&bd), 0);
}
END_TEST

START_TEST(test_check_detects_uncoalesced_buddies)
{
    make_buddy(0, 8);
    buddy_add_free(&bd, 0, 8);
    mfn_t a = buddy_alloc(&bd, 2);
    ck_assert_int_eq(buddy_check(&bd), 0);
    /* Forge a free head for a without merging it with its free buddy. */
    frames[a].state = FRAME_FREE_HEAD;
    for (mfn_t t = a + 1; t < a + 4; t++)
        frames[t].state = FRAME_FREE_TAIL;
    frames[a].prev = FRAME_NONE;
    frames[a].next = bd.free_head[2];
    frames[bd.free_head[2]].prev = (uint32_t)a;
    bd.free_head[2] = (uint32_t)a;
    bd.free_frames += 4;
    ck_assert_int_eq(buddy_check(&bd), -EINVAL);
}
END_TEST

/* ---- randomized stress against a reference model -------------------- */

enum { ST_BASE = 37, ST_NR = 1000, ST_MAX_ORDER = 6 };
enum { M_RESERVED, M_FREE, M_ALLOC };

struct live_block {
    mfn_t mfn;
    unsigned int order;
};

static unsigned char model[ST_NR];
static struct live_block live[ST_NR];
static size_t nr_live, model_free;

static bool model_run_free(mfn_t start, unsigned int order)
{
    if (start < ST_BASE || start + (1u << order) > ST_BASE + ST_NR)
        return false;
    for (mfn_t m = start; m < start + (1u << order); m++)
        if (model[m - ST_BASE] != M_FREE)
            return false;
    return true;
}

/* Fully coalesced buddy: order o is available iff an aligned free run is. */
static bool model_can_alloc(unsigned int order)
{
    for (mfn_t m = ALIGN_UP((mfn_t)ST_BASE, (mfn_t)1 << order); m < ST_BASE + ST_NR;
         m += (mfn_t)1 << order)
        if (model_run_free(m, order))
            return true;
    return false;
}

static void model_mark(mfn_t mfn, unsigned int order, unsigned char state)
{
    for (mfn_t m = mfn; m < mfn + (1u << order); m++)
        model[m - ST_BASE] = state;
}

static void add_free_to_both(mfn_t start, size_t count)
{
    ck_assert_int_eq(buddy_add_free(&bd, start, count), 0);
    for (mfn_t m = start; m < start + count; m++)
        model[m - ST_BASE] = M_FREE;
    model_free += count;
}

static void stress_alloc(unsigned int order)
{
    bool possible = model_can_alloc(order);
    mfn_t m = buddy_alloc(&bd, order);

    if (m == INVALID_MFN) {
        ck_assert_msg(!possible, "order %u refused although an aligned run is free", order);
        return;
    }
    ck_assert_uint_eq(m & ((1u << order) - 1), 0);
    ck_assert_msg(model_run_free(m, order), "got mfn %#llx order %u: not all free",
                  (unsigned long long)m, order);
    model_mark(m, order, M_ALLOC);
    model_free -= 1u << order;
    live[nr_live++] = (struct live_block){ m, order };
}

static void stress_free(size_t i)
{
    struct live_block blk = live[i];

    ck_assert_int_eq(buddy_free(&bd, blk.mfn, blk.order), 0);
    model_mark(blk.mfn, blk.order, M_FREE);
    model_free += 1u << blk.order;
    live[i] = live[--nr_live];
}

/* A refused free of some kind; returns true if one was attempted. */
static bool stress_bad_free(unsigned int *seed)
{
    mfn_t m = ST_BASE + rand_r(seed) % ST_NR;

    if (model[m - ST_BASE] != M_ALLOC) {
        ck_assert_int_eq(buddy_free(&bd, m, 0), -EINVAL);     /* free or reserved */
        return true;
    }
    for (size_t i = 0; i < nr_live; i++) {
        if (live[i].mfn == m) {                                /* right head, wrong order */
            ck_assert_int_eq(buddy_free(&bd, m, live[i].order + 1), -EINVAL);
            return true;
        }
    }
    ck_assert_int_eq(buddy_free(&bd, m, 0), -EINVAL);         /* a tail */
    return true;
}

START_TEST(test_random_stress_against_model)
{
    unsigned int seed = 2024;
    size_t bad = 0;

    memset(model, M_RESERVED, sizeof(model));
    nr_live = model_free = 0;
    make_buddy(ST_BASE, ST_NR);
    /* Free memory in pieces with reserved holes, like a real memory map. */
    add_free_to_both(ST_BASE + 3, 400);
    add_free_to_both(ST_BASE + 410, 580);
    add_free_to_both(ST_BASE + 995, 5);
    assert_consistent();

    for (int step = 0; step < 5000; step++) {
        unsigned int dice = rand_r(&seed) % 20;

        if (dice < 10 || nr_live == 0)
            stress_alloc(rand_r(&seed) % (ST_MAX_ORDER + 1));
        else if (dice < 19)
            stress_free(rand_r(&seed) % nr_live);
        else
            bad += stress_bad_free(&seed);
        ck_assert_int_eq(buddy_check(&bd), 0);
        ck_assert_uint_eq(buddy_free_frames(&bd), model_free);
        ck_assert_uint_eq(bd.bad_frees, bad);
    }
    while (nr_live)
        stress_free(0);
    ck_assert_uint_eq(buddy_free_frames(&bd), 985);
    assert_consistent();
}
END_TEST

Suite *buddy_suite(void)
{
    Suite *s = suite_create("buddy");
    TCase *tc = tcase_create("core");
    TCase *stress = tcase_create("stress");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_init_all_reserved);
    tcase_add_test(tc, test_add_aligned_range_is_one_block);
    tcase_add_test(tc, test_add_splits_into_maximal_aligned_blocks);
    tcase_add_test(tc, test_add_coalesces_with_free_neighbours);
    tcase_add_test(tc, test_add_refuses_bad_ranges);
    tcase_add_test(tc, test_add_refuses_allocated_frames);
    tcase_add_test(tc, test_alloc_aligned_and_marked);
    tcase_add_test(tc, test_split_and_merge_back);
    tcase_add_test(tc, test_exhaustion_order0);
    tcase_add_test(tc, test_exhaustion_higher_order);
    tcase_add_test(tc, test_fragmentation_then_coalesce);
    tcase_add_test(tc, test_double_free_refused);
    tcase_add_test(tc, test_wrong_order_refused);
    tcase_add_test(tc, test_tail_free_refused);
    tcase_add_test(tc, test_reserved_free_refused);
    tcase_add_test(tc, test_out_of_window_refused);
    tcase_add_test(tc, test_unaligned_base_window);
    tcase_add_test(tc, test_single_frame_window);
    tcase_add_test(tc, test_max_order_cap);
    tcase_add_test(tc, test_check_detects_corruption);
    tcase_add_test(tc, test_check_detects_uncoalesced_buddies);
    suite_add_tcase(s, tc);

    tcase_add_checked_fixture(stress, NULL, teardown);
    tcase_set_timeout(stress, 60);
    tcase_add_test(stress, test_random_stress_against_model);
    suite_add_tcase(s, stress);
    return s;
}
