/*
 * Event channels, Xen's 2-level ABI (<xen/event_channel.h>, "2-level"
 * section of <xen/xen.h>): ports in the states unbound, interdomain, VIRQ
 * and IPI; pending and mask bits in the guest's shared_info, one selector
 * bit per 64-port word in the notified vCPU's vcpu_info, then
 * evtchn_upcall_pending and an upcall.
 *
 * Plain C with no hardware: the rest of the hypervisor is reached through
 * struct evtchn_ops, and the caller allocates each struct evtchn_domain
 * (about 70 KiB, most of it the port table), so the same file runs in the
 * hypervisor and in the host unit tests.
 *
 * Locking: one lock per domain, taken with interrupts off.  Operations on
 * two domains (bind_interdomain, close of an interdomain port) hold both.
 * Sending holds only the sender's lock: the peer cannot go away meanwhile
 * because closing either end needs both locks, and the bits written into
 * the peer are guest memory updated with atomics anyway.  kick_vcpu is
 * called with locks held (interrupts off) and must not call back into
 * evtchn_*(); domain_by_id is never called with an event-channel lock held.
 */
#ifndef SV_EVENT_CHANNEL_H
#define SV_EVENT_CHANNEL_H

#include <sv/spinlock.h>
#include <sv/types.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#define EVTCHN_MAX_PORTS  EVTCHN_2L_NR_CHANNELS   /* 64 words of 64 bits */
#define EVTCHN_MAX_VCPUS  64

struct evtchn_domain;

struct evtchn_ops {
    /*
     * The domain with that id, or NULL.  What it returns must stay valid
     * until the evtchn_* call that asked returns (the integrator frees a
     * domain only after evtchn_domain_destroy() and once no hypercall can
     * still hold it).  It should not return a domain being destroyed.
     * Used only to resolve domids named in hypercall arguments; closing
     * and destroying never depend on it.
     */
    struct evtchn_domain *(*domain_by_id)(void *ctx, domid_t id);
    /*
     * vcpu's evtchn_upcall_pending went 0 -> 1: make it notice (wake it if
     * halted, IPI its CPU if running).  The upcall itself is level-
     * triggered: at VM entry, inject the callback vector while
     * evtchn_upcall_pending is set and the guest can take it.
     */
    void (*kick_vcpu)(void *ctx, struct evtchn_domain *d, unsigned int vcpu);
    /*
     * Optional: port's pending bit went 0 -> 1, masked or not (SCHEDOP_poll
     * waits for exactly that).  Called with locks held, like kick_vcpu.
     */
    void (*port_raised)(void *ctx, struct evtchn_domain *d, evtchn_port_t port);
};

struct evtchn_domain_config {
    domid_t domid;                  /* < DOMID_FIRST_RESERVED */
    unsigned int nr_vcpus;          /* 1 .. EVTCHN_MAX_VCPUS */
    unsigned int max_ports;         /* 2 .. EVTCHN_MAX_PORTS; 0 means the maximum */
    bool privileged;                /* may act on other domains (dom0) */
    const struct evtchn_ops *ops;
    void *ctx;                      /* passed back to ops; e.g. the struct domain */
};

struct evtchn_stats {
    uint64_t sends;                 /* EVTCHNOP_send accepted from this domain */
    uint64_t virqs;                 /* evtchn_send_virq() that hit a bound port */
    uint64_t raised;                /* events raised in this domain (incl. already pending) */
    uint64_t upcalls;               /* evtchn_upcall_pending 0 -> 1, i.e. kicks */
};

/* Everything below is private to event_channel.c; it is here only so that
 * callers can allocate it. */
struct evtchn_port {
    struct evtchn_domain *remote;   /* interdomain: the peer domain */
    uint16_t remote_port;           /* interdomain: the peer's port */
    domid_t remote_domid;           /* unbound: who may bind; interdomain: peer */
    uint8_t state;                  /* ECS_* in event_channel.c */
    uint8_t vcpu;                   /* notified vCPU; read unlocked by senders */
    uint8_t virq;
    uint8_t early;                  /* raised while shared_info was not mapped */
};

struct evtchn_domain {
    domid_t domid;
    bool privileged;
    bool dying;
    unsigned int nr_vcpus;
    unsigned int max_ports;
    unsigned int ports_in_use;      /* excluding the reserved port 0 */
    unsigned int pins;              /* peers' closes in flight; destroy waits */
    const struct evtchn_ops *ops;
    void *ctx;
    spinlock_t lock;
    struct shared_info *shared_info;
    struct vcpu_info *vcpu_info[EVTCHN_MAX_VCPUS];      /* where delivery goes */
    struct vcpu_info *registered[EVTCHN_MAX_VCPUS];     /* VCPUOP_register_vcpu_info */
    uint16_t virq_to_port[EVTCHN_MAX_VCPUS][NR_VIRQS];  /* global VIRQs in [0] */
    struct evtchn_stats stats;
    struct evtchn_port ports[EVTCHN_MAX_PORTS];
};

/* -EINVAL for a bad config.  Port 0 is reserved, as in Xen. */
int evtchn_domain_init(struct evtchn_domain *d, const struct evtchn_domain_config *cfg);
/*
 * Close every port (interdomain peers see their ends unbound, waiting for
 * this domid again, as Xen does) and refuse new bindings.  Call it after
 * domain_by_id stopped returning d; afterwards d may be freed.
 */
void evtchn_domain_destroy(struct evtchn_domain *d);

/*
 * Where the guest sees its events.  Until shared_info is set, raised events
 * are remembered per port and delivered when it is.  vcpu_info of vCPU v
 * defaults to shared_info->vcpu_info[v] for v < XEN_LEGACY_MAX_VCPUS;
 * evtchn_set_vcpu_info() overrides it (NULL returns to the default).  The
 * caller copies the old vcpu_info content first, as Xen does; we then set
 * the selector bits of the words with pending unmasked ports for that vCPU.
 */
void evtchn_set_shared_info(struct evtchn_domain *d, struct shared_info *s);
int evtchn_set_vcpu_info(struct evtchn_domain *d, unsigned int vcpu, struct vcpu_info *vi);

/*
 * The hypercall side.  'cur' is the calling domain; DOMID_SELF is accepted
 * where the ABI allows it.  The argument was copied from the guest; OUT
 * fields are filled on success.  Return 0 or a negative Xen errno.
 */
int evtchn_alloc_unbound(struct evtchn_domain *cur, struct evtchn_alloc_unbound *a);
int evtchn_bind_interdomain(struct evtchn_domain *cur, struct evtchn_bind_interdomain *b);
int evtchn_bind_virq(struct evtchn_domain *cur, struct evtchn_bind_virq *b);
int evtchn_bind_ipi(struct evtchn_domain *cur, struct evtchn_bind_ipi *b);
int evtchn_close(struct evtchn_domain *cur, evtchn_port_t port);
int evtchn_send(struct evtchn_domain *cur, evtchn_port_t port);
int evtchn_status(struct evtchn_domain *cur, struct evtchn_status *st);
int evtchn_bind_vcpu(struct evtchn_domain *cur, const struct evtchn_bind_vcpu *b);
int evtchn_unmask(struct evtchn_domain *cur, evtchn_port_t port);
int evtchn_reset(struct evtchn_domain *cur, const struct evtchn_reset *r);

/*
 * HYPERVISOR_event_channel_op(cmd, arg): evtchn_op_size(cmd) bytes to copy
 * in (and back out on success), 0 for a command we do not implement
 * (pirq, FIFO ABI: answer -ENOSYS so Linux stays on the 2-level ABI).
 */
size_t evtchn_op_size(unsigned int cmd);
int evtchn_op(struct evtchn_domain *cur, unsigned int cmd, void *arg);

/*
 * Raise a VIRQ from the hypervisor.  Per-vCPU VIRQs (VIRQ_TIMER, ...) go to
 * the port bound on 'vcpu'; global ones (VIRQ_CONSOLE, VIRQ_DOM_EXC, ...)
 * ignore 'vcpu'.  -ENOENT when nothing is bound (the event is dropped, as
 * in Xen), -EINVAL for a bad virq or vcpu.  Safe from interrupt handlers.
 */
int evtchn_send_virq(struct evtchn_domain *d, unsigned int virq, unsigned int vcpu);

/* Whether vcpu has an upcall to take: evtchn_upcall_pending in its vcpu_info. */
bool evtchn_upcall_pending(struct evtchn_domain *d, unsigned int vcpu);
/* Whether port is pending in shared_info (false without it or out of range). */
bool evtchn_port_is_pending(struct evtchn_domain *d, evtchn_port_t port);
/* Whether port is allocated (bound or unbound), as Xen's port_is_valid()
 * sees the ports of its allocated buckets. */
bool evtchn_port_in_use(struct evtchn_domain *d, evtchn_port_t port);
void evtchn_get_stats(struct evtchn_domain *d, struct evtchn_stats *st);
unsigned int evtchn_ports_in_use(struct evtchn_domain *d);

#endif
