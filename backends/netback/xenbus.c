/*
 * xenstore: which vifs exist, and each one's xenbus state machine
 * (fe_config.c decides, this file does).  Only the main thread runs this.
 *
 * Watched: NB_BACKEND_ROOT (token "be": a device's directory appearing,
 * changing or going) and each device's frontend state node (token "fe").
 * A watch event names a path; the device it belongs to is reconciled: its
 * nodes read again and vif_next() asked what to do.  Our own writes fire
 * "be" events too; reconciling is idempotent, so they settle at once.
 */
#define _GNU_SOURCE
#include "netback.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/io/xenbus.h>

/* Xen's vif scripts give the backend side this address, so that the
 * bridge never takes it as its own (it takes the lowest port address). */
static const uint8_t tap_mac[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };

/* ---- helpers --------------------------------------------------------------- */

static struct vif *vif_find(struct netback *nb, unsigned domid, unsigned handle)
{
    for (struct vif *v = nb->vifs; v; v = v->next)
        if (v->domid == domid && v->handle == handle)
            return v;
    return NULL;
}

static bool parse_uint(const char *s, size_t n, unsigned max, unsigned *out)
{
    char buf[16];
    uint64_t v;

    if (n == 0 || n >= sizeof(buf))
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (!parse_u64(buf, max, &v))
        return false;
    *out = (unsigned)v;
    return true;
}

static void write_state(struct vif *v, int state)
{
    if (!nb_xs_printf(v->nb->xs, XBT_NULL, v->be, "state", "%d", state))
        msg(LOG_WARNING, "vif %u.%u: cannot write %s/state: %s", v->domid, v->handle, v->be,
            strerror(errno));
}

/*
 * An error the frontend or the configuration caused, as xenbus_dev_fatal
 * reports it: the reason in the backend's error node, the backend in
 * state (Closing or Closed).  The device waits for the frontend to move.
 */
static void fail(struct vif *v, int fe_state, int state, const char *reason)
{
    msg(LOG_ERR, "vif %u.%u: %s", v->domid, v->handle, reason);
    if (!nb_xs_printf(v->nb->xs, XBT_NULL, v->be, "error", "%s", reason))
        msg(LOG_WARNING, "vif %u.%u: cannot write %s/error: %s", v->domid, v->handle, v->be,
            strerror(errno));
    write_state(v, state);
    v->sm.phase = VIF_FAILED;
    v->sm.failed_fe_state = fe_state;
}

static void close_tap(struct vif *v)
{
    if (v->tap_fd >= 0)
        close(v->tap_fd);       /* not persistent: the tap goes, and its bridge port */
    v->tap_fd = -1;
}

static void teardown(struct vif *v, const char *why)
{
    bool was = vif_connected(v);

    vif_disconnect(v, why);
    if (was || v->tap_fd >= 0)
        msg(LOG_NOTICE, "vif %u.%u: disconnected (%s); tap %s removed", v->domid, v->handle,
            why, v->ifname[0] ? v->ifname : "-");
    close_tap(v);
}

/* ---- InitWait: tap, bridge, features ------------------------------------- */

static bool write_features(struct vif *v, bool skip_initwait)
{
    struct xs_handle *xs = v->nb->xs;

    for (int tries = 0; tries < 16; tries++) {
        xs_transaction_t t = xs_transaction_start(xs);
        if (t == XBT_NULL)
            return false;
        bool ok = nb_xs_printf(xs, t, v->be, "hotplug-status", "connected") &&
                  nb_xs_printf(xs, t, v->be, "feature-rx-copy", "1") &&
                  nb_xs_printf(xs, t, v->be, "feature-rx-flip", "0") &&
                  nb_xs_printf(xs, t, v->be, "feature-sg", "1") &&
                  nb_xs_printf(xs, t, v->be, "feature-gso-tcpv4", "1") &&
                  nb_xs_printf(xs, t, v->be, "feature-gso-tcpv6", "1") &&
                  nb_xs_printf(xs, t, v->be, "feature-ipv6-csum-offload", "1") &&
                  nb_xs_printf(xs, t, v->be, "feature-split-event-channels", "1") &&
                  nb_xs_printf(xs, t, v->be, "multi-queue-max-queues", "1") &&
                  (skip_initwait ||
                   nb_xs_printf(xs, t, v->be, "state", "%d", XenbusStateInitWait));
        if (ok) {
            char path[96];
            snprintf(path, sizeof(path), "%s/error", v->be);
            xs_rm(xs, t, path);     /* an earlier failure's; absent is fine */
        }
        if (!ok) {
            int e = errno;
            xs_transaction_end(xs, t, true);
            errno = e;
            return false;
        }
        if (xs_transaction_end(xs, t, false))
            return true;
        if (errno != EAGAIN)
            return false;
    }
    errno = EAGAIN;
    return false;
}

static bool setup(struct vif *v, int fe_state, int be_state)
{
    struct xs_handle *xs = v->nb->xs;
    char path[96], err[256];

    snprintf(path, sizeof(path), "%s/bridge", v->be);
    char *bridge = xs_read_str(xs, path);
    snprintf(path, sizeof(path), "%s/vifname", v->be);
    char *vifname = xs_read_str(xs, path);
    snprintf(v->bridge, sizeof(v->bridge), "%s", bridge && *bridge ? bridge : NB_DEFAULT_BRIDGE);
    bool bridge_ok = !bridge || !*bridge || tap_name_valid(bridge);
    bool vifname_ok = !vifname || !*vifname || tap_name_valid(vifname);
    int n = vifname && *vifname ? snprintf(v->ifname, sizeof(v->ifname), "%s", vifname)
                                : snprintf(v->ifname, sizeof(v->ifname), "vif%u.%u", v->domid,
                                           v->handle);
    if (!bridge_ok || !vifname_ok || n < 0 || n >= (int)sizeof(v->ifname)) {
        snprintf(err, sizeof(err), "unusable %s \"%.40s\" (an interface name is 1-15 of "
                 "[A-Za-z0-9._-])", !bridge_ok ? "bridge" : "vifname",
                 !bridge_ok ? bridge : vifname ? vifname : v->ifname);
        free(bridge);
        free(vifname);
        v->ifname[0] = '\0';
        fail(v, fe_state, XenbusStateClosed, err);
        return false;
    }
    free(bridge);
    free(vifname);

    int fd = tap_open(v->ifname, err, sizeof(err));
    if (fd < 0) {
        fail(v, fe_state, XenbusStateClosed, err);
        return false;
    }
    v->tap_fd = fd;
    if (tap_configure(v->ifname, tap_mac, err, sizeof(err)) < 0 ||
        bridge_add(v->bridge, v->ifname, err, sizeof(err)) < 0) {
        close_tap(v);
        fail(v, fe_state, XenbusStateClosed, err);
        return false;
    }
    /* A restarted daemon finds Connected on both sides: going back to
     * InitWait would only confuse the frontend. */
    if (!write_features(v, be_state == XenbusStateConnected)) {
        snprintf(err, sizeof(err), "cannot write the features to %s: %s", v->be,
                 strerror(errno));
        close_tap(v);
        fail(v, fe_state, XenbusStateClosed, err);
        return false;
    }
    v->sm.phase = VIF_INITWAIT;
    msg(LOG_INFO, "vif %u.%u: tap %s on bridge %s, waiting for the frontend", v->domid,
        v->handle, v->ifname, v->bridge);
    return true;
}

/* ---- Connected ------------------------------------------------------------ */

static char *fe_lookup(void *ctx, const char *key)
{
    const struct vif *v = ctx;
    char path[128];

    snprintf(path, sizeof(path), "%s/%s", v->fe, key);
    return xs_read_str(v->nb->xs, path);
}

static void do_connect(struct vif *v, int fe_state)
{
    struct fe_config fc;
    char err[256], feats[160];

    if (fe_config_read(fe_lookup, v, &fc, err, sizeof(err)) < 0) {
        fail(v, fe_state, XenbusStateClosing, err);
        return;
    }
    if (vif_connect(v, &fc, err, sizeof(err)) < 0) {
        fail(v, fe_state, XenbusStateClosing, err);
        return;
    }
    write_state(v, XenbusStateConnected);
    v->sm.phase = VIF_CONNECTED;
    vif_features_str(v, feats, sizeof(feats));
    char ports[32];
    if (fc.split)
        snprintf(ports, sizeof(ports), "tx %u rx %u", fc.tx_port, fc.rx_port);
    else
        snprintf(ports, sizeof(ports), "%u", fc.tx_port);
    msg(LOG_NOTICE, "vif %u.%u: connected: domain %u handle %u, tap %s on bridge %s, "
        "tx-ring-ref %u rx-ring-ref %u, event channel %s; %s", v->domid, v->handle, v->domid,
        v->handle, v->ifname, v->bridge, fc.tx_ring_ref, fc.rx_ring_ref, ports, feats);
}

/* ---- the device's life ---------------------------------------------------- */

static struct vif *vif_new(struct netback *nb, unsigned domid, unsigned handle)
{
    struct vif *v = calloc(1, sizeof(*v));

    if (!v) {
        msg(LOG_ERR, "vif %u.%u: out of memory", domid, handle);
        return NULL;
    }
    v->nb = nb;
    v->domid = domid;
    v->handle = handle;
    v->tap_fd = -1;
    v->wake[0] = v->wake[1] = -1;
    snprintf(v->be, sizeof(v->be), "%s/%u/%u", NB_BACKEND_ROOT, domid, handle);
    snprintf(v->fe, sizeof(v->fe), "/local/domain/%u/device/vif/%u", domid, handle);
    snprintf(v->fe_state_path, sizeof(v->fe_state_path), "%s/state", v->fe);
    v->next = nb->vifs;
    nb->vifs = v;
    return v;
}

static void vif_destroy(struct netback *nb, struct vif *v)
{
    teardown(v, "backend directory removed");
    if (v->fe_watched)
        xs_unwatch(nb->xs, v->fe_state_path, "fe");
    for (struct vif **pp = &nb->vifs; *pp; pp = &(*pp)->next) {
        if (*pp == v) {
            *pp = v->next;
            break;
        }
    }
    msg(LOG_INFO, "vif %u.%u: gone", v->domid, v->handle);
    free(v);
}

static void reconcile(struct netback *nb, unsigned domid, unsigned handle)
{
    char path[96];
    struct vif *v = vif_find(nb, domid, handle);

    snprintf(path, sizeof(path), "%s/%u/%u/frontend", NB_BACKEND_ROOT, domid, handle);
    errno = 0;
    char *fe = xs_read_str(nb->xs, path);
    if (!fe) {
        if (errno != ENOENT && errno != EACCES && errno != 0) {
            msg(LOG_WARNING, "cannot read %s: %s", path, strerror(errno));
            if (v)
                v->seen_pass = nb->scan_pass;   /* cannot tell: keep it */
            return;
        }
        if (v)
            vif_destroy(nb, v);
        return;
    }
    if (!v) {
        v = vif_new(nb, domid, handle);
        if (!v) {
            free(fe);
            return;
        }
        /* The frontend directory is the guest's; the backend's pointer to
         * it is dom0's.  We accept only the layout the toolstack writes. */
        if (strcmp(fe, v->fe) != 0) {
            char err[192];
            snprintf(err, sizeof(err), "frontend is \"%.64s\", not %s: refused", fe, v->fe);
            v->misconfigured = true;
            fail(v, -2, XenbusStateClosed, err);
        } else {
            v->fe_watched = xs_watch(nb->xs, v->fe_state_path, "fe");
            if (!v->fe_watched)
                msg(LOG_WARNING, "vif %u.%u: cannot watch %s: %s", domid, handle,
                    v->fe_state_path, strerror(errno));
        }
    }
    free(fe);
    v->seen_pass = nb->scan_pass;
    if (v->misconfigured)
        return;

    int fe_state = (int)nb_xs_read_int(nb->xs, v->fe, "state", -1);
    int be_state = (int)nb_xs_read_int(nb->xs, v->be, "state", -1);
    bool online = nb_xs_read_int(nb->xs, v->be, "online", 1) != 0;

    switch (vif_next(&v->sm, fe_state, be_state, online)) {
    case VIF_ACT_NONE:
        break;
    case VIF_ACT_RESET:
        teardown(v, "the frontend started over");
        v->sm.phase = VIF_CLOSED;
        /* fall through */
    case VIF_ACT_SETUP:
        setup(v, fe_state, be_state);
        break;
    case VIF_ACT_SETUP_CONNECT:
        if (setup(v, fe_state, be_state))
            do_connect(v, fe_state);
        break;
    case VIF_ACT_CONNECT:
        do_connect(v, fe_state);
        break;
    case VIF_ACT_CLOSING:
        teardown(v, "the frontend is closing");
        write_state(v, XenbusStateClosing);
        v->sm.phase = VIF_CLOSED;
        break;
    case VIF_ACT_CLOSED:
        teardown(v, fe_state < 0 ? "the frontend is gone" : "the frontend closed");
        if (be_state != XenbusStateClosed)
            write_state(v, XenbusStateClosed);
        v->sm.phase = VIF_CLOSED;
        break;
    }
}

/* ---- scans and watches ---------------------------------------------------- */

void xb_scan(struct netback *nb)
{
    unsigned nd = 0;
    unsigned pass = ++nb->scan_pass;

    errno = 0;
    char **doms = xs_directory(nb->xs, XBT_NULL, NB_BACKEND_ROOT, &nd);
    if (!doms && errno != ENOENT) {
        msg(LOG_WARNING, "cannot list %s: %s", NB_BACKEND_ROOT, strerror(errno));
        return;     /* cannot tell who is there: change nothing */
    }
    for (unsigned i = 0; i < nd; i++) {
        unsigned domid, nh = 0, handle;
        char path[80];

        if (!parse_uint(doms[i], strlen(doms[i]), 0x7fef, &domid))
            continue;
        snprintf(path, sizeof(path), "%s/%u", NB_BACKEND_ROOT, domid);
        char **hs = xs_directory(nb->xs, XBT_NULL, path, &nh);
        for (unsigned j = 0; hs && j < nh; j++)
            if (parse_uint(hs[j], strlen(hs[j]), 0xffff, &handle))
                reconcile(nb, domid, handle);
        free(hs);
    }
    free(doms);

    struct vif *next;
    for (struct vif *v = nb->vifs; v; v = next) {
        next = v->next;
        if (v->seen_pass != pass)
            vif_destroy(nb, v);
    }
}

bool xb_watch_root(struct netback *nb)
{
    if (!xs_watch(nb->xs, NB_BACKEND_ROOT, "be")) {
        msg(LOG_ERR, "cannot watch %s: %s", NB_BACKEND_ROOT, strerror(errno));
        return false;
    }
    return true;
}

void xb_rewatch(struct netback *nb)
{
    for (struct vif *v = nb->vifs; v; v = v->next)
        if (!v->misconfigured)
            v->fe_watched = xs_watch(nb->xs, v->fe_state_path, "fe");
}

/* A "be" path: the root (scan), or .../N[/D[/...]]. */
static void on_backend_event(struct netback *nb, const char *path)
{
    size_t rl = strlen(NB_BACKEND_ROOT);
    unsigned domid, handle;

    if (strncmp(path, NB_BACKEND_ROOT, rl) != 0)
        return;
    const char *p = path + rl;
    if (*p == '\0') {
        xb_scan(nb);
        return;
    }
    if (*p++ != '/')
        return;
    const char *slash = strchr(p, '/');
    if (!parse_uint(p, slash ? (size_t)(slash - p) : strlen(p), 0x7fef, &domid))
        return;
    if (!slash) {
        xb_scan(nb);        /* a domain's whole directory came or went */
        return;
    }
    p = slash + 1;
    slash = strchr(p, '/');
    if (!parse_uint(p, slash ? (size_t)(slash - p) : strlen(p), 0xffff, &handle))
        return;
    nb->scan_pass++;
    reconcile(nb, domid, handle);
}

bool xb_handle_watches(struct netback *nb)
{
    for (;;) {
        char **ev = xs_check_watch(nb->xs);
        if (!ev) {
            if (errno == EAGAIN)
                return true;
            msg(LOG_ERR, "reading xenstore watch events: %s", strerror(errno));
            return false;
        }
        const char *path = ev[XS_WATCH_PATH], *token = ev[XS_WATCH_TOKEN];
        msg(LOG_DEBUG, "watch %s (%s)", path, token);
        if (strcmp(token, "be") == 0) {
            on_backend_event(nb, path);
        } else if (strcmp(token, "fe") == 0) {
            for (struct vif *v = nb->vifs; v; v = v->next) {
                if (strcmp(v->fe_state_path, path) == 0) {
                    nb->scan_pass++;
                    reconcile(nb, v->domid, v->handle);
                    break;
                }
            }
        }
        free(ev);
    }
}

void xb_reap_threads(struct netback *nb)
{
    for (struct vif *v = nb->vifs; v; v = v->next) {
        if (!v->thread_started || !atomic_load(&v->exited))
            continue;
        char reason[sizeof(v->fatal) + 32];
        snprintf(reason, sizeof(reason), "disconnected: %s", v->fatal);
        teardown(v, "hostile frontend");
        int fe_state = (int)nb_xs_read_int(nb->xs, v->fe, "state", -1);
        fail(v, fe_state, XenbusStateClosing, reason);
    }
}

void xb_release_all(struct netback *nb)
{
    while (nb->vifs) {
        struct vif *v = nb->vifs;
        teardown(v, "daemon exiting");
        if (v->fe_watched)
            xs_unwatch(nb->xs, v->fe_state_path, "fe");
        nb->vifs = v->next;
        free(v);
    }
}

void xb_log_counters(struct netback *nb)
{
    unsigned n = 0;

    for (struct vif *v = nb->vifs; v; v = v->next) {
        if (v->thread_started) {
            vif_log_counters(v, "counters");
            n++;
        }
    }
    msg(LOG_INFO, "%u vif%s connected", n, n == 1 ? "" : "s");
}
