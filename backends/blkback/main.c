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
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_PIDFILE "/run/svblkback.pid"
/* When idle, rescan this often (a lost watch event costs at most this). */
#define IDLE_RESCAN_MS  10000

static volatile sig_atomic_t got_term, got_usr1;

static void on_signal(int sig)
{
    if (sig == SIGUSR1)
        got_usr1 = 1;
    else
        got_term = 1;
}

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

/* ---- daemon start-up (as xenconsoled) ------------------------------------ */

static int daemon_fork(void)
{
    int p[2];
    char c;

    if (pipe(p) < 0) {
        fprintf(stderr, "svblkback: cannot daemonize: %s\n", strerror(errno));
        exit(1);
    }
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "svblkback: cannot daemonize: %s\n", strerror(errno));
        exit(1);
    }
    if (pid > 0) {
        close(p[1]);
        ssize_t r;
        do
            r = read(p[0], &c, 1);
        while (r < 0 && errno == EINTR);
        _exit(r == 1 && c == 0 ? 0 : 1);
    }
    close(p[0]);
    setsid();
    return p[1];
}

static void daemon_ready(int fd)
{
    int null = open("/dev/null", O_RDWR);
    char c = 0;

    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (null > 2)
            close(null);
    }
    if (chdir("/") < 0)
        blk_log(LOG_WARNING, "chdir /: %s", strerror(errno));
    if (write(fd, &c, 1) != 1)
        blk_log(LOG_WARNING, "cannot signal readiness: %s", strerror(errno));
    close(fd);
}

static const char *pidfile_owned;

static void pidfile_remove(void)
{
    if (pidfile_owned)
        unlink(pidfile_owned);
}

static int pidfile_take(const char *path)
{
    char buf[32];
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

    if (fd < 0) {
        fprintf(stderr, "svblkback: cannot open pidfile %s: %s\n", path, strerror(errno));
        exit(1);
    }
    if (lockf(fd, F_TLOCK, 0) < 0) {
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        buf[n > 0 ? n : 0] = '\0';
        buf[strcspn(buf, "\n")] = '\0';
        fprintf(stderr, "svblkback: another svblkback is running (pid %s, %s)\n",
                n > 0 ? buf : "?", path);
        exit(1);
    }
    int len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
    pidfile_owned = path;
    atexit(pidfile_remove);
    if (ftruncate(fd, 0) < 0 || write(fd, buf, (size_t)len) != len) {
        fprintf(stderr, "svblkback: cannot write pidfile %s: %s\n", path, strerror(errno));
        exit(1);
    }
    return fd;
}

/* ---- xenstore ------------------------------------------------------------ */

static struct xs_handle *xs_connect(void)
{
    struct xs_handle *xs = xs_open(0);

    if (xs && xs_fileno(xs) < 0) {
        int err = errno;
        xs_close(xs);
        errno = err;
        return NULL;
    }
    return xs;
}

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
    blk_log(LOG_WARNING, "reconnected to xenstore");
    xb_scan(dm);
    return true;
}

/* ---- the loop ------------------------------------------------------------ */

static int run(struct daemon *dm, const sigset_t *waitmask)
{
    bool xs_lost = false;

    while (!got_term) {
        if (got_usr1) {
            got_usr1 = 0;
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
            blk_log(LOG_ERR, "poll: %s", strerror(errno));
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
    static const struct option longopts[] = {
        { "foreground", no_argument, NULL, 'F' },
        { "log", required_argument, NULL, 'L' },
        { "pidfile", required_argument, NULL, 'P' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool foreground = false, verbose = false;
    const char *pidfile = DEFAULT_PIDFILE, *logfile = NULL;
    struct daemon dm = { .wake = { -1, -1 } };
    int c;

    while ((c = getopt_long(argc, argv, "Fvh", longopts, NULL)) != -1) {
        switch (c) {
        case 'F': foreground = true; break;
        case 'L': logfile = optarg; break;
        case 'P': pidfile = optarg; break;
        case 'v': verbose = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "svblkback: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 2;
    }

    /* Until start-up is done, errors go to the terminal (and the log). */
    if (log_setup(logfile, true, verbose) < 0) {
        fprintf(stderr, "svblkback: cannot open log %s: %s\n", logfile, strerror(errno));
        return 1;
    }

    sigset_t block, waitmask;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &waitmask);
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* Fork before opening anything: libxenstore's thread would not survive it. */
    int ready_fd = -1, pid_fd = -1;
    if (!foreground) {
        ready_fd = daemon_fork();
        pid_fd = pidfile_take(pidfile);
    }

    if (pipe2(dm.wake, O_CLOEXEC | O_NONBLOCK) < 0) {
        blk_log(LOG_ERR, "pipe: %s", strerror(errno));
        return 1;
    }
    dm.xs = xs_connect();
    if (!dm.xs) {
        blk_log(LOG_ERR, "cannot open xenstore: %s (is xenstored running?)", strerror(errno));
        return 1;
    }
    /* Fail early and clearly if the Xen devices are missing. */
    xengnttab_handle *probe = xengnttab_open(&blk_xtl, 0);
    if (!probe) {
        blk_log(LOG_ERR, "cannot open /dev/xen/gntdev: %s (load xen-gntdev)", strerror(errno));
        return 1;
    }
    xengnttab_close(probe);
    if (!xb_watch_backends(&dm))
        return 1;

    if (!foreground) {
        if (!logfile)
            log_setup(NULL, false, verbose);
        daemon_ready(ready_fd);
    }
    blk_log(LOG_NOTICE, "started (pid %ld): max-ring-page-order %u, multi-queue-max-queues %u, "
            "feature-max-indirect-segments %u, data by grant copy",
            (long)getpid(), BLK_MAX_RING_ORDER, BLK_MAX_QUEUES, BLK_MAX_INDIRECT_SEGS);

    xb_scan(&dm);
    int rc = run(&dm, &waitmask);

    blk_log(LOG_NOTICE, "exiting");
    xb_dump_counters(&dm);
    xb_release_all(&dm);
    xs_close(dm.xs);
    close(dm.wake[0]);
    close(dm.wake[1]);
    if (pid_fd >= 0)
        close(pid_fd);
    return rc;
}
