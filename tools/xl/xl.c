/*
 * xl: the command table, --help, and what every command shares (xl.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"
#include <xen/sched.h>

static const struct xl_cmd commands[] = {
    { "create", main_create, "[-c] [-p] [-n] CFG [KEY=VALUE ...]",
      "create a domain from an xl.cfg file (-p paused, -c attach its console, -n dry run)" },
    { "list", main_list, "[-l] [DOMAIN ...]", "list domains (-l: as JSON)" },
    { "destroy", main_destroy, "DOMAIN", "stop a domain at once and free everything it has" },
    { "pause", main_pause, "DOMAIN", "stop scheduling a domain's vCPUs" },
    { "unpause", main_unpause, "DOMAIN", "schedule a paused domain again" },
    { "console", main_console, "DOMAIN", "attach to a domain's console (Ctrl-] detaches)" },
    { "info", main_info, "", "the host and the hypervisor" },
    { "dmesg", main_dmesg, "[-c]", "the hypervisor's log (-c: then mark it read)" },
    { "domid", main_domid, "NAME", "a domain's id" },
    { "domname", main_domname, "ID", "a domain's name" },
    { "uptime", main_uptime, "[DOMAIN ...]", "how long domains have been running" },
    { "vcpu-list", main_vcpu_list, "[DOMAIN ...]", "vCPUs: where they run, their time, affinity" },
    { "vcpu-pin", main_vcpu_pin, "DOMAIN VCPU|all CPUS|all",
      "set vCPUs' hard affinity (CPUS: N, N-M, comma-separated)" },
    { "block-attach", main_block_attach, "DOMAIN DISKSPEC",
      "attach a PV disk (DISKSPEC as in a disk = [...] entry: 'file:/img,xvdb,w')" },
    { "block-detach", main_block_detach, "DOMAIN VDEV|DEVID [-f]",
      "detach a PV disk (-f: at once, not waiting for its backend)" },
    { "block-list", main_block_list, "DOMAIN ...", "a domain's PV disks" },
    { "network-attach", main_network_attach, "DOMAIN [KEY=VALUE ...]",
      "attach a PV NIC (keys of a vif = [...] entry: bridge=, mac=, ip=, script=, vifname=)" },
    { "network-detach", main_network_detach, "DOMAIN DEVID|MAC", "detach a PV NIC" },
    { "network-list", main_network_list, "DOMAIN ...", "a domain's PV NICs" },
    { "top", main_top, "[-b] [-d SECONDS] [-n ITERATIONS]",
      "domains' CPU, memory, exits, hypercalls live, like xentop (-b batch, -d delay, -n frames)" },
    { "mem-set", main_mem_set, "DOMAIN MEM",
      "set the memory target its balloon driver follows (MEM: N[k|m|g], MiB by default)" },
    { "shutdown", main_shutdown, "[-w] [-F] DOMAIN",
      "ask a domain's kernel to power off (-w wait for it, -F fail if unanswered in 10 s)" },
    { "reboot", main_reboot, "[-w] [-F] DOMAIN",
      "ask a domain's kernel to reboot (-w wait for it, -F fail if unanswered in 10 s)" },
};
#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

bool xl_verbose;

static void say(const char *fmt, va_list ap)
{
    fputs("xl: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void xl_trace(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
}

void xl_state_letters(const struct sv_domaininfo *d, char s[7])
{
    bool stopped = d->flags & (SV_DOMINF_shutdown | SV_DOMINF_crashed | SV_DOMINF_dying);

    s[0] = (d->flags & SV_DOMINF_running) && !(d->flags & (SV_DOMINF_blocked | SV_DOMINF_paused)) &&
                   !stopped ? 'r' : '-';
    s[1] = d->flags & SV_DOMINF_blocked ? 'b' : '-';
    s[2] = d->flags & SV_DOMINF_paused ? 'p' : '-';
    s[3] = d->flags & SV_DOMINF_shutdown ? 's' : '-';
    s[4] = d->flags & SV_DOMINF_crashed ? 'c' : '-';
    s[5] = d->flags & SV_DOMINF_dying ? 'd' : '-';
    s[6] = '\0';
}

const char *xl_shutdown_reason_name(uint32_t reason)
{
    switch (reason) {
    case SHUTDOWN_poweroff: return "poweroff";
    case SHUTDOWN_reboot: return "reboot";
    case SHUTDOWN_suspend: return "suspend";
    case SHUTDOWN_crash: return "crash";
    case SHUTDOWN_watchdog: return "watchdog";
    case SHUTDOWN_soft_reset: return "soft_reset";
    default: return "unknown";
    }
}

int xl_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
    return 1;
}

static svctl *ctl_handle;
static struct xs_handle *xs_handle;
static bool xs_tried;

void xl_reopen_after_fork(void)
{
    /* libxencall's hypercall buffers are not inherited (MADV_DONTFORK),
     * and a xenstore connection must not be shared: new ones, lazily. */
    ctl_handle = NULL;
    if (xs_handle)
        xs_close(xs_handle);
    xs_handle = NULL;
    xs_tried = false;
}

svctl *xl_ctl(void)
{
    svctl **hp = &ctl_handle;
    char err[256];

    if (!*hp && !(*hp = svctl_open(err, sizeof(err)))) {
        xl_fail("%s", err);
        exit(1);
    }
    return *hp;
}

struct xs_handle *xl_xs(void)
{
    if (!xs_tried) {
        xs_tried = true;
        xs_handle = xs_open(0);
    }
    return xs_handle;
}

void xl_domain_name(domid_t dom, const struct sv_domaininfo *info, char *buf, size_t size)
{
    char path[64];
    unsigned int len;
    char *v = NULL;

    if (dom == 0) {
        snprintf(buf, size, "Domain-0");
        return;
    }
    snprintf(path, sizeof(path), "/local/domain/%u/name", dom);
    if (xl_xs())
        v = xs_read(xl_xs(), XBT_NULL, path, &len);
    if (v)
        snprintf(buf, size, "%s", v);
    else if (info)
        snprintf(buf, size, "%.*s", (int)sizeof(info->name), info->name);
    else
        snprintf(buf, size, "(domain %u)", dom);
    free(v);
}

int xl_domain_by_name(const char *name, domid_t *dom)
{
    struct sv_domaininfo list[256];
    int n = svctl_domain_list(xl_ctl(), 0, list, 256);

    if (n < 0)
        return n;
    for (int i = 0; i < n; i++) {
        char other[80];

        xl_domain_name(list[i].domid, &list[i], other, sizeof(other));
        if (!strcmp(other, name)) {
            *dom = list[i].domid;
            return 0;
        }
    }
    return -ESRCH;
}

int xl_find_domain(const char *arg, domid_t *dom)
{
    char *end;
    unsigned long id = strtoul(arg, &end, 10);
    int n;

    if (*arg && !*end) {
        struct sv_domaininfo info;
        int rc;

        if (id >= DOMID_FIRST_RESERVED || (rc = svctl_domain_info(xl_ctl(), (domid_t)id, &info)))
            return xl_fail("domain %s: %s", arg, id >= DOMID_FIRST_RESERVED ? "not a domain id"
                                                                          : svctl_strerror(rc)),
                   -1;
        *dom = (domid_t)id;
        return 0;
    }
    n = xl_domain_by_name(arg, dom);
    if (n == -ESRCH)
        return xl_fail("no domain named '%s'", arg), -1;
    if (n < 0)
        return xl_fail("cannot list domains: %s", svctl_strerror(n)), -1;
    return 0;
}

void xl_usage(const char *cmd, FILE *to)
{
    for (size_t i = 0; i < NR_COMMANDS; i++)
        if (!strcmp(commands[i].name, cmd)) {
            fprintf(to, "Usage: xl %s %s\n\n%s.\n", commands[i].name, commands[i].usage,
                    commands[i].help);
            return;
        }
}

bool xl_help_requested(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            xl_usage(argv[0], stdout);
            return true;
        }
    return false;
}

static void usage(FILE *to)
{
    fprintf(to, "Usage: xl [-v] COMMAND [ARGS]\n\nsplitvisor's xl (-v: say each step). Commands:\n");
    for (size_t i = 0; i < NR_COMMANDS; i++)
        fprintf(to, "  %-15s %s\n", commands[i].name, commands[i].help);
    fprintf(to, "\n'xl COMMAND --help' describes one.\n");
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "-v")) {
        xl_verbose = true;
        argc--;
        argv++;
    }
    if (argc < 2) {
        usage(stderr);
        return 1;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < NR_COMMANDS; i++)
        if (!strcmp(commands[i].name, argv[1]))
            return commands[i].fn(argc - 1, argv + 1) ? 1 : 0;
    return xl_fail("unknown command '%s' (xl --help lists them)", argv[1]);
}
