/* Message parsing: payload splitting, errors, the connection's framing. */
#include <stdlib.h>
#include <string.h>

#include "connection.h"
#include "harness.h"
#include "suites.h"

START_TEST(split_and_onearg)
{
    const char *vec[4];
    ck_assert_uint_eq(msg_split((const uint8_t *)"a\0bc\0", 5, vec, 4), 2);
    ck_assert_str_eq(vec[0], "a");
    ck_assert_str_eq(vec[1], "bc");
    /* Trailing bytes without a nul do not count. */
    ck_assert_uint_eq(msg_split((const uint8_t *)"a\0bc", 4, vec, 4), 1);
    ck_assert_uint_eq(msg_split((const uint8_t *)"", 0, vec, 4), 0);
    /* More strings than slots: all counted, the first filled in. */
    ck_assert_uint_eq(msg_split((const uint8_t *)"\0\0\0\0\0", 5, vec, 2), 5);
    ck_assert_str_eq(msg_onearg((const uint8_t *)"abc", 4), "abc");
    ck_assert_ptr_null(msg_onearg((const uint8_t *)"abc", 3));
    ck_assert_ptr_null(msg_onearg((const uint8_t *)"a\0b", 4));
    ck_assert_ptr_null(msg_onearg((const uint8_t *)"", 0));
    ck_assert_uint_eq(msg_count_nuls((const uint8_t *)"a\0b\0", 4), 2);
}
END_TEST

START_TEST(errno_names_from_xsd_errors)
{
    ck_assert_str_eq(msg_errno_name(ENOENT), "ENOENT");
    ck_assert_str_eq(msg_errno_name(EAGAIN), "EAGAIN");
    ck_assert_str_eq(msg_errno_name(E2BIG), "E2BIG");
    /* Not in the table: EINVAL, as Xen does. */
    ck_assert_str_eq(msg_errno_name(ETIMEDOUT), "EINVAL");
    ck_assert_str_eq(msg_type_name(XS_DIRECTORY_PART), "DIRECTORY_PART");
    ck_assert_str_eq(msg_type_name(9999), "UNKNOWN");
}
END_TEST

START_TEST(unknown_types_enosys)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    const uint32_t bad[] = { XS_TYPE_COUNT, XS_INVALID, XS_WATCH_EVENT, XS_ERROR,
                             XS_SET_TARGET + 1 /* the removed XS_RESTRICT */, 0x80000000u };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct xs_msg *m = th_raw(c, bad[i], 0, "/x", 3);
        ck_assert_ptr_nonnull(m);
        ck_assert_uint_eq(m->hdr.type, XS_ERROR);
        ck_assert_str_eq((char *)m->body, "ENOSYS");
        ck_assert_uint_eq(m->hdr.len, 7);
        free(m);
    }
    xs_store_destroy(&st);
}
END_TEST

START_TEST(nul_termination_is_checked)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    ck_assert_int_eq(th_write(c, 0, "/a", "1"), 0);
    ck_assert_int_eq(th_errno(th_raw(c, XS_READ, 0, "/a", 2)), EINVAL);       /* no nul */
    ck_assert_int_eq(th_errno(th_raw(c, XS_READ, 0, "/a\0/b", 6)), EINVAL);   /* two args */
    ck_assert_int_eq(th_errno(th_raw(c, XS_READ, 0, "/a\0x", 4)), EINVAL);    /* junk after */
    ck_assert_int_eq(th_errno(th_raw(c, XS_READ, 0, "", 0)), EINVAL);        /* empty */
    ck_assert_int_eq(th_errno(th_raw(c, XS_WRITE, 0, "/a", 2)), EINVAL);      /* no path end */
    ck_assert_int_eq(th_errno(th_raw(c, XS_MKDIR, 0, "/a\0\0", 4)), EINVAL);
    ck_assert_int_eq(th_errno(th_raw(c, XS_GET_DOMAIN_PATH, 0, "5", 1)), EINVAL);
    ck_assert_int_eq(th_errno(th_raw(c, XS_RM, 0, "/a", 3)), 0);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(replies_echo_ids_and_errors_are_names)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    struct xsd_sockmsg h = { .type = XS_READ, .req_id = 0xdeadbeef, .tx_id = 0, .len = 6 };
    xs_process(c, &h, (const uint8_t *)"/nope");
    struct xs_msg *m = outq_pop(&c->out);
    ck_assert_uint_eq(m->hdr.type, XS_ERROR);
    ck_assert_uint_eq(m->hdr.req_id, 0xdeadbeef);
    ck_assert_uint_eq(m->hdr.len, 7);
    ck_assert_int_eq(memcmp(m->body, "ENOENT", 7), 0);
    free(m);
    /* A request in a transaction echoes its tx_id, even in errors. */
    int err;
    uint32_t tx = th_txn_start(c, &err);
    h.tx_id = tx;
    xs_process(c, &h, (const uint8_t *)"/nope");
    m = outq_pop(&c->out);
    ck_assert_uint_eq(m->hdr.tx_id, tx);
    free(m);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(framing_survives_byte_by_byte_io)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    struct th_mem *m = th_mem_new();
    m->chunk = 1;   /* every read and write moves one byte */
    th_mem_feed_msg(m, XS_WRITE, 1, 0, "/f\0val", 6);
    th_mem_feed_msg(m, XS_READ, 2, 0, "/f", 3);
    th_mem_feed_msg(m, XS_TRANSACTION_START, 3, 0, "", 1);
    struct xs_connection *conn = conn_new(c, &m->base, false);
    for (int i = 0; i < 200; i++) {
        ck_assert(conn_handle_input(conn, 10));
        ck_assert(conn_handle_output(conn));
    }
    /* Three replies, in order: WRITE OK, READ "val", TRANSACTION_START id. */
    const uint8_t *p = m->out.data;
    struct xsd_sockmsg h;
    memcpy(&h, p, sizeof(h));
    ck_assert_uint_eq(h.type, XS_WRITE);
    ck_assert_uint_eq(h.req_id, 1);
    p += sizeof(h) + h.len;
    memcpy(&h, p, sizeof(h));
    ck_assert_uint_eq(h.type, XS_READ);
    ck_assert_uint_eq(h.len, 3);
    ck_assert_int_eq(memcmp(p + sizeof(h), "val", 3), 0);
    p += sizeof(h) + h.len;
    memcpy(&h, p, sizeof(h));
    ck_assert_uint_eq(h.type, XS_TRANSACTION_START);
    p += sizeof(h) + h.len;
    ck_assert_uint_eq((size_t)(p - m->out.data), m->out.len);
    conn_free(conn);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(truncated_message_waits_then_eof_closes)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    struct th_mem *m = th_mem_new();
    struct xsd_sockmsg h = { .type = XS_READ, .req_id = 1, .len = 10 };
    th_mem_feed(m, &h, sizeof(h));
    th_mem_feed(m, "/abc", 4);   /* 6 payload bytes missing */
    struct xs_connection *conn = conn_new(c, &m->base, false);
    ck_assert(conn_handle_input(conn, 10));
    ck_assert_ptr_null(c->out.head);   /* nothing handled yet */
    m->eof = true;
    ck_assert(!conn_handle_input(conn, 10));
    ck_assert_str_eq(conn->why, "peer closed");
    conn_free(conn);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(oversized_payload_closes_connection)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    struct th_mem *m = th_mem_new();
    bool closed = false;
    m->closed = &closed;
    th_mem_feed_msg(m, XS_WRITE, 1, 0, "/ok\0fine", 8);
    struct xsd_sockmsg h = { .type = XS_WRITE, .req_id = 2, .len = XENSTORE_PAYLOAD_MAX + 1 };
    th_mem_feed(m, &h, sizeof(h));
    struct xs_connection *conn = conn_new(c, &m->base, false);
    ck_assert(!conn_handle_input(conn, 10));
    ck_assert_str_eq(conn->why, "oversized message");
    /* The message before it was handled. */
    ck_assert_ptr_nonnull(c->out.head);
    ck_assert_uint_eq(c->out.head->hdr.req_id, 1);
    conn_free(conn);
    ck_assert(closed);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(payload_of_exactly_the_maximum_is_fine)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    uint8_t *big = malloc(XENSTORE_PAYLOAD_MAX);
    memcpy(big, "/max", 5);
    memset(big + 5, 'v', XENSTORE_PAYLOAD_MAX - 5);
    struct th_mem *m = th_mem_new();
    th_mem_feed_msg(m, XS_WRITE, 1, 0, big, XENSTORE_PAYLOAD_MAX);
    th_mem_feed_msg(m, XS_READ, 2, 0, "/max", 5);
    struct xs_connection *conn = conn_new(c, &m->base, false);
    ck_assert(conn_handle_input(conn, 10));
    struct xs_msg *r = outq_pop(&c->out);
    ck_assert_uint_eq(r->hdr.type, XS_WRITE);
    free(r);
    r = outq_pop(&c->out);
    ck_assert_uint_eq(r->hdr.type, XS_READ);
    ck_assert_uint_eq(r->hdr.len, XENSTORE_PAYLOAD_MAX - 5);
    free(r);
    free(big);
    conn_free(conn);
    xs_store_destroy(&st);
}
END_TEST

Suite *xs_message_suite(void)
{
    Suite *s = suite_create("xenstore-message");
    TCase *tc = tcase_create("message");
    tcase_add_test(tc, split_and_onearg);
    tcase_add_test(tc, errno_names_from_xsd_errors);
    tcase_add_test(tc, unknown_types_enosys);
    tcase_add_test(tc, nul_termination_is_checked);
    tcase_add_test(tc, replies_echo_ids_and_errors_are_names);
    tcase_add_test(tc, framing_survives_byte_by_byte_io);
    tcase_add_test(tc, truncated_message_waits_then_eof_closes);
    tcase_add_test(tc, oversized_payload_closes_connection);
    tcase_add_test(tc, payload_of_exactly_the_maximum_is_fine);
    suite_add_tcase(s, tc);
    return s;
}
