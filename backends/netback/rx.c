/*
 * The guest's receive ring (rx.h).
 */
#include "rx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

unsigned rx_slots_needed(size_t len, bool sg)
{
    if (len == 0)
        return 0;
    if (len <= NB_PAGE_SIZE)
        return 1;
    if (!sg)
        return 0;
    size_t n = (len + NB_PAGE_SIZE - 1) / NB_PAGE_SIZE;
    return n > NB_MAX_SLOTS ? 0 : (unsigned)n;
}

int rx_engine_init(struct rx_engine *e, netif_rx_sring_t *sring, uint16_t domid)
{
    memset(e, 0, sizeof(*e));
    e->arena = malloc(RX_ARENA_SIZE);
    if (!e->arena)
        return -ENOMEM;
    RING_IDX start = nb_read_idx(&sring->rsp_prod);
    BACK_RING_ATTACH(&e->ring, sring, start, NB_PAGE_SIZE);
    e->domid = domid;
    return 0;
}

void rx_engine_fini(struct rx_engine *e)
{
    free(e->arena);
    e->arena = NULL;
}

static void report_once(struct rx_engine *e, const char *what)
{
    if (!e->reported && e->report) {
        e->reported = true;
        e->report(e->report_ctx, what);
    }
}

/* Copies the batch, responds in the requests' slots, keeps the pending
 * frame (moved to the arena's start). */
static void flush(struct rx_engine *e, bool *notify)
{
    if (e->npkts > 0) {
        int rc = e->nsegs ? e->copy.copy(e->copy.ctx, e->nsegs, e->segs) : 0;

        for (unsigned k = 0; k < e->npkts; k++) {
            const struct rx_pkt *pkt = &e->pkts[k];
            bool ok = rc == 0;

            for (unsigned i = 0; i < pkt->nr_slots && ok; i++)
                ok = e->segs[pkt->seg_first + i].status == GNTST_okay;
            for (unsigned i = 0; i < pkt->nr_slots; i++) {
                netif_rx_response_t *rsp = RING_GET_RESPONSE(&e->ring, e->ring.rsp_prod_pvt);
                uint16_t flags = i == 0 ? pkt->flags : 0;

                if (i + 1 < pkt->nr_slots)
                    flags |= NETRXF_more_data;
                rsp->id = pkt->ids[i];
                rsp->offset = 0;
                rsp->flags = flags;
                rsp->status = ok ? (int16_t)e->segs[pkt->seg_first + i].len : NETIF_RSP_ERROR;
                e->ring.rsp_prod_pvt++;
            }
            if (ok) {
                nb_count(&e->ctr->to_guest_packets, 1);
                nb_count(&e->ctr->to_guest_bytes, pkt->len);
            } else {
                nb_count(&e->ctr->to_guest_errors, 1);
                report_once(e, rc < 0 ? "the grant copy call failed"
                                      : "an rx request whose grant the copy refused");
            }
        }
        int n;
        RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&e->ring, n);
        if (n)
            *notify = true;
    }
    e->npkts = e->nsegs = 0;
    if (e->pending && e->pending_off != 0)
        memmove(e->arena, e->arena + e->pending_off, e->pending_len);
    e->pending_off = 0;
    e->used = 0;
}

/* Takes requests for the pending frame and adds its segments. */
static void place_pending(struct rx_engine *e, unsigned slots, uint16_t flags)
{
    struct rx_pkt *pkt = &e->pkts[e->npkts++];
    uint8_t *frame = e->arena + e->pending_off + NB_VNET_HDR_LEN;
    size_t left = e->pending_len - NB_VNET_HDR_LEN;

    pkt->nr_slots = slots;
    pkt->flags = flags;
    pkt->len = left;
    pkt->seg_first = e->nsegs;
    for (unsigned i = 0; i < slots; i++) {
        netif_rx_request_t req;
        size_t chunk = left < NB_PAGE_SIZE ? left : NB_PAGE_SIZE;

        RING_COPY_REQUEST(&e->ring, e->ring.req_cons + i, &req);
        pkt->ids[i] = req.id;
        xengnttab_grant_copy_segment_t *s = &e->segs[e->nsegs++];
        s->source.virt = frame + (size_t)i * NB_PAGE_SIZE;
        s->dest.foreign.ref = req.gref;
        s->dest.foreign.offset = 0;
        s->dest.foreign.domid = e->domid;
        s->len = (uint16_t)chunk;
        s->flags = GNTCOPY_dest_gref;
        s->status = GNTST_general_error;
        left -= chunk;
    }
    e->ring.req_cons += slots;
    e->used = e->pending_off + ((e->pending_len + 7u) & ~(size_t)7u);
    e->pending = false;
}

enum nb_run rx_run(struct rx_engine *e, unsigned budget, bool *notify)
{
    const RING_IDX size = RING_SIZE(&e->ring);

    *notify = false;
    for (;;) {
        RING_IDX prod = nb_read_idx(&e->ring.sring->req_prod);

        if (prod - e->ring.req_cons > size) {
            flush(e, notify);
            snprintf(e->why, sizeof(e->why),
                     "rx req_prod %u is %u requests ahead of req_cons %u (the ring has %u)",
                     prod, prod - e->ring.req_cons, e->ring.req_cons, size);
            return NB_RUN_FATAL;
        }
        if (!e->pending) {
            if (e->npkts == RX_BATCH_PKTS || e->used + RX_READ_MAX > RX_ARENA_SIZE)
                flush(e, notify);
            if (budget == 0) {
                flush(e, notify);
                return NB_RUN_MORE;
            }
            ssize_t n = e->receive(e->receive_ctx, e->arena + e->used, RX_READ_MAX);
            if (n < 0) {
                /* -EAGAIN: the tap is empty.  Anything else the caller
                 * sees on the tap fd itself. */
                flush(e, notify);
                return NB_RUN_IDLE;
            }
            budget--;
            if ((size_t)n < NB_VNET_HDR_LEN + NB_ETH_HLEN) {
                nb_count(&e->ctr->to_guest_dropped, 1);
                continue;
            }
            e->pending = true;
            e->pending_off = e->used;
            e->pending_len = (size_t)n;
        }

        size_t len = e->pending_len - NB_VNET_HDR_LEN;
        unsigned slots = rx_slots_needed(len, e->sg);
        if (slots == 0) {
            nb_count(&e->ctr->to_guest_dropped, 1);
            report_once(e, "a frame larger than a page for a frontend without feature-sg");
            e->pending = false;
            continue;
        }
        if (prod - e->ring.req_cons < slots) {
            flush(e, notify);
            /* Wake us when enough requests are posted. */
            e->ring.sring->req_event = e->ring.req_cons + slots;
            xen_mb();
            if (nb_read_idx(&e->ring.sring->req_prod) - e->ring.req_cons < slots)
                return NB_RUN_BLOCKED;
            if (budget == 0)
                return NB_RUN_MORE;     /* a frontend that keeps moving req_prod */
            budget--;
            continue;
        }

        struct virtio_net_hdr h;
        uint16_t flags;
        const char *why = NULL;
        memcpy(&h, e->arena + e->pending_off, sizeof(h));
        if (offload_rx_flags(&h, e->arena + e->pending_off + NB_VNET_HDR_LEN, len, &e->caps,
                             &flags, &why) < 0) {
            nb_count(&e->ctr->to_guest_dropped, 1);
            report_once(e, why);
            e->pending = false;
            continue;
        }
        place_pending(e, slots, flags);
    }
}
