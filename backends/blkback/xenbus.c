/*
 * Which vbds exist, and the backend half of each one's xenbus handshake.
 *
 * We watch BACKEND_VBD_PATH (the toolstack adds and removes device
 * directories there; we write our own nodes there too) and each device's
 * frontend state node (token "fe").  Any event rescans everything: the
 * decisions (fsm.c) depend only on what xenstore says now and on what we
 * hold, so a missed intermediate state, a restart of this daemon or a
 * restart of xenstored all end in the same place.
 *
 * Node names are the ones Linux's xen-blkfront and xen-blkback use
 * (drivers/block/xen-blkback/xenbus.c), so that Linux's frontend can use
 * us; README.md lists them.
 */
#define _GNU_SOURCE
#include "blkback.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- xenstore helpers ---------------------------------------------------- */

static char *xs_get(struct daemon *dm, const char *dir, const char *node)
{
    char path[256];
    unsigned len;

    snprintf(path, sizeof(path), "%s/%s", dir, node);
    return xs_read(dm->xs, XBT_NULL, path, &len);
}

static int read_state(struct daemon *dm, const char *dir)
{
    uint64_t v;
    return xs_read_u64(dm->xs, dir, "state", XenbusStateReconfigured, &v) ? (int)v
                                                                         : XenbusStateUnknown;
}

static bool xs_put(struct daemon *dm, xs_transaction_t t, const char *dir, const char *node,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static bool xs_put(struct daemon *dm, xs_transaction_t t, const char *dir, const char *node,
                   const char *fmt, ...)
{
    char path[256], val[64];
    va_list ap;

    snprintf(path, sizeof(path), "%s/%s", dir, node);
    va_start(ap, fmt);
    int n = vsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    return xs_write(dm->xs, t, path, val, (unsigned)n);
}

static const char *state_name(int s)
{
    static const char *const names[] = { "Unknown", "Initialising", "InitWait", "Initialised",
                                         "Connected", "Closing", "Closed", "Reconfiguring",
                                         "Reconfigured" };
    return s >= 0 && s < (int)(sizeof(names) / sizeof(names[0])) ? names[s] : "?";
}

/* Writes our state; false if the directory is gone (we never recreate it). */
static bool set_state(struct daemon *dm, struct blk_device *d, int state)
{
    for (int tries = 0; tries < 16; tries++) {
        xs_transaction_t t = xs_transaction_start(dm->xs);
        if (t == XBT_NULL)
            return false;
        char path[160];
        unsigned len;
        snprintf(path, sizeof(path), "%s/state", d->bepath);
        char *cur = xs_read(dm->xs, t, path, &len);
        if (!cur) {
            xs_transaction_end(dm->xs, t, true);
            return false;
        }
        free(cur);
        bool ok = xs_put(dm, t, d->bepath, "state", "%d", state);
        if (xs_transaction_end(dm->xs, t, !ok))
            return ok;
        if (errno != EAGAIN)
            return false;
    }
    return false;
}

static void error_path(const struct blk_device *d, char *out, size_t len)
{
    snprintf(out, len, ERROR_VBD_PATH "/%u/%u", d->domid, d->devid);
}

/* Linux's xenbus_dev_fatal: the reason under error/<nodename>/error, then
 * Closing.  The frontend (and `xenstore-ls`) can read why. */
static void device_fatal(struct daemon *dm, struct blk_device *d, int fe_state, int err,
                         const char *why)
{
    char path[160];

    msg(LOG_ERR, "d%u/%u: %s", d->domid, d->devid, why);
    error_path(d, path, sizeof(path));
    char val[256];
    int n = snprintf(val, sizeof(val), "%d %s", -err, why);
    strncat(path, "/error", sizeof(path) - strlen(path) - 1);
    xs_write(dm->xs, XBT_NULL, path, val, (unsigned)(n < (int)sizeof(val) ? n : (int)sizeof(val) - 1));
    d->failed = true;
    d->failed_fe = fe_state;
    set_state(dm, d, XenbusStateClosing);
}

static void clear_error(struct daemon *dm, const struct blk_device *d)
{
    char path[160];
    error_path(d, path, sizeof(path));
    xs_rm(dm->xs, XBT_NULL, path);
}

/* ---- counters ------------------------------------------------------------ */

void blk_counters_format(const struct blk_counters *c, char *out, size_t len)
{
    snprintf(out, len,
             "read %" PRIu64 " write %" PRIu64 " flush %" PRIu64 " barrier %" PRIu64
             " discard %" PRIu64 " other %" PRIu64 " (indirect %" PRIu64 "), "
             "%" PRIu64 " bytes read, %" PRIu64 " bytes written, %" PRIu64 " errors, %" PRIu64
             " unsupported, %" PRIu64 " batches, %" PRIu64 " segments (%" PRIu64
             " by CPU copy through %" PRIu64 " persistent grants kept mapped)",
             c->reqs[BLKREQ_READ], c->reqs[BLKREQ_WRITE], c->reqs[BLKREQ_FLUSH],
             c->reqs[BLKREQ_BARRIER], c->reqs[BLKREQ_DISCARD], c->reqs[BLKREQ_OTHER],
             c->indirect, c->bytes_read, c->bytes_written, c->errors, c->unsupported,
             c->batches, c->segs, c->segs_mapped, c->refs_mapped);
}

static void live_counters(const struct blk_device *d, struct blk_counters *c)
{
    memset(c, 0, sizeof(*c));
    if (!d->rings_live)
        return;
    for (unsigned i = 0; i < d->nqueues; i++)
        blk_counters_add(c, &d->q[i].ring.cnt);
}

void xb_dump_counters(struct daemon *dm)
{
    unsigned n = 0;

    for (struct blk_device *d = dm->devs; d; d = d->next, n++) {
        struct blk_counters c;
        char line[768];
        live_counters(d, &c);
        blk_counters_add(&c, &d->past);
        blk_counters_format(&c, line, sizeof(line));
        msg(LOG_NOTICE, "d%u/%u (%s, %s): %s", d->domid, d->devid,
            d->rings_live ? "connected" : "not connected",
            d->disk_open ? d->disk.path : "-", line);
    }
    msg(LOG_NOTICE, "%u device(s)", n);
}

/* ---- connect and disconnect --------------------------------------------- */

static void disconnect(struct blk_device *d, const char *why)
{
    if (!d->rings_live)
        return;
    struct blk_counters c;
    char line[768];
    for (unsigned i = 0; i < d->nqueues; i++)
        queue_stop(&d->q[i]);           /* threads joined: counters final */
    device_pgrant_stop(d);
    live_counters(d, &c);
    blk_counters_add(&d->past, &c);
    d->rings_live = false;
    blk_counters_format(&c, line, sizeof(line));
    msg(LOG_NOTICE, "d%u/%u disconnected (%s): %s", d->domid, d->devid, why, line);
}

/* Opens the disk once per device and writes what a frontend reads before
 * it sets up its rings (Linux's blkfront reads max-ring-page-order,
 * multi-queue-max-queues and feature-persistent there), and the rest. */
/* Opens params as the device's disk, once. */
static int open_disk(struct daemon *dm, struct blk_device *d, int fe_state)
{
    if (!d->disk_open) {
        char err[256];
        char *params = xs_get(dm, d->bepath, "params");
        char *mode = xs_get(dm, d->bepath, "mode");
        uint64_t discard_enable = 1;
        xs_read_u64(dm->xs, d->bepath, "discard-enable", 1, &discard_enable);
        bool writable = mode && strchr(mode, 'w');
        int rc;
        if (!params || params[0] != '/') {
            snprintf(err, sizeof(err), "params %s: not an absolute path",
                     params ? params : "(absent)");
            rc = -EINVAL;
        } else {
            rc = disk_open(&d->disk, params, writable, discard_enable == 1, err, sizeof(err));
        }
        free(params);
        free(mode);
        if (rc) {
            device_fatal(dm, d, fe_state, rc, err);
            return rc;
        }
        d->disk_open = true;
        d->lim = (struct blk_limits){
            .sectors = d->disk.bytes >> BLK_SECTOR_SHIFT,
            .writable = writable,
            .discard = d->disk.discard,
            .max_indirect_segs = BLK_MAX_INDIRECT_SEGS,
        };
    }
    return 0;
}

static int initwait(struct daemon *dm, struct blk_device *d, int fe_state)
{
    int rc = open_disk(dm, d, fe_state);
    if (rc)
        return rc;
    for (int tries = 0; tries < 16; tries++) {
        xs_transaction_t t = xs_transaction_start(dm->xs);
        if (t == XBT_NULL)
            break;
        const char *p = d->bepath;
        bool ok = xs_put(dm, t, p, "feature-max-indirect-segments", "%u", BLK_MAX_INDIRECT_SEGS);
        ok = ok && xs_put(dm, t, p, "multi-queue-max-queues", "%u", BLK_MAX_QUEUES);
        ok = ok && xs_put(dm, t, p, "max-ring-page-order", "%u", BLK_MAX_RING_ORDER);
        ok = ok && xs_put(dm, t, p, "feature-persistent", "1");
        ok = ok && xs_put(dm, t, p, "feature-flush-cache", "1");
        ok = ok && xs_put(dm, t, p, "feature-barrier", "1");
        ok = ok && xs_put(dm, t, p, "sectors", "%" PRIu64, d->lim.sectors);
        ok = ok && xs_put(dm, t, p, "sector-size", "%u", BLK_SECTOR_SIZE);
        ok = ok && xs_put(dm, t, p, "physical-sector-size", "%u", BLK_SECTOR_SIZE);
        ok = ok && xs_put(dm, t, p, "info", "%u", d->lim.writable ? 0u : (unsigned)VDISK_READONLY);
        if (d->lim.discard) {
            ok = ok && xs_put(dm, t, p, "discard-granularity", "%u", d->disk.discard_granularity);
            ok = ok && xs_put(dm, t, p, "discard-alignment", "%u", d->disk.discard_alignment);
            ok = ok && xs_put(dm, t, p, "discard-secure", "0");
        }
        ok = ok && xs_put(dm, t, p, "feature-discard", "%d", d->lim.discard ? 1 : 0);
        ok = ok && xs_put(dm, t, p, "state", "%d", XenbusStateInitWait);
        if (xs_transaction_end(dm->xs, t, !ok) && ok) {
            msg(LOG_INFO, "d%u/%u InitWait: %s, %" PRIu64 " sectors, %s%s%s", d->domid,
                d->devid, d->disk.path, d->lim.sectors, d->lim.writable ? "rw" : "ro",
                d->disk.direct ? ", O_DIRECT" : ", buffered",
                d->lim.discard ? ", discard" : "");
            return 0;
        }
        if (ok && errno == EAGAIN)
            continue;
        break;
    }
    msg(LOG_WARNING, "d%u/%u: cannot write the backend nodes under %s: %s", d->domid,
        d->devid, d->bepath, strerror(errno));
    return -EIO;
}

/* The frontend's nodes are the guest's: parsed with limits, refused with
 * a reason. */
static int read_queue_nodes(struct daemon *dm, const char *dir, bool multi_ref,
                            unsigned nr_pages, grant_ref_t *refs, evtchn_port_t *port,
                            char *err, size_t errlen)
{
    uint64_t v;

    if (!xs_read_u64(dm->xs, dir, "event-channel", UINT32_MAX, &v)) {
        snprintf(err, errlen, "reading %s/event-channel", dir);
        return -EINVAL;
    }
    *port = (evtchn_port_t)v;
    for (unsigned i = 0; i < nr_pages; i++) {
        char name[24];
        if (multi_ref)
            snprintf(name, sizeof(name), "ring-ref%u", i);
        else
            snprintf(name, sizeof(name), "ring-ref");
        if (!xs_read_u64(dm->xs, dir, name, UINT32_MAX, &v)) {
            snprintf(err, errlen, "reading %s/%s", dir, name);
            return -EINVAL;
        }
        refs[i] = (grant_ref_t)v;
    }
    return 0;
}

static int connect(struct daemon *dm, struct blk_device *d, int fe_state, bool resume)
{
    char err[256];
    int rc = 0;

    /* A resumed device keeps its state (Connected): only the disk is
     * opened again; writing InitWait would restart the handshake under a
     * frontend that is connected. */
    if (!d->disk_open) {
        rc = resume ? open_disk(dm, d, fe_state) : initwait(dm, d, fe_state);
        if (rc)
            return rc;
    }

    /* protocol: absent means native, as in Linux's connect_ring(). */
    char *proto = xs_get(dm, d->fepath, "protocol");
    bool proto_ok = !proto || !strcmp(proto, XEN_IO_PROTO_ABI_NATIVE) ||
                    !strcmp(proto, XEN_IO_PROTO_ABI_X86_64);
    snprintf(err, sizeof(err), "unknown fe protocol %s (we serve %s only)",
             proto ? proto : "", XEN_IO_PROTO_ABI_X86_64);
    free(proto);
    if (!proto_ok)
        goto fatal;

    uint64_t nq = 1, order = 0, persistent = 0;
    bool multi_ref = false;
    char *s = xs_get(dm, d->fepath, "multi-queue-num-queues");
    if (s && (!xs_read_u64(dm->xs, d->fepath, "multi-queue-num-queues", UINT32_MAX, &nq) ||
              nq == 0 || nq > BLK_MAX_QUEUES)) {
        snprintf(err, sizeof(err), "guest requested %s queues, the maximum is %u", s,
                 BLK_MAX_QUEUES);
        free(s);
        goto fatal;
    }
    free(s);
    s = xs_get(dm, d->fepath, "ring-page-order");
    if (s) {
        if (!xs_read_u64(dm->xs, d->fepath, "ring-page-order", UINT32_MAX, &order) ||
            order > BLK_MAX_RING_ORDER) {
            snprintf(err, sizeof(err), "requested ring page order %s exceeds max: %u", s,
                     BLK_MAX_RING_ORDER);
            free(s);
            goto fatal;
        }
        multi_ref = true;
        free(s);
    }
    xs_read_u64(dm->xs, d->fepath, "feature-persistent", 1, &persistent);

    d->nqueues = (unsigned)nq;
    d->order = (unsigned)order;
    d->fe_persistent = persistent == 1;
    unsigned nr_pages = 1u << d->order;
    if (d->fe_persistent && (rc = device_pgrant_start(d, err, sizeof(err))))
        goto fatal;
    for (unsigned i = 0; i < d->nqueues; i++) {
        grant_ref_t refs[BLK_MAX_RING_PAGES];
        evtchn_port_t port;
        char dir[200];
        if (d->nqueues == 1)
            snprintf(dir, sizeof(dir), "%s", d->fepath);
        else
            snprintf(dir, sizeof(dir), "%s/queue-%u", d->fepath, i);
        rc = read_queue_nodes(dm, dir, multi_ref, nr_pages, refs, &port, err, sizeof(err));
        if (rc == 0 && queue_start(&d->q[i], d, i, refs, nr_pages, port, dm->wake[1], err,
                                   sizeof(err)) < 0)
            rc = -EIO;
        if (rc) {
            for (unsigned k = 0; k < i; k++)
                queue_stop(&d->q[k]);
            device_pgrant_stop(d);
            goto fatal;
        }
    }
    d->rings_live = true;
    if (!resume && !set_state(dm, d, XenbusStateConnected)) {
        disconnect(d, "backend directory removed while connecting");
        return -ENOENT;
    }
    clear_error(dm, d);
    msg(LOG_NOTICE,
        "d%u/%u %s: %s, ring order %u, %u queue(s) of %u slots, %" PRIu64
        " sectors %s, features: indirect %u, persistent %s (data by %s), "
        "flush, barrier, discard %s, %s I/O",
        d->domid, d->devid, resume ? "resumed" : "connected", d->disk.path, d->order,
        d->nqueues, blk_ring_slots(d->order), d->lim.sectors, d->lim.writable ? "rw" : "ro",
        BLK_MAX_INDIRECT_SEGS, d->fe_persistent ? "yes" : "no",
        d->fe_persistent ? "CPU copy from kept mappings" : "grant copy",
        d->lim.discard ? "yes" : "no", d->disk.direct ? "O_DIRECT" : "buffered");
    return 0;

fatal:
    device_fatal(dm, d, fe_state, rc ? rc : -EINVAL, err);
    return rc ? rc : -EINVAL;
}

/* ---- devices -------------------------------------------------------------- */

static struct blk_device *device_find(struct daemon *dm, unsigned domid, unsigned devid)
{
    for (struct blk_device *d = dm->devs; d; d = d->next)
        if (d->domid == domid && d->devid == devid)
            return d;
    return NULL;
}

static struct blk_device *device_new(struct daemon *dm, unsigned domid, unsigned devid)
{
    struct blk_device *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->domid = domid;
    d->devid = devid;
    d->disk.fd = d->disk.fd_buffered = -1;
    snprintf(d->bepath, sizeof(d->bepath), BACKEND_VBD_PATH "/%u/%u", domid, devid);
    char *fe = xs_get(dm, d->bepath, "frontend");
    if (!fe || strlen(fe) >= sizeof(d->fepath) || fe[0] != '/') {
        free(fe);
        free(d);
        return NULL;            /* not (yet) a complete device */
    }
    strcpy(d->fepath, fe);
    free(fe);
    snprintf(d->fe_state_path, sizeof(d->fe_state_path), "%s/state", d->fepath);
    d->fe_watched = xs_watch(dm->xs, d->fe_state_path, "fe");
    if (!d->fe_watched)
        msg(LOG_WARNING, "d%u/%u: cannot watch %s: %s", domid, devid, d->fe_state_path,
            strerror(errno));
    d->next = dm->devs;
    dm->devs = d;
    msg(LOG_INFO, "d%u/%u: new device %s (frontend %s)", domid, devid, d->bepath, d->fepath);
    return d;
}

static void device_free(struct daemon *dm, struct blk_device *d, const char *why)
{
    disconnect(d, why);
    if (d->fe_watched)
        xs_unwatch(dm->xs, d->fe_state_path, "fe");
    if (d->disk_open)
        disk_close(&d->disk);
    for (struct blk_device **pp = &dm->devs; *pp; pp = &(*pp)->next) {
        if (*pp == d) {
            *pp = d->next;
            break;
        }
    }
    free(d);
}

static bool any_queue_fatal(struct blk_device *d, const char **why)
{
    if (!d->rings_live)
        return false;
    for (unsigned i = 0; i < d->nqueues; i++) {
        if (__atomic_load_n(&d->q[i].fatal, __ATOMIC_ACQUIRE)) {
            *why = d->q[i].ring.fatal;
            return true;
        }
    }
    return false;
}

static void device_reconcile(struct daemon *dm, struct blk_device *d)
{
    for (int step = 0; step < 8; step++) {
        struct be_view v = { 0 };
        uint64_t online = 0;

        v.be_state = read_state(dm, d->bepath);
        v.fe_state = read_state(dm, d->fepath);
        xs_read_u64(dm->xs, d->bepath, "online", 1, &online);
        v.online = online == 1;

        const char *why;
        if (any_queue_fatal(d, &why)) {
            char reason[256];
            snprintf(reason, sizeof(reason), "hostile frontend: %s", why);
            msg(LOG_WARNING, "d%u/%u: %s; disconnecting", d->domid, d->devid, reason);
            disconnect(d, reason);
            device_fatal(dm, d, v.fe_state, -EPROTO, reason);
            continue;
        }
        if (d->failed && v.fe_state != d->failed_fe)
            d->failed = false;
        v.rings_live = d->rings_live;
        v.failed = d->failed;
        v.failed_fe_state = d->failed_fe;

        enum be_action a = be_decide(&v);
        if (a != BE_NOTHING)
            msg(LOG_DEBUG, "d%u/%u: backend %s, frontend %s, online %d%s: %s", d->domid,
                d->devid, state_name(v.be_state), state_name(v.fe_state), v.online,
                v.rings_live ? ", rings live" : "", be_action_name(a));
        switch (a) {
        case BE_NOTHING:
            return;
        case BE_INITWAIT:
            if (initwait(dm, d, v.fe_state))
                return;
            break;
        case BE_CONNECT:
        case BE_RESUME:
            if (connect(dm, d, v.fe_state, a == BE_RESUME))
                return;
            break;
        case BE_CLOSE: {
            char why2[64];
            snprintf(why2, sizeof(why2), "frontend %s", state_name(v.fe_state));
            disconnect(d, why2);
            if (!set_state(dm, d, XenbusStateClosed))
                return;
            break;
        }
        }
    }
}

/* ---- the scan ------------------------------------------------------------ */

static bool parse_id(const char *s, unsigned max, unsigned *out)
{
    uint64_t v;

    if (!parse_u64(s, max, &v))
        return false;
    *out = (unsigned)v;
    return true;
}

void xb_scan(struct daemon *dm)
{
    unsigned pass = ++dm->pass, ndom = 0;
    char **doms;

    errno = 0;
    doms = xs_directory(dm->xs, XBT_NULL, BACKEND_VBD_PATH, &ndom);
    if (!doms && errno != ENOENT) {
        msg(LOG_WARNING, "cannot list " BACKEND_VBD_PATH ": %s", strerror(errno));
        return;             /* cannot tell what exists: change nothing */
    }
    for (unsigned i = 0; doms && i < ndom; i++) {
        unsigned domid, ndev = 0;
        if (!parse_id(doms[i], DOMID_FIRST_RESERVED - 1, &domid) || domid == 0)
            continue;
        char dir[96];
        snprintf(dir, sizeof(dir), BACKEND_VBD_PATH "/%u", domid);
        char **devs = xs_directory(dm->xs, XBT_NULL, dir, &ndev);
        for (unsigned k = 0; devs && k < ndev; k++) {
            unsigned devid;
            if (!parse_id(devs[k], UINT32_MAX, &devid))
                continue;
            struct blk_device *d = device_find(dm, domid, devid);
            if (!d)
                d = device_new(dm, domid, devid);
            if (!d)
                continue;
            d->seen_pass = pass;
            device_reconcile(dm, d);
        }
        free(devs);
    }
    free(doms);

    struct blk_device *next;
    for (struct blk_device *d = dm->devs; d; d = next) {
        next = d->next;
        if (d->seen_pass != pass) {
            msg(LOG_NOTICE, "d%u/%u: backend directory removed", d->domid, d->devid);
            clear_error(dm, d);
            device_free(dm, d, "backend directory removed");
        }
    }
}

bool xb_watch_backends(struct daemon *dm)
{
    if (!xs_watch(dm->xs, BACKEND_VBD_PATH, "vbd")) {
        msg(LOG_ERR, "cannot watch " BACKEND_VBD_PATH ": %s", strerror(errno));
        return false;
    }
    return true;
}

bool xb_handle_watches(struct daemon *dm)
{
    int fired = xs_drain_watches(dm->xs);

    if (fired > 0)
        xb_scan(dm);
    return fired >= 0;
}

void xb_release_all(struct daemon *dm)
{
    while (dm->devs)
        device_free(dm, dm->devs, "daemon exiting; xenstore left for the next one");
}
