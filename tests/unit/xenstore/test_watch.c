/* Watches and their events. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

#define EXPECT_EVENT(c, s) do { char *e_ = th_event(c); ck_assert_ptr_nonnull(e_); \
    ck_assert_str_eq(e_, s); free(e_); } while (0)
#define EXPECT_NO_EVENT(c) ck_assert_uint_eq(th_nevents(c), 0)

START_TEST(initial_event_after_the_reply)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *w = xs_client_new(&st, 0, false);
    struct xs_msg *m = th_req(w, XS_WATCH, 0, "/not/there", "tk", NULL);
    ck_assert_uint_eq(m->hdr.type, XS_WATCH);
    ck_assert_int_eq(memcmp(m->body, "OK", 3), 0);
    free(m);
    /* The event is queued behind where the reply was. */
    ck_assert_ptr_nonnull(w->out.head);
    ck_assert_uint_eq(w->out.head->hdr.type, XS_WATCH_EVENT);
    EXPECT_EVENT(w, "/not/there|tk");
    EXPECT_NO_EVENT(w);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(changes_below_fire_above_do_not)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    struct xs_client *w = xs_client_new(&st, 0, false);
    ck_assert_int_eq(th_mkdir(c, 0, "/w/a"), 0);
    ck_assert_int_eq(th_watch(w, "/w/a", "t"), 0);
    th_drain(w);
    ck_assert_int_eq(th_write(c, 0, "/w/a", "1"), 0);
    EXPECT_EVENT(w, "/w/a|t");
    ck_assert_int_eq(th_write(c, 0, "/w/a/b/c", "1"), 0);
    EXPECT_EVENT(w, "/w/a/b/c|t");
    ck_assert_int_eq(th_write(c, 0, "/w/ab", "1"), 0);   /* a sibling, not a child */
    ck_assert_int_eq(th_write(c, 0, "/w", "1"), 0);      /* a parent */
    EXPECT_NO_EVENT(w);
    ck_assert_int_eq(th_mkdir(c, 0, "/w/a/b"), 0);       /* exists: no change */
    EXPECT_NO_EVENT(w);
    ck_assert_int_eq(th_setperms(c, 0, "/w/a/b", "r0", NULL), 0);
    EXPECT_EVENT(w, "/w/a/b|t");
    xs_store_destroy(&st);
}
END_TEST

START_TEST(rm_fires_for_removed_children)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    struct xs_client *top = xs_client_new(&st, 0, false);
    struct xs_client *deep = xs_client_new(&st, 0, false);
    ck_assert_int_eq(th_write(c, 0, "/r/a/b", "1"), 0);
    ck_assert_int_eq(th_write(c, 0, "/r/a/c", "1"), 0);
    ck_assert_int_eq(th_watch(top, "/r", "top"), 0);
    ck_assert_int_eq(th_watch(deep, "/r/a/b", "deep"), 0);
    ck_assert_int_eq(th_watch(deep, "/r/a/zz", "never"), 0);
    th_drain(top);
    th_drain(deep);
    ck_assert_int_eq(th_rm(c, 0, "/r/a"), 0);
    /* The watch above hears the removed path once. */
    EXPECT_EVENT(top, "/r/a|top");
    EXPECT_NO_EVENT(top);
    /* The watch on a removed child hears its own path. */
    EXPECT_EVENT(deep, "/r/a/b|deep");
    EXPECT_NO_EVENT(deep);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(unwatch_and_duplicates)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    struct xs_client *w = xs_client_new(&st, 0, false);
    ck_assert_int_eq(th_watch(w, "/u", "1"), 0);
    ck_assert_int_eq(th_watch(w, "/u", "1"), EEXIST);
    ck_assert_int_eq(th_watch(w, "/u", "2"), 0);   /* other token: fine */
    th_drain(w);
    ck_assert_int_eq(th_write(c, 0, "/u", "x"), 0);
    EXPECT_EVENT(w, "/u|1");
    EXPECT_EVENT(w, "/u|2");
    ck_assert_int_eq(th_unwatch(w, "/u", "1"), 0);
    ck_assert_int_eq(th_unwatch(w, "/u", "1"), ENOENT);
    ck_assert_int_eq(th_unwatch(w, "/other", "2"), ENOENT);
    ck_assert_int_eq(th_write(c, 0, "/u", "y"), 0);
    EXPECT_EVENT(w, "/u|2");
    EXPECT_NO_EVENT(w);
    /* Malformed requests. */
    ck_assert_int_eq(th_errno(th_req(w, XS_WATCH, 0, "/u", NULL)), EINVAL);
    ck_assert_int_eq(th_errno(th_req(w, XS_WATCH, 0, "/u", "t", "extra", NULL)), EINVAL);
    ck_assert_int_eq(th_errno(th_req(w, XS_WATCH, 0, "bad path", "t", NULL)), EINVAL);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(reset_watches_drops_everything)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    struct xs_client *w = xs_client_new(&st, 0, false);
    ck_assert_int_eq(th_watch(w, "/a", "1"), 0);
    ck_assert_int_eq(th_watch(w, "/b", "2"), 0);
    th_drain(w);
    ck_assert_int_eq(th_errno(th_req(w, XS_RESET_WATCHES, 0, "", NULL)), 0);
    ck_assert_uint_eq(w->nwatches, 0);
    ck_assert_int_eq(th_write(c, 0, "/a", "x"), 0);
    EXPECT_NO_EVENT(w);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(special_watches)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    struct xs_client *w = xs_client_new(&st, 0, false);
    ck_assert_int_eq(th_watch(w, "@introduceDomain", "in"), 0);
    ck_assert_int_eq(th_watch(w, "@releaseDomain", "out"), 0);
    EXPECT_EVENT(w, "@introduceDomain|in");
    EXPECT_EVENT(w, "@releaseDomain|out");
    /* Node changes do not fire them. */
    ck_assert_int_eq(th_write(c, 0, "/x", "1"), 0);
    EXPECT_NO_EVENT(w);
    ck_assert_int_eq(th_errno(th_req(c, XS_INTRODUCE, 0, "3", "77", "5", NULL)), 0);
    EXPECT_EVENT(w, "@introduceDomain|in");
    EXPECT_NO_EVENT(w);
    ck_assert_int_eq(th_errno(th_req(c, XS_RELEASE, 0, "3", NULL)), 0);
    EXPECT_EVENT(w, "@releaseDomain|out");
    EXPECT_NO_EVENT(w);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(relative_watches_hear_relative_paths)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    struct xs_client *d = xs_client_new(&st, 4, true);
    ck_assert_int_eq(th_mkdir(c0, 0, "/local/domain/4"), 0);
    ck_assert_int_eq(th_setperms(c0, 0, "/local/domain/4", "n4", NULL), 0);
    ck_assert_int_eq(th_watch(d, "device", "dev"), 0);
    EXPECT_EVENT(d, "device|dev");
    ck_assert_int_eq(th_write(c0, 0, "/local/domain/4/device/vif/0", "x"), 0);
    EXPECT_EVENT(d, "device/vif/0|dev");
    /* The same node watched absolutely gives the absolute path. */
    ck_assert_int_eq(th_watch(d, "/local/domain/4/device", "abs"), 0);
    th_drain(d);
    ck_assert_int_eq(th_write(c0, 0, "/local/domain/4/device/vif/1", "x"), 0);
    EXPECT_EVENT(d, "device/vif/1|dev");
    EXPECT_EVENT(d, "/local/domain/4/device/vif/1|abs");
    /* Unwatch takes the relative form too. */
    ck_assert_int_eq(th_unwatch(d, "device", "dev"), 0);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(events_respect_permissions)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    struct xs_client *d5 = xs_client_new(&st, 5, true);
    ck_assert_int_eq(th_mkdir(c0, 0, "/priv"), 0);   /* n0: unreadable by 5 */
    ck_assert_int_eq(th_mkdir(c0, 0, "/open"), 0);
    ck_assert_int_eq(th_setperms(c0, 0, "/open", "r0", NULL), 0);
    ck_assert_int_eq(th_watch(d5, "/", "all"), 0);
    th_drain(d5);
    ck_assert_int_eq(th_write(c0, 0, "/priv/secret", "s"), 0);
    EXPECT_NO_EVENT(d5);
    ck_assert_int_eq(th_write(c0, 0, "/open/x", "s"), 0);
    EXPECT_EVENT(d5, "/open/x|all");
    /* Losing access still tells: the old permissions count. */
    ck_assert_int_eq(th_setperms(c0, 0, "/open/x", "n0", NULL), 0);
    EXPECT_EVENT(d5, "/open/x|all");
    /* A "/" watch also hears the special events it may read. */
    ck_assert_int_eq(th_setperms(c0, 0, "@introduceDomain", "n0", "r5", NULL), 0);
    ck_assert_int_eq(th_errno(th_req(c0, XS_INTRODUCE, 0, "8", "1", "1", NULL)), 0);
    EXPECT_EVENT(d5, "@introduceDomain|all");
    EXPECT_NO_EVENT(d5);
    xs_store_destroy(&st);
}
END_TEST

Suite *xs_watch_suite(void)
{
    Suite *s = suite_create("xenstore-watch");
    TCase *tc = tcase_create("watch");
    tcase_add_test(tc, initial_event_after_the_reply);
    tcase_add_test(tc, changes_below_fire_above_do_not);
    tcase_add_test(tc, rm_fires_for_removed_children);
    tcase_add_test(tc, unwatch_and_duplicates);
    tcase_add_test(tc, reset_watches_drops_everything);
    tcase_add_test(tc, special_watches);
    tcase_add_test(tc, relative_watches_hear_relative_paths);
    tcase_add_test(tc, events_respect_permissions);
    suite_add_tcase(s, tc);
    return s;
}
