/*
 * The start-up that every dom0 daemon does the same way (daemon.h): the
 * shared flags, the signals the main loop takes inside ppoll(), the fork
 * whose parent exits only once the child is ready, and the pidfile.
 */
#define _GNU_SOURCE
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- options ------------------------------------------------------------- */

#define OPT_PIDFILE  256    /* long-only options: values past any char */
#define OPT_OWN      257
#define MAX_OWN      4

void daemon_parse_args(struct daemon_opts *o, int argc, char **argv,
                       const struct daemon_option *own, void (*usage)(FILE *f))
{
    struct option longopts[5 + MAX_OWN] = {
        { "foreground", no_argument, NULL, 'F' },
        { "verbose", no_argument, NULL, 'v' },
        { "pidfile", required_argument, NULL, OPT_PIDFILE },
        { "help", no_argument, NULL, 'h' },
    };
    char shortopts[8 + 2 * MAX_OWN] = "Fvh";
    size_t nlong = 4, nshort = 3, nown = 0;
    int c;

    for (; own && own[nown].name; nown++) {
        if (nown == MAX_OWN)
            abort();          /* raise MAX_OWN */
        int val = own[nown].short_name ? own[nown].short_name : OPT_OWN + (int)nown;
        longopts[nlong++] = (struct option){ own[nown].name, required_argument, NULL, val };
        if (own[nown].short_name) {
            shortopts[nshort++] = own[nown].short_name;
            shortopts[nshort++] = ':';
        }
    }
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        switch (c) {
        case 'F': o->foreground = true; continue;
        case 'v': o->verbose = true; continue;
        case OPT_PIDFILE: o->pidfile = optarg; continue;
        case 'h': usage(stdout); exit(0);
        case '?': usage(stderr); exit(2);
        }
        for (size_t i = 0; i < nown; i++)
            if (c == (own[i].short_name ? own[i].short_name : OPT_OWN + (int)i))
                *own[i].value = optarg;
    }
    if (optind != argc) {
        fprintf(stderr, "%s: unexpected argument '%s'\n", o->name, argv[optind]);
        usage(stderr);
        exit(2);
    }
}

/* ---- signals ------------------------------------------------------------- */

static volatile sig_atomic_t got_stop, got[32];

static void on_signal(int sig)
{
    if (sig == SIGTERM || sig == SIGINT)
        got_stop = 1;
    else
        got[sig] = 1;
}

void daemon_signals(const int *extra, sigset_t *waitmask)
{
    struct sigaction sa = { .sa_handler = on_signal };
    sigset_t block;

    sigemptyset(&sa.sa_mask);
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    for (const int *s = extra; s && *s; s++) {
        if (*s >= 32)
            abort();
        sigaddset(&block, *s);
    }
    sigprocmask(SIG_BLOCK, &block, waitmask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    for (const int *s = extra; s && *s; s++)
        sigaction(*s, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

bool daemon_stopping(void)
{
    return got_stop;
}

bool daemon_signalled(int sig)
{
    if (!got[sig])
        return false;
    got[sig] = 0;           /* blocked outside ppoll: no race with the handler */
    return true;
}

/* ---- the fork and the pidfile -------------------------------------------- */

static int ready_fd = -1;
/* The pidfile we own, removed however the daemon exits after taking it
 * (the waiting parent leaves with _exit and never runs this). */
static const char *pidfile_owned;
static int pidfile_fd = -1;

static void pidfile_remove(void)
{
    if (pidfile_fd >= 0)
        close(pidfile_fd);
    unlink(pidfile_owned);
}

/* Locks and writes the pidfile; a second daemon fails here. */
static void pidfile_take(const struct daemon_opts *o)
{
    char buf[32];
    int fd = open(o->pidfile, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

    if (fd < 0) {
        fprintf(stderr, "%s: cannot open pidfile %s: %s\n", o->name, o->pidfile,
                strerror(errno));
        exit(1);
    }
    if (lockf(fd, F_TLOCK, 0) < 0) {
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        buf[n > 0 ? n : 0] = '\0';
        buf[strcspn(buf, "\n")] = '\0';
        fprintf(stderr, "%s: another %s is running (pid %s, %s)\n", o->name, o->name,
                n > 0 ? buf : "?", o->pidfile);
        exit(1);
    }
    int len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
    pidfile_owned = o->pidfile;
    pidfile_fd = fd;
    atexit(pidfile_remove);
    if (ftruncate(fd, 0) < 0 || write(fd, buf, (size_t)len) != len) {
        fprintf(stderr, "%s: cannot write pidfile %s: %s\n", o->name, o->pidfile,
                strerror(errno));
        exit(1);
    }
}

void daemon_start(const struct daemon_opts *o)
{
    int p[2];
    char c;

    if (o->foreground)
        return;
    if (pipe(p) < 0) {
        fprintf(stderr, "%s: cannot daemonize: %s\n", o->name, strerror(errno));
        exit(1);
    }
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "%s: cannot daemonize: %s\n", o->name, strerror(errno));
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
    ready_fd = p[1];
    pidfile_take(o);
}

void daemon_ready(const struct daemon_opts *o)
{
    char c = 0;

    if (o->foreground)
        return;
    msg_setup(o, true);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (null > 2)
            close(null);
    }
    if (chdir("/") < 0)
        msg(LOG_WARNING, "chdir /: %s", strerror(errno));
    if (write(ready_fd, &c, 1) != 1)
        msg(LOG_WARNING, "cannot signal readiness: %s", strerror(errno));
    close(ready_fd);
}
