/*
 * ad_bits: the CPU sets Accessed in every entry it walks through and Dirty
 * in the leaf it writes through, and nowhere else (APM vol. 2, "Page-Translation-
 * Table Entry Fields": D is ignored in non-leaf entries).  Cleared bits come back on
 * the next access once INVLPG has dropped the cached translation.
 */
#include "svguest.h"

static inline uint64_t rd(uint64_t va) { return *(volatile uint64_t *)va; }
static inline void wr(uint64_t va, uint64_t v) { *(volatile uint64_t *)va = v; }

/* Checks that entry e has exactly the A/D bits want (a mask of A|D). */
static const char *ad_check(volatile uint64_t *e, uint64_t want, const char *what)
{
    uint64_t got = *e & (PTE_A | PTE_D);
    if (got != want)
        return fail("%s: A=%d D=%d, want A=%d D=%d (entry %#lx)", what, !!(got & PTE_A), !!(got & PTE_D),
                    !!(want & PTE_A), !!(want & PTE_D), *e);
    return NULL;
}

const char *test_ad_bits(void)
{
    uint64_t k = kernel_cr3();
    uint64_t fx = frame_alloc_zero(), fy = frame_alloc_zero();
    uint64_t p2 = frame_alloc_contig(512, 2 * MiB);
    const uint64_t vx = TESTWIN + 0x10000, vy = vx + PAGE_SIZE, v2 = TESTWIN + GiB;
    const char *why = NULL;
    if (!fx || !fy || !p2) {
        why = fail("out of memory");
        goto out;
    }
    if (!map_page(k, vx, fx, PTE_P | PTE_W) || !map_page(k, vy, fy, PTE_P | PTE_W) ||
        !map_large(k, v2, p2, 2, PTE_P | PTE_W)) {
        why = fail("out of memory");
        goto out;
    }
    volatile uint64_t *px = pt_entry(k, vx, 1, false), *py = pt_entry(k, vy, 1, false);
    volatile uint64_t *pde = pt_entry(k, vx, 2, false), *pdpte = pt_entry(k, vx, 3, false);
    volatile uint64_t *pml4e = &boot_pml4[1], *pde2 = pt_entry(k, v2, 2, false);

    /* Fresh entries: nothing set; flush everything cached about them. */
    *pml4e &= ~(uint64_t)(PTE_A | PTE_D);
    *pdpte &= ~(uint64_t)(PTE_A | PTE_D);
    *pde &= ~(uint64_t)(PTE_A | PTE_D);
    write_cr3(k);

    (void)rd(vx + 0x40);
    if ((why = ad_check(px, PTE_A, "PTE after a read")) || (why = ad_check(py, 0, "untouched neighbour PTE")) ||
        (why = ad_check(pde, PTE_A, "PDE after a read")) || (why = ad_check(pdpte, PTE_A, "PDPTE after a read")) ||
        (why = ad_check(pml4e, PTE_A, "PML4E after a read")))
        goto out;
    wr(vx + 0x48, 1);
    if ((why = ad_check(px, PTE_A | PTE_D, "PTE after a write")) || (why = ad_check(py, 0, "untouched neighbour PTE")) ||
        (why = ad_check(pde, PTE_A, "PDE (non-leaf) after a write")) ||
        (why = ad_check(pdpte, PTE_A, "PDPTE (non-leaf) after a write")) ||
        (why = ad_check(pml4e, PTE_A, "PML4E (non-leaf) after a write")))
        goto out;

    for (int round = 0; round < 4; round++) {
        *px &= ~(uint64_t)(PTE_A | PTE_D);
        invlpg(vx);
        (void)rd(vx);
        if ((why = ad_check(px, PTE_A, "PTE: cleared, INVLPG, read")))
            goto out;
        wr(vx, round);
        if ((why = ad_check(px, PTE_A | PTE_D, "PTE: then written")))
            goto out;
    }
    /* A write as the first access sets both at once. */
    wr(vy, 2);
    if ((why = ad_check(py, PTE_A | PTE_D, "PTE written first")))
        goto out;

    /* A 2 MiB leaf (PDE.PS) gets its own A and D. */
    if ((why = ad_check(pde2, 0, "fresh 2 MiB PDE")))
        goto out;
    (void)rd(v2 + MiB + 0x80);
    if ((why = ad_check(pde2, PTE_A, "2 MiB PDE after a read")))
        goto out;
    wr(v2 + 0x1ffff8, 3);
    if ((why = ad_check(pde2, PTE_A | PTE_D, "2 MiB PDE after a write")))
        goto out;
    *pde2 &= ~(uint64_t)(PTE_A | PTE_D);
    invlpg(v2 + 0x1ffff8);
    wr(v2 + 0x1ffff8, 4);
    if ((why = ad_check(pde2, PTE_A | PTE_D, "2 MiB PDE: cleared, INVLPG, written")))
        goto out;
    if (*(volatile uint64_t *)phys(p2 + 0x1ffff8) != 4)
        why = fail("write through the 2 MiB page did not reach its frame");
out:
    testwin_reset();
    if (fx)
        frame_free(fx);
    if (fy)
        frame_free(fy);
    if (p2)
        for (uint64_t i = 0; i < 512; i++)
            frame_free(p2 + i * PAGE_SIZE);
    return why;
}
