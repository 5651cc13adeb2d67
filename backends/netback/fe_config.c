/*
 * Frontend keys and backend state decisions (fe_config.h).
 */
#include "fe_config.h"
#include "daemon.h"      /* parse_u64() (tools/libdaemon/parse.c) */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/io/xenbus.h>

/* Event channel ports are below 2^31 in every ABI we know. */
#define PORT_MAX     UINT64_C(0x7fffffff)

/* A required number: -ENOENT if absent, -EINVAL if malformed. */
static int read_num(fe_lookup_fn get, void *ctx, const char *key, uint64_t max, uint64_t *out,
                    char *err, size_t errlen)
{
    char *s = get(ctx, key);
    int rc = 0;

    if (!s) {
        snprintf(err, errlen, "frontend did not write %s", key);
        return -ENOENT;
    }
    if (!parse_u64(s, max, out)) {
        snprintf(err, errlen, "frontend's %s \"%.32s\" is not a number up to %llu", key, s,
                 (unsigned long long)max);
        rc = -EINVAL;
    }
    free(s);
    return rc;
}

static bool read_bool(fe_lookup_fn get, void *ctx, const char *key, bool def)
{
    char *s = get(ctx, key);
    uint64_t v;
    bool r = s && parse_u64(s, UINT64_MAX, &v) ? v != 0 : def;

    free(s);
    return r;
}

static bool present(fe_lookup_fn get, void *ctx, const char *key)
{
    char *s = get(ctx, key);
    bool r = s != NULL;

    free(s);
    return r;
}

int fe_config_read(fe_lookup_fn get, void *ctx, struct fe_config *c, char *err, size_t errlen)
{
    uint64_t v;

    memset(c, 0, sizeof(*c));
    if (present(get, ctx, "multi-queue-num-queues")) {
        if (read_num(get, ctx, "multi-queue-num-queues", UINT64_MAX, &v, err, errlen) < 0)
            return -EINVAL;
        if (v != 1) {
            snprintf(err, errlen, "frontend asked for %llu queues; multi-queue-max-queues is 1",
                     (unsigned long long)v);
            return -EINVAL;
        }
    }
    if (read_num(get, ctx, "tx-ring-ref", UINT32_MAX, &v, err, errlen) < 0)
        return -EINVAL;
    c->tx_ring_ref = (uint32_t)v;
    if (read_num(get, ctx, "rx-ring-ref", UINT32_MAX, &v, err, errlen) < 0)
        return -EINVAL;
    c->rx_ring_ref = (uint32_t)v;

    /* Linux netback's order: the split pair first, then the single one. */
    if (present(get, ctx, "event-channel-tx")) {
        if (read_num(get, ctx, "event-channel-tx", PORT_MAX, &v, err, errlen) < 0)
            return -EINVAL;
        c->tx_port = (uint32_t)v;
        if (read_num(get, ctx, "event-channel-rx", PORT_MAX, &v, err, errlen) < 0)
            return -EINVAL;
        c->rx_port = (uint32_t)v;
        c->split = c->tx_port != c->rx_port;
    } else {
        if (read_num(get, ctx, "event-channel", PORT_MAX, &v, err, errlen) < 0)
            return -EINVAL;
        c->tx_port = c->rx_port = (uint32_t)v;
    }

    if (!read_bool(get, ctx, "request-rx-copy", false)) {
        snprintf(err, errlen, "frontend did not set request-rx-copy to 1 "
                 "(receive by page flipping is not supported)");
        return -EINVAL;
    }
    if (!read_bool(get, ctx, "feature-rx-notify", false)) {
        snprintf(err, errlen, "frontend did not set feature-rx-notify to 1 (it is required)");
        return -EINVAL;
    }
    c->sg = read_bool(get, ctx, "feature-sg", false);
    c->gso_tcpv4 = read_bool(get, ctx, "feature-gso-tcpv4", false);
    c->gso_tcpv6 = read_bool(get, ctx, "feature-gso-tcpv6", false);
    c->csum_v4 = !read_bool(get, ctx, "feature-no-csum-offload", false);
    c->csum_v6 = read_bool(get, ctx, "feature-ipv6-csum-offload", false);
    return 0;
}

enum vif_action vif_next(struct vif_sm *sm, int fe_state, int be_state, bool online)
{
    bool fe_up = fe_state == XenbusStateInitialising || fe_state == XenbusStateInitWait;
    bool fe_connecting = fe_state == XenbusStateInitialised || fe_state == XenbusStateConnected;

    if (sm->phase == VIF_NEW && fe_connecting &&
        (be_state == XenbusStateClosing || be_state == XenbusStateClosed)) {
        /* We (or the toolstack) closed it before; a frontend that still
         * says Connected must start over first. */
        sm->phase = VIF_FAILED;
        sm->failed_fe_state = fe_state;
    }
    if (sm->phase == VIF_FAILED) {
        if (fe_state == sm->failed_fe_state)
            return VIF_ACT_NONE;
        sm->phase = VIF_CLOSED;
    }

    switch (sm->phase) {
    case VIF_NEW:
    case VIF_CLOSED:
        if (fe_up)
            return online ? VIF_ACT_SETUP : VIF_ACT_NONE;
        if (fe_connecting)
            return online ? VIF_ACT_SETUP_CONNECT : VIF_ACT_NONE;
        if (fe_state == XenbusStateClosing)
            return VIF_ACT_NONE;
        return sm->phase == VIF_CLOSED ? VIF_ACT_CLOSED : VIF_ACT_NONE;
    case VIF_INITWAIT:
        if (fe_up)
            return VIF_ACT_NONE;
        if (fe_connecting)
            return VIF_ACT_CONNECT;
        return fe_state == XenbusStateClosing ? VIF_ACT_CLOSING : VIF_ACT_CLOSED;
    case VIF_CONNECTED:
        if (fe_up)
            return VIF_ACT_RESET;
        if (fe_connecting)
            return VIF_ACT_NONE;
        return fe_state == XenbusStateClosing ? VIF_ACT_CLOSING : VIF_ACT_CLOSED;
    case VIF_FAILED:
        break;
    }
    return VIF_ACT_NONE;
}
