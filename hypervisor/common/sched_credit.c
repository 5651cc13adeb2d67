/*
 * Credit scheduler policy, after Xen's credit1 (xen/common/sched/credit.c).
 * The model and the locking rules are in <sv/sched_credit.h>.
 *
 * Invariant: an inserted unit that is runnable (neither blocked, paused nor
 * parked) is either queued on pcpu[u->cpu].runq or is pcpu[u->cpu].curr,
 * never both.  A unit that stops being runnable while it is curr stays curr
 * until its CPU's next csched_do_schedule(), because that CPU really is
 * still running it until then; its CPU is kicked.
 */
#include <sv/errno.h>
#include <sv/sched_credit.h>
#include <sv/string.h>

#define CPU_BIT(c) (1ull << (c))

#define for_each_cpu(c, mask) \
    for (uint64_t m_ = (mask), c = 0; m_ && ((c = (unsigned int)__builtin_ctzll(m_)), 1); \
         m_ &= m_ - 1)

#define unit_of(l, member) \
    ((struct csched_unit *)((char *)(l) - offsetof(struct csched_unit, member)))

#define for_each_unit(s, u) \
    for (struct csched_link *l_ = (s)->units.next; \
         l_ != &(s)->units && ((u) = unit_of(l_, all_link), 1); l_ = l_->next)

/* ---- lists -------------------------------------------------------------- */

static void link_init(struct csched_link *l)
{
    l->prev = l->next = l;
}

/* An unlinked node points at itself, so "is it queued" needs no flag. */
static bool link_linked(const struct csched_link *l)
{
    return l->next != l;
}

static void link_insert_before(struct csched_link *pos, struct csched_link *n)
{
    n->prev = pos->prev;
    n->next = pos;
    pos->prev->next = n;
    pos->prev = n;
}

static void link_del(struct csched_link *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    link_init(n);
}

/* ---- small helpers ------------------------------------------------------ */

/* Not __builtin_popcountll: without -mpopcnt it calls libgcc, which the hypervisor does not link. */
static unsigned int nr_cpus_in(uint64_t mask)
{
    unsigned int n = 0;

    for (; mask; mask &= mask - 1)
        n++;
    return n;
}

static bool cpu_in(uint64_t mask, unsigned int cpu)
{
    return cpu < CSCHED_MAX_CPUS && (mask & CPU_BIT(cpu));
}

static bool wants_cpu(const struct csched_unit *u)
{
    return u->inserted && !u->blocked && !u->paused;
}

static bool runnable(const struct csched_unit *u)
{
    return wants_cpu(u) && !u->parked;
}

static bool is_curr(const struct csched *s, const struct csched_unit *u)
{
    return u->inserted && s->pcpu[u->cpu].curr == u;
}

static bool is_queued(const struct csched_unit *u)
{
    return link_linked(&u->runq_link);
}

static unsigned int cpu_load(const struct csched *s, unsigned int cpu)
{
    const struct csched_pcpu *pc = &s->pcpu[cpu];

    return pc->nr_queued + (pc->curr ? 1 : 0);
}

static struct csched_unit *runq_head(struct csched_pcpu *pc)
{
    return link_linked(&pc->runq) ? unit_of(pc->runq.next, runq_link) : NULL;
}

static void kick(struct csched *s, unsigned int cpu)
{
    s->kicks |= CPU_BIT(cpu);
}

static enum csched_prio credit_prio(const struct csched_unit *u)
{
    return u->credit_ns >= 0 ? CSCHED_PRIO_UNDER : CSCHED_PRIO_OVER;
}

static uint64_t cap_budget(const struct csched *s, const struct csched_unit *u)
{
    return s->params.period_ns * u->cap / 100;
}

static bool valid_affinity(const struct csched *s, uint64_t affinity)
{
    return affinity && !(affinity & ~s->cpus);
}

static bool valid_weight(unsigned int weight)
{
    return weight >= CSCHED_WEIGHT_MIN && weight <= CSCHED_WEIGHT_MAX;
}

/* ---- run queues --------------------------------------------------------- */

/*
 * Behind every unit of the same or better priority.  A yielding unit also
 * goes behind one worse unit if there is one: with only equals behind it a
 * yield would often change nothing (Xen's __runq_insert does the same).
 */
static void runq_insert(struct csched *s, struct csched_unit *u, bool yielding)
{
    struct csched_pcpu *pc = &s->pcpu[u->cpu];
    struct csched_link *pos = pc->runq.next;

    while (pos != &pc->runq && unit_of(pos, runq_link)->prio <= u->prio)
        pos = pos->next;
    if (yielding && pos != &pc->runq)
        pos = pos->next;
    link_insert_before(pos, &u->runq_link);
    pc->nr_queued++;
}

static void runq_remove(struct csched *s, struct csched_unit *u)
{
    link_del(&u->runq_link);
    s->pcpu[u->cpu].nr_queued--;
}

/* After accounting changed priorities: stable, so FIFO order within a priority survives. */
static void runq_sort(struct csched_pcpu *pc)
{
    struct csched_link bucket[CSCHED_NR_PRIOS];

    for (unsigned int p = 0; p < CSCHED_NR_PRIOS; p++)
        link_init(&bucket[p]);
    while (link_linked(&pc->runq)) {
        struct csched_link *n = pc->runq.next;

        link_del(n);
        link_insert_before(&bucket[unit_of(n, runq_link)->prio], n);
    }
    for (unsigned int p = 0; p < CSCHED_NR_PRIOS; p++) {
        while (link_linked(&bucket[p])) {
            struct csched_link *n = bucket[p].next;

            link_del(n);
            link_insert_before(&pc->runq, n);
        }
    }
}

/* Least loaded CPU the unit may use; its own CPU wins a tie, as it is warm. */
static unsigned int pick_cpu(const struct csched *s, const struct csched_unit *u)
{
    unsigned int best = CSCHED_MAX_CPUS, best_load = 0;

    for_each_cpu(c, u->affinity & s->cpus) {
        unsigned int load = cpu_load(s, c);

        if (best == CSCHED_MAX_CPUS || load < best_load || (load == best_load && c == u->cpu)) {
            best = c;
            best_load = load;
        }
    }
    return best;
}

static void move_to(struct csched_unit *u, unsigned int cpu)
{
    if (u->cpu != cpu) {
        u->cpu = cpu;
        u->nr_migrations++;
    }
}

/*
 * u was just queued: its CPU must decide again if u beats what it runs;
 * otherwise an idle CPU that may run u is told, so that it steals u now
 * rather than u waiting for a time slice to end.
 */
static void tickle(struct csched *s, const struct csched_unit *u)
{
    const struct csched_unit *curr = s->pcpu[u->cpu].curr;

    if (!curr || u->prio < curr->prio) {
        kick(s, u->cpu);
        return;
    }
    for_each_cpu(c, u->affinity & s->cpus & ~s->kicks) {
        if (!s->pcpu[c].curr && !s->pcpu[c].nr_queued) {
            kick(s, c);
            return;
        }
    }
}

static void enqueue(struct csched *s, struct csched_unit *u)
{
    runq_insert(s, u, false);
    tickle(s, u);
}

/* Call after clearing a reason not to run. */
static void make_runnable(struct csched *s, struct csched_unit *u)
{
    if (runnable(u) && !is_curr(s, u) && !is_queued(u))
        enqueue(s, u);
}

/* Call after setting a reason not to run. */
static void make_unrunnable(struct csched *s, struct csched_unit *u)
{
    if (is_queued(u))
        runq_remove(s, u);
    if (is_curr(s, u))
        kick(s, u->cpu);
}

static void park(struct csched *s, struct csched_unit *u)
{
    if (!u->parked) {
        u->parked = true;
        s->nr_parked++;
        make_unrunnable(s, u);
    }
}

static void unpark(struct csched *s, struct csched_unit *u)
{
    if (u->parked) {
        u->parked = false;
        s->nr_parked--;
        make_runnable(s, u);
    }
}

static bool cap_exhausted(const struct csched *s, const struct csched_unit *u)
{
    return u->cap && u->cap_used_ns >= cap_budget(s, u);
}

/* ---- credit ------------------------------------------------------------- */

/* Charge pc's running unit for the time since it was last charged. */
static void debit(struct csched *s, struct csched_pcpu *pc, uint64_t now)
{
    struct csched_unit *u = pc->curr;

    if (now > pc->last_debit_ns) {
        uint64_t ran = now - pc->last_debit_ns;

        u->credit_ns -= (int64_t)ran;
        u->runtime_ns += ran;
        u->cap_used_ns += ran;
        u->ran_in_period = true;
        pc->last_debit_ns = now;
    }
    if (cap_exhausted(s, u))
        park(s, u);
}

/*
 * Share out a period's credit by weight among the active units.  Units
 * whose share exceeds what they can use get their limit, and the rest is
 * shared again among the others ("water filling"), so a capped or lone
 * unit does not waste the CPU time others could use.  The credit comes
 * from the CPUs the active units may run on, so units pinned to one CPU of
 * many still share it by weight.
 */
static void share_credit(struct csched *s)
{
    struct csched_unit *u;
    uint64_t reach = 0, left;

    for_each_unit(s, u) {
        u->acct_fixed = !(wants_cpu(u) || u->ran_in_period);
        u->acct_share_ns = 0;
        if (!u->acct_fixed)
            reach |= u->affinity;
    }
    left = s->params.period_ns * nr_cpus_in(reach & s->cpus);

    for (;;) {
        uint64_t weights = 0;
        bool limited = false;

        for_each_unit(s, u)
            if (!u->acct_fixed)
                weights += u->weight;
        if (!weights)
            break;
        /* Fixing one unit only lowers the others' shares, so "limited" is never wrong. */
        for_each_unit(s, u) {
            /* The most one period can give u: one CPU, or its cap. */
            uint64_t limit = u->cap ? MIN(s->params.period_ns, cap_budget(s, u)) : s->params.period_ns;

            if (!u->acct_fixed && left * u->weight / weights >= limit) {
                u->acct_share_ns = limit;
                u->acct_fixed = true;
                left -= limit;
                limited = true;
            }
        }
        if (limited)
            continue;
        for_each_unit(s, u) {
            if (!u->acct_fixed) {
                u->acct_share_ns = left * u->weight / weights;
                u->acct_fixed = true;
            }
        }
        break;
    }
}

static void account(struct csched *s)
{
    const int64_t bound = (int64_t)s->params.period_ns;
    struct csched_unit *u;

    share_credit(s);
    for_each_unit(s, u) {
        u->credit_ns += (int64_t)u->acct_share_ns;
        /*
         * Bounds as in Xen: a unit that cannot spend its credit stops
         * hoarding it (halved, so it restarts a little ahead), and one
         * that overran far is not punished for ever.
         */
        if (u->credit_ns > bound)
            u->credit_ns /= 2;
        if (u->credit_ns < -bound)
            u->credit_ns = -bound;
        u->prio = credit_prio(u);
        u->ran_in_period = false;

        /* Carry an overrun (up to one budget) so that tick granularity does not lift the cap. */
        if (u->cap && u->cap_used_ns > cap_budget(s, u))
            u->cap_used_ns = MIN(u->cap_used_ns - cap_budget(s, u), cap_budget(s, u));
        else
            u->cap_used_ns = 0;
    }

    for_each_cpu(c, s->cpus)
        runq_sort(&s->pcpu[c]);
    for_each_unit(s, u)
        if (u->parked && !cap_exhausted(s, u))
            unpark(s, u);
    for_each_cpu(c, s->cpus) {
        struct csched_pcpu *pc = &s->pcpu[c];
        struct csched_unit *head = runq_head(pc);

        if (head && (!pc->curr || head->prio < pc->curr->prio))
            kick(s, c);
    }
}

/*
 * Periods are aligned to multiples of period_ns.  After a long idle
 * stretch the missed periods are not paid out: idle units must not come
 * back with a hoard.
 */
static void maybe_account(struct csched *s, uint64_t now)
{
    uint64_t period = s->params.period_ns;

    /* Not accounting at once: that would hand out a whole period's credit for no time. */
    if (!s->acct_started) {
        s->acct_started = true;
        s->next_acct_ns = (now / period + 1) * period;
        return;
    }
    if (now < s->next_acct_ns)
        return;
    account(s);
    s->next_acct_ns += ((now - s->next_acct_ns) / period + 1) * period;
}

/* ---- setup -------------------------------------------------------------- */

int csched_init(struct csched *s, uint64_t cpu_mask, const struct csched_params *params)
{
    const struct csched_params defaults = {
        .tslice_ns = CSCHED_TSLICE_DEFAULT_NS,
        .tick_ns = CSCHED_TICK_DEFAULT_NS,
        .period_ns = CSCHED_PERIOD_DEFAULT_NS,
    };
    const struct csched_params *p = params ? params : &defaults;

    if (!cpu_mask || !p->tslice_ns || !p->tick_ns || !p->period_ns ||
        p->period_ns > CSCHED_PERIOD_MAX_NS)
        return -EINVAL;

    memset(s, 0, sizeof(*s));
    spin_lock_init(&s->lock);
    s->cpus = cpu_mask;
    s->params = *p;
    link_init(&s->units);
    for (unsigned int c = 0; c < CSCHED_MAX_CPUS; c++)
        link_init(&s->pcpu[c].runq);
    return 0;
}

int csched_unit_init(struct csched *s, struct csched_unit *u, void *owner, unsigned int weight,
                     unsigned int cap, uint64_t affinity)
{
    if (!valid_weight(weight) || cap > CSCHED_CAP_MAX || !valid_affinity(s, affinity))
        return -EINVAL;

    memset(u, 0, sizeof(*u));
    u->owner = owner;
    u->cpu = (unsigned int)__builtin_ctzll(affinity);
    u->last_cpu = CSCHED_MAX_CPUS;
    link_init(&u->runq_link);
    link_init(&u->all_link);
    u->affinity = affinity;
    u->weight = weight;
    u->cap = cap;
    u->prio = CSCHED_PRIO_UNDER;
    return 0;
}

int csched_insert(struct csched *s, struct csched_unit *u)
{
    unsigned long flags;
    int rc = 0;

    spin_lock_irqsave(&s->lock, flags);
    if (u->inserted) {
        rc = -EBUSY;
    } else {
        /* A re-inserted unit starts afresh, as a new one would. */
        u->credit_ns = 0;
        u->prio = CSCHED_PRIO_UNDER;
        u->cap_used_ns = 0;
        u->yielding = false;
        u->cpu = pick_cpu(s, u);
        u->inserted = true;
        link_insert_before(&s->units, &u->all_link);
        make_runnable(s, u);
    }
    spin_unlock_irqrestore(&s->lock, flags);
    return rc;
}

int csched_remove(struct csched *s, struct csched_unit *u)
{
    unsigned long flags;
    int rc = 0;

    spin_lock_irqsave(&s->lock, flags);
    if (!u->inserted) {
        rc = -EINVAL;
    } else {
        if (is_queued(u))
            runq_remove(s, u);
        if (is_curr(s, u)) {
            s->pcpu[u->cpu].curr = NULL;
            kick(s, u->cpu);
        }
        if (u->parked) {
            u->parked = false;
            s->nr_parked--;
        }
        link_del(&u->all_link);
        u->inserted = false;
    }
    spin_unlock_irqrestore(&s->lock, flags);
    return rc;
}

/* ---- state changes ------------------------------------------------------ */

/*
 * Blocked and paused are two flags behind one path.  A running unit is
 * charged up to the moment it stopped, not up to its CPU's next decision.
 */
static void stop(struct csched *s, struct csched_unit *u, bool *why, uint64_t now)
{
    unsigned long flags;

    spin_lock_irqsave(&s->lock, flags);
    if (!*why) {
        if (is_curr(s, u) && wants_cpu(u))
            debit(s, &s->pcpu[u->cpu], now);
        *why = true;
        make_unrunnable(s, u);
    }
    spin_unlock_irqrestore(&s->lock, flags);
}

static void resume(struct csched *s, struct csched_unit *u, bool *why, uint64_t now)
{
    unsigned long flags;

    spin_lock_irqsave(&s->lock, flags);
    maybe_account(s, now);
    if (*why) {
        *why = false;
        /*
         * A unit that wakes with credit left sleeps more than it runs: it is
         * latency sensitive (I/O, interrupts), so let it preempt.  The boost
         * ends at its first tick or when it is descheduled.
         */
        if (why == &u->blocked && runnable(u) && !is_curr(s, u) && u->credit_ns >= 0)
            u->prio = CSCHED_PRIO_BOOST;
        make_runnable(s, u);
    }
    spin_unlock_irqrestore(&s->lock, flags);
}

void csched_block(struct csched *s, struct csched_unit *u, uint64_t now)
{
    stop(s, u, &u->blocked, now);
}

void csched_pause(struct csched *s, struct csched_unit *u, uint64_t now)
{
    stop(s, u, &u->paused, now);
}

void csched_wake(struct csched *s, struct csched_unit *u, uint64_t now)
{
    resume(s, u, &u->blocked, now);
}

void csched_unpause(struct csched *s, struct csched_unit *u, uint64_t now)
{
    resume(s, u, &u->paused, now);
}

void csched_yield(struct csched *s, struct csched_unit *u)
{
    unsigned long flags;

    spin_lock_irqsave(&s->lock, flags);
    if (is_curr(s, u) && runnable(u)) {
        u->yielding = true;
        kick(s, u->cpu);
    }
    spin_unlock_irqrestore(&s->lock, flags);
}

int csched_set_weight(struct csched *s, struct csched_unit *u, unsigned int weight)
{
    unsigned long flags;

    if (!valid_weight(weight))
        return -EINVAL;
    spin_lock_irqsave(&s->lock, flags);
    u->weight = weight;     /* takes effect at the next accounting */
    spin_unlock_irqrestore(&s->lock, flags);
    return 0;
}

int csched_set_cap(struct csched *s, struct csched_unit *u, unsigned int cap)
{
    unsigned long flags;

    if (cap > CSCHED_CAP_MAX)
        return -EINVAL;
    spin_lock_irqsave(&s->lock, flags);
    u->cap = cap;
    if (u->parked && !cap_exhausted(s, u))
        unpark(s, u);
    else if (u->inserted && cap_exhausted(s, u))
        park(s, u);
    /* Its CPU armed a deadline from the old cap. */
    if (is_curr(s, u))
        kick(s, u->cpu);
    spin_unlock_irqrestore(&s->lock, flags);
    return 0;
}

int csched_set_affinity(struct csched *s, struct csched_unit *u, uint64_t affinity)
{
    unsigned long flags;

    if (!valid_affinity(s, affinity))
        return -EINVAL;
    spin_lock_irqsave(&s->lock, flags);
    u->affinity = affinity;
    if (cpu_in(affinity, u->cpu)) {
        if (is_queued(u))
            tickle(s, u);       /* a wider mask may let an idle CPU take it */
    } else if (is_curr(s, u)) {
        kick(s, u->cpu);        /* its CPU's csched_do_schedule() moves it */
    } else {
        bool queued = is_queued(u);

        if (queued)
            runq_remove(s, u);
        move_to(u, pick_cpu(s, u));
        if (queued)
            enqueue(s, u);
    }
    spin_unlock_irqrestore(&s->lock, flags);
    return 0;
}

/* ---- decisions ---------------------------------------------------------- */

/*
 * The best unit that a peer queues, that may run on cpu and that beats
 * local_best (NULL = anything beats it).  Only from a peer with more units
 * than cpu, so that stealing never makes the imbalance worse; this still
 * lets units rotate between CPUs when they cannot be split evenly (7 on 3),
 * which is what makes such a mix fair.  Peers are scanned from cpu + 1 on,
 * so that idle CPUs do not all pick the same victim.
 */
static struct csched_unit *steal(struct csched *s, unsigned int cpu,
                                 const struct csched_unit *local_best)
{
    unsigned int my_load = cpu_load(s, cpu);
    struct csched_unit *best = NULL;

    for (unsigned int i = 1; i < CSCHED_MAX_CPUS; i++) {
        unsigned int peer = (cpu + i) % CSCHED_MAX_CPUS;
        struct csched_pcpu *pc = &s->pcpu[peer];

        if (!cpu_in(s->cpus, peer) || cpu_load(s, peer) <= my_load)
            continue;
        for (struct csched_link *l = pc->runq.next; l != &pc->runq; l = l->next) {
            struct csched_unit *u = unit_of(l, runq_link);

            if ((local_best && u->prio >= local_best->prio) || (best && u->prio >= best->prio))
                break;      /* the queue is sorted: nothing better behind */
            if (cpu_in(u->affinity, cpu)) {
                best = u;
                break;
            }
        }
    }
    if (best)
        runq_remove(s, best);
    return best;
}

static uint64_t run_limit(const struct csched *s, const struct csched_pcpu *pc,
                          const struct csched_unit *u, uint64_t now)
{
    uint64_t left = pc->slice_end_ns - now;

    /* End the run when the cap is used up, not at the next tick: a tick overshoots it. */
    if (u->cap)
        left = MIN(left, cap_budget(s, u) - u->cap_used_ns);
    return left;
}

/* Take pc's running unit off the CPU: requeue it if it may still run. */
static void put_prev(struct csched *s, unsigned int cpu, struct csched_unit *prev)
{
    s->pcpu[cpu].curr = NULL;
    if (runnable(prev)) {
        if (prev->prio == CSCHED_PRIO_BOOST)
            prev->prio = credit_prio(prev);
        if (cpu_in(prev->affinity, cpu)) {
            runq_insert(s, prev, prev->yielding);
        } else {
            move_to(prev, pick_cpu(s, prev));
            enqueue(s, prev);
        }
    }
    prev->yielding = false;
}

struct csched_decision csched_do_schedule(struct csched *s, unsigned int cpu, uint64_t now)
{
    struct csched_decision d = { .unit = NULL, .next_ns = CSCHED_NO_DEADLINE, .migrated = false };
    struct csched_pcpu *pc;
    struct csched_unit *prev, *next;
    unsigned long flags;

    if (!cpu_in(s->cpus, cpu))
        return d;

    spin_lock_irqsave(&s->lock, flags);
    maybe_account(s, now);
    pc = &s->pcpu[cpu];
    prev = pc->curr;

    if (prev) {
        if (wants_cpu(prev))
            debit(s, pc, now);      /* block and pause charged it when they happened */
        if (runnable(prev) && !prev->yielding && cpu_in(prev->affinity, cpu) &&
            now < pc->slice_end_ns) {
            struct csched_unit *head = runq_head(pc);

            /* Its slice is not over and nothing better waits: carry on. */
            if (!head || head->prio >= prev->prio) {
                d.unit = prev;
                d.next_ns = run_limit(s, pc, prev, now);
                goto out;
            }
        }
        put_prev(s, cpu, prev);
    }

    next = runq_head(pc);
    if (!next || next->prio == CSCHED_PRIO_OVER) {
        struct csched_unit *stolen = steal(s, cpu, next);

        if (stolen)
            next = stolen;
    }
    if (next) {
        if (is_queued(next))
            runq_remove(s, next);
        d.migrated = next->last_cpu != cpu && next->last_cpu != CSCHED_MAX_CPUS;
        next->last_cpu = cpu;
        move_to(next, cpu);
        pc->curr = next;
        pc->last_debit_ns = now;
        pc->slice_end_ns = now + s->params.tslice_ns;
        next->nr_runs++;
        d.unit = next;
        d.next_ns = run_limit(s, pc, next, now);
    } else if (s->nr_parked) {
        d.next_ns = s->next_acct_ns - now;  /* the accounting that unparks may find only idle CPUs */
    }
out:
    s->kicks &= ~CPU_BIT(cpu);    /* this decision saw everything the kicks were for */
    spin_unlock_irqrestore(&s->lock, flags);
    return d;
}

void csched_tick(struct csched *s, unsigned int cpu, uint64_t now)
{
    struct csched_pcpu *pc;
    struct csched_unit *u;
    unsigned long flags;

    if (!cpu_in(s->cpus, cpu))
        return;

    spin_lock_irqsave(&s->lock, flags);
    maybe_account(s, now);
    pc = &s->pcpu[cpu];
    u = pc->curr;
    if (u && wants_cpu(u)) {
        debit(s, pc, now);
        if (runnable(u)) {
            struct csched_unit *head = runq_head(pc);

            /* A unit that ran through a tick is using the CPU, not just waking: unboost it. */
            u->prio = credit_prio(u);
            if ((head && head->prio < u->prio) || now >= pc->slice_end_ns)
                kick(s, cpu);
        }
    }
    spin_unlock_irqrestore(&s->lock, flags);
}

uint64_t csched_take_kicks(struct csched *s)
{
    unsigned long flags;
    uint64_t kicks;

    spin_lock_irqsave(&s->lock, flags);
    kicks = s->kicks;
    s->kicks = 0;
    spin_unlock_irqrestore(&s->lock, flags);
    return kicks;
}

void csched_unit_get_stats(struct csched *s, const struct csched_unit *u,
                           struct csched_unit_stats *st)
{
    unsigned long flags;

    spin_lock_irqsave(&s->lock, flags);
    *st = (struct csched_unit_stats){
        .runtime_ns = u->runtime_ns, .nr_runs = u->nr_runs, .nr_migrations = u->nr_migrations,
        .credit_ns = u->credit_ns, .prio = u->prio, .cpu = u->cpu, .weight = u->weight,
        .cap = u->cap, .affinity = u->affinity, .running = is_curr(s, u), .queued = is_queued(u),
        .blocked = u->blocked, .paused = u->paused, .parked = u->parked,
    };
    spin_unlock_irqrestore(&s->lock, flags);
}

const char *csched_prio_name(enum csched_prio prio)
{
    static const char *const names[CSCHED_NR_PRIOS] = { "boost", "under", "over" };

    return (unsigned int)prio < CSCHED_NR_PRIOS ? names[prio] : "?";
}
