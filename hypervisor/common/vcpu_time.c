/*
 * Time for guests and vcpu_op.  Each vCPU's vcpu_time_info (pvclock) is
 * written at its first entry and refreshed once a second, the wall clock
 * in shared_info when the domain is made; the guest reads both without
 * exits.  A single-shot timer per vCPU (VCPUOP_set_singleshot_timer)
 * raises VIRQ_TIMER when it expires; it is checked before each VM entry
 * and while the vCPU blocks, so its resolution is the hypervisor's tick
 * (10 ms) when the vCPU is idle.
 */
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/errno.h>
#include <sv/event_channel.h>
#include <sv/guest_access.h>
#include <sv/machine.h>
#include <sv/pvclock.h>
#include <sv/wallclock.h>
#include <asm/mm.h>
#include <asm/time.h>
#include <sv/printk.h>
#include <sv/schedule.h>
#include <sv/vcpu_context.h>
#include <asm/vcpu.h>
#include <xen/vcpu.h>

#define REFRESH_NS 1000000000ull

static struct vcpu_info *vcpu_info_of(struct vcpu *v)
{
    struct shared_info *s = v->domain->shared_info;

    if (v->vcpu_info)
        return v->vcpu_info;
    return s && v->id < XEN_LEGACY_MAX_VCPUS ? &s->vcpu_info[v->id] : NULL;
}

static void write_time_info(struct vcpu *v)
{
    struct vcpu_info *vi = vcpu_info_of(v);
    struct pvclock_scale sc = pvclock_scale_for(tsc_khz());
    uint64_t tsc, now;

    if (!vi)
        return;
    /* A seqlock as the ABI says: odd version while the fields change. */
    uint32_t ver = vi->time.version;
    __atomic_store_n(&vi->time.version, ver + 1 + (ver & 1), __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    tsc = __builtin_ia32_rdtsc();
    now = now_ns();
    vi->time.tsc_timestamp = tsc;
    vi->time.system_time = now;
    vi->time.tsc_to_system_mul = sc.mul;
    vi->time.tsc_shift = sc.shift;
    vi->time.flags = XEN_PVCLOCK_TSC_STABLE_BIT;    /* one TSC for every CPU */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    __atomic_store_n(&vi->time.version, vi->time.version + 1, __ATOMIC_RELEASE);
    v->time_updated_ns = now ? now : 1;
}

void domain_set_wallclock(struct domain *d)
{
    struct shared_info *s = d->shared_info;
    uint64_t wc = boot_wallclock_ns;

    s->wc_version++;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_sec = (uint32_t)(wc / 1000000000ull);
    s->wc_sec_hi = (uint32_t)((wc / 1000000000ull) >> 32);
    s->wc_nsec = (uint32_t)(wc % 1000000000ull);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    s->wc_version++;
}

bool vcpu_timer_expired(const struct vcpu *v)
{
    return v->timer_deadline_ns && now_ns() >= v->timer_deadline_ns;
}

void vcpu_before_entry(struct vcpu *v)
{
    if (!v->time_updated_ns || now_ns() - v->time_updated_ns >= REFRESH_NS)
        write_time_info(v);
    if (vcpu_timer_expired(v)) {
        v->timer_deadline_ns = 0;
        v->timer_fired++;
        evtchn_send_virq(v->domain->evtchn, VIRQ_TIMER, v->id);
    }
}

static long register_vcpu_info(struct vcpu *v, struct vcpu *target, uint64_t arg)
{
    struct vcpu_register_vcpu_info r;
    struct domain *d = v->domain;
    enum p2m_type type;
    mfn_t mfn;
    int rc;

    if (copy_from_guest_virt(v, &r, arg, sizeof(r)))
        return -EFAULT;
    if (r.offset > PAGE_SIZE - sizeof(struct vcpu_info) || r.rsvd)
        return -EINVAL;
    if (target->vcpu_info)
        return -EINVAL;                 /* once per vCPU, as in Xen */
    mfn = p2m_lookup(&d->p2m, r.mfn, &type);   /* auto-translated: mfn is a gfn */
    if (type != P2M_RAM_RW)
        return -EINVAL;
    struct vcpu_info *vi = (struct vcpu_info *)((char *)phys_to_virt((paddr_t)mfn << PAGE_SHIFT) +
                                                r.offset);
    struct vcpu_info *old = vcpu_info_of(target);
    if (old)
        *vi = *old;
    rc = evtchn_set_vcpu_info(d->evtchn, target->id, vi);
    if (rc)
        return rc;
    target->vcpu_info = vi;
    target->vcpu_info_gfn = r.mfn;
    write_time_info(target);
    return 0;
}

/* VCPUOP_initialise: the guest starts one of its own vCPUs (a PVH guest
 * gives the vcpu_hvm_context of <xen/hvm/hvm_vcpu.h>). */
static long vcpu_initialise(struct vcpu *v, struct vcpu *target, uint64_t arg)
{
    struct vcpu_hvm_context ctx;
    const char *why;
    int rc;

    if (copy_from_guest_virt(v, &ctx, arg, sizeof(ctx)))
        return -EFAULT;
    if (target->arch.context_set)
        return -EEXIST;
    rc = vcpu_context_check(&ctx, &why);
    if (rc) {
        printk(LOG_DEBUG "d%u: VCPUOP_initialise of vCPU %u refused: %s\n", v->domain->id,
               target->id, why);
        return rc;
    }
    return vcpu_arch_set_context(target, &ctx);
}

/* VCPUOP_down: it leaves the scheduler at its next exit (now, for itself:
 * the hypercall returns 0 into it first). */
static long vcpu_down(struct vcpu *target)
{
    struct domain *d = target->domain;
    unsigned long flags;
    bool kick = false;

    spin_lock_irqsave(&d->lock, flags);
    if (target->scheduled) {
        target->down_requested = true;
        kick = true;
    } else {
        target->up = false;
    }
    spin_unlock_irqrestore(&d->lock, flags);
    if (kick) {
        if (target->blocked)
            sched_wake_vcpu(target);
        else
            arch_kick_vcpu(target);
    }
    return 0;
}

long do_vcpu_op(struct vcpu *v, const unsigned long *a)
{
    unsigned int cmd = (unsigned int)a[0], id = (unsigned int)a[1];
    struct domain *d = v->domain;
    struct vcpu *target = id < d->nr_vcpus ? d->vcpus[id] : NULL;

    if (!target)
        return -ENOENT;
    switch (cmd) {
    case VCPUOP_register_vcpu_info:
        return register_vcpu_info(v, target, a[2]);
    case VCPUOP_initialise:
        return vcpu_initialise(v, target, a[2]);
    case VCPUOP_up:
        return domain_vcpu_up(target);
    case VCPUOP_down:
        return vcpu_down(target);
    case VCPUOP_is_up:
        return target->up && !target->down_requested;
    case VCPUOP_set_singleshot_timer: {
        struct vcpu_set_singleshot_timer t;

        if (target != v)
            return -EINVAL;
        if (copy_from_guest_virt(v, &t, a[2], sizeof(t)))
            return -EFAULT;
        if ((t.flags & VCPU_SSHOTTMR_future) && t.timeout_abs_ns < now_ns())
            return -ETIME;
        v->timer_deadline_ns = t.timeout_abs_ns ? t.timeout_abs_ns : 1;
        return 0;
    }
    case VCPUOP_stop_singleshot_timer:
        if (target != v)
            return -EINVAL;
        v->timer_deadline_ns = 0;
        return 0;
    case VCPUOP_stop_periodic_timer:
        return 0;                       /* there is no periodic timer to stop */
    case VCPUOP_set_periodic_timer:
        return -EOPNOTSUPP;             /* single-shot timers only */
    default:
        return -ENOSYS;
    }
}
