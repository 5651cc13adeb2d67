/*
 * blkfront (blkfront.h): what Linux's xen-blkfront does, for one CPU.
 *
 * Handshake (<xen/io/blkif.h>, "Startup"): the backend goes to InitWait
 * after writing its features; we read them, allocate the rings
 * (ring-page-order pages each, several queues if multi-queue-max-queues
 * says so), grant them, bind an unbound event channel per queue to the
 * backend, write where they are and go to Initialised; the backend maps
 * them and goes to Connected, writing sectors/info/sector-size; then we
 * go to Connected.
 *
 * Data: each 4 KiB page of a request is a segment with its own grant
 * (read-only for writes).  Up to 11 fit in the request; more go through
 * indirect pages (BLKIF_OP_INDIRECT) when the backend offers
 * feature-max-indirect-segments.  With feature-persistent, data moves
 * through a pool of pages granted once and kept granted (the backend may
 * keep them mapped): writes are copied into pool pages before the request,
 * reads out of them after the response, and the pool bounds what can be
 * in flight.
 *
 * Everything the backend writes is checked: a response whose id is not a
 * request in flight is counted and dropped, never followed.
 */
#include "blkfront.h"

#define CONNECT_TIMEOUT_MS  30000
#define POOL_MAX_PAGES      4096u       /* persistent grants: 16 MiB at most */
#define SEGS_PER_IND_PAGE   (PAGE_SIZE / sizeof(struct blkif_request_segment))

int blkfront_first_devid(void)
{
    return xenbus_first_device("vbd");
}

/* ---- rings ---- */

static uint32_t ring_slots(const struct blkdev *d)
{
    return __CONST_RING_SIZE(blkif, PAGE_SIZE << d->order);
}

static int setup_queue(struct blkdev *d, struct blk_queue *q)
{
    uint32_t pages = 1u << d->order, n = ring_slots(d);
    uint64_t ring_pa = frame_alloc_contig(pages, pages);
    uint64_t slot_bytes = (uint64_t)n * sizeof(struct blk_slot) + n * sizeof(uint16_t);
    uint64_t slot_pa = frame_alloc_contig((slot_bytes + PAGE_SIZE - 1) / PAGE_SIZE, 1);
    if (!ring_pa || !slot_pa)
        return xenbus_dev_say(d->name, -12, "no memory for a ring of %u pages", pages);
    memset(phys(ring_pa), 0, pages * PAGE_SIZE);
    memset(phys(slot_pa), 0, slot_bytes);
    blkif_sring_t *s = phys(ring_pa);
    SHARED_RING_INIT(s);
    FRONT_RING_INIT(&q->ring, s, PAGE_SIZE << d->order);
    q->slots = phys(slot_pa);
    q->free_slots = (uint16_t *)(q->slots + n);
    q->nr_free = 0;
    for (uint32_t i = n; i-- > 0;)
        q->free_slots[q->nr_free++] = (uint16_t)i;
    for (uint32_t i = 0; i < pages; i++) {
        q->ring_refs[i] = gnttab_grant(d->be_id, (ring_pa >> 12) + i, false);
        if (!q->ring_refs[i])
            return xenbus_dev_say(d->name, -28, "out of grant refs for the ring");
    }
    int rc = xev_alloc_unbound(d->be_id, &q->port);
    if (rc)
        return xenbus_dev_say(d->name, rc, "EVTCHNOP_alloc_unbound to d%u: %d", d->be_id, rc);
    return 0;
}

static void free_queue(struct blkdev *d, struct blk_queue *q)
{
    uint32_t pages = 1u << d->order;
    if (!q->ring.sring)
        return;
    if (q->port)
        xev_close(q->port);
    /* A ring page the backend still maps is left granted and never reused
     * (frame_free would write our free-list link into its req_prod). */
    uint64_t ring_pa = (uint64_t)(uintptr_t)q->ring.sring;
    for (uint32_t i = 0; i < pages; i++) {
        if (!q->ring_refs[i] || gnttab_end(q->ring_refs[i]))
            frame_free(ring_pa + i * PAGE_SIZE);
        else
            d->leaked_grants++;
    }
    uint32_t n = ring_slots(d);
    uint64_t slot_bytes = (uint64_t)n * sizeof(struct blk_slot) + n * sizeof(uint16_t);
    uint64_t slot_pa = (uint64_t)(uintptr_t)q->slots;
    for (uint64_t off = 0; off < slot_bytes; off += PAGE_SIZE)
        frame_free(slot_pa + off);
    memset(q, 0, sizeof(*q));
}

/* Where the rings are: Linux's talk_to_blkback() node names. */
static int write_rings(struct blkdev *d)
{
    int rc = 0;
    if (d->order)
        rc |= xenbus_printf(d->fe, "ring-page-order", "%u", d->order);
    if (d->nqueues > 1)
        rc |= xenbus_printf(d->fe, "multi-queue-num-queues", "%u", d->nqueues);
    for (uint32_t qi = 0; qi < d->nqueues; qi++) {
        char dir[96];
        if (d->nqueues > 1)
            snprintf(dir, sizeof(dir), "%s/queue-%u", d->fe, qi);
        else
            snprintf(dir, sizeof(dir), "%s", d->fe);
        struct blk_queue *q = &d->q[qi];
        if (d->order == 0) {
            rc |= xenbus_printf(dir, "ring-ref", "%u", q->ring_refs[0]);
        } else {
            for (uint32_t i = 0; i < (1u << d->order); i++) {
                char key[24];
                snprintf(key, sizeof(key), "ring-ref%u", i);
                rc |= xenbus_printf(dir, key, "%u", q->ring_refs[i]);
            }
        }
        rc |= xenbus_printf(dir, "event-channel", "%u", q->port);
    }
    rc |= xenbus_printf(d->fe, "protocol", "%s", XEN_IO_PROTO_ABI_NATIVE);
    rc |= xenbus_printf(d->fe, "feature-persistent", "%u", d->persistent ? 1u : 0u);
    return rc ? xenbus_dev_say(d->name, -5, "cannot write the ring nodes under %s", d->fe) : 0;
}

static int setup_pool(struct blkdev *d)
{
    uint32_t want = d->nqueues * ring_slots(d) * d->max_segs;
    if (want > POOL_MAX_PAGES)
        want = POOL_MAX_PAGES;
    uint64_t meta = (uint64_t)want * (sizeof(struct blk_pool_page) + sizeof(uint32_t));
    uint64_t meta_pa = frame_alloc_contig((meta + PAGE_SIZE - 1) / PAGE_SIZE, 1);
    if (!meta_pa)
        return -12;
    d->pool = phys(meta_pa);
    d->pool_free = (uint32_t *)(d->pool + want);
    d->pool_size = d->pool_nr_free = 0;
    for (uint32_t i = 0; i < want; i++) {
        uint64_t pa = frame_alloc();
        if (!pa)
            break;
        grant_ref_t ref = gnttab_grant(d->be_id, pa >> 12, false);
        if (!ref) {
            frame_free(pa);
            break;
        }
        d->pool[i] = (struct blk_pool_page){ pa, ref };
        d->pool_free[d->pool_nr_free++] = i;
        d->pool_size++;
    }
    if (d->pool_size < d->max_segs)
        return xenbus_dev_say(d->name, -12, "persistent grant pool of %u pages is below one request", d->pool_size);
    return 0;
}

static void free_pool(struct blkdev *d)
{
    for (uint32_t i = 0; i < d->pool_size; i++) {
        if (gnttab_end(d->pool[i].ref))
            frame_free(d->pool[i].pa);
        else
            d->leaked_grants++;
    }
    d->pool_size = d->pool_nr_free = 0;
}

int blkfront_connect(struct blkdev *d, unsigned int devid, const struct blk_options *opt)
{
    static const struct blk_options none;
    if (!opt)
        opt = &none;
    memset(d, 0, sizeof(*d));
    d->devid = devid;
    snprintf(d->name, sizeof(d->name), "vbd %u", devid);
    snprintf(d->fe, sizeof(d->fe), "device/vbd/%u", devid);
    char path[96];
    snprintf(path, sizeof(path), "%s/backend", d->fe);
    if (xs_read(path, d->be, sizeof(d->be)) || !d->be[0])
        return xenbus_dev_say(d->name, -2, "no %s", path);
    d->be_id = (domid_t)xenbus_read_u64(d->fe, "backend-id", 0);

    int st = xenbus_wait_state(d->be, 1u << XenbusStateInitWait | 1u << XenbusStateConnected,
                               CONNECT_TIMEOUT_MS);
    if (st < 0)
        return xenbus_dev_say(d->name, -110, "backend %s did not reach InitWait within %u s (state %s)", d->be,
                   CONNECT_TIMEOUT_MS / 1000, xenbus_state_name(xenbus_read_state(d->be)));

    uint64_t max_order = xenbus_read_u64(d->be, "max-ring-page-order", 0);
    uint64_t max_queues = xenbus_read_u64(d->be, "multi-queue-max-queues", 1);
    uint64_t max_ind = xenbus_read_u64(d->be, "feature-max-indirect-segments", 0);
    d->order = (uint32_t)(max_order < BLK_MAX_ORDER ? max_order : BLK_MAX_ORDER);
    if (opt->max_order && d->order > opt->max_order)
        d->order = opt->max_order;
    d->nqueues = (uint32_t)(max_queues == 0 ? 1 : max_queues < BLK_MAX_QUEUES ? max_queues : BLK_MAX_QUEUES);
    if (opt->max_queues && d->nqueues > opt->max_queues)
        d->nqueues = opt->max_queues;
    d->max_segs = BLKIF_MAX_SEGMENTS_PER_REQUEST;
    if (!opt->no_indirect && max_ind > BLKIF_MAX_SEGMENTS_PER_REQUEST)
        d->max_segs = (uint32_t)(max_ind < BLK_MAX_SEGS ? max_ind : BLK_MAX_SEGS);
    /* Persistent grants: we offer them; Linux's blkback says whether it
     * takes them only when it connects (feature-persistent there). */
    d->persistent = !opt->no_persistent;

    for (uint32_t i = 0; i < d->nqueues; i++) {
        int rc = setup_queue(d, &d->q[i]);
        if (rc) {
            blkfront_disconnect(d);
            return rc;
        }
    }
    if (write_rings(d) || xenbus_switch_state(d->fe, XenbusStateInitialised)) {
        blkfront_disconnect(d);
        return xenbus_dev_say(d->name, -5, "cannot publish the rings");
    }

    st = xenbus_wait_state(d->be, 1u << XenbusStateConnected | 1u << XenbusStateClosing |
                           1u << XenbusStateClosed, CONNECT_TIMEOUT_MS);
    if (st != XenbusStateConnected) {
        blkfront_disconnect(d);
        return xenbus_dev_say(d->name, -110, "backend did not connect (state %s)", xenbus_state_name(st));
    }
    d->sectors = xenbus_read_u64(d->be, "sectors", 0);
    d->sector_size = (uint32_t)xenbus_read_u64(d->be, "sector-size", 512);
    d->readonly = xenbus_read_u64(d->be, "info", 0) & VDISK_READONLY;
    d->flush = xenbus_read_u64(d->be, "feature-flush-cache", 0) == 1 ||
               xenbus_read_u64(d->be, "feature-barrier", 0) == 1;
    d->discard = xenbus_read_u64(d->be, "feature-discard", 0) == 1;
    if (d->persistent && xenbus_read_u64(d->be, "feature-persistent", 0) != 1)
        d->persistent = false;          /* the backend did not take them */
    if (d->persistent && setup_pool(d))
        d->persistent = false;          /* too little memory: plain grants */
    if (d->sector_size != 512) {
        blkfront_disconnect(d);
        return xenbus_dev_say(d->name, -22, "sector-size %u: only 512 is supported", d->sector_size);
    }
    xenbus_switch_state(d->fe, XenbusStateConnected);
    d->connected = true;
    xenbus_dev_say(d->name, 0, "connected to %s (d%u): %lu sectors (%lu MiB)%s, %u queue(s) of %u slots "
        "(ring order %u), %u segments per request (%s), persistent grants %s (%u pages), "
        "flush %s, discard %s",
        d->be, d->be_id, (unsigned long)d->sectors, (unsigned long)(d->sectors >> 11),
        d->readonly ? " read-only" : "", d->nqueues, ring_slots(d), d->order, d->max_segs,
        d->max_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST ? "indirect" : "direct",
        d->persistent ? "on" : "off", d->pool_size, d->flush ? "yes" : "no",
        d->discard ? "yes" : "no");
    return 0;
}

int blkfront_disconnect(struct blkdev *d)
{
    int rc = 0;
    /* What is in flight ends first: the backend answers before it closes. */
    uint64_t deadline = rdtsc() + ms_to_cycles(10000);
    while (blk_inflight(d) && rdtsc() < deadline)
        if (!blk_reap(d))
            blk_wait(d, 100);
    if (blk_inflight(d))
        rc = xenbus_dev_say(d->name, -110, "%u requests still in flight at disconnect", blk_inflight(d));
    /* Closing, the backend answers Closing (Linux) or Closed (ours);
     * then Closed, and the backend unmaps the rings and says Closed: only
     * then can the grants end and the frames be reused. */
    xenbus_switch_state(d->fe, XenbusStateClosing);
    int st = xenbus_wait_state(d->be, 1u << XenbusStateClosing | 1u << XenbusStateClosed |
                               1u << XenbusStateUnknown, 10000);
    xenbus_switch_state(d->fe, XenbusStateClosed);
    if (st >= 0)
        st = xenbus_wait_state(d->be, 1u << XenbusStateClosed | 1u << XenbusStateUnknown, 10000);
    if (st < 0)
        rc = xenbus_dev_say(d->name, -110, "backend did not close (state %s)",
                 xenbus_state_name(xenbus_read_state(d->be)));
    for (uint32_t i = 0; i < d->nqueues; i++)
        free_queue(d, &d->q[i]);
    if (d->persistent)
        free_pool(d);
    d->connected = false;
    if (d->leaked_grants)
        xenbus_dev_say(d->name, 0, "%lu grants still mapped by the backend at disconnect: left granted",
            (unsigned long)d->leaked_grants);
    return rc;
}

/* ---- requests ---- */

uint32_t blk_max_bytes(const struct blkdev *d)
{
    return d->max_segs * (uint32_t)PAGE_SIZE;
}

uint32_t blk_inflight(const struct blkdev *d)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < d->nqueues; i++)
        n += d->q[i].inflight;
    return n;
}

/* Segments of [pa, pa + bytes): one per page touched. */
static uint32_t seg_count(uint64_t pa, uint32_t bytes)
{
    return (uint32_t)(((pa + bytes + PAGE_SIZE - 1) >> 12) - (pa >> 12));
}

static void ind_pages_put(struct blkdev *d, struct blk_slot *s);

/* Indirect pages: from the pool with persistent grants (the backend may
 * keep them mapped as it keeps data pages), else a frame granted read-only
 * for this request. */
static bool ind_pages_get(struct blkdev *d, struct blk_slot *s, uint32_t nind)
{
    s->nind = 0;
    if (d->persistent && d->pool_nr_free < nind)
        return false;
    for (uint32_t i = 0; i < nind; i++) {
        if (d->persistent) {
            uint32_t pi = d->pool_free[--d->pool_nr_free];
            s->ind_pa[i] = d->pool[pi].pa;
            s->ind_refs[i] = d->pool[pi].ref;
            s->ind_pool[i] = pi;
        } else {
            s->ind_pa[i] = frame_alloc();
            s->ind_refs[i] = s->ind_pa[i] ? gnttab_grant(d->be_id, s->ind_pa[i] >> 12, true) : 0;
            if (!s->ind_refs[i]) {
                if (s->ind_pa[i])
                    frame_free(s->ind_pa[i]);
                ind_pages_put(d, s);
                return false;
            }
        }
        s->nind = (uint16_t)(i + 1);
    }
    return true;
}

static void ind_pages_put(struct blkdev *d, struct blk_slot *s)
{
    for (uint32_t i = 0; i < s->nind; i++) {
        if (d->persistent)
            d->pool_free[d->pool_nr_free++] = s->ind_pool[i];
        else if (gnttab_end(s->ind_refs[i]))
            frame_free(s->ind_pa[i]);
        else
            d->leaked_grants++;
    }
    s->nind = 0;
}

static void release_slot(struct blkdev *d, struct blk_queue *q, struct blk_slot *s, bool copy_back)
{
    struct blk_io *io = s->io;
    uint64_t pa = io->pa, left = io->bytes;
    for (uint32_t i = 0; i < s->nsegs; i++) {
        uint64_t off = pa & (PAGE_SIZE - 1), n = PAGE_SIZE - off < left ? PAGE_SIZE - off : left;
        if (d->persistent) {
            if (copy_back)
                memcpy(phys(pa), (char *)phys(d->pool[s->pool[i]].pa) + off, n);
            d->pool_free[d->pool_nr_free++] = s->pool[i];
        } else if (!gnttab_end(s->refs[i])) {
            d->leaked_grants++;
        }
        pa += n;
        left -= n;
    }
    ind_pages_put(d, s);
    s->io = NULL;
    s->nsegs = s->nind = 0;
    q->free_slots[q->nr_free++] = (uint16_t)(s - q->slots);
    q->inflight--;
}

/* Grants (or pool pages) for io's pages into s: false if none left. */
static bool grant_segments(struct blkdev *d, struct blk_slot *s, struct blk_io *io,
                           struct blkif_request_segment *segs)
{
    uint64_t pa = io->pa, left = io->bytes;
    bool ro = io->op == BLKIF_OP_WRITE;
    uint32_t n = seg_count(io->pa, io->bytes);
    if (d->persistent && d->pool_nr_free < n)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t off = pa & (PAGE_SIZE - 1), len = PAGE_SIZE - off < left ? PAGE_SIZE - off : left;
        grant_ref_t ref;
        if (d->persistent) {
            uint32_t pi = d->pool_free[--d->pool_nr_free];
            s->pool[i] = pi;
            ref = d->pool[pi].ref;
            if (ro)
                memcpy((char *)phys(d->pool[pi].pa) + off, phys(pa), len);
        } else {
            ref = gnttab_grant(d->be_id, pa >> 12, ro);
            if (!ref) {
                for (uint32_t j = 0; j < i; j++)
                    gnttab_end(s->refs[j]);
                return false;
            }
        }
        s->refs[i] = ref;
        segs[i] = (struct blkif_request_segment){
            .gref = ref,
            .first_sect = (uint8_t)(off >> 9),
            .last_sect = (uint8_t)(((off + len) >> 9) - 1),
        };
        pa += len;
        left -= len;
    }
    s->nsegs = (uint16_t)n;
    return true;
}

int blk_submit(struct blkdev *d, struct blk_io *io)
{
    if (!d->connected)
        return -5;
    bool data = io->op == BLKIF_OP_READ || io->op == BLKIF_OP_WRITE;
    if ((io->op == BLKIF_OP_WRITE || io->op == BLKIF_OP_DISCARD) && d->readonly)
        return -30;
    if (data && (io->bytes == 0 || (io->bytes & 511) || (io->pa & 511) ||
                 seg_count(io->pa, io->bytes) > d->max_segs))
        return -22;
    if ((data || io->op == BLKIF_OP_DISCARD) &&
        (io->sector >= d->sectors || (io->bytes >> 9) > d->sectors - io->sector))
        return -22;
    if ((io->op == BLKIF_OP_FLUSH_DISKCACHE && !d->flush) ||
        (io->op == BLKIF_OP_DISCARD && !d->discard))
        return -95;
    if (!data && io->op != BLKIF_OP_FLUSH_DISKCACHE && io->op != BLKIF_OP_DISCARD)
        return -22;

    struct blk_queue *q = &d->q[d->next_queue];
    if (!q->nr_free || RING_FULL(&q->ring))
        return -16;
    uint16_t si = q->free_slots[q->nr_free - 1];
    struct blk_slot *s = &q->slots[si];
    uint64_t id = (uint64_t)(q - d->q) << 32 | si;
    blkif_request_t *req = RING_GET_REQUEST(&q->ring, q->ring.req_prod_pvt);
    uint32_t nsegs = data ? seg_count(io->pa, io->bytes) : 0;

    if (io->op == BLKIF_OP_DISCARD) {
        struct blkif_request_discard *r = (void *)req;
        memset(r, 0, sizeof(*r));
        r->operation = BLKIF_OP_DISCARD;
        r->handle = (blkif_vdev_t)d->devid;
        r->id = id;
        r->sector_number = io->sector;
        r->nr_sectors = io->bytes >> 9;
    } else if (nsegs <= BLKIF_MAX_SEGMENTS_PER_REQUEST) {
        struct blkif_request_segment segs[BLKIF_MAX_SEGMENTS_PER_REQUEST];
        if (data && !grant_segments(d, s, io, segs))
            return -16;
        req->operation = io->op;
        req->nr_segments = (uint8_t)nsegs;
        req->handle = (blkif_vdev_t)d->devid;
        req->id = id;
        req->sector_number = io->sector;
        memcpy(req->seg, segs, nsegs * sizeof(segs[0]));
    } else {
        uint32_t nind = (nsegs + SEGS_PER_IND_PAGE - 1) / SEGS_PER_IND_PAGE;
        if (!ind_pages_get(d, s, nind))
            return -16;
        /* The segments are written into the indirect pages before they
         * are granted to anyone who reads them: the backend sees them only
         * after the request is pushed. */
        struct blkif_request_segment *segs = phys(s->ind_pa[0]);
        if (nind > 1) {
            /* Contiguous view needed: pages are not adjacent, so fill a
             * bounce array and spread it. */
            static struct blkif_request_segment tmp[BLK_MAX_SEGS];
            segs = tmp;
        }
        if (!grant_segments(d, s, io, segs)) {
            ind_pages_put(d, s);
            return -16;
        }
        if (nind > 1)
            for (uint32_t i = 0; i < nind; i++) {
                uint32_t first = i * SEGS_PER_IND_PAGE;
                uint32_t cnt = nsegs - first < SEGS_PER_IND_PAGE ? nsegs - first : SEGS_PER_IND_PAGE;
                memcpy(phys(s->ind_pa[i]), &segs[first], cnt * sizeof(segs[0]));
            }
        struct blkif_request_indirect *r = (void *)req;
        memset(r, 0, sizeof(*r));
        r->operation = BLKIF_OP_INDIRECT;
        r->indirect_op = io->op;
        r->nr_segments = (uint16_t)nsegs;
        r->id = id;
        r->sector_number = io->sector;
        r->handle = (blkif_vdev_t)d->devid;
        for (uint32_t i = 0; i < nind; i++)
            r->indirect_grefs[i] = s->ind_refs[i];
    }
    q->nr_free--;
    s->io = io;
    io->done = false;
    q->inflight++;
    q->ring.req_prod_pvt++;
    int notify;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->ring, notify);
    if (notify)
        xev_send(q->port);
    d->next_queue = (d->next_queue + 1) % d->nqueues;
    return 0;
}

static unsigned int reap_queue(struct blkdev *d, struct blk_queue *q)
{
    unsigned int done = 0;
    int more;
    uint32_t n = ring_slots(d);
    do {
        RING_IDX prod = q->ring.sring->rsp_prod;
        xen_rmb();
        if (prod - q->ring.rsp_cons > n) {
            d->bad_responses++;
            return done;            /* a backend writing nonsense: stop reading */
        }
        while (q->ring.rsp_cons != prod) {
            blkif_response_t rsp = *RING_GET_RESPONSE(&q->ring, q->ring.rsp_cons);
            q->ring.rsp_cons++;
            uint64_t qi = rsp.id >> 32, si = rsp.id & 0xffffffffu;
            if (qi != (uint64_t)(q - d->q) || si >= n || !q->slots[si].io) {
                d->bad_responses++;
                continue;
            }
            struct blk_slot *s = &q->slots[si];
            struct blk_io *io = s->io;
            io->status = rsp.status;
            release_slot(d, q, s, io->op == BLKIF_OP_READ && rsp.status == BLKIF_RSP_OKAY);
            io->done = true;
            done++;
        }
        RING_FINAL_CHECK_FOR_RESPONSES(&q->ring, more);
    } while (more);
    return done;
}

unsigned int blk_reap(struct blkdev *d)
{
    unsigned int done = 0;
    for (uint32_t i = 0; i < d->nqueues; i++)
        if (d->q[i].ring.sring)
            done += reap_queue(d, &d->q[i]);
    return done;
}

static bool response_waiting(void *arg)
{
    struct blkdev *d = arg;
    for (uint32_t i = 0; i < d->nqueues; i++) {
        struct blk_queue *q = &d->q[i];
        if (q->ring.sring && q->ring.sring->rsp_prod != q->ring.rsp_cons)
            return true;
    }
    return false;
}

bool blk_wait(struct blkdev *d, uint64_t timeout_ms)
{
    return xev_wait(response_waiting, d, true, timeout_ms);
}

int blk_rw_sync(struct blkdev *d, uint8_t op, uint64_t sector, uint64_t pa, uint32_t bytes)
{
    struct blk_io io = { .op = op, .sector = sector, .pa = pa, .bytes = bytes };
    int rc;
    while ((rc = blk_submit(d, &io)) == -16) {
        if (!blk_reap(d))
            blk_wait(d, 1000);
    }
    if (rc)
        return rc;
    uint64_t deadline = rdtsc() + ms_to_cycles(30000);
    while (!io.done) {
        if (!blk_reap(d) && !io.done) {
            if (rdtsc() > deadline) {
                /* The slot must not point into this stack frame once we
                 * return: a late answer completes a dummy instead. */
                static struct blk_io orphan;
                for (uint32_t qi = 0; qi < d->nqueues; qi++)
                    for (uint32_t i = 0; i < ring_slots(d); i++)
                        if (d->q[qi].slots[i].io == &io)
                            d->q[qi].slots[i].io = &orphan;
                return -110;
            }
            blk_wait(d, 1000);
        }
    }
    return io.status;
}
