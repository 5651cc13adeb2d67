/*
 * csum.c: where the L4 checksum is, and completing it.
 */
#include <errno.h>
#include <string.h>

#include "csum.h"
#include "tests.h"

static uint8_t buf[2048];

START_TEST(parse_ipv4_tcp)
{
    struct frame_spec s = { .ip_version = 4, .proto = 6, .payload = 100 };
    size_t l4, len = frame_build(buf, &s, &l4);
    struct csum_l4 r;

    ck_assert_int_eq(csum_parse(buf, len, &r), 0);
    ck_assert_uint_eq(r.l3_off, 14);
    ck_assert_uint_eq(r.l4_off, 34);
    ck_assert_uint_eq(r.csum_off, 16);
    ck_assert_uint_eq(r.l4_hdr_len, 20);
    ck_assert_uint_eq(r.ip_version, 4);
    ck_assert_uint_eq(r.proto, 6);
}
END_TEST

START_TEST(parse_ipv4_udp_options_vlan)
{
    struct frame_spec s = { .ip_version = 4, .proto = 17, .payload = 30, .ip_opt_words = 2,
                            .vlan = true };
    size_t l4, len = frame_build(buf, &s, &l4);
    struct csum_l4 r;

    ck_assert_int_eq(csum_parse(buf, len, &r), 0);
    ck_assert_uint_eq(r.l3_off, 18);
    ck_assert_uint_eq(r.l4_off, 18 + 28);
    ck_assert_uint_eq(r.l4_off, l4);
    ck_assert_uint_eq(r.csum_off, 6);
    ck_assert_uint_eq(r.l4_hdr_len, 8);
}
END_TEST

START_TEST(parse_ipv6_tcp_hopopts)
{
    struct frame_spec s = { .ip_version = 6, .proto = 6, .payload = 10, .hopopts = true,
                            .tcp_opt_words = 3 };
    size_t l4, len = frame_build(buf, &s, &l4);
    struct csum_l4 r;

    ck_assert_int_eq(csum_parse(buf, len, &r), 0);
    ck_assert_uint_eq(r.l4_off, 14 + 40 + 8);
    ck_assert_uint_eq(r.ip_version, 6);
    ck_assert_uint_eq(r.l4_hdr_len, 32);
}
END_TEST

START_TEST(parse_refuses_non_ip_and_fragments)
{
    struct frame_spec s = { .ip_version = 4, .proto = 17, .payload = 10 };
    size_t l4, len = frame_build(buf, &s, &l4);
    struct csum_l4 r;

    buf[12] = 0x08;     /* ARP */
    buf[13] = 0x06;
    ck_assert_int_eq(csum_parse(buf, len, &r), -EPROTONOSUPPORT);
    len = frame_build(buf, &s, &l4);
    buf[14 + 6] = 0x20; /* more fragments */
    ck_assert_int_eq(csum_parse(buf, len, &r), -EPROTONOSUPPORT);
    s.proto = 1;        /* ICMP */
    len = frame_build(buf, &s, &l4);
    ck_assert_int_eq(csum_parse(buf, len, &r), -EPROTONOSUPPORT);
}
END_TEST

START_TEST(parse_refuses_truncated_headers)
{
    struct frame_spec s = { .ip_version = 4, .proto = 6, .payload = 0 };
    size_t l4, len = frame_build(buf, &s, &l4);
    struct csum_l4 r;

    ck_assert_int_eq(csum_parse(buf, 13, &r), -EINVAL);
    ck_assert_int_eq(csum_parse(buf, 14 + 19, &r), -EINVAL);     /* IPv4 header cut */
    ck_assert_int_eq(csum_parse(buf, len - 1, &r), -EINVAL);     /* TCP header cut */
    buf[14] = 0x4f;                                              /* ihl 60: past the end */
    ck_assert_int_eq(csum_parse(buf, len, &r), -EINVAL);
    len = frame_build(buf, &s, &l4);
    buf[l4 + 12] = 0xf0;                                         /* doff 60: past the end */
    ck_assert_int_eq(csum_parse(buf, len, &r), -EINVAL);
    buf[l4 + 12] = 0x40;                                         /* doff 16 < 20 */
    ck_assert_int_eq(csum_parse(buf, len, &r), -EINVAL);
}
END_TEST

START_TEST(parse_ipv6_extension_loop_is_bounded)
{
    struct frame_spec s = { .ip_version = 6, .proto = 6, .payload = 200, .hopopts = true };
    size_t l4, len = frame_build(buf, &s, &l4);
    struct csum_l4 r;

    /* The hop-by-hop header names itself as next, with length 0: fills
     * the frame with "extension headers" that never end. */
    for (size_t off = 54; off + 8 <= len; off += 8) {
        buf[off] = 0;
        buf[off + 1] = 0;
    }
    ck_assert_int_lt(csum_parse(buf, len, &r), 0);
}
END_TEST

START_TEST(complete_fills_a_valid_checksum)
{
    const struct frame_spec specs[] = {
        { .ip_version = 4, .proto = 6, .payload = 333 },
        { .ip_version = 4, .proto = 17, .payload = 1 },
        { .ip_version = 6, .proto = 17, .payload = 1000, .hopopts = true },
        { .ip_version = 6, .proto = 6, .payload = 0, .vlan = true },
    };
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
        size_t l4, len = frame_build(buf, &specs[i], &l4);
        ck_assert(!frame_l4_csum_ok(buf, len, &specs[i]) || specs[i].payload == 0);
        ck_assert_int_eq(csum_complete(buf, len, l4, specs[i].proto == 6 ? 16 : 6), 0);
        ck_assert_msg(frame_l4_csum_ok(buf, len, &specs[i]), "spec %zu", i);
    }
}
END_TEST

START_TEST(complete_refuses_offsets_past_the_frame)
{
    memset(buf, 0, 100);
    ck_assert_int_eq(csum_complete(buf, 100, 90, 9), -EINVAL);
    ck_assert_int_eq(csum_complete(buf, 100, 200, 0), -EINVAL);
    ck_assert_int_eq(csum_complete(buf, 100, 0, 65535), -EINVAL);
    ck_assert_int_eq(csum_complete(buf, 100, 90, 8), 0);
}
END_TEST

Suite *csum_suite(void)
{
    Suite *s = suite_create("csum");
    TCase *tc = tcase_create("csum");
    tcase_add_test(tc, parse_ipv4_tcp);
    tcase_add_test(tc, parse_ipv4_udp_options_vlan);
    tcase_add_test(tc, parse_ipv6_tcp_hopopts);
    tcase_add_test(tc, parse_refuses_non_ip_and_fragments);
    tcase_add_test(tc, parse_refuses_truncated_headers);
    tcase_add_test(tc, parse_ipv6_extension_loop_is_bounded);
    tcase_add_test(tc, complete_fills_a_valid_checksum);
    tcase_add_test(tc, complete_refuses_offsets_past_the_frame);
    suite_add_tcase(s, tc);
    return s;
}
