/*
 * CONTROL <command>|<args>|... (privileged only).  The command set is
 * implementation specific (docs/misc/xenstore.txt); ours:
 *   check                    consistency check of the tree
 *   log on|off               request logging (like --verbose)
 *   print <text>             write text to the log
 *   quota                    list the quotas
 *   quota set <name> <n>     change one
 *   quota <domid>            what a domain uses
 *   save                     write the state file now
 *   help                     this list
 * Replies are text ending in a nul; unknown commands answer EINVAL, as in
 * Xen (xenstore-control prints "Command not supported").  There is no
 * "logfile": a request should not make the daemon open files by name
 * (use --log).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "domain.h"
#include "handlers.h"
#include "log.h"
#include "message.h"
#include "quota.h"
#include "tree.h"
#include "util.h"

static const struct {
    const char *name;
    const char *args;
} commands[] = {
    { "check", "" },
    { "log", "on|off" },
    { "print", "<text>" },
    { "quota", "[set <name> <value>|<domid>]" },
    { "save", "" },
    { "help", "" },
};

static void reply_text(struct xs_request *r, struct xs_buf *b)
{
    reply_data(r->c, r->hdr, b->data, b->len + 1);   /* with the nul */
}

static int ctl_help(struct xs_request *r)
{
    struct xs_buf b;
    xs_buf_init(&b);
    int err = 0;
    for (size_t i = 0; i < XS_ARRAY_SIZE(commands) && !err; i++)
        err = xs_buf_printf(&b, "%-8s %s\n", commands[i].name, commands[i].args);
    if (!err)
        reply_text(r, &b);
    xs_buf_free(&b);
    return err;
}

static int ctl_check(struct xs_request *r)
{
    char msg[256];
    unsigned problems = tree_check(&r->c->store->tree, msg, sizeof(msg));
    struct xs_buf b;
    xs_buf_init(&b);
    int err;
    if (problems) {
        xs_log(XS_LOG_ERR, "check: %u problem(s), first: %s", problems, msg);
        err = xs_buf_printf(&b, "%u problem(s); first: %s", problems, msg);
    } else {
        err = xs_buf_printf(&b, "OK");
    }
    if (!err)
        reply_text(r, &b);
    xs_buf_free(&b);
    return err;
}

static int ctl_quota(struct xs_request *r, const char **args, unsigned nargs)
{
    struct xs_store *st = r->c->store;
    struct xs_buf b;
    xs_buf_init(&b);
    int err = 0;
    unsigned long long v;

    if (nargs == 0) {
        for (size_t i = 0; i < quota_nitems && !err; i++)
            err = xs_buf_printf(&b, "%-18s %10u  %s\n", quota_items[i].name,
                                quota_get(&st->quota, &quota_items[i]), quota_items[i].what);
    } else if (strcmp(args[0], "set") == 0) {
        const struct quota_item *it = nargs == 3 ? quota_find(args[1]) : NULL;
        if (!it || !xs_parse_uint(args[2], UINT32_MAX, &v)) {
            err = EINVAL;
        } else {
            quota_put(&st->quota, it, (unsigned)v);
            st->changes++;
            err = xs_buf_printf(&b, "OK");
        }
    } else if (nargs == 1 && xs_parse_uint(args[0], 65535, &v)) {
        unsigned domid = (unsigned)v, watches = 0, txns = 0, conns = 0;
        for (struct xs_client *c = st->clients; c; c = c->next)
            if (c->domid == domid && !c->dead) {
                conns++;
                watches += c->nwatches;
                txns += c->ntxns;
            }
        err = xs_buf_printf(&b,
                            "domain %u%s\nnodes %u\nwatches %u\ntransactions %u\n"
                            "connections %u\n",
                            domid, domain_find(st, domid) ? " (introduced)" : "",
                            tree_owner_count(&st->tree, domid), watches, txns, conns);
    } else {
        err = EINVAL;
    }
    if (!err)
        reply_text(r, &b);
    xs_buf_free(&b);
    return err;
}

int do_control(struct xs_request *r)
{
    const char *vec[8];
    unsigned n = msg_split(r->data, r->len, vec, XS_ARRAY_SIZE(vec));
    if (n == 0)
        return EINVAL;
    if (n > XS_ARRAY_SIZE(vec))
        return E2BIG;
    const char *cmd = vec[0];
    const char **args = vec + 1;
    unsigned nargs = n - 1;
    struct xs_store *st = r->c->store;

    if (strcmp(cmd, "help") == 0)
        return ctl_help(r);
    if (strcmp(cmd, "check") == 0)
        return ctl_check(r);
    if (strcmp(cmd, "quota") == 0)
        return ctl_quota(r, args, nargs);
    if (strcmp(cmd, "log") == 0) {
        if (nargs != 1 || (strcmp(args[0], "on") && strcmp(args[0], "off")))
            return EINVAL;
        st->verbose = strcmp(args[0], "on") == 0;
        if (st->verbose && xs_log_get_level() < XS_LOG_DEBUG)
            xs_log_set_level(XS_LOG_DEBUG);
        reply_ok(r->c, r->hdr);
        return 0;
    }
    if (strcmp(cmd, "print") == 0) {
        if (nargs != 1)
            return EINVAL;
        xs_log(XS_LOG_INFO, "print: %s", args[0]);
        reply_ok(r->c, r->hdr);
        return 0;
    }
    if (strcmp(cmd, "save") == 0) {
        char msg[256] = "no state file configured (--state)";
        int err = st->hooks.save ? st->hooks.save(st->hooks.ctx, msg, sizeof(msg)) : ENOENT;
        if (err) {
            xs_log(XS_LOG_ERR, "CONTROL save: %s", msg);
            return err;
        }
        reply_ok(r->c, r->hdr);
        return 0;
    }
    return EINVAL;
}
