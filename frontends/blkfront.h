/*
 * blkfront: a virtual disk on Xen's blkif protocol (<xen/io/blkif.h>).
 * The handshake, the rings and the grants are here; the caller keeps
 * requests in flight with blk_submit() and collects them with blk_reap().
 */
#ifndef BLKFRONT_H
#define BLKFRONT_H

#include "svfront.h"
#include <xen/io/blkif.h>
#include <xen/io/protocols.h>

#define BLK_MAX_QUEUES      4
#define BLK_MAX_ORDER       4           /* ring pages: 1 << order */
#define BLK_MAX_SEGS        256         /* 1 MiB in one indirect request */
#define BLK_MAX_SLOTS       __CONST_RING_SIZE(blkif, PAGE_SIZE << BLK_MAX_ORDER)

/* One I/O: the caller's; valid until done. */
struct blk_io {
    uint8_t op;                         /* BLKIF_OP_READ/WRITE/FLUSH_DISKCACHE/DISCARD */
    uint64_t sector;                    /* 512-byte sectors */
    uint64_t pa;                        /* data: 512-byte aligned, physically contiguous */
    uint32_t bytes;                     /* a multiple of 512; DISCARD: the extent */
    volatile bool done;
    int16_t status;                     /* BLKIF_RSP_* once done */
};

struct blk_slot {
    struct blk_io *io;                  /* NULL: free */
    uint16_t nsegs, nind;
    grant_ref_t refs[BLK_MAX_SEGS];     /* data grants (or pool pages' refs) */
    uint32_t pool[BLK_MAX_SEGS];        /* persistent: pool page index per segment */
    grant_ref_t ind_refs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
    uint64_t ind_pa[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
    uint32_t ind_pool[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
};

struct blk_queue {
    blkif_front_ring_t ring;
    grant_ref_t ring_refs[1u << BLK_MAX_ORDER];
    evtchn_port_t port;
    uint32_t inflight;
    struct blk_slot *slots;             /* ring size of them */
    uint16_t *free_slots;
    uint32_t nr_free;
};

struct blk_pool_page { uint64_t pa; grant_ref_t ref; };

struct blkdev {
    unsigned int devid;
    char name[16];                      /* "vbd 51712", "vif 0": for messages */
    char fe[64], be[128];
    domid_t be_id;
    uint64_t sectors;
    uint32_t sector_size;
    bool readonly, flush, discard, persistent;
    uint32_t max_segs;                  /* per request: 11, or indirect */
    uint32_t order, nqueues, next_queue;
    struct blk_queue q[BLK_MAX_QUEUES];
    struct blk_pool_page *pool;         /* persistent grants */
    uint32_t *pool_free, pool_size, pool_nr_free;
    uint64_t leaked_grants, bad_responses;
    bool connected;
};

/* Options: 0 = as much as the backend offers. */
struct blk_options {
    uint32_t max_order, max_queues;
    bool no_indirect, no_persistent;
};

/* The handshake with the backend of device/vbd/<devid>; 0 or -errno
 * (with a line saying why). */
int blkfront_connect(struct blkdev *d, unsigned int devid, const struct blk_options *opt);
/* Closing -> Closed on both sides; every grant ended, the rings freed. */
int blkfront_disconnect(struct blkdev *d);
/* Largest I/O one request carries. */
uint32_t blk_max_bytes(const struct blkdev *d);
/* 0, -EBUSY (no ring slot or grants: reap first), -EINVAL. */
int blk_submit(struct blkdev *d, struct blk_io *io);
/* Takes the responses waiting: count completed. */
unsigned int blk_reap(struct blkdev *d);
/* Sleeps until a response waits (or timeout); false on timeout. */
bool blk_wait(struct blkdev *d, uint64_t timeout_ms);
uint32_t blk_inflight(const struct blkdev *d);
/* One I/O, waited for; its status (BLKIF_RSP_*) or -errno. */
int blk_rw_sync(struct blkdev *d, uint8_t op, uint64_t sector, uint64_t pa, uint32_t bytes);
/* The first devid under device/vbd, or -1. */
int blkfront_first_devid(void);

#endif
