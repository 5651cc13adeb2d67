/*
 * rx.c: the guest's receive ring, with the test playing both the tap (a
 * queue of frames) and the frontend (posting pages), and a fake grant copy.
 */
#define _DEFAULT_SOURCE
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rx.h"
#include "tests.h"

#define MAX_IN 64

static void *page;
static netif_rx_sring_t *sring;
static netif_rx_front_ring_t front;
static struct rx_engine *e;
static struct fake_gnt *gnt;
static struct nb_counters ctr;
static struct { size_t len; uint8_t buf[RX_READ_MAX]; } *in;
static unsigned nin, next_in;

static ssize_t receive(void *ctx, void *buf, size_t cap)
{
    (void)ctx;
    if (next_in == nin)
        return -EAGAIN;
    size_t n = in[next_in].len < cap ? in[next_in].len : cap;
    memcpy(buf, in[next_in].buf, n);
    next_in++;
    return (ssize_t)n;
}

static void setup(void)
{
    page = aligned_alloc(NB_PAGE_SIZE, NB_PAGE_SIZE);
    memset(page, 0, NB_PAGE_SIZE);
    sring = page;
    SHARED_RING_INIT(sring);
    FRONT_RING_INIT(&front, sring, NB_PAGE_SIZE);
    e = calloc(1, sizeof(*e));
    ck_assert_int_eq(rx_engine_init(e, sring, TEST_DOMID), 0);
    gnt = fake_gnt_new();
    e->copy = (struct nb_copy_ops){ .copy = fake_gnt_copy, .ctx = gnt };
    e->receive = receive;
    e->ctr = &ctr;
    e->caps = (struct offload_rx_caps){ .csum_v4 = true, .csum_v6 = true };
    memset(&ctr, 0, sizeof(ctr));
    in = calloc(MAX_IN, sizeof(*in));
    nin = next_in = 0;
}

static void teardown(void)
{
    rx_engine_fini(e);
    free(e);
    free(gnt);
    free(in);
    free(page);
}

/* The tap's side: a frame of len bytes (a UDP/IPv4 frame, padded). */
static uint8_t *tap_frame(size_t len, const struct virtio_net_hdr *h)
{
    ck_assert_uint_lt(nin, MAX_IN);
    uint8_t *b = in[nin].buf;
    struct virtio_net_hdr zero = { 0 };
    memcpy(b, h ? h : &zero, NB_VNET_HDR_LEN);
    for (size_t i = 0; i < len; i++)
        b[NB_VNET_HDR_LEN + i] = (uint8_t)(i * 13 + nin);
    in[nin++].len = NB_VNET_HDR_LEN + len;
    return b + NB_VNET_HDR_LEN;
}

/* The guest's side: post a page. */
static uint8_t *post(uint16_t id, uint32_t gref, bool grant)
{
    uint8_t *p = grant ? fake_gnt_add(gnt, TEST_DOMID, gref, false) : NULL;
    netif_rx_request_t *r = RING_GET_REQUEST(&front, front.req_prod_pvt++);
    r->id = id;
    r->gref = gref;
    int notify;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
    (void)notify;
    return p;
}

static netif_rx_response_t rsp(unsigned i)
{
    return *RING_GET_RESPONSE(&front, i);
}

START_TEST(one_frame)
{
    uint8_t *pg = post(5, 50, true);
    const uint8_t *f = tap_frame(100, NULL);
    bool notify;

    ck_assert_int_eq(rx_run(e, 64, &notify), NB_RUN_IDLE);
    ck_assert(notify);
    ck_assert_uint_eq(sring->rsp_prod, 1);
    ck_assert_uint_eq(rsp(0).id, 5);
    ck_assert_uint_eq(rsp(0).offset, 0);
    ck_assert_uint_eq(rsp(0).flags, 0);
    ck_assert_int_eq(rsp(0).status, 100);
    ck_assert_mem_eq(pg, f, 100);
    ck_assert_uint_eq(nb_counter(&ctr.to_guest_packets), 1);
    ck_assert_uint_eq(nb_counter(&ctr.to_guest_bytes), 100);
}
END_TEST

START_TEST(needs_csum_becomes_csum_blank)
{
    struct frame_spec s = { .ip_version = 4, .proto = 6, .payload = 60 };
    struct virtio_net_hdr h = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM };
    size_t l4;
    bool notify;

    post(1, 50, true);
    uint8_t *f = tap_frame(0, NULL);
    size_t len = frame_build(f, &s, &l4);
    h.csum_start = htole16((uint16_t)l4);
    h.csum_offset = htole16(16);
    memcpy(f - NB_VNET_HDR_LEN, &h, sizeof(h));
    in[0].len = NB_VNET_HDR_LEN + len;
    ck_assert_int_eq(rx_run(e, 64, &notify), NB_RUN_IDLE);
    ck_assert_uint_eq(rsp(0).flags, NETRXF_csum_blank | NETRXF_data_validated);
    ck_assert_int_eq(rsp(0).status, (int)len);
}
END_TEST

START_TEST(no_requests_blocks_and_keeps_the_frame)
{
    const uint8_t *f = tap_frame(300, NULL);
    bool notify;

    ck_assert_int_eq(rx_run(e, 64, &notify), NB_RUN_BLOCKED);
    ck_assert_uint_eq(sring->req_event, 1);     /* told at the first request */
    ck_assert_uint_eq(next_in, 1);              /* read, and kept */
    uint8_t *pg = post(9, 60, true);
    ck_assert_int_eq(rx_run(e, 64, &notify), NB_RUN_IDLE);
    ck_assert_int_eq(rsp(0).status, 300);
    ck_assert_uint_eq(rsp(0).id, 9);
    ck_assert_mem_eq(pg, f, 300);
}
END_TEST

START_TEST(sg_frame_spans_slots)
{
    uint8_t *pg[3];
    bool notify;

    e->sg = true;
    for (uint16_t i = 0; i < 3; i++)
        pg[i] = post((uint16_t)(10 + i), 70 + i, true);
    const uint8_t *f = tap_frame(9000, NULL);
    ck_assert_int_eq(rx_run(e, 64, &notify), NB_RUN_IDLE);
    ck_assert_uint_eq(sring->rsp_prod, 3);
    ck_assert_int_eq(rsp(0).status, 4096);
    ck_assert_int_eq(rsp(1).status, 4096);
    ck_assert_int_eq(rsp(2).status, 9000 - 8192);
    ck_assert_uint_eq(rsp(0).flags, NETRXF_more_data);
    ck_assert_uint_eq(rsp(1).flags, NETRXF_more_data);
    ck_assert_uint_eq(rsp(2).flags, 0);
    for (unsigned i = 0; i < 3; i++) {
        ck_assert_uint_eq(rsp(i).id, 10 + i);
        ck_assert_mem_eq(pg[i], f + i * 4096, (size_t)rsp(i).status);
    }
    ck_assert_uint_eq(nb_counter(&ctr.to_guest_packets), 1);
}
END_TEST

START_TEST(sg_frame_waits_for_enough_slots)
{
    bool notify;

    e->sg = true;
    post(1, 71, true);
    post(2, 72, true);
    tap_frame(9000, NULL);
    ck_assert_int_eq(rx_run(e, 64, &notify), NB_RUN_BLOCKED);
    ck_assert_uint_eq(sring->req_event, 3);
    ck_assert_uint_eq(sring->rsp_prod, 0);
    post(3, 73, true);
    ck_assert_int_eq(rx_run(e, 64, &notify), NB_RUN_IDLE);
    ck_assert_uint_eq(sring->rsp_prod, 3);
    ck_assert_int_eq(rsp(2).status, 9000 - 8192);
}
END_TEST

START_TEST(large_frame_without_sg_is_dropped)
{
    bool notify;

    post(1, 50, true);
    tap_frame(5000, NULL);
    const uint8_t *f = tap_frame(64, NULL);
    ck_assert_int_eq(rx_run(e, 64, &notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nb_counter(&ctr.to_guest_dropped), 1);
    ck_assert_uint_eq(sring->rsp_prod, 1);
    ck_assert_int_eq(rsp(0).status, 64);
    ck_assert_mem_eq(gnt->g[0].page, f, 64);
}
END_TEST

START_TEST(bad_grant_errors_that_frame_only)
{
    bool notify;

    post(1, 999, false);              /* never granted */
    post(2, 51, false);
    fake_gnt_add(gnt, TEST_DOMID, 51, true);   /* read-only: cannot take a frame */
    post(3, 52, true);
    tap_frame(100, NULL);
    tap_frame(100, NULL);
    tap_frame(100, NULL);
    ck_assert_int_eq(rx_run(e, 64, &notify), NB_RUN_IDLE);
    ck_assert_int_eq(rsp(0).status, NETIF_RSP_ERROR);
    ck_assert_uint_eq(rsp(0).id, 1);
    ck_assert_int_eq(rsp(1).status, NETIF_RSP_ERROR);
    ck_assert_int_eq(rsp(2).status, 100);
    ck_assert_uint_eq(nb_counter(&ctr.to_guest_errors), 2);
    ck_assert_uint_eq(nb_counter(&ctr.to_guest_packets), 1);
}
END_TEST

START_TEST(sg_error_marks_every_slot)
{
    bool notify;

    e->sg = true;
    post(1, 71, true);
    post(2, 999, false);
    tap_frame(6000, NULL);
    ck_assert_int_eq(rx_run(e, 64, &notify), NB_RUN_IDLE);
    ck_assert_int_eq(rsp(0).status, NETIF_RSP_ERROR);
    ck_assert_uint_eq(rsp(0).flags, NETRXF_more_data);   /* the chain still ends */
    ck_assert_int_eq(rsp(1).status, NETIF_RSP_ERROR);
    ck_assert_uint_eq(rsp(1).flags, 0);
}
END_TEST

START_TEST(req_prod_ahead_is_fatal)
{
    bool notify;

    tap_frame(100, NULL);
    sring->req_prod = 1000;
    ck_assert_int_eq(rx_run(e, 64, &notify), NB_RUN_FATAL);
    ck_assert_ptr_nonnull(strstr(e->why, "ahead"));
    ck_assert_uint_eq(sring->rsp_prod, 0);
}
END_TEST

START_TEST(batch_is_one_copy)
{
    bool notify;

    for (uint16_t i = 0; i < 20; i++) {
        post(i, 100 + i, true);
        tap_frame(60 + i, NULL);
    }
    ck_assert_int_eq(rx_run(e, 64, &notify), NB_RUN_IDLE);
    ck_assert_uint_eq(gnt->calls, 1);
    ck_assert_uint_eq(sring->rsp_prod, 20);
    for (unsigned i = 0; i < 20; i++) {
        ck_assert_uint_eq(rsp(i).id, i);
        ck_assert_int_eq(rsp(i).status, (int)(60 + i));
    }
}
END_TEST

START_TEST(budget_returns_more)
{
    bool notify;

    for (uint16_t i = 0; i < 10; i++) {
        post(i, 100 + i, true);
        tap_frame(60, NULL);
    }
    ck_assert_int_eq(rx_run(e, 4, &notify), NB_RUN_MORE);
    ck_assert_uint_eq(sring->rsp_prod, 4);
    ck_assert_int_eq(rx_run(e, 64, &notify), NB_RUN_IDLE);
    ck_assert_uint_eq(sring->rsp_prod, 10);
}
END_TEST

START_TEST(runts_and_gso_frames_dropped)
{
    struct virtio_net_hdr gso = { .gso_type = VIRTIO_NET_HDR_GSO_TCPV4 };
    bool notify;

    post(1, 50, true);
    tap_frame(10, NULL);              /* shorter than an Ethernet header */
    tap_frame(1000, &gso);            /* TSO we never asked for */
    tap_frame(80, NULL);
    ck_assert_int_eq(rx_run(e, 64, &notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nb_counter(&ctr.to_guest_dropped), 2);
    ck_assert_uint_eq(sring->rsp_prod, 1);
    ck_assert_int_eq(rsp(0).status, 80);
}
END_TEST

static void scribble(void *ctx)
{
    (void)ctx;
    netif_rx_request_t *r = RING_GET_REQUEST(&front, 0);
    r->id = 0xbeef;
    r->gref = 12345;
}

START_TEST(request_read_once)
{
    bool notify;

    post(7, 50, true);
    tap_frame(100, NULL);
    gnt->during = scribble;
    ck_assert_int_eq(rx_run(e, 64, &notify), NB_RUN_IDLE);
    ck_assert_uint_eq(rsp(0).id, 7);
    ck_assert_int_eq(rsp(0).status, 100);
}
END_TEST

START_TEST(slots_needed)
{
    ck_assert_uint_eq(rx_slots_needed(0, true), 0);
    ck_assert_uint_eq(rx_slots_needed(1, false), 1);
    ck_assert_uint_eq(rx_slots_needed(4096, false), 1);
    ck_assert_uint_eq(rx_slots_needed(4097, false), 0);
    ck_assert_uint_eq(rx_slots_needed(4097, true), 2);
    ck_assert_uint_eq(rx_slots_needed(65535, true), 16);
}
END_TEST

Suite *rx_suite(void)
{
    Suite *s = suite_create("rx");
    TCase *tc = tcase_create("rx");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, one_frame);
    tcase_add_test(tc, needs_csum_becomes_csum_blank);
    tcase_add_test(tc, no_requests_blocks_and_keeps_the_frame);
    tcase_add_test(tc, sg_frame_spans_slots);
    tcase_add_test(tc, sg_frame_waits_for_enough_slots);
    tcase_add_test(tc, large_frame_without_sg_is_dropped);
    tcase_add_test(tc, bad_grant_errors_that_frame_only);
    tcase_add_test(tc, sg_error_marks_every_slot);
    tcase_add_test(tc, req_prod_ahead_is_fatal);
    tcase_add_test(tc, batch_is_one_copy);
    tcase_add_test(tc, budget_returns_more);
    tcase_add_test(tc, runts_and_gso_frames_dropped);
    tcase_add_test(tc, request_read_once);
    tcase_add_test(tc, slots_needed);
    suite_add_tcase(s, tc);
    return s;
}
