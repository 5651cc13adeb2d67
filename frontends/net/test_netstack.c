/*
 * Check suites for netstack on the host, under ASan and UBSan: ARP, IPv4,
 * ICMP and UDP.  The files under test are the files the guest links.  One
 * runner for these suites and those of test_csum_addr.c and
 * test_udp_bench.c; it fails when a test fails and when no test ran.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_fakes.h"

Suite *csum_addr_suite(void);
Suite *udp_bench_suite(void);

static uint8_t frame[LINK_FRAME_MAX];

/* ---- ARP ------------------------------------------------------------------------------ */

START_TEST(test_arp_request_answered)
{
    struct netstack ns;
    struct link l;
    struct link_frame *f;
    const uint8_t *a;
    size_t n;

    stack_init(&ns, &l, MAC_A, IP_A);
    n = build_arp(frame, 1, MAC_BCAST, MAC_X, IP_X, (const uint8_t[6]){ 0 }, IP_A);
    feed(&ns, frame, n, 0);

    ck_assert_uint_eq(ns.stats.rx_arp_requests, 1);
    ck_assert_uint_eq(ns.stats.tx_arp_replies, 1);
    f = link_pop(&l);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(f->len, 60);                      /* padded to the minimum */
    ck_assert_mem_eq(f->data, MAC_X, 6);                 /* unicast to the asker */
    ck_assert_mem_eq(f->data + 6, MAC_A, 6);
    ck_assert_uint_eq(rd16(f->data + 12), 0x0806);
    a = f->data + 14;
    ck_assert_uint_eq(rd16(a), 1);
    ck_assert_uint_eq(rd16(a + 2), 0x0800);
    ck_assert_uint_eq(a[4], 6);
    ck_assert_uint_eq(a[5], 4);
    ck_assert_uint_eq(rd16(a + 6), 2);                   /* reply */
    ck_assert_mem_eq(a + 8, MAC_A, 6);
    ck_assert_uint_eq(rd32(a + 14), IP_A);
    ck_assert_mem_eq(a + 18, MAC_X, 6);
    ck_assert_uint_eq(rd32(a + 24), IP_X);
    for (size_t i = 42; i < 60; i++)
        ck_assert_uint_eq(f->data[i], 0);
    ck_assert_ptr_null(link_pop(&l));
}
END_TEST

START_TEST(test_arp_learned_from_request)
{
    struct netstack ns;
    struct link l;
    uint8_t mac[6];
    size_t n;

    stack_init(&ns, &l, MAC_A, IP_A);
    ck_assert(!netstack_arp_lookup(&ns, IP_X, mac));
    n = build_arp(frame, 1, MAC_BCAST, MAC_X, IP_X, (const uint8_t[6]){ 0 }, IP_A);
    feed(&ns, frame, n, 0);
    ck_assert(netstack_arp_lookup(&ns, IP_X, mac));
    ck_assert_mem_eq(mac, MAC_X, 6);
    /* Resolving it sends nothing more than the reply already queued. */
    ck_assert_int_eq(netstack_resolve(&ns, IP_X, mac), 0);
    ck_assert_uint_eq(l.sent, 1);
    /* It expires. */
    fake_clock_ns += (uint64_t)NETSTACK_ARP_TTL_MS * 1000000u;
    ck_assert(!netstack_arp_lookup(&ns, IP_X, mac));
}
END_TEST

START_TEST(test_arp_other_ip_ignored)
{
    struct netstack ns;
    struct link l;
    uint8_t mac[6];
    size_t n;

    stack_init(&ns, &l, MAC_A, IP_A);
    n = build_arp(frame, 1, MAC_BCAST, MAC_X, IP_X, (const uint8_t[6]){ 0 }, IP_B);
    feed(&ns, frame, n, 0);
    ck_assert_uint_eq(ns.stats.drop_not_for_us, 1);
    ck_assert_uint_eq(ns.stats.rx_arp_requests, 0);
    ck_assert_uint_eq(l.sent, 0);
    ck_assert(!netstack_arp_lookup(&ns, IP_X, mac));
    /* An unsolicited reply for us creates no entry either. */
    n = build_arp(frame, 2, MAC_A, MAC_X, IP_X, MAC_A, IP_A);
    feed(&ns, frame, n, 0);
    ck_assert_uint_eq(ns.stats.rx_arp_replies, 1);
    ck_assert(!netstack_arp_lookup(&ns, IP_X, mac));
    /* Probes (sender 0.0.0.0) are answered but not learned. */
    n = build_arp(frame, 1, MAC_BCAST, MAC_X, 0, (const uint8_t[6]){ 0 }, IP_A);
    feed(&ns, frame, n, 0);
    ck_assert_uint_eq(l.sent, 1);
    ck_assert(!netstack_arp_lookup(&ns, 0, mac));
}
END_TEST

START_TEST(test_arp_malformed)
{
    struct netstack ns;
    struct link l;
    size_t n;

    stack_init(&ns, &l, MAC_A, IP_A);
    n = build_arp(frame, 1, MAC_BCAST, MAC_X, IP_X, (const uint8_t[6]){ 0 }, IP_A);
    frame[14 + 4] = 8;                                  /* hlen */
    feed(&ns, frame, n, 0);
    ck_assert_uint_eq(ns.stats.drop_bad_header, 1);
    n = build_arp(frame, 1, MAC_BCAST, MAC_BCAST, IP_X, (const uint8_t[6]){ 0 }, IP_A);
    feed(&ns, frame, n, 0);                             /* broadcast sender MAC */
    ck_assert_uint_eq(ns.stats.drop_bad_header, 2);
    n = build_arp(frame, 3, MAC_BCAST, MAC_X, IP_X, (const uint8_t[6]){ 0 }, IP_A);
    feed(&ns, frame, n, 0);                             /* RARP op */
    ck_assert_uint_eq(ns.stats.drop_unknown_proto, 1);
    ck_assert_uint_eq(l.sent, 0);
}
END_TEST

START_TEST(test_arp_resolve_request_and_retry)
{
    struct netstack ns;
    struct link l;
    struct link_frame *f;
    uint8_t mac[6];
    size_t n;

    fake_clock_ns = 5000000000u;
    stack_init(&ns, &l, MAC_A, IP_A);
    ck_assert_int_eq(netstack_resolve(&ns, IP_X, mac), NETSTACK_EINPROGRESS);
    f = link_pop(&l);
    ck_assert_ptr_nonnull(f);
    ck_assert_mem_eq(f->data, MAC_BCAST, 6);
    ck_assert_uint_eq(rd16(f->data + 14 + 6), 1);
    ck_assert_mem_eq(f->data + 14 + 8, MAC_A, 6);
    ck_assert_uint_eq(rd32(f->data + 14 + 14), IP_A);
    ck_assert_uint_eq(rd32(f->data + 14 + 24), IP_X);
    /* Within the retry interval: no second request. */
    fake_clock_ns += 999u * 1000000u;
    ck_assert_int_eq(netstack_resolve(&ns, IP_X, mac), NETSTACK_EINPROGRESS);
    ck_assert_uint_eq(l.sent, 1);
    fake_clock_ns += 1000000u;
    ck_assert_int_eq(netstack_resolve(&ns, IP_X, mac), NETSTACK_EINPROGRESS);
    ck_assert_uint_eq(l.sent, 2);
    ck_assert_uint_eq(ns.stats.tx_arp_requests, 2);
    /* A full ring: the error, and the next call tries again at once. */
    l.busy = 1;
    fake_clock_ns += 2000u * 1000000u;
    ck_assert_int_eq(netstack_resolve(&ns, IP_X, mac), NETSTACK_EAGAIN);
    ck_assert_int_eq(netstack_resolve(&ns, IP_X, mac), NETSTACK_EINPROGRESS);
    ck_assert_uint_eq(l.sent, 3);
    /* The reply resolves it. */
    n = build_arp(frame, 2, MAC_A, MAC_X, IP_X, MAC_A, IP_A);
    feed(&ns, frame, n, 0);
    ck_assert_uint_eq(ns.stats.rx_arp_replies, 1);
    ck_assert_int_eq(netstack_resolve(&ns, IP_X, mac), 0);
    ck_assert_mem_eq(mac, MAC_X, 6);
    /* Broadcasts need no ARP; our own address and 0 are unreachable. */
    ck_assert_int_eq(netstack_resolve(&ns, IPV4(10, 0, 0, 255), mac), 0);
    ck_assert_mem_eq(mac, MAC_BCAST, 6);
    ck_assert_int_eq(netstack_resolve(&ns, 0xffffffffu, mac), 0);
    ck_assert_int_eq(netstack_resolve(&ns, IP_A, mac), NETSTACK_EHOSTUNREACH);
    ck_assert_int_eq(netstack_resolve(&ns, 0, mac), NETSTACK_EHOSTUNREACH);
}
END_TEST

START_TEST(test_arp_cache_eviction)
{
    struct netstack ns;
    struct link l;
    uint8_t mac[6], hw[6] = { 0x00, 0x16, 0x3e, 0x10, 0x00, 0x00 };

    stack_init(&ns, &l, MAC_A, IP_A);
    l.discard = true;
    for (unsigned i = 0; i <= NETSTACK_ARP_SLOTS; i++) {
        hw[5] = (uint8_t)i;
        fake_clock_ns += 1000000u;
        feed(&ns, frame, build_arp(frame, 1, MAC_BCAST, hw, IPV4(10, 0, 0, 100 + i),
                                   (const uint8_t[6]){ 0 }, IP_A), 0);
    }
    /* The oldest went; the rest, and the newest, are there. */
    ck_assert(!netstack_arp_lookup(&ns, IPV4(10, 0, 0, 100), mac));
    for (unsigned i = 1; i <= NETSTACK_ARP_SLOTS; i++) {
        ck_assert(netstack_arp_lookup(&ns, IPV4(10, 0, 0, 100 + i), mac));
        ck_assert_uint_eq(mac[5], i);
    }
    netstack_arp_flush(&ns);
    ck_assert(!netstack_arp_lookup(&ns, IPV4(10, 0, 0, 101), mac));
}
END_TEST

/* ---- IPv4 ------------------------------------------------------------------------------- */

static uint8_t udp_got[LINK_FRAME_MAX];
static size_t udp_got_len;
static unsigned udp_got_count;
static struct netstack_udp_info udp_got_info;

static void udp_record(void *ctx, struct netstack *ns, const struct netstack_udp_info *info,
                       const void *data, size_t len)
{
    (void)ctx, (void)ns;
    memcpy(udp_got, data, len);
    udp_got_len = len;
    udp_got_info = *info;
    udp_got_count++;
}

static void stack_with_port(struct netstack *ns, struct link *l, uint16_t port)
{
    stack_init(ns, l, MAC_A, IP_A);
    udp_got_count = 0;
    udp_got_len = 0;
    ck_assert_int_eq(netstack_udp_bind(ns, port, udp_record, NULL), 0);
}

START_TEST(test_ipv4_bad_header_checksum)
{
    struct netstack ns;
    struct link l;
    size_t n;

    stack_with_port(&ns, &l, 7);
    n = build_udp(frame, MAC_A, MAC_X, IP_X, IP_A, 1000, 7, "x", 1);
    frame[14 + 10] ^= 0x01;
    /* DATA_VALIDATED covers UDP, never the IP header. */
    feed(&ns, frame, n, NETSTACK_RX_DATA_VALIDATED);
    ck_assert_uint_eq(ns.stats.drop_bad_csum, 1);
    ck_assert_uint_eq(udp_got_count, 0);
    frame[14 + 10] ^= 0x01;
    feed(&ns, frame, n, 0);
    ck_assert_uint_eq(udp_got_count, 1);
}
END_TEST

START_TEST(test_ipv4_header_checks)
{
    struct netstack ns;
    struct link l;
    size_t n;

    stack_with_port(&ns, &l, 7);
    /* Version 6 in an IPv4 frame. */
    n = build_udp(frame, MAC_A, MAC_X, IP_X, IP_A, 1000, 7, "x", 1);
    frame[14] = 0x65;
    feed(&ns, frame, n, 0);
    ck_assert_uint_eq(ns.stats.drop_bad_header, 1);
    /* IHL 4. */
    n = build_udp(frame, MAC_A, MAC_X, IP_X, IP_A, 1000, 7, "x", 1);
    frame[14] = 0x44;
    feed(&ns, frame, n, 0);
    ck_assert_uint_eq(ns.stats.drop_bad_header, 2);
    /* Total length below the header length, and beyond the frame. */
    n = build_udp(frame, MAC_A, MAC_X, IP_X, IP_A, 1000, 7, "x", 1);
    wr16(frame + 14 + 2, 19);
    feed(&ns, frame, n, NETSTACK_RX_DATA_VALIDATED);
    wr16(frame + 14 + 2, (uint16_t)(n - 14 + 1));
    feed(&ns, frame, n, NETSTACK_RX_DATA_VALIDATED);
    ck_assert_uint_eq(ns.stats.drop_bad_length, 2);
    /* Broadcast source. */
    n = build_udp(frame, MAC_A, MAC_X, 0xffffffffu, IP_A, 1000, 7, "x", 1);
    feed(&ns, frame, n, 0);
    ck_assert_uint_eq(ns.stats.drop_bad_header, 3);
    /* Not our IP; not our MAC. */
    n = build_udp(frame, MAC_A, MAC_X, IP_X, IP_B, 1000, 7, "x", 1);
    feed(&ns, frame, n, 0);
    n = build_udp(frame, MAC_B, MAC_X, IP_X, IP_A, 1000, 7, "x", 1);
    feed(&ns, frame, n, 0);
    ck_assert_uint_eq(ns.stats.drop_not_for_us, 2);
    /* TCP; IPv6; a VLAN tag. */
    n = build_ipv4(frame, MAC_A, MAC_X, IP_X, IP_A, 6, NULL, 0, "0123456789abcdefghij", 20);
    feed(&ns, frame, n, 0);
    ck_assert_uint_eq(ns.stats.drop_unknown_proto, 1);
    wr16(frame + 12, 0x86dd);
    feed(&ns, frame, n, 0);
    wr16(frame + 12, 0x8100);
    feed(&ns, frame, n, 0);
    ck_assert_uint_eq(ns.stats.drop_unknown_ethertype, 2);
    ck_assert_uint_eq(udp_got_count, 0);
    ck_assert_uint_eq(l.sent, 0);
}
END_TEST

START_TEST(test_ipv4_fragments_dropped)
{
    struct netstack ns;
    struct link l;
    uint8_t *ip = frame + 14;
    size_t n;

    stack_with_port(&ns, &l, 7);
    for (int i = 0; i < 3; i++) {
        static const uint16_t frag[3] = { 0x2000, 0x0001, 0x2000 | 0x00b9 };

        n = build_udp(frame, MAC_A, MAC_X, IP_X, IP_A, 1000, 7, "x", 1);
        wr16(ip + 6, frag[i]);
        wr16(ip + 10, 0);
        wr16(ip + 10, (uint16_t)~ref_sum(ip, 20, 0));
        feed(&ns, frame, n, 0);
    }
    ck_assert_uint_eq(ns.stats.drop_fragment, 3);
    ck_assert_uint_eq(udp_got_count, 0);
    /* DF alone is fine. */
    n = build_udp(frame, MAC_A, MAC_X, IP_X, IP_A, 1000, 7, "x", 1);
    wr16(ip + 6, 0x4000);
    wr16(ip + 10, 0);
    wr16(ip + 10, (uint16_t)~ref_sum(ip, 20, 0));
    feed(&ns, frame, n, 0);
    ck_assert_uint_eq(udp_got_count, 1);
}
END_TEST

START_TEST(test_ipv4_options_and_padding)
{
    /* Router alert (RFC 2113) then NOP, NOP, EOL: IHL 7. */
    static const uint8_t opts[8] = { 0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00 };
    uint8_t udp[8 + 5];
    struct netstack ns;
    struct link l;
    struct link_frame *f;
    uint8_t icmp[8 + 4] = { 8, 0, 0, 0, 0x12, 0x34, 0x00, 0x05, 'p', 'i', 'n', 'g' };
    size_t n;

    stack_with_port(&ns, &l, 7);
    wr16(udp, 1000);
    wr16(udp + 2, 7);
    wr16(udp + 4, sizeof(udp));
    wr16(udp + 6, 0);
    memcpy(udp + 8, "hello", 5);
    wr16(udp + 6, ref_udp_csum(IP_X, IP_A, udp, sizeof(udp)));
    n = build_ipv4(frame, MAC_A, MAC_X, IP_X, IP_A, 17, opts, sizeof(opts), udp, sizeof(udp));
    ck_assert_uint_eq(frame[14], 0x47);
    /* Padded to 60 with junk after the datagram: ignored. */
    ck_assert_uint_lt(n, 60);
    memset(frame + n, 0xee, 60 - n);
    feed(&ns, frame, 60, 0);
    ck_assert_uint_eq(udp_got_count, 1);
    ck_assert_uint_eq(udp_got_len, 5);
    ck_assert_mem_eq(udp_got, "hello", 5);
    ck_assert_uint_eq(udp_got_info.src_port, 1000);
    ck_assert_uint_eq(udp_got_info.src_ip, IP_X);

    /* An echo request with options is answered, without them. */
    wr16(icmp + 2, (uint16_t)~ref_sum(icmp, sizeof(icmp), 0));
    n = build_ipv4(frame, MAC_A, MAC_X, IP_X, IP_A, 1, opts, sizeof(opts), icmp, sizeof(icmp));
    feed(&ns, frame, n, 0);
    ck_assert_uint_eq(ns.stats.rx_icmp_echo_requests, 1);
    f = link_pop(&l);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(f->data[14], 0x45);
    ck_assert_uint_eq(rd16(f->data + 14 + 2), 20 + sizeof(icmp));
    ck_assert_uint_eq(f->data[34], 0);
    ck_assert_mem_eq(f->data + 34 + 4, icmp + 4, sizeof(icmp) - 4);
}
END_TEST

/* Every prefix of a good frame: never read past it (ASan), always counted. */
static void feed_prefixes(struct netstack *ns, const uint8_t *good, size_t full,
                          size_t shortest_ok, unsigned rx_flags)
{
    for (size_t len = 0; len <= full; len++) {
        uint8_t *exact = malloc(len ? len : 1);
        uint64_t drops = netstack_drops(&ns->stats), rx = ns->stats.rx_frames;
        uint64_t bad_length = ns->stats.drop_bad_length;

        ck_assert_ptr_nonnull(exact);
        memcpy(exact, good, len);
        feed(ns, exact, len, rx_flags);
        free(exact);
        ck_assert_uint_eq(ns->stats.rx_frames, rx + 1);
        if (len < shortest_ok) {
            ck_assert_msg(netstack_drops(&ns->stats) == drops + 1, "length %zu not dropped", len);
            ck_assert_msg(ns->stats.drop_bad_length == bad_length + 1,
                          "length %zu not counted as bad length", len);
        } else {
            ck_assert_msg(netstack_drops(&ns->stats) == drops, "length %zu dropped", len);
        }
    }
}

START_TEST(test_truncated_frames)
{
    static const uint8_t opts[4] = { 0x01, 0x01, 0x01, 0x00 };
    uint8_t udp[8 + 100];
    struct netstack ns;
    struct link l;
    size_t n;

    stack_with_port(&ns, &l, 7);
    l.discard = true;

    memset(udp, 0x5c, sizeof(udp));
    n = build_udp(frame, MAC_A, MAC_X, IP_X, IP_A, 1000, 7, udp + 8, 100);
    feed_prefixes(&ns, frame, n, n, 0);
    ck_assert_uint_eq(udp_got_count, 1);
    ck_assert_uint_eq(ns.stats.drop_bad_length, n);

    wr16(udp + 2, 7);
    wr16(udp + 4, sizeof(udp));
    wr16(udp + 6, 0);                                   /* no checksum */
    n = build_ipv4(frame, MAC_A, MAC_X, IP_X, IP_A, 17, opts, 4, udp, sizeof(udp));
    feed_prefixes(&ns, frame, n, n, NETSTACK_RX_DATA_VALIDATED);
    ck_assert_uint_eq(udp_got_count, 2);

    n = build_echo(frame, MAC_A, MAC_X, IP_X, IP_A, 8, 1, 2, 56);
    feed_prefixes(&ns, frame, n, n, 0);
    ck_assert_uint_eq(ns.stats.rx_icmp_echo_requests, 1);

    /* ARP is complete at 42 bytes. */
    n = build_arp(frame, 1, MAC_BCAST, MAC_X, IP_X, (const uint8_t[6]){ 0 }, IP_A);
    feed_prefixes(&ns, frame, n, n, 0);
    ck_assert_uint_eq(ns.stats.rx_arp_requests, 1);
    ck_assert_uint_eq(ns.stats.drop_bad_length, ns.stats.rx_frames - 4);

    /* UDP length beyond the IP payload, with consistent IP lengths. */
    n = build_udp(frame, MAC_A, MAC_X, IP_X, IP_A, 1000, 7, "abc", 3);
    wr16(frame + 34 + 4, 12);
    feed(&ns, frame, n, NETSTACK_RX_DATA_VALIDATED);
    wr16(frame + 34 + 4, 7);
    feed(&ns, frame, n, NETSTACK_RX_DATA_VALIDATED);
    ck_assert_uint_eq(ns.stats.drop_bad_length, ns.stats.rx_frames - 4);
    ck_assert_uint_eq(udp_got_count, 2);
}
END_TEST

START_TEST(test_random_mutations)
{
    struct netstack ns;
    struct link l;
    uint8_t good[4][LINK_FRAME_MAX];
    size_t glen[4];
    unsigned seed = 12345;

    stack_with_port(&ns, &l, 7);
    l.discard = true;
    glen[0] = build_udp(good[0], MAC_A, MAC_X, IP_X, IP_A, 1000, 7, "payload!", 8);
    glen[1] = build_echo(good[1], MAC_A, MAC_X, IP_X, IP_A, 8, 9, 9, 40);
    glen[2] = build_arp(good[2], 1, MAC_BCAST, MAC_X, IP_X, (const uint8_t[6]){ 0 }, IP_A);
    glen[3] = build_echo(good[3], MAC_A, MAC_X, IP_X, IP_A, 0, 9, 9, 40);
    for (int iter = 0; iter < 20000; iter++) {
        unsigned k;
        size_t len;
        uint8_t *buf;

        seed = seed * 1103515245u + 12345u;
        k = (seed >> 16) % 4;
        len = glen[k] + 8;
        buf = malloc(len);
        ck_assert_ptr_nonnull(buf);
        memcpy(buf, good[k], glen[k]);
        memset(buf + glen[k], 0, 8);
        for (int m = 0; m < 3; m++) {
            seed = seed * 1103515245u + 12345u;
            buf[(seed >> 8) % 50] ^= (uint8_t)(1u << ((seed >> 4) % 8));
        }
        seed = seed * 1103515245u + 12345u;
        len = (seed >> 16) % (len + 1);
        feed(&ns, buf, len, (seed >> 3) & 1 ? NETSTACK_RX_DATA_VALIDATED : 0);
        free(buf);
    }
    ck_assert_uint_eq(ns.stats.rx_frames, 20000);
}
END_TEST

/* ---- ICMP ----------------------------------------------------------------------------------- */

static unsigned ping_calls;
static uint64_t ping_rtt;

static void on_ping(void *ctx, uint32_t from, uint16_t id, uint16_t seq, size_t len, uint64_t rtt)
{
    (void)ctx;
    ck_assert_uint_eq(from, IP_B);
    ck_assert_uint_eq(id, 0x4242);
    ck_assert_uint_eq(seq, 1);
    ck_assert_uint_eq(len, 56);
    ping_rtt = rtt;
    ping_calls++;
}

START_TEST(test_ping_back_to_back)
{
    static struct pair p;
    uint64_t rtt = 0;

    pair_init(&p);
    ping_calls = 0;
    netstack_set_ping_handler(&p.a, on_ping, NULL);
    /* First call: ARP. */
    ck_assert_int_eq(netstack_ping(&p.a, IP_B, 0x4242, 1, 56), NETSTACK_EINPROGRESS);
    pair_pump(&p);
    ck_assert_int_eq(netstack_ping(&p.a, IP_B, 0x4242, 1, 56), 0);
    ck_assert(!netstack_ping_reply_seen(&p.a, 0x4242, 1, &rtt));
    fake_clock_ns += 250000;                            /* the wire takes 250 us */
    ck_assert_uint_eq(pair_pump(&p), 2);
    ck_assert(netstack_ping_reply_seen(&p.a, 0x4242, 1, &rtt));
    ck_assert_uint_eq(rtt, 250000);
    ck_assert_uint_eq(ping_calls, 1);
    ck_assert_uint_eq(ping_rtt, 250000);
    ck_assert(!netstack_ping_reply_seen(&p.a, 0x4242, 2, NULL));
    ck_assert_uint_eq(p.b.stats.rx_icmp_echo_requests, 1);
    ck_assert_uint_eq(p.a.stats.rx_icmp_echo_replies, 1);
    ck_assert_uint_eq(p.a.stats.tx_icmp_echo_requests, 1);
    /* The same reply again is not an answer to anything. */
    ck_assert_int_eq(netstack_ping(&p.a, IP_B, 0x4242, 1, 56), 0);
    pair_pump(&p);
    ck_assert_uint_eq(ping_calls, 2);
}
END_TEST

START_TEST(test_echo_reply_contents)
{
    struct netstack ns;
    struct link l;
    struct link_frame *f;
    uint8_t req[LINK_FRAME_MAX];
    const uint8_t *ip, *icmp;
    size_t n;

    stack_init(&ns, &l, MAC_A, IP_A);
    n = build_echo(req, MAC_A, MAC_X, IP_X, IP_A, 8, 0xbeef, 0x0102, 1472);
    feed(&ns, req, n, 0);
    f = link_pop(&l);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(f->len, 1514);
    ck_assert_mem_eq(f->data, MAC_X, 6);
    ck_assert_mem_eq(f->data + 6, MAC_A, 6);
    ip = f->data + 14;
    ck_assert_uint_eq(ref_sum(ip, 20, 0), 0xffff);
    ck_assert_uint_eq(rd32(ip + 12), IP_A);
    ck_assert_uint_eq(rd32(ip + 16), IP_X);
    ck_assert_uint_eq(ip[9], 1);
    ck_assert_uint_eq(rd16(ip + 6), 0x4000);
    icmp = ip + 20;
    ck_assert_uint_eq(icmp[0], 0);
    ck_assert_uint_eq(icmp[1], 0);
    ck_assert_uint_eq(ref_sum(icmp, 8 + 1472, 0), 0xffff);
    ck_assert_mem_eq(icmp + 4, req + 34 + 4, 4 + 1472);

    /* A bad ICMP checksum: dropped, unless the backend vouched for it. */
    req[34 + 8] ^= 0xff;
    feed(&ns, req, n, 0);
    ck_assert_uint_eq(ns.stats.drop_bad_csum, 1);
    feed(&ns, req, n, NETSTACK_RX_DATA_VALIDATED);
    ck_assert_uint_eq(ns.stats.rx_icmp_echo_requests, 2);
    f = link_pop(&l);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(ref_sum(f->data + 34, 8 + 1472, 0), 0xffff);
    /* Echo to the broadcast address is ignored; other ICMP types dropped. */
    n = build_echo(req, MAC_BCAST, MAC_X, IP_X, IPV4(10, 0, 0, 255), 8, 1, 1, 8);
    feed(&ns, req, n, 0);
    ck_assert_uint_eq(ns.stats.drop_not_for_us, 1);
    n = build_echo(req, MAC_A, MAC_X, IP_X, IP_A, 13, 1, 1, 12);     /* timestamp */
    feed(&ns, req, n, 0);
    ck_assert_uint_eq(ns.stats.drop_unknown_proto, 1);
    /* Unsolicited echo reply. */
    n = build_echo(req, MAC_A, MAC_X, IP_X, IP_A, 0, 1, 1, 8);
    feed(&ns, req, n, 0);
    ck_assert_uint_eq(ns.stats.ping_unmatched, 1);
    ck_assert_ptr_null(link_pop(&l));
}
END_TEST

START_TEST(test_ping_via_gateway)
{
    struct netstack ns;
    struct link l;
    struct link_frame *f;
    const uint32_t far = IPV4(192, 0, 2, 7);
    size_t n;

    stack_init(&ns, &l, MAC_A, IP_A);
    ck_assert_int_eq(netstack_ping(&ns, far, 1, 1, 8), NETSTACK_EHOSTUNREACH);
    ck_assert_int_eq(netstack_set_gateway(&ns, IP_GW), 0);
    ck_assert_int_eq(netstack_ping(&ns, far, 1, 1, 8), NETSTACK_EINPROGRESS);
    f = link_pop(&l);
    ck_assert_uint_eq(rd32(f->data + 14 + 24), IP_GW);  /* ARP for the gateway */
    feed(&ns, frame, build_arp(frame, 2, MAC_A, MAC_GW, IP_GW, MAC_A, IP_A), 0);
    ck_assert_int_eq(netstack_ping(&ns, far, 1, 1, 8), 0);
    f = link_pop(&l);
    ck_assert_mem_eq(f->data, MAC_GW, 6);
    ck_assert_uint_eq(rd32(f->data + 14 + 16), far);
    ck_assert_int_eq(netstack_ping(&ns, far, 1, 2, NETSTACK_PING_MAX_PAYLOAD + 1),
                     NETSTACK_EMSGSIZE);
    /* The reply comes back through the router, from far. */
    n = build_echo(frame, MAC_A, MAC_GW, far, IP_A, 0, 1, 1, 8);
    feed(&ns, frame, n, 0);
    ck_assert(netstack_ping_reply_seen(&ns, 1, 1, NULL));
    /* A reply from the wrong host does not count. */
    ck_assert_int_eq(netstack_ping(&ns, far, 1, 3, 8), 0);
    n = build_echo(frame, MAC_A, MAC_GW, IPV4(192, 0, 2, 8), IP_A, 0, 1, 3, 8);
    feed(&ns, frame, n, 0);
    ck_assert(!netstack_ping_reply_seen(&ns, 1, 3, NULL));
    ck_assert_uint_eq(ns.stats.ping_unmatched, 1);
}
END_TEST

/* ---- UDP ------------------------------------------------------------------------------------ */

static void udp_echo(void *ctx, struct netstack *ns, const struct netstack_udp_info *info,
                     const void *data, size_t len)
{
    (void)ctx;
    ck_assert_int_eq(netstack_udp_send(ns, info->dst_port, info->src_ip, info->src_port,
                                       data, len, 0), 0);
}

START_TEST(test_udp_echo_back_to_back)
{
    static struct pair p;
    char msg[1472];

    pair_init(&p);
    pair_resolve(&p);
    ck_assert_int_eq(netstack_udp_bind(&p.b, 7, udp_echo, NULL), 0);
    ck_assert_int_eq(netstack_udp_bind(&p.a, 40000, udp_record, NULL), 0);
    udp_got_count = 0;
    for (size_t len = 0; len <= sizeof(msg); len += 367) {
        for (size_t i = 0; i < len; i++)
            msg[i] = (char)(i * 7 + len);
        ck_assert_int_eq(netstack_udp_send(&p.a, 40000, IP_B, 7, msg, len, 0), 0);
        ck_assert_uint_eq(pair_pump(&p), 2);
        ck_assert_uint_eq(udp_got_len, len);
        ck_assert_mem_eq(udp_got, msg, len);
        ck_assert_uint_eq(udp_got_info.src_ip, IP_B);
        ck_assert_uint_eq(udp_got_info.src_port, 7);
        ck_assert_uint_eq(udp_got_info.dst_port, 40000);
    }
    ck_assert_uint_eq(udp_got_count, 5);
    ck_assert_uint_eq(p.a.stats.tx_udp, 5);
    ck_assert_uint_eq(p.b.stats.rx_udp, 5);
    ck_assert_uint_eq(p.b.stats.tx_udp, 5);
    ck_assert_int_eq(netstack_udp_send(&p.a, 40000, IP_B, 7, msg, 1473, 0), NETSTACK_EMSGSIZE);
}
END_TEST

/* 10.0.0.10:40000 -> 10.0.0.11:7, "splitvisor says hi", IP id 1, DF, TTL 64.
 * Checksums worked out apart from this code (Python, plain 16-bit sum):
 * IP 26aa, UDP c4b1; pseudo-header alone 1440. */
static const uint8_t known_udp[] = {
    0x00, 0x16, 0x3e, 0x00, 0x00, 0x0b, 0x00, 0x16, 0x3e, 0x00, 0x00, 0x0a, 0x08, 0x00,
    0x45, 0x00, 0x00, 0x2e, 0x00, 0x01, 0x40, 0x00, 0x40, 0x11, 0x26, 0xaa,
    0x0a, 0x00, 0x00, 0x0a, 0x0a, 0x00, 0x00, 0x0b,
    0x9c, 0x40, 0x00, 0x07, 0x00, 0x1a, 0xc4, 0xb1,
    's', 'p', 'l', 'i', 't', 'v', 'i', 's', 'o', 'r', ' ', 's', 'a', 'y', 's', ' ', 'h', 'i',
};

START_TEST(test_udp_checksum_known_packet)
{
    static struct pair p;
    struct link_frame *f;

    pair_init(&p);
    pair_resolve(&p);
    ck_assert_int_eq(netstack_udp_send(&p.a, 40000, IP_B, 7, "splitvisor says hi", 18, 0), 0);
    f = link_pop(&p.la);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(sizeof(known_udp), 60);             /* no padding needed */
    ck_assert_uint_eq(f->len, sizeof(known_udp));
    ck_assert_uint_eq(f->flags, 0);
    ck_assert_mem_eq(f->data, known_udp, sizeof(known_udp));
}
END_TEST

START_TEST(test_udp_checksum_verified_on_receive)
{
    struct netstack ns;
    struct link l;
    uint8_t f[sizeof(known_udp)];

    stack_init(&ns, &l, MAC_B, IP_B);
    udp_got_count = 0;
    ck_assert_int_eq(netstack_udp_bind(&ns, 7, udp_record, NULL), 0);
    feed(&ns, known_udp, sizeof(known_udp), 0);
    ck_assert_uint_eq(udp_got_count, 1);
    ck_assert_mem_eq(udp_got, "splitvisor says hi", 18);
    /* One bit off in the data. */
    memcpy(f, known_udp, sizeof(f));
    f[50] ^= 0x20;
    feed(&ns, f, sizeof(f), 0);
    ck_assert_uint_eq(ns.stats.drop_bad_csum, 1);
    /* DATA_VALIDATED: the backend said it was good; believed. */
    feed(&ns, f, sizeof(f), NETSTACK_RX_DATA_VALIDATED);
    ck_assert_uint_eq(udp_got_count, 2);
    ck_assert_uint_eq(udp_got_info.rx_flags, NETSTACK_RX_DATA_VALIDATED);
    ck_assert_uint_eq(udp_got[8], 'O');
    /* Zero: no checksum was computed (RFC 768). */
    f[40] = f[41] = 0;
    feed(&ns, f, sizeof(f), 0);
    ck_assert_uint_eq(udp_got_count, 3);
    /* Nobody on port 8. */
    memcpy(f, known_udp, sizeof(f));
    wr16(f + 36, 8);
    feed(&ns, f, sizeof(f), NETSTACK_RX_DATA_VALIDATED);
    ck_assert_uint_eq(ns.stats.drop_no_port, 1);
}
END_TEST

START_TEST(test_udp_csum_blank_tx)
{
    static struct pair p;
    struct link_frame *f;
    uint8_t *udp;
    uint16_t partial;

    pair_init(&p);
    pair_resolve(&p);
    ck_assert_int_eq(netstack_udp_send(&p.a, 40000, IP_B, 7, "splitvisor says hi", 18,
                                       NETSTACK_CSUM_BLANK), 0);
    f = link_pop(&p.la);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(f->flags, NETSTACK_CSUM_BLANK);
    udp = f->data + 34;
    /* The field holds the folded pseudo-header sum, as CHECKSUM_PARTIAL. */
    partial = rd16(udp + 6);
    ck_assert_uint_eq(partial, 0x1440);
    /* Everything else is what the non-offloaded frame has. */
    ck_assert_mem_eq(f->data, known_udp, 40);
    ck_assert_mem_eq(f->data + 42, known_udp + 42, sizeof(known_udp) - 42);
    /* The device's part: sum from csum_start (34) to the end, complement,
     * store at csum_start + csum_offset (6). */
    wr16(udp + 6, (uint16_t)~ref_sum(udp, 26, 0));
    ck_assert_mem_eq(f->data, known_udp, sizeof(known_udp));
}
END_TEST

START_TEST(test_udp_csum_blank_rx)
{
    static struct pair p;
    char msg[100];

    pair_init(&p);
    pair_resolve(&p);
    ck_assert_int_eq(netstack_udp_bind(&p.b, 7, udp_record, NULL), 0);
    udp_got_count = 0;
    memset(msg, 'q', sizeof(msg));
    /* Without the flag on receive, the partial field would fail the check;
     * with it (the pump passes csum_blank across) the datagram arrives. */
    ck_assert_int_eq(netstack_udp_send(&p.a, 40000, IP_B, 7, msg, sizeof(msg),
                                       NETSTACK_CSUM_BLANK), 0);
    {
        struct link_frame *f = link_pop(&p.la);
        struct link_frame copy = *f;

        feed(&p.b, copy.data, copy.len, 0);
        ck_assert_uint_eq(p.b.stats.drop_bad_csum, 1);
        feed(&p.b, copy.data, copy.len, NETSTACK_RX_CSUM_BLANK);
    }
    ck_assert_uint_eq(udp_got_count, 1);
    ck_assert_uint_eq(udp_got_info.rx_flags, NETSTACK_RX_CSUM_BLANK);
    ck_assert_mem_eq(udp_got, msg, sizeof(msg));
}
END_TEST

START_TEST(test_udp_bind_and_send_errors)
{
    static struct pair p;

    pair_init(&p);
    ck_assert_int_eq(netstack_udp_bind(&p.a, 0, udp_record, NULL), NETSTACK_EINVAL);
    ck_assert_int_eq(netstack_udp_bind(&p.a, 7, NULL, NULL), NETSTACK_EINVAL);
    for (uint16_t port = 1; port <= NETSTACK_UDP_BINDS; port++)
        ck_assert_int_eq(netstack_udp_bind(&p.a, port, udp_record, NULL), 0);
    ck_assert_int_eq(netstack_udp_bind(&p.a, 3, udp_record, NULL), NETSTACK_EADDRINUSE);
    ck_assert_int_eq(netstack_udp_bind(&p.a, 100, udp_record, NULL), NETSTACK_ENOSPC);
    ck_assert_int_eq(netstack_udp_unbind(&p.a, 3), 0);
    ck_assert_int_eq(netstack_udp_unbind(&p.a, 3), NETSTACK_EINVAL);
    ck_assert_int_eq(netstack_udp_bind(&p.a, 100, udp_record, NULL), 0);

    ck_assert_int_eq(netstack_udp_send(&p.a, 0, IP_B, 7, "x", 1, 0), NETSTACK_EINVAL);
    ck_assert_int_eq(netstack_udp_send(&p.a, 1, IP_B, 0, "x", 1, 0), NETSTACK_EINVAL);
    ck_assert_int_eq(netstack_udp_send(&p.a, 1, IP_B, 7, NULL, 1, 0), NETSTACK_EINVAL);
    ck_assert_int_eq(netstack_udp_send(&p.a, 1, IPV4(10, 9, 9, 9), 7, "x", 1, 0),
                     NETSTACK_EHOSTUNREACH);
    ck_assert_int_eq(netstack_udp_send(&p.a, 1, IP_B, 7, "x", 1, 0), NETSTACK_EINPROGRESS);
    pair_pump(&p);
    /* A full ring: EAGAIN, counted, nothing left half-done. */
    p.la.busy = 1;
    ck_assert_int_eq(netstack_udp_send(&p.a, 1, IP_B, 7, "x", 1, 0), NETSTACK_EAGAIN);
    ck_assert_uint_eq(p.a.stats.tx_errors, 1);
    ck_assert_uint_eq(p.a.stats.tx_udp, 0);
    ck_assert_int_eq(netstack_udp_send(&p.a, 1, IP_B, 7, "x", 1, 0), 0);
    ck_assert_uint_eq(p.a.stats.tx_udp, 1);
    /* A datagram of none, and one to the subnet broadcast. */
    ck_assert_int_eq(netstack_udp_send(&p.a, 1, IP_B, 7, NULL, 0, 0), 0);
    ck_assert_int_eq(netstack_udp_bind(&p.b, 9, udp_record, NULL), 0);
    udp_got_count = 0;
    ck_assert_int_eq(netstack_udp_send(&p.a, 1, IPV4(10, 0, 0, 255), 9, "all", 3, 0), 0);
    pair_pump(&p);
    ck_assert_uint_eq(udp_got_count, 1);
    ck_assert_uint_eq(udp_got_info.dst_ip, IPV4(10, 0, 0, 255));
}
END_TEST

/* ---- the runner ------------------------------------------------------------------------------ */

static Suite *netstack_suite(void)
{
    Suite *s = suite_create("netstack");
    TCase *arp = tcase_create("arp");
    TCase *ip = tcase_create("ipv4");
    TCase *icmp = tcase_create("icmp");
    TCase *udp = tcase_create("udp");

    tcase_add_test(arp, test_arp_request_answered);
    tcase_add_test(arp, test_arp_learned_from_request);
    tcase_add_test(arp, test_arp_other_ip_ignored);
    tcase_add_test(arp, test_arp_malformed);
    tcase_add_test(arp, test_arp_resolve_request_and_retry);
    tcase_add_test(arp, test_arp_cache_eviction);
    tcase_add_test(ip, test_ipv4_bad_header_checksum);
    tcase_add_test(ip, test_ipv4_header_checks);
    tcase_add_test(ip, test_ipv4_fragments_dropped);
    tcase_add_test(ip, test_ipv4_options_and_padding);
    tcase_add_test(ip, test_truncated_frames);
    tcase_add_test(ip, test_random_mutations);
    tcase_add_test(icmp, test_ping_back_to_back);
    tcase_add_test(icmp, test_echo_reply_contents);
    tcase_add_test(icmp, test_ping_via_gateway);
    tcase_add_test(udp, test_udp_echo_back_to_back);
    tcase_add_test(udp, test_udp_checksum_known_packet);
    tcase_add_test(udp, test_udp_checksum_verified_on_receive);
    tcase_add_test(udp, test_udp_csum_blank_tx);
    tcase_add_test(udp, test_udp_csum_blank_rx);
    tcase_add_test(udp, test_udp_bind_and_send_errors);
    suite_add_tcase(s, arp);
    suite_add_tcase(s, ip);
    suite_add_tcase(s, icmp);
    suite_add_tcase(s, udp);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(netstack_suite());
    int run, failed;

    srunner_add_suite(sr, csum_addr_suite());
    srunner_add_suite(sr, udp_bench_suite());
    srunner_run_all(sr, CK_NORMAL);     /* prints "NN%: Checks: N, Failures: F, Errors: E" */
    run = srunner_ntests_run(sr);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (run == 0) {
        fprintf(stderr, "netstack unit: no test ran\n");
        return EXIT_FAILURE;
    }
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
