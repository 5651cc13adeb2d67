/*
 * The guest's transmit ring (tx.h).
 */
#include "tx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "offload.h"

static enum tx_parse_result fatal(char *why, size_t whylen, const char *fmt, unsigned a,
                                  unsigned b)
{
    snprintf(why, whylen, fmt, a, b);
    return TX_PARSE_FATAL;
}

static void pkt_error(struct tx_pkt *pkt, const char *why)
{
    if (pkt->status == NETIF_RSP_OKAY) {
        pkt->status = NETIF_RSP_ERROR;
        pkt->why = why;
    }
}

unsigned tx_first_len(const struct tx_pkt *pkt)
{
    unsigned rest = 0;

    for (unsigned i = 1; i < pkt->nr_data; i++)
        rest += pkt->data[i].size;
    return rest > pkt->data[0].size ? 0 : pkt->data[0].size - rest;
}

/* The per-packet checks, on the local copies. */
static void validate(struct tx_pkt *pkt)
{
    unsigned rest = 0;

    if (pkt->mcast)
        return;         /* a control request: its data slot is not used */
    for (unsigned i = 1; i < pkt->nr_data; i++)
        rest += pkt->data[i].size;
    if (rest > pkt->data[0].size) {
        pkt_error(pkt, "fragment sizes add up to more than the packet's size");
        return;
    }
    if (pkt->data[0].size < NB_ETH_HLEN) {
        pkt_error(pkt, "packet shorter than an Ethernet header (size 0?)");
        return;
    }
    for (unsigned i = 0; i < pkt->nr_data; i++) {
        unsigned len = i == 0 ? pkt->data[0].size - rest : pkt->data[i].size;
        if ((unsigned)pkt->data[i].offset + len > NB_PAGE_SIZE) {
            pkt_error(pkt, "a slot's offset + size passes the end of its page");
            return;
        }
    }
}

enum tx_parse_result tx_parse(const netif_tx_back_ring_t *ring, RING_IDX cons, RING_IDX prod,
                              struct tx_pkt *pkt, char *why, size_t whylen)
{
    RING_IDX avail = prod - cons;
    netif_tx_request_t req;

    pkt->first = cons;
    pkt->nr_reqs = pkt->nr_data = 0;
    pkt->has_gso = pkt->mcast = false;
    pkt->status = NETIF_RSP_OKAY;
    pkt->why = NULL;
    pkt->buf = NULL;
    pkt->seg_first = pkt->nr_segs = 0;
    if (avail == 0)
        return TX_PARSE_INCOMPLETE;

    RING_COPY_REQUEST(ring, cons, &req);
    pkt->data[pkt->nr_data] = req;
    pkt->slot_data[pkt->nr_reqs++] = (int8_t)pkt->nr_data++;

    if (req.flags & NETTXF_extra_info) {
        unsigned extras = 0;
        for (;;) {
            netif_tx_request_t raw;
            struct netif_extra_info x;

            if (pkt->nr_reqs >= avail)
                return TX_PARSE_INCOMPLETE;
            RING_COPY_REQUEST(ring, cons + pkt->nr_reqs, &raw);
            memcpy(&x, &raw, sizeof(x));
            if (x.type == XEN_NETIF_EXTRA_TYPE_NONE || x.type >= XEN_NETIF_EXTRA_TYPE_MAX)
                return fatal(why, whylen, "tx request %u: extra info of unknown type %u",
                             cons + pkt->nr_reqs, x.type);
            if (++extras > NB_MAX_EXTRAS)
                return fatal(why, whylen, "tx request %u: more than %u extra info slots", cons,
                             NB_MAX_EXTRAS);
            pkt->slot_data[pkt->nr_reqs++] = -1;
            if (x.type == XEN_NETIF_EXTRA_TYPE_GSO) {
                pkt->has_gso = true;
                pkt->gso = x;
            } else if (x.type == XEN_NETIF_EXTRA_TYPE_MCAST_ADD ||
                       x.type == XEN_NETIF_EXTRA_TYPE_MCAST_DEL) {
                pkt->mcast = true;      /* we filter nothing: accepted, ignored */
            }                           /* HASH: a hint we do not use */
            if (!(x.flags & XEN_NETIF_EXTRA_FLAG_MORE))
                break;
        }
    }

    while (req.flags & NETTXF_more_data) {
        if (pkt->nr_data >= NB_MAX_SLOTS)
            return fatal(why, whylen, "tx request %u: packet of more than %u slots", cons,
                         NB_MAX_SLOTS);
        if (pkt->nr_reqs >= avail)
            return TX_PARSE_INCOMPLETE;
        RING_COPY_REQUEST(ring, cons + pkt->nr_reqs, &req);
        pkt->data[pkt->nr_data] = req;
        pkt->slot_data[pkt->nr_reqs++] = (int8_t)pkt->nr_data++;
    }
    validate(pkt);
    return TX_PARSE_OK;
}

int tx_engine_init(struct tx_engine *e, netif_tx_sring_t *sring, uint16_t domid)
{
    memset(e, 0, sizeof(*e));
    e->arena = malloc(TX_ARENA_SIZE);
    if (!e->arena)
        return -ENOMEM;
    RING_IDX start = nb_read_idx(&sring->rsp_prod);
    BACK_RING_ATTACH(&e->ring, sring, start, NB_PAGE_SIZE);
    e->domid = domid;
    return 0;
}

void tx_engine_fini(struct tx_engine *e)
{
    free(e->arena);
    e->arena = NULL;
}

/* Segments copying pkt's slots into pkt->buf after the header. */
static void build_segs(struct tx_engine *e, struct tx_pkt *pkt, unsigned *nsegs)
{
    size_t off = NB_VNET_HDR_LEN;

    pkt->seg_first = *nsegs;
    for (unsigned i = 0; i < pkt->nr_data; i++) {
        unsigned len = i == 0 ? tx_first_len(pkt) : pkt->data[i].size;
        if (len == 0)
            continue;
        xengnttab_grant_copy_segment_t *s = &e->segs[(*nsegs)++];
        s->source.foreign.ref = pkt->data[i].gref;
        s->source.foreign.offset = pkt->data[i].offset;
        s->source.foreign.domid = e->domid;
        s->dest.virt = pkt->buf + off;
        s->len = (uint16_t)len;
        s->flags = GNTCOPY_source_gref;
        s->status = GNTST_general_error;
        off += len;
    }
    pkt->nr_segs = *nsegs - pkt->seg_first;
}

static void respond(struct tx_engine *e, const struct tx_pkt *pkt)
{
    for (unsigned i = 0; i < pkt->nr_reqs; i++) {
        netif_tx_response_t *rsp = RING_GET_RESPONSE(&e->ring, e->ring.rsp_prod_pvt);
        int d = pkt->slot_data[i];

        rsp->id = d >= 0 ? pkt->data[d].id : 0;
        rsp->status = d >= 0 ? pkt->status : NETIF_RSP_NULL;
        e->ring.rsp_prod_pvt++;
    }
}

/* Copies the batch, hands its frames on, responds. */
static void finish_batch(struct tx_engine *e, unsigned npkts, unsigned nsegs, bool *notify)
{
    int rc = 0;

    if (npkts == 0)
        return;
    if (nsegs > 0)
        rc = e->copy.copy(e->copy.ctx, nsegs, e->segs);

    for (unsigned k = 0; k < npkts; k++) {
        struct tx_pkt *pkt = &e->pkts[k];

        if (pkt->status == NETIF_RSP_OKAY && !pkt->mcast) {
            size_t len = pkt->data[0].size;
            struct virtio_net_hdr h;
            const char *why = NULL;

            if (rc < 0)
                pkt_error(pkt, "the grant copy call failed");
            for (unsigned s = 0; s < pkt->nr_segs && pkt->status == NETIF_RSP_OKAY; s++)
                if (e->segs[pkt->seg_first + s].status != GNTST_okay)
                    pkt_error(pkt, "a grant the copy refused (bad reference or domain?)");
            if (pkt->status == NETIF_RSP_OKAY &&
                offload_tx_hdr(pkt->data[0].flags, pkt->has_gso ? &pkt->gso : NULL,
                               pkt->buf + NB_VNET_HDR_LEN, len, &h, &why) < 0)
                pkt_error(pkt, why);
            if (pkt->status == NETIF_RSP_OKAY) {
                memcpy(pkt->buf, &h, sizeof(h));
                if (e->deliver(e->deliver_ctx, pkt->buf, NB_VNET_HDR_LEN + len) < 0) {
                    pkt->status = NETIF_RSP_DROPPED;
                    nb_count(&e->ctr->from_guest_dropped, 1);
                } else {
                    nb_count(&e->ctr->from_guest_packets, 1);
                    nb_count(&e->ctr->from_guest_bytes, len);
                }
            }
        }
        if (pkt->status == NETIF_RSP_ERROR) {
            nb_count(&e->ctr->from_guest_errors, 1);
            if (!e->reported && e->report) {
                e->reported = true;
                e->report(e->report_ctx, pkt->why);
            }
        }
        respond(e, pkt);
    }
    int n;
    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&e->ring, n);
    if (n)
        *notify = true;
}

enum nb_run tx_run(struct tx_engine *e, unsigned budget, bool *notify)
{
    const RING_IDX size = RING_SIZE(&e->ring);

    *notify = false;
    for (;;) {
        RING_IDX prod = nb_read_idx(&e->ring.sring->req_prod);
        unsigned npkts = 0, nsegs = 0;
        size_t used = 0;
        bool broken = false, incomplete = false, full = false;

        if (prod - e->ring.req_cons > size) {
            snprintf(e->why, sizeof(e->why),
                     "tx req_prod %u is %u requests ahead of req_cons %u (the ring has %u)",
                     prod, prod - e->ring.req_cons, e->ring.req_cons, size);
            return NB_RUN_FATAL;
        }
        while (e->ring.req_cons != prod) {
            if (npkts == TX_BATCH_PKTS || budget == 0) {
                full = true;
                break;
            }
            struct tx_pkt *pkt = &e->pkts[npkts];
            enum tx_parse_result r = tx_parse(&e->ring, e->ring.req_cons, prod, pkt, e->why,
                                              sizeof(e->why));
            if (r == TX_PARSE_FATAL) {
                broken = true;
                break;
            }
            if (r == TX_PARSE_INCOMPLETE) {
                if (npkts == 0 && prod - e->ring.req_cons >= size) {
                    snprintf(e->why, sizeof(e->why),
                             "tx request %u: a packet fills the ring and does not end",
                             e->ring.req_cons);
                    broken = true;
                }
                incomplete = true;
                break;
            }
            if (pkt->status == NETIF_RSP_OKAY && !pkt->mcast) {
                size_t need = (NB_VNET_HDR_LEN + pkt->data[0].size + 7u) & ~(size_t)7u;
                if (used + need > TX_ARENA_SIZE || nsegs + pkt->nr_data > TX_BATCH_SEGS) {
                    full = true;
                    break;
                }
                pkt->buf = e->arena + used;
                used += need;
                build_segs(e, pkt, &nsegs);
            }
            e->ring.req_cons += pkt->nr_reqs;
            npkts++;
            budget--;
        }
        finish_batch(e, npkts, nsegs, notify);
        if (broken)
            return NB_RUN_FATAL;
        if (incomplete) {
            /* Wake us when the rest of the packet is published. */
            e->ring.sring->req_event = prod + 1;
            xen_mb();
            if (nb_read_idx(&e->ring.sring->req_prod) == prod)
                return NB_RUN_IDLE;
            if (budget == 0)
                return NB_RUN_MORE;     /* a frontend that keeps moving req_prod */
            budget--;
            continue;
        }
        if (full) {
            if (budget == 0)
                return NB_RUN_MORE;
            continue;
        }
        int more;
        RING_FINAL_CHECK_FOR_REQUESTS(&e->ring, more);
        if (!more)
            return NB_RUN_IDLE;
        if (budget == 0)
            return NB_RUN_MORE;
    }
}
