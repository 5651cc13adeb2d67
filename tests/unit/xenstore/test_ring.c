/* The ring transport over a fake xenstore page in plain memory. */
#include <stdlib.h>
#include <string.h>

#include "connection.h"
#include "harness.h"
#include "suites.h"
#include "transport.h"
#include "wire.h"

static int notifications;
static int releases;

static void count_notify(void *ctx)
{
    (void)ctx;
    notifications++;
}

static void count_release(void *ctx)
{
    (void)ctx;
    releases++;
}

/* The guest's side: produce requests, consume replies. */
static size_t guest_send(struct xenstore_domain_interface *i, const void *data, size_t len)
{
    size_t done = 0;
    while (done < len && i->req_prod - i->req_cons < XENSTORE_RING_SIZE) {
        i->req[MASK_XENSTORE_IDX(i->req_prod)] = ((const char *)data)[done++];
        i->req_prod++;
    }
    return done;
}

static size_t guest_recv(struct xenstore_domain_interface *i, void *buf, size_t len)
{
    size_t done = 0;
    while (done < len && i->rsp_cons != i->rsp_prod) {
        ((char *)buf)[done++] = i->rsp[MASK_XENSTORE_IDX(i->rsp_cons)];
        i->rsp_cons++;
    }
    return done;
}

static struct xenstore_domain_interface *new_page(void)
{
    struct xenstore_domain_interface *i = calloc(1, sizeof(*i));
    ck_assert_ptr_nonnull(i);
    return i;
}

START_TEST(bytes_both_ways)
{
    struct xenstore_domain_interface *i = new_page();
    notifications = 0;
    struct xs_transport *t = ring_transport_new(i, count_notify, NULL, NULL);
    ring_transport_reset(t);
    ck_assert_uint_eq(i->server_features, XENSTORE_SERVER_FEATURE_ERROR);
    ck_assert_uint_eq(i->connection, XENSTORE_CONNECTED);
    ck_assert(!t->ops->can_read(t));
    ck_assert_uint_eq(guest_send(i, "hello", 5), 5);
    ck_assert(t->ops->can_read(t));
    char buf[16];
    ck_assert_int_eq(t->ops->read(t, buf, 3), 3);
    ck_assert_int_eq(t->ops->read(t, buf + 3, 10), 2);
    ck_assert_int_eq(memcmp(buf, "hello", 5), 0);
    ck_assert_int_eq(t->ops->read(t, buf, 10), 0);
    ck_assert_uint_eq(i->req_cons, 5);
    ck_assert_int_eq(t->ops->write(t, "world", 5), 5);
    ck_assert_uint_eq(i->rsp_prod, 5);
    ck_assert_uint_eq(guest_recv(i, buf, 16), 5);
    ck_assert_int_eq(memcmp(buf, "world", 5), 0);
    ck_assert_int_ge(notifications, 3);
    t->ops->close(t);
    free(i);
}
END_TEST

START_TEST(wrap_around_ring_and_index)
{
    struct xenstore_domain_interface *i = new_page();
    struct xs_transport *t = ring_transport_new(i, NULL, NULL, NULL);
    /* Just below the 32-bit wrap, and 11 bytes before the ring's end. */
    i->req_cons = i->req_prod = UINT32_MAX - 10;
    i->rsp_cons = i->rsp_prod = UINT32_MAX - 5;
    char msg[300], got[300];
    for (size_t k = 0; k < sizeof(msg); k++)
        msg[k] = (char)(k * 7 + 1);
    ck_assert_uint_eq(guest_send(i, msg, sizeof(msg)), sizeof(msg));
    ck_assert_int_eq(t->ops->read(t, got, sizeof(got)), (ssize_t)sizeof(got));
    ck_assert_int_eq(memcmp(msg, got, sizeof(msg)), 0);
    ck_assert_uint_eq(i->req_cons, (uint32_t)(UINT32_MAX - 10 + 300));
    ck_assert_int_eq(t->ops->write(t, msg, sizeof(msg)), (ssize_t)sizeof(msg));
    memset(got, 0, sizeof(got));
    ck_assert_uint_eq(guest_recv(i, got, sizeof(got)), sizeof(got));
    ck_assert_int_eq(memcmp(msg, got, sizeof(msg)), 0);
    t->ops->close(t);
    free(i);
}
END_TEST

START_TEST(full_response_ring_waits)
{
    struct xenstore_domain_interface *i = new_page();
    struct xs_transport *t = ring_transport_new(i, NULL, NULL, NULL);
    static char big[XENSTORE_RING_SIZE + 100];
    memset(big, 'x', sizeof(big));
    ck_assert_int_eq(t->ops->write(t, big, sizeof(big)), XENSTORE_RING_SIZE);
    ck_assert(!t->ops->can_write(t));
    ck_assert_int_eq(t->ops->write(t, big, 10), 0);
    ck_assert(!ring_transport_broken(t));
    char sink[10];
    guest_recv(i, sink, sizeof(sink));
    ck_assert(t->ops->can_write(t));
    ck_assert_int_eq(t->ops->write(t, big, 100), 10);
    t->ops->close(t);
    free(i);
}
END_TEST

START_TEST(hostile_indices_break_the_ring)
{
    struct xenstore_domain_interface *i = new_page();
    struct xs_transport *t = ring_transport_new(i, NULL, NULL, NULL);
    ring_transport_reset(t);
    /* Producer more than a ring ahead of our consumer. */
    i->req_prod = i->req_cons + XENSTORE_RING_SIZE + 1;
    char buf[64];
    ck_assert_int_eq(t->ops->read(t, buf, sizeof(buf)), -1);
    ck_assert(ring_transport_broken(t));
    ck_assert_uint_eq(i->error, XENSTORE_ERROR_RINGIDX);
    /* Once broken, nothing moves either way. */
    i->req_prod = i->req_cons + 1;
    ck_assert_int_eq(t->ops->read(t, buf, sizeof(buf)), -1);
    ck_assert_int_eq(t->ops->write(t, "x", 1), -1);
    t->ops->close(t);

    /* The consumer of our replies claims to be ahead of our producer. */
    memset(i, 0, sizeof(*i));
    t = ring_transport_new(i, NULL, NULL, NULL);
    i->rsp_prod = 10;
    i->rsp_cons = 20;
    ck_assert_int_eq(t->ops->write(t, "x", 1), -1);
    ck_assert(ring_transport_broken(t));
    /* An exactly full ring is legal, not broken. */
    ring_transport_reset(t);
    i->req_prod = XENSTORE_RING_SIZE;
    ck_assert_int_eq(t->ops->read(t, buf, sizeof(buf)), (ssize_t)sizeof(buf));
    ck_assert(!ring_transport_broken(t));
    t->ops->close(t);
    free(i);
}
END_TEST

/* Guest-side helper: push as much of a byte stream as fits. */
struct stream {
    const uint8_t *data;
    size_t len, off;
};

static void pump(struct xenstore_domain_interface *i, struct stream *s)
{
    s->off += guest_send(i, s->data + s->off, s->len - s->off);
}

START_TEST(requests_over_the_ring_end_to_end)
{
    struct xs_store st;
    th_store(&st);
    struct xenstore_domain_interface *i = new_page();
    releases = 0;
    struct xs_transport *t = ring_transport_new(i, NULL, count_release, NULL);
    ring_transport_reset(t);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    ck_assert_int_eq(th_mkdir(c0, 0, "/local/domain/3"), 0);
    ck_assert_int_eq(th_setperms(c0, 0, "/local/domain/3", "n3", NULL), 0);
    struct xs_client *d = xs_client_new(&st, 3, true);
    struct xs_connection *conn = conn_new(d, t, true);

    st.quota.node_size = 4096;
    /* A 3000-byte value: more than the ring holds at once. */
    struct xs_buf req;
    xs_buf_init(&req);
    struct xsd_sockmsg h = { .type = XS_WRITE, .req_id = 1, .len = 3000 };
    xs_buf_append(&req, &h, sizeof(h));
    xs_buf_append(&req, "big", 4);
    for (int k = 0; k < 2996; k++)
        xs_buf_append(&req, "abcdefghij" + k % 10, 1);
    h = (struct xsd_sockmsg){ .type = XS_READ, .req_id = 2, .len = 4 };
    xs_buf_append(&req, &h, sizeof(h));
    xs_buf_append(&req, "big", 4);
    struct stream s = { req.data, req.len, 0 };

    struct xs_buf rsp;
    xs_buf_init(&rsp);
    for (int round = 0; round < 100; round++) {
        pump(i, &s);
        ck_assert(conn_handle_input(conn, 10));
        ck_assert(conn_handle_output(conn));
        uint8_t tmp[512];
        size_t n = guest_recv(i, tmp, sizeof(tmp));
        xs_buf_append(&rsp, tmp, n);
    }
    ck_assert_uint_eq(s.off, s.len);
    /* WRITE's OK, then READ's 2996 bytes. */
    struct xsd_sockmsg r;
    ck_assert_uint_ge(rsp.len, 2 * sizeof(r) + 3 + 2996);
    memcpy(&r, rsp.data, sizeof(r));
    ck_assert_uint_eq(r.type, XS_WRITE);
    ck_assert_uint_eq(r.req_id, 1);
    memcpy(&r, rsp.data + sizeof(r) + 3, sizeof(r));
    ck_assert_uint_eq(r.type, XS_READ);
    ck_assert_uint_eq(r.len, 2996);
    ck_assert_int_eq(memcmp(rsp.data + 2 * sizeof(r) + 3, "abcdefghij", 10), 0);
    xs_buf_free(&req);
    xs_buf_free(&rsp);
    conn_free(conn);
    ck_assert_int_eq(releases, 1);
    xs_store_destroy(&st);
    free(i);
}
END_TEST

START_TEST(oversized_message_on_the_ring)
{
    struct xs_store st;
    th_store(&st);
    struct xenstore_domain_interface *i = new_page();
    struct xs_transport *t = ring_transport_new(i, NULL, NULL, NULL);
    ring_transport_reset(t);
    struct xs_client *d = xs_client_new(&st, 3, true);
    struct xs_connection *conn = conn_new(d, t, true);
    struct xsd_sockmsg h = { .type = XS_WRITE, .req_id = 1, .len = 100000 };
    guest_send(i, &h, sizeof(h));
    ck_assert(!conn_handle_input(conn, 10));
    ck_assert_uint_eq(i->error, XENSTORE_ERROR_PROTO);
    conn_free(conn);
    xs_store_destroy(&st);
    free(i);
}
END_TEST

Suite *xs_ring_suite(void)
{
    Suite *s = suite_create("xenstore-ring");
    TCase *tc = tcase_create("ring");
    tcase_add_test(tc, bytes_both_ways);
    tcase_add_test(tc, wrap_around_ring_and_index);
    tcase_add_test(tc, full_response_ring_waits);
    tcase_add_test(tc, hostile_indices_break_the_ring);
    tcase_add_test(tc, requests_over_the_ring_end_to_end);
    tcase_add_test(tc, oversized_message_on_the_ring);
    suite_add_tcase(s, tc);
    return s;
}
