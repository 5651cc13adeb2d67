/*
 * Page tables: 4-level long-mode paging (APM vol. 2, 5.3).  The kernel's
 * tables are the boot ones (entry.S): PML4 slot 0 identity-maps 0..4 GiB
 * with 2 MiB pages, and every table and frame we allocate lies there, so a
 * table's physical address is also a pointer to it.  Tests build their
 * mappings in PML4 slot 1 (TESTWIN) or in address spaces of their own that
 * share slot 0 with the kernel.
 */
#include "svguest.h"

bool cpu_has_nx, cpu_has_pge, cpu_has_1g;

void paging_init(void)
{
    uint32_t a, b, c, d;
    cpuid(0x80000000, 0, &a, &b, &c, &d);
    if (a >= 0x80000001) {
        cpuid(0x80000001, 0, &a, &b, &c, &d);
        cpu_has_nx = d & (1u << 20);    /* EDX.NX */
        cpu_has_1g = d & (1u << 26);    /* EDX.Page1GB */
    }
    cpuid(1, 0, &a, &b, &c, &d);
    cpu_has_pge = d & (1u << 13);       /* EDX.PGE */

    if (cpu_has_nx)
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    if (cpu_has_pge)
        write_cr4(read_cr4() | CR4_PGE);
    write_cr0(read_cr0() | CR0_WP);
}

uint64_t kernel_cr3(void)
{
    return (uintptr_t)boot_pml4;
}

static unsigned int pt_index(uint64_t va, int level)
{
    return (va >> (12 + 9 * (level - 1))) & 511;
}

uint64_t *pt_entry(uint64_t root, uint64_t va, int level, bool create)
{
    uint64_t *table = phys(root & PTE_ADDR);
    for (int l = 4; l > level; l--) {
        uint64_t *e = &table[pt_index(va, l)];
        if (!(*e & PTE_P)) {
            if (!create)
                return NULL;
            uint64_t pa = frame_alloc_zero();
            if (!pa)
                return NULL;
            /* Intermediate entries allow everything; leaves decide. */
            *e = pa | PTE_P | PTE_W | PTE_U;
        } else if (l < 4 && (*e & PTE_PS)) {
            return NULL;
        }
        table = phys(*e & PTE_ADDR);
    }
    return &table[pt_index(va, level)];
}

bool map_page(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
    uint64_t *e = pt_entry(root, va, 1, true);
    if (!e)
        return false;
    *e = (pa & PTE_ADDR) | flags;
    return true;
}

bool map_large(uint64_t root, uint64_t va, uint64_t pa, int level, uint64_t flags)
{
    uint64_t *e = pt_entry(root, va, level, true);
    if (!e)
        return false;
    *e = (pa & PTE_ADDR) | flags | PTE_PS;
    return true;
}

void unmap_page(uint64_t root, uint64_t va)
{
    uint64_t *e = pt_entry(root, va, 1, false);
    if (e)
        *e = 0;
    invlpg(va);
}

void free_tables(uint64_t *table, int level)
{
    for (int i = 0; i < 512; i++) {
        uint64_t e = table[i];
        if (!(e & PTE_P) || level == 1 || (e & PTE_PS))
            continue;
        uint64_t *sub = phys(e & PTE_ADDR);
        free_tables(sub, level - 1);
        frame_free((uintptr_t)sub);
        table[i] = 0;
    }
}

uint64_t as_create(void)
{
    uint64_t root = frame_alloc_zero();
    if (root)
        ((uint64_t *)phys(root))[0] = boot_pml4[0];
    return root;
}

void as_destroy(uint64_t root)
{
    uint64_t *pml4 = phys(root);
    pml4[0] = 0;                        /* shared with the kernel: keep */
    free_tables(pml4, 4);
    frame_free(root);
}

void testwin_reset(void)
{
    uint64_t e = boot_pml4[1];
    if (e & PTE_P) {
        boot_pml4[1] = 0;
        uint64_t *pdpt = phys(e & PTE_ADDR);
        free_tables(pdpt, 3);
        frame_free((uintptr_t)pdpt);
    }
    write_cr3(kernel_cr3());
    /* Global test mappings survive a CR3 write; CR4.PGE toggling flushes
     * them too (APM vol. 2, "Global Pages"). */
    if (cpu_has_pge) {
        uint64_t cr4 = read_cr4();
        write_cr4(cr4 & ~(uint64_t)CR4_PGE);
        write_cr4(cr4);
    }
}
