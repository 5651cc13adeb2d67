/*
 * xl's commands that change a domain: destroy, pause, unpause, vcpu-pin.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../builder/xs_domain.h"
#include "xl.h"

static int one_domain(int argc, char **argv, domid_t *dom)
{
    if (argc != 2) {
        xl_usage(argv[0], stderr);
        return -1;
    }
    if (xl_find_domain(argv[1], dom))
        return -1;
    if (*dom == 0) {
        xl_fail("%s: not for Domain-0", argv[0]);
        return -1;
    }
    return 0;
}

int main_destroy(int argc, char **argv)
{
    domid_t dom;
    char err[256];

    if (xl_help_requested(argc, argv))
        return 0;
    if (one_domain(argc, argv, &dom))
        return 1;
    if (xl_destroy_domain(dom, err, sizeof(err)))
        return xl_fail("%s", err);
    return 0;
}

/* xl pause / unpause: argv[0] says which. */
static int pause_or_unpause(int argc, char **argv, bool pause)
{
    domid_t dom;
    int rc;

    if (xl_help_requested(argc, argv))
        return 0;
    if (one_domain(argc, argv, &dom))
        return 1;
    rc = pause ? svctl_domain_pause(xl_ctl(), dom) : svctl_domain_unpause(xl_ctl(), dom);
    if (rc)
        return xl_fail("%s domain %u: %s", argv[0], dom, svctl_strerror(rc));
    return 0;
}

int main_pause(int argc, char **argv) { return pause_or_unpause(argc, argv, true); }
int main_unpause(int argc, char **argv) { return pause_or_unpause(argc, argv, false); }

/* "all", "N", "N-M", comma-separated, into a mask; -1 if malformed. */
static int parse_cpus(const char *s, uint64_t *mask)
{
    *mask = 0;
    if (!strcmp(s, "all")) {
        *mask = ~0ull;
        return 0;
    }
    while (*s) {
        char *end;
        unsigned long a = strtoul(s, &end, 10), b = a;

        if (end == s || a > 63)
            return -1;
        if (*end == '-') {
            s = end + 1;
            b = strtoul(s, &end, 10);
            if (end == s || b > 63 || b < a)
                return -1;
        }
        for (unsigned long c = a; c <= b; c++)
            *mask |= 1ull << c;
        if (*end == ',')
            end++;
        else if (*end)
            return -1;
        s = end;
    }
    return *mask ? 0 : -1;
}

int main_vcpu_pin(int argc, char **argv)
{
    struct sv_domaininfo info;
    domid_t dom;
    uint64_t mask;
    int rc;

    if (xl_help_requested(argc, argv))
        return 0;
    if (argc != 4) {
        xl_usage("vcpu-pin", stderr);
        return 1;
    }
    if (xl_find_domain(argv[1], &dom))
        return 1;
    if (parse_cpus(argv[3], &mask))
        return xl_fail("vcpu-pin: bad CPU list '%s' (N, N-M, comma-separated, or all)", argv[3]);
    if ((rc = svctl_domain_info(xl_ctl(), dom, &info)))
        return xl_fail("domain %u: %s", dom, svctl_strerror(rc));
    uint32_t first = 0, last = info.nr_vcpus - 1;
    if (strcmp(argv[2], "all")) {
        char *end;
        unsigned long v = strtoul(argv[2], &end, 10);

        if (!*argv[2] || *end || v >= info.nr_vcpus)
            return xl_fail("vcpu-pin: domain %u has no vCPU '%s'", dom, argv[2]);
        first = last = (uint32_t)v;
    }
    for (uint32_t v = first; v <= last; v++)
        if ((rc = svctl_vcpu_affinity(xl_ctl(), dom, v, mask)))
            return xl_fail("vcpu-pin d%u v%u: %s", dom, v, svctl_strerror(rc));
    return 0;
}
