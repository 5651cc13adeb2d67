/*
 * The per-domain watcher that `xl create` leaves behind, as Xen's xl does:
 * a daemon that waits on @releaseDomain (fired by xenstored when a domain
 * shuts down, crashes or goes) and then carries out the config's
 * on_poweroff / on_reboot / on_crash: destroy, restart (rebuilt from the
 * same config, same name, a new id), or preserve (left as it is for
 * inspection until `xl destroy`).  It ends when the domain is gone or
 * preserved.  What it does goes to /var/log/splitvisor/xl-NAME.log.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../builder/xs_devices.h"
#include "../builder/xs_domain.h"
#include "../xlcfg.h"
#include "xl.h"
#include <xen/sched.h>

#define LOG_DIR        "/var/log/splitvisor"
#define RESTART_WINDOW 60               /* s: at most RESTART_MAX restarts in it */
#define RESTART_MAX    5

static void wlog(const char *fmt, ...)
{
    char when[32];
    time_t now = time(NULL);
    va_list ap;

    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&now));
    printf("%s ", when);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

int xl_destroy_domain(domid_t dom, char *err, size_t errlen)
{
    struct sv_domaininfo info;
    int rc = svctl_domain_destroy(xl_ctl(), dom);

    if (rc && rc != -ESRCH) {
        if (err)
            snprintf(err, errlen, "destroy domain %u: %s", dom, svctl_strerror(rc));
        return -1;
    }
    /* The hypervisor frees it once its vCPUs are off their CPUs. */
    for (int i = 0; i < 1000 && svctl_domain_info(xl_ctl(), dom, &info) == 0; i++)
        nanosleep(&(struct timespec){ 0, 10000000 }, NULL);
    if (svctl_domain_info(xl_ctl(), dom, &info) == 0) {
        if (err)
            snprintf(err, errlen, "domain %u is still there 10 s after destroy", dom);
        return -1;
    }
    if (xl_xs()) {
        xs_devices_destroy_all(xl_xs(), dom);   /* reads /libxl/N: first */
        xs_domain_remove(xl_xs(), dom);
    }
    return 0;
}

/* What the config says to do about how it stopped. */
static enum xlcfg_action action_for(const struct xlcfg *cfg, const struct sv_domaininfo *info)
{
    if (info->flags & SV_DOMINF_crashed)
        return cfg->on_crash;           /* stopped by the hypervisor */
    switch (info->shutdown_reason) {
    case SHUTDOWN_poweroff: return cfg->on_poweroff;
    case SHUTDOWN_reboot: return cfg->on_reboot;
    case SHUTDOWN_crash:
    case SHUTDOWN_watchdog: return cfg->on_crash;
    default: return XLCFG_ACTION_DESTROY;
    }
}

/* Wait for the domain to stop and act; 0 when this watcher is done. */
static int watch(struct xlcfg *cfg, domid_t dom)
{
    struct xs_handle *xs = xl_xs();
    time_t restarts[RESTART_MAX] = { 0 };
    unsigned nrestarts = 0;
    unsigned int n;

    if (!xs || !xs_watch(xs, "@releaseDomain", "release")) {
        wlog("cannot watch @releaseDomain: %s", strerror(errno));
        return 1;
    }
    wlog("watching domain %u (%s): on_poweroff=%s on_reboot=%s on_crash=%s", dom, cfg->name,
         xlcfg_action_name(cfg->on_poweroff), xlcfg_action_name(cfg->on_reboot),
         xlcfg_action_name(cfg->on_crash));
    for (;;) {
        struct sv_domaininfo info;
        char **ev = xs_read_watch(xs, &n);   /* the first fire comes at once */
        int rc;

        if (!ev) {
            wlog("lost xenstore: %s", strerror(errno));
            return 1;
        }
        free(ev);
        rc = svctl_domain_info(xl_ctl(), dom, &info);
        if (rc == -ESRCH) {
            wlog("domain %u is gone (destroyed)", dom);
            return 0;
        }
        if (rc || !(info.flags & (SV_DOMINF_shutdown | SV_DOMINF_crashed)) ||
            (info.flags & SV_DOMINF_dying))
            continue;
        enum xlcfg_action act = action_for(cfg, &info);
        wlog("domain %u (%s) %s (%s): action %s", dom, cfg->name,
             info.flags & SV_DOMINF_crashed ? "crashed" : "shut down",
             info.flags & SV_DOMINF_crashed ? "killed by the hypervisor" : xl_shutdown_reason_name(info.shutdown_reason),
             xlcfg_action_name(act));
        if (act == XLCFG_ACTION_PRESERVE) {
            wlog("domain %u preserved for inspection: 'xl destroy %u' frees it", dom, dom);
            return 0;
        }
        char err[512];
        if (xl_destroy_domain(dom, err, sizeof(err))) {
            wlog("%s", err);
            return 1;
        }
        if (act == XLCFG_ACTION_DESTROY) {
            wlog("domain %u destroyed", dom);
            return 0;
        }
        time_t now = time(NULL);
        if (nrestarts == RESTART_MAX && now - restarts[nrestarts % RESTART_MAX] < RESTART_WINDOW) {
            wlog("%s restarted %d times within %d s: not again", cfg->name, RESTART_MAX,
                 RESTART_WINDOW);
            return 1;
        }
        restarts[nrestarts % RESTART_MAX] = now;
        if (nrestarts < RESTART_MAX)
            nrestarts++;
        if (xl_build_domain(cfg, false, &dom, err, sizeof(err))) {
            wlog("restart of %s failed: %s", cfg->name, err);
            return 1;
        }
        wlog("%s restarted as domain %u", cfg->name, dom);
    }
}

void xl_start_watcher(struct xlcfg *cfg, domid_t dom)
{
    char path[128];
    pid_t pid;

    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "xl: warning: no watcher for domain %u (fork: %s): on_* actions will not "
                "run\n", dom, strerror(errno));
        return;
    }
    if (pid > 0)
        return;
    /* The watcher: its own session, its own log, no terminal. */
    xl_reopen_after_fork();
    setsid();
    if (fork() > 0)
        _exit(0);
    mkdir(LOG_DIR, 0755);
    snprintf(path, sizeof(path), LOG_DIR "/xl-%s.log", cfg->name);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(fd >= 0 ? fd : null, STDOUT_FILENO);
        dup2(fd >= 0 ? fd : null, STDERR_FILENO);
    }
    _exit(watch(cfg, dom));
}
