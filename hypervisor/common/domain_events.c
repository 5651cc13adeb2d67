/*
 * A domain's event channels and the hypercalls that reach them:
 * event_channel_op, the callback vector of hvm_op, and the shared_info page
 * they write into.  The 2-level state machine is common/event_channel.c;
 * this file connects it to domains, vCPUs and CPUs.
 */
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/errno.h>
#include <sv/event_channel.h>
#include <sv/guest_access.h>
#include <sv/page_alloc.h>
#include <sv/printk.h>
#include <sv/schedule.h>
#include <sv/string.h>
#include <sv/xmalloc.h>
#include <asm/mm.h>
#include <asm/vcpu.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/sched.h>
#include <asm/time.h>
#include <sv/machine.h>

static struct evtchn_domain *evtchn_of(void *ctx, domid_t id)
{
    struct domain *d = domain_by_id(id);

    (void)ctx;
    return d && domain_is_alive(d) ? d->evtchn : NULL;
}

/* evtchn_upcall_pending went 0 -> 1: a vCPU in guest mode on another CPU
 * must exit to take it, a halted one must wake. */
static void kick(void *ctx, struct evtchn_domain *ed, unsigned int vcpu)
{
    struct domain *d = ctx;

    (void)ed;
    if (vcpu >= d->nr_vcpus || !d->vcpus[vcpu])
        return;
    /* The upcall_pending store before this load (see block() in schedule.c). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (d->vcpus[vcpu]->blocked)
        sched_wake_vcpu(d->vcpus[vcpu]);
    else
        arch_kick_vcpu(d->vcpus[vcpu]);
}

/* SCHEDOP_poll: a vCPU waiting on this port wakes, even if it is masked. */
static void port_raised(void *ctx, struct evtchn_domain *ed, evtchn_port_t port)
{
    struct domain *d = ctx;

    (void)ed;
    if (!__atomic_load_n(&d->nr_polling, __ATOMIC_SEQ_CST))
        return;
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];
        const uint32_t *ports = __atomic_load_n(&v->poll_ports, __ATOMIC_SEQ_CST);

        if (!ports)
            continue;
        for (unsigned int k = 0; k < v->nr_poll_ports; k++)
            if (ports[k] == port) {
                if (v->blocked)
                    sched_wake_vcpu(v);
                break;
            }
    }
}

static const struct evtchn_ops domain_evtchn_ops = { evtchn_of, kick, port_raised };

static bool poll_satisfied(struct vcpu *v)
{
    struct domain *d = v->domain;

    if (v->poll_deadline_ns && now_ns() >= v->poll_deadline_ns)
        return true;
    for (unsigned int k = 0; k < v->nr_poll_ports; k++)
        if (evtchn_port_is_pending(d->evtchn, v->poll_buf[k]))
            return true;
    return false;
}

bool vcpu_should_wake(struct vcpu *v)
{
    if (vcpu_upcall_pending(v) || vcpu_timer_expired(v))
        return true;
    return __atomic_load_n(&v->poll_ports, __ATOMIC_SEQ_CST) && poll_satisfied(v);
}

void vcpu_poll_done(struct vcpu *v)
{
    __atomic_store_n(&v->poll_ports, NULL, __ATOMIC_SEQ_CST);
    v->poll_deadline_ns = 0;
    __atomic_sub_fetch(&v->domain->nr_polling, 1, __ATOMIC_SEQ_CST);
}

/*
 * SCHEDOP_poll (Xen's do_poll): sleep until one of the ports is pending,
 * masked or not, or until the timeout; return at once if one already is
 * or an upcall is due.  The vCPU blocks after this returns 0; block() in
 * schedule.c re-checks vcpu_should_wake() after it is off the CPU.
 */
long do_sched_poll(struct vcpu *v, uint64_t arg)
{
    struct sched_poll p;
    struct domain *d = v->domain;

    if (copy_from_guest_virt(v, &p, arg, sizeof(p)))
        return -EFAULT;
    if (p.nr_ports > ARRAY_SIZE(v->poll_buf))
        return -EINVAL;
    if (p.nr_ports && copy_from_guest_virt(v, v->poll_buf, (uint64_t)(uintptr_t)p.ports.p,
                                           p.nr_ports * sizeof(uint32_t)))
        return -EFAULT;
    for (unsigned int k = 0; k < p.nr_ports; k++)
        if (!evtchn_port_in_use(d->evtchn, v->poll_buf[k]))
            return -EINVAL;
    if (v->poll_ports)
        vcpu_poll_done(v);
    v->nr_poll_ports = p.nr_ports;
    v->poll_deadline_ns = p.timeout;
    /* Published before the pending bits are looked at: a sender that sets
     * one after our look sees a poller (both sides use full barriers). */
    __atomic_add_fetch(&d->nr_polling, 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&v->poll_ports, v->poll_buf, __ATOMIC_SEQ_CST);
    if (vcpu_should_wake(v)) {
        vcpu_poll_done(v);
        return 0;
    }
    v->block_requested = true;
    return 0;
}

int domain_events_init(struct domain *d)
{
    struct evtchn_domain_config cfg = {
        .domid = d->id,
        .nr_vcpus = MAX_VCPUS_PER_DOM,
        .privileged = d->privileged,
        .ops = &domain_evtchn_ops,
        .ctx = d,
    };
    mfn_t mfn;
    int rc;

    d->shared_info = alloc_table_page(NULL, &mfn);
    if (!d->shared_info)
        return -ENOMEM;
    d->shared_info_mfn = mfn;
    d->evtchn = xzalloc(sizeof(*d->evtchn));
    if (!d->evtchn)
        return -ENOMEM;
    rc = evtchn_domain_init(d->evtchn, &cfg);
    if (rc)
        return rc;
    /* The page is ours from the start; the guest sees it once it maps it. */
    evtchn_set_shared_info(d->evtchn, d->shared_info);
    domain_set_wallclock(d);
    return 0;
}

void domain_set_privileged(struct domain *d, bool privileged)
{
    d->privileged = privileged;
    if (d->evtchn)
        d->evtchn->privileged = privileged;
}

void domain_events_destroy(struct domain *d)
{
    if (d->evtchn) {
        evtchn_domain_destroy(d->evtchn);
        xfree(d->evtchn);
        d->evtchn = NULL;
    }
    if (d->shared_info) {
        free_table_page(NULL, d->shared_info_mfn, d->shared_info);
        d->shared_info = NULL;
    }
}

bool vcpu_upcall_pending(struct vcpu *v)
{
    struct domain *d = v->domain;

    return d->evtchn && evtchn_upcall_pending(d->evtchn, v->id);
}

uint8_t vcpu_upcall_vector(const struct vcpu *v)
{
    return v->upcall_vector ? v->upcall_vector : v->domain->callback_vector;
}

long do_event_channel_op(struct vcpu *v, const unsigned long *a)
{
    union {
        struct evtchn_alloc_unbound alloc;
        struct evtchn_bind_interdomain bind;
        struct evtchn_status status;
        uint8_t raw[64];
    } arg;
    unsigned int cmd = (unsigned int)a[0];
    size_t size = evtchn_op_size(cmd);
    int rc;

    if (!size)
        return -ENOSYS;
    if (size > sizeof(arg))
        return -EINVAL;
    if (copy_from_guest_virt(v, &arg, a[1], size))
        return -EFAULT;
    rc = evtchn_op(v->domain->evtchn, cmd, &arg);
    if (!rc && copy_to_guest_virt(v, a[1], &arg, size))
        return -EFAULT;
    return rc;
}

/*
 * HVM_PARAM_CALLBACK_IRQ: the vector type is the domain's upcall vector.
 * A GSI or PCI INTx would need an emulated IO-APIC that PVH guests do not
 * have: such a value is kept (Linux sets GSI 1 after registering per-vCPU
 * vectors, "to trick the toolstack into thinking we are enlightened", and
 * turns events off if that fails) but routes nothing.
 */
static int set_callback_irq(struct domain *d, uint64_t value)
{
    unsigned int type = (unsigned int)(value >> 56);
    uint8_t vector = (uint8_t)value;

    if (value == 0) {
        d->callback_vector = 0;
        return 0;
    }
    if (type == HVM_PARAM_CALLBACK_TYPE_GSI || type == HVM_PARAM_CALLBACK_TYPE_PCI_INTX)
        return 0;
    if (type != HVM_PARAM_CALLBACK_TYPE_VECTOR)
        return -EOPNOTSUPP;
    if (vector < 0x10 || (value & 0x00ffffffffffff00ull))
        return -EINVAL;
    d->callback_vector = vector;
    return 0;
}

static long hvm_param(struct vcpu *v, unsigned long arg, bool set)
{
    struct xen_hvm_param p;
    struct domain *d = v->domain;
    int rc = 0;

    if (copy_from_guest_virt(v, &p, arg, sizeof(p)))
        return -EFAULT;
    if (p.domid != DOMID_SELF && p.domid != d->id) {
        struct domain *t = domain_by_id(p.domid);

        if (!d->privileged)
            return -EPERM;
        if (!t)
            return -ESRCH;
        d = t;
    }
    if (p.index >= HVM_NR_PARAMS)
        return -EINVAL;
    if (!set) {
        p.value = d->hvm_params[p.index];
        return copy_to_guest_virt(v, arg, &p, sizeof(p)) ? -EFAULT : 0;
    }
    switch (p.index) {
    case HVM_PARAM_CALLBACK_IRQ:
        rc = set_callback_irq(d, p.value);
        break;
    case HVM_PARAM_STORE_PFN: case HVM_PARAM_STORE_EVTCHN:
    case HVM_PARAM_CONSOLE_PFN: case HVM_PARAM_CONSOLE_EVTCHN:
        /* Written by the domain builder (the toolstack), read by the guest. */
        if (d == v->domain && !d->privileged)
            return -EPERM;
        break;
    default:
        return -EINVAL;         /* a parameter we do not implement */
    }
    if (!rc)
        d->hvm_params[p.index] = p.value;
    return rc;
}

long do_hvm_op(struct vcpu *v, const unsigned long *a)
{
    switch (a[0]) {
    case HVMOP_set_param:
        return hvm_param(v, a[1], true);
    case HVMOP_get_param:
        return hvm_param(v, a[1], false);
    case HVMOP_set_evtchn_upcall_vector: {
        struct xen_hvm_evtchn_upcall_vector uv;
        struct domain *d = v->domain;

        if (copy_from_guest_virt(v, &uv, a[1], sizeof(uv)))
            return -EFAULT;
        if (uv.vcpu >= d->nr_vcpus || uv.vector < 0x10)
            return -EINVAL;
        d->vcpus[uv.vcpu]->upcall_vector = uv.vector;
        /* An event that came before the vector did must not wait for the
         * next one (dom0's upcall is an edge: an IPI). */
        if (d->is_dom0 && vcpu_upcall_pending(d->vcpus[uv.vcpu]))
            arch_kick_vcpu(d->vcpus[uv.vcpu]);
        return 0;
    }
    default:
        return -ENOSYS;
    }
}

/* A domain shut down or crashed: the toolstacks (privileged domains) hear
 * of it through VIRQ_DOM_EXC, to look at it and clean it up. */
void domain_notify_exception(struct domain *dead)
{
    for (domid_t id = 0; id < MAX_DOMAINS; id++) {
        struct domain *d = domain_by_id(id);

        if (d && d != dead && d->privileged && domain_is_alive(d) && d->evtchn)
            evtchn_send_virq(d->evtchn, VIRQ_DOM_EXC, 0);
    }
}
