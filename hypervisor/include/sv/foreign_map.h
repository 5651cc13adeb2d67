/*
 * Foreign-mapped machine frames: which frames of other domains a privileged
 * domain (the toolstack) maps into its own p2m through
 * XENMEM_add_to_physmap_batch with XENMAPSPACE_gmfn_foreign, and how many
 * times each.
 *
 * Such a frame must not be freed while a mapping of it exists, even when its
 * owner gives it back (decrease_reservation) or is destroyed.  There is no
 * frame table to hang a reference count on, so this table keeps one per
 * mapped frame.  The owner, when it takes a frame out of its p2m, asks
 * foreign_map_keep(): false means nobody maps it and the owner frees it as
 * usual; true means the table now owns the frame ("orphaned") and frees it
 * through ops->release_frame when its last mapping goes.  This is the same
 * contract as gnttab_keep_frame() for granted frames.
 *
 * Ordering with the owner's p2m (the integrator's job): foreign_map_get()
 * must happen while the owner still has the frame, i.e. under the owner's
 * p2m lock between looking the gfn up and dropping that lock, and the owner
 * calls foreign_map_keep() after removing the frame from its p2m under the
 * same lock.  Then a get always precedes the keep that has to see it.
 *
 * The table is keyed by machine frame, so one table serves every domain.
 * Memory: an open-addressing hash table (linear probing, backward-shift
 * deletion) with a power-of-two number of slots at least 2 * max_frames,
 * 16 bytes each, allocated once by foreign_map_init() with ops->zalloc
 * (max_frames 16384: 32768 slots, 512 KiB).  Every operation is O(1)
 * expected and runs under one spinlock taken with interrupts off.
 *
 * The core touches no hardware: memory and frame release come through
 * struct foreign_map_ops, so the same file runs in the hypervisor and in
 * the host unit tests.
 */
#ifndef SV_FOREIGN_MAP_H
#define SV_FOREIGN_MAP_H

#include <sv/spinlock.h>
#include <sv/types.h>

/* Upper bound for max_frames (keeps the slot array size far from overflow). */
#define FOREIGN_MAP_MAX_FRAMES (1u << 24)

struct foreign_map_ops {
    /* Zeroed memory, or NULL.  Called once, from foreign_map_init(). */
    void *(*zalloc)(void *ctx, size_t size);
    /* Called once, from foreign_map_fini(). */
    void (*free)(void *ctx, void *p);
    /* An orphaned frame's last mapping went: free it.  Called with the
     * table lock not held, so it may take other locks (the page allocator's). */
    void (*release_frame)(void *ctx, mfn_t mfn);
};

/* One slot of the hash table; count == 0 means the slot is empty. */
struct foreign_map_slot {
    mfn_t mfn;
    uint32_t count;                     /* mappings of mfn, >= 1 when in use */
    uint32_t orphaned;                  /* the owner gave the frame up (keep) */
};

/*
 * Visible so callers can embed it (a static in the hypervisor, a stack
 * variable in tests); the fields are private to foreign_map.c.
 */
struct foreign_map_table {
    spinlock_t lock;
    const struct foreign_map_ops *ops;
    void *ctx;                          /* must outlive the table */
    struct foreign_map_slot *slots;     /* NULL before init and after fini */
    unsigned int shift;                 /* 64 - log2(nr_slots), for the hash */
    unsigned int nr_slots;              /* power of two, >= 2 * max_frames */
    unsigned int max_frames;
    unsigned int frames;                /* slots in use */
};

/*
 * Room for max_frames distinct frames (1 .. FOREIGN_MAP_MAX_FRAMES).
 * 0, -EINVAL (bad max_frames, no ops, or ops without zalloc/free/
 * release_frame), -ENOMEM.
 */
int foreign_map_init(struct foreign_map_table *t, unsigned int max_frames,
                     const struct foreign_map_ops *ops, void *ctx);
/*
 * Frees the bookkeeping.  Mappings still counted are not released: an
 * orphaned frame still tracked here is leaked on purpose, since something
 * may still map it.  Callers that care check foreign_map_frames() (and
 * foreign_map_count() per frame) first.  Afterwards the table reads as
 * empty: count and frames return 0, get fails with -EINVAL, put with
 * -ENOENT, keep returns false.  Idempotent; init may be called again.
 */
void foreign_map_fini(struct foreign_map_table *t);

/*
 * One more mapping of mfn.  0; -ENOSPC when mfn is not tracked and
 * max_frames distinct frames already are; -EOVERFLOW when mfn already has
 * UINT32_MAX mappings; -EINVAL on a table that is not initialised.
 * (-ENOMEM never happens: all memory is allocated by init.)  Works on an
 * orphaned frame too (it just counts), although the hypervisor cannot get
 * there since the owner no longer has the frame.
 */
int foreign_map_get(struct foreign_map_table *t, mfn_t mfn);
/*
 * One mapping of mfn went.  If it was the last, mfn stops being tracked, and
 * if the owner had released the frame meanwhile (keep returned true),
 * ops->release_frame(ctx, mfn) is called, exactly once and after the table
 * lock is dropped.  0, or -ENOENT if mfn is not tracked (a bug in the
 * caller: nothing else is done).
 */
int foreign_map_put(struct foreign_map_table *t, mfn_t mfn);
/*
 * The owner takes mfn out of its p2m.  true: someone maps it; the table
 * keeps it (orphaned) and frees it through release_frame at the last put,
 * the caller must not free it.  false: nobody maps it, the caller frees it
 * now.  Keeping an already orphaned frame again is harmless (still true,
 * still one release).
 */
bool foreign_map_keep(struct foreign_map_table *t, mfn_t mfn);

/* How many mappings of mfn exist (0 if untracked). */
unsigned int foreign_map_count(struct foreign_map_table *t, mfn_t mfn);
/* How many distinct frames are tracked (orphaned ones included). */
unsigned int foreign_map_frames(struct foreign_map_table *t);
/* Whether mfn is tracked and orphaned (dumps, tests). */
bool foreign_map_orphaned(struct foreign_map_table *t, mfn_t mfn);
/* The slot where mfn's probe sequence starts (0 .. nr_slots-1), so tests
 * can build colliding keys; 0 on a table that is not initialised. */
unsigned int foreign_map_home(const struct foreign_map_table *t, mfn_t mfn);

#endif
