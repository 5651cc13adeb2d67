/*
 * ARP (RFC 826) for IPv4 over Ethernet: answer requests for our address,
 * keep a small cache with expiry, and resolve next hops for sending.
 *
 * What we learn follows RFC 826's "packet reception" algorithm with Linux's
 * default caution (arp_accept=0): any ARP packet refreshes an entry we
 * already have for its sender; only a request aimed at us creates one (we
 * will talk to that host: it is about to send to us).  Unsolicited replies
 * create nothing, so a stray reply cannot fill the cache.
 */
#include "net_priv.h"

static bool arp_entry_fresh(const struct netstack_arp_entry *e, uint64_t now_ms)
{
    return e->state == NETSTACK_ARP_VALID && now_ms - e->stamp_ms < NETSTACK_ARP_TTL_MS;
}

static struct netstack_arp_entry *arp_find(struct netstack *ns, uint32_t ip)
{
    for (int i = 0; i < NETSTACK_ARP_SLOTS; i++)
        if (ns->arp[i].state != NETSTACK_ARP_FREE && ns->arp[i].ip == ip)
            return &ns->arp[i];
    return NULL;
}

/* A free slot, else the one least recently learned or asked for. */
static struct netstack_arp_entry *arp_victim(struct netstack *ns)
{
    struct netstack_arp_entry *v = &ns->arp[0];

    for (int i = 0; i < NETSTACK_ARP_SLOTS; i++) {
        if (ns->arp[i].state == NETSTACK_ARP_FREE)
            return &ns->arp[i];
        if (ns->arp[i].stamp_ms < v->stamp_ms)
            v = &ns->arp[i];
    }
    return v;
}

static void arp_set(struct netstack_arp_entry *e, uint32_t ip, const uint8_t *mac,
                    uint64_t now_ms)
{
    e->ip = ip;
    memcpy(e->mac, mac, NETSTACK_ETH_ALEN);
    e->state = NETSTACK_ARP_VALID;
    e->stamp_ms = now_ms;
}

/* RFC 826 packet layout after the Ethernet header, into ns->arp_frame. */
static int arp_send(struct netstack *ns, uint16_t op, const uint8_t *eth_dst,
                    const uint8_t *tha, uint32_t tpa)
{
    uint8_t *f = ns->arp_frame;
    uint8_t *a = f + NETSTACK_ETH_HLEN;

    eth_header(f, eth_dst, ns->mac, ETHERTYPE_ARP);
    put_be16(a + ARP_HTYPE, ARP_HTYPE_ETH);
    put_be16(a + ARP_PTYPE, ETHERTYPE_IPV4);
    a[ARP_HLEN] = NETSTACK_ETH_ALEN;
    a[ARP_PLEN] = 4;
    put_be16(a + ARP_OP, op);
    memcpy(a + ARP_SHA, ns->mac, NETSTACK_ETH_ALEN);
    put_be32(a + ARP_SPA, ns->ip);
    memcpy(a + ARP_THA, tha, NETSTACK_ETH_ALEN);
    put_be32(a + ARP_TPA, tpa);
    return netstack_send_frame(ns, f, NETSTACK_ETH_HLEN + ARP_LEN, 0);
}

void arp_input(struct netstack *ns, const uint8_t *frame, size_t len)
{
    const uint8_t *a = frame + NETSTACK_ETH_HLEN;
    struct netstack_arp_entry *e;
    uint32_t spa, tpa;
    uint16_t op;
    bool for_us, refreshed = false;

    if (len < NETSTACK_ETH_HLEN + ARP_LEN) {
        ns->stats.drop_bad_length++;
        return;
    }
    if (get_be16(a + ARP_HTYPE) != ARP_HTYPE_ETH || get_be16(a + ARP_PTYPE) != ETHERTYPE_IPV4 ||
        a[ARP_HLEN] != NETSTACK_ETH_ALEN || a[ARP_PLEN] != 4 || mac_is_group(a + ARP_SHA)) {
        ns->stats.drop_bad_header++;
        return;
    }
    op = get_be16(a + ARP_OP);
    if (op != ARP_OP_REQUEST && op != ARP_OP_REPLY) {
        ns->stats.drop_unknown_proto++;
        return;
    }
    spa = get_be32(a + ARP_SPA);
    tpa = get_be32(a + ARP_TPA);
    for_us = tpa == ns->ip;

    /* spa 0 is an RFC 5227 probe, spa == ours a conflict: learn neither. */
    if (spa != 0 && spa != ns->ip) {
        uint64_t now = netstack_now_ms(ns);

        e = arp_find(ns, spa);
        if (e) {
            arp_set(e, spa, a + ARP_SHA, now);
            refreshed = true;
        } else if (for_us && op == ARP_OP_REQUEST) {
            arp_set(arp_victim(ns), spa, a + ARP_SHA, now);
        }
    }

    if (op == ARP_OP_REQUEST) {
        if (!for_us) {
            ns->stats.drop_not_for_us++;
            return;
        }
        ns->stats.rx_arp_requests++;
        /* To the requester's hardware address, not the Ethernet source. */
        if (arp_send(ns, ARP_OP_REPLY, a + ARP_SHA, a + ARP_SHA, spa) == 0)
            ns->stats.tx_arp_replies++;
        return;
    }
    if (!for_us && !refreshed) {
        ns->stats.drop_not_for_us++;
        return;
    }
    ns->stats.rx_arp_replies++;
}

bool netstack_arp_lookup(struct netstack *ns, uint32_t ip, uint8_t mac_out[NETSTACK_ETH_ALEN])
{
    struct netstack_arp_entry *e = arp_find(ns, ip);

    if (!e || !arp_entry_fresh(e, netstack_now_ms(ns)))
        return false;
    memcpy(mac_out, e->mac, NETSTACK_ETH_ALEN);
    return true;
}

void netstack_arp_flush(struct netstack *ns)
{
    memset(ns->arp, 0, sizeof(ns->arp));
}

/* Where a datagram for ip goes on our link: itself, or the gateway. */
static int next_hop(const struct netstack *ns, uint32_t ip, uint32_t *hop)
{
    if (ip == ns->ip || ip == 0)
        return NETSTACK_EHOSTUNREACH;   /* no loopback */
    if (((ip ^ ns->ip) & ns->mask) == 0) {
        *hop = ip;
        return 0;
    }
    if (ns->gateway == 0)
        return NETSTACK_EHOSTUNREACH;
    *hop = ns->gateway;
    return 0;
}

int netstack_resolve(struct netstack *ns, uint32_t ip, uint8_t mac_out[NETSTACK_ETH_ALEN])
{
    static const uint8_t unknown_mac[NETSTACK_ETH_ALEN];
    struct netstack_arp_entry *e;
    uint64_t now;
    uint32_t hop;
    int rc;

    if (ipv4_is_broadcast(ns, ip)) {
        memcpy(mac_out, netstack_bcast_mac, NETSTACK_ETH_ALEN);
        return 0;
    }
    rc = next_hop(ns, ip, &hop);
    if (rc < 0)
        return rc;
    now = netstack_now_ms(ns);
    e = arp_find(ns, hop);
    if (e && arp_entry_fresh(e, now)) {
        memcpy(mac_out, e->mac, NETSTACK_ETH_ALEN);
        return 0;
    }
    if (e && e->state == NETSTACK_ARP_PENDING && now - e->stamp_ms < NETSTACK_ARP_RETRY_MS)
        return NETSTACK_EINPROGRESS;

    /* Mark the entry pending only once the request is out, so that a full
     * ring leads to another try at the next call, not after a second. */
    rc = arp_send(ns, ARP_OP_REQUEST, netstack_bcast_mac, unknown_mac, hop);
    if (rc < 0)
        return rc;
    ns->stats.tx_arp_requests++;
    if (!e)
        e = arp_victim(ns);
    e->ip = hop;
    e->state = NETSTACK_ARP_PENDING;
    e->stamp_ms = now;
    return NETSTACK_EINPROGRESS;
}
