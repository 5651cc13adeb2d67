/*
 * Multiboot2 boot information parser (Multiboot2 specification 2.0, 3.6).
 *
 * The buffer comes from the boot loader and is trusted for nothing: every
 * offset is checked against total_size (itself checked against what the
 * caller says is readable) before it is read, and every multi-byte field is
 * read with memcpy because the parser also runs over unaligned host buffers
 * under UBSan.
 */
#include <sv/multiboot2.h>
#include <sv/errno.h>
#include <sv/string.h>
#include <sv/unaligned.h>

/* 3.6.1: u32 total_size, u32 reserved; then tags {u32 type, u32 size}
 * starting at offset 8, each at an 8-byte aligned offset. */
#define MB2_INFO_HDR_SIZE   8u
#define MB2_TAG_HDR_SIZE    8u
#define MB2_TAG_ALIGN       8u
#define MB2_END_TAG_SIZE    8u
/* The smallest valid buffer is the fixed part plus the end tag. */
#define MB2_MIN_TOTAL       (MB2_INFO_HDR_SIZE + MB2_END_TAG_SIZE)

/* 3.6.3 / 3.6.4 / 3.6.6 / 3.6.8: fixed parts of the tags parsed here. */
#define MB2_MODULE_HDR_SIZE    16u  /* + mod_start, mod_end */
#define MB2_MEMINFO_SIZE       16u  /* + mem_lower, mem_upper */
#define MB2_EFI64_SIZE         16u  /* + u64 pointer */
#define MB2_LOAD_BASE_SIZE     12u  /* + u32 load_base_addr */
#define MB2_MMAP_HDR_SIZE      16u  /* + entry_size, entry_version */
#define MB2_MMAP_ENTRY_MIN     24u  /* base_addr u64, length u64, type u32, reserved u32 */
#define MB2_EFI_MMAP_HDR_SIZE  16u  /* + descriptor_size, descriptor_version */

/* UEFI 2.x EFI_MEMORY_DESCRIPTOR: type u32, pad u32, phys_start u64,
 * virt_start u64, num_pages u64, attribute u64. */
#define EFI_DESC_MIN_SIZE      40u
#define EFI_DESC_TYPE          0u
#define EFI_DESC_PHYS_START    8u
#define EFI_DESC_NUM_PAGES     24u
#define EFI_PAGE_SHIFT         12u

/* ACPI 6.4, 5.2.5.3: a v1 RSDP is 20 bytes, v2+ is 36. */
#define RSDP_V1_SIZE 20u
#define RSDP_V2_SIZE 36u

/* UEFI 2.x, 7.2: EFI_MEMORY_TYPE values that matter for the conversion. */
enum efi_memory_type {
    EFI_LOADER_CODE = 1,
    EFI_LOADER_DATA = 2,
    EFI_BOOT_SERVICES_CODE = 3,
    EFI_BOOT_SERVICES_DATA = 4,
    EFI_CONVENTIONAL_MEMORY = 7,
    EFI_UNUSABLE_MEMORY = 8,
    EFI_ACPI_RECLAIM_MEMORY = 9,
    EFI_ACPI_MEMORY_NVS = 10,
};

struct mb2_walk {
    const uint8_t *base;
    struct boot_info *out;
    const char *why;
    /* The memory maps are only validated during the walk; which one fills
     * out->mmap depends on both, and they may come in either order. */
    const uint8_t *e820_tag;
    uint32_t e820_size;
    const uint8_t *efi_tag;
    uint32_t efi_size;
    bool rsdp_from_new_tag;
};

static int fail(struct mb2_walk *w, const char *why)
{
    w->why = why;
    return -EINVAL;
}

/* [addr, addr+len) must be representable; a wrapping range describes
 * nothing a consumer could use. */
static bool range_fits(uint64_t addr, uint64_t len)
{
    return len == 0 || len - 1 <= UINT64_MAX - addr;
}

/*
 * Copy the NUL-terminated string occupying [s, s+avail) into dst, truncating
 * to dst_size-1.  The terminator must lie inside the tag (3.6.2: strings are
 * zero-terminated), otherwise the loader handed us garbage.
 */
static int copy_tag_string(const uint8_t *s, size_t avail, char *dst,
                           size_t dst_size)
{
    size_t len = 0;

    while (len < avail && s[len] != '\0')
        len++;
    if (len == avail)
        return -EINVAL;
    if (len > dst_size - 1)
        len = dst_size - 1;
    memcpy(dst, s, len);
    dst[len] = '\0';
    return 0;
}

static int parse_string_tag(struct mb2_walk *w, const uint8_t *tag,
                            uint32_t size, char *dst, size_t dst_size)
{
    if (copy_tag_string(tag + MB2_TAG_HDR_SIZE, size - MB2_TAG_HDR_SIZE,
                        dst, dst_size))
        return fail(w, "string not NUL-terminated within its tag");
    return 0;
}

/* 3.6.6: mod_start, mod_end, then the module's string. */
static int parse_module(struct mb2_walk *w, const uint8_t *tag, uint32_t size)
{
    struct boot_info *out = w->out;
    struct boot_module mod;

    if (size <= MB2_MODULE_HDR_SIZE)
        return fail(w, "module tag too short");
    mod.start = rd32(tag + 8);
    mod.end = rd32(tag + 12);
    if (mod.start >= mod.end)
        return fail(w, "module start >= end");
    if (copy_tag_string(tag + MB2_MODULE_HDR_SIZE, size - MB2_MODULE_HDR_SIZE,
                        mod.cmdline, sizeof(mod.cmdline)))
        return fail(w, "module string not NUL-terminated");
    /* More modules than we keep is not malformed: keep the first ones. */
    if (out->nr_modules < BOOT_MAX_MODULES)
        out->modules[out->nr_modules++] = mod;
    else
        out->modules_dropped++;
    return 0;
}

/* 3.6.4 */
static int parse_basic_meminfo(struct mb2_walk *w, const uint8_t *tag,
                               uint32_t size)
{
    if (size < MB2_MEMINFO_SIZE)
        return fail(w, "basic meminfo tag too short");
    w->out->mem_lower_kb = rd32(tag + 8);
    w->out->mem_upper_kb = rd32(tag + 12);
    w->out->have_basic_meminfo = true;
    return 0;
}

/*
 * 3.6.8: entry_version may grow, but newer versions only append to the
 * entry, so any version is read through its first 24 bytes and stepped by
 * entry_size.  The multiple-of-8 rule keeps every entry 8-byte aligned.
 */
static int check_e820_tag(struct mb2_walk *w, const uint8_t *tag, uint32_t size)
{
    uint32_t entry_size;

    if (size < MB2_MMAP_HDR_SIZE)
        return fail(w, "mmap tag too short");
    entry_size = rd32(tag + 8);
    if (entry_size < MB2_MMAP_ENTRY_MIN || entry_size % 8 != 0)
        return fail(w, "bad mmap entry_size");
    w->e820_tag = tag;
    w->e820_size = size;
    return 0;
}

/* 3.6.14 (EFI memory map): descriptor_size may exceed sizeof the UEFI
 * descriptor (UEFI 2.x GetMemoryMap says to always step by it); newer
 * descriptor versions are backwards compatible, so only the size matters. */
static int check_efi_mmap_tag(struct mb2_walk *w, const uint8_t *tag,
                              uint32_t size)
{
    uint32_t desc_size;

    if (size < MB2_EFI_MMAP_HDR_SIZE)
        return fail(w, "EFI mmap tag too short");
    desc_size = rd32(tag + 8);
    if (desc_size < EFI_DESC_MIN_SIZE)
        return fail(w, "bad EFI descriptor_size");
    w->efi_tag = tag;
    w->efi_size = size;
    return 0;
}

/* 3.6.11 */
static int parse_efi64(struct mb2_walk *w, const uint8_t *tag, uint32_t size)
{
    if (size < MB2_EFI64_SIZE)
        return fail(w, "EFI64 tag too short");
    w->out->efi_system_table = rd64(tag + 8);
    return 0;
}

/*
 * 3.6.12/3.6.13: the tags carry a copy of the RSDP.  The new-RSDP tag wins
 * over the old one whatever their order, because only it has the XSDT.
 * The checksum is for the ACPI code to judge, not for this parser.
 */
static int parse_acpi(struct mb2_walk *w, const uint8_t *tag, uint32_t size,
                      bool new_rsdp)
{
    struct boot_info *out = w->out;
    size_t avail = size - MB2_TAG_HDR_SIZE;
    size_t len = new_rsdp ? MIN(avail, (size_t)RSDP_V2_SIZE) : RSDP_V1_SIZE;

    if (avail < RSDP_V1_SIZE)
        return fail(w, "ACPI RSDP tag too short");
    if (!new_rsdp && w->rsdp_from_new_tag)
        return 0;
    memset(out->rsdp, 0, sizeof(out->rsdp));
    memcpy(out->rsdp, tag + MB2_TAG_HDR_SIZE, len);
    out->rsdp_len = len;
    w->rsdp_from_new_tag = new_rsdp;
    return 0;
}

/* 3.6.16 */
static int parse_load_base(struct mb2_walk *w, const uint8_t *tag, uint32_t size)
{
    if (size < MB2_LOAD_BASE_SIZE)
        return fail(w, "load base tag too short");
    w->out->load_base = rd32(tag + 8);
    return 0;
}

/* Tag size is already known to be >= 8 and inside the buffer. */
static int parse_tag(struct mb2_walk *w, uint32_t type, const uint8_t *tag,
                     uint32_t size)
{
    struct boot_info *out = w->out;

    switch (type) {
    case MB2_TAG_CMDLINE:
        return parse_string_tag(w, tag, size, out->cmdline, sizeof(out->cmdline));
    case MB2_TAG_BOOTLOADER:
        return parse_string_tag(w, tag, size, out->loader, sizeof(out->loader));
    case MB2_TAG_MODULE:
        return parse_module(w, tag, size);
    case MB2_TAG_BASIC_MEMINFO:
        return parse_basic_meminfo(w, tag, size);
    case MB2_TAG_MMAP:
        out->have_e820 = true;
        return check_e820_tag(w, tag, size);
    case MB2_TAG_EFI64:
        return parse_efi64(w, tag, size);
    case MB2_TAG_ACPI_OLD:
        return parse_acpi(w, tag, size, false);
    case MB2_TAG_ACPI_NEW:
        return parse_acpi(w, tag, size, true);
    case MB2_TAG_EFI_MMAP:
        out->have_efi_mmap = true;
        return check_efi_mmap_tag(w, tag, size);
    case MB2_TAG_LOAD_BASE:
        return parse_load_base(w, tag, size);
    default:
        /* 3.6: boot loaders may add tags we do not know; skip them. */
        out->unknown_tags++;
        return 0;
    }
}

/* 3.6.1: tags follow each other, padded to 8 bytes, until an end tag. */
static int walk_tags(struct mb2_walk *w, uint32_t total)
{
    size_t off = MB2_INFO_HDR_SIZE;

    for (;;) {
        const uint8_t *tag = w->base + off;
        uint32_t type, size;
        int rc;

        if (total - off < MB2_TAG_HDR_SIZE)
            return fail(w, "missing end tag");
        type = rd32(tag);
        size = rd32(tag + 4);
        if (size < MB2_TAG_HDR_SIZE)
            return fail(w, "tag size < 8");
        if (size > total - off)
            return fail(w, "tag runs past total_size");
        if (type == MB2_TAG_END)
            return size == MB2_END_TAG_SIZE ? 0 : fail(w, "bad end tag size");
        rc = parse_tag(w, type, tag, size);
        if (rc)
            return rc;
        if (ALIGN_UP((size_t)size, MB2_TAG_ALIGN) > total - off)
            return fail(w, "missing end tag");
        off += ALIGN_UP((size_t)size, MB2_TAG_ALIGN);
    }
}

static void add_mmap_entry(struct boot_info *out, uint64_t addr, uint64_t len,
                           uint32_t type)
{
    if (!range_fits(addr, len) || out->nr_mmap >= BOOT_MAX_MMAP)
        return;
    out->mmap[out->nr_mmap].addr = addr;
    out->mmap[out->nr_mmap].len = len;
    out->mmap[out->nr_mmap].type = type;
    out->nr_mmap++;
}

static void fill_from_e820(struct mb2_walk *w)
{
    const uint8_t *tag = w->e820_tag;
    uint32_t entry_size = rd32(tag + 8);
    size_t off;

    /* A trailing partial entry is ignored: it cannot be read whole. */
    for (off = MB2_MMAP_HDR_SIZE; w->e820_size - off >= entry_size;
         off += entry_size)
        add_mmap_entry(w->out, rd64(tag + off), rd64(tag + off + 8),
                       rd32(tag + off + 16));
}

/*
 * Firmware fragments the EFI map by allocation type; after conversion many
 * neighbours share an e820 type, so contiguous ones are merged to keep a
 * real machine's map inside BOOT_MAX_MMAP.
 */
static bool merge_with_last(struct boot_info *out, uint64_t addr, uint64_t len,
                            uint32_t type)
{
    struct boot_mmap_entry *last;

    if (out->nr_mmap == 0)
        return false;
    last = &out->mmap[out->nr_mmap - 1];
    if (last->type != type || last->len > UINT64_MAX - last->addr ||
        last->addr + last->len != addr || len > UINT64_MAX - last->len ||
        !range_fits(last->addr, last->len + len))
        return false;
    last->len += len;
    return true;
}

static void fill_from_efi(struct mb2_walk *w)
{
    const uint8_t *tag = w->efi_tag;
    uint32_t desc_size = rd32(tag + 8);
    size_t off;

    /* A trailing partial descriptor is ignored: it cannot be read whole. */
    for (off = MB2_EFI_MMAP_HDR_SIZE; w->efi_size - off >= desc_size;
         off += desc_size) {
        const uint8_t *d = tag + off;
        uint64_t pages = rd64(d + EFI_DESC_NUM_PAGES);
        uint64_t addr = rd64(d + EFI_DESC_PHYS_START);
        uint32_t type = mb2_efi_type_to_e820(rd32(d + EFI_DESC_TYPE));

        if (pages > (UINT64_MAX >> EFI_PAGE_SHIFT))
            continue;
        if (!merge_with_last(w->out, addr, pages << EFI_PAGE_SHIFT, type))
            add_mmap_entry(w->out, addr, pages << EFI_PAGE_SHIFT, type);
    }
    w->out->mmap_from_efi = true;
}

/* The e820-style map is the loader's own summary; the EFI map is the
 * fallback when it is absent or empty. */
static void fill_memory_map(struct mb2_walk *w)
{
    if (w->e820_tag)
        fill_from_e820(w);
    if (w->out->nr_mmap == 0 && w->efi_tag)
        fill_from_efi(w);
}

uint32_t mb2_efi_type_to_e820(uint32_t efi_type)
{
    switch (efi_type) {
    case EFI_LOADER_CODE:
    case EFI_LOADER_DATA:
    case EFI_BOOT_SERVICES_CODE:
    case EFI_BOOT_SERVICES_DATA:
    case EFI_CONVENTIONAL_MEMORY:
        return MB2_MEM_AVAILABLE;
    case EFI_ACPI_RECLAIM_MEMORY:
        return MB2_MEM_ACPI_RECLAIM;
    case EFI_ACPI_MEMORY_NVS:
        return MB2_MEM_NVS;
    case EFI_UNUSABLE_MEMORY:
        return MB2_MEM_BAD;
    default:
        return MB2_MEM_RESERVED;
    }
}

int mb2_parse(const void *mbi, size_t max_len, struct boot_info *out,
              const char **why)
{
    struct mb2_walk w = { .base = mbi, .out = out };
    uint32_t total;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!mbi || max_len < MB2_MIN_TOTAL) {
        rc = fail(&w, "buffer too small");
        goto done;
    }
    total = rd32(w.base);
    if (total < MB2_MIN_TOTAL || total > max_len) {
        rc = fail(&w, "bad total_size");
        goto done;
    }
    out->total_size = total;
    rc = walk_tags(&w, total);
    if (rc == 0)
        fill_memory_map(&w);
done:
    if (why)
        *why = rc ? w.why : NULL;
    return rc;
}
