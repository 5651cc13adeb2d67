/*
 * xl's requests to a running guest through xenstore, as Xen's xl makes
 * them to a guest with PV drivers: mem-set (memory/target, which the
 * guest's balloon driver follows), shutdown and reboot (control/shutdown,
 * which the guest watches: Linux's drivers/xen/manage.c acknowledges a
 * request it handles by writing "" there, then acts on it).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xl.h"
#include <xen/sched.h>              /* SHUTDOWN_* (after xl.h: it needs stdint.h) */

#define POLL_NS      100000000L         /* 100 ms */
#define WAIT_S       120                /* -w: how long the guest may take to stop */
#define ACK_S        10                 /* -F: how long it may take to acknowledge */

static void sleep_poll(void)
{
    nanosleep(&(struct timespec){ 0, POLL_NS }, NULL);
}

static struct xs_handle *xs_or_fail(const char *cmd)
{
    struct xs_handle *xs = xl_xs();

    if (!xs)
        xl_fail("%s: cannot reach xenstored: %s", cmd, strerror(errno));
    return xs;
}

/* ---- mem-set ---- */

/*
 * "256", "256m", "1g", "262144k", "1t" (case-insensitive; no suffix: MiB),
 * as Xen's xl parse_mem_size_kb: KiB, or -1.
 */
static long long parse_mem_kb(const char *s)
{
    char *end;
    long long v;
    int shift;

    if (!isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || (end[0] && end[1]))
        return -1;
    switch (tolower((unsigned char)*end)) {
    case 'k': shift = 0; break;
    case '\0':
    case 'm': shift = 10; break;
    case 'g': shift = 20; break;
    case 't': shift = 30; break;
    default: return -1;
    }
    if (v > (LLONG_MAX >> 30))
        return -1;
    return v << shift;
}

/* An unsigned number at path: 0, or -1 (absent or not a number). */
static int xs_read_ull(struct xs_handle *xs, const char *path, unsigned long long *out)
{
    unsigned int len;
    char *v = xs_read(xs, XBT_NULL, path, &len), *end;
    int rc = -1;

    if (v && *v) {
        errno = 0;
        *out = strtoull(v, &end, 10);
        rc = (*end || errno) ? -1 : 0;
    }
    free(v);
    return rc;
}

int main_mem_set(int argc, char **argv)
{
    struct sv_domaininfo info;
    unsigned long long max_kb, back;
    char path[96], val[32];
    struct xs_handle *xs;
    long long kb;
    domid_t dom;
    int rc;

    if (xl_help_requested(argc, argv))
        return 0;
    if (argc != 3)
        return xl_fail("usage: xl mem-set DOMAIN MEM (xl mem-set --help)");
    if ((kb = parse_mem_kb(argv[2])) < 0)
        return xl_fail("mem-set: invalid memory size '%s' (a number, then k, m (the default) or g)",
                       argv[2]);
    if (kb < 1024)
        return xl_fail("mem-set: %s is less than 1 MiB: the guest could not run", argv[2]);
    if (xl_find_domain(argv[1], &dom))
        return 1;
    if ((rc = svctl_domain_info(xl_ctl(), dom, &info)))
        return xl_fail("domain %u: %s", dom, svctl_strerror(rc));
    if (info.flags & (SV_DOMINF_shutdown | SV_DOMINF_crashed | SV_DOMINF_dying))
        return xl_fail("mem-set: domain %u is not running", dom);
    if (!(xs = xs_or_fail("mem-set")))
        return 1;
    /*
     * The ceiling: memory/static-max (maxmem=, what the builder gave the
     * hypervisor as max_mem); dom0 has none in xenstore (nothing writes it
     * yet), so the hypervisor's limit for it: what it booted with.
     */
    snprintf(path, sizeof(path), "/local/domain/%u/memory/static-max", dom);
    if (xs_read_ull(xs, path, &max_kb)) {
        if (dom != 0)
            return xl_fail("mem-set: cannot read %s (domain %u not made by xl?)", path, dom);
        max_kb = info.max_pages > ULLONG_MAX / 4 ? ULLONG_MAX : info.max_pages * 4;
    }
    if ((unsigned long long)kb > max_kb) {
        if (kb % 1024 || max_kb % 1024)
            return xl_fail("mem-set: %lld KiB is more than domain %u's maximum, %llu KiB (%s)",
                           kb, dom, max_kb, dom ? "memory/static-max" : "its boot memory");
        return xl_fail("mem-set: %lld MiB is more than domain %u's maximum, %llu MiB (%s)",
                       kb >> 10, dom, max_kb >> 10, dom ? "maxmem" : "its boot memory");
    }
    snprintf(path, sizeof(path), "/local/domain/%u/memory/target", dom);
    snprintf(val, sizeof(val), "%lld", kb);
    if (!xs_write(xs, XBT_NULL, path, val, (unsigned int)strlen(val)))
        return xl_fail("mem-set: cannot write %s: %s", path, strerror(errno));
    if (xs_read_ull(xs, path, &back) || back != (unsigned long long)kb)
        return xl_fail("mem-set: %s does not read back as %lld", path, kb);
    if (xl_verbose)
        xl_trace("domain %u: memory/target %lld KiB (has %llu KiB now)", dom, kb,
                 (unsigned long long)info.tot_pages * 4);
    return 0;
}

/* ---- shutdown, reboot ---- */

/* Where the domain is: 1 stopped (*info filled), 0 still running, -1 gone. */
static int domain_stopped(domid_t dom, struct sv_domaininfo *info)
{
    if (svctl_domain_info(xl_ctl(), dom, info))
        return -1;
    return (info->flags & (SV_DOMINF_shutdown | SV_DOMINF_crashed | SV_DOMINF_dying)) ? 1 : 0;
}

/*
 * -F: has the guest taken the request?  Linux writes "" over it (another
 * guest may remove the node); a guest that stopped meanwhile took it too.
 * 0 acknowledged, -1 after the message.
 */
static int wait_for_ack(struct xs_handle *xs, domid_t dom, const char *path)
{
    struct sv_domaininfo info;

    for (int i = 0; i <= ACK_S * 10; i++) {
        unsigned int len;
        char *v = xs_read(xs, XBT_NULL, path, &len);
        bool taken = !v || !*v;

        free(v);
        if (taken || domain_stopped(dom, &info))
            return 0;
        if (i < ACK_S * 10)
            sleep_poll();
    }
    return xl_fail("domain %u did not answer the shutdown request (its kernel has no PV control?)",
                   dom), -1;
}

/* -w: Xen's xl words, on stderr as its LOG() prints them. */
static int wait_for_stop(domid_t dom)
{
    struct sv_domaininfo info;

    fprintf(stderr, "Waiting for 1 domains\n");
    for (int i = 0; i <= WAIT_S * 10; i++) {
        int st = domain_stopped(dom, &info);

        if (st < 0 || (st > 0 && (info.flags & SV_DOMINF_dying) &&
                       !(info.flags & (SV_DOMINF_shutdown | SV_DOMINF_crashed)))) {
            fprintf(stderr, "Domain %u has been destroyed\n", dom);
            return 0;
        }
        if (st > 0) {
            fprintf(stderr, "Domain %u has been shut down, reason code %u\n", dom,
                    info.shutdown_reason);
            return 0;
        }
        if (i < WAIT_S * 10)
            sleep_poll();
    }
    return xl_fail("domain %u has not shut down %d s after the request", dom, WAIT_S);
}

static int shutdown_or_reboot(int argc, char **argv, bool reboot)
{
    const char *cmd = reboot ? "reboot" : "shutdown";
    const char *request = reboot ? "reboot" : "poweroff";     /* manage.c's commands */
    bool wait = false, fallback = false;
    struct sv_domaininfo info;
    struct xs_handle *xs;
    char path[96];
    domid_t dom;
    int opt, rc;

    if (xl_help_requested(argc, argv))
        return 0;
    opterr = 0;
    while ((opt = getopt(argc, argv, ":wF")) != -1) {
        switch (opt) {
        case 'w':
            wait = true;
            break;
        case 'F':
            fallback = true;
            break;
        default:
            return xl_fail("%s: unknown option '-%c' (xl %s --help)", cmd, optopt, cmd);
        }
    }
    if (argc - optind != 1)
        return xl_fail("usage: xl %s [-w] [-F] DOMAIN", cmd);
    if (xl_find_domain(argv[optind], &dom))
        return 1;
    if (dom == 0)
        return xl_fail("%s: not for Domain-0 (%s from its own shell)", cmd,
                       reboot ? "reboot it" : "shut it down");
    if ((rc = svctl_domain_info(xl_ctl(), dom, &info)))
        return xl_fail("domain %u: %s", dom, svctl_strerror(rc));
    if (info.flags & (SV_DOMINF_shutdown | SV_DOMINF_crashed))
        return xl_fail("%s: domain %u has already %s (%s); xl destroy removes it", cmd, dom,
                       info.flags & SV_DOMINF_crashed ? "crashed" : "shut down",
                       xl_shutdown_reason_name(info.shutdown_reason));
    if (info.flags & SV_DOMINF_dying)
        return xl_fail("%s: domain %u is being destroyed", cmd, dom);
    if (!(xs = xs_or_fail(cmd)))
        return 1;
    snprintf(path, sizeof(path), "/local/domain/%u", dom);
    {
        unsigned int n;
        char **dir = xs_directory(xs, XBT_NULL, path, &n);

        if (!dir)
            return xl_fail("%s: domain %u has no %s in xenstore (not made by xl?)", cmd, dom,
                           path);
        free(dir);
    }
    /* Xen's xl says this always; here only with -v, so that a failure
     * stays one line. */
    if (xl_verbose)
        xl_trace("%s domain %u", reboot ? "Rebooting" : "Shutting down", dom);
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", dom);
    if (!xs_write(xs, XBT_NULL, path, request, (unsigned int)strlen(request)))
        return xl_fail("%s: cannot write %s: %s", cmd, path, strerror(errno));
    if (fallback && wait_for_ack(xs, dom, path))
        return 1;
    return wait ? (wait_for_stop(dom) ? 1 : 0) : 0;
}

int main_shutdown(int argc, char **argv)
{
    return shutdown_or_reboot(argc, argv, false);
}

int main_reboot(int argc, char **argv)
{
    return shutdown_or_reboot(argc, argv, true);
}
