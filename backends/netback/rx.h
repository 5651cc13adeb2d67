/*
 * The guest's receive ring: frames read from the tap -> the pages the
 * frontend posted.
 *
 * Each frame takes one rx request per page it fills (one, without
 * feature-sg: larger frames are dropped), is grant-copied to offset 0 of
 * those pages, and is answered in the same ring slots as the requests
 * (Linux netfront relies on that, netif.h): status = bytes in that page,
 * NETRXF_more_data on all but the last, the checksum flags on the first.
 * One grant copy and one notification check per batch.
 *
 * With no (or too few) rx requests posted, a frame already read waits in
 * the engine, rx_run returns NB_RUN_BLOCKED and the caller stops reading
 * the tap until the frontend's next rx event: the kernel queues (and past
 * its queue length drops) meanwhile.
 *
 * A grant the copy refuses costs that frame (NETIF_RSP_ERROR in each of its
 * slots); req_prod more than a ring ahead of our consumer is NB_RUN_FATAL.
 */
#ifndef NB_RX_H
#define NB_RX_H

#include <sys/types.h>

#include "nb_ring.h"
#include "offload.h"

#define RX_BATCH_PKTS   64u
#define RX_BATCH_SEGS   (RX_BATCH_PKTS * NB_MAX_SLOTS)
#define RX_READ_MAX     (NB_VNET_HDR_LEN + NB_FRAME_MAX)
#define RX_ARENA_SIZE   (512u * 1024u)

struct rx_pkt {
    unsigned nr_slots;
    uint16_t flags;                  /* NETRXF_* for the first slot */
    size_t len;                      /* frame bytes, without virtio_net_hdr */
    uint16_t ids[NB_MAX_SLOTS];      /* the requests' ids, copied once */
    unsigned seg_first;
};

struct rx_engine {
    netif_rx_back_ring_t ring;
    uint16_t domid;
    bool sg;                         /* frontend's feature-sg */
    struct offload_rx_caps caps;
    struct nb_copy_ops copy;
    /* Reads one frame (virtio_net_hdr first) into buf; its length, or
     * -EAGAIN when there is none, or another -errno. */
    ssize_t (*receive)(void *ctx, void *buf, size_t cap);
    void *receive_ctx;
    struct nb_counters *ctr;
    void (*report)(void *ctx, const char *what);
    void *report_ctx;
    bool reported;
    char why[192];                   /* NB_RUN_FATAL: the reason */

    uint8_t *arena;                  /* RX_ARENA_SIZE bytes */
    size_t used;
    unsigned npkts, nsegs;
    bool pending;                    /* a frame read, waiting for requests */
    size_t pending_off, pending_len; /* in arena; len includes the header */
    xengnttab_grant_copy_segment_t segs[RX_BATCH_SEGS];
    struct rx_pkt pkts[RX_BATCH_PKTS];
};

/* Slots a frame of len bytes takes; 0 if it cannot be carried. */
unsigned rx_slots_needed(size_t len, bool sg);

int rx_engine_init(struct rx_engine *e, netif_rx_sring_t *sring, uint16_t domid);
void rx_engine_fini(struct rx_engine *e);

/* Moves up to budget frames; *notify set if the frontend must be told. */
enum nb_run rx_run(struct rx_engine *e, unsigned budget, bool *notify);

#endif
