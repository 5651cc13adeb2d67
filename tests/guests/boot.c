/*
 * What the loader told us: the command line and the RAM map, copied into
 * our own .bss before the frame allocator can hand out the memory they sit
 * in.
 *
 *  - Multiboot2 (specification 1.0, 3.6): EAX = 0x36d76289, EBX = the boot
 *    information: u32 total_size, u32 reserved, then 8-byte aligned tags
 *    (u32 type, u32 size).  Tag 1 is the command line (a C string), tag 6
 *    the memory map (u32 entry_size, u32 entry_version, then entries of
 *    u64 base_addr, u64 length, u32 type, u32 reserved; type 1 = RAM).
 *  - PVH: EBX = struct hvm_start_info (xen/arch-x86/hvm/start_info.h);
 *    cmdline_paddr, and since version 1 memmap_paddr/memmap_entries.  With
 *    no memmap we ask XENMEM_memory_map, and failing that assume 64 MiB.
 */
#include "svguest.h"                 /* first: start_info.h needs <stdint.h> */
#include <xen/arch-x86/hvm/start_info.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define MB2_TAG_END          0
#define MB2_TAG_CMDLINE      1
#define MB2_TAG_MMAP         6
#define MB2_MMAP_AVAILABLE   1
#define PVH_DEFAULT_RAM      (64 * MiB)

struct mb2_tag { uint32_t type, size; };
struct mb2_mmap_entry { uint64_t base, len; uint32_t type, reserved; };

static void copy_cmdline(const char *s)
{
    size_t n = strnlen(s, sizeof(cmdline) - 1);
    memcpy(cmdline, s, n);
    cmdline[n] = '\0';
}

static bool parse_mb2(uint32_t info)
{
    uint32_t total = *(const uint32_t *)phys(info);
    uint64_t p = info + 8, end = (uint64_t)info + total;
    bool have_mmap = false;
    while (p + sizeof(struct mb2_tag) <= end) {
        const struct mb2_tag *t = phys(p);
        if (t->type == MB2_TAG_END || t->size < sizeof(*t))
            break;
        if (t->type == MB2_TAG_CMDLINE) {
            copy_cmdline((const char *)(t + 1));
        } else if (t->type == MB2_TAG_MMAP) {
            const uint32_t *h = (const uint32_t *)(t + 1);
            uint32_t esize = h[0];
            for (uint64_t e = p + 16; esize && e + esize <= p + t->size; e += esize) {
                const struct mb2_mmap_entry *m = phys(e);
                if (m->type == MB2_MMAP_AVAILABLE)
                    mem_add_ram(m->base, m->len);
            }
            have_mmap = true;
        }
        p += (t->size + 7) & ~7u;
    }
    return have_mmap;
}

static void parse_pvh(uint32_t info)
{
    const struct hvm_start_info *si = phys(info);
    if (si->magic != XEN_HVM_START_MAGIC_VALUE) {
        kprintf("svguest: bad hvm_start_info magic %#x at %#x\n", si->magic, info);
        shutdown(false);
    }
    /* Xen places all of it below 4 GiB (start_info.h), which we map. */
    if (si->cmdline_paddr && si->cmdline_paddr < 4 * GiB)
        copy_cmdline(phys(si->cmdline_paddr));
    kprintf("svguest: hvm_start_info v%u at %#x, flags %#x\n", si->version, info, si->flags);
    if (si->version >= 1 && si->memmap_paddr && si->memmap_entries && si->memmap_paddr < 4 * GiB) {
        const struct hvm_memmap_table_entry *m = phys(si->memmap_paddr);
        for (uint32_t i = 0; i < si->memmap_entries; i++)
            if (m[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
                mem_add_ram(m[i].addr, m[i].size);
        kprintf("svguest: memory map from hvm_start_info (%u entries)\n", si->memmap_entries);
        return;
    }
    int n = xen_memory_map();
    if (n > 0) {
        kprintf("svguest: memory map from XENMEM_memory_map (%d RAM entries)\n", n);
        return;
    }
    kprintf("svguest: no memory map (start_info v%u, XENMEM_memory_map %d): assuming %lu MiB of RAM\n",
            si->version, n, PVH_DEFAULT_RAM / MiB);
    mem_add_ram(0, PVH_DEFAULT_RAM);
}

void boot_parse(uint32_t magic, uint32_t info, uint32_t kind);
void boot_parse(uint32_t magic, uint32_t info, uint32_t kind)
{
    if (kind == BOOT_PVH) {
        kprintf("svguest: booted through the PVH entry\n");
        parse_pvh(info);
    } else if (magic == MB2_BOOTLOADER_MAGIC) {
        kprintf("svguest: booted through multiboot2\n");
        if (!parse_mb2(info)) {
            kprintf("svguest: no multiboot2 memory map: assuming %lu MiB of RAM\n", PVH_DEFAULT_RAM / MiB);
            mem_add_ram(0, PVH_DEFAULT_RAM);
        }
    } else {
        kprintf("svguest: unknown boot (magic %#x): assuming %lu MiB of RAM\n", magic, PVH_DEFAULT_RAM / MiB);
        mem_add_ram(0, PVH_DEFAULT_RAM);
    }
}
