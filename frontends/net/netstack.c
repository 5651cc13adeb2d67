/*
 * netstack: setup, clocks, counters, and the Ethernet layer -- receive
 * dispatch by EtherType and the one place frames leave.
 */
#include "net_priv.h"

const uint8_t netstack_bcast_mac[NETSTACK_ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static bool mask_is_contiguous(uint32_t mask)
{
    uint32_t host = ~mask;

    return (host & (host + 1)) == 0;    /* host bits are 0...01...1 */
}

int netstack_init(struct netstack *ns, const uint8_t mac[NETSTACK_ETH_ALEN],
                  uint32_t ip, uint32_t mask, const struct netif_ops *ops)
{
    static const uint8_t zero_mac[NETSTACK_ETH_ALEN];

    if (!ns || !mac || !ops || !ops->send || (!ops->now_ms && !ops->now_ns))
        return NETSTACK_EINVAL;
    if (ip == 0 || !mask_is_contiguous(mask) || mac_is_group(mac) ||
        memcmp(mac, zero_mac, NETSTACK_ETH_ALEN) == 0)
        return NETSTACK_EINVAL;
    memset(ns, 0, sizeof(*ns));
    memcpy(ns->mac, mac, NETSTACK_ETH_ALEN);
    ns->ip = ip;
    ns->mask = mask;
    ns->ops = *ops;
    ns->ip_id = 1;
    return 0;
}

int netstack_set_gateway(struct netstack *ns, uint32_t gateway)
{
    if (gateway != 0 && (((gateway ^ ns->ip) & ns->mask) != 0 || gateway == ns->ip))
        return NETSTACK_EINVAL;
    ns->gateway = gateway;
    return 0;
}

uint64_t netstack_now_ns(const struct netstack *ns)
{
    if (ns->ops.now_ns)
        return ns->ops.now_ns(ns->ops.ctx);
    return ns->ops.now_ms(ns->ops.ctx) * 1000000u;
}

uint64_t netstack_now_ms(const struct netstack *ns)
{
    if (ns->ops.now_ms)
        return ns->ops.now_ms(ns->ops.ctx);
    return ns->ops.now_ns(ns->ops.ctx) / 1000000u;
}

uint64_t netstack_drops(const struct netstack_stats *s)
{
    return s->drop_bad_length + s->drop_bad_header + s->drop_bad_csum + s->drop_not_for_us +
           s->drop_unknown_ethertype + s->drop_unknown_proto + s->drop_fragment +
           s->drop_no_port;
}

uint64_t netstack_rx_accounted(const struct netstack_stats *s)
{
    return s->rx_arp_requests + s->rx_arp_replies + s->rx_icmp_echo_requests +
           s->rx_icmp_echo_replies + s->rx_udp + netstack_drops(s);
}

void eth_header(uint8_t *frame, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
    memcpy(frame + ETH_DST, dst, NETSTACK_ETH_ALEN);
    memcpy(frame + ETH_SRC, src, NETSTACK_ETH_ALEN);
    put_be16(frame + ETH_TYPE, type);
}

/*
 * frame is one of ns's buffers, each at least NETSTACK_ETH_ZLEN long.
 * Short frames are padded with zeros to the Ethernet minimum (IEEE 802.3
 * 4.2.3.3); receivers find the real length in the ARP or IP header.
 */
int netstack_send_frame(struct netstack *ns, uint8_t *frame, size_t len, unsigned flags)
{
    int rc;

    if (len < NETSTACK_ETH_ZLEN) {
        memset(frame + len, 0, NETSTACK_ETH_ZLEN - len);
        len = NETSTACK_ETH_ZLEN;
    }
    rc = ns->ops.send(ns->ops.ctx, frame, len, flags);
    if (rc < 0) {
        ns->stats.tx_errors++;
        return rc;
    }
    ns->stats.tx_frames++;
    return 0;
}

void netstack_input(struct netstack *ns, const void *frame, size_t len, unsigned rx_flags)
{
    const uint8_t *p = frame;

    ns->stats.rx_frames++;
    if (!p || len < NETSTACK_ETH_HLEN) {
        ns->stats.drop_bad_length++;
        return;
    }
    /* No multicast groups joined: only our MAC and broadcast are ours. */
    if (memcmp(p + ETH_DST, ns->mac, NETSTACK_ETH_ALEN) != 0 &&
        memcmp(p + ETH_DST, netstack_bcast_mac, NETSTACK_ETH_ALEN) != 0) {
        ns->stats.drop_not_for_us++;
        return;
    }
    switch (get_be16(p + ETH_TYPE)) {
    case ETHERTYPE_ARP:
        arp_input(ns, p, len);
        break;
    case ETHERTYPE_IPV4:
        ipv4_input(ns, p, len, rx_flags);
        break;
    default:                            /* incl. 802.1Q tags, IPv6, 802.3 lengths */
        ns->stats.drop_unknown_ethertype++;
        break;
    }
}
