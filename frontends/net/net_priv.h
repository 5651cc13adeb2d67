/*
 * Inside netstack: wire layouts, byte order, and the calls between its
 * files.  Not for users of the stack (they include netstack.h).
 *
 * Headers are read and written byte by byte at fixed offsets, never through
 * packed structs: frames come at any alignment, and the guest has no
 * arpa/inet.h.
 */
#ifndef SV_NET_PRIV_H
#define SV_NET_PRIV_H

#include "netstack.h"

/* From the guest kernel's string.c, or libc on the host. */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* ---- byte order ------------------------------------------------------------ */

static inline uint16_t get_be16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* ---- Ethernet II (IEEE 802.3 clause 3.2.6 length/type >= 0x0600) ------------ */

#define ETH_DST        0
#define ETH_SRC        6
#define ETH_TYPE       12
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP  0x0806

extern const uint8_t netstack_bcast_mac[NETSTACK_ETH_ALEN];

static inline bool mac_is_group(const uint8_t *mac)
{
    return mac[0] & 1;              /* I/G bit: multicast or broadcast */
}

/* ---- ARP (RFC 826), offsets from the start of the ARP packet ---------------- */

#define ARP_LEN        28
#define ARP_HTYPE      0
#define ARP_PTYPE      2
#define ARP_HLEN       4
#define ARP_PLEN       5
#define ARP_OP         6
#define ARP_SHA        8
#define ARP_SPA        14
#define ARP_THA        18
#define ARP_TPA        24
#define ARP_HTYPE_ETH  1
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY   2

/* ---- IPv4 (RFC 791 section 3.1) ---------------------------------------------- */

#define IP_VHL         0
#define IP_TOS         1
#define IP_TOTLEN      2
#define IP_ID          4
#define IP_FRAG        6            /* flags (3 bits) and fragment offset */
#define IP_TTL         8
#define IP_PROTO       9
#define IP_CSUM        10
#define IP_SRC         12
#define IP_DST         16
#define IP_FLAG_DF     0x4000
#define IP_FLAG_MF     0x2000
#define IP_OFFSET_MASK 0x1fff
#define IP_TTL_DEFAULT 64
#define IPPROTO_ICMP   1
#define IPPROTO_UDP    17
#define IP_BROADCAST   0xffffffffu

/* ---- ICMP (RFC 792) and UDP (RFC 768) ------------------------------------------- */

#define ICMP_TYPE      0
#define ICMP_CODE      1
#define ICMP_CSUM      2
#define ICMP_ID        4
#define ICMP_SEQ       6
#define ICMP_ECHOREPLY 0
#define ICMP_ECHO      8

#define UDP_SPORT      0
#define UDP_DPORT      2
#define UDP_LEN        4
#define UDP_CSUM       6

/* Where an outgoing IP datagram's payload is built in ns->tx_frame. */
#define TX_L4_OFF      (NETSTACK_ETH_HLEN + NETSTACK_IP_HLEN)

/* A received IPv4 datagram, validated by ipv4_input. */
struct ipv4_rx {
    const uint8_t *eth;             /* the frame, for the source MAC */
    uint32_t src, dst;
    uint8_t proto;
    const uint8_t *payload;         /* after the header and its options */
    size_t len;                     /* payload bytes per total length */
    unsigned rx_flags;
};

/* ---- between the files ----------------------------------------------------------- */

/* netstack.c */
int netstack_send_frame(struct netstack *ns, uint8_t *frame, size_t len, unsigned flags);
void eth_header(uint8_t *frame, const uint8_t *dst, const uint8_t *src, uint16_t type);

/* arp.c */
void arp_input(struct netstack *ns, const uint8_t *frame, size_t len);

/* ipv4.c */
void ipv4_input(struct netstack *ns, const uint8_t *frame, size_t len, unsigned rx_flags);
bool ipv4_is_broadcast(const struct netstack *ns, uint32_t ip);
/* Header into ns->tx_frame for a payload already at TX_L4_OFF, then send. */
int ipv4_output(struct netstack *ns, const uint8_t *dst_mac, uint32_t dst_ip,
                uint8_t proto, size_t payload_len, unsigned flags);
/* The pseudo-header of RFC 768 / RFC 793 3.1, added to c. */
void ipv4_pseudo_csum(struct inet_csum *c, uint32_t src, uint32_t dst, uint8_t proto,
                      uint16_t len);

/* icmp.c, udp.c */
void icmp_input(struct netstack *ns, const struct ipv4_rx *rx);
void udp_input(struct netstack *ns, const struct ipv4_rx *rx);

#endif
