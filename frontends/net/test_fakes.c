/* Host test fakes for netstack: see test_fakes.h. */
#include <check.h>
#include <string.h>

#include "test_fakes.h"

uint64_t fake_clock_ns;

const uint8_t MAC_A[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x0a };
const uint8_t MAC_B[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x0b };
const uint8_t MAC_X[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x99 };
const uint8_t MAC_GW[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x01 };
const uint8_t MAC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static uint64_t fake_now_ns(void *ctx)
{
    (void)ctx;
    return fake_clock_ns;
}

static int link_send(void *ctx, const void *frame, size_t len, unsigned flags)
{
    struct link *l = ctx;
    struct link_frame *f;

    ck_assert_uint_ge(len, NETSTACK_ETH_ZLEN);
    ck_assert_uint_le(len, NETSTACK_FRAME_MAX);
    if (l->busy) {
        l->busy--;
        return NETSTACK_EAGAIN;
    }
    l->sent++;
    if (l->discard)
        return 0;
    ck_assert_uint_lt(l->count, LINK_QUEUE);
    f = &l->q[(l->head + l->count++) % LINK_QUEUE];
    memcpy(f->data, frame, len);
    f->len = len;
    f->flags = flags;
    return 0;
}

void stack_init(struct netstack *ns, struct link *l, const uint8_t *mac, uint32_t ip)
{
    /* Only now_ns: the stack derives milliseconds. */
    struct netif_ops ops = { .ctx = l, .send = link_send, .now_ns = fake_now_ns };

    memset(l, 0, sizeof(*l));
    ck_assert_int_eq(netstack_init(ns, mac, ip, MASK24, &ops), 0);
}

struct link_frame *link_pop(struct link *l)
{
    struct link_frame *f;

    if (l->count == 0)
        return NULL;
    f = &l->q[l->head];
    l->head = (l->head + 1) % LINK_QUEUE;
    l->count--;
    return f;
}

void check_accounting(const struct netstack *ns)
{
    ck_assert_uint_eq(ns->stats.rx_frames, netstack_rx_accounted(&ns->stats));
}

void feed(struct netstack *ns, const void *frame, size_t len, unsigned rx_flags)
{
    netstack_input(ns, frame, len, rx_flags);
    check_accounting(ns);
}

void pair_init(struct pair *p)
{
    fake_clock_ns = 1000000000u;
    stack_init(&p->a, &p->la, MAC_A, IP_A);
    stack_init(&p->b, &p->lb, MAC_B, IP_B);
}

static unsigned rx_flags_for(unsigned tx_flags)
{
    return tx_flags & NETSTACK_CSUM_BLANK ? NETSTACK_RX_CSUM_BLANK : 0;
}

unsigned pair_pump(struct pair *p)
{
    unsigned n = 0;
    struct link_frame *f;

    for (int progress = 1; progress;) {
        progress = 0;
        if ((f = link_pop(&p->la))) {
            /* Copy first: b's answer may be queued into the slot just freed. */
            struct link_frame copy = *f;

            feed(&p->b, copy.data, copy.len, rx_flags_for(copy.flags));
            progress = 1;
            n++;
        }
        if ((f = link_pop(&p->lb))) {
            struct link_frame copy = *f;

            feed(&p->a, copy.data, copy.len, rx_flags_for(copy.flags));
            progress = 1;
            n++;
        }
        ck_assert_uint_lt(n, 100000);
    }
    return n;
}

void pair_resolve(struct pair *p)
{
    uint8_t mac[6];

    ck_assert_int_eq(netstack_resolve(&p->a, IP_B, mac), NETSTACK_EINPROGRESS);
    pair_pump(p);
    ck_assert_int_eq(netstack_resolve(&p->a, IP_B, mac), 0);
    ck_assert_mem_eq(mac, MAC_B, 6);
    /* b learned a from a's request for it. */
    ck_assert_int_eq(netstack_resolve(&p->b, IP_A, mac), 0);
    ck_assert_mem_eq(mac, MAC_A, 6);
}

uint16_t ref_sum(const uint8_t *p, size_t len, uint32_t start)
{
    uint32_t s = start;

    for (size_t i = 0; i + 1 < len; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        s += (uint32_t)p[len - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

uint16_t ref_udp_csum(uint32_t src, uint32_t dst, const uint8_t *udp, size_t len)
{
    uint32_t ph = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 17 +
                  (uint32_t)len;
    uint16_t c = (uint16_t)~ref_sum(udp, len, ph);

    return c == 0 ? 0xffff : c;
}

static void put_mac(uint8_t *p, const uint8_t *mac) { memcpy(p, mac, 6); }

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

size_t build_arp(uint8_t *f, uint16_t op, const uint8_t *eth_dst, const uint8_t *sha,
                 uint32_t spa, const uint8_t *tha, uint32_t tpa)
{
    uint8_t *a = f + 14;

    put_mac(f, eth_dst);
    put_mac(f + 6, sha);
    wr16(f + 12, 0x0806);
    wr16(a, 1);
    wr16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    wr16(a + 6, op);
    put_mac(a + 8, sha);
    put32(a + 14, spa);
    put_mac(a + 18, tha);
    put32(a + 24, tpa);
    return 42;
}

size_t build_ipv4(uint8_t *f, const uint8_t *eth_dst, const uint8_t *eth_src, uint32_t src,
                  uint32_t dst, uint8_t proto, const uint8_t *opts, size_t optlen,
                  const void *payload, size_t len)
{
    uint8_t *ip = f + 14;
    size_t hl = 20 + optlen;

    ck_assert_uint_eq(optlen % 4, 0);
    put_mac(f, eth_dst);
    put_mac(f + 6, eth_src);
    wr16(f + 12, 0x0800);
    ip[0] = (uint8_t)(0x40 | hl / 4);
    ip[1] = 0;
    wr16(ip + 2, (uint16_t)(hl + len));
    wr16(ip + 4, 0x1234);
    wr16(ip + 6, 0);
    ip[8] = 64;
    ip[9] = proto;
    wr16(ip + 10, 0);
    put32(ip + 12, src);
    put32(ip + 16, dst);
    if (optlen)
        memcpy(ip + 20, opts, optlen);
    wr16(ip + 10, (uint16_t)~ref_sum(ip, hl, 0));
    if (len)
        memcpy(ip + hl, payload, len);
    return 14 + hl + len;
}

size_t build_udp(uint8_t *f, const uint8_t *eth_dst, const uint8_t *eth_src, uint32_t src,
                 uint32_t dst, uint16_t sport, uint16_t dport, const void *data, size_t len)
{
    uint8_t udp[LINK_FRAME_MAX];

    wr16(udp, sport);
    wr16(udp + 2, dport);
    wr16(udp + 4, (uint16_t)(8 + len));
    wr16(udp + 6, 0);
    if (len)
        memcpy(udp + 8, data, len);
    wr16(udp + 6, ref_udp_csum(src, dst, udp, 8 + len));
    return build_ipv4(f, eth_dst, eth_src, src, dst, 17, NULL, 0, udp, 8 + len);
}

size_t build_echo(uint8_t *f, const uint8_t *eth_dst, const uint8_t *eth_src, uint32_t src,
                  uint32_t dst, uint8_t type, uint16_t id, uint16_t seq, size_t payload_len)
{
    uint8_t icmp[LINK_FRAME_MAX];

    icmp[0] = type;
    icmp[1] = 0;
    wr16(icmp + 2, 0);
    wr16(icmp + 4, id);
    wr16(icmp + 6, seq);
    for (size_t i = 0; i < payload_len; i++)
        icmp[8 + i] = (uint8_t)(0xa0 + i);
    wr16(icmp + 2, (uint16_t)~ref_sum(icmp, 8 + payload_len, 0));
    return build_ipv4(f, eth_dst, eth_src, src, dst, 1, NULL, 0, icmp, 8 + payload_len);
}
