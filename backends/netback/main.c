/*
 * svnetback: options, daemon start-up, signals and the main loop.
 *
 * The main thread polls the xenstore watch fd and the pipe on which vif
 * threads say that they ended (a hostile frontend); signals are blocked
 * everywhere but inside its ppoll:
 *   SIGTERM, SIGINT  release every vif (xenstore is left as it is: a
 *                    restarted daemon takes the connections up again) and exit;
 *   SIGUSR1          log every connected vif's counters;
 *   SIGHUP           reopen the --log file.
 */
#define _GNU_SOURCE
#include "netback.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_PIDFILE  "/run/svnetback.pid"
/* When idle, check this often that xenstore still answers. */
#define IDLE_PROBE_MS    10000

static void usage(FILE *f)
{
    fprintf(f,
        "usage: svnetback [--log FILE] [--foreground] [--pidfile FILE] [--verbose]\n"
        "Serves domUs' PV NICs (xenstore " NB_BACKEND_ROOT ") on tap devices.\n"
        "  -F, --foreground   stay in the foreground (default: daemon, pidfile)\n"
        "  -l, --log FILE     append messages to FILE (default: syslog as a daemon,\n"
        "                     stderr in the foreground); SIGHUP reopens it\n"
        "      --pidfile FILE daemon pidfile (default " DEFAULT_PIDFILE ")\n"
        "  -v, --verbose      debug messages too\n"
        "  -h, --help         this text\n"
        "SIGUSR1 logs every vif's counters.\n");
}

/* ---- xenstore connection ---------------------------------------------------- */

/* xenstore went away (restarted?): connect and watch again, rescan.  The
 * connected vifs run on without it meanwhile.  false: try again later. */
static bool xs_reconnect(struct netback *nb)
{
    struct xs_handle *xs = xs_connect();

    if (!xs)
        return false;
    xs_close(nb->xs);
    nb->xs = xs;
    msg(LOG_WARNING, "reconnected to xenstore");
    if (!xb_watch_root(nb))
        return true;
    xb_rewatch(nb);
    xb_scan(nb);
    return true;
}

static bool xs_alive(struct netback *nb)
{
    unsigned num;

    errno = 0;
    char **ents = xs_directory(nb->xs, XBT_NULL, "/local/domain/0", &num);
    free(ents);
    return ents || errno == ENOENT || errno == EACCES;
}

/* ---- the loop ------------------------------------------------------------------ */

static int run(struct netback *nb, const sigset_t *waitmask)
{
    bool xs_lost = false;

    while (!daemon_stopping()) {
        if (daemon_signalled(SIGHUP)) {
            msg_reopen();
            msg(LOG_INFO, "SIGHUP: log reopened");
        }
        if (daemon_signalled(SIGUSR1)) {
            xb_log_counters(nb);
        }
        struct pollfd p[2] = {
            { .fd = xs_lost ? -1 : xs_fileno(nb->xs), .events = POLLIN },
            { .fd = nb->notify[0], .events = POLLIN },
        };
        struct timespec ts = { .tv_sec = IDLE_PROBE_MS / 1000 };
        int r = ppoll(p, 2, &ts, waitmask);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            msg(LOG_ERR, "poll: %s", strerror(errno));
            return 1;
        }
        if (r == 0 && (xs_lost || !xs_alive(nb))) {
            if (!xs_lost)
                msg(LOG_WARNING, "xenstore does not answer; reconnecting");
            xs_lost = !xs_reconnect(nb);
        }
        if (p[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
            msg(LOG_WARNING, "xenstore watch channel failed; reconnecting");
            xs_lost = !xs_reconnect(nb);
        } else if (p[0].revents & POLLIN) {
            if (!xb_handle_watches(nb))
                xs_lost = !xs_reconnect(nb);
        }
        if (p[1].revents & POLLIN) {
            char buf[64];
            while (read(nb->notify[0], buf, sizeof(buf)) > 0) {
            }
            xb_reap_threads(nb);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct daemon_opts o = {
        .name = "svnetback",
        .verbose_from = LOG_DEBUG,
        .file_says_level = true,
        .pidfile = DEFAULT_PIDFILE,
    };
    const struct daemon_option own[] = { { "log", 'l', &o.logfile }, { NULL, 0, NULL } };
    struct netback nb = { .notify = { -1, -1 }, .xtl = &msg_xtl };
    sigset_t waitmask;

    daemon_parse_args(&o, argc, argv, own, usage);
    if (o.logfile && o.logfile[0] != '/' && !o.foreground) {
        fprintf(stderr, "svnetback: --log must be an absolute path (a daemon runs in /): %s\n",
                o.logfile);
        return 2;
    }

    /* Until start-up is done, errors go to the terminal (or the file). */
    if (msg_setup(&o, false) < 0) {
        fprintf(stderr, "svnetback: cannot open log %s: %s\n", o.logfile, strerror(errno));
        return 1;
    }
    /* Blocked before any thread exists, so that every thread inherits
     * the mask and only the main thread's ppoll takes them. */
    daemon_signals((const int[]){ SIGHUP, SIGUSR1, 0 }, &waitmask);
    /* Fork before opening anything: libxenstore's thread would not
     * survive it. */
    daemon_start(&o);

    if (pipe2(nb.notify, O_CLOEXEC | O_NONBLOCK) < 0) {
        msg(LOG_ERR, "pipe: %s", strerror(errno));
        return 1;
    }
    nb.xs = xs_connect();
    if (!nb.xs) {
        msg(LOG_ERR, "cannot open xenstore: %s (is xenstored running?)", strerror(errno));
        return 1;
    }
    /* Fail early, with the device named, if the grant or event channel
     * devices are missing: every vif needs both. */
    xengnttab_handle *probe_gt = xengnttab_open(&msg_xtl, 0);
    if (!probe_gt) {
        msg(LOG_ERR, "cannot open /dev/xen/gntdev: %s (xen-gntdev loaded?)", strerror(errno));
        return 1;
    }
    xengnttab_close(probe_gt);
    xenevtchn_handle *probe_ev = xenevtchn_open(&msg_xtl, 0);
    if (!probe_ev) {
        msg(LOG_ERR, "cannot open /dev/xen/evtchn: %s (xen-evtchn loaded?)", strerror(errno));
        return 1;
    }
    xenevtchn_close(probe_ev);
    if (!xb_watch_root(&nb))
        return 1;

    daemon_ready(&o);
    msg(LOG_NOTICE, "started; serving %s", NB_BACKEND_ROOT);

    /* The watch fires once at once: that first event scans (and takes up
     * vifs that were connected before a restart). */
    int rc = run(&nb, &waitmask);

    msg(LOG_NOTICE, "exiting");
    xb_release_all(&nb);
    xs_close(nb.xs);
    close(nb.notify[0]);
    close(nb.notify[1]);
    return rc;          /* atexit removes the pidfile */
}
