/*
 * hypercall_fuzz [seed=S] [calls=N] [trace=K]: N hypercalls (default
 * 100000) with random and boundary arguments, from a xorshift stream
 * seeded with S (default 1): every number 0..63 once, then mostly the
 * ones splitvisor has (memory_op, grant_table_op, event_channel_op,
 * hvm_op, vcpu_op, xen_version, console_io, sched_op, domctl, sysctl) and
 * one call in eight to any number.  fuzz_args.c makes the arguments; this
 * file gives them memory to point at (fuzz.h), makes the calls and checks:
 *   - every call returns: 0, a positive count, or a Xen errno -4095..-1;
 *   - RBX, RBP, R12-R15 and RSP come back as they were, and IF=0;
 *   - what only a privileged domain may do (another domain's memory,
 *     ports, parameters, grant table; the control interface) is refused;
 *   - console_io(write) never says it wrote more than asked, and
 *     xen_version(XENVER_version) keeps its answer;
 *   - every 10000 calls and at the end: our code and read-only data, GDT,
 *     IDT, boot page tables, the test window's entries, the read-only and
 *     console pages, a canary, control registers and the free-frame list
 *     are as they were.
 * Every 10000 calls a progress line; at the end the results per hypercall
 * by errno, what the calls did (ports, grant maps, frames taken), and
 * PASS.  A failed check prints the call number and its arguments; trace=K
 * prints every call from the K-th on, before it is made (a hypervisor that
 * dies mid-call is found that way: same seed, trace a little before).
 * Only by name (not in tests=all), and alone or last: it leaves the
 * callback vector, vcpu_info and grant state changed.
 */
#include "fuzz.h"
#include <splitvisor/ctl.h>
#include <xen/errno.h>

#define DEFAULT_CALLS   100000
#define PROGRESS        10000
#define NBUCKETS        130             /* 0, > 0, -1 .. -127, below */
#define BUCKET_BIG      129

static struct fz_state fz;
static struct fz_call cur;
static uint64_t cur_n;
static bool in_call;
static uint32_t counts[64][NBUCKETS];
static uint64_t n_ok, n_err, irq_count, irq_first_call, irq_first_vector;
static uint8_t canary[PAGE_SIZE];

static const char *const errno_names[] = {
#define XEN_ERRNO(name, value) [value] = #name,
#include <xen/errno.h>
};

/* ---- the call --------------------------------------------------------------- */

/* In assembly, so that the registers Xen keeps (all but RAX; debug builds
 * clobber the argument registers) hold known values across the call. */
struct fz_regs {
    uint64_t stub, a[5];
    uint64_t ret, kept[6], rflags;      /* out: RAX, RBX, RBP, R12-R15, RFLAGS */
};
_Static_assert(offsetof(struct fz_regs, ret) == 48 && offsetof(struct fz_regs, rflags) == 104, "fz_call");
void fz_call(struct fz_regs *r);
#define KEPT(i) "0x5fa5c0de0000000" #i
__asm__(".text\n"
        ".globl fz_call\n"
        ".type fz_call, @function\n"
        "fz_call:\n\t"
        "push %rbx\n\tpush %rbp\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\tpush %r15\n\t"
        "push %rdi\n\t"
        "mov 0(%rdi), %rax\n\t"
        "mov 16(%rdi), %rsi\n\t"
        "mov 24(%rdi), %rdx\n\t"
        "mov 32(%rdi), %r10\n\t"
        "mov 40(%rdi), %r8\n\t"
        "mov 8(%rdi), %rdi\n\t"
        "movabs $" KEPT(1) ", %rbx\n\t"
        "movabs $" KEPT(2) ", %rbp\n\t"
        "movabs $" KEPT(3) ", %r12\n\t"
        "movabs $" KEPT(4) ", %r13\n\t"
        "movabs $" KEPT(5) ", %r14\n\t"
        "movabs $" KEPT(6) ", %r15\n\t"
        "call *%rax\n\t"
        "mov (%rsp), %rcx\n\t"
        "mov %rax, 48(%rcx)\n\t"
        "mov %rbx, 56(%rcx)\n\t"
        "mov %rbp, 64(%rcx)\n\t"
        "mov %r12, 72(%rcx)\n\t"
        "mov %r13, 80(%rcx)\n\t"
        "mov %r14, 88(%rcx)\n\t"
        "mov %r15, 96(%rcx)\n\t"
        "pushfq\n\t"
        "popq 104(%rcx)\n\t"
        "pop %rdi\n\tpop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbp\n\tpop %rbx\n\t"
        "ret\n"
        ".size fz_call, . - fz_call\n");

static void console_flush(void);

static void zero_phys(uint64_t pa, uint64_t len)
{
    /* Through assembly: the compiler may not see a store to address 0. */
    __asm__ volatile("rep stosb" : "+D"(pa), "+c"(len) : "a"(0) : "memory");
}

/* ---- scratch frames ------------------------------------------------------------ */

int fz_slot_of(const struct fz_state *f, uint64_t gfn)
{
    for (unsigned int s = 0; s < FZ_SLOTS; s++)
        if (f->slot_pa[s] >> 12 == gfn)
            return (int)s;
    return -1;
}

static uint64_t nx(void)
{
    return cpu_has_nx ? PTE_NX : 0;
}

bool fz_replace_slot(struct fz_state *f, unsigned int s)
{
    uint64_t pa = frame_alloc_zero();
    if (!pa)
        return false;
    if (f->slot_pinned[s] && f->n_pinned_taken++ < 3) {
        /* Xen keeps a page it writes vcpu_info to referenced: taking it
         * from the guest does not free it.  Worth knowing when it happens. */
        console_flush();
        kprintf("svguest: hypercall_fuzz: gfn %#lx, where vcpu_info/FIFO state is registered, taken by\n",
                f->slot_pa[s] >> 12);
        fz_describe("", cur_n, &cur);
    }
    frame_given_away(f->slot_pa[s]);            /* the hypervisor took it */
    f->slot_pa[s] = pa;
    f->slot_pinned[s] = false;
    map_page(kernel_cr3(), fz_slot_va(s), pa, PTE_P | PTE_W | nx());
    invlpg(fz_slot_va(s));
    f->n_replaced++;
    return true;
}

static long place_grant_view(struct fz_state *f)
{
    struct xen_add_to_physmap x = {
        .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = f->gv_gfn,
    };
    return HYPERVISOR_memory_op(XENMEM_add_to_physmap, &x);
}

/* ---- reports ------------------------------------------------------------------------ */

void fz_describe(const char *what, uint64_t n, const struct fz_call *c)
{
    console_flush();
    kprintf("svguest: hypercall_fuzz: %s call #%lu: %s (%u) cmd %#lx: %#lx %#lx %#lx %#lx %#lx\n", what, n,
            fz_hypercall_name(c->nr), c->nr, c->cmd, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
    if (c->snap_len) {
        char hex[3 * 32 + 1];
        unsigned int len = c->snap_len < 32 ? c->snap_len : 32;
        for (unsigned int i = 0; i < len; i++)
            snprintf(hex + 3 * i, 4, " %02x", c->snap[i]);
        kprintf("svguest: hypercall_fuzz:   at %#lx:%s\n", c->ptr, hex);
    }
}

/* An exception, or a fault while we touched memory: which call. */
static void trap_context(void)
{
    if (in_call)
        fz_describe("exception in", cur_n, &cur);
    else
        kprintf("svguest: hypercall_fuzz: exception after call #%lu\n", cur_n);
}

static void irq(struct trap_frame *t)
{
    if (!irq_count++) {
        irq_first_call = cur_n;
        irq_first_vector = t->vector;
    }
}

/* A partial line a fuzzed console_io left (NUL bytes in it hide the rest
 * of the line in the log) ends before ours. */
static void console_flush(void)
{
    if (fz.console_dirty)
        xen_console_write("\n", 1);
    fz.console_dirty = false;
}

/* ---- what must not change ------------------------------------------------------------ */

struct __attribute__((packed)) dtr { uint16_t limit; uint64_t base; };

static uint64_t sum(const void *p, size_t len, uint64_t mask)
{
    const uint64_t *w = p;
    uint64_t h = 0xcbf29ce484222325ul;
    for (size_t i = 0; i < len / 8; i++)
        h = (h ^ (w[i] & mask)) * 0x100000001b3ul;
    return h;
}

struct fz_world {
    uint64_t text, gdt, idt, tables, ro, textpage, cr0, cr3, cr4, efer;
};

/* A and D may change in the entries of the identity map; nothing else. */
static uint64_t tables_sum(void)
{
    const uint64_t *pml4 = phys(kernel_cr3()), *pdpt = phys(pml4[0] & PTE_ADDR);
    uint64_t h = sum(pml4, 8, ~(uint64_t)(PTE_A | PTE_D)) ^ sum(pdpt, PAGE_SIZE, ~(uint64_t)(PTE_A | PTE_D));
    for (unsigned int i = 0; i < 4; i++)
        if (pdpt[i] & PTE_P)
            h = h * 31 + sum(phys(pdpt[i] & PTE_ADDR), PAGE_SIZE, ~(uint64_t)(PTE_A | PTE_D));
    return h;
}

static void world(struct fz_world *w)
{
    extern char __rodata_end[];
    struct dtr g, i;
    __asm__ volatile("sgdt %0; sidt %1" : "=m"(g), "=m"(i));
    w->text = sum(_start, (size_t)(__rodata_end - _start), ~0ul);
    w->gdt = sum((const void *)g.base, g.limit + 1u, ~0ul) ^ g.limit;
    w->idt = sum((const void *)i.base, i.limit + 1u, ~0ul) ^ i.limit;
    w->tables = tables_sum();
    w->ro = sum(phys(fz.ro_pa), PAGE_SIZE, ~0ul);
    w->textpage = sum(phys(fz.text_pa), PAGE_SIZE, ~0ul);
    w->cr0 = read_cr0();
    w->cr3 = read_cr3();
    w->cr4 = read_cr4();
    w->efer = rdmsr(MSR_EFER);
}

static const char *check_world(const struct fz_world *was, uint64_t n)
{
    struct fz_world now;
    static const char *const names[] = { "code and read-only data", "GDT", "IDT", "boot page tables",
                                         "read-only page", "console text page", "CR0", "CR3", "CR4", "EFER" };
    world(&now);
    for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
        if (((const uint64_t *)was)[i] != ((const uint64_t *)&now)[i])
            return fail("after %lu calls: %s changed", n, names[i]);
    for (unsigned int i = 0; i < sizeof(canary); i++)
        if (canary[i] != (uint8_t)(i * 7 + 1))
            return fail("after %lu calls: canary byte %u is %#x", n, i, canary[i]);
    uint64_t k = kernel_cr3();
    for (unsigned int s = 0; s < FZ_SLOTS; s++) {
        uint64_t *e = pt_entry(k, fz_slot_va(s), 1, false);
        if (!e || (*e & ~(uint64_t)(PTE_A | PTE_D)) != (fz.slot_pa[s] | PTE_P | PTE_W | nx()))
            return fail("after %lu calls: the entry of scratch slot %u changed", n, s);
    }
    uint64_t *ro = pt_entry(k, FZ_RO_VA, 1, false);
    if (!ro || (*ro & ~(uint64_t)(PTE_A | PTE_D)) != (fz.ro_pa | PTE_P | nx()))
        return fail("after %lu calls: the read-only page's entry changed", n);
    if (!mem_check())
        return fail("after %lu calls: the free-frame list is broken", n);
    if (irq_count)
        return fail("interrupt vector %lu with IF=0, first after call #%lu (%lu in all)", irq_first_vector,
                    irq_first_call, irq_count);
    long v = HYPERVISOR_xen_version(XENVER_version, NULL);
    if (v != fz.version)
        return fail("after %lu calls: XENVER_version says %#lx, was %#lx", n, v, fz.version);
    return NULL;
}

/* ---- one call's checks ---------------------------------------------------------------- */

static const char *check_call(const struct fz_call *c, const struct fz_regs *r)
{
    long ret = (long)r->ret;
    static const char *const regs[] = { "RBX", "RBP", "R12", "R13", "R14", "R15" };
    if (ret < -4095)
        return fail("returned %ld: neither 0, a count nor a Xen errno", ret);
    for (unsigned int i = 0; i < 6; i++)
        if (r->kept[i] != 0x5fa5c0de00000001ul + i)
            return fail("%s changed to %#lx", regs[i], r->kept[i]);
    if (r->rflags & (1u << 9))
        return fail("returned with IF=1");
    if (c->must_fail && ret >= 0) {
        int16_t st = GNTST_okay;
        if (c->status_off >= 0 && c->view)
            memcpy(&st, (const uint8_t *)c->view + c->status_off, sizeof(st));
        if (st == GNTST_okay)
            return fail("%s was allowed (returned %ld)", c->must_fail, ret);
    }
    if (c->nr == __HYPERVISOR_console_io && (uint32_t)c->cmd == CONSOLEIO_write && ret > 0 &&
        (uint64_t)ret > c->console_count)
        return fail("console_io wrote %ld of %lu bytes", ret, c->console_count);
    if (c->nr == __HYPERVISOR_xen_version && c->cmd == XENVER_version && ret != fz.version)
        return fail("XENVER_version said %#lx, first %#lx", ret, fz.version);
    return NULL;
}

static void count(unsigned int nr, long ret)
{
    unsigned int b = ret == 0 ? 0 : ret > 0 ? 1 : ret >= -127 ? 1 + (unsigned int)-ret : BUCKET_BIG;
    counts[nr][b]++;
    if (ret >= 0)
        n_ok++;
    else
        n_err++;
}

/* ---- the summary ------------------------------------------------------------------------- */

static void bucket_name(unsigned int b, char *buf, size_t len)
{
    if (b == 0)
        snprintf(buf, len, "0");
    else if (b == 1)
        snprintf(buf, len, ">0");
    else if (b == BUCKET_BIG)
        snprintf(buf, len, "<-127");
    else if (b - 1 < ARRAY_SIZE(errno_names) && errno_names[b - 1])
        snprintf(buf, len, "%s", errno_names[b - 1]);
    else
        snprintf(buf, len, "-%u", b - 1);
}

static void summary(void)
{
    char line[200], ranges[400];
    size_t rl = 0;
    uint64_t enosys_calls = 0;
    int run_start = -1;
    ranges[0] = '\0';
    for (unsigned int nr = 0; nr <= 64; nr++) {
        uint64_t total = 0;
        bool only_enosys = nr < 64;
        for (unsigned int b = 0; nr < 64 && b < NBUCKETS; b++) {
            total += counts[nr][b];
            if (counts[nr][b] && b != 1 + XEN_ENOSYS)
                only_enosys = false;
        }
        if (nr < 64 && only_enosys && total) {
            enosys_calls += total;
            if (run_start < 0)
                run_start = (int)nr;
            continue;
        }
        if (run_start >= 0 && rl < sizeof(ranges)) {    /* close a run of ENOSYS-only numbers */
            if ((int)nr - 1 > run_start)
                rl += (size_t)snprintf(ranges + rl, sizeof(ranges) - rl, "%s%d-%u", rl ? "," : "", run_start, nr - 1);
            else
                rl += (size_t)snprintf(ranges + rl, sizeof(ranges) - rl, "%s%d", rl ? "," : "", run_start);
        }
        run_start = -1;
        if (nr == 64 || !total)
            continue;
        size_t n = (size_t)snprintf(line, sizeof(line), "%s(%u) %lu:", fz_hypercall_name(nr), nr, total);
        for (unsigned int b = 0; b < NBUCKETS; b++) {
            char name[24];
            if (!counts[nr][b])
                continue;
            if (n > 120) {
                kprintf("svguest: hypercall_fuzz: %s\n", line);
                n = (size_t)snprintf(line, sizeof(line), "  %s(%u) ...", fz_hypercall_name(nr), nr);
            }
            bucket_name(b, name, sizeof(name));
            n += (size_t)snprintf(line + n, sizeof(line) - n, " %s=%u", name, counts[nr][b]);
        }
        kprintf("svguest: hypercall_fuzz: %s\n", line);
    }
    if (enosys_calls)
        kprintf("svguest: hypercall_fuzz: ENOSYS only (%lu calls): %s\n", enosys_calls, ranges);
    kprintf("svguest: hypercall_fuzz: did: %lu ports, %lu grant maps (%lu over RAM), %lu unmaps, %lu copies, "
            "%lu grant entries written\n", fz.n_ports, fz.n_maps, fz.n_map_over_ram, fz.n_unmaps, fz.n_copies,
            fz.n_grant_writes);
    kprintf("svguest: hypercall_fuzz: did: %lu physmap changes, %lu extents dropped, %lu populated, grant frame 0 "
            "moved %lu times\n", fz.n_physmap, fz.n_dropped, fz.n_populated, fz.n_gv_moves);
    kprintf("svguest: hypercall_fuzz: did: %lu scratch frames taken; %lu registered for good, %lu of them taken\n",
            fz.n_replaced, fz.n_pinned, fz.n_pinned_taken);
}

/* ---- setup and teardown ------------------------------------------------------------------ */

static const char *setup(struct fz_state *f, uint64_t seed)
{
    uint64_t k = kernel_cr3();
    memset(f, 0, sizeof(*f));
    f->rng = seed * 0x9e3779b97f4a7c15ul ^ 0x5851f42d4c957f2dul;
    if (!f->rng)
        f->rng = 1;
    f->own_lo = (uintptr_t)_start;
    f->own_hi = mem_top();
    f->low_ram = mem_low_ram();
    if (mem_ram_bytes() > 3 * GiB)
        return fail("wants less than 3 GiB of RAM (the window goes above it)");
    f->window = ((f->own_hi + 64 * MiB) >> 12) & ~0x1fful;
    f->gv_gfn = f->window + FZ_WINDOW - 1;
    f->version = HYPERVISOR_xen_version(XENVER_version, NULL);

    /* A privileged domain's requests would really act: the generators
     * then never make a valid control request.  An ordinary one learns its
     * domid from the one HVM parameter read that works. */
    static struct sv_sysctl probe;
    probe.cmd = SV_SYSCTL_physinfo;
    probe.interface_version = SV_CTL_INTERFACE_VERSION;
    f->privileged = HYPERVISOR_sysctl(&probe) == 0;
    f->self = DOMID_INVALID;
    for (domid_t d = 0; d < 64 && !f->privileged; d++) {
        /* Only our own id reads like DOMID_SELF for an ordinary domain. */
        struct xen_hvm_param p = { .domid = d, .index = HVM_PARAM_CALLBACK_IRQ };
        if (HYPERVISOR_hvm_op(HVMOP_get_param, &p) == 0) {
            f->self = d;
            break;
        }
    }

    for (unsigned int s = 0; s < FZ_SLOTS; s++) {
        f->slot_pa[s] = frame_alloc_zero();
        if (!f->slot_pa[s] || !map_page(k, fz_slot_va(s), f->slot_pa[s], PTE_P | PTE_W | nx()))
            return fail("no memory for the scratch pages");
    }
    f->ro_pa = frame_alloc();
    f->text_pa = frame_alloc_zero();
    if (!f->ro_pa || !f->text_pa || !map_page(k, FZ_RO_VA, f->ro_pa, PTE_P | nx()) ||
        !map_page(k, FZ_TEXT_VA, f->text_pa, PTE_P | nx()))
        return fail("no memory for the read-only pages");
    uint64_t *ro = phys(f->ro_pa);
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        ro[i] = fz_hostile(f);
    memcpy((char *)phys(f->text_pa) + PAGE_SIZE - FZ_TEXT_LEN, "<hcfuzz>", FZ_TEXT_LEN);
    for (unsigned int i = 0; i < sizeof(canary); i++)
        canary[i] = (uint8_t)(i * 7 + 1);
    if (f->low_ram >= FZ_LOW_ZERO)
        zero_phys(0, FZ_LOW_ZERO);

    long rc = place_grant_view(f);
    f->gv_on = f->gv_valid = rc == 0;
    if (rc == 0 && !map_page(k, FZ_GV_VA, f->gv_gfn << 12, PTE_P | PTE_W | nx()))
        return fail("no memory for a page table");
    if (rc)
        note("grant frame 0 at gfn %#lx: %ld; no grant entries of our own", f->gv_gfn, rc);
    return NULL;
}

/* Leave the domain usable for printing and shutting down. */
static void teardown(struct fz_state *f)
{
    struct evtchn_reset r = { .dom = DOMID_SELF };
    HYPERVISOR_event_channel_op(EVTCHNOP_reset, &r);
    HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
    if (f->callback_set) {
        struct xen_hvm_param p = { .domid = DOMID_SELF, .index = HVM_PARAM_CALLBACK_IRQ,
                                   .value = xev_shared ? ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56) | VEC_UPCALL : 0 };
        HYPERVISOR_hvm_op(HVMOP_set_param, &p);
    }
    if (f->upcall_vector_set) {
        struct xen_hvm_evtchn_upcall_vector u = { .vcpu = 0, .vector = VEC_UPCALL };
        HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, &u);
    }
    for (unsigned int i = 0; i < (f->nmaps < FZ_MAPS ? f->nmaps : FZ_MAPS); i++) {
        struct gnttab_unmap_grant_ref u = { .handle = f->maps[i].handle };
        if (f->maps[i].handle != ~0u)
            HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
    }
    if (f->gv_on && (f->gv_valid || place_grant_view(f) == 0))
        memset((void *)FZ_GV_VA, 0, FZ_GV_REFS * sizeof(grant_entry_v1_t));
    /* The hypervisor keeps writing pinned frames: they are not ours any more. */
    for (unsigned int s = 0; s < FZ_SLOTS; s++) {
        if (f->slot_pinned[s])
            frame_given_away(f->slot_pa[s]);
        else
            frame_free(f->slot_pa[s]);
    }
    frame_free(f->ro_pa);
    frame_free(f->text_pa);
}

/* ---- the test ------------------------------------------------------------------------------ */

const char *test_hypercall_fuzz(void)
{
    uint64_t seed = 1, calls = DEFAULT_CALLS, trace = ~0ul, n = 0;
    struct fz_world was;
    struct fz_regs r;
    const char *why;
    if (!xen_present)
        return fail("needs Xen's hypercall page");
    cmdline_u64("seed", &seed);
    cmdline_u64("calls", &calls);
    cmdline_u64("trace", &trace);
    if ((why = setup(&fz, seed)))
        return why;
    memset(counts, 0, sizeof(counts));
    n_ok = n_err = irq_count = 0;
    world(&was);
    note("seed %lu, %lu calls; d%d%s; RAM %#lx-%#lx (low %#lx unused), window gfns %#lx-%#lx, grant view at %#lx",
         seed, calls, fz.self == DOMID_INVALID ? -1 : (int)fz.self, fz.privileged ? " (privileged)" : "", fz.own_lo, fz.own_hi, fz.low_ram,
         fz.window, fz.window + FZ_WINDOW - 1, fz.gv_gfn);
    irq_hook = irq;
    trap_note = trap_context;
    uint64_t t0 = rdtsc();
    for (why = NULL; n < calls && !why; n++) {
        if (fz.gv_on && (rng_next(&fz.rng) & 31) == 0) {
            if (!fz.gv_valid) {
                long rc = place_grant_view(&fz);
                if (rc) {
                    console_flush();
                    note("grant frame 0 back to gfn %#lx: %ld; no grant entries of our own from now on",
                         fz.gv_gfn, rc);
                    fz.gv_on = false;
                }
                fz.gv_valid = rc == 0;
            }
            if (fz.gv_on)
                fz_write_grants(&fz);
        }
        cur_n = n;
        fz_generate(&fz, &cur, n);
        if (n >= trace) {
            console_flush();
            fz_describe("", n, &cur);
        }
        if (cur.zero_low)
            zero_phys(0, FZ_LOW_ZERO);
        r.stub = (uintptr_t)hypercall_page + 32 * cur.nr;
        memcpy(r.a, cur.a, sizeof(r.a));
        in_call = true;
        fz_call(&r);
        in_call = false;
        if ((why = check_call(&cur, &r))) {
            console_flush();
            fz_describe("failed", n, &cur);
            break;
        }
        count(cur.nr, (long)r.ret);
        if (!fz_after(&fz, &cur, (long)r.ret)) {
            why = fail("call #%lu took a scratch frame and there is no free frame to replace it", n);
            break;
        }
        if ((n + 1) % PROGRESS == 0) {
            console_flush();
            kprintf("svguest: hypercall_fuzz: %lu calls, %lu ok, %lu errors, %lu ms\n", n + 1, n_ok, n_err,
                    cycles_to_ns(rdtsc() - t0) / 1000000);
            why = check_world(&was, n + 1);
        }
    }
    uint64_t cycles = rdtsc() - t0;
    if (!why)
        why = check_world(&was, n);
    irq_hook = NULL;
    trap_note = NULL;
    console_flush();
    kprintf("svguest: hypercall_fuzz: %lu calls in %lu ms (seed %lu): %lu ok, %lu errors\n", n,
            cycles_to_ns(cycles) / 1000000, seed, n_ok, n_err);
    summary();
    teardown(&fz);
    return why;
}
