/*
 * Shadow paging as a virtual TLB (see sv/shadow.h).
 */
#include <sv/errno.h>
#include <sv/shadow.h>
#include <sv/string.h>

#define SH_P    (1ull << 0)
#define SH_RW   (1ull << 1)
#define SH_US   (1ull << 2)
#define SH_PWT  (1ull << 3)
#define SH_PCD  (1ull << 4)
#define SH_A    (1ull << 5)
#define SH_D    (1ull << 6)
#define SH_PAT  (1ull << 7)     /* in a 4 KiB leaf */
#define SH_G    (1ull << 8)
/* Software bit on an upper-level entry: the subtree under it holds pieces of
 * a large guest page (2 MiB under a PDE, 1 GiB under a PDPTE), so INVLPG
 * anywhere in it drops the whole subtree. */
#define SH_HAS_LARGE (1ull << 10)
#define SH_NX   (1ull << 63)
/*
 * When the owner provides leaf tables with room for it, each last-level
 * shadow table is followed by two pages recording, per leaf, the guest
 * leaf entry it was built from (its gpa | 1, and its value).  The audit
 * then tells a guest that changed its tables and has not flushed yet (a
 * stale TLB entry is architecturally allowed) from a shadow that was wrong
 * when it was made.  The upper-level entry pointing at such a table carries
 * SH_HAS_ORIGIN (a bit the CPU ignores).
 */
#define SH_HAS_ORIGIN (1ull << 9)
#define SH_ADDR 0x000ffffffffff000ull
/* Upper levels allow everything; the leaf carries the guest's combined rights. */
#define SH_TABLE (SH_P | SH_RW | SH_US | SH_A)

static unsigned int top_level(const struct shadow *sh)
{
    return sh->format == SHADOW_LONG ? 4 : 3;
}

static unsigned int index_of(const struct shadow *sh, uint64_t va, unsigned int level)
{
    if (sh->format == SHADOW_PAE && level == 3)
        return (va >> 30) & 3;
    return (va >> (12 + 9 * (level - 1))) & 511;
}

/* What the p2m lets a guest write (the same rule as its hardware format). */
static bool p2m_type_writable(enum p2m_type type)
{
    return type == P2M_RAM_RW || type == P2M_SHARED_INFO || type == P2M_GRANT_MAP_RW ||
           type == P2M_MMIO || type == P2M_FOREIGN;
}

static uint64_t *table(const struct shadow *sh, mfn_t mfn)
{
    return sh->ops->table_at(sh->ctx, mfn);
}

static void *new_table(struct shadow *sh, mfn_t *mfn)
{
    void *t = sh->ops->alloc_table(sh->ctx, mfn);

    if (t && ++sh->tables > sh->stats.tables_max)
        sh->stats.tables_max = sh->tables;
    return t;
}

static void free_level(struct shadow *sh, mfn_t mfn, unsigned int level, bool leaf_with_origin)
{
    uint64_t *t = table(sh, mfn);
    unsigned int n = (sh->format == SHADOW_PAE && level == 3) ? 4 : 512;

    if (level > 1)
        for (unsigned int i = 0; i < n; i++)
            if (t[i] & SH_P)
                free_level(sh, (t[i] & SH_ADDR) >> PAGE_SHIFT, level - 1,
                           level == 2 && (t[i] & SH_HAS_ORIGIN));
    if (leaf_with_origin)
        sh->ops->free_leaf_table(sh->ctx, mfn, t);
    else
        sh->ops->free_table(sh->ctx, mfn, t);
    sh->tables--;
}

#define CR3_ADDR 0x000ffffffffff000ull

static void free_snapshot(struct shadow *sh, struct shadow_dep *d)
{
    sh->ops->free_table(sh->ctx, d->snapshot, table(sh, d->snapshot));
    sh->tables--;
}

static void forget_deps(struct shadow *sh, struct shadow_root *r)
{
    for (unsigned int i = 0; i < r->ndeps; i++)
        free_snapshot(sh, &r->deps[i]);
    r->ndeps = 0;
    r->untracked = false;
}

static void free_root(struct shadow *sh, struct shadow_root *r)
{
    if (r->mfn == INVALID_MFN)
        return;
    forget_deps(sh, r);
    free_level(sh, r->mfn, top_level(sh), false);
    r->mfn = INVALID_MFN;
}

/* Empty a root's table but keep the root (a whole flush of that space). */
static void flush_root(struct shadow *sh, struct shadow_root *r)
{
    uint64_t *t = table(sh, r->mfn);
    unsigned int level = top_level(sh), n = sh->format == SHADOW_PAE ? 4 : 512;

    forget_deps(sh, r);
    for (unsigned int i = 0; i < n; i++)
        if (t[i] & SH_P) {
            free_level(sh, (t[i] & SH_ADDR) >> PAGE_SHIFT, level - 1,
                       level == 2 && (t[i] & SH_HAS_ORIGIN));
            t[i] = 0;
        }
}

static void drop_all(struct shadow *sh)
{
    if (sh->format != SHADOW_NONE)
        for (unsigned int i = 0; i < SHADOW_MAX_ROOTS; i++)
            free_root(sh, &sh->roots[i]);
    sh->format = SHADOW_NONE;
    sh->root = INVALID_MFN;
}

void shadow_init(struct shadow *sh, const struct shadow_ops *ops, void *ctx, struct p2m *p2m,
                 const struct guest_walk_ops *gw_ops, void *gw_ctx)
{
    memset(sh, 0, sizeof(*sh));
    sh->ops = ops;
    sh->ctx = ctx;
    sh->p2m = p2m;
    sh->gw_ops = gw_ops;
    sh->gw_ctx = gw_ctx;
    sh->format = SHADOW_NONE;
    sh->root = INVALID_MFN;
    sh->nr_roots = 1;
    for (unsigned int i = 0; i < SHADOW_MAX_ROOTS; i++)
        sh->roots[i].mfn = INVALID_MFN;
}

int shadow_set_roots(struct shadow *sh, unsigned int n)
{
    if (n < 1 || n > SHADOW_MAX_ROOTS)
        return -EINVAL;
    drop_all(sh);
    sh->nr_roots = n;
    return 0;
}

static enum shadow_format format_for(const struct guest_paging *gp)
{
    if (!(gp->cr0 & GW_CR0_PG))
        return SHADOW_PAE;
    if ((gp->efer & GW_EFER_LMA) && (gp->cr4 & GW_CR4_PAE))
        return SHADOW_LONG;
    return SHADOW_NONE;     /* 32-bit paging of a guest outside long mode: not shadowed */
}

static int use_new_root(struct shadow *sh, unsigned int slot, uint64_t cr3)
{
    struct shadow_root *r = &sh->roots[slot];

    if (!new_table(sh, &r->mfn)) {
        r->mfn = INVALID_MFN;
        return -ENOMEM;
    }
    r->cr3 = cr3;
    r->ndeps = 0;
    r->untracked = false;
    r->last_used = ++sh->clock;
    sh->cur = slot;
    sh->root = r->mfn;
    return 0;
}

int shadow_reset(struct shadow *sh, const struct guest_paging *gp)
{
    enum shadow_format f = format_for(gp);

    drop_all(sh);
    sh->stats.flushes++;
    if (f == SHADOW_NONE)
        return -EOPNOTSUPP;
    sh->format = f;
    if (use_new_root(sh, 0, gp->cr3 & CR3_ADDR)) {
        sh->format = SHADOW_NONE;
        return -ENOMEM;
    }
    return 0;
}

static bool keeps_roots(const struct shadow *sh)
{
    return sh->nr_roots > 1 && sh->format == SHADOW_LONG && sh->ops->frame_at;
}

static void resync_root(struct shadow *sh, struct shadow_root *r);

int shadow_set_cr3(struct shadow *sh, const struct guest_paging *gp)
{
    uint64_t cr3 = gp->cr3 & CR3_ADDR;
    unsigned int slot = 0;

    sh->stats.cr3_switches++;
    if (!keeps_roots(sh) || format_for(gp) != sh->format)
        return shadow_reset(sh, gp);
    for (unsigned int i = 0; i < sh->nr_roots; i++) {
        struct shadow_root *r = &sh->roots[i];

        if (r->mfn != INVALID_MFN && r->cr3 == cr3) {
            sh->stats.root_hits++;
            resync_root(sh, r);
            r->last_used = ++sh->clock;
            sh->cur = i;
            sh->root = r->mfn;
            return 0;
        }
        /* A free slot, else the least recently used one. */
        if (sh->roots[slot].mfn != INVALID_MFN &&
            (r->mfn == INVALID_MFN || r->last_used < sh->roots[slot].last_used))
            slot = i;
    }
    if (sh->roots[slot].mfn != INVALID_MFN) {
        sh->stats.root_drops++;
        free_root(sh, &sh->roots[slot]);
    }
    sh->stats.flushes++;
    return use_new_root(sh, slot, cr3);
}

paddr_t shadow_root_pa(const struct shadow *sh)
{
    return (paddr_t)sh->root << PAGE_SHIFT;
}

void shadow_destroy(struct shadow *sh)
{
    drop_all(sh);
}

/* The origin record of a leaf slot (valid when its table has one). */
static uint64_t *origin_of(uint64_t *slot)
{
    return slot + 512;
}

static bool want_origin(const struct shadow *sh)
{
    return sh->format == SHADOW_LONG && sh->ops->alloc_leaf_table;
}

/* The leaf slot for va, creating the tables on the way when asked;
 * upper[level] (when given) gets the entry at each level above it. */
static uint64_t *leaf_slot(struct shadow *sh, uint64_t va, bool create, bool *has_origin,
                           uint64_t **upper)
{
    uint64_t *t = table(sh, sh->root);
    bool origin = false;

    for (unsigned int level = top_level(sh); level > 1; level--) {
        uint64_t *e = &t[index_of(sh, va, level)];

        if (upper)
            upper[level] = e;
        if (!(*e & SH_P)) {
            mfn_t mfn;
            bool with_origin = level == 2 && want_origin(sh);
            void *nt = !create ? NULL
                     : with_origin ? sh->ops->alloc_leaf_table(sh->ctx, &mfn)
                     : sh->ops->alloc_table(sh->ctx, &mfn);
            if (!nt)
                return NULL;
            if (++sh->tables > sh->stats.tables_max)
                sh->stats.tables_max = sh->tables;
            /* A PAE PDPTE has only P (and the cache bits): R/W and U/S are
             * reserved there (APM vol. 2, 5.2.2). */
            *e = ((uint64_t)mfn << PAGE_SHIFT) |
                 ((sh->format == SHADOW_PAE && level == 3) ? SH_P : SH_TABLE) |
                 (with_origin ? SH_HAS_ORIGIN : 0);
        }
        origin = level == 2 && (*e & SH_HAS_ORIGIN);
        t = table(sh, (*e & SH_ADDR) >> PAGE_SHIFT);
    }
    if (has_origin)
        *has_origin = origin;
    return &t[index_of(sh, va, 1)];
}

/* ---- address spaces kept across CR3 switches ------------------------ */

#define VA48 ((1ull << 48) - 1)

/* What one entry of a guest table at this level maps. */
static uint64_t entry_span(unsigned int level)
{
    return 1ull << (12 + 9 * (level - 1));
}

static void sync_snapshot_entry(struct shadow *sh, struct shadow_root *r, struct shadow_dep *d,
                                unsigned int k, uint64_t val);

/* The walk read entry k (value val) of table gfn at this level. */
static void record_dep(struct shadow *sh, struct shadow_root *r, gfn_t gfn, unsigned int level,
                       uint64_t va_base, unsigned int k, uint64_t val)
{
    enum p2m_type type;
    mfn_t frame, snap;
    uint64_t *copy;

    for (unsigned int i = 0; i < r->ndeps; i++) {
        struct shadow_dep *d = &r->deps[i];

        if (d->gfn == gfn) {
            /* A second path (an alias, a recursive slot) would need a
             * reverse map to resync precisely: drop the root whole instead. */
            if (d->level != level || d->va_base != va_base)
                d->multi = true;
            sync_snapshot_entry(sh, r, d, k, val);
            return;
        }
    }
    frame = p2m_lookup(sh->p2m, gfn, &type);
    if (r->ndeps == SHADOW_MAX_DEPS || frame == INVALID_MFN || !(copy = new_table(sh, &snap))) {
        r->untracked = true;
        return;
    }
    const uint64_t *src = sh->ops->frame_at(sh->ctx, frame);
    for (unsigned int i = 0; i < 512; i++)
        copy[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
    copy[k] = val;      /* what the walk read, even if another vCPU changed it since */
    r->deps[r->ndeps++] = (struct shadow_dep){
        .gfn = gfn, .frame = frame, .snapshot = snap, .va_base = va_base, .level = (uint8_t)level,
    };
}

/*
 * Every guest table a fill read is something the current root depends on.
 * Called before the leaf is installed: recording may drop shadows built
 * from older values of the entries the walk went through.
 */
static void record_walk(struct shadow *sh, const struct guest_walk_info *w, uint64_t va)
{
    struct shadow_root *r = &sh->roots[sh->cur];

    if (!keeps_roots(sh))
        return;
    for (unsigned int level = w->top_level; level >= w->level && level >= 1; level--) {
        uint64_t gpa = w->entry_gpa[level - 1];

        if (r->untracked)
            return;
        record_dep(sh, r, gpa >> PAGE_SHIFT, level, va & VA48 & ~(entry_span(level) * 512 - 1),
                   (gpa & (PAGE_SIZE - 1)) / 8, w->entry[level - 1]);
    }
}

/* Drop what a root holds under the entry for va of a level-'level' table
 * (shadow and guest levels are the same in long mode). */
static void drop_entry(struct shadow *sh, mfn_t root, uint64_t va, unsigned int level)
{
    uint64_t *t = table(sh, root), *e;

    for (unsigned int l = top_level(sh); l > level; l--) {
        uint64_t up = t[index_of(sh, va, l)];

        if (!(up & SH_P))
            return;
        t = table(sh, (up & SH_ADDR) >> PAGE_SHIFT);
    }
    e = &t[index_of(sh, va, level)];
    if (level > 1 && (*e & SH_P))
        free_level(sh, (*e & SH_ADDR) >> PAGE_SHIFT, level - 1, level == 2 && (*e & SH_HAS_ORIGIN));
    __atomic_store_n(e, 0, __ATOMIC_RELEASE);
}

/* A and D only going from 0 to 1 (our own fills in other roots set them). */
static bool benign_change(uint64_t then, uint64_t now)
{
    return !((now ^ then) & ~(GPTE_A | GPTE_D)) && !(then & ~now & (GPTE_A | GPTE_D));
}

/* The lower-level tables under a dropped entry no longer feed any shadow. */
static void bury_deps_under(struct shadow_root *r, unsigned int level, uint64_t start)
{
    uint64_t end = start + entry_span(level);

    for (unsigned int i = 0; i < r->ndeps; i++) {
        struct shadow_dep *d = &r->deps[i];

        if (d->level && d->level < level && !d->multi && d->va_base >= start && d->va_base < end)
            d->level = 0;
    }
}

/* Free the snapshots of the dependencies bury_deps_under() retired. */
static void forget_buried_deps(struct shadow *sh, struct shadow_root *r)
{
    unsigned int kept = 0;

    for (unsigned int i = 0; i < r->ndeps; i++) {
        if (r->deps[i].level)
            r->deps[kept++] = r->deps[i];
        else
            free_snapshot(sh, &r->deps[i]);
    }
    r->ndeps = kept;
}

/*
 * A fill read entry k of a tracked table as val: the snapshot must say val.
 * A resync drops only what differs from the snapshot, so a snapshot that
 * still held an older value would let the new leaf outlive its flush: the
 * table was snapshotted for another entry while this one was not present,
 * the guest maps the page (no flush needed), we fill it, the guest unmaps
 * it and flushes, and the entry is back at its snapshot value.  What this
 * root built under the entry from an older value goes now, as the resync
 * would have dropped it (a TLB may forget at any time); A/D going 0 -> 1
 * takes nothing.  A table reached by two paths cannot be dropped under
 * one entry: the root goes whole at its next resync instead.
 */
static void sync_snapshot_entry(struct shadow *sh, struct shadow_root *r, struct shadow_dep *d,
                                unsigned int k, uint64_t val)
{
    uint64_t *snap = table(sh, d->snapshot);
    uint64_t va = d->va_base + k * entry_span(d->level);
    unsigned int level = d->level;

    if (snap[k] == val)
        return;
    /* Nothing can have been built from a not-present entry. */
    if (benign_change(snap[k], val) || !(snap[k] & GPTE_P)) {
        snap[k] = val;
        return;
    }
    if (d->multi) {
        r->untracked = true;
        return;
    }
    snap[k] = val;
    drop_entry(sh, r->mfn, va, level);
    sh->stats.resync_drops++;
    bury_deps_under(r, level, va);
    forget_buried_deps(sh, r);
}

/*
 * What a CR3 write must do to a kept root: forget every translation whose
 * guest entries changed since they were read.  An entry that differs from
 * its snapshot drops the shadows under it; the snapshot then takes the new
 * value, so the next resync compares against what later fills will read.
 */
static void resync_root(struct shadow *sh, struct shadow_root *r)
{
    if (r->untracked) {
        flush_root(sh, r);
        sh->stats.root_drops++;
        return;
    }
    for (unsigned int i = 0; i < r->ndeps; i++) {
        struct shadow_dep *d = &r->deps[i];
        const uint64_t *now = sh->ops->frame_at(sh->ctx, d->frame);
        uint64_t *snap = table(sh, d->snapshot);

        if (!d->level)
            continue;
        sh->stats.resync_pages++;
        /* Word by word: this loop is the price of not write-protecting
         * guest tables, paid on every CR3 write for every table tracked. */
        for (unsigned int k = 0; k < 512; k++) {
            uint64_t n = __atomic_load_n(&now[k], __ATOMIC_RELAXED);
            uint64_t va = d->va_base + k * entry_span(d->level);

            if (n == snap[k])
                continue;
            if (!benign_change(snap[k], n)) {
                if (d->multi) {
                    flush_root(sh, r);
                    sh->stats.root_drops++;
                    return;
                }
                drop_entry(sh, r->mfn, va, d->level);
                sh->stats.resync_drops++;
                bury_deps_under(r, d->level, va);
            }
            snap[k] = n;
        }
    }
    forget_buried_deps(sh, r);
}

/* The guest's cache attributes, moved to where a 4 KiB leaf keeps them. */
static uint64_t cache_bits(const struct guest_walk_info *w)
{
    uint64_t e = w->leaf_entry, bits = e & (SH_PWT | SH_PCD);

    if (w->page_size == GW_PAGE_4K ? (e & GPTE_PAT_4K) : (e & GPTE_PAT_LARGE))
        bits |= SH_PAT;
    return bits;
}

enum shadow_result shadow_fault(struct shadow *sh, const struct guest_paging *gp, uint64_t va,
                                uint32_t pfec, struct shadow_fault_info *out)
{
    uint32_t access = pfec & (GW_ACCESS_WRITE | GW_ACCESS_USER | GW_ACCESS_FETCH);
    bool write = access & GW_ACCESS_WRITE, user = access & GW_ACCESS_USER;
    struct guest_walk_info w;
    enum p2m_type type;

    memset(out, 0, sizeof(*out));
    sh->stats.faults++;
    if (sh->format == SHADOW_NONE)
        return SHADOW_UNSUPPORTED;
    if (sh->format == SHADOW_PAE)
        va = (uint32_t)va;

    switch (guest_walk(sh->gw_ops, sh->gw_ctx, gp, va, access, &w)) {
    case GW_OK:
        break;
    case GW_PAGE_FAULT:
        sh->stats.guest_faults++;
        out->pfec = w.pfec;
        out->cr2 = w.cr2;
        return SHADOW_GUEST_FAULT;
    case GW_NONCANONICAL:
        return SHADOW_GUEST_GP;
    case GW_NOT_RAM:
        out->bad_gpa = w.bad_gpa;
        return SHADOW_NOT_RAM;
    case GW_RETRY:
        return SHADOW_RETRY;
    default:
        return SHADOW_UNSUPPORTED;
    }

    out->gpa = w.gpa;
    mfn_t mfn = p2m_lookup(sh->p2m, w.gpa >> PAGE_SHIFT, &type);
    bool ram_rw = p2m_type_writable(type);
    bool mapped = ram_rw || type == P2M_RAM_RO || type == P2M_GRANT_MAP_RO || type == P2M_MMIO_WP;
    if (!mapped || (write && !ram_rw)) {
        out->bad_gpa = w.gpa;
        return SHADOW_NOT_RAM;
    }
    /* Allowed only because CR0.WP=0: a supervisor write to a read-only page. */
    if (write && !user && !w.writable) {
        if (w.user) {
            sh->stats.emulations++;
            return SHADOW_EMULATE;
        }
        /* A supervisor-only page: writable for the supervisor is exact. */
        w.writable = true;
    }

    uint64_t leaf = ((uint64_t)mfn << PAGE_SHIFT) | SH_P | SH_A | cache_bits(&w);
    if (w.writable && (w.leaf_entry & GPTE_D) && ram_rw)
        leaf |= SH_RW | SH_D;
    if (w.user)
        leaf |= SH_US;
    if (w.nx)
        leaf |= SH_NX;
    if ((gp->cr0 & GW_CR0_PG) && (w.leaf_entry & GPTE_G))
        leaf |= SH_G;
    if (!(gp->cr0 & GW_CR0_PG))
        leaf |= SH_RW | SH_D | SH_US;   /* paging off: all of RAM, as written in the p2m */
    if (!(gp->cr0 & GW_CR0_PG) && !ram_rw)
        leaf &= ~(SH_RW | SH_D);
    record_walk(sh, &w, va);
    bool has_origin;
    uint64_t *upper[5] = { NULL };
    uint64_t *slot = leaf_slot(sh, va, true, &has_origin, upper);
    if (!slot)
        return SHADOW_NO_MEMORY;
    if (w.page_size == GW_PAGE_2M)
        *upper[2] |= SH_HAS_LARGE;
    else if (w.page_size == GW_PAGE_1G)
        *upper[3] |= SH_HAS_LARGE;
    if (has_origin) {
        uint64_t *origin = origin_of(slot);
        origin[0] = w.entry_gpa[w.level - 1] | 1;
        origin[512] = w.leaf_entry;
    }
    __atomic_store_n(slot, leaf, __ATOMIC_RELEASE);
    sh->stats.fills++;
    return SHADOW_FIXED;
}

/*
 * INVLPG drops the shadow of that page.  INVLPG at any address of a large
 * guest page ends that whole large translation, which we keep as many 4 KiB
 * leaves: the upper-level entry marked SH_HAS_LARGE on the way down to va
 * then goes with everything under it.
 */
enum shadow_invlpg_result shadow_invlpg(struct shadow *sh, uint64_t va)
{
    sh->stats.invlpgs++;
    if (sh->format == SHADOW_NONE)
        return SHADOW_INVLPG_PAGE;
    if (sh->format == SHADOW_PAE)
        va = (uint32_t)va;

    uint64_t *t = table(sh, sh->root);
    for (unsigned int level = top_level(sh); level > 1; level--) {
        uint64_t *e = &t[index_of(sh, va, level)];

        if (!(*e & SH_P))
            return SHADOW_INVLPG_PAGE;
        if (*e & SH_HAS_LARGE) {
            free_level(sh, (*e & SH_ADDR) >> PAGE_SHIFT, level - 1,
                       level == 2 && (*e & SH_HAS_ORIGIN));
            __atomic_store_n(e, 0, __ATOMIC_RELEASE);
            return SHADOW_INVLPG_ALL;
        }
        t = table(sh, (*e & SH_ADDR) >> PAGE_SHIFT);
    }
    __atomic_store_n(&t[index_of(sh, va, 1)], 0, __ATOMIC_RELEASE);
    return SHADOW_INVLPG_PAGE;
}

/* ---- a p2m entry changed --------------------------------------------- */

#define DROP_FRAME_MAX_TABLES 256   /* beyond this a whole reset is cheaper */

static void drop_frame_in(struct shadow *sh, mfn_t table_mfn, unsigned int level, mfn_t frame)
{
    uint64_t *t = table(sh, table_mfn);
    unsigned int n = (sh->format == SHADOW_PAE && level == 3) ? 4 : 512;

    for (unsigned int i = 0; i < n; i++) {
        if (!(t[i] & SH_P))
            continue;
        if (level > 1)
            drop_frame_in(sh, (t[i] & SH_ADDR) >> PAGE_SHIFT, level - 1, frame);
        else if ((t[i] & SH_ADDR) >> PAGE_SHIFT == frame)
            __atomic_store_n(&t[i], 0, __ATOMIC_RELEASE);
    }
}

int shadow_drop_frame(struct shadow *sh, mfn_t frame)
{
    if (sh->format == SHADOW_NONE)
        return 0;
    if (sh->tables > DROP_FRAME_MAX_TABLES)
        return -EBUSY;
    /* A guest table some root tracks may be that frame: its snapshots and
     * frame numbers would be stale, so that takes the whole reset. */
    for (unsigned int r = 0; r < SHADOW_MAX_ROOTS; r++)
        for (unsigned int i = 0; i < sh->roots[r].ndeps; i++)
            if (sh->roots[r].mfn != INVALID_MFN && sh->roots[r].deps[i].frame == frame)
                return -EBUSY;
    for (unsigned int r = 0; r < SHADOW_MAX_ROOTS; r++)
        if (sh->roots[r].mfn != INVALID_MFN)
            drop_frame_in(sh, sh->roots[r].mfn, top_level(sh), frame);
    sh->stats.frame_drops++;
    return 0;
}

/* ---- audit ---------------------------------------------------------- */

struct audit_ctx {
    struct shadow *sh;
    const struct guest_paging *gp;
    void (*report)(void *, uint64_t, const char *);
    void *arg;
    unsigned int bad;
    unsigned int stale;
};

/* The audit's walks must not change the guest: A/D updates are no-ops. */
static int audit_read(void *ctx, uint64_t gpa, uint64_t *val)
{
    const struct shadow *sh = ((const struct audit_ctx *)ctx)->sh;

    return sh->gw_ops->read_entry(sh->gw_ctx, gpa, val);
}

static int audit_cmpxchg(void *ctx, uint64_t gpa, uint64_t old, uint64_t new)
{
    (void)ctx;
    (void)gpa;
    (void)old;
    (void)new;
    return 0;
}

static const struct guest_walk_ops audit_ops = { audit_read, audit_cmpxchg };

/*
 * A mismatch is only ours when the guest's leaf entry is still the one the
 * shadow was built from; otherwise the guest changed its tables and has
 * not yet flushed that address, which a real TLB may also lag behind.
 */
static bool guest_changed_since_fill(struct audit_ctx *a, const uint64_t *origin,
                                     const struct guest_walk_info *w, bool walked)
{
    uint64_t now, then;

    if (!origin || !(origin[0] & 1))
        return false;                       /* nothing recorded: judge strictly */
    if (audit_read(a, origin[0] & ~1ull, &now))
        return true;
    then = origin[512];
    if (!benign_change(then, now))
        return true;                        /* the leaf entry itself changed */
    if (!walked)
        return w->level > 1;                /* an upper level no longer leads there */
    return w->entry_gpa[w->level - 1] != (origin[0] & ~1ull);   /* it leads elsewhere now */
}

static void audit_bad(struct audit_ctx *a, uint64_t va, const uint64_t *origin,
                      const struct guest_walk_info *w, bool walked, const char *why)
{
    if (guest_changed_since_fill(a, origin, w, walked)) {
        a->stale++;
        return;
    }
    a->bad++;
    if (a->report)
        a->report(a->arg, va, why);
}

static void audit_leaf(struct audit_ctx *a, uint64_t va, uint64_t leaf, const uint64_t *origin)
{
    struct shadow *sh = a->sh;
    struct guest_walk_info w;
    enum p2m_type type;
    uint32_t access = (leaf & SH_US) && (a->gp->cr0 & GW_CR0_PG) ? GW_ACCESS_USER : 0;

    if (guest_walk(&audit_ops, a, a->gp, va, access, &w) != GW_OK) {
        audit_bad(a, va, origin, &w, false, "shadowed, but the guest's tables do not map it");
        return;
    }
    mfn_t mfn = p2m_lookup(sh->p2m, w.gpa >> PAGE_SHIFT, &type);
    if (mfn != (leaf & SH_ADDR) >> PAGE_SHIFT) {
        audit_bad(a, va, origin, &w, true, "frame differs from guest tables + p2m");
        return;
    }
    if ((leaf & SH_RW) && !p2m_type_writable(type)) {
        audit_bad(a, va, NULL, &w, true, "writable in the shadow but read-only in the p2m");
        return;
    }
    if (!(a->gp->cr0 & GW_CR0_PG))
        return;
    if ((leaf & SH_RW) && !(w.writable && (w.leaf_entry & GPTE_D)) &&
        !(!w.writable && !w.user && !(a->gp->cr0 & GW_CR0_WP)))
        audit_bad(a, va, origin, &w, true, "writable in the shadow but not writable+dirty for the guest");
    else if (!!(leaf & SH_US) != w.user)
        audit_bad(a, va, origin, &w, true, "user bit differs");
    else if (!!(leaf & SH_NX) != w.nx)
        audit_bad(a, va, origin, &w, true, "NX differs");
}

static void audit_level(struct audit_ctx *a, mfn_t mfn, unsigned int level, uint64_t base,
                        bool with_origin)
{
    struct shadow *sh = a->sh;
    const uint64_t *t = table(sh, mfn);
    unsigned int n = (sh->format == SHADOW_PAE && level == 3) ? 4 : 512;
    unsigned int shift = (sh->format == SHADOW_PAE && level == 3) ? 30 : 12 + 9 * (level - 1);

    for (unsigned int i = 0; i < n; i++) {
        uint64_t va = base | ((uint64_t)i << shift);

        if (!(t[i] & SH_P))
            continue;
        if (level == 1) {
            if (sh->format == SHADOW_LONG && (va & (1ull << 47)))
                va |= 0xffff000000000000ull;
            audit_leaf(a, va, t[i], with_origin ? origin_of((uint64_t *)&t[i]) : NULL);
        } else {
            audit_level(a, (t[i] & SH_ADDR) >> PAGE_SHIFT, level - 1, va,
                        level == 2 && (t[i] & SH_HAS_ORIGIN));
        }
    }
}

unsigned int shadow_audit(struct shadow *sh, const struct guest_paging *gp,
                          void (*report)(void *arg, uint64_t va, const char *why), void *arg)
{
    struct audit_ctx a = { sh, gp, report, arg, 0, 0 };

    if (sh->format == SHADOW_NONE)
        return 0;
    audit_level(&a, sh->root, top_level(sh), 0, false);
    sh->stats.audits++;
    sh->stats.audit_stale += a.stale;
    return a.bad;
}
