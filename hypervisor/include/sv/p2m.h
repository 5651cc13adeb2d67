/*
 * The p2m: one per domain, guest frame number -> machine frame + type.
 *
 * It is kept in the x86-64 4-level page-table format so that, for a
 * domain with nested paging, the very same table is the nested page table
 * (AMD APM vol. 2, 15.25): no second structure to keep in sync.  Shadow
 * paging reads it in software.  The type lives in software-available bits
 * 52-55 of the leaf; an absent entry is 0 (P2M_INVALID).
 *
 * Every change goes through p2m_set_entry(), which calls the owner's
 * on_change hook so that whatever was derived from the old entry (shadow
 * entries, nested TLB entries on CPUs running the domain) is invalidated.
 */
#ifndef SV_P2M_H
#define SV_P2M_H

#include <sv/spinlock.h>
#include <sv/types.h>

typedef uint64_t gfn_t;

#define INVALID_GFN (~(gfn_t)0)

enum p2m_type {
    P2M_INVALID = 0,        /* not mapped: an access crashes the domain */
    P2M_RAM_RW,
    P2M_RAM_RO,
    P2M_MMIO,               /* passthrough MMIO (driver domains, dom0) */
    P2M_SHARED_INFO,
    P2M_GRANT_MAP_RW,
    P2M_GRANT_MAP_RO,
    P2M_FOREIGN,            /* another domain's RAM, mapped by a privileged domain */
    P2M_MMIO_WP,            /* device memory read directly; writes trap and are checked
                             * (dom0's local APIC page: its ICR must not reach our CPUs) */
    P2M_NR_TYPES,
};

/* Guest-physical addresses the p2m can describe: 4 levels, 48 bits. */
#define P2M_MAX_GFN ((1ull << (48 - PAGE_SHIFT)) - 1)

struct p2m;

struct p2m_ops {
    /* A zeroed page for a table level; its machine frame in *mfn, or NULL. */
    void *(*alloc_table)(void *ctx, mfn_t *mfn);
    void (*free_table)(void *ctx, mfn_t mfn, void *table);
    /* Pointer to the table page at mfn (the direct map, or a test's fake). */
    void *(*table_at)(void *ctx, mfn_t mfn);
    /* Called after gfn changed from (old_mfn, old_type); may be NULL. */
    void (*on_change)(struct p2m *p2m, gfn_t gfn, mfn_t old_mfn, enum p2m_type old_type);
};

struct p2m {
    spinlock_t lock;
    const struct p2m_ops *ops;
    void *ctx;
    mfn_t root;                 /* PML4-level table; also the nested CR3 */
    size_t entries;             /* valid leaves */
    size_t tables;              /* table pages held */
    size_t changes;             /* p2m_set_entry calls that changed something */
};

static inline bool p2m_is_mmio(enum p2m_type type)
{
    return type == P2M_MMIO || type == P2M_MMIO_WP;
}

int p2m_init(struct p2m *p2m, const struct p2m_ops *ops, void *ctx);
/* Map gfn to (mfn, type), or unmap it with P2M_INVALID (mfn ignored).
 * -EINVAL for a gfn beyond P2M_MAX_GFN, an mfn that does not fit, or a bad
 * type; -ENOMEM when a table page cannot be had (nothing changed). */
int p2m_set_entry(struct p2m *p2m, gfn_t gfn, mfn_t mfn, enum p2m_type type);
/* INVALID_MFN and P2M_INVALID when gfn is not mapped. */
mfn_t p2m_lookup(struct p2m *p2m, gfn_t gfn, enum p2m_type *type);
/* Visit every valid entry in gfn order; stop early when fn returns non-zero. */
int p2m_for_each(struct p2m *p2m, int (*fn)(void *arg, gfn_t gfn, mfn_t mfn, enum p2m_type type),
                 void *arg);
/* Free every table page (not the frames they point at). */
void p2m_destroy(struct p2m *p2m);
const char *p2m_type_name(enum p2m_type type);

#endif
