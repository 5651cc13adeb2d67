/*
 * Unit tests for hypervisor/common/sched_credit.c.
 *
 * A simulated machine advances time in 1 ms steps.  Each step it ticks every
 * CPU on a 10 ms grid, lets every CPU that was kicked or whose deadline
 * passed decide again (an IPI arrives within the step), checks that what
 * runs may run there, and charges each CPU's unit 1 ms by its own clock,
 * which is what the shares below are measured with.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <sv/sched_credit.h>

Suite *sched_credit_suite(void);

#define MS          1000000ull
#define MAX_UNITS   16
#define BIT(c)      (1ull << (c))

/*
 * For the per-step checks: a passing ck_assert records its location (a
 * write to Check's channel), which over 10^5 simulated steps costs seconds.
 */
#define require(cond, ...) do { if (!(cond)) ck_abort_msg(__VA_ARGS__); } while (0)

static struct {
    struct csched s;
    struct csched_unit u[MAX_UNITS];
    unsigned int nr;
    uint64_t now;
    uint64_t next_tick;
    uint64_t kicks;                         /* taken from the policy, not yet served */
    struct csched_unit *cur[CSCHED_MAX_CPUS];
    uint64_t deadline[CSCHED_MAX_CPUS];
    unsigned int switches[CSCHED_MAX_CPUS];
    uint64_t busy[CSCHED_MAX_CPUS];         /* ns each CPU ran a unit */
    uint64_t ran[MAX_UNITS];                /* ns each unit ran */
    uint64_t ran_on[MAX_UNITS];             /* CPUs each unit ran on */
    uint64_t measured;                      /* ns since counters were reset */
} sim;

static void sim_init(uint64_t cpus, const struct csched_params *p)
{
    memset(&sim, 0, sizeof(sim));
    ck_assert_int_eq(csched_init(&sim.s, cpus, p), 0);
    sim.now = 1000 * MS;        /* not 0: nothing may assume time starts there */
    sim.next_tick = sim.now;
}

static struct csched_unit *unit_new(unsigned int weight, unsigned int cap, uint64_t affinity)
{
    struct csched_unit *u = &sim.u[sim.nr];

    ck_assert_uint_lt(sim.nr, MAX_UNITS);
    ck_assert_int_eq(csched_unit_init(&sim.s, u, &sim.ran[sim.nr], weight, cap, affinity), 0);
    sim.nr++;
    return u;
}

static struct csched_unit *hog(unsigned int weight, unsigned int cap, uint64_t affinity)
{
    struct csched_unit *u = unit_new(weight, cap, affinity);

    ck_assert_int_eq(csched_insert(&sim.s, u), 0);
    return u;
}

static unsigned int idx(const struct csched_unit *u)
{
    return (unsigned int)(u - sim.u);
}

static struct csched_unit_stats stats(const struct csched_unit *u)
{
    struct csched_unit_stats st;

    csched_unit_get_stats(&sim.s, u, &st);
    return st;
}

static void decide(unsigned int cpu)
{
    struct csched_decision d = csched_do_schedule(&sim.s, cpu, sim.now);

    if (d.unit != sim.cur[cpu])
        sim.switches[cpu]++;
    sim.cur[cpu] = d.unit;
    sim.deadline[cpu] = d.next_ns == CSCHED_NO_DEADLINE ? UINT64_MAX : sim.now + d.next_ns;
    require(d.next_ns > 0, "CPU %u: zero deadline", cpu);
}

/* CPU 0 takes part so that the tests see the policy never hands it work it does not manage. */
static uint64_t sim_cpus(void)
{
    return sim.s.cpus | 1;
}

static void step(void)
{
    if (sim.now >= sim.next_tick) {
        for (unsigned int c = 0; c < CSCHED_MAX_CPUS; c++)
            if (sim_cpus() & BIT(c))
                csched_tick(&sim.s, c, sim.now);
        sim.next_tick += sim.s.params.tick_ns;
    }
    for (unsigned int c = 0; c < CSCHED_MAX_CPUS; c++)
        if ((sim_cpus() & BIT(c)) && sim.now >= sim.deadline[c])
            sim.kicks |= BIT(c);
    /* A decision may kick other CPUs (a migration); serve those in the same step. */
    for (unsigned int round = 0; round < 8; round++) {
        sim.kicks |= csched_take_kicks(&sim.s);
        if (!sim.kicks)
            break;
        for (unsigned int c = 0; c < CSCHED_MAX_CPUS; c++) {
            if (sim.kicks & BIT(c)) {
                sim.kicks &= ~BIT(c);
                if (sim_cpus() & BIT(c))
                    decide(c);
            }
        }
    }
    for (unsigned int c = 0; c < CSCHED_MAX_CPUS; c++) {
        struct csched_unit *u = sim.cur[c];

        if (!u)
            continue;
        struct csched_unit_stats st = stats(u);
        require(sim.s.cpus & BIT(c), "unit %u runs on unmanaged CPU %u", idx(u), c);
        require(st.affinity & BIT(c), "unit %u runs on CPU %u outside its affinity", idx(u), c);
        require(st.running && st.cpu == c && !st.queued, "unit %u state on CPU %u", idx(u), c);
        require(!st.blocked && !st.paused && !st.parked, "unit %u runs while stopped", idx(u));
        for (unsigned int o = c + 1; o < CSCHED_MAX_CPUS; o++)
            require(sim.cur[o] != u, "unit %u on CPUs %u and %u", idx(u), c, o);
        sim.ran[idx(u)] += MS;
        sim.ran_on[idx(u)] |= BIT(c);
        sim.busy[c] += MS;
    }
    sim.now += MS;
    sim.measured += MS;
}

static void run_ms(unsigned int ms)
{
    for (unsigned int i = 0; i < ms; i++)
        step();
}

static void reset_counts(void)
{
    memset(sim.ran, 0, sizeof(sim.ran));
    memset(sim.ran_on, 0, sizeof(sim.ran_on));
    memset(sim.busy, 0, sizeof(sim.busy));
    memset(sim.switches, 0, sizeof(sim.switches));
    sim.measured = 0;
}

static double share(const struct csched_unit *u)
{
    return (double)sim.ran[idx(u)] / (double)sim.measured;
}

static void assert_share(const struct csched_unit *u, double want, double tol)
{
    double got = share(u);

    ck_assert_msg(got >= want - tol && got <= want + tol, "unit %u: share %.3f, want %.3f +- %.3f",
                  idx(u), got, want, tol);
}

/* Drain the policy's kicks so that a test can see what one call asks for. */
static uint64_t kicks_now(void)
{
    uint64_t k = csched_take_kicks(&sim.s);

    sim.kicks |= k;
    return k;
}

/* ---- validation --------------------------------------------------------- */

START_TEST(test_init_rejects_bad_params)
{
    struct csched s;
    struct csched_params p = { 30 * MS, 10 * MS, 30 * MS };

    ck_assert_int_eq(csched_init(&s, 0, NULL), -EINVAL);
    p.tslice_ns = 0;
    ck_assert_int_eq(csched_init(&s, 0x6, &p), -EINVAL);
    p.tslice_ns = 30 * MS;
    p.period_ns = 0;
    ck_assert_int_eq(csched_init(&s, 0x6, &p), -EINVAL);
    p.period_ns = CSCHED_PERIOD_MAX_NS + 1;
    ck_assert_int_eq(csched_init(&s, 0x6, &p), -EINVAL);
    p.period_ns = 30 * MS;
    p.tick_ns = 0;
    ck_assert_int_eq(csched_init(&s, 0x6, &p), -EINVAL);

    ck_assert_int_eq(csched_init(&s, 0x6, NULL), 0);
    ck_assert_uint_eq(s.params.tslice_ns, CSCHED_TSLICE_DEFAULT_NS);
    ck_assert_uint_eq(s.params.tick_ns, CSCHED_TICK_DEFAULT_NS);
    ck_assert_uint_eq(s.params.period_ns, CSCHED_PERIOD_DEFAULT_NS);
}
END_TEST

START_TEST(test_unit_init_validates)
{
    struct csched_unit u;

    sim_init(0xe, NULL);    /* CPUs 1-3 */
    ck_assert_int_eq(csched_unit_init(&sim.s, &u, NULL, 0, 0, 0x2), -EINVAL);
    ck_assert_int_eq(csched_unit_init(&sim.s, &u, NULL, 65536, 0, 0x2), -EINVAL);
    ck_assert_int_eq(csched_unit_init(&sim.s, &u, NULL, 256, 101, 0x2), -EINVAL);
    ck_assert_int_eq(csched_unit_init(&sim.s, &u, NULL, 256, 0, 0), -EINVAL);
    ck_assert_int_eq(csched_unit_init(&sim.s, &u, NULL, 256, 0, 0x1), -EINVAL);    /* dom0's CPU */
    ck_assert_int_eq(csched_unit_init(&sim.s, &u, NULL, 256, 0, 0x12), -EINVAL);   /* CPU 4 */
    ck_assert_int_eq(csched_unit_init(&sim.s, &u, NULL, 1, 100, 0x8), 0);
    ck_assert_int_eq(csched_unit_init(&sim.s, &u, NULL, 65535, 0, 0xe), 0);
    ck_assert_ptr_null(u.owner);
}
END_TEST

START_TEST(test_setters_validate_and_keep_old_value)
{
    sim_init(0x6, NULL);
    struct csched_unit *u = hog(300, 40, 0x6);

    ck_assert_int_eq(csched_set_weight(&sim.s, u, 0), -EINVAL);
    ck_assert_int_eq(csched_set_weight(&sim.s, u, 70000), -EINVAL);
    ck_assert_int_eq(csched_set_cap(&sim.s, u, 150), -EINVAL);
    ck_assert_int_eq(csched_set_affinity(&sim.s, u, 0), -EINVAL);
    ck_assert_int_eq(csched_set_affinity(&sim.s, u, 0x7), -EINVAL);
    ck_assert_int_eq(csched_set_affinity(&sim.s, u, BIT(63)), -EINVAL);
    struct csched_unit_stats st = stats(u);
    ck_assert_uint_eq(st.weight, 300);
    ck_assert_uint_eq(st.cap, 40);
    ck_assert_uint_eq(st.affinity, 0x6);

    ck_assert_int_eq(csched_set_weight(&sim.s, u, 1), 0);
    ck_assert_int_eq(csched_set_cap(&sim.s, u, 0), 0);
    ck_assert_int_eq(csched_set_affinity(&sim.s, u, 0x4), 0);
    st = stats(u);
    ck_assert_uint_eq(st.weight, 1);
    ck_assert_uint_eq(st.cap, 0);
    ck_assert_uint_eq(st.cpu, 2);
}
END_TEST

START_TEST(test_insert_remove_errors)
{
    sim_init(0x2, NULL);
    struct csched_unit *u = hog(256, 0, 0x2);

    ck_assert_int_eq(csched_insert(&sim.s, u), -EBUSY);
    ck_assert_int_eq(csched_remove(&sim.s, u), 0);
    ck_assert_int_eq(csched_remove(&sim.s, u), -EINVAL);
    ck_assert_int_eq(csched_insert(&sim.s, u), 0);
    run_ms(5);
    ck_assert_ptr_eq(sim.cur[1], u);
}
END_TEST

/* ---- proportional share ------------------------------------------------- */

START_TEST(test_lone_hog_gets_whole_cpu)
{
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(256, 0, 0x2);

    run_ms(2000);
    assert_share(a, 1.0, 0.0);
    struct csched_unit_stats st = stats(a);
    /* The policy's own charge lags the test's by at most one tick. */
    ck_assert_uint_le(st.runtime_ns, sim.ran[0]);
    ck_assert_uint_ge(st.runtime_ns + sim.s.params.tick_ns, sim.ran[0]);
    ck_assert_uint_ge(st.nr_runs, 1);
    ck_assert_uint_eq(st.nr_migrations, 0);
}
END_TEST

START_TEST(test_weights_512_256_share_2_to_1)
{
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(512, 0, 0x2);
    struct csched_unit *b = hog(256, 0, 0x2);

    run_ms(10000);
    double ratio = (double)sim.ran[idx(a)] / (double)sim.ran[idx(b)];
    ck_assert_msg(ratio > 1.9 && ratio < 2.1, "ratio %.3f, want 2 +- 5%%", ratio);
    ck_assert_uint_eq(sim.busy[1], sim.measured);
}
END_TEST

START_TEST(test_weights_pinned_on_one_of_three_cpus)
{
    /* The credit of idle CPUs must not blur the ratio of units pinned to one CPU. */
    sim_init(0xe, NULL);
    struct csched_unit *a = hog(512, 0, 0x4);
    struct csched_unit *b = hog(256, 0, 0x4);

    run_ms(10000);
    double ratio = (double)sim.ran[idx(a)] / (double)sim.ran[idx(b)];
    ck_assert_msg(ratio > 1.9 && ratio < 2.1, "ratio %.3f, want 2 +- 5%%", ratio);
}
END_TEST

START_TEST(test_blocked_units_take_no_credit)
{
    /* Credit handed to a sleeper would be missing from the hogs, and both would sink to OVER. */
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(512, 0, 0x2);
    struct csched_unit *b = hog(256, 0, 0x2);
    struct csched_unit *z = unit_new(1024, 0, 0x2);

    csched_block(&sim.s, z, sim.now);
    ck_assert_int_eq(csched_insert(&sim.s, z), 0);
    run_ms(10000);
    double ratio = (double)sim.ran[idx(a)] / (double)sim.ran[idx(b)];
    ck_assert_msg(ratio > 1.9 && ratio < 2.1, "ratio %.3f, want 2 +- 5%%", ratio);
}
END_TEST

START_TEST(test_sleeper_comes_back_without_a_hoard)
{
    sim_init(0x2, NULL);
    struct csched_unit *h = hog(256, 0, 0x2);
    struct csched_unit *w = unit_new(256, 0, 0x2);

    csched_block(&sim.s, w, sim.now);
    ck_assert_int_eq(csched_insert(&sim.s, w), 0);
    for (unsigned int i = 0; i < 30; i++) {     /* 1 ms of work every 100 ms */
        csched_wake(&sim.s, w, sim.now);
        step();
        csched_block(&sim.s, w, sim.now);
        run_ms(99);
    }
    ck_assert_int_le(stats(w).credit_ns, (int64_t)sim.s.params.period_ns);
    /* Now a hog too: it may lead for a while, not lock h out. */
    csched_wake(&sim.s, w, sim.now);
    reset_counts();
    run_ms(500);
    ck_assert_msg(share(h) >= 0.35, "h got %.3f", share(h));
}
END_TEST

START_TEST(test_equal_weights_share_equally)
{
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(256, 0, 0x2);
    struct csched_unit *b = hog(256, 0, 0x2);
    struct csched_unit *c = hog(256, 0, 0x2);

    run_ms(10000);
    assert_share(a, 1.0 / 3, 0.02);
    assert_share(b, 1.0 / 3, 0.02);
    assert_share(c, 1.0 / 3, 0.02);
}
END_TEST

START_TEST(test_weights_3_2_1)
{
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(768, 0, 0x2);
    struct csched_unit *b = hog(512, 0, 0x2);
    struct csched_unit *c = hog(256, 0, 0x2);

    run_ms(10000);
    assert_share(a, 3.0 / 6, 0.025);
    assert_share(b, 2.0 / 6, 0.025);
    assert_share(c, 1.0 / 6, 0.025);
}
END_TEST

START_TEST(test_weight_change_takes_effect)
{
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(256, 0, 0x2);
    struct csched_unit *b = hog(256, 0, 0x2);

    run_ms(1000);
    ck_assert_int_eq(csched_set_weight(&sim.s, b, 768), 0);
    run_ms(500);
    reset_counts();
    run_ms(8000);
    assert_share(a, 0.25, 0.025);
    assert_share(b, 0.75, 0.025);
}
END_TEST

START_TEST(test_fairness_3_cpus_7_units)
{
    struct csched_unit *u[7];

    sim_init(0xe, NULL);
    for (unsigned int i = 0; i < 7; i++)
        u[i] = hog(256, 0, 0xe);
    run_ms(1000);
    reset_counts();
    run_ms(10000);
    for (unsigned int i = 0; i < 7; i++) {
        assert_share(u[i], 3.0 / 7, 0.02);
        /* Units rotate through the CPUs to be fair, but do not thrash. */
        ck_assert_uint_le(stats(u[i]).nr_migrations, 20);
    }
    for (unsigned int c = 1; c <= 3; c++)
        ck_assert_uint_eq(sim.busy[c], sim.measured);      /* work conserving */
}
END_TEST

/* ---- caps --------------------------------------------------------------- */

START_TEST(test_cap_limits_hog_on_idle_cpu)
{
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(256, 25, 0x2);

    run_ms(10000);
    assert_share(a, 0.25, 0.03);
    ck_assert_uint_eq(sim.busy[1], sim.ran[idx(a)]);
}
END_TEST

START_TEST(test_cap_leaves_rest_to_others)
{
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(256, 25, 0x2);
    struct csched_unit *b = hog(256, 0, 0x2);

    run_ms(10000);
    assert_share(a, 0.25, 0.03);
    assert_share(b, 0.75, 0.03);
    ck_assert_uint_eq(sim.busy[1], sim.measured);
}
END_TEST

START_TEST(test_cap_parks_then_lifting_it_unparks)
{
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(256, 10, 0x2);
    bool seen_parked = false;

    for (unsigned int i = 0; i < 300; i++) {
        step();
        if (stats(a).parked) {
            seen_parked = true;
            ck_assert_ptr_null(sim.cur[1]);
            /* Idle with a parked unit: wake up for the accounting that unparks it. */
            ck_assert_uint_le(sim.deadline[1] - sim.now, sim.s.params.period_ns);
        }
    }
    ck_assert(seen_parked);
    ck_assert_int_eq(csched_set_cap(&sim.s, a, 0), 0);
    ck_assert(!stats(a).parked);
    reset_counts();
    run_ms(2000);
    assert_share(a, 1.0, 0.0);
}
END_TEST

/* ---- boost, wake, block ------------------------------------------------- */

START_TEST(test_woken_unit_boosts_ahead_of_hogs)
{
    sim_init(0x2, NULL);
    hog(256, 0, 0x2);
    hog(256, 0, 0x2);
    struct csched_unit *w = unit_new(256, 0, 0x2);

    csched_block(&sim.s, w, sim.now);
    ck_assert_int_eq(csched_insert(&sim.s, w), 0);
    run_ms(500);
    ck_assert_uint_eq(sim.ran[idx(w)], 0);

    /* An I/O-bound unit: woken, runs 1 ms, blocks, 40 ms later again. */
    for (unsigned int i = 0; i < 50; i++) {
        csched_wake(&sim.s, w, sim.now);
        ck_assert_int_eq(stats(w).prio, CSCHED_PRIO_BOOST);
        ck_assert_uint_eq(kicks_now() & BIT(1), BIT(1));
        step();
        ck_assert_msg(sim.cur[1] == w, "woken unit not running at wake %u", i);
        csched_block(&sim.s, w, sim.now);
        run_ms(40);
    }
}
END_TEST

START_TEST(test_boost_ends_at_tick)
{
    sim_init(0x2, NULL);
    struct csched_unit *h = hog(256, 0, 0x2);
    struct csched_unit *w = unit_new(256, 0, 0x2);

    csched_block(&sim.s, w, sim.now);
    ck_assert_int_eq(csched_insert(&sim.s, w), 0);
    run_ms(95);
    csched_wake(&sim.s, w, sim.now);
    step();
    ck_assert_ptr_eq(sim.cur[1], w);
    run_ms(10);     /* one tick while it runs */
    ck_assert_int_ne(stats(w).prio, CSCHED_PRIO_BOOST);
    /* No longer boosted, it shares like any hog. */
    reset_counts();
    run_ms(3000);
    assert_share(w, 0.5, 0.03);
    assert_share(h, 0.5, 0.03);
}
END_TEST

START_TEST(test_wake_without_credit_is_not_boosted)
{
    struct csched_params p = { 30 * MS, 10 * MS, 10000 * MS };    /* no accounting meanwhile */

    sim_init(0x2, &p);
    struct csched_unit *w = hog(256, 0, 0x2);

    run_ms(50);
    csched_block(&sim.s, w, sim.now);
    ck_assert_int_lt(stats(w).credit_ns, 0);
    struct csched_unit *h = hog(256, 0, 0x2);
    run_ms(20);
    kicks_now();
    csched_wake(&sim.s, w, sim.now);
    ck_assert_int_eq(stats(w).prio, CSCHED_PRIO_OVER);
    ck_assert_uint_eq(kicks_now(), 0);      /* h keeps its slice */
    step();
    ck_assert_ptr_eq(sim.cur[1], h);
}
END_TEST

START_TEST(test_wake_kicks_the_unit_cpu)
{
    sim_init(0x6, NULL);
    struct csched_unit *h = hog(256, 0, 0x4);
    struct csched_unit *w = unit_new(256, 0, 0x4);

    csched_block(&sim.s, w, sim.now);
    ck_assert_int_eq(csched_insert(&sim.s, w), 0);
    run_ms(100);
    ck_assert_ptr_eq(sim.cur[2], h);
    ck_assert_ptr_null(sim.cur[1]);
    kicks_now();
    /* Woken from CPU 1 (an event channel sent there): CPU 2 must be kicked, nobody else. */
    csched_wake(&sim.s, w, sim.now);
    ck_assert_uint_eq(kicks_now(), BIT(2));
    step();
    ck_assert_ptr_eq(sim.cur[2], w);
}
END_TEST

START_TEST(test_wake_of_idle_cpu_kicks_it)
{
    sim_init(0x6, NULL);
    struct csched_unit *w = hog(256, 0, 0x4);

    run_ms(10);
    csched_block(&sim.s, w, sim.now);
    ck_assert_uint_eq(kicks_now(), BIT(2));
    run_ms(100);
    ck_assert_ptr_null(sim.cur[2]);
    csched_wake(&sim.s, w, sim.now);
    ck_assert_uint_eq(kicks_now(), BIT(2));
}
END_TEST

START_TEST(test_blocked_units_never_run)
{
    sim_init(0x6, NULL);
    struct csched_unit *z = unit_new(65535, 0, 0x6);

    csched_block(&sim.s, z, sim.now);
    ck_assert_int_eq(csched_insert(&sim.s, z), 0);
    hog(256, 0, 0x6);
    hog(256, 0, 0x6);
    hog(256, 0, 0x6);
    run_ms(3000);
    ck_assert_uint_eq(sim.ran[idx(z)], 0);
    struct csched_unit_stats st = stats(z);
    ck_assert_uint_eq(st.runtime_ns, 0);
    ck_assert_uint_eq(st.nr_runs, 0);
    ck_assert(!st.queued && !st.running);
}
END_TEST

START_TEST(test_block_running_unit_switches)
{
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(256, 0, 0x2);
    struct csched_unit *b = hog(256, 0, 0x2);

    run_ms(3);
    struct csched_unit *x = sim.cur[1], *other = x == a ? b : a;
    csched_block(&sim.s, x, sim.now);
    ck_assert_uint_eq(kicks_now(), BIT(1));
    step();
    ck_assert_ptr_eq(sim.cur[1], other);
    ck_assert(!stats(x).running);
    reset_counts();
    run_ms(500);
    ck_assert_uint_eq(sim.ran[idx(x)], 0);
    assert_share(other, 1.0, 0.0);
}
END_TEST

START_TEST(test_pause_and_unpause)
{
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(256, 0, 0x2);
    struct csched_unit *b = hog(256, 0, 0x2);

    run_ms(100);
    csched_pause(&sim.s, a, sim.now);
    reset_counts();
    run_ms(1000);
    ck_assert_uint_eq(sim.ran[idx(a)], 0);
    assert_share(b, 1.0, 0.0);

    /* Blocked and paused are separate: waking a paused unit does not run it. */
    csched_block(&sim.s, a, sim.now);
    csched_wake(&sim.s, a, sim.now);
    run_ms(100);
    ck_assert_uint_eq(sim.ran[idx(a)], 0);

    csched_unpause(&sim.s, a, sim.now);
    ck_assert_int_ne(stats(a).prio, CSCHED_PRIO_BOOST);
    reset_counts();
    run_ms(3000);
    assert_share(a, 0.5, 0.03);
}
END_TEST

/* ---- yield -------------------------------------------------------------- */

START_TEST(test_yield_lets_the_other_run)
{
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(256, 0, 0x2);
    struct csched_unit *b = hog(256, 0, 0x2);

    step();
    struct csched_unit *x = sim.cur[1], *other = x == a ? b : a;
    csched_yield(&sim.s, x);
    ck_assert_uint_eq(kicks_now(), BIT(1));
    step();
    ck_assert_ptr_eq(sim.cur[1], other);
    /* Only for one pick: now x waits its normal turn, other keeps its slice. */
    run_ms(5);
    ck_assert_ptr_eq(sim.cur[1], other);
}
END_TEST

START_TEST(test_yield_goes_behind_one_lower_unit)
{
    struct csched_params p = { 30 * MS, 10 * MS, 10000 * MS };    /* credits stay as made */
    struct csched s;
    struct csched_unit a, b;
    uint64_t t = 1000 * MS;

    ck_assert_int_eq(csched_init(&s, 0x2, &p), 0);
    ck_assert_int_eq(csched_unit_init(&s, &b, NULL, 256, 0, 0x2), 0);
    ck_assert_int_eq(csched_insert(&s, &b), 0);
    ck_assert_ptr_eq(csched_do_schedule(&s, 1, t).unit, &b);
    t += 50 * MS;
    csched_tick(&s, 1, t);
    ck_assert_int_eq(b.prio, CSCHED_PRIO_OVER);
    ck_assert_int_eq(csched_unit_init(&s, &a, NULL, 256, 0, 0x2), 0);
    ck_assert_int_eq(csched_insert(&s, &a), 0);
    ck_assert_ptr_eq(csched_do_schedule(&s, 1, t).unit, &a);
    /* a is UNDER, b OVER: a yield that only passed equals would pick a again. */
    csched_yield(&s, &a);
    ck_assert_ptr_eq(csched_do_schedule(&s, 1, t + MS).unit, &b);
}
END_TEST

START_TEST(test_tick_preempts_unit_gone_over)
{
    struct csched_params p = { 30 * MS, 10 * MS, 10000 * MS };
    struct csched s;
    struct csched_unit a, b;
    uint64_t t = 1000 * MS;

    ck_assert_int_eq(csched_init(&s, 0x2, &p), 0);
    ck_assert_int_eq(csched_unit_init(&s, &a, NULL, 256, 0, 0x2), 0);
    ck_assert_int_eq(csched_unit_init(&s, &b, NULL, 256, 0, 0x2), 0);
    ck_assert_int_eq(csched_insert(&s, &a), 0);
    ck_assert_int_eq(csched_insert(&s, &b), 0);
    ck_assert_ptr_eq(csched_do_schedule(&s, 1, t).unit, &a);
    csched_take_kicks(&s);
    /* Mid-slice, a has spent past its credit while b, UNDER, waits: no need to finish the slice. */
    csched_tick(&s, 1, t + 10 * MS);
    ck_assert_int_eq(a.prio, CSCHED_PRIO_OVER);
    ck_assert_uint_eq(csched_take_kicks(&s), BIT(1));
    ck_assert_ptr_eq(csched_do_schedule(&s, 1, t + 10 * MS).unit, &b);
    ck_assert_uint_eq(a.runtime_ns, 10 * MS);
}
END_TEST

START_TEST(test_yield_alone_keeps_running)
{
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(256, 0, 0x2);

    step();
    uint64_t runs = stats(a).nr_runs;
    csched_yield(&sim.s, a);
    step();
    ck_assert_ptr_eq(sim.cur[1], a);
    ck_assert_uint_eq(stats(a).nr_runs, runs + 1);
}
END_TEST

/* ---- affinity and balancing --------------------------------------------- */

START_TEST(test_pinned_unit_never_runs_elsewhere)
{
    sim_init(0xe, NULL);
    struct csched_unit *p = hog(256, 0, 0x4);
    struct csched_unit *q = hog(256, 0, 0x4);
    struct csched_unit *f = hog(256, 0, 0xe);

    run_ms(5000);
    ck_assert_uint_eq(sim.ran_on[idx(p)], BIT(2));
    ck_assert_uint_eq(sim.ran_on[idx(q)], BIT(2));
    assert_share(p, 0.5, 0.03);
    assert_share(q, 0.5, 0.03);
    assert_share(f, 1.0, 0.0);
}
END_TEST

START_TEST(test_repin_queued_unit_migrates)
{
    sim_init(0xe, NULL);
    struct csched_unit *a = hog(256, 0, 0x4);
    struct csched_unit *b = hog(256, 0, 0x4);

    run_ms(10);
    struct csched_unit *q = sim.cur[2] == a ? b : a;
    ck_assert(stats(q).queued);
    ck_assert_int_eq(csched_set_affinity(&sim.s, q, 0x8), 0);
    struct csched_unit_stats st = stats(q);
    ck_assert_uint_eq(st.cpu, 3);
    ck_assert_uint_eq(st.nr_migrations, 1);
    ck_assert_uint_eq(kicks_now() & BIT(3), BIT(3));
    reset_counts();
    run_ms(1000);
    ck_assert_uint_eq(sim.ran_on[idx(q)], BIT(3));
    assert_share(q, 1.0, 0.0);
}
END_TEST

START_TEST(test_repin_running_unit_migrates)
{
    sim_init(0xe, NULL);
    struct csched_unit *a = hog(256, 0, 0x4);

    run_ms(10);
    ck_assert_ptr_eq(sim.cur[2], a);
    ck_assert_int_eq(csched_set_affinity(&sim.s, a, 0x8), 0);
    ck_assert_uint_eq(kicks_now(), BIT(2));
    reset_counts();
    ck_assert_ptr_null(csched_do_schedule(&sim.s, 2, sim.now).unit);
    struct csched_decision d = csched_do_schedule(&sim.s, 3, sim.now);
    ck_assert_ptr_eq(d.unit, a);
    ck_assert(d.migrated);
    sim.cur[2] = NULL;
    sim.cur[3] = a;
    sim.deadline[3] = sim.now + d.next_ns;
    step();
    ck_assert_ptr_null(sim.cur[2]);
    ck_assert_ptr_eq(sim.cur[3], a);
    run_ms(1000);
    ck_assert_uint_eq(sim.ran_on[idx(a)], BIT(3));
    ck_assert_uint_eq(stats(a).nr_migrations, 1);
}
END_TEST

START_TEST(test_four_hogs_on_one_cpu_spread_two_and_two)
{
    struct csched_unit *u[4];

    sim_init(0x6, NULL);
    for (unsigned int i = 0; i < 4; i++)
        u[i] = hog(256, 0, 0x2);
    run_ms(100);
    ck_assert_uint_eq(sim.busy[2], 0);
    for (unsigned int i = 0; i < 4; i++)
        ck_assert_int_eq(csched_set_affinity(&sim.s, u[i], 0x6), 0);
    run_ms(1000);
    reset_counts();
    run_ms(10000);
    unsigned int on[3] = { 0, 0, 0 };
    for (unsigned int i = 0; i < 4; i++) {
        assert_share(u[i], 0.5, 0.05);
        on[stats(u[i]).cpu]++;
    }
    ck_assert_uint_eq(on[1], 2);
    ck_assert_uint_eq(on[2], 2);
}
END_TEST

START_TEST(test_idle_cpu_steals)
{
    sim_init(0x6, NULL);
    struct csched_unit *a = hog(256, 0, 0x4);
    struct csched_unit *b = hog(256, 0, 0x2);
    struct csched_unit *c = hog(256, 0, 0x2);

    run_ms(10);
    /* Widening while CPU 2 is busy moves nothing. */
    ck_assert_int_eq(csched_set_affinity(&sim.s, b, 0x6), 0);
    ck_assert_int_eq(csched_set_affinity(&sim.s, c, 0x6), 0);
    ck_assert_uint_eq(kicks_now() & BIT(2), 0);
    run_ms(5);
    ck_assert_ptr_eq(sim.cur[2], a);
    /* CPU 2 about to go idle takes the unit CPU 1 queues. */
    csched_block(&sim.s, a, sim.now);
    step();
    struct csched_unit *x = sim.cur[2];
    ck_assert(x == b || x == c);
    ck_assert_uint_eq(stats(x).nr_migrations, 1);
    ck_assert_ptr_eq(sim.cur[1], x == b ? c : b);
}
END_TEST

START_TEST(test_queued_unit_tickles_idle_cpu)
{
    sim_init(0x6, NULL);
    struct csched_unit *a = hog(256, 0, 0x2);
    struct csched_unit *b = hog(256, 0, 0x2);

    run_ms(10);
    struct csched_unit *q = sim.cur[1] == a ? b : a;
    ck_assert_int_eq(csched_set_affinity(&sim.s, q, 0x6), 0);
    ck_assert_uint_eq(kicks_now(), BIT(2));
    struct csched_decision d = csched_do_schedule(&sim.s, 2, sim.now);
    ck_assert_ptr_eq(d.unit, q);
    ck_assert(!d.migrated);     /* it never ran on CPU 1 */
    ck_assert_uint_eq(q->cpu, 2);
    ck_assert_uint_eq(stats(q).nr_migrations, 1);
}
END_TEST

START_TEST(test_steal_respects_affinity)
{
    sim_init(0x6, NULL);
    struct csched_unit *a = hog(256, 0, 0x2);
    struct csched_unit *b = hog(256, 0, 0x2);

    run_ms(3000);
    ck_assert_uint_eq(sim.busy[2], 0);
    ck_assert_uint_eq(sim.ran_on[idx(a)], BIT(1));
    ck_assert_uint_eq(sim.ran_on[idx(b)], BIT(1));
    for (unsigned int i = 0; i < 20; i++)
        ck_assert_ptr_null(csched_do_schedule(&sim.s, 2, sim.now + i * MS).unit);
}
END_TEST

START_TEST(test_steal_prefers_under_over_over)
{
    struct csched_params p = { 30 * MS, 10 * MS, 10000 * MS };    /* credits stay as made */
    struct csched s;
    struct csched_unit a, b, c, u;
    uint64_t t = 1000 * MS;

    ck_assert_int_eq(csched_init(&s, 0xe, &p), 0);
    /* CPU 1: b runs, a waits OVER (it ran 50 ms on no credit). */
    ck_assert_int_eq(csched_unit_init(&s, &a, NULL, 256, 0, 0x2), 0);
    ck_assert_int_eq(csched_insert(&s, &a), 0);
    ck_assert_ptr_eq(csched_do_schedule(&s, 1, t).unit, &a);
    t += 50 * MS;
    csched_tick(&s, 1, t);
    ck_assert_int_eq(a.prio, CSCHED_PRIO_OVER);
    ck_assert_int_eq(csched_unit_init(&s, &b, NULL, 256, 0, 0x2), 0);
    ck_assert_int_eq(csched_insert(&s, &b), 0);
    ck_assert_ptr_eq(csched_do_schedule(&s, 1, t).unit, &b);
    /* CPU 2: c runs, u waits UNDER. */
    ck_assert_int_eq(csched_unit_init(&s, &c, NULL, 256, 0, 0x4), 0);
    ck_assert_int_eq(csched_insert(&s, &c), 0);
    ck_assert_ptr_eq(csched_do_schedule(&s, 2, t).unit, &c);
    ck_assert_int_eq(csched_unit_init(&s, &u, NULL, 256, 0, 0x4), 0);
    ck_assert_int_eq(csched_insert(&s, &u), 0);
    ck_assert_int_eq(u.prio, CSCHED_PRIO_UNDER);

    /* Both may now run on CPU 3, which scans CPU 1 before CPU 2. */
    ck_assert_int_eq(csched_set_affinity(&s, &a, 0xa), 0);
    ck_assert_int_eq(csched_set_affinity(&s, &u, 0xc), 0);
    ck_assert_uint_eq(csched_take_kicks(&s), BIT(3));
    struct csched_decision d = csched_do_schedule(&s, 3, t + MS);
    ck_assert_ptr_eq(d.unit, &u);
    ck_assert_uint_eq(u.cpu, 3);
    ck_assert_uint_eq(u.nr_migrations, 1);
    /* With nothing better around, an idle CPU still takes an OVER unit. */
    csched_block(&s, &u, t + 2 * MS);
    d = csched_do_schedule(&s, 3, t + 2 * MS);
    ck_assert_ptr_eq(d.unit, &a);
    ck_assert(d.migrated);      /* it ran on CPU 1 */
}
END_TEST

START_TEST(test_cpu0_not_managed_runs_nothing)
{
    struct csched_unit x;

    sim_init(0x6, NULL);
    ck_assert_int_eq(csched_unit_init(&sim.s, &x, NULL, 256, 0, 0x3), -EINVAL);
    for (unsigned int i = 0; i < 5; i++)
        hog(256, 0, 0x6);
    for (unsigned int i = 0; i < 1000; i++) {
        step();
        struct csched_decision d = csched_do_schedule(&sim.s, 0, sim.now);
        ck_assert_ptr_null(d.unit);
    }
    ck_assert_uint_eq(sim.busy[0], 0);
    for (unsigned int i = 0; i < 5; i++)
        ck_assert_uint_eq(sim.ran_on[i] & 1, 0);
}
END_TEST

/* ---- remove ------------------------------------------------------------- */

START_TEST(test_remove_queued_unit)
{
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(256, 0, 0x2);
    struct csched_unit *b = hog(256, 0, 0x2);

    run_ms(5);
    struct csched_unit *q = sim.cur[1] == a ? b : a, *r = q == a ? b : a;
    ck_assert(stats(q).queued);
    ck_assert_int_eq(csched_remove(&sim.s, q), 0);
    ck_assert(!stats(q).queued);
    reset_counts();
    run_ms(1000);
    ck_assert_uint_eq(sim.ran[idx(q)], 0);
    assert_share(r, 1.0, 0.0);
    /* Back in, it gets its half again. */
    ck_assert_int_eq(csched_insert(&sim.s, q), 0);
    reset_counts();
    run_ms(3000);
    assert_share(q, 0.5, 0.03);
}
END_TEST

START_TEST(test_remove_running_unit)
{
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(256, 0, 0x2);
    struct csched_unit *b = hog(256, 0, 0x2);

    run_ms(5);
    struct csched_unit *x = sim.cur[1], *r = x == a ? b : a;
    ck_assert_int_eq(csched_remove(&sim.s, x), 0);
    ck_assert(!stats(x).running);
    ck_assert_uint_eq(kicks_now(), BIT(1));
    reset_counts();
    run_ms(1000);
    ck_assert_uint_eq(sim.ran[idx(x)], 0);
    assert_share(r, 1.0, 0.0);
}
END_TEST

/* ---- decisions, stats, soak --------------------------------------------- */

START_TEST(test_decision_deadlines)
{
    sim_init(0x6, NULL);
    struct csched_decision d = csched_do_schedule(&sim.s, 1, sim.now);

    ck_assert_ptr_null(d.unit);
    ck_assert_uint_eq(d.next_ns, CSCHED_NO_DEADLINE);
    struct csched_unit *a = hog(256, 0, 0x2);
    d = csched_do_schedule(&sim.s, 1, sim.now);
    ck_assert_ptr_eq(d.unit, a);
    ck_assert_uint_eq(d.next_ns, CSCHED_TSLICE_DEFAULT_NS);
    ck_assert(!d.migrated);
    /* A capped unit's run ends when the cap is used, before the slice does. */
    struct csched_unit *c = hog(256, 25, 0x4);
    d = csched_do_schedule(&sim.s, 2, sim.now);
    ck_assert_ptr_eq(d.unit, c);
    ck_assert_uint_eq(d.next_ns, CSCHED_PERIOD_DEFAULT_NS / 4);
}
END_TEST

START_TEST(test_time_slice_is_configurable)
{
    struct csched_params p = { 5 * MS, 10 * MS, 30 * MS };

    sim_init(0x2, &p);
    struct csched_unit *a = hog(256, 0, 0x2);
    struct csched_unit *b = hog(256, 0, 0x2);
    run_ms(1000);
    /* Equals take turns every slice (200 a second), unless credit says otherwise. */
    ck_assert_uint_ge(sim.switches[1], 150);
    assert_share(a, 0.5, 0.02);
    assert_share(b, 0.5, 0.02);

    sim_init(0x2, NULL);
    hog(256, 0, 0x2);
    hog(256, 0, 0x2);
    run_ms(1000);
    ck_assert_uint_le(sim.switches[1], 60);
}
END_TEST

START_TEST(test_stats_and_prio_names)
{
    sim_init(0x2, NULL);
    struct csched_unit *a = hog(256, 0, 0x2);

    ck_assert_ptr_eq(a->owner, &sim.ran[0]);
    struct csched_unit_stats st = stats(a);
    ck_assert(st.queued && !st.running);
    ck_assert_int_eq(st.prio, CSCHED_PRIO_UNDER);
    run_ms(100);
    st = stats(a);
    ck_assert(st.running && !st.queued);
    ck_assert_uint_eq(st.cpu, 1);
    ck_assert_uint_ge(st.runtime_ns, 90 * MS);
    ck_assert_str_eq(csched_prio_name(CSCHED_PRIO_BOOST), "boost");
    ck_assert_str_eq(csched_prio_name(CSCHED_PRIO_UNDER), "under");
    ck_assert_str_eq(csched_prio_name(CSCHED_PRIO_OVER), "over");
}
END_TEST

START_TEST(test_soak_insert_remove_leaves_nothing)
{
    sim_init(0xe, NULL);
    struct csched_unit *u[6];

    for (unsigned int i = 0; i < 6; i++)
        u[i] = unit_new(256 * (i + 1), i % 3 == 0 ? 20 : 0, i % 2 ? 0xe : BIT(1 + i % 3));
    for (unsigned int cycle = 0; cycle < 500; cycle++) {
        for (unsigned int i = 0; i < 6; i++)
            ck_assert_int_eq(csched_insert(&sim.s, u[i]), 0);
        if (cycle % 4 == 1)
            csched_block(&sim.s, u[cycle % 6], sim.now);
        run_ms(7 + cycle % 50);
        for (unsigned int i = 0; i < 6; i++) {
            unsigned int k = (i + cycle) % 6;
            ck_assert_int_eq(csched_remove(&sim.s, u[k]), 0);
            csched_wake(&sim.s, u[k], sim.now);     /* a late wake must not requeue it */
        }
        step();
        for (unsigned int c = 1; c <= 3; c++) {
            ck_assert_ptr_null(sim.cur[c]);
            ck_assert_uint_eq(sim.s.pcpu[c].nr_queued, 0);
        }
        ck_assert_uint_eq(sim.s.nr_parked, 0);
        for (unsigned int i = 0; i < 6; i++)
            ck_assert(!stats(u[i]).queued && !stats(u[i]).running);
    }
    for (unsigned int c = 1; c <= 3; c++)
        ck_assert_uint_eq(csched_do_schedule(&sim.s, c, sim.now).next_ns, CSCHED_NO_DEADLINE);
}
END_TEST

Suite *sched_credit_suite(void)
{
    Suite *s = suite_create("sched_credit");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_init_rejects_bad_params);
    tcase_add_test(tc, test_unit_init_validates);
    tcase_add_test(tc, test_setters_validate_and_keep_old_value);
    tcase_add_test(tc, test_insert_remove_errors);
    tcase_add_test(tc, test_lone_hog_gets_whole_cpu);
    tcase_add_test(tc, test_weights_512_256_share_2_to_1);
    tcase_add_test(tc, test_weights_pinned_on_one_of_three_cpus);
    tcase_add_test(tc, test_blocked_units_take_no_credit);
    tcase_add_test(tc, test_sleeper_comes_back_without_a_hoard);
    tcase_add_test(tc, test_equal_weights_share_equally);
    tcase_add_test(tc, test_weights_3_2_1);
    tcase_add_test(tc, test_weight_change_takes_effect);
    tcase_add_test(tc, test_fairness_3_cpus_7_units);
    tcase_add_test(tc, test_cap_limits_hog_on_idle_cpu);
    tcase_add_test(tc, test_cap_leaves_rest_to_others);
    tcase_add_test(tc, test_cap_parks_then_lifting_it_unparks);
    tcase_add_test(tc, test_woken_unit_boosts_ahead_of_hogs);
    tcase_add_test(tc, test_boost_ends_at_tick);
    tcase_add_test(tc, test_wake_without_credit_is_not_boosted);
    tcase_add_test(tc, test_wake_kicks_the_unit_cpu);
    tcase_add_test(tc, test_wake_of_idle_cpu_kicks_it);
    tcase_add_test(tc, test_blocked_units_never_run);
    tcase_add_test(tc, test_block_running_unit_switches);
    tcase_add_test(tc, test_pause_and_unpause);
    tcase_add_test(tc, test_yield_lets_the_other_run);
    tcase_add_test(tc, test_yield_goes_behind_one_lower_unit);
    tcase_add_test(tc, test_tick_preempts_unit_gone_over);
    tcase_add_test(tc, test_yield_alone_keeps_running);
    tcase_add_test(tc, test_pinned_unit_never_runs_elsewhere);
    tcase_add_test(tc, test_repin_queued_unit_migrates);
    tcase_add_test(tc, test_repin_running_unit_migrates);
    tcase_add_test(tc, test_four_hogs_on_one_cpu_spread_two_and_two);
    tcase_add_test(tc, test_idle_cpu_steals);
    tcase_add_test(tc, test_queued_unit_tickles_idle_cpu);
    tcase_add_test(tc, test_steal_respects_affinity);
    tcase_add_test(tc, test_steal_prefers_under_over_over);
    tcase_add_test(tc, test_cpu0_not_managed_runs_nothing);
    tcase_add_test(tc, test_remove_queued_unit);
    tcase_add_test(tc, test_remove_running_unit);
    tcase_add_test(tc, test_decision_deadlines);
    tcase_add_test(tc, test_time_slice_is_configurable);
    tcase_add_test(tc, test_stats_and_prio_names);
    tcase_add_test(tc, test_soak_insert_remove_leaves_nothing);
    suite_add_tcase(s, tc);
    return s;
}
