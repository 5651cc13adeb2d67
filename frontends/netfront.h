/*
 * netfront: a virtual NIC on Xen's netif protocol (<xen/io/netif.h>): one
 * tx and one rx ring of one page each, a copying receiver
 * (request-rx-copy), one page per frame each way.
 */
#ifndef NETFRONT_H
#define NETFRONT_H

#include "svfront.h"
#include <xen/io/netif.h>

#define NET_TX_SLOTS    __CONST_RING_SIZE(netif_tx, PAGE_SIZE)
#define NET_RX_SLOTS    __CONST_RING_SIZE(netif_rx, PAGE_SIZE)
#define NET_MAX_FRAME   1514u

struct netdev {
    unsigned int handle;
    char name[16];                      /* "vbd 51712", "vif 0": for messages */
    char fe[64], be[128];
    domid_t be_id;
    uint8_t mac[6];
    netif_tx_front_ring_t tx;
    netif_rx_front_ring_t rx;
    grant_ref_t tx_ring_ref, rx_ring_ref;
    evtchn_port_t port;
    /* One page per slot, granted once for the device's life. */
    uint64_t tx_pa[NET_TX_SLOTS], rx_pa[NET_RX_SLOTS];
    grant_ref_t tx_ref[NET_TX_SLOTS], rx_ref[NET_RX_SLOTS];
    uint16_t tx_free[NET_TX_SLOTS];
    uint32_t tx_nr_free;
    bool csum_offload;                  /* the backend fills checksums we leave blank */
    bool connected;
    uint64_t tx_frames, rx_frames, tx_errors, rx_errors, rx_dropped, bad_responses;
};

/* rx_flags for the receive callback: NETRXF_* as the backend gave them. */
typedef void (*net_rx_fn)(void *ctx, const void *frame, size_t len, unsigned int rx_flags);

int netfront_connect(struct netdev *n, unsigned int handle);
int netfront_disconnect(struct netdev *n);
/* Queue one frame (tx_flags: NETTXF_csum_blank etc.); 0, -EBUSY (ring full:
 * netfront_poll first), -EINVAL. */
int netfront_send(struct netdev *n, const void *frame, size_t len, unsigned int tx_flags);
/* Takes tx completions and every received frame (fn for each, then the
 * rx slot goes back to the backend): frames received. */
unsigned int netfront_poll(struct netdev *n, net_rx_fn fn, void *ctx);
/* Sleeps until the backend answered or sent something; false on timeout. */
bool netfront_wait(struct netdev *n, uint64_t timeout_ms);
/* The first handle under device/vif, or -1. */
int netfront_first_handle(void);

#endif
