/*
 * Translation tests: paging off and on again, CR3 switches, INVLPG, large
 * pages.
 */
#include "svguest.h"

static inline uint64_t rd(uint64_t va) { return *(volatile uint64_t *)va; }
static inline void wr(uint64_t va, uint64_t v) { *(volatile uint64_t *)va = v; }

/* ---- paging_onoff ------------------------------------------------------
 * A 4-page physically contiguous buffer is mapped in reverse page order at
 * TESTWIN and filled through that mapping; with paging off the 32-bit code
 * checks it in physical order and rewrites it; back in long mode we check
 * the rewrite through the mapping again.  A stack canary and a .bss buffer
 * must survive too. */
#define PGOFF_PAGES 4
#define PGOFF_WORDS (PGOFF_PAGES * 1024)

static uint32_t *pgoff_word(uint32_t j)
{
    uint64_t page = PGOFF_PAGES - 1 - j / 1024;         /* reverse order */
    return (uint32_t *)(uintptr_t)(TESTWIN + page * PAGE_SIZE) + j % 1024;
}

const char *test_paging_onoff(void)
{
    static uint64_t bss_buf[256];
    volatile uint64_t canary = 0xca7ca7ca7ca7ca7cul;
    uint64_t k = kernel_cr3();
    uint64_t pa = frame_alloc_contig(PGOFF_PAGES, PAGE_SIZE);
    const char *why = NULL;
    if (!pa)
        return fail("out of memory");
    for (uint64_t p = 0; p < PGOFF_PAGES; p++)
        if (!map_page(k, TESTWIN + p * PAGE_SIZE, pa + (PGOFF_PAGES - 1 - p) * PAGE_SIZE, PTE_P | PTE_W)) {
            why = fail("out of memory");
            goto out;
        }
    for (unsigned int i = 0; i < ARRAY_SIZE(bss_buf); i++)
        bss_buf[i] = 0xb55b55b5000ul + i;

    for (uint32_t round = 0; round < 16; round++) {
        uint32_t seed = 0x2545f491u * (round + 1);
        for (uint32_t j = 0; j < PGOFF_WORDS; j++)
            *pgoff_word(j) = seed ^ (j * 0x9e3779b1u);
        uint32_t bad = paging_off_roundtrip((uint32_t)pa, PGOFF_WORDS, seed, (uint32_t)k);
        if (bad) {
            why = fail("round %u: %u of %u words read wrong with paging off", round, bad, PGOFF_WORDS);
            goto out;
        }
        if (pgoff_cr0_seen & CR0_PG) {
            why = fail("CR0 %#x with paging 'off'", pgoff_cr0_seen);
            goto out;
        }
        if (pgoff_efer_seen & (EFER_LMA | EFER_LME)) {
            why = fail("EFER %#x outside long mode (LMA/LME set)", pgoff_efer_seen);
            goto out;
        }
        if (!(rdmsr(MSR_EFER) & EFER_LMA) || !(read_cr0() & CR0_PG) || read_cr3() != k) {
            why = fail("round %u: back in 64-bit code but EFER %#lx CR0 %#lx CR3 %#lx",
                       round, rdmsr(MSR_EFER), read_cr0(), read_cr3());
            goto out;
        }
        for (uint32_t j = 0; j < PGOFF_WORDS; j++) {
            uint32_t want = ~(seed ^ (j * 0x9e3779b1u));
            if (*pgoff_word(j) != want) {
                why = fail("round %u: word %u is %#x after the trip, want %#x",
                           round, j, *pgoff_word(j), want);
                goto out;
            }
        }
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(bss_buf); i++)
        if (bss_buf[i] != 0xb55b55b5000ul + i) {
            why = fail(".bss word %u changed to %#lx", i, bss_buf[i]);
            goto out;
        }
    if (canary != 0xca7ca7ca7ca7ca7cul)
        why = fail("stack canary changed to %#lx", (uint64_t)canary);
out:
    for (uint64_t p = 0; p < PGOFF_PAGES; p++)
        frame_free(pa + p * PAGE_SIZE);
    return why;
}

/* ---- cr3_switch --------------------------------------------------------
 * NAS address spaces share the kernel's slot 0; each maps TESTWIN to a frame
 * of its own and TESTWIN + 1 GiB to its neighbour's.  We hop among them at
 * random, check what each sees and count visits in its frame. */
#define NAS       8
#define SWITCHES  20000
#define AS_TAG(i) (0x5ca1ab1e00000000ul | (i))

const char *test_cr3_switch(void)
{
    uint64_t roots[NAS] = { 0 }, frames[NAS] = { 0 };
    uint64_t visits[NAS] = { 0 };
    uint64_t k = kernel_cr3(), rng = 0x9e3779b97f4a7c15ul;
    const char *why = NULL;

    for (int i = 0; i < NAS; i++) {
        roots[i] = as_create();
        frames[i] = frame_alloc_zero();
        if (!roots[i] || !frames[i]) {
            why = fail("out of memory");
            goto out;
        }
        ((uint64_t *)phys(frames[i]))[0] = AS_TAG(i);
    }
    for (int i = 0; i < NAS; i++)
        if (!map_page(roots[i], TESTWIN, frames[i], PTE_P | PTE_W) ||
            !map_page(roots[i], TESTWIN + GiB, frames[(i + 1) % NAS], PTE_P)) {
            why = fail("out of memory");
            goto out;
        }

    for (int n = 0; n < SWITCHES; n++) {
        int j = (int)(rng_next(&rng) % NAS);
        write_cr3(roots[j]);
        uint64_t own = rd(TESTWIN), next = rd(TESTWIN + GiB);
        wr(TESTWIN + 8, rd(TESTWIN + 8) + 1);
        write_cr3(k);
        visits[j]++;
        if (own != AS_TAG(j) || next != AS_TAG((j + 1) % NAS)) {
            why = fail("switch %d to space %d: saw %#lx and %#lx, want %#lx and %#lx",
                       n, j, own, next, AS_TAG(j), AS_TAG((j + 1) % NAS));
            goto out;
        }
    }
    for (int i = 0; i < NAS; i++) {
        uint64_t c = ((uint64_t *)phys(frames[i]))[1];
        if (c != visits[i]) {
            why = fail("space %d: %lu increments landed in its frame, %lu visits", i, c, visits[i]);
            goto out;
        }
    }
    /* The kernel's own space does not map TESTWIN. */
    if (probe_read(TESTWIN, NULL) != VEC_PF + 1 || probe.error != 0 || probe.cr2 != TESTWIN)
        why = fail("kernel space reads TESTWIN without a not-present #PF");
out:
    write_cr3(k);
    for (int i = 0; i < NAS; i++) {
        if (roots[i])
            as_destroy(roots[i]);
        if (frames[i])
            frame_free(frames[i]);
    }
    return why;
}

/* ---- invlpg ------------------------------------------------------------
 * Retarget PTEs from frame A to frame B.  Without INVLPG the old
 * translation may still be used (counted, not asserted); after INVLPG, or
 * a CR3 write for a non-global page, the new one must be (APM vol. 2,
 * "TLB Management").  For a global page a CR3 write need not flush;
 * INVLPG must. */
#define INV_PAGES 64
#define TAG_A(i)  (0xaaaa000000000000ul | (i))
#define TAG_B(i)  (0xbbbb000000000000ul | (i))

const char *test_invlpg(void)
{
    uint64_t k = kernel_cr3();
    uint64_t a = frame_alloc_zero(), b = frame_alloc_zero();
    const char *why = NULL;
    unsigned int stale = 0, stale_global = 0;
    if (!a || !b)
        return fail("out of memory");
    for (uint64_t i = 0; i < INV_PAGES; i++) {
        ((uint64_t *)phys(a))[i] = TAG_A(i);
        ((uint64_t *)phys(b))[i] = TAG_B(i);
    }
    uint64_t *pte[INV_PAGES];
    for (uint64_t i = 0; i < INV_PAGES; i++) {
        uint64_t va = TESTWIN + i * PAGE_SIZE;
        if (!map_page(k, va, a, PTE_P | PTE_W)) {
            why = fail("out of memory");
            goto out;
        }
        pte[i] = pt_entry(k, va, 1, false);
        if (rd(va + 8 * i) != TAG_A(i)) {
            why = fail("page %lu: fresh mapping reads %#lx", i, rd(va + 8 * i));
            goto out;
        }
    }
    for (uint64_t i = 0; i < INV_PAGES; i++) {
        uint64_t va = TESTWIN + i * PAGE_SIZE;
        *pte[i] = b | PTE_P | PTE_W;
        uint64_t v = rd(va + 8 * i);
        if (v == TAG_A(i))
            stale++;
        else if (v != TAG_B(i)) {
            why = fail("page %lu: without INVLPG read %#lx, neither old nor new", i, v);
            goto out;
        }
    }
    for (uint64_t i = 0; i < INV_PAGES; i++) {
        uint64_t va = TESTWIN + i * PAGE_SIZE;
        invlpg(va);
        uint64_t v = rd(va + 8 * i);
        if (v != TAG_B(i)) {
            why = fail("page %lu: after INVLPG read %#lx, want the new %#lx", i, v, TAG_B(i));
            goto out;
        }
    }
    /* A CR3 write flushes non-global translations. */
    for (uint64_t i = 0; i < INV_PAGES; i++) {
        uint64_t va = TESTWIN + i * PAGE_SIZE;
        *pte[i] = a | PTE_P | PTE_W;
        invlpg(va);
        (void)rd(va + 8 * i);
        *pte[i] = b | PTE_P | PTE_W;
    }
    write_cr3(k);
    for (uint64_t i = 0; i < INV_PAGES; i++) {
        uint64_t v = rd(TESTWIN + i * PAGE_SIZE + 8 * i);
        if (v != TAG_B(i)) {
            why = fail("page %lu: after a CR3 write read %#lx, want %#lx", i, v, TAG_B(i));
            goto out;
        }
    }
    /* Global pages: a CR3 write may keep them, INVLPG may not. */
    if (cpu_has_pge) {
        for (uint64_t i = 0; i < INV_PAGES; i++) {
            uint64_t va = TESTWIN + i * PAGE_SIZE;
            *pte[i] = a | PTE_P | PTE_W | PTE_G;
            invlpg(va);
            (void)rd(va + 8 * i);
            *pte[i] = b | PTE_P | PTE_W | PTE_G;
        }
        write_cr3(k);
        for (uint64_t i = 0; i < INV_PAGES; i++) {
            uint64_t va = TESTWIN + i * PAGE_SIZE, v = rd(va + 8 * i);
            if (v == TAG_A(i))
                stale_global++;
            else if (v != TAG_B(i)) {
                why = fail("global page %lu: read %#lx, neither old nor new", i, v);
                goto out;
            }
            invlpg(va);
            v = rd(va + 8 * i);
            if (v != TAG_B(i)) {
                why = fail("global page %lu: after INVLPG read %#lx, want %#lx", i, v, TAG_B(i));
                goto out;
            }
        }
    }
    note("stale reads without a flush: %u of %d (allowed); global after CR3 write: %u of %d (allowed)",
         stale, INV_PAGES, stale_global, cpu_has_pge ? INV_PAGES : 0);
out:
    testwin_reset();            /* drops the global entries too */
    frame_free(a);
    frame_free(b);
    return why;
}

/* ---- large_pages -------------------------------------------------------
 * A 2 MiB page (PDE.PS) and, with CPUID Page1GB, a 1 GiB page (PDPTE.PS)
 * over RAM we own; 4 KiB mappings of the same frames and the identity map
 * must see every write made through the large page, and the other way
 * round (APM vol. 2, "2-Mbyte" and "1-Gbyte Page Translation"). */
const char *test_large_pages(void)
{
    uint64_t k = kernel_cr3();
    uint64_t p2 = frame_alloc_contig(512, 2 * MiB);
    const uint64_t va2 = TESTWIN + 2 * GiB, va4 = TESTWIN + 3 * GiB, va1 = TESTWIN + 4 * GiB;
    const char *why = NULL;
    if (!p2)
        return fail("no 2 MiB of contiguous RAM");
    if (!map_large(k, va2, p2, 2, PTE_P | PTE_W)) {
        why = fail("out of memory");
        goto out;
    }
    for (uint64_t i = 0; i < 512; i++)
        if (!map_page(k, va4 + i * PAGE_SIZE, p2 + i * PAGE_SIZE, PTE_P | PTE_W)) {
            why = fail("out of memory");
            goto out;
        }
    for (uint64_t i = 0; i < 512; i++) {
        uint64_t off = i * PAGE_SIZE + ((i * 72) & 0xff8), v = 0x2200000000000000ul | off;
        wr(va2 + off, v);
        uint64_t via4 = rd(va4 + off), viaid = *(volatile uint64_t *)phys(p2 + off);
        if (via4 != v || viaid != v) {
            why = fail("2M write at +%#lx: 4K view %#lx, identity %#lx, want %#lx", off, via4, viaid, v);
            goto out;
        }
        off = i * PAGE_SIZE + 0xff8;
        v = 0x4400000000000000ul | off;
        wr(va4 + off, v);
        if (rd(va2 + off) != v) {
            why = fail("4K write at +%#lx: 2M view reads %#lx, want %#lx", off, rd(va2 + off), v);
            goto out;
        }
    }
    if (cpu_has_1g) {
        uint64_t g = p2 & ~(GiB - 1), base = p2 - g;
        if (!map_large(k, va1, g, 3, PTE_P | PTE_W)) {
            why = fail("out of memory");
            goto out;
        }
        for (uint64_t i = 0; i < 512; i++) {
            uint64_t off = i * PAGE_SIZE + 16, v = 0x1100000000000000ul | off;
            wr(va1 + base + off, v);
            if (rd(va2 + off) != v || rd(va4 + off) != v) {
                why = fail("1G write at %#lx: 2M view %#lx, 4K view %#lx, want %#lx",
                           base + off, rd(va2 + off), rd(va4 + off), v);
                goto out;
            }
            wr(va4 + off + 8, ~v);
            if (rd(va1 + base + off + 8) != ~v) {
                why = fail("4K write at %#lx: 1G view reads %#lx", base + off + 8, rd(va1 + base + off + 8));
                goto out;
            }
        }
        /* Our own image, seen through the 1 GiB page too. */
        static volatile uint64_t img_word = 0x1a6e1a6e1a6e1a6eul;
        uint64_t ipa = (uintptr_t)&img_word;
        if ((ipa & ~(GiB - 1)) == g && rd(va1 + (ipa - g)) != img_word) {
            why = fail("1G view of the image reads %#lx", rd(va1 + (ipa - g)));
            goto out;
        }
    } else {
        note("CPUID says no 1 GiB pages: 1 GiB part skipped");
    }
out:
    testwin_reset();
    for (uint64_t i = 0; i < 512; i++)
        frame_free(p2 + i * PAGE_SIZE);
    return why;
}
