/*
 * xenstored: the daemon.  Options, the poll() loop, accepting socket
 * clients, serving domain rings, saving state.
 *
 * It runs in the foreground (a service manager or a shell '&' backgrounds
 * it; we never fork).  Socket clients are dom0 and privileged.  Without
 * /dev/xen (or with --no-domains) only socket clients are served and
 * INTRODUCE answers EIO.
 */
#define _DEFAULT_SOURCE   /* getopt_long */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "connection.h"
#include "core.h"
#include "domain.h"
#include "domain_io.h"
#include "log.h"
#include "message.h"
#include "persist.h"
#include "transport.h"
#include "util.h"
#include "wire.h"

#define DEFAULT_SOCKET "/run/xenstored/socket"
#define DEFAULT_SAVE_INTERVAL 60
/* Requests handled per connection per loop turn, for fairness. */
#define MSGS_PER_TURN 32

struct daemon {
    struct xs_store st;
    int listen_fd;
    const char *socket_path;
    struct xs_connection *conns;
    struct xs_domain_io *io;
    const char *state_path;
    const char *restore_path;
    const char *log_path;
    long save_interval;
    time_t last_save;
    uint64_t saved_changes;
};

/* Per-ring bookkeeping, the context of the ring transport's callbacks. */
struct ring_ctx {
    struct daemon *d;
    struct xenstore_domain_interface *intf;
    unsigned domid;
    unsigned local_port;
};

static volatile sig_atomic_t got_stop;
static volatile sig_atomic_t got_hup;
static int sig_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
    if (sig == SIGTERM || sig == SIGINT)
        got_stop = 1;
    else if (sig == SIGHUP)
        got_hup = 1;
    int saved = errno;
    if (write(sig_pipe[1], "x", 1) < 0) {
        /* the pipe is full: a wakeup is already pending */
    }
    errno = saved;
}

/* ---- domains ---------------------------------------------------------- */

static enum xs_domain_state io_domain_state(void *ctx, unsigned domid)
{
    struct xs_domain_io *io = ctx;

    return (enum xs_domain_state)io->ops->domain_state(io, domid);
}

static void ring_notify(void *ctx)
{
    struct ring_ctx *rc = ctx;
    rc->d->io->ops->notify(rc->d->io, rc->local_port);
}

static void ring_release(void *ctx)
{
    struct ring_ctx *rc = ctx;
    struct xs_domain_io *io = rc->d->io;
    io->ops->unbind(io, rc->local_port);
    io->ops->unmap(io, rc->intf);
    free(rc);
}

static int hook_attach(void *ctx, struct xs_client *c, uint64_t mfn, unsigned port)
{
    struct daemon *d = ctx;
    if (!d->io) {
        xs_log(XS_LOG_WARN, "INTRODUCE of domain %u refused: no Xen devices here "
               "(socket clients only)", c->domid);
        return EIO;
    }
    struct ring_ctx *rc = calloc(1, sizeof(*rc));
    if (!rc)
        return ENOMEM;
    rc->d = d;
    rc->domid = c->domid;
    int err = d->io->ops->map(d->io, c->domid, mfn, &rc->intf);
    if (err) {
        xs_log(XS_LOG_ERR, "domain %u: cannot map its xenstore page: %s", c->domid,
               strerror(err));
        free(rc);
        return EIO;
    }
    err = d->io->ops->bind(d->io, c->domid, port, &rc->local_port);
    if (err) {
        xs_log(XS_LOG_ERR, "domain %u: cannot bind event channel %u: %s", c->domid, port,
               strerror(err));
        d->io->ops->unmap(d->io, rc->intf);
        free(rc);
        return EIO;
    }
    struct xs_transport *tp = ring_transport_new(rc->intf, ring_notify, ring_release, rc);
    struct xs_connection *conn = tp ? conn_new(c, tp, true) : NULL;
    if (!conn) {
        if (tp)
            tp->ops->close(tp);
        else
            ring_release(rc);
        return ENOMEM;
    }
    conn->ring_ctx = rc;
    ring_transport_reset(tp);
    conn->next = d->conns;
    d->conns = conn;
    ring_notify(rc);
    return 0;
}

static int hook_rebind(void *ctx, struct xs_client *c, unsigned port)
{
    struct daemon *d = ctx;
    struct xs_connection *conn = c->io;
    if (!d->io || !conn || !conn->ring_ctx)
        return 0;
    struct ring_ctx *rc = conn->ring_ctx;
    unsigned local;
    int err = d->io->ops->bind(d->io, c->domid, port, &local);
    if (err)
        return EIO;
    d->io->ops->unbind(d->io, rc->local_port);
    rc->local_port = local;
    return 0;
}

static int save_state(struct daemon *d, char *msg, size_t msglen)
{
    if (!d->state_path) {
        snprintf(msg, msglen, "no state file configured (--state)");
        return ENOENT;
    }
    uint64_t changes = d->st.changes;
    int err = persist_save(&d->st, d->state_path, msg, msglen);
    if (!err) {
        d->saved_changes = changes;
        d->last_save = time(NULL);
        xs_log(XS_LOG_INFO, "state saved to %s (%zu nodes)", d->state_path,
               tree_size(&d->st.tree));
    }
    return err;
}

static int hook_save(void *ctx, char *msg, size_t msglen)
{
    int err = save_state(ctx, msg, msglen);
    return err == ENOENT || err == ENOMEM ? err : (err ? EIO : 0);
}

/* ---- start-up ---------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
"Usage: xenstored [options]\n"
"\n"
"The xenstore daemon: serves Xen's xs_wire protocol to dom0 processes on a\n"
"Unix socket and to domains on their shared rings.  Runs in the foreground.\n"
"\n"
"  --socket PATH        listen here (default: $XENSTORED_PATH, else\n"
"                       " DEFAULT_SOCKET ")\n"
"  --state FILE         restore from FILE if it exists, save to it\n"
"  --restore FILE       restore from FILE at start-up (must exist)\n"
"  --save-interval N    save every N seconds when something changed;\n"
"                       0 = only on exit (default %d; needs --state)\n"
"  --log FILE           log to FILE instead of stderr\n"
"  --verbose            log every request\n"
"  --no-domains         do not open /dev/xen; socket clients only\n"
"  --priv-domid N       domain N is privileged like dom0\n"
"  --foreground         accepted for compatibility; always the case\n"
"  --help               this text\n"
"\n"
"SIGTERM or SIGINT saves the state (with --state) and exits; SIGHUP reopens\n"
"the log file.\n",
            DEFAULT_SAVE_INTERVAL);
}

static int parse_args(struct daemon *d, int argc, char **argv, bool *no_domains,
                      const char **log_path)
{
    static const struct option opts[] = {
        { "socket", required_argument, NULL, 's' },
        { "state", required_argument, NULL, 'S' },
        { "restore", required_argument, NULL, 'r' },
        { "save-interval", required_argument, NULL, 'i' },
        { "log", required_argument, NULL, 'l' },
        { "verbose", no_argument, NULL, 'v' },
        { "no-domains", no_argument, NULL, 'n' },
        { "priv-domid", required_argument, NULL, 'p' },
        { "foreground", no_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    unsigned long long v;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's': d->socket_path = optarg; break;
        case 'S': d->state_path = optarg; break;
        case 'r': d->restore_path = optarg; break;
        case 'i':
            if (!xs_parse_uint(optarg, 86400 * 365, &v)) {
                fprintf(stderr, "xenstored: --save-interval wants seconds, not \"%s\"\n", optarg);
                return 2;
            }
            d->save_interval = (long)v;
            break;
        case 'l': *log_path = optarg; break;
        case 'v': d->st.verbose = true; break;
        case 'n': *no_domains = true; break;
        case 'p':
            if (!xs_parse_uint(optarg, 65535, &v) || !domain_id_valid(v)) {
                fprintf(stderr, "xenstored: --priv-domid wants a domain id, not \"%s\"\n", optarg);
                return 2;
            }
            d->st.priv_domid = (unsigned)v;
            break;
        case 'f': break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "xenstored: unexpected argument \"%s\"\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    return 0;
}

/* Restores --restore FILE, or --state FILE when it exists. */
static int restore(struct daemon *d)
{
    const char *from = d->restore_path;
    if (!from && d->state_path) {
        struct stat stb;
        if (stat(d->state_path, &stb) != 0 && errno == ENOENT) {
            xs_log(XS_LOG_INFO, "no state file at %s yet: starting with an empty store",
                   d->state_path);
            return 0;
        }
        from = d->state_path;
    }
    if (!from)
        return 0;
    struct xs_image img;
    char err[512];
    if (persist_load(from, &img, err, sizeof(err))) {
        xs_log(XS_LOG_ERR, "refusing to start: %s", err);
        return 1;
    }
    persist_apply(&d->st, &img);
    xs_log(XS_LOG_INFO, "restored %zu nodes and %zu domains from %s",
           tree_size(&d->st.tree), d->st.ndomains, from);

    /* Reconnect the domains that were introduced. */
    for (size_t i = 0; i < d->st.ndomains; i++) {
        struct xs_domain *dom = &d->st.domains[i];
        struct xs_client *c = xs_client_new(&d->st, dom->domid, true);
        if (!c)
            return 1;
        c->has_target = dom->has_target;
        c->target = dom->target;
        if (d->io && hook_attach(d, c, dom->mfn, dom->port) == 0) {
            dom->client = c;
        } else {
            /* Keep the record (IS_DOMAIN_INTRODUCED stays true, RELEASE
             * works) without a ring to talk on. */
            xs_client_free(c);
            xs_log(XS_LOG_WARN, "domain %u restored without a connection", dom->domid);
        }
    }
    d->saved_changes = d->st.changes;
    return 0;
}

/* ---- main loop --------------------------------------------------------- */

static void accept_clients(struct daemon *d)
{
    for (int i = 0; i < 16; i++) {
        int fd = accept(d->listen_fd, NULL, NULL);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                xs_log(XS_LOG_WARN, "accept: %s", strerror(errno));
            return;
        }
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        struct xs_client *c = xs_client_new(&d->st, 0, false);
        struct xs_transport *tp = c ? socket_transport_new(fd) : NULL;
        struct xs_connection *conn = tp ? conn_new(c, tp, false) : NULL;
        if (!conn) {
            xs_log(XS_LOG_ERR, "out of memory accepting a client");
            if (tp)
                tp->ops->close(tp);
            else
                close(fd);
            if (c)
                xs_client_free(c);
            continue;
        }
        conn->next = d->conns;
        d->conns = conn;
        if (d->st.verbose)
            xs_log(XS_LOG_DEBUG, "conn#%llu: new socket client", (unsigned long long)c->serial);
    }
}

static void close_dead(struct daemon *d)
{
    for (struct xs_connection **pp = &d->conns; *pp;) {
        struct xs_connection *conn = *pp;
        if (conn_alive(conn)) {
            pp = &conn->next;
            continue;
        }
        *pp = conn->next;
        if (d->st.verbose || strcmp(conn->why, "peer closed") != 0)
            xs_log(strcmp(conn->why, "peer closed") ? XS_LOG_INFO : XS_LOG_DEBUG,
                   "conn#%llu (dom%u): closed: %s",
                   (unsigned long long)conn->client->serial, conn->client->domid, conn->why);
        conn_free(conn);
    }
    xs_store_reap(&d->st);
}

/* Handles what a connection sent (sockets: as poll() reported). */
static void serve(struct xs_connection *conn, short revents)
{
    if (!conn->is_ring)
        socket_transport_set_revents(conn->tp, revents);
    if (conn_wants_input(conn) &&
        (conn->tp->ops->can_read(conn->tp) || conn_input_buffered(conn)))
        conn_handle_input(conn, MSGS_PER_TURN);
}

static int run(struct daemon *d)
{
    struct pollfd *pfds = NULL;
    struct xs_connection **pconn = NULL;
    size_t cap = 0;

    while (!got_stop) {
        size_t n = 0, nconns = 0;
        for (struct xs_connection *c = d->conns; c; c = c->next)
            nconns++;
        if (nconns + 3 > cap) {
            cap = (nconns + 3) * 2;
            struct pollfd *p = realloc(pfds, cap * sizeof(*p));
            if (p)
                pfds = p;
            struct xs_connection **q = realloc(pconn, cap * sizeof(*q));
            if (q)
                pconn = q;
            if (!p || !q) {
                xs_log(XS_LOG_ERR, "out of memory in the main loop");
                free(pfds);
                free(pconn);
                return 1;
            }
        }
        pfds[n++] = (struct pollfd){ .fd = sig_pipe[0], .events = POLLIN };
        pfds[n++] = (struct pollfd){ .fd = d->listen_fd, .events = POLLIN };
        pfds[n++] = (struct pollfd){ .fd = d->io ? d->io->ops->fd(d->io) : -1, .events = POLLIN };
        int timeout = -1;
        for (struct xs_connection *c = d->conns; c; c = c->next) {
            if (c->is_ring) {
                if ((conn_wants_input(c) &&
                     (c->tp->ops->can_read(c->tp) || conn_input_buffered(c))) ||
                    (conn_wants_output(c) && c->tp->ops->can_write(c->tp)))
                    timeout = 0;
                continue;
            }
            short ev = 0;
            if (conn_wants_input(c)) {
                ev |= POLLIN;
                /* Requests left over from the last turn: serve them now. */
                if (conn_input_buffered(c))
                    timeout = 0;
            }
            if (conn_wants_output(c))
                ev |= POLLOUT;
            pconn[n] = c;
            pfds[n++] = (struct pollfd){ .fd = socket_transport_fd(c->tp), .events = ev };
        }
        if (d->state_path && d->save_interval > 0 && d->st.changes != d->saved_changes) {
            long left = (long)(d->last_save + d->save_interval - time(NULL));
            int ms = left <= 0 ? 0 : (int)(left * 1000);
            if (timeout < 0 || ms < timeout)
                timeout = ms;
        }

        int rc = poll(pfds, n, timeout);
        if (rc < 0 && errno != EINTR) {
            xs_log(XS_LOG_ERR, "poll: %s", strerror(errno));
            break;
        }
        if (rc < 0)
            continue;
        if (pfds[0].revents & POLLIN) {
            char buf[64];
            while (read(sig_pipe[0], buf, sizeof(buf)) > 0)
                ;
        }
        if (got_hup) {
            /* Log rotation: reopen the file by name. */
            got_hup = 0;
            if (d->log_path && xs_log_open(d->log_path) == 0)
                xs_log(XS_LOG_INFO, "log reopened on SIGHUP");
        }
        if (pfds[1].revents & POLLIN)
            accept_clients(d);
        if (d->io && (pfds[2].revents & POLLIN)) {
            bool dom_exc = false;
            int port;

            while ((port = d->io->ops->pending(d->io)) >= 0)
                if (port == d->io->ops->dom_exc_port(d->io))
                    dom_exc = true;     /* every ring is looked at below anyway */
            if (dom_exc)
                domain_check_states(&d->st, io_domain_state, d->io);
        }

        for (size_t i = 3; i < n; i++)
            if (pfds[i].revents || conn_input_buffered(pconn[i]))
                serve(pconn[i], pfds[i].revents);
        for (struct xs_connection *c = d->conns; c; c = c->next)
            if (c->is_ring)
                serve(c, 0);
        /* Output last: requests above may have queued events anywhere. */
        for (struct xs_connection *c = d->conns; c; c = c->next)
            if (conn_alive(c) && conn_wants_output(c))
                conn_handle_output(c);
        close_dead(d);

        if (d->state_path && d->save_interval > 0 && d->st.changes != d->saved_changes &&
            time(NULL) >= d->last_save + d->save_interval) {
            char msg[512];
            if (save_state(d, msg, sizeof(msg)))
                xs_log(XS_LOG_ERR, "%s", msg);
            d->last_save = time(NULL);   /* do not retry in a tight loop */
        }
    }
    free(pfds);
    free(pconn);
    return 0;
}

int main(int argc, char **argv)
{
    struct daemon d = { .listen_fd = -1, .save_interval = DEFAULT_SAVE_INTERVAL };
    bool no_domains = false;
    const char *log_path = NULL;

    if (xs_store_init(&d.st)) {
        fprintf(stderr, "xenstored: out of memory\n");
        return 1;
    }
    int rc = parse_args(&d, argc, argv, &no_domains, &log_path);
    if (rc) {
        xs_store_destroy(&d.st);
        return rc < 0 ? 0 : rc;
    }
    d.log_path = log_path;
    if (log_path) {
        int e = xs_log_open(log_path);
        if (e) {
            fprintf(stderr, "xenstored: cannot open log file %s: %s\n", log_path, strerror(e));
            xs_store_destroy(&d.st);
            return 1;
        }
    }
    if (d.st.verbose)
        xs_log_set_level(XS_LOG_DEBUG);
    if (!d.socket_path)
        d.socket_path = getenv("XENSTORED_PATH");
    if (!d.socket_path || !*d.socket_path)
        d.socket_path = DEFAULT_SOCKET;

    d.st.hooks = (struct xs_hooks){
        .domain_attach = hook_attach,
        .domain_rebind = hook_rebind,
        .save = hook_save,
        .ctx = &d,
    };

    if (!no_domains) {
        char err[256];
        d.io = domain_io_xen_open(err, sizeof(err));
        if (!d.io)
            xs_log(XS_LOG_INFO, "no Xen domain support (%s): serving socket clients only", err);
    }

    rc = 1;
    if (pipe(sig_pipe) != 0 || fcntl(sig_pipe[0], F_SETFL, O_NONBLOCK) != 0 ||
        fcntl(sig_pipe[1], F_SETFL, O_NONBLOCK) != 0) {
        xs_log(XS_LOG_ERR, "pipe: %s", strerror(errno));
        goto out;
    }
    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (restore(&d))
        goto out;

    char err[512];
    d.listen_fd = socket_listen(d.socket_path, err, sizeof(err));
    if (d.listen_fd < 0) {
        xs_log(XS_LOG_ERR, "%s", err);
        goto out;
    }
    d.last_save = time(NULL);
    xs_log(XS_LOG_INFO, "listening on %s%s", d.socket_path,
           d.io ? ", serving domains" : "");

    rc = run(&d);

    if (d.state_path) {
        char msg[512];
        if (save_state(&d, msg, sizeof(msg))) {
            xs_log(XS_LOG_ERR, "%s", msg);
            rc = 1;
        }
    }
    xs_log(XS_LOG_INFO, "exiting");

out:
    while (d.conns) {
        struct xs_connection *c = d.conns;
        d.conns = c->next;
        conn_free(c);
    }
    if (d.listen_fd >= 0) {
        close(d.listen_fd);
        unlink(d.socket_path);
    }
    xs_store_destroy(&d.st);
    if (d.io)
        d.io->ops->close(d.io);
    if (sig_pipe[0] >= 0) {
        close(sig_pipe[0]);
        close(sig_pipe[1]);
    }
    xs_log_close();
    return rc;
}
