/*
 * Running vCPUs on the CPUs other than CPU 0: common/schedule.c drives the
 * credit policy (common/sched_credit.c) with the clock, the CPUs' loops,
 * blocking and waking.
 */
#ifndef SV_SCHEDULE_H
#define SV_SCHEDULE_H

#include <sv/types.h>

struct vcpu;

/* The CPUs the scheduler manages (bit n = CPU n); before any vCPU is added. */
void sched_init(uint64_t cpu_mask);
uint64_t sched_cpu_mask(void);
/* Make v runnable on the CPUs of affinity (0: any managed CPU). */
int sched_add_vcpu(struct vcpu *v, uint64_t affinity);
/* v has an event or an expired timer: runnable again if it was blocked. */
void sched_wake_vcpu(struct vcpu *v);
/* The toolstack's: pause and unpause (counted by the policy), pinning, stats. */
void sched_pause_vcpu(struct vcpu *v);
void sched_unpause_vcpu(struct vcpu *v);
int sched_set_affinity(struct vcpu *v, uint64_t affinity);
int sched_set_params(struct vcpu *v, unsigned int weight, unsigned int cap);
struct csched_unit_stats;
void sched_vcpu_stats(struct vcpu *v, struct csched_unit_stats *st);
/* SCHEDOP_yield: let the others of its priority run first. */
void sched_yield_vcpu(struct vcpu *v);
/* A managed CPU's life: pick, run, account, forever. */
__attribute__((noreturn)) void sched_cpu_loop(unsigned int cpu);
/* From the run loop after each exit: the policy's tick, when one is due. */
void sched_tick_if_due(void);

/* arch: tell cpu to reschedule soon (an IPI, or a flag for this CPU). */
void arch_resched_cpu(unsigned int cpu);

#endif
