/*
 * The control interface (include/splitvisor/ctl.h), from a test toolstack:
 *
 *   ctl target=N      run in a domain booted with the `privileged` module
 *       option.  physinfo; the domain list; domain N's info; pause it (its
 *       CPU time stops), unpause it (it goes on); pin its vCPU elsewhere;
 *       its exit and hypercall counters; the hypervisor log through
 *       readconsole; then destroy it and see it gone.  Also: another
 *       interface version is -EACCES, acting on itself is refused.
 *       Last, the driver-domain permissions on itself (ctl_permissions()):
 *       fw_cfg's I/O ports, the HPET's frame put in its p2m, an IRQ.
 *   ctl_denied        in an ordinary domain: every request is -EPERM
 *       (-EACCES first when the version is wrong).
 * Domain N should be busy (e.g. bench=compute with a large count).
 */
#include <splitvisor/ctl.h>
#include <xen/sched.h>
#include <xen/xen.h>

#include "xen_events.h"

static struct sv_domctl dc;
static struct sv_sysctl sc;
static struct sv_domaininfo list[64];
static char logbuf[8192];

static long domctl(uint32_t cmd, domid_t dom)
{
    dc.cmd = cmd;
    dc.interface_version = SV_CTL_INTERFACE_VERSION;
    dc.domain = dom;
    return HYPERVISOR_domctl(&dc);
}

static long sysctl(uint32_t cmd)
{
    sc.cmd = cmd;
    sc.interface_version = SV_CTL_INTERFACE_VERSION;
    return HYPERVISOR_sysctl(&sc);
}

static void wait_ms(uint64_t ms)
{
    uint64_t end = rdtsc() + ms_to_cycles(ms);

    while (rdtsc() < end)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

static uint64_t cpu_time(domid_t dom)
{
    return domctl(SV_DOMCTL_getdomaininfo, dom) ? ~0ull : dc.u.info.cpu_time_ns;
}

static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }

/* ---- driver-domain permissions, on ourselves ----------------------------
 *
 * A separate step because it is about something else than the rest of
 * ctl: not managing another domain but what hardware a domain may touch
 * (SV_DOMCTL_ioport/iomem/irq_permission, memory_mapping, getpermissions).
 * A privileged domain may give them to itself (DOMID_SELF), so the test
 * needs no second domain, and it can check the effect directly: QEMU's
 * fw_cfg ports (0x510 selector, 0x511 data: signature "QEMU" at selector 0)
 * and the HPET at machine 0xfed00000 (pc and q35 machines), whose
 * capabilities register has vendor 0x8086 and a non-zero period.  It gives
 * back everything it took, so the rest of the boot is unchanged.
 */
#define FWCFG_SEL     0x510
#define FWCFG_DATA    0x511
#define HPET_MFN      0xfed00ull
/* Above 4 GiB: no alias of it in the boot identity map (WB, < 4 GiB). */
#define HPET_GFN      0x100000ull
#define HPET_VA       (TESTWIN + 0x10000)
#define EPERM_        (-1)
#define ENOENT_       (-2)
#define E2BIG_        (-7)
#define EBUSY_        (-16)
#define EINVAL_       (-22)

static long ioport_perm(uint32_t first, uint32_t nr, bool allow)
{
    dc.u.ioport = (struct sv_ioport_permission){ .first_port = first, .nr_ports = nr, .allow = allow };
    return domctl(SV_DOMCTL_ioport_permission, DOMID_SELF);
}

static long iomem_perm(uint64_t first, uint64_t nr, bool allow)
{
    dc.u.iomem = (struct sv_iomem_permission){ .first_mfn = first, .nr_mfns = nr, .allow = allow };
    return domctl(SV_DOMCTL_iomem_permission, DOMID_SELF);
}

static long irq_perm(uint32_t irq, bool allow)
{
    dc.u.irq = (struct sv_irq_permission){ .irq = irq, .allow = allow };
    return domctl(SV_DOMCTL_irq_permission, DOMID_SELF);
}

static long mmio_map(uint64_t gfn, uint64_t mfn, uint64_t nr, bool add)
{
    dc.u.mmio = (struct sv_memory_mapping){ .first_gfn = gfn, .first_mfn = mfn, .nr_mfns = nr, .add = add };
    return domctl(SV_DOMCTL_memory_mapping, DOMID_SELF);
}

/* The index-th range we hold: rc, and kind/first/last when 0. */
static long perm_nth(uint32_t index, uint32_t *kind, uint64_t *first, uint64_t *last)
{
    dc.u.perms = (struct sv_permissions){ .index = index };
    long rc = domctl(SV_DOMCTL_getpermissions, DOMID_SELF);
    *kind = dc.u.perms.kind;
    *first = dc.u.perms.first;
    *last = dc.u.perms.last;
    return rc;
}

/* fw_cfg's signature: selector 0, then 4 bytes from the data port. */
static void fwcfg_sig(uint8_t b[4])
{
    outw(FWCFG_SEL, 0x0000);
    for (int i = 0; i < 4; i++)
        b[i] = inb(FWCFG_DATA);
}

static bool all_ff(const uint8_t b[4])
{
    return b[0] == 0xff && b[1] == 0xff && b[2] == 0xff && b[3] == 0xff;
}

static const char *perms_ioport(void)
{
    uint8_t before[4], with[4], after[4];
    uint32_t kind;
    uint64_t first, last;
    long rc;

    fwcfg_sig(before);
    if (!all_ff(before))
        return fail("fw_cfg without permission read %02x %02x %02x %02x, want ff ff ff ff",
                    before[0], before[1], before[2], before[3]);
    if ((rc = ioport_perm(FWCFG_SEL, 2, true)))
        return fail("ioport_permission %#x+2 allow: %ld, want 0", FWCFG_SEL, rc);
    fwcfg_sig(with);
    if (memcmp(with, "QEMU", 4))
        return fail("fw_cfg with permission read %02x %02x %02x %02x, want \"QEMU\"",
                    with[0], with[1], with[2], with[3]);
    if ((rc = perm_nth(0, &kind, &first, &last)) || kind != SV_PERM_IOPORT || first != FWCFG_SEL ||
        last != FWCFG_DATA)
        return fail("getpermissions 0: %ld, kind %u, %#lx..%#lx, want 0, I/O ports %#x..%#x", rc, kind,
                    (unsigned long)first, (unsigned long)last, FWCFG_SEL, FWCFG_DATA);
    if ((rc = perm_nth(1, &kind, &first, &last)) != ENOENT_)
        return fail("getpermissions 1: %ld (kind %u), want -ENOENT", rc, kind);
    if ((rc = ioport_perm(FWCFG_SEL, 2, false)))
        return fail("ioport_permission %#x+2 revoke: %ld, want 0", FWCFG_SEL, rc);
    fwcfg_sig(after);
    if (!all_ff(after))
        return fail("fw_cfg after revoke read %02x %02x %02x %02x, want ff ff ff ff",
                    after[0], after[1], after[2], after[3]);
    if ((rc = perm_nth(0, &kind, &first, &last)) != ENOENT_)
        return fail("getpermissions 0 after revoke: %ld (kind %u), want -ENOENT", rc, kind);
    if ((rc = ioport_perm(0x3f8, 8, true)) != EPERM_)
        return fail("ioport_permission of the hypervisor's UART (0x3f8+8): %ld, want -EPERM", rc);
    if ((rc = ioport_perm(FWCFG_SEL, 0, true)) != EINVAL_)
        return fail("ioport_permission with nr_ports 0: %ld, want -EINVAL", rc);
    if ((rc = ioport_perm(0xfff0, 0x20, true)) != EINVAL_)
        return fail("ioport_permission 0xfff0+0x20 (past 0xffff): %ld, want -EINVAL", rc);
    note("ioport: fw_cfg reads %02x %02x %02x %02x without permission, \"%c%c%c%c\" with it, "
         "%02x %02x %02x %02x after revoke", before[0], before[1], before[2], before[3],
         with[0], with[1], with[2], with[3], after[0], after[1], after[2], after[3]);
    return NULL;
}

static const char *perms_iomem(void)
{
    uint32_t kind;
    uint64_t first, last;
    long rc;

    if (mem_ram_bytes() > (HPET_GFN << 12))
        return fail("gfn %#llx is our RAM (%lu MiB)", HPET_GFN, (unsigned long)(mem_ram_bytes() / MiB));
    if ((rc = mmio_map(HPET_GFN, HPET_MFN, 1, true)) != EPERM_)
        return fail("memory_mapping of mfn %#llx without permission: %ld, want -EPERM", HPET_MFN, rc);
    if ((rc = iomem_perm(HPET_MFN, 1, true)))
        return fail("iomem_permission mfn %#llx allow: %ld, want 0", HPET_MFN, rc);
    if ((rc = perm_nth(0, &kind, &first, &last)) || kind != SV_PERM_IOMEM || first != HPET_MFN ||
        last != HPET_MFN)
        return fail("getpermissions 0: %ld, kind %u, %#lx..%#lx, want 0, I/O memory %#llx..%#llx", rc,
                    kind, (unsigned long)first, (unsigned long)last, HPET_MFN, HPET_MFN);
    if ((rc = mmio_map(HPET_GFN, HPET_MFN, 1, true)))
        return fail("memory_mapping gfn %#llx -> mfn %#llx: %ld, want 0", HPET_GFN, HPET_MFN, rc);
    if ((rc = mmio_map(HPET_GFN, HPET_MFN, 1, true)) != EBUSY_)
        return fail("second memory_mapping at gfn %#llx: %ld, want -EBUSY", HPET_GFN, rc);
    /* Uncached, as a driver maps device registers. */
    if (!map_page(kernel_cr3(), HPET_VA, HPET_GFN << 12, PTE_P | PTE_W | PTE_PCD | PTE_PWT | PTE_NX))
        return fail("no frame for page tables");
    uint64_t cap = *(volatile uint64_t *)HPET_VA;
    unmap_page(kernel_cr3(), HPET_VA);          /* clears the PTE, INVLPG */
    unsigned int vendor = (unsigned int)(cap >> 16 & 0xffff);
    uint32_t period = (uint32_t)(cap >> 32);
    if ((rc = mmio_map(HPET_GFN, HPET_MFN, 1, false)))
        return fail("memory_mapping remove at gfn %#llx: %ld, want 0", HPET_GFN, rc);
    if ((rc = iomem_perm(HPET_MFN, 1, false)))
        return fail("iomem_permission mfn %#llx revoke: %ld, want 0", HPET_MFN, rc);
    if (vendor != 0x8086 || !period)
        return fail("HPET capabilities %#lx: vendor %#x, period %u fs; want vendor 0x8086, a period",
                    (unsigned long)cap, vendor, period);
    if ((rc = iomem_perm(0x100, 1, true)) != EPERM_)
        return fail("iomem_permission of RAM (mfn 0x100): %ld, want -EPERM", rc);
    if ((rc = mmio_map(HPET_GFN, HPET_MFN, 1025, true)) != E2BIG_)
        return fail("memory_mapping of 1025 frames: %ld, want -E2BIG", rc);
    note("iomem: HPET vendor %#x, period %u fs through gfn %#llx", vendor, period, HPET_GFN);
    return NULL;
}

static const char *perms_irq(void)
{
    uint32_t kind;
    uint64_t first, last;
    long rc;
    bool listed = false;

    if ((rc = irq_perm(5, true)))
        return fail("irq_permission 5 allow: %ld, want 0", rc);
    for (uint32_t i = 0; (rc = perm_nth(i, &kind, &first, &last)) == 0 && i < 64; i++)
        listed |= kind == SV_PERM_IRQ && first == 5 && last == 5;
    if (rc != ENOENT_ || !listed)
        return fail("getpermissions after irq 5: IRQ 5..5 %s, last answer %ld",
                    listed ? "listed" : "not listed", rc);
    if ((rc = irq_perm(5, false)))
        return fail("irq_permission 5 revoke: %ld, want 0", rc);
    if ((rc = perm_nth(0, &kind, &first, &last)) != ENOENT_)
        return fail("getpermissions 0 after revoking everything: %ld (kind %u, %#lx..%#lx), want -ENOENT",
                    rc, kind, (unsigned long)first, (unsigned long)last);
    note("irq: 5 permitted and listed, revoked");
    return NULL;
}

static const char *ctl_permissions(void)
{
    const char *why;

    if ((why = perms_ioport()) || (why = perms_iomem()) || (why = perms_irq()))
        return why;
    return NULL;
}

static const char *refusals(void)
{
    long rc;

    dc.cmd = SV_DOMCTL_getdomaininfo;
    dc.interface_version = SV_CTL_INTERFACE_VERSION + 1;
    dc.domain = DOMID_SELF;
    if ((rc = HYPERVISOR_domctl(&dc)) != -13)
        return fail("domctl with interface version %#x: %ld, want -EACCES", SV_CTL_INTERFACE_VERSION + 1, rc);
    sc.cmd = SV_SYSCTL_physinfo;
    sc.interface_version = 0;
    if ((rc = HYPERVISOR_sysctl(&sc)) != -13)
        return fail("sysctl with interface version 0: %ld, want -EACCES", rc);
    return NULL;
}

const char *test_ctl(void)
{
    const char *why;
    long rc;
    domid_t target;

    uint64_t t;
    if (!cmdline_u64("target", &t) || !t || t >= DOMID_FIRST_RESERVED)
        return fail("needs target=N");
    target = (domid_t)t;
    if ((why = refusals()))
        return why;

    /* A toolstack hears of domains that end through VIRQ_DOM_EXC. */
    if ((why = xev_init()))
        return why;
    xev_reset_counts();
    struct evtchn_bind_virq bv = { .virq = VIRQ_DOM_EXC, .vcpu = 0 };
    if ((rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv)))
        return fail("EVTCHNOP_bind_virq(VIRQ_DOM_EXC): %ld", rc);

    if ((rc = sysctl(SV_SYSCTL_physinfo)))
        return fail("physinfo: %ld", rc);
    struct sv_physinfo pi = sc.u.physinfo;
    if (pi.nr_cpus < 2 || !pi.cpu_khz || !pi.capabilities || pi.free_pages > pi.total_pages ||
        !pi.sched_cpu_mask || (pi.sched_cpu_mask & 1))
        return fail("physinfo: %u CPUs, %u kHz, caps %#x, %lu of %lu pages free, sched mask %#lx",
                    pi.nr_cpus, pi.cpu_khz, pi.capabilities, (unsigned long)pi.free_pages,
                    (unsigned long)pi.total_pages, (unsigned long)pi.sched_cpu_mask);
    note("physinfo: %u CPUs, %u kHz, caps %#x, %lu MiB free of %lu", pi.nr_cpus, pi.cpu_khz,
         pi.capabilities, (unsigned long)(pi.free_pages >> 8), (unsigned long)(pi.total_pages >> 8));

    /* The target shows up and runs. */
    uint64_t deadline = rdtsc() + ms_to_cycles(20000);
    while (cpu_time(target) == ~0ull || cpu_time(target) == 0) {
        if (rdtsc() > deadline)
            return fail("d%u never ran (getdomaininfo: %ld)", target, domctl(SV_DOMCTL_getdomaininfo, target));
        wait_ms(10);
    }
    sc.u.list = (struct sv_getdomaininfolist){ .first_domain = 0, .max = 64, .buffer = (uintptr_t)list };
    if ((rc = sysctl(SV_SYSCTL_getdomaininfolist)))
        return fail("getdomaininfolist: %ld", rc);
    bool seen_target = false, seen_self = false;
    for (uint32_t i = 0; i < sc.u.list.num; i++) {
        seen_target |= list[i].domid == target;
        seen_self |= (list[i].flags & SV_DOMINF_privileged) != 0;
    }
    if (!seen_target || !seen_self)
        return fail("domain list of %u: target %s, a privileged domain (us) %s", sc.u.list.num,
                    seen_target ? "listed" : "missing", seen_self ? "listed" : "missing");
    note("%u domains listed", sc.u.list.num);

    if ((rc = domctl(SV_DOMCTL_getdomaininfo, target)) || !(dc.u.info.flags & SV_DOMINF_running))
        return fail("getdomaininfo d%u: %ld, flags %#x", target, rc, dc.u.info.flags);
    note("d%u is %s: %lu pages, %u vCPU(s)", target, dc.u.info.name,
         (unsigned long)dc.u.info.tot_pages, dc.u.info.nr_vcpus);

    /* Paused, it gets no CPU time; unpaused, it does again. */
    if ((rc = domctl(SV_DOMCTL_pausedomain, target)))
        return fail("pause d%u: %ld", target, rc);
    wait_ms(50);
    uint64_t t1 = cpu_time(target);
    wait_ms(200);
    uint64_t t2 = cpu_time(target);
    if (domctl(SV_DOMCTL_getdomaininfo, target) || !(dc.u.info.flags & SV_DOMINF_paused))
        return fail("d%u not shown paused (flags %#x)", target, dc.u.info.flags);
    if (t2 != t1)
        return fail("paused d%u still ran %lu ns", target, (unsigned long)(t2 - t1));
    if ((rc = domctl(SV_DOMCTL_unpausedomain, target)))
        return fail("unpause d%u: %ld", target, rc);
    wait_ms(200);
    uint64_t t3 = cpu_time(target);
    if (t3 <= t2)
        return fail("unpaused d%u did not run (%lu -> %lu ns)", target, (unsigned long)t2, (unsigned long)t3);
    note("paused: +0 ns in 200 ms; unpaused: +%lu ms in 200 ms", (unsigned long)((t3 - t2) / 1000000));

    /* Pinning. */
    dc.u.vcpu = (struct sv_vcpuinfo){ .vcpu = 0 };
    if ((rc = domctl(SV_DOMCTL_getvcpuinfo, target)))
        return fail("getvcpuinfo: %ld", rc);
    unsigned int from = dc.u.vcpu.cpu, to = 0;
    for (unsigned int c = 1; c < 64 && !to; c++)
        if ((pi.sched_cpu_mask >> c & 1) && c != from)
            to = c;
    if (to) {
        dc.u.vcpu = (struct sv_vcpuinfo){ .vcpu = 0, .affinity = 1ull << to };
        if ((rc = domctl(SV_DOMCTL_setvcpuaffinity, target)))
            return fail("setvcpuaffinity CPU %u: %ld", to, rc);
        wait_ms(100);
        dc.u.vcpu = (struct sv_vcpuinfo){ .vcpu = 0 };
        if ((rc = domctl(SV_DOMCTL_getvcpuinfo, target)) || dc.u.vcpu.cpu != to ||
            dc.u.vcpu.affinity != 1ull << to)
            return fail("after pinning to CPU %u: %ld, on CPU %u, affinity %#lx", to, rc,
                        dc.u.vcpu.cpu, (unsigned long)dc.u.vcpu.affinity);
        note("d%u's vCPU moved from CPU %u to CPU %u", target, from, to);
    }
    dc.u.vcpu = (struct sv_vcpuinfo){ .vcpu = 0, .affinity = 1 };      /* CPU 0: not the scheduler's */
    if ((rc = domctl(SV_DOMCTL_setvcpuaffinity, target)) != -22)
        return fail("pinning to CPU 0: %ld, want -EINVAL", rc);
    dc.u.vcpu = (struct sv_vcpuinfo){ .vcpu = 7 };
    if ((rc = domctl(SV_DOMCTL_getvcpuinfo, target)) != -2)
        return fail("getvcpuinfo of vCPU 7: %ld, want -ENOENT", rc);

    /* Counters. */
    dc.u.counters.vcpu = 0;
    if ((rc = domctl(SV_DOMCTL_getcounters, target)))
        return fail("getcounters: %ld", rc);
    uint64_t exits = 0;
    for (uint32_t i = 0; i < dc.u.counters.nr_exits; i++)
        exits += dc.u.counters.exits[i];
    if (!exits || !dc.u.counters.hypercalls[__HYPERVISOR_console_io])
        return fail("counters: %lu exits, %lu console_io", (unsigned long)exits,
                    (unsigned long)dc.u.counters.hypercalls[__HYPERVISOR_console_io]);
    note("d%u: %lu exits, %lu console_io hypercalls", target, (unsigned long)exits,
         (unsigned long)dc.u.counters.hypercalls[__HYPERVISOR_console_io]);

    /* The hypervisor log, as xl dmesg reads it. */
    sc.u.console = (struct sv_readconsole){ .buffer = (uintptr_t)logbuf, .count = sizeof(logbuf) - 1 };
    if ((rc = sysctl(SV_SYSCTL_readconsole)) || !sc.u.console.count)
        return fail("readconsole: %ld, %u bytes", rc, sc.u.console.count);
    logbuf[sc.u.console.count] = '\0';
    bool banner = false;
    for (uint32_t i = 0; i + 10 <= sc.u.console.count && !banner; i++)
        banner = !memcmp(&logbuf[i], "splitvisor", 10);
    if (!banner)
        return fail("readconsole: %u bytes without 'splitvisor'", sc.u.console.count);
    note("readconsole: %u bytes, cursor now %lu", sc.u.console.count, (unsigned long)sc.u.console.cursor);

    /* What we may not do to ourselves. */
    if ((rc = domctl(SV_DOMCTL_pausedomain, DOMID_SELF)) != -22)
        return fail("pausing ourselves: %ld, want -EINVAL", rc);
    if ((rc = domctl(SV_DOMCTL_destroydomain, DOMID_SELF)) != -1)
        return fail("destroying ourselves: %ld, want -EPERM", rc);
    if ((rc = domctl(SV_DOMCTL_getdomaininfo, 60)) != -3)
        return fail("getdomaininfo of an absent domain: %ld, want -ESRCH", rc);

    /* Destroy: it goes, and its memory with it. */
    if ((rc = domctl(SV_DOMCTL_destroydomain, target)))
        return fail("destroy d%u: %ld", target, rc);
    deadline = rdtsc() + ms_to_cycles(10000);
    while ((rc = domctl(SV_DOMCTL_getdomaininfo, target)) != -3) {
        if (rdtsc() > deadline)
            return fail("d%u still there 10 s after destroy (%ld, flags %#x)", target, rc, dc.u.info.flags);
        wait_ms(10);
    }
    note("d%u destroyed", target);
    if (!xev_wait_count(bv.port, 1, false, 5000))
        return fail("no VIRQ_DOM_EXC on port %u after d%u was destroyed", bv.port, target);
    note("VIRQ_DOM_EXC on port %u: %u events", bv.port, xev_count[bv.port]);

    /* The balloon: give 64 frames back, see the reservation drop, take them
     * again (zeroed). */
    static xen_pfn_t pfns[64];
    domid_t self = DOMID_SELF;
    long before = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    for (unsigned int i = 0; i < 64; i++) {
        uint64_t pa = frame_alloc();
        if (!pa)
            return fail("out of frames");
        memset(phys(pa), 0x5a, PAGE_SIZE);
        pfns[i] = pa >> 12;
    }
    struct xen_memory_reservation r = { .nr_extents = 64, .extent_order = 0, .domid = DOMID_SELF };
    set_xen_guest_handle(r.extent_start, pfns);
    if ((rc = HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r)) != 64)
        return fail("decrease_reservation of 64 frames: %ld", rc);
    long during = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    if ((rc = HYPERVISOR_memory_op(XENMEM_populate_physmap, &r)) != 64)
        return fail("populate_physmap of 64 frames: %ld", rc);
    long after = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    if (during != before - 64 || after != before)
        return fail("reservation %ld -> %ld -> %ld pages, want -64 then back", before, during, after);
    for (unsigned int i = 0; i < 64; i++) {
        const uint8_t *p = phys(pfns[i] << 12);
        for (unsigned int b = 0; b < PAGE_SIZE; b++)
            if (p[b])
                return fail("repopulated frame %#lx byte %u is %#x, want 0", (unsigned long)pfns[i], b, p[b]);
        frame_free(pfns[i] << 12);
    }
    note("balloon: %ld -> %ld -> %ld pages", before, during, after);
    return ctl_permissions();
}

const char *test_ctl_denied(void)
{
    const char *why = refusals();
    long rc;

    if (why)
        return why;
    if ((rc = domctl(SV_DOMCTL_getdomaininfo, DOMID_SELF)) != -1)
        return fail("domctl from an ordinary domain: %ld, want -EPERM", rc);
    if ((rc = sysctl(SV_SYSCTL_physinfo)) != -1)
        return fail("sysctl from an ordinary domain: %ld, want -EPERM", rc);
    return NULL;
}
