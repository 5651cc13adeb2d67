/*
 * Unit tests for hypervisor/mm/xmalloc.c.  The page source hands out
 * aligned_alloc blocks of exactly PAGE_SIZE << order bytes, so ASan sees any
 * access past a block, and tracks them so the tests can check what the heap
 * holds and gives back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sv/xmalloc.h>

#include "suites.h"

#define HDR_SIZE     16             /* the header the heap puts before a payload */
#define NR_CLASSES   14             /* pools can keep one spare page per class */
#define SOURCE_SLOTS 4096

/* ---- page source and error hook ------------------------------------- */

static struct {
    void *p;
    unsigned int order;
} blocks[SOURCE_SLOTS];
static size_t nr_blocks;
static size_t source_pages;         /* pages now handed out */
static size_t source_limit;         /* most pages handed out at once */
static size_t source_calls;
static unsigned int max_order_asked;

static void *source_alloc(unsigned int order)
{
    size_t pages;
    void *p;

    source_calls++;
    max_order_asked = MAX(max_order_asked, order);
    if (order > 20)
        return NULL;
    pages = (size_t)1 << order;
    if (source_pages + pages > source_limit)
        return NULL;
    ck_assert_uint_lt(nr_blocks, SOURCE_SLOTS);
    p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);
    ck_assert_ptr_nonnull(p);
    memset(p, 0x5a, PAGE_SIZE << order);        /* the heap must not expect zeroes */
    blocks[nr_blocks].p = p;
    blocks[nr_blocks].order = order;
    nr_blocks++;
    source_pages += pages;
    return p;
}

static void source_free(void *p, unsigned int order)
{
    for (size_t i = 0; i < nr_blocks; i++) {
        if (blocks[i].p != p)
            continue;
        ck_assert_uint_eq(blocks[i].order, order);
        free(p);
        source_pages -= (size_t)1 << order;
        blocks[i] = blocks[--nr_blocks];
        return;
    }
    ck_abort_msg("heap returned %p, which the page source never gave out", p);
}

static int errors;
static const char *last_error;
static const void *last_error_ptr;

static void record_error(const char *what, const void *ptr)
{
    errors++;
    last_error = what;
    last_error_ptr = ptr;
}

static const struct heap_ops test_ops = {
    .alloc_pages = source_alloc,
    .free_pages = source_free,
    .error = record_error,
};

static void setup(void)
{
    nr_blocks = source_pages = source_calls = 0;
    max_order_asked = 0;
    source_limit = 1 << 16;
    errors = 0;
    last_error = NULL;
    last_error_ptr = NULL;
    heap_init(&test_ops);
}

/* Whatever the heap still holds goes back so LeakSanitizer stays quiet. */
static void teardown(void)
{
    while (nr_blocks)
        free(blocks[--nr_blocks].p);
}

static struct heap_stats stats(void)
{
    struct heap_stats st;

    heap_get_stats(&st);
    return st;
}

static void assert_empty_heap(void)
{
    struct heap_stats st = stats();

    ck_assert_uint_eq(st.bytes_in_use, 0);
    ck_assert_uint_eq(st.allocations, 0);
    ck_assert_uint_le(st.pages, NR_CLASSES);
    ck_assert_uint_eq(st.pages, source_pages);
}

/* ---- live allocation bookkeeping ------------------------------------ */

struct live {
    uint8_t *p;
    size_t size;
    uint8_t pattern;
};

static void fill(struct live *l)
{
    memset(l->p, l->pattern, l->size);
}

static void verify(const struct live *l)
{
    for (size_t i = 0; i < l->size; i++)
        if (l->p[i] != l->pattern)
            ck_abort_msg("allocation %p (size %zu) byte %zu was overwritten", (void *)l->p,
                         l->size, i);
}

static int by_address(const void *a, const void *b)
{
    const struct live *x = a, *y = b;

    return x->p < y->p ? -1 : x->p > y->p;
}

/* No payload reaches into the next allocation's header (or payload). */
static void assert_disjoint(struct live *l, size_t n)
{
    qsort(l, n, sizeof(*l), by_address);
    for (size_t i = 1; i < n; i++)
        ck_assert_msg(l[i - 1].p + l[i - 1].size + HDR_SIZE <= l[i].p,
                      "%p+%zu overlaps the header of %p", (void *)l[i - 1].p,
                      l[i - 1].size, (void *)l[i].p);
}

static void assert_aligned(const void *p)
{
    ck_assert_msg(((uintptr_t)p & 15) == 0, "%p is not 16-byte aligned", p);
}

/* ---- tests ---------------------------------------------------------- */

START_TEST(test_zero_size_is_unique)
{
    void *a = xmalloc(0), *b = xmalloc(0);

    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_ne(a, b);
    assert_aligned(a);
    ck_assert_uint_eq(stats().allocations, 2);
    ck_assert_uint_eq(stats().bytes_in_use, 0);
    xfree(a);
    xfree(b);
    ck_assert_int_eq(errors, 0);
    assert_empty_heap();
}
END_TEST

START_TEST(test_xfree_null_is_noop)
{
    struct heap_stats before = stats();

    xfree(NULL);
    ck_assert_int_eq(errors, 0);
    ck_assert_mem_eq(&before, &(struct heap_stats){ 0 }, sizeof(before));
    ck_assert_uint_eq(stats().bad_frees, 0);
}
END_TEST

START_TEST(test_uninitialised_heap_allocates_nothing)
{
    heap_init(NULL);
    ck_assert_ptr_null(xmalloc(16));
    ck_assert_ptr_null(xmalloc(100000));
    ck_assert_uint_eq(source_calls, 0);
}
END_TEST

/* Every size up to past the pool limit: payload and header of each
 * neighbour stay intact when the payload is filled completely. */
START_TEST(test_every_small_size)
{
    for (size_t size = 0; size <= 2100; size++) {
        struct live a = { xmalloc(size), size, 0xa1 }, b = { xmalloc(size), size, 0xb2 };

        ck_assert_ptr_nonnull(a.p);
        ck_assert_ptr_nonnull(b.p);
        assert_aligned(a.p);
        assert_aligned(b.p);
        fill(&a);
        fill(&b);
        verify(&a);
        ck_assert_uint_eq(stats().bytes_in_use, 2 * size);
        xfree(b.p);
        xfree(a.p);
        ck_assert_int_eq(errors, 0);
    }
    assert_empty_heap();
}
END_TEST

START_TEST(test_many_live_allocations_do_not_overlap)
{
    enum { N = 3000 };
    static struct live l[N];
    size_t bytes = 0;

    for (size_t i = 0; i < N; i++) {
        size_t size = i < 2100 ? i : 2100 + (i * 97) % 9000;

        l[i] = (struct live){ xmalloc(size), size, (uint8_t)(i * 31 + 7) };
        ck_assert_ptr_nonnull(l[i].p);
        assert_aligned(l[i].p);
        fill(&l[i]);
        bytes += size;
    }
    ck_assert_uint_eq(stats().bytes_in_use, bytes);
    ck_assert_uint_eq(stats().allocations, N);
    ck_assert_uint_eq(stats().pages, source_pages);
    assert_disjoint(l, N);
    for (size_t i = 0; i < N; i++)
        verify(&l[i]);
    for (size_t i = 0; i < N; i++) {
        verify(&l[i]);
        xfree(l[i].p);
    }
    ck_assert_int_eq(errors, 0);
    assert_empty_heap();
}
END_TEST

static unsigned int order_used_for(size_t size)
{
    size_t calls = source_calls;
    void *p = xmalloc(size);

    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(source_calls, calls + 1);
    memset(p, 0xcc, size);          /* ASan: must fit the block exactly */
    ck_assert_uint_eq(nr_blocks, 1);
    unsigned int order = blocks[0].order;
    ck_assert_uint_eq(stats().pages, (size_t)1 << order);
    ck_assert_uint_eq(stats().bytes_in_use, size);
    xfree(p);
    ck_assert_uint_eq(source_pages, 0);
    return order;
}

START_TEST(test_large_orders)
{
    /* 32 bytes of block header precede a large payload. */
    ck_assert_uint_eq(order_used_for(2049), 0);
    ck_assert_uint_eq(order_used_for(PAGE_SIZE - 32), 0);
    ck_assert_uint_eq(order_used_for(PAGE_SIZE - 31), 1);
    ck_assert_uint_eq(order_used_for(2 * PAGE_SIZE - 32), 1);
    ck_assert_uint_eq(order_used_for(2 * PAGE_SIZE), 2);
    ck_assert_uint_eq(order_used_for(100000), 5);
    ck_assert_uint_eq(order_used_for(1 << 20), 9);
    ck_assert_int_eq(errors, 0);
    assert_empty_heap();
}
END_TEST

START_TEST(test_huge_sizes_return_null)
{
    static const size_t sizes[] = {
        SIZE_MAX, SIZE_MAX - 15, SIZE_MAX - 32, SIZE_MAX - PAGE_SIZE, SIZE_MAX / 2 + 1,
        (size_t)1 << 60,
    };

    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        ck_assert_ptr_null(xmalloc(sizes[i]));
        ck_assert_ptr_null(xzalloc(sizes[i]));
    }
    ck_assert_uint_le(max_order_asked, 32);     /* never an overflowed order */
    ck_assert_uint_eq(stats().allocations, 0);
    ck_assert_uint_eq(source_pages, 0);
}
END_TEST

START_TEST(test_out_of_memory_returns_null)
{
    source_limit = 0;
    ck_assert_ptr_null(xmalloc(16));
    ck_assert_ptr_null(xmalloc(2048));
    ck_assert_ptr_null(xmalloc(5000));
    ck_assert_ptr_null(xzalloc(100));
    ck_assert_uint_eq(stats().allocations, 0);
    ck_assert_uint_eq(stats().bytes_in_use, 0);
    ck_assert_uint_eq(stats().pages, 0);
    ck_assert_int_eq(errors, 0);

    /* One page: a class fills it, then runs dry; large needs two. */
    static void *p[PAGE_SIZE / 16];
    size_t n = 0;

    source_limit = 1;
    while ((p[n] = xmalloc(16)) != NULL)
        n++;
    ck_assert_uint_gt(n, 100);
    ck_assert_uint_eq(stats().allocations, n);
    ck_assert_uint_eq(source_pages, 1);
    ck_assert_ptr_null(xmalloc(5000));
    ck_assert_ptr_null(xmalloc(64));                /* another class needs a page */
    xfree(p[--n]);
    p[n] = xmalloc(16);                             /* the freed slot is reusable */
    ck_assert_ptr_nonnull(p[n]);
    n++;
    while (n)
        xfree(p[--n]);
    ck_assert_int_eq(errors, 0);
    assert_empty_heap();
}
END_TEST

START_TEST(test_double_free_small)
{
    void *p = xmalloc(40), *keep = xmalloc(40);

    xfree(p);
    struct heap_stats before = stats();
    xfree(p);
    ck_assert_int_eq(errors, 1);
    ck_assert_ptr_eq(last_error_ptr, p);
    ck_assert_str_eq(last_error, "double free");
    ck_assert_uint_eq(stats().bad_frees, 1);
    ck_assert_uint_eq(stats().allocations, before.allocations);
    ck_assert_uint_eq(stats().bytes_in_use, before.bytes_in_use);
    /* The slot went on the free list once, not twice. */
    void *a = xmalloc(40), *b = xmalloc(40);
    ck_assert_ptr_ne(a, b);
    ck_assert_ptr_ne(a, keep);
    ck_assert_ptr_ne(b, keep);
    xfree(a);
    xfree(b);
    xfree(keep);
    ck_assert_int_eq(errors, 1);
    ck_assert_uint_eq(stats().allocations, 0);
}
END_TEST

START_TEST(test_double_free_large)
{
    void *p = xmalloc(10000);

    xfree(p);
    ck_assert_uint_eq(source_pages, 0);
    xfree(p);                       /* its pages are gone: must not be read */
    ck_assert_int_eq(errors, 1);
    ck_assert_ptr_eq(last_error_ptr, p);
    ck_assert_uint_eq(stats().bad_frees, 1);
    ck_assert_uint_eq(stats().allocations, 0);
}
END_TEST

START_TEST(test_interior_pointer_free)
{
    uint8_t *p = xmalloc(100), *q = xmalloc(20000);

    memset(p, 0, 100);
    memset(q, 0, 20000);
    xfree(p + 16);
    xfree(p + 1);
    xfree(p + 8);
    xfree(p + 96);
    xfree(q + 16);
    xfree(q + PAGE_SIZE);           /* lands where a large payload would start */
    xfree(q + PAGE_SIZE - 32);      /* lands on a page boundary */
    ck_assert_int_eq(errors, 7);
    ck_assert_uint_eq(stats().bad_frees, 7);
    ck_assert_uint_eq(stats().allocations, 2);
    xfree(p);
    xfree(q);
    ck_assert_int_eq(errors, 7);
    assert_empty_heap();
}
END_TEST

/* User data that imitates a live header must not pass for an allocation. */
START_TEST(test_forged_header_in_payload)
{
    uint8_t *p = xmalloc(200), *q = xmalloc(20000);

    memcpy(p + 32, p - HDR_SIZE, HDR_SIZE);
    memcpy(q + PAGE_SIZE - HDR_SIZE, q - HDR_SIZE, HDR_SIZE);   /* at a large offset */
    xfree(p + 32 + HDR_SIZE);
    xfree(q + PAGE_SIZE);
    ck_assert_int_eq(errors, 2);
    ck_assert_uint_eq(stats().allocations, 2);
    ck_assert_uint_eq(stats().bytes_in_use, 20200);
    xfree(p);
    xfree(q);
    ck_assert_int_eq(errors, 2);
    assert_empty_heap();
}
END_TEST

START_TEST(test_foreign_pointer_free)
{
    uint8_t *page = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
    void *mine = xmalloc(64);

    ck_assert_ptr_nonnull(page);
    memset(page, 0, PAGE_SIZE);
    xfree(page + 32);               /* looks like a large payload */
    xfree(page + 128);              /* looks like a pool payload */
    ck_assert_int_eq(errors, 2);
    ck_assert_ptr_eq(last_error_ptr, page + 128);
    free(page);
    xfree(mine);
    ck_assert_int_eq(errors, 2);
    assert_empty_heap();
}
END_TEST

static void corrupt_then_restore(uint8_t *p)
{
    uint8_t saved[HDR_SIZE];

    memcpy(saved, p - HDR_SIZE, HDR_SIZE);
    p[-HDR_SIZE] ^= 0xff;                           /* the magic */
    xfree(p);
    ck_assert_ptr_eq(last_error_ptr, p);
    ck_assert_uint_eq(stats().allocations, 1);      /* refused, still live */
    memcpy(p - HDR_SIZE, saved, HDR_SIZE);
    xfree(p);
}

START_TEST(test_corrupted_header_free)
{
    corrupt_then_restore(xmalloc(64));
    ck_assert_int_eq(errors, 1);
    corrupt_then_restore(xmalloc(50000));
    ck_assert_int_eq(errors, 2);
    ck_assert_uint_eq(stats().bad_frees, 2);
    assert_empty_heap();
}
END_TEST

START_TEST(test_stats_track_and_return_to_zero)
{
    enum { N = 400 };
    static struct live l[N];
    unsigned int seed = 99;
    size_t bytes = 0;

    for (size_t i = 0; i < N; i++) {
        size_t size = rand_r(&seed) % 3 ? rand_r(&seed) % 2049 : 2049 + rand_r(&seed) % 30000;

        l[i] = (struct live){ xmalloc(size), size, (uint8_t)i };
        ck_assert_ptr_nonnull(l[i].p);
        bytes += size;
        ck_assert_uint_eq(stats().bytes_in_use, bytes);
        ck_assert_uint_eq(stats().allocations, i + 1);
        ck_assert_uint_eq(stats().pages, source_pages);
    }
    for (size_t i = 0; i < N; i++) {
        xfree(l[i].p);
        bytes -= l[i].size;
        ck_assert_uint_eq(stats().bytes_in_use, bytes);
        ck_assert_uint_eq(stats().pages, source_pages);
    }
    ck_assert_uint_eq(stats().bad_frees, 0);
    assert_empty_heap();
}
END_TEST

START_TEST(test_pages_given_back)
{
    enum { N = 1000 };
    static void *p[N];

    for (size_t i = 0; i < N; i++)
        p[i] = xmalloc(100);
    ck_assert_uint_gt(source_pages, 10);
    ck_assert_uint_eq(stats().pages, source_pages);
    for (size_t i = 0; i < N; i++)
        xfree(p[i]);
    ck_assert_uint_eq(source_pages, 1);             /* one spare kept for the class */
    ck_assert_uint_eq(stats().pages, 1);

    void *big = xmalloc(64 * 1024);
    ck_assert_uint_eq(source_pages, 1 + 32);
    xfree(big);
    ck_assert_uint_eq(source_pages, 1);
    ck_assert_int_eq(errors, 0);
}
END_TEST

START_TEST(test_spare_page_prevents_thrash)
{
    static void *p[PAGE_SIZE / 16];
    size_t n = 0;

    /* Fill the first page; the last object is alone on a second one. */
    while (source_pages < 2) {
        p[n] = xmalloc(32);
        ck_assert_ptr_nonnull(p[n]);
        n++;
    }
    size_t calls = source_calls;

    for (int i = 0; i < 100; i++) {
        xfree(p[n - 1]);
        p[n - 1] = xmalloc(32);
    }
    ck_assert_uint_eq(source_calls, calls);
    ck_assert_uint_eq(source_pages, 2);
    while (n)
        xfree(p[--n]);
    ck_assert_uint_eq(source_pages, 1);
    ck_assert_int_eq(errors, 0);
}
END_TEST

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

START_TEST(test_xzalloc_zeroes)
{
    uint8_t *p = xmalloc(200);

    memset(p, 0xaa, 200);
    xfree(p);
    p = xzalloc(200);               /* most likely the same, dirty slot */
    ck_assert(all_zero(p, 200));
    uint8_t *q = xzalloc(30000);    /* the page source hands out dirty pages */
    ck_assert(all_zero(q, 30000));
    xfree(p);
    xfree(q);
    assert_empty_heap();
}
END_TEST

START_TEST(test_heap_init_resets)
{
    xmalloc(100);
    xmalloc(10000);
    xfree((void *)(uintptr_t)8);    /* misaligned: refused before any read */
    ck_assert_uint_eq(stats().allocations, 2);
    ck_assert_uint_eq(stats().bad_frees, 1);
    heap_init(&test_ops);
    struct heap_stats st = stats();
    ck_assert_uint_eq(st.allocations, 0);
    ck_assert_uint_eq(st.bytes_in_use, 0);
    ck_assert_uint_eq(st.pages, 0);
    ck_assert_uint_eq(st.bad_frees, 0);
    void *p = xmalloc(100);         /* a fresh pool page, not the old one */
    ck_assert_uint_eq(source_pages, 1 + 1 + 4);
    xfree(p);
}
END_TEST

START_TEST(test_random_stress)
{
    enum { SLOTS = 500 };
    static struct live l[SLOTS];
    unsigned int seed = 4242;
    size_t bytes = 0, live_count = 0;

    memset(l, 0, sizeof(l));
    for (int step = 0; step < 20000; step++) {
        struct live *s = &l[rand_r(&seed) % SLOTS];

        if (s->p) {
            verify(s);
            xfree(s->p);
            bytes -= s->size;
            live_count--;
            s->p = NULL;
        } else {
            s->size = rand_r(&seed) % 8 ? rand_r(&seed) % 2049 : rand_r(&seed) % 40000;
            s->pattern = (uint8_t)rand_r(&seed);
            s->p = xmalloc(s->size);
            ck_assert_ptr_nonnull(s->p);
            assert_aligned(s->p);
            fill(s);
            bytes += s->size;
            live_count++;
        }
        ck_assert_uint_eq(stats().bytes_in_use, bytes);
        ck_assert_uint_eq(stats().allocations, live_count);
    }
    for (size_t i = 0; i < SLOTS; i++) {
        if (l[i].p) {
            verify(&l[i]);
            xfree(l[i].p);
        }
    }
    ck_assert_int_eq(errors, 0);
    assert_empty_heap();
}
END_TEST

Suite *xmalloc_suite(void)
{
    Suite *s = suite_create("xmalloc");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_zero_size_is_unique);
    tcase_add_test(tc, test_xfree_null_is_noop);
    tcase_add_test(tc, test_uninitialised_heap_allocates_nothing);
    tcase_add_test(tc, test_every_small_size);
    tcase_add_test(tc, test_many_live_allocations_do_not_overlap);
    tcase_add_test(tc, test_large_orders);
    tcase_add_test(tc, test_huge_sizes_return_null);
    tcase_add_test(tc, test_out_of_memory_returns_null);
    tcase_add_test(tc, test_double_free_small);
    tcase_add_test(tc, test_double_free_large);
    tcase_add_test(tc, test_interior_pointer_free);
    tcase_add_test(tc, test_forged_header_in_payload);
    tcase_add_test(tc, test_foreign_pointer_free);
    tcase_add_test(tc, test_corrupted_header_free);
    tcase_add_test(tc, test_stats_track_and_return_to_zero);
    tcase_add_test(tc, test_pages_given_back);
    tcase_add_test(tc, test_spare_page_prevents_thrash);
    tcase_add_test(tc, test_xzalloc_zeroes);
    tcase_add_test(tc, test_heap_init_resets);
    tcase_add_test(tc, test_random_stress);
    suite_add_tcase(s, tc);
    return s;
}
