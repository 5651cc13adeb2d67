/*
 * UDP (RFC 768): a table of bound ports with a handler each, and send with
 * the checksum computed here or left to the device (NETSTACK_CSUM_BLANK).
 */
#include "net_priv.h"

static struct netstack_udp_bind *udp_find(struct netstack *ns, uint16_t port)
{
    for (int i = 0; i < NETSTACK_UDP_BINDS; i++)
        if (ns->udp[i].port == port)
            return &ns->udp[i];
    return NULL;
}

int netstack_udp_bind(struct netstack *ns, uint16_t port, netstack_udp_handler fn, void *ctx)
{
    struct netstack_udp_bind *b;

    if (port == 0 || !fn)
        return NETSTACK_EINVAL;
    if (udp_find(ns, port))
        return NETSTACK_EADDRINUSE;
    b = udp_find(ns, 0);
    if (!b)
        return NETSTACK_ENOSPC;
    b->port = port;
    b->handler = fn;
    b->ctx = ctx;
    return 0;
}

int netstack_udp_unbind(struct netstack *ns, uint16_t port)
{
    struct netstack_udp_bind *b = port ? udp_find(ns, port) : NULL;

    if (!b)
        return NETSTACK_EINVAL;
    memset(b, 0, sizeof(*b));
    return 0;
}

void udp_input(struct netstack *ns, const struct ipv4_rx *rx)
{
    const uint8_t *u = rx->payload;
    struct netstack_udp_info info;
    struct netstack_udp_bind *b;
    size_t ulen;

    if (rx->len < NETSTACK_UDP_HLEN) {
        ns->stats.drop_bad_length++;
        return;
    }
    ulen = get_be16(u + UDP_LEN);
    if (ulen < NETSTACK_UDP_HLEN || ulen > rx->len) {
        ns->stats.drop_bad_length++;
        return;
    }
    /* A zero checksum means the sender computed none (RFC 768). */
    if (get_be16(u + UDP_CSUM) != 0 &&
        !(rx->rx_flags & (NETSTACK_RX_DATA_VALIDATED | NETSTACK_RX_CSUM_BLANK))) {
        struct inet_csum c;

        inet_csum_init(&c);
        ipv4_pseudo_csum(&c, rx->src, rx->dst, IPPROTO_UDP, (uint16_t)ulen);
        inet_csum_add(&c, u, ulen);
        if (inet_csum_final(&c) != 0) {
            ns->stats.drop_bad_csum++;
            return;
        }
    }
    info.src_ip = rx->src;
    info.dst_ip = rx->dst;
    info.src_port = get_be16(u + UDP_SPORT);
    info.dst_port = get_be16(u + UDP_DPORT);
    info.rx_flags = rx->rx_flags;
    b = info.dst_port ? udp_find(ns, info.dst_port) : NULL;
    if (!b) {
        ns->stats.drop_no_port++;       /* no ICMP port unreachable either */
        return;
    }
    ns->stats.rx_udp++;
    b->handler(b->ctx, ns, &info, u + NETSTACK_UDP_HLEN, ulen - NETSTACK_UDP_HLEN);
}

int netstack_udp_send(struct netstack *ns, uint16_t src_port, uint32_t dst_ip,
                      uint16_t dst_port, const void *data, size_t len, unsigned flags)
{
    uint8_t *u = ns->tx_frame + TX_L4_OFF;
    size_t ulen = NETSTACK_UDP_HLEN + len;
    uint8_t mac[NETSTACK_ETH_ALEN];
    struct inet_csum c;
    int rc;

    if (src_port == 0 || dst_port == 0 || (len && !data))
        return NETSTACK_EINVAL;
    if (len > NETSTACK_UDP_MAX_PAYLOAD)
        return NETSTACK_EMSGSIZE;
    rc = netstack_resolve(ns, dst_ip, mac);
    if (rc < 0)
        return rc;

    put_be16(u + UDP_SPORT, src_port);
    put_be16(u + UDP_DPORT, dst_port);
    put_be16(u + UDP_LEN, (uint16_t)ulen);
    put_be16(u + UDP_CSUM, 0);
    if (len)
        memcpy(u + NETSTACK_UDP_HLEN, data, len);

    inet_csum_init(&c);
    ipv4_pseudo_csum(&c, ns->ip, dst_ip, IPPROTO_UDP, (uint16_t)ulen);
    if (flags & NETSTACK_CSUM_BLANK) {
        /* CHECKSUM_PARTIAL: the pseudo-header sum, folded, not complemented
         * (Linux udp4_hwcsum: uh->check = ~csum_tcpudp_magic(..., 0)). */
        put_be16(u + UDP_CSUM, inet_csum_fold(&c));
    } else {
        uint16_t sum;

        inet_csum_add(&c, u, ulen);
        sum = inet_csum_final(&c);
        /* RFC 768: a computed zero is sent as all ones; zero means none. */
        put_be16(u + UDP_CSUM, sum == 0 ? 0xffff : sum);
    }
    rc = ipv4_output(ns, mac, dst_ip, IPPROTO_UDP, ulen, flags & NETSTACK_CSUM_BLANK);
    if (rc < 0)
        return rc;
    ns->stats.tx_udp++;
    return 0;
}
