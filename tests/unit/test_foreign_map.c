/*
 * Foreign-map frame table tests.  A recording fake of the ops counts
 * allocations (every test ends with none live) and logs every
 * release_frame() call, checking it runs with the table lock free.  Most
 * properties are checked against a plain reference model: a table of
 * (mfn, count, orphaned) searched linearly.
 */
#include <check.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sv/errno.h>
#include <sv/foreign_map.h>

Suite *foreign_map_suite(void);

#define MAX_RELEASES 4096

/*
 * Check records the location of every passing ck_assert (a write to the
 * runner per call), which dominates the million-operation loops below; these
 * report through ck_assert only when the check fails.
 */
#define QUIET_UINT_EQ(x, y) do { \
        uintmax_t qx_ = (x), qy_ = (y); \
        if (qx_ != qy_) \
            ck_assert_msg(qx_ == qy_, "%s == %s: %ju != %ju", #x, #y, qx_, qy_); \
    } while (0)
#define QUIET_INT_EQ(x, y) do { \
        intmax_t qx_ = (x), qy_ = (y); \
        if (qx_ != qy_) \
            ck_assert_msg(qx_ == qy_, "%s == %s: %jd != %jd", #x, #y, qx_, qy_); \
    } while (0)
#define QUIET(e) do { if (!(e)) ck_assert_msg(0, "%s", #e); } while (0)

static struct {
    unsigned int allocs_live;
    unsigned int zalloc_calls;
    bool fail_zalloc;
    size_t last_size;
    unsigned int nr_released;
    mfn_t released[MAX_RELEASES];
    bool released_under_lock;
    bool threaded;              /* other threads may hold the lock legitimately */
} fake;

static struct foreign_map_table tbl;

static void *fake_zalloc(void *ctx, size_t size)
{
    ck_assert_ptr_eq(ctx, &fake);
    fake.zalloc_calls++;
    fake.last_size = size;
    if (fake.fail_zalloc)
        return NULL;
    void *p = calloc(1, size);
    if (p)
        fake.allocs_live++;
    return p;
}

static void fake_free(void *ctx, void *p)
{
    ck_assert_ptr_eq(ctx, &fake);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_gt(fake.allocs_live, 0);
    fake.allocs_live--;
    free(p);
}

static void fake_release(void *ctx, mfn_t mfn)
{
    ck_assert_ptr_eq(ctx, &fake);
    /* Outside the table lock: the table is usable from here (a spinlock
     * taken again on the same CPU would hang instead). */
    if (!fake.threaded && spin_is_locked(&tbl.lock))
        fake.released_under_lock = true;
    QUIET_UINT_EQ(foreign_map_count(&tbl, mfn), 0);
    fake.released[fake.nr_released % MAX_RELEASES] = mfn;   /* a ring: the last ones */
    fake.nr_released++;
}

static const struct foreign_map_ops ops = {
    .zalloc = fake_zalloc,
    .free = fake_free,
    .release_frame = fake_release,
};

static void setup(void)
{
    memset(&fake, 0, sizeof(fake));
    memset(&tbl, 0, sizeof(tbl));
}

static void teardown(void)
{
    foreign_map_fini(&tbl);
    ck_assert_uint_eq(fake.allocs_live, 0);
    ck_assert(!fake.released_under_lock);
}

static void init_table(unsigned int max_frames)
{
    ck_assert_int_eq(foreign_map_init(&tbl, max_frames, &ops, &fake), 0);
    ck_assert_uint_eq(foreign_map_frames(&tbl), 0);
}

/* xorshift64*: a fixed seed makes every run the same sequence. */
static uint64_t rng_state;

static void rng_seed(uint64_t seed)
{
    rng_state = seed ? seed : 1;
}

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static unsigned int rng_below(unsigned int n)
{
    return (unsigned int)(rng() % n);
}

static void shuffle(mfn_t *a, unsigned int n)
{
    for (unsigned int i = n; i > 1; i--) {
        unsigned int j = rng_below(i);
        mfn_t tmp = a[i - 1];
        a[i - 1] = a[j];
        a[j] = tmp;
    }
}

/* n distinct mfns with foreign_map_home() == home, searching upward from start. */
static void colliding_mfns(mfn_t *out, unsigned int n, unsigned int home, mfn_t start)
{
    unsigned int found = 0;

    for (mfn_t m = start; found < n; m++) {
        if (foreign_map_home(&tbl, m) == home)
            out[found++] = m;
        QUIET(m - start < 100000000u);
    }
}

/* ---- basics ---------------------------------------------------------------- */

START_TEST(init_rejects_bad_arguments)
{
    static const struct foreign_map_ops no_release = { .zalloc = fake_zalloc, .free = fake_free };
    static const struct foreign_map_ops no_zalloc = { .free = fake_free, .release_frame = fake_release };
    static const struct foreign_map_ops no_free = { .zalloc = fake_zalloc, .release_frame = fake_release };

    ck_assert_int_eq(foreign_map_init(&tbl, 0, &ops, &fake), -EINVAL);
    ck_assert_int_eq(foreign_map_init(&tbl, FOREIGN_MAP_MAX_FRAMES + 1, &ops, &fake), -EINVAL);
    ck_assert_int_eq(foreign_map_init(&tbl, 16, NULL, &fake), -EINVAL);
    ck_assert_int_eq(foreign_map_init(&tbl, 16, &no_release, &fake), -EINVAL);
    ck_assert_int_eq(foreign_map_init(&tbl, 16, &no_zalloc, &fake), -EINVAL);
    ck_assert_int_eq(foreign_map_init(&tbl, 16, &no_free, &fake), -EINVAL);
    ck_assert_uint_eq(fake.zalloc_calls, 0);

    fake.fail_zalloc = true;
    ck_assert_int_eq(foreign_map_init(&tbl, 16, &ops, &fake), -ENOMEM);
    ck_assert_uint_eq(fake.zalloc_calls, 1);
    /* A failed init leaves a table that reads as empty and refuses work. */
    ck_assert_int_eq(foreign_map_get(&tbl, 5), -EINVAL);
    ck_assert_int_eq(foreign_map_put(&tbl, 5), -ENOENT);
    ck_assert(!foreign_map_keep(&tbl, 5));
    ck_assert_uint_eq(foreign_map_count(&tbl, 5), 0);
    ck_assert_uint_eq(foreign_map_frames(&tbl), 0);
    foreign_map_fini(&tbl);

    /* One allocation, sized for the slots: 2 * max_frames rounded up. */
    fake.fail_zalloc = false;
    init_table(16384);
    ck_assert_uint_eq(fake.zalloc_calls, 2);
    ck_assert_uint_eq(fake.allocs_live, 1);
    ck_assert_uint_eq(fake.last_size, 32768 * sizeof(struct foreign_map_slot));
    foreign_map_fini(&tbl);
    ck_assert_uint_eq(fake.allocs_live, 0);

    /* The largest table asks for 2 * FOREIGN_MAP_MAX_FRAMES slots. */
    fake.fail_zalloc = true;
    ck_assert_int_eq(foreign_map_init(&tbl, FOREIGN_MAP_MAX_FRAMES, &ops, &fake), -ENOMEM);
    ck_assert_uint_eq(fake.last_size, 2ull * FOREIGN_MAP_MAX_FRAMES * sizeof(struct foreign_map_slot));
    fake.fail_zalloc = false;

    /* The smallest: one frame. */
    init_table(1);
    ck_assert_int_eq(foreign_map_get(&tbl, 9), 0);
    ck_assert_int_eq(foreign_map_get(&tbl, 10), -ENOSPC);
    ck_assert_int_eq(foreign_map_put(&tbl, 9), 0);
    ck_assert_int_eq(foreign_map_get(&tbl, 10), 0);
    ck_assert_int_eq(foreign_map_put(&tbl, 10), 0);
}
END_TEST

START_TEST(get_put_balance)
{
    init_table(64);
    for (unsigned int i = 0; i < 3; i++) {
        ck_assert_int_eq(foreign_map_get(&tbl, 0x1234), 0);
        ck_assert_uint_eq(foreign_map_count(&tbl, 0x1234), i + 1);
    }
    ck_assert_int_eq(foreign_map_get(&tbl, 0x1235), 0);
    ck_assert_uint_eq(foreign_map_frames(&tbl), 2);
    ck_assert_uint_eq(foreign_map_count(&tbl, 0x1235), 1);
    ck_assert_uint_eq(foreign_map_count(&tbl, 0x1236), 0);

    for (unsigned int i = 3; i > 0; i--) {
        ck_assert_uint_eq(foreign_map_count(&tbl, 0x1234), i);
        ck_assert_int_eq(foreign_map_put(&tbl, 0x1234), 0);
    }
    ck_assert_uint_eq(foreign_map_count(&tbl, 0x1234), 0);
    ck_assert_uint_eq(foreign_map_frames(&tbl), 1);
    ck_assert_int_eq(foreign_map_put(&tbl, 0x1234), -ENOENT);
    ck_assert_int_eq(foreign_map_put(&tbl, 0x1235), 0);
    ck_assert_uint_eq(foreign_map_frames(&tbl), 0);
    ck_assert_uint_eq(fake.nr_released, 0);     /* nothing was orphaned */
}
END_TEST

START_TEST(keep_unmapped_returns_false)
{
    init_table(64);
    ck_assert(!foreign_map_keep(&tbl, 77));
    ck_assert_uint_eq(foreign_map_frames(&tbl), 0);   /* keep tracks nothing */

    /* Mapped once, unmapped: nobody maps it any more. */
    ck_assert_int_eq(foreign_map_get(&tbl, 77), 0);
    ck_assert_int_eq(foreign_map_put(&tbl, 77), 0);
    ck_assert(!foreign_map_keep(&tbl, 77));

    /* Another frame mapped changes nothing for 77. */
    ck_assert_int_eq(foreign_map_get(&tbl, 78), 0);
    ck_assert(!foreign_map_keep(&tbl, 77));
    ck_assert(!foreign_map_orphaned(&tbl, 78));
    ck_assert_int_eq(foreign_map_put(&tbl, 78), 0);
    ck_assert_uint_eq(fake.nr_released, 0);
}
END_TEST

START_TEST(keep_mapped_releases_once_at_last_put)
{
    init_table(64);
    for (unsigned int i = 0; i < 3; i++)
        ck_assert_int_eq(foreign_map_get(&tbl, 0xabc), 0);
    ck_assert_int_eq(foreign_map_get(&tbl, 0xabd), 0);

    ck_assert(foreign_map_keep(&tbl, 0xabc));
    ck_assert(foreign_map_orphaned(&tbl, 0xabc));
    ck_assert(!foreign_map_orphaned(&tbl, 0xabd));
    ck_assert(foreign_map_keep(&tbl, 0xabc));         /* again: harmless */
    ck_assert_uint_eq(foreign_map_count(&tbl, 0xabc), 3);

    ck_assert_int_eq(foreign_map_put(&tbl, 0xabc), 0);
    ck_assert_uint_eq(fake.nr_released, 0);
    ck_assert_int_eq(foreign_map_put(&tbl, 0xabc), 0);
    ck_assert_uint_eq(fake.nr_released, 0);
    ck_assert_uint_eq(foreign_map_count(&tbl, 0xabc), 1);

    ck_assert_int_eq(foreign_map_put(&tbl, 0xabc), 0);
    ck_assert_uint_eq(fake.nr_released, 1);
    ck_assert_uint_eq(fake.released[0], 0xabc);
    ck_assert_uint_eq(foreign_map_count(&tbl, 0xabc), 0);
    ck_assert(!foreign_map_orphaned(&tbl, 0xabc));
    ck_assert_uint_eq(foreign_map_frames(&tbl), 1);

    /* A stray put after the release does nothing more. */
    ck_assert_int_eq(foreign_map_put(&tbl, 0xabc), -ENOENT);
    ck_assert_uint_eq(fake.nr_released, 1);

    /* The other frame was never orphaned: its last put releases nothing. */
    ck_assert_int_eq(foreign_map_put(&tbl, 0xabd), 0);
    ck_assert_uint_eq(fake.nr_released, 1);
    ck_assert_uint_eq(foreign_map_frames(&tbl), 0);
    ck_assert(!fake.released_under_lock);
}
END_TEST

START_TEST(get_on_orphaned_frame_counts)
{
    init_table(8);
    ck_assert_int_eq(foreign_map_get(&tbl, 42), 0);
    ck_assert(foreign_map_keep(&tbl, 42));
    ck_assert_int_eq(foreign_map_get(&tbl, 42), 0);
    ck_assert_uint_eq(foreign_map_count(&tbl, 42), 2);
    ck_assert(foreign_map_orphaned(&tbl, 42));
    ck_assert_int_eq(foreign_map_put(&tbl, 42), 0);
    ck_assert_uint_eq(fake.nr_released, 0);
    ck_assert_int_eq(foreign_map_put(&tbl, 42), 0);
    ck_assert_uint_eq(fake.nr_released, 1);
    ck_assert_uint_eq(fake.released[0], 42);

    /* Tracked afresh after the release: not orphaned any more. */
    ck_assert_int_eq(foreign_map_get(&tbl, 42), 0);
    ck_assert(!foreign_map_orphaned(&tbl, 42));
    ck_assert_int_eq(foreign_map_put(&tbl, 42), 0);
    ck_assert_uint_eq(fake.nr_released, 1);
}
END_TEST

START_TEST(put_unknown_is_enoent)
{
    mfn_t same[4];

    init_table(16);
    ck_assert_int_eq(foreign_map_put(&tbl, 0), -ENOENT);
    ck_assert_int_eq(foreign_map_put(&tbl, 12345), -ENOENT);

    /* Unknown, but its probe path runs through a cluster of used slots. */
    colliding_mfns(same, 4, 3, 1000);
    for (unsigned int i = 0; i < 3; i++)
        ck_assert_int_eq(foreign_map_get(&tbl, same[i]), 0);
    ck_assert(foreign_map_keep(&tbl, same[1]));
    ck_assert_int_eq(foreign_map_put(&tbl, same[3]), -ENOENT);
    ck_assert(!foreign_map_keep(&tbl, same[3]));
    for (unsigned int i = 0; i < 3; i++)
        ck_assert_uint_eq(foreign_map_count(&tbl, same[i]), 1);
    ck_assert_uint_eq(foreign_map_frames(&tbl), 3);
    ck_assert_uint_eq(fake.nr_released, 0);

    for (unsigned int i = 0; i < 3; i++)
        ck_assert_int_eq(foreign_map_put(&tbl, same[i]), 0);
    ck_assert_uint_eq(fake.nr_released, 1);
    ck_assert_uint_eq(fake.released[0], same[1]);
}
END_TEST

START_TEST(extreme_mfn_values)
{
    /* 0 is also what an empty slot holds; ~0 is INVALID_MFN.  Both are just keys. */
    init_table(4);
    ck_assert_uint_eq(foreign_map_count(&tbl, 0), 0);
    ck_assert_int_eq(foreign_map_get(&tbl, 0), 0);
    ck_assert_int_eq(foreign_map_get(&tbl, INVALID_MFN), 0);
    ck_assert_int_eq(foreign_map_get(&tbl, (mfn_t)1 << 63), 0);
    ck_assert_uint_eq(foreign_map_count(&tbl, 0), 1);
    ck_assert_uint_eq(foreign_map_count(&tbl, INVALID_MFN), 1);
    ck_assert_uint_eq(foreign_map_count(&tbl, (mfn_t)1 << 63), 1);
    ck_assert(foreign_map_keep(&tbl, 0));
    ck_assert_int_eq(foreign_map_put(&tbl, 0), 0);
    ck_assert_uint_eq(fake.nr_released, 1);
    ck_assert_uint_eq(fake.released[0], 0);
    ck_assert_int_eq(foreign_map_put(&tbl, INVALID_MFN), 0);
    ck_assert_int_eq(foreign_map_put(&tbl, (mfn_t)1 << 63), 0);
    ck_assert_uint_eq(foreign_map_frames(&tbl), 0);
}
END_TEST

START_TEST(count_overflow_refused)
{
    struct foreign_map_slot *s = NULL;

    init_table(4);
    ck_assert_int_eq(foreign_map_get(&tbl, 7), 0);
    /* White box: 4 billion gets would take too long, so start near the top. */
    for (unsigned int i = 0; i < tbl.nr_slots; i++)
        if (tbl.slots[i].count && tbl.slots[i].mfn == 7)
            s = &tbl.slots[i];
    ck_assert_ptr_nonnull(s);
    s->count = UINT32_MAX - 1;

    ck_assert_int_eq(foreign_map_get(&tbl, 7), 0);
    ck_assert_uint_eq(foreign_map_count(&tbl, 7), UINT32_MAX);
    ck_assert_int_eq(foreign_map_get(&tbl, 7), -EOVERFLOW);
    ck_assert_uint_eq(foreign_map_count(&tbl, 7), UINT32_MAX);
    ck_assert_int_eq(foreign_map_put(&tbl, 7), 0);
    ck_assert_uint_eq(foreign_map_count(&tbl, 7), UINT32_MAX - 1);
    ck_assert_int_eq(foreign_map_get(&tbl, 7), 0);

    s->count = 1;
    ck_assert_int_eq(foreign_map_put(&tbl, 7), 0);
    ck_assert_uint_eq(foreign_map_frames(&tbl), 0);
}
END_TEST

START_TEST(fini_with_frames_tracked)
{
    init_table(8);
    ck_assert_int_eq(foreign_map_get(&tbl, 1), 0);
    ck_assert_int_eq(foreign_map_get(&tbl, 2), 0);
    ck_assert(foreign_map_keep(&tbl, 2));
    ck_assert_uint_eq(foreign_map_frames(&tbl), 2);   /* what a caller checks first */

    foreign_map_fini(&tbl);
    ck_assert_uint_eq(fake.allocs_live, 0);
    ck_assert_uint_eq(fake.nr_released, 0);            /* maybe still mapped: leaked */
    ck_assert_uint_eq(foreign_map_frames(&tbl), 0);
    ck_assert_uint_eq(foreign_map_count(&tbl, 1), 0);
    ck_assert_int_eq(foreign_map_get(&tbl, 1), -EINVAL);
    ck_assert_int_eq(foreign_map_put(&tbl, 2), -ENOENT);
    ck_assert(!foreign_map_keep(&tbl, 1));
    ck_assert_uint_eq(fake.nr_released, 0);
    foreign_map_fini(&tbl);                             /* idempotent */

    init_table(8);                                      /* reusable */
    ck_assert_int_eq(foreign_map_get(&tbl, 1), 0);
    ck_assert_uint_eq(foreign_map_count(&tbl, 1), 1);
    ck_assert_int_eq(foreign_map_put(&tbl, 1), 0);
}
END_TEST

/* ---- collisions -------------------------------------------------------------- */

START_TEST(colliding_mfns_behave)
{
    mfn_t same[6];

    init_table(8);                  /* 16 slots */
    ck_assert_uint_eq(tbl.nr_slots, 16);
    colliding_mfns(same, 6, 5, 0);
    for (unsigned int i = 0; i < 6; i++) {
        for (unsigned int n = 0; n <= i; n++)
            ck_assert_int_eq(foreign_map_get(&tbl, same[i]), 0);
    }
    for (unsigned int i = 0; i < 6; i++)
        ck_assert_uint_eq(foreign_map_count(&tbl, same[i]), i + 1);

    /* Remove from the middle, the front and the back of the cluster. */
    static const unsigned int order[] = { 2, 0, 5, 3, 1, 4 };
    bool gone[6] = { false };

    for (unsigned int k = 0; k < 6; k++) {
        unsigned int v = order[k];

        while (foreign_map_count(&tbl, same[v]) > 0)
            ck_assert_int_eq(foreign_map_put(&tbl, same[v]), 0);
        gone[v] = true;
        for (unsigned int i = 0; i < 6; i++)
            ck_assert_uint_eq(foreign_map_count(&tbl, same[i]), gone[i] ? 0 : i + 1);
        ck_assert_uint_eq(foreign_map_frames(&tbl), 5 - k);
    }
    ck_assert_uint_eq(fake.nr_released, 0);
}
END_TEST

START_TEST(cluster_wraps_around_table_end)
{
    mfn_t last[4], first[3];

    init_table(8);                  /* 16 slots */
    /* Homes 15,15,15,15 occupy 15,0,1,2; homes 0 then land at 3 and 4. */
    colliding_mfns(last, 4, tbl.nr_slots - 1, 0);
    colliding_mfns(first, 3, 0, 0);
    for (unsigned int i = 0; i < 4; i++)
        ck_assert_int_eq(foreign_map_get(&tbl, last[i]), 0);
    for (unsigned int i = 0; i < 3; i++)
        ck_assert_int_eq(foreign_map_get(&tbl, first[i]), 0);
    ck_assert(foreign_map_keep(&tbl, first[2]));
    ck_assert(foreign_map_keep(&tbl, last[3]));
    ck_assert_uint_eq(foreign_map_frames(&tbl), 7);

    /* Deleting at slot 15 must shift entries back across the wrap. */
    ck_assert_int_eq(foreign_map_put(&tbl, last[0]), 0);
    for (unsigned int i = 1; i < 4; i++)
        ck_assert_uint_eq(foreign_map_count(&tbl, last[i]), 1);
    for (unsigned int i = 0; i < 3; i++)
        ck_assert_uint_eq(foreign_map_count(&tbl, first[i]), 1);
    ck_assert(foreign_map_orphaned(&tbl, first[2]));
    ck_assert(foreign_map_orphaned(&tbl, last[3]));

    /* And entries homed at 0 must not move to 15 (before their home). */
    ck_assert_int_eq(foreign_map_put(&tbl, last[1]), 0);
    ck_assert_int_eq(foreign_map_put(&tbl, last[2]), 0);
    ck_assert_int_eq(foreign_map_put(&tbl, last[3]), 0);
    ck_assert_uint_eq(fake.nr_released, 1);
    ck_assert_uint_eq(fake.released[0], last[3]);
    for (unsigned int i = 0; i < 3; i++)
        ck_assert_uint_eq(foreign_map_count(&tbl, first[i]), 1);
    ck_assert_uint_eq(tbl.slots[tbl.nr_slots - 1].count, 0);
    for (unsigned int i = 0; i < 3; i++)
        ck_assert_uint_eq(tbl.slots[i].count, 1);       /* shifted home */

    for (unsigned int i = 0; i < 3; i++)
        ck_assert_int_eq(foreign_map_put(&tbl, first[i]), 0);
    ck_assert_uint_eq(fake.nr_released, 2);
    ck_assert_uint_eq(fake.released[1], first[2]);
    ck_assert_uint_eq(foreign_map_frames(&tbl), 0);
    for (unsigned int i = 0; i < tbl.nr_slots; i++)
        ck_assert_uint_eq(tbl.slots[i].count, 0);
}
END_TEST

/* ---- capacity ---------------------------------------------------------------- */

START_TEST(full_table_then_room_again)
{
    enum { N = 100 };
    mfn_t m[N];

    init_table(N);
    for (unsigned int i = 0; i < N; i++) {
        m[i] = 0x100000 + i;
        ck_assert_int_eq(foreign_map_get(&tbl, m[i]), 0);
    }
    ck_assert_uint_eq(foreign_map_frames(&tbl), N);
    ck_assert_int_eq(foreign_map_get(&tbl, 0x200000), -ENOSPC);
    ck_assert_uint_eq(foreign_map_count(&tbl, 0x200000), 0);
    /* A frame already tracked still takes more mappings. */
    ck_assert_int_eq(foreign_map_get(&tbl, m[17]), 0);
    ck_assert_uint_eq(foreign_map_count(&tbl, m[17]), 2);
    ck_assert_int_eq(foreign_map_put(&tbl, m[17]), 0);

    ck_assert_int_eq(foreign_map_put(&tbl, m[50]), 0);
    ck_assert_int_eq(foreign_map_get(&tbl, 0x200000), 0);
    ck_assert_int_eq(foreign_map_get(&tbl, 0x200001), -ENOSPC);
    ck_assert_int_eq(foreign_map_put(&tbl, 0x200000), 0);
    ck_assert_int_eq(foreign_map_get(&tbl, m[50]), 0);

    for (unsigned int i = 0; i < N; i++)
        ck_assert_int_eq(foreign_map_put(&tbl, m[i]), 0);
    ck_assert_uint_eq(foreign_map_frames(&tbl), 0);
}
END_TEST

/* Fill to max, delete half in random order, re-add, check every count. */
static void fill_delete_readd(unsigned int max, bool consecutive, uint64_t seed)
{
    mfn_t *m = calloc(max, sizeof(*m));
    mfn_t *order = calloc(max, sizeof(*order));

    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_nonnull(order);
    rng_seed(seed);
    init_table(max);
    for (unsigned int i = 0; i < max; i++) {
        if (consecutive) {
            m[i] = 0x80000 + i;
        } else {
            bool dup;
            do {            /* distinct random keys */
                m[i] = rng();
                dup = foreign_map_count(&tbl, m[i]) != 0;
            } while (dup);
        }
        /* Frame i gets (i % 3) + 1 mappings. */
        for (unsigned int n = 0; n <= i % 3; n++)
            QUIET_INT_EQ(foreign_map_get(&tbl, m[i]), 0);
    }
    QUIET_UINT_EQ(foreign_map_frames(&tbl), max);
    QUIET_INT_EQ(foreign_map_get(&tbl, consecutive ? 0x7ffff : ~m[0]), -ENOSPC);

    memcpy(order, m, max * sizeof(*m));
    shuffle(order, max);
    for (unsigned int k = 0; k < max / 2; k++) {
        while (foreign_map_count(&tbl, order[k]) > 0)
            QUIET_INT_EQ(foreign_map_put(&tbl, order[k]), 0);
    }
    QUIET_UINT_EQ(foreign_map_frames(&tbl), max - max / 2);
    for (unsigned int k = 0; k < max; k++) {
        unsigned int i;
        for (i = 0; m[i] != order[k]; i++)
            ;
        QUIET_UINT_EQ(foreign_map_count(&tbl, order[k]), k < max / 2 ? 0 : i % 3 + 1);
    }

    /* Re-add the deleted half with one mapping each, in another order. */
    shuffle(order, max / 2);
    for (unsigned int k = 0; k < max / 2; k++)
        QUIET_INT_EQ(foreign_map_get(&tbl, order[k]), 0);
    QUIET_UINT_EQ(foreign_map_frames(&tbl), max);
    QUIET_INT_EQ(foreign_map_get(&tbl, consecutive ? 0x7ffff : ~m[0]), -ENOSPC);
    for (unsigned int k = 0; k < max; k++) {
        unsigned int i;
        for (i = 0; m[i] != order[k]; i++)
            ;
        QUIET_UINT_EQ(foreign_map_count(&tbl, order[k]), k < max / 2 ? 1 : i % 3 + 1);
    }

    for (unsigned int k = 0; k < max; k++) {
        while (foreign_map_count(&tbl, m[k]) > 0)
            QUIET_INT_EQ(foreign_map_put(&tbl, m[k]), 0);
    }
    QUIET_UINT_EQ(foreign_map_frames(&tbl), 0);
    QUIET_UINT_EQ(fake.nr_released, 0);
    foreign_map_fini(&tbl);
    free(m);
    free(order);
}

START_TEST(fill_delete_half_readd_consecutive)
{
    fill_delete_readd(4096, true, 0x5eed0001);
}
END_TEST

START_TEST(fill_delete_half_readd_random)
{
    fill_delete_readd(3000, false, 0x5eed0002);
}
END_TEST

START_TEST(fill_hypervisor_size)
{
    /* The hypervisor's size: 16384 frames, a scattered set of mfns. */
    enum { N = 16384 };
    init_table(N);
    for (unsigned int i = 0; i < N; i++)
        QUIET_INT_EQ(foreign_map_get(&tbl, (mfn_t)i * 4099 + 0x100), 0);
    QUIET_UINT_EQ(foreign_map_frames(&tbl), N);
    QUIET_INT_EQ(foreign_map_get(&tbl, 1), -ENOSPC);
    for (unsigned int i = 0; i < N; i += 2)
        QUIET(foreign_map_keep(&tbl, (mfn_t)i * 4099 + 0x100));
    for (unsigned int i = 0; i < N; i++) {
        QUIET_UINT_EQ(foreign_map_count(&tbl, (mfn_t)i * 4099 + 0x100), 1);
        QUIET_INT_EQ(foreign_map_put(&tbl, (mfn_t)i * 4099 + 0x100), 0);
    }
    QUIET_UINT_EQ(foreign_map_frames(&tbl), 0);
    QUIET_UINT_EQ(fake.nr_released, N / 2);
}
END_TEST

/* ---- randomized model ------------------------------------------------------- */

struct model_frame {
    mfn_t mfn;
    uint32_t count;
    bool orphaned;
    unsigned int releases;
};

/*
 * nops random operations on a universe of mfns (a mix of colliding and
 * scattered keys) against a reference model; max_frames small enough that
 * -ENOSPC happens.  Every result and every release_frame() is checked.
 */
static void model_run(unsigned int max, unsigned int universe, unsigned int nops, uint64_t seed)
{
    struct model_frame *ref = calloc(universe, sizeof(*ref));
    unsigned int tracked = 0, expected_releases = 0, released_at_start = fake.nr_released;
    unsigned int nospc = 0, noent = 0, peak = 0;

    ck_assert_ptr_nonnull(ref);
    rng_seed(seed);
    init_table(max);

    /* A third of the keys share one home slot, a third share another, the
     * rest are random; all distinct. */
    for (unsigned int i = 0; i < universe; i++) {
        bool dup;
        do {
            if (i % 3 == 0)
                colliding_mfns(&ref[i].mfn, 1, 1, i ? ref[i - 3].mfn + 1 : 0);
            else if (i % 3 == 1)
                colliding_mfns(&ref[i].mfn, 1, tbl.nr_slots - 1, i > 1 ? ref[i - 3].mfn + 1 : 0);
            else
                ref[i].mfn = rng();
            dup = false;
            for (unsigned int j = 0; j < i; j++)
                dup |= ref[j].mfn == ref[i].mfn;
        } while (dup);
    }

    for (unsigned int op = 0; op < nops; op++) {
        unsigned int i = rng_below(universe);
        struct model_frame *f = &ref[i];
        unsigned int kind = rng_below(100);
        int rc;

        if (kind < 40) {                               /* get */
            rc = foreign_map_get(&tbl, f->mfn);
            if (f->count == 0 && tracked == max) {
                QUIET_INT_EQ(rc, -ENOSPC);
                nospc++;
            } else {
                QUIET_INT_EQ(rc, 0);
                if (f->count++ == 0) {
                    tracked++;
                    f->orphaned = false;
                }
            }
        } else if (kind < 80) {                        /* put */
            unsigned int before = fake.nr_released;

            rc = foreign_map_put(&tbl, f->mfn);
            if (f->count == 0) {
                QUIET_INT_EQ(rc, -ENOENT);
                noent++;
                QUIET_UINT_EQ(fake.nr_released, before);
            } else {
                QUIET_INT_EQ(rc, 0);
                if (--f->count == 0) {
                    tracked--;
                    if (f->orphaned) {
                        f->releases++;
                        expected_releases++;
                        f->orphaned = false;
                        QUIET_UINT_EQ(fake.nr_released, before + 1);
                        QUIET_UINT_EQ(fake.released[before % MAX_RELEASES], f->mfn);
                    }
                }
            }
        } else if (kind < 92) {                        /* keep */
            bool kept = foreign_map_keep(&tbl, f->mfn);

            QUIET(kept == (f->count > 0));
            if (kept)
                f->orphaned = true;
        } else if (kind < 93) {                        /* look at every frame */
            QUIET_UINT_EQ(foreign_map_frames(&tbl), tracked);
            for (unsigned int j = 0; j < universe; j++) {
                QUIET_UINT_EQ(foreign_map_count(&tbl, ref[j].mfn), ref[j].count);
                QUIET(foreign_map_orphaned(&tbl, ref[j].mfn) == ref[j].orphaned);
            }
        }                                              /* else: only the checks below */
        if (tracked > peak)
            peak = tracked;
        QUIET_UINT_EQ(foreign_map_count(&tbl, f->mfn), f->count);
        QUIET_UINT_EQ(foreign_map_frames(&tbl), tracked);
        QUIET_UINT_EQ(fake.nr_released - released_at_start, expected_releases);
    }

    /* Drain: every orphan is released exactly once, nothing else is. */
    unsigned int orphans = 0, total_releases = 0, before_drain = fake.nr_released;

    for (unsigned int j = 0; j < universe; j++) {
        orphans += ref[j].orphaned;
        total_releases += ref[j].releases;
        while (ref[j].count) {
            QUIET_INT_EQ(foreign_map_put(&tbl, ref[j].mfn), 0);
            ref[j].count--;
        }
    }
    QUIET_UINT_EQ(fake.nr_released - before_drain, orphans);
    QUIET_UINT_EQ(foreign_map_frames(&tbl), 0);
    /* The run went through every interesting case. */
    ck_assert_uint_gt(total_releases, 0);
    ck_assert_uint_gt(nospc, 0);
    ck_assert_uint_gt(noent, 0);
    ck_assert_uint_eq(peak, max);
    for (unsigned int i = 0; i < tbl.nr_slots; i++)
        QUIET_UINT_EQ(tbl.slots[i].count, 0);
    foreign_map_fini(&tbl);
    free(ref);
}

START_TEST(model_100k_small_table)
{
    model_run(16, 60, 100000, 0xf0e1d2c3b4a59687ull);
}
END_TEST

START_TEST(model_100k_medium_table)
{
    model_run(200, 300, 100000, 0x0123456789abcdefull);
}
END_TEST

/* ---- concurrency ------------------------------------------------------------ */

/* No more threads than a small CI machine has CPUs: a ticket lock whose
 * next holder is preempted stalls every waiter for a time slice. */
#define THREADS     2
#define ROUNDS      20000
#define SHARED_MFNS 32

static void *map_unmap_thread(void *arg)
{
    unsigned int seed = (unsigned int)(uintptr_t)arg;

    for (unsigned int n = 0; n < ROUNDS; n++) {
        mfn_t m = 0x9000 + (seed * 7 + n) % SHARED_MFNS;

        if (foreign_map_get(&tbl, m) != 0)
            return (void *)1;
        if (foreign_map_put(&tbl, m) != 0)
            return (void *)1;
    }
    return NULL;
}

static void *put_all_thread(void *arg)
{
    (void)arg;
    for (unsigned int m = 0; m < SHARED_MFNS; m++)
        if (foreign_map_put(&tbl, 0x9000 + m) != 0)
            return (void *)1;
    return NULL;
}

START_TEST(concurrent_get_put_and_release_once)
{
    pthread_t th[THREADS];
    void *ret;

    init_table(64);
    fake.threaded = true;
    /* One long-lived mapping per frame so keep() has something to keep. */
    for (unsigned int m = 0; m < SHARED_MFNS; m++)
        ck_assert_int_eq(foreign_map_get(&tbl, 0x9000 + m), 0);
    for (unsigned int t = 0; t < THREADS; t++)
        ck_assert_int_eq(pthread_create(&th[t], NULL, map_unmap_thread, (void *)(uintptr_t)t), 0);
    for (unsigned int t = 0; t < THREADS; t++) {
        ck_assert_int_eq(pthread_join(th[t], &ret), 0);
        ck_assert_ptr_null(ret);
    }
    for (unsigned int m = 0; m < SHARED_MFNS; m++)
        ck_assert_uint_eq(foreign_map_count(&tbl, 0x9000 + m), 1);

    /* Every thread holds one more mapping of every frame; the owner
     * orphans them all; the threads race to drop theirs. */
    for (unsigned int t = 0; t < THREADS; t++)
        for (unsigned int m = 0; m < SHARED_MFNS; m++)
            ck_assert_int_eq(foreign_map_get(&tbl, 0x9000 + m), 0);
    for (unsigned int m = 0; m < SHARED_MFNS; m++) {
        ck_assert_int_eq(foreign_map_put(&tbl, 0x9000 + m), 0);
        ck_assert(foreign_map_keep(&tbl, 0x9000 + m));
    }
    for (unsigned int t = 0; t < THREADS; t++)
        ck_assert_int_eq(pthread_create(&th[t], NULL, put_all_thread, NULL), 0);
    for (unsigned int t = 0; t < THREADS; t++) {
        ck_assert_int_eq(pthread_join(th[t], &ret), 0);
        ck_assert_ptr_null(ret);
    }
    ck_assert_uint_eq(foreign_map_frames(&tbl), 0);
    ck_assert_uint_eq(fake.nr_released, SHARED_MFNS);
    bool seen[SHARED_MFNS] = { false };
    for (unsigned int r = 0; r < SHARED_MFNS; r++) {
        mfn_t m = fake.released[r];
        ck_assert(m >= 0x9000 && m < 0x9000 + SHARED_MFNS);
        ck_assert(!seen[m - 0x9000]);
        seen[m - 0x9000] = true;
    }
}
END_TEST

Suite *foreign_map_suite(void)
{
    Suite *s = suite_create("foreign_map");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, init_rejects_bad_arguments);
    tcase_add_test(tc, get_put_balance);
    tcase_add_test(tc, keep_unmapped_returns_false);
    tcase_add_test(tc, keep_mapped_releases_once_at_last_put);
    tcase_add_test(tc, get_on_orphaned_frame_counts);
    tcase_add_test(tc, put_unknown_is_enoent);
    tcase_add_test(tc, extreme_mfn_values);
    tcase_add_test(tc, count_overflow_refused);
    tcase_add_test(tc, fini_with_frames_tracked);
    tcase_add_test(tc, colliding_mfns_behave);
    tcase_add_test(tc, cluster_wraps_around_table_end);
    tcase_add_test(tc, full_table_then_room_again);
    tcase_add_test(tc, fill_delete_half_readd_consecutive);
    tcase_add_test(tc, fill_delete_half_readd_random);
    tcase_add_test(tc, fill_hypervisor_size);
    tcase_add_test(tc, model_100k_small_table);
    tcase_add_test(tc, model_100k_medium_table);
    tcase_add_test(tc, concurrent_get_put_and_release_once);
    suite_add_tcase(s, tc);
    return s;
}
