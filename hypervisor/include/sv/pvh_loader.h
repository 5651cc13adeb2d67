/*
 * PVH domain loader: parse an ELF64 x86-64 kernel (a test guest or a stock
 * Linux vmlinux), copy its PT_LOAD segments into guest memory, and lay out
 * the hvm_start_info block that the guest receives in %ebx at its
 * XEN_ELFNOTE_PHYS32_ENTRY entry point (Xen's docs/misc/pvh.pandoc).
 *
 * The image is hostile input: every offset, size and count is checked
 * against the image size with overflow-safe arithmetic before it is read.
 * Guest memory is reached only through caller-given callbacks, so the code
 * runs unchanged on the host over a fake guest.
 *
 * Constants and layouts come from Xen's public headers: <xen/elfnote.h>
 * (XEN_ELFNOTE_*) and <xen/arch-x86/hvm/start_info.h> (struct
 * hvm_start_info, hvm_modlist_entry, hvm_memmap_table_entry,
 * XEN_HVM_MEMMAP_TYPE_*).  The SIF_* start flags are in <xen/xen.h>.
 */
#ifndef SV_PVH_LOADER_H
#define SV_PVH_LOADER_H

#include <sv/types.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <xen/elfnote.h>

/* At most this many non-empty PT_LOAD segments (vmlinux has 4 or 5). */
#define ELF_PVH_MAX_SEGMENTS   16
/* Buffer sizes (with the NUL) for the string notes kept in elf_pvh_info. */
#define ELF_PVH_STR_MAX        64
#define ELF_PVH_FEATURES_MAX   256

/* Program header p_flags (ELF gABI), as kept in elf_pvh_segment.flags. */
#define ELF_PVH_PF_X  0x1u
#define ELF_PVH_PF_W  0x2u
#define ELF_PVH_PF_R  0x4u

/* One PT_LOAD: file bytes [offset, offset+filesz) go to guest-physical
 * [paddr, paddr+filesz); [paddr+filesz, paddr+memsz) is zeroed. */
struct elf_pvh_segment {
    uint64_t paddr;
    uint64_t offset;
    uint64_t filesz;
    uint64_t memsz;         /* >= filesz, > 0 */
    uint32_t flags;         /* ELF_PVH_PF_* */
};

struct elf_pvh_info {
    size_t image_size;                  /* the size that was validated */
    unsigned int nr_segments;           /* in program-header order */
    struct elf_pvh_segment segments[ELF_PVH_MAX_SEGMENTS];
    uint64_t paddr_low;                 /* lowest loaded guest-physical byte */
    uint64_t paddr_high;                /* one past the highest */
    uint32_t phys32_entry;              /* XEN_ELFNOTE_PHYS32_ENTRY */
    bool notes_from_sections;           /* no Xen note in any PT_NOTE, so
                                           the SHT_NOTE sections were used */
    /* Optional notes; an absent one leaves "".  A string is desc up to
     * its first NUL or its end (Linux's FEATURES has no NUL). */
    char guest_os[ELF_PVH_STR_MAX];     /* XEN_ELFNOTE_GUEST_OS, e.g. "linux" */
    char xen_version[ELF_PVH_STR_MAX];  /* XEN_ELFNOTE_XEN_VERSION, "xen-3.0" */
    char loader[ELF_PVH_STR_MAX];       /* XEN_ELFNOTE_LOADER, "generic" */
    char features[ELF_PVH_FEATURES_MAX];/* XEN_ELFNOTE_FEATURES, '|'-separated */
    bool have_supported_features;
    uint32_t supported_features;        /* XEN_ELFNOTE_SUPPORTED_FEATURES:
                                           XENFEAT_* bitmap, submap 0 */
};

/*
 * Validate the ELF64 little-endian x86-64 ET_EXEC image [image, image+size)
 * and fill *out.  Returns
 *   0        a loadable PVH kernel;
 *   -ENOENT  a well-formed ELF without a XEN_ELFNOTE_PHYS32_ENTRY note
 *            (not a PVH kernel);
 *   -E2BIG   more than ELF_PVH_MAX_SEGMENTS non-empty PT_LOADs;
 *   -EINVAL  anything malformed: bad identification, class, data, machine,
 *            type or header sizes; tables, segments or notes outside the
 *            image; filesz > memsz; a physical range that wraps; two
 *            PT_LOADs whose physical ranges overlap; a bad Xen note (wrong
 *            descsz, a string longer than its buffer, conflicting
 *            PHYS32_ENTRY notes); an entry point outside the
 *            file-backed bytes of every PT_LOAD.
 * On error *out is not to be trusted.  When 'why' is not NULL, *why is set
 * to a short reason on error and to NULL on success.
 */
int elf_pvh_parse(const void *image, size_t size, struct elf_pvh_info *out,
                  const char **why);

/*
 * Guest-physical memory accessors.  Each returns 0, or -EFAULT when any
 * part of the range is not guest RAM (nothing need have been written).
 */
struct guest_mem_ops {
    int (*write)(void *ctx, uint64_t gpa, const void *src, size_t len);
    int (*zero)(void *ctx, uint64_t gpa, uint64_t len);
};

/*
 * Copy every segment of 'info' (filled by elf_pvh_parse over this same
 * image) into guest memory and zero its memsz - filesz tail.  Returns 0,
 * -EINVAL for missing callbacks or an inconsistent info, or the first
 * callback error (a positive return from a callback is reported as
 * -EFAULT); the guest is then partly loaded and must not be started.
 */
int elf_pvh_load(const void *image, const struct elf_pvh_info *info,
                 const struct guest_mem_ops *ops, void *ctx);

/* A module already placed in guest memory (the initramfs for Linux). */
struct pvh_start_module {
    uint64_t paddr;                     /* != 0: 0 means "not present" */
    uint64_t size;
    const char *cmdline;                /* NULL = none; copied into the area */
};

struct pvh_start_params {
    uint64_t area_gpa;                  /* where the block goes; must lie */
    uint64_t area_size;                 /* wholly below 4 GiB             */
    uint32_t flags;                     /* SIF_* from <xen/xen.h>, e.g.
                                           SIF_PRIVILEGED|SIF_INITDOMAIN */
    const char *cmdline;                /* NULL = none */
    uint64_t rsdp_paddr;                /* 0 = no ACPI */
    const struct pvh_start_module *modules;
    unsigned int nr_modules;
    const struct hvm_memmap_table_entry *memmap;   /* e820-style, in order; */
    unsigned int nr_memmap;             /* 'reserved' is written as 0 */
};

/*
 * Lay out, from area_gpa (aligned up to 8) onwards: struct hvm_start_info
 * (version 1), the hvm_modlist_entry array, the hvm_memmap_table_entry
 * array (each 8-byte aligned), then the NUL-terminated command lines.  The
 * used part of the area is zeroed first, so padding is zero.  Absent items
 * get address 0 and count 0.  Writes *start_info_gpa, the value for the
 * guest's %ebx.  Returns 0, -ENOSPC when the block does not fit in the
 * area (nothing is written), -EINVAL for bad parameters (area above 4 GiB
 * or wrapping, module at 0 or wrapping, memmap type outside
 * XEN_HVM_MEMMAP_TYPE_RAM..PMEM or wrapping), or a callback error.
 */
int pvh_build_start_info(const struct pvh_start_params *p,
                         const struct guest_mem_ops *ops, void *ctx,
                         uint64_t *start_info_gpa);

#endif
