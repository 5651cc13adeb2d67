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
#include <sv/grant_table.h>
#include <sv/guest_access.h>
#include <sv/logring.h>
#include <sv/page_alloc.h>
#include <sv/printk.h>
#include <sv/sched_credit.h>
#include <sv/schedule.h>
#include <sv/string.h>
#include <sv/vcpu_context.h>
#include <asm/vcpu.h>
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
                  (d->paging == PAGING_HAP ? SV_DOMINF_hap : 0) |
                  (d->destroy_requested ? SV_DOMINF_dying : 0) |
                  (d->started_once ? SV_DOMINF_started : 0);
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

/* SV_DOMCTL_createdomain: paused, no memory, every vCPU down. */
static long create_domain(struct vcpu *caller, struct sv_domctl *op)
{
    struct sv_createdomain *c = &op->u.create;
    enum paging_mode mode = (c->flags & SV_CREATE_hap) ? PAGING_HAP : PAGING_SHADOW;
    domid_t id = op->domain;
    struct domain *d;

    if ((c->flags & ~SV_CREATE_hap) || c->max_vcpus < 1 || c->max_vcpus > MAX_VCPUS_PER_DOM ||
        c->shadow_roots > SHADOW_MAX_ROOTS)
        return -EINVAL;
    if (!paging_mode_supported(mode))
        return -EOPNOTSUPP;
    c->name[sizeof(c->name) - 1] = '\0';
    if (id == 0) {
        for (id = 1; id < MAX_DOMAINS && domain_by_id(id); id++)
            ;
        if (id == MAX_DOMAINS)
            return -ENOSPC;
    } else if (id >= MAX_DOMAINS) {
        return -EINVAL;
    } else if (domain_by_id(id)) {
        return -EEXIST;
    }
    d = domain_create(id, c->name[0] ? c->name : "domU", mode);
    if (!d)
        return domain_by_id(id) ? -EEXIST : -ENOMEM;
    if (c->shadow_roots)
        d->shadow_roots = c->shadow_roots;
    d->paused = true;
    for (unsigned int i = 0; i < c->max_vcpus; i++)
        if (!vcpu_create(d, 0)) {
            domain_destroy(d);
            return -ENOMEM;
        }
    op->domain = id;
    printk("domain %u (%s) created by d%u: paging=%s, %u vCPUs\n", id, d->name,
           caller->domain->id, mode == PAGING_HAP ? "hap" : "shadow", c->max_vcpus);
    return 0;
}

static long set_vcpu_context(struct domain *d, struct sv_vcpucontext *c)
{
    struct vcpu *v = vcpu_of(d, c->vcpu);
    const char *why;
    int rc;

    if (!v)
        return -ENOENT;
    if (!domain_is_alive(d))
        return -EINVAL;
    rc = vcpu_context_check(&c->ctx, &why);
    if (rc) {
        printk(LOG_DEBUG "d%u v%u: context refused: %s\n", d->id, c->vcpu, why);
        return rc;
    }
    rc = vcpu_arch_set_context(v, &c->ctx);
    return rc ? rc : domain_vcpu_up(v);
}

static long set_sched_params(struct domain *d, const struct sv_schedparams *p)
{
    if (p->weight < 1 || p->weight > 65535 || p->cap > 100 * MAX_VCPUS_PER_DOM)
        return -EINVAL;
    d->sched_weight = p->weight;
    d->sched_cap = p->cap;
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i]->sched_unit.owner) {
            int rc = sched_set_params(d->vcpus[i], p->weight, p->cap);

            if (rc)
                return rc;
        }
    return 0;
}

static long domctl(struct vcpu *caller, struct sv_domctl *op)
{
    struct domain *d;
    struct vcpu *v;

    if (op->cmd == SV_DOMCTL_createdomain)
        return create_domain(caller, op);
    d = domain_by_id(op->domain == DOMID_SELF ? caller->domain->id : op->domain);
    if (!d)
        return -ESRCH;
    switch (op->cmd) {
    case SV_DOMCTL_getdomaininfo:
        fill_info(d, &op->u.info);
        return 0;
    case SV_DOMCTL_pausedomain:
    case SV_DOMCTL_unpausedomain:
        if (d == caller->domain)
            return -EINVAL;             /* it could never unpause itself */
        return domain_pause(d, op->cmd == SV_DOMCTL_pausedomain);
    case SV_DOMCTL_destroydomain:
        if (d == caller->domain || d->privileged)
            return -EPERM;
        if (d->destroy_requested)
            return 0;                   /* on its way out already */
        domain_request_destroy(d, caller->domain->id);
        return 0;
    case SV_DOMCTL_max_mem:
        if (op->u.max_mem.max_pages < d->tot_pages || op->u.max_mem.max_pages > total_frames())
            return -EINVAL;
        d->max_pages = op->u.max_mem.max_pages;
        return 0;
    case SV_DOMCTL_setvcpucontext:
        return set_vcpu_context(d, &op->u.vcpuctx);
    case SV_DOMCTL_setschedparams:
        return set_sched_params(d, &op->u.sched);
    case SV_DOMCTL_getschedparams:
        op->u.sched.weight = d->sched_weight;
        op->u.sched.cap = d->sched_cap;
        return 0;
    case SV_DOMCTL_ioport_permission:
        if (!op->u.ioport.nr_ports)
            return -EINVAL;
        return domain_perms_change(d, SV_PERM_IOPORT, op->u.ioport.first_port,
                                   (uint64_t)op->u.ioport.first_port + op->u.ioport.nr_ports - 1,
                                   op->u.ioport.allow);
    case SV_DOMCTL_iomem_permission:
        if (!op->u.iomem.nr_mfns || op->u.iomem.first_mfn + op->u.iomem.nr_mfns < op->u.iomem.first_mfn)
            return -EINVAL;
        return domain_perms_change(d, SV_PERM_IOMEM, op->u.iomem.first_mfn,
                                   op->u.iomem.first_mfn + op->u.iomem.nr_mfns - 1, op->u.iomem.allow);
    case SV_DOMCTL_irq_permission:
        return domain_perms_change(d, SV_PERM_IRQ, op->u.irq.irq, op->u.irq.irq, op->u.irq.allow);
    case SV_DOMCTL_memory_mapping:
        if (!domain_is_alive(d))
            return -EINVAL;
        return domain_memory_mapping(d, op->u.mmio.first_gfn, op->u.mmio.first_mfn,
                                     op->u.mmio.nr_mfns, op->u.mmio.add);
    case SV_DOMCTL_seed_grant: {
        enum p2m_type type;

        if (op->u.grant.ref >= GNTTAB_NR_RESERVED_ENTRIES ||
            op->u.grant.grantee >= DOMID_FIRST_RESERVED || op->u.grant.pad)
            return -EINVAL;
        p2m_lookup(&d->p2m, op->u.grant.gfn, &type);
        if (type != P2M_RAM_RW)
            return -EINVAL;             /* not its RAM: nothing to grant */
        return gnttab_grant_access(d->gnttab, op->u.grant.ref, op->u.grant.grantee,
                                   op->u.grant.gfn, op->u.grant.readonly);
    }
    case SV_DOMCTL_getpermissions:
        return domain_perms_nth(d, op->u.perms.index, &op->u.perms.kind, &op->u.perms.first,
                                &op->u.perms.last);
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
