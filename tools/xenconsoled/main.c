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
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_LOG_DIR  "/var/log/splitvisor"
#define DEFAULT_PIDFILE  "/run/xenconsoled.pid"
/* When idle, check this often that xenstore still answers. */
#define IDLE_PROBE_MS    10000

static volatile sig_atomic_t got_term, got_hup;

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        got_hup = 1;
    else
        got_term = 1;
}

/* The Xen libraries report through a xentoollog logger; with none they
 * print to stderr on their own.  Ours makes their words debug messages, so
 * a failure is reported once, by us, in one line. */
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
        "usage: xenconsoled [-F] [-v] [--log-dir DIR] [--pidfile FILE]\n"
        "Serves domU consoles (xenstore /local/domain/N/console) on ptys and logs.\n"
        "  -F, --foreground  stay in the foreground (default: daemon, pidfile)\n"
        "  -v, --verbose     debug messages (stderr; syslog as a daemon)\n"
        "      --log-dir DIR guest logs go to DIR/guest-NAME.log (default " DEFAULT_LOG_DIR ")\n"
        "      --pidfile FILE daemon pidfile (default " DEFAULT_PIDFILE ")\n"
        "  -h, --help        this text\n");
}

/* ---- daemon start-up ---------------------------------------------------- */

/* Forks; the parent waits until the child says it is ready (exit 0) or
 * dies (exit 1, the child has printed why).  Returns the child's end of
 * the pipe. */
static int daemon_fork(void)
{
    int p[2];
    char c;

    if (pipe(p) < 0) {
        fprintf(stderr, "xenconsoled: cannot daemonize: %s\n", strerror(errno));
        exit(1);
    }
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "xenconsoled: cannot daemonize: %s\n", strerror(errno));
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

/* The pidfile we own, removed however the daemon exits after taking it
 * (the waiting parent leaves with _exit and never runs this). */
static const char *pidfile_owned;

static void pidfile_remove(void)
{
    if (pidfile_owned)
        unlink(pidfile_owned);
}

/* Locks and writes the pidfile; a second daemon fails here.  fd or exits. */
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
        msg(LOG_ERR, "another xenconsoled is running (pid %s, %s)", n > 0 ? buf : "?", path);
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

/* ---- xenstore connection ------------------------------------------------ */

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

    while (!got_term) {
        if (got_hup) {
            got_hup = 0;
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
    static const struct option longopts[] = {
        { "foreground", no_argument, NULL, 'F' },
        { "verbose", no_argument, NULL, 'v' },
        { "log-dir", required_argument, NULL, 'L' },
        { "pidfile", required_argument, NULL, 'P' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool foreground = false, verbose = false;
    const char *pidfile = DEFAULT_PIDFILE;
    struct daemon dm = { .log_dir = DEFAULT_LOG_DIR };
    int c;

    while ((c = getopt_long(argc, argv, "Fvh", longopts, NULL)) != -1) {
        switch (c) {
        case 'F': foreground = true; break;
        case 'v': verbose = true; break;
        case 'L': dm.log_dir = optarg; break;
        case 'P': pidfile = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "xenconsoled: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    if (dm.log_dir[0] != '/') {
        fprintf(stderr, "xenconsoled: --log-dir must be an absolute path: %s\n", dm.log_dir);
        return 2;
    }

    /* Until start-up is done, errors go to the terminal. */
    msg_setup(false, verbose);

    /* Signals are blocked except inside ppoll; block them before any
     * library thread exists so that every thread inherits the mask. */
    sigset_t block, waitmask;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &waitmask);
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* Fork before opening anything: libxenstore's reader thread would not
     * survive it. */
    int ready_fd = -1, pid_fd = -1;
    if (!foreground) {
        ready_fd = daemon_fork();
        pid_fd = pidfile_take(pidfile);
    }

    dm.xs = xs_connect();
    if (!dm.xs) {
        msg(LOG_ERR, "cannot open xenstore: %s (is xenstored running?)", strerror(errno));
        return 1;
    }
    dm.xce = xenevtchn_open(&quiet_logger, 0);
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
    dm.xgt = xengnttab_open(&quiet_logger, 0);
    int gnt_err = errno;
    dm.xfm = xenforeignmemory_open(&quiet_logger, 0);
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

    if (!foreground) {
        msg_setup(true, verbose);
        daemon_ready(ready_fd);
    }
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
    if (pid_fd >= 0)
        close(pid_fd);      /* atexit removes the file */
    return rc;
}
