/*
 * Multiboot2 boot information, parsed and validated into struct boot_info.
 * The constants follow the Multiboot2 specification (version 2.0).  The
 * parser trusts nothing: total size, every tag's size and alignment, and
 * every entry size are checked against the buffer it is given.
 */
#ifndef SV_MULTIBOOT2_H
#define SV_MULTIBOOT2_H

#include <sv/types.h>

#define MB2_HEADER_MAGIC      0xe85250d6u
#define MB2_BOOTLOADER_MAGIC  0x36d76289u

/* Information request / header tag types (header side). */
#define MB2_HDR_TAG_END            0
#define MB2_HDR_TAG_INFO_REQUEST   1
#define MB2_HDR_TAG_FLAGS          4

/* Boot information tag types (loader side). */
#define MB2_TAG_END            0
#define MB2_TAG_CMDLINE        1
#define MB2_TAG_BOOTLOADER     2
#define MB2_TAG_MODULE         3
#define MB2_TAG_BASIC_MEMINFO  4
#define MB2_TAG_MMAP           6
#define MB2_TAG_FRAMEBUFFER    8
#define MB2_TAG_EFI64          12
#define MB2_TAG_ACPI_OLD       14
#define MB2_TAG_ACPI_NEW       15
#define MB2_TAG_EFI_MMAP       17
#define MB2_TAG_EFI_BS         18
#define MB2_TAG_LOAD_BASE      21

/* Multiboot2 memory map entry types (the e820 values). */
#define MB2_MEM_AVAILABLE      1
#define MB2_MEM_RESERVED       2
#define MB2_MEM_ACPI_RECLAIM   3
#define MB2_MEM_NVS            4
#define MB2_MEM_BAD            5

#define BOOT_MAX_MMAP     128
#define BOOT_MAX_MODULES  32
#define BOOT_CMDLINE_MAX  1024
#define BOOT_STRING_MAX   512

struct boot_mmap_entry {
    paddr_t addr;
    uint64_t len;
    uint32_t type;      /* MB2_MEM_*; EFI entries are converted to these */
};

struct boot_module {
    paddr_t start;
    paddr_t end;        /* exclusive */
    char cmdline[BOOT_STRING_MAX];
};

struct boot_info {
    uint32_t total_size;                /* of the multiboot2 information */
    char cmdline[BOOT_CMDLINE_MAX];
    char loader[BOOT_STRING_MAX];
    unsigned int nr_mmap;
    struct boot_mmap_entry mmap[BOOT_MAX_MMAP];
    bool mmap_from_efi;                 /* the EFI map was used (no e820 tag, or it was preferred) */
    bool have_e820;                     /* an MB2_TAG_MMAP was present */
    bool have_efi_mmap;                 /* an MB2_TAG_EFI_MMAP was present */
    unsigned int nr_modules;
    unsigned int modules_dropped;       /* beyond BOOT_MAX_MODULES: not kept */
    struct boot_module modules[BOOT_MAX_MODULES];
    uint32_t mem_lower_kb, mem_upper_kb;
    bool have_basic_meminfo;
    /* RSDP copied out of the ACPI tag (36 bytes for v2+, 20 for v1). */
    uint8_t rsdp[36];
    size_t rsdp_len;                    /* 0 = no ACPI tag */
    uint64_t efi_system_table;          /* 0 = not booted by EFI */
    paddr_t load_base;                  /* 0 = no load base tag */
    unsigned int unknown_tags;
};

/*
 * Parse the information at 'mbi' (the loader's buffer, at most 'max_len'
 * bytes readable).  Returns 0, or -EINVAL for a malformed buffer (nothing in
 * *out is then to be trusted), with a short reason in *why when not NULL.
 * Under EFI, when both maps are present the EFI map is preferred only if
 * the e820-style one is empty.
 */
int mb2_parse(const void *mbi, size_t max_len, struct boot_info *out,
              const char **why);

/* EFI memory descriptor types that become MB2_MEM_AVAILABLE after
 * ExitBootServices: loader code/data, boot services code/data, conventional. */
uint32_t mb2_efi_type_to_e820(uint32_t efi_type);

#endif
