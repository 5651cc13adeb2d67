/*
 * The control interface (include/splitvisor/ctl.h): domctl and sysctl for
 * the toolstack of a privileged domain.  Every request is copied in, its
 * version and the caller's privilege checked, then served; the reply is
 * copied back whole.
 */
#include <splitvisor/ctl.h>
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/errno.h>
#include <sv/guest_access.h>
#include <sv/logring.h>
#include <sv/page_alloc.h>
#include <sv/printk.h>
#include <sv/sched_credit.h>
#include <sv/schedule.h>
#include <sv/string.h>
#include <asm/time.h>
#include <xen/sched.h>

_Static_assert(NR_EXIT_COUNTERS <= SV_NR_EXIT_COUNTERS, "ctl.h has room for every exit counter");
_Static_assert(NR_HYPERCALL_COUNTERS == SV_NR_HCALL_COUNTERS, "one hypercall counter each");

static void fill_info(struct domain *d, struct sv_domaininfo *info)
{
    bool all_blocked = d->nr_vcpus > 0;

    memset(info, 0, sizeof(*info));
    info->domid = d->id;
    info->flags = (domain_is_alive(d) ? SV_DOMINF_running : 0) |
                  (d->state == DOMAIN_SHUTDOWN ? SV_DOMINF_shutdown : 0) |
                  (d->state == DOMAIN_CRASHED ? SV_DOMINF_crashed : 0) |
                  (d->paused ? SV_DOMINF_paused : 0) |
                  (d->privileged ? SV_DOMINF_privileged : 0) |
                  (d->paging == PAGING_HAP ? SV_DOMINF_hap : 0);
    info->shutdown_reason = d->shutdown_reason;
    info->nr_vcpus = d->nr_vcpus;
    info->tot_pages = d->tot_pages;
    info->max_pages = d->max_pages;
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct csched_unit_stats st;

        sched_vcpu_stats(d->vcpus[i], &st);
        info->cpu_time_ns += st.runtime_ns;
        if (!d->vcpus[i]->blocked)
            all_blocked = false;
    }
    if (all_blocked)
        info->flags |= SV_DOMINF_blocked;
    str_copy(info->name, d->name, sizeof(info->name));
}

static struct vcpu *vcpu_of(struct domain *d, uint32_t id)
{
    return id < d->nr_vcpus ? d->vcpus[id] : NULL;
}

static long domctl(struct vcpu *caller, struct sv_domctl *op)
{
    struct domain *d = domain_by_id(op->domain == DOMID_SELF ? caller->domain->id : op->domain);
    struct vcpu *v;

    if (!d)
        return -ESRCH;
    switch (op->cmd) {
    case SV_DOMCTL_getdomaininfo:
        fill_info(d, &op->u.info);
        return 0;
    case SV_DOMCTL_pausedomain:
    case SV_DOMCTL_unpausedomain: {
        bool pause = op->cmd == SV_DOMCTL_pausedomain;

        if (d == caller->domain)
            return -EINVAL;             /* it could never unpause itself */
        if (!domain_is_alive(d))
            return -EINVAL;
        if (d->paused == pause)
            return 0;
        d->paused = pause;
        for (unsigned int i = 0; i < d->nr_vcpus; i++)
            (pause ? sched_pause_vcpu : sched_unpause_vcpu)(d->vcpus[i]);
        return 0;
    }
    case SV_DOMCTL_destroydomain:
        if (d == caller->domain || d->privileged)
            return -EPERM;
        domain_crash(d, "destroyed by d%u", caller->domain->id);
        /* Its vCPUs must run once more to see it is gone and be freed. */
        if (d->paused) {
            d->paused = false;
            for (unsigned int i = 0; i < d->nr_vcpus; i++)
                sched_unpause_vcpu(d->vcpus[i]);
        }
        for (unsigned int i = 0; i < d->nr_vcpus; i++)
            sched_wake_vcpu(d->vcpus[i]);
        return 0;
    case SV_DOMCTL_getvcpuinfo: {
        struct csched_unit_stats st;

        if (!(v = vcpu_of(d, op->u.vcpu.vcpu)))
            return -ENOENT;
        sched_vcpu_stats(v, &st);
        op->u.vcpu.cpu = st.cpu;
        op->u.vcpu.affinity = st.affinity;
        op->u.vcpu.cpu_time_ns = st.runtime_ns;
        op->u.vcpu.weight = st.weight;
        op->u.vcpu.cap = st.cap;
        op->u.vcpu.blocked = v->blocked;
        op->u.vcpu.paused = st.paused;
        op->u.vcpu.running = st.running;
        return 0;
    }
    case SV_DOMCTL_setvcpuaffinity:
        if (!(v = vcpu_of(d, op->u.vcpu.vcpu)))
            return -ENOENT;
        return sched_set_affinity(v, op->u.vcpu.affinity);
    case SV_DOMCTL_getcounters:
        if (!(v = vcpu_of(d, op->u.counters.vcpu)))
            return -ENOENT;
        op->u.counters.nr_exits = NR_EXIT_COUNTERS;
        for (unsigned int i = 0; i < NR_EXIT_COUNTERS; i++)
            op->u.counters.exits[i] = v->exits[i];
        for (unsigned int i = 0; i < NR_HYPERCALL_COUNTERS; i++)
            op->u.counters.hypercalls[i] = d->hypercall_counts[i];
        op->u.counters.upcalls = v->upcalls_injected;
        return 0;
    default:
        return -EOPNOTSUPP;
    }
}

static long domain_list(struct vcpu *caller, struct sv_getdomaininfolist *l)
{
    uint32_t n = 0;

    for (unsigned int id = l->first_domain; id < MAX_DOMAINS && n < l->max; id++) {
        struct domain *d = domain_by_id((domid_t)id);
        struct sv_domaininfo info;

        if (!d)
            continue;
        fill_info(d, &info);
        if (copy_to_guest_virt(caller, l->buffer + (uint64_t)n * sizeof(info), &info, sizeof(info)))
            return -EFAULT;
        n++;
    }
    l->num = n;
    return 0;
}

static long read_console(struct vcpu *caller, struct sv_readconsole *c)
{
    char chunk[256];
    uint32_t done = 0;
    uint64_t lost = 0;

    c->lost = 0;
    while (done < c->count) {
        size_t got = logring_read(printk_ring(), &c->cursor, chunk,
                                  MIN(sizeof(chunk), (size_t)(c->count - done)), &lost);

        c->lost += lost;
        if (!got)
            break;
        if (copy_to_guest_virt(caller, c->buffer + done, chunk, got))
            return -EFAULT;
        done += (uint32_t)got;
    }
    c->count = done;
    return 0;
}

static long sysctl(struct vcpu *caller, struct sv_sysctl *op)
{
    switch (op->cmd) {
    case SV_SYSCTL_physinfo: {
        struct sv_physinfo *p = &op->u.physinfo;
        uint64_t mask = sched_cpu_mask();

        memset(p, 0, sizeof(*p));
        p->nr_cpus = 1;                 /* CPU 0, then the scheduler's */
        for (uint64_t m = mask; m; m &= m - 1)
            p->nr_cpus++;
        p->cpu_khz = (uint32_t)tsc_khz();
        p->total_pages = total_frames();
        p->free_pages = free_frames();
        p->capabilities = (paging_mode_supported(PAGING_SHADOW) ? SV_PHYSCAP_shadow : 0) |
                          (paging_mode_supported(PAGING_HAP) ? SV_PHYSCAP_hap : 0);
        p->max_domains = MAX_DOMAINS;
        p->sched_cpu_mask = mask;
        return 0;
    }
    case SV_SYSCTL_getdomaininfolist:
        return domain_list(caller, &op->u.list);
    case SV_SYSCTL_readconsole:
        return read_console(caller, &op->u.console);
    default:
        return -EOPNOTSUPP;
    }
}

/*
 * Copy the request in, refuse it (the order is part of the interface:
 * version, then privilege), serve it, copy it back whole.  'version' points
 * into *op.
 */
static long serve(struct vcpu *v, uint64_t arg, void *op, size_t size, const uint32_t *version,
                  long (*fn)(struct vcpu *, void *))
{
    long rc;

    if (copy_from_guest_virt(v, op, arg, size))
        return -EFAULT;
    if (*version != SV_CTL_INTERFACE_VERSION)
        return -EACCES;
    if (!v->domain->privileged)
        return -EPERM;
    rc = fn(v, op);
    if (rc >= 0 && copy_to_guest_virt(v, arg, op, size))
        return -EFAULT;
    return rc;
}

static long domctl_op(struct vcpu *v, void *op) { return domctl(v, op); }
static long sysctl_op(struct vcpu *v, void *op) { return sysctl(v, op); }

long do_domctl(struct vcpu *v, const unsigned long *a)
{
    struct sv_domctl op;

    return serve(v, a[0], &op, sizeof(op), &op.interface_version, domctl_op);
}

long do_sysctl(struct vcpu *v, const unsigned long *a)
{
    struct sv_sysctl op;

    return serve(v, a[0], &op, sizeof(op), &op.interface_version, sysctl_op);
}
