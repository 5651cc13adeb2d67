/*
 * Host test fakes for netstack: a clock the test moves, links that queue
 * what a stack sends, two stacks wired back to back, and frames built by
 * hand with a checksum routine of the test's own.
 */
#ifndef SV_NET_TEST_FAKES_H
#define SV_NET_TEST_FAKES_H

#include "netstack.h"

#define LINK_FRAME_MAX 2048
#define LINK_QUEUE     64

struct link_frame {
    uint8_t data[LINK_FRAME_MAX];
    size_t len;
    unsigned flags;
};

/* What one stack sent, oldest first. */
struct link {
    struct link_frame q[LINK_QUEUE];
    unsigned head, count;
    unsigned busy;                  /* refuse this many sends with EAGAIN */
    bool discard;                   /* count, do not keep */
    uint64_t sent;
};

extern uint64_t fake_clock_ns;

extern const uint8_t MAC_A[6], MAC_B[6], MAC_X[6], MAC_GW[6], MAC_BCAST[6];
#define IP_A    IPV4(10, 0, 0, 10)
#define IP_B    IPV4(10, 0, 0, 11)
#define IP_X    IPV4(10, 0, 0, 99)
#define IP_GW   IPV4(10, 0, 0, 1)
#define MASK24  IPV4(255, 255, 255, 0)

void stack_init(struct netstack *ns, struct link *l, const uint8_t *mac, uint32_t ip);
struct link_frame *link_pop(struct link *l);     /* NULL if empty */
void check_accounting(const struct netstack *ns);
/* netstack_input and check_accounting. */
void feed(struct netstack *ns, const void *frame, size_t len, unsigned rx_flags);

struct pair {
    struct netstack a, b;
    struct link la, lb;             /* what a sent, what b sent */
};

void pair_init(struct pair *p);
/* Deliver queued frames both ways until quiet; returns frames delivered.
 * A frame sent with NETSTACK_CSUM_BLANK arrives with NETSTACK_RX_CSUM_BLANK,
 * as netback passes it between two local guests. */
unsigned pair_pump(struct pair *p);
/* ARP both ways, so that sends go out at once. */
void pair_resolve(struct pair *p);

/* The test's own RFC 1071 sum, written plainly: folded, not complemented. */
uint16_t ref_sum(const uint8_t *p, size_t len, uint32_t start);
uint16_t ref_udp_csum(uint32_t src, uint32_t dst, const uint8_t *udp, size_t len);

size_t build_arp(uint8_t *f, uint16_t op, const uint8_t *eth_dst, const uint8_t *sha,
                 uint32_t spa, const uint8_t *tha, uint32_t tpa);
/* Ethernet + IPv4 with optlen bytes of options + payload; returns frame length. */
size_t build_ipv4(uint8_t *f, const uint8_t *eth_dst, const uint8_t *eth_src, uint32_t src,
                  uint32_t dst, uint8_t proto, const uint8_t *opts, size_t optlen,
                  const void *payload, size_t len);
size_t build_udp(uint8_t *f, const uint8_t *eth_dst, const uint8_t *eth_src, uint32_t src,
                 uint32_t dst, uint16_t sport, uint16_t dport, const void *data, size_t len);
size_t build_echo(uint8_t *f, const uint8_t *eth_dst, const uint8_t *eth_src, uint32_t src,
                  uint32_t dst, uint8_t type, uint16_t id, uint16_t seq, size_t payload_len);

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

#endif
