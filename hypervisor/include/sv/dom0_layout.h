/*
 * Where dom0's memory goes, computed from the firmware's map in plain C
 * (unit-tested on the host).  dom0's RAM is identity-mapped (gfn == mfn,
 * so its devices can DMA into it without an IOMMU): the firmware RAM from
 * address 0 up to ram_top, less what the hypervisor itself holds there.
 * Its e820 shows that RAM; the hypervisor's pieces and all RAM above
 * ram_top as UNUSABLE (so Linux never picks them); reserved, ACPI and NVS
 * ranges as they are; and leaves one 128 MiB-aligned hole out of every
 * entry: the first free gap Linux's unpopulated-page allocator finds, where
 * grant and foreign mappings land (docs/dom0.md).
 */
#ifndef SV_DOM0_LAYOUT_H
#define SV_DOM0_LAYOUT_H

#include <sv/memmap.h>
#include <sv/multiboot2.h>
#include <sv/types.h>
#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>

#define DOM0_E820_MAX      127          /* Linux copies at most 128 (checklist B.0) */
#define DOM0_HOLE_ALIGN    (128ull << 20)
#define DOM0_MIN_MEM       (128ull << 20)

struct dom0_layout_in {
    const struct boot_mmap_entry *fw;   /* the firmware map (MB2_MEM_* types) */
    unsigned int nr_fw;
    const struct memrange *owned;       /* the hypervisor's pieces in low RAM */
    unsigned int nr_owned;
    uint64_t mem;                       /* RAM for dom0, bytes */
    uint64_t hole_size;                 /* multiple of DOM0_HOLE_ALIGN */
    uint64_t kernel_low, kernel_high;   /* the kernel's [low, high): must be dom0 RAM */
    uint64_t initrd_size;               /* placed at the top of dom0's RAM */
    uint64_t start_info_size;           /* placed in low RAM, below 1 MiB */
};

struct dom0_layout {
    uint64_t ram_top;                   /* dom0 RAM is fw RAM in [0, ram_top) less owned */
    uint64_t ram_bytes;
    uint64_t hole_start, hole_end;      /* in no e820 entry, not in dom0's p2m */
    uint64_t initrd_gpa;                /* 0 when initrd_size is 0 */
    uint64_t start_info_gpa;
    struct memmap ram;                  /* dom0's RAM ranges (identity) */
    struct hvm_memmap_table_entry e820[DOM0_E820_MAX];
    unsigned int nr_e820;
};

/* 0, or -EINVAL / -ENOMEM / -E2BIG with *why saying what does not fit. */
int dom0_layout_compute(const struct dom0_layout_in *in, struct dom0_layout *out, const char **why);

#endif
