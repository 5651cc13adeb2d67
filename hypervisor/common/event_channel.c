/*
 * Event channels with Xen's 2-level ABI.  The behaviour follows Xen's
 * xen/common/event_channel.c and event_2l.c (semantics, errno values);
 * the guest-visible layout is <xen/xen.h> (struct shared_info, struct
 * vcpu_info) and the operations are <xen/event_channel.h>.
 *
 * The guest writes the same bitmaps concurrently (it clears pending bits
 * and selector bits, sets and clears mask bits), so every access to guest
 * memory here is an atomic read-modify-write or an atomic load.
 */
#include <sv/errno.h>
#include <sv/event_channel.h>
#include <sv/string.h>

/* Port states, as Xen's ECS_*.  Zero is FREE so that a zeroed table is empty. */
enum {
    ECS_FREE,
    ECS_RESERVED,       /* port 0: never handed out, Linux treats it as "no port" */
    ECS_UNBOUND,
    ECS_INTERDOMAIN,
    ECS_VIRQ,
    ECS_IPI,
};

#define BITS_PER_WORD   (sizeof(xen_ulong_t) * 8)
#define WORD_BIT(bit)   ((xen_ulong_t)1 << ((bit) % BITS_PER_WORD))

_Static_assert(EVTCHN_MAX_PORTS <= BITS_PER_WORD * BITS_PER_WORD,
               "2-level: one selector bit per word of evtchn_pending");
_Static_assert(EVTCHN_MAX_PORTS <= 0x10000, "remote_port is 16 bits");
_Static_assert(EVTCHN_MAX_VCPUS <= 256, "a port's vcpu is 8 bits");

/* ---- atomic bit operations on guest bitmaps ---------------------------- */

static bool bit_test_and_set(xen_ulong_t *map, unsigned int bit)
{
    return __atomic_fetch_or(&map[bit / BITS_PER_WORD], WORD_BIT(bit),
                             __ATOMIC_SEQ_CST) & WORD_BIT(bit);
}

static bool bit_test_and_clear(xen_ulong_t *map, unsigned int bit)
{
    return __atomic_fetch_and(&map[bit / BITS_PER_WORD], ~WORD_BIT(bit),
                              __ATOMIC_SEQ_CST) & WORD_BIT(bit);
}

static bool bit_test(xen_ulong_t *map, unsigned int bit)
{
    return __atomic_load_n(&map[bit / BITS_PER_WORD], __ATOMIC_SEQ_CST) & WORD_BIT(bit);
}

static void stat_inc(uint64_t *counter)
{
    __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

/* ---- locking ----------------------------------------------------------- */

/*
 * Two domains are always locked lower domid first.  Interrupts go off
 * because evtchn_send_virq() may come from an interrupt handler (the
 * timer) on a CPU that is inside a hypercall holding the same lock.
 */
static unsigned long lock_two(struct evtchn_domain *a, struct evtchn_domain *b)
{
    unsigned long flags = irq_save();

    if (a == b) {
        spin_lock(&a->lock);
    } else {
        spin_lock(a->domid < b->domid ? &a->lock : &b->lock);
        spin_lock(a->domid < b->domid ? &b->lock : &a->lock);
    }
    return flags;
}

static void unlock_two(struct evtchn_domain *a, struct evtchn_domain *b, unsigned long flags)
{
    if (a != b)
        spin_unlock(&b->lock);
    spin_unlock(&a->lock);
    irq_restore(flags);
}

/* ---- delivery (2-level ABI, Xen's evtchn_2l_set_pending) ---------------- */

static struct vcpu_info *vcpu_info_of(struct evtchn_domain *d, unsigned int vcpu)
{
    return __atomic_load_n(&d->vcpu_info[vcpu], __ATOMIC_SEQ_CST);
}

/* <xen/xen.h>: the upcall is due when evtchn_upcall_pending goes 0 -> 1. */
static void mark_upcall(struct evtchn_domain *d, unsigned int vcpu, struct vcpu_info *vi)
{
    if (__atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST))
        return;
    stat_inc(&d->stats.upcalls);
    d->ops->kick_vcpu(d->ctx, d, vcpu);
}

/* The port is pending and unmasked: flag its word for vcpu. */
static void select_word(struct evtchn_domain *d, unsigned int port, unsigned int vcpu)
{
    struct vcpu_info *vi = vcpu_info_of(d, vcpu);

    /* No vcpu_info (vCPU >= XEN_LEGACY_MAX_VCPUS not registered yet): the
     * pending bit stays, and evtchn_set_vcpu_info() selects it later. */
    if (!vi)
        return;
    if (!bit_test_and_set(&vi->evtchn_pending_sel, port / BITS_PER_WORD))
        mark_upcall(d, vcpu, vi);
}

static void deliver(struct evtchn_domain *d, struct shared_info *s, unsigned int port)
{
    /* Already pending: events coalesce, and a guest in the middle of its
     * scan will still find this one, so selecting again would only make a
     * spurious upcall. */
    if (bit_test_and_set(s->evtchn_pending, port))
        return;
    if (d->ops->port_raised)
        d->ops->port_raised(d->ctx, d, port);
    if (bit_test(s->evtchn_mask, port))
        return;
    select_word(d, port, __atomic_load_n(&d->ports[port].vcpu, __ATOMIC_RELAXED));
}

/*
 * Raise 'port' of d.  Caller holds d's lock or, for an interdomain send,
 * the peer's, without which d can neither close the port nor go away.
 * Without shared_info the event waits in the port; the second look pairs
 * with evtchn_set_shared_info(), which publishes the page before it
 * collects waiting events, so at least one side sees the other.
 */
static void raise_port(struct evtchn_domain *d, unsigned int port)
{
    struct evtchn_port *p = &d->ports[port];
    struct shared_info *s = __atomic_load_n(&d->shared_info, __ATOMIC_SEQ_CST);

    stat_inc(&d->stats.raised);
    if (!s) {
        __atomic_store_n(&p->early, 1, __ATOMIC_SEQ_CST);
        s = __atomic_load_n(&d->shared_info, __ATOMIC_SEQ_CST);
        if (!s || !__atomic_exchange_n(&p->early, 0, __ATOMIC_SEQ_CST))
            return;
    }
    deliver(d, s, port);
}

/* ---- port table ------------------------------------------------------- */

static bool virq_is_global(unsigned int virq)
{
    /* <xen/xen.h> marks them "V." (per vCPU); on x86 VIRQ_ARCH_* are global. */
    switch (virq) {
    case VIRQ_TIMER:
    case VIRQ_DEBUG:
    case VIRQ_XENOPROF:
    case VIRQ_XENPMU:
        return false;
    default:
        return true;
    }
}

static int get_free_port(struct evtchn_domain *d)
{
    if (d->dying)
        return -EINVAL;             /* as Xen's get_free_port() for a dying domain */
    for (unsigned int port = 1; port < d->max_ports; port++)
        if (d->ports[port].state == ECS_FREE)
            return (int)port;
    return -ENOSPC;
}

static void bind_port(struct evtchn_domain *d, unsigned int port, uint8_t state,
                      unsigned int vcpu)
{
    d->ports[port].state = state;
    __atomic_store_n(&d->ports[port].vcpu, (uint8_t)vcpu, __ATOMIC_RELAXED);
    __atomic_fetch_add(&d->ports_in_use, 1, __ATOMIC_RELAXED);
}

static void free_port(struct evtchn_domain *d, unsigned int port)
{
    struct shared_info *s = __atomic_load_n(&d->shared_info, __ATOMIC_SEQ_CST);

    /* As Xen: a stale pending bit would fire on whatever reuses the port.
     * The mask bit is the guest's and stays.  The vCPU goes back to 0
     * (<xen/event_channel.h>, EVTCHNOP_bind_vcpu note 3). */
    if (s)
        bit_test_and_clear(s->evtchn_pending, port);
    memset(&d->ports[port], 0, sizeof(d->ports[port]));
    __atomic_fetch_sub(&d->ports_in_use, 1, __ATOMIC_RELAXED);
}

/*
 * The domain an operation names: the caller itself, or, for a privileged
 * caller, any domain.
 */
static int target_domain(struct evtchn_domain *cur, domid_t dom, struct evtchn_domain **out)
{
    if (dom == DOMID_SELF || dom == cur->domid) {
        *out = cur;
        return 0;
    }
    if (!cur->privileged)
        return -EPERM;
    *out = cur->ops->domain_by_id(cur->ctx, dom);
    return *out ? 0 : -ESRCH;
}

/* ---- domain life cycle ------------------------------------------------- */

int evtchn_domain_init(struct evtchn_domain *d, const struct evtchn_domain_config *cfg)
{
    unsigned int max_ports = cfg->max_ports ? cfg->max_ports : EVTCHN_MAX_PORTS;

    if (!cfg->ops || !cfg->ops->domain_by_id || !cfg->ops->kick_vcpu ||
        cfg->domid >= DOMID_FIRST_RESERVED ||
        cfg->nr_vcpus == 0 || cfg->nr_vcpus > EVTCHN_MAX_VCPUS ||
        max_ports < 2 || max_ports > EVTCHN_MAX_PORTS)
        return -EINVAL;

    memset(d, 0, sizeof(*d));
    d->domid = cfg->domid;
    d->privileged = cfg->privileged;
    d->nr_vcpus = cfg->nr_vcpus;
    d->max_ports = max_ports;
    d->ops = cfg->ops;
    d->ctx = cfg->ctx;
    spin_lock_init(&d->lock);
    d->ports[0].state = ECS_RESERVED;
    return 0;
}

static int close_port(struct evtchn_domain *d, unsigned int port);

static void close_all(struct evtchn_domain *d)
{
    for (unsigned int port = 1; port < d->max_ports; port++)
        if (__atomic_load_n(&d->ports[port].state, __ATOMIC_RELAXED) != ECS_FREE)
            close_port(d, port);    /* -EINVAL only if someone closed it first */
}

void evtchn_domain_destroy(struct evtchn_domain *d)
{
    unsigned long flags;

    spin_lock_irqsave(&d->lock, flags);
    d->dying = true;
    spin_unlock_irqrestore(&d->lock, flags);
    close_all(d);
    /* A peer's close may still hold a pin on us; it only needs our lock. */
    while (__atomic_load_n(&d->pins, __ATOMIC_ACQUIRE))
        cpu_relax();
}

void evtchn_set_shared_info(struct evtchn_domain *d, struct shared_info *s)
{
    unsigned long flags;

    spin_lock_irqsave(&d->lock, flags);
    /* Unpublish first so that no sender pairs the new page with an old
     * vcpu_info (or the reverse) while the pointers change. */
    __atomic_store_n(&d->shared_info, NULL, __ATOMIC_SEQ_CST);
    for (unsigned int v = 0; v < d->nr_vcpus; v++) {
        struct vcpu_info *vi = d->registered[v];

        if (!vi && s && v < XEN_LEGACY_MAX_VCPUS)
            vi = &s->vcpu_info[v];
        __atomic_store_n(&d->vcpu_info[v], vi, __ATOMIC_SEQ_CST);
    }
    __atomic_store_n(&d->shared_info, s, __ATOMIC_SEQ_CST);

    if (s)
        for (unsigned int port = 1; port < d->max_ports; port++)
            if (__atomic_exchange_n(&d->ports[port].early, 0, __ATOMIC_SEQ_CST))
                deliver(d, s, port);
    spin_unlock_irqrestore(&d->lock, flags);
}

int evtchn_set_vcpu_info(struct evtchn_domain *d, unsigned int vcpu, struct vcpu_info *vi)
{
    struct shared_info *s;
    unsigned long flags;

    if (vcpu >= d->nr_vcpus)
        return -ENOENT;             /* VCPUOP_* answer for a vCPU that does not exist */

    spin_lock_irqsave(&d->lock, flags);
    d->registered[vcpu] = vi;
    s = d->shared_info;
    if (!vi && s && vcpu < XEN_LEGACY_MAX_VCPUS)
        vi = &s->vcpu_info[vcpu];
    __atomic_store_n(&d->vcpu_info[vcpu], vi, __ATOMIC_SEQ_CST);

    /* Events raised towards the old (or no) vcpu_info may have set their
     * selector bit there after the caller copied it, or nowhere: select
     * again every word that holds a pending, unmasked port of this vCPU.
     * Xen instead sets all selector bits; this is the exact version. */
    if (vi && s) {
        for (unsigned int w = 0; w * BITS_PER_WORD < d->max_ports; w++) {
            xen_ulong_t live = __atomic_load_n(&s->evtchn_pending[w], __ATOMIC_SEQ_CST) &
                               ~__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_SEQ_CST);

            for (unsigned int b = 0; live; b++, live >>= 1) {
                unsigned int port = w * BITS_PER_WORD + b;

                if ((live & 1) && port < d->max_ports && d->ports[port].vcpu == vcpu) {
                    select_word(d, port, vcpu);
                    break;
                }
            }
        }
    }
    spin_unlock_irqrestore(&d->lock, flags);
    return 0;
}

/* ---- operations --------------------------------------------------------- */

int evtchn_alloc_unbound(struct evtchn_domain *cur, struct evtchn_alloc_unbound *a)
{
    struct evtchn_domain *d;
    domid_t remote = a->remote_dom == DOMID_SELF ? cur->domid : a->remote_dom;
    unsigned long flags;
    int rc, port;

    rc = target_domain(cur, a->dom, &d);
    if (rc)
        return rc;
    /* Xen does not check remote_dom; a reserved id could never bind, so
     * refusing it early only turns a silent hang into an error. */
    if (remote >= DOMID_FIRST_RESERVED)
        return -EINVAL;

    spin_lock_irqsave(&d->lock, flags);
    port = get_free_port(d);
    if (port > 0) {
        bind_port(d, (unsigned int)port, ECS_UNBOUND, 0);
        d->ports[port].remote_domid = remote;
        a->port = (evtchn_port_t)port;
    }
    spin_unlock_irqrestore(&d->lock, flags);
    return port < 0 ? port : 0;
}

int evtchn_bind_interdomain(struct evtchn_domain *ld, struct evtchn_bind_interdomain *b)
{
    domid_t rdomid = b->remote_dom == DOMID_SELF ? ld->domid : b->remote_dom;
    struct evtchn_domain *rd;
    struct evtchn_port *rp;
    unsigned long flags;
    int lport;

    rd = rdomid == ld->domid ? ld : ld->ops->domain_by_id(ld->ctx, rdomid);
    if (!rd)
        return -ESRCH;

    flags = lock_two(ld, rd);
    if (rd->dying) {
        lport = -ESRCH;
        goto out;
    }
    /* <xen/event_channel.h>: the remote port must be unbound and waiting
     * for exactly this domain. */
    rp = b->remote_port < rd->max_ports ? &rd->ports[b->remote_port] : NULL;
    if (!rp || rp->state != ECS_UNBOUND || rp->remote_domid != ld->domid) {
        lport = -EINVAL;
        goto out;
    }
    lport = get_free_port(ld);
    if (lport < 0)
        goto out;

    bind_port(ld, (unsigned int)lport, ECS_INTERDOMAIN, 0);
    ld->ports[lport].remote = rd;
    ld->ports[lport].remote_domid = rd->domid;
    ld->ports[lport].remote_port = (uint16_t)b->remote_port;
    rp->state = ECS_INTERDOMAIN;    /* keeps its vCPU binding */
    rp->remote = ld;
    rp->remote_domid = ld->domid;
    rp->remote_port = (uint16_t)lport;

    /* The peer may have sent while its end was unbound; that was dropped.
     * Xen therefore always raises the new local port (see the ABI note on
     * EVTCHNOP_bind_interdomain). */
    raise_port(ld, (unsigned int)lport);
    b->local_port = (evtchn_port_t)lport;
out:
    unlock_two(ld, rd, flags);
    return lport < 0 ? lport : 0;
}

int evtchn_bind_virq(struct evtchn_domain *d, struct evtchn_bind_virq *b)
{
    unsigned long flags;
    int port;

    if (b->virq >= NR_VIRQS)
        return -EINVAL;
    /* Global VIRQs are bound on vCPU 0 and may move with bind_vcpu. */
    if (virq_is_global(b->virq) && b->vcpu != 0)
        return -EINVAL;
    if (b->vcpu >= d->nr_vcpus)
        return -ENOENT;

    spin_lock_irqsave(&d->lock, flags);
    if (d->virq_to_port[b->vcpu][b->virq]) {
        port = -EEXIST;
    } else {
        port = get_free_port(d);
        if (port > 0) {
            bind_port(d, (unsigned int)port, ECS_VIRQ, b->vcpu);
            d->ports[port].virq = (uint8_t)b->virq;
            d->virq_to_port[b->vcpu][b->virq] = (uint16_t)port;
            b->port = (evtchn_port_t)port;
        }
    }
    spin_unlock_irqrestore(&d->lock, flags);
    return port < 0 ? port : 0;
}

int evtchn_bind_ipi(struct evtchn_domain *d, struct evtchn_bind_ipi *b)
{
    unsigned long flags;
    int port;

    if (b->vcpu >= d->nr_vcpus)
        return -ENOENT;

    spin_lock_irqsave(&d->lock, flags);
    port = get_free_port(d);
    if (port > 0) {
        bind_port(d, (unsigned int)port, ECS_IPI, b->vcpu);
        b->port = (evtchn_port_t)port;
    }
    spin_unlock_irqrestore(&d->lock, flags);
    return port < 0 ? port : 0;
}

static int close_port(struct evtchn_domain *d, unsigned int port)
{
    struct evtchn_domain *rd = d;   /* locked together with d */
    struct evtchn_domain *pinned = NULL;
    struct evtchn_port *p, *rp;
    unsigned long flags;
    int rc = 0;

    for (;;) {
        flags = lock_two(d, rd);
        p = port < d->max_ports ? &d->ports[port] : NULL;
        if (!p || p->state != ECS_INTERDOMAIN || p->remote == rd)
            break;
        if (rd == d && d->domid < p->remote->domid) {
            spin_lock(&p->remote->lock);    /* already in domid order */
            rd = p->remote;
            break;
        }
        /*
         * The peer must be locked first, and only our lock keeps it alive
         * (its destroy cannot close its end without it): pin it, as Xen's
         * get_domain(), before dropping ours and retrying in order.
         */
        struct evtchn_domain *peer = p->remote;

        __atomic_fetch_add(&peer->pins, 1, __ATOMIC_ACQ_REL);
        unlock_two(d, rd, flags);
        if (pinned)
            __atomic_fetch_sub(&pinned->pins, 1, __ATOMIC_RELEASE);
        pinned = rd = peer;
    }

    switch (p ? p->state : ECS_FREE) {
    case ECS_FREE:
    case ECS_RESERVED:
        rc = -EINVAL;
        goto out;

    case ECS_VIRQ:
        d->virq_to_port[virq_is_global(p->virq) ? 0 : p->vcpu][p->virq] = 0;
        break;

    case ECS_INTERDOMAIN:
        /* <xen/event_channel.h> EVTCHNOP_close: the remote end goes back
         * to unbound, waiting for us again. */
        rp = &rd->ports[p->remote_port];
        rp->state = ECS_UNBOUND;
        rp->remote = NULL;
        rp->remote_domid = d->domid;
        rp->remote_port = 0;
        break;

    default:                        /* unbound, IPI: nothing else refers to it */
        break;
    }
    free_port(d, port);
out:
    unlock_two(d, rd, flags);
    if (pinned)
        __atomic_fetch_sub(&pinned->pins, 1, __ATOMIC_RELEASE);
    return rc;
}

int evtchn_close(struct evtchn_domain *cur, evtchn_port_t port)
{
    return close_port(cur, port);
}

int evtchn_send(struct evtchn_domain *ld, evtchn_port_t port)
{
    unsigned long flags;
    int rc = 0;

    spin_lock_irqsave(&ld->lock, flags);
    if (port >= ld->max_ports) {
        rc = -EINVAL;
    } else {
        struct evtchn_port *p = &ld->ports[port];

        switch (p->state) {
        case ECS_INTERDOMAIN:
            raise_port(p->remote, p->remote_port);
            stat_inc(&ld->stats.sends);
            break;
        case ECS_IPI:
            raise_port(ld, port);
            stat_inc(&ld->stats.sends);
            break;
        case ECS_UNBOUND:
            break;                  /* no peer yet: Xen drops it and succeeds */
        default:
            rc = -EINVAL;           /* free, reserved, VIRQ: not for guests to send */
            break;
        }
    }
    spin_unlock_irqrestore(&ld->lock, flags);
    return rc;
}

int evtchn_status(struct evtchn_domain *cur, struct evtchn_status *st)
{
    struct evtchn_domain *d;
    struct evtchn_port *p;
    unsigned long flags;
    int rc;

    rc = target_domain(cur, st->dom, &d);
    if (rc)
        return rc;
    if (st->port >= d->max_ports)
        return -EINVAL;

    spin_lock_irqsave(&d->lock, flags);
    p = &d->ports[st->port];
    memset(&st->u, 0, sizeof(st->u));
    st->vcpu = p->vcpu;
    switch (p->state) {
    case ECS_UNBOUND:
        st->status = EVTCHNSTAT_unbound;
        st->u.unbound.dom = p->remote_domid;
        break;
    case ECS_INTERDOMAIN:
        st->status = EVTCHNSTAT_interdomain;
        st->u.interdomain.dom = p->remote_domid;
        st->u.interdomain.port = p->remote_port;
        break;
    case ECS_VIRQ:
        st->status = EVTCHNSTAT_virq;
        st->u.virq = p->virq;
        break;
    case ECS_IPI:
        st->status = EVTCHNSTAT_ipi;
        break;
    default:                        /* free, and the reserved port 0 */
        st->status = EVTCHNSTAT_closed;
        break;
    }
    spin_unlock_irqrestore(&d->lock, flags);
    return 0;
}

int evtchn_bind_vcpu(struct evtchn_domain *d, const struct evtchn_bind_vcpu *b)
{
    unsigned long flags;
    int rc = 0;

    if (b->vcpu >= d->nr_vcpus)
        return -ENOENT;

    spin_lock_irqsave(&d->lock, flags);
    if (b->port >= d->max_ports) {
        rc = -EINVAL;
    } else {
        struct evtchn_port *p = &d->ports[b->port];

        /* <xen/event_channel.h> EVTCHNOP_bind_vcpu: IPIs and per-vCPU VIRQs
         * stay where they were bound.  An event already pending is not
         * moved: the guest masks, rebinds and unmasks, and the unmask
         * selects the word on the new vCPU. */
        if (p->state == ECS_UNBOUND || p->state == ECS_INTERDOMAIN ||
            (p->state == ECS_VIRQ && virq_is_global(p->virq)))
            __atomic_store_n(&p->vcpu, (uint8_t)b->vcpu, __ATOMIC_RELAXED);
        else
            rc = -EINVAL;
    }
    spin_unlock_irqrestore(&d->lock, flags);
    return rc;
}

int evtchn_unmask(struct evtchn_domain *d, evtchn_port_t port)
{
    struct shared_info *s;
    unsigned long flags;

    if (port >= d->max_ports)
        return -EINVAL;

    spin_lock_irqsave(&d->lock, flags);
    s = d->shared_info;
    /* Xen's evtchn_2l_unmask: only a mask bit we clear here can leave an
     * event behind that nobody selected. */
    if (s && bit_test_and_clear(s->evtchn_mask, port) && bit_test(s->evtchn_pending, port))
        select_word(d, port, d->ports[port].vcpu);
    spin_unlock_irqrestore(&d->lock, flags);
    return 0;
}

int evtchn_reset(struct evtchn_domain *cur, const struct evtchn_reset *r)
{
    struct evtchn_domain *d;
    int rc = target_domain(cur, r->dom, &d);

    if (rc)
        return rc;
    close_all(d);
    return 0;
}

size_t evtchn_op_size(unsigned int cmd)
{
    switch (cmd) {
    case EVTCHNOP_alloc_unbound:    return sizeof(struct evtchn_alloc_unbound);
    case EVTCHNOP_bind_interdomain: return sizeof(struct evtchn_bind_interdomain);
    case EVTCHNOP_bind_virq:        return sizeof(struct evtchn_bind_virq);
    case EVTCHNOP_bind_ipi:         return sizeof(struct evtchn_bind_ipi);
    case EVTCHNOP_close:            return sizeof(struct evtchn_close);
    case EVTCHNOP_send:             return sizeof(struct evtchn_send);
    case EVTCHNOP_status:           return sizeof(struct evtchn_status);
    case EVTCHNOP_bind_vcpu:        return sizeof(struct evtchn_bind_vcpu);
    case EVTCHNOP_unmask:           return sizeof(struct evtchn_unmask);
    case EVTCHNOP_reset:            return sizeof(struct evtchn_reset);
    default:                        return 0;
    }
}

int evtchn_op(struct evtchn_domain *cur, unsigned int cmd, void *arg)
{
    switch (cmd) {
    case EVTCHNOP_alloc_unbound:    return evtchn_alloc_unbound(cur, arg);
    case EVTCHNOP_bind_interdomain: return evtchn_bind_interdomain(cur, arg);
    case EVTCHNOP_bind_virq:        return evtchn_bind_virq(cur, arg);
    case EVTCHNOP_bind_ipi:         return evtchn_bind_ipi(cur, arg);
    case EVTCHNOP_close:            return evtchn_close(cur, ((struct evtchn_close *)arg)->port);
    case EVTCHNOP_send:             return evtchn_send(cur, ((struct evtchn_send *)arg)->port);
    case EVTCHNOP_status:           return evtchn_status(cur, arg);
    case EVTCHNOP_bind_vcpu:        return evtchn_bind_vcpu(cur, arg);
    case EVTCHNOP_unmask:           return evtchn_unmask(cur, ((struct evtchn_unmask *)arg)->port);
    case EVTCHNOP_reset:            return evtchn_reset(cur, arg);
    default:                        return -ENOSYS;
    }
}

/* ---- hypervisor-side entry points -------------------------------------- */

int evtchn_send_virq(struct evtchn_domain *d, unsigned int virq, unsigned int vcpu)
{
    unsigned long flags;
    unsigned int port;

    if (virq >= NR_VIRQS)
        return -EINVAL;
    if (virq_is_global(virq))
        vcpu = 0;                   /* delivered to the port's vCPU, see bind_vcpu */
    else if (vcpu >= d->nr_vcpus)
        return -EINVAL;

    spin_lock_irqsave(&d->lock, flags);
    port = d->virq_to_port[vcpu][virq];
    if (port) {
        raise_port(d, port);
        stat_inc(&d->stats.virqs);
    }
    spin_unlock_irqrestore(&d->lock, flags);
    return port ? 0 : -ENOENT;
}

bool evtchn_upcall_pending(struct evtchn_domain *d, unsigned int vcpu)
{
    struct vcpu_info *vi = vcpu < d->nr_vcpus ? vcpu_info_of(d, vcpu) : NULL;

    return vi && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST);
}

bool evtchn_port_is_pending(struct evtchn_domain *d, evtchn_port_t port)
{
    struct shared_info *s = __atomic_load_n(&d->shared_info, __ATOMIC_SEQ_CST);

    return s && port < d->max_ports && bit_test(s->evtchn_pending, port);
}

bool evtchn_port_in_use(struct evtchn_domain *d, evtchn_port_t port)
{
    return port > 0 && port < d->max_ports &&
           __atomic_load_n(&d->ports[port].state, __ATOMIC_RELAXED) != ECS_FREE;
}

void evtchn_get_stats(struct evtchn_domain *d, struct evtchn_stats *st)
{
    st->sends = __atomic_load_n(&d->stats.sends, __ATOMIC_RELAXED);
    st->virqs = __atomic_load_n(&d->stats.virqs, __ATOMIC_RELAXED);
    st->raised = __atomic_load_n(&d->stats.raised, __ATOMIC_RELAXED);
    st->upcalls = __atomic_load_n(&d->stats.upcalls, __ATOMIC_RELAXED);
}

unsigned int evtchn_ports_in_use(struct evtchn_domain *d)
{
    return __atomic_load_n(&d->ports_in_use, __ATOMIC_RELAXED);
}
