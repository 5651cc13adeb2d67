/*
 * Where a frame's TCP or UDP checksum lives, and filling one in.
 *
 * The frames are untrusted (a guest wrote them, or another guest through
 * the bridge): every offset is checked against the frame length.
 */
#ifndef NB_CSUM_H
#define NB_CSUM_H

#include <stddef.h>
#include <stdint.h>

struct csum_l4 {
    uint16_t l3_off;       /* IP header, after Ethernet and VLAN tags */
    uint16_t l4_off;       /* TCP/UDP header: virtio's csum_start */
    uint16_t csum_off;     /* checksum field from l4_off: 16 TCP, 6 UDP */
    uint16_t l4_hdr_len;   /* TCP: data offset * 4; UDP: 8 */
    uint8_t ip_version;    /* 4 or 6 */
    uint8_t proto;         /* IPPROTO_TCP or IPPROTO_UDP */
};

/*
 * Parses Ethernet (up to two 802.1Q/802.1ad tags), IPv4 (with options) or
 * IPv6 (hop-by-hop, routing, destination options and AH extension headers)
 * and a TCP or UDP header.  0, or
 *   -EPROTONOSUPPORT  not TCP/UDP over IPv4/IPv6, or an IP fragment;
 *   -EINVAL           a header runs past len or is malformed.
 */
int csum_parse(const uint8_t *frame, size_t len, struct csum_l4 *out);

/*
 * Completes a partial checksum as the kernel's skb_checksum_help does: the
 * field at start + off holds the pseudo-header sum; the ones' complement
 * sum of frame[start, len) replaces it.  A result of 0 is written as
 * 0xffff (the same value in ones' complement, and the only one UDP
 * allows).  -EINVAL if start + off + 2 > len.
 */
int csum_complete(uint8_t *frame, size_t len, size_t start, size_t off);

/* Ones' complement sum of data (big-endian 16-bit words), added to sum,
 * not folded. */
uint32_t csum_add(uint32_t sum, const uint8_t *data, size_t len);

/* Folds a sum to 16 bits (not inverted). */
uint16_t csum_fold(uint32_t sum);

#endif
