/*
 * xl create: an xl.cfg file (tools/xlcfg.h) -> the PVH builder -> its
 * xenstore entries and introduction -> unpause; then a watcher process
 * that carries out on_poweroff/on_reboot/on_crash (xl_watch.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../builder/pvh_build.h"
#include "../builder/xs_devices.h"
#include "../builder/xs_domain.h"
#include "../xlcfg.h"
#include "xl.h"

#define HV_NAME_MAX 31                  /* sv_createdomain.name, less its NUL */

static void warn(void *arg, const char *msg)
{
    (void)arg;
    fprintf(stderr, "xl: warning: %s\n", msg);
}

int xl_build_domain(const struct xlcfg *cfg, bool paused, domid_t *domid, char *err, size_t errlen)
{
    struct xs_handle *xs = xl_xs();
    int rc;

    if (strlen(cfg->name) > HV_NAME_MAX) {
        snprintf(err, errlen, "name: '%s' is longer than %d characters (the hypervisor's limit)",
                 cfg->name, HV_NAME_MAX);
        return -1;
    }
    domid_t other;
    if (xl_domain_by_name(cfg->name, &other) == 0) {
        snprintf(err, errlen, "a domain named '%s' already exists", cfg->name);
        return -1;
    }
    if (!xs) {
        snprintf(err, errlen, "cannot reach xenstored: %s (is it running?)", strerror(errno));
        return -1;
    }
    const struct pvh_build_spec spec = {
        .name = cfg->name, .kernel = cfg->kernel, .ramdisk = cfg->ramdisk, .cmdline = cfg->cmdline,
        .memory_mib = cfg->memory_mib, .maxmem_mib = cfg->maxmem_mib,
        .vcpus = cfg->vcpus, .maxvcpus = cfg->maxvcpus, .hap = cfg->paging == XLCFG_PAGING_HAP,
        .trace = xl_verbose ? xl_trace : NULL,
    };
    struct pvh_build_result res;
    if (pvh_build(xl_ctl(), &spec, &res, err, errlen))
        return -1;
    if (xl_verbose)
        xl_trace("xenstore entries and introduction");
    if (xs_domain_create(xs, &spec, &res, err, errlen))
        goto fail;
    /* Its disks and NICs, for the backends in dom0 (docs/toolstack.md). */
    for (size_t i = 0; i < cfg->ndisks; i++)
        if (xs_device_disk_add(xs, res.domid, &cfg->disks[i], err, errlen))
            goto fail;
    for (size_t i = 0; i < cfg->nvifs; i++)
        if (xs_device_nic_add(xs, res.domid, (unsigned)i, &cfg->vifs[i], NULL, err, errlen))
            goto fail;
    if (!paused && (rc = svctl_domain_unpause(xl_ctl(), res.domid))) {
        snprintf(err, errlen, "cannot start domain %u: %s", res.domid, svctl_strerror(rc));
        xl_destroy_domain(res.domid, NULL, 0);
        return -1;
    }
    *domid = res.domid;
    return 0;
fail:
    xs_devices_destroy_all(xs, res.domid);
    xs_domain_remove(xs, res.domid);
    svctl_domain_destroy(xl_ctl(), res.domid);
    return -1;
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
    if (dry_run) {
        printf("name %s, kernel %s, memory %lu MiB, vcpus %u, paging %s, on_poweroff %s, "
               "on_reboot %s, on_crash %s\n", cfg.name, cfg.kernel, cfg.memory_mib, cfg.vcpus,
               xlcfg_paging_name(cfg.paging), xlcfg_action_name(cfg.on_poweroff),
               xlcfg_action_name(cfg.on_reboot), xlcfg_action_name(cfg.on_crash));
        xlcfg_free(&cfg);
        return 0;
    }
    domid_t dom;
    if (xl_build_domain(&cfg, paused, &dom, err, sizeof(err))) {
        xlcfg_free(&cfg);
        return xl_fail("%s", err);
    }
    fprintf(stderr, "Domain %u (%s) %s\n", dom, cfg.name, paused ? "created, paused" : "created");
    /* The watcher takes over the config; this process is done with it. */
    xl_start_watcher(&cfg, dom);
    xlcfg_free(&cfg);
    if (console) {
        char id[16];

        snprintf(id, sizeof(id), "%u", dom);
        fflush(NULL);
        execlp("xl", "xl", "console", id, (char *)NULL);
        return xl_fail("cannot run 'xl console %s': %s", id, strerror(errno));
    }
    return 0;
}
