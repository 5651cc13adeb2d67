/*
 * splitvisor's control interface: what the toolstack in a privileged
 * domain asks of the hypervisor (Xen's domctl/sysctl have the same role,
 * but not this layout).  Issued as hypercall __HYPERVISOR_domctl (36) or
 * __HYPERVISOR_sysctl (35) with one argument, a guest-virtual pointer to
 * struct sv_domctl or struct sv_sysctl, read in and written back.
 *
 * Every call carries SV_CTL_INTERFACE_VERSION; a caller built against
 * another version gets -EACCES (before anything else is looked at), a
 * domain that is not privileged -EPERM.  Results are 0 or a negative Xen
 * errno.  Fixed-width fields only, so 32- and 64-bit callers agree.
 */
#ifndef SPLITVISOR_CTL_H
#define SPLITVISOR_CTL_H

#include <stdint.h>

#define SV_CTL_INTERFACE_VERSION 0x00000001u

/* ---- domctl: one domain (sv_domctl.domain) ----------------------------- */

#define SV_DOMCTL_getdomaininfo   1     /* OUT u.info */
#define SV_DOMCTL_pausedomain     2     /* its vCPUs stop being scheduled */
#define SV_DOMCTL_unpausedomain   3
#define SV_DOMCTL_destroydomain   4     /* stop it and free everything it has */
#define SV_DOMCTL_getvcpuinfo     5     /* IN u.vcpu.vcpu, OUT u.vcpu */
#define SV_DOMCTL_setvcpuaffinity 6     /* IN u.vcpu.vcpu, u.vcpu.affinity (CPU mask) */
#define SV_DOMCTL_getcounters     7     /* IN u.counters.vcpu, OUT u.counters */

/* sv_domaininfo.flags */
#define SV_DOMINF_running     (1u << 0)   /* alive (created or running) */
#define SV_DOMINF_shutdown    (1u << 1)   /* shut itself down: shutdown_reason */
#define SV_DOMINF_crashed     (1u << 2)   /* stopped by the hypervisor */
#define SV_DOMINF_paused      (1u << 3)
#define SV_DOMINF_blocked     (1u << 4)   /* every vCPU waits for an event */
#define SV_DOMINF_privileged  (1u << 5)
#define SV_DOMINF_hap         (1u << 6)   /* paging=hap (else shadow paging) */

struct sv_domaininfo {
    uint16_t domid;
    uint16_t pad;
    uint32_t flags;                 /* SV_DOMINF_* */
    uint32_t shutdown_reason;       /* SHUTDOWN_* of <xen/sched.h>, with _shutdown/_crashed */
    uint32_t nr_vcpus;
    uint64_t tot_pages;             /* RAM frames it has */
    uint64_t max_pages;
    uint64_t cpu_time_ns;           /* run time of all its vCPUs */
    char name[32];
};

struct sv_vcpuinfo {
    uint32_t vcpu;                  /* IN */
    uint32_t cpu;                   /* where it runs or last ran */
    uint64_t affinity;              /* hard affinity, CPU mask */
    uint64_t cpu_time_ns;
    uint32_t weight, cap;
    uint8_t blocked, paused, running, pad[5];
};

#define SV_NR_EXIT_COUNTERS  24     /* VM exits by reason; the names: sv_exit_names */
#define SV_NR_HCALL_COUNTERS 64     /* hypercalls by number */

struct sv_counters {
    uint32_t vcpu;                  /* IN: exits of this vCPU */
    uint32_t nr_exits;              /* OUT: how many of exits[] are meaningful */
    uint64_t exits[SV_NR_EXIT_COUNTERS];
    uint64_t hypercalls[SV_NR_HCALL_COUNTERS];  /* per domain */
    uint64_t upcalls;               /* of this vCPU */
};

struct sv_domctl {
    uint32_t cmd;
    uint32_t interface_version;
    uint16_t domain;
    uint16_t pad[3];
    union {
        struct sv_domaininfo info;
        struct sv_vcpuinfo vcpu;
        struct sv_counters counters;
        uint8_t raw[768];
    } u;
};

/* ---- sysctl: the machine --------------------------------------------- */

#define SV_SYSCTL_physinfo          1   /* OUT u.physinfo */
#define SV_SYSCTL_getdomaininfolist 2   /* IN first_domain, max, buffer; OUT num */
#define SV_SYSCTL_readconsole       3   /* the hypervisor log, for `xl dmesg` */

#define SV_PHYSCAP_shadow (1u << 0)
#define SV_PHYSCAP_hap    (1u << 1)

struct sv_physinfo {
    uint32_t nr_cpus;               /* online */
    uint32_t cpu_khz;               /* TSC */
    uint64_t total_pages;
    uint64_t free_pages;
    uint32_t capabilities;          /* SV_PHYSCAP_* */
    uint32_t max_domains;
    uint64_t sched_cpu_mask;        /* CPUs the scheduler runs domains on */
};

struct sv_getdomaininfolist {
    uint16_t first_domain;          /* IN: lowest domid to report */
    uint16_t pad;
    uint32_t max;                   /* IN: room in buffer, in entries */
    uint64_t buffer;                /* IN: guest pointer to struct sv_domaininfo[max] */
    uint32_t num;                   /* OUT: entries written */
    uint32_t pad2;
};

struct sv_readconsole {
    uint64_t buffer;                /* IN: guest pointer */
    uint32_t count;                 /* IN: room; OUT: bytes written */
    uint32_t pad;
    uint64_t cursor;                /* IN/OUT: where the last read ended (0: the oldest kept) */
    uint64_t lost;                  /* OUT: bytes lost to wrap-around before cursor */
};

struct sv_sysctl {
    uint32_t cmd;
    uint32_t interface_version;
    union {
        struct sv_physinfo physinfo;
        struct sv_getdomaininfolist list;
        struct sv_readconsole console;
        uint8_t raw[128];
    } u;
};

#endif
