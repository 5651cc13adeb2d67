/*
 * One served domain: its ring page mapped, its event channel bound, its
 * pty and its log file; moving bytes between them; tearing it all down.
 */
#include "xenconsoled.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xen/grant_table.h>

/* gfns are below 2^52 on x86-64; ports fit evtchn_port_t. */
#define RING_REF_MAX ((UINT64_C(1) << 52) - 1)
#define PORT_MAX     UINT64_C(0x7fffffff)

enum keys_state console_keys_read(struct daemon *dm, unsigned domid,
                                  struct console_keys *k)
{
    char path[96];
    char *ref, *port, *type;
    enum keys_state st = KEYS_OK;
    uint64_t v;

    snprintf(path, sizeof(path), "/local/domain/%u/console/ring-ref", domid);
    errno = 0;
    ref = xs_read_str(dm->xs, path);
    if (!ref)
        return errno == ENOENT || errno == EACCES ? KEYS_ABSENT : KEYS_ERROR;
    snprintf(path, sizeof(path), "/local/domain/%u/console/port", domid);
    errno = 0;
    port = xs_read_str(dm->xs, path);
    if (!port) {
        free(ref);
        return errno == ENOENT || errno == EACCES ? KEYS_ABSENT : KEYS_ERROR;
    }
    snprintf(path, sizeof(path), "/local/domain/%u/console/type", domid);
    type = xs_read_str(dm->xs, path);

    if (type && strcmp(type, "xenconsoled") != 0) {
        /* Another backend (e.g. a device model) serves this console. */
        st = KEYS_ABSENT;
    } else if (!parse_u64(ref, RING_REF_MAX, &k->ring_ref)) {
        msg(LOG_WARNING, "domain %u: console/ring-ref \"%.32s\" is not a gfn", domid, ref);
        st = KEYS_ABSENT;
    } else if (!parse_u64(port, PORT_MAX, &v)) {
        msg(LOG_WARNING, "domain %u: console/port \"%.32s\" is not a port", domid, port);
        st = KEYS_ABSENT;
    } else {
        k->port = (uint32_t)v;
    }
    free(ref);
    free(port);
    free(type);
    return st;
}

struct cons_domain *domain_find(struct daemon *dm, unsigned domid)
{
    for (struct cons_domain *d = dm->domains; d; d = d->next)
        if (!d->dead && d->domid == domid)
            return d;
    return NULL;
}

struct cons_domain *domain_by_port(struct daemon *dm, evtchn_port_t port)
{
    for (struct cons_domain *d = dm->domains; d; d = d->next)
        if (!d->dead && d->bound && d->local_port == port)
            return d;
    return NULL;
}

/* ---- ring page ---------------------------------------------------------- */

/* Grant entry GNTTAB_RESERVED_CONSOLE first (what the toolstack seeds for
 * the console backend), the gfn through foreign memory second. */
static int map_ring(struct daemon *dm, struct cons_domain *d)
{
    int gnt_err = 0;

    if (dm->xgt) {
        d->intf = xengnttab_map_grant_ref(dm->xgt, d->domid, GNTTAB_RESERVED_CONSOLE,
                                          PROT_READ | PROT_WRITE);
        if (d->intf) {
            d->intf_granted = true;
            return 0;
        }
        gnt_err = errno;
        msg(LOG_DEBUG, "domain %u: grant %d not mappable (%s); trying gfn %#" PRIx64,
            d->domid, GNTTAB_RESERVED_CONSOLE, strerror(gnt_err), d->keys.ring_ref);
    }
    if (dm->xfm) {
        xen_pfn_t gfn = (xen_pfn_t)d->keys.ring_ref;
        int err = 0;
        void *p = xenforeignmemory_map(dm->xfm, d->domid, PROT_READ | PROT_WRITE,
                                       1, &gfn, &err);
        if (p && err == 0) {
            d->intf = p;
            d->intf_granted = false;
            return 0;
        }
        if (p) {
            xenforeignmemory_unmap(dm->xfm, p, 1);
            errno = err < 0 ? -err : err;
        }
        msg(LOG_WARNING, "domain %u: cannot map console ring (grant %d: %s; gfn %#" PRIx64 ": %s)",
            d->domid, GNTTAB_RESERVED_CONSOLE, dm->xgt ? strerror(gnt_err) : "no gntdev",
            d->keys.ring_ref, strerror(errno));
        return -1;
    }
    msg(LOG_WARNING, "domain %u: cannot map console ring (grant %d: %s; no privcmd)",
        d->domid, GNTTAB_RESERVED_CONSOLE, strerror(gnt_err));
    return -1;
}

static void unmap_ring(struct daemon *dm, struct cons_domain *d)
{
    if (!d->intf)
        return;
    if (d->intf_granted)
        xengnttab_unmap(dm->xgt, d->intf, 1);
    else
        xenforeignmemory_unmap(dm->xfm, d->intf, 1);
    d->intf = NULL;
}

/* ---- pty ---------------------------------------------------------------- */

static void close_pty(struct cons_domain *d)
{
    if (d->master_fd >= 0)
        close(d->master_fd);
    if (d->slave_fd >= 0)
        close(d->slave_fd);
    d->master_fd = d->slave_fd = -1;
    d->tty_path[0] = '\0';
}

/* Opens a pty and publishes it in console/tty.  A console without a pty
 * still logs, so failure is reported, not fatal. */
static void open_pty(struct daemon *dm, struct cons_domain *d)
{
    char path[96];

    if (pty_open(&d->master_fd, &d->slave_fd, d->tty_path, sizeof(d->tty_path)) < 0) {
        msg(LOG_ERR, "domain %u: cannot create a pty: %s", d->domid, strerror(errno));
        d->master_fd = d->slave_fd = -1;
        d->tty_path[0] = '\0';
        return;
    }
    snprintf(path, sizeof(path), "%s/tty", d->conspath);
    if (!xs_write(dm->xs, XBT_NULL, path, d->tty_path, strlen(d->tty_path)))
        msg(LOG_WARNING, "domain %u: cannot write %s: %s", d->domid, path, strerror(errno));
}

/* ---- log file ----------------------------------------------------------- */

static void open_log(struct daemon *dm, struct cons_domain *d)
{
    char path[64], file[96];

    snprintf(path, sizeof(path), "/local/domain/%u/name", d->domid);
    char *name = xs_read_str(dm->xs, path);
    guestlog_filename(file, sizeof(file), name, d->domid);
    free(name);

    if (guestlog_mkdir(dm->log_dir) < 0 ||
        (d->log_fd = guestlog_open(dm->log_dir, file)) < 0) {
        msg(LOG_ERR, "domain %u: cannot open log %s/%s: %s", d->domid, dm->log_dir, file,
            strerror(errno));
        d->log_fd = -1;
    }
}

void domain_reopen_log(struct daemon *dm, struct cons_domain *d)
{
    if (d->log_fd >= 0)
        close(d->log_fd);
    d->log_fd = -1;
    d->log_failed_warned = false;
    open_log(dm, d);
}

static void log_append(struct cons_domain *d, const char *data, size_t n)
{
    if (d->log_fd < 0)
        return;
    if (write_all(d->log_fd, data, n) < 0) {
        if (!d->log_failed_warned)
            msg(LOG_ERR, "domain %u: writing the log failed: %s (warned once)",
                d->domid, strerror(errno));
        d->log_failed_warned = true;
    } else {
        d->log_failed_warned = false;
    }
}

/* ---- life cycle --------------------------------------------------------- */

static size_t backlog_limit(struct daemon *dm, struct cons_domain *d)
{
    char path[96];
    uint64_t v;

    snprintf(path, sizeof(path), "%s/limit", d->conspath);
    char *s = xs_read_str(dm->xs, path);
    bool ok = s && parse_u64(s, UINT64_MAX, &v);
    free(s);
    if (!ok)
        return BACKLOG_DEFAULT;
    if (v < BACKLOG_MIN)
        return BACKLOG_MIN;
    if (v > BACKLOG_MAX)
        return BACKLOG_MAX;
    return (size_t)v;
}

struct cons_domain *domain_open(struct daemon *dm, unsigned domid,
                                const struct console_keys *k)
{
    struct cons_domain *d = calloc(1, sizeof(*d));
    char token[16];

    if (!d) {
        msg(LOG_ERR, "domain %u: out of memory", domid);
        return NULL;
    }
    d->domid = domid;
    d->keys = *k;
    d->master_fd = d->slave_fd = d->log_fd = -1;
    d->pfd_idx = -1;
    snprintf(d->conspath, sizeof(d->conspath), "/local/domain/%u/console", domid);

    if (map_ring(dm, d) < 0)
        goto fail;
    ring_init(&d->ring, d->intf);

    xenevtchn_port_or_error_t lp = xenevtchn_bind_interdomain(dm->xce, domid, k->port);
    if (lp < 0) {
        msg(LOG_WARNING, "domain %u: cannot bind event channel %u: %s", domid, k->port,
            strerror(errno));
        goto fail;
    }
    d->local_port = (evtchn_port_t)lp;
    d->bound = true;

    if (backlog_init(&d->pty_out, backlog_limit(dm, d)) < 0) {
        msg(LOG_ERR, "domain %u: out of memory", domid);
        goto fail;
    }
    open_pty(dm, d);
    open_log(dm, d);

    snprintf(token, sizeof(token), "dom%u", domid);
    d->watched = xs_watch(dm->xs, d->conspath, token);
    if (!d->watched)
        msg(LOG_WARNING, "domain %u: cannot watch %s: %s", domid, d->conspath, strerror(errno));

    /* Output the guest wrote while nobody served it (boot, or our restart)
     * is waiting in the ring: move it on the first iteration. */
    d->work = true;
    d->next = dm->domains;
    dm->domains = d;
    msg(LOG_INFO, "domain %u: console on %s (%s, local port %u)", domid,
        d->tty_path[0] ? d->tty_path : "no pty",
        d->intf_granted ? "grant 0" : "foreign gfn", d->local_port);
    return d;

fail:
    domain_close(dm, d);
    free(d);
    return NULL;
}

void domain_close(struct daemon *dm, struct cons_domain *d)
{
    if (d->watched) {
        char token[16];
        snprintf(token, sizeof(token), "dom%u", d->domid);
        xs_unwatch(dm->xs, d->conspath, token);
        d->watched = false;
    }
    close_pty(d);
    backlog_free(&d->pty_out);
    if (d->log_fd >= 0)
        close(d->log_fd);
    d->log_fd = -1;
    if (d->bound)
        xenevtchn_unbind(dm->xce, d->local_port);
    d->bound = false;
    unmap_ring(dm, d);
    d->work = false;
    d->dead = true;
}

void domain_reap(struct daemon *dm)
{
    struct cons_domain **pp = &dm->domains;

    while (*pp) {
        struct cons_domain *d = *pp;
        if (d->dead) {
            *pp = d->next;
            free(d);
        } else {
            pp = &d->next;
        }
    }
}

/* ---- moving bytes ------------------------------------------------------- */

static ssize_t pty_write_cb(void *ctx, const char *data, size_t n)
{
    const struct cons_domain *d = ctx;
    ssize_t w = write(d->master_fd, data, n);

    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return 0;
    return w;
}

void domain_pty_broken(struct daemon *dm, struct cons_domain *d)
{
    msg(LOG_WARNING, "domain %u: pty %s failed; opening a new one", d->domid, d->tty_path);
    close_pty(d);
    open_pty(dm, d);
}

void domain_flush_pty(struct daemon *dm, struct cons_domain *d)
{
    if (d->master_fd < 0) {
        /* No pty: nothing will read the backlog; the log has it all. */
        backlog_clear(&d->pty_out);
        return;
    }
    if (backlog_flush(&d->pty_out, pty_write_cb, d) < 0) {
        domain_pty_broken(dm, d);
        return;
    }
    if (d->pty_dropping && backlog_empty(&d->pty_out)) {
        msg(LOG_INFO, "domain %u: %s caught up; %llu bytes were dropped from it",
            d->domid, d->tty_path, d->pty_out.dropped - d->dropped_reported);
        d->dropped_reported = d->pty_out.dropped;
        d->pty_dropping = false;
    }
}

void domain_pump_output(struct daemon *dm, struct cons_domain *d)
{
    char buf[RING_OUT_SIZE];
    size_t budget = OUT_BUDGET_PER_ITER;
    unsigned long resyncs = d->ring.out_resyncs;
    bool moved = false;

    while (budget > 0) {
        size_t n = ring_out_take(&d->ring, buf, budget < sizeof(buf) ? budget : sizeof(buf));
        if (n == 0)
            break;
        moved = true;
        budget -= n;
        log_append(d, buf, n);              /* the log gets every byte */
        if (d->master_fd >= 0)
            backlog_push(&d->pty_out, buf, n);  /* the pty what fits */
    }
    if (d->ring.out_resyncs != resyncs) {
        if (resyncs == 0)
            msg(LOG_WARNING, "domain %u: console out_prod is more than %zu bytes ahead of "
                "out_cons; skipped to it (warned once)", d->domid, RING_OUT_SIZE);
        moved = true;
    }
    if (moved)
        xenevtchn_notify(dm->xce, d->local_port);
    /* Budget spent and more waiting: come back next iteration, after the
     * other domains had their turn. */
    d->work = budget == 0 && ring_out_avail(&d->ring) > 0;

    if (!backlog_empty(&d->pty_out))
        domain_flush_pty(dm, d);
    if (!d->pty_dropping && d->pty_out.dropped != d->dropped_reported) {
        msg(LOG_INFO, "domain %u: nobody reads %s; dropping the oldest pty output "
            "(the log keeps it all)", d->domid, d->tty_path);
        d->pty_dropping = true;
    }
}

void domain_pty_input(struct daemon *dm, struct cons_domain *d)
{
    char buf[RING_IN_SIZE];
    size_t space = ring_in_space(&d->ring);
    unsigned long broken = d->ring.in_broken;

    if (space == 0 || d->master_fd < 0)
        return;
    ssize_t r = read(d->master_fd, buf, space < sizeof(buf) ? space : sizeof(buf));
    if (r < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            domain_pty_broken(dm, d);
        return;
    }
    if (r == 0)
        return;
    size_t put = ring_in_put(&d->ring, buf, (size_t)r);
    if (put < (size_t)r && broken == 0 && d->ring.in_broken != 0)
        msg(LOG_WARNING, "domain %u: console in_prod/in_cons are inconsistent; "
            "dropping input (warned once)", d->domid);
    if (put > 0)
        xenevtchn_notify(dm->xce, d->local_port);
}
