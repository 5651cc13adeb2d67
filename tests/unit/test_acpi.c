/*
 * ACPI table parser over a fake physical memory.  The fake map() hands out
 * an exactly-sized heap copy and frees the previous one, so reading past a
 * mapping or using a mapping after the next map() call is an ASan error.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sv/acpi.h>
#include <sv/errno.h>

#include "suites.h"

/* ---- fake physical memory ----------------------------------------------- */

#define MEM_BASE   0xe0000ull
#define MEM_SIZE   0x20000ull

/* Where the tables of the standard platform live. */
#define PA_RSDP    0xe0040ull
#define PA_RSDT    0xe1000ull
#define PA_XSDT    0xe2000ull
#define PA_MADT    0xe3000ull
#define PA_FADT    0xe4000ull
#define PA_DSDT    0xe5000ull
#define PA_MADT2   0xe6000ull
#define PA_SSDT    0xe7000ull
#define PA_NOWHERE 0x7fff0000ull     /* outside the fake memory */

static uint8_t *mem;
static void *window;
static unsigned int map_calls;
static unsigned int warn_calls;
static char last_warning[256];

static const void *fake_map(paddr_t pa, size_t len)
{
    free(window);
    window = NULL;
    map_calls++;
    if (pa < MEM_BASE || len > MEM_SIZE || pa - MEM_BASE > MEM_SIZE - len)
        return NULL;
    window = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(window);
    memcpy(window, mem + (pa - MEM_BASE), len);
    return window;
}

static const void *null_map(paddr_t pa, size_t len)
{
    (void)pa;
    (void)len;
    return NULL;
}

static void record_warning(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(last_warning, sizeof(last_warning), fmt, ap);
    va_end(ap);
    warn_calls++;
}

static const struct acpi_ops ops = { .map = fake_map, .warn = record_warning };
static const struct acpi_ops quiet_ops = { .map = fake_map };
static struct acpi_info info;

static void mem_setup(void)
{
    mem = calloc(1, MEM_SIZE);
    ck_assert_ptr_nonnull(mem);
    window = NULL;
    map_calls = 0;
    warn_calls = 0;
    last_warning[0] = '\0';
}

static void mem_teardown(void)
{
    free(window);
    window = NULL;
    free(mem);
    mem = NULL;
}

static uint8_t *at(paddr_t pa)
{
    ck_assert(pa >= MEM_BASE && pa < MEM_BASE + MEM_SIZE);
    return mem + (pa - MEM_BASE);
}

static uint8_t checksum_fix(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;

    while (len--)
        sum = (uint8_t)(sum + *p++);
    return (uint8_t)-sum;
}

/* ---- table builder ------------------------------------------------------ */

struct tbl {
    uint8_t b[8192];
    size_t len;
};

static void tb_put(struct tbl *t, const void *p, size_t n)
{
    ck_assert_uint_le(t->len + n, sizeof(t->b));
    memcpy(t->b + t->len, p, n);
    t->len += n;
}

static void tb_u8(struct tbl *t, uint8_t v) { tb_put(t, &v, 1); }
static void tb_u16(struct tbl *t, uint16_t v) { tb_put(t, &v, 2); }
static void tb_u32(struct tbl *t, uint32_t v) { tb_put(t, &v, 4); }
static void tb_u64(struct tbl *t, uint64_t v) { tb_put(t, &v, 8); }

static void tb_set(struct tbl *t, size_t off, const void *p, size_t n)
{
    ck_assert_uint_le(off + n, sizeof(t->b));
    memcpy(t->b + off, p, n);
    if (t->len < off + n)
        t->len = off + n;
}

static void tb_set16(struct tbl *t, size_t off, uint16_t v) { tb_set(t, off, &v, 2); }
static void tb_set32(struct tbl *t, size_t off, uint32_t v) { tb_set(t, off, &v, 4); }
static void tb_set64(struct tbl *t, size_t off, uint64_t v) { tb_set(t, off, &v, 8); }

/* 36-byte header; length and checksum are filled in by tb_place. */
static void tb_init(struct tbl *t, const char *sig, uint8_t rev)
{
    memset(t, 0, sizeof(*t));
    memcpy(t->b, sig, 4);
    t->b[8] = rev;
    memcpy(t->b + 10, "SPLITV", 6);
    memcpy(t->b + 16, "TESTTBL ", 8);
    t->len = 36;
}

/* Copy into fake memory with the given length field and a good checksum. */
static void tb_place_len(const struct tbl *t, paddr_t pa, uint32_t len)
{
    uint8_t *p = at(pa);

    ck_assert_uint_le(len, sizeof(t->b));
    memcpy(p, t->b, len);
    memcpy(p + 4, &len, 4);
    p[9] = 0;
    p[9] = checksum_fix(p, len);
}

static void tb_place(const struct tbl *t, paddr_t pa)
{
    tb_place_len(t, pa, (uint32_t)t->len);
}

static void corrupt_checksum(paddr_t pa)
{
    at(pa)[9] ^= 0x5a;
}

static void put_root(paddr_t pa, const char *sig, const paddr_t *tables, size_t n)
{
    struct tbl t;
    size_t i;

    tb_init(&t, sig, 1);
    for (i = 0; i < n; i++) {
        if (sig[0] == 'X')
            tb_u64(&t, tables[i]);
        else
            tb_u32(&t, (uint32_t)tables[i]);
    }
    tb_place(&t, pa);
}

static void make_rsdp(uint8_t r[36], uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
    uint32_t len = 36;

    memset(r, 0, 36);
    memcpy(r, "RSD PTR ", 8);
    memcpy(r + 9, "OEMXYZ", 6);
    r[15] = rev;
    memcpy(r + 16, &rsdt, 4);
    r[8] = checksum_fix(r, 20);
    if (rev >= 2) {
        memcpy(r + 20, &len, 4);
        memcpy(r + 24, &xsdt, 8);
        r[32] = checksum_fix(r, 36);
    }
}

static void put_rsdp(paddr_t pa, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
    uint8_t r[36];

    make_rsdp(r, rev, rsdt, xsdt);
    memcpy(at(pa), r, rev >= 2 ? 36 : 20);
}

/* MADT entries (ACPI 6.4, 5.2.12). */
static void madt_init(struct tbl *t, uint32_t lapic, uint32_t flags)
{
    tb_init(t, "APIC", 5);
    tb_u32(t, lapic);
    tb_u32(t, flags);
}

static void madt_lapic(struct tbl *t, uint8_t uid, uint8_t id, uint32_t flags)
{
    tb_u8(t, 0); tb_u8(t, 8); tb_u8(t, uid); tb_u8(t, id); tb_u32(t, flags);
}

static void madt_ioapic(struct tbl *t, uint8_t id, uint32_t addr, uint32_t gsi)
{
    tb_u8(t, 1); tb_u8(t, 12); tb_u8(t, id); tb_u8(t, 0);
    tb_u32(t, addr); tb_u32(t, gsi);
}

static void madt_iso(struct tbl *t, uint8_t src, uint32_t gsi, uint16_t flags)
{
    tb_u8(t, 2); tb_u8(t, 10); tb_u8(t, 0); tb_u8(t, src);
    tb_u32(t, gsi); tb_u16(t, flags);
}

static void madt_lapic_override(struct tbl *t, uint64_t addr)
{
    tb_u8(t, 5); tb_u8(t, 12); tb_u16(t, 0); tb_u64(t, addr);
}

static void madt_x2apic(struct tbl *t, uint32_t id, uint32_t flags, uint32_t uid)
{
    tb_u8(t, 9); tb_u8(t, 16); tb_u16(t, 0);
    tb_u32(t, id); tb_u32(t, flags); tb_u32(t, uid);
}

/* The platform's MADT: 4 CPUs (APIC ID 6 disabled, 7 online-capable),
 * one IO APIC and the usual IRQ0 -> GSI2 override. */
static void build_madt(struct tbl *t)
{
    madt_init(t, 0xfee00000u, 1);
    madt_lapic(t, 0, 0, 1);
    madt_lapic(t, 1, 2, 1);
    madt_lapic(t, 2, 6, 0);
    madt_lapic(t, 3, 7, 2);
    madt_ioapic(t, 8, 0xfec00000u, 0);
    madt_iso(t, 0, 2, 0);
    madt_iso(t, 9, 9, 0x000d);
}

/* FADT (ACPI 6.4, 5.2.9): 'len' bytes, legacy fields filled in. */
static void fadt_init(struct tbl *t, uint32_t len, uint8_t rev, uint32_t flags)
{
    tb_init(t, "FACP", rev);
    tb_set32(t, 40, (uint32_t)PA_DSDT);
    tb_set16(t, 46, 9);                 /* SCI_INT */
    tb_set32(t, 64, 0x404);             /* PM1a_CNT_BLK */
    tb_set32(t, 68, 0);                 /* PM1b_CNT_BLK */
    tb_set32(t, 76, 0x408);             /* PM_TMR_BLK */
    tb_set32(t, 112, flags);
    t->len = len;                       /* may cut the fields above */
}

static void fadt_gas(struct tbl *t, size_t off, uint8_t space, uint64_t addr)
{
    uint8_t gas[12] = { space, 32, 0, 3 };

    memcpy(gas + 4, &addr, 8);
    tb_set(t, off, gas, sizeof(gas));
}

/* AML: Name (\_S5, Package (n) { a, b, ... }) with a chosen PkgLength width. */
static size_t aml_s5(uint8_t *out, bool root, const uint8_t *elems,
                     size_t elems_len, uint8_t num_elements, size_t pkglen_bytes)
{
    size_t n = 0, total = pkglen_bytes + 1 + elems_len, i;

    out[n++] = 0x08;
    if (root)
        out[n++] = '\\';
    memcpy(out + n, "_S5_", 4);
    n += 4;
    out[n++] = 0x12;
    if (pkglen_bytes == 1) {
        ck_assert_uint_lt(total, 64);
        out[n++] = (uint8_t)total;
    } else {
        out[n++] = (uint8_t)(((pkglen_bytes - 1) << 6) | (total & 0x0f));
        for (i = 1; i < pkglen_bytes; i++)
            out[n++] = (uint8_t)(total >> (4 + 8 * (i - 1)));
    }
    out[n++] = num_elements;
    memcpy(out + n, elems, elems_len);
    return n + elems_len;
}

static const uint8_t s5_elems[] = { 0x0a, 0x05, 0x0a, 0x07, 0x00, 0x00 };

static void put_dsdt(paddr_t pa)
{
    struct tbl t;
    uint8_t aml[64];
    /* Something before \_S5 so the scan has to walk: Name (_S4, ...) */
    static const uint8_t prelude[] = {
        0x08, '_', 'S', '4', '_', 0x12, 0x06, 0x04, 0x0a, 0x06, 0x0a, 0x06,
    };

    tb_init(&t, "DSDT", 2);
    tb_put(&t, prelude, sizeof(prelude));
    tb_put(&t, aml, aml_s5(aml, true, s5_elems, sizeof(s5_elems), 4, 1));
    tb_place(&t, pa);
}

/* A complete platform: RSDP v2 -> XSDT (MADT, FADT) and RSDT (FADT only),
 * so which root table was used shows in have_madt. */
static void build_platform(void)
{
    static const paddr_t xsdt_tables[] = { PA_SSDT, PA_MADT, PA_FADT };
    static const paddr_t rsdt_tables[] = { PA_FADT };
    struct tbl t;

    build_madt(&t);
    tb_place(&t, PA_MADT);
    fadt_init(&t, 276, 6, (1u << 8) | (1u << 10));
    fadt_gas(&t, 116, ACPI_GAS_IO, 0xcf9);
    tb_set(&t, 128, "\x06", 1);
    tb_place(&t, PA_FADT);
    tb_init(&t, "SSDT", 2);
    tb_u32(&t, 0xdeadbeef);
    tb_place(&t, PA_SSDT);
    put_dsdt(PA_DSDT);
    put_root(PA_XSDT, "XSDT", xsdt_tables, ARRAY_SIZE(xsdt_tables));
    put_root(PA_RSDT, "RSDT", rsdt_tables, ARRAY_SIZE(rsdt_tables));
    put_rsdp(PA_RSDP, 2, (uint32_t)PA_RSDT, PA_XSDT);
}

/* ---- checksum and RSDP -------------------------------------------------- */

START_TEST(test_checksum)
{
    uint8_t b[5] = { 1, 2, 3, 4, 0 };

    ck_assert(!acpi_checksum_ok(b, 5));
    b[4] = (uint8_t)-10;
    ck_assert(acpi_checksum_ok(b, 5));
    ck_assert(!acpi_checksum_ok(b, 4));
    ck_assert(acpi_checksum_ok(b, 0));
}
END_TEST

START_TEST(test_rsdp_valid)
{
    uint8_t r[36];

    make_rsdp(r, 0, 0x1000, 0);
    ck_assert_int_eq(acpi_rsdp_valid(r, 20), 0);
    ck_assert_int_eq(acpi_rsdp_valid(r, 19), -EINVAL);
    ck_assert_int_eq(acpi_rsdp_valid(NULL, 20), -EINVAL);
    r[16] ^= 1;                                 /* v1 checksum broken */
    ck_assert_int_eq(acpi_rsdp_valid(r, 20), -EINVAL);

    make_rsdp(r, 2, 0x1000, 0x2000);
    ck_assert_int_eq(acpi_rsdp_valid(r, 36), 0);
    ck_assert_int_eq(acpi_rsdp_valid(r, 35), -EINVAL);
    r[24] ^= 1;                                 /* only the extended sum covers it */
    ck_assert(acpi_checksum_ok(r, 20));
    ck_assert_int_eq(acpi_rsdp_valid(r, 36), -EINVAL);

    make_rsdp(r, 2, 0x1000, 0x2000);
    r[0] = 'r';
    ck_assert_int_eq(acpi_rsdp_valid(r, 36), -EINVAL);

    /* A length below 36 is invalid even with matching checksums. */
    make_rsdp(r, 2, 0x1000, 0x2000);
    r[20] = 20;
    r[8] = 0;
    r[8] = checksum_fix(r, 20);
    r[32] = 0;
    r[32] = checksum_fix(r, 36);
    ck_assert_int_eq(acpi_rsdp_valid(r, 36), -EINVAL);
}
END_TEST

START_TEST(test_scan_rsdp)
{
    uint8_t *area = calloc(1, 0x400);
    uint8_t r[36];

    ck_assert_ptr_nonnull(area);
    ck_assert_int_eq(acpi_scan_rsdp(area, 0x400), -1);
    /* A decoy with a bad checksum, and a good one off the 16-byte grid. */
    make_rsdp(r, 2, 0x1000, 0x2000);
    memcpy(area + 0x100, r, 36);
    area[0x100 + 32] ^= 0xff;
    memcpy(area + 0x208, r, 36);
    ck_assert_int_eq(acpi_scan_rsdp(area, 0x400), -1);
    memcpy(area + 0x300, r, 36);
    ck_assert_int_eq(acpi_scan_rsdp(area, 0x400), 0x300);
    /* Too close to the end of the area for its 36 bytes. */
    ck_assert_int_eq(acpi_scan_rsdp(area, 0x300 + 30), -1);
    ck_assert_int_eq(acpi_scan_rsdp(area, 10), -1);
    ck_assert_int_eq(acpi_scan_rsdp(area, 0), -1);
    free(area);
}
END_TEST

/* Scan the fake BIOS area exactly as the hypervisor scans 0xE0000-0xFFFFF. */
START_TEST(test_scan_then_parse)
{
    long off;

    build_platform();
    memcpy(at(PA_RSDP - 0x20), "RSD PTR ", 8);     /* bad checksum decoy */
    off = acpi_scan_rsdp(mem, MEM_SIZE);
    ck_assert_int_eq(off, (long)(PA_RSDP - MEM_BASE));
    ck_assert_int_eq(acpi_parse(&ops, MEM_BASE + (paddr_t)off, &info), 0);
    ck_assert(info.have_madt);
}
END_TEST

/* ---- root tables -------------------------------------------------------- */

START_TEST(test_full_platform_prefers_xsdt)
{
    build_platform();
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert_uint_eq(info.rsdp_addr, PA_RSDP);
    ck_assert_uint_eq(info.revision, 2);
    ck_assert_str_eq(info.oem_id, "OEMXYZ");
    ck_assert(info.used_xsdt);
    ck_assert_uint_eq(info.nr_tables, 3);
    ck_assert_uint_eq(info.bad_tables, 0);
    ck_assert(info.have_madt);
    ck_assert(info.have_fadt);
    ck_assert(info.have_s5);
    ck_assert_uint_eq(info.slp_typa, 5);
    ck_assert_uint_eq(info.slp_typb, 7);
    ck_assert_uint_eq(warn_calls, 0);
}
END_TEST

START_TEST(test_rsdt_when_no_xsdt_address)
{
    build_platform();
    put_rsdp(PA_RSDP, 2, (uint32_t)PA_RSDT, 0);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(!info.used_xsdt);
    ck_assert_uint_eq(info.nr_tables, 1);
    ck_assert(!info.have_madt);
    ck_assert(info.have_fadt);
}
END_TEST

START_TEST(test_rsdt_for_v1_rsdp)
{
    build_platform();
    memset(at(PA_RSDP), 0xff, 36);      /* garbage where a v2 XSDT field would be */
    put_rsdp(PA_RSDP, 0, (uint32_t)PA_RSDT, 0);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert_uint_eq(info.revision, 0);
    ck_assert(!info.used_xsdt);
    ck_assert(info.have_fadt);
    ck_assert(!info.have_madt);
}
END_TEST

START_TEST(test_bad_xsdt_falls_back_to_rsdt)
{
    build_platform();
    corrupt_checksum(PA_XSDT);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(!info.used_xsdt);
    ck_assert_uint_eq(info.bad_tables, 1);
    ck_assert(info.have_fadt);
    ck_assert(!info.have_madt);
    ck_assert_ptr_nonnull(strstr(last_warning, "XSDT"));
}
END_TEST

START_TEST(test_xsdt_outside_memory_falls_back)
{
    build_platform();
    put_rsdp(PA_RSDP, 2, (uint32_t)PA_RSDT, PA_NOWHERE);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(!info.used_xsdt);
    ck_assert(info.have_fadt);
    ck_assert_uint_eq(info.bad_tables, 1);
}
END_TEST

START_TEST(test_no_valid_root)
{
    build_platform();
    corrupt_checksum(PA_XSDT);
    corrupt_checksum(PA_RSDT);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), -ENOENT);
    ck_assert_uint_eq(info.bad_tables, 2);

    put_rsdp(PA_RSDP, 2, 0, 0);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), -ENOENT);
}
END_TEST

START_TEST(test_bad_rsdp)
{
    build_platform();
    at(PA_RSDP)[16] ^= 1;               /* RSDT address: v1 checksum breaks */
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), -EINVAL);
    ck_assert_uint_eq(warn_calls, 1);

    build_platform();
    at(PA_RSDP)[32] ^= 1;               /* extended checksum */
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), -EINVAL);

    build_platform();
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP + 16, &info), -EINVAL);
    ck_assert_int_eq(acpi_parse(&ops, PA_NOWHERE, &info), -EINVAL);
    /* A v2 RSDP that fits at the very end of memory is fine ... */
    put_rsdp(MEM_BASE + MEM_SIZE - 36, 2, (uint32_t)PA_RSDT, PA_XSDT);
    ck_assert_int_eq(acpi_parse(&ops, MEM_BASE + MEM_SIZE - 36, &info), 0);
    /* ... but in the last 20 bytes its 36 bytes cannot be mapped. */
    memmove(at(MEM_BASE + MEM_SIZE - 20), at(MEM_BASE + MEM_SIZE - 36), 20);
    ck_assert_int_eq(acpi_parse(&ops, MEM_BASE + MEM_SIZE - 20, &info), -EINVAL);
}
END_TEST

START_TEST(test_map_returns_null)
{
    static const struct acpi_ops nothing = { .map = null_map };
    static const struct acpi_ops no_map = { .map = NULL };
    uint8_t r[36];

    build_platform();
    ck_assert_int_eq(acpi_parse(&nothing, PA_RSDP, &info), -EINVAL);
    ck_assert_int_eq(acpi_parse(&no_map, PA_RSDP, &info), -EINVAL);
    ck_assert_int_eq(acpi_parse(NULL, PA_RSDP, &info), -EINVAL);
    make_rsdp(r, 2, (uint32_t)PA_RSDT, PA_XSDT);
    ck_assert_int_eq(acpi_parse_rsdp_copy(&nothing, r, 36, &info), -ENOENT);
}
END_TEST

START_TEST(test_listed_table_outside_memory)
{
    static const paddr_t tables[] = { PA_NOWHERE, 0, PA_MADT, PA_FADT };

    build_platform();
    put_root(PA_XSDT, "XSDT", tables, ARRAY_SIZE(tables));
    ck_assert_int_eq(acpi_parse(&quiet_ops, PA_RSDP, &info), 0);
    ck_assert(info.used_xsdt);
    ck_assert_uint_eq(info.nr_tables, 4);
    ck_assert_uint_eq(info.bad_tables, 1);
    ck_assert(info.have_madt);
    ck_assert(info.have_fadt);
}
END_TEST

START_TEST(test_rsdp_copy)
{
    uint8_t r[36];

    build_platform();
    make_rsdp(r, 2, (uint32_t)PA_RSDT, PA_XSDT);
    ck_assert_int_eq(acpi_parse_rsdp_copy(&ops, r, 36, &info), 0);
    ck_assert(info.used_xsdt);
    ck_assert(info.have_madt);
    ck_assert_uint_eq(info.rsdp_addr, 0);

    /* A 20-byte v1 copy, as the multiboot2 "old RSDP" tag carries. */
    make_rsdp(r, 0, (uint32_t)PA_RSDT, 0);
    ck_assert_int_eq(acpi_parse_rsdp_copy(&ops, r, 20, &info), 0);
    ck_assert(!info.used_xsdt);
    ck_assert(info.have_fadt);

    r[8] ^= 1;
    ck_assert_int_eq(acpi_parse_rsdp_copy(&ops, r, 20, &info), -EINVAL);
    make_rsdp(r, 2, (uint32_t)PA_RSDT, PA_XSDT);
    ck_assert_int_eq(acpi_parse_rsdp_copy(&ops, r, 20, &info), -EINVAL);
}
END_TEST

/* ---- MADT --------------------------------------------------------------- */

static void place_madt_only(const struct tbl *t)
{
    static const paddr_t tables[] = { PA_MADT };

    tb_place(t, PA_MADT);
    put_root(PA_RSDT, "RSDT", tables, 1);
    put_rsdp(PA_RSDP, 0, (uint32_t)PA_RSDT, 0);
}

START_TEST(test_madt_four_cpus_one_disabled)
{
    build_platform();
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert_uint_eq(info.lapic_addr, 0xfee00000u);
    ck_assert(info.pcat_compat);
    ck_assert_uint_eq(info.nr_cpus, 4);
    ck_assert_uint_eq(info.cpus[0].apic_id, 0);
    ck_assert_uint_eq(info.cpus[1].apic_id, 2);
    ck_assert_uint_eq(info.cpus[1].acpi_uid, 1);
    ck_assert_uint_eq(info.cpus[2].apic_id, 6);
    ck_assert_uint_eq(info.cpus[3].apic_id, 7);
    ck_assert(info.cpus[0].enabled);
    ck_assert(info.cpus[1].enabled);
    ck_assert(!info.cpus[2].enabled);
    ck_assert(info.cpus[3].enabled);        /* online capable */
}
END_TEST

START_TEST(test_madt_ioapic_and_overrides)
{
    struct tbl t;

    build_platform();
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert_uint_eq(info.nr_ioapics, 1);
    ck_assert_uint_eq(info.ioapics[0].id, 8);
    ck_assert_uint_eq(info.ioapics[0].address, 0xfec00000u);
    ck_assert_uint_eq(info.ioapics[0].gsi_base, 0);
    ck_assert_uint_eq(info.nr_isos, 2);
    ck_assert_uint_eq(info.isos[0].source, 0);
    ck_assert_uint_eq(info.isos[0].gsi, 2);
    ck_assert_uint_eq(info.isos[1].source, 9);
    ck_assert_uint_eq(info.isos[1].gsi, 9);
    ck_assert_uint_eq(info.isos[1].flags, 0x000d);

    /* Two IO APICs, and the 64-bit address override before the CPUs. */
    madt_init(&t, 0xfee00000u, 0);
    madt_lapic_override(&t, 0x1fee00000ull);
    madt_lapic(&t, 0, 0, 1);
    madt_ioapic(&t, 0, 0xfec00000u, 0);
    madt_ioapic(&t, 1, 0xfec01000u, 24);
    place_madt_only(&t);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert_uint_eq(info.lapic_addr, 0x1fee00000ull);
    ck_assert(!info.pcat_compat);
    ck_assert_uint_eq(info.nr_ioapics, 2);
    ck_assert_uint_eq(info.ioapics[1].address, 0xfec01000u);
    ck_assert_uint_eq(info.ioapics[1].gsi_base, 24);
}
END_TEST

START_TEST(test_madt_x2apic)
{
    struct tbl t;

    madt_init(&t, 0xfee00000u, 0);
    madt_lapic(&t, 0, 0, 1);
    madt_x2apic(&t, 0, 1, 0);               /* same CPU again: not counted twice */
    madt_x2apic(&t, 300, 1, 7);
    madt_x2apic(&t, 0x10000, 0, 8);
    madt_x2apic(&t, 301, 2, 9);
    place_madt_only(&t);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert_uint_eq(info.nr_cpus, 4);
    ck_assert_uint_eq(info.cpus[1].apic_id, 300);
    ck_assert_uint_eq(info.cpus[1].acpi_uid, 7);
    ck_assert(info.cpus[1].enabled);
    ck_assert_uint_eq(info.cpus[2].apic_id, 0x10000);
    ck_assert(!info.cpus[2].enabled);
    ck_assert_uint_eq(info.cpus[3].apic_id, 301);
    ck_assert(info.cpus[3].enabled);
}
END_TEST

START_TEST(test_madt_too_many_entries)
{
    struct tbl t;
    uint32_t i;

    madt_init(&t, 0xfee00000u, 0);
    for (i = 0; i < ACPI_MAX_CPUS + 20; i++)
        madt_x2apic(&t, i, 1, i);
    for (i = 0; i < ACPI_MAX_IOAPICS + 2; i++)
        madt_ioapic(&t, (uint8_t)i, 0xfec00000u + i * 0x1000, i * 24);
    for (i = 0; i < ACPI_MAX_ISO + 2; i++)
        madt_iso(&t, (uint8_t)i, i, 0);
    place_madt_only(&t);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert_uint_eq(info.nr_cpus, ACPI_MAX_CPUS);
    ck_assert_uint_eq(info.cpus[ACPI_MAX_CPUS - 1].apic_id, ACPI_MAX_CPUS - 1);
    ck_assert_uint_eq(info.nr_ioapics, ACPI_MAX_IOAPICS);
    ck_assert_uint_eq(info.nr_isos, ACPI_MAX_ISO);
    ck_assert_uint_gt(warn_calls, 0);
}
END_TEST

START_TEST(test_madt_truncated_entry)
{
    struct tbl t;

    /* An entry claiming length 0 ends the walk; what came before stays. */
    madt_init(&t, 0xfee00000u, 0);
    madt_lapic(&t, 0, 0, 1);
    tb_u8(&t, 0);
    tb_u8(&t, 0);
    madt_lapic(&t, 1, 1, 1);
    place_madt_only(&t);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(info.have_madt);
    ck_assert_uint_eq(info.nr_cpus, 1);
    ck_assert_uint_eq(warn_calls, 1);
    ck_assert_ptr_nonnull(strstr(last_warning, "MADT"));

    /* The last entry runs past the table's end. */
    madt_init(&t, 0xfee00000u, 0);
    madt_lapic(&t, 0, 0, 1);
    madt_ioapic(&t, 0, 0xfec00000u, 0);
    t.len -= 4;
    warn_calls = 0;
    place_madt_only(&t);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert_uint_eq(info.nr_cpus, 1);
    ck_assert_uint_eq(info.nr_ioapics, 0);
    ck_assert_uint_eq(warn_calls, 1);

    /* A known type shorter than its structure is skipped, not trusted. */
    madt_init(&t, 0xfee00000u, 0);
    tb_u8(&t, 0); tb_u8(&t, 4); tb_u8(&t, 0); tb_u8(&t, 5);
    madt_lapic(&t, 1, 1, 1);
    place_madt_only(&t);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert_uint_eq(info.nr_cpus, 1);
    ck_assert_uint_eq(info.cpus[0].apic_id, 1);
}
END_TEST

START_TEST(test_madt_every_length)
{
    struct tbl t;
    uint32_t len;

    build_madt(&t);
    for (len = 36; len <= t.len; len++) {
        static const paddr_t tables[] = { PA_MADT };

        tb_place_len(&t, PA_MADT, len);
        put_root(PA_RSDT, "RSDT", tables, 1);
        put_rsdp(PA_RSDP, 0, (uint32_t)PA_RSDT, 0);
        ck_assert_int_eq(acpi_parse(&quiet_ops, PA_RSDP, &info), 0);
        ck_assert(info.have_madt == (len >= 44));
        ck_assert_uint_eq(info.bad_tables, len < 44);
        ck_assert_uint_le(info.nr_cpus, 4);
    }
    ck_assert_uint_eq(info.nr_cpus, 4);
    ck_assert_uint_eq(info.nr_isos, 2);
}
END_TEST

START_TEST(test_bad_madt_checksum_skipped)
{
    static const paddr_t tables[] = { PA_MADT, PA_MADT2, PA_FADT };
    struct tbl t;

    build_platform();
    corrupt_checksum(PA_MADT);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(!info.have_madt);
    ck_assert_uint_eq(info.bad_tables, 1);
    ck_assert(info.have_fadt);
    ck_assert_ptr_nonnull(strstr(last_warning, "checksum"));

    /* A good MADT listed after the bad one is used. */
    madt_init(&t, 0xfee00000u, 0);
    madt_lapic(&t, 0, 3, 1);
    tb_place(&t, PA_MADT2);
    put_root(PA_XSDT, "XSDT", tables, ARRAY_SIZE(tables));
    put_rsdp(PA_RSDP, 2, (uint32_t)PA_RSDT, PA_XSDT);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(info.have_madt);
    ck_assert_uint_eq(info.nr_cpus, 1);
    ck_assert_uint_eq(info.cpus[0].apic_id, 3);
    ck_assert_uint_eq(info.bad_tables, 1);
}
END_TEST

START_TEST(test_table_length_too_small_or_huge)
{
    build_platform();
    memcpy(at(PA_MADT) + 4, "\x10\x00\x00\x00", 4);          /* 16 < 36 */
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(!info.have_madt);
    ck_assert_uint_eq(info.bad_tables, 1);

    build_platform();
    memcpy(at(PA_MADT) + 4, "\x00\x00\x00\x80", 4);          /* 2 GiB */
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(!info.have_madt);
    ck_assert_uint_eq(info.bad_tables, 1);
}
END_TEST

/* ---- FADT --------------------------------------------------------------- */

static void place_fadt_only(const struct tbl *t)
{
    static const paddr_t tables[] = { PA_FADT };

    tb_place(t, PA_FADT);
    put_root(PA_RSDT, "RSDT", tables, 1);
    put_rsdp(PA_RSDP, 0, (uint32_t)PA_RSDT, 0);
}

START_TEST(test_fadt_legacy)
{
    struct tbl t;

    put_dsdt(PA_DSDT);
    fadt_init(&t, 116, 1, 1u << 10);    /* RESET_REG_SUP, but no room for it */
    place_fadt_only(&t);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(info.have_fadt);
    ck_assert_uint_eq(info.dsdt_addr, PA_DSDT);
    ck_assert_uint_eq(info.sci_irq, 9);
    ck_assert_uint_eq(info.pm1a_cnt_port, 0x404);
    ck_assert_uint_eq(info.pm1b_cnt_port, 0);
    ck_assert_uint_eq(info.pm_tmr_port, 0x408);
    ck_assert(!info.pm_tmr_32bit);
    ck_assert(!info.have_reset_reg);
    ck_assert(info.have_s5);
}
END_TEST

START_TEST(test_fadt_too_short)
{
    struct tbl t;

    fadt_init(&t, 115, 1, 0);
    place_fadt_only(&t);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(!info.have_fadt);
    ck_assert_uint_eq(info.bad_tables, 1);
    ck_assert(!info.have_s5);
}
END_TEST

START_TEST(test_fadt_x_fields)
{
    struct tbl t;

    put_dsdt(PA_DSDT + 0x800);
    fadt_init(&t, 276, 6, 1u << 8);
    tb_set64(&t, 140, PA_DSDT + 0x800);         /* X_DSDT wins over DSDT */
    fadt_gas(&t, 172, ACPI_GAS_IO, 0x604);
    fadt_gas(&t, 184, ACPI_GAS_IO, 0x608);
    fadt_gas(&t, 208, ACPI_GAS_IO, 0x610);
    place_fadt_only(&t);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert_uint_eq(info.dsdt_addr, PA_DSDT + 0x800);
    ck_assert(info.have_s5);
    ck_assert_uint_eq(info.pm1a_cnt_port, 0x604);
    ck_assert_uint_eq(info.pm1b_cnt_port, 0x608);
    ck_assert_uint_eq(info.pm_tmr_port, 0x610);
    ck_assert(info.pm_tmr_32bit);

    /* Memory-space or zero X_ blocks fall back to the legacy ports. */
    fadt_gas(&t, 172, ACPI_GAS_MEMORY, 0x1000);
    fadt_gas(&t, 184, ACPI_GAS_IO, 0x12345);    /* no such I/O port */
    fadt_gas(&t, 208, ACPI_GAS_IO, 0);
    tb_set64(&t, 140, 0);
    place_fadt_only(&t);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert_uint_eq(info.dsdt_addr, PA_DSDT);
    ck_assert_uint_eq(info.pm1a_cnt_port, 0x404);
    ck_assert_uint_eq(info.pm1b_cnt_port, 0);
    ck_assert_uint_eq(info.pm_tmr_port, 0x408);

    /* A table too short for X_PM_TMR_BLK uses PM_TMR_BLK. */
    fadt_init(&t, 208, 3, 0);
    fadt_gas(&t, 172, ACPI_GAS_IO, 0x604);
    t.len = 208;
    place_fadt_only(&t);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert_uint_eq(info.pm1a_cnt_port, 0x604);
    ck_assert_uint_eq(info.pm_tmr_port, 0x408);
}
END_TEST

START_TEST(test_fadt_reset_register)
{
    struct tbl t;

    build_platform();
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(info.have_reset_reg);
    ck_assert_uint_eq(info.reset_reg.space_id, ACPI_GAS_IO);
    ck_assert_uint_eq(info.reset_reg.address, 0xcf9);
    ck_assert_uint_eq(info.reset_reg.bit_width, 32);
    ck_assert_uint_eq(info.reset_value, 6);

    /* RESET_REG_SUP clear: the register is not to be used. */
    fadt_init(&t, 244, 3, 0);
    fadt_gas(&t, 116, ACPI_GAS_IO, 0xcf9);
    tb_set(&t, 128, "\x06", 1);
    place_fadt_only(&t);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(!info.have_reset_reg);

    /* Supported but with a zero address. */
    fadt_init(&t, 244, 3, 1u << 10);
    fadt_gas(&t, 116, ACPI_GAS_IO, 0);
    place_fadt_only(&t);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(!info.have_reset_reg);

    /* A memory-mapped reset register is passed through as it is. */
    fadt_init(&t, 244, 3, 1u << 10);
    fadt_gas(&t, 116, ACPI_GAS_MEMORY, 0xfed00080u);
    tb_set(&t, 128, "\x0e", 1);
    place_fadt_only(&t);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(info.have_reset_reg);
    ck_assert_uint_eq(info.reset_reg.space_id, ACPI_GAS_MEMORY);
    ck_assert_uint_eq(info.reset_reg.address, 0xfed00080u);
    ck_assert_uint_eq(info.reset_value, 0x0e);
}
END_TEST

START_TEST(test_fadt_every_length)
{
    struct tbl t;
    uint32_t len;

    put_dsdt(PA_DSDT);
    fadt_init(&t, 276, 6, (1u << 8) | (1u << 10));
    fadt_gas(&t, 116, ACPI_GAS_IO, 0xcf9);
    fadt_gas(&t, 208, ACPI_GAS_IO, 0x610);
    for (len = 36; len <= 276; len++) {
        static const paddr_t tables[] = { PA_FADT };

        tb_place_len(&t, PA_FADT, len);
        put_root(PA_RSDT, "RSDT", tables, 1);
        put_rsdp(PA_RSDP, 0, (uint32_t)PA_RSDT, 0);
        ck_assert_int_eq(acpi_parse(&quiet_ops, PA_RSDP, &info), 0);
        ck_assert(info.have_fadt == (len >= 116));
        ck_assert(info.have_reset_reg == (len >= 129));
        ck_assert_uint_eq(info.pm_tmr_port, len >= 220 ? 0x610 : len >= 116 ? 0x408 : 0);
    }
}
END_TEST

START_TEST(test_dsdt_bad_checksum)
{
    build_platform();
    corrupt_checksum(PA_DSDT);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(info.have_fadt);
    ck_assert(!info.have_s5);
    ck_assert_uint_eq(info.bad_tables, 1);

    build_platform();
    memcpy(at(PA_DSDT), "SSDT", 4);
    ck_assert_int_eq(acpi_parse(&ops, PA_RSDP, &info), 0);
    ck_assert(!info.have_s5);
    ck_assert_uint_eq(info.bad_tables, 1);
}
END_TEST

/* ---- \_S5 --------------------------------------------------------------- */

/* acpi_find_s5 over an exactly-sized heap copy. */
static int find_s5(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b)
{
    uint8_t *copy = malloc(len ? len : 1);
    int rc;

    ck_assert_ptr_nonnull(copy);
    memcpy(copy, aml, len);
    rc = acpi_find_s5(copy, len, a, b);
    free(copy);
    return rc;
}

START_TEST(test_s5_byteconst)
{
    uint8_t aml[64], a = 0xff, b = 0xff;
    size_t n = aml_s5(aml, false, s5_elems, sizeof(s5_elems), 4, 1);

    ck_assert_int_eq(find_s5(aml, n, &a, &b), 0);
    ck_assert_uint_eq(a, 5);
    ck_assert_uint_eq(b, 7);
}
END_TEST

START_TEST(test_s5_zero_one_and_raw)
{
    static const uint8_t zero_one[] = { 0x00, 0x01 };
    static const uint8_t raw[] = { 0x07, 0x0a, 0x03 };
    static const uint8_t word[] = { 0x0b, 0x05, 0x00, 0x0c, 0x06, 0, 0, 0 };
    uint8_t aml[64], a, b;
    size_t n;

    n = aml_s5(aml, true, zero_one, sizeof(zero_one), 2, 1);
    ck_assert_int_eq(find_s5(aml, n, &a, &b), 0);
    ck_assert_uint_eq(a, 0);
    ck_assert_uint_eq(b, 1);

    n = aml_s5(aml, false, raw, sizeof(raw), 2, 1);
    ck_assert_int_eq(find_s5(aml, n, &a, &b), 0);
    ck_assert_uint_eq(a, 7);
    ck_assert_uint_eq(b, 3);

    n = aml_s5(aml, false, word, sizeof(word), 2, 1);
    ck_assert_int_eq(find_s5(aml, n, &a, &b), 0);
    ck_assert_uint_eq(a, 5);
    ck_assert_uint_eq(b, 6);
}
END_TEST

START_TEST(test_s5_multibyte_pkglength)
{
    uint8_t elems[400], aml[512], a, b;
    size_t n, bytes;

    memset(elems, 0x00, sizeof(elems));
    elems[0] = 0x0a;
    elems[1] = 0x03;
    elems[2] = 0x0a;
    elems[3] = 0x04;
    for (bytes = 2; bytes <= 4; bytes++) {
        n = aml_s5(aml, true, elems, sizeof(elems), 4, bytes);
        a = b = 0;
        ck_assert_int_eq(find_s5(aml, n, &a, &b), 0);
        ck_assert_uint_eq(a, 3);
        ck_assert_uint_eq(b, 4);
        /* One byte short of the declared package: not trusted. */
        ck_assert_int_eq(find_s5(aml, n - 1, &a, &b), -ENOENT);
    }
    /* Reserved bits 5-4 set in a multi-byte lead byte. */
    n = aml_s5(aml, false, elems, sizeof(elems), 4, 2);
    aml[6] |= 0x10;
    ck_assert_int_eq(find_s5(aml, n, &a, &b), -ENOENT);
}
END_TEST

START_TEST(test_s5_absent)
{
    static const uint8_t aml[] = {
        0x08, '_', 'S', '4', '_', 0x12, 0x06, 0x04, 0x0a, 0x06, 0x0a, 0x06,
        0x0d, '_', 'S', '5', '_', 0x00,             /* a string, not a Name */
    };
    uint8_t a, b;

    ck_assert_int_eq(find_s5(aml, sizeof(aml), &a, &b), -ENOENT);
    ck_assert_int_eq(find_s5(aml, 0, &a, &b), -ENOENT);
    ck_assert_int_eq(acpi_find_s5(NULL, 0, &a, &b), -ENOENT);
}
END_TEST

START_TEST(test_s5_truncated_after_name)
{
    uint8_t aml[64], a, b;
    size_t full = aml_s5(aml, true, s5_elems, sizeof(s5_elems), 4, 1), len;

    ck_assert_int_eq(find_s5(aml, 6, &a, &b), -ENOENT);     /* ends at "_S5_" */
    for (len = 0; len < full; len++)
        ck_assert_int_eq(find_s5(aml, len, &a, &b), -ENOENT);
    ck_assert_int_eq(find_s5(aml, full, &a, &b), 0);
}
END_TEST

START_TEST(test_s5_skips_unusable_candidates)
{
    static const uint8_t bad_then_good[] = {
        0x08, '_', 'S', '5', '_', 0x0a, 0x05,               /* not a Package */
        0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x01, 0x0a, 0x09, 0x00, /* 1 element */
        0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x02, 0x01,
    };
    uint8_t a, b;

    ck_assert_int_eq(find_s5(bad_then_good, sizeof(bad_then_good), &a, &b), 0);
    ck_assert_uint_eq(a, 2);
    ck_assert_uint_eq(b, 1);
    /* PkgLength too small to hold NumElements. */
    ck_assert_int_eq(find_s5((const uint8_t[]){ 0x08, '_', 'S', '5', '_', 0x12,
                                                0x01, 0x02, 0x00, 0x00 },
                             10, &a, &b), -ENOENT);
    /* ByteConst whose byte lies outside the package. */
    ck_assert_int_eq(find_s5((const uint8_t[]){ 0x08, '_', 'S', '5', '_', 0x12,
                                                0x04, 0x02, 0x00, 0x0a, 0x05 },
                             11, &a, &b), -ENOENT);
}
END_TEST

Suite *acpi_suite(void)
{
    Suite *s = suite_create("acpi");
    TCase *rsdp = tcase_create("rsdp");
    TCase *root = tcase_create("root tables");
    TCase *madt = tcase_create("madt");
    TCase *fadt = tcase_create("fadt");
    TCase *s5 = tcase_create("s5");

    tcase_add_checked_fixture(rsdp, mem_setup, mem_teardown);
    tcase_add_test(rsdp, test_checksum);
    tcase_add_test(rsdp, test_rsdp_valid);
    tcase_add_test(rsdp, test_scan_rsdp);
    tcase_add_test(rsdp, test_scan_then_parse);
    tcase_add_test(rsdp, test_bad_rsdp);
    tcase_add_test(rsdp, test_rsdp_copy);
    suite_add_tcase(s, rsdp);

    tcase_add_checked_fixture(root, mem_setup, mem_teardown);
    tcase_add_test(root, test_full_platform_prefers_xsdt);
    tcase_add_test(root, test_rsdt_when_no_xsdt_address);
    tcase_add_test(root, test_rsdt_for_v1_rsdp);
    tcase_add_test(root, test_bad_xsdt_falls_back_to_rsdt);
    tcase_add_test(root, test_xsdt_outside_memory_falls_back);
    tcase_add_test(root, test_no_valid_root);
    tcase_add_test(root, test_map_returns_null);
    tcase_add_test(root, test_listed_table_outside_memory);
    tcase_add_test(root, test_table_length_too_small_or_huge);
    suite_add_tcase(s, root);

    tcase_add_checked_fixture(madt, mem_setup, mem_teardown);
    tcase_add_test(madt, test_madt_four_cpus_one_disabled);
    tcase_add_test(madt, test_madt_ioapic_and_overrides);
    tcase_add_test(madt, test_madt_x2apic);
    tcase_add_test(madt, test_madt_too_many_entries);
    tcase_add_test(madt, test_madt_truncated_entry);
    tcase_add_test(madt, test_madt_every_length);
    tcase_add_test(madt, test_bad_madt_checksum_skipped);
    suite_add_tcase(s, madt);

    tcase_add_checked_fixture(fadt, mem_setup, mem_teardown);
    tcase_add_test(fadt, test_fadt_legacy);
    tcase_add_test(fadt, test_fadt_too_short);
    tcase_add_test(fadt, test_fadt_x_fields);
    tcase_add_test(fadt, test_fadt_reset_register);
    tcase_add_test(fadt, test_fadt_every_length);
    tcase_add_test(fadt, test_dsdt_bad_checksum);
    suite_add_tcase(s, fadt);

    tcase_add_test(s5, test_s5_byteconst);
    tcase_add_test(s5, test_s5_zero_one_and_raw);
    tcase_add_test(s5, test_s5_multibyte_pkglength);
    tcase_add_test(s5, test_s5_absent);
    tcase_add_test(s5, test_s5_truncated_after_name);
    tcase_add_test(s5, test_s5_skips_unusable_candidates);
    suite_add_tcase(s, s5);
    return s;
}
