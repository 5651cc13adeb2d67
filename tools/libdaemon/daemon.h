/*
 * libdaemon: the start-up and housekeeping that dom0's daemons share
 * (xenconsoled, svblkback, svnetback).  Each daemon compiles these files
 * into its own object directory (daemon.mk); there is no installed library.
 *
 *   daemon.c  the shared flags, signals, the fork with a ready pipe, the pidfile;
 *   msg.c     messages: stderr, syslog or a timestamped --log file;
 *   xs.c      the xenstore connection and small reads;
 *   parse.c   whole decimal numbers (pure: unit tests link it alone).
 *
 * A daemon's main() runs, in this order:
 *
 *   daemon_parse_args(&o, ...);      exits on -h or a bad option
 *   msg_setup(&o, false);            messages to stderr (or --log FILE)
 *   daemon_signals(extra, &waitmask);
 *   daemon_start(&o);                fork; the parent waits; pidfile
 *   ... open xenstore, devices ...   (libxenstore's thread must come after the fork)
 *   daemon_ready(&o);                syslog (or FILE); the parent exits 0
 */
#ifndef LIBDAEMON_DAEMON_H
#define LIBDAEMON_DAEMON_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <syslog.h>

struct xentoollog_logger;
struct xs_handle;

struct daemon_opts {
    /* The daemon's own settings. */
    const char *name;        /* "svblkback": the "name: " prefix, syslog ident */
    int verbose_from;        /* messages of this priority and below only with -v */
    bool file_says_level;    /* --log lines read "TIME warning: text", not "TIME name: text" */
    const char *pidfile;     /* the default; --pidfile replaces it */
    /* From the command line. */
    bool foreground;         /* -F, --foreground */
    bool verbose;            /* -v, --verbose */
    const char *logfile;     /* NULL: stderr in the foreground, syslog as a daemon */
};

/* One of a daemon's own options, with a value: --name VALUE (or -s VALUE
 * if short_name) stores VALUE in *value.  Lists end with { NULL }. */
struct daemon_option {
    const char *name;
    char short_name;
    const char **value;
};

/* ---- daemon.c ------------------------------------------------------------ */

/* Parses -F/--foreground, -v/--verbose, --pidfile FILE, -h/--help and the
 * daemon's own options.  -h: usage(stdout), exit 0; a bad option or any
 * argument: usage(stderr), exit 2. */
void daemon_parse_args(struct daemon_opts *o, int argc, char **argv,
                       const struct daemon_option *own, void (*usage)(FILE *f));

/* Blocks SIGTERM, SIGINT and the signals in extra (0-terminated, each
 * below 32) and catches them; ignores SIGPIPE.  Call before any thread
 * exists, so that every thread inherits the mask.  *waitmask is the mask to
 * ppoll() with: the signals arrive only there. */
void daemon_signals(const int *extra, sigset_t *waitmask);
/* SIGTERM or SIGINT came. */
bool daemon_stopping(void);
/* sig (one of extra) came since the last call. */
bool daemon_signalled(int sig);

/* Unless o->foreground: forks; the parent waits until the child calls
 * daemon_ready() (exit 0) or dies (exit 1, the child has said why).  The
 * child then locks and writes the pidfile, removed at exit; a second daemon
 * exits 1 here ("another NAME is running").  Call before opening xenstore:
 * libxenstore's reader thread would not survive the fork. */
void daemon_start(const struct daemon_opts *o);
/* Start-up is done: unless o->foreground, messages go to syslog (or stay
 * in the --log file), stdio to /dev/null, cwd to /, and the parent exits 0. */
void daemon_ready(const struct daemon_opts *o);

/* ---- msg.c --------------------------------------------------------------- */

/* Messages go to o->logfile (appended, timestamped) if set, else to syslog
 * if daemonized, else to stderr ("name: text").  The file is opened at the
 * first call; 0, or -1 with errno. */
int msg_setup(const struct daemon_opts *o, bool daemonized);
/* Opens the --log file again (SIGHUP, after logrotate); on failure the old
 * one stays. */
void msg_reopen(void);
/* One message; each is one write(), so threads may call it. */
void msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* For xen*_open(): the Xen libraries' own words become debug messages, so
 * that a failure is reported once, by us, in one line. */
extern struct xentoollog_logger msg_xtl;

/* ---- xs.c ---------------------------------------------------------------- */

/* xs_open() and its watch fd (xs_fileno starts the watch thread: once,
 * early).  NULL with errno on failure. */
struct xs_handle *xs_connect(void);
/* Reads path; NULL if absent.  The result is NUL-terminated; free() it.
 * (A value with a NUL of its own reads as the string before it.) */
char *xs_read_str(struct xs_handle *xs, const char *path);
/* Reads dir/node as a whole decimal number <= max; false if absent or not one. */
bool xs_read_u64(struct xs_handle *xs, const char *dir, const char *node, uint64_t max,
                 uint64_t *out);
/* Reads every pending watch event (logged as debug messages): how many,
 * or -1 if xenstore failed (logged). */
int xs_drain_watches(struct xs_handle *xs);

/* ---- parse.c ------------------------------------------------------------- */

/* Parses a whole decimal string (no sign, no spaces) into *out (<= max);
 * false if NULL or malformed. */
bool parse_u64(const char *s, uint64_t max, uint64_t *out);

#endif
