/*
 * Domains and vCPUs: what the generic code knows of a guest.  The CPU's
 * virtualization extension (SVM) sits behind struct arch_vcpu and the
 * vcpu_arch_*() calls, so nothing here says "vmcb".
 */
#ifndef SV_DOMAIN_H
#define SV_DOMAIN_H

#include <sv/guest_regs.h>
#include <sv/p2m.h>
#include <sv/sched_credit.h>
#include <sv/spinlock.h>
#include <sv/types.h>
#include <asm/vcpu.h>

#define MAX_DOMAINS         64
#define MAX_VCPUS_PER_DOM   8
#define DOMAIN_NAME_MAX     32
#define DOMAIN_GRANT_FRAMES 32          /* grant-table frames a domain may map */
#define NR_HYPERCALL_COUNTERS 64

struct evtchn_domain;
struct gnttab_domain;

typedef uint16_t domid_t;

/* XENMEM_memory_map's entries: the x86 e820 layout (20 bytes, packed). */
struct e820_entry_raw {
    uint64_t addr, size;
    uint32_t type;
} __attribute__((packed));
#define DOMAIN_MEMORY_MAP_MAX 32

enum paging_mode {
    PAGING_SHADOW,      /* the default: the hypervisor composes guest tables with the p2m */
    PAGING_HAP,         /* nested paging: the p2m is the nested page table */
};

/* Whether this machine and build can run a domain in that mode (arch). */
bool paging_mode_supported(enum paging_mode mode);

enum domain_state {
    DOMAIN_CREATED,     /* built, not yet running */
    DOMAIN_RUNNING,
    DOMAIN_SHUTDOWN,    /* the guest asked (poweroff/reboot/crash via sched_op) */
    DOMAIN_CRASHED,     /* the hypervisor stopped it for breaking the rules */
    DOMAIN_DEAD,        /* memory released */
};

/* Per-vCPU counters of what it cost: exits by reason and the rest. */
enum exit_reason_counter {
    EXIT_CNT_CR_READ, EXIT_CNT_CR_WRITE, EXIT_CNT_EXCEPTION, EXIT_CNT_PF,
    EXIT_CNT_INTR, EXIT_CNT_NMI, EXIT_CNT_VINTR, EXIT_CNT_CPUID, EXIT_CNT_HLT,
    EXIT_CNT_INVLPG, EXIT_CNT_IOIO, EXIT_CNT_MSR, EXIT_CNT_SHUTDOWN, EXIT_CNT_VMMCALL,
    EXIT_CNT_NPF, EXIT_CNT_RDTSC, EXIT_CNT_PAUSE, EXIT_CNT_XSETBV, EXIT_CNT_OTHER,
    NR_EXIT_COUNTERS
};

struct vcpu {
    unsigned int id;
    struct domain *domain;
    unsigned int cpu;                   /* physical CPU it runs on */
    struct guest_regs regs;
    struct arch_vcpu arch;
    uint64_t exits[NR_EXIT_COUNTERS];
    uint64_t hypercalls;
    bool hcall_continue;                /* hypercall_continue() was asked */
    unsigned long hcall_args[5];        /* ... with these arguments */
    uint64_t continuations;
    uint64_t soft_events_replayed;      /* INT3/INTn cut short by an exit: re-executed */
    uint8_t upcall_vector;              /* HVMOP_set_evtchn_upcall_vector; 0: the domain's */
    uint64_t upcalls_injected;
    struct vcpu_info *vcpu_info;        /* VCPUOP_register_vcpu_info; NULL: in shared_info */
    uint64_t vcpu_info_gfn;
    uint64_t time_updated_ns;           /* last pvclock write; 0: never */
    uint64_t timer_deadline_ns;         /* single-shot timer (system time); 0: none */
    uint64_t timer_fired;
    struct csched_unit sched_unit;
    volatile bool blocked;              /* off the CPUs until an event or its timer */
    bool block_requested;               /* SCHEDOP_block: leave the CPU at the next chance */
    bool started;                       /* has run once */
    bool up;                            /* VCPUOP_up / a context from the toolstack: should run */
    bool scheduled;                     /* in the scheduler now (d->lock) */
    volatile bool down_requested;       /* VCPUOP_down: leave the scheduler at the next exit */
    const uint32_t *poll_ports;         /* SCHEDOP_poll: the ports it waits on (NULL: none) */
    unsigned int nr_poll_ports;
    uint64_t poll_deadline_ns;          /* its timeout (system time); 0: none */
    uint32_t poll_buf[128];             /* the ports, copied in */
};

struct domain {
    domid_t id;
    char name[DOMAIN_NAME_MAX];
    enum paging_mode paging;
    unsigned int shadow_roots;          /* paging=shadow: address spaces each vCPU keeps */
    volatile enum domain_state state;
    unsigned int shutdown_reason;       /* SHUTDOWN_* from <xen/sched.h> */
    char crash_reason[96];
    struct p2m p2m;
    size_t tot_pages;                   /* RAM frames it owns */
    size_t max_pages;                   /* what it was built with */
    bool privileged;                    /* dom0: may act on other domains */
    bool paused;                        /* by the toolstack (SV_DOMCTL_pausedomain) */
    struct evtchn_domain *evtchn;
    struct gnttab_domain *gnttab;
    void *shared_info;                  /* the hypervisor's page, mapped by add_to_physmap */
    mfn_t shared_info_mfn;
    gfn_t shared_info_gfn;              /* INVALID_GFN until mapped */
    gfn_t grant_frame_gfn[DOMAIN_GRANT_FRAMES];
    uint8_t callback_vector;            /* HVM_PARAM_CALLBACK_IRQ (vector type); 0: none */
    uint64_t hvm_params[64];            /* HVM_NR_PARAMS of <xen/hvm/params.h> fit */
    uint64_t hypercall_counts[NR_HYPERCALL_COUNTERS];
    unsigned int sched_weight, sched_cap;   /* for vCPUs joining the scheduler */
    volatile unsigned int nr_polling;   /* vCPUs in SCHEDOP_poll */
    unsigned int nr_vcpus;
    struct vcpu *vcpus[MAX_VCPUS_PER_DOM];
    spinlock_t lock;
    char console_line[160];             /* guest console output until its newline */
    size_t console_len;
    uint64_t started_ns;
    domid_t start_after;                /* boot domain waiting for that one to end */
    uint64_t boot_affinity;             /* its cpu= option as a CPU mask; 0: any */
    bool boot_domain;                   /* started from a boot module: freed when it ends */
    bool is_dom0;                       /* identity RAM, CPU 0 with physical interrupts */
    bool destroy_requested;             /* SV_DOMCTL_destroydomain: free once off the CPUs */
    bool reaped;                        /* being freed (claimed once, under d->lock) */
    bool started_once;                  /* unpaused (or booted) at least once */
    unsigned int nr_scheduled;          /* vCPUs in the scheduler (d->lock) */
    struct e820_entry_raw *memory_map;  /* XENMEM_set_memory_map; NULL: none given */
    unsigned int nr_memory_map;
    struct domain_perms *perms;         /* I/O ports, I/O memory, IRQs it may use */
};

const char *exit_counter_name(enum exit_reason_counter c);
/* Every domain and its counters on the console (the 'd' debug key). */
void domain_dump_all(void);

struct domain *domain_create(domid_t id, const char *name, enum paging_mode paging);
/* Back [0, bytes) of guest-physical space with RAM.  -ENOMEM leaves what it got. */
int domain_populate_ram(struct domain *d, uint64_t bytes);
/* One new RAM frame at gfn (zeroed when asked); 0, -ENOMEM or a p2m error. */
int domain_add_ram_frame(struct domain *d, gfn_t gfn, bool zero);
/* A vCPU with its architecture state allocated but no context: down. */
struct vcpu *vcpu_create(struct domain *d, unsigned int cpu);
/*
 * Scheduling membership, under d->lock: a vCPU that is up and has a context
 * joins the scheduler when its domain runs and is not paused; it leaves
 * when it goes down or its domain stops.  The last to leave a stopped
 * domain decides its fate: a boot domain is freed, a toolstack's is kept
 * (shutdown reason and memory intact) until SV_DOMCTL_destroydomain.
 */
int domain_vcpu_up(struct vcpu *v);
void domain_vcpu_left(struct vcpu *v);
int domain_pause(struct domain *d, bool pause);
/* Stop it (if alive) and free it once its vCPUs are off their CPUs. */
void domain_request_destroy(struct domain *d, domid_t by);
/* Free the domain's memory and tables; it must not be running anywhere. */
void domain_destroy(struct domain *d);
struct domain *domain_by_id(domid_t id);

/*
 * A guest broke the rules: stop it, say why on the console, and let the
 * hypervisor and every other domain go on (docs/errors.md).
 */
void domain_crash(struct domain *d, const char *fmt, ...) __printf(2, 3);
void domain_shutdown(struct domain *d, unsigned int reason);
bool domain_is_alive(const struct domain *d);

/* Guest-physical memory access through the p2m; -EFAULT outside RAM. */
int guest_phys_write(struct domain *d, uint64_t gpa, const void *src, size_t len);
int guest_phys_read(struct domain *d, uint64_t gpa, void *dst, size_t len);
int guest_phys_zero(struct domain *d, uint64_t gpa, size_t len);

#endif
