/*
 * xenconsoled: serves domU console rings (struct xencons_interface) on
 * ptys and log files in dom0.  See README.md.
 *
 *   main.c      options, start-up, the poll loop
 *   scan.c      which domains to serve: watches and /local/domain scans
 *   domain.c    one domain: map, bind, pty, log; moving bytes; teardown
 *   pty.c       a raw, non-blocking pty pair
 *   guestlog.c  the per-guest log file (name, directory, appends)
 *   ring.c      pure ring and backlog logic (unit-tested)
 * and from ../libdaemon (daemon.h): the shared flags, daemon start-up,
 * pidfile, signals, messages, xenstore reads and number parsing.
 */
#ifndef XENCONSOLED_H
#define XENCONSOLED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>

#include <xentoollog.h>
#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>
#include <xenstore.h>

#include "daemon.h"      /* msg(), xs_read_str(), parse_u64() (../libdaemon) */
#include "ring.h"

/* Guest output moved per domain per loop iteration (fairness). */
#define OUT_BUDGET_PER_ITER   8192u
/* Pty backlog when console/limit is absent, and its clamp. */
#define BACKLOG_DEFAULT       (64u * 1024u)
#define BACKLOG_MIN           4096u
#define BACKLOG_MAX           (16u * 1024u * 1024u)
/* Event-channel notifications drained per loop iteration. */
#define EVTCHN_DRAIN_MAX      1024

struct daemon;

/* What xenstore says about a domain's console. */
struct console_keys {
    uint64_t ring_ref;       /* gfn of the ring page */
    uint32_t port;           /* unbound port in the domain, remote dom0 */
};

struct cons_domain {
    struct cons_domain *next;
    unsigned domid;
    char conspath[64];       /* /local/domain/N/console */
    bool dead;               /* torn down; freed at the end of the iteration */
    unsigned seen_pass;      /* last scan that found it */

    /* The ring page and its event channel. */
    struct console_keys keys;
    struct xencons_interface *intf;
    bool intf_granted;       /* via GNTTAB_RESERVED_CONSOLE, else foreign map */
    struct cons_ring ring;
    evtchn_port_t local_port;
    bool bound;
    bool work;               /* output to move (event, or budget ran out) */
    bool watched;            /* xs_watch on conspath, token "domN" */

    /* The pty: master is ours to read/write, slave held open so the
     * master never sees a hangup while nobody is attached. */
    int master_fd;
    int slave_fd;
    char tty_path[64];
    struct backlog pty_out;
    unsigned long long dropped_reported;  /* pty_out.dropped at the last report */
    bool pty_dropping;       /* reported "dropping", not yet "caught up" */

    /* The log file. */
    int log_fd;
    bool log_failed_warned;

    int pfd_idx;             /* index in this iteration's pollfd array, or -1 */
};

struct daemon {
    struct xs_handle *xs;
    bool xs_lost;                   /* connection failed; retried when idle */
    xenevtchn_handle *xce;
    xengnttab_handle *xgt;          /* NULL: grant mapping unavailable */
    xenforeignmemory_handle *xfm;   /* NULL: foreign mapping unavailable */
    const char *log_dir;
    struct cons_domain *domains;
    unsigned scan_pass;
};

/* pty.c */
/* Opens a raw pty pair; master non-blocking.  0, or -1 with errno. */
int pty_open(int *master, int *slave, char *name, size_t name_len);

/* guestlog.c */
/* Writes into out the file name for the guest's log: "guest-NAME.log" with
 * NAME sanitized, or "guest-N.log" if name is NULL or unusable. */
void guestlog_filename(char *out, size_t out_len, const char *name, unsigned domid);
/* Creates dir (and its parents) if missing.  0, or -1 with errno. */
int guestlog_mkdir(const char *dir);
/* Opens dir/file for appending.  fd, or -1 with errno. */
int guestlog_open(const char *dir, const char *file);
/* Writes all of data (retrying short writes).  0, or -1 with errno. */
int write_all(int fd, const char *data, size_t n);

/* domain.c */
enum keys_state { KEYS_OK, KEYS_ABSENT, KEYS_ERROR };
/* Reads ring-ref, port (and checks type) of domid's console. */
enum keys_state console_keys_read(struct daemon *dm, unsigned domid,
                                  struct console_keys *k);
struct cons_domain *domain_open(struct daemon *dm, unsigned domid,
                                const struct console_keys *k);
void domain_close(struct daemon *dm, struct cons_domain *d);
struct cons_domain *domain_find(struct daemon *dm, unsigned domid);
struct cons_domain *domain_by_port(struct daemon *dm, evtchn_port_t port);
void domain_pump_output(struct daemon *dm, struct cons_domain *d);
void domain_flush_pty(struct daemon *dm, struct cons_domain *d);
void domain_pty_input(struct daemon *dm, struct cons_domain *d);
void domain_pty_broken(struct daemon *dm, struct cons_domain *d);
void domain_reopen_log(struct daemon *dm, struct cons_domain *d);
/* Frees the structs of dead domains. */
void domain_reap(struct daemon *dm);

/* scan.c */
/* Registers @introduceDomain and @releaseDomain.  false on failure. */
bool scan_watch_specials(struct daemon *dm);
/* Reconciles the served set with /local/domain. */
void scan_domains(struct daemon *dm);
/* Drains xenstore watch events; rescans if any came.  false if the
 * xenstore connection failed. */
bool scan_handle_watches(struct daemon *dm);

#endif
