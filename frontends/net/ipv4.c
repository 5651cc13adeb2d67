/*
 * IPv4 (RFC 791) for a host that is an endpoint only: receive checks
 * following RFC 1122 section 3.2.1, no reassembly, no forwarding; send
 * builds a 20-byte header (no options) with DF set.
 */
#include "net_priv.h"

bool ipv4_is_broadcast(const struct netstack *ns, uint32_t ip)
{
    uint32_t host = ~ns->mask;

    if (ip == IP_BROADCAST)
        return true;
    /* A subnet-directed broadcast exists only where there are at least two
     * host bits: /31 (RFC 3021) and /32 have none. */
    return host >= 3 && (ip & host) == host && ((ip ^ ns->ip) & ns->mask) == 0;
}

static bool ipv4_is_martian_source(uint32_t ip)
{
    /* RFC 1122 3.2.1.3: broadcast or multicast (and class E) sources. */
    return ip == IP_BROADCAST || (ip >> 28) >= 0xe;
}

void ipv4_input(struct netstack *ns, const uint8_t *frame, size_t len, unsigned rx_flags)
{
    const uint8_t *ip = frame + NETSTACK_ETH_HLEN;
    size_t avail = len - NETSTACK_ETH_HLEN;  /* len >= ETH_HLEN: netstack_input */
    size_t ihl, total;
    uint16_t frag;
    struct ipv4_rx rx;

    if (avail < NETSTACK_IP_HLEN) {
        ns->stats.drop_bad_length++;
        return;
    }
    ihl = (size_t)(ip[IP_VHL] & 0xf) * 4;
    if ((ip[IP_VHL] >> 4) != 4 || ihl < NETSTACK_IP_HLEN) {
        ns->stats.drop_bad_header++;
        return;
    }
    total = get_be16(ip + IP_TOTLEN);
    /* Anything after total is Ethernet padding; less than total is a cut. */
    if (ihl > avail || total < ihl || total > avail) {
        ns->stats.drop_bad_length++;
        return;
    }
    /* Over the header with its options; no device vouches for this one. */
    if (inet_checksum(ip, ihl) != 0) {
        ns->stats.drop_bad_csum++;
        return;
    }
    frag = get_be16(ip + IP_FRAG);
    if (frag & (IP_FLAG_MF | IP_OFFSET_MASK)) {
        ns->stats.drop_fragment++;
        return;
    }
    rx.src = get_be32(ip + IP_SRC);
    rx.dst = get_be32(ip + IP_DST);
    if (ipv4_is_martian_source(rx.src)) {
        ns->stats.drop_bad_header++;
        return;
    }
    if (rx.dst != ns->ip && !ipv4_is_broadcast(ns, rx.dst)) {
        ns->stats.drop_not_for_us++;
        return;
    }
    rx.eth = frame;
    rx.proto = ip[IP_PROTO];
    rx.payload = ip + ihl;              /* options (IHL > 5) are skipped, not obeyed */
    rx.len = total - ihl;
    rx.rx_flags = rx_flags;

    switch (rx.proto) {
    case IPPROTO_ICMP:
        icmp_input(ns, &rx);
        break;
    case IPPROTO_UDP:
        udp_input(ns, &rx);
        break;
    default:
        ns->stats.drop_unknown_proto++;
        break;
    }
}

void ipv4_pseudo_csum(struct inet_csum *c, uint32_t src, uint32_t dst, uint8_t proto,
                      uint16_t len)
{
    uint8_t ph[12];

    put_be32(ph, src);
    put_be32(ph + 4, dst);
    ph[8] = 0;
    ph[9] = proto;
    put_be16(ph + 10, len);
    inet_csum_add(c, ph, sizeof(ph));
}

int ipv4_output(struct netstack *ns, const uint8_t *dst_mac, uint32_t dst_ip,
                uint8_t proto, size_t payload_len, unsigned flags)
{
    uint8_t *f = ns->tx_frame;
    uint8_t *ip = f + NETSTACK_ETH_HLEN;
    size_t total = NETSTACK_IP_HLEN + payload_len;

    if (total > NETSTACK_MTU)
        return NETSTACK_EMSGSIZE;
    eth_header(f, dst_mac, ns->mac, ETHERTYPE_IPV4);
    ip[IP_VHL] = 0x45;
    ip[IP_TOS] = 0;
    put_be16(ip + IP_TOTLEN, (uint16_t)total);
    put_be16(ip + IP_ID, ns->ip_id++);
    put_be16(ip + IP_FRAG, IP_FLAG_DF);
    ip[IP_TTL] = IP_TTL_DEFAULT;
    ip[IP_PROTO] = proto;
    put_be16(ip + IP_CSUM, 0);
    put_be32(ip + IP_SRC, ns->ip);
    put_be32(ip + IP_DST, dst_ip);
    put_be16(ip + IP_CSUM, inet_checksum(ip, NETSTACK_IP_HLEN));
    return netstack_send_frame(ns, f, NETSTACK_ETH_HLEN + total, flags);
}
