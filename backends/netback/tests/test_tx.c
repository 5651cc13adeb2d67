/*
 * tx.c: the guest's transmit ring, driven from an in-memory ring with the
 * test playing the frontend and a fake grant copy.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "offload.h"
#include "tests.h"
#include "tx.h"

#define MAX_OUT 300

static void *page;
static netif_tx_sring_t *sring;
static netif_tx_front_ring_t front;
static struct tx_engine *e;
static struct fake_gnt *gnt;
static struct nb_counters ctr;
static struct { size_t len; uint8_t *buf; } out[MAX_OUT];
static unsigned nout;
static int deliver_rc;
static unsigned reports;

static int deliver(void *ctx, const void *buf, size_t len)
{
    (void)ctx;
    if (deliver_rc)
        return deliver_rc;
    ck_assert_uint_lt(nout, MAX_OUT);
    out[nout].buf = malloc(len);
    memcpy(out[nout].buf, buf, len);
    out[nout++].len = len;
    return 0;
}

static void report(void *ctx, const char *what)
{
    (void)ctx;
    ck_assert_ptr_nonnull(what);
    reports++;
}

static void setup_at(RING_IDX start)
{
    page = aligned_alloc(NB_PAGE_SIZE, NB_PAGE_SIZE);
    memset(page, 0, NB_PAGE_SIZE);
    sring = page;
    SHARED_RING_INIT(sring);
    FRONT_RING_INIT(&front, sring, NB_PAGE_SIZE);
    /* Indices that are about to wrap: the ABI's arithmetic is modular. */
    sring->req_prod = sring->rsp_prod = start;
    sring->req_event = sring->rsp_event = start + 1;
    front.req_prod_pvt = front.rsp_cons = start;
    e = calloc(1, sizeof(*e));
    ck_assert_int_eq(tx_engine_init(e, sring, TEST_DOMID), 0);
    gnt = fake_gnt_new();
    e->copy = (struct nb_copy_ops){ .copy = fake_gnt_copy, .ctx = gnt };
    e->deliver = deliver;
    e->ctr = &ctr;
    e->report = report;
    memset(&ctr, 0, sizeof(ctr));
    nout = 0;
    deliver_rc = 0;
    reports = 0;
}

static void setup(void)
{
    setup_at(0);
}

static void setup_wrap(void)
{
    setup_at(0xfffffff0u);
}

static void teardown(void)
{
    for (unsigned i = 0; i < nout; i++)
        free(out[i].buf);
    tx_engine_fini(e);
    free(e);
    free(gnt);
    free(page);
}

/* ---- the guest's side ------------------------------------------------------ */

static void put_req(uint32_t gref, uint16_t offset, uint16_t flags, uint16_t id, uint16_t size)
{
    netif_tx_request_t *r = RING_GET_REQUEST(&front, front.req_prod_pvt++);
    *r = (netif_tx_request_t){ .gref = gref, .offset = offset, .flags = flags, .id = id,
                               .size = size };
}

static void put_extra(uint8_t type, uint8_t flags, uint16_t gso_size, uint8_t gso_type)
{
    netif_tx_request_t *r = RING_GET_REQUEST(&front, front.req_prod_pvt++);
    struct netif_extra_info x = { .type = type, .flags = flags };
    x.u.gso.size = gso_size;
    x.u.gso.type = gso_type;
    memset(r, 0, sizeof(*r));
    memcpy(r, &x, sizeof(x));
}

static void push(void)
{
    int notify;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
    (void)notify;
}

static netif_tx_response_t rsp(unsigned i)
{
    return *RING_GET_RESPONSE(&front, front.rsp_cons + i);
}

/* A granted page holding a UDP frame of len bytes at offset off. */
static uint8_t *frame_page(uint32_t gref, uint16_t off, size_t payload, size_t *len)
{
    uint8_t *p = fake_gnt_add(gnt, TEST_DOMID, gref, true);
    struct frame_spec s = { .ip_version = 4, .proto = 17, .payload = payload };
    size_t l4;
    *len = frame_build(p + off, &s, &l4);
    return p + off;
}

static enum nb_run run(bool *notify)
{
    return tx_run(e, 1000, notify);
}

/* ---- tests ------------------------------------------------------------------- */

START_TEST(one_slot_packet)
{
    size_t len;
    const uint8_t *f = frame_page(100, 64, 200, &len);
    bool notify;

    put_req(100, 64, NETTXF_data_validated, 17, (uint16_t)len);
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert(notify);
    ck_assert_uint_eq(nout, 1);
    ck_assert_uint_eq(out[0].len, NB_VNET_HDR_LEN + len);
    ck_assert_mem_eq(out[0].buf + NB_VNET_HDR_LEN, f, len);
    struct virtio_net_hdr h;
    memcpy(&h, out[0].buf, sizeof(h));
    ck_assert_uint_eq(h.flags, VIRTIO_NET_HDR_F_DATA_VALID);
    ck_assert_uint_eq(sring->rsp_prod, front.req_prod_pvt);
    ck_assert_uint_eq(rsp(0).id, 17);
    ck_assert_int_eq(rsp(0).status, NETIF_RSP_OKAY);
    ck_assert_uint_eq(nb_counter(&ctr.from_guest_packets), 1);
    ck_assert_uint_eq(nb_counter(&ctr.from_guest_bytes), len);
    /* Caught up: asks to be told about the next request. */
    ck_assert_uint_eq(sring->req_event, front.req_prod_pvt + 1);
}
END_TEST

START_TEST(batch_is_one_copy_and_one_push)
{
    bool notify;

    for (uint16_t i = 0; i < 40; i++) {
        size_t len;
        frame_page(200 + i, 0, 10 + i, &len);
        put_req(200 + i, 0, 0, i, (uint16_t)len);
    }
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_uint_eq(gnt->calls, 1);
    ck_assert_uint_eq(gnt->segs, 40);
    ck_assert_uint_eq(nout, 40);
    for (unsigned i = 0; i < 40; i++) {
        ck_assert_uint_eq(rsp(i).id, i);
        ck_assert_int_eq(rsp(i).status, NETIF_RSP_OKAY);
    }
}
END_TEST

START_TEST(multi_slot_chain)
{
    bool notify;
    uint8_t whole[3000];
    struct frame_spec s = { .ip_version = 4, .proto = 6, .payload = 2900 };
    size_t l4, len = frame_build(whole, &s, &l4);
    uint8_t *a = fake_gnt_add(gnt, TEST_DOMID, 1, true);
    uint8_t *b = fake_gnt_add(gnt, TEST_DOMID, 2, true);
    uint8_t *c = fake_gnt_add(gnt, TEST_DOMID, 3, true);

    /* 1000 bytes at 3000 in page a, 1500 at 0 in b, the rest at 100 in c. */
    memcpy(a + 3000, whole, 1000);
    memcpy(b, whole + 1000, 1500);
    memcpy(c + 100, whole + 2500, len - 2500);
    put_req(1, 3000, NETTXF_more_data | NETTXF_csum_blank, 5, (uint16_t)len);
    put_req(2, 0, NETTXF_more_data, 6, 1500);
    put_req(3, 100, 0, 7, (uint16_t)(len - 2500));
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nout, 1);
    ck_assert_uint_eq(out[0].len, NB_VNET_HDR_LEN + len);
    ck_assert_mem_eq(out[0].buf + NB_VNET_HDR_LEN, whole, len);
    struct virtio_net_hdr h;
    memcpy(&h, out[0].buf, sizeof(h));
    ck_assert_uint_eq(h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
    ck_assert_uint_eq(h.csum_start, l4);
    for (unsigned i = 0; i < 3; i++) {
        ck_assert_uint_eq(rsp(i).id, 5 + i);
        ck_assert_int_eq(rsp(i).status, NETIF_RSP_OKAY);
    }
}
END_TEST

START_TEST(gso_extra_gets_null_response)
{
    bool notify;
    uint8_t whole[6000];
    struct frame_spec s = { .ip_version = 4, .proto = 6, .payload = 5000 };
    size_t l4, len = frame_build(whole, &s, &l4);
    uint8_t *a = fake_gnt_add(gnt, TEST_DOMID, 1, true);
    uint8_t *b = fake_gnt_add(gnt, TEST_DOMID, 2, true);

    memcpy(a, whole, 4096);
    memcpy(b, whole + 4096, len - 4096);
    put_req(1, 0, NETTXF_more_data | NETTXF_extra_info | NETTXF_csum_blank, 9, (uint16_t)len);
    put_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, 1448, XEN_NETIF_GSO_TYPE_TCPV4);
    put_req(2, 0, 0, 10, (uint16_t)(len - 4096));
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nout, 1);
    struct virtio_net_hdr h;
    memcpy(&h, out[0].buf, sizeof(h));
    ck_assert_uint_eq(h.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
    ck_assert_uint_eq(h.gso_size, 1448);
    ck_assert_mem_eq(out[0].buf + NB_VNET_HDR_LEN, whole, len);
    ck_assert_uint_eq(rsp(0).id, 9);
    ck_assert_int_eq(rsp(0).status, NETIF_RSP_OKAY);
    ck_assert_int_eq(rsp(1).status, NETIF_RSP_NULL);
    ck_assert_uint_eq(rsp(2).id, 10);
    ck_assert_int_eq(rsp(2).status, NETIF_RSP_OKAY);
}
END_TEST

START_TEST(bad_gref_is_an_error_for_that_packet_only)
{
    bool notify;
    size_t len;

    frame_page(1, 0, 50, &len);
    put_req(1, 0, 0, 1, (uint16_t)len);
    put_req(999, 0, 0, 2, (uint16_t)len);       /* never granted */
    put_req(1, 0, 0, 3, (uint16_t)len);
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nout, 2);
    ck_assert_int_eq(rsp(0).status, NETIF_RSP_OKAY);
    ck_assert_int_eq(rsp(1).status, NETIF_RSP_ERROR);
    ck_assert_uint_eq(rsp(1).id, 2);
    ck_assert_int_eq(rsp(2).status, NETIF_RSP_OKAY);
    ck_assert_uint_eq(nb_counter(&ctr.from_guest_errors), 1);
    ck_assert_uint_eq(reports, 1);
}
END_TEST

START_TEST(grant_of_another_domain_refused)
{
    bool notify;
    uint8_t *p = fake_gnt_add(gnt, TEST_DOMID + 1, 1, true);
    struct frame_spec s = { .ip_version = 4, .proto = 17, .payload = 20 };
    size_t l4, len = frame_build(p, &s, &l4);

    put_req(1, 0, 0, 1, (uint16_t)len);
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nout, 0);
    ck_assert_int_eq(rsp(0).status, NETIF_RSP_ERROR);
}
END_TEST

START_TEST(offset_plus_size_past_page)
{
    bool notify;
    size_t len;

    frame_page(1, 0, 50, &len);
    put_req(1, 4000, 0, 1, 200);                 /* 4000 + 200 > 4096 */
    put_req(1, 0, NETTXF_more_data, 2, 100);     /* fragment past the page */
    put_req(1, 4090, 0, 3, 10);
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nout, 0);
    ck_assert_uint_eq(gnt->segs, 0);            /* nothing was even tried */
    ck_assert_int_eq(rsp(0).status, NETIF_RSP_ERROR);
    ck_assert_int_eq(rsp(1).status, NETIF_RSP_ERROR);
    ck_assert_int_eq(rsp(2).status, NETIF_RSP_ERROR);
    ck_assert_uint_eq(rsp(2).id, 3);
}
END_TEST

START_TEST(fragments_larger_than_packet)
{
    bool notify;
    size_t len;

    frame_page(1, 0, 50, &len);
    put_req(1, 0, NETTXF_more_data, 1, 100);
    put_req(1, 0, 0, 2, 200);                    /* 200 > the packet's 100 */
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nout, 0);
    ck_assert_int_eq(rsp(0).status, NETIF_RSP_ERROR);
    ck_assert_int_eq(rsp(1).status, NETIF_RSP_ERROR);
}
END_TEST

START_TEST(runt_and_zero_size)
{
    bool notify;
    size_t len;

    frame_page(1, 0, 50, &len);
    put_req(1, 0, 0, 1, 0);
    put_req(1, 0, 0, 2, 13);
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nout, 0);
    ck_assert_int_eq(rsp(0).status, NETIF_RSP_ERROR);
    ck_assert_int_eq(rsp(1).status, NETIF_RSP_ERROR);
    ck_assert_uint_eq(nb_counter(&ctr.from_guest_errors), 2);
}
END_TEST

START_TEST(chain_longer_than_limit_is_fatal)
{
    bool notify;

    for (unsigned i = 0; i < NB_MAX_SLOTS + 1; i++)
        put_req(1, 0, i < NB_MAX_SLOTS ? NETTXF_more_data : 0, (uint16_t)i, 100);
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_FATAL);
    ck_assert_ptr_nonnull(strstr(e->why, "slots"));
    ck_assert_uint_eq(nout, 0);
}
END_TEST

START_TEST(chain_that_never_ends_is_fatal)
{
    bool notify;

    /* The whole ring, every slot saying "more". */
    for (unsigned i = 0; i < RING_SIZE(&front); i++)
        put_req(1, 0, NETTXF_more_data, (uint16_t)i, 100);
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_FATAL);
}
END_TEST

START_TEST(unknown_extra_type_is_fatal)
{
    bool notify;

    put_req(1, 0, NETTXF_extra_info, 1, 100);
    put_extra(XEN_NETIF_EXTRA_TYPE_MAX, 0, 0, 0);
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_FATAL);
    ck_assert_ptr_nonnull(strstr(e->why, "unknown"));

    teardown();
    setup();
    put_req(1, 0, NETTXF_extra_info, 1, 100);
    put_extra(XEN_NETIF_EXTRA_TYPE_NONE, 0, 0, 0);
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_FATAL);
}
END_TEST

START_TEST(endless_extras_are_fatal)
{
    bool notify;

    put_req(1, 0, NETTXF_extra_info, 1, 100);
    for (int i = 0; i < 10; i++)
        put_extra(XEN_NETIF_EXTRA_TYPE_HASH, XEN_NETIF_EXTRA_FLAG_MORE, 0, 0);
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_FATAL);
}
END_TEST

START_TEST(req_prod_ahead_of_ring_is_fatal)
{
    bool notify;

    sring->req_prod = RING_SIZE(&front) + 1;
    ck_assert_int_eq(run(&notify), NB_RUN_FATAL);
    ck_assert_ptr_nonnull(strstr(e->why, "ahead"));
    ck_assert_uint_eq(e->ring.req_cons, 0);
    ck_assert_uint_eq(sring->rsp_prod, 0);
    /* Going backwards is the same thing, modulo 2^32. */
    teardown();
    setup();
    sring->req_prod = (RING_IDX)-1;
    ck_assert_int_eq(run(&notify), NB_RUN_FATAL);
}
END_TEST

START_TEST(incomplete_chain_waits)
{
    bool notify;
    uint8_t whole[3000];
    struct frame_spec s = { .ip_version = 4, .proto = 17, .payload = 2000 };
    size_t l4, len = frame_build(whole, &s, &l4);
    uint8_t *a = fake_gnt_add(gnt, TEST_DOMID, 1, true);
    uint8_t *b = fake_gnt_add(gnt, TEST_DOMID, 2, true);

    memcpy(a, whole, 1000);
    memcpy(b, whole + 1000, len - 1000);
    put_req(1, 0, NETTXF_more_data, 1, (uint16_t)len);
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_uint_eq(e->ring.req_cons, 0);          /* nothing consumed */
    ck_assert_uint_eq(sring->req_event, 2);          /* told when slot 2 comes */
    put_req(2, 0, 0, 2, (uint16_t)(len - 1000));
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nout, 1);
    ck_assert_mem_eq(out[0].buf + NB_VNET_HDR_LEN, whole, len);
}
END_TEST

/* The guest rewrites its request while we copy: we must go on with the
 * copy we made (id and size as first read). */
static void scribble(void *ctx)
{
    (void)ctx;
    netif_tx_request_t *r = RING_GET_REQUEST(&front, 0);
    r->id = 0xdead;
    r->size = 4000;
    r->offset = 4000;
}

START_TEST(request_read_once)
{
    bool notify;
    size_t len;

    frame_page(1, 0, 100, &len);
    put_req(1, 0, 0, 42, (uint16_t)len);
    push();
    gnt->during = scribble;
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nout, 1);
    ck_assert_uint_eq(out[0].len, NB_VNET_HDR_LEN + len);
    ck_assert_uint_eq(rsp(0).id, 42);
}
END_TEST

START_TEST(tap_refusal_is_dropped)
{
    bool notify;
    size_t len;

    frame_page(1, 0, 100, &len);
    put_req(1, 0, 0, 1, (uint16_t)len);
    push();
    deliver_rc = -EIO;
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_int_eq(rsp(0).status, NETIF_RSP_DROPPED);
    ck_assert_uint_eq(nb_counter(&ctr.from_guest_dropped), 1);
}
END_TEST

START_TEST(copy_call_failure_errors_the_batch)
{
    bool notify;
    size_t len;

    frame_page(1, 0, 100, &len);
    put_req(1, 0, 0, 1, (uint16_t)len);
    put_req(1, 0, 0, 2, (uint16_t)len);
    push();
    gnt->fail_next = -EFAULT;
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nout, 0);
    ck_assert_int_eq(rsp(0).status, NETIF_RSP_ERROR);
    ck_assert_int_eq(rsp(1).status, NETIF_RSP_ERROR);
}
END_TEST

START_TEST(mcast_control_request_is_acked)
{
    bool notify;

    put_req(1, 0, NETTXF_extra_info, 1, 0);
    put_extra(XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0, 0, 0);
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nout, 0);
    ck_assert_int_eq(rsp(0).status, NETIF_RSP_OKAY);
    ck_assert_int_eq(rsp(1).status, NETIF_RSP_NULL);
}
END_TEST

START_TEST(bad_offload_metadata_is_an_error)
{
    bool notify;
    uint8_t *p = fake_gnt_add(gnt, TEST_DOMID, 1, true);

    memset(p, 0, 60);
    p[12] = 0x08;
    p[13] = 0x06;     /* ARP, claiming a blank TCP/UDP checksum */
    put_req(1, 0, NETTXF_csum_blank, 1, 60);
    push();
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nout, 0);
    ck_assert_int_eq(rsp(0).status, NETIF_RSP_ERROR);
}
END_TEST

START_TEST(budget_and_wraparound)
{
    bool notify;
    size_t len;

    frame_page(1, 0, 100, &len);
    for (uint16_t i = 0; i < 100; i++)
        put_req(1, 0, 0, i, (uint16_t)len);
    push();
    ck_assert_int_eq(tx_run(e, 30, &notify), NB_RUN_MORE);
    ck_assert_uint_eq(nout, 30);
    ck_assert_int_eq(tx_run(e, 1000, &notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nout, 100);
    ck_assert_uint_eq(sring->rsp_prod, front.req_prod_pvt);
    for (unsigned i = 0; i < 100; i++)
        ck_assert_uint_eq(rsp(i).id, i);
}
END_TEST

START_TEST(resume_at_rsp_prod)
{
    bool notify;
    size_t len;

    /* A daemon restarted with two requests answered and one not. */
    frame_page(1, 0, 100, &len);
    for (uint16_t i = 0; i < 3; i++)
        put_req(1, 0, 0, i, (uint16_t)len);
    push();
    sring->rsp_prod = 2;
    front.rsp_cons = 2;
    tx_engine_fini(e);
    ck_assert_int_eq(tx_engine_init(e, sring, TEST_DOMID), 0);
    e->copy = (struct nb_copy_ops){ .copy = fake_gnt_copy, .ctx = gnt };
    e->deliver = deliver;
    e->ctr = &ctr;
    ck_assert_int_eq(run(&notify), NB_RUN_IDLE);
    ck_assert_uint_eq(nout, 1);
    ck_assert_uint_eq(rsp(0).id, 2);
}
END_TEST

Suite *tx_suite(void)
{
    Suite *s = suite_create("tx");
    TCase *tc = tcase_create("tx");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, one_slot_packet);
    tcase_add_test(tc, batch_is_one_copy_and_one_push);
    tcase_add_test(tc, multi_slot_chain);
    tcase_add_test(tc, gso_extra_gets_null_response);
    tcase_add_test(tc, bad_gref_is_an_error_for_that_packet_only);
    tcase_add_test(tc, grant_of_another_domain_refused);
    tcase_add_test(tc, offset_plus_size_past_page);
    tcase_add_test(tc, fragments_larger_than_packet);
    tcase_add_test(tc, runt_and_zero_size);
    tcase_add_test(tc, chain_longer_than_limit_is_fatal);
    tcase_add_test(tc, chain_that_never_ends_is_fatal);
    tcase_add_test(tc, unknown_extra_type_is_fatal);
    tcase_add_test(tc, endless_extras_are_fatal);
    tcase_add_test(tc, req_prod_ahead_of_ring_is_fatal);
    tcase_add_test(tc, incomplete_chain_waits);
    tcase_add_test(tc, request_read_once);
    tcase_add_test(tc, tap_refusal_is_dropped);
    tcase_add_test(tc, copy_call_failure_errors_the_batch);
    tcase_add_test(tc, mcast_control_request_is_acked);
    tcase_add_test(tc, bad_offload_metadata_is_an_error);
    tcase_add_test(tc, resume_at_rsp_prod);
    suite_add_tcase(s, tc);
    TCase *wrap = tcase_create("tx-wrap");
    tcase_add_checked_fixture(wrap, setup_wrap, teardown);
    tcase_add_test(wrap, budget_and_wraparound);
    tcase_add_test(wrap, one_slot_packet);
    tcase_add_test(wrap, multi_slot_chain);
    suite_add_tcase(s, wrap);
    return s;
}
