/*
 * Event channels against fake domains in memory: each has a shared_info
 * page of its own and records every kick_vcpu() per vCPU, and a "guest"
 * consumes events the way Linux's 2-level handler does (clear
 * evtchn_upcall_pending, take evtchn_pending_sel, scan pending & ~mask).
 * What the guest can see is checked through those bits only.
 */
#include <check.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <sv/errno.h>
#include <sv/event_channel.h>

Suite *event_channel_suite(void);

#define MAX_FAKE 8                  /* fake domids are 0 .. MAX_FAKE-1 */
#define WORD_BITS (sizeof(xen_ulong_t) * 8)

struct fake_dom {
    struct shared_info *shared;
    unsigned int kicks[EVTCHN_MAX_VCPUS];
    unsigned int total_kicks;
    bool bad_kick;                  /* kick_vcpu() got a domain or vCPU not its own */
    unsigned int raised;            /* port_raised() calls (SCHEDOP_poll's wake-ups) */
    evtchn_port_t last_raised;
    struct evtchn_domain ed;        /* last: ASan sees any access past the port table */
};

static struct fake_dom *fakes[MAX_FAKE];
static struct fake_dom *dom0, *A, *B;

static struct evtchn_domain *fake_domain_by_id(void *ctx, domid_t id)
{
    (void)ctx;
    return id < MAX_FAKE && fakes[id] ? &fakes[id]->ed : NULL;
}

static void fake_kick(void *ctx, struct evtchn_domain *d, unsigned int vcpu)
{
    struct fake_dom *f = ctx;

    if (d != &f->ed || vcpu >= d->nr_vcpus) {
        f->bad_kick = true;
        return;
    }
    __atomic_fetch_add(&f->kicks[vcpu], 1, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&f->total_kicks, 1, __ATOMIC_SEQ_CST);
}

static void fake_port_raised(void *ctx, struct evtchn_domain *d, evtchn_port_t port)
{
    struct fake_dom *f = ctx;

    if (d != &f->ed || port >= d->max_ports) {
        f->bad_kick = true;
        return;
    }
    __atomic_fetch_add(&f->raised, 1, __ATOMIC_SEQ_CST);
    f->last_raised = port;
}

static const struct evtchn_ops fake_ops = {
    .domain_by_id = fake_domain_by_id,
    .kick_vcpu = fake_kick,
    .port_raised = fake_port_raised,
};

static struct fake_dom *make_dom(domid_t id, unsigned int nr_vcpus, bool privileged,
                                 unsigned int max_ports, bool with_shared)
{
    struct fake_dom *f = calloc(1, sizeof(*f));
    struct evtchn_domain_config cfg = {
        .domid = id, .nr_vcpus = nr_vcpus, .max_ports = max_ports,
        .privileged = privileged, .ops = &fake_ops, .ctx = f,
    };

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(evtchn_domain_init(&f->ed, &cfg), 0);
    f->shared = calloc(1, sizeof(*f->shared));
    ck_assert_ptr_nonnull(f->shared);
    if (with_shared)
        evtchn_set_shared_info(&f->ed, f->shared);
    fakes[id] = f;
    return f;
}

static void kill_dom(struct fake_dom *f)
{
    fakes[f->ed.domid] = NULL;      /* domain_by_id stops finding it first */
    evtchn_domain_destroy(&f->ed);
    ck_assert_uint_eq(evtchn_ports_in_use(&f->ed), 0);
    ck_assert(!f->bad_kick);
    free(f->shared);
    free(f);
}

static void setup(void)
{
    dom0 = make_dom(0, 2, true, 0, true);
    A = make_dom(1, 4, false, 0, true);
    B = make_dom(2, 2, false, 0, true);
}

static void teardown(void)
{
    for (unsigned int i = 0; i < MAX_FAKE; i++)
        if (fakes[i])
            kill_dom(fakes[i]);
}

/* ---- what the guest sees ----------------------------------------------- */

static bool is_pending(struct fake_dom *f, evtchn_port_t p)
{
    return (f->shared->evtchn_pending[p / WORD_BITS] >> (p % WORD_BITS)) & 1;
}

static void set_mask(struct fake_dom *f, evtchn_port_t p, bool on)
{
    xen_ulong_t bit = (xen_ulong_t)1 << (p % WORD_BITS);

    if (on)
        __atomic_fetch_or(&f->shared->evtchn_mask[p / WORD_BITS], bit, __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(&f->shared->evtchn_mask[p / WORD_BITS], ~bit, __ATOMIC_SEQ_CST);
}

static xen_ulong_t sel(struct fake_dom *f, unsigned int vcpu)
{
    return f->shared->vcpu_info[vcpu].evtchn_pending_sel;
}

static uint8_t upcall(struct fake_dom *f, unsigned int vcpu)
{
    return f->shared->vcpu_info[vcpu].evtchn_upcall_pending;
}

/* Linux's 2-level upcall on one vCPU; returns how many ports it found. */
static unsigned int consume_vi(struct fake_dom *f, struct vcpu_info *vi,
                               evtchn_port_t *got, unsigned int max)
{
    unsigned int n = 0;
    xen_ulong_t words;

    __atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
    words = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while (words) {
        unsigned int w = (unsigned int)__builtin_ctzl(words);
        xen_ulong_t live;

        words &= words - 1;
        live = __atomic_load_n(&f->shared->evtchn_pending[w], __ATOMIC_SEQ_CST) &
               ~__atomic_load_n(&f->shared->evtchn_mask[w], __ATOMIC_SEQ_CST);
        while (live) {
            unsigned int b = (unsigned int)__builtin_ctzl(live);

            live &= live - 1;
            __atomic_fetch_and(&f->shared->evtchn_pending[w], ~((xen_ulong_t)1 << b),
                               __ATOMIC_SEQ_CST);
            if (n < max)
                got[n] = (evtchn_port_t)(w * WORD_BITS + b);
            n++;
        }
    }
    return n;
}

static unsigned int consume(struct fake_dom *f, unsigned int vcpu, evtchn_port_t *got,
                            unsigned int max)
{
    return consume_vi(f, &f->shared->vcpu_info[vcpu], got, max);
}

/* Forget everything delivered so far, so a test starts from quiet. */
static void drain(struct fake_dom *f)
{
    memset(f->shared->evtchn_pending, 0, sizeof(f->shared->evtchn_pending));
    for (unsigned int v = 0; v < XEN_LEGACY_MAX_VCPUS; v++) {
        f->shared->vcpu_info[v].evtchn_pending_sel = 0;
        f->shared->vcpu_info[v].evtchn_upcall_pending = 0;
    }
    memset(f->kicks, 0, sizeof(f->kicks));
    f->total_kicks = 0;
}

/* ---- operation helpers ------------------------------------------------- */

static uint64_t evtchn_get_stats_raised(struct fake_dom *f)
{
    struct evtchn_stats st;

    evtchn_get_stats(&f->ed, &st);
    return st.raised;
}

static int alloc_unbound(struct fake_dom *caller, domid_t dom, domid_t remote,
                         evtchn_port_t *port)
{
    struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote };
    int rc = evtchn_alloc_unbound(&caller->ed, &a);

    if (rc == 0 && port)
        *port = a.port;
    return rc;
}

static int bind_interdomain(struct fake_dom *caller, domid_t rdom, evtchn_port_t rport,
                            evtchn_port_t *lport)
{
    struct evtchn_bind_interdomain b = { .remote_dom = rdom, .remote_port = rport };
    int rc = evtchn_bind_interdomain(&caller->ed, &b);

    if (rc == 0 && lport)
        *lport = b.local_port;
    return rc;
}

/* a offers a port to b, b binds it; both quiet afterwards. */
static void connect(struct fake_dom *a, struct fake_dom *b, evtchn_port_t *pa, evtchn_port_t *pb)
{
    ck_assert_int_eq(alloc_unbound(a, DOMID_SELF, b->ed.domid, pa), 0);
    ck_assert_int_eq(bind_interdomain(b, a->ed.domid, *pa, pb), 0);
    drain(a);
    drain(b);
}

static int bind_virq(struct fake_dom *f, unsigned int virq, unsigned int vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_virq b = { .virq = virq, .vcpu = vcpu };
    int rc = evtchn_bind_virq(&f->ed, &b);

    if (rc == 0 && port)
        *port = b.port;
    return rc;
}

static int bind_ipi(struct fake_dom *f, unsigned int vcpu, evtchn_port_t *port)
{
    struct evtchn_bind_ipi b = { .vcpu = vcpu };
    int rc = evtchn_bind_ipi(&f->ed, &b);

    if (rc == 0 && port)
        *port = b.port;
    return rc;
}

static int bind_vcpu(struct fake_dom *f, evtchn_port_t port, unsigned int vcpu)
{
    struct evtchn_bind_vcpu b = { .port = port, .vcpu = vcpu };

    return evtchn_bind_vcpu(&f->ed, &b);
}

static struct evtchn_status status(struct fake_dom *caller, domid_t dom, evtchn_port_t port)
{
    struct evtchn_status st = { .dom = dom, .port = port };

    ck_assert_int_eq(evtchn_status(&caller->ed, &st), 0);
    return st;
}

/* ---- configuration and the reserved port ------------------------------- */

START_TEST(init_rejects_bad_configs)
{
    static struct evtchn_domain d;
    const struct evtchn_ops no_kick = { .domain_by_id = fake_domain_by_id };
    struct evtchn_domain_config ok = { .domid = 5, .nr_vcpus = 1, .ops = &fake_ops };
    struct evtchn_domain_config c;

    ck_assert_int_eq(evtchn_domain_init(&d, &ok), 0);
    ck_assert_uint_eq(d.max_ports, EVTCHN_MAX_PORTS);
    c = ok; c.nr_vcpus = 0;                     ck_assert_int_eq(evtchn_domain_init(&d, &c), -EINVAL);
    c = ok; c.nr_vcpus = EVTCHN_MAX_VCPUS + 1;  ck_assert_int_eq(evtchn_domain_init(&d, &c), -EINVAL);
    c = ok; c.max_ports = 1;                    ck_assert_int_eq(evtchn_domain_init(&d, &c), -EINVAL);
    c = ok; c.max_ports = EVTCHN_MAX_PORTS + 1; ck_assert_int_eq(evtchn_domain_init(&d, &c), -EINVAL);
    c = ok; c.domid = DOMID_SELF;               ck_assert_int_eq(evtchn_domain_init(&d, &c), -EINVAL);
    c = ok; c.ops = NULL;                       ck_assert_int_eq(evtchn_domain_init(&d, &c), -EINVAL);
    c = ok; c.ops = &no_kick;                   ck_assert_int_eq(evtchn_domain_init(&d, &c), -EINVAL);
}
END_TEST

START_TEST(port_zero_is_reserved)
{
    evtchn_port_t p;

    ck_assert_uint_eq(status(A, DOMID_SELF, 0).status, EVTCHNSTAT_closed);
    ck_assert_int_eq(evtchn_close(&A->ed, 0), -EINVAL);
    ck_assert_int_eq(evtchn_send(&A->ed, 0), -EINVAL);
    ck_assert_int_eq(bind_vcpu(A, 0, 1), -EINVAL);
    ck_assert_int_eq(alloc_unbound(A, DOMID_SELF, 2, &p), 0);
    ck_assert_uint_eq(p, 1);
    ck_assert_uint_eq(evtchn_ports_in_use(&A->ed), 1);
}
END_TEST

/* ---- unbound and interdomain ------------------------------------------- */

START_TEST(alloc_unbound_waits_for_the_named_domain)
{
    evtchn_port_t p, q;
    struct evtchn_status st;

    ck_assert_int_eq(alloc_unbound(A, DOMID_SELF, 2, &p), 0);
    st = status(A, DOMID_SELF, p);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(st.u.unbound.dom, 2);
    ck_assert_uint_eq(st.vcpu, 0);
    /* DOMID_SELF as the remote means the caller: loopback. */
    ck_assert_int_eq(alloc_unbound(A, 1, DOMID_SELF, &q), 0);
    ck_assert_uint_ne(q, p);
    ck_assert_uint_eq(status(A, DOMID_SELF, q).u.unbound.dom, 1);
    ck_assert_int_eq(alloc_unbound(A, DOMID_SELF, DOMID_FIRST_RESERVED + 1, &q), -EINVAL);
    /* Sending on an unbound port is accepted and goes nowhere (Xen). */
    ck_assert_int_eq(evtchn_send(&A->ed, p), 0);
    ck_assert_uint_eq(B->total_kicks + A->total_kicks, 0);
}
END_TEST

START_TEST(alloc_unbound_for_another_domain_needs_privilege)
{
    evtchn_port_t p;

    ck_assert_int_eq(alloc_unbound(A, 2, 1, &p), -EPERM);
    ck_assert_uint_eq(evtchn_ports_in_use(&B->ed), 0);
    /* dom0 builds a channel for A; DOMID_SELF still names the caller. */
    ck_assert_int_eq(alloc_unbound(dom0, 1, DOMID_SELF, &p), 0);
    ck_assert_uint_eq(evtchn_ports_in_use(&A->ed), 1);
    ck_assert_uint_eq(evtchn_ports_in_use(&dom0->ed), 0);
    ck_assert_uint_eq(status(A, DOMID_SELF, p).u.unbound.dom, 0);
    ck_assert_int_eq(alloc_unbound(dom0, 7, 1, &p), -ESRCH);
}
END_TEST

START_TEST(bind_interdomain_connects_both_ends)
{
    evtchn_port_t pa, pb;
    struct evtchn_status sa, sb;

    ck_assert_int_eq(alloc_unbound(A, DOMID_SELF, 2, &pa), 0);
    ck_assert_int_eq(bind_interdomain(B, 1, pa, &pb), 0);
    sa = status(A, DOMID_SELF, pa);
    sb = status(B, DOMID_SELF, pb);
    ck_assert_uint_eq(sa.status, EVTCHNSTAT_interdomain);
    ck_assert_uint_eq(sa.u.interdomain.dom, 2);
    ck_assert_uint_eq(sa.u.interdomain.port, pb);
    ck_assert_uint_eq(sb.status, EVTCHNSTAT_interdomain);
    ck_assert_uint_eq(sb.u.interdomain.dom, 1);
    ck_assert_uint_eq(sb.u.interdomain.port, pa);
    /* The binder's new port comes up pending, for events lost while unbound. */
    ck_assert(is_pending(B, pb));
    ck_assert_uint_eq(B->kicks[0], 1);
    ck_assert(!is_pending(A, pa));
    ck_assert_uint_eq(A->total_kicks, 0);
}
END_TEST

START_TEST(bind_to_a_port_offered_to_someone_else_fails)
{
    evtchn_port_t pa, p;

    ck_assert_int_eq(alloc_unbound(A, DOMID_SELF, 2, &pa), 0);
    ck_assert_int_eq(bind_interdomain(dom0, 1, pa, &p), -EINVAL);
    ck_assert_uint_eq(status(A, DOMID_SELF, pa).status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(evtchn_ports_in_use(&dom0->ed), 0);
    /* And once B took it, nobody else (nor B again) can. */
    ck_assert_int_eq(bind_interdomain(B, 1, pa, &p), 0);
    ck_assert_int_eq(bind_interdomain(B, 1, pa, &p), -EINVAL);
}
END_TEST

START_TEST(bind_interdomain_rejects_bad_remotes)
{
    evtchn_port_t p, ipi;

    ck_assert_int_eq(bind_interdomain(B, 1, 5, &p), -EINVAL);          /* free port */
    ck_assert_int_eq(bind_interdomain(B, 1, 0, &p), -EINVAL);          /* reserved */
    ck_assert_int_eq(bind_interdomain(B, 1, EVTCHN_MAX_PORTS, &p), -EINVAL);
    ck_assert_int_eq(bind_interdomain(B, 1, 0xffffffffu, &p), -EINVAL);
    ck_assert_int_eq(bind_interdomain(B, 6, 1, &p), -ESRCH);
    ck_assert_int_eq(bind_ipi(A, 0, &ipi), 0);
    ck_assert_int_eq(bind_interdomain(B, 1, ipi, &p), -EINVAL);
    ck_assert_uint_eq(evtchn_ports_in_use(&B->ed), 0);
}
END_TEST

START_TEST(loopback_channel_within_one_domain)
{
    evtchn_port_t p, q, got[4];

    ck_assert_int_eq(alloc_unbound(A, DOMID_SELF, DOMID_SELF, &p), 0);
    ck_assert_int_eq(bind_interdomain(A, DOMID_SELF, p, &q), 0);
    drain(A);
    ck_assert_int_eq(evtchn_send(&A->ed, q), 0);
    ck_assert_uint_eq(consume(A, 0, got, 4), 1);
    ck_assert_uint_eq(got[0], p);
    ck_assert_int_eq(evtchn_send(&A->ed, p), 0);
    ck_assert_uint_eq(consume(A, 0, got, 4), 1);
    ck_assert_uint_eq(got[0], q);
    ck_assert_int_eq(evtchn_close(&A->ed, q), 0);
    ck_assert_uint_eq(status(A, DOMID_SELF, p).status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(status(A, DOMID_SELF, p).u.unbound.dom, 1);
}
END_TEST

/* ---- delivery ------------------------------------------------------------ */

START_TEST(send_sets_peer_pending_and_kicks_its_vcpu)
{
    evtchn_port_t pa, pb;

    connect(A, B, &pa, &pb);
    ck_assert_int_eq(bind_vcpu(B, pb, 1), 0);
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert(is_pending(B, pb));
    ck_assert_uint_eq(sel(B, 1), (xen_ulong_t)1 << (pb / WORD_BITS));
    ck_assert_uint_eq(upcall(B, 1), 1);
    ck_assert(evtchn_upcall_pending(&B->ed, 1));
    ck_assert_uint_eq(B->kicks[1], 1);
    ck_assert_uint_eq(B->kicks[0], 0);
    ck_assert_uint_eq(sel(B, 0), 0);
    /* Nothing shows up on the sender's side. */
    ck_assert(!is_pending(A, pa));
    ck_assert_uint_eq(A->total_kicks, 0);
}
END_TEST

START_TEST(second_send_while_pending_coalesces)
{
    evtchn_port_t pa, pb, got[4];

    connect(A, B, &pa, &pb);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert_uint_eq(B->kicks[0], 1);
    ck_assert_uint_eq(consume(B, 0, got, 4), 1);
    ck_assert_uint_eq(got[0], pb);
    ck_assert_uint_eq(consume(B, 0, got, 4), 0);
    /* A guest in the middle of its scan has taken the selector but not yet
     * the pending bit: a new send must not select the word again, the scan
     * will find the port (Xen's evtchn_2l_set_pending returns early). */
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    B->shared->vcpu_info[0].evtchn_upcall_pending = 0;
    B->shared->vcpu_info[0].evtchn_pending_sel = 0;
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert_uint_eq(sel(B, 0), 0);
    ck_assert_uint_eq(upcall(B, 0), 0);
    ck_assert_uint_eq(B->kicks[0], 2);
}
END_TEST

START_TEST(upcall_already_pending_selects_word_without_a_new_kick)
{
    evtchn_port_t pb[70], pa[70];

    /* Enough channels for B's ports to span two selector words. */
    for (int i = 0; i < 70; i++)
        connect(A, B, &pa[i], &pb[i]);
    ck_assert_uint_eq(pb[0] / WORD_BITS, 0);
    ck_assert_uint_eq(pb[69] / WORD_BITS, 1);
    ck_assert_int_eq(evtchn_send(&A->ed, pa[0]), 0);
    ck_assert_int_eq(evtchn_send(&A->ed, pa[69]), 0);
    ck_assert_uint_eq(sel(B, 0), 3);
    ck_assert_uint_eq(B->kicks[0], 1);
    /* The guest cleared evtchn_upcall_pending but left the selector: a new
     * event in a selected word raises nothing, one in a new word does. */
    B->shared->vcpu_info[0].evtchn_upcall_pending = 0;
    B->shared->vcpu_info[0].evtchn_pending_sel = 1;
    ck_assert_int_eq(evtchn_send(&A->ed, pa[1]), 0);
    ck_assert_uint_eq(upcall(B, 0), 0);
    ck_assert_uint_eq(B->kicks[0], 1);
    B->shared->evtchn_pending[1] = 0;
    ck_assert_int_eq(evtchn_send(&A->ed, pa[69]), 0);
    ck_assert_uint_eq(upcall(B, 0), 1);
    ck_assert_uint_eq(B->kicks[0], 2);
}
END_TEST

START_TEST(masked_port_waits_for_unmask)
{
    evtchn_port_t pa, pb, got[4];

    connect(A, B, &pa, &pb);
    set_mask(B, pb, true);
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert(is_pending(B, pb));
    ck_assert_uint_eq(sel(B, 0), 0);
    ck_assert_uint_eq(upcall(B, 0), 0);
    ck_assert_uint_eq(B->total_kicks, 0);
    ck_assert_int_eq(evtchn_unmask(&B->ed, pb), 0);
    ck_assert_uint_eq(B->kicks[0], 1);
    ck_assert_uint_eq(consume(B, 0, got, 4), 1);
    ck_assert_uint_eq(got[0], pb);
    /* Unmasking what is not masked, or not pending, raises nothing. */
    ck_assert_int_eq(evtchn_unmask(&B->ed, pb), 0);
    set_mask(B, pb, true);
    ck_assert_int_eq(evtchn_unmask(&B->ed, pb), 0);
    ck_assert_uint_eq(B->kicks[0], 1);
    ck_assert_uint_eq(upcall(B, 0), 0);
}
END_TEST

/* SCHEDOP_poll waits for a port's pending bit, masked or not: the hook
 * fires once per 0 -> 1 of the bit, and evtchn_port_is_pending agrees. */
START_TEST(port_raised_fires_for_masked_ports_once_per_edge)
{
    evtchn_port_t pa, pb;

    connect(A, B, &pa, &pb);
    set_mask(B, pb, true);
    ck_assert(!evtchn_port_is_pending(&B->ed, pb));
    B->raised = 0;                          /* binding raises its own port, as in Xen */
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert_uint_eq(B->raised, 1);
    ck_assert_uint_eq(B->last_raised, pb);
    ck_assert(evtchn_port_is_pending(&B->ed, pb));
    ck_assert_uint_eq(B->total_kicks, 0);   /* masked: no upcall */
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert_uint_eq(B->raised, 1);        /* still pending: no new edge */
    B->shared->evtchn_pending[pb / WORD_BITS] &= ~((xen_ulong_t)1 << (pb % WORD_BITS));
    ck_assert(!evtchn_port_is_pending(&B->ed, pb));
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert_uint_eq(B->raised, 2);
    /* Out of range is never pending; free ports are not in use. */
    ck_assert(!evtchn_port_is_pending(&B->ed, 1u << 20));
    ck_assert(evtchn_port_in_use(&B->ed, pb));
    ck_assert(!evtchn_port_in_use(&B->ed, 0));
    ck_assert(!evtchn_port_in_use(&B->ed, pb + 1));
    ck_assert(!evtchn_port_in_use(&B->ed, 1u << 20));
    ck_assert(!B->bad_kick);
}
END_TEST

START_TEST(unmask_delivers_to_the_ports_current_vcpu)
{
    evtchn_port_t pa, pb;

    connect(A, B, &pa, &pb);
    set_mask(B, pb, true);
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    /* Linux's rebind: mask, bind_vcpu, unmask. */
    ck_assert_int_eq(bind_vcpu(B, pb, 1), 0);
    ck_assert_int_eq(evtchn_unmask(&B->ed, pb), 0);
    ck_assert_uint_eq(B->kicks[1], 1);
    ck_assert_uint_eq(B->kicks[0], 0);
    ck_assert_uint_ne(sel(B, 1), 0);
}
END_TEST

START_TEST(bind_vcpu_moves_later_deliveries)
{
    evtchn_port_t pa, pb, got[4];

    connect(A, B, &pa, &pb);
    for (unsigned int i = 0; i < 6; i++) {
        unsigned int v = i % 2;

        ck_assert_int_eq(bind_vcpu(B, pb, v), 0);
        ck_assert_uint_eq(status(B, DOMID_SELF, pb).vcpu, v);
        ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
        ck_assert_uint_eq(consume(B, 1 - v, got, 4), 0);
        ck_assert_uint_eq(consume(B, v, got, 4), 1);
        ck_assert_uint_eq(got[0], pb);
    }
    ck_assert_uint_eq(B->kicks[0], 3);
    ck_assert_uint_eq(B->kicks[1], 3);
}
END_TEST

START_TEST(bind_vcpu_rejects_fixed_and_bad_bindings)
{
    evtchn_port_t ipi, timer, console, unbound;

    ck_assert_int_eq(bind_ipi(A, 1, &ipi), 0);
    ck_assert_int_eq(bind_virq(A, VIRQ_TIMER, 2, &timer), 0);
    ck_assert_int_eq(bind_virq(A, VIRQ_CONSOLE, 0, &console), 0);
    ck_assert_int_eq(alloc_unbound(A, DOMID_SELF, 2, &unbound), 0);
    ck_assert_int_eq(bind_vcpu(A, ipi, 0), -EINVAL);
    ck_assert_int_eq(bind_vcpu(A, timer, 0), -EINVAL);
    ck_assert_int_eq(bind_vcpu(A, console, 3), 0);
    ck_assert_int_eq(bind_vcpu(A, unbound, 3), 0);
    ck_assert_int_eq(bind_vcpu(A, unbound, 4), -ENOENT);
    ck_assert_int_eq(bind_vcpu(A, 100, 1), -EINVAL);        /* free */
    ck_assert_int_eq(bind_vcpu(A, EVTCHN_MAX_PORTS, 1), -EINVAL);
    ck_assert_uint_eq(status(A, DOMID_SELF, ipi).vcpu, 1);
    ck_assert_uint_eq(status(A, DOMID_SELF, timer).vcpu, 2);
}
END_TEST

/* ---- VIRQs and IPIs ------------------------------------------------------ */

START_TEST(per_vcpu_virq_goes_to_its_vcpu)
{
    evtchn_port_t t0, t1, dup, got[4];
    struct evtchn_status st;

    ck_assert_int_eq(bind_virq(A, VIRQ_TIMER, 0, &t0), 0);
    ck_assert_int_eq(bind_virq(A, VIRQ_TIMER, 1, &t1), 0);
    ck_assert_int_eq(bind_virq(A, VIRQ_TIMER, 1, &dup), -EEXIST);
    st = status(A, DOMID_SELF, t1);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_virq);
    ck_assert_uint_eq(st.u.virq, VIRQ_TIMER);
    ck_assert_uint_eq(st.vcpu, 1);

    ck_assert_int_eq(evtchn_send_virq(&A->ed, VIRQ_TIMER, 1), 0);
    ck_assert_uint_eq(A->kicks[1], 1);
    ck_assert_uint_eq(A->kicks[0], 0);
    ck_assert_uint_eq(consume(A, 1, got, 4), 1);
    ck_assert_uint_eq(got[0], t1);
    ck_assert_int_eq(evtchn_send_virq(&A->ed, VIRQ_TIMER, 2), -ENOENT);
    ck_assert_int_eq(evtchn_send_virq(&A->ed, VIRQ_TIMER, 4), -EINVAL);
    ck_assert_uint_eq(A->total_kicks, 1);
}
END_TEST

START_TEST(global_virq_binds_on_vcpu0_and_can_move)
{
    evtchn_port_t p, got[4];

    ck_assert_int_eq(bind_virq(dom0, VIRQ_DOM_EXC, 1, &p), -EINVAL);
    ck_assert_int_eq(bind_virq(dom0, VIRQ_DOM_EXC, 0, &p), 0);
    ck_assert_int_eq(bind_virq(dom0, VIRQ_DOM_EXC, 0, &p), -EEXIST);
    /* The vcpu argument does not matter for a global VIRQ. */
    ck_assert_int_eq(evtchn_send_virq(&dom0->ed, VIRQ_DOM_EXC, 1), 0);
    ck_assert_uint_eq(consume(dom0, 0, got, 4), 1);
    ck_assert_uint_eq(got[0], p);
    ck_assert_int_eq(bind_vcpu(dom0, p, 1), 0);
    ck_assert_int_eq(evtchn_send_virq(&dom0->ed, VIRQ_DOM_EXC, 0), 0);
    ck_assert_uint_eq(consume(dom0, 0, got, 4), 0);
    ck_assert_uint_eq(consume(dom0, 1, got, 4), 1);
    ck_assert_uint_eq(got[0], p);
    /* Closing it unbinds the VIRQ, so it can be bound again. */
    ck_assert_int_eq(evtchn_close(&dom0->ed, p), 0);
    ck_assert_int_eq(evtchn_send_virq(&dom0->ed, VIRQ_DOM_EXC, 0), -ENOENT);
    ck_assert_int_eq(bind_virq(dom0, VIRQ_DOM_EXC, 0, &p), 0);
    ck_assert_uint_eq(status(dom0, DOMID_SELF, p).vcpu, 0);
}
END_TEST

START_TEST(virq_arguments_are_checked)
{
    evtchn_port_t p;

    ck_assert_int_eq(bind_virq(A, NR_VIRQS, 0, &p), -EINVAL);
    ck_assert_int_eq(bind_virq(A, 0xffffffffu, 0, &p), -EINVAL);
    ck_assert_int_eq(bind_virq(A, VIRQ_TIMER, 4, &p), -ENOENT);
    ck_assert_int_eq(bind_virq(A, VIRQ_CONSOLE, 4, &p), -EINVAL);
    ck_assert_int_eq(evtchn_send_virq(&A->ed, NR_VIRQS, 0), -EINVAL);
    ck_assert_int_eq(evtchn_send_virq(&A->ed, VIRQ_CONSOLE, 0), -ENOENT);
    /* A VIRQ port is the hypervisor's to raise, not the guest's to send. */
    ck_assert_int_eq(bind_virq(A, VIRQ_CONSOLE, 0, &p), 0);
    ck_assert_int_eq(evtchn_send(&A->ed, p), -EINVAL);
    ck_assert_uint_eq(evtchn_ports_in_use(&A->ed), 1);
}
END_TEST

START_TEST(ipi_is_delivered_locally_to_its_vcpu)
{
    evtchn_port_t p, got[4];
    struct evtchn_status st;

    ck_assert_int_eq(bind_ipi(A, 4, &p), -ENOENT);
    ck_assert_int_eq(bind_ipi(A, 3, &p), 0);
    st = status(A, DOMID_SELF, p);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_ipi);
    ck_assert_uint_eq(st.vcpu, 3);
    ck_assert_int_eq(evtchn_send(&A->ed, p), 0);
    ck_assert_uint_eq(A->kicks[3], 1);
    ck_assert_uint_eq(A->total_kicks, 1);
    ck_assert_uint_eq(consume(A, 3, got, 4), 1);
    ck_assert_uint_eq(got[0], p);
    ck_assert_uint_eq(B->total_kicks, 0);
}
END_TEST

/* ---- close, exhaustion, ranges --------------------------------------------- */

START_TEST(close_leaves_the_other_end_unbound)
{
    evtchn_port_t pa, pb, pb2;

    connect(A, B, &pa, &pb);
    ck_assert_int_eq(evtchn_close(&B->ed, pb), 0);
    ck_assert_uint_eq(status(B, DOMID_SELF, pb).status, EVTCHNSTAT_closed);
    ck_assert_uint_eq(status(A, DOMID_SELF, pa).status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(status(A, DOMID_SELF, pa).u.unbound.dom, 2);
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert_uint_eq(B->total_kicks, 0);
    ck_assert_int_eq(evtchn_close(&B->ed, pb), -EINVAL);
    ck_assert_int_eq(evtchn_send(&B->ed, pb), -EINVAL);
    /* A's end waits for B again: B may reconnect. */
    ck_assert_int_eq(bind_interdomain(B, 1, pa, &pb2), 0);
    drain(B);
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert(is_pending(B, pb2));
}
END_TEST

START_TEST(closing_the_lower_domid_end_works_too)
{
    evtchn_port_t pa, pb;

    connect(A, B, &pa, &pb);
    ck_assert_int_eq(evtchn_close(&A->ed, pa), 0);
    ck_assert_uint_eq(status(B, DOMID_SELF, pb).status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(status(B, DOMID_SELF, pb).u.unbound.dom, 1);
    ck_assert_uint_eq(evtchn_ports_in_use(&A->ed), 0);
    ck_assert_uint_eq(evtchn_ports_in_use(&B->ed), 1);
}
END_TEST

START_TEST(close_does_not_need_to_find_the_peer)
{
    evtchn_port_t pa, pb;

    /* A crashed domain may be hidden from domain_by_id before it is
     * destroyed; B (higher domid) must still be able to close. */
    connect(A, B, &pa, &pb);
    fakes[1] = NULL;
    ck_assert_int_eq(evtchn_close(&B->ed, pb), 0);
    fakes[1] = A;
    ck_assert_uint_eq(status(A, DOMID_SELF, pa).status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(A->ed.pins, 0);
}
END_TEST

START_TEST(a_reused_port_starts_clean)
{
    evtchn_port_t pa, pb, again;

    connect(A, B, &pa, &pb);
    ck_assert_int_eq(bind_vcpu(B, pb, 1), 0);
    set_mask(B, pb, true);
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert(is_pending(B, pb));
    ck_assert_int_eq(evtchn_close(&B->ed, pb), 0);
    ck_assert(!is_pending(B, pb));
    ck_assert_int_eq(bind_ipi(B, 0, &again), 0);
    ck_assert_uint_eq(again, pb);
    ck_assert_uint_eq(status(B, DOMID_SELF, again).vcpu, 0);
}
END_TEST

START_TEST(ports_run_out_with_enospc)
{
    evtchn_port_t p, last = 0;

    for (unsigned int i = 1; i < EVTCHN_MAX_PORTS; i++) {
        ck_assert_int_eq(alloc_unbound(A, DOMID_SELF, 2, &p), 0);
        ck_assert_uint_eq(p, i);
        last = p;
    }
    ck_assert_uint_eq(last, EVTCHN_MAX_PORTS - 1);
    ck_assert_int_eq(alloc_unbound(A, DOMID_SELF, 2, &p), -ENOSPC);
    ck_assert_int_eq(bind_ipi(A, 0, &p), -ENOSPC);
    ck_assert_int_eq(bind_virq(A, VIRQ_TIMER, 0, &p), -ENOSPC);
    ck_assert_int_eq(bind_interdomain(A, 2, 1, &p), -EINVAL);
    ck_assert_int_eq(evtchn_close(&A->ed, 1234), 0);
    ck_assert_int_eq(bind_ipi(A, 0, &p), 0);
    ck_assert_uint_eq(p, 1234);
    ck_assert_uint_eq(evtchn_ports_in_use(&A->ed), EVTCHN_MAX_PORTS - 1);
}
END_TEST

START_TEST(a_smaller_port_limit_is_enforced)
{
    struct fake_dom *s = make_dom(3, 1, false, 8, true);
    evtchn_port_t p, pa;

    for (int i = 1; i < 8; i++)
        ck_assert_int_eq(bind_ipi(s, 0, &p), 0);
    ck_assert_int_eq(bind_ipi(s, 0, &p), -ENOSPC);
    ck_assert_int_eq(evtchn_send(&s->ed, 8), -EINVAL);
    ck_assert_int_eq(evtchn_close(&s->ed, 8), -EINVAL);
    ck_assert_int_eq(alloc_unbound(A, DOMID_SELF, 3, &pa), 0);
    ck_assert_int_eq(bind_interdomain(s, 1, pa, &p), -ENOSPC);
    ck_assert_uint_eq(status(A, DOMID_SELF, pa).status, EVTCHNSTAT_unbound);
}
END_TEST

START_TEST(out_of_range_ports_are_einval)
{
    static const evtchn_port_t bad[] = { EVTCHN_MAX_PORTS, EVTCHN_MAX_PORTS + 1, 65536, 0xffffffffu };

    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct evtchn_status st = { .dom = DOMID_SELF, .port = bad[i] };

        ck_assert_int_eq(evtchn_send(&A->ed, bad[i]), -EINVAL);
        ck_assert_int_eq(evtchn_close(&A->ed, bad[i]), -EINVAL);
        ck_assert_int_eq(evtchn_unmask(&A->ed, bad[i]), -EINVAL);
        ck_assert_int_eq(bind_vcpu(A, bad[i], 0), -EINVAL);
        ck_assert_int_eq(evtchn_status(&A->ed, &st), -EINVAL);
    }
    /* In range but never allocated. */
    ck_assert_int_eq(evtchn_send(&A->ed, 77), -EINVAL);
    ck_assert_int_eq(evtchn_close(&A->ed, 77), -EINVAL);
    ck_assert_uint_eq(A->total_kicks, 0);
}
END_TEST

START_TEST(status_of_another_domain_needs_privilege)
{
    evtchn_port_t pb;
    struct evtchn_status st = { .dom = 2, .port = 1 };

    ck_assert_int_eq(bind_ipi(B, 1, &pb), 0);
    ck_assert_int_eq(evtchn_status(&A->ed, &st), -EPERM);
    st = status(dom0, 2, pb);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_ipi);
    ck_assert_uint_eq(st.vcpu, 1);
    st = (struct evtchn_status){ .dom = 5, .port = 1 };
    ck_assert_int_eq(evtchn_status(&dom0->ed, &st), -ESRCH);
    /* Naming oneself by id is the same as DOMID_SELF. */
    ck_assert_uint_eq(status(B, 2, pb).status, EVTCHNSTAT_ipi);
}
END_TEST

/* ---- domain life cycle ----------------------------------------------------- */

START_TEST(destroy_leaves_peers_unbound)
{
    evtchn_port_t pa, pb, q, p2, virq;

    connect(A, B, &pa, &pb);
    ck_assert_int_eq(alloc_unbound(B, DOMID_SELF, 1, &q), 0);
    ck_assert_int_eq(bind_interdomain(A, 2, q, &p2), 0);
    ck_assert_int_eq(bind_virq(B, VIRQ_TIMER, 1, &virq), 0);
    kill_dom(B);                    /* checks B has no port left */
    B = NULL;
    ck_assert_uint_eq(status(A, DOMID_SELF, pa).status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(status(A, DOMID_SELF, pa).u.unbound.dom, 2);
    ck_assert_uint_eq(status(A, DOMID_SELF, p2).status, EVTCHNSTAT_unbound);
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert_int_eq(bind_interdomain(A, 2, 1, &q), -ESRCH);
    ck_assert_uint_eq(evtchn_ports_in_use(&A->ed), 2);
}
END_TEST

START_TEST(a_dying_domain_takes_no_new_channels)
{
    evtchn_port_t pb, p;

    ck_assert_int_eq(alloc_unbound(B, DOMID_SELF, 1, &pb), 0);
    /* Destroyed while someone still holds it from an earlier lookup. */
    evtchn_domain_destroy(&B->ed);
    ck_assert_int_eq(bind_interdomain(A, 2, pb, &p), -ESRCH);
    ck_assert_int_eq(bind_ipi(B, 0, &p), -EINVAL);
    ck_assert_int_eq(alloc_unbound(dom0, 2, 1, &p), -EINVAL);
    ck_assert_uint_eq(evtchn_ports_in_use(&A->ed), 0);
}
END_TEST

START_TEST(reset_closes_every_port)
{
    evtchn_port_t pa, pb, p;
    struct evtchn_reset r = { .dom = DOMID_SELF };

    connect(A, B, &pa, &pb);
    ck_assert_int_eq(bind_virq(A, VIRQ_TIMER, 0, &p), 0);
    ck_assert_int_eq(bind_ipi(A, 2, &p), 0);
    ck_assert_int_eq(alloc_unbound(A, DOMID_SELF, 0, &p), 0);

    r.dom = 1;
    ck_assert_int_eq(evtchn_reset(&B->ed, &r), -EPERM);
    ck_assert_uint_eq(evtchn_ports_in_use(&A->ed), 4);
    r.dom = DOMID_SELF;
    ck_assert_int_eq(evtchn_reset(&A->ed, &r), 0);
    ck_assert_uint_eq(evtchn_ports_in_use(&A->ed), 0);
    ck_assert_uint_eq(status(B, DOMID_SELF, pb).status, EVTCHNSTAT_unbound);
    /* VIRQs are free to bind again. */
    ck_assert_int_eq(bind_virq(A, VIRQ_TIMER, 0, &p), 0);
    ck_assert_uint_eq(p, 1);
    /* dom0 may reset someone else. */
    r.dom = 2;
    ck_assert_int_eq(evtchn_reset(&dom0->ed, &r), 0);
    ck_assert_uint_eq(evtchn_ports_in_use(&B->ed), 0);
}
END_TEST

START_TEST(create_destroy_cycles_leave_nothing_behind)
{
    unsigned int base_a = evtchn_ports_in_use(&A->ed);

    for (int i = 0; i < 2000; i++) {
        struct fake_dom *c = make_dom(3, 2, false, 0, true);
        evtchn_port_t pa, pc, pa2, pc2, p;

        connect(A, c, &pa, &pc);
        connect(c, A, &pc2, &pa2);
        ck_assert_int_eq(bind_virq(c, VIRQ_TIMER, 1, &p), 0);
        ck_assert_int_eq(bind_ipi(c, 0, &p), 0);
        ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
        kill_dom(c);
        ck_assert_int_eq(evtchn_close(&A->ed, pa), 0);
        ck_assert_int_eq(evtchn_close(&A->ed, pa2), 0);
    }
    ck_assert_uint_eq(evtchn_ports_in_use(&A->ed), base_a);
}
END_TEST

/* ---- shared_info and vcpu_info ------------------------------------------- */

START_TEST(events_before_shared_info_arrive_once_it_is_set)
{
    struct fake_dom *e = make_dom(3, 2, false, 0, false);
    evtchn_port_t pa, pe, pa2, pe2, got[4];

    /* e offers the ports, so nothing is raised in e by the binding. */
    connect(e, A, &pe, &pa);
    connect(e, A, &pe2, &pa2);
    ck_assert_uint_eq(evtchn_get_stats_raised(e), 0);
    ck_assert_int_eq(bind_vcpu(e, pe, 1), 0);
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert_int_eq(evtchn_send(&A->ed, pa2), 0);
    ck_assert_int_eq(evtchn_close(&e->ed, pe2), 0);   /* a closed port forgets its event */
    ck_assert_uint_eq(e->total_kicks, 0);
    ck_assert(!evtchn_upcall_pending(&e->ed, 1));

    evtchn_set_shared_info(&e->ed, e->shared);
    ck_assert_uint_eq(e->kicks[1], 1);
    ck_assert_uint_eq(consume(e, 1, got, 4), 1);
    ck_assert_uint_eq(got[0], pe);
    ck_assert_uint_eq(consume(e, 0, got, 4), 0);
    ck_assert_uint_eq(e->total_kicks, 1);
}
END_TEST

START_TEST(registered_vcpu_info_receives_deliveries)
{
    static struct vcpu_info mine;
    evtchn_port_t pa, pb, got[4];

    connect(A, B, &pa, &pb);
    ck_assert_int_eq(bind_vcpu(B, pb, 1), 0);
    ck_assert_int_eq(evtchn_set_vcpu_info(&B->ed, 2, &mine), -ENOENT);
    ck_assert_int_eq(evtchn_set_vcpu_info(&B->ed, 1, &mine), 0);
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert_uint_eq(mine.evtchn_upcall_pending, 1);
    ck_assert_uint_eq(sel(B, 1), 0);
    ck_assert_uint_eq(B->kicks[1], 1);
    ck_assert(evtchn_upcall_pending(&B->ed, 1));
    ck_assert_uint_eq(consume_vi(B, &mine, got, 4), 1);
    ck_assert_uint_eq(got[0], pb);
    /* Back to the slot in shared_info. */
    ck_assert_int_eq(evtchn_set_vcpu_info(&B->ed, 1, NULL), 0);
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert_uint_eq(upcall(B, 1), 1);
    ck_assert_uint_eq(mine.evtchn_upcall_pending, 0);
}
END_TEST

START_TEST(vcpu_beyond_the_legacy_slots_needs_registration)
{
    static struct vcpu_info late;
    struct fake_dom *big = make_dom(3, 40, false, 0, true);
    evtchn_port_t pa, pbig, got[4];

    connect(A, big, &pa, &pbig);
    ck_assert_int_eq(bind_vcpu(big, pbig, 35), 0);
    ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert(is_pending(big, pbig));
    ck_assert_uint_eq(big->total_kicks, 0);
    ck_assert(!evtchn_upcall_pending(&big->ed, 35));
    /* Registering it catches up with what is already pending. */
    ck_assert_int_eq(evtchn_set_vcpu_info(&big->ed, 35, &late), 0);
    ck_assert_uint_eq(big->kicks[35], 1);
    ck_assert_uint_eq(late.evtchn_pending_sel, (xen_ulong_t)1 << (pbig / WORD_BITS));
    ck_assert_uint_eq(consume_vi(big, &late, got, 4), 1);
    ck_assert_uint_eq(got[0], pbig);
}
END_TEST

/* ---- the hypercall dispatcher and counters ---------------------------------- */

START_TEST(op_dispatch_and_sizes)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = 2 };
    struct evtchn_bind_interdomain b;
    struct evtchn_send s;
    struct evtchn_close c;

    ck_assert_uint_eq(evtchn_op_size(EVTCHNOP_alloc_unbound), sizeof(a));
    ck_assert_uint_eq(evtchn_op_size(EVTCHNOP_status), sizeof(struct evtchn_status));
    ck_assert_uint_eq(evtchn_op_size(EVTCHNOP_bind_pirq), 0);
    ck_assert_uint_eq(evtchn_op_size(EVTCHNOP_init_control), 0);
    ck_assert_int_eq(evtchn_op(&A->ed, EVTCHNOP_init_control, &a), -ENOSYS);
    ck_assert_int_eq(evtchn_op(&A->ed, 99, &a), -ENOSYS);

    ck_assert_int_eq(evtchn_op(&A->ed, EVTCHNOP_alloc_unbound, &a), 0);
    b = (struct evtchn_bind_interdomain){ .remote_dom = 1, .remote_port = a.port };
    ck_assert_int_eq(evtchn_op(&B->ed, EVTCHNOP_bind_interdomain, &b), 0);
    drain(B);
    s.port = a.port;
    ck_assert_int_eq(evtchn_op(&A->ed, EVTCHNOP_send, &s), 0);
    ck_assert(is_pending(B, b.local_port));
    c.port = b.local_port;
    ck_assert_int_eq(evtchn_op(&B->ed, EVTCHNOP_close, &c), 0);
    ck_assert_int_eq(evtchn_op(&B->ed, EVTCHNOP_close, &c), -EINVAL);
}
END_TEST

START_TEST(stats_count_sends_raises_and_upcalls)
{
    evtchn_port_t pa, pb, t;
    struct evtchn_stats sa, sb;

    connect(A, B, &pa, &pb);
    ck_assert_int_eq(bind_virq(B, VIRQ_TIMER, 0, &t), 0);
    evtchn_get_stats(&B->ed, &sb);
    ck_assert_uint_eq(sb.raised, 1);                /* from bind_interdomain */
    ck_assert_uint_eq(sb.upcalls, 1);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
    ck_assert_int_eq(evtchn_send_virq(&B->ed, VIRQ_TIMER, 0), 0);
    evtchn_get_stats(&A->ed, &sa);
    evtchn_get_stats(&B->ed, &sb);
    ck_assert_uint_eq(sa.sends, 5);
    ck_assert_uint_eq(sa.raised, 0);
    ck_assert_uint_eq(sb.sends, 0);
    ck_assert_uint_eq(sb.raised, 7);
    ck_assert_uint_eq(sb.virqs, 1);
    ck_assert_uint_eq(sb.upcalls, 2);               /* the rest found it pending */
    ck_assert_uint_eq(sb.upcalls, B->total_kicks + 1);  /* +1: drained by connect() */
}
END_TEST

/* ---- ping-pong --------------------------------------------------------------- */

START_TEST(ping_pong_100k_round_trips)
{
    evtchn_port_t pa, pb, got[4];

    connect(A, B, &pa, &pb);
    for (unsigned int i = 0; i < 100000; i++) {
        unsigned int va = i % 4, vb = (i / 3) % 2;

        /* Move the receiving vCPUs around, and every fifth round receive
         * the way Linux does for a port being rebound: masked. */
        ck_assert_int_eq(bind_vcpu(A, pa, va), 0);
        ck_assert_int_eq(bind_vcpu(B, pb, vb), 0);
        if (i % 5 == 0)
            set_mask(B, pb, true);
        ck_assert_int_eq(evtchn_send(&A->ed, pa), 0);
        if (i % 5 == 0) {
            ck_assert_uint_eq(consume(B, vb, got, 4), 0);
            set_mask(B, pb, false);
            ck_assert_int_eq(evtchn_unmask(&B->ed, pb), 0);     /* no-op: already clear */
            set_mask(B, pb, true);
            ck_assert_int_eq(evtchn_unmask(&B->ed, pb), 0);
        }
        ck_assert_uint_eq(consume(B, 1 - vb, got, 4), 0);
        ck_assert_uint_eq(consume(B, vb, got, 4), 1);
        ck_assert_uint_eq(got[0], pb);

        ck_assert_int_eq(evtchn_send(&B->ed, pb), 0);
        ck_assert_uint_eq(consume(A, va, got, 4), 1);
        ck_assert_uint_eq(got[0], pa);
        ck_assert_uint_eq(consume(A, (va + 1) % 4, got, 4), 0);
        ck_assert_uint_eq(B->total_kicks, i + 1);
        ck_assert_uint_eq(A->total_kicks, i + 1);
    }
    ck_assert(!is_pending(A, pa));
    ck_assert(!is_pending(B, pb));
}
END_TEST

/* Two guests on two threads, plus two threads that open and close other
 * channels between the same domains from both ends (both lock orders). */
#define THREAD_ROUNDS 20000

struct side {
    struct fake_dom *self;
    evtchn_port_t port;
    bool starts;
    unsigned int received, errors;
};

static bool wait_one(struct side *s)
{
    evtchn_port_t got[4];

    for (long spins = 0; spins < 50000000; spins++) {
        if (__atomic_load_n(&s->self->shared->vcpu_info[0].evtchn_upcall_pending,
                            __ATOMIC_SEQ_CST)) {
            unsigned int n = consume(s->self, 0, got, 4);

            if (n == 0)
                continue;           /* the guest may see the flag before the bits */
            if (n != 1 || got[0] != s->port)
                s->errors++;
            s->received += n;
            return true;
        }
        sched_yield();
    }
    s->errors++;
    return false;
}

static void *guest_thread(void *arg)
{
    struct side *s = arg;

    for (unsigned int i = 0; i < THREAD_ROUNDS; i++) {
        if (!s->starts && !wait_one(s))
            break;
        if (evtchn_send(&s->self->ed, s->port) != 0)
            s->errors++;
        if (s->starts && !wait_one(s))
            break;
    }
    return NULL;
}

static void *churn_thread(void *arg)
{
    struct fake_dom *closer = arg, *other = closer == A ? B : A;
    unsigned int *errors = calloc(1, sizeof(*errors));

    for (int i = 0; i < 3000; i++) {
        struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = other->ed.domid };
        struct evtchn_bind_interdomain b = { .remote_dom = closer->ed.domid };

        if (evtchn_alloc_unbound(&closer->ed, &a) != 0)
            (*errors)++;
        b.remote_port = a.port;
        if (evtchn_bind_interdomain(&other->ed, &b) != 0 ||
            evtchn_send(&closer->ed, a.port) != 0 ||
            evtchn_close(&closer->ed, a.port) != 0 ||
            evtchn_close(&other->ed, b.local_port) != 0)
            (*errors)++;
    }
    return errors;
}

START_TEST(threaded_ping_pong_with_concurrent_close)
{
    struct side sa = { .self = A, .starts = true }, sb = { .self = B };
    pthread_t ta, tb, ca, cb;
    void *ea, *eb;

    connect(A, B, &sa.port, &sb.port);
    /* The churned channels raise events too; the guests keep all ports but
     * the ping-pong one masked, so those stay out of their upcalls. */
    memset(A->shared->evtchn_mask, 0xff, sizeof(A->shared->evtchn_mask));
    memset(B->shared->evtchn_mask, 0xff, sizeof(B->shared->evtchn_mask));
    set_mask(A, sa.port, false);
    set_mask(B, sb.port, false);
    ck_assert_int_eq(pthread_create(&ca, NULL, churn_thread, A), 0);
    ck_assert_int_eq(pthread_create(&cb, NULL, churn_thread, B), 0);
    ck_assert_int_eq(pthread_create(&ta, NULL, guest_thread, &sa), 0);
    ck_assert_int_eq(pthread_create(&tb, NULL, guest_thread, &sb), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    pthread_join(ca, &ea);
    pthread_join(cb, &eb);
    ck_assert_uint_eq(*(unsigned int *)ea, 0);
    ck_assert_uint_eq(*(unsigned int *)eb, 0);
    free(ea);
    free(eb);
    ck_assert_uint_eq(sa.errors, 0);
    ck_assert_uint_eq(sb.errors, 0);
    ck_assert_uint_eq(sa.received, THREAD_ROUNDS);
    ck_assert_uint_eq(sb.received, THREAD_ROUNDS);
    ck_assert_uint_eq(evtchn_ports_in_use(&A->ed), 1);
    ck_assert_uint_eq(evtchn_ports_in_use(&B->ed), 1);
}
END_TEST

/* Both ends of the same channels closed at once: one thread locks A then
 * B, the other must not take B then A. */
#define RACE_CHANNELS 1000

struct closer {
    struct fake_dom *self;
    evtchn_port_t ports[RACE_CHANNELS];
    unsigned int *arrived;          /* lockstep: both threads on the same channel */
    unsigned int errors;
};

static void *close_all_thread(void *arg)
{
    struct closer *c = arg;

    for (unsigned int i = 0; i < RACE_CHANNELS; i++) {
        __atomic_fetch_add(c->arrived, 1, __ATOMIC_SEQ_CST);
        for (unsigned int spins = 0; __atomic_load_n(c->arrived, __ATOMIC_SEQ_CST) < 2 * (i + 1);
             spins++)
            if (spins > 1000)
                sched_yield();
        if (evtchn_close(&c->self->ed, c->ports[i]) != 0)
            c->errors++;
    }
    return NULL;
}

START_TEST(closing_both_ends_at_once_does_not_deadlock)
{
    static struct closer ca, cb;

    for (int round = 0; round < 20; round++) {
        unsigned int arrived = 0;
        pthread_t ta, tb;

        ca = (struct closer){ .self = A, .arrived = &arrived };
        cb = (struct closer){ .self = B, .arrived = &arrived };
        for (unsigned int i = 0; i < RACE_CHANNELS; i++)
            connect(A, B, &ca.ports[i], &cb.ports[i]);
        ck_assert_int_eq(pthread_create(&ta, NULL, close_all_thread, &ca), 0);
        ck_assert_int_eq(pthread_create(&tb, NULL, close_all_thread, &cb), 0);
        pthread_join(ta, NULL);
        pthread_join(tb, NULL);
        ck_assert_uint_eq(ca.errors + cb.errors, 0);
        ck_assert_uint_eq(evtchn_ports_in_use(&A->ed), 0);
        ck_assert_uint_eq(evtchn_ports_in_use(&B->ed), 0);
    }
}
END_TEST

Suite *event_channel_suite(void)
{
    Suite *s = suite_create("event_channel");
    TCase *ops = tcase_create("ops");
    TCase *soak = tcase_create("soak");

    tcase_add_checked_fixture(ops, setup, teardown);
    tcase_add_test(ops, init_rejects_bad_configs);
    tcase_add_test(ops, port_zero_is_reserved);
    tcase_add_test(ops, alloc_unbound_waits_for_the_named_domain);
    tcase_add_test(ops, alloc_unbound_for_another_domain_needs_privilege);
    tcase_add_test(ops, bind_interdomain_connects_both_ends);
    tcase_add_test(ops, bind_to_a_port_offered_to_someone_else_fails);
    tcase_add_test(ops, bind_interdomain_rejects_bad_remotes);
    tcase_add_test(ops, loopback_channel_within_one_domain);
    tcase_add_test(ops, send_sets_peer_pending_and_kicks_its_vcpu);
    tcase_add_test(ops, second_send_while_pending_coalesces);
    tcase_add_test(ops, upcall_already_pending_selects_word_without_a_new_kick);
    tcase_add_test(ops, masked_port_waits_for_unmask);
    tcase_add_test(ops, port_raised_fires_for_masked_ports_once_per_edge);
    tcase_add_test(ops, unmask_delivers_to_the_ports_current_vcpu);
    tcase_add_test(ops, bind_vcpu_moves_later_deliveries);
    tcase_add_test(ops, bind_vcpu_rejects_fixed_and_bad_bindings);
    tcase_add_test(ops, per_vcpu_virq_goes_to_its_vcpu);
    tcase_add_test(ops, global_virq_binds_on_vcpu0_and_can_move);
    tcase_add_test(ops, virq_arguments_are_checked);
    tcase_add_test(ops, ipi_is_delivered_locally_to_its_vcpu);
    tcase_add_test(ops, close_leaves_the_other_end_unbound);
    tcase_add_test(ops, closing_the_lower_domid_end_works_too);
    tcase_add_test(ops, close_does_not_need_to_find_the_peer);
    tcase_add_test(ops, a_reused_port_starts_clean);
    tcase_add_test(ops, ports_run_out_with_enospc);
    tcase_add_test(ops, a_smaller_port_limit_is_enforced);
    tcase_add_test(ops, out_of_range_ports_are_einval);
    tcase_add_test(ops, status_of_another_domain_needs_privilege);
    tcase_add_test(ops, destroy_leaves_peers_unbound);
    tcase_add_test(ops, a_dying_domain_takes_no_new_channels);
    tcase_add_test(ops, reset_closes_every_port);
    tcase_add_test(ops, events_before_shared_info_arrive_once_it_is_set);
    tcase_add_test(ops, registered_vcpu_info_receives_deliveries);
    tcase_add_test(ops, vcpu_beyond_the_legacy_slots_needs_registration);
    tcase_add_test(ops, op_dispatch_and_sizes);
    tcase_add_test(ops, stats_count_sends_raises_and_upcalls);
    suite_add_tcase(s, ops);

    tcase_add_checked_fixture(soak, setup, teardown);
    tcase_set_timeout(soak, 60);
    tcase_add_test(soak, create_destroy_cycles_leave_nothing_behind);
    tcase_add_test(soak, ping_pong_100k_round_trips);
    tcase_add_test(soak, threaded_ping_pong_with_concurrent_close);
    tcase_add_test(soak, closing_both_ends_at_once_does_not_deadlock);
    suite_add_tcase(s, soak);
    return s;
}
