/*
 * Check suite for netstack's helpers on the host: the Internet checksum,
 * address text, and netstack_init's refusals.
 */
#include <check.h>
#include <string.h>

#include "test_fakes.h"

Suite *csum_addr_suite(void);

/* ---- checksum ------------------------------------------------------------------ */

START_TEST(test_csum_rfc1071_example)
{
    /* RFC 1071 section 3: these bytes sum to ddf2 (folded). */
    static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
    struct inet_csum c;

    inet_csum_init(&c);
    inet_csum_add(&c, b, sizeof(b));
    ck_assert_uint_eq(inet_csum_fold(&c), 0xddf2);
    ck_assert_uint_eq(inet_csum_final(&c), 0x220d);
    ck_assert_uint_eq(inet_checksum(b, sizeof(b)), 0x220d);
}
END_TEST

START_TEST(test_csum_known_ipv4_header)
{
    /* The textbook header (Wikipedia, "IPv4 header checksum"): b861. */
    uint8_t h[20] = { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                      0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7 };

    ck_assert_uint_eq(inet_checksum(h, sizeof(h)), 0xb861);
    h[10] = 0xb8;
    h[11] = 0x61;
    ck_assert_uint_eq(inet_checksum(h, sizeof(h)), 0);
}
END_TEST

START_TEST(test_csum_pieces_and_odd_lengths)
{
    uint8_t b[301];
    unsigned seed = 7;

    for (size_t i = 0; i < sizeof(b); i++) {
        seed = seed * 1103515245u + 12345u;
        b[i] = (uint8_t)(seed >> 16);
    }
    for (size_t len = 0; len <= sizeof(b); len += 1 + len / 8) {
        uint16_t whole = (uint16_t)~ref_sum(b, len, 0);

        ck_assert_uint_eq(inet_checksum(b, len), whole);
        /* Every split into three pieces, odd pieces included. */
        for (size_t i = 0; i <= len; i += 1 + len / 16)
            for (size_t j = i; j <= len; j += 1 + len / 16) {
                struct inet_csum c;

                inet_csum_init(&c);
                inet_csum_add(&c, b, i);
                inet_csum_add(&c, b + i, j - i);
                inet_csum_add(&c, b + j, len - j);
                ck_assert_uint_eq(inet_csum_final(&c), whole);
            }
    }
    /* A 16-bit word after an odd piece lands across the boundary. */
    {
        static const uint8_t abc[] = { 0x12, 0x34, 0x56 };
        static const uint8_t all[] = { 0x12, 0x34, 0x56, 0xab, 0xcd };
        struct inet_csum c;

        inet_csum_init(&c);
        inet_csum_add(&c, abc, 3);
        inet_csum_add16(&c, 0xabcd);
        ck_assert_uint_eq(inet_csum_final(&c), inet_checksum(all, sizeof(all)));
    }
}
END_TEST

/* ---- addresses ------------------------------------------------------------------- */

START_TEST(test_ip_parse_format)
{
    static const char *const bad[] = { "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ",
                                       " 1.2.3.4", "1..2.3", "1.2.3.-4", "01.2.3.4",
                                       "1.2.3.4/24", "1234.1.1.1", "a.b.c.d", "1.2.3." };
    char buf[IP_FORMAT_LEN];
    uint32_t ip = 0x5a5a5a5a;

    ck_assert_int_eq(ip_parse("10.0.0.2", &ip), 0);
    ck_assert_uint_eq(ip, IPV4(10, 0, 0, 2));
    ck_assert_int_eq(ip_parse("255.255.255.255", &ip), 0);
    ck_assert_uint_eq(ip, 0xffffffffu);
    ck_assert_int_eq(ip_parse("0.0.0.0", &ip), 0);
    ck_assert_uint_eq(ip, 0);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ip = 0x5a5a5a5a;
        ck_assert_msg(ip_parse(bad[i], &ip) == NETSTACK_EINVAL, "accepted \"%s\"", bad[i]);
        ck_assert_uint_eq(ip, 0x5a5a5a5a);
    }
    ck_assert_uint_eq(ip_format(IPV4(10, 0, 0, 2), buf), 8);
    ck_assert_str_eq(buf, "10.0.0.2");
    ck_assert_uint_eq(ip_format(0xffffffffu, buf), 15);
    ck_assert_str_eq(buf, "255.255.255.255");
    ip_format(IPV4(192, 168, 100, 9), buf);
    ck_assert_str_eq(buf, "192.168.100.9");
    for (uint64_t v = 0; v <= 0xffffffffu; v += 0x01010101u / 3 + 13) {
        ip_format((uint32_t)v, buf);
        ck_assert_int_eq(ip_parse(buf, &ip), 0);
        ck_assert_uint_eq(ip, v);
    }
}
END_TEST

START_TEST(test_cidr_and_mac)
{
    uint32_t ip, mask;
    uint8_t mac[6];
    char buf[MAC_FORMAT_LEN];
    static const uint8_t want[6] = { 0x00, 0x16, 0x3e, 0xab, 0x0c, 0xff };

    ck_assert_int_eq(ip_parse_cidr("10.0.0.2/24", &ip, &mask), 0);
    ck_assert_uint_eq(ip, IP_A - 8);
    ck_assert_uint_eq(mask, MASK24);
    ck_assert_int_eq(ip_parse_cidr("10.0.0.2/0", &ip, &mask), 0);
    ck_assert_uint_eq(mask, 0);
    ck_assert_int_eq(ip_parse_cidr("10.0.0.2/32", &ip, &mask), 0);
    ck_assert_uint_eq(mask, 0xffffffffu);
    ck_assert_int_eq(ip_parse_cidr("10.0.0.2/33", &ip, &mask), NETSTACK_EINVAL);
    ck_assert_int_eq(ip_parse_cidr("10.0.0.2/", &ip, &mask), NETSTACK_EINVAL);
    ck_assert_int_eq(ip_parse_cidr("10.0.0.2", &ip, &mask), NETSTACK_EINVAL);
    ck_assert_int_eq(ip_parse_cidr("10.0.0.2/2x", &ip, &mask), NETSTACK_EINVAL);

    ck_assert_int_eq(mac_parse("00:16:3E:ab:0c:ff", mac), 0);
    ck_assert_mem_eq(mac, want, 6);
    ck_assert_uint_eq(mac_format(mac, buf), 17);
    ck_assert_str_eq(buf, "00:16:3e:ab:0c:ff");
    ck_assert_int_eq(mac_parse("00:16:3e:ab:0c", mac), NETSTACK_EINVAL);
    ck_assert_int_eq(mac_parse("00:16:3e:ab:0c:ff:", mac), NETSTACK_EINVAL);
    ck_assert_int_eq(mac_parse("00-16-3e-ab-0c-ff", mac), NETSTACK_EINVAL);
    ck_assert_int_eq(mac_parse("0:16:3e:ab:0c:ff", mac), NETSTACK_EINVAL);
    ck_assert_int_eq(mac_parse("00:16:3e:ab:0c:fg", mac), NETSTACK_EINVAL);
}
END_TEST

/* ---- setup ------------------------------------------------------------------------ */

static int null_send(void *ctx, const void *f, size_t len, unsigned flags)
{
    (void)ctx, (void)f, (void)len, (void)flags;
    return 0;
}

static uint64_t ms_clock(void *ctx)
{
    (void)ctx;
    return 1234;
}

START_TEST(test_init_rejects)
{
    static const uint8_t group[6] = { 0x01, 0x00, 0x5e, 0, 0, 1 };
    static const uint8_t zero[6];
    struct netif_ops ok = { .send = null_send, .now_ms = ms_clock };
    struct netif_ops noclock = { .send = null_send };
    struct netstack ns;

    ck_assert_int_eq(netstack_init(&ns, MAC_A, IP_A, IPV4(255, 0, 255, 0), &ok), NETSTACK_EINVAL);
    ck_assert_int_eq(netstack_init(&ns, group, IP_A, MASK24, &ok), NETSTACK_EINVAL);
    ck_assert_int_eq(netstack_init(&ns, zero, IP_A, MASK24, &ok), NETSTACK_EINVAL);
    ck_assert_int_eq(netstack_init(&ns, MAC_A, 0, MASK24, &ok), NETSTACK_EINVAL);
    ck_assert_int_eq(netstack_init(&ns, MAC_A, IP_A, MASK24, &noclock), NETSTACK_EINVAL);
    ck_assert_int_eq(netstack_init(&ns, MAC_A, IP_A, MASK24, &ok), 0);
    /* Only now_ms given: nanoseconds derived. */
    ck_assert_uint_eq(netstack_now_ns(&ns), 1234000000u);
    ck_assert_int_eq(netstack_set_gateway(&ns, IPV4(10, 0, 1, 1)), NETSTACK_EINVAL);
    ck_assert_int_eq(netstack_set_gateway(&ns, IP_A), NETSTACK_EINVAL);
    ck_assert_int_eq(netstack_set_gateway(&ns, IP_GW), 0);
    ck_assert_uint_eq(ns.gateway, IP_GW);
    ck_assert_int_eq(netstack_set_gateway(&ns, 0), 0);
}
END_TEST

Suite *csum_addr_suite(void)
{
    Suite *s = suite_create("csum_addr");
    TCase *tc = tcase_create("csum+addr");

    tcase_add_test(tc, test_csum_rfc1071_example);
    tcase_add_test(tc, test_csum_known_ipv4_header);
    tcase_add_test(tc, test_csum_pieces_and_odd_lengths);
    tcase_add_test(tc, test_ip_parse_format);
    tcase_add_test(tc, test_cidr_and_mac);
    tcase_add_test(tc, test_init_rejects);
    suite_add_tcase(s, tc);
    return s;
}
