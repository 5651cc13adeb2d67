/*
 * The scheduler's mechanism: every managed CPU loops picking a vCPU from the
 * credit policy, running it until its slice ends, it blocks or its domain
 * stops, and telling the policy.  Blocking is SCHEDOP_block: the vCPU leaves
 * the CPU and an event (kick_vcpu) or its single-shot timer brings it back.
 * FPU/XSAVE state is saved when a vCPU leaves a CPU and restored when it
 * comes back, so vCPUs of different domains can share a CPU.
 */
#include <sv/boot_domains.h>
#include <sv/console_input.h>
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/machine.h>
#include <sv/printk.h>
#include <sv/sched_credit.h>
#include <sv/schedule.h>
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <asm/vcpu.h>

static struct csched sched;
static uint64_t managed;
static uint64_t last_timer_scan_ns;
static volatile bool ready;

void sched_init(uint64_t cpu_mask)
{
    managed = cpu_mask;
    if (csched_init(&sched, cpu_mask, NULL)) {
        printk(LOG_ERR "sched: cannot manage CPUs %#lx\n", (unsigned long)cpu_mask);
        return;
    }
    __atomic_store_n(&ready, true, __ATOMIC_RELEASE);
    for (unsigned int cpu = 0; cpu < 64; cpu++)
        if (cpu_mask & (1ull << cpu))
            arch_resched_cpu(cpu);
}

uint64_t sched_cpu_mask(void)
{
    return managed;
}

static void send_kicks(void)
{
    uint64_t kicks = csched_take_kicks(&sched);

    for (unsigned int cpu = 0; kicks; cpu++, kicks >>= 1)
        if (kicks & 1)
            arch_resched_cpu(cpu);
}

int sched_add_vcpu(struct vcpu *v, uint64_t affinity)
{
    int rc = 0;

    /* A vCPU that was down comes back with its weight, cap, affinity and
     * run time; only a new one is set up. */
    if (!v->sched_unit.owner)
        rc = csched_unit_init(&sched, &v->sched_unit, v, v->domain->sched_weight,
                              v->domain->sched_cap, affinity ? affinity : managed);
    if (!rc)
        rc = csched_insert(&sched, &v->sched_unit);
    send_kicks();
    return rc;
}

void sched_wake_vcpu(struct vcpu *v)
{
    if (!__atomic_exchange_n(&v->blocked, false, __ATOMIC_SEQ_CST))
        return;
    csched_wake(&sched, &v->sched_unit, now_ns());
    send_kicks();
}

void sched_yield_vcpu(struct vcpu *v)
{
    csched_yield(&sched, &v->sched_unit);
    arch_resched_cpu(v->cpu);
}

void sched_pause_vcpu(struct vcpu *v)
{
    csched_pause(&sched, &v->sched_unit, now_ns());
    send_kicks();
}

void sched_unpause_vcpu(struct vcpu *v)
{
    csched_unpause(&sched, &v->sched_unit, now_ns());
    send_kicks();
}

int sched_set_params(struct vcpu *v, unsigned int weight, unsigned int cap)
{
    int rc = csched_set_weight(&sched, &v->sched_unit, weight);

    if (!rc)
        rc = csched_set_cap(&sched, &v->sched_unit, cap);
    send_kicks();
    return rc;
}

int sched_set_affinity(struct vcpu *v, uint64_t affinity)
{
    int rc = csched_set_affinity(&sched, &v->sched_unit, affinity);

    send_kicks();
    return rc;
}

void sched_vcpu_stats(struct vcpu *v, struct csched_unit_stats *st)
{
    csched_unit_get_stats(&sched, &v->sched_unit, st);
}

/* Blocked vCPUs whose single-shot timer expired wake up (any CPU may scan;
 * at most once a millisecond). */
static void scan_timers(uint64_t now)
{
    uint64_t last = __atomic_load_n(&last_timer_scan_ns, __ATOMIC_RELAXED);

    if (now - last < 1000000 ||
        !__atomic_compare_exchange_n(&last_timer_scan_ns, &last, now, false, __ATOMIC_SEQ_CST,
                                     __ATOMIC_RELAXED))
        return;
    for (domid_t id = 0; id < MAX_DOMAINS; id++) {
        struct domain *d = domain_by_id(id);

        if (!d || !domain_is_alive(d))
            continue;
        for (unsigned int i = 0; i < d->nr_vcpus; i++) {
            struct vcpu *v = d->vcpus[i];

            if (v && v->blocked && vcpu_should_wake(v))
                sched_wake_vcpu(v);
        }
    }
}

void sched_tick_if_due(void)
{
    struct percpu *pc = this_cpu();
    uint64_t ticks = pc->timer_ticks;

    if (ticks == pc->sched_ticks_seen)
        return;
    pc->sched_ticks_seen = ticks;
    uint64_t now = now_ns();
    csched_tick(&sched, pc->cpu, now);
    send_kicks();
    scan_timers(now);
    console_input_poll();       /* CPU 0 is dom0's: the serial line is watched from here */
}

/*
 * v left its CPU by SCHEDOP_block: it stays off until an event.  Order
 * matters: the policy blocks the unit before 'blocked' says so, because a
 * waker that sees 'blocked' calls csched_wake, which does nothing to a unit
 * the policy has not blocked yet.  A waker that came before 'blocked' was
 * set only left the upcall pending, which the re-check after it finds
 * (both sides order their store before their load with a full barrier).
 */
static void block(struct vcpu *v)
{
    csched_block(&sched, &v->sched_unit, now_ns());
    __atomic_store_n(&v->blocked, true, __ATOMIC_SEQ_CST);
    if (vcpu_should_wake(v) || !domain_is_alive(v->domain) || v->down_requested)
        sched_wake_vcpu(v);
}

/* v leaves the scheduler: it went down, or its domain stopped. */
static void left(struct vcpu *v)
{
    csched_remove(&sched, &v->sched_unit);
    send_kicks();
    domain_vcpu_left(v);
}

void sched_cpu_loop(unsigned int cpu)
{
    struct percpu *pc = this_cpu();

    /* CPUs come online before the boot CPU has set the policy up. */
    while (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE) || !(managed & (1ull << cpu)))
        safe_halt();

    for (;;) {
        uint64_t now = now_ns();
        struct csched_decision dec = csched_do_schedule(&sched, cpu, now);

        send_kicks();
        if (!dec.unit) {
            /* Idle: halt until an interrupt (tick, kick, IPI); sti;hlt is
             * one step, so a reschedule asked for meanwhile is not lost. */
            cli();
            if (!pc->need_resched)
                safe_halt();
            sti();
            pc->need_resched = false;
            sched_tick_if_due();
            scan_timers(now_ns());
            continue;
        }
        struct vcpu *v = dec.unit->owner;
        uint64_t slice_end = dec.next_ns == CSCHED_NO_DEADLINE ? UINT64_MAX : now + dec.next_ns;

        if (!v->started) {
            v->started = true;
            boot_domain_running(v);
        }
        v->cpu = cpu;
        if (v->poll_ports)
            vcpu_poll_done(v);          /* woken: its SCHEDOP_poll is over */
        pc->current = v;
        vcpu_arch_load_fpu(v);
        enum vcpu_run_end end = vcpu_arch_run(v, slice_end);
        vcpu_arch_save_fpu(v);
        pc->current = NULL;
        switch (end) {
        case VCPU_RUN_DEAD:
        case VCPU_RUN_DOWN:
            left(v);
            break;
        case VCPU_RUN_BLOCK:
            block(v);
            break;
        case VCPU_RUN_PREEMPT:
            break;              /* the next csched_do_schedule accounts for it */
        }
    }
}
