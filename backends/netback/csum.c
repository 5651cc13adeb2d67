/*
 * Header walking and checksum completion (csum.h).  RFC 791 (IPv4), RFC
 * 8200 section 4 (IPv6 extension headers), RFC 4302 section 2.2 (AH
 * length in 4-octet units), RFC 1071 (the Internet checksum).
 */
#include "csum.h"

#include <errno.h>

#define ETH_HLEN          14u
#define ETHERTYPE_IPV4    0x0800u
#define ETHERTYPE_IPV6    0x86ddu
#define ETHERTYPE_VLAN    0x8100u
#define ETHERTYPE_QINQ    0x88a8u
#define PROTO_HOPOPTS     0u
#define PROTO_TCP         6u
#define PROTO_UDP         17u
#define PROTO_ROUTING     43u
#define PROTO_FRAGMENT    44u
#define PROTO_AH          51u
#define PROTO_DSTOPTS     60u
/* Extension headers walked before giving up (a loop of them is hostile). */
#define IPV6_EXT_MAX      8

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static int parse_l4(const uint8_t *frame, size_t len, size_t off, unsigned proto,
                    struct csum_l4 *out)
{
    if (proto == PROTO_TCP) {
        if (off + 20 > len)
            return -EINVAL;
        size_t hl = (size_t)(frame[off + 12] >> 4) * 4;
        if (hl < 20 || off + hl > len)
            return -EINVAL;
        out->csum_off = 16;
        out->l4_hdr_len = (uint16_t)hl;
    } else if (proto == PROTO_UDP) {
        if (off + 8 > len)
            return -EINVAL;
        out->csum_off = 6;
        out->l4_hdr_len = 8;
    } else {
        return -EPROTONOSUPPORT;
    }
    out->l4_off = (uint16_t)off;
    out->proto = (uint8_t)proto;
    return 0;
}

static int parse_ipv4(const uint8_t *frame, size_t len, size_t off, struct csum_l4 *out)
{
    if (off + 20 > len || frame[off] >> 4 != 4)
        return -EINVAL;
    size_t ihl = (size_t)(frame[off] & 0x0f) * 4;
    if (ihl < 20 || off + ihl > len)
        return -EINVAL;
    /* More-fragments set or a fragment offset: the L4 header is not whole
     * in this frame (skb_checksum_setup_ipv4 refuses these too). */
    if (be16(frame + off + 6) & 0x3fff)
        return -EPROTONOSUPPORT;
    out->ip_version = 4;
    return parse_l4(frame, len, off + ihl, frame[off + 9], out);
}

static int parse_ipv6(const uint8_t *frame, size_t len, size_t off, struct csum_l4 *out)
{
    if (off + 40 > len || frame[off] >> 4 != 6)
        return -EINVAL;
    unsigned next = frame[off + 6];
    off += 40;
    for (int i = 0; i < IPV6_EXT_MAX; i++) {
        switch (next) {
        case PROTO_HOPOPTS:
        case PROTO_ROUTING:
        case PROTO_DSTOPTS:
            if (off + 8 > len)
                return -EINVAL;
            next = frame[off];
            off += ((size_t)frame[off + 1] + 1) * 8;
            break;
        case PROTO_AH:
            if (off + 8 > len)
                return -EINVAL;
            next = frame[off];
            off += ((size_t)frame[off + 1] + 2) * 4;
            break;
        case PROTO_FRAGMENT:
            return -EPROTONOSUPPORT;
        default:
            out->ip_version = 6;
            return parse_l4(frame, len, off, next, out);
        }
        if (off > len)
            return -EINVAL;
    }
    return -EPROTONOSUPPORT;
}

int csum_parse(const uint8_t *frame, size_t len, struct csum_l4 *out)
{
    size_t off = 12;

    if (len < ETH_HLEN)
        return -EINVAL;
    unsigned type = be16(frame + off);
    /* At most two tags: 802.1ad outer, 802.1Q inner. */
    for (int tags = 0; tags < 2 && (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ); tags++) {
        off += 4;
        if (off + 2 > len)
            return -EINVAL;
        type = be16(frame + off);
    }
    off += 2;
    out->l3_off = (uint16_t)off;
    if (type == ETHERTYPE_IPV4)
        return parse_ipv4(frame, len, off, out);
    if (type == ETHERTYPE_IPV6)
        return parse_ipv6(frame, len, off, out);
    return -EPROTONOSUPPORT;
}

uint32_t csum_add(uint32_t sum, const uint8_t *data, size_t len)
{
    uint64_t s = sum;
    size_t i = 0;

    for (; i + 1 < len; i += 2)
        s += be16(data + i);
    if (i < len)
        s += (uint32_t)data[i] << 8;
    while (s >> 32)
        s = (s & 0xffffffffu) + (s >> 32);
    return (uint32_t)s;
}

uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)sum;
}

int csum_complete(uint8_t *frame, size_t len, size_t start, size_t off)
{
    if (start > len || off > len || start + off + 2 > len)
        return -EINVAL;
    uint16_t folded = csum_fold(csum_add(0, frame + start, len - start));
    /* ~0xffff is 0: written as 0xffff instead. */
    uint16_t c = folded == 0xffff ? 0xffff : (uint16_t)~folded;
    frame[start + off] = (uint8_t)(c >> 8);
    frame[start + off + 1] = (uint8_t)c;
    return 0;
}
