/*
 * offload.c: netif flags <-> virtio_net_hdr.
 */
#define _DEFAULT_SOURCE
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "offload.h"
#include "tests.h"

static uint8_t buf[4096];

START_TEST(tx_csum_blank_sets_needs_csum)
{
    struct frame_spec s = { .ip_version = 4, .proto = 6, .payload = 50 };
    size_t l4, len = frame_build(buf, &s, &l4);
    struct virtio_net_hdr h;
    const char *why = NULL;

    ck_assert_int_eq(offload_tx_hdr(NETTXF_csum_blank | NETTXF_data_validated, NULL, buf, len,
                                    &h, &why), 0);
    ck_assert_uint_eq(h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
    ck_assert_uint_eq(le16toh(h.csum_start), l4);
    ck_assert_uint_eq(le16toh(h.csum_offset), 16);
    ck_assert_uint_eq(h.gso_type, VIRTIO_NET_HDR_GSO_NONE);
}
END_TEST

START_TEST(tx_data_validated_and_plain)
{
    struct frame_spec s = { .ip_version = 6, .proto = 17, .payload = 5 };
    size_t l4, len = frame_build(buf, &s, &l4);
    struct virtio_net_hdr h;
    const char *why = NULL;

    ck_assert_int_eq(offload_tx_hdr(NETTXF_data_validated, NULL, buf, len, &h, &why), 0);
    ck_assert_uint_eq(h.flags, VIRTIO_NET_HDR_F_DATA_VALID);
    ck_assert_int_eq(offload_tx_hdr(0, NULL, buf, len, &h, &why), 0);
    ck_assert_uint_eq(h.flags, 0);
    ck_assert_uint_eq(h.csum_start, 0);
}
END_TEST

START_TEST(tx_csum_blank_on_non_l4_frame_refused)
{
    struct virtio_net_hdr h;
    const char *why = NULL;

    memset(buf, 0, 60);
    buf[12] = 0x08;
    buf[13] = 0x06;     /* ARP */
    ck_assert_int_eq(offload_tx_hdr(NETTXF_csum_blank, NULL, buf, 60, &h, &why),
                     -EPROTONOSUPPORT);
    ck_assert_ptr_nonnull(why);
}
END_TEST

START_TEST(tx_gso_tcpv4_and_v6)
{
    struct frame_spec s4 = { .ip_version = 4, .proto = 6, .payload = 3000, .tcp_opt_words = 3 };
    struct frame_spec s6 = { .ip_version = 6, .proto = 6, .payload = 3000 };
    struct netif_extra_info gso = { .type = XEN_NETIF_EXTRA_TYPE_GSO };
    struct virtio_net_hdr h;
    const char *why = NULL;
    size_t l4, len = frame_build(buf, &s4, &l4);

    gso.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
    gso.u.gso.size = 1448;
    ck_assert_int_eq(offload_tx_hdr(NETTXF_csum_blank, &gso, buf, len, &h, &why), 0);
    ck_assert_uint_eq(h.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
    ck_assert_uint_eq(le16toh(h.gso_size), 1448);
    ck_assert_uint_eq(le16toh(h.hdr_len), l4 + 32);

    len = frame_build(buf, &s6, &l4);
    gso.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV6;
    ck_assert_int_eq(offload_tx_hdr(NETTXF_csum_blank, &gso, buf, len, &h, &why), 0);
    ck_assert_uint_eq(h.gso_type, VIRTIO_NET_HDR_GSO_TCPV6);
    ck_assert_uint_eq(le16toh(h.hdr_len), l4 + 20);
}
END_TEST

START_TEST(tx_gso_refusals)
{
    struct frame_spec s6 = { .ip_version = 6, .proto = 6, .payload = 100 };
    struct frame_spec su = { .ip_version = 4, .proto = 17, .payload = 100 };
    struct netif_extra_info gso = { .type = XEN_NETIF_EXTRA_TYPE_GSO };
    struct virtio_net_hdr h;
    const char *why = NULL;
    size_t l4, len = frame_build(buf, &s6, &l4);

    gso.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;      /* on an IPv6 frame */
    gso.u.gso.size = 1400;
    ck_assert_int_eq(offload_tx_hdr(NETTXF_csum_blank, &gso, buf, len, &h, &why), -EINVAL);
    gso.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV6;      /* without csum_blank */
    ck_assert_int_eq(offload_tx_hdr(0, &gso, buf, len, &h, &why), -EINVAL);
    gso.u.gso.size = 0;                              /* no MSS */
    ck_assert_int_eq(offload_tx_hdr(NETTXF_csum_blank, &gso, buf, len, &h, &why), -EINVAL);
    gso.u.gso.size = 1400;
    gso.u.gso.type = 7;                              /* unknown */
    ck_assert_int_eq(offload_tx_hdr(NETTXF_csum_blank, &gso, buf, len, &h, &why), -EINVAL);
    len = frame_build(buf, &su, &l4);                /* UDP */
    gso.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
    ck_assert_int_eq(offload_tx_hdr(NETTXF_csum_blank, &gso, buf, len, &h, &why), -EINVAL);
}
END_TEST

static struct virtio_net_hdr needs_csum(size_t start, size_t off)
{
    struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM };
    h.csum_start = htole16((uint16_t)start);
    h.csum_offset = htole16((uint16_t)off);
    return h;
}

START_TEST(rx_needs_csum_passed_as_blank)
{
    struct frame_spec s = { .ip_version = 4, .proto = 6, .payload = 99 };
    size_t l4, len = frame_build(buf, &s, &l4);
    struct virtio_net_hdr h = needs_csum(l4, 16);
    struct offload_rx_caps caps = { .csum_v4 = true };
    uint8_t before[4096];
    uint16_t flags;
    const char *why = NULL;

    memcpy(before, buf, len);
    ck_assert_int_eq(offload_rx_flags(&h, buf, len, &caps, &flags, &why), 0);
    ck_assert_uint_eq(flags, NETRXF_csum_blank | NETRXF_data_validated);
    ck_assert_mem_eq(buf, before, len);
}
END_TEST

START_TEST(rx_needs_csum_completed_when_frontend_cannot)
{
    struct frame_spec s = { .ip_version = 6, .proto = 17, .payload = 77 };
    size_t l4, len = frame_build(buf, &s, &l4);
    struct virtio_net_hdr h = needs_csum(l4, 6);
    struct offload_rx_caps caps = { .csum_v4 = true, .csum_v6 = false };
    uint16_t flags;
    const char *why = NULL;

    ck_assert_int_eq(offload_rx_flags(&h, buf, len, &caps, &flags, &why), 0);
    ck_assert_uint_eq(flags, NETRXF_data_validated);
    ck_assert(frame_l4_csum_ok(buf, len, &s));
}
END_TEST

START_TEST(rx_data_valid_plain_and_refusals)
{
    struct frame_spec s = { .ip_version = 4, .proto = 17, .payload = 10 };
    size_t l4, len = frame_build(buf, &s, &l4);
    struct offload_rx_caps caps = { .csum_v4 = true };
    struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_DATA_VALID };
    uint16_t flags;
    const char *why = NULL;

    ck_assert_int_eq(offload_rx_flags(&h, buf, len, &caps, &flags, &why), 0);
    ck_assert_uint_eq(flags, NETRXF_data_validated);
    h.flags = 0;
    ck_assert_int_eq(offload_rx_flags(&h, buf, len, &caps, &flags, &why), 0);
    ck_assert_uint_eq(flags, 0);
    h = needs_csum(len - 1, 0);                       /* field past the end */
    ck_assert_int_eq(offload_rx_flags(&h, buf, len, &caps, &flags, &why), -EINVAL);
    h = (struct virtio_net_hdr){ .gso_type = VIRTIO_NET_HDR_GSO_TCPV4 };
    ck_assert_int_eq(offload_rx_flags(&h, buf, len, &caps, &flags, &why), -EINVAL);
    ck_assert_ptr_nonnull(why);
}
END_TEST

Suite *offload_suite(void)
{
    Suite *s = suite_create("offload");
    TCase *tc = tcase_create("offload");
    tcase_add_test(tc, tx_csum_blank_sets_needs_csum);
    tcase_add_test(tc, tx_data_validated_and_plain);
    tcase_add_test(tc, tx_csum_blank_on_non_l4_frame_refused);
    tcase_add_test(tc, tx_gso_tcpv4_and_v6);
    tcase_add_test(tc, tx_gso_refusals);
    tcase_add_test(tc, rx_needs_csum_passed_as_blank);
    tcase_add_test(tc, rx_needs_csum_completed_when_frontend_cannot);
    tcase_add_test(tc, rx_data_valid_plain_and_refusals);
    suite_add_tcase(s, tc);
    return s;
}
