/*
 * Watch events: fired once when set, queued when they arrive between a
 * request and its reply, handed out in order, timed out, and forgotten on
 * unwatch.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "suites.h"

static struct pair p;

static void setup(void) { pair_start(&p); }
static void teardown(void) { pair_stop(&p); }

static void expect_event(const char *path, const char *token)
{
    unsigned int n;
    char **ev = svxs_read_watch(p.h, &n, 2000);

    ck_assert_ptr_nonnull(ev);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(ev[XS_WATCH_PATH], path);
    ck_assert_str_eq(ev[XS_WATCH_TOKEN], token);
    ck_assert_ptr_null(ev[n]);
    free(ev);
}

START_TEST(initial_event_then_changes)
{
    ck_assert_int_eq(svxs_watch(p.h, "/w", "tok"), 0);
    expect_event("/w", "tok");
    ck_assert_int_eq(svxs_write(p.h, 0, "/w/a", "1", 1), 0);
    ck_assert_int_eq(svxs_write(p.h, 0, "/other", "1", 1), 0);
    ck_assert_int_eq(svxs_write(p.h, 0, "/w/b", "2", 1), 0);
    expect_event("/w/a", "tok");
    expect_event("/w/b", "tok");
    ck_assert_uint_eq(svxs_pending_events(p.h), 0);
}
END_TEST

START_TEST(events_before_the_reply_are_queued)
{
    char *v;

    fake_xsd_events_first(p.f, true);
    ck_assert_int_eq(svxs_watch(p.h, "/w", "t1"), 0);
    /* The event came before the WATCH reply: it must have been kept. */
    ck_assert_uint_eq(svxs_pending_events(p.h), 1);
    fake_xsd_fire(p.f, "/w/x", "t1");
    fake_xsd_fire(p.f, "/w/y", "t1");
    fake_xsd_write(p.f, "/k", "v");
    v = svxs_read(p.h, 0, "/k", NULL);      /* reads past both events */
    ck_assert_str_eq(v, "v");
    free(v);
    ck_assert_uint_eq(svxs_pending_events(p.h), 3);
    expect_event("/w", "t1");
    expect_event("/w/x", "t1");
    expect_event("/w/y", "t1");
}
END_TEST

START_TEST(timeout_and_poll)
{
    unsigned int n;
    struct pollfd pfd;

    errno = 0;
    ck_assert_ptr_null(svxs_read_watch(p.h, &n, 0));
    ck_assert_int_eq(errno, ETIMEDOUT);
    ck_assert_ptr_null(svxs_read_watch(p.h, &n, 100));
    ck_assert_int_eq(errno, ETIMEDOUT);
    /* A timeout with nothing read keeps the connection. */
    ck_assert_int_ge(svxs_fileno(p.h), 0);

    fake_xsd_fire(p.f, "/z", "tz");
    pfd.fd = svxs_fileno(p.h);
    pfd.events = POLLIN;
    ck_assert_int_eq(poll(&pfd, 1, 2000), 1);
    expect_event("/z", "tz");
}
END_TEST

START_TEST(unwatch_drops_queued_events)
{
    char *v;

    ck_assert_int_eq(svxs_watch(p.h, "/a", "ta"), 0);
    ck_assert_int_eq(svxs_watch(p.h, "/b", "tb"), 0);
    fake_xsd_fire(p.f, "/a/1", "ta");
    fake_xsd_fire(p.f, "/b/1", "tb");
    fake_xsd_fire(p.f, "/a/2", "ta");
    v = svxs_read(p.h, 0, "/", NULL);
    free(v);
    ck_assert_uint_eq(svxs_pending_events(p.h), 5);    /* 2 initial + 3 */
    ck_assert_int_eq(svxs_unwatch(p.h, "/a", "ta"), 0);
    ck_assert_uint_eq(svxs_pending_events(p.h), 2);
    expect_event("/b", "tb");
    expect_event("/b/1", "tb");
    /* The queue's tail is right after removals: new events still come. */
    fake_xsd_fire(p.f, "/b/2", "tb");
    expect_event("/b/2", "tb");
}
END_TEST

START_TEST(events_of_removed_nodes)
{
    ck_assert_int_eq(svxs_write(p.h, 0, "/r/child", "1", 1), 0);
    ck_assert_int_eq(svxs_watch(p.h, "/r/child", "t"), 0);
    expect_event("/r/child", "t");
    ck_assert_int_eq(svxs_rm(p.h, 0, "/r"), 0);
    expect_event("/r/child", "t");
}
END_TEST

Suite *events_suite(void)
{
    Suite *s = suite_create("events");
    TCase *tc = tcase_create("watch");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, initial_event_then_changes);
    tcase_add_test(tc, events_before_the_reply_are_queued);
    tcase_add_test(tc, timeout_and_poll);
    tcase_add_test(tc, unwatch_drops_queued_events);
    tcase_add_test(tc, events_of_removed_nodes);
    suite_add_tcase(s, tc);
    return s;
}
