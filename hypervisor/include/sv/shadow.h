/*
 * Shadow paging: a virtual TLB per guest address space, kept across CR3
 * switches.
 *
 * The CPU runs on shadow page tables that the hypervisor owns.  They start
 * empty; each hardware #PF walks the guest's own tables (guest_walk, which
 * also sets the guest's Accessed/Dirty bits exactly as a CPU would),
 * composes the result with the p2m and installs one 4 KiB shadow leaf.  A
 * guest CR3 write or a paging-mode change drops every shadow (a full TLB
 * flush); INVLPG drops the shadows of that page.  Because a shadow entry
 * is only ever filled from a fresh walk, the guest sees the translations a
 * real TLB could hold, and no more.
 *
 * Dirty bits: a writable guest page whose D bit is clear is shadowed
 * read-only, so its first write faults and sets D.  A supervisor write
 * that only CR0.WP=0 allows on a user page cannot be expressed in one
 * shadow entry: the caller emulates it (SHADOW_EMULATE).
 *
 * Address spaces (the "fast" step): a vCPU keeps up to nr_roots shadow
 * roots, one per guest CR3.  A CR3 write switches to the root of that CR3
 * instead of dropping everything.  Guest page tables are not
 * write-protected; instead each root records the guest table pages its
 * leaves were built from (its dependencies), with a snapshot of each that
 * every fill brings up to date for the entries it read (so it says what
 * the leaves under an entry were built from), and
 * a CR3 write resyncs the root it switches to: every entry that differs
 * from its snapshot drops the shadows under it, which is exactly what a
 * TLB flush must forget (Xen's out-of-sync shadows, here for every level
 * and every table).  Accessed/dirty bits going from 0 to 1 are no change:
 * the shadow was built with them set, or more restrictively.  A table
 * reached by two paths, or a root with too many dependencies, is dropped
 * whole at the switch instead.  nr_roots = 1 is the plain virtual TLB.
 *
 * Formats: a guest with paging off runs on PAE shadows (3 levels) that map
 * its 4 GiB of physical space; a long-mode guest on 4-level shadows.
 * Plain C over callbacks: unit-tested on the host.
 */
#ifndef SV_SHADOW_H
#define SV_SHADOW_H

#include <sv/guest_walk.h>
#include <sv/p2m.h>
#include <sv/types.h>

enum shadow_format {
    SHADOW_NONE,
    SHADOW_PAE,         /* guest paging off: hardware in legacy PAE mode */
    SHADOW_LONG,        /* guest in long mode: 4-level shadows */
};

struct shadow_ops {
    void *(*alloc_table)(void *ctx, mfn_t *mfn);    /* zeroed; NULL when out of memory */
    void (*free_table)(void *ctx, mfn_t mfn, void *table);
    void *(*table_at)(void *ctx, mfn_t mfn);      /* page-aligned */
    /* Optional: a last-level table followed by two more zeroed pages (12
     * KiB, contiguous), where each leaf's origin is recorded for the audit.
     * Without them the audit counts every difference as a mismatch. */
    void *(*alloc_leaf_table)(void *ctx, mfn_t *mfn);
    void (*free_leaf_table)(void *ctx, mfn_t mfn, void *table);
    /* Optional: a guest RAM frame, read for the snapshots of the guest's
     * tables.  Without it roots are never kept across CR3 switches. */
    const void *(*frame_at)(void *ctx, mfn_t mfn);
};

#define SHADOW_MAX_ROOTS 16
#define SHADOW_DEFAULT_ROOTS 8
#define SHADOW_MAX_DEPS  96

/* A guest table page that some leaf of a root was built from. */
struct shadow_dep {
    gfn_t gfn;
    mfn_t frame;                /* its machine frame (p2m changes drop every root) */
    mfn_t snapshot;             /* a shadow-pool page: its entries as last resynced */
    uint64_t va_base;           /* the first linear address it maps (48 bits) */
    uint8_t level;              /* 4: PML4 ... 1: PT */
    bool multi;                 /* reached by more than one path or level */
};

struct shadow_root {
    mfn_t mfn;                  /* INVALID_MFN: a free slot */
    uint64_t cr3;               /* the guest CR3 (address bits) it shadows */
    uint64_t last_used;
    bool untracked;             /* a dependency could not be recorded: drop it whole on reuse */
    unsigned int ndeps;
    struct shadow_dep deps[SHADOW_MAX_DEPS];
};

struct shadow_stats {
    uint64_t faults;            /* hardware #PFs seen */
    uint64_t fills;             /* shadow leaves installed */
    uint64_t guest_faults;      /* reflected to the guest */
    uint64_t flushes;           /* whole-shadow drops (CR3 writes, mode changes) */
    uint64_t invlpgs;
    uint64_t emulations;        /* writes emulated (CR0.WP=0) */
    uint64_t tables_max;        /* high-water mark of shadow table pages */
    uint64_t audits;            /* shadow_audit runs */
    uint64_t audit_stale;       /* leaves the guest changed but had not flushed yet */
    uint64_t cr3_switches;      /* shadow_set_cr3 calls */
    uint64_t root_hits;         /* ... that found the CR3's root kept */
    uint64_t resync_pages;      /* guest table pages compared with their snapshot */
    uint64_t resync_drops;      /* guest entries found changed: shadows under them dropped */
    uint64_t root_drops;        /* kept roots dropped whole (untracked, multi-path, evicted) */
    uint64_t frame_drops;       /* p2m changes handled by dropping one frame's leaves */
};

struct shadow {
    const struct shadow_ops *ops;
    void *ctx;
    struct p2m *p2m;
    const struct guest_walk_ops *gw_ops;
    void *gw_ctx;
    enum shadow_format format;
    mfn_t root;                 /* the current root's table: what CR3 holds */
    unsigned int cur;           /* its slot in roots[] */
    unsigned int nr_roots;      /* slots in use: 1 (virtual TLB) .. SHADOW_MAX_ROOTS */
    uint64_t clock;
    struct shadow_root roots[SHADOW_MAX_ROOTS];
    size_t tables;              /* shadow-pool pages held: tables and snapshots */
    struct shadow_stats stats;
};

enum shadow_result {
    SHADOW_FIXED,           /* shadow filled: re-run the instruction */
    SHADOW_GUEST_FAULT,     /* the guest's own #PF: inject pfec / cr2 */
    SHADOW_GUEST_GP,        /* non-canonical address: inject #GP(0) */
    SHADOW_NOT_RAM,         /* the guest touched a gpa that is not its RAM: bad_gpa */
    SHADOW_EMULATE,         /* emulate the write (CR0.WP=0 on a user read-only page) */
    SHADOW_RETRY,           /* the guest's tables kept changing: just re-run */
    SHADOW_NO_MEMORY,
    SHADOW_UNSUPPORTED,     /* a guest paging mode we do not shadow */
};

struct shadow_fault_info {
    uint32_t pfec;          /* SHADOW_GUEST_FAULT */
    uint64_t cr2;
    uint64_t bad_gpa;       /* SHADOW_NOT_RAM */
    uint64_t gpa;           /* SHADOW_FIXED / SHADOW_EMULATE: the translation */
};

void shadow_init(struct shadow *sh, const struct shadow_ops *ops, void *ctx, struct p2m *p2m,
                 const struct guest_walk_ops *gw_ops, void *gw_ctx);
/* Drop everything and start empty shadows for the guest's paging state.
 * 0, -ENOMEM, or -EOPNOTSUPP for a guest mode we do not shadow. */
int shadow_reset(struct shadow *sh, const struct guest_paging *gp);
/* How many address spaces to keep (1..SHADOW_MAX_ROOTS); drops everything. */
int shadow_set_roots(struct shadow *sh, unsigned int n);
/* The guest wrote CR3 (the rest of its paging state unchanged): switch to
 * the root of gp->cr3, resynced, or a new one.  Same errors as reset. */
int shadow_set_cr3(struct shadow *sh, const struct guest_paging *gp);
/* A hardware #PF at va with the access bits of pfec (W, U, I/D). */
enum shadow_result shadow_fault(struct shadow *sh, const struct guest_paging *gp, uint64_t va,
                                uint32_t pfec, struct shadow_fault_info *out);
enum shadow_invlpg_result {
    SHADOW_INVLPG_PAGE,     /* at most va's own leaf went: flush that page */
    SHADOW_INVLPG_ALL,      /* more went (a large guest page): flush the TLB */
};
/* Drop the shadows of va (and of the large guest page it may lie in). */
enum shadow_invlpg_result shadow_invlpg(struct shadow *sh, uint64_t va);
/*
 * A p2m entry that pointed at frame changed: drop every shadow leaf (of
 * every kept root) that maps it.  -EBUSY when only a reset will do (the
 * frame is a guest table a root tracks, or there are too many tables to
 * scan); nothing was changed then.
 */
int shadow_drop_frame(struct shadow *sh, mfn_t frame);
/* The value for the hardware CR3. */
paddr_t shadow_root_pa(const struct shadow *sh);
void shadow_destroy(struct shadow *sh);
/*
 * Check every shadow leaf against a fresh (side-effect free) walk of the
 * guest's tables and the p2m; report each mismatch through 'report' and
 * return how many there were.  A leaf whose guest entry changed since it
 * was filled (the guest has not flushed it yet) is stale, not wrong: it is
 * counted in stats.audit_stale.
 */
unsigned int shadow_audit(struct shadow *sh, const struct guest_paging *gp,
                          void (*report)(void *arg, uint64_t va, const char *why), void *arg);

#endif
