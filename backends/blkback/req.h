/*
 * One blkif request, decoded and checked.  Every field of a ring slot and
 * of an indirect page is the frontend's and may be hostile: decoding works
 * on a private copy of the slot (the frontend can change the slot under
 * us), and a request that fails a check is answered with an error and
 * never reaches the disk.  Pure logic: no Xen, no I/O.
 */
#ifndef REQ_H
#define REQ_H

#include <stdbool.h>
#include <stdint.h>

#include "blkproto.h"

enum blkreq_kind {
    BLKREQ_READ,
    BLKREQ_WRITE,
    BLKREQ_FLUSH,        /* FLUSH_DISKCACHE: earlier writes to stable storage */
    BLKREQ_BARRIER,      /* WRITE_BARRIER: flush, the write, flush */
    BLKREQ_DISCARD,
    BLKREQ_OTHER,        /* unknown operation: EOPNOTSUPP */
    BLKREQ_NKINDS
};

/* What the disk offers; decoding checks requests against it. */
struct blk_limits {
    uint64_t sectors;            /* disk size in 512-byte sectors */
    bool writable;
    bool discard;                /* feature-discard advertised */
    unsigned max_indirect_segs;  /* feature-max-indirect-segments */
};

/* One segment: bytes [offset, offset + len) of the granted page. */
struct blkreq_seg {
    grant_ref_t gref;
    uint16_t offset;
    uint16_t len;
};

struct blkreq {
    uint64_t id;                 /* echoed */
    uint8_t rsp_op;              /* echoed operation (indirect_op for INDIRECT:
                                    Linux blkfront checks it) */
    uint8_t kind;                /* enum blkreq_kind */
    bool indirect;
    int16_t status;              /* BLKIF_RSP_*; not OKAY: answered without I/O */
    const char *why;             /* for the debug log when status is an error */
    uint64_t sector;
    uint64_t nr_sectors;         /* discard: as asked; rw: sum of the segments */
    unsigned nr_segs;            /* as the header says */
    unsigned nr_ind_pages;
    grant_ref_t ind_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
    struct blkreq_seg seg[BLK_MAX_INDIRECT_SEGS];
    /* Set by the engine. */
    size_t bounce_off;           /* this request's data in the bounce buffer */
    unsigned ind_page;           /* its first indirect page in the batch's copy */
    uint32_t bytes;              /* nr_sectors * 512 for rw */
};

/* Does the request carry data between the guest and the disk? */
static inline bool blkreq_has_data(const struct blkreq *r)
{
    return r->nr_segs > 0 && (r->kind == BLKREQ_READ || r->kind == BLKREQ_WRITE ||
                              r->kind == BLKREQ_FLUSH || r->kind == BLKREQ_BARRIER);
}

/* Is the data written to the disk (guest -> disk)? */
static inline bool blkreq_is_write(const struct blkreq *r)
{
    return r->kind != BLKREQ_READ;
}

/*
 * Decodes the private copy *raw of a ring slot.  On return out->status is
 * BLKIF_RSP_OKAY, or the error to answer with (out->why says why).  For a
 * direct request the segments are decoded and the sector range checked;
 * for an indirect one only the header: nr_ind_pages and ind_grefs say
 * which pages to fetch, then call blkreq_decode_indirect().
 */
void blkreq_decode(const blkif_request_t *raw, const struct blk_limits *lim,
                   struct blkreq *out);

/*
 * Decodes the segment array of an indirect request from a private copy of
 * its indirect pages (r->nr_ind_pages pages, one after the other) and
 * checks the sector range.  Sets r->status on failure.
 */
void blkreq_decode_indirect(struct blkreq *r, const void *pages, const struct blk_limits *lim);

/* The upper bound of a request's data before its segments are known:
 * nr_segs whole pages (0 if it carries none). */
static inline size_t blkreq_max_bytes(const struct blkreq *r)
{
    if (r->status != BLKIF_RSP_OKAY || !blkreq_has_data(r))
        return 0;
    return (size_t)r->nr_segs * BLK_PAGE_SIZE;
}

/* Is [sector, sector + n) inside a disk of `sectors` sectors (no wrap)? */
bool blk_range_ok(uint64_t sector, uint64_t n, uint64_t sectors);

const char *blkreq_kind_name(unsigned kind);

#endif
