/*
 * Page-fault tests: demand paging by the guest's own #PF handler, write
 * protection with and without CR0.WP, no-execute.  Every fault is checked
 * for its exact error code and CR2 (APM vol. 2, "Page-Fault Error Code"): P = 0 for a
 * not-present page, W for writes, U for CPL 3, I/D for instruction fetches
 * (reported because EFER.NXE is set).
 */
#include "svguest.h"

static inline uint64_t rd(uint64_t va) { return *(volatile uint64_t *)va; }
static inline void wr(uint64_t va, uint64_t v) { *(volatile uint64_t *)va = v; }

/* ---- ring 3: a code page with user_stub and a stack page, U=1 ---------- */
#define USER_CODE  (TESTWIN + 8 * GiB)
#define USER_STACK (USER_CODE + PAGE_SIZE)

static uint64_t user_frames[2];

static bool user_setup(void)
{
    uint64_t k = kernel_cr3();
    user_frames[0] = frame_alloc_zero();
    user_frames[1] = frame_alloc_zero();
    if (!user_frames[0] || !user_frames[1])
        return false;
    memcpy(phys(user_frames[0]), user_stub, (size_t)(user_stub_end - user_stub));
    return map_page(k, USER_CODE, user_frames[0], PTE_P | PTE_U) &&
           map_page(k, USER_STACK, user_frames[1], PTE_P | PTE_W | PTE_U | PTE_NX * cpu_has_nx);
}

static void user_teardown(void)
{
    for (int i = 0; i < 2; i++)
        if (user_frames[i])
            frame_free(user_frames[i]);
    user_frames[0] = user_frames[1] = 0;
}

/* Runs user_stub in ring 3: op 0 reads va (value in *val), op 1 writes 1
 * to va.  Returns 0 if it came back through int $0x80, else the vector + 1
 * of the exception that stopped it (details in probe). */
static int user_access(uint64_t va, int op, uint64_t *val)
{
    struct user_call uc = { USER_CODE, USER_STACK + PAGE_SIZE, va, (uint64_t)op };
    int r = probe_call(enter_user, (uintptr_t)&uc);
    if (r == VEC_USER + 1) {
        if (val)
            *val = probe.rax;
        return 0;
    }
    return r ? r : -1;
}

/* ---- demand_paging ----------------------------------------------------- */
#define DP_BASE    (TESTWIN + 16 * GiB)     /* nothing mapped above it yet */
#define DP_READ    DP_BASE
#define DP_WRITE   (DP_BASE + 16 * PAGE_SIZE)
#define DP_FETCH   (DP_BASE + 32 * PAGE_SIZE)
#define DP_KERN    (DP_BASE + 36 * PAGE_SIZE)
#define DP_UREAD   (DP_BASE + 40 * PAGE_SIZE)
#define DP_UWRITE  (DP_BASE + 44 * PAGE_SIZE)
#define DP_END     (DP_BASE + 48 * PAGE_SIZE)
#define DP_MAX     64

struct dp_fault { uint64_t cr2, error, rip; };
static struct dp_fault dp_log[DP_MAX];
static unsigned int dp_faults;
static uint64_t dp_frames[DP_MAX];
static unsigned int dp_nframes;

static uint64_t dp_pattern(uint64_t va) { return va ^ 0x5eed5eed5eed5eedul; }

static bool dp_hook(struct trap_frame *f, uint64_t cr2)
{
    uint64_t page = cr2 & ~(PAGE_SIZE - 1);
    if (page < DP_BASE || page >= DP_END || (page >= DP_KERN && page < DP_UREAD) ||
        (f->error & PFEC_P) || dp_nframes == DP_MAX)
        return false;
    if (dp_faults < DP_MAX)
        dp_log[dp_faults] = (struct dp_fault){ cr2, f->error, f->rip };
    dp_faults++;
    uint64_t pa = frame_alloc();
    if (!pa)
        return false;
    dp_frames[dp_nframes++] = pa;
    if (page >= DP_FETCH && page < DP_KERN) {
        memset(phys(pa), 0xc3, PAGE_SIZE);          /* RET everywhere */
    } else {
        for (uint64_t i = 0; i < PAGE_SIZE / 8; i++)
            ((uint64_t *)phys(pa))[i] = dp_pattern(page + 8 * i);
    }
    bool user = page >= DP_UREAD;
    /* Not-present entries are never cached in the TLB (APM vol. 2, "Translation-Lookaside
     * Buffer"; Intel SDM vol. 3, 4.10.2.3),
     * so the retried access sees this entry without an INVLPG. */
    return map_page(read_cr3(), page, pa, PTE_P | PTE_W | (user ? PTE_U : 0));
}

/* The next logged fault must be at cr2 with this error code. */
static const char *dp_expect(unsigned int *seen, uint64_t cr2, uint64_t error, const char *what)
{
    if (dp_faults != *seen + 1)
        return fail("%s at %#lx: %u faults, want 1", what, cr2, dp_faults - *seen);
    const struct dp_fault *l = &dp_log[*seen];
    (*seen)++;
    if (l->cr2 != cr2 || l->error != error)
        return fail("%s: #PF CR2 %#lx error %#lx, want CR2 %#lx error %#lx", what, l->cr2, l->error, cr2, error);
    return NULL;
}

const char *test_demand_paging(void)
{
    const char *why = NULL;
    unsigned int seen = 0;
    uint64_t kframe = 0;
    dp_faults = dp_nframes = 0;
    pf_hook = dp_hook;

    for (uint64_t i = 0; i < 16; i++) {
        uint64_t va = DP_READ + i * PAGE_SIZE + ((i * 0x238) & 0xff8);
        uint64_t v = rd(va);
        if ((why = dp_expect(&seen, va, 0, "read")))
            goto out;
        if (v != dp_pattern(va)) {
            why = fail("read at %#lx returned %#lx, want %#lx", va, v, dp_pattern(va));
            goto out;
        }
        if (rd(va ^ 0x800) != dp_pattern(va ^ 0x800) || dp_faults != seen) {
            why = fail("second read of page %#lx faulted or read wrong", va);
            goto out;
        }
    }
    for (uint64_t i = 0; i < 16; i++) {
        uint64_t va = DP_WRITE + i * PAGE_SIZE + ((i * 0x1a8) & 0xff8);
        wr(va, 0xd00d0000 + i);
        if ((why = dp_expect(&seen, va, PFEC_W, "write")))
            goto out;
        if (rd(va) != 0xd00d0000 + i || dp_faults != seen) {
            why = fail("write at %#lx did not stick (reads %#lx)", va, rd(va));
            goto out;
        }
    }
    for (uint64_t i = 0; i < 4; i++) {
        uint64_t va = DP_FETCH + i * PAGE_SIZE + 0x40 * (i + 1);
        ((void (*)(void))(uintptr_t)va)();
        if ((why = dp_expect(&seen, va, cpu_has_nx ? PFEC_I : 0, "fetch")))
            goto out;
        if (dp_log[seen - 1].rip != va) {
            why = fail("fetch fault RIP %#lx, want %#lx", dp_log[seen - 1].rip, va);
            goto out;
        }
    }

    /* Ring 3: not-present user pages, then a present supervisor page. */
    if (!user_setup()) {
        why = fail("out of memory");
        goto out;
    }
    for (uint64_t i = 0; i < 4; i++) {
        uint64_t va = DP_UREAD + i * PAGE_SIZE + 0x18 * (i + 1), v = 0;
        int r = user_access(va, 0, &v);
        if (r) {
            why = fail("ring-3 read at %#lx stopped by vector %d error %#lx CR2 %#lx RIP %#lx",
                       va, r - 1, probe.error, probe.cr2, probe.rip);
            goto out;
        }
        if ((why = dp_expect(&seen, va, PFEC_U, "ring-3 read")))
            goto out;
        if (v != dp_pattern(va)) {
            why = fail("ring-3 read at %#lx returned %#lx, want %#lx", va, v, dp_pattern(va));
            goto out;
        }
    }
    for (uint64_t i = 0; i < 4; i++) {
        uint64_t va = DP_UWRITE + i * PAGE_SIZE + 0x30 * (i + 1);
        int r = user_access(va, 1, NULL);
        if (r) {
            why = fail("ring-3 write at %#lx stopped by vector %d error %#lx CR2 %#lx",
                       va, r - 1, probe.error, probe.cr2);
            goto out;
        }
        if ((why = dp_expect(&seen, va, PFEC_U | PFEC_W, "ring-3 write")))
            goto out;
        if (rd(va) != 1) {
            why = fail("ring-3 write at %#lx: kernel reads %#lx, want 1", va, rd(va));
            goto out;
        }
    }
    kframe = frame_alloc_zero();
    if (!kframe || !map_page(kernel_cr3(), DP_KERN, kframe, PTE_P | PTE_W)) {
        why = fail("out of memory");
        goto out;
    }
    int r = user_access(DP_KERN + 0x100, 0, NULL);
    if (r != VEC_PF + 1 || probe.error != (PFEC_P | PFEC_U) || probe.cr2 != DP_KERN + 0x100) {
        why = fail("ring-3 read of a supervisor page: vector %d error %#lx CR2 %#lx, want #PF %#x at %#lx",
                   r - 1, probe.error, probe.cr2, PFEC_P | PFEC_U, DP_KERN + 0x100);
        goto out;
    }
    if (dp_faults != 44)
        why = fail("%u faults in all, want 44", dp_faults);
out:
    pf_hook = NULL;
    testwin_reset();
    user_teardown();
    for (unsigned int i = 0; i < dp_nframes; i++)
        frame_free(dp_frames[i]);
    if (kframe)
        frame_free(kframe);
    return why;
}

/* ---- write_protect -----------------------------------------------------
 * A read-only page (PTE.RW = 0, then PDE.RW = 0 with a writable PTE):
 * a supervisor write faults with error P|W when CR0.WP = 1 and goes through
 * when CR0.WP = 0 (APM vol. 2, "Page-Protection Checks"); a ring-3 write faults either way. */
const char *test_write_protect(void)
{
    uint64_t k = kernel_cr3(), f = frame_alloc_zero();
    const uint64_t va = TESTWIN + 0x1000, va2 = TESTWIN + GiB + 0x3000;
    const char *why = NULL;
    uint64_t v;
    int r;
    if (!f)
        return fail("out of memory");
    volatile uint64_t *fw = phys(f);
    fw[0] = 0x1111111111111111ul;
    if (!map_page(k, va, f, PTE_P) || !map_page(k, va2, f, PTE_P | PTE_W) || !user_setup()) {
        why = fail("out of memory");
        goto out;
    }
    uint64_t *pde2 = pt_entry(k, va2, 2, false);
    *pde2 &= ~(uint64_t)PTE_W;
    write_cr3(k);

    for (int level = 1; level <= 2; level++) {
        uint64_t a = level == 1 ? va : va2, cr0 = read_cr0();
        const char *where = level == 1 ? "PTE" : "PDE";
        if (probe_read(a, &v) || v != fw[0]) {
            why = fail("%s read-only page: read failed or read %#lx", where, v);
            goto out;
        }
        write_cr0(cr0 | CR0_WP);
        r = probe_write(a + 0x10, 0xbad);
        if (r != VEC_PF + 1 || probe.error != (PFEC_P | PFEC_W) || probe.cr2 != a + 0x10) {
            why = fail("%s read-only, WP=1: vector %d error %#lx CR2 %#lx, want #PF %#x at %#lx",
                       where, r - 1, probe.error, probe.cr2, PFEC_P | PFEC_W, a + 0x10);
            goto out;
        }
        if (fw[2] != 0) {
            why = fail("%s read-only, WP=1: the faulting write changed memory to %#lx", where, fw[2]);
            goto out;
        }
        write_cr0(cr0 & ~(uint64_t)CR0_WP);
        r = probe_write(a + 0x10, 0x600d0000 + level);
        write_cr0(cr0 | CR0_WP);
        if (r) {
            why = fail("%s read-only, WP=0: supervisor write faulted (vector %d error %#lx)",
                       where, r - 1, probe.error);
            goto out;
        }
        if (fw[2] != 0x600d0000u + level) {
            why = fail("%s read-only, WP=0: memory holds %#lx after the write", where, fw[2]);
            goto out;
        }
        fw[2] = 0;
    }

    /* Ring 3 on a read-only user page: faults even with WP=0. */
    if (!map_page(k, va + PAGE_SIZE, f, PTE_P | PTE_U)) {
        why = fail("out of memory");
        goto out;
    }
    uint64_t cr0 = read_cr0();
    write_cr0(cr0 & ~(uint64_t)CR0_WP);
    r = user_access(va + PAGE_SIZE + 0x20, 1, NULL);
    write_cr0(cr0 | CR0_WP);
    if (r != VEC_PF + 1 || probe.error != (PFEC_P | PFEC_W | PFEC_U) || probe.cr2 != va + PAGE_SIZE + 0x20)
        why = fail("ring-3 write to a read-only page (WP=0): vector %d error %#lx CR2 %#lx, want #PF %#x",
                   r - 1, probe.error, probe.cr2, PFEC_P | PFEC_W | PFEC_U);
out:
    write_cr0(read_cr0() | CR0_WP);
    testwin_reset();
    user_teardown();
    frame_free(f);
    return why;
}

/* ---- nx ----------------------------------------------------------------
 * With EFER.NXE = 1, a fetch from a page with NX in its PTE, or in any
 * entry above it, faults with error P|I/D; data reads from it still work;
 * without NX the same code runs (APM vol. 2, "No Execute (NX) Bit"). */
static const uint8_t nx_code[] = { 0xb8, 0xcd, 0xab, 0x34, 0x12, 0xc3 };   /* mov $0x1234abcd,%eax; ret */

const char *test_nx(void)
{
    uint64_t k = kernel_cr3(), f;
    const uint64_t va = TESTWIN + 0x5000;
    const char *why = NULL;
    uint64_t v;
    int r;
    if (!cpu_has_nx)
        return fail("CPUID 0x80000001 EDX.NX is clear");
    if (!(rdmsr(MSR_EFER) & EFER_NXE))
        return fail("EFER.NXE is clear (EFER %#lx)", rdmsr(MSR_EFER));
    f = frame_alloc_zero();
    if (!f)
        return fail("out of memory");
    memcpy(phys(f), nx_code, sizeof(nx_code));
    if (!map_page(k, va, f, PTE_P | PTE_W | PTE_NX)) {
        why = fail("out of memory");
        goto out;
    }
    uint64_t *pte = pt_entry(k, va, 1, false), *pde = pt_entry(k, va, 2, false);

    r = probe_exec(va, NULL);
    if (r != VEC_PF + 1 || probe.error != (PFEC_P | PFEC_I) || probe.cr2 != va || probe.rip != va) {
        why = fail("fetch from an NX page: vector %d error %#lx CR2 %#lx RIP %#lx, want #PF %#x at %#lx",
                   r - 1, probe.error, probe.cr2, probe.rip, PFEC_P | PFEC_I, va);
        goto out;
    }
    if (probe_read(va, &v) || (v & 0xfffffffffffful) != 0xc31234abcdb8ul) {
        why = fail("data read from an NX page failed or read %#lx", v);
        goto out;
    }
    *pte &= ~PTE_NX;
    invlpg(va);
    r = probe_exec(va, &v);
    if (r || (uint32_t)v != 0x1234abcd) {
        why = fail("code on an executable page: vector %d, returned %#lx", r - 1, v);
        goto out;
    }
    *pde |= PTE_NX;                     /* NX above an executable PTE */
    invlpg(va);                         /* also drops cached upper-level entries */
    r = probe_exec(va, NULL);
    *pde &= ~PTE_NX;
    invlpg(va);
    if (r != VEC_PF + 1 || probe.error != (PFEC_P | PFEC_I) || probe.cr2 != va) {
        why = fail("fetch under an NX PDE: vector %d error %#lx CR2 %#lx, want #PF %#x",
                   r - 1, probe.error, probe.cr2, PFEC_P | PFEC_I);
        goto out;
    }
    r = probe_exec(va, &v);
    if (r || (uint32_t)v != 0x1234abcd)
        why = fail("code after clearing the PDE's NX: vector %d, returned %#lx", r - 1, v);
out:
    testwin_reset();
    frame_free(f);
    return why;
}
