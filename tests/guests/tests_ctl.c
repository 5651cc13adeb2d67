/*
 * The control interface (include/splitvisor/ctl.h), from a test toolstack:
 *
 *   ctl target=N      run in a domain booted with the `privileged` module
 *       option.  physinfo; the domain list; domain N's info; pause it (its
 *       CPU time stops), unpause it (it goes on); pin its vCPU elsewhere;
 *       its exit and hypercall counters; the hypervisor log through
 *       readconsole; then destroy it and see it gone.  Also: another
 *       interface version is -EACCES, acting on itself is refused.
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
    return NULL;
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
