/*
 * builder: a test toolstack builds domains from nothing, the way xl and
 * libxenguest do it with control interface v2 (include/splitvisor/ctl.h),
 * in a domain booted with the `privileged` module option.
 *
 *   tests=builder [built_paging=shadow|hap] [cycles=N]   (defaults shadow, 3)
 *
 * First one probe domain for the refusals (max_vcpus 0 and 9, populate
 * beyond max_mem, unpause without a context, bad contexts, foreign maps of
 * an absent domain and of a hole); it also warms up what stays behind the
 * gpa where we map foreign frames (p2m tables, our page tables, their
 * shadows), so that the cycles can compare the hypervisor's free pages
 * exactly.  Each cycle first waits until the free pages stand still (the
 * hypervisor may still be loading later boot modules), then: createdomain,
 * max_mem 256, populate gfns 0..255, foreign-map gfn 1 and write a 32-bit
 * program there, unmap, memory map (RAM 0..1 MiB), HVM_PARAM_STORE_PFN,
 * vCPU 0's PVH entry state, unpause.  The program says hello on the
 * console, reads HVM_PARAM_STORE_PFN back and shuts down with poweroff
 * when it saw the value we set (crash if not).  We wait for the shutdown
 * (the domain is kept), check it, destroy it, and see the free pages back
 * where they were.
 */
#include "xen_events.h"              /* first: Xen's headers need <stdint.h> */
#include <splitvisor/ctl.h>

#define BUILT_PAGES   256
#define PROG_GFN      1
#define PROG_GPA      (PROG_GFN * 0x1000)
#define DATA_OFF      0x800               /* struct prog_data in the program's page */
#define MAP_GPA       0x100000000ull      /* above our RAM: where foreign frames go */
#define STORE_PFN(c)  (0x42u + (c))
#define ABSENT_DOMID  60

/* What the program reads and writes, at PROG_GPA + DATA_OFF.  The offsets
 * are spelt out for the assembly below. */
struct prog_data {
    uint32_t len;                 /* 0: bytes of msg */
    uint32_t want;                /* 4: the STORE_PFN we set */
    struct xen_hvm_param param;   /* 8: DOMID_SELF, HVM_PARAM_STORE_PFN; value at 16 */
    uint32_t shutdown;            /* 24: struct sched_shutdown */
    int32_t console_rc;           /* 28 */
    int32_t param_rc;             /* 32 */
    uint32_t pad;
    char msg[96];                 /* 40 */
};
_Static_assert(offsetof(struct prog_data, param) == 8 && offsetof(struct prog_data, param.value) == 16 &&
               offsetof(struct prog_data, shutdown) == 24 && offsetof(struct prog_data, console_rc) == 28 &&
               offsetof(struct prog_data, param_rc) == 32 && offsetof(struct prog_data, msg) == 40,
               "prog_data offsets are used by the assembly");

/*
 * The built domain's program: 32-bit flat, paging off, at gpa PROG_GPA.
 * No hypercall page: VMMCALL with the 32-bit convention (EAX = number,
 * EBX, ECX, EDX = arguments, result in EAX).  Assembled here, copied
 * into the domain; D(x) is gpa of data offset x.
 */
#define STR_(x) #x
#define STR(x)  STR_(x)
#define D(off)  "(" STR(PROG_GPA) "+" STR(DATA_OFF) "+" #off ")"
__asm__(".pushsection .rodata\n"
        ".code32\n"
        "builder_prog:\n\t"
        "mov $" STR(__HYPERVISOR_console_io) ", %eax\n\t"
        "mov $" STR(CONSOLEIO_write) ", %ebx\n\t"
        "mov " D(0) ", %ecx\n\t"
        "mov $" D(40) ", %edx\n\t"
        "vmmcall\n\t"
        "mov %eax, " D(28) "\n\t"
        "mov $" STR(__HYPERVISOR_hvm_op) ", %eax\n\t"
        "mov $" STR(HVMOP_get_param) ", %ebx\n\t"
        "mov $" D(8) ", %ecx\n\t"
        "vmmcall\n\t"
        "mov %eax, " D(32) "\n\t"
        "mov $" STR(SHUTDOWN_crash) ", %esi\n\t"
        "test %eax, %eax\n\t"
        "jnz 1f\n\t"
        "mov " D(16) ", %eax\n\t"
        "cmp " D(4) ", %eax\n\t"
        "jne 1f\n\t"
        "cmpl $0, " D(20) "\n\t"
        "jne 1f\n\t"
        "mov $" STR(SHUTDOWN_poweroff) ", %esi\n"
        "1:\n\t"
        "mov %esi, " D(24) "\n\t"
        "mov $" STR(__HYPERVISOR_sched_op) ", %eax\n\t"
        "mov $" STR(SCHEDOP_shutdown) ", %ebx\n\t"
        "mov $" D(24) ", %ecx\n\t"
        "vmmcall\n"
        "2:\n\t"
        "jmp 2b\n"
        "builder_prog_end:\n"
        ".code64\n"
        ".popsection\n");
extern const char builder_prog[], builder_prog_end[];

static struct sv_domctl dc;
static struct sv_sysctl sc;
static struct sv_domaininfo list[64];
static evtchn_port_t exc_port;
static bool exc_bound;

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

static long free_pages(uint64_t *pages)
{
    long rc = sysctl(SV_SYSCTL_physinfo);

    *pages = sc.u.physinfo.free_pages;
    return rc;
}

/* The count is the machine's: while the hypervisor still loads later boot
 * modules (after= domains are loaded at boot), it moves under us.  Wait
 * until it stood still for 300 ms (10 s at most). */
static void settle_free_pages(void)
{
    uint64_t deadline = rdtsc() + ms_to_cycles(10000), a = 0, b = 0;

    do {
        free_pages(&a);
        wait_ms(300);
        free_pages(&b);
    } while (a != b && rdtsc() < deadline);
}

/* createdomain; 0 and the new id in *dom, or the error. */
static long create(uint32_t flags, uint32_t max_vcpus, const char *name, domid_t *dom)
{
    memset(&dc.u, 0, sizeof(dc.u));
    dc.u.create.flags = flags;
    dc.u.create.max_vcpus = max_vcpus;
    memcpy(dc.u.create.name, name, strlen(name) + 1);
    long rc = domctl(SV_DOMCTL_createdomain, 0);
    *dom = dc.domain;
    return rc;
}

static long max_mem(domid_t dom, uint64_t pages)
{
    dc.u.max_mem.max_pages = pages;
    return domctl(SV_DOMCTL_max_mem, dom);
}

/* populate_physmap of gfns first .. first+n-1 for dom: how many it did. */
static long populate(domid_t dom, xen_pfn_t first, unsigned int n)
{
    static xen_pfn_t gfns[BUILT_PAGES + 8];
    struct xen_memory_reservation r = { .nr_extents = n, .extent_order = 0, .domid = dom };

    for (unsigned int i = 0; i < n && i < ARRAY_SIZE(gfns); i++)
        gfns[i] = first + i;
    set_xen_guest_handle(r.extent_start, gfns);
    return HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
}

/* dom's gfn at our MAP_GPA: the hypercall's result, *err the entry's. */
static long foreign_map(domid_t dom, xen_ulong_t gfn, int *err)
{
    xen_pfn_t at = MAP_GPA >> 12;
    struct xen_add_to_physmap_batch b = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_gmfn_foreign,
        .size = 1,
        .u.foreign_domid = dom,
    };
    set_xen_guest_handle(b.idxs, &gfn);
    set_xen_guest_handle(b.gpfns, &at);
    set_xen_guest_handle(b.errs, err);
    *err = 1;                               /* neither 0 nor an errno: "not written" */
    return HYPERVISOR_memory_op(XENMEM_add_to_physmap_batch, &b);
}

static long foreign_unmap(void)
{
    struct xen_remove_from_physmap x = { .domid = DOMID_SELF, .gpfn = MAP_GPA >> 12 };

    return HYPERVISOR_memory_op(XENMEM_remove_from_physmap, &x);
}

/* The PVH entry state (pvh.pandoc): 32-bit flat, CR0 = PE|ET, paging off. */
static void pvh_context(struct vcpu_hvm_context *c, uint32_t eip)
{
    memset(c, 0, sizeof(*c));
    c->mode = VCPU_HVM_MODE_32B;
    struct vcpu_hvm_x86_32 *r = &c->cpu_regs.x86_32;
    r->eip = eip;
    r->esp = PROG_GPA + DATA_OFF;           /* unused by the program */
    r->eflags = 0x2;
    r->cr0 = 0x11;
    r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = 0xffffffff;
    r->cs_ar = 0xc9b;
    r->ds_ar = r->ss_ar = r->es_ar = 0xc93;
    r->tr_ar = 0x8b;
    r->tr_limit = 0x67;
}

static long set_context(domid_t dom, const struct vcpu_hvm_context *c)
{
    memset(&dc.u, 0, sizeof(dc.u));
    dc.u.vcpuctx.vcpu = 0;
    dc.u.vcpuctx.ctx = *c;
    return domctl(SV_DOMCTL_setvcpucontext, dom);
}

static long hvm_param(int op, domid_t dom, uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = { .domid = dom, .index = index, .value = *value };
    long rc = HYPERVISOR_hvm_op(op, &p);

    *value = p.value;
    return rc;
}

/* Destroy dom and wait (yielding) until getdomaininfo says -ESRCH. */
static const char *destroy(domid_t dom)
{
    long rc = domctl(SV_DOMCTL_destroydomain, dom);

    if (rc)
        return fail("destroydomain d%u: %ld", dom, rc);
    uint64_t deadline = rdtsc() + ms_to_cycles(2000);
    while ((rc = domctl(SV_DOMCTL_getdomaininfo, dom)) != -3) {
        if (rdtsc() > deadline)
            return fail("d%u still there 2 s after destroy (%ld, flags %#x)", dom, rc, dc.u.info.flags);
        wait_ms(5);
    }
    return NULL;
}

static bool listed(domid_t dom)
{
    sc.u.list = (struct sv_getdomaininfolist){ .first_domain = 0, .max = 64, .buffer = (uintptr_t)list };
    if (sysctl(SV_SYSCTL_getdomaininfolist))
        return false;
    for (uint32_t i = 0; i < sc.u.list.num; i++)
        if (list[i].domid == dom)
            return true;
    return false;
}

/* ---- the refusals, on a probe domain ---------------------------------- */

static const char *probe_refusals(uint32_t flags)
{
    const char *why;
    struct vcpu_hvm_context ctx;
    domid_t dom;
    long rc;
    int err;

    if ((rc = create(flags, 0, "bad", &dom)) != -22)
        return fail("createdomain with max_vcpus 0: %ld, want -EINVAL", rc);
    if ((rc = create(flags, 9, "bad", &dom)) != -22)
        return fail("createdomain with max_vcpus 9: %ld, want -EINVAL", rc);
    rc = foreign_map(ABSENT_DOMID, 0, &err);
    if (rc == 0 && err == 0) {
        foreign_unmap();
        return fail("foreign map of absent d%u's gfn 0 worked", ABSENT_DOMID);
    }
    note("foreign map of absent d%u: %ld, errs[0] %d", ABSENT_DOMID, rc, err);

    if ((rc = create(flags, 1, "probe", &dom)))
        return fail("createdomain (probe): %ld", rc);
    if ((rc = domctl(SV_DOMCTL_getdomaininfo, dom)) || dc.u.info.tot_pages || dc.u.info.max_pages ||
        !(dc.u.info.flags & SV_DOMINF_paused) || (dc.u.info.flags & SV_DOMINF_started) ||
        dc.u.info.nr_vcpus != 1 || !!(dc.u.info.flags & SV_DOMINF_hap) != !!(flags & SV_CREATE_hap))
        return fail("new d%u: %ld, flags %#x, %lu/%lu pages, %u vCPUs", dom, rc, dc.u.info.flags,
                    (unsigned long)dc.u.info.tot_pages, (unsigned long)dc.u.info.max_pages, dc.u.info.nr_vcpus);
    if ((rc = populate(dom, 0, 1)) != 0)
        return fail("populate with max_mem 0: %ld, want 0", rc);
    if ((rc = max_mem(dom, 4)))
        return fail("max_mem 4: %ld", rc);
    if ((rc = populate(dom, 0, 6)) != 4)
        return fail("populate of 6 gfns with max_mem 4: %ld, want 4", rc);
    if ((rc = domctl(SV_DOMCTL_unpausedomain, dom)) != -22)
        return fail("unpause without a vCPU 0 context: %ld, want -EINVAL", rc);
    pvh_context(&ctx, PROG_GPA);
    ctx.mode = 7;
    if ((rc = set_context(dom, &ctx)) != -22)
        return fail("setvcpucontext mode 7: %ld, want -EINVAL", rc);
    pvh_context(&ctx, PROG_GPA);
    ctx.cpu_regs.x86_32.cr0 = 0x10;
    if ((rc = set_context(dom, &ctx)) != -22)
        return fail("setvcpucontext with CR0.PE clear: %ld, want -EINVAL", rc);
    rc = foreign_map(dom, 5, &err);         /* beyond what it has */
    if (rc == 0 && err == 0) {
        foreign_unmap();
        return fail("foreign map of d%u's unpopulated gfn 5 worked", dom);
    }
    note("foreign map of a hole: %ld, errs[0] %d", rc, err);
    /* Also fills the p2m tables at MAP_GPA and our page tables of the test
     * window (and, under shadow paging, their shadows), which stay: see
     * the header. */
    if ((rc = foreign_map(dom, 0, &err)) || err)
        return fail("foreign map of d%u's gfn 0: %ld, errs[0] %d", dom, rc, err);
    if (!map_page(kernel_cr3(), TESTWIN, MAP_GPA, PTE_P | PTE_W))
        return fail("no frame for page tables");
    uint64_t first = *(volatile uint64_t *)TESTWIN;
    unmap_page(kernel_cr3(), TESTWIN);
    if (first)
        return fail("d%u's new gfn 0 starts with %#lx, want 0", dom, (unsigned long)first);
    if ((rc = foreign_unmap()))
        return fail("remove_from_physmap at %#llx: %ld", MAP_GPA, rc);
    if ((why = destroy(dom)))
        return why;
    note("refusals as expected (probe domain d%u)", dom);
    return NULL;
}

/* ---- one build cycle --------------------------------------------------- */

/* Copy the program and its data (message for cycle c) into dom's gfn 1. */
static const char *write_program(domid_t self, domid_t dom, unsigned int c)
{
    long rc;
    int err;

    if ((rc = foreign_map(dom, PROG_GFN, &err)) || err)
        return fail("foreign map of d%u's gfn %u: %ld, errs[0] %d", dom, PROG_GFN, rc, err);
    if (!map_page(kernel_cr3(), TESTWIN, MAP_GPA, PTE_P | PTE_W))
        return fail("no frame for page tables");
    uint8_t *page = (uint8_t *)TESTWIN;
    for (unsigned int i = 0; i < PAGE_SIZE; i++)
        if (page[i])
            return fail("d%u's new gfn %u: byte %u is %#x, want 0", dom, PROG_GFN, i, page[i]);
    memcpy(page, builder_prog, (size_t)(builder_prog_end - builder_prog));
    struct prog_data *pd = (struct prog_data *)(page + DATA_OFF);
    pd->len = (uint32_t)snprintf(pd->msg, sizeof(pd->msg), "hello from a domain built by d%u, cycle %u\n",
                                 self, c);
    pd->want = STORE_PFN(c);
    pd->param = (struct xen_hvm_param){ .domid = DOMID_SELF, .index = HVM_PARAM_STORE_PFN };
    unmap_page(kernel_cr3(), TESTWIN);
    if ((rc = foreign_unmap()))
        return fail("remove_from_physmap at %#llx: %ld", MAP_GPA, rc);
    return NULL;
}

/* After a wrong shutdown: what the program wrote into its data. */
static void note_program_data(domid_t dom)
{
    int err;

    if (foreign_map(dom, PROG_GFN, &err) || err || !map_page(kernel_cr3(), TESTWIN, MAP_GPA, PTE_P | PTE_W))
        return;
    const struct prog_data *pd = (const struct prog_data *)(TESTWIN + DATA_OFF);
    note("d%u's program: console_io %d, get_param %d, value %#lx (want %#x)", dom, pd->console_rc,
         pd->param_rc, (unsigned long)pd->param.value, pd->want);
    unmap_page(kernel_cr3(), TESTWIN);
    foreign_unmap();
}

static const char *cycle(uint32_t flags, domid_t self, unsigned int c)
{
    static struct __attribute__((packed)) { uint64_t addr, size; uint32_t type; } e820[1];
    struct vcpu_hvm_context ctx;
    const char *why;
    uint64_t before, after, v;
    domid_t dom;
    long rc;

    settle_free_pages();
    if ((rc = free_pages(&before)))
        return fail("physinfo: %ld", rc);
    if ((rc = create(flags, 1, "built", &dom)))
        return fail("cycle %u: createdomain: %ld", c, rc);
    if ((rc = max_mem(dom, BUILT_PAGES)))
        return fail("max_mem d%u %u pages: %ld", dom, BUILT_PAGES, rc);
    if ((rc = populate(dom, 0, BUILT_PAGES)) != BUILT_PAGES)
        return fail("populate d%u gfns 0..%u: %ld", dom, BUILT_PAGES - 1, rc);
    if ((why = write_program(self, dom, c)))
        return why;

    e820[0].addr = 0;
    e820[0].size = MiB;
    e820[0].type = 1;                       /* RAM */
    struct xen_foreign_memory_map fm = { .domid = dom, .map.nr_entries = 1 };
    set_xen_guest_handle(fm.map.buffer, (void *)e820);
    if ((rc = HYPERVISOR_memory_op(XENMEM_set_memory_map, &fm)))
        return fail("set_memory_map d%u: %ld", dom, rc);
    v = STORE_PFN(c);
    if ((rc = hvm_param(HVMOP_set_param, dom, HVM_PARAM_STORE_PFN, &v)))
        return fail("HVMOP_set_param d%u STORE_PFN: %ld", dom, rc);
    v = 0;
    if ((rc = hvm_param(HVMOP_get_param, dom, HVM_PARAM_STORE_PFN, &v)) || v != STORE_PFN(c))
        return fail("HVMOP_get_param d%u STORE_PFN: %ld, %#lx", dom, rc, (unsigned long)v);

    pvh_context(&ctx, PROG_GPA);
    if ((rc = set_context(dom, &ctx)))
        return fail("setvcpucontext d%u vCPU 0: %ld", dom, rc);
    if ((rc = set_context(dom, &ctx)) != -17)
        return fail("second setvcpucontext d%u vCPU 0: %ld, want -EEXIST", dom, rc);

    xev_poll();                             /* an earlier VIRQ_DOM_EXC must not count */
    uint32_t exc_seen = xev_count[exc_port];
    if ((rc = domctl(SV_DOMCTL_unpausedomain, dom)))
        return fail("unpause d%u: %ld", dom, rc);
    uint64_t deadline = rdtsc() + ms_to_cycles(20000);
    while ((rc = domctl(SV_DOMCTL_getdomaininfo, dom)) || !(dc.u.info.flags & SV_DOMINF_shutdown)) {
        if (rc || rdtsc() > deadline || (dc.u.info.flags & SV_DOMINF_crashed))
            return fail("d%u not shut down (getdomaininfo %ld, flags %#x, cpu time %lu ns)", dom, rc,
                        dc.u.info.flags, (unsigned long)dc.u.info.cpu_time_ns);
        wait_ms(5);
    }
    struct sv_domaininfo info = dc.u.info;
    if (info.shutdown_reason != SHUTDOWN_poweroff) {
        note_program_data(dom);
        return fail("d%u shut down with reason %u, want %u (poweroff: it read STORE_PFN %#x)", dom,
                    info.shutdown_reason, SHUTDOWN_poweroff, STORE_PFN(c));
    }
    if (info.tot_pages != BUILT_PAGES || !(info.flags & SV_DOMINF_started))
        return fail("shut-down d%u: %lu pages (want %u), flags %#x", dom, (unsigned long)info.tot_pages,
                    BUILT_PAGES, info.flags);
    if (!listed(dom))
        return fail("shut-down d%u is not in the domain list", dom);
    if (!xev_wait_count(exc_port, exc_seen + 1, false, 5000))
        return fail("no VIRQ_DOM_EXC within 5 s of d%u's shutdown", dom);
    if ((why = destroy(dom)))
        return why;
    if ((rc = free_pages(&after)))
        return fail("physinfo: %ld", rc);
    note("cycle %u: domain %u built, said hello, shut down (poweroff), destroyed; free pages %lu -> %lu",
         c, dom, (unsigned long)before, (unsigned long)after);
    if (after != before) {
        /* Late frees would show here; they are still a failure. */
        wait_ms(1000);
        uint64_t later = 0;
        free_pages(&later);
        return fail("cycle %u: %ld pages not given back (free pages %lu before, %lu after -ESRCH, %lu 1 s later)",
                    c, (long)(before - after), (unsigned long)before, (unsigned long)after, (unsigned long)later);
    }
    return NULL;
}

const char *test_builder(void)
{
    const char *why, *val;
    size_t len;
    uint32_t flags = 0;
    uint64_t cycles = 3;
    long rc;

    if (cmdline_get("built_paging", &val, &len)) {
        if (item_is(val, len, "hap"))
            flags = SV_CREATE_hap;
        else if (!item_is(val, len, "shadow"))
            return fail("built_paging=: shadow or hap");
    }
    if (cmdline_get("cycles", &val, &len) && (!cmdline_u64("cycles", &cycles) || !cycles || cycles > 1000))
        return fail("cycles=: 1..1000");
    if (mem_top() + MiB > MAP_GPA)
        return fail("needs less than 4 GiB of RAM: foreign frames go at %#llx", MAP_GPA);
    /* Our own id, for the message; a privileged domain may ask. */
    if ((rc = domctl(SV_DOMCTL_getdomaininfo, DOMID_SELF)))
        return fail("getdomaininfo of ourselves: %ld (not privileged?)", rc);
    domid_t self = dc.u.info.domid;

    /* Before any measurement: xev_init gives a RAM frame to shared_info. */
    if ((why = xev_init()))
        return why;
    if (!exc_bound) {
        struct evtchn_bind_virq bv = { .virq = VIRQ_DOM_EXC, .vcpu = 0 };
        if ((rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv)))
            return fail("EVTCHNOP_bind_virq(VIRQ_DOM_EXC): %ld", rc);
        exc_port = bv.port;
        exc_bound = true;
    }
    note("d%u builds %lu %s domain(s)", self, (unsigned long)cycles, flags ? "hap" : "shadow");
    if ((why = probe_refusals(flags)))
        return why;
    for (unsigned int c = 1; c <= cycles; c++)
        if ((why = cycle(flags, self, c)))
            return why;
    return NULL;
}
