/*
 * The xenstore multi-call tool: which command, which options, then one run
 * of the command, inside a transaction where Debian's tool uses one (and
 * again from the start when the commit answers EAGAIN).
 *
 * Usage texts, messages and exit statuses are those of Debian's
 * xenstore-utils (Xen 4.17), including its leniency: an unknown option is
 * reported and then ignored.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "xst_getopt.h"
#include "xst_internal.h"

#define PREFIX "xenstore-"
/* Debian retries EAGAIN forever; a daemon saying it forever stops us here. */
#define MAX_COMMIT_RETRIES 1000

static const struct {
    const char *name;
    enum xst_mode mode;
} modes[] = {
    { "read", XST_READ }, { "chmod", XST_CHMOD }, { "exists", XST_EXISTS },
    { "list", XST_LIST }, { "ls", XST_LS },        { "rm", XST_RM },
    { "write", XST_WRITE }, { "watch", XST_WATCH },
};

static const struct xst_longopt longopts[] = {
    { "help", false, 'h' },
    { "flat", false, 'f' },     /* ls */
    { "socket", false, 's' },
    { "prefix", false, 'p' },   /* read, list, ls */
    { "tidy", false, 't' },     /* rm */
    { "upto", false, 'u' },     /* chmod */
    { "recurse", false, 'r' },  /* chmod */
    { "number", true, 'n' },    /* watch */
    { "raw", false, 'R' },      /* read, write */
    { NULL, false, 0 },
};

static enum xst_mode lookup_mode(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
        if (strcmp(name, modes[i].name) == 0)
            return modes[i].mode;
    return XST_UNKNOWN;
}

/* Debian's usage lines; IN_MODE adds the command word ("xenstore read"). */
static int usage(struct xst_ctx *c, enum xst_mode mode, bool in_mode,
                 const char *argv0)
{
    const char *word = "", *rest = "";

    switch (mode) {
    case XST_UNKNOWN:
        xst_warnx(c, "Usage: %s <mode> [-h] [...]", argv0);
        return 1;
    case XST_READ:   word = "read ";   rest = "[-h] [-p] [-s] [-R] key [...]"; break;
    case XST_WRITE:  word = "write ";  rest = "[-h] [-s] [-R] key value [...]"; break;
    case XST_RM:     word = "rm ";     rest = "[-h] [-s] [-t] key [...]"; break;
    case XST_EXISTS: word = "exists "; rest = "[-h] [-p] [-s] key [...]"; break;
    case XST_LIST:   word = "list ";   rest = "[-h] [-p] [-s] key [...]"; break;
    case XST_LS:     word = "ls ";     rest = "[-h] [-f] [-p] [-s] [path]"; break;
    case XST_CHMOD:
        word = "chmod ";
        rest = "[-h] [-u] [-r] [-s] key <mode [modes...]>";
        break;
    /* -t TIMEOUT is left out: the text stays Debian's, byte for byte. */
    case XST_WATCH:  word = "watch ";  rest = "[-h] [-n NR] key"; break;
    }
    xst_warnx(c, "Usage: %s %s%s", argv0, in_mode ? word : "", rest);
    return 1;
}

/* Each option is accepted by some commands only; others get the usage. */
static bool option_fits(enum xst_mode mode, int opt)
{
    switch (opt) {
    case 's': return true;
    case 'f': return mode == XST_LS;
    case 'p': return mode == XST_READ || mode == XST_LIST || mode == XST_LS;
    case 't': return mode == XST_RM || mode == XST_WATCH;
    case 'u': case 'r': return mode == XST_CHMOD;
    case 'n': return mode == XST_WATCH;
    case 'R': return mode == XST_READ || mode == XST_WRITE;
    default: return false;
    }
}

static enum xst_status run(struct xst_ctx *c, enum xst_mode mode, char **ops,
                           int n)
{
    switch (mode) {
    case XST_READ:   return xst_cmd_read(c, ops, n);
    case XST_EXISTS: return xst_cmd_exists(c, ops, n);
    case XST_WRITE:  return xst_cmd_write(c, ops, n);
    case XST_RM:     return xst_cmd_rm(c, ops, n);
    case XST_LIST:   return xst_cmd_list(c, ops, n);
    case XST_LS:     return xst_cmd_ls(c, ops, n);
    case XST_CHMOD:  return xst_cmd_chmod(c, ops, n);
    case XST_WATCH:  return xst_cmd_watch(c, ops, n);
    case XST_UNKNOWN: break;
    }
    return XST_DIE;
}

static bool wants_transaction(enum xst_mode mode, int n)
{
    switch (mode) {
    case XST_READ:  return n > 1;
    case XST_WRITE: return n > 2;
    case XST_LS:
    case XST_WATCH: return false;
    default:        return true;
    }
}

/*
 * Line width for ls.  Like Debian's tool, -f lifts the limit, but a
 * terminal's width still applies then (only the padding goes).
 */
static void set_width(struct xst_ctx *c)
{
    struct winsize ws;
    int fd = fileno(c->env->out);

    c->max_width = c->o.flat ? INT_MAX / 2 : 80;
    c->desired_width = c->o.flat ? 0 : 60;
    if (c->env->columns >= 0) {
        c->max_width = c->env->columns - 2;
        return;
    }
    memset(&ws, 0, sizeof(ws));
    if (fd >= 0 && ioctl(fd, TIOCGWINSZ, &ws) == 0)
        c->max_width = ws.ws_col - 2;
}

/* Everything after the options are parsed: connect, run, commit, print. */
static int connect_and_run(struct xst_ctx *c, enum xst_mode mode, char **ops,
                           int n)
{
    bool tx = wants_transaction(mode, n);
    enum xst_status st;
    int retries = 0;

    if (mode == XST_LS)
        set_width(c);

    c->h = svxs_open(c->o.socket_only ? SVXS_OPEN_SOCKET_ONLY : 0);
    if (c->h == NULL) {
        xst_warn(c, "xs_open");
        return 1;
    }

    for (;;) {
        c->tx = SVXS_TX_NONE;
        if (tx && svxs_transaction_start(c->h, &c->tx) < 0) {
            xst_warnx(c, "couldn't start transaction");
            return 1;
        }
        st = run(c, mode, ops, n);
        if (st == XST_DIE)
            return 1;
        if (!tx || svxs_transaction_end(c->h, c->tx, st != XST_OK) == 0)
            break;
        if (st == XST_OK && errno == EAGAIN && ++retries < MAX_COMMIT_RETRIES) {
            c->len = 0;     /* the rerun prints it all again */
            continue;
        }
        xst_warnx(c, "couldn't end transaction");
        return 1;
    }

    if (c->len > 0)
        fwrite(c->buf, 1, c->len, c->env->out);
    return st == XST_OK ? 0 : 1;
}

int xst_main(int argc, char **argv, const struct xst_env *env)
{
    struct xst_ctx c = { .env = env };
    const char *base = strrchr(argv[0], '/');
    const char *command;
    struct xst_getopt g;
    enum xst_mode mode;
    int shift, opt, ret;

    base = base != NULL ? base + 1 : argv[0];
    c.prog = base;
    c.o.nr_watches = -1;
    c.o.timeout_s = -1;

    if (strncmp(base, PREFIX, strlen(PREFIX)) == 0) {
        command = base + strlen(PREFIX);
        shift = 0;
    } else if (argc < 2) {
        return usage(&c, XST_UNKNOWN, false, argv[0]);
    } else {
        command = argv[1];
        shift = 1;
    }
    mode = lookup_mode(command);
    if (mode == XST_UNKNOWN) {
        xst_warnx(&c, "unknown mode %s\n", command);    /* sic: "\n\n" */
        return 1;
    }

    /* With "xenstore read ...", getopt sees "read" as its program name. */
    if (xst_getopt_init(&g, argc - shift, argv + shift,
                        mode == XST_WATCH ? "hfspurn:Rt:" : "hfspturn:R",
                        longopts, env->err) < 0) {
        xst_warn(&c, "malloc");
        return 1;
    }
    while ((opt = xst_getopt_next(&g)) != -1) {
        if (opt == '?')
            continue;       /* reported by the parser, then ignored */
        if (opt == 'h' || !option_fits(mode, opt)) {
            xst_getopt_free(&g);
            return usage(&c, mode, shift == 1, argv[0]);
        }
        switch (opt) {
        case 'f': c.o.flat = true; break;
        case 's': c.o.socket_only = true; break;
        case 'p': c.o.prefix = true; break;
        case 't':
            if (mode == XST_WATCH)
                c.o.timeout_s = atoi(g.optarg);
            else
                c.o.tidy = true;
            break;
        case 'u': c.o.upto = true; break;
        case 'r': c.o.recurse = true; break;
        case 'n': c.o.nr_watches = atoi(g.optarg); break;
        case 'R': c.o.raw = true; break;
        default: break;
        }
    }

    if ((mode == XST_WRITE && g.noperands % 2 == 1) ||
        (mode != XST_LS && g.noperands == 0)) {
        xst_getopt_free(&g);
        return usage(&c, mode, shift == 1, argv[0]);
    }

    ret = connect_and_run(&c, mode, g.operands, g.noperands);

    xst_getopt_free(&g);
    svxs_close(c.h);
    free(c.buf);
    fflush(env->out);
    return ret;
}
