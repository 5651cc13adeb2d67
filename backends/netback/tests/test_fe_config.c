/*
 * fe_config.c: the frontend's keys, and the state machine's decisions.
 */
#include <stdlib.h>
#include <string.h>

#include <xen/io/xenbus.h>

#include "fe_config.h"
#include "tests.h"

/* A frontend directory as key=value pairs, NULL-terminated. */
static char *lookup(void *ctx, const char *key)
{
    const char *const *kv = ctx;
    for (; kv[0]; kv += 2)
        if (strcmp(kv[0], key) == 0)
            return strdup(kv[1]);
    return NULL;
}

static int read_cfg(const char *const *kv, struct fe_config *c, char *err)
{
    return fe_config_read(lookup, (void *)kv, c, err, 256);
}

START_TEST(linux_netfront_single_channel)
{
    const char *kv[] = { "tx-ring-ref", "8", "rx-ring-ref", "9", "event-channel", "5",
                         "request-rx-copy", "1", "feature-rx-notify", "1", "feature-sg", "1",
                         "feature-gso-tcpv4", "1", "feature-gso-tcpv6", "1",
                         "feature-ipv6-csum-offload", "1", "multi-queue-num-queues", "1", NULL };
    struct fe_config c;
    char err[256] = "";

    ck_assert_int_eq(read_cfg(kv, &c, err), 0);
    ck_assert_uint_eq(c.tx_ring_ref, 8);
    ck_assert_uint_eq(c.rx_ring_ref, 9);
    ck_assert_uint_eq(c.tx_port, 5);
    ck_assert_uint_eq(c.rx_port, 5);
    ck_assert(!c.split);
    ck_assert(c.sg && c.gso_tcpv4 && c.gso_tcpv6 && c.csum_v4 && c.csum_v6);
}
END_TEST

START_TEST(split_channels_and_defaults)
{
    const char *kv[] = { "tx-ring-ref", "4294967295", "rx-ring-ref", "0",
                         "event-channel-tx", "11", "event-channel-rx", "12",
                         "request-rx-copy", "1", "feature-rx-notify", "1",
                         "feature-no-csum-offload", "1", "feature-sg", "garbage", NULL };
    struct fe_config c;
    char err[256] = "";

    ck_assert_int_eq(read_cfg(kv, &c, err), 0);
    ck_assert_uint_eq(c.tx_ring_ref, 4294967295u);
    ck_assert(c.split);
    ck_assert_uint_eq(c.tx_port, 11);
    ck_assert_uint_eq(c.rx_port, 12);
    ck_assert(!c.sg);          /* not a number: its default */
    ck_assert(!c.csum_v4);
    ck_assert(!c.csum_v6);
}
END_TEST

START_TEST(request_rx_copy_required)
{
    const char *no[] = { "tx-ring-ref", "8", "rx-ring-ref", "9", "event-channel", "5",
                         "request-rx-copy", "0", "feature-rx-notify", "1", NULL };
    const char *absent[] = { "tx-ring-ref", "8", "rx-ring-ref", "9", "event-channel", "5",
                             "feature-rx-notify", "1", NULL };
    struct fe_config c;
    char err[256] = "";

    ck_assert_int_ne(read_cfg(no, &c, err), 0);
    ck_assert_ptr_nonnull(strstr(err, "request-rx-copy"));
    ck_assert_int_ne(read_cfg(absent, &c, err), 0);
}
END_TEST

START_TEST(rx_notify_required)
{
    const char *kv[] = { "tx-ring-ref", "8", "rx-ring-ref", "9", "event-channel", "5",
                         "request-rx-copy", "1", NULL };
    struct fe_config c;
    char err[256] = "";

    ck_assert_int_ne(read_cfg(kv, &c, err), 0);
    ck_assert_ptr_nonnull(strstr(err, "feature-rx-notify"));
}
END_TEST

START_TEST(bad_refs_ports_and_queues)
{
    const char *garbage[] = { "tx-ring-ref", "8x", "rx-ring-ref", "9", "event-channel", "5",
                              "request-rx-copy", "1", "feature-rx-notify", "1", NULL };
    const char *big[] = { "tx-ring-ref", "4294967296", "rx-ring-ref", "9", "event-channel", "5",
                          "request-rx-copy", "1", "feature-rx-notify", "1", NULL };
    const char *noport[] = { "tx-ring-ref", "1", "rx-ring-ref", "9", "event-channel-tx", "5",
                             "request-rx-copy", "1", "feature-rx-notify", "1", NULL };
    const char *queues[] = { "multi-queue-num-queues", "2", "tx-ring-ref", "1",
                             "rx-ring-ref", "9", "event-channel", "5", "request-rx-copy", "1",
                             "feature-rx-notify", "1", NULL };
    const char *negport[] = { "tx-ring-ref", "1", "rx-ring-ref", "9", "event-channel", "-1",
                              "request-rx-copy", "1", "feature-rx-notify", "1", NULL };
    struct fe_config c;
    char err[256] = "";

    ck_assert_int_ne(read_cfg(garbage, &c, err), 0);
    ck_assert_ptr_nonnull(strstr(err, "tx-ring-ref"));
    ck_assert_int_ne(read_cfg(big, &c, err), 0);
    ck_assert_int_ne(read_cfg(noport, &c, err), 0);
    ck_assert_ptr_nonnull(strstr(err, "event-channel-rx"));
    ck_assert_int_ne(read_cfg(queues, &c, err), 0);
    ck_assert_int_ne(read_cfg(negport, &c, err), 0);
}
END_TEST

START_TEST(state_machine_normal_life)
{
    struct vif_sm sm = { .phase = VIF_NEW };

    ck_assert_int_eq(vif_next(&sm, XenbusStateInitialising, XenbusStateInitialising, true),
                     VIF_ACT_SETUP);
    sm.phase = VIF_INITWAIT;
    ck_assert_int_eq(vif_next(&sm, XenbusStateInitialising, XenbusStateInitWait, true),
                     VIF_ACT_NONE);
    ck_assert_int_eq(vif_next(&sm, XenbusStateConnected, XenbusStateInitWait, true),
                     VIF_ACT_CONNECT);
    sm.phase = VIF_CONNECTED;
    ck_assert_int_eq(vif_next(&sm, XenbusStateConnected, XenbusStateConnected, true),
                     VIF_ACT_NONE);
    ck_assert_int_eq(vif_next(&sm, XenbusStateClosing, XenbusStateClosing, false),
                     VIF_ACT_CLOSING);
    sm.phase = VIF_CLOSED;
    ck_assert_int_eq(vif_next(&sm, XenbusStateClosed, XenbusStateClosing, false),
                     VIF_ACT_CLOSED);
    /* Offline: a frontend starting over is not served again. */
    ck_assert_int_eq(vif_next(&sm, XenbusStateInitialising, XenbusStateClosed, false),
                     VIF_ACT_NONE);
    /* Online: hot re-attach. */
    ck_assert_int_eq(vif_next(&sm, XenbusStateInitialising, XenbusStateClosed, true),
                     VIF_ACT_SETUP);
}
END_TEST

START_TEST(state_machine_restart_and_reset)
{
    struct vif_sm sm = { .phase = VIF_NEW };

    /* A restarted daemon: both sides Connected. */
    ck_assert_int_eq(vif_next(&sm, XenbusStateConnected, XenbusStateConnected, true),
                     VIF_ACT_SETUP_CONNECT);
    /* A frontend that started over under a connection. */
    sm.phase = VIF_CONNECTED;
    ck_assert_int_eq(vif_next(&sm, XenbusStateInitialising, XenbusStateConnected, true),
                     VIF_ACT_RESET);
    /* The frontend's directory vanished (-1): closed. */
    sm.phase = VIF_CONNECTED;
    ck_assert_int_eq(vif_next(&sm, -1, XenbusStateConnected, true), VIF_ACT_CLOSED);
}
END_TEST

START_TEST(state_machine_failed_waits_for_frontend)
{
    struct vif_sm sm = { .phase = VIF_FAILED, .failed_fe_state = XenbusStateConnected };

    ck_assert_int_eq(vif_next(&sm, XenbusStateConnected, XenbusStateClosing, true),
                     VIF_ACT_NONE);
    ck_assert_int_eq(sm.phase, VIF_FAILED);
    ck_assert_int_eq(vif_next(&sm, XenbusStateClosed, XenbusStateClosing, true),
                     VIF_ACT_CLOSED);
    ck_assert_int_eq(sm.phase, VIF_CLOSED);

    /* Found after a restart, closed by us earlier, frontend still says
     * Connected (a hostile one): not taken up again. */
    struct vif_sm fresh = { .phase = VIF_NEW };
    ck_assert_int_eq(vif_next(&fresh, XenbusStateConnected, XenbusStateClosing, true),
                     VIF_ACT_NONE);
    ck_assert_int_eq(fresh.phase, VIF_FAILED);
    ck_assert_int_eq(vif_next(&fresh, XenbusStateInitialising, XenbusStateClosing, true),
                     VIF_ACT_SETUP);
}
END_TEST

Suite *fe_config_suite(void)
{
    Suite *s = suite_create("fe_config");
    TCase *tc = tcase_create("fe_config");
    tcase_add_test(tc, linux_netfront_single_channel);
    tcase_add_test(tc, split_channels_and_defaults);
    tcase_add_test(tc, request_rx_copy_required);
    tcase_add_test(tc, rx_notify_required);
    tcase_add_test(tc, bad_refs_ports_and_queues);
    tcase_add_test(tc, state_machine_normal_life);
    tcase_add_test(tc, state_machine_restart_and_reset);
    tcase_add_test(tc, state_machine_failed_waits_for_frontend);
    suite_add_tcase(s, tc);
    return s;
}
