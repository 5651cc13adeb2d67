/*
 * The guest's transmit ring: requests -> frames written to the tap.
 *
 * One run takes as many whole packets as are published (up to a budget),
 * grant-copies all of them in one call into a local arena, gives each frame
 * with its virtio_net_hdr to deliver(), writes one response per request
 * slot consumed (extra-info slots get NETIF_RSP_NULL) and pushes them with
 * one notification check.
 *
 * Every request is copied out of the shared ring once (tx_parse) and only
 * the copy is looked at.  What a bad request costs the frontend:
 *   one packet, NETIF_RSP_ERROR:  a slot whose offset + size passes the
 *       page, fragments larger than the packet's size, a packet shorter
 *       than an Ethernet header, a grant the copy refuses, bad offload
 *       metadata (tx_pkt.why says which);
 *   the vif (NB_RUN_FATAL, tx_engine.why):  req_prod more than a ring
 *       ahead of our consumer, a packet of more than NB_MAX_SLOTS data
 *       slots, or one that fills the whole ring without ending, an extra
 *       info of unknown type or more than NB_MAX_EXTRAS of them.
 */
#ifndef NB_TX_H
#define NB_TX_H

#include "nb_ring.h"

#define TX_BATCH_PKTS   64u
#define TX_BATCH_SEGS   (TX_BATCH_PKTS * NB_MAX_SLOTS)
/* Frames copied per batch: a batch always has room for one largest. */
#define TX_ARENA_SIZE   (512u * 1024u)

/* One packet as parsed from the ring: local copies of its requests. */
struct tx_pkt {
    RING_IDX first;                  /* ring index of its first request */
    unsigned nr_reqs;                /* slots it takes: data + extras */
    unsigned nr_data;
    netif_tx_request_t data[NB_MAX_SLOTS];
    /* For each slot in ring order: index into data[], or -1 (extra). */
    int8_t slot_data[NB_MAX_SLOTS + NB_MAX_EXTRAS];
    bool has_gso;
    struct netif_extra_info gso;
    bool mcast;                      /* a multicast-filter control request */
    int16_t status;                  /* NETIF_RSP_OKAY until something fails */
    const char *why;                 /* reason for a non-OKAY status */
    /* Set by the batch: where its frame is, which segments copy it. */
    uint8_t *buf;                    /* virtio_net_hdr, then the frame */
    unsigned seg_first, nr_segs;
};

enum tx_parse_result {
    TX_PARSE_OK,          /* *pkt is a whole packet (its status may be ERROR) */
    TX_PARSE_INCOMPLETE,  /* the packet is not all published yet */
    TX_PARSE_FATAL,       /* the ring is broken; why says how */
};

/*
 * Parses the packet starting at cons, with requests published up to prod
 * (prod - cons <= ring size, checked by the caller).  Reads each request
 * slot once.  Does not consume.
 */
enum tx_parse_result tx_parse(const netif_tx_back_ring_t *ring, RING_IDX cons, RING_IDX prod,
                              struct tx_pkt *pkt, char *why, size_t whylen);

/* The length of the first slot's data (the rest is in the fragments). */
unsigned tx_first_len(const struct tx_pkt *pkt);

struct tx_engine {
    netif_tx_back_ring_t ring;
    uint16_t domid;
    struct nb_copy_ops copy;
    /* Takes one frame (virtio_net_hdr + Ethernet frame); 0 or -errno. */
    int (*deliver)(void *ctx, const void *buf, size_t len);
    void *deliver_ctx;
    struct nb_counters *ctr;
    /* The first per-packet error of this connection, for one log line. */
    void (*report)(void *ctx, const char *what);
    void *report_ctx;
    bool reported;
    char why[192];                  /* NB_RUN_FATAL: the reason */

    uint8_t *arena;                 /* TX_ARENA_SIZE bytes */
    xengnttab_grant_copy_segment_t segs[TX_BATCH_SEGS];
    struct tx_pkt pkts[TX_BATCH_PKTS];
};

/* Attaches to a shared ring, resuming at its rsp_prod (0 for a new ring,
 * where a restarted daemon left off otherwise).  0 or -ENOMEM. */
int tx_engine_init(struct tx_engine *e, netif_tx_sring_t *sring, uint16_t domid);
void tx_engine_fini(struct tx_engine *e);

/* Processes up to budget packets; *notify is set if the frontend must be
 * told about responses. */
enum nb_run tx_run(struct tx_engine *e, unsigned budget, bool *notify);

#endif
