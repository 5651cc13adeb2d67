/*
 * pt_heavy: the guest rewrites its own page tables a lot, which is what
 * shadow paging must trap and emulate.  outside_p2m: touch guest-physical
 * memory the domain does not have.
 */
#include "svguest.h"

static inline uint64_t rd(uint64_t va) { return *(volatile uint64_t *)va; }
static inline void wr(uint64_t va, uint64_t v) { *(volatile uint64_t *)va = v; }

/* ---- pt_heavy ----------------------------------------------------------
 * Each round maps PT_N pages over 4 PDPT slots (16 page tables) onto a pool
 * of data frames, checks every mapping by reading the frame's tag and by
 * writing a word that must land in the right frame, retargets the odd ones
 * (with INVLPG), unmaps the even ones (probing some: they must fault not
 * present), and finally frees all tables.  The pool is freed and
 * reallocated each round, so frames keep changing roles between data and
 * page table. */
#define PT_POOL   64
#define PT_N      2048
#define PT_ROUNDS 6
#define PT_TAG(f) (0xfeed000000000000ul | (f))

static uint64_t pt_va(uint64_t i)
{
    return TESTWIN + ((i & 3) << 30) + ((i >> 2) << 14);
}

static uint64_t pt_target(uint64_t i, uint64_t round) { return (i * 7 + round) % PT_POOL; }
static uint64_t pt_retarget(uint64_t i, uint64_t round) { return (i * 13 + round + 1) % PT_POOL; }

const char *test_pt_heavy(void)
{
    uint64_t k = kernel_cr3(), pool[PT_POOL] = { 0 };
    uint64_t ptes = 0, probes = 0;
    const char *why = NULL;

    for (uint64_t round = 0; round < PT_ROUNDS; round++) {
        for (int f = 0; f < PT_POOL; f++) {
            pool[f] = frame_alloc_zero();
            if (!pool[f]) {
                why = fail("out of memory");
                goto out;
            }
            ((uint64_t *)phys(pool[f]))[0] = PT_TAG(f);
        }
        for (uint64_t i = 0; i < PT_N; i++, ptes++)
            if (!map_page(k, pt_va(i), pool[pt_target(i, round)], PTE_P | PTE_W)) {
                why = fail("out of memory");
                goto out;
            }
        for (uint64_t i = 0; i < PT_N; i++) {
            uint64_t f = pt_target(i, round), v = rd(pt_va(i));
            if (v != PT_TAG(f)) {
                why = fail("round %lu: va %#lx reads tag %#lx, want %#lx", round, pt_va(i), v, PT_TAG(f));
                goto out;
            }
            wr(pt_va(i) + 8 * (1 + i % 500), i);
        }
        for (uint64_t i = 0; i < PT_N; i++) {
            uint64_t got = ((uint64_t *)phys(pool[pt_target(i, round)]))[1 + i % 500];
            if (got != i) {
                why = fail("round %lu: write through va %#lx landed elsewhere (frame word %#lx)",
                           round, pt_va(i), got);
                goto out;
            }
        }
        for (uint64_t i = 0; i < PT_N; i++, ptes++) {
            uint64_t va = pt_va(i);
            uint64_t *pte = pt_entry(k, va, 1, false);
            if (i & 1) {
                *pte = pool[pt_retarget(i, round)] | PTE_P | PTE_W;
                invlpg(va);
                uint64_t v = rd(va), want = PT_TAG(pt_retarget(i, round));
                if (v != want) {
                    why = fail("round %lu: retargeted va %#lx reads %#lx, want %#lx", round, va, v, want);
                    goto out;
                }
            } else {
                *pte = 0;
                invlpg(va);
                if (i % 64 == 0) {
                    probes++;
                    int r = probe_read(va + 0x10, NULL);
                    if (r != VEC_PF + 1 || probe.error != 0 || probe.cr2 != va + 0x10) {
                        why = fail("round %lu: unmapped va %#lx: vector %d error %#lx CR2 %#lx, want #PF 0",
                                   round, va, r - 1, probe.error, probe.cr2);
                        goto out;
                    }
                }
            }
        }
        testwin_reset();            /* frees all the tables */
        for (int f = 0; f < PT_POOL; f++) {
            frame_free(pool[f]);
            pool[f] = 0;
        }
    }
    note("%lu PTE writes, %lu not-present probes", ptes, probes);
out:
    testwin_reset();
    for (int f = 0; f < PT_POOL; f++)
        if (pool[f])
            frame_free(pool[f]);
    return why;
}

/* ---- outside_p2m -------------------------------------------------------
 * Identity-map gpa 64 GiB with one large page and touch it.  The domain has
 * no memory there: splitvisor must crash the domain, so reaching the end of
 * this function is a failure. */
#define OUTSIDE_GPA (64 * GiB)

const char *test_outside_p2m(void)
{
    uint64_t k = kernel_cr3();
    int level = cpu_has_1g ? 3 : 2;
    if (!map_large(k, OUTSIDE_GPA, OUTSIDE_GPA, level, PTE_P | PTE_W))
        return fail("out of memory");
    kprintf("outside_p2m: touching gpa %#lx through a %s page at va %#lx\n",
            OUTSIDE_GPA, level == 3 ? "1 GiB" : "2 MiB", OUTSIDE_GPA);
    uint64_t v = 0;
    int r = probe_read(OUTSIDE_GPA + 0x40, &v);
    if (!r)
        r = probe_write(OUTSIDE_GPA + 0x40, v ^ 1);
    /* Still running: undo the mapping and say what happened. */
    if (level == 3) {
        *pt_entry(k, OUTSIDE_GPA, 3, false) = 0;
    } else {
        uint64_t *pdpte = pt_entry(k, OUTSIDE_GPA, 3, false);
        uint64_t pd = *pdpte & PTE_ADDR;
        *pdpte = 0;
        frame_free(pd);
    }
    write_cr3(k);
    if (r)
        return fail("touching gpa %#lx raised vector %d (error %#lx) instead of crashing the domain",
                    OUTSIDE_GPA + 0x40, r - 1, probe.error);
    return fail("access to gpa %#lx completed (read %#lx): the domain was not crashed", OUTSIDE_GPA + 0x40, v);
}
