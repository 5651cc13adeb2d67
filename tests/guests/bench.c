/*
 * Benchmarks.  Each prints "BENCH <name> <iterations> <tsc_cycles> [<ns>]"
 * (ns only when the TSC frequency is known), timed with RDTSC around the
 * measured loop only.  Default iteration counts keep each one at a few
 * seconds under QEMU TCG without a hypervisor (about 2.5 s each on the
 * machine they were tuned on); bench=name:N overrides them, which runs
 * under a hypervisor in TCG will want for pf_loop and fork_churn.
 */
#include "svguest.h"
#include <xen/version.h>

static inline uint64_t rd(uint64_t va) { return *(volatile uint64_t *)va; }
static inline void wr(uint64_t va, uint64_t v) { *(volatile uint64_t *)va = v; }

void bench_report(const char *name, uint64_t iters, uint64_t cycles)
{
    if (tsc_khz)
        kprintf("BENCH %s %lu %lu %lu\n", name, iters, cycles, cycles_to_ns(cycles));
    else
        kprintf("BENCH %s %lu %lu\n", name, iters, cycles);
}

/* ---- pf_loop: map not-present, fault, map in the handler, unmap -------- */
static volatile uint64_t *pf_pte;
static uint64_t pf_frame, pf_va, pf_count;

static bool pf_loop_hook(struct trap_frame *f, uint64_t cr2)
{
    if ((cr2 & ~(PAGE_SIZE - 1)) != pf_va || (f->error & PFEC_P))
        return false;
    *pf_pte = pf_frame | PTE_P | PTE_W;
    pf_count++;
    return true;
}

static bool bench_pf_loop(uint64_t iters, uint64_t *cycles)
{
    uint64_t k = kernel_cr3();
    pf_va = TESTWIN;
    pf_frame = frame_alloc_zero();
    if (!pf_frame || !map_page(k, pf_va, pf_frame, PTE_P | PTE_W))
        return false;
    pf_pte = pt_entry(k, pf_va, 1, false);
    *pf_pte = 0;
    invlpg(pf_va);
    pf_count = 0;
    pf_hook = pf_loop_hook;
    uint64_t t0 = rdtsc();
    for (uint64_t n = 0; n < iters; n++) {
        (void)rd(pf_va);
        *pf_pte = 0;
        invlpg(pf_va);
    }
    *cycles = rdtsc() - t0;
    pf_hook = NULL;
    testwin_reset();
    frame_free(pf_frame);
    if (pf_count != iters) {
        kprintf("FAIL: bench pf_loop: %lu faults for %lu iterations\n", pf_count, iters);
        return false;
    }
    return true;
}

/* ---- fork_churn: build an address space copying FORK_PTES PTEs
 * (read-only, as fork does for copy-on-write), switch to it, touch some
 * pages, switch back, free it. */
#define FORK_PTES   384
#define FORK_FRAMES 32
#define FORK_TOUCH  16

static bool bench_fork_churn(uint64_t iters, uint64_t *cycles)
{
    uint64_t k = kernel_cr3(), frames[FORK_FRAMES] = { 0 };
    uint64_t parent_pt = frame_alloc_zero();
    bool ok = parent_pt != 0;
    for (int i = 0; i < FORK_FRAMES && ok; i++) {
        frames[i] = frame_alloc_zero();
        ok = frames[i] != 0;
        if (ok)
            ((uint64_t *)phys(frames[i]))[0] = i;
    }
    if (ok) {
        uint64_t *ppt = phys(parent_pt);
        for (int i = 0; i < FORK_PTES; i++)
            ppt[i] = frames[i % FORK_FRAMES] | PTE_P | PTE_W | PTE_U;
    }
    uint64_t t0 = rdtsc(), sum = 0;
    for (uint64_t n = 0; n < iters && ok; n++) {
        uint64_t root = as_create(), pdpt = frame_alloc_zero(), pd = frame_alloc_zero(), pt = frame_alloc_zero();
        if (!root || !pdpt || !pd || !pt) {
            ok = false;
            break;
        }
        ((uint64_t *)phys(root))[1] = pdpt | PTE_P | PTE_W | PTE_U;       /* TESTWIN */
        ((uint64_t *)phys(pdpt))[0] = pd | PTE_P | PTE_W | PTE_U;
        ((uint64_t *)phys(pd))[0] = pt | PTE_P | PTE_W | PTE_U;
        const uint64_t *src = phys(parent_pt);
        uint64_t *dst = phys(pt);
        for (int i = 0; i < FORK_PTES; i++)
            dst[i] = src[i] & ~(uint64_t)PTE_W;
        write_cr3(root);
        for (int i = 0; i < FORK_TOUCH; i++)
            sum += rd(TESTWIN + (uint64_t)(i * (FORK_PTES / FORK_TOUCH)) * PAGE_SIZE);
        write_cr3(k);
        frame_free(pt);
        frame_free(pd);
        frame_free(pdpt);
        ((uint64_t *)phys(root))[1] = 0;
        as_destroy(root);
    }
    *cycles = rdtsc() - t0;
    uint64_t want = 0;
    for (int i = 0; i < FORK_TOUCH; i++)
        want += (uint64_t)(i * (FORK_PTES / FORK_TOUCH)) % FORK_FRAMES;
    if (ok && sum != want * iters) {
        kprintf("FAIL: bench fork_churn: children read checksum %lu, want %lu\n", sum, want * iters);
        ok = false;
    }
    for (int i = 0; i < FORK_FRAMES; i++)
        if (frames[i])
            frame_free(frames[i]);
    if (parent_pt)
        frame_free(parent_pt);
    return ok;
}

/* ---- random_access: 8-byte reads and writes at pseudo-random places in
 * 256 MiB mapped with 4 KiB pages (65536 PTEs: TLB misses dominate). */
#define RA_BYTES (256 * MiB)

static bool bench_random_access(uint64_t iters, uint64_t *cycles)
{
    uint64_t k = kernel_cr3(), npages = RA_BYTES / PAGE_SIZE, mapped = 0;
    if (mem_ram_bytes() < 320 * MiB || mem_free_frames() < npages + 256) {
        kprintf("svguest: bench random_access skipped: needs >= 320 MiB of RAM (have %lu MiB, %lu free frames)\n",
                mem_ram_bytes() / MiB, mem_free_frames());
        return true;
    }
    bool ok = true;
    for (; mapped < npages; mapped++) {
        uint64_t f = frame_alloc();
        if (!f || !map_page(k, TESTWIN + mapped * PAGE_SIZE, f, PTE_P | PTE_W | PTE_NX * cpu_has_nx)) {
            if (f)
                frame_free(f);
            ok = false;
            break;
        }
    }
    if (ok) {
        uint64_t x = 0x853c49e6748fea9bul, sum = 0;
        uint64_t t0 = rdtsc();
        for (uint64_t n = 0; n < iters; n++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            uint64_t va = TESTWIN + (x & (RA_BYTES - 8) & ~7ul);
            uint64_t v = rd(va);
            sum += v;
            wr(va, v + n);
        }
        *cycles = rdtsc() - t0;
        *(volatile uint64_t *)&x = sum;
    }
    for (uint64_t i = 0; i < mapped; i++) {
        uint64_t *pte = pt_entry(k, TESTWIN + i * PAGE_SIZE, 1, false);
        frame_free(*pte & PTE_ADDR);
    }
    testwin_reset();
    if (!ok)
        kprintf("FAIL: bench random_access: could not map 256 MiB\n");
    return ok;
}

/* ---- compute: xorshift64 in registers, no memory traffic --------------- */
volatile uint64_t compute_sink;

static bool bench_compute(uint64_t iters, uint64_t *cycles)
{
    uint64_t x = 88172645463325252ul;
    uint64_t t0 = rdtsc();
    for (uint64_t n = 0; n < iters; n++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        __asm__ volatile("" : "+r"(x));     /* one value, kept in a register */
    }
    *cycles = rdtsc() - t0;
    compute_sink = x;
    return x != 0;
}

/* ---- null_hypercall: xen_version(XENVER_version, NULL), the cheapest
 * hypercall there is (no argument read, nothing written), round trips ---- */
static bool bench_null_hypercall(uint64_t iters, uint64_t *cycles)
{
    if (!xen_present) {
        kprintf("svguest: bench null_hypercall skipped: not under Xen\n");
        return true;
    }
    long want = HYPERVISOR_xen_version(XENVER_version, NULL), bad = 0;
    uint64_t t0 = rdtsc();
    for (uint64_t n = 0; n < iters; n++)
        bad |= HYPERVISOR_xen_version(XENVER_version, NULL) ^ want;
    *cycles = rdtsc() - t0;
    if (bad || want <= 0) {
        kprintf("FAIL: bench null_hypercall: XENVER_version said %#lx, then differently\n", want);
        return false;
    }
    return true;
}

struct bench {
    const char *name;
    uint64_t iters;             /* default */
    bool (*fn)(uint64_t iters, uint64_t *cycles);
};

static const struct bench benches[] = {
    { "pf_loop",       2000000,   bench_pf_loop },
    { "fork_churn",    50000,     bench_fork_churn },
    { "random_access", 8000000,   bench_random_access },
    { "compute",       1200000000, bench_compute },
    { "null_hypercall", 100000,   bench_null_hypercall },
};

const char *const bench_names[] = { "pf_loop", "fork_churn", "random_access", "compute", "null_hypercall", NULL };

bool bench_run(const char *name, size_t len, uint64_t iters, bool *known)
{
    for (size_t i = 0; i < ARRAY_SIZE(benches); i++) {
        const struct bench *b = &benches[i];
        if (!item_is(name, len, b->name))
            continue;
        *known = true;
        current_test = b->name;
        if (!iters)
            iters = b->iters;
        uint64_t cycles = 0;
        uint64_t before = mem_free_frames();
        bool ok = b->fn(iters, &cycles);
        if (ok && cycles)
            bench_report(b->name, iters, cycles);
        else if (!ok)
            kprintf("FAIL: bench %s: did not complete\n", b->name);
        if (mem_free_frames() != before)
            kprintf("svguest: bench %s leaked %ld frames\n", b->name, (long)(before - mem_free_frames()));
        return ok;
    }
    *known = false;
    return false;
}
