/*
 * What a domain has of the Xen ABI beyond its vCPUs and memory: event
 * channels and shared_info (common/domain_events.c), the grant table
 * (common/domain_grants.c), memory_op (common/memory_op.c), and the two
 * things they need from the architecture: kicking a vCPU, and blocking one
 * until an event arrives.
 */
#ifndef SV_DOMAIN_XEN_H
#define SV_DOMAIN_XEN_H

#include <sv/p2m.h>
#include <sv/types.h>

struct domain;
struct vcpu;
struct e820_entry_raw;

int domain_events_init(struct domain *d);
void domain_events_destroy(struct domain *d);
/* A privileged domain (dom0, a test toolstack) may act on others. */
void domain_set_privileged(struct domain *d, bool privileged);
/* VIRQ_DOM_EXC to every privileged domain: d shut down or crashed. */
void domain_notify_exception(struct domain *d);
int domain_grants_init(struct domain *d);
/* A RAM frame left d's p2m: free it, unless a peer still maps it. */
void domain_release_ram_frame(struct domain *d, mfn_t mfn);
/* A RAM frame nobody has any more: to the allocator, or back to dom0's
 * pool if it is one of dom0's identity frames (never the allocator's). */
void ram_frame_free(mfn_t mfn);

/* The callback vector to inject while the vCPU's upcall is pending; 0: none. */
uint8_t vcpu_upcall_vector(const struct vcpu *v);
bool vcpu_upcall_pending(struct vcpu *v);
/* Something should end its SCHEDOP_block or SCHEDOP_poll: an upcall, its
 * timer, or (polling) a polled port or the poll's timeout. */
bool vcpu_should_wake(struct vcpu *v);
long do_sched_poll(struct vcpu *v, uint64_t arg);
void vcpu_poll_done(struct vcpu *v);

long do_vcpu_op(struct vcpu *v, const unsigned long *args);
/* Before each VM entry: pvclock refresh, expired single-shot timer -> VIRQ_TIMER. */
void vcpu_before_entry(struct vcpu *v);
bool vcpu_timer_expired(const struct vcpu *v);
void domain_set_wallclock(struct domain *d);
long do_event_channel_op(struct vcpu *v, const unsigned long *args);
long do_hvm_op(struct vcpu *v, const unsigned long *args);
long do_grant_table_op(struct vcpu *v, const unsigned long *args);
long do_memory_op(struct vcpu *v, const unsigned long *args);
/* What dom0 asks about the machine (arch/x86/platform_op.c). */
long do_platform_op(struct vcpu *v, const unsigned long *args);
long do_mca(struct vcpu *v, const unsigned long *args);
/* The control interface (include/splitvisor/ctl.h, common/control.c). */
long do_domctl(struct vcpu *v, const unsigned long *args);
long do_sysctl(struct vcpu *v, const unsigned long *args);

/* Frames a privileged domain maps from another (P2M_FOREIGN) stay
 * allocated until unmapped, whatever their owner does meanwhile. */
int foreign_frame_get(mfn_t mfn);
void foreign_frame_put(mfn_t mfn);
/* Its owner lets go of mfn: true if a foreign mapping keeps it (freed at
 * the last unmap), false if the caller frees it now. */
bool foreign_frame_keep(mfn_t mfn);
void foreign_frames_init(void);

/* Driver-domain permissions (common/domain_perms.c); kind is SV_PERM_* of
 * <splitvisor/ctl.h>, [first, last] inclusive. */
int domain_perms_change(struct domain *d, uint32_t kind, uint64_t first, uint64_t last, bool allow);
bool domain_ioport_allowed(const struct domain *d, unsigned int port, unsigned int size);
int domain_perms_nth(const struct domain *d, uint32_t index, uint32_t *kind, uint64_t *first,
                     uint64_t *last);
void domain_perms_free(struct domain *d);
long domain_memory_mapping(struct domain *d, gfn_t gfn, mfn_t mfn, uint64_t nr, bool add);
/* XENMEM_memory_map's answer for d (common/memory_op.c). */
int domain_set_memory_map(struct domain *d, const struct e820_entry_raw *map, unsigned int nr);

/* arch: make v notice a new upcall (an IPI if it runs on another CPU). */
void arch_kick_vcpu(struct vcpu *v);
/* SCHEDOP_block: v leaves its CPU at the next chance unless it already has
 * an upcall pending or an expired timer; an event or the timer wakes it. */
void arch_block_vcpu(struct vcpu *v);

#endif
