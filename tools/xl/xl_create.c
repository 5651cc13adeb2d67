/*
 * xl create: an xl.cfg file (tools/xlcfg.h) -> the PVH builder -> its
 * xenstore entries and introduction -> unpause.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../builder/pvh_build.h"
#include "../builder/xs_domain.h"
#include "../xlcfg.h"
#include "xl.h"

#define HV_NAME_MAX 31                  /* sv_createdomain.name, less its NUL */

static void warn(void *arg, const char *msg)
{
    (void)arg;
    fprintf(stderr, "xl: warning: %s\n", msg);
}

static bool name_taken(const char *name)
{
    domid_t dom;
    struct sv_domaininfo list[256];
    int n = svctl_domain_list(xl_ctl(), 0, list, 256);

    (void)dom;
    for (int i = 0; i < n; i++) {
        char other[80];

        xl_domain_name(list[i].domid, &list[i], other, sizeof(other));
        if (!strcmp(other, name))
            return true;
    }
    return false;
}

int main_create(int argc, char **argv)
{
    bool paused = false, console = false, dry_run = false;
    char err[512];
    int opt;

    while ((opt = getopt(argc, argv, "+cpnh")) != -1) {
        switch (opt) {
        case 'c': console = true; break;
        case 'p': paused = true; break;
        case 'n': dry_run = true; break;
        case 'h': xl_usage("create", stdout); return 0;
        default: xl_usage("create", stderr); return 1;
        }
    }
    if (optind >= argc) {
        xl_usage("create", stderr);
        return 1;
    }
    const char *path = argv[optind];
    struct xlcfg cfg;
    struct xlcfg_diag diag = { err, sizeof(err), warn, NULL };

    fprintf(stderr, "Parsing config from %s\n", path);
    if (xlcfg_load(&cfg, path, argv + optind + 1, (size_t)(argc - optind - 1), &diag))
        return xl_fail("%s", err);
    int rc = 1;
    if (strlen(cfg.name) > HV_NAME_MAX) {
        xl_fail("%s: name: '%s' is longer than %d characters (the hypervisor's limit)", path,
                cfg.name, HV_NAME_MAX);
        goto out;
    }
    if (dry_run) {
        printf("name %s, kernel %s, memory %llu MiB, vcpus %u, paging %s\n", cfg.name, cfg.kernel,
               (unsigned long long)cfg.memory_mib, cfg.vcpus, xlcfg_paging_name(cfg.paging));
        rc = 0;
        goto out;
    }
    if (name_taken(cfg.name)) {
        xl_fail("a domain named '%s' already exists", cfg.name);
        goto out;
    }
    struct xs_handle *xs = xl_xs();
    if (!xs) {
        xl_fail("cannot reach xenstored: %s (is it running?)", strerror(errno));
        goto out;
    }
    const struct pvh_build_spec spec = {
        .name = cfg.name, .kernel = cfg.kernel, .ramdisk = cfg.ramdisk, .cmdline = cfg.cmdline,
        .memory_mib = cfg.memory_mib, .maxmem_mib = cfg.maxmem_mib,
        .vcpus = cfg.vcpus, .maxvcpus = cfg.maxvcpus, .hap = cfg.paging == XLCFG_PAGING_HAP,
        .trace = xl_verbose ? xl_trace : NULL,
    };
    struct pvh_build_result res;
    if (pvh_build(xl_ctl(), &spec, &res, err, sizeof(err))) {
        xl_fail("%s", err);
        goto out;
    }
    if (xl_verbose)
        xl_trace("xenstore entries and introduction");
    if (xs_domain_create(xs, &spec, &res, err, sizeof(err))) {
        xl_fail("%s", err);
        xs_domain_remove(xs, res.domid);
        svctl_domain_destroy(xl_ctl(), res.domid);
        goto out;
    }
    if (!paused && (rc = svctl_domain_unpause(xl_ctl(), res.domid))) {
        xl_fail("cannot start domain %u: %s", res.domid, svctl_strerror(rc));
        rc = 1;
        goto out;
    }
    fprintf(stderr, "Domain %u (%s) %s\n", res.domid, cfg.name, paused ? "created, paused" : "created");
    rc = 0;
    if (console) {
        char id[16];

        snprintf(id, sizeof(id), "%u", res.domid);
        xlcfg_free(&cfg);
        execlp("xl", "xl", "console", id, (char *)NULL);
        return xl_fail("cannot run 'xl console %s': %s", id, strerror(errno));
    }
out:
    xlcfg_free(&cfg);
    return rc;
}
