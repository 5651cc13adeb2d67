/*
 * udp_bench: a UDP traffic generator and sink on top of netstack, for
 * measuring the netfront/netback path.  Only netstack's API and clock.
 *
 * Each datagram's payload starts with a 24-byte header, big-endian:
 *   0 magic "SVB1"   4 run id   8 seq (0..count-1)   12 count   16 tx time (ns)
 * and is filled up to the requested size with bytes (uint8_t)(offset).
 */
#ifndef SV_UDP_BENCH_H
#define SV_UDP_BENCH_H

#include "netstack.h"

#define UDP_BENCH_MAGIC   0x53564231u     /* "SVB1" */
#define UDP_BENCH_HDR     24
#define UDP_BENCH_BURST   32              /* datagrams per udp_bench_tx_poll at most */
#define UDP_BENCH_WINDOW  4096            /* reordering the receiver can tell from loss */

struct udp_bench_tx_cfg {
    uint32_t dst_ip;
    uint16_t src_port, dst_port;
    uint32_t count;                       /* datagrams to send, >= 1 */
    uint32_t size;                        /* UDP payload, UDP_BENCH_HDR..NETSTACK_UDP_MAX_PAYLOAD */
    uint32_t rate_pps;                    /* 0: as fast as the link takes them */
    uint32_t run_id;
    unsigned flags;                       /* for netstack_udp_send: NETSTACK_CSUM_BLANK */
};

struct udp_bench_tx {
    struct netstack *ns;
    struct udp_bench_tx_cfg cfg;
    uint32_t next_seq;                    /* == datagrams sent */
    uint64_t bytes;                       /* payload bytes sent */
    uint64_t retries;                     /* sends refused for now (ring full, ARP) */
    uint64_t start_ns, end_ns;            /* first and last datagram sent */
    int error;                            /* the hard error that stopped the run */
    uint8_t payload[NETSTACK_UDP_MAX_PAYLOAD];
};

/* EINVAL on a bad cfg. */
int udp_bench_tx_init(struct udp_bench_tx *tx, struct netstack *ns,
                      const struct udp_bench_tx_cfg *cfg);
/*
 * Send the datagrams that are due now, at most UDP_BENCH_BURST, stopping
 * early when the link is full or ARP is pending (both retried on the next
 * call).  Returns 1 when all have been sent, 0 if more remain, or the
 * negative netstack error that ended the run.  Call it in the loop that
 * also feeds received frames to netstack_input.
 */
int udp_bench_tx_poll(struct udp_bench_tx *tx);

struct udp_bench_rx {
    struct netstack *ns;
    uint16_t port;
    bool started;
    uint32_t run_id;                      /* 0 at init: the first run seen */
    uint32_t count;                       /* from the sender's header */
    uint32_t expected;                    /* highest seq seen + 1 */
    uint64_t received;                    /* distinct datagrams */
    uint64_t bytes;                       /* their payload bytes */
    uint64_t first_bytes;                 /* of the first one to arrive */
    uint64_t out_of_order, duplicates;
    uint64_t late;                        /* more than WINDOW behind: not counted */
    uint64_t foreign;                     /* not ours: short, bad magic, other run */
    uint64_t first_ns, last_ns;           /* receive times */
    uint64_t first_tx_ns, last_tx_ns;     /* sender's stamps, lowest and highest */
    uint64_t seen[UDP_BENCH_WINDOW / 64]; /* bit seq % WINDOW: seq received */
};

struct udp_bench_report {
    uint32_t count;                       /* the sender's N (0 if nothing arrived) */
    uint64_t received, bytes, lost, out_of_order, duplicates, late, foreign;
    uint64_t rx_interval_ns;              /* first to last arrival */
    uint64_t tx_interval_ns;              /* first to last send, by the stamps */
    /* Over the receiving interval, counting what arrived after the first:
     * exact for the N-1 gaps the interval spans.  0 if fewer than two. */
    uint64_t rx_kbit_per_s;
    uint64_t rx_pps;
};

/* Binds port on ns.  run_id 0: take the run of the first datagram. */
int udp_bench_rx_init(struct udp_bench_rx *rx, struct netstack *ns, uint16_t port,
                      uint32_t run_id);
void udp_bench_rx_stop(struct udp_bench_rx *rx);
bool udp_bench_rx_done(const struct udp_bench_rx *rx);   /* all N arrived */
void udp_bench_rx_report(const struct udp_bench_rx *rx, struct udp_bench_report *r);

/* floor(a * b / c) with a 128-bit product, saturating at UINT64_MAX; c > 0. */
uint64_t udp_bench_mul_div(uint64_t a, uint64_t b, uint64_t c);

#endif
