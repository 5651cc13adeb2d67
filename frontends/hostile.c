/*
 * blk_hostile: a frontend that breaks the protocol on purpose, so that the
 * backend's checks are tested against the real ring: requests with grant
 * refs we never granted, segment counts of 0 and beyond the limit, sector
 * ranges inside a page that run backwards or past its end, sectors past
 * the end of the disk, an unknown operation, indirect requests with a
 * garbage indirect page; each must be answered with an error (and the
 * device must still work after them).  Last, the request producer index is
 * pushed a whole ring ahead of what could be there: the backend must
 * disconnect this device (Closing or Closed), not loop or crash.
 */
#include "diskprog.h"

struct hostile_case {
    const char *what;
    uint8_t op, nsegs;
    uint64_t sector;                    /* UINT64_MAX: past the end */
    grant_ref_t gref;                   /* 0: a real grant of our buffer */
    uint8_t first, last;
};

/* Puts r on queue 0 as it is and waits for its answer: the status. */
static int raw_request(struct blkdev *d, const blkif_request_t *r, int16_t *status)
{
    struct blk_queue *q = &d->q[0];
    if (RING_FULL(&q->ring))
        return -16;
    *RING_GET_REQUEST(&q->ring, q->ring.req_prod_pvt) = *r;
    q->ring.req_prod_pvt++;
    int notify;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->ring, notify);
    if (notify)
        xev_send(q->port);
    uint64_t deadline = rdtsc() + ms_to_cycles(10000);
    for (;;) {
        RING_IDX prod = q->ring.sring->rsp_prod;
        xen_rmb();
        if (prod != q->ring.rsp_cons) {
            blkif_response_t rsp = *RING_GET_RESPONSE(&q->ring, q->ring.rsp_cons);
            q->ring.rsp_cons++;
            int more;
            RING_FINAL_CHECK_FOR_RESPONSES(&q->ring, more);   /* rsp_event: notify us next time */
            (void)more;
            if (rsp.id != r->id)
                return -71;
            *status = rsp.status;
            return 0;
        }
        if (rdtsc() > deadline)
            return -110;
        RING_IDX event = q->ring.rsp_cons + 1;
        q->ring.sring->rsp_event = event;
        xen_mb();
        blk_wait(d, 500);
    }
}

const char *prog_blk_hostile(struct blkdev *d)
{
    uint64_t buf = frame_alloc_zero();
    if (!buf)
        return fail("no buffer");
    grant_ref_t good = gnttab_grant(d->be_id, buf >> 12, false);
    if (!good)
        return fail("no grant");
    const struct hostile_case cases[] = {
        { "grant ref never granted", BLKIF_OP_READ, 1, 0, 0xfffff0, 0, 7 },
        { "grant ref beyond any table", BLKIF_OP_WRITE, 1, 0, 0x7fffffff, 0, 7 },
        { "0 segments for a read", BLKIF_OP_READ, 0, 0, 0, 0, 7 },
        { "12 segments in a direct request", BLKIF_OP_READ, 12, 0, 0, 0, 7 },
        { "first_sect after last_sect", BLKIF_OP_READ, 1, 0, 0, 5, 2 },
        { "last_sect past the page", BLKIF_OP_READ, 1, 0, 0, 0, 8 },
        { "sector past the end", BLKIF_OP_READ, 1, UINT64_MAX, 0, 0, 7 },
        { "sector number near 2^64", BLKIF_OP_WRITE, 1, UINT64_MAX - 3, 0, 0, 7 },
        { "unknown operation 42", 42, 1, 0, 0, 0, 7 },
    };
    uint64_t id = 0xdead0000;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct hostile_case *c = &cases[i];
        blkif_request_t r;
        memset(&r, 0, sizeof(r));
        r.operation = c->op;
        r.nr_segments = c->nsegs;
        r.handle = (blkif_vdev_t)d->devid;
        r.id = id++;
        r.sector_number = c->sector == UINT64_MAX ? d->sectors : c->sector;
        if (c->sector == UINT64_MAX - 3)
            r.sector_number = UINT64_MAX - 3;
        for (uint32_t s = 0; s < BLKIF_MAX_SEGMENTS_PER_REQUEST; s++)
            r.seg[s] = (struct blkif_request_segment){ c->gref ? c->gref : good, c->first, c->last };
        int16_t st;
        int rc = raw_request(d, &r, &st);
        if (rc)
            return fail("%s: no answer (%d)", c->what, rc);
        if (st == BLKIF_RSP_OKAY)
            return fail("%s: answered OKAY", c->what);
        note("%s: answered %d", c->what, st);
    }
    /* Indirect with a garbage indirect page (segments naming refs we never
     * granted, sector ranges backwards), if the backend offers indirect. */
    if (d->max_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
        uint64_t ind = frame_alloc();
        grant_ref_t iref = ind ? gnttab_grant(d->be_id, ind >> 12, true) : 0;
        if (!iref)
            return fail("no indirect page");
        uint8_t *p = phys(ind);
        for (uint32_t i = 0; i < PAGE_SIZE; i++)
            p[i] = (uint8_t)(i * 37 + 11);
        blkif_request_t r;
        struct blkif_request_indirect *ri = (void *)&r;
        memset(&r, 0, sizeof(r));
        ri->operation = BLKIF_OP_INDIRECT;
        ri->indirect_op = BLKIF_OP_READ;
        ri->nr_segments = 64;
        ri->id = id++;
        ri->handle = (blkif_vdev_t)d->devid;
        ri->indirect_grefs[0] = iref;
        int16_t st;
        int rc = raw_request(d, &r, &st);
        if (rc)
            return fail("garbage indirect page: no answer (%d)", rc);
        if (st == BLKIF_RSP_OKAY)
            return fail("garbage indirect page: answered OKAY");
        note("indirect request with a garbage segment page: answered %d", st);
        ri->id = id++;
        ri->nr_segments = 60000;            /* more than 8 indirect pages hold */
        rc = raw_request(d, &r, &st);
        if (rc || st == BLKIF_RSP_OKAY)
            return fail("indirect request of 60000 segments: %d / %d", rc, st);
        note("indirect request of 60000 segments: answered %d", st);
        if (!gnttab_end(iref))
            return fail("the backend kept our indirect page mapped");
        frame_free(ind);
    }
    /* The device still works. */
    int rc = blk_rw_sync(d, BLKIF_OP_READ, 0, buf, 4096);
    if (rc != BLKIF_RSP_OKAY)
        return fail("a good read after the hostile requests: %d", rc);
    note("a good read after them: OKAY");
    if (!gnttab_end(good))
        return fail("the backend kept our buffer mapped");
    frame_free(buf);

    /* Indexes that run ahead: a whole ring of requests that are not there. */
    struct blk_queue *q = &d->q[0];
    uint32_t size = RING_SIZE(&q->ring);
    q->ring.sring->req_prod = q->ring.req_prod_pvt + size + 5;
    xen_mb();
    xev_send(q->port);
    int st = xenbus_wait_state(d->be, 1u << XenbusStateClosing | 1u << XenbusStateClosed, 20000);
    if (st < 0)
        return fail("req_prod a ring ahead: the backend did not disconnect (state %s)",
                    xenbus_state_name(xenbus_read_state(d->be)));
    note("req_prod %u slots ahead: the backend went to %s", size + 5, xenbus_state_name(st));
    /* Our side of it: the device is gone; close it so the slots are freed. */
    for (uint32_t i = 0; i < d->nqueues; i++)
        d->q[i].inflight = 0;
    blkfront_disconnect(d);
    return NULL;
}

/*
 * net_hostile (netprog.c runs these): the same for netback's tx ring: a
 * grant ref never granted, a frame running past its page, frames of 0 and
 * 13 bytes: each must come back as an error; then req_prod a ring ahead:
 * the backend must disconnect the NIC.
 */
static int raw_tx(struct netdev *n, grant_ref_t gref, uint16_t offset, uint16_t size, int16_t *status)
{
    netfront_poll(n, NULL, NULL);           /* nothing of ours in flight */
    if (!n->tx_nr_free || RING_FULL(&n->tx))
        return -16;
    uint16_t id = n->tx_free[--n->tx_nr_free];
    netif_tx_request_t *r = RING_GET_REQUEST(&n->tx, n->tx.req_prod_pvt);
    r->gref = gref ? gref : n->tx_ref[id];
    r->offset = offset;
    r->flags = 0;
    r->id = id;
    r->size = size;
    n->tx.req_prod_pvt++;
    int notify;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&n->tx, notify);
    if (notify)
        xev_send(n->port);
    uint64_t deadline = rdtsc() + ms_to_cycles(10000);
    for (;;) {
        RING_IDX prod = n->tx.sring->rsp_prod;
        xen_rmb();
        if (prod != n->tx.rsp_cons) {
            netif_tx_response_t rsp = *RING_GET_RESPONSE(&n->tx, n->tx.rsp_cons);
            n->tx.rsp_cons++;
            int more;
            RING_FINAL_CHECK_FOR_RESPONSES(&n->tx, more);
            (void)more;
            if (rsp.id != id)
                return -71;
            n->tx_free[n->tx_nr_free++] = id;
            *status = rsp.status;
            return 0;
        }
        if (rdtsc() > deadline)
            return -110;
        n->tx.sring->rsp_event = n->tx.rsp_cons + 1;
        xen_mb();
        netfront_wait(n, 500);
    }
}

const char *net_hostile_frames(struct netdev *n)
{
    static const struct { const char *what; grant_ref_t gref; uint16_t offset, size; } cases[] = {
        { "grant ref never granted", 0xfffff0, 0, 60 },
        { "frame running past its page", 0, 4000, 200 },
        { "frame of 0 bytes", 0, 0, 0 },
        { "frame of 13 bytes", 0, 0, 13 },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int16_t st;
        int rc = raw_tx(n, cases[i].gref, cases[i].offset, cases[i].size, &st);
        if (rc)
            return fail("%s: no answer (%d)", cases[i].what, rc);
        if (st == NETIF_RSP_OKAY)
            return fail("%s: answered OKAY", cases[i].what);
        note("%s: answered %d", cases[i].what, st);
    }
    return NULL;
}

const char *net_hostile_runahead(struct netdev *n)
{
    uint32_t size = RING_SIZE(&n->tx);
    n->tx.sring->req_prod = n->tx.req_prod_pvt + size + 7;
    xen_mb();
    xev_send(n->port);
    int st = xenbus_wait_state(n->be, 1u << XenbusStateClosing | 1u << XenbusStateClosed, 20000);
    if (st < 0)
        return fail("req_prod a ring ahead: the backend did not disconnect (state %s)",
                    xenbus_state_name(xenbus_read_state(n->be)));
    note("tx req_prod %u slots ahead: the backend went to %s", size + 7, xenbus_state_name(st));
    return NULL;
}
