/*
 * Request decoding and checks (see req.h).  The checks follow what Linux's
 * xen-blkback refuses (dispatch_rw_block_io, dispatch_discard_io), so a
 * frontend that works with it works with us.
 */
#include "req.h"

#include <string.h>

static void fail(struct blkreq *r, int16_t status, const char *why)
{
    r->status = status;
    r->why = why;
}

bool blk_range_ok(uint64_t sector, uint64_t n, uint64_t sectors)
{
    return sector <= sectors && n <= sectors - sector;
}

const char *blkreq_kind_name(unsigned kind)
{
    static const char *const names[BLKREQ_NKINDS] = {
        [BLKREQ_READ] = "read", [BLKREQ_WRITE] = "write", [BLKREQ_FLUSH] = "flush",
        [BLKREQ_BARRIER] = "barrier", [BLKREQ_DISCARD] = "discard", [BLKREQ_OTHER] = "other",
    };
    return kind < BLKREQ_NKINDS ? names[kind] : "?";
}

/* One segment from the wire: sectors first..last (inclusive) of a page. */
static bool decode_seg(const struct blkif_request_segment *in, struct blkreq_seg *out)
{
    uint8_t first = in->first_sect, last = in->last_sect;

    if (last >= BLK_SECTORS_PER_PAGE || first > last)
        return false;
    out->gref = in->gref;
    out->offset = (uint16_t)(first << BLK_SECTOR_SHIFT);
    out->len = (uint16_t)((last - first + 1u) << BLK_SECTOR_SHIFT);
    return true;
}

/* After the segments are known: total size and range. */
static void finish_rw(struct blkreq *r, const struct blk_limits *lim)
{
    uint64_t bytes = 0;

    for (unsigned i = 0; i < r->nr_segs; i++)
        bytes += r->seg[i].len;
    r->bytes = (uint32_t)bytes;
    r->nr_sectors = bytes >> BLK_SECTOR_SHIFT;
    if (!blk_range_ok(r->sector, r->nr_sectors, lim->sectors))
        fail(r, BLKIF_RSP_ERROR, "sectors past the end of the disk");
}

static unsigned kind_of(uint8_t op)
{
    switch (op) {
    case BLKIF_OP_READ:            return BLKREQ_READ;
    case BLKIF_OP_WRITE:           return BLKREQ_WRITE;
    case BLKIF_OP_FLUSH_DISKCACHE: return BLKREQ_FLUSH;
    case BLKIF_OP_WRITE_BARRIER:   return BLKREQ_BARRIER;
    case BLKIF_OP_DISCARD:         return BLKREQ_DISCARD;
    default:                       return BLKREQ_OTHER;
    }
}

static void decode_discard(const blkif_request_t *raw, const struct blk_limits *lim,
                           struct blkreq *r)
{
    struct blkif_request_discard d;

    memcpy(&d, raw, sizeof(d));
    r->sector = d.sector_number;
    r->nr_sectors = d.nr_sectors;
    if (!lim->discard)
        fail(r, BLKIF_RSP_EOPNOTSUPP, "discard not offered");
    else if (!lim->writable)
        fail(r, BLKIF_RSP_ERROR, "discard on a read-only disk");
    else if (!blk_range_ok(r->sector, r->nr_sectors, lim->sectors))
        fail(r, BLKIF_RSP_ERROR, "discard past the end of the disk");
}

static void decode_indirect_header(const blkif_request_t *raw, const struct blk_limits *lim,
                                   struct blkreq *r)
{
    struct blkif_request_indirect ind;

    memcpy(&ind, raw, sizeof(ind));
    r->indirect = true;
    r->rsp_op = ind.indirect_op;
    r->sector = ind.sector_number;
    r->nr_segs = ind.nr_segments;
    if (ind.indirect_op != BLKIF_OP_READ && ind.indirect_op != BLKIF_OP_WRITE) {
        r->kind = BLKREQ_OTHER;
        fail(r, BLKIF_RSP_ERROR, "indirect operation is neither read nor write");
        return;
    }
    r->kind = kind_of(ind.indirect_op);
    if (lim->max_indirect_segs == 0) {
        fail(r, BLKIF_RSP_EOPNOTSUPP, "indirect requests not offered");
        return;
    }
    if (r->nr_segs == 0 || r->nr_segs > lim->max_indirect_segs ||
        r->nr_segs > BLK_MAX_INDIRECT_SEGS) {
        fail(r, BLKIF_RSP_ERROR, "indirect segment count 0 or above the limit");
        return;
    }
    if (r->kind == BLKREQ_WRITE && !lim->writable) {
        fail(r, BLKIF_RSP_ERROR, "write to a read-only disk");
        return;
    }
    r->nr_ind_pages = (unsigned)((r->nr_segs + BLK_SEGS_PER_IND_PAGE - 1) / BLK_SEGS_PER_IND_PAGE);
    memcpy(r->ind_grefs, ind.indirect_grefs, r->nr_ind_pages * sizeof(grant_ref_t));
}

void blkreq_decode(const blkif_request_t *raw, const struct blk_limits *lim,
                   struct blkreq *out)
{
    struct blkreq *r = out;

    /* Only the header: seg[] is filled as far as nr_segs says. */
    memset(r, 0, offsetof(struct blkreq, seg));
    r->id = raw->id;
    r->rsp_op = raw->operation;
    r->status = BLKIF_RSP_OKAY;

    if (raw->operation == BLKIF_OP_INDIRECT) {
        decode_indirect_header(raw, lim, r);
        return;
    }
    r->kind = (uint8_t)kind_of(raw->operation);
    switch (r->kind) {
    case BLKREQ_OTHER:
        fail(r, BLKIF_RSP_EOPNOTSUPP, "unknown operation");
        return;
    case BLKREQ_DISCARD:
        decode_discard(raw, lim, r);
        return;
    default:
        break;
    }
    r->sector = raw->sector_number;
    r->nr_segs = raw->nr_segments;
    if (r->nr_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
        fail(r, BLKIF_RSP_ERROR, "more than 11 direct segments");
        return;
    }
    if (r->nr_segs == 0 && (r->kind == BLKREQ_READ || r->kind == BLKREQ_WRITE)) {
        fail(r, BLKIF_RSP_ERROR, "read or write without segments");
        return;
    }
    if (r->kind == BLKREQ_WRITE && !lim->writable) {
        fail(r, BLKIF_RSP_ERROR, "write to a read-only disk");
        return;
    }
    if ((r->kind == BLKREQ_FLUSH || r->kind == BLKREQ_BARRIER) && r->nr_segs > 0 &&
        !lim->writable) {
        fail(r, BLKIF_RSP_ERROR, "write to a read-only disk");
        return;
    }
    for (unsigned i = 0; i < r->nr_segs; i++) {
        if (!decode_seg(&raw->seg[i], &r->seg[i])) {
            fail(r, BLKIF_RSP_ERROR, "segment sectors outside 0..7 or first > last");
            return;
        }
    }
    finish_rw(r, lim);
}

void blkreq_decode_indirect(struct blkreq *r, const void *pages, const struct blk_limits *lim)
{
    const unsigned char *p = pages;

    for (unsigned i = 0; i < r->nr_segs; i++) {
        struct blkif_request_segment s;

        /* Segments never straddle an indirect page: 512 fit exactly. */
        memcpy(&s, p + (size_t)i * sizeof(s), sizeof(s));
        if (!decode_seg(&s, &r->seg[i])) {
            fail(r, BLKIF_RSP_ERROR, "indirect segment sectors outside 0..7 or first > last");
            return;
        }
    }
    finish_rw(r, lim);
}
