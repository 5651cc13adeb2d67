/*
 * Domain and vCPU lifetime, guest-physical memory access, and the two ways
 * a domain stops: it asks (domain_shutdown) or it is stopped for breaking
 * the rules (domain_crash).
 */
#include <splitvisor/ctl.h>
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/grant_table.h>
#include <sv/errno.h>
#include <sv/fmt.h>
#include <sv/page_alloc.h>
#include <sv/printk.h>
#include <sv/shadow.h>
#include <sv/boot_domains.h>
#include <sv/schedule.h>
#include <sv/string.h>
#include <sv/xmalloc.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <xen/sched.h>

static struct domain *domains[MAX_DOMAINS];
static spinlock_t domains_lock = SPINLOCK_INIT;

/* The control interface exports the same names in the same order. */
static const char *const exit_counter_names[NR_EXIT_COUNTERS] = SV_EXIT_NAMES;
_Static_assert(EXIT_CNT_PF == SV_EXIT_PAGE_FAULT, "ctl.h's page-fault index");
_Static_assert(NR_EXIT_COUNTERS <= SV_NR_EXIT_COUNTERS, "room in sv_counters.exits");

const char *exit_counter_name(enum exit_reason_counter c)
{
    return (unsigned int)c < NR_EXIT_COUNTERS ? exit_counter_names[c] : "?";
}

static void p2m_changed(struct p2m *p2m, gfn_t gfn, mfn_t old_mfn, enum p2m_type old_type)
{
    struct domain *d = p2m->ctx;

    (void)gfn;
    /* Nothing was there: no shadow leaf and no TLB entry can hold it (x86
     * caches no not-present translation), so there is nothing to forget.
     * This is every grant map and every populate. */
    if (old_type == P2M_INVALID)
        return;
    /* Nothing may keep using the old translation: not the nested TLB, not
     * a shadow built from it.  The vCPU making the change (in a hypercall
     * on this CPU) drops just the leaves of the old frame; the others
     * (their shadows may be in use elsewhere) drop all at their next entry. */
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        struct vcpu *v = d->vcpus[i];

        v->arch.flush_tlb = true;
        if (d->paging == PAGING_SHADOW &&
            !(this_cpu()->current == v && shadow_drop_frame(&v->arch.shadow, old_mfn) == 0))
            v->arch.shadow_reset_pending = true;
    }
}

/* The p2m's tables come from the frame allocator and live in the direct map. */
static const struct p2m_ops domain_p2m_ops = {
    alloc_table_page, free_table_page, table_page_at, p2m_changed,
};

struct domain *domain_create(domid_t id, const char *name, enum paging_mode paging)
{
    struct domain *d;

    if (id >= MAX_DOMAINS)
        return NULL;
    d = xzalloc(sizeof(*d));
    if (!d)
        return NULL;
    d->id = id;
    str_copy(d->name, name, sizeof(d->name));
    d->paging = paging;
    d->shadow_roots = SHADOW_DEFAULT_ROOTS;
    d->state = DOMAIN_CREATED;
    d->sched_weight = CSCHED_WEIGHT_DEFAULT;
    spin_lock_init(&d->lock);
    if (p2m_init(&d->p2m, &domain_p2m_ops, d)) {
        xfree(d);
        return NULL;
    }
    spin_lock(&domains_lock);
    if (domains[id]) {
        spin_unlock(&domains_lock);
        p2m_destroy(&d->p2m);
        xfree(d);
        return NULL;
    }
    domains[id] = d;
    spin_unlock(&domains_lock);
    d->shared_info_gfn = INVALID_GFN;
    for (unsigned int i = 0; i < DOMAIN_GRANT_FRAMES; i++)
        d->grant_frame_gfn[i] = INVALID_GFN;
    if (domain_events_init(d) || domain_grants_init(d)) {
        domain_destroy(d);
        return NULL;
    }
    return d;
}

struct domain *domain_by_id(domid_t id)
{
    return id < MAX_DOMAINS ? domains[id] : NULL;
}

int domain_add_ram_frame(struct domain *d, gfn_t gfn, bool zero)
{
    void *page = alloc_pages(0);
    int rc;

    if (!page)
        return -ENOMEM;
    if (zero)
        memset(page, 0, PAGE_SIZE);
    rc = p2m_set_entry(&d->p2m, gfn, virt_to_phys(page) >> PAGE_SHIFT, P2M_RAM_RW);
    if (rc) {
        free_pages(page, 0);
        return rc;
    }
    d->tot_pages++;
    return 0;
}

int domain_populate_ram(struct domain *d, uint64_t bytes)
{
    gfn_t nr = ALIGN_UP(bytes, PAGE_SIZE) >> PAGE_SHIFT;

    for (gfn_t gfn = 0; gfn < nr; gfn++) {
        int rc = domain_add_ram_frame(d, gfn, false);

        if (rc)
            return rc;
        d->max_pages++;
    }
    return 0;
}

struct vcpu *vcpu_create(struct domain *d, unsigned int cpu)
{
    struct vcpu *v;

    if (d->nr_vcpus >= MAX_VCPUS_PER_DOM)
        return NULL;
    v = xzalloc(sizeof(*v));
    if (!v)
        return NULL;
    v->id = d->nr_vcpus;
    v->domain = d;
    v->cpu = cpu;
    if (vcpu_arch_init(v)) {
        vcpu_arch_destroy(v);
        xfree(v);
        return NULL;
    }
    d->vcpus[d->nr_vcpus++] = v;
    return v;
}

/* Under d->lock: v may join the scheduler now. */
static bool may_run(const struct vcpu *v)
{
    const struct domain *d = v->domain;

    return v->up && v->arch.context_set && !v->scheduled && !d->paused &&
           domain_is_alive(d) && !d->start_after;
}

static void join(struct vcpu *v)
{
    v->scheduled = true;
    v->down_requested = false;
    v->domain->nr_scheduled++;
    if (sched_add_vcpu(v, v->domain->boot_affinity)) {
        printk(LOG_ERR "d%u v%u: the scheduler refused it\n", v->domain->id, v->id);
        v->scheduled = false;
        v->domain->nr_scheduled--;
    }
}

int domain_vcpu_up(struct vcpu *v)
{
    struct domain *d = v->domain;
    unsigned long flags;
    int rc = 0;

    spin_lock_irqsave(&d->lock, flags);
    if (!v->arch.context_set)
        rc = -EINVAL;
    else if (!domain_is_alive(d))
        rc = -ESRCH;
    else {
        v->up = true;
        v->down_requested = false;
        if (may_run(v))
            join(v);
    }
    spin_unlock_irqrestore(&d->lock, flags);
    return rc;
}

/*
 * The domain has stopped and has no vCPU in the scheduler: free it (a boot
 * domain, or one its toolstack destroyed).  Called once: 'reaped' is
 * claimed under d->lock by whoever sees both conditions first.
 */
static void reap(struct domain *d)
{
    if (d->boot_domain)
        boot_domain_finished(d);
    else
        domain_destroy(d);
}

void domain_vcpu_left(struct vcpu *v)
{
    struct domain *d = v->domain;
    unsigned long flags;
    bool last, do_reap = false;

    spin_lock_irqsave(&d->lock, flags);
    v->scheduled = false;
    if (v->down_requested) {
        v->up = false;
        v->down_requested = false;
    }
    last = --d->nr_scheduled == 0;
    /* A VCPUOP_up that came while it was on its way out (VCPUOP_is_up
     * already said 0) cleared down_requested and found it still
     * scheduled, so it did not join: join now, or it stays up and never
     * runs. */
    if (may_run(v)) {
        join(v);
        last = d->nr_scheduled == 0;
    }
    if (last && !domain_is_alive(d) && (d->boot_domain || d->destroy_requested) && !d->reaped)
        do_reap = d->reaped = true;
    spin_unlock_irqrestore(&d->lock, flags);
    if (do_reap)
        reap(d);
    else if (last && !domain_is_alive(d))
        printk("domain %u (%s): stopped; kept for its toolstack until destroyed\n", d->id, d->name);
}

int domain_pause(struct domain *d, bool pause)
{
    unsigned long flags;

    spin_lock_irqsave(&d->lock, flags);
    if (!domain_is_alive(d)) {
        spin_unlock_irqrestore(&d->lock, flags);
        return -EINVAL;
    }
    if (!pause && !d->vcpus[0]->arch.context_set) {
        spin_unlock_irqrestore(&d->lock, flags);
        return -EINVAL;                 /* nothing to run: vCPU 0 has no context */
    }
    if (d->paused != pause) {
        d->paused = pause;
        if (!pause && !d->started_once) {
            d->started_once = true;
            d->state = DOMAIN_RUNNING;
        }
        for (unsigned int i = 0; i < d->nr_vcpus; i++) {
            struct vcpu *v = d->vcpus[i];

            if (v->scheduled)
                (pause ? sched_pause_vcpu : sched_unpause_vcpu)(v);
            else if (may_run(v))
                join(v);
        }
    }
    spin_unlock_irqrestore(&d->lock, flags);
    return 0;
}

void domain_request_destroy(struct domain *d, domid_t by)
{
    unsigned long flags;
    bool now = false;

    /* Stopped first, so that a vCPU leaving from here on sees it dead. */
    domain_crash(d, "destroyed by d%u", by);
    spin_lock_irqsave(&d->lock, flags);
    d->destroy_requested = true;
    if (d->nr_scheduled == 0 && !d->reaped)
        now = d->reaped = true;
    if (!now) {
        /* Its vCPUs must run once more to see it is gone and leave. */
        d->paused = false;
        for (unsigned int i = 0; i < d->nr_vcpus; i++)
            if (d->vcpus[i]->scheduled) {
                sched_unpause_vcpu(d->vcpus[i]);
                sched_wake_vcpu(d->vcpus[i]);
            }
    }
    spin_unlock_irqrestore(&d->lock, flags);
    if (now)
        reap(d);
}

static int free_ram_frame(void *arg, gfn_t gfn, mfn_t mfn, enum p2m_type type)
{
    struct domain *d = arg;

    (void)gfn;
    if (type == P2M_RAM_RW || type == P2M_RAM_RO) {
        domain_release_ram_frame(d, mfn);
        d->tot_pages--;
    } else if (type == P2M_FOREIGN) {
        foreign_frame_put(mfn);
    }
    return 0;
}

void domain_destroy(struct domain *d)
{
    for (unsigned int i = 0; i < d->nr_vcpus; i++) {
        vcpu_arch_destroy(d->vcpus[i]);
        xfree(d->vcpus[i]);
        d->vcpus[i] = NULL;
    }
    d->nr_vcpus = 0;
    /* Peers first lose their way to it: event channels close, the grants
     * it maps are unmapped; then its RAM goes (a frame a peer still maps
     * stays until that peer unmaps it). */
    domain_events_destroy(d);
    if (d->gnttab)
        gnttab_domain_release_mappings(d->gnttab);
    p2m_for_each(&d->p2m, free_ram_frame, d);
    p2m_destroy(&d->p2m);
    if (d->gnttab)
        gnttab_domain_destroy(d->gnttab);
    domain_perms_free(d);
    xfree(d->memory_map);
    d->state = DOMAIN_DEAD;
    spin_lock(&domains_lock);
    domains[d->id] = NULL;
    spin_unlock(&domains_lock);
    xfree(d);
}

bool domain_is_alive(const struct domain *d)
{
    return d->state == DOMAIN_CREATED || d->state == DOMAIN_RUNNING;
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fmt_vsnprintf(d->crash_reason, sizeof(d->crash_reason), fmt, ap);
    va_end(ap);
    spin_lock(&d->lock);
    if (domain_is_alive(d)) {
        d->state = DOMAIN_CRASHED;
        d->shutdown_reason = SHUTDOWN_crash;
        printk(LOG_ERR "domain %u (%s) crashed by the hypervisor: %s\n", d->id, d->name,
               d->crash_reason);
        spin_unlock(&d->lock);
        domain_notify_exception(d);
        return;
    }
    spin_unlock(&d->lock);
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
    static const char *const reasons[] = { "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset" };

    spin_lock(&d->lock);
    if (domain_is_alive(d)) {
        d->state = DOMAIN_SHUTDOWN;
        d->shutdown_reason = reason;
        printk("domain %u (%s) shut down: %s\n", d->id, d->name,
               reason < ARRAY_SIZE(reasons) ? reasons[reason] : "unknown reason");
        spin_unlock(&d->lock);
        domain_notify_exception(d);
        return;
    }
    spin_unlock(&d->lock);
}

/* Walk [gpa, gpa+len) a page at a time through the p2m. */
static int guest_phys_access(struct domain *d, uint64_t gpa, void *buf, const void *src,
                             size_t len)
{
    while (len) {
        enum p2m_type type;
        mfn_t mfn = p2m_lookup(&d->p2m, gpa >> PAGE_SHIFT, &type);
        size_t off = gpa & (PAGE_SIZE - 1);
        size_t chunk = MIN(len, PAGE_SIZE - off);

        if (type != P2M_RAM_RW && type != P2M_RAM_RO)
            return -EFAULT;
        char *page = phys_to_virt((paddr_t)mfn << PAGE_SHIFT);
        if (src)
            memcpy(page + off, src, chunk);
        else if (buf)
            memcpy(buf, page + off, chunk);
        else
            memset(page + off, 0, chunk);
        gpa += chunk;
        len -= chunk;
        if (buf)
            buf = (char *)buf + chunk;
        if (src)
            src = (const char *)src + chunk;
    }
    return 0;
}

int guest_phys_write(struct domain *d, uint64_t gpa, const void *src, size_t len)
{
    return guest_phys_access(d, gpa, NULL, src, len);
}

int guest_phys_read(struct domain *d, uint64_t gpa, void *dst, size_t len)
{
    return guest_phys_access(d, gpa, dst, NULL, len);
}

int guest_phys_zero(struct domain *d, uint64_t gpa, size_t len)
{
    return guest_phys_access(d, gpa, NULL, NULL, len);
}

/* The 'd' debug key: every domain with what it cost so far. */
void domain_dump_all(void)
{
    static const char *const states[] = { "created", "running", "shut down", "crashed", "dead" };

    for (domid_t id = 0; id < MAX_DOMAINS; id++) {
        struct domain *d = domain_by_id(id);
        uint64_t calls = 0;

        if (!d)
            continue;
        for (unsigned int i = 0; i < NR_HYPERCALL_COUNTERS; i++)
            calls += d->hypercall_counts[i];
        printk("d%u %s: %s%s%s, paging=%s, %lu MiB, %u vCPUs, %lu hypercalls\n", d->id, d->name,
               (unsigned int)d->state < ARRAY_SIZE(states) ? states[d->state] : "?",
               d->paused ? ", paused" : "", d->privileged ? ", privileged" : "",
               d->paging == PAGING_HAP ? "hap" : "shadow",
               (unsigned long)(d->tot_pages >> (20 - PAGE_SHIFT)), d->nr_vcpus, (unsigned long)calls);
        for (unsigned int i = 0; i < d->nr_vcpus; i++) {
            struct vcpu *v = d->vcpus[i];
            char line[320];
            int len = 0;

            for (unsigned int c = 0; c < NR_EXIT_COUNTERS && len < (int)sizeof(line); c++)
                if (v->exits[c])
                    len += fmt_snprintf(line + len, sizeof(line) - len, " %s=%lu",
                                        exit_counter_name((enum exit_reason_counter)c),
                                        (unsigned long)v->exits[c]);
            printk("  v%u on CPU %u%s: upcalls %lu, exits:%s\n", v->id, v->cpu,
                   v->up ? "" : " (down)", (unsigned long)v->upcalls_injected, len ? line : " none");
        }
    }
}
