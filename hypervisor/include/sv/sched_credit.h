/*
 * Credit scheduler policy, after Xen's credit1 (xen/common/sched/credit.c).
 *
 * Pure policy: no clock, no timer, no IPI, no allocation.  The caller embeds
 * one struct csched_unit per vCPU and owns the struct csched; it passes the
 * time in (now_ns, from one clock that all CPUs agree on) and acts on what
 * the policy answers: which unit to run for how long, and which CPUs to
 * kick.  The names carry Xen's "csched_" prefix because "sched_yield" and
 * friends belong to POSIX and would collide in the host-built tests.
 *
 * Model.  Credit is CPU time in ns.  Every accounting period the active
 * units (runnable, or ran during the period) share period * (number of CPUs
 * their affinities cover) in proportion to their weights; no unit earns
 * more than one CPU or than its cap, and what they cannot take goes to the
 * others.  The running unit is debited by the time it actually ran.
 * Priority: BOOST (woken from blocked with credit left: preempts), UNDER
 * (credit >= 0), OVER (credit < 0).  A capped unit that used cap% of the
 * period is parked until the next period.  Each CPU has a run queue ordered
 * by priority, FIFO within one; a CPU whose best local choice is OVER or
 * nothing steals the best unit (UNDER before OVER) its peers queue, when
 * the peer has more units than it and the unit's hard affinity allows.
 *
 * Locking: one spinlock per struct csched.  Every function takes it itself
 * (interrupts off while held) and calls nothing outside this file, so none
 * may be called with it held, and each call is atomic with respect to the
 * others.  Decisions that concern other CPUs are left as "kicks": after a
 * call, csched_take_kicks() tells which CPUs must run csched_do_schedule()
 * soon (send them an IPI; for the calling CPU raise the schedule softirq).
 *
 * Driving it, on each managed CPU (CPU 0, dom0's, is normally not one):
 *  - schedule point: d = csched_do_schedule(); VMRUN d.unit's vCPU or HLT;
 *    arm the one-shot timer for MIN(d.next_ns, time to the next tick);
 *  - timer: csched_tick() when a tick is due, csched_do_schedule() when
 *    d.next_ns has passed or the CPU was kicked;
 *  - HLT exit: csched_block() first, then re-check the vCPU's pending
 *    events and csched_wake() if there is one (a wake that came before the
 *    block found nothing to wake), then csched_do_schedule();
 *  - event for a blocked vCPU: csched_wake() from any CPU, then the kicks.
 */
#ifndef SV_SCHED_CREDIT_H
#define SV_SCHED_CREDIT_H

#include <sv/spinlock.h>
#include <sv/types.h>

#define CSCHED_MAX_CPUS             64
#define CSCHED_WEIGHT_DEFAULT       256
#define CSCHED_WEIGHT_MIN           1
#define CSCHED_WEIGHT_MAX           65535
#define CSCHED_CAP_MAX              100         /* percent of one CPU; 0 = no cap */
#define CSCHED_TSLICE_DEFAULT_NS    30000000ull /* Xen credit1 defaults */
#define CSCHED_TICK_DEFAULT_NS      10000000ull
#define CSCHED_PERIOD_DEFAULT_NS    30000000ull
#define CSCHED_PERIOD_MAX_NS        10000000000ull  /* keeps period*CPUs*weight in 64 bits */
#define CSCHED_NO_DEADLINE          UINT64_MAX

enum csched_prio {          /* lower value runs first */
    CSCHED_PRIO_BOOST,
    CSCHED_PRIO_UNDER,
    CSCHED_PRIO_OVER,
    CSCHED_NR_PRIOS
};

struct csched_params {
    uint64_t tslice_ns;     /* longest run before a unit of equal priority gets its turn */
    uint64_t tick_ns;       /* how often the caller calls csched_tick() on a busy CPU */
    uint64_t period_ns;     /* credit accounting period */
};

struct csched_link {
    struct csched_link *prev, *next;
};

/* One per vCPU, embedded in it.  Only owner and cpu are for the caller to read. */
struct csched_unit {
    void *owner;
    unsigned int cpu;               /* CPU it is queued on, runs on, or last ran on */
    unsigned int last_cpu;          /* CPU it last ran on; CSCHED_MAX_CPUS before its first run */

    /* Private to sched_credit.c; read through csched_unit_get_stats(). */
    struct csched_link runq_link;   /* linked while on pcpu[cpu].runq */
    struct csched_link all_link;    /* linked while inserted */
    uint64_t affinity;
    unsigned int weight, cap;
    int64_t credit_ns;
    enum csched_prio prio;
    bool inserted, blocked, paused, parked, yielding, ran_in_period;
    uint64_t cap_used_ns;           /* run time charged against the cap this period */
    uint64_t acct_share_ns;         /* scratch for the accounting pass */
    bool acct_fixed;
    uint64_t runtime_ns, nr_runs, nr_migrations;
};

struct csched_pcpu {
    struct csched_link runq;
    unsigned int nr_queued;
    struct csched_unit *curr;       /* what this CPU was told to run; NULL = idle */
    uint64_t last_debit_ns;
    uint64_t slice_end_ns;
};

struct csched {
    spinlock_t lock;
    uint64_t cpus;                  /* managed CPUs */
    struct csched_params params;
    uint64_t next_acct_ns;
    bool acct_started;              /* next_acct_ns is set from the first time seen */
    uint64_t kicks;                 /* CPUs whose last decision is stale */
    unsigned int nr_parked;
    struct csched_link units;       /* every inserted unit */
    struct csched_pcpu pcpu[CSCHED_MAX_CPUS];
};

struct csched_decision {
    struct csched_unit *unit;       /* run this; NULL = idle (HLT) */
    uint64_t next_ns;               /* call csched_do_schedule() again after this long at the latest */
    bool migrated;                  /* unit last ran on another CPU (fresh VMCB state, TSC) */
};

struct csched_unit_stats {
    uint64_t runtime_ns, nr_runs, nr_migrations;
    int64_t credit_ns;
    enum csched_prio prio;
    unsigned int cpu, weight, cap;
    uint64_t affinity;
    bool running, queued, blocked, paused, parked;
};

/* params NULL = the defaults.  -EINVAL for no CPU, a zero time or a period over the max. */
int csched_init(struct csched *s, uint64_t cpu_mask, const struct csched_params *params);

/* Validates and resets u; it is not scheduled until csched_insert().
 * -EINVAL for a weight outside [1, 65535], a cap over 100, or an affinity
 * that is empty or names a CPU the scheduler does not manage. */
int csched_unit_init(struct csched *s, struct csched_unit *u, void *owner, unsigned int weight,
                     unsigned int cap, uint64_t affinity);

/* Place u on the least loaded CPU it may use; runnable unless blocked or paused
 * before.  -EBUSY if already inserted. */
int csched_insert(struct csched *s, struct csched_unit *u);
/* Forget u, queued or running; a CPU that ran it is kicked, and the caller
 * must not reuse u's vCPU before that CPU has left it.  -EINVAL if not inserted. */
int csched_remove(struct csched *s, struct csched_unit *u);

/* Blocked (HLT, SCHEDOP_block) and paused (sleep: domain pause, vCPU down)
 * are independent; a unit runs when neither holds.  Stopping a running unit
 * charges it up to now and kicks its CPU. */
void csched_block(struct csched *s, struct csched_unit *u, uint64_t now);
void csched_wake(struct csched *s, struct csched_unit *u, uint64_t now);
void csched_pause(struct csched *s, struct csched_unit *u, uint64_t now);
void csched_unpause(struct csched *s, struct csched_unit *u, uint64_t now);
/* The running unit steps behind its equals (and one lower unit) for one pick. */
void csched_yield(struct csched *s, struct csched_unit *u);

/* -EINVAL as csched_unit_init(), leaving the old value. */
int csched_set_weight(struct csched *s, struct csched_unit *u, unsigned int weight);
int csched_set_cap(struct csched *s, struct csched_unit *u, unsigned int cap);
int csched_set_affinity(struct csched *s, struct csched_unit *u, uint64_t affinity);

/* On cpu: what to run now.  Call it when next_ns has passed, when kicked,
 * and right after the running unit blocked, paused or yielded.  The CPU must
 * run exactly the returned unit until its next call. */
struct csched_decision csched_do_schedule(struct csched *s, unsigned int cpu, uint64_t now);
/* Every tick_ns on a CPU that runs a unit: debit, accounting, preemption. */
void csched_tick(struct csched *s, unsigned int cpu, uint64_t now);
/* The CPUs kicked since the last call, cleared. */
uint64_t csched_take_kicks(struct csched *s);

void csched_unit_get_stats(struct csched *s, const struct csched_unit *u,
                           struct csched_unit_stats *st);
const char *csched_prio_name(enum csched_prio prio);

#endif
