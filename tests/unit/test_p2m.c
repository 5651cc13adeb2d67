/*
 * p2m tests over a fake machine memory: a pool of table pages whose frame
 * numbers are indexes, with failure injection for allocation.
 */
#include <stdlib.h>
#include <string.h>

#include <sv/errno.h>
#include <sv/p2m.h>

#include "suites.h"

#define POOL_PAGES 64

static struct {
    uint64_t pages[POOL_PAGES][512];
    bool used[POOL_PAGES];
    int allocs_left;            /* -1 = unlimited */
    unsigned int live;
} pool;

static struct {
    unsigned int calls;
    gfn_t gfn;
    mfn_t old_mfn;
    enum p2m_type old_type;
} changed;

static void *fake_alloc(void *ctx, mfn_t *mfn)
{
    (void)ctx;
    if (pool.allocs_left == 0)
        return NULL;
    for (unsigned int i = 1; i < POOL_PAGES; i++) {     /* frame 0 stays unused */
        if (!pool.used[i]) {
            pool.used[i] = true;
            memset(pool.pages[i], 0, sizeof(pool.pages[i]));
            if (pool.allocs_left > 0)
                pool.allocs_left--;
            pool.live++;
            *mfn = i;
            return pool.pages[i];
        }
    }
    return NULL;
}

static void fake_free(void *ctx, mfn_t mfn, void *table)
{
    (void)ctx;
    ck_assert_uint_lt(mfn, POOL_PAGES);
    ck_assert(pool.used[mfn]);
    ck_assert_ptr_eq(table, pool.pages[mfn]);
    pool.used[mfn] = false;
    pool.live--;
}

static void *fake_table_at(void *ctx, mfn_t mfn)
{
    (void)ctx;
    ck_assert_uint_lt(mfn, POOL_PAGES);
    ck_assert(pool.used[mfn]);
    return pool.pages[mfn];
}

static void record_change(struct p2m *p2m, gfn_t gfn, mfn_t old_mfn, enum p2m_type old_type)
{
    (void)p2m;
    changed.calls++;
    changed.gfn = gfn;
    changed.old_mfn = old_mfn;
    changed.old_type = old_type;
}

static const struct p2m_ops ops = { fake_alloc, fake_free, fake_table_at, record_change };
static struct p2m p2m;

static void setup(void)
{
    memset(&pool, 0, sizeof(pool));
    memset(&changed, 0, sizeof(changed));
    pool.allocs_left = -1;
    ck_assert_int_eq(p2m_init(&p2m, &ops, NULL), 0);
}

static void teardown(void)
{
    p2m_destroy(&p2m);
    ck_assert_uint_eq(pool.live, 0);
}

START_TEST(empty_lookup_is_invalid)
{
    enum p2m_type t = P2M_RAM_RW;

    ck_assert_uint_eq(p2m_lookup(&p2m, 0, &t), INVALID_MFN);
    ck_assert_int_eq(t, P2M_INVALID);
    ck_assert_uint_eq(p2m_lookup(&p2m, P2M_MAX_GFN, &t), INVALID_MFN);
    ck_assert_uint_eq(p2m_lookup(&p2m, P2M_MAX_GFN + 1, &t), INVALID_MFN);
    ck_assert_uint_eq(p2m.tables, 1);       /* lookups never allocate */
}
END_TEST

START_TEST(set_and_lookup_round_trip)
{
    enum p2m_type t;

    ck_assert_int_eq(p2m_set_entry(&p2m, 0x1234, 0xabcde, P2M_RAM_RW), 0);
    ck_assert_uint_eq(p2m_lookup(&p2m, 0x1234, &t), 0xabcde);
    ck_assert_int_eq(t, P2M_RAM_RW);
    ck_assert_uint_eq(p2m_lookup(&p2m, 0x1235, &t), INVALID_MFN);
    ck_assert_uint_eq(p2m.entries, 1);
    ck_assert_uint_eq(p2m.tables, 4);
    ck_assert_uint_eq(changed.calls, 0);    /* nothing to invalidate on a first map */
}
END_TEST

/* The leaf must be a valid nested-page-table entry: P, U, W by type, the
 * frame in bits 12-51, nothing in the bits the CPU would reject. */
START_TEST(entries_are_hardware_format)
{
    gfn_t gfn = 0x3ffff;
    uint64_t *t = pool.pages[p2m.root];

    ck_assert_int_eq(p2m_set_entry(&p2m, gfn, 0x77, P2M_RAM_RO), 0);
    for (int level = 4; level > 1; level--) {
        uint64_t e = t[(gfn >> (9 * (level - 1))) & 511];
        ck_assert_uint_eq(e & 7, 7);                      /* P W U */
        ck_assert_uint_eq(e >> 52, 0);
        t = pool.pages[(e & 0x000ffffffffff000ull) >> 12];
    }
    uint64_t leaf = t[gfn & 511];
    ck_assert_uint_eq(leaf & 7, 5);                       /* read-only: P U */
    ck_assert_uint_eq((leaf >> 12) & 0xffffffffff, 0x77);
    ck_assert_uint_eq((leaf >> 52) & 0xf, P2M_RAM_RO);
    ck_assert_uint_eq(leaf >> 63, 0);
}
END_TEST

/* A guarded device page: present and readable, every write faults. */
START_TEST(mmio_wp_is_read_only)
{
    gfn_t gfn = 0xfee00;
    uint64_t *t = pool.pages[p2m.root];
    enum p2m_type type;

    ck_assert_int_eq(p2m_set_entry(&p2m, gfn, gfn, P2M_MMIO_WP), 0);
    for (int level = 4; level > 1; level--)
        t = pool.pages[(t[(gfn >> (9 * (level - 1))) & 511] & 0x000ffffffffff000ull) >> 12];
    ck_assert_uint_eq(t[gfn & 511] & 7, 5);               /* P U, no W */
    ck_assert_uint_eq(p2m_lookup(&p2m, gfn, &type), gfn);
    ck_assert_int_eq(type, P2M_MMIO_WP);
    ck_assert_str_eq(p2m_type_name(type), "mmio_wp");
    ck_assert(p2m_is_mmio(P2M_MMIO_WP) && p2m_is_mmio(P2M_MMIO) && !p2m_is_mmio(P2M_RAM_RW));
}
END_TEST

START_TEST(change_and_unmap_notify)
{
    enum p2m_type t;

    ck_assert_int_eq(p2m_set_entry(&p2m, 10, 100, P2M_RAM_RW), 0);
    ck_assert_int_eq(p2m_set_entry(&p2m, 10, 100, P2M_RAM_RW), 0);   /* no-op */
    ck_assert_uint_eq(changed.calls, 0);
    ck_assert_int_eq(p2m_set_entry(&p2m, 10, 200, P2M_RAM_RO), 0);
    ck_assert_uint_eq(changed.calls, 1);
    ck_assert_uint_eq(changed.gfn, 10);
    ck_assert_uint_eq(changed.old_mfn, 100);
    ck_assert_int_eq(changed.old_type, P2M_RAM_RW);
    ck_assert_int_eq(p2m_set_entry(&p2m, 10, 0, P2M_INVALID), 0);
    ck_assert_uint_eq(changed.calls, 2);
    ck_assert_uint_eq(changed.old_mfn, 200);
    ck_assert_uint_eq(p2m_lookup(&p2m, 10, &t), INVALID_MFN);
    ck_assert_uint_eq(p2m.entries, 0);
    /* Unmapping what was never mapped allocates nothing and says nothing. */
    ck_assert_int_eq(p2m_set_entry(&p2m, 1ull << 30, 0, P2M_INVALID), 0);
    ck_assert_uint_eq(changed.calls, 2);
    ck_assert_uint_eq(p2m.tables, 4);
}
END_TEST

START_TEST(rejects_bad_arguments)
{
    ck_assert_int_eq(p2m_set_entry(&p2m, P2M_MAX_GFN + 1, 1, P2M_RAM_RW), -EINVAL);
    ck_assert_int_eq(p2m_set_entry(&p2m, 1, 1ull << 40, P2M_RAM_RW), -EINVAL);
    ck_assert_int_eq(p2m_set_entry(&p2m, 1, 1, P2M_NR_TYPES), -EINVAL);
    ck_assert_int_eq(p2m_set_entry(&p2m, 1, 1, (enum p2m_type)-1), -EINVAL);
    ck_assert_uint_eq(p2m.entries, 0);
    ck_assert_str_eq(p2m_type_name(P2M_MMIO), "mmio");
    ck_assert_str_eq(p2m_type_name(P2M_NR_TYPES), "bad-type");
}
END_TEST

START_TEST(out_of_table_memory_changes_nothing)
{
    pool.allocs_left = 2;       /* one short of the three levels needed */
    ck_assert_int_eq(p2m_set_entry(&p2m, 0x12345678, 5, P2M_RAM_RW), -ENOMEM);
    ck_assert_uint_eq(p2m_lookup(&p2m, 0x12345678, NULL), INVALID_MFN);
    ck_assert_uint_eq(p2m.entries, 0);
    pool.allocs_left = -1;
    ck_assert_int_eq(p2m_set_entry(&p2m, 0x12345678, 5, P2M_RAM_RW), 0);
    ck_assert_uint_eq(p2m_lookup(&p2m, 0x12345678, NULL), 5);
}
END_TEST

struct visit { gfn_t gfns[16]; mfn_t mfns[16]; unsigned int n; unsigned int stop_after; };

static int visit_fn(void *arg, gfn_t gfn, mfn_t mfn, enum p2m_type type)
{
    struct visit *v = arg;

    ck_assert_int_ne(type, P2M_INVALID);
    v->gfns[v->n] = gfn;
    v->mfns[v->n] = mfn;
    v->n++;
    return v->n == v->stop_after ? 42 : 0;
}

START_TEST(for_each_in_gfn_order_and_stops)
{
    static const gfn_t gfns[] = { 0x800000000ull, 5, 0x40000, 511, 512, 0 };
    struct visit v = { .stop_after = 100 };

    for (unsigned int i = 0; i < 6; i++)
        ck_assert_int_eq(p2m_set_entry(&p2m, gfns[i], 1000 + i, P2M_RAM_RW), 0);
    ck_assert_int_eq(p2m_for_each(&p2m, visit_fn, &v), 0);
    ck_assert_uint_eq(v.n, 6);
    for (unsigned int i = 1; i < v.n; i++)
        ck_assert_uint_lt(v.gfns[i - 1], v.gfns[i]);
    ck_assert_uint_eq(v.gfns[0], 0);
    ck_assert_uint_eq(v.mfns[0], 1005);
    ck_assert_uint_eq(v.gfns[5], 0x800000000ull);

    struct visit w = { .stop_after = 3 };
    ck_assert_int_eq(p2m_for_each(&p2m, visit_fn, &w), 42);
    ck_assert_uint_eq(w.n, 3);
}
END_TEST

/* Against a plain array model, with random maps, remaps and unmaps. */
START_TEST(random_against_model)
{
    enum { SPAN = 4096 };
    static mfn_t model[SPAN];
    static enum p2m_type model_t[SPAN];
    unsigned int seed = 12345;

    memset(model_t, 0, sizeof(model_t));
    for (unsigned int step = 0; step < 20000; step++) {
        seed = seed * 1103515245u + 12345u;
        gfn_t gfn = (seed >> 8) % SPAN;
        enum p2m_type t = (enum p2m_type)((seed >> 20) % 3);   /* invalid, rw, ro */
        mfn_t mfn = (seed >> 4) & 0xffff;

        ck_assert_int_eq(p2m_set_entry(&p2m, gfn * 3, mfn, t), 0);
        model[gfn] = mfn;
        model_t[gfn] = t;
    }
    size_t live = 0;
    for (gfn_t g = 0; g < SPAN; g++) {
        enum p2m_type t;
        mfn_t m = p2m_lookup(&p2m, g * 3, &t);
        ck_assert_int_eq(t, model_t[g]);
        if (t != P2M_INVALID) {
            ck_assert_uint_eq(m, model[g]);
            live++;
        }
    }
    ck_assert_uint_eq(p2m.entries, live);
}
END_TEST

Suite *p2m_suite(void)
{
    Suite *s = suite_create("p2m");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, empty_lookup_is_invalid);
    tcase_add_test(tc, set_and_lookup_round_trip);
    tcase_add_test(tc, entries_are_hardware_format);
    tcase_add_test(tc, mmio_wp_is_read_only);
    tcase_add_test(tc, change_and_unmap_notify);
    tcase_add_test(tc, rejects_bad_arguments);
    tcase_add_test(tc, out_of_table_memory_changes_nothing);
    tcase_add_test(tc, for_each_in_gfn_order_and_stops);
    tcase_add_test(tc, random_against_model);
    suite_add_tcase(s, tc);
    return s;
}
