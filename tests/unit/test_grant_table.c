/*
 * Grant table tests over fake domains: a pool of machine frames, each
 * domain's RAM a handful of them, and a recording fake of the p2m for
 * grant mappings.  The fakes check the core's side of the contract too
 * (gfn_to_frame runs under the grantor's lock, unmaps match maps), and
 * every test ends by destroying all domains the way the integrator would
 * and checking that every frame and allocation came back.
 */
#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sv/errno.h>
#include <sv/grant_table.h>

/* ring.h at the latest interface wants the barriers from us. */
#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#include <xen/io/ring.h>

Suite *grant_table_suite(void);

#define POOL_FRAMES 512
#define RAM_PAGES   16
#define RO_GFN      15          /* read-only RAM: grantable read-only only */
#define MAX_DOMS    8
#define GMAP_SLOTS  512
#define MAPGFN      0x1000      /* where mappers map grants */

enum { A = 1, B = 2, C = 3 };

struct gmap { gfn_t gfn; mfn_t mfn; bool ro, used; };

struct fake_dom {
    bool present;
    struct gnttab_domain *gt;
    mfn_t ram[RAM_PAGES];
    struct gmap gmap[GMAP_SLOTS];
    unsigned int gmaps;
};

static struct {
    _Alignas(4096) uint8_t page[POOL_FRAMES][PAGE_SIZE];
    bool used[POOL_FRAMES];
    unsigned int live;
    int allocs_left;            /* table pages; -1 = unlimited */
} pool;

static struct fake_dom doms[MAX_DOMS];

static struct {
    unsigned int map_calls, unmap_calls;
    domid_t mapper;
    gfn_t gfn;
    mfn_t mfn;
    bool ro;
    bool fail_map, allow_manage;
    int why_status;
    char why[128];
    mfn_t released[32];
    unsigned int nreleased;
    long live_allocs;
} fk;

/* ---- fake machine ------------------------------------------------------ */

static mfn_t pool_get(void)
{
    for (mfn_t m = 1; m < POOL_FRAMES; m++) {      /* frame 0 stays unused */
        if (!pool.used[m]) {
            pool.used[m] = true;
            pool.live++;
            memset(pool.page[m], 0, PAGE_SIZE);
            return m;
        }
    }
    ck_abort_msg("frame pool exhausted");
    return INVALID_MFN;
}

static void pool_put(mfn_t m)
{
    ck_assert_uint_lt(m, POOL_FRAMES);
    ck_assert_msg(pool.used[m], "frame %lu freed twice", (unsigned long)m);
    pool.used[m] = false;
    pool.live--;
    memset(pool.page[m], 0xdd, PAGE_SIZE);          /* use after free shows */
}

static struct gnttab_domain *fk_domain_by_id(void *ctx, domid_t id)
{
    (void)ctx;
    if (id >= MAX_DOMS || !doms[id].present)
        return NULL;
    gnttab_domain_get(doms[id].gt);
    return doms[id].gt;
}

static int fk_gfn_to_frame(void *ctx, struct gnttab_domain *d, gfn_t gfn, bool write, mfn_t *mfn)
{
    struct fake_dom *fd = d->owner;

    (void)ctx;
    ck_assert_msg(spin_is_locked(&d->lock), "gfn_to_frame without the table lock");
    if (gfn >= RAM_PAGES || (write && gfn == RO_GFN))
        return -EINVAL;
    *mfn = fd->ram[gfn];
    return 0;
}

static struct gmap *gmap_find(struct fake_dom *fd, gfn_t gfn)
{
    for (unsigned int i = 0; i < GMAP_SLOTS; i++)
        if (fd->gmap[i].used && fd->gmap[i].gfn == gfn)
            return &fd->gmap[i];
    return NULL;
}

static int fk_p2m_map(void *ctx, struct gnttab_domain *m, gfn_t gfn, mfn_t mfn, bool ro)
{
    struct fake_dom *fd = m->owner;

    (void)ctx;
    fk.map_calls++;
    fk.mapper = m->domid;
    fk.gfn = gfn;
    fk.mfn = mfn;
    fk.ro = ro;
    if (fk.fail_map || gfn < RAM_PAGES || gmap_find(fd, gfn))
        return -EBUSY;
    for (unsigned int i = 0; i < GMAP_SLOTS; i++) {
        if (!fd->gmap[i].used) {
            fd->gmap[i] = (struct gmap){ gfn, mfn, ro, true };
            fd->gmaps++;
            return 0;
        }
    }
    return -ENOMEM;
}

static int fk_p2m_unmap(void *ctx, struct gnttab_domain *m, gfn_t gfn, mfn_t expect)
{
    struct fake_dom *fd = m->owner;
    struct gmap *g = gmap_find(fd, gfn);

    (void)ctx;
    fk.unmap_calls++;
    if (!g || g->mfn != expect)
        return -EINVAL;
    g->used = false;
    fd->gmaps--;
    return 0;
}

static void *fk_frame_ptr(void *ctx, mfn_t mfn)
{
    (void)ctx;
    ck_assert_uint_lt(mfn, POOL_FRAMES);
    ck_assert(pool.used[mfn]);
    return pool.page[mfn];
}

static void *fk_alloc_page(void *ctx, mfn_t *mfn)
{
    (void)ctx;
    if (pool.allocs_left == 0)
        return NULL;
    if (pool.allocs_left > 0)
        pool.allocs_left--;
    *mfn = pool_get();
    return pool.page[*mfn];
}

static void fk_free_page(void *ctx, mfn_t mfn, void *page)
{
    (void)ctx;
    ck_assert_ptr_eq(page, pool.page[mfn]);
    pool_put(mfn);
}

static void *fk_zalloc(void *ctx, size_t bytes)
{
    (void)ctx;
    __atomic_fetch_add(&fk.live_allocs, 1, __ATOMIC_RELAXED);
    return calloc(1, bytes);
}

static void fk_free(void *ctx, void *p)
{
    (void)ctx;
    __atomic_fetch_sub(&fk.live_allocs, 1, __ATOMIC_RELAXED);
    free(p);
}

static void fk_release_frame(void *ctx, mfn_t mfn)
{
    (void)ctx;
    if (fk.nreleased < ARRAY_SIZE(fk.released))
        fk.released[fk.nreleased++] = mfn;
    pool_put(mfn);
}

static bool fk_may_manage(void *ctx, const struct gnttab_domain *caller,
                          const struct gnttab_domain *target)
{
    (void)ctx;
    (void)caller;
    (void)target;
    return fk.allow_manage;
}

static void fk_refused(void *ctx, domid_t caller, int status, const char *why)
{
    (void)ctx;
    (void)caller;
    fk.why_status = status;
    snprintf(fk.why, sizeof(fk.why), "%s", why);
}

static const struct gnttab_ops fk_ops = {
    .domain_by_id = fk_domain_by_id,
    .gfn_to_frame = fk_gfn_to_frame,
    .p2m_map = fk_p2m_map,
    .p2m_unmap = fk_p2m_unmap,
    .frame_ptr = fk_frame_ptr,
    .alloc_page = fk_alloc_page,
    .free_page = fk_free_page,
    .zalloc = fk_zalloc,
    .free = fk_free,
    .release_frame = fk_release_frame,
    .may_manage = fk_may_manage,
    .refused = fk_refused,
};

/* ---- fake domains, built and torn down as the integrator would -------- */

static void dom_create_limits(domid_t id, unsigned int max_frames, unsigned int max_maptrack)
{
    struct fake_dom *fd = &doms[id];

    memset(fd, 0, sizeof(*fd));
    for (unsigned int g = 0; g < RAM_PAGES; g++)
        fd->ram[g] = pool_get();
    ck_assert_int_eq(gnttab_domain_create(id, fd, max_frames, max_maptrack, &fk_ops, NULL,
                                          &fd->gt), 0);
    fd->present = true;
}

static void dom_destroy(domid_t id)
{
    struct fake_dom *fd = &doms[id];

    fd->present = false;                /* no new lookups */
    gnttab_domain_release_mappings(fd->gt);
    ck_assert_uint_eq(fd->gmaps, 0);
    for (unsigned int g = 0; g < RAM_PAGES; g++)
        if (!gnttab_keep_frame(fd->gt, fd->ram[g]))
            pool_put(fd->ram[g]);
    gnttab_domain_destroy(fd->gt);
    fd->gt = NULL;
}

static unsigned int baseline_frames;

static void setup(void)
{
    memset(&fk, 0, sizeof(fk));
    memset(pool.used, 0, sizeof(pool.used));
    pool.live = 0;
    pool.allocs_left = -1;
    baseline_frames = 0;
    dom_create_limits(A, 4, 64);
    dom_create_limits(B, 4, 64);
    dom_create_limits(C, 4, 64);
}

static void teardown(void)
{
    for (domid_t id = 0; id < MAX_DOMS; id++)
        if (doms[id].present)
            dom_destroy(id);
    ck_assert_uint_eq(pool.live, baseline_frames);
    ck_assert_int_eq(fk.live_allocs, 0);
}

/* ---- helpers ------------------------------------------------------------ */

static struct gnttab_domain *gt(domid_t id)
{
    return doms[id].gt;
}

static void grant(domid_t from, grant_ref_t ref, domid_t to, gfn_t gfn, bool ro)
{
    ck_assert_int_eq(gnttab_grant_access(gt(from), ref, to, gfn, ro), 0);
}

static uint16_t gflags(domid_t d, grant_ref_t ref)
{
    return __atomic_load_n(&gnttab_shared_entry(gt(d), ref)->flags, __ATOMIC_ACQUIRE);
}

static struct gnttab_map_grant_ref map(domid_t mapper, domid_t granter, grant_ref_t ref, gfn_t at,
                                       bool ro)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = at << PAGE_SHIFT,
        .flags = GNTMAP_host_map | (ro ? GNTMAP_readonly : 0),
        .ref = ref, .dom = granter, .status = 99, .handle = GNTTAB_INVALID_HANDLE,
    };

    gnttab_map_grant_ref(gt(mapper), &op);
    return op;
}

static int16_t unmap(domid_t mapper, grant_handle_t h, gfn_t at)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = at << PAGE_SHIFT, .handle = h, .status = 99 };

    gnttab_unmap_grant_ref(gt(mapper), &op);
    return op.status;
}

static void check_pins(domid_t d, grant_ref_t ref, unsigned int ro, unsigned int rw)
{
    unsigned int r, w;

    ck_assert_int_eq(gnttab_entry_pins(gt(d), ref, &r, &w), 0);
    ck_assert_uint_eq(r, ro);
    ck_assert_uint_eq(w, rw);
}

struct side { domid_t dom; uint64_t x; uint16_t off; };

static int16_t copy(domid_t caller, uint16_t flags, struct side s, struct side d, uint16_t len)
{
    struct gnttab_copy op = { .len = len, .flags = flags, .status = 99 };

    op.source.domid = s.dom;
    op.source.offset = s.off;
    op.dest.domid = d.dom;
    op.dest.offset = d.off;
    if (flags & GNTCOPY_source_gref)
        op.source.u.ref = (grant_ref_t)s.x;
    else
        op.source.u.gmfn = s.x;
    if (flags & GNTCOPY_dest_gref)
        op.dest.u.ref = (grant_ref_t)d.x;
    else
        op.dest.u.gmfn = d.x;
    gnttab_copy(gt(caller), &op);
    return op.status;
}

static uint8_t *ram(domid_t d, gfn_t gfn)
{
    return pool.page[doms[d].ram[gfn]];
}

static uint8_t *mapped(domid_t d, gfn_t gfn)
{
    struct gmap *g = gmap_find(&doms[d], gfn);

    ck_assert_ptr_nonnull(g);
    return pool.page[g->mfn];
}

/* ---- lifetime ----------------------------------------------------------- */

START_TEST(create_rejects_bad_limits)
{
    struct gnttab_domain *d = (void *)1;

    ck_assert_int_eq(gnttab_domain_create(5, NULL, 0, 8, &fk_ops, NULL, &d), -EINVAL);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(gnttab_domain_create(5, NULL, GNTTAB_MAX_FRAMES + 1, 8, &fk_ops, NULL, &d),
                     -EINVAL);
    ck_assert_int_eq(gnttab_domain_create(5, NULL, 1, GNTTAB_MAX_MAPTRACK + 1, &fk_ops, NULL, &d),
                     -EINVAL);
    pool.allocs_left = 0;
    ck_assert_int_eq(gnttab_domain_create(5, NULL, 1, 8, &fk_ops, NULL, &d), -ENOMEM);
}
END_TEST

/* ---- map and unmap ------------------------------------------------------ */

START_TEST(map_calls_p2m_with_frame)
{
    grant(A, 10, B, 3, false);
    struct gnttab_map_grant_ref op = map(B, A, 10, MAPGFN, false);

    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert_uint_eq(fk.map_calls, 1);
    ck_assert_uint_eq(fk.mapper, B);
    ck_assert_uint_eq(fk.gfn, MAPGFN);
    ck_assert_uint_eq(fk.mfn, doms[A].ram[3]);
    ck_assert(!fk.ro);
    ck_assert_uint_eq(op.dev_bus_addr, (uint64_t)doms[A].ram[3] << PAGE_SHIFT);
    ck_assert_uint_eq(gflags(A, 10), GTF_permit_access | GTF_reading | GTF_writing);
    check_pins(A, 10, 0, 1);

    /* The mapper sees the grantor's page. */
    ram(A, 3)[100] = 0x5a;
    ck_assert_uint_eq(mapped(B, MAPGFN)[100], 0x5a);

    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
    ck_assert_uint_eq(gflags(A, 10), GTF_permit_access);
    check_pins(A, 10, 0, 0);
    ck_assert_uint_eq(doms[B].gmaps, 0);
}
END_TEST

START_TEST(readonly_map_sets_only_reading)
{
    grant(A, 11, B, 4, false);
    struct gnttab_map_grant_ref op = map(B, A, 11, MAPGFN, true);

    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert(fk.ro);
    ck_assert_uint_eq(gflags(A, 11), GTF_permit_access | GTF_reading);
    check_pins(A, 11, 1, 0);
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
    ck_assert_uint_eq(gflags(A, 11), GTF_permit_access);
}
END_TEST

START_TEST(readonly_grant_refuses_writable_map)
{
    grant(A, 12, B, 4, true);
    struct gnttab_map_grant_ref op = map(B, A, 12, MAPGFN, false);

    ck_assert_int_eq(op.status, GNTST_permission_denied);
    ck_assert_uint_eq(fk.map_calls, 0);
    ck_assert_uint_eq(gflags(A, 12), GTF_permit_access | GTF_readonly);
    check_pins(A, 12, 0, 0);

    op = map(B, A, 12, MAPGFN, true);
    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
}
END_TEST

START_TEST(double_map_keeps_flags_until_both_unmapped)
{
    grant(A, 13, B, 5, false);
    struct gnttab_map_grant_ref m1 = map(B, A, 13, MAPGFN, false);
    struct gnttab_map_grant_ref m2 = map(B, A, 13, MAPGFN + 1, false);

    ck_assert_int_eq(m1.status, GNTST_okay);
    ck_assert_int_eq(m2.status, GNTST_okay);
    ck_assert_uint_ne(m1.handle, m2.handle);
    check_pins(A, 13, 0, 2);
    ck_assert_uint_eq(mapped(B, MAPGFN + 1) - mapped(B, MAPGFN), 0);

    ck_assert_int_eq(unmap(B, m1.handle, MAPGFN), GNTST_okay);
    check_pins(A, 13, 0, 1);
    ck_assert_uint_eq(gflags(A, 13), GTF_permit_access | GTF_reading | GTF_writing);
    ck_assert_int_eq(unmap(B, m2.handle, MAPGFN + 1), GNTST_okay);
    check_pins(A, 13, 0, 0);
    ck_assert_uint_eq(gflags(A, 13), GTF_permit_access);
}
END_TEST

START_TEST(readonly_then_writable_upgrade)
{
    grant(A, 14, B, 6, false);
    struct gnttab_map_grant_ref r = map(B, A, 14, MAPGFN, true);
    struct gnttab_map_grant_ref w = map(B, A, 14, MAPGFN + 1, false);

    ck_assert_int_eq(r.status, GNTST_okay);
    ck_assert_int_eq(w.status, GNTST_okay);
    check_pins(A, 14, 1, 1);
    ck_assert_uint_eq(gflags(A, 14), GTF_permit_access | GTF_reading | GTF_writing);
    ck_assert_int_eq(unmap(B, w.handle, MAPGFN + 1), GNTST_okay);
    ck_assert_uint_eq(gflags(A, 14), GTF_permit_access | GTF_reading);
    ck_assert_int_eq(unmap(B, r.handle, MAPGFN), GNTST_okay);
    ck_assert_uint_eq(gflags(A, 14), GTF_permit_access);
}
END_TEST

START_TEST(grantor_may_downgrade_while_read_mapped)
{
    grant(A, 15, B, 6, false);
    struct gnttab_map_grant_ref r = map(B, A, 15, MAPGFN, true);

    ck_assert_int_eq(r.status, GNTST_okay);
    /* The documented way: set GTF_readonly while GTF_writing is clear. */
    __atomic_fetch_or(&gnttab_shared_entry(gt(A), 15)->flags, GTF_readonly, __ATOMIC_SEQ_CST);
    ck_assert_int_eq(map(B, A, 15, MAPGFN + 1, false).status, GNTST_permission_denied);
    check_pins(A, 15, 1, 0);
    ck_assert_uint_eq(gflags(A, 15) & GTF_writing, 0);
    struct gnttab_map_grant_ref r2 = map(B, A, 15, MAPGFN + 1, true);
    ck_assert_int_eq(r2.status, GNTST_okay);
    ck_assert_int_eq(unmap(B, r.handle, MAPGFN), GNTST_okay);
    ck_assert_int_eq(unmap(B, r2.handle, MAPGFN + 1), GNTST_okay);
}
END_TEST

START_TEST(unmap_bad_handle)
{
    grant(A, 16, B, 7, false);
    struct gnttab_map_grant_ref op = map(B, A, 16, MAPGFN, false);

    ck_assert_int_eq(unmap(B, op.handle + 1, MAPGFN), GNTST_bad_handle);  /* never used */
    ck_assert_int_eq(unmap(B, 100000, MAPGFN), GNTST_bad_handle);         /* beyond maptrack */
    ck_assert_int_eq(unmap(C, op.handle, MAPGFN), GNTST_bad_handle);      /* someone else's */
    check_pins(A, 16, 0, 1);
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_bad_handle);      /* twice */
    ck_assert_str_eq(fk.why, "unmap: no such mapping");
}
END_TEST

START_TEST(unmap_wrong_host_addr_keeps_mapping)
{
    grant(A, 17, B, 7, false);
    struct gnttab_map_grant_ref op = map(B, A, 17, MAPGFN, false);

    ck_assert_int_eq(unmap(B, op.handle, MAPGFN + 7), GNTST_general_error);
    ck_assert_uint_eq(fk.unmap_calls, 0);
    ck_assert_ptr_nonnull(gmap_find(&doms[B], MAPGFN));
    check_pins(A, 17, 0, 1);

    struct gnttab_unmap_grant_ref bus = { .host_addr = MAPGFN << PAGE_SHIFT, .handle = op.handle,
                                          .dev_bus_addr = 0x1000 };
    gnttab_unmap_grant_ref(gt(B), &bus);
    ck_assert_int_eq(bus.status, GNTST_general_error);
    check_pins(A, 17, 0, 1);

    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
}
END_TEST

START_TEST(unmap_host_addr_zero_is_ignored)
{
    grant(A, 18, B, 7, false);
    struct gnttab_map_grant_ref op = map(B, A, 18, MAPGFN, false);

    /* Xen: a zero host_addr means "not this kind of mapping": nothing undone. */
    ck_assert_int_eq(unmap(B, op.handle, 0), GNTST_okay);
    ck_assert_ptr_nonnull(gmap_find(&doms[B], MAPGFN));
    check_pins(A, 18, 0, 1);
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
}
END_TEST

START_TEST(unmap_fails_when_p2m_changed)
{
    grant(A, 19, B, 7, false);
    struct gnttab_map_grant_ref op = map(B, A, 19, MAPGFN, false);

    /* Something replaced the p2m entry: the unmap must not drop the pin. */
    gmap_find(&doms[B], MAPGFN)->mfn = doms[A].ram[8];
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_general_error);
    check_pins(A, 19, 0, 1);
    gmap_find(&doms[B], MAPGFN)->mfn = doms[A].ram[7];
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
}
END_TEST

START_TEST(map_entry_granted_to_other_domain)
{
    grant(A, 20, C, 3, false);
    ck_assert_int_eq(map(B, A, 20, MAPGFN, false).status, GNTST_permission_denied);
    ck_assert_str_eq(fk.why, "entry not granted to this domain");
    ck_assert_uint_eq(gflags(A, 20), GTF_permit_access);
    ck_assert_uint_eq(fk.map_calls, 0);
    struct gnttab_stats st;
    gnttab_get_stats(gt(B), &st);
    ck_assert_uint_eq(st.mappings, 0);          /* the handle went back */
    ck_assert_uint_eq(st.map_errors, 1);
}
END_TEST

START_TEST(map_entry_not_permit_access)
{
    grant_entry_v1_t *e = gnttab_shared_entry(gt(A), 21);

    ck_assert_int_eq(map(B, A, 21, MAPGFN, false).status, GNTST_permission_denied);  /* empty */
    e->frame = 3;
    e->domid = B;
    e->flags = GTF_accept_transfer;
    ck_assert_int_eq(map(B, A, 21, MAPGFN, false).status, GNTST_permission_denied);
    e->flags = GTF_permit_access | GTF_sub_page;                /* copy only */
    ck_assert_int_eq(map(B, A, 21, MAPGFN, false).status, GNTST_permission_denied);
}
END_TEST

START_TEST(map_ref_beyond_table)
{
    ck_assert_int_eq(map(B, A, GNTTAB_ENTRIES_PER_FRAME, MAPGFN, false).status, GNTST_bad_gntref);
    ck_assert_int_eq(map(B, A, 0xffffffffu, MAPGFN, false).status, GNTST_bad_gntref);
    grant(A, GNTTAB_ENTRIES_PER_FRAME - 1, B, 3, false);
    struct gnttab_map_grant_ref op = map(B, A, GNTTAB_ENTRIES_PER_FRAME - 1, MAPGFN, false);
    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
}
END_TEST

START_TEST(map_bad_domain)
{
    grant(A, 22, B, 3, false);
    ck_assert_int_eq(map(B, 6, 22, MAPGFN, false).status, GNTST_bad_domain);
    ck_assert_int_eq(map(B, 0x7000, 22, MAPGFN, false).status, GNTST_bad_domain);
    ck_assert_int_eq(map(B, DOMID_SELF, 22, MAPGFN, false).status, GNTST_bad_domain);
}
END_TEST

START_TEST(map_flags_checked)
{
    grant(A, 23, B, 3, false);
    struct gnttab_map_grant_ref op = { .host_addr = MAPGFN << PAGE_SHIFT, .ref = 23, .dom = A };

    gnttab_map_grant_ref(gt(B), &op);
    ck_assert_int_eq(op.status, GNTST_bad_gntref);
    op.flags = GNTMAP_host_map | GNTMAP_device_map;
    gnttab_map_grant_ref(gt(B), &op);
    ck_assert_int_eq(op.status, GNTST_general_error);
    op.flags = GNTMAP_host_map | GNTMAP_contains_pte;
    gnttab_map_grant_ref(gt(B), &op);
    ck_assert_int_eq(op.status, GNTST_general_error);
    op.flags = GNTMAP_host_map;
    op.host_addr = (P2M_MAX_GFN + 1) << PAGE_SHIFT;
    gnttab_map_grant_ref(gt(B), &op);
    ck_assert_int_eq(op.status, GNTST_bad_virt_addr);
    ck_assert_uint_eq(gflags(A, 23), GTF_permit_access);
}
END_TEST

START_TEST(map_frame_not_grantor_ram)
{
    grant(A, 24, B, 200, false);                 /* not A's RAM */
    ck_assert_int_eq(map(B, A, 24, MAPGFN, true).status, GNTST_bad_page);
    ck_assert_uint_eq(gflags(A, 24), GTF_permit_access);       /* bits rolled back */
    grant(A, 25, B, RO_GFN, false);              /* read-only RAM granted writable */
    ck_assert_int_eq(map(B, A, 25, MAPGFN, false).status, GNTST_bad_page);
    ck_assert_uint_eq(gflags(A, 25), GTF_permit_access);
    struct gnttab_map_grant_ref op = map(B, A, 25, MAPGFN, true);
    ck_assert_int_eq(op.status, GNTST_okay);
    /* ... and cannot be upgraded by a later writable map. */
    ck_assert_int_eq(map(B, A, 25, MAPGFN + 1, false).status, GNTST_bad_page);
    ck_assert_uint_eq(gflags(A, 25), GTF_permit_access | GTF_reading);
    check_pins(A, 25, 1, 0);
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
}
END_TEST

START_TEST(map_p2m_failure_undoes_pin)
{
    grant(A, 26, B, 3, false);
    ck_assert_int_eq(map(B, A, 26, 2, false).status, GNTST_general_error);   /* RAM at gfn 2 */
    check_pins(A, 26, 0, 0);
    ck_assert_uint_eq(gflags(A, 26), GTF_permit_access);
    struct gnttab_stats st;
    gnttab_get_stats(gt(B), &st);
    ck_assert_uint_eq(st.mappings, 0);
    gnttab_get_stats(gt(A), &st);
    ck_assert_uint_eq(st.pinned_entries, 0);
}
END_TEST

START_TEST(grantor_reuses_mapped_entry)
{
    grant(A, 27, B, 3, false);
    struct gnttab_map_grant_ref op = map(B, A, 27, MAPGFN, false);
    ck_assert_int_eq(op.status, GNTST_okay);

    /* A hostile grantor rewrites the entry for C: same frame, then another. */
    grant(A, 27, C, 3, false);
    ck_assert_int_eq(map(C, A, 27, MAPGFN, true).status, GNTST_general_error);
    ck_assert_str_eq(fk.why, "entry pinned by another domain");
    grant(A, 27, C, 4, false);
    ck_assert_int_eq(map(C, A, 27, MAPGFN, false).status, GNTST_general_error);
    ck_assert_int_eq(map(B, A, 27, MAPGFN + 1, false).status, GNTST_general_error);
    /* Same domain, other frame: also refused. */
    grant(A, 27, B, 4, false);
    ck_assert_int_eq(map(B, A, 27, MAPGFN + 1, true).status, GNTST_general_error);
    ck_assert_str_eq(fk.why, "entry rewritten while pinned");

    /* The old mapping is untouched and still reaches the old frame. */
    ck_assert_uint_eq(gmap_find(&doms[B], MAPGFN)->mfn, doms[A].ram[3]);
    check_pins(A, 27, 0, 1);
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);

    /* Once unpinned, the new grant works. */
    grant(A, 27, C, 4, false);
    op = map(C, A, 27, MAPGFN, false);
    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert_uint_eq(fk.mfn, doms[A].ram[4]);
    ck_assert_int_eq(unmap(C, op.handle, MAPGFN), GNTST_okay);
}
END_TEST

START_TEST(self_grant_map)
{
    grant(A, 28, A, 3, false);
    struct gnttab_map_grant_ref op = map(A, A, 28, MAPGFN, false);

    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert_int_eq(unmap(A, op.handle, MAPGFN), GNTST_okay);
}
END_TEST

START_TEST(maptrack_exhaustion)
{
    dom_create_limits(4, 1, 3);
    grant(A, 30, 4, 3, true);
    grant_handle_t h[3];

    for (unsigned int i = 0; i < 3; i++) {
        struct gnttab_map_grant_ref op = map(4, A, 30, MAPGFN + i, true);
        ck_assert_int_eq(op.status, GNTST_okay);
        h[i] = op.handle;
    }
    ck_assert_int_eq(map(4, A, 30, MAPGFN + 3, true).status, GNTST_no_device_space);
    check_pins(A, 30, 3, 0);
    ck_assert_int_eq(unmap(4, h[1], MAPGFN + 1), GNTST_okay);
    struct gnttab_map_grant_ref op = map(4, A, 30, MAPGFN + 3, true);
    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert_uint_eq(op.handle, h[1]);           /* the freed handle is reused */
}
END_TEST

START_TEST(maptrack_grows_across_chunks)
{
    unsigned int n = GNTTAB_MAPTRACK_PER_CHUNK + 44;

    dom_create_limits(4, 1, n);
    grant(A, 31, 4, 3, true);
    for (unsigned int i = 0; i < n; i++) {
        struct gnttab_map_grant_ref op = map(4, A, 31, MAPGFN + i, true);
        ck_assert_int_eq(op.status, GNTST_okay);
        ck_assert_uint_eq(op.handle, i);
    }
    ck_assert_int_eq(map(4, A, 31, MAPGFN + n, true).status, GNTST_no_device_space);
    check_pins(A, 31, n, 0);
    /* teardown releases them all */
}
END_TEST

/* ---- table size and version -------------------------------------------- */

START_TEST(setup_table_grows_to_max)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    xen_pfn_t frames[GNTTAB_MAX_FRAMES];

    gnttab_query_size(gt(A), &q);
    ck_assert_int_eq(q.status, GNTST_okay);
    ck_assert_uint_eq(q.nr_frames, 1);
    ck_assert_uint_eq(q.max_nr_frames, 4);

    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 3 };
    gnttab_setup_table(gt(A), &st, frames, GNTTAB_MAX_FRAMES);
    ck_assert_int_eq(st.status, GNTST_okay);
    ck_assert_uint_ne(frames[0], frames[1]);
    ck_assert_uint_ne(frames[1], frames[2]);
    gnttab_query_size(gt(A), &q);
    ck_assert_uint_eq(q.nr_frames, 3);

    /* The table never shrinks; a smaller request reports the first frames. */
    xen_pfn_t again[GNTTAB_MAX_FRAMES];
    st.nr_frames = 2;
    gnttab_setup_table(gt(A), &st, again, GNTTAB_MAX_FRAMES);
    ck_assert_int_eq(st.status, GNTST_okay);
    ck_assert_uint_eq(again[1], frames[1]);
    gnttab_query_size(gt(A), &q);
    ck_assert_uint_eq(q.nr_frames, 3);

    st.nr_frames = 5;
    gnttab_setup_table(gt(A), &st, frames, GNTTAB_MAX_FRAMES);
    ck_assert_int_eq(st.status, GNTST_general_error);
    st.nr_frames = 4;
    gnttab_setup_table(gt(A), &st, frames, 2);   /* caller's buffer too small */
    ck_assert_int_eq(st.status, GNTST_general_error);

    /* Entries of the new frames work; the one past them does not. */
    grant_ref_t last = 3 * GNTTAB_ENTRIES_PER_FRAME - 1;
    grant(A, last, B, 3, false);
    struct gnttab_map_grant_ref op = map(B, A, last, MAPGFN, false);
    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert_int_eq(map(B, A, last + 1, MAPGFN + 1, false).status, GNTST_bad_gntref);
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
    ck_assert_int_eq(gnttab_grant_access(gt(A), last + 1, B, 3, false), -EINVAL);
}
END_TEST

START_TEST(setup_table_out_of_memory)
{
    xen_pfn_t frames[GNTTAB_MAX_FRAMES];
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 3 };
    struct gnttab_query_size q = { .dom = DOMID_SELF };

    pool.allocs_left = 1;
    gnttab_setup_table(gt(A), &st, frames, GNTTAB_MAX_FRAMES);
    ck_assert_int_eq(st.status, GNTST_general_error);
    gnttab_query_size(gt(A), &q);
    ck_assert_uint_eq(q.nr_frames, 2);             /* what could be had stays */
    pool.allocs_left = -1;
    gnttab_setup_table(gt(A), &st, frames, GNTTAB_MAX_FRAMES);
    ck_assert_int_eq(st.status, GNTST_okay);
}
END_TEST

START_TEST(setup_and_query_other_domain)
{
    xen_pfn_t frames[GNTTAB_MAX_FRAMES];
    struct gnttab_setup_table st = { .dom = A, .nr_frames = 2 };
    struct gnttab_query_size q = { .dom = A };

    gnttab_setup_table(gt(B), &st, frames, GNTTAB_MAX_FRAMES);
    ck_assert_int_eq(st.status, GNTST_permission_denied);
    gnttab_query_size(gt(B), &q);
    ck_assert_int_eq(q.status, GNTST_permission_denied);

    fk.allow_manage = true;
    gnttab_setup_table(gt(B), &st, frames, GNTTAB_MAX_FRAMES);
    ck_assert_int_eq(st.status, GNTST_okay);
    gnttab_query_size(gt(B), &q);
    ck_assert_int_eq(q.status, GNTST_okay);
    ck_assert_uint_eq(q.nr_frames, 2);

    q.dom = 6;
    gnttab_query_size(gt(B), &q);
    ck_assert_int_eq(q.status, GNTST_bad_domain);
    q.dom = B;                                     /* own id, like DOMID_SELF */
    fk.allow_manage = false;
    gnttab_query_size(gt(B), &q);
    ck_assert_int_eq(q.status, GNTST_okay);
}
END_TEST

START_TEST(shared_frame_for_add_to_physmap)
{
    mfn_t f0, f2;
    xen_pfn_t frames[GNTTAB_MAX_FRAMES];
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };

    ck_assert_int_eq(gnttab_get_shared_frame(gt(A), 0, &f0), 0);
    gnttab_setup_table(gt(A), &st, frames, GNTTAB_MAX_FRAMES);
    ck_assert_uint_eq(frames[0], f0);
    ck_assert_int_eq(gnttab_get_shared_frame(gt(A), 2, &f2), 0);      /* grows */
    ck_assert_int_eq(gnttab_get_shared_frame(gt(A), 4, &f2), -EINVAL); /* max is 4 */

    /* A guest fills an entry through its own mapping of frame 2 ... */
    grant_entry_v1_t *e = fk_frame_ptr(NULL, f2);
    grant_ref_t ref = 2 * GNTTAB_ENTRIES_PER_FRAME + 9;
    e[9].frame = 5;
    e[9].domid = B;
    __atomic_store_n(&e[9].flags, GTF_permit_access, __ATOMIC_RELEASE);
    /* ... and the peer maps it. */
    struct gnttab_map_grant_ref op = map(B, A, ref, MAPGFN, false);
    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert_uint_eq(fk.mfn, doms[A].ram[5]);
    ck_assert_uint_eq(e[9].flags, GTF_permit_access | GTF_reading | GTF_writing);
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
}
END_TEST

START_TEST(version_one_only)
{
    struct gnttab_set_version sv = { .version = 1 };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };

    ck_assert_int_eq(gnttab_set_version(gt(A), &sv), 0);
    ck_assert_uint_eq(sv.version, 1);
    sv.version = 2;
    ck_assert_int_eq(gnttab_set_version(gt(A), &sv), -ENOSYS);
    ck_assert_uint_eq(sv.version, 1);
    ck_assert_int_eq(fk.why_status, -ENOSYS);
    sv.version = 3;
    ck_assert_int_eq(gnttab_set_version(gt(A), &sv), -EINVAL);
    ck_assert_uint_eq(sv.version, 1);

    ck_assert_int_eq(gnttab_get_version(gt(A), &gv), 0);
    ck_assert_uint_eq(gv.version, 1);
    gv.dom = 6;
    ck_assert_int_eq(gnttab_get_version(gt(A), &gv), -ESRCH);
    gv.dom = B;
    ck_assert_int_eq(gnttab_get_version(gt(A), &gv), -EPERM);
}
END_TEST

/* ---- copy --------------------------------------------------------------- */

static void fill(uint8_t *p, uint8_t seed)
{
    for (unsigned int i = 0; i < PAGE_SIZE; i++)
        p[i] = (uint8_t)(seed + i * 7);
}

START_TEST(copy_gref_to_gref)
{
    fill(ram(A, 3), 1);
    grant(A, 40, B, 3, true);                    /* read-only is enough for a source */
    grant(C, 41, B, 6, false);
    ck_assert_int_eq(copy(B, GNTCOPY_source_gref | GNTCOPY_dest_gref,
                          (struct side){ A, 40, 100 }, (struct side){ C, 41, 2000 }, 512),
                     GNTST_okay);
    ck_assert_mem_eq(ram(C, 6) + 2000, ram(A, 3) + 100, 512);
    ck_assert_uint_eq(ram(C, 6)[1999], 0);
    ck_assert_uint_eq(ram(C, 6)[2512], 0);
    /* Transient pins: nothing left behind. */
    check_pins(A, 40, 0, 0);
    check_pins(C, 41, 0, 0);
    ck_assert_uint_eq(gflags(A, 40), GTF_permit_access | GTF_readonly);
    ck_assert_uint_eq(gflags(C, 41), GTF_permit_access);

    struct gnttab_stats st;
    gnttab_get_stats(gt(B), &st);
    ck_assert_uint_eq(st.copies, 1);
    ck_assert_uint_eq(st.bytes_copied, 512);
}
END_TEST

START_TEST(copy_gmfn_to_gref_and_back)
{
    fill(ram(B, 2), 9);
    grant(A, 42, B, 7, false);
    ck_assert_int_eq(copy(B, GNTCOPY_dest_gref, (struct side){ DOMID_SELF, 2, 0 },
                          (struct side){ A, 42, 0 }, PAGE_SIZE),
                     GNTST_okay);
    ck_assert_mem_eq(ram(A, 7), ram(B, 2), PAGE_SIZE);

    ram(A, 7)[4095] = 0xee;
    ck_assert_int_eq(copy(B, GNTCOPY_source_gref, (struct side){ A, 42, 4095 },
                          (struct side){ DOMID_SELF, 4, 0 }, 1),
                     GNTST_okay);
    ck_assert_uint_eq(ram(B, 4)[0], 0xee);
    ck_assert_uint_eq(ram(B, 4)[1], 0);
    check_pins(A, 42, 0, 0);
}
END_TEST

START_TEST(copy_offsets_at_page_boundary)
{
    grant(A, 43, B, 3, false);
    struct side s = { A, 43, 4095 }, d = { DOMID_SELF, 4, 0 };

    ck_assert_int_eq(copy(B, GNTCOPY_source_gref, s, d, 1), GNTST_okay);
    ck_assert_int_eq(copy(B, GNTCOPY_source_gref, s, d, 2), GNTST_bad_copy_arg);
    s.off = 0;
    d.off = 1;
    ck_assert_int_eq(copy(B, GNTCOPY_source_gref, s, d, PAGE_SIZE), GNTST_bad_copy_arg);
    d.off = 0;
    ck_assert_int_eq(copy(B, GNTCOPY_source_gref, s, d, PAGE_SIZE), GNTST_okay);
    s.off = 0xffff;                              /* 16-bit wrap must not pass */
    ck_assert_int_eq(copy(B, GNTCOPY_source_gref, s, d, 1), GNTST_bad_copy_arg);
    ck_assert_int_eq(copy(B, GNTCOPY_source_gref, (struct side){ A, 43, 0 },
                          (struct side){ DOMID_SELF, 4, 0 }, 0),
                     GNTST_okay);
    check_pins(A, 43, 0, 0);
}
END_TEST

START_TEST(copy_to_readonly_grant_fails)
{
    fill(ram(A, 3), 3);
    grant(A, 44, B, 3, false);
    grant(C, 45, B, 6, true);
    ck_assert_int_eq(copy(B, GNTCOPY_source_gref | GNTCOPY_dest_gref,
                          (struct side){ A, 44, 0 }, (struct side){ C, 45, 0 }, 64),
                     GNTST_permission_denied);
    ck_assert_uint_eq(ram(C, 6)[0], 0);
    /* The source pin taken first was given back. */
    check_pins(A, 44, 0, 0);
    ck_assert_uint_eq(gflags(A, 44), GTF_permit_access);
    ck_assert_uint_eq(gflags(C, 45), GTF_permit_access | GTF_readonly);
    /* A read-only RAM frame cannot be a destination either. */
    ck_assert_int_eq(copy(B, GNTCOPY_source_gref, (struct side){ A, 44, 0 },
                          (struct side){ DOMID_SELF, RO_GFN, 0 }, 8),
                     GNTST_bad_page);
    struct gnttab_stats st;
    gnttab_get_stats(gt(B), &st);
    ck_assert_uint_eq(st.copy_errors, 2);
    ck_assert_uint_eq(st.bytes_copied, 0);
}
END_TEST

START_TEST(copy_argument_errors)
{
    grant(A, 46, B, 3, false);
    struct side self = { DOMID_SELF, 4, 0 };

    /* Only DOMID_SELF may name a frame. */
    ck_assert_int_eq(copy(B, 0, (struct side){ A, 3, 0 }, self, 8), GNTST_permission_denied);
    ck_assert_int_eq(copy(B, 0, (struct side){ DOMID_SELF, 300, 0 }, self, 8), GNTST_bad_page);
    ck_assert_int_eq(copy(B, GNTCOPY_source_gref, (struct side){ 6, 46, 0 }, self, 8),
                     GNTST_bad_domain);
    ck_assert_int_eq(copy(B, GNTCOPY_source_gref, (struct side){ A, 9999, 0 }, self, 8),
                     GNTST_bad_gntref);
    ck_assert_int_eq(copy(C, GNTCOPY_source_gref, (struct side){ A, 46, 0 }, self, 8),
                     GNTST_permission_denied);
    check_pins(A, 46, 0, 0);
}
END_TEST

START_TEST(copy_through_mapped_grant)
{
    grant(A, 47, B, 3, false);
    struct gnttab_map_grant_ref op = map(B, A, 47, MAPGFN, true);
    ram(A, 3)[7] = 0x77;

    ck_assert_int_eq(copy(B, GNTCOPY_source_gref, (struct side){ A, 47, 7 },
                          (struct side){ DOMID_SELF, 4, 0 }, 1),
                     GNTST_okay);
    ck_assert_uint_eq(ram(B, 4)[0], 0x77);
    check_pins(A, 47, 1, 0);
    /* Writing through it needs a writable pin: upgrade and drop again. */
    ck_assert_int_eq(copy(B, GNTCOPY_dest_gref, (struct side){ DOMID_SELF, 4, 0 },
                          (struct side){ A, 47, 8 }, 1),
                     GNTST_okay);
    ck_assert_uint_eq(ram(A, 3)[8], 0x77);
    ck_assert_uint_eq(gflags(A, 47), GTF_permit_access | GTF_reading);
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
}
END_TEST

START_TEST(copy_within_one_page_overlapping)
{
    grant(A, 48, B, 3, false);
    for (unsigned int i = 0; i < 16; i++)
        ram(A, 3)[i] = (uint8_t)i;
    ck_assert_int_eq(copy(B, GNTCOPY_source_gref | GNTCOPY_dest_gref, (struct side){ A, 48, 0 },
                          (struct side){ A, 48, 4 }, 8),
                     GNTST_okay);
    for (unsigned int i = 0; i < 8; i++)
        ck_assert_uint_eq(ram(A, 3)[4 + i], i);
    check_pins(A, 48, 0, 0);
}
END_TEST

/* ---- dying domains ------------------------------------------------------ */

START_TEST(release_dying_mapper)
{
    grant(A, 50, B, 3, false);
    grant(A, 51, B, 4, true);
    grant(C, 52, B, 5, false);
    ck_assert_int_eq(map(B, A, 50, MAPGFN, false).status, GNTST_okay);
    ck_assert_int_eq(map(B, A, 51, MAPGFN + 1, true).status, GNTST_okay);
    ck_assert_int_eq(map(B, C, 52, MAPGFN + 2, false).status, GNTST_okay);
    ck_assert_int_eq(map(B, A, 50, MAPGFN + 3, false).status, GNTST_okay);

    gnttab_domain_release_mappings(gt(B));
    ck_assert_uint_eq(fk.unmap_calls, 4);
    ck_assert_uint_eq(doms[B].gmaps, 0);
    check_pins(A, 50, 0, 0);
    check_pins(A, 51, 0, 0);
    check_pins(C, 52, 0, 0);
    ck_assert_uint_eq(gflags(A, 50), GTF_permit_access);
    ck_assert_uint_eq(gflags(A, 51), GTF_permit_access | GTF_readonly);
    ck_assert_uint_eq(gflags(C, 52), GTF_permit_access);

    /* A dying domain maps nothing more, and its grants are closed. */
    ck_assert_int_eq(map(B, A, 50, MAPGFN, false).status, GNTST_general_error);
    grant(B, 53, C, 3, false);
    ck_assert_int_eq(map(C, B, 53, MAPGFN, false).status, GNTST_bad_domain);
    ck_assert_int_eq(copy(C, GNTCOPY_source_gref, (struct side){ B, 53, 0 },
                          (struct side){ DOMID_SELF, 3, 0 }, 8),
                     GNTST_bad_domain);
    gnttab_domain_release_mappings(gt(B));       /* idempotent */
    ck_assert_uint_eq(fk.unmap_calls, 4);
}
END_TEST

START_TEST(grantor_dies_while_mapped)
{
    grant(A, 54, B, 3, false);
    struct gnttab_map_grant_ref op = map(B, A, 54, MAPGFN, false);
    mfn_t granted = doms[A].ram[3];
    long allocs_with_a = fk.live_allocs;

    ck_assert_int_eq(op.status, GNTST_okay);
    dom_destroy(A);
    /* The granted frame was kept, the rest of A's RAM freed. */
    ck_assert(pool.used[granted]);
    ck_assert(!pool.used[doms[A].ram[4]]);
    ck_assert_uint_eq(fk.nreleased, 0);
    ck_assert_int_eq(fk.live_allocs, allocs_with_a);     /* A's table lives on */

    /* The mapper still works on it, then lets go. */
    mapped(B, MAPGFN)[0] = 1;
    ck_assert_int_eq(map(B, A, 54, MAPGFN + 1, false).status, GNTST_bad_domain);
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
    ck_assert_uint_eq(fk.nreleased, 1);
    ck_assert_uint_eq(fk.released[0], granted);
    ck_assert(!pool.used[granted]);
    ck_assert_int_lt(fk.live_allocs, allocs_with_a);     /* A's table freed */
}
END_TEST

START_TEST(grantor_dies_frame_pinned_twice)
{
    /* Two refs grant the same frame to two peers: the last unpin frees it. */
    grant(A, 55, B, 3, false);
    grant(A, 56, C, 3, true);
    struct gnttab_map_grant_ref ob = map(B, A, 55, MAPGFN, false);
    struct gnttab_map_grant_ref oc = map(C, A, 56, MAPGFN, true);
    mfn_t granted = doms[A].ram[3];

    ck_assert_int_eq(ob.status, GNTST_okay);
    ck_assert_int_eq(oc.status, GNTST_okay);
    dom_destroy(A);
    ck_assert_int_eq(unmap(C, oc.handle, MAPGFN), GNTST_okay);
    ck_assert_uint_eq(fk.nreleased, 0);
    ck_assert(pool.used[granted]);
    ck_assert_int_eq(unmap(B, ob.handle, MAPGFN), GNTST_okay);
    ck_assert_uint_eq(fk.nreleased, 1);
    ck_assert(!pool.used[granted]);
}
END_TEST

START_TEST(grantor_dies_then_mapper_dies)
{
    grant(A, 57, B, 3, false);
    ck_assert_int_eq(map(B, A, 57, MAPGFN, false).status, GNTST_okay);
    dom_destroy(A);
    dom_destroy(B);                              /* releases, frees A's table and frame */
    ck_assert_uint_eq(fk.nreleased, 1);
}
END_TEST

START_TEST(keep_frame_on_live_domain)
{
    /* decrease_reservation of a granted, mapped frame: kept until unmapped. */
    grant(A, 58, B, 3, false);
    struct gnttab_map_grant_ref op = map(B, A, 58, MAPGFN, false);
    mfn_t m = doms[A].ram[3];

    ck_assert(!gnttab_keep_frame(gt(A), doms[A].ram[4]));
    ck_assert(gnttab_keep_frame(gt(A), m));
    doms[A].ram[3] = pool_get();                 /* the fake p2m forgets m */
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
    ck_assert_uint_eq(fk.nreleased, 1);
    ck_assert_uint_eq(fk.released[0], m);
    /* Re-mapping the entry now finds the new frame (the old is gone). */
    op = map(B, A, 58, MAPGFN, false);
    ck_assert_int_eq(op.status, GNTST_okay);
    ck_assert_uint_eq(fk.mfn, doms[A].ram[3]);
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
}
END_TEST

START_TEST(create_destroy_soak)
{
    unsigned int frames = pool.live;
    long allocs = fk.live_allocs;

    for (unsigned int i = 0; i < 2000; i++) {
        dom_create_limits(4, 2, 16);
        dom_create_limits(5, 2, 16);
        grant(4, 9, 5, 1, false);
        grant(5, 10, 4, 2, true);
        struct gnttab_map_grant_ref op = map(5, 4, 9, MAPGFN, false);
        ck_assert_int_eq(op.status, GNTST_okay);
        ck_assert_int_eq(map(4, 5, 10, MAPGFN, true).status, GNTST_okay);
        ck_assert_int_eq(copy(4, GNTCOPY_source_gref, (struct side){ 5, 10, 0 },
                              (struct side){ DOMID_SELF, 3, 0 }, 100),
                         GNTST_okay);
        if (i & 1)
            ck_assert_int_eq(unmap(5, op.handle, MAPGFN), GNTST_okay);
        /* Alternate who dies first. */
        dom_destroy(i & 2 ? 4 : 5);
        dom_destroy(i & 2 ? 5 : 4);
        ck_assert_uint_eq(pool.live, frames);
        ck_assert_int_eq(fk.live_allocs, allocs);
    }
}
END_TEST

/* ---- concurrency -------------------------------------------------------- */

struct ring_req { uint32_t id; uint32_t value; };
struct ring_rsp { uint32_t id; uint32_t value; };
DEFINE_RING_TYPES(test, struct ring_req, struct ring_rsp);

#define RING_REQUESTS 10000

static void *ring_backend(void *arg)
{
    test_back_ring_t *back = arg;
    unsigned int done = 0;

    while (done < RING_REQUESTS) {
        RING_IDX prod = back->sring->req_prod;
        int notify;

        xen_rmb();
        while (back->req_cons != prod) {
            struct ring_req req;
            RING_COPY_REQUEST(back, back->req_cons, &req);
            back->req_cons++;
            struct ring_rsp *rsp = RING_GET_RESPONSE(back, back->rsp_prod_pvt);
            rsp->id = req.id;
            rsp->value = req.value * 3 + 1;
            back->rsp_prod_pvt++;
            done++;
        }
        RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(back, notify);
        (void)notify;
        sched_yield();
    }
    return NULL;
}

START_TEST(ring_through_mapped_grant)
{
    /* Frontend A shares its page 6 with backend B, which maps it. */
    grant(A, 60, B, 6, false);
    struct gnttab_map_grant_ref op = map(B, A, 60, MAPGFN, false);
    ck_assert_int_eq(op.status, GNTST_okay);

    test_sring_t *fsring = (test_sring_t *)ram(A, 6);
    SHARED_RING_INIT(fsring);
    test_front_ring_t front;
    FRONT_RING_INIT(&front, fsring, PAGE_SIZE);
    test_back_ring_t back;
    BACK_RING_INIT(&back, (test_sring_t *)mapped(B, MAPGFN), PAGE_SIZE);
    ck_assert_uint_eq(RING_SIZE(&front), 256);

    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, ring_backend, &back), 0);
    uint32_t sent = 0, got = 0;
    uint64_t sum = 0;
    while (got < RING_REQUESTS) {
        int notify;

        while (sent < RING_REQUESTS && !RING_FULL(&front)) {
            struct ring_req *req = RING_GET_REQUEST(&front, front.req_prod_pvt);
            req->id = sent;
            req->value = sent ^ 0x5555;
            front.req_prod_pvt++;
            sent++;
        }
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
        (void)notify;
        RING_IDX prod = fsring->rsp_prod;
        xen_rmb();
        while (front.rsp_cons != prod) {
            struct ring_rsp *rsp = RING_GET_RESPONSE(&front, front.rsp_cons);
            ck_assert_uint_eq(rsp->id, got);
            ck_assert_uint_eq(rsp->value, (got ^ 0x5555) * 3 + 1);
            sum += rsp->value;
            front.rsp_cons++;
            got++;
        }
        sched_yield();
    }
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_uint_eq(got, RING_REQUESTS);
    ck_assert_uint_gt(sum, 0);
    ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
}
END_TEST

static volatile bool stop_flipping;
static unsigned long flips, lost_flips;

/* A guest that keeps changing a cache bit of its entry while it is used
 * (atomically, as the ABI asks of it).  It alone changes that bit, so each
 * change must find the bit as it left it; otherwise the hypervisor wrote a
 * stale copy of the entry over it. */
static void *flip_cache_bit(void *arg)
{
    uint16_t *flags = arg;
    bool expect = false;

    while (!__atomic_load_n(&stop_flipping, __ATOMIC_RELAXED)) {
        uint16_t old = __atomic_fetch_xor(flags, GTF_PWT, __ATOMIC_SEQ_CST);

        if (!!(old & GTF_PWT) != expect)
            lost_flips++;
        expect = !(old & GTF_PWT);
        flips++;
    }
    return NULL;
}

START_TEST(status_bits_survive_concurrent_guest_writes)
{
    grant(A, 61, B, 3, false);
    grant_entry_v1_t *e = gnttab_shared_entry(gt(A), 61);
    unsigned int ok = 0;
    pthread_t t;

    stop_flipping = false;
    flips = lost_flips = 0;
    ck_assert_int_eq(pthread_create(&t, NULL, flip_cache_bit, &e->flags), 0);
    for (unsigned int i = 0; i < 20000; i++) {
        struct gnttab_map_grant_ref op = map(B, A, 61, MAPGFN, i & 1);
        if (op.status == GNTST_okay) {
            ok++;
            ck_assert_uint_ne(gflags(A, 61) & GTF_reading, 0);
            ck_assert_int_eq(unmap(B, op.handle, MAPGFN), GNTST_okay);
        } else {
            ck_assert_int_eq(op.status, GNTST_general_error);      /* "unstable" */
        }
    }
    __atomic_store_n(&stop_flipping, true, __ATOMIC_RELAXED);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_uint_gt(ok, 0);
    /* Neither side lost a bit: ours are clear, the entry is still a grant to B. */
    ck_assert_uint_eq(e->flags & ~GTF_PWT, GTF_permit_access);
    ck_assert_uint_eq(lost_flips, 0);
    ck_assert_uint_gt(flips, 0);
    ck_assert_uint_eq(e->domid, B);
    check_pins(A, 61, 0, 0);
}
END_TEST

Suite *grant_table_suite(void)
{
    Suite *s = suite_create("grant_table");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, create_rejects_bad_limits);
    tcase_add_test(tc, map_calls_p2m_with_frame);
    tcase_add_test(tc, readonly_map_sets_only_reading);
    tcase_add_test(tc, readonly_grant_refuses_writable_map);
    tcase_add_test(tc, double_map_keeps_flags_until_both_unmapped);
    tcase_add_test(tc, readonly_then_writable_upgrade);
    tcase_add_test(tc, grantor_may_downgrade_while_read_mapped);
    tcase_add_test(tc, unmap_bad_handle);
    tcase_add_test(tc, unmap_wrong_host_addr_keeps_mapping);
    tcase_add_test(tc, unmap_host_addr_zero_is_ignored);
    tcase_add_test(tc, unmap_fails_when_p2m_changed);
    tcase_add_test(tc, map_entry_granted_to_other_domain);
    tcase_add_test(tc, map_entry_not_permit_access);
    tcase_add_test(tc, map_ref_beyond_table);
    tcase_add_test(tc, map_bad_domain);
    tcase_add_test(tc, map_flags_checked);
    tcase_add_test(tc, map_frame_not_grantor_ram);
    tcase_add_test(tc, map_p2m_failure_undoes_pin);
    tcase_add_test(tc, grantor_reuses_mapped_entry);
    tcase_add_test(tc, self_grant_map);
    tcase_add_test(tc, maptrack_exhaustion);
    tcase_add_test(tc, maptrack_grows_across_chunks);
    tcase_add_test(tc, setup_table_grows_to_max);
    tcase_add_test(tc, setup_table_out_of_memory);
    tcase_add_test(tc, setup_and_query_other_domain);
    tcase_add_test(tc, shared_frame_for_add_to_physmap);
    tcase_add_test(tc, version_one_only);
    tcase_add_test(tc, copy_gref_to_gref);
    tcase_add_test(tc, copy_gmfn_to_gref_and_back);
    tcase_add_test(tc, copy_offsets_at_page_boundary);
    tcase_add_test(tc, copy_to_readonly_grant_fails);
    tcase_add_test(tc, copy_argument_errors);
    tcase_add_test(tc, copy_through_mapped_grant);
    tcase_add_test(tc, copy_within_one_page_overlapping);
    tcase_add_test(tc, release_dying_mapper);
    tcase_add_test(tc, grantor_dies_while_mapped);
    tcase_add_test(tc, grantor_dies_frame_pinned_twice);
    tcase_add_test(tc, grantor_dies_then_mapper_dies);
    tcase_add_test(tc, keep_frame_on_live_domain);
    tcase_add_test(tc, create_destroy_soak);
    tcase_add_test(tc, ring_through_mapped_grant);
    tcase_add_test(tc, status_bits_survive_concurrent_guest_writes);
    suite_add_tcase(s, tc);
    return s;
}
