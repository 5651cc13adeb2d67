/*
 * xenconsoled: options, daemon start-up, signals and the poll loop.
 *
 * The loop polls the xenstore watch fd, the one event-channel fd that all
 * consoles share, and every pty master.  One iteration:
 *   1. xenstore watch events -> rescan /local/domain (scan.c);
 *   2. pending event-channel ports -> mark their domain, unmask;
 *   3. pty masters: input into in[], backlog out to the pty;
 *   4. every marked domain moves at most OUT_BUDGET_PER_ITER bytes of
 *      output (log + pty backlog); one with more left stays marked and the
 *      next poll does not sleep;
 *   5. closed domains are freed.
 */
#define _GNU_SOURCE
#include "xenconsoled.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LOG_DIR  "/var/log/splitvisor"
#define DEFAULT_PIDFILE  "/run/xenconsoled.pid"
/* When idle, check this often that xenstore still answers. */
#define IDLE_PROBE_MS    10000

static void usage(FILE *f)
{
    fprintf(f,
        "usage: xenconsoled [-F] [-v] [--log-dir DIR] [--pidfile FILE]\n"
        "Serves domU consoles (xenstore /local/domain/N/console) on ptys and logs.\n"
        "  -F, --foreground  stay in the foreground (default: daemon, pidfile)\n"
        "  -v, --verbose     debug messages (stderr; syslog as a daemon)\n"
        "      --log-dir DIR guest logs go to DIR/guest-NAME.log (default " DEFAULT_LOG_DIR ")\n"
        "      --pidfile FILE daemon pidfile (default " DEFAULT_PIDFILE ")\n"
        "  -h, --help        this text\n");
}

/* ---- xenstore connection ------------------------------------------------ */

/* xenstore stopped answering (restarted?): connect again, watch again and
 * rescan.  The consoles themselves run on without it meanwhile. */
static void xs_reconnect(struct daemon *dm)
{
    struct xs_handle *xs = xs_connect();

    if (!xs) {
        dm->xs_lost = true;     /* stop polling it; try again at the next probe */
        return;
    }
    xs_close(dm->xs);
    dm->xs = xs;
    dm->xs_lost = false;
    msg(LOG_WARNING, "reconnected to xenstore");
    for (struct cons_domain *d = dm->domains; d; d = d->next)
        d->watched = false;       /* those watches died with the connection */
    if (!scan_watch_specials(dm))
        return;
    for (struct cons_domain *d = dm->domains; d; d = d->next) {
        if (!d->dead) {
            char token[16];
            snprintf(token, sizeof(token), "dom%u", d->domid);
            d->watched = xs_watch(dm->xs, d->conspath, token);
        }
    }
    scan_domains(dm);
}

static void xs_probe(struct daemon *dm)
{
    unsigned num;

    if (dm->xs_lost) {
        xs_reconnect(dm);
        return;
    }
    errno = 0;
    char **ents = xs_directory(dm->xs, XBT_NULL, "/local/domain", &num);
    if (ents) {
        free(ents);
        return;
    }
    if (errno == ENOENT || errno == EACCES)
        return;
    msg(LOG_WARNING, "xenstore does not answer (%s); reconnecting", strerror(errno));
    xs_reconnect(dm);
}

/* ---- the loop ----------------------------------------------------------- */

static void drain_events(struct daemon *dm)
{
    for (int i = 0; i < EVTCHN_DRAIN_MAX; i++) {
        xenevtchn_port_or_error_t port = xenevtchn_pending(dm->xce);
        if (port < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                msg(LOG_WARNING, "reading event channels: %s", strerror(errno));
            return;
        }
        struct cons_domain *d = domain_by_port(dm, (evtchn_port_t)port);
        if (d)
            d->work = true;
        xenevtchn_unmask(dm->xce, (evtchn_port_t)port);
    }
}

static int run(struct daemon *dm, const sigset_t *waitmask)
{
    struct pollfd *pfds = NULL;
    size_t cap = 0;

    while (!daemon_stopping()) {
        if (daemon_signalled(SIGHUP)) {
            msg(LOG_INFO, "SIGHUP: reopening logs");
            for (struct cons_domain *d = dm->domains; d; d = d->next)
                if (!d->dead)
                    domain_reopen_log(dm, d);
        }

        size_t want = 2;
        for (struct cons_domain *d = dm->domains; d; d = d->next)
            want++;
        if (want > cap) {
            struct pollfd *np = realloc(pfds, want * sizeof(*np));
            if (!np) {
                msg(LOG_ERR, "out of memory");
                free(pfds);
                return 1;
            }
            pfds = np;
            cap = want;
        }

        size_t n = 0;
        bool busy = false;
        /* A negative fd is skipped by poll. */
        pfds[n++] = (struct pollfd){ .fd = dm->xs_lost ? -1 : xs_fileno(dm->xs),
                                     .events = POLLIN };
        pfds[n++] = (struct pollfd){ .fd = xenevtchn_fd(dm->xce), .events = POLLIN };
        for (struct cons_domain *d = dm->domains; d; d = d->next) {
            d->pfd_idx = -1;
            if (d->dead)
                continue;
            busy |= d->work;
            if (d->master_fd < 0)
                continue;
            short ev = 0;
            if (ring_in_space(&d->ring) > 0)
                ev |= POLLIN;
            if (!backlog_empty(&d->pty_out))
                ev |= POLLOUT;
            if (ev) {
                d->pfd_idx = (int)n;
                pfds[n++] = (struct pollfd){ .fd = d->master_fd, .events = ev };
            }
        }

        struct timespec ts = { .tv_sec = busy ? 0 : IDLE_PROBE_MS / 1000 };
        int r = ppoll(pfds, n, &ts, waitmask);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            msg(LOG_ERR, "poll: %s", strerror(errno));
            free(pfds);
            return 1;
        }
        if (r == 0 && !busy)
            xs_probe(dm);

        if (pfds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
            msg(LOG_WARNING, "xenstore watch channel failed; reconnecting");
            xs_reconnect(dm);
        } else if (pfds[0].revents & POLLIN) {
            if (!scan_handle_watches(dm))
                xs_reconnect(dm);
        }
        if (pfds[1].revents & POLLIN)
            drain_events(dm);

        for (struct cons_domain *d = dm->domains; d; d = d->next) {
            if (d->dead || d->pfd_idx < 0)
                continue;
            short rev = pfds[d->pfd_idx].revents;
            if (rev & POLLIN)
                domain_pty_input(dm, d);
            if ((rev & POLLOUT) && d->master_fd >= 0)
                domain_flush_pty(dm, d);
            if ((rev & (POLLERR | POLLHUP | POLLNVAL)) && !(rev & POLLIN))
                domain_pty_broken(dm, d);
        }

        for (struct cons_domain *d = dm->domains; d; d = d->next)
            if (!d->dead && d->work)
                domain_pump_output(dm, d);

        domain_reap(dm);
    }
    free(pfds);
    return 0;
}

int main(int argc, char **argv)
{
    struct daemon_opts o = {
        .name = "xenconsoled",
        .verbose_from = LOG_INFO,
        .pidfile = DEFAULT_PIDFILE,
    };
    struct daemon dm = { .log_dir = DEFAULT_LOG_DIR };
    const struct daemon_option own[] = { { "log-dir", 0, &dm.log_dir }, { NULL, 0, NULL } };
    sigset_t waitmask;

    daemon_parse_args(&o, argc, argv, own, usage);
    if (dm.log_dir[0] != '/') {
        fprintf(stderr, "xenconsoled: --log-dir must be an absolute path: %s\n", dm.log_dir);
        return 2;
    }

    /* Until start-up is done, errors go to the terminal.  Signals are
     * blocked except inside ppoll; fork before opening anything. */
    msg_setup(&o, false);
    daemon_signals((const int[]){ SIGHUP, 0 }, &waitmask);
    daemon_start(&o);

    dm.xs = xs_connect();
    if (!dm.xs) {
        msg(LOG_ERR, "cannot open xenstore: %s (is xenstored running?)", strerror(errno));
        return 1;
    }
    dm.xce = xenevtchn_open(&msg_xtl, 0);
    if (!dm.xce) {
        msg(LOG_ERR, "cannot open event channels (/dev/xen/evtchn): %s", strerror(errno));
        return 1;
    }
    int efd = xenevtchn_fd(dm.xce);
    int fl = fcntl(efd, F_GETFL);
    if (fl < 0 || fcntl(efd, F_SETFL, fl | O_NONBLOCK) < 0) {
        msg(LOG_ERR, "cannot make the event channel fd non-blocking: %s", strerror(errno));
        return 1;
    }
    dm.xgt = xengnttab_open(&msg_xtl, 0);
    int gnt_err = errno;
    dm.xfm = xenforeignmemory_open(&msg_xtl, 0);
    if (!dm.xgt && !dm.xfm) {
        msg(LOG_ERR, "cannot map guest memory: /dev/xen/gntdev: %s, /dev/xen/privcmd: %s",
            strerror(gnt_err), strerror(errno));
        return 1;
    }
    if (!dm.xgt)
        msg(LOG_INFO, "no grant mapping (/dev/xen/gntdev: %s); using foreign maps",
            strerror(gnt_err));
    if (guestlog_mkdir(dm.log_dir) < 0)
        msg(LOG_WARNING, "cannot create log directory %s: %s (will retry per domain)",
            dm.log_dir, strerror(errno));
    if (!scan_watch_specials(&dm))
        return 1;

    daemon_ready(&o);
    msg(LOG_INFO, "started; logs in %s", dm.log_dir);

    scan_domains(&dm);
    int rc = run(&dm, &waitmask);

    msg(LOG_INFO, "exiting");
    for (struct cons_domain *d = dm.domains; d; d = d->next)
        if (!d->dead)
            domain_close(&dm, d);
    domain_reap(&dm);
    if (dm.xfm)
        xenforeignmemory_close(dm.xfm);
    if (dm.xgt)
        xengnttab_close(dm.xgt);
    xenevtchn_close(dm.xce);
    xs_close(dm.xs);
    return rc;          /* atexit removes the pidfile */
}
