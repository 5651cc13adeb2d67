/*
 * The hypervisor's own page tables (not a guest's).  Three things are
 * mapped: the image at its load address (identity, 2 MiB pages, so the
 * addresses GRUB loaded us at stay valid), one 4 KiB identity page for the
 * AP trampoline, and the direct map of [0, directmap_end) at DIRECTMAP_BASE
 * with 2 MiB pages.  A 2 MiB direct-map page is write-back when it overlaps
 * RAM or firmware tables in the boot memory map and uncached otherwise
 * (MMIO such as the local APIC and the IO-APIC).  Page 0 and everything
 * else at low addresses stay unmapped, so a NULL dereference faults.
 */
#include <sv/memmap.h>
#include <sv/multiboot2.h>
#include <sv/panic.h>
#include <sv/printk.h>
#include <sv/string.h>
#include <asm/cpu.h>
#include <asm/mm.h>
#include <asm/x86.h>

#define L4_INDEX(va) (((va) >> 39) & 511)
#define L3_INDEX(va) (((va) >> 30) & 511)
#define L2_INDEX(va) (((va) >> 21) & 511)
#define L1_INDEX(va) (((va) >> 12) & 511)
#define PTE_ADDR_MASK 0x000ffffffffff000ull
#define SZ_2M (2ull << 20)
#define SZ_4G (4ull << 30)

paddr_t directmap_end;

static uint64_t pml4[512] __attribute__((aligned(4096)));
static uint64_t low_pdpt[512] __attribute__((aligned(4096)));
static uint64_t low_pd[512] __attribute__((aligned(4096)));
static uint64_t low_pt[512] __attribute__((aligned(4096)));
static struct memmap *table_pool;
static uint64_t nx_bit;

extern char _start[], _end[];

/* Before the switch, the boot tables identity-map the low 4 GiB, so a new
 * table page is reached at its physical address. */
static uint64_t *new_table(void)
{
    paddr_t pa = memmap_take(table_pool, PAGE_SIZE, PAGE_SIZE, SZ_4G);

    if (!pa)
        panic("paging: out of memory for page tables");
    memset((void *)(uintptr_t)pa, 0, PAGE_SIZE);
    return (uint64_t *)(uintptr_t)pa;
}

static bool range_is_memory(const struct boot_info *bi, paddr_t start, paddr_t end)
{
    if (start < (1ull << 20))
        return true;                        /* low memory: BIOS areas, trampoline */
    for (unsigned int i = 0; i < bi->nr_mmap; i++) {
        const struct boot_mmap_entry *e = &bi->mmap[i];
        bool ram_like = e->type == MB2_MEM_AVAILABLE || e->type == MB2_MEM_ACPI_RECLAIM ||
                        e->type == MB2_MEM_NVS;

        if (ram_like && e->addr < end && e->addr + e->len > start)
            return true;
    }
    return false;
}

static paddr_t top_of_memory(const struct boot_info *bi)
{
    paddr_t top = SZ_4G;

    for (unsigned int i = 0; i < bi->nr_mmap; i++) {
        paddr_t end = bi->mmap[i].addr + bi->mmap[i].len;
        if (bi->mmap[i].type == MB2_MEM_AVAILABLE && end > top)
            top = end;
    }
    return ALIGN_UP(top, SZ_2M);
}

static void map_directmap(const struct boot_info *bi)
{
    uint64_t *pdpt = new_table();

    pml4[L4_INDEX(DIRECTMAP_BASE)] = (uint64_t)(uintptr_t)pdpt | PTE_P | PTE_W;
    for (paddr_t pa = 0; pa < directmap_end; pa += SZ_2M) {
        uint64_t va = DIRECTMAP_BASE + pa;
        uint64_t *pd;

        if (!(pdpt[L3_INDEX(va)] & PTE_P))
            pdpt[L3_INDEX(va)] = (uint64_t)(uintptr_t)new_table() | PTE_P | PTE_W;
        pd = (uint64_t *)(uintptr_t)(pdpt[L3_INDEX(va)] & PTE_ADDR_MASK);

        uint64_t cache = range_is_memory(bi, pa, pa + SZ_2M) ? 0 : (PTE_PCD | PTE_PWT);
        pd[L2_INDEX(va)] = pa | PTE_P | PTE_W | PTE_PS | cache | nx_bit;
    }
}

static void map_image(void)
{
    paddr_t start = ALIGN_DOWN((paddr_t)(uintptr_t)_start, SZ_2M);
    paddr_t end = ALIGN_UP((paddr_t)(uintptr_t)_end, SZ_2M);

    if (end > (1ull << 30))
        panic("paging: image must lie in the first GiB");
    pml4[0] = (uint64_t)(uintptr_t)low_pdpt | PTE_P | PTE_W;
    low_pdpt[0] = (uint64_t)(uintptr_t)low_pd | PTE_P | PTE_W;
    for (paddr_t pa = start; pa < end; pa += SZ_2M)
        low_pd[L2_INDEX(pa)] = pa | PTE_P | PTE_W | PTE_PS;
}

void paging_map_identity_page(paddr_t pa)
{
    if (pa >= SZ_2M || !pa)
        panic("paging: identity page %#lx outside the first 2 MiB", (unsigned long)pa);
    if (low_pd[0] & PTE_PS)
        panic("paging: image overlaps the trampoline window");
    low_pd[0] = (uint64_t)(uintptr_t)low_pt | PTE_P | PTE_W;
    low_pt[L1_INDEX(pa)] = (pa & PTE_ADDR_MASK) | PTE_P | PTE_W;
    __asm__ volatile("invlpg (%0)" :: "r"((uintptr_t)pa) : "memory");
}

paddr_t paging_root(void)
{
    return (paddr_t)(uintptr_t)pml4;
}

void paging_init(const struct boot_info *bi, struct memmap *early_pool)
{
    table_pool = early_pool;
    nx_bit = (rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NX : 0;
    directmap_end = top_of_memory(bi);

    map_image();
    map_directmap(bi);
    write_cr3(paging_root());
    printk("paging: direct map of %lu MiB at %#lx, image %p-%p identity-mapped%s\n",
           (unsigned long)(directmap_end >> 20), (unsigned long)DIRECTMAP_BASE,
           (void *)_start, (void *)_end, nx_bit ? ", NX on data" : "");
}
