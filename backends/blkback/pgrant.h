/*
 * Persistent grants kept mapped: the copier for frontends that negotiated
 * feature-persistent.
 *
 * Such a frontend grants a fixed pool of pages once and reuses them for
 * every request, so mapping each of its refs once (gntdev) and moving the
 * data with a CPU copy between the mapping and the bounce buffer costs a
 * map per page for the whole connection, where grant copy costs a
 * hypercall per 16 segments and the hypervisor's checks per segment for
 * every request.  Only the CPU touches a mapping: the disk still does its
 * DMA on the bounce buffer (no IOMMU: see blkio.h).
 *
 * One cache per device, shared by its rings (a frontend may use any page
 * of its pool on any ring, as ours does); refs a copy call needs are
 * mapped together, one gntdev call for all of them.  A segment whose ref
 * cannot be mapped (never granted, read-only, another domain's, beyond the
 * cap) or whose range does not fit its page goes to the fallback copier
 * (grant copy) unchanged, so hostile refs get the same per-segment errors
 * as before.  A ref stays mapped until pgrant_fini: while we map it the
 * frontend cannot end its grant (the hypervisor refuses), which is what
 * persistent means.
 */
#ifndef PGRANT_H
#define PGRANT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "blkio.h"

/* Refs kept mapped per ring of the device (Linux's blkback keeps 1056). */
#define PGRANT_PER_RING 1056u
/* Refs mapped by one gntdev call at most. */
#define PGRANT_BATCH 256u
/* Map failures after which a device maps no more refs (dom0 out of grant
 * handles, or a frontend naming refs it never granted): the rest by grant
 * copy, rather than a failing map call per segment. */
#define PGRANT_MAX_FAILURES 32u

/* How to map refs read-write (consecutive pages; NULL with errno if any
 * fails) and unmap them: gntdev in the daemon, a fake guest in the tests. */
struct pgrant_mapper {
    void *(*map)(void *ctx, domid_t domid, unsigned count, const grant_ref_t *refs);
    void (*unmap)(void *ctx, void *addr, unsigned count);
    void *ctx;
};

struct pgrant_entry {
    grant_ref_t ref;
    uint8_t *addr;               /* NULL: free slot */
};

struct pgrant_mapping {
    void *addr;
    unsigned count;
};

struct pgrant_cache {
    pthread_mutex_t lock;        /* the rings' threads share the cache */
    struct pgrant_mapper mapper;
    domid_t domid;
    unsigned cap, n, failures;
    struct pgrant_entry *tab;    /* open addressing, never deleted from */
    unsigned tab_size;
    struct pgrant_mapping *maps; /* what pgrant_fini unmaps */
    unsigned nmaps, maps_cap;
};

/* One ring's copier (struct blk_copier's ctx for pgrant_copy). */
struct pgrant_copier {
    struct pgrant_cache *cache;
    struct blk_copier fallback;
    struct blk_counters *cnt;    /* the ring's: refs_mapped, segs_mapped */
    uint8_t **addr;              /* [cap] each segment's page, or NULL */
    grant_ref_t *want;           /* [cap] refs to map */
    xengnttab_grant_copy_segment_t *rest;   /* the fallback's segments */
    unsigned *rest_at;
    unsigned cap;
};

/* cap: refs kept mapped at most.  0 or -errno. */
int pgrant_init(struct pgrant_cache *c, const struct pgrant_mapper *mapper, domid_t domid,
                unsigned cap);
/* Unmaps every ref.  Call once no copy runs (the rings' threads joined). */
void pgrant_fini(struct pgrant_cache *c);

void pgrant_copier_init(struct pgrant_copier *p, struct pgrant_cache *c,
                        const struct blk_copier *fallback, struct blk_counters *cnt);
void pgrant_copier_fini(struct pgrant_copier *p);

/* struct blk_copier's copy, ctx = a struct pgrant_copier. */
int pgrant_copy(void *ctx, uint32_t count, xengnttab_grant_copy_segment_t *segs);

/* A copy that stays out of glibc's memcpy: for a page glibc picks
 * REP MOVSB on CPUs that advertise ERMS, which QEMU's TCG runs a byte a
 * step. */
void pgrant_memcpy(void *dst, const void *src, size_t len);

#endif
