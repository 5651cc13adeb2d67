/*
 * svblkback: options, daemon start-up, signals and the main loop.
 *
 * The main thread owns xenstore: it polls the watch fd and the wake pipe
 * that ring threads poke when a frontend breaks its ring, and reconciles
 * the devices (xenbus.c).  Each ring has its own thread (queue.c).
 */
#define _GNU_SOURCE
#include "blkback.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_PIDFILE "/run/svblkback.pid"
/* When idle, rescan this often (a lost watch event costs at most this). */
#define IDLE_RESCAN_MS  10000

static void usage(FILE *f)
{
    fprintf(f,
        "usage: svblkback [--log FILE] [--foreground] [--pidfile FILE] [-v]\n"
        "Serves the vbds under " BACKEND_VBD_PATH " (blkif) from files and block devices.\n"
        "  -F, --foreground   stay in the foreground (default: daemon, pidfile)\n"
        "      --log FILE     append the log to FILE (default: stderr in the\n"
        "                     foreground, syslog as a daemon)\n"
        "      --pidfile FILE daemon pidfile (default " DEFAULT_PIDFILE ")\n"
        "  -v, --verbose      debug messages too\n"
        "  -h, --help         this text\n"
        "SIGUSR1 logs every device's counters; SIGTERM releases every ring and\n"
        "exits, leaving xenstore as it is for the next svblkback to resume.\n");
}

/* ---- xenstore ------------------------------------------------------------ */

/* xenstore went away (restarted?): the rings run on meanwhile; connect,
 * watch again and rescan. */
static bool xs_reconnect(struct daemon *dm)
{
    struct xs_handle *xs = xs_connect();

    if (!xs)
        return false;
    xs_close(dm->xs);
    dm->xs = xs;
    for (struct blk_device *d = dm->devs; d; d = d->next)
        d->fe_watched = d->fe_watched && xs_watch(dm->xs, d->fe_state_path, "fe");
    if (!xb_watch_backends(dm))
        return false;
    msg(LOG_WARNING, "reconnected to xenstore");
    xb_scan(dm);
    return true;
}

/* ---- the loop ------------------------------------------------------------ */

static int run(struct daemon *dm, const sigset_t *waitmask)
{
    bool xs_lost = false;

    while (!daemon_stopping()) {
        if (daemon_signalled(SIGUSR1)) {
            xb_dump_counters(dm);
        }
        struct pollfd pfd[2] = {
            { .fd = xs_lost ? -1 : xs_fileno(dm->xs), .events = POLLIN },
            { .fd = dm->wake[0], .events = POLLIN },
        };
        struct timespec ts = { .tv_sec = IDLE_RESCAN_MS / 1000 };
        int r = ppoll(pfd, 2, &ts, waitmask);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            msg(LOG_ERR, "poll: %s", strerror(errno));
            return 1;
        }
        if (xs_lost || (pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL))) {
            xs_lost = !xs_reconnect(dm);
            continue;
        }
        if (pfd[1].revents & POLLIN) {
            char buf[64];
            while (read(dm->wake[0], buf, sizeof(buf)) > 0)
                ;
            xb_scan(dm);
        }
        if (pfd[0].revents & POLLIN) {
            if (!xb_handle_watches(dm))
                xs_lost = !xs_reconnect(dm);
        }
        if (r == 0)
            xb_scan(dm);
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct daemon_opts o = {
        .name = "svblkback",
        .verbose_from = LOG_DEBUG,
        .pidfile = DEFAULT_PIDFILE,
    };
    const struct daemon_option own[] = { { "log", 0, &o.logfile }, { NULL, 0, NULL } };
    struct daemon dm = { .wake = { -1, -1 } };
    sigset_t waitmask;

    daemon_parse_args(&o, argc, argv, own, usage);

    /* Until start-up is done, errors go to the terminal (or the log). */
    if (msg_setup(&o, false) < 0) {
        fprintf(stderr, "svblkback: cannot open log %s: %s\n", o.logfile, strerror(errno));
        return 1;
    }
    daemon_signals((const int[]){ SIGUSR1, 0 }, &waitmask);
    /* Fork before opening anything: libxenstore's thread would not survive it. */
    daemon_start(&o);

    if (pipe2(dm.wake, O_CLOEXEC | O_NONBLOCK) < 0) {
        msg(LOG_ERR, "pipe: %s", strerror(errno));
        return 1;
    }
    dm.xs = xs_connect();
    if (!dm.xs) {
        msg(LOG_ERR, "cannot open xenstore: %s (is xenstored running?)", strerror(errno));
        return 1;
    }
    /* Fail early and clearly if the Xen devices are missing. */
    xengnttab_handle *probe = xengnttab_open(&msg_xtl, 0);
    if (!probe) {
        msg(LOG_ERR, "cannot open /dev/xen/gntdev: %s (load xen-gntdev)", strerror(errno));
        return 1;
    }
    xengnttab_close(probe);
    if (!xb_watch_backends(&dm))
        return 1;

    daemon_ready(&o);
    msg(LOG_NOTICE, "started (pid %ld): max-ring-page-order %u, multi-queue-max-queues %u, "
        "feature-max-indirect-segments %u, data by grant copy",
        (long)getpid(), BLK_MAX_RING_ORDER, BLK_MAX_QUEUES, BLK_MAX_INDIRECT_SEGS);

    xb_scan(&dm);
    int rc = run(&dm, &waitmask);

    msg(LOG_NOTICE, "exiting");
    xb_dump_counters(&dm);
    xb_release_all(&dm);
    xs_close(dm.xs);
    close(dm.wake[0]);
    close(dm.wake[1]);
    return rc;          /* atexit removes the pidfile */
}
