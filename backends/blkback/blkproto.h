/*
 * The blkif ABI (<xen/io/blkif.h>, <xen/io/ring.h>) as this daemon uses it,
 * and the limits it advertises to frontends.
 *
 * ring.h wants xen_mb/xen_rmb/xen_wmb from its includer (the kernel and
 * libxenctrl define them) when the interface version is current, which
 * -D__XEN_TOOLS__ selects for every Xen header of a file.  The frontend runs on another CPU, so these
 * are real fences, not compiler barriers.
 */
#ifndef BLKPROTO_H
#define BLKPROTO_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef xen_mb
#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif

#include <xen/xen.h>
/* Older interface versions make ring.h use the kernel's mb(). */
#if defined(__XEN_INTERFACE_VERSION__) && __XEN_INTERFACE_VERSION__ < 0x00030208
#error "build with -D__XEN_TOOLS__ (the Makefile does) so that ring.h uses xen_mb()"
#endif
#include <xen/grant_table.h>
#include <xen/io/blkif.h>
#include <xen/io/protocols.h>
#include <xen/io/xenbus.h>

#define BLK_PAGE_SIZE        4096u
#define BLK_SECTOR_SHIFT     9
#define BLK_SECTOR_SIZE      (1u << BLK_SECTOR_SHIFT)
#define BLK_SECTORS_PER_PAGE (BLK_PAGE_SIZE >> BLK_SECTOR_SHIFT)

/* What we advertise (backend nodes of the same names). */
#define BLK_MAX_RING_ORDER   4u     /* max-ring-page-order: 16 pages, 512 slots */
#define BLK_MAX_QUEUES       4u     /* multi-queue-max-queues */
#define BLK_MAX_INDIRECT_SEGS 256u  /* feature-max-indirect-segments: 1 MiB */
#define BLK_MAX_RING_PAGES   (1u << BLK_MAX_RING_ORDER)

/* Segments of one indirect page, and indirect pages of our largest request. */
#define BLK_SEGS_PER_IND_PAGE (BLK_PAGE_SIZE / sizeof(struct blkif_request_segment))
#define BLK_MAX_IND_PAGES \
    ((BLK_MAX_INDIRECT_SEGS + BLK_SEGS_PER_IND_PAGE - 1) / BLK_SEGS_PER_IND_PAGE)

_Static_assert(BLK_MAX_IND_PAGES <= BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST,
               "indirect segment limit needs more pages than blkif allows");
_Static_assert(sizeof(struct blkif_request_indirect) <= sizeof(struct blkif_request),
               "an indirect request must fit a ring slot");
_Static_assert(sizeof(struct blkif_request_discard) <= sizeof(struct blkif_request),
               "a discard request must fit a ring slot");

/* Slots of a ring of 2^order pages. */
static inline unsigned blk_ring_slots(unsigned order)
{
    return __CONST_RING_SIZE(blkif, (size_t)BLK_PAGE_SIZE << order);
}

#endif
