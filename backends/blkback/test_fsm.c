/* Check tests for the backend handshake decisions (fsm.c). */
#include "test_helpers.h"

#include "fsm.h"

static enum be_action decide(int be, int fe, bool online, bool live)
{
    struct be_view v = { .be_state = be, .fe_state = fe, .online = online, .rings_live = live };
    return be_decide(&v);
}

START_TEST(fresh_device_goes_to_initwait)
{
    ck_assert_int_eq(decide(XenbusStateInitialising, XenbusStateInitialising, true, false),
                     BE_INITWAIT);
    ck_assert_int_eq(decide(XenbusStateUnknown, XenbusStateInitialising, true, false),
                     BE_INITWAIT);
    /* Being detached before it ever started: leave it to the toolstack. */
    ck_assert_int_eq(decide(XenbusStateInitialising, XenbusStateInitialising, false, false),
                     BE_NOTHING);
}
END_TEST

START_TEST(initwait_connects_on_initialised_or_connected)
{
    ck_assert_int_eq(decide(XenbusStateInitWait, XenbusStateInitialising, true, false), BE_NOTHING);
    ck_assert_int_eq(decide(XenbusStateInitWait, XenbusStateInitialised, true, false), BE_CONNECT);
    /* Two watches in quick succession: we may never see Initialised. */
    ck_assert_int_eq(decide(XenbusStateInitWait, XenbusStateConnected, true, false), BE_CONNECT);
}
END_TEST

START_TEST(connected_and_live_is_stable)
{
    ck_assert_int_eq(decide(XenbusStateConnected, XenbusStateConnected, true, true), BE_NOTHING);
    ck_assert_int_eq(decide(XenbusStateConnected, XenbusStateInitialised, true, true), BE_NOTHING);
}
END_TEST

START_TEST(frontend_closing_or_gone_closes)
{
    int fes[] = { XenbusStateClosing, XenbusStateClosed, XenbusStateUnknown };
    for (unsigned i = 0; i < 3; i++) {
        ck_assert_int_eq(decide(XenbusStateConnected, fes[i], true, true), BE_CLOSE);
        ck_assert_int_eq(decide(XenbusStateInitWait, fes[i], true, false), BE_CLOSE);
    }
}
END_TEST

START_TEST(restart_resumes_connected_device)
{
    ck_assert_int_eq(decide(XenbusStateConnected, XenbusStateConnected, true, false), BE_RESUME);
    ck_assert_int_eq(decide(XenbusStateConnected, XenbusStateInitialised, true, false), BE_RESUME);
    /* Detached while we were away: nothing to resume. */
    ck_assert_int_eq(decide(XenbusStateConnected, XenbusStateConnected, false, false), BE_CLOSE);
}
END_TEST

START_TEST(closed_reconnects_when_frontend_restarts)
{
    ck_assert_int_eq(decide(XenbusStateClosed, XenbusStateClosed, true, false), BE_NOTHING);
    ck_assert_int_eq(decide(XenbusStateClosed, XenbusStateInitialising, true, false), BE_INITWAIT);
    ck_assert_int_eq(decide(XenbusStateClosed, XenbusStateInitialised, true, false), BE_INITWAIT);
    ck_assert_int_eq(decide(XenbusStateClosed, XenbusStateInitialising, false, false), BE_NOTHING);
    /* Closed in xenstore but rings held: release them. */
    ck_assert_int_eq(decide(XenbusStateClosed, XenbusStateConnected, true, true), BE_CLOSE);
}
END_TEST

START_TEST(toolstack_detach_waits_for_frontend)
{
    /* libxl: online 0, backend state 5; the frontend closes, then us. */
    ck_assert_int_eq(decide(XenbusStateClosing, XenbusStateConnected, false, true), BE_NOTHING);
    ck_assert_int_eq(decide(XenbusStateClosing, XenbusStateClosing, false, true), BE_CLOSE);
    ck_assert_int_eq(decide(XenbusStateClosing, XenbusStateClosed, false, true), BE_CLOSE);
    /* Nothing held: close at once, the toolstack waits for 6. */
    ck_assert_int_eq(decide(XenbusStateClosing, XenbusStateConnected, false, false), BE_CLOSE);
}
END_TEST

START_TEST(frontend_reset_while_connected)
{
    ck_assert_int_eq(decide(XenbusStateConnected, XenbusStateInitialising, true, true), BE_CLOSE);
}
END_TEST

START_TEST(failed_device_waits_for_frontend_change)
{
    struct be_view v = { .be_state = XenbusStateClosing, .fe_state = XenbusStateInitialising,
                         .online = true, .failed = true,
                         .failed_fe_state = XenbusStateInitialising };
    ck_assert_int_eq(be_decide(&v), BE_NOTHING);
    /* After a hostile-ring disconnect: Closing, frontend still Connected. */
    v.fe_state = v.failed_fe_state = XenbusStateConnected;
    ck_assert_int_eq(be_decide(&v), BE_NOTHING);
    v.failed = false;
    ck_assert_int_eq(be_decide(&v), BE_NOTHING);      /* waits for it to close */
    v.fe_state = XenbusStateClosed;
    ck_assert_int_eq(be_decide(&v), BE_CLOSE);
}
END_TEST

/* Walks a whole attach, I/O, detach, re-attach as xenbus.c would. */
START_TEST(full_cycle_walk)
{
    int be = XenbusStateInitialising;
    int fe_seq[] = { XenbusStateInitialising, XenbusStateInitialised, XenbusStateConnected,
                     XenbusStateClosing, XenbusStateClosed, XenbusStateInitialising,
                     XenbusStateInitialised };
    int be_expect[] = { XenbusStateInitWait, XenbusStateConnected, XenbusStateConnected,
                        XenbusStateClosed, XenbusStateClosed, XenbusStateInitWait,
                        XenbusStateConnected };
    bool live = false;
    for (unsigned i = 0; i < sizeof(fe_seq) / sizeof(fe_seq[0]); i++) {
        for (int step = 0; step < 8; step++) {
            enum be_action a = decide(be, fe_seq[i], true, live);
            if (a == BE_NOTHING)
                break;
            if (a == BE_INITWAIT)
                be = XenbusStateInitWait;
            else if (a == BE_CONNECT || a == BE_RESUME) {
                be = XenbusStateConnected;
                live = true;
            } else if (a == BE_CLOSE) {
                be = XenbusStateClosed;
                live = false;
            }
        }
        ck_assert_int_eq(be, be_expect[i]);
    }
}
END_TEST

Suite *fsm_suite(void)
{
    Suite *s = suite_create("fsm");
    TCase *tc = tcase_create("decide");
    tcase_add_test(tc, fresh_device_goes_to_initwait);
    tcase_add_test(tc, initwait_connects_on_initialised_or_connected);
    tcase_add_test(tc, connected_and_live_is_stable);
    tcase_add_test(tc, frontend_closing_or_gone_closes);
    tcase_add_test(tc, restart_resumes_connected_device);
    tcase_add_test(tc, closed_reconnects_when_frontend_restarts);
    tcase_add_test(tc, toolstack_detach_waits_for_frontend);
    tcase_add_test(tc, frontend_reset_while_connected);
    tcase_add_test(tc, failed_device_waits_for_frontend_change);
    tcase_add_test(tc, full_cycle_walk);
    suite_add_tcase(s, tc);
    return s;
}
