/*
 * The hypervisor's address space: the image is identity-mapped at its load
 * address; all of RAM and the low 4 GiB of MMIO are reached through the
 * direct map at DIRECTMAP_BASE (Xen puts its own at the same place).
 */
#ifndef ASM_MM_H
#define ASM_MM_H

#include <sv/types.h>

#define DIRECTMAP_BASE 0xffff830000000000ull

extern paddr_t directmap_end;       /* first physical address not mapped */

static inline void *phys_to_virt(paddr_t pa) { return (void *)(uintptr_t)(DIRECTMAP_BASE + pa); }
static inline paddr_t virt_to_phys(const void *va)
{
    uintptr_t v = (uintptr_t)va;
    return v >= DIRECTMAP_BASE ? v - DIRECTMAP_BASE : v;     /* image: identity */
}

struct memmap;
struct boot_info;
/* Build and load the final page tables.  'ram' lists what the direct map
 * must cover with write-back caching; the rest below 4 GiB is uncached. */
void paging_init(const struct boot_info *bi, struct memmap *early_pool);
/* Identity-map one 4 KiB page (the AP trampoline) in the final tables. */
void paging_map_identity_page(paddr_t pa);
paddr_t paging_root(void);

#endif
