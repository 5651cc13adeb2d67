/*
 * xl's read-only commands: list, info, dmesg, domid, domname, uptime,
 * vcpu-list.  Layouts follow Xen's xl where it has one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "xl.h"
#include <xen/sched.h>

#define MAX_DOMAINS 256

/* The domains to show: all, or the ones named in argv[first..]. */
static int select_domains(int argc, char **argv, int first, struct sv_domaininfo *out)
{
    int n;

    if (first >= argc) {
        n = svctl_domain_list(xl_ctl(), 0, out, MAX_DOMAINS);
        if (n < 0)
            return xl_fail("cannot list domains: %s", svctl_strerror(n)), -1;
        return n;
    }
    n = 0;
    for (int i = first; i < argc && n < MAX_DOMAINS; i++) {
        domid_t dom;
        int rc;

        if (xl_find_domain(argv[i], &dom))
            return -1;
        if ((rc = svctl_domain_info(xl_ctl(), dom, &out[n])))
            return xl_fail("domain %s: %s", argv[i], svctl_strerror(rc)), -1;
        n++;
    }
    return n;
}

static void json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void list_json(const struct sv_domaininfo *d, int n)
{
    printf("[\n");
    for (int i = 0; i < n; i++) {
        char name[80];
        char st[7];

        xl_domain_name(d[i].domid, &d[i], name, sizeof(name));
        xl_state_letters(&d[i], st);
        printf("    {\n        \"domid\": %u,\n        \"name\": ", d[i].domid);
        json_string(name);
        printf(",\n        \"state\": \"%s\",\n        \"memory_kb\": %llu,\n"
               "        \"max_memory_kb\": %llu,\n        \"vcpus\": %u,\n"
               "        \"cpu_time_s\": %.3f,\n        \"paging\": \"%s\",\n"
               "        \"privileged\": %s,\n        \"shutdown_reason\": %s%s%s\n    }%s\n",
               st, (unsigned long long)d[i].tot_pages * 4, (unsigned long long)d[i].max_pages * 4,
               d[i].nr_vcpus, (double)d[i].cpu_time_ns / 1e9,
               d[i].flags & SV_DOMINF_hap ? "hap" : "shadow",
               d[i].flags & SV_DOMINF_privileged ? "true" : "false",
               d[i].flags & SV_DOMINF_shutdown ? "\"" : "",
               d[i].flags & SV_DOMINF_shutdown ? xl_shutdown_reason_name(d[i].shutdown_reason) : "null",
               d[i].flags & SV_DOMINF_shutdown ? "\"" : "", i + 1 < n ? "," : "");
    }
    printf("]\n");
}

int main_list(int argc, char **argv)
{
    static struct sv_domaininfo d[MAX_DOMAINS];
    bool json = false;
    int first = 1, n;

    if (xl_help_requested(argc, argv))
        return 0;
    if (argc > 1 && !strcmp(argv[1], "-l")) {
        json = true;
        first = 2;
    }
    if ((n = select_domains(argc, argv, first, d)) < 0)
        return 1;
    if (json) {
        list_json(d, n);
        return 0;
    }
    printf("%-40s %5s %5s %5s %10s %9s\n", "Name", "ID", "Mem", "VCPUs", "State", "Time(s)");
    for (int i = 0; i < n; i++) {
        char name[80], st[7];

        xl_domain_name(d[i].domid, &d[i], name, sizeof(name));
        xl_state_letters(&d[i], st);
        printf("%-40s %5u %5llu %5u     %s  %8.1f\n", name, d[i].domid,
               (unsigned long long)d[i].tot_pages / 256, d[i].nr_vcpus, st,
               (double)d[i].cpu_time_ns / 1e9);
    }
    return 0;
}

int main_info(int argc, char **argv)
{
    struct sv_physinfo pi;
    struct utsname u;
    char ver[64];
    int rc;

    if (xl_help_requested(argc, argv))
        return 0;
    if (argc > 1)
        return xl_fail("info takes no arguments");
    if ((rc = svctl_physinfo(xl_ctl(), &pi)))
        return xl_fail("physinfo: %s", svctl_strerror(rc));
    if ((rc = svctl_xen_version(xl_ctl(), ver, sizeof(ver))))
        return xl_fail("xen_version: %s", svctl_strerror(rc));
    uname(&u);
    int major = atoi(ver);
    const char *dot = strchr(ver, '.');
    int minor = dot ? atoi(dot + 1) : 0;
    const char *extra = dot ? dot + 1 : "";
    while (*extra >= '0' && *extra <= '9')
        extra++;
    printf("host                   : %s\n", u.nodename);
    printf("release                : %s\n", u.release);
    printf("version                : %s\n", u.version);
    printf("machine                : %s\n", u.machine);
    printf("nr_cpus                : %u\n", pi.nr_cpus);
    printf("cpu_mhz                : %u.%03u\n", pi.cpu_khz / 1000, pi.cpu_khz % 1000);
    printf("virt_caps              : hvm%s%s\n", pi.capabilities & SV_PHYSCAP_hap ? " hap" : "",
           pi.capabilities & SV_PHYSCAP_shadow ? " shadow" : "");
    printf("total_memory           : %llu\n", (unsigned long long)pi.total_pages / 256);
    printf("free_memory            : %llu\n", (unsigned long long)pi.free_pages / 256);
    printf("free_pages             : %llu\n", (unsigned long long)pi.free_pages);
    printf("sched_cpus             : %#llx\n", (unsigned long long)pi.sched_cpu_mask);
    printf("max_domains            : %u\n", pi.max_domains);
    printf("xen_major              : %d\n", major);
    printf("xen_minor              : %d\n", minor);
    printf("xen_extra              : %s\n", extra);
    printf("xen_version            : %s\n", ver);
    printf("xen_caps               : hvm-3.0-x86_64\n");
    printf("xen_scheduler          : credit\n");
    printf("xen_pagesize           : 4096\n");
    printf("control_interface      : %u\n", SV_CTL_INTERFACE_VERSION);
    return 0;
}

/* `xl dmesg -c` cannot clear the hypervisor's ring (it keeps it for its own
 * 'l' key); it remembers where the reader stopped, in dom0. */
#define DMESG_MARK "/run/splitvisor/dmesg-cursor"

int main_dmesg(int argc, char **argv)
{
    static char buf[65536];
    bool mark = false;
    uint64_t cursor = 0, lost = 0;
    FILE *f;
    int n;

    if (xl_help_requested(argc, argv))
        return 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-c"))
            return xl_fail("dmesg: unknown option '%s'", argv[i]);
        mark = true;
    }
    if ((f = fopen(DMESG_MARK, "r"))) {
        if (fscanf(f, "%llu", (unsigned long long *)&cursor) != 1)
            cursor = 0;
        fclose(f);
    }
    uint64_t start = cursor;
    while ((n = svctl_read_console(xl_ctl(), buf, sizeof(buf), &cursor, &lost)) > 0)
        fwrite(buf, 1, (size_t)n, stdout);
    if (n < 0)
        return xl_fail("readconsole: %s", svctl_strerror(n));
    if (lost && start)
        fprintf(stderr, "xl: %llu bytes of the log were lost before the mark\n",
                (unsigned long long)lost);
    if (mark) {
        mkdir("/run/splitvisor", 0755);
        if (!(f = fopen(DMESG_MARK, "w")))
            return xl_fail("cannot write %s: %s", DMESG_MARK, strerror(errno));
        fprintf(f, "%llu\n", (unsigned long long)cursor);
        fclose(f);
    }
    return 0;
}

int main_domid(int argc, char **argv)
{
    domid_t dom;

    if (xl_help_requested(argc, argv))
        return 0;
    if (argc != 2)
        return xl_fail("usage: xl domid NAME");
    if (xl_find_domain(argv[1], &dom))
        return 1;
    printf("%u\n", dom);
    return 0;
}

int main_domname(int argc, char **argv)
{
    struct sv_domaininfo info;
    char *end, name[80];
    unsigned long id;
    int rc;

    if (xl_help_requested(argc, argv))
        return 0;
    if (argc != 2)
        return xl_fail("usage: xl domname ID");
    id = strtoul(argv[1], &end, 10);
    if (!*argv[1] || *end || id >= DOMID_FIRST_RESERVED)
        return xl_fail("'%s' is not a domain id", argv[1]);
    if ((rc = svctl_domain_info(xl_ctl(), (domid_t)id, &info)))
        return xl_fail("domain %lu: %s", id, svctl_strerror(rc));
    xl_domain_name((domid_t)id, &info, name, sizeof(name));
    printf("%s\n", name);
    return 0;
}

/* Seconds since the domain started: dom0's from /proc/uptime, a domU's
 * from /vm/UUID/start_time; -1 when unknown. */
static long long uptime_of(domid_t dom)
{
    char path[96], *vm, *st;
    unsigned int len;
    long long t = -1;

    if (dom == 0) {
        FILE *f = fopen("/proc/uptime", "r");
        double up;

        if (f && fscanf(f, "%lf", &up) == 1)
            t = (long long)up;
        if (f)
            fclose(f);
        return t;
    }
    if (!xl_xs())
        return -1;
    snprintf(path, sizeof(path), "/local/domain/%u/vm", dom);
    if (!(vm = xs_read(xl_xs(), XBT_NULL, path, &len)))
        return -1;
    snprintf(path, sizeof(path), "%.80s/start_time", vm);
    free(vm);
    if ((st = xs_read(xl_xs(), XBT_NULL, path, &len))) {
        t = (long long)time(NULL) - atoll(st);
        free(st);
    }
    return t;
}

int main_uptime(int argc, char **argv)
{
    static struct sv_domaininfo d[MAX_DOMAINS];
    int n;

    if (xl_help_requested(argc, argv))
        return 0;
    if ((n = select_domains(argc, argv, 1, d)) < 0)
        return 1;
    printf("%-30s %5s %s\n", "Name", "ID", "Uptime");
    for (int i = 0; i < n; i++) {
        char name[80];
        long long s = uptime_of(d[i].domid);

        xl_domain_name(d[i].domid, &d[i], name, sizeof(name));
        if (s < 0)
            printf("%-30s %5u %s\n", name, d[i].domid, "?");
        else if (s >= 86400)
            printf("%-30s %5u %lld days, %lld:%02lld:%02lld\n", name, d[i].domid, s / 86400,
                   s / 3600 % 24, s / 60 % 60, s % 60);
        else
            printf("%-30s %5u %lld:%02lld:%02lld\n", name, d[i].domid, s / 3600, s / 60 % 60,
                   s % 60);
    }
    return 0;
}

static void cpumask_string(uint64_t m, char *buf, size_t size)
{
    size_t at = 0;

    if (m == ~0ull) {
        snprintf(buf, size, "all");
        return;
    }
    buf[0] = '\0';
    for (int c = 0; c < 64 && at < size; c++) {
        if (!(m >> c & 1))
            continue;
        int e = c;
        while (e + 1 < 64 && (m >> (e + 1) & 1))
            e++;
        at += (size_t)snprintf(buf + at, size - at, at ? ",%d" : "%d", c);
        if (e > c && at < size)
            at += (size_t)snprintf(buf + at, size - at, "-%d", e);
        c = e;
    }
    if (!m)
        snprintf(buf, size, "none");
}

int main_vcpu_list(int argc, char **argv)
{
    static struct sv_domaininfo d[MAX_DOMAINS];
    int n;

    if (xl_help_requested(argc, argv))
        return 0;
    if ((n = select_domains(argc, argv, 1, d)) < 0)
        return 1;
    printf("%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU", "State", "Time(s)",
           "Affinity (Hard / Soft)");
    for (int i = 0; i < n; i++) {
        char name[80];

        xl_domain_name(d[i].domid, &d[i], name, sizeof(name));
        for (uint32_t v = 0; v < d[i].nr_vcpus; v++) {
            struct sv_vcpuinfo vi;
            char hard[64];

            if (svctl_vcpu_info(xl_ctl(), d[i].domid, v, &vi))
                continue;
            cpumask_string(vi.affinity, hard, sizeof(hard));
            printf("%-32s %5u %5u %5u   %c%c%c %9.1f %s / all\n", name, d[i].domid, v, vi.cpu,
                   vi.running ? 'r' : '-', vi.blocked ? 'b' : '-', vi.paused ? 'p' : '-',
                   (double)vi.cpu_time_ns / 1e9, hard);
        }
    }
    return 0;
}
