/* Boot-time domains from multiboot2 modules (see sv/boot_domains.h). */
#include <sv/boot_domains.h>
#include <sv/cmdline.h>
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/errno.h>
#include <sv/fmt.h>
#include <sv/machine.h>
#include <sv/multiboot2.h>
#include <sv/page_alloc.h>
#include <sv/printk.h>
#include <sv/schedule.h>
#include <sv/pvh_loader.h>
#include <sv/string.h>
#include <sv/xmalloc.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <xen/hvm/hvm_vcpu.h>

#define START_INFO_GPA  0x1000ull       /* page 1: below any kernel's load address */
#define START_INFO_SIZE 0x3000ull
#define DEFAULT_MEM     (64ull << 20)

struct domain_config {
    char name[DOMAIN_NAME_MAX];
    char paging[8];
    uint64_t mem;
    unsigned long cpu;          /* ~0: round robin */
    unsigned long shadow_roots; /* address spaces a shadow vCPU keeps (1: virtual TLB) */
    unsigned long after;        /* start only once this domain has ended (0: at boot) */
    bool privileged;            /* may use the control interface (a test toolstack) */
    unsigned long vcpus;        /* vCPU 0 runs; the others wait for VCPUOP_initialise/up */
    const char *guest_cmdline;
};

static volatile unsigned int alive;
static spinlock_t after_lock = SPINLOCK_INIT;  /* after=: creation vs. the end of the awaited */

static int parse_config(const char *s, unsigned int domid, struct domain_config *c)
{
    char opts[BOOT_STRING_MAX];
    const char *sep = strchr(s, '-');

    while (sep && strncmp(sep, "-- ", 3) && strcmp(sep, "--"))
        sep = strchr(sep + 1, '-');
    size_t optlen = sep ? (size_t)(sep - s) : strlen(s);
    if (optlen >= sizeof(opts))
        return -E2BIG;
    memcpy(opts, s, optlen);
    opts[optlen] = '\0';
    c->guest_cmdline = sep ? sep + (sep[2] ? 3 : 2) : "";

    fmt_snprintf(c->name, sizeof(c->name), "dom%u", domid);
    str_copy(c->paging, "shadow", sizeof(c->paging));
    c->mem = DEFAULT_MEM;
    c->cpu = ~0ul;
    c->after = 0;
    c->privileged = false;
    c->vcpus = 1;
    c->shadow_roots = SHADOW_DEFAULT_ROOTS;
    const struct param params[] = {
        { "shadow_roots", PARAM_UINT, &c->shadow_roots, 0, NULL },
        { "after", PARAM_UINT, &c->after, 0, NULL },
        { "privileged", PARAM_BOOL, &c->privileged, 0, NULL },
        { "vcpus", PARAM_UINT, &c->vcpus, 0, NULL },
        { "cpu", PARAM_UINT, &c->cpu, 0, NULL },
        { "name", PARAM_STRING, c->name, sizeof(c->name), NULL },
        { "paging", PARAM_STRING, c->paging, sizeof(c->paging), NULL },
        { "mem", PARAM_SIZE, &c->mem, 0, NULL },
    };
    /* GRUB may leave the module's own path as the first word. */
    char *opt_start = opts;
    if (opt_start[0] == '/')
        while (*opt_start && *opt_start != ' ')
            opt_start++;
    return cmdline_parse(opt_start, params, ARRAY_SIZE(params), printk) ? -EINVAL : 0;
}

static int mem_write(void *ctx, uint64_t gpa, const void *src, size_t len)
{
    return guest_phys_write(ctx, gpa, src, len);
}

static int mem_zero(void *ctx, uint64_t gpa, uint64_t len)
{
    return guest_phys_zero(ctx, gpa, len);
}

static const struct guest_mem_ops domain_mem_ops = { mem_write, mem_zero };

static int build_domain(struct domain *d, const struct boot_module *m, const struct domain_config *c,
                        unsigned int cpu)
{
    struct elf_pvh_info *info = xzalloc(sizeof(*info));
    const char *why = "";
    uint64_t start_info;
    int rc;

    if (!info)
        return -ENOMEM;
    rc = elf_pvh_parse(phys_to_virt(m->start), m->end - m->start, info, &why);
    if (rc) {
        printk(LOG_ERR "domain %u: module is not a PVH kernel: %s\n", d->id, why);
        goto out;
    }
    if (info->paddr_high > c->mem || info->paddr_low < START_INFO_GPA + START_INFO_SIZE) {
        printk(LOG_ERR "domain %u: kernel at %#lx-%#lx does not fit its %lu MiB\n", d->id,
               (unsigned long)info->paddr_low, (unsigned long)info->paddr_high,
               (unsigned long)(c->mem >> 20));
        rc = -E2BIG;
        goto out;
    }
    rc = domain_populate_ram(d, c->mem);
    if (rc) {
        printk(LOG_ERR "domain %u: out of memory for %lu MiB\n", d->id, (unsigned long)(c->mem >> 20));
        goto out;
    }
    rc = elf_pvh_load(phys_to_virt(m->start), info, &domain_mem_ops, d);
    if (rc)
        goto out;

    struct hvm_memmap_table_entry ram = { .addr = 0, .size = c->mem, .type = XEN_HVM_MEMMAP_TYPE_RAM };
    struct pvh_start_params sp = {
        .area_gpa = START_INFO_GPA,
        .area_size = START_INFO_SIZE,
        .cmdline = c->guest_cmdline,
        .memmap = &ram,
        .nr_memmap = 1,
    };
    rc = pvh_build_start_info(&sp, &domain_mem_ops, d, &start_info);
    if (rc)
        goto out;

    for (unsigned long i = 0; i < c->vcpus; i++)
        if (!vcpu_create(d, cpu)) {
            rc = -ENOMEM;
            goto out;
        }
    struct vcpu_hvm_context ctx;
    vcpu_pvh_entry_context(&ctx, info->phys32_entry, (uint32_t)start_info);
    rc = vcpu_arch_set_context(d->vcpus[0], &ctx);
    if (rc)
        goto out;
    rc = domain_set_memory_map(d, &(struct e820_entry_raw){ 0, c->mem, XEN_HVM_MEMMAP_TYPE_RAM }, 1);
    if (rc)
        goto out;
    printk("domain %u (%s): %lu MiB, paging=%s, entry %#x, on CPU %u, cmdline '%s'\n", d->id,
           d->name, (unsigned long)(c->mem >> 20), c->paging, info->phys32_entry, cpu,
           c->guest_cmdline);
out:
    xfree(info);
    return rc;
}

unsigned int boot_domains_start(const struct boot_info *bi)
{
    unsigned int started = 0;

    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        domid_t domid = (domid_t)(i + 1);
        struct domain_config cfg;
        struct domain *d;

        if (parse_config(bi->modules[i].cmdline, domid, &cfg)) {
            printk(LOG_ERR "domain %u: bad module options '%s'\n", domid, bi->modules[i].cmdline);
            continue;
        }
        unsigned int cpu = cfg.cpu != ~0ul ? (unsigned int)cfg.cpu
                         : nr_cpus_online > 1 ? 1 + i % (nr_cpus_online - 1) : 0;
        if (cpu == 0 || cpu >= MAX_CPUS || !percpu_of[cpu] || !percpu_of[cpu]->online) {
            printk(LOG_ERR "domain %u (%s): cpu=%u is not an online CPU other than the boot CPU\n",
                   domid, cfg.name, cpu);
            continue;
        }
        enum paging_mode mode;
        if (!strcmp(cfg.paging, "hap"))
            mode = PAGING_HAP;
        else if (!strcmp(cfg.paging, "shadow"))
            mode = PAGING_SHADOW;
        else {
            printk(LOG_ERR "domain %u (%s): paging=%s: must be shadow or hap\n", domid, cfg.name, cfg.paging);
            continue;
        }
        if (!paging_mode_supported(mode)) {
            printk(LOG_ERR "domain %u (%s): paging=%s is not available on this machine/build\n",
                   domid, cfg.name, cfg.paging);
            continue;
        }
        if (cfg.vcpus < 1 || cfg.vcpus > MAX_VCPUS_PER_DOM) {
            printk(LOG_ERR "domain %u (%s): vcpus=%lu: must be 1..%u\n", domid, cfg.name,
                   cfg.vcpus, MAX_VCPUS_PER_DOM);
            continue;
        }
        if (cfg.shadow_roots < 1 || cfg.shadow_roots > SHADOW_MAX_ROOTS) {
            printk(LOG_ERR "domain %u (%s): shadow_roots=%lu: must be 1..%u\n", domid, cfg.name,
                   cfg.shadow_roots, SHADOW_MAX_ROOTS);
            continue;
        }
        d = domain_create(domid, cfg.name, mode);
        if (d) {
            d->shadow_roots = (unsigned int)cfg.shadow_roots;
            domain_set_privileged(d, cfg.privileged);
        }
        if (!d || build_domain(d, &bi->modules[i], &cfg, cpu)) {
            printk(LOG_ERR "domain %u (%s): not started\n", domid, cfg.name);
            if (d)
                domain_destroy(d);
            continue;
        }
        __atomic_add_fetch(&alive, 1, __ATOMIC_SEQ_CST);
        d->state = DOMAIN_RUNNING;
        d->boot_domain = true;
        d->started_once = true;
        d->boot_affinity = cfg.cpu != ~0ul ? 1ull << cpu : 0;
        if (cfg.after >= domid) {
            printk(LOG_ERR "domain %u (%s): after=%lu must name an earlier domain; starting now\n",
                   domid, cfg.name, cfg.after);
            cfg.after = 0;
        }
        /* The domain it waits for may have ended already: then start now.
         * The lock orders this check against boot_domain_finished(). */
        spin_lock(&after_lock);
        if (cfg.after && domain_by_id((domid_t)cfg.after))
            d->start_after = (domid_t)cfg.after;
        spin_unlock(&after_lock);
        /* With start_after set it joins the scheduler only when
         * boot_domain_finished() of the one it waits for clears it. */
        domain_vcpu_up(d->vcpus[0]);
        started++;
    }
    return started;
}

unsigned int boot_domains_alive(void)
{
    return __atomic_load_n(&alive, __ATOMIC_ACQUIRE);
}

void boot_domain_running(struct vcpu *v)
{
    v->domain->started_ns = now_ns();
}

void boot_domain_finished(struct domain *d)
{
    struct vcpu *v = d->vcpus[0];
    uint64_t ran_ns = now_ns() - d->started_ns;
    char line[400];
    int len = 0;

    for (unsigned int i = 0; i < NR_EXIT_COUNTERS; i++)
        if (v->exits[i] && len < (int)sizeof(line))
            len += fmt_snprintf(line + len, sizeof(line) - len, " %s=%lu",
                                exit_counter_name((enum exit_reason_counter)i),
                                (unsigned long)v->exits[i]);
    printk("domain %u (%s) ended (%s) after %lu ms; exits:%s\n", d->id, d->name,
           d->state == DOMAIN_CRASHED ? "crashed" : "shut down",
           (unsigned long)(ran_ns / 1000000), len ? line : " none");
    if (d->paging == PAGING_SHADOW) {
        const struct shadow_stats *st = &v->arch.shadow.stats;
        printk("domain %u shadow: %lu faults, %lu fills, %lu reflected, %lu flushes, %lu invlpg, "
               "%lu emulated, %lu tables at most; audit: %lu runs, %lu mismatches, %lu stale\n",
               d->id, (unsigned long)st->faults, (unsigned long)st->fills,
               (unsigned long)st->guest_faults, (unsigned long)st->flushes,
               (unsigned long)st->invlpgs, (unsigned long)st->emulations,
               (unsigned long)st->tables_max, (unsigned long)st->audits,
               (unsigned long)v->arch.audit_failures, (unsigned long)st->audit_stale);
        printk("domain %u shadow roots (%u kept): %lu CR3 writes, %lu kept roots found, "
               "%lu tables resynced, %lu entries dropped, %lu roots dropped whole\n",
               d->id, v->arch.shadow.nr_roots, (unsigned long)st->cr3_switches,
               (unsigned long)st->root_hits, (unsigned long)st->resync_pages,
               (unsigned long)st->resync_drops, (unsigned long)st->root_drops);
    }
    static const struct { unsigned int nr; const char *name; } calls[] = {
        { __HYPERVISOR_memory_op, "memory_op" }, { __HYPERVISOR_xen_version, "xen_version" },
        { __HYPERVISOR_console_io, "console_io" }, { __HYPERVISOR_grant_table_op, "grant_table_op" },
        { __HYPERVISOR_vcpu_op, "vcpu_op" }, { __HYPERVISOR_sched_op, "sched_op" },
        { __HYPERVISOR_event_channel_op, "event_channel_op" }, { __HYPERVISOR_hvm_op, "hvm_op" },
    };
    len = 0;
    for (unsigned int i = 0; i < ARRAY_SIZE(calls); i++)
        if (d->hypercall_counts[calls[i].nr] && len < (int)sizeof(line))
            len += fmt_snprintf(line + len, sizeof(line) - len, " %s=%lu", calls[i].name,
                                (unsigned long)d->hypercall_counts[calls[i].nr]);
    printk("domain %u hypercalls:%s; upcalls injected: %lu\n", d->id, len ? line : " none",
           (unsigned long)v->upcalls_injected);
    domid_t id = d->id;
    size_t ram = d->tot_pages;
    spin_lock(&after_lock);
    domain_destroy(d);
    /* Domains that waited for this one (after=) start now. */
    for (domid_t next = 1; next < MAX_DOMAINS; next++) {
        struct domain *w = domain_by_id(next);

        if (w && w->start_after == id && w->nr_vcpus) {
            w->start_after = 0;
            domain_vcpu_up(w->vcpus[0]);
        }
    }
    spin_unlock(&after_lock);
    printk("domain %u: destroyed, its %lu MiB of RAM and its tables freed\n", id,
           (unsigned long)(ram >> (20 - PAGE_SHIFT)));
    __atomic_sub_fetch(&alive, 1, __ATOMIC_SEQ_CST);
}
