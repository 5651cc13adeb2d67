/*
 * Multiboot2 boot information parser.  Inputs are built tag by tag in a
 * byte buffer and parsed from an exactly-sized heap copy, so any read past
 * the buffer is an ASan error rather than a silent pass.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sv/errno.h>
#include <sv/multiboot2.h>

#include "suites.h"

/* ---- builder ------------------------------------------------------------ */

struct mbuf {
    uint8_t b[16384];
    size_t len;
};

static void mb_put(struct mbuf *m, const void *p, size_t n)
{
    ck_assert_uint_le(m->len + n, sizeof(m->b));
    memcpy(m->b + m->len, p, n);
    m->len += n;
}

static void mb_u32(struct mbuf *m, uint32_t v) { mb_put(m, &v, sizeof(v)); }
static void mb_u64(struct mbuf *m, uint64_t v) { mb_put(m, &v, sizeof(v)); }
static void mb_str(struct mbuf *m, const char *s) { mb_put(m, s, strlen(s) + 1); }

static void mb_set32(struct mbuf *m, size_t off, uint32_t v)
{
    memcpy(m->b + off, &v, sizeof(v));
}

static void mb_init(struct mbuf *m)
{
    memset(m, 0, sizeof(*m));
    m->len = 8;             /* total_size, reserved */
}

/* Starts a tag; returns its offset for mb_tag_end. */
static size_t mb_tag_begin(struct mbuf *m, uint32_t type)
{
    size_t start = m->len;

    mb_u32(m, type);
    mb_u32(m, 0);
    return start;
}

/* Sets the tag's size (unpadded, as the spec says) and pads to 8. */
static void mb_tag_end(struct mbuf *m, size_t start)
{
    mb_set32(m, start + 4, (uint32_t)(m->len - start));
    while (m->len % 8)
        m->b[m->len++] = 0;
}

static void mb_finish(struct mbuf *m)
{
    mb_tag_end(m, mb_tag_begin(m, MB2_TAG_END));
    mb_set32(m, 0, (uint32_t)m->len);
}

static void mb_string_tag(struct mbuf *m, uint32_t type, const char *s)
{
    size_t t = mb_tag_begin(m, type);

    mb_str(m, s);
    mb_tag_end(m, t);
}

static void mb_module(struct mbuf *m, uint32_t start, uint32_t end, const char *s)
{
    size_t t = mb_tag_begin(m, MB2_TAG_MODULE);

    mb_u32(m, start);
    mb_u32(m, end);
    mb_str(m, s);
    mb_tag_end(m, t);
}

static void mb_meminfo(struct mbuf *m, uint32_t lower, uint32_t upper)
{
    size_t t = mb_tag_begin(m, MB2_TAG_BASIC_MEMINFO);

    mb_u32(m, lower);
    mb_u32(m, upper);
    mb_tag_end(m, t);
}

struct e820 { uint64_t addr, len; uint32_t type; };

static void mb_mmap(struct mbuf *m, uint32_t entry_size, uint32_t version,
                    const struct e820 *e, size_t n)
{
    size_t t = mb_tag_begin(m, MB2_TAG_MMAP), i;

    mb_u32(m, entry_size);
    mb_u32(m, version);
    for (i = 0; i < n; i++) {
        size_t entry = m->len;

        mb_u64(m, e[i].addr);
        mb_u64(m, e[i].len);
        mb_u32(m, e[i].type);
        while (m->len - entry < entry_size)
            m->b[m->len++] = 0xee;      /* later-version fields, ignored */
    }
    mb_tag_end(m, t);
}

struct efi_desc { uint32_t type; uint64_t phys, pages; };

static void mb_efi_mmap(struct mbuf *m, uint32_t desc_size,
                        const struct efi_desc *d, size_t n)
{
    size_t t = mb_tag_begin(m, MB2_TAG_EFI_MMAP), i;

    mb_u32(m, desc_size);
    mb_u32(m, 1);
    for (i = 0; i < n; i++) {
        size_t entry = m->len;

        mb_u32(m, d[i].type);
        mb_u32(m, 0);
        mb_u64(m, d[i].phys);
        mb_u64(m, d[i].phys + 0xffff800000000000ull);  /* virt_start */
        mb_u64(m, d[i].pages);
        mb_u64(m, 0xf);                                /* attribute */
        while (m->len - entry < desc_size)
            m->b[m->len++] = 0;
    }
    mb_tag_end(m, t);
}

static void mb_rsdp(struct mbuf *m, uint32_t type, uint8_t fill, size_t len)
{
    size_t t = mb_tag_begin(m, type), i;

    for (i = 0; i < len; i++)
        m->b[m->len++] = (uint8_t)(fill + i);
    mb_tag_end(m, t);
}

static void mb_u64_tag(struct mbuf *m, uint32_t type, uint64_t v)
{
    size_t t = mb_tag_begin(m, type);

    mb_u64(m, v);
    mb_tag_end(m, t);
}

static void mb_u32_tag(struct mbuf *m, uint32_t type, uint32_t v)
{
    size_t t = mb_tag_begin(m, type);

    mb_u32(m, v);
    mb_tag_end(m, t);
}

/* The parser's output is large; keep it off the stack. */
static struct boot_info bi;

/* Parse the first len bytes from an exactly-sized heap copy placed at an
 * odd address when 'misalign', so overreads and unaligned loads trap. */
static int parse_copy(const struct mbuf *m, size_t len, bool misalign,
                      const char **why)
{
    uint8_t *raw = malloc(len + 1);
    uint8_t *p = misalign ? raw + 1 : raw;
    int rc;

    ck_assert_ptr_nonnull(raw);
    if (!misalign) {
        /* Exactly len bytes, so the first byte past the end is poisoned. */
        free(raw);
        raw = p = malloc(len ? len : 1);
        ck_assert_ptr_nonnull(raw);
    }
    memcpy(p, m->b, len);
    rc = mb2_parse(p, len, &bi, why);
    free(raw);
    return rc;
}

static int parse(const struct mbuf *m, const char **why)
{
    return parse_copy(m, m->len, false, why);
}

/* ---- complete inputs ---------------------------------------------------- */

static const struct e820 bios_map[] = {
    { 0x0, 0x9fc00, MB2_MEM_AVAILABLE },
    { 0x9fc00, 0x400, MB2_MEM_RESERVED },
    { 0x100000, 0x7ee0000, MB2_MEM_AVAILABLE },
    { 0x7fe0000, 0x20000, MB2_MEM_ACPI_RECLAIM },
    { 0xfffc0000, 0x40000, MB2_MEM_RESERVED },
};

static void build_bios(struct mbuf *m)
{
    mb_init(m);
    mb_string_tag(m, MB2_TAG_CMDLINE, "loglvl=debug dom0_mem=512M");
    mb_string_tag(m, MB2_TAG_BOOTLOADER, "GRUB 2.12");
    mb_module(m, 0x200000, 0x600123, "vmlinuz console=hvc0");
    mb_module(m, 0x601000, 0x900000, "initrd");
    mb_meminfo(m, 639, 130048);
    mb_mmap(m, 24, 0, bios_map, 5);
    mb_rsdp(m, MB2_TAG_ACPI_OLD, 0x40, 20);
    mb_u32_tag(m, MB2_TAG_LOAD_BASE, 0x100000);
    mb_u64_tag(m, MB2_TAG_FRAMEBUFFER, 0xb8000);    /* not interpreted */
    mb_finish(m);
}

static const struct efi_desc efi_map[] = {
    { 7, 0x0, 0xa0 },              /* conventional */
    { 3, 0x100000, 0x100 },        /* boot services code, after a gap */
    { 4, 0x200000, 0x100 },        /* boot services data: merges with previous */
    { 9, 0x300000, 0x10 },         /* ACPI reclaim */
    { 10, 0x310000, 0x10 },        /* ACPI NVS */
    { 8, 0x320000, 0x1 },          /* unusable */
    { 5, 0x321000, 0x1 },          /* runtime services code */
    { 11, 0xfec00000, 0x1 },       /* MMIO */
};

static void build_efi(struct mbuf *m)
{
    mb_init(m);
    mb_string_tag(m, MB2_TAG_CMDLINE, "loglvl=info");
    mb_string_tag(m, MB2_TAG_BOOTLOADER, "GRUB 2.12 (EFI)");
    mb_module(m, 0x4000000, 0x4800000, "dom0");
    mb_u64_tag(m, MB2_TAG_EFI64, 0x7fe8e018);
    mb_rsdp(m, MB2_TAG_ACPI_NEW, 0x80, 36);
    mb_efi_mmap(m, 48, efi_map, ARRAY_SIZE(efi_map));
    mb_tag_end(m, mb_tag_begin(m, MB2_TAG_EFI_BS));  /* not interpreted */
    mb_u32_tag(m, MB2_TAG_LOAD_BASE, 0x200000);
    mb_finish(m);
}

START_TEST(test_bios_like)
{
    struct mbuf m;
    const char *why = "unset";
    unsigned int i;

    build_bios(&m);
    ck_assert_int_eq(parse(&m, &why), 0);
    ck_assert_ptr_null(why);
    ck_assert_uint_eq(bi.total_size, m.len);
    ck_assert_str_eq(bi.cmdline, "loglvl=debug dom0_mem=512M");
    ck_assert_str_eq(bi.loader, "GRUB 2.12");
    ck_assert_uint_eq(bi.nr_modules, 2);
    ck_assert_uint_eq(bi.modules[0].start, 0x200000);
    ck_assert_uint_eq(bi.modules[0].end, 0x600123);
    ck_assert_str_eq(bi.modules[0].cmdline, "vmlinuz console=hvc0");
    ck_assert_uint_eq(bi.modules[1].start, 0x601000);
    ck_assert_str_eq(bi.modules[1].cmdline, "initrd");
    ck_assert(bi.have_basic_meminfo);
    ck_assert_uint_eq(bi.mem_lower_kb, 639);
    ck_assert_uint_eq(bi.mem_upper_kb, 130048);
    ck_assert(bi.have_e820);
    ck_assert(!bi.have_efi_mmap);
    ck_assert(!bi.mmap_from_efi);
    ck_assert_uint_eq(bi.nr_mmap, 5);
    for (i = 0; i < 5; i++) {
        ck_assert_uint_eq(bi.mmap[i].addr, bios_map[i].addr);
        ck_assert_uint_eq(bi.mmap[i].len, bios_map[i].len);
        ck_assert_uint_eq(bi.mmap[i].type, bios_map[i].type);
    }
    ck_assert_uint_eq(bi.rsdp_len, 20);
    ck_assert_uint_eq(bi.rsdp[0], 0x40);
    ck_assert_uint_eq(bi.rsdp[19], 0x40 + 19);
    ck_assert_uint_eq(bi.rsdp[20], 0);
    ck_assert_uint_eq(bi.efi_system_table, 0);
    ck_assert_uint_eq(bi.load_base, 0x100000);
    ck_assert_uint_eq(bi.unknown_tags, 1);
}
END_TEST

START_TEST(test_efi_like)
{
    struct mbuf m;

    build_efi(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_str_eq(bi.cmdline, "loglvl=info");
    ck_assert_str_eq(bi.loader, "GRUB 2.12 (EFI)");
    ck_assert_uint_eq(bi.nr_modules, 1);
    ck_assert_str_eq(bi.modules[0].cmdline, "dom0");
    ck_assert_uint_eq(bi.efi_system_table, 0x7fe8e018);
    ck_assert_uint_eq(bi.rsdp_len, 36);
    ck_assert_uint_eq(bi.rsdp[35], 0x80 + 35);
    ck_assert(!bi.have_e820);
    ck_assert(bi.have_efi_mmap);
    ck_assert(bi.mmap_from_efi);
    ck_assert(!bi.have_basic_meminfo);
    ck_assert_uint_eq(bi.load_base, 0x200000);
    ck_assert_uint_eq(bi.unknown_tags, 1);
    /* Conventional, then BS code + BS data merged (contiguous, both RAM). */
    ck_assert_uint_eq(bi.nr_mmap, 7);
    ck_assert_uint_eq(bi.mmap[0].addr, 0);
    ck_assert_uint_eq(bi.mmap[0].len, 0xa0000);
    ck_assert_uint_eq(bi.mmap[0].type, MB2_MEM_AVAILABLE);
    ck_assert_uint_eq(bi.mmap[1].addr, 0x100000);
    ck_assert_uint_eq(bi.mmap[1].len, 0x200000);
    ck_assert_uint_eq(bi.mmap[1].type, MB2_MEM_AVAILABLE);
    ck_assert_uint_eq(bi.mmap[2].type, MB2_MEM_ACPI_RECLAIM);
    ck_assert_uint_eq(bi.mmap[2].len, 0x10000);
    ck_assert_uint_eq(bi.mmap[3].type, MB2_MEM_NVS);
    ck_assert_uint_eq(bi.mmap[4].type, MB2_MEM_BAD);
    ck_assert_uint_eq(bi.mmap[5].type, MB2_MEM_RESERVED);
    ck_assert_uint_eq(bi.mmap[5].addr, 0x321000);
    ck_assert_uint_eq(bi.mmap[6].addr, 0xfec00000);
    ck_assert_uint_eq(bi.mmap[6].type, MB2_MEM_RESERVED);
}
END_TEST

START_TEST(test_unaligned_buffer)
{
    struct mbuf m;

    build_bios(&m);
    ck_assert_int_eq(parse_copy(&m, m.len, true, NULL), 0);
    ck_assert_uint_eq(bi.nr_mmap, 5);
    build_efi(&m);
    ck_assert_int_eq(parse_copy(&m, m.len, true, NULL), 0);
    ck_assert_uint_eq(bi.nr_mmap, 7);
}
END_TEST

START_TEST(test_minimal)
{
    struct mbuf m;

    mb_init(&m);
    mb_finish(&m);
    ck_assert_uint_eq(m.len, 16);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(bi.nr_mmap, 0);
    ck_assert_uint_eq(bi.nr_modules, 0);
    ck_assert_uint_eq(bi.rsdp_len, 0);
    ck_assert_str_eq(bi.cmdline, "");
}
END_TEST

/* ---- memory map choice -------------------------------------------------- */

static const struct efi_desc one_efi[] = { { 7, 0x1000000, 0x100 } };

START_TEST(test_e820_preferred_over_efi)
{
    struct mbuf m;

    mb_init(&m);
    mb_efi_mmap(&m, 48, one_efi, 1);
    mb_mmap(&m, 24, 0, bios_map, 2);
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert(bi.have_e820 && bi.have_efi_mmap);
    ck_assert(!bi.mmap_from_efi);
    ck_assert_uint_eq(bi.nr_mmap, 2);
    ck_assert_uint_eq(bi.mmap[1].addr, 0x9fc00);
}
END_TEST

START_TEST(test_empty_e820_uses_efi)
{
    struct mbuf m;

    mb_init(&m);
    mb_mmap(&m, 24, 0, NULL, 0);
    mb_efi_mmap(&m, 48, one_efi, 1);
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert(bi.have_e820 && bi.have_efi_mmap);
    ck_assert(bi.mmap_from_efi);
    ck_assert_uint_eq(bi.nr_mmap, 1);
    ck_assert_uint_eq(bi.mmap[0].addr, 0x1000000);
    ck_assert_uint_eq(bi.mmap[0].len, 0x100000);
}
END_TEST

START_TEST(test_efi_type_conversion)
{
    static const uint32_t expect[] = {
        [0] = MB2_MEM_RESERVED,  [1] = MB2_MEM_AVAILABLE, [2] = MB2_MEM_AVAILABLE,
        [3] = MB2_MEM_AVAILABLE, [4] = MB2_MEM_AVAILABLE, [5] = MB2_MEM_RESERVED,
        [6] = MB2_MEM_RESERVED,  [7] = MB2_MEM_AVAILABLE, [8] = MB2_MEM_BAD,
        [9] = MB2_MEM_ACPI_RECLAIM, [10] = MB2_MEM_NVS, [11] = MB2_MEM_RESERVED,
        [12] = MB2_MEM_RESERVED, [13] = MB2_MEM_RESERVED, [14] = MB2_MEM_RESERVED,
    };
    uint32_t t;

    for (t = 0; t < ARRAY_SIZE(expect); t++)
        ck_assert_uint_eq(mb2_efi_type_to_e820(t), expect[t]);
    ck_assert_uint_eq(mb2_efi_type_to_e820(0x80000000u), MB2_MEM_RESERVED);
}
END_TEST

START_TEST(test_efi_large_descriptor_and_bad_entries)
{
    static const struct efi_desc d[] = {
        { 7, 0x100000, 0x10 },
        { 7, 0x200000, 1ull << 60 },                /* pages overflow */
        { 7, 0xfffffffffffff000ull, 2 },            /* wraps */
        { 2, 0x110000, 0x10 },                      /* contiguous RAM */
    };
    struct mbuf m;

    mb_init(&m);
    mb_efi_mmap(&m, 64, d, ARRAY_SIZE(d));          /* bigger than v1 */
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(bi.nr_mmap, 1);
    ck_assert_uint_eq(bi.mmap[0].addr, 0x100000);
    ck_assert_uint_eq(bi.mmap[0].len, 0x20000);
}
END_TEST

START_TEST(test_efi_bad_descriptor_size)
{
    struct mbuf m;
    const char *why = NULL;

    mb_init(&m);
    mb_efi_mmap(&m, 32, one_efi, 1);
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, &why), -EINVAL);
    ck_assert_ptr_nonnull(why);
}
END_TEST

START_TEST(test_mmap_bigger_entry_size)
{
    struct mbuf m;

    mb_init(&m);
    mb_mmap(&m, 40, 1, bios_map, 3);
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(bi.nr_mmap, 3);
    ck_assert_uint_eq(bi.mmap[2].addr, 0x100000);
    ck_assert_uint_eq(bi.mmap[2].len, 0x7ee0000);
    ck_assert_uint_eq(bi.mmap[2].type, MB2_MEM_AVAILABLE);
}
END_TEST

START_TEST(test_bad_mmap_entry_size)
{
    static const uint32_t bad[] = { 0, 8, 16, 20, 28, 36 };
    struct mbuf m;
    const char *why;
    size_t i, t;

    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        mb_init(&m);
        t = mb_tag_begin(&m, MB2_TAG_MMAP);
        mb_u32(&m, bad[i]);
        mb_u32(&m, 0);
        mb_put(&m, bios_map, 24);       /* 24 bytes of entry data */
        mb_tag_end(&m, t);
        mb_finish(&m);
        why = NULL;
        ck_assert_int_eq(parse(&m, &why), -EINVAL);
        ck_assert_str_eq(why, "bad mmap entry_size");
    }
}
END_TEST

START_TEST(test_too_many_mmap_entries)
{
    static struct e820 many[BOOT_MAX_MMAP + 5];
    struct mbuf m;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(many); i++) {
        many[i].addr = i * 0x2000;       /* gaps: nothing to merge */
        many[i].len = 0x1000;
        many[i].type = MB2_MEM_AVAILABLE;
    }
    mb_init(&m);
    mb_mmap(&m, 24, 0, many, ARRAY_SIZE(many));
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(bi.nr_mmap, BOOT_MAX_MMAP);
    ck_assert_uint_eq(bi.mmap[BOOT_MAX_MMAP - 1].addr, (BOOT_MAX_MMAP - 1) * 0x2000);
}
END_TEST

START_TEST(test_mmap_wrapping_entry_dropped)
{
    static const struct e820 e[] = {
        { 0x1000, 0x1000, MB2_MEM_AVAILABLE },
        { 0xfffffffffffff000ull, 0x2000, MB2_MEM_RESERVED },
        { 0xfffffffffffff000ull, 0x1000, MB2_MEM_RESERVED },  /* ends at 2^64 */
    };
    struct mbuf m;

    mb_init(&m);
    mb_mmap(&m, 24, 0, e, ARRAY_SIZE(e));
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(bi.nr_mmap, 2);
    ck_assert_uint_eq(bi.mmap[1].len, 0x1000);
}
END_TEST

/* ---- modules and strings ------------------------------------------------ */

START_TEST(test_too_many_modules)
{
    struct mbuf m;
    uint32_t i;

    mb_init(&m);
    for (i = 0; i < BOOT_MAX_MODULES + 3; i++)
        mb_module(&m, 0x1000000 + i * 0x10000, 0x1000000 + i * 0x10000 + 0x100,
                  i == BOOT_MAX_MODULES - 1 ? "last-kept" : "m");
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(bi.nr_modules, BOOT_MAX_MODULES);
    ck_assert_uint_eq(bi.modules_dropped, 3);
    ck_assert_str_eq(bi.modules[BOOT_MAX_MODULES - 1].cmdline, "last-kept");
}
END_TEST

START_TEST(test_module_start_not_below_end)
{
    struct mbuf m;
    const char *why;

    mb_init(&m);
    mb_module(&m, 0x200000, 0x200000, "empty");
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, &why), -EINVAL);
    ck_assert_str_eq(why, "module start >= end");

    mb_init(&m);
    mb_module(&m, 0x300000, 0x200000, "backwards");
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), -EINVAL);
}
END_TEST

START_TEST(test_module_tag_too_short)
{
    struct mbuf m;
    size_t t;

    mb_init(&m);
    t = mb_tag_begin(&m, MB2_TAG_MODULE);
    mb_u32(&m, 0x1000);
    mb_u32(&m, 0x2000);             /* no string at all */
    mb_tag_end(&m, t);
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), -EINVAL);
}
END_TEST

/* A string tag whose bytes fill the tag with no NUL inside it.  The next
 * tag (end tag) starts with zero bytes, so a parser that looked past the
 * tag's size would wrongly find a terminator there. */
static void mb_unterminated(struct mbuf *m, uint32_t type, const char *s)
{
    size_t t = mb_tag_begin(m, type);

    mb_put(m, s, strlen(s));
    mb_tag_end(m, t);
}

START_TEST(test_unterminated_strings)
{
    struct mbuf m;
    const char *why;

    mb_init(&m);
    mb_unterminated(&m, MB2_TAG_CMDLINE, "console=com1");
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, &why), -EINVAL);
    ck_assert_ptr_nonnull(why);

    mb_init(&m);
    mb_unterminated(&m, MB2_TAG_BOOTLOADER, "GRUB");
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), -EINVAL);

    mb_init(&m);
    {
        size_t t = mb_tag_begin(&m, MB2_TAG_MODULE);

        mb_u32(&m, 0x1000);
        mb_u32(&m, 0x2000);
        mb_put(&m, "abc", 3);
        mb_tag_end(&m, t);
    }
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, &why), -EINVAL);
    ck_assert_str_eq(why, "module string not NUL-terminated");

    /* An empty string tag (size 8) has no room for a terminator. */
    mb_init(&m);
    mb_tag_end(&m, mb_tag_begin(&m, MB2_TAG_CMDLINE));
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), -EINVAL);
}
END_TEST

START_TEST(test_long_strings_truncated)
{
    static char longline[BOOT_CMDLINE_MAX + 100];
    struct mbuf m;

    memset(longline, 'x', sizeof(longline) - 1);
    longline[sizeof(longline) - 1] = '\0';
    mb_init(&m);
    mb_string_tag(&m, MB2_TAG_CMDLINE, longline);
    mb_string_tag(&m, MB2_TAG_BOOTLOADER, longline);
    mb_module(&m, 0x1000, 0x2000, longline);
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
    ck_assert_uint_eq(strlen(bi.loader), BOOT_STRING_MAX - 1);
    ck_assert_uint_eq(strlen(bi.modules[0].cmdline), BOOT_STRING_MAX - 1);
}
END_TEST

/* ---- ACPI, EFI and small tags ------------------------------------------- */

START_TEST(test_acpi_new_preferred_over_old)
{
    struct mbuf m;

    mb_init(&m);
    mb_rsdp(&m, MB2_TAG_ACPI_NEW, 0x10, 36);
    mb_rsdp(&m, MB2_TAG_ACPI_OLD, 0x90, 20);
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(bi.rsdp_len, 36);
    ck_assert_uint_eq(bi.rsdp[0], 0x10);

    mb_init(&m);
    mb_rsdp(&m, MB2_TAG_ACPI_OLD, 0x90, 20);
    mb_rsdp(&m, MB2_TAG_ACPI_NEW, 0x10, 36);
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(bi.rsdp_len, 36);
    ck_assert_uint_eq(bi.rsdp[0], 0x10);
}
END_TEST

START_TEST(test_acpi_tag_sizes)
{
    struct mbuf m;

    /* A v1 RSDP in the "new" tag: 20 bytes copied. */
    mb_init(&m);
    mb_rsdp(&m, MB2_TAG_ACPI_NEW, 0x10, 20);
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(bi.rsdp_len, 20);

    /* Extra bytes beyond 36 are not copied (nor overflow rsdp[]). */
    mb_init(&m);
    mb_rsdp(&m, MB2_TAG_ACPI_NEW, 0x10, 60);
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(bi.rsdp_len, 36);

    mb_init(&m);
    mb_rsdp(&m, MB2_TAG_ACPI_OLD, 0x10, 19);
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), -EINVAL);
}
END_TEST

START_TEST(test_short_fixed_tags)
{
    static const uint32_t types[] = {
        MB2_TAG_BASIC_MEMINFO, MB2_TAG_EFI64, MB2_TAG_LOAD_BASE, MB2_TAG_MMAP,
        MB2_TAG_EFI_MMAP,
    };
    struct mbuf m;
    size_t i, t;

    for (i = 0; i < ARRAY_SIZE(types); i++) {
        mb_init(&m);
        t = mb_tag_begin(&m, types[i]);
        if (types[i] != MB2_TAG_LOAD_BASE)
            mb_u32(&m, 24);         /* half of what the tag needs */
        mb_tag_end(&m, t);
        mb_finish(&m);
        ck_assert_int_eq(parse(&m, NULL), -EINVAL);
    }
}
END_TEST

START_TEST(test_unknown_tags_counted)
{
    struct mbuf m;
    size_t t;

    mb_init(&m);
    t = mb_tag_begin(&m, 0x1234);
    mb_put(&m, "odd", 3);           /* size 11: next tag is padded to 16 */
    mb_tag_end(&m, t);
    mb_tag_end(&m, mb_tag_begin(&m, 99));
    mb_string_tag(&m, MB2_TAG_CMDLINE, "after");
    mb_finish(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(bi.unknown_tags, 2);
    ck_assert_str_eq(bi.cmdline, "after");
}
END_TEST

/* ---- malformed structure ------------------------------------------------ */

START_TEST(test_truncated_every_length)
{
    struct mbuf full[2], m;
    const char *why;
    size_t f, len;

    build_bios(&full[0]);
    build_efi(&full[1]);
    for (f = 0; f < 2; f++) {
        for (len = 0; len < full[f].len; len++) {
            /* The loader's buffer is cut short, total_size still says more. */
            why = NULL;
            ck_assert_int_eq(parse_copy(&full[f], len, false, &why), -EINVAL);
            ck_assert_ptr_nonnull(why);
            /* total_size agrees with the cut: the end tag is what is missing,
             * or a tag now runs past the end. */
            if (len >= 8) {
                m = full[f];
                mb_set32(&m, 0, (uint32_t)len);
                ck_assert_int_eq(parse_copy(&m, len, len % 2, NULL), -EINVAL);
            }
        }
    }
}
END_TEST

START_TEST(test_total_size_bounds)
{
    struct mbuf m;
    const char *why;

    mb_init(&m);
    mb_finish(&m);
    ck_assert_int_eq(mb2_parse(m.b, 15, &bi, &why), -EINVAL);
    ck_assert_int_eq(mb2_parse(NULL, 100, &bi, &why), -EINVAL);
    mb_set32(&m, 0, 12);
    ck_assert_int_eq(parse(&m, &why), -EINVAL);
    ck_assert_str_eq(why, "bad total_size");
    mb_set32(&m, 0, 24);            /* more than the 16 bytes readable */
    ck_assert_int_eq(parse(&m, &why), -EINVAL);
    ck_assert_str_eq(why, "bad total_size");
    mb_set32(&m, 0, 0xffffffffu);
    ck_assert_int_eq(parse(&m, NULL), -EINVAL);
}
END_TEST

START_TEST(test_tag_size_past_end)
{
    struct mbuf m;
    const char *why;

    build_bios(&m);
    mb_set32(&m, 8 + 4, 0x10000);   /* cmdline tag claims 64 KiB */
    ck_assert_int_eq(parse(&m, &why), -EINVAL);
    ck_assert_str_eq(why, "tag runs past total_size");

    build_bios(&m);
    mb_set32(&m, 8 + 4, 0xfffffff9u);  /* would wrap a 32-bit offset */
    ck_assert_int_eq(parse(&m, NULL), -EINVAL);
}
END_TEST

START_TEST(test_tag_size_below_header)
{
    struct mbuf m;
    const char *why;
    uint32_t sz;

    for (sz = 0; sz < 8; sz++) {
        build_bios(&m);
        mb_set32(&m, 8 + 4, sz);
        ck_assert_int_eq(parse(&m, &why), -EINVAL);
        ck_assert_str_eq(why, "tag size < 8");
    }
}
END_TEST

START_TEST(test_missing_end_tag)
{
    struct mbuf m;
    const char *why;

    mb_init(&m);
    mb_string_tag(&m, MB2_TAG_CMDLINE, "x");
    mb_string_tag(&m, MB2_TAG_CMDLINE, "y");
    mb_set32(&m, 0, (uint32_t)m.len);   /* no end tag: total ends after a tag */
    ck_assert_int_eq(parse(&m, &why), -EINVAL);
    ck_assert_str_eq(why, "missing end tag");

    /* The last tag's size fits but its padding does not. */
    mb_init(&m);
    mb_string_tag(&m, MB2_TAG_CMDLINE, "abc");     /* size 12, padded 16 */
    mb_set32(&m, 0, 8 + 12);
    ck_assert_int_eq(parse_copy(&m, 8 + 12, false, &why), -EINVAL);
    ck_assert_str_eq(why, "missing end tag");
}
END_TEST

START_TEST(test_end_tag_bad_size)
{
    struct mbuf m;
    const char *why;
    size_t t;

    mb_init(&m);
    t = mb_tag_begin(&m, MB2_TAG_END);
    mb_u64(&m, 0);
    mb_tag_end(&m, t);              /* end tag of size 16 */
    mb_set32(&m, 0, (uint32_t)m.len);
    ck_assert_int_eq(parse(&m, &why), -EINVAL);
    ck_assert_str_eq(why, "bad end tag size");
}
END_TEST

START_TEST(test_error_leaves_why_untouched_when_null)
{
    struct mbuf m;

    build_bios(&m);
    mb_set32(&m, 0, 4);
    ck_assert_int_eq(parse(&m, NULL), -EINVAL);
}
END_TEST

Suite *multiboot2_suite(void)
{
    Suite *s = suite_create("multiboot2");
    TCase *tc = tcase_create("parse");
    TCase *mm = tcase_create("memory map");
    TCase *bad = tcase_create("malformed");

    tcase_add_test(tc, test_bios_like);
    tcase_add_test(tc, test_efi_like);
    tcase_add_test(tc, test_unaligned_buffer);
    tcase_add_test(tc, test_minimal);
    tcase_add_test(tc, test_too_many_modules);
    tcase_add_test(tc, test_long_strings_truncated);
    tcase_add_test(tc, test_acpi_new_preferred_over_old);
    tcase_add_test(tc, test_acpi_tag_sizes);
    tcase_add_test(tc, test_unknown_tags_counted);
    suite_add_tcase(s, tc);

    tcase_add_test(mm, test_e820_preferred_over_efi);
    tcase_add_test(mm, test_empty_e820_uses_efi);
    tcase_add_test(mm, test_efi_type_conversion);
    tcase_add_test(mm, test_efi_large_descriptor_and_bad_entries);
    tcase_add_test(mm, test_efi_bad_descriptor_size);
    tcase_add_test(mm, test_mmap_bigger_entry_size);
    tcase_add_test(mm, test_bad_mmap_entry_size);
    tcase_add_test(mm, test_too_many_mmap_entries);
    tcase_add_test(mm, test_mmap_wrapping_entry_dropped);
    suite_add_tcase(s, mm);

    tcase_add_test(bad, test_truncated_every_length);
    tcase_add_test(bad, test_total_size_bounds);
    tcase_add_test(bad, test_tag_size_past_end);
    tcase_add_test(bad, test_tag_size_below_header);
    tcase_add_test(bad, test_missing_end_tag);
    tcase_add_test(bad, test_end_tag_bad_size);
    tcase_add_test(bad, test_module_start_not_below_end);
    tcase_add_test(bad, test_module_tag_too_short);
    tcase_add_test(bad, test_unterminated_strings);
    tcase_add_test(bad, test_short_fixed_tags);
    tcase_add_test(bad, test_error_leaves_why_untouched_when_null);
    suite_add_tcase(s, bad);
    return s;
}
