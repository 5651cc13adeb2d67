/*
 * netfront (netfront.h): what Linux's xen-netfront does with one queue and
 * no scatter-gather, for one CPU.
 *
 * Handshake (<xen/io/netif.h>): the backend writes its features and goes to
 * InitWait; we grant a tx and an rx ring page, bind an unbound event
 * channel to the backend, write tx-ring-ref, rx-ring-ref, event-channel,
 * request-rx-copy (the backend copies frames into pages we post: the only
 * receive mode Linux still supports) and feature-rx-notify, and go to
 * Connected; the backend follows.
 *
 * Every slot has its own page, granted once: tx pages read-only (we copy
 * the frame in, the backend copies it out), rx pages writable (the backend
 * copies frames in).  A backend that does grant copy never maps them, so
 * keeping the grants costs nothing and saves a grant per frame.
 */
#include "netfront.h"

#define CONNECT_TIMEOUT_MS 30000

int netfront_first_handle(void)
{
    return xenbus_first_device("vif");
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);
        if (hi < 0 || lo < 0 || (i < 5 && s[2] != ':') || (i == 5 && s[2] != '\0'))
            return false;
        mac[i] = (uint8_t)(hi << 4 | lo);
        s += 3;
    }
    return true;
}

static void post_rx(struct netdev *n, uint16_t id)
{
    netif_rx_request_t *r = RING_GET_REQUEST(&n->rx, n->rx.req_prod_pvt);
    r->id = id;
    r->gref = n->rx_ref[id];
    n->rx.req_prod_pvt++;
}

static void free_pages(struct netdev *n)
{
    for (uint32_t i = 0; i < NET_TX_SLOTS; i++)
        if (n->tx_pa[i] && gnttab_end(n->tx_ref[i]))
            frame_free(n->tx_pa[i]);
    for (uint32_t i = 0; i < NET_RX_SLOTS; i++)
        if (n->rx_pa[i] && gnttab_end(n->rx_ref[i]))
            frame_free(n->rx_pa[i]);
    if (n->tx.sring && gnttab_end(n->tx_ring_ref))
        frame_free((uint64_t)(uintptr_t)n->tx.sring);
    if (n->rx.sring && gnttab_end(n->rx_ring_ref))
        frame_free((uint64_t)(uintptr_t)n->rx.sring);
    if (n->port)
        xev_close(n->port);
}

static int setup_rings(struct netdev *n)
{
    uint64_t tx = frame_alloc_zero(), rx = frame_alloc_zero();
    if (!tx || !rx)
        return xenbus_dev_say(n->name, -12, "no memory for the rings");
    SHARED_RING_INIT((netif_tx_sring_t *)phys(tx));
    SHARED_RING_INIT((netif_rx_sring_t *)phys(rx));
    FRONT_RING_INIT(&n->tx, (netif_tx_sring_t *)phys(tx), PAGE_SIZE);
    FRONT_RING_INIT(&n->rx, (netif_rx_sring_t *)phys(rx), PAGE_SIZE);
    n->tx_ring_ref = gnttab_grant(n->be_id, tx >> 12, false);
    n->rx_ring_ref = gnttab_grant(n->be_id, rx >> 12, false);
    if (!n->tx_ring_ref || !n->rx_ring_ref)
        return xenbus_dev_say(n->name, -28, "out of grant refs");
    for (uint32_t i = 0; i < NET_TX_SLOTS; i++) {
        n->tx_pa[i] = frame_alloc();
        n->tx_ref[i] = n->tx_pa[i] ? gnttab_grant(n->be_id, n->tx_pa[i] >> 12, true) : 0;
        if (!n->tx_ref[i])
            return xenbus_dev_say(n->name, -12, "no memory or grants for tx buffers");
        n->tx_free[n->tx_nr_free++] = (uint16_t)i;
    }
    for (uint32_t i = 0; i < NET_RX_SLOTS; i++) {
        n->rx_pa[i] = frame_alloc();
        n->rx_ref[i] = n->rx_pa[i] ? gnttab_grant(n->be_id, n->rx_pa[i] >> 12, false) : 0;
        if (!n->rx_ref[i])
            return xenbus_dev_say(n->name, -12, "no memory or grants for rx buffers");
        post_rx(n, (uint16_t)i);
    }
    int rc = xev_alloc_unbound(n->be_id, &n->port);
    if (rc)
        return xenbus_dev_say(n->name, rc, "EVTCHNOP_alloc_unbound to d%u: %d", n->be_id, rc);
    return 0;
}

int netfront_connect(struct netdev *n, unsigned int handle)
{
    memset(n, 0, sizeof(*n));
    n->handle = handle;
    snprintf(n->name, sizeof(n->name), "vif %u", handle);
    snprintf(n->fe, sizeof(n->fe), "device/vif/%u", handle);
    char path[96], mac[32];
    snprintf(path, sizeof(path), "%s/backend", n->fe);
    if (xs_read(path, n->be, sizeof(n->be)) || !n->be[0])
        return xenbus_dev_say(n->name, -2, "no %s", path);
    n->be_id = (domid_t)xenbus_read_u64(n->fe, "backend-id", 0);
    snprintf(path, sizeof(path), "%s/mac", n->fe);
    if (xs_read(path, mac, sizeof(mac)) || !parse_mac(mac, n->mac))
        return xenbus_dev_say(n->name, -22, "no usable MAC in %s", path);

    int st = xenbus_wait_state(n->be, 1u << XenbusStateInitWait | 1u << XenbusStateConnected,
                               CONNECT_TIMEOUT_MS);
    if (st < 0)
        return xenbus_dev_say(n->name, -110, "backend %s did not reach InitWait (state %s)", n->be,
                   xenbus_state_name(xenbus_read_state(n->be)));
    if (xenbus_read_u64(n->be, "feature-rx-copy", 0) != 1)
        return xenbus_dev_say(n->name, -95, "the backend does not offer feature-rx-copy");
    n->csum_offload = true;             /* netif.h: offload is the default unless we say no */

    int rc = setup_rings(n);
    if (rc) {
        free_pages(n);
        return rc;
    }
    int push;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&n->rx, push);
    (void)push;                         /* the backend has not looked yet */
    /* Linux's netfront talk_to_netback() node names. */
    rc = xenbus_printf(n->fe, "tx-ring-ref", "%u", n->tx_ring_ref) |
         xenbus_printf(n->fe, "rx-ring-ref", "%u", n->rx_ring_ref) |
         xenbus_printf(n->fe, "event-channel", "%u", n->port) |
         xenbus_printf(n->fe, "request-rx-copy", "1") |
         xenbus_printf(n->fe, "feature-rx-notify", "1") |
         xenbus_printf(n->fe, "feature-sg", "0") |
         xenbus_printf(n->fe, "feature-gso-tcpv4", "0") |
         xenbus_printf(n->fe, "feature-no-csum-offload", "0");
    if (rc || xenbus_switch_state(n->fe, XenbusStateConnected)) {
        free_pages(n);
        return xenbus_dev_say(n->name, -5, "cannot publish the rings");
    }
    st = xenbus_wait_state(n->be, 1u << XenbusStateConnected | 1u << XenbusStateClosing |
                           1u << XenbusStateClosed, CONNECT_TIMEOUT_MS);
    if (st != XenbusStateConnected) {
        xenbus_switch_state(n->fe, XenbusStateClosed);
        free_pages(n);
        return xenbus_dev_say(n->name, -110, "backend did not connect (state %s)", xenbus_state_name(st));
    }
    n->connected = true;
    xenbus_dev_say(n->name, 0, "connected to %s (d%u): MAC %02x:%02x:%02x:%02x:%02x:%02x, %u tx and %u rx slots, "
        "event channel %u", n->be, n->be_id, n->mac[0], n->mac[1], n->mac[2], n->mac[3],
        n->mac[4], n->mac[5], (unsigned)NET_TX_SLOTS, (unsigned)NET_RX_SLOTS, n->port);
    return 0;
}

int netfront_disconnect(struct netdev *n)
{
    /* As blkfront_disconnect: Closing, the backend's answer, Closed, and
     * the grants end once the backend has said Closed (unmapped). */
    xenbus_switch_state(n->fe, XenbusStateClosing);
    int st = xenbus_wait_state(n->be, 1u << XenbusStateClosing | 1u << XenbusStateClosed |
                               1u << XenbusStateUnknown, 10000);
    xenbus_switch_state(n->fe, XenbusStateClosed);
    if (st >= 0)
        st = xenbus_wait_state(n->be, 1u << XenbusStateClosed | 1u << XenbusStateUnknown, 10000);
    free_pages(n);
    n->connected = false;
    xenbus_dev_say(n->name, 0, "closed: %lu frames sent, %lu received, %lu rx dropped, %lu errors",
        (unsigned long)n->tx_frames, (unsigned long)n->rx_frames, (unsigned long)n->rx_dropped,
        (unsigned long)(n->tx_errors + n->rx_errors));
    return st < 0 ? -110 : 0;
}

int netfront_send(struct netdev *n, const void *frame, size_t len, unsigned int tx_flags)
{
    if (!n->connected)
        return -5;
    if (len < 14 || len > NET_MAX_FRAME)
        return -22;
    if (!n->tx_nr_free || RING_FULL(&n->tx))
        return -16;
    uint16_t id = n->tx_free[--n->tx_nr_free];
    memcpy(phys(n->tx_pa[id]), frame, len);
    netif_tx_request_t *r = RING_GET_REQUEST(&n->tx, n->tx.req_prod_pvt);
    r->gref = n->tx_ref[id];
    r->offset = 0;
    r->flags = (uint16_t)(tx_flags & (NETTXF_csum_blank | NETTXF_data_validated));
    r->id = id;
    r->size = (uint16_t)len;
    n->tx.req_prod_pvt++;
    int notify;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&n->tx, notify);
    if (notify)
        xev_send(n->port);
    return 0;
}

static void reap_tx(struct netdev *n)
{
    int more;
    do {
        RING_IDX prod = n->tx.sring->rsp_prod;
        xen_rmb();
        if (prod - n->tx.rsp_cons > NET_TX_SLOTS) {
            n->bad_responses++;
            return;
        }
        while (n->tx.rsp_cons != prod) {
            netif_tx_response_t rsp = *RING_GET_RESPONSE(&n->tx, n->tx.rsp_cons);
            n->tx.rsp_cons++;
            if (rsp.status == NETIF_RSP_NULL)
                continue;                   /* the slot of an extra-info request */
            if (rsp.id >= NET_TX_SLOTS || n->tx_nr_free >= NET_TX_SLOTS) {
                n->bad_responses++;
                continue;
            }
            if (rsp.status == NETIF_RSP_OKAY)
                n->tx_frames++;
            else
                n->tx_errors++;
            n->tx_free[n->tx_nr_free++] = rsp.id;
        }
        RING_FINAL_CHECK_FOR_RESPONSES(&n->tx, more);
    } while (more);
}

unsigned int netfront_poll(struct netdev *n, net_rx_fn fn, void *ctx)
{
    unsigned int got = 0;
    bool posted = false, skipping = false;
    int more;
    if (!n->connected)
        return 0;
    reap_tx(n);
    do {
        RING_IDX prod = n->rx.sring->rsp_prod;
        xen_rmb();
        if (prod - n->rx.rsp_cons > NET_RX_SLOTS) {
            n->bad_responses++;
            return got;
        }
        while (n->rx.rsp_cons != prod) {
            netif_rx_response_t rsp = *RING_GET_RESPONSE(&n->rx, n->rx.rsp_cons);
            n->rx.rsp_cons++;
            if (rsp.id >= NET_RX_SLOTS) {
                n->bad_responses++;
                continue;               /* cannot repost what we cannot name */
            }
            /* Without feature-sg a frame takes one slot: a chain
             * (more_data) or extra info is dropped whole. */
            bool chained = rsp.flags & (NETRXF_more_data | NETRXF_extra_info);
            if (skipping || chained) {
                n->rx_dropped++;
                skipping = rsp.flags & NETRXF_more_data;
            } else if (rsp.status <= 0) {
                n->rx_errors++;
            } else if ((uint32_t)rsp.offset + (uint32_t)rsp.status > PAGE_SIZE) {
                n->bad_responses++;
            } else {
                n->rx_frames++;
                got++;
                if (fn)
                    fn(ctx, (char *)phys(n->rx_pa[rsp.id]) + rsp.offset, (size_t)rsp.status,
                       rsp.flags);
            }
            post_rx(n, rsp.id);
            posted = true;
        }
        RING_FINAL_CHECK_FOR_RESPONSES(&n->rx, more);
    } while (more);
    if (posted) {
        int notify;
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&n->rx, notify);
        if (notify)
            xev_send(n->port);
    }
    return got;
}

static bool net_work(void *arg)
{
    struct netdev *n = arg;
    return n->rx.sring->rsp_prod != n->rx.rsp_cons || n->tx.sring->rsp_prod != n->tx.rsp_cons;
}

bool netfront_wait(struct netdev *n, uint64_t timeout_ms)
{
    if (!n->connected)
        return false;
    return xev_wait(net_work, n, true, timeout_ms);
}
