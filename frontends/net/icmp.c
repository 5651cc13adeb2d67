/*
 * ICMP (RFC 792): answer echo requests, and send our own and match their
 * replies.  Other ICMP messages (unreachables, redirects, time exceeded)
 * are counted and dropped; we never send an ICMP error.
 */
#include "net_priv.h"

static void echo_reply_to(struct netstack *ns, const struct ipv4_rx *rx)
{
    uint8_t *icmp = ns->tx_frame + TX_L4_OFF;

    /* Same id, seq and data; a fresh checksum rather than RFC 1624's
     * incremental update, which would carry over a partial (csum_blank)
     * or unverified field. */
    memcpy(icmp, rx->payload, rx->len);
    icmp[ICMP_TYPE] = ICMP_ECHOREPLY;
    icmp[ICMP_CODE] = 0;
    put_be16(icmp + ICMP_CSUM, 0);
    put_be16(icmp + ICMP_CSUM, inet_checksum(icmp, rx->len));
    /* Back to the MAC it came from (the sender, or the router it came
     * through): no ARP round trip to answer. */
    ipv4_output(ns, rx->eth + ETH_SRC, rx->src, IPPROTO_ICMP, rx->len, 0);
}

static void echo_reply_from(struct netstack *ns, const struct ipv4_rx *rx)
{
    uint16_t id = get_be16(rx->payload + ICMP_ID);
    uint16_t seq = get_be16(rx->payload + ICMP_SEQ);

    ns->stats.rx_icmp_echo_replies++;
    for (int i = 0; i < NETSTACK_PING_SLOTS; i++) {
        struct netstack_ping_slot *s = &ns->ping[i];

        if (!s->in_use || s->answered || s->id != id || s->seq != seq)
            continue;
        if (s->dst_ip != rx->src && !ipv4_is_broadcast(ns, s->dst_ip))
            continue;
        s->answered = true;
        s->rtt_ns = netstack_now_ns(ns) - s->sent_ns;
        if (ns->ping_handler)
            ns->ping_handler(ns->ping_ctx, rx->src, id, seq,
                             rx->len - NETSTACK_ICMP_HLEN, s->rtt_ns);
        return;
    }
    ns->stats.ping_unmatched++;
}

void icmp_input(struct netstack *ns, const struct ipv4_rx *rx)
{
    const uint8_t *icmp = rx->payload;

    if (rx->len < NETSTACK_ICMP_HLEN) {
        ns->stats.drop_bad_length++;
        return;
    }
    if (!(rx->rx_flags & (NETSTACK_RX_DATA_VALIDATED | NETSTACK_RX_CSUM_BLANK)) &&
        inet_checksum(icmp, rx->len) != 0) {
        ns->stats.drop_bad_csum++;
        return;
    }
    switch (icmp[ICMP_TYPE]) {
    case ICMP_ECHO:
        /* Echo to a broadcast address is ignored, as Linux does by default
         * (icmp_echo_ignore_broadcasts; RFC 1122 3.2.2.6 allows either). */
        if (rx->dst != ns->ip || mac_is_group(rx->eth + ETH_SRC)) {
            ns->stats.drop_not_for_us++;
            return;
        }
        if (rx->len > NETSTACK_MTU - NETSTACK_IP_HLEN) {
            ns->stats.drop_bad_length++;    /* a reply would not fit our MTU */
            return;
        }
        ns->stats.rx_icmp_echo_requests++;
        echo_reply_to(ns, rx);
        break;
    case ICMP_ECHOREPLY:
        echo_reply_from(ns, rx);
        break;
    default:
        ns->stats.drop_unknown_proto++;
        break;
    }
}

static struct netstack_ping_slot *ping_slot_for(struct netstack *ns, uint16_t id, uint16_t seq)
{
    for (int i = 0; i < NETSTACK_PING_SLOTS; i++)
        if (ns->ping[i].in_use && ns->ping[i].id == id && ns->ping[i].seq == seq)
            return &ns->ping[i];
    return &ns->ping[ns->ping_next];
}

int netstack_ping(struct netstack *ns, uint32_t dst_ip, uint16_t id, uint16_t seq,
                  size_t payload_len)
{
    uint8_t *icmp = ns->tx_frame + TX_L4_OFF;
    size_t len = NETSTACK_ICMP_HLEN + payload_len;
    struct netstack_ping_slot *s;
    uint8_t mac[NETSTACK_ETH_ALEN];
    int rc;

    if (payload_len > NETSTACK_PING_MAX_PAYLOAD)
        return NETSTACK_EMSGSIZE;
    rc = netstack_resolve(ns, dst_ip, mac);
    if (rc < 0)
        return rc;

    icmp[ICMP_TYPE] = ICMP_ECHO;
    icmp[ICMP_CODE] = 0;
    put_be16(icmp + ICMP_CSUM, 0);
    put_be16(icmp + ICMP_ID, id);
    put_be16(icmp + ICMP_SEQ, seq);
    for (size_t i = 0; i < payload_len; i++)
        icmp[NETSTACK_ICMP_HLEN + i] = (uint8_t)i;
    put_be16(icmp + ICMP_CSUM, inet_checksum(icmp, len));

    /* Recorded before sending: a link may deliver the reply before send
     * returns. */
    s = ping_slot_for(ns, id, seq);
    s->dst_ip = dst_ip;
    s->id = id;
    s->seq = seq;
    s->in_use = true;
    s->answered = false;
    s->rtt_ns = 0;
    s->sent_ns = netstack_now_ns(ns);
    rc = ipv4_output(ns, mac, dst_ip, IPPROTO_ICMP, len, 0);
    if (rc < 0) {
        s->in_use = false;
        return rc;
    }
    if (s == &ns->ping[ns->ping_next])
        ns->ping_next = (ns->ping_next + 1) % NETSTACK_PING_SLOTS;
    ns->stats.tx_icmp_echo_requests++;
    return 0;
}

bool netstack_ping_reply_seen(const struct netstack *ns, uint16_t id, uint16_t seq,
                              uint64_t *rtt_ns)
{
    for (int i = 0; i < NETSTACK_PING_SLOTS; i++) {
        const struct netstack_ping_slot *s = &ns->ping[i];

        if (s->in_use && s->answered && s->id == id && s->seq == seq) {
            if (rtt_ns)
                *rtt_ns = s->rtt_ns;
            return true;
        }
    }
    return false;
}

void netstack_set_ping_handler(struct netstack *ns, netstack_ping_handler fn, void *ctx)
{
    ns->ping_handler = fn;
    ns->ping_ctx = ctx;
}
