/*
 * Grant tables with version 1 entries: the GNTTABOP_* operations of Xen's
 * ABI (<xen/grant_table.h>) for auto-translated (PVH/HVM) guests.
 *
 * A domain grants one of its RAM frames to a named peer by filling an entry
 * of its shared table; the peer maps it into its own p2m, or lets the
 * hypervisor copy through it.  While an entry is pinned (mapped, or in the
 * middle of a copy) the hypervisor keeps GTF_reading/GTF_writing set in the
 * shared entry, which is how the grantor learns it may not reuse it yet.
 *
 * The core touches neither hardware nor the rest of the hypervisor: domain
 * lookup, the p2m, frame access and memory come through struct gnttab_ops,
 * so the same file runs in the hypervisor and in the host unit tests.
 *
 * Locking: every table has two spinlocks, `lock` (shared frames, active
 * entries, dying) and `maptrack_lock` (its own mappings of other domains'
 * grants).  The core never holds two of them at once; the ops below say
 * which one, if any, is held while they run.
 *
 * Lifetime: a table is reference counted.  Its domain holds one reference
 * (dropped by gnttab_domain_destroy), every pinned entry holds one, and so
 * does every pointer ops->domain_by_id hands out.  So a grantor's table,
 * with its active entries, outlives the grantor for as long as another
 * domain still maps one of its grants; its shared frames do not.
 */
#ifndef SV_GRANT_TABLE_H
#define SV_GRANT_TABLE_H

#include <sv/p2m.h>
#include <sv/spinlock.h>
#include <sv/types.h>

/*
 * Without an interface version xen-compat.h selects the legacy interface 0,
 * which has neither set_version/get_version nor the grant_entry_v1 name;
 * both builds (hypervisor and unit tests) set the latest.
 */
#include <xen/xen.h>
#include <xen/grant_table.h>
#if __XEN_INTERFACE_VERSION__ < 0x0003020a
#error "sv/grant_table.h needs Xen interface 3.2.10 or later: define __XEN_INTERFACE_VERSION__"
#endif

#define GNTTAB_ENTRIES_PER_FRAME  (PAGE_SIZE / sizeof(grant_entry_v1_t))
#define GNTTAB_MAX_FRAMES         64u       /* Xen's default max_grant_frames */
#define GNTTAB_MAPTRACK_PER_CHUNK 256u
#define GNTTAB_MAX_MAPTRACK       65536u
#define GNTTAB_INVALID_HANDLE     (~(grant_handle_t)0)

struct gnttab_domain;

struct gnttab_ops {
    /* The table of domain id with a reference taken by gnttab_domain_get(),
     * which the core drops with gnttab_domain_put(); NULL when there is no
     * such domain.  Called with no grant lock held. */
    struct gnttab_domain *(*domain_by_id)(void *ctx, domid_t id);
    /*
     * d's own RAM frame at gfn; with write, writable RAM.  Grant-mapped,
     * MMIO and grant-table frames are not RAM here, so a domain cannot
     * re-grant a frame it only maps.  0 or a negative errno.  Called with
     * d->lock held: it may take d's p2m lock, nothing of the grant table.
     */
    int (*gfn_to_frame)(void *ctx, struct gnttab_domain *d, gfn_t gfn, bool write, mfn_t *mfn);
    /* Map mfn at gfn in the mapper's p2m (P2M_GRANT_MAP_RO/RW).  Should
     * refuse a gfn that holds RAM, or the RAM frame leaks.  No grant lock. */
    int (*p2m_map)(void *ctx, struct gnttab_domain *mapper, gfn_t gfn, mfn_t mfn, bool readonly);
    /* Undo p2m_map; fail, changing nothing, unless gfn maps expect as a grant. */
    int (*p2m_unmap)(void *ctx, struct gnttab_domain *mapper, gfn_t gfn, mfn_t expect);
    /* Hypervisor pointer to a frame's contents (the direct map), for copy. */
    void *(*frame_ptr)(void *ctx, mfn_t mfn);
    /* A zeroed page for the shared table, its frame in *mfn; NULL if none.
     * This and free_page run under d->lock. */
    void *(*alloc_page)(void *ctx, mfn_t *mfn);
    void (*free_page)(void *ctx, mfn_t mfn, void *page);
    /* Zeroed memory for bookkeeping (xzalloc/xfree); may be called under a grant lock. */
    void *(*zalloc)(void *ctx, size_t bytes);
    void (*free)(void *ctx, void *p);
    /* A frame gnttab_keep_frame() kept is no longer pinned: free it now.
     * Called with no grant lock held; may be NULL if keep is never used. */
    void (*release_frame)(void *ctx, mfn_t mfn);
    /* May caller run setup_table/query_size/get_version on target?
     * NULL: only on itself. */
    bool (*may_manage)(void *ctx, const struct gnttab_domain *caller,
                       const struct gnttab_domain *target);
    /* Optional: a refusal (GNTST_* or -errno) and the check that failed, for
     * a debug-level log line.  May be called under a grant lock. */
    void (*refused)(void *ctx, domid_t caller, int status, const char *why);
};

struct gnttab_stats {
    uint64_t maps, map_errors, unmaps, unmap_errors;
    uint64_t copies, copy_errors, bytes_copied;
    unsigned int pinned_entries;        /* own entries pinned by someone now */
    unsigned int mappings;              /* own live maptrack entries */
    unsigned int nr_frames;
};

struct gnttab_active;
struct gnttab_maptrack;

/* Fields are private to grant_table.c except domid, owner and stats. */
struct gnttab_domain {
    domid_t domid;
    void *owner;                        /* the integrator's domain */
    const struct gnttab_ops *ops;
    void *ctx;                          /* must outlive the table */
    unsigned int refs;
    bool dying;

    spinlock_t lock;
    unsigned int nr_frames, max_frames;
    grant_entry_v1_t *shared[GNTTAB_MAX_FRAMES];
    mfn_t shared_mfn[GNTTAB_MAX_FRAMES];
    struct gnttab_active *active[GNTTAB_MAX_FRAMES];
    unsigned int pinned_entries;
    uint32_t pinned_head;               /* list of pinned refs, for keep_frame */

    spinlock_t maptrack_lock;
    struct gnttab_maptrack **maptrack;  /* chunks, allocated on demand */
    unsigned int maptrack_limit, max_maptrack, maptrack_used;
    uint32_t maptrack_free;             /* free-list head */

    struct gnttab_stats stats;
};

/* Lifetime --------------------------------------------------------------- */

/* A table with one frame that can grow to max_frames (<= GNTTAB_MAX_FRAMES)
 * and up to max_maptrack mappings of other domains' grants.  -EINVAL for
 * bad limits, -ENOMEM. */
int gnttab_domain_create(domid_t domid, void *owner, unsigned int max_frames,
                         unsigned int max_maptrack, const struct gnttab_ops *ops, void *ctx,
                         struct gnttab_domain **out);
void gnttab_domain_get(struct gnttab_domain *d);
void gnttab_domain_put(struct gnttab_domain *d);
/*
 * d is dying: no new maps or copies by it or through its grants, and every
 * mapping d holds is unmapped (p2m_unmap errors ignored: d's p2m is going
 * away), dropping the pins in the grantors.  Call it once d's vCPUs are out
 * of hypercalls and before d's p2m is torn down.  Idempotent.
 */
void gnttab_domain_release_mappings(struct gnttab_domain *d);
/*
 * d gives up RAM frame mfn, which it no longer maps in its p2m (teardown,
 * decrease_reservation).  false: nobody pins it, free it now.  true: another
 * domain still maps it (or copies through it); do not free it, the core
 * calls ops->release_frame(mfn) when the last pin goes.
 */
bool gnttab_keep_frame(struct gnttab_domain *d, mfn_t mfn);
/* The domain's end: releases its mappings if not yet done, frees the shared
 * frames (unmap them from its p2m first) and drops the domain's reference. */
void gnttab_domain_destroy(struct gnttab_domain *d);

/* Frames ----------------------------------------------------------------- */

/* Shared frame idx for XENMAPSPACE_grant_table, growing the table up to it.
 * -EINVAL beyond max_frames or when dying, -ENOMEM. */
int gnttab_get_shared_frame(struct gnttab_domain *d, unsigned int idx, mfn_t *mfn);
/* The shared entry of ref (as the guest sees it), NULL beyond the table. */
grant_entry_v1_t *gnttab_shared_entry(struct gnttab_domain *d, grant_ref_t ref);
/* Write an entry as a guest would (the domain builder's reserved grants
 * for console and xenstore).  -EINVAL beyond the table. */
int gnttab_grant_access(struct gnttab_domain *d, grant_ref_t ref, domid_t to, gfn_t gfn,
                        bool readonly);

/* Operations: caller is the current domain; results in op->status -------- */

/* Grows to op->nr_frames; frames[0..nr_frames) get the shared frames' MFNs
 * (room: the caller's buffer, checked like Xen's limit_max). */
void gnttab_setup_table(struct gnttab_domain *caller, struct gnttab_setup_table *op,
                        xen_pfn_t *frames, unsigned int room);
void gnttab_query_size(struct gnttab_domain *caller, struct gnttab_query_size *op);
/* GNTMAP_host_map only: host_addr is a guest-physical address of the caller. */
void gnttab_map_grant_ref(struct gnttab_domain *caller, struct gnttab_map_grant_ref *op);
/* host_addr 0 leaves the mapping alone (Xen: "that field is ignored"). */
void gnttab_unmap_grant_ref(struct gnttab_domain *caller, struct gnttab_unmap_grant_ref *op);
void gnttab_copy(struct gnttab_domain *caller, struct gnttab_copy *op);
/* These two answer with an errno, as in Xen: version 1 only, so 2 gets
 * -ENOSYS (Xen's answer with gnttab=max-ver:1) and anything else -EINVAL;
 * op->version always comes back as 1. */
int gnttab_set_version(struct gnttab_domain *caller, struct gnttab_set_version *op);
int gnttab_get_version(struct gnttab_domain *caller, struct gnttab_get_version *op);

/* Pins held on ref by maps and copies in progress (dumps, tests); -EINVAL
 * beyond the table. */
int gnttab_entry_pins(struct gnttab_domain *d, grant_ref_t ref, unsigned int *ro, unsigned int *rw);
void gnttab_get_stats(struct gnttab_domain *d, struct gnttab_stats *st);

#endif
