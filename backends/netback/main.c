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
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_PIDFILE  "/run/svnetback.pid"
/* When idle, check this often that xenstore still answers. */
#define IDLE_PROBE_MS    10000

static volatile sig_atomic_t got_term, got_hup, got_usr1;

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        got_hup = 1;
    else if (sig == SIGUSR1)
        got_usr1 = 1;
    else
        got_term = 1;
}

/* The Xen libraries' own messages become debug lines: a failure is
 * reported once, by us, in one line naming the device. */
static void xtl_vmessage(struct xentoollog_logger *l, xentoollog_level level, int errnoval,
                         const char *context, const char *format, va_list al)
{
    char text[256];

    (void)l;
    (void)level;
    vsnprintf(text, sizeof(text), format, al);
    if (errnoval >= 0)
        msg(LOG_DEBUG, "%s: %s: %s", context ? context : "xen", text, strerror(errnoval));
    else
        msg(LOG_DEBUG, "%s: %s", context ? context : "xen", text);
}

static void xtl_destroy(struct xentoollog_logger *l)
{
    (void)l;
}

static struct xentoollog_logger quiet_logger = {
    .vmessage = xtl_vmessage,
    .progress = NULL,
    .destroy = xtl_destroy,
};

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

/* ---- daemon start-up (as xenconsoled) ---------------------------------------- */

/* Forks; the parent waits until the child says it is ready (exit 0) or
 * dies (exit 1, the child has said why). */
static int daemon_fork(void)
{
    int p[2];
    char c;

    if (pipe(p) < 0) {
        fprintf(stderr, "svnetback: cannot daemonize: %s\n", strerror(errno));
        exit(1);
    }
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "svnetback: cannot daemonize: %s\n", strerror(errno));
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
        msg(LOG_WARNING, "chdir /: %s", strerror(errno));
    if (write(fd, &c, 1) != 1)
        msg(LOG_WARNING, "cannot signal readiness: %s", strerror(errno));
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
        msg(LOG_ERR, "cannot open pidfile %s: %s", path, strerror(errno));
        exit(1);
    }
    if (lockf(fd, F_TLOCK, 0) < 0) {
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        buf[n > 0 ? n : 0] = '\0';
        buf[strcspn(buf, "\n")] = '\0';
        msg(LOG_ERR, "another svnetback is running (pid %s, %s)", n > 0 ? buf : "?", path);
        exit(1);
    }
    int len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
    pidfile_owned = path;
    atexit(pidfile_remove);
    if (ftruncate(fd, 0) < 0 || write(fd, buf, (size_t)len) != len) {
        msg(LOG_ERR, "cannot write pidfile %s: %s", path, strerror(errno));
        exit(1);
    }
    return fd;
}

/* ---- xenstore connection ---------------------------------------------------- */

static struct xs_handle *xs_connect(void)
{
    struct xs_handle *xs = xs_open(0);

    /* xs_fileno starts the watch pipe: call it once, early. */
    if (xs && xs_fileno(xs) < 0) {
        int err = errno;
        xs_close(xs);
        errno = err;
        return NULL;
    }
    return xs;
}

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

    while (!got_term) {
        if (got_hup) {
            got_hup = 0;
            msg_reopen();
            msg(LOG_INFO, "SIGHUP: log reopened");
        }
        if (got_usr1) {
            got_usr1 = 0;
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
    static const struct option longopts[] = {
        { "foreground", no_argument, NULL, 'F' },
        { "log", required_argument, NULL, 'l' },
        { "pidfile", required_argument, NULL, 'P' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool foreground = false, verbose = false;
    const char *pidfile = DEFAULT_PIDFILE, *logfile = NULL;
    struct netback nb = { .notify = { -1, -1 }, .xtl = &quiet_logger };
    int c;

    while ((c = getopt_long(argc, argv, "Fl:vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'F': foreground = true; break;
        case 'l': logfile = optarg; break;
        case 'P': pidfile = optarg; break;
        case 'v': verbose = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "svnetback: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    if (logfile && logfile[0] != '/' && !foreground) {
        fprintf(stderr, "svnetback: --log must be an absolute path (a daemon runs in /): %s\n",
                logfile);
        return 2;
    }

    /* Until start-up is done, errors go to the terminal (and the file). */
    if (msg_setup(logfile, false, verbose) < 0) {
        fprintf(stderr, "svnetback: cannot open log %s: %s\n", logfile, strerror(errno));
        return 1;
    }

    /* Blocked before any thread exists, so that every thread inherits
     * the mask and only the main thread's ppoll takes them. */
    sigset_t block, waitmask;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &waitmask);
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* Fork before opening anything: libxenstore's thread would not
     * survive it. */
    int ready_fd = -1, pid_fd = -1;
    if (!foreground) {
        ready_fd = daemon_fork();
        pid_fd = pidfile_take(pidfile);
    }

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
    xengnttab_handle *probe_gt = xengnttab_open(&quiet_logger, 0);
    if (!probe_gt) {
        msg(LOG_ERR, "cannot open /dev/xen/gntdev: %s (xen-gntdev loaded?)", strerror(errno));
        return 1;
    }
    xengnttab_close(probe_gt);
    xenevtchn_handle *probe_ev = xenevtchn_open(&quiet_logger, 0);
    if (!probe_ev) {
        msg(LOG_ERR, "cannot open /dev/xen/evtchn: %s (xen-evtchn loaded?)", strerror(errno));
        return 1;
    }
    xenevtchn_close(probe_ev);
    if (!xb_watch_root(&nb))
        return 1;

    if (!foreground) {
        msg_setup(logfile, true, verbose);
        daemon_ready(ready_fd);
    }
    msg(LOG_NOTICE, "started; serving %s", NB_BACKEND_ROOT);

    /* The watch fires once at once: that first event scans (and takes up
     * vifs that were connected before a restart). */
    int rc = run(&nb, &waitmask);

    msg(LOG_NOTICE, "exiting");
    xb_release_all(&nb);
    xs_close(nb.xs);
    close(nb.notify[0]);
    close(nb.notify[1]);
    if (pid_fd >= 0)
        close(pid_fd);      /* atexit removes the file */
    return rc;
}
