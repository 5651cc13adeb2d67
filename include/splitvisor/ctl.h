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
#include <xen/xen.h>
#include <xen/hvm/hvm_vcpu.h>

/* 2: domain building (create, memory, vCPU context, permissions).
 * 3: seed_grant (the console and xenstore grants of a domain being built). */
#define SV_CTL_INTERFACE_VERSION 0x00000003u
#define SV_CTL_INTERFACE_VERSION_NUMBER 3       /* the same, for the preprocessor's # */

/* ---- domctl: one domain (sv_domctl.domain) ----------------------------- */

#define SV_DOMCTL_getdomaininfo   1     /* OUT u.info */
#define SV_DOMCTL_pausedomain     2     /* its vCPUs stop being scheduled */
#define SV_DOMCTL_unpausedomain   3
#define SV_DOMCTL_destroydomain   4     /* stop it and free everything it has */
#define SV_DOMCTL_getvcpuinfo     5     /* IN u.vcpu.vcpu, OUT u.vcpu */
#define SV_DOMCTL_setvcpuaffinity 6     /* IN u.vcpu.vcpu, u.vcpu.affinity (CPU mask) */
#define SV_DOMCTL_getcounters     7     /* IN u.counters.vcpu, OUT u.counters */
/*
 * Building a domain, as a toolstack does: create it (paused, no memory,
 * its vCPUs down), set its maximum memory, populate it with
 * XENMEM_populate_physmap naming its domid, write its image through
 * XENMEM_add_to_physmap_batch (XENMAPSPACE_gmfn_foreign), give it a memory
 * map (XENMEM_set_memory_map) and HVM params (HVMOP_set_param naming its
 * domid), set vCPU 0's first state, then unpause it.
 */
#define SV_DOMCTL_createdomain    8     /* IN u.create and domain (0: the lowest free id); OUT domain */
#define SV_DOMCTL_max_mem         9     /* IN u.max_mem.max_pages */
#define SV_DOMCTL_setvcpucontext  10    /* IN u.vcpuctx: a vCPU's first state; it comes up */
#define SV_DOMCTL_setschedparams  11    /* IN u.sched (every vCPU of the domain) */
#define SV_DOMCTL_getschedparams  12    /* OUT u.sched (vCPU 0) */
/* Driver domains: what hardware it may touch. */
#define SV_DOMCTL_ioport_permission 13  /* IN u.ioport: its IN/OUT there reach the port */
#define SV_DOMCTL_iomem_permission  14  /* IN u.iomem: machine frames it may be given */
#define SV_DOMCTL_irq_permission    15  /* IN u.irq */
#define SV_DOMCTL_memory_mapping    16  /* IN u.mmio: put permitted machine frames in its p2m */
#define SV_DOMCTL_getpermissions    17  /* IN u.perms.index; OUT the index-th range it holds */
/* One of the domain's reserved grant entries (<xen/grant_table.h>:
 * GNTTAB_RESERVED_CONSOLE 0, GNTTAB_RESERVED_XENSTORE 1, up to 7) written
 * as the toolstack's, as Xen's builder seeds them: xenconsoled and
 * xenstored then map the rings by grant reference. */
#define SV_DOMCTL_seed_grant        18  /* IN u.grant */

/* sv_domaininfo.flags */
#define SV_DOMINF_running     (1u << 0)   /* alive (created or running) */
#define SV_DOMINF_shutdown    (1u << 1)   /* shut itself down: shutdown_reason */
#define SV_DOMINF_crashed     (1u << 2)   /* stopped by the hypervisor */
#define SV_DOMINF_paused      (1u << 3)
#define SV_DOMINF_blocked     (1u << 4)   /* every vCPU waits for an event */
#define SV_DOMINF_privileged  (1u << 5)
#define SV_DOMINF_hap         (1u << 6)   /* paging=hap (else shadow paging) */
#define SV_DOMINF_dying       (1u << 7)   /* destroy asked; freed once its vCPUs are off their CPUs */
#define SV_DOMINF_started     (1u << 8)   /* unpaused at least once since creation */

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

#define SV_NR_EXIT_COUNTERS  24     /* VM exits by reason; the names: SV_EXIT_NAMES */
/* The names of sv_counters.exits[0..nr_exits), in order (an initializer:
 * a static array here would be unused in most files that include this). */
#define SV_EXIT_NAMES { \
    "cr_read", "cr_write", "exception", "page_fault", "intr", "nmi", "vintr", "cpuid", \
    "hlt", "invlpg", "ioio", "msr", "shutdown", "vmmcall", "npf", "rdtsc", "pause", \
    "xsetbv", "other", }
#define SV_EXIT_PAGE_FAULT 3        /* #PF intercepts: shadow paging's faults (and the guest's) */
#define SV_NR_HCALL_COUNTERS 64     /* hypercalls by number */

struct sv_counters {
    uint32_t vcpu;                  /* IN: exits of this vCPU */
    uint32_t nr_exits;              /* OUT: how many of exits[] are meaningful */
    uint64_t exits[SV_NR_EXIT_COUNTERS];
    uint64_t hypercalls[SV_NR_HCALL_COUNTERS];  /* per domain */
    uint64_t upcalls;               /* of this vCPU */
};

/* sv_createdomain.flags */
#define SV_CREATE_hap   (1u << 0)   /* nested paging (else shadow paging) */

struct sv_createdomain {
    uint32_t flags;                 /* SV_CREATE_* */
    uint32_t max_vcpus;             /* 1..8 */
    uint32_t shadow_roots;          /* shadow paging: address spaces kept per vCPU (0: default) */
    uint32_t pad;
    char name[32];
};

struct sv_max_mem {
    uint64_t max_pages;             /* may not go below what it has */
};

struct sv_vcpucontext {
    uint32_t vcpu;
    uint32_t pad;
    struct vcpu_hvm_context ctx;    /* <xen/hvm/hvm_vcpu.h>, as VCPUOP_initialise takes it */
};

struct sv_schedparams {
    uint32_t weight;                /* 1..65535, default 256 */
    uint32_t cap;                   /* % of one CPU, 0: none */
};

struct sv_ioport_permission {
    uint32_t first_port, nr_ports;  /* [first, first+nr) within 0..65535 */
    uint8_t allow, pad[7];
};

struct sv_iomem_permission {
    uint64_t first_mfn, nr_mfns;
    uint8_t allow, pad[7];
};

struct sv_irq_permission {
    uint32_t irq;
    uint8_t allow, pad[3];
};

struct sv_memory_mapping {
    uint64_t first_gfn, first_mfn, nr_mfns;
    uint8_t add, pad[7];            /* 1: map (every frame must be permitted), 0: unmap */
};

#define SV_PERM_IOPORT 1
#define SV_PERM_IOMEM  2
#define SV_PERM_IRQ    3

struct sv_permissions {
    uint32_t index;                 /* IN: which range (0, 1, ...) */
    uint32_t kind;                  /* OUT: SV_PERM_*; -ENOENT past the last */
    uint64_t first, last;           /* OUT: inclusive */
};

struct sv_seed_grant {
    uint32_t ref;                   /* < GNTTAB_NR_RESERVED_ENTRIES */
    uint16_t grantee;               /* who may map it (a real domid) */
    uint8_t readonly, pad;
    uint64_t gfn;                   /* the domain's RAM frame */
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
        struct sv_createdomain create;
        struct sv_max_mem max_mem;
        struct sv_vcpucontext vcpuctx;
        struct sv_schedparams sched;
        struct sv_ioport_permission ioport;
        struct sv_iomem_permission iomem;
        struct sv_irq_permission irq;
        struct sv_memory_mapping mmio;
        struct sv_permissions perms;
        struct sv_seed_grant grant;
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
