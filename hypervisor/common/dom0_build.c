/*
 * Building dom0 (see sv/dom0.h): plan its memory before the allocator
 * runs, then load Linux's vmlinux at its physical addresses, give it the
 * initramfs, an hvm_start_info (SIF_INITDOMAIN | SIF_PRIVILEGED, the RSDP,
 * its e820) and run it on CPU 0.
 */
#include <sv/acpi_dom0.h>
#include <sv/console_input.h>
#include <sv/dom0.h>
#include <sv/dom0_layout.h>
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/errno.h>
#include <sv/machine.h>
#include <sv/memmap.h>
#include <sv/multiboot2.h>
#include <sv/panic.h>
#include <sv/params.h>
#include <sv/printk.h>
#include <sv/pvh_loader.h>
#include <sv/spinlock.h>
#include <sv/string.h>
#include <sv/xmalloc.h>
#include <asm/apic.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/vcpu.h>
#include <xen/xen.h>
#include <xen/hvm/hvm_vcpu.h>

#define DOM0_DEFAULT_MEM   (512ull << 20)
#define DOM0_HOLE          (256ull << 20)
#define START_INFO_AREA    0x3000ull     /* start_info, cmdline, modlist, memmap */
#define RSDP_OFFSET        START_INFO_AREA
#define START_INFO_SIZE    (START_INFO_AREA + ACPI_DOM0_TABLES_SIZE)

static struct dom0_layout layout;
static struct elf_pvh_info kernel;
static uint64_t *returned;              /* a bit per frame below ram_top: given back */
static spinlock_t returned_lock = SPINLOCK_INIT;

bool dom0_wanted(const struct boot_info *bi)
{
    return !opt_boot_guests && bi->nr_modules >= 1;
}

static bool overlaps(paddr_t s1, paddr_t e1, paddr_t s2, paddr_t e2)
{
    return s1 < e2 && s2 < e1;
}

/* Modules GRUB left where dom0's RAM or hole go are moved above them
 * (still on the boot page tables: the low 4 GiB are identity-mapped). */
static void move_modules(struct boot_info *bi, struct memmap *usable, paddr_t below)
{
    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        struct boot_module *m = &bi->modules[i];
        size_t size = m->end - m->start;

        if (!overlaps(m->start, m->end, 0, below))
            continue;
        paddr_t to = memmap_take(usable, ALIGN_UP(size, PAGE_SIZE), PAGE_SIZE, 1ull << 32);
        if (!to || to < below)
            panic("dom0: no room above %#lx to move module %u (%lu MiB) out of dom0's way",
                  (unsigned long)below, i, (unsigned long)(size >> 20));
        memmove((void *)(uintptr_t)to, (const void *)(uintptr_t)m->start, size);
        printk("dom0: module %u moved from %#lx to %#lx\n", i, (unsigned long)m->start,
               (unsigned long)to);
        m->start = to;
        m->end = to + size;
    }
}

void dom0_plan(struct boot_info *bi, struct memmap *usable, const struct memrange *owned,
               unsigned int nr_owned)
{
    const struct boot_module *k = &bi->modules[0];
    const char *why = "";
    struct memrange own[8];
    unsigned int n = 0;

    if (elf_pvh_parse((const void *)(uintptr_t)k->start, k->end - k->start, &kernel, &why))
        panic("dom0: module 0 is not a PVH kernel: %s", why);
    /* The modules stay where GRUB put them for now: dom0's RAM must not
     * count them in (they move unless they already lie above it). */
    for (unsigned int i = 0; i < nr_owned && n < ARRAY_SIZE(own); i++)
        own[n++] = owned[i];
    struct dom0_layout_in in = {
        .fw = bi->mmap, .nr_fw = bi->nr_mmap, .owned = own, .nr_owned = n,
        .mem = opt_dom0_mem ? opt_dom0_mem : DOM0_DEFAULT_MEM,
        .hole_size = DOM0_HOLE,
        .kernel_low = kernel.paddr_low, .kernel_high = kernel.paddr_high,
        .initrd_size = bi->nr_modules > 1 ? bi->modules[1].end - bi->modules[1].start : 0,
        .start_info_size = START_INFO_SIZE,
    };
    int rc = dom0_layout_compute(&in, &layout, &why);
    if (rc)
        panic("dom0: cannot lay out %lu MiB for dom0: %s", (unsigned long)(in.mem >> 20), why);
    move_modules(bi, usable, layout.hole_end);
    /* Where the modules were is dom0's now; where they are is ours. */
    if (memmap_remove(usable, 0, layout.ram_top))
        panic("dom0: the usable-memory map is full");
    printk("dom0: %lu MiB of RAM identity-mapped below %#lx, hole for grant and foreign "
           "mappings at %#lx-%#lx, %u e820 entries\n", (unsigned long)(layout.ram_bytes >> 20),
           (unsigned long)layout.ram_top, (unsigned long)layout.hole_start,
           (unsigned long)layout.hole_end, layout.nr_e820);
}

static int mem_write(void *ctx, uint64_t gpa, const void *src, size_t len)
{
    return guest_phys_write(ctx, gpa, src, len);
}

static int mem_zero(void *ctx, uint64_t gpa, uint64_t len)
{
    return guest_phys_zero(ctx, gpa, len);
}

static const struct guest_mem_ops dom0_mem_ops = { mem_write, mem_zero };

/* Its RAM, gfn == mfn: the frames were never the allocator's. */
static void map_ram(struct domain *d)
{
    for (unsigned int i = 0; i < layout.ram.nr; i++)
        for (paddr_t a = layout.ram.r[i].start; a < layout.ram.r[i].end; a += PAGE_SIZE) {
            if (p2m_set_entry(&d->p2m, a >> PAGE_SHIFT, a >> PAGE_SHIFT, P2M_RAM_RW))
                panic("dom0: out of memory for its p2m");
            d->tot_pages++;
        }
    d->max_pages = d->tot_pages;
}

static bool identity_frame(mfn_t mfn)
{
    paddr_t pa = (paddr_t)mfn << PAGE_SHIFT;

    return returned && pa < layout.ram_top && memmap_contains(&layout.ram, pa, pa + PAGE_SIZE);
}

bool dom0_frame_return(mfn_t mfn)
{
    unsigned long flags;

    if (!identity_frame(mfn))
        return false;
    spin_lock_irqsave(&returned_lock, flags);
    returned[mfn / 64] |= 1ull << (mfn % 64);
    spin_unlock_irqrestore(&returned_lock, flags);
    return true;
}

int dom0_frame_reclaim(struct domain *d, uint64_t gfn)
{
    unsigned long flags;
    bool ours = false;
    int rc;

    if (!identity_frame(gfn))
        return -ENOENT;
    spin_lock_irqsave(&returned_lock, flags);
    if (returned[gfn / 64] & (1ull << (gfn % 64))) {
        returned[gfn / 64] &= ~(1ull << (gfn % 64));
        ours = true;
    }
    spin_unlock_irqrestore(&returned_lock, flags);
    if (!ours)
        return -ENOENT;
    memset(phys_to_virt((paddr_t)gfn << PAGE_SHIFT), 0, PAGE_SIZE);
    rc = p2m_set_entry(&d->p2m, gfn, gfn, P2M_RAM_RW);
    if (rc) {
        dom0_frame_return(gfn);
        return rc;
    }
    d->tot_pages++;
    return 0;
}

int dom0_map_on_demand(struct domain *d, uint64_t gfn)
{
    paddr_t pa = (paddr_t)gfn << PAGE_SHIFT;

    /* The first MiB is the legacy PC's (BIOS data, EBDA, VGA, ROMs), and
     * its partial RAM pages (the one holding the EBDA) are dom0's too. */
    if (pa < 0x100000)
        return p2m_set_entry(&d->p2m, gfn, gfn, P2M_MMIO);
    if (gfn > P2M_MAX_GFN || machine_overlaps_ram(pa, pa + PAGE_SIZE))
        return -EPERM;              /* RAM that is not dom0's: ours or a domU's */
    if (pa >= layout.hole_start && pa < layout.hole_end)
        return -EPERM;
    if (pa == lapic_mmio_base())        /* CPU 0's APIC: no IPIs to our CPUs */
        return p2m_set_entry(&d->p2m, gfn, gfn, P2M_MMIO_WP);
    return p2m_set_entry(&d->p2m, gfn, gfn, P2M_MMIO);
}

static const void *acpi_map(paddr_t pa, size_t len)
{
    (void)len;
    return pa < (4ull << 30) ? phys_to_virt(pa) : NULL;    /* the tables live below 4 GiB */
}

/*
 * GRUB hands us a copy of the RSDP.  dom0 gets, in its own RAM next to the
 * start info, an RSDP and root tables of its own whose MADT lists only
 * CPU 0; every other table is the firmware's.  If that cannot be built,
 * the firmware's RSDP as it is (Linux then stops at nr_cpus=1).
 */
static uint64_t dom0_acpi(struct domain *d, const struct boot_info *bi)
{
    static uint8_t tables[ACPI_DOM0_TABLES_SIZE];
    static const struct acpi_ops ops = { acpi_map, NULL };
    uint64_t at = layout.start_info_gpa + RSDP_OFFSET;
    unsigned int dropped;
    const char *why;

    if (acpi_dom0_tables(&ops, bi->rsdp, bi->rsdp_len, this_cpu()->apic_id, at, tables,
                         sizeof(tables), &dropped, &why)) {
        printk(LOG_WARN "dom0: its ACPI tables stay the firmware's (%s): its MADT lists every CPU\n", why);
        if (guest_phys_write(d, at, bi->rsdp, bi->rsdp_len))
            panic("dom0: cannot write the RSDP");
        return at;
    }
    if (guest_phys_write(d, at, tables, sizeof(tables)))
        panic("dom0: cannot write its ACPI tables");
    printk("dom0: its MADT lists CPU 0 only (%u CPUs left out); its APIC page %#lx is "
           "read-only, writes checked (no IPIs to our CPUs)\n", dropped,
           (unsigned long)lapic_mmio_base());
    return at;
}

/* The command line GRUB gave the kernel module, less the module's path. */
static const char *kernel_cmdline(const struct boot_module *m)
{
    const char *s = m->cmdline;

    if (*s == '/')
        while (*s && *s != ' ')
            s++;
    while (*s == ' ')
        s++;
    return s;
}

__noreturn void dom0_start(const struct boot_info *bi)
{
    enum paging_mode mode = strcmp(opt_dom0_paging, "shadow") ? PAGING_HAP : PAGING_SHADOW;
    const struct boot_module *k = &bi->modules[0];
    struct domain *d;
    uint64_t si;
    int rc;

    if (!paging_mode_supported(mode))
        panic("dom0: dom0_paging=%s is not available on this machine", opt_dom0_paging);
    d = domain_create(0, "dom0", mode);
    if (!d)
        panic("dom0: cannot create domain 0");
    d->is_dom0 = true;
    /* Under shadow paging: the domains' default of kept address spaces
     * unless the command line says otherwise (1 is the plain virtual TLB). */
    if (opt_dom0_shadow_roots >= 1 && opt_dom0_shadow_roots <= SHADOW_MAX_ROOTS)
        d->shadow_roots = (unsigned int)opt_dom0_shadow_roots;
    domain_set_privileged(d, true);
    returned = xzalloc(ALIGN_UP(layout.ram_top >> PAGE_SHIFT, 64) / 8);
    if (!returned)
        panic("dom0: out of memory for its returned-frame map");
    map_ram(d);
    rc = elf_pvh_load((const void *)phys_to_virt(k->start), &kernel, &dom0_mem_ops, d);
    if (rc)
        panic("dom0: loading the kernel failed (%d)", rc);

    struct pvh_start_module initrd = { 0 };
    if (bi->nr_modules > 1) {
        const struct boot_module *m = &bi->modules[1];

        initrd.paddr = layout.initrd_gpa;
        initrd.size = m->end - m->start;
        if (guest_phys_write(d, layout.initrd_gpa, phys_to_virt(m->start), initrd.size))
            panic("dom0: cannot copy the initramfs to %#lx", (unsigned long)layout.initrd_gpa);
    }
    uint64_t rsdp = bi->rsdp_len ? dom0_acpi(d, bi) : 0;
    struct pvh_start_params sp = {
        .area_gpa = layout.start_info_gpa,
        .area_size = START_INFO_AREA,
        .flags = SIF_INITDOMAIN | SIF_PRIVILEGED,
        .cmdline = kernel_cmdline(k),
        .rsdp_paddr = rsdp,
        .modules = initrd.paddr ? &initrd : NULL,
        .nr_modules = initrd.paddr ? 1 : 0,
        .memmap = layout.e820,
        .nr_memmap = layout.nr_e820,
    };
    rc = pvh_build_start_info(&sp, &dom0_mem_ops, d, &si);
    if (rc)
        panic("dom0: cannot build its start info (%d)", rc);
    static struct e820_entry_raw e820[DOM0_E820_MAX];
    for (unsigned int i = 0; i < layout.nr_e820 && i < DOMAIN_MEMORY_MAP_MAX; i++)
        e820[i] = (struct e820_entry_raw){ layout.e820[i].addr, layout.e820[i].size,
                                           layout.e820[i].type };
    domain_set_memory_map(d, e820, MIN(layout.nr_e820, (unsigned int)DOMAIN_MEMORY_MAP_MAX));
    struct vcpu *v = vcpu_create(d, 0);
    if (!v)
        panic("dom0: cannot create its vCPU");
    struct vcpu_hvm_context ctx;
    vcpu_pvh_entry_context(&ctx, kernel.phys32_entry, (uint32_t)si);
    if (vcpu_arch_set_context(v, &ctx))
        panic("dom0: cannot set its vCPU up");
    d->state = DOMAIN_RUNNING;
    d->started_once = true;
    v->up = true;
    printk("dom0: %s kernel at %#lx-%#lx, entry %#x, paging=%s, cmdline '%s'%s\n",
           kernel.guest_os[0] ? kernel.guest_os : "PVH", (unsigned long)kernel.paddr_low,
           (unsigned long)kernel.paddr_high, kernel.phys32_entry, opt_dom0_paging, sp.cmdline,
           initrd.paddr ? ", with its initramfs" : "");
    console_input_to(d);
    arch_run_dom0(v);
}
