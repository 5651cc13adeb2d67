/*
 * Replies from a daemon that lies: lengths beyond XENSTORE_PAYLOAD_MAX,
 * someone else's req_id, the wrong type, strings without their nul, a
 * stream cut short, silence, and floods of events.  None may crash or
 * overflow (ASan watches), and framing errors must close the connection.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "helpers.h"
#include "suites.h"

static struct pair p;

static void setup(void) { pair_start(&p); }
static void teardown(void) { pair_stop(&p); }

/* What the hook should send back: a header tweak and a body. */
struct lie {
    bool force_type;        /* else the request's type */
    uint32_t type;
    int32_t req_id_delta;
    bool force_len;         /* else body_len */
    uint32_t len;
    const char *body;
    size_t body_len;
    bool hang_up;           /* shut the stream after sending */
    bool silent;            /* send nothing at all */
    unsigned int events;    /* well-formed events to send first */
    unsigned int bad_events;
    const char *raw;        /* send these bytes instead of a message */
    size_t raw_len;
    bool stray;             /* after the reply, a reply to nothing */
};

static bool tell_lie(struct fake_xsd *f, int fd, const struct xsd_sockmsg *hdr,
                     const char *body, void *arg)
{
    struct lie *l = arg;
    unsigned int i;

    (void)f;
    (void)body;
    for (i = 0; i < l->events; i++)
        fake_send_raw(fd, XS_WATCH_EVENT, 0, 0, 8, "/ev\0tok\0", 8);
    for (i = 0; i < l->bad_events; i++) {
        /* one string only; then no nul at all */
        fake_send_raw(fd, XS_WATCH_EVENT, 0, 0, 4, "/ev\0", 4);
        fake_send_raw(fd, XS_WATCH_EVENT, 0, 0, 3, "/ev", 3);
    }
    if (l->silent)
        return true;
    if (l->raw != NULL) {
        if (send(fd, l->raw, l->raw_len, MSG_NOSIGNAL) < 0)
            return true;
        if (l->hang_up)
            shutdown(fd, SHUT_WR);
        return true;
    }
    fake_send_raw(fd, l->force_type ? l->type : hdr->type,
                  hdr->req_id + (uint32_t)l->req_id_delta, hdr->tx_id,
                  l->force_len ? l->len : (uint32_t)l->body_len,
                  l->body, l->body_len);
    if (l->stray)
        fake_send_raw(fd, XS_READ, 999, 0, 2, "x", 2);
    if (l->hang_up)
        shutdown(fd, SHUT_WR);
    return true;
}

#define LIE(...) (&(struct lie){ __VA_ARGS__ })

/*
 * The hook may still be finishing its lie after the client has given up
 * and the test has moved on, so it works on a copy that outlives the test.
 */
static struct lie current;

static void lie_with(const struct lie *l)
{
    fake_xsd_lock(p.f);
    current = *l;
    fake_xsd_unlock(p.f);
    fake_xsd_set_hook(p.f, tell_lie, &current);
}

/* The handle must refuse further work after a framing error. */
static void expect_closed(void)
{
    ck_assert_int_lt(svxs_fileno(p.h), 0);
    ck_assert_ptr_null(svxs_read(p.h, 0, "/", NULL));
    ck_assert_int_eq(errno, ENOTCONN);
}

START_TEST(length_beyond_payload_max)
{
    lie_with(LIE(.force_len = true, .len = XENSTORE_PAYLOAD_MAX + 1, .body = "", .body_len = 0));
    ck_assert_ptr_null(svxs_read(p.h, 0, "/x", NULL));
    ck_assert_int_eq(errno, EPROTO);
    expect_closed();
}
END_TEST

START_TEST(length_huge)
{
    lie_with(LIE(.force_len = true, .len = 0xffffffffu, .body = "abc", .body_len = 3));
    ck_assert_ptr_null(svxs_read(p.h, 0, "/x", NULL));
    ck_assert_int_eq(errno, EPROTO);
    expect_closed();
}
END_TEST

START_TEST(length_exactly_payload_max_is_fine)
{
    static char big[XENSTORE_PAYLOAD_MAX];
    size_t len;
    char *v;

    memset(big, 'z', sizeof(big));
    lie_with(LIE(.body = big, .body_len = sizeof(big)));
    v = svxs_read(p.h, 0, "/x", &len);
    ck_assert_ptr_nonnull(v);
    ck_assert_uint_eq(len, XENSTORE_PAYLOAD_MAX);
    ck_assert_int_eq(v[len], '\0');
    free(v);
}
END_TEST

START_TEST(wrong_req_id)
{
    lie_with(LIE(.req_id_delta = 1, .body = "v", .body_len = 1));
    ck_assert_ptr_null(svxs_read(p.h, 0, "/x", NULL));
    ck_assert_int_eq(errno, EPROTO);
    expect_closed();
}
END_TEST

START_TEST(wrong_reply_type)
{
    lie_with(LIE(.force_type = true, .type = XS_WRITE, .body = "OK", .body_len = 3));
    ck_assert_ptr_null(svxs_read(p.h, 0, "/x", NULL));
    ck_assert_int_eq(errno, EPROTO);
    expect_closed();
}
END_TEST

START_TEST(stream_cut_in_header)
{
    lie_with(LIE(.raw = "\x02\0\0\0\x01", .raw_len = 5, .hang_up = true));
    ck_assert_ptr_null(svxs_read(p.h, 0, "/x", NULL));
    ck_assert_int_eq(errno, ECONNRESET);
    expect_closed();
}
END_TEST

START_TEST(stream_cut_in_body)
{
    /* Claims 8 bytes, sends 2, hangs up. */
    lie_with(LIE(.force_len = true, .len = 8, .body = "ab", .body_len = 2, .hang_up = true));
    ck_assert_ptr_null(svxs_read(p.h, 0, "/x", NULL));
    ck_assert_int_eq(errno, ECONNRESET);
    expect_closed();
}
END_TEST

START_TEST(no_reply_times_out)
{
    svxs_set_reply_timeout(p.h, 200);
    lie_with(LIE(.silent = true));
    ck_assert_ptr_null(svxs_read(p.h, 0, "/x", NULL));
    ck_assert_int_eq(errno, ETIMEDOUT);
    /* A late reply would be out of step: the connection is dropped. */
    expect_closed();
}
END_TEST

START_TEST(directory_without_final_nul)
{
    unsigned int n;

    lie_with(LIE(.body = "a\0b", .body_len = 3));
    ck_assert_ptr_null(svxs_directory(p.h, 0, "/x", &n));
    ck_assert_int_eq(errno, EPROTO);
    /* Framing was fine, so the connection stays. */
    ck_assert_int_ge(svxs_fileno(p.h), 0);
}
END_TEST

START_TEST(perms_garbage)
{
    unsigned int n;

    lie_with(LIE(.body = "q9\0", .body_len = 3));
    ck_assert_ptr_null(svxs_get_perms(p.h, 0, "/x", &n));
    ck_assert_int_eq(errno, EPROTO);
    lie_with(LIE(.body = "r1", .body_len = 2));
    ck_assert_ptr_null(svxs_get_perms(p.h, 0, "/x", &n));
    ck_assert_int_eq(errno, EPROTO);
    lie_with(LIE(.body = "", .body_len = 0));
    ck_assert_ptr_null(svxs_get_perms(p.h, 0, "/x", &n));
    ck_assert_int_eq(errno, EPROTO);
}
END_TEST

START_TEST(transaction_ids_must_be_sane)
{
    static const struct { const char *body; size_t len; } bad[] = {
        { "12", 2 },            /* no nul */
        { "0", 2 },             /* would mean "no transaction" */
        { "abc", 4 },
        { "-5", 3 },
        { " 5", 3 },
        { "4294967296", 11 },
        { "5\0junk", 7 },
        { "", 0 },
    };
    svxs_tx_t tx = 0;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        lie_with(LIE(.body = bad[i].body, .body_len = bad[i].len));
        ck_assert_int_eq(svxs_transaction_start(p.h, &tx), -1);
        ck_assert_int_eq(errno, EPROTO);
        ck_assert_uint_eq(tx, 0);
    }
    lie_with(LIE(.body = "4294967295", .body_len = 11));
    ck_assert_int_eq(svxs_transaction_start(p.h, &tx), 0);
    ck_assert_uint_eq(tx, 4294967295u);
}
END_TEST

START_TEST(domain_path_must_be_one_string)
{
    char *s;

    lie_with(LIE(.body = "/local/domain/1", .body_len = 15));
    ck_assert_ptr_null(svxs_get_domain_path(p.h, 1));
    ck_assert_int_eq(errno, EPROTO);
    lie_with(LIE(.body = "/a\0/b", .body_len = 6));
    ck_assert_ptr_null(svxs_get_domain_path(p.h, 1));
    ck_assert_int_eq(errno, EPROTO);
    lie_with(LIE(.body = "/ok", .body_len = 4));
    s = svxs_get_domain_path(p.h, 1);
    ck_assert_str_eq(s, "/ok");
    free(s);
}
END_TEST

START_TEST(malformed_events_are_dropped)
{
    char *v;

    lie_with(LIE(.bad_events = 3, .events = 1, .body = "v", .body_len = 1));
    v = svxs_read(p.h, 0, "/x", NULL);
    ck_assert_str_eq(v, "v");
    free(v);
    ck_assert_uint_eq(svxs_pending_events(p.h), 1);   /* the good one */
}
END_TEST

START_TEST(event_flood_is_bounded)
{
    unsigned int n;
    char **ev;

    lie_with(LIE(.events = SVXS_EVENT_QUEUE_MAX + 10, .body = "v",
                 .body_len = 1));
    free(svxs_read(p.h, 0, "/x", NULL));
    ck_assert_uint_eq(svxs_pending_events(p.h), SVXS_EVENT_QUEUE_MAX);
    ck_assert_uint_eq(svxs_events_lost(p.h), 10);
    ev = svxs_read_watch(p.h, &n, 0);
    ck_assert_ptr_nonnull(ev);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(ev[XS_WATCH_PATH], "/ev");
    ck_assert_str_eq(ev[XS_WATCH_TOKEN], "tok");
    free(ev);
}
END_TEST

START_TEST(unsolicited_reply_while_waiting_for_events)
{
    unsigned int n;

    /* The WATCH is answered, then a reply to a request never made. */
    lie_with(LIE(.body = "OK", .body_len = 3, .stray = true));
    ck_assert_int_eq(svxs_watch(p.h, "/w", "t"), 0);
    ck_assert_ptr_null(svxs_read_watch(p.h, &n, 1000));
    ck_assert_int_eq(errno, EPROTO);
    expect_closed();
}
END_TEST

Suite *hostile_suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("replies");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, length_beyond_payload_max);
    tcase_add_test(tc, length_huge);
    tcase_add_test(tc, length_exactly_payload_max_is_fine);
    tcase_add_test(tc, wrong_req_id);
    tcase_add_test(tc, wrong_reply_type);
    tcase_add_test(tc, stream_cut_in_header);
    tcase_add_test(tc, stream_cut_in_body);
    tcase_add_test(tc, no_reply_times_out);
    tcase_add_test(tc, directory_without_final_nul);
    tcase_add_test(tc, perms_garbage);
    tcase_add_test(tc, transaction_ids_must_be_sane);
    tcase_add_test(tc, domain_path_must_be_one_string);
    tcase_add_test(tc, malformed_events_are_dropped);
    tcase_add_test(tc, event_flood_is_bounded);
    tcase_add_test(tc, unsolicited_reply_while_waiting_for_events);
    suite_add_tcase(s, tc);
    return s;
}
