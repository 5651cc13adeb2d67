/*
 * ACPI table discovery (ACPI 6.4): RSDP -> XSDT/RSDT -> MADT, FADT -> DSDT.
 *
 * Memory is reached only through ops->map.  The parser assumes map() may
 * reuse a single window, so a mapped pointer is never used after the next
 * map() call: values needed later are copied out first.  Tables are not
 * aligned, so every multi-byte field is read with memcpy.
 */
#include <sv/acpi.h>
#include <sv/errno.h>
#include <sv/string.h>
#include <sv/unaligned.h>

/* 5.2.5.3 Root System Description Pointer structure. */
#define RSDP_SIGNATURE     "RSD PTR "
#define RSDP_SIG_LEN       8u
#define RSDP_V1_SIZE       20u
#define RSDP_V2_SIZE       36u
#define RSDP_OEMID         9u
#define RSDP_REVISION      15u
#define RSDP_RSDT_ADDR     16u
#define RSDP_LENGTH        20u
#define RSDP_XSDT_ADDR     24u
#define RSDP_ALIGN         16u
/* Revision 2 (ACPI 2.0) introduced the length field and the XSDT. */
#define RSDP_REV_XSDT      2u

/* 5.2.6 System Description Table Header. */
#define ACPI_HDR_SIZE      36u
#define ACPI_HDR_LENGTH    4u

/* 5.2.12 MADT: local APIC address, flags, then interrupt controller entries. */
#define MADT_LAPIC_ADDR    36u
#define MADT_FLAGS         40u
#define MADT_ENTRIES       44u
#define MADT_PCAT_COMPAT   (1u << 0)

enum madt_entry_type {                  /* 5.2.12, table 5.45 */
    MADT_LOCAL_APIC = 0,
    MADT_IO_APIC = 1,
    MADT_INT_SRC_OVERRIDE = 2,
    MADT_LAPIC_ADDR_OVERRIDE = 5,
    MADT_LOCAL_X2APIC = 9,
};

/* Entry sizes fixed by 5.2.12.2, .3, .5, .8 and .12. */
#define MADT_LOCAL_APIC_LEN         8u
#define MADT_IO_APIC_LEN            12u
#define MADT_INT_SRC_OVERRIDE_LEN   10u
#define MADT_LAPIC_ADDR_OVERRIDE_LEN 12u
#define MADT_LOCAL_X2APIC_LEN       16u
#define MADT_CPU_ENABLED            (1u << 0)
#define MADT_CPU_ONLINE_CAPABLE     (1u << 1)

/* 5.2.9 FADT field offsets. */
#define FADT_DSDT          40u
#define FADT_SCI_INT       46u
#define FADT_PM1A_CNT_BLK  64u
#define FADT_PM1B_CNT_BLK  68u
#define FADT_PM_TMR_BLK    76u
#define FADT_FLAGS         112u
#define FADT_RESET_REG     116u
#define FADT_RESET_VALUE   128u
#define FADT_X_DSDT        140u
#define FADT_X_PM1A_CNT_BLK 172u
#define FADT_X_PM1B_CNT_BLK 184u
#define FADT_X_PM_TMR_BLK  208u
/* The ACPI 1.0 FADT ends right after the flags. */
#define FADT_MIN_LEN       116u
#define FADT_TMR_VAL_EXT   (1u << 8)
#define FADT_RESET_REG_SUP (1u << 10)
#define ACPI_GAS_SIZE      12u

/* 20.2.5.4 / 20.2.3 AML opcodes used to find \_S5. */
#define AML_ZERO_OP        0x00
#define AML_ONE_OP         0x01
#define AML_NAME_OP        0x08
#define AML_BYTE_PREFIX    0x0A
#define AML_WORD_PREFIX    0x0B
#define AML_DWORD_PREFIX   0x0C
#define AML_QWORD_PREFIX   0x0E
#define AML_PACKAGE_OP     0x12
#define AML_ROOT_CHAR      '\\'

_Static_assert(sizeof(struct acpi_gas) == ACPI_GAS_SIZE,
               "Generic Address Structure is 12 bytes (5.2.3.2)");

struct acpi_ctx {
    const struct acpi_ops *ops;
    struct acpi_info *out;
};

#define acpi_warn(ctx, ...)                          \
    do {                                             \
        if ((ctx)->ops->warn)                        \
            (ctx)->ops->warn(__VA_ARGS__);           \
    } while (0)

static const uint8_t *map_bytes(const struct acpi_ctx *c, paddr_t pa, size_t len)
{
    return c->ops->map(pa, len);
}

bool acpi_checksum_ok(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    while (len--)
        sum = (uint8_t)(sum + *b++);
    return sum == 0;
}

/* 5.2.5.3: the first checksum covers the ACPI 1.0 part only; revision 2+
 * adds a length and an extended checksum over the whole structure. */
int acpi_rsdp_valid(const void *rsdp, size_t avail)
{
    const uint8_t *p = rsdp;
    uint32_t len;

    if (!p || avail < RSDP_V1_SIZE || memcmp(p, RSDP_SIGNATURE, RSDP_SIG_LEN))
        return -EINVAL;
    if (!acpi_checksum_ok(p, RSDP_V1_SIZE))
        return -EINVAL;
    if (p[RSDP_REVISION] < RSDP_REV_XSDT)
        return 0;
    if (avail < RSDP_V2_SIZE)
        return -EINVAL;
    len = rd32(p + RSDP_LENGTH);
    if (len < RSDP_V2_SIZE || len > avail || !acpi_checksum_ok(p, len))
        return -EINVAL;
    return 0;
}

/* 5.2.5.1: the RSDP sits on a 16-byte boundary. */
long acpi_scan_rsdp(const void *area, size_t len)
{
    const uint8_t *p = area;
    size_t off;

    for (off = 0; len >= RSDP_V1_SIZE && off <= len - RSDP_V1_SIZE;
         off += RSDP_ALIGN) {
        if (acpi_rsdp_valid(p + off, len - off) == 0)
            return (long)off;
    }
    return -1;
}

static void count_bad(struct acpi_ctx *c, paddr_t pa, const char *sig,
                      const char *why)
{
    c->out->bad_tables++;
    acpi_warn(c, "ACPI: %.4s at %#llx: %s, skipped", sig,
              (unsigned long long)pa, why);
}

/*
 * Map the table at pa: its header first (to learn its length), then the
 * whole of it.  Returns the table with *len set, or NULL after counting it
 * as bad.  The returned pointer is valid until the next map().
 */
static const uint8_t *map_table(struct acpi_ctx *c, paddr_t pa, const char *sig,
                                uint32_t *len)
{
    const uint8_t *t;

    if (pa == 0) {
        count_bad(c, pa, sig, "null address");
        return NULL;
    }
    t = map_bytes(c, pa, ACPI_HDR_SIZE);
    if (!t) {
        count_bad(c, pa, sig, "header cannot be mapped");
        return NULL;
    }
    if (memcmp(t, sig, 4)) {
        count_bad(c, pa, sig, "wrong signature");
        return NULL;
    }
    *len = rd32(t + ACPI_HDR_LENGTH);
    if (*len < ACPI_HDR_SIZE) {
        count_bad(c, pa, sig, "length below header size");
        return NULL;
    }
    t = map_bytes(c, pa, *len);
    if (!t) {
        count_bad(c, pa, sig, "table cannot be mapped");
        return NULL;
    }
    if (!acpi_checksum_ok(t, *len)) {
        count_bad(c, pa, sig, "bad checksum");
        return NULL;
    }
    return t;
}

/* ---- MADT (5.2.12) ------------------------------------------------------ */

static bool have_cpu(const struct acpi_info *out, uint32_t apic_id)
{
    unsigned int i;

    for (i = 0; i < out->nr_cpus; i++)
        if (out->cpus[i].apic_id == apic_id)
            return true;
    return false;
}

/* 5.2.12.2: a processor neither enabled nor online-capable must not be
 * used, but is still listed so the count of described CPUs is right.
 * The same APIC ID listed twice (x2APIC and xAPIC) is one CPU. */
static void add_cpu(struct acpi_ctx *c, uint32_t apic_id, uint32_t uid,
                    uint32_t flags)
{
    struct acpi_info *out = c->out;

    if (have_cpu(out, apic_id))
        return;
    if (out->nr_cpus >= ACPI_MAX_CPUS) {
        acpi_warn(c, "ACPI: MADT: more than %u CPUs, ignoring APIC ID %u",
                  (unsigned int)ACPI_MAX_CPUS, (unsigned int)apic_id);
        return;
    }
    out->cpus[out->nr_cpus].apic_id = apic_id;
    out->cpus[out->nr_cpus].acpi_uid = uid;
    out->cpus[out->nr_cpus].enabled =
        (flags & (MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE)) != 0;
    out->nr_cpus++;
}

static void madt_ioapic(struct acpi_ctx *c, const uint8_t *e)
{
    struct acpi_info *out = c->out;
    struct acpi_ioapic *io;

    if (out->nr_ioapics >= ACPI_MAX_IOAPICS) {
        acpi_warn(c, "ACPI: MADT: more than %u IO APICs",
                  (unsigned int)ACPI_MAX_IOAPICS);
        return;
    }
    io = &out->ioapics[out->nr_ioapics++];
    io->id = e[2];
    io->address = rd32(e + 4);
    io->gsi_base = rd32(e + 8);
}

static void madt_iso(struct acpi_ctx *c, const uint8_t *e)
{
    struct acpi_info *out = c->out;
    struct acpi_iso *iso;

    if (out->nr_isos >= ACPI_MAX_ISO) {
        acpi_warn(c, "ACPI: MADT: more than %u interrupt overrides",
                  (unsigned int)ACPI_MAX_ISO);
        return;
    }
    iso = &out->isos[out->nr_isos++];
    iso->bus = e[2];
    iso->source = e[3];
    iso->gsi = rd32(e + 4);
    iso->flags = rd16(e + 8);
}

/* Length each known entry type needs; 0 for types this parser skips. */
static uint8_t madt_entry_min_len(uint8_t type)
{
    switch (type) {
    case MADT_LOCAL_APIC:          return MADT_LOCAL_APIC_LEN;
    case MADT_IO_APIC:             return MADT_IO_APIC_LEN;
    case MADT_INT_SRC_OVERRIDE:    return MADT_INT_SRC_OVERRIDE_LEN;
    case MADT_LAPIC_ADDR_OVERRIDE: return MADT_LAPIC_ADDR_OVERRIDE_LEN;
    case MADT_LOCAL_X2APIC:        return MADT_LOCAL_X2APIC_LEN;
    default:                       return 0;
    }
}

static void madt_entry(struct acpi_ctx *c, const uint8_t *e)
{
    switch (e[0]) {
    case MADT_LOCAL_APIC:
        add_cpu(c, e[3], e[2], rd32(e + 4));
        break;
    case MADT_IO_APIC:
        madt_ioapic(c, e);
        break;
    case MADT_INT_SRC_OVERRIDE:
        madt_iso(c, e);
        break;
    case MADT_LAPIC_ADDR_OVERRIDE:
        /* 5.2.12.8: when present it supersedes the 32-bit header field. */
        c->out->lapic_addr = rd64(e + 4);
        break;
    case MADT_LOCAL_X2APIC:
        add_cpu(c, rd32(e + 4), rd32(e + 12), rd32(e + 8));
        break;
    default:
        break;
    }
}

static void parse_madt(struct acpi_ctx *c, const uint8_t *t, uint32_t len)
{
    struct acpi_info *out = c->out;
    size_t off;

    if (len < MADT_ENTRIES) {
        c->out->bad_tables++;
        acpi_warn(c, "ACPI: MADT: too short (%u bytes), skipped",
                  (unsigned int)len);
        return;
    }
    out->have_madt = true;
    out->lapic_addr = rd32(t + MADT_LAPIC_ADDR);
    out->pcat_compat = (rd32(t + MADT_FLAGS) & MADT_PCAT_COMPAT) != 0;
    for (off = MADT_ENTRIES; len - off >= 2; off += t[off + 1]) {
        uint8_t type = t[off], elen = t[off + 1];

        if (elen < 2 || elen > len - off) {
            acpi_warn(c, "ACPI: MADT: entry type %u at offset %u has bad "
                      "length %u, ignoring the rest", (unsigned int)type,
                      (unsigned int)off, (unsigned int)elen);
            return;
        }
        if (elen < madt_entry_min_len(type)) {
            acpi_warn(c, "ACPI: MADT: entry type %u too short (%u), skipped",
                      (unsigned int)type, (unsigned int)elen);
            continue;
        }
        madt_entry(c, t + off);
    }
}

/* ---- FADT (5.2.9) ------------------------------------------------------- */

static bool fadt_has(uint32_t len, uint32_t off, uint32_t size)
{
    return len >= off && len - off >= size;
}

/* 5.2.9: an X_ block supersedes the legacy port when it is present,
 * non-zero and in I/O space; a memory-space block cannot be a port. */
static uint32_t fadt_port(const uint8_t *t, uint32_t len, uint32_t x_off,
                          uint32_t legacy_off)
{
    struct acpi_gas gas;

    if (fadt_has(len, x_off, ACPI_GAS_SIZE)) {
        memcpy(&gas, t + x_off, sizeof(gas));
        if (gas.space_id == ACPI_GAS_IO && gas.address != 0 &&
            gas.address <= 0xffff)
            return (uint32_t)gas.address;
    }
    return rd32(t + legacy_off);
}

static void fadt_reset_reg(struct acpi_info *out, const uint8_t *t,
                           uint32_t len, uint32_t flags)
{
    if (!(flags & FADT_RESET_REG_SUP) || !fadt_has(len, FADT_RESET_VALUE, 1))
        return;
    memcpy(&out->reset_reg, t + FADT_RESET_REG, sizeof(out->reset_reg));
    if (out->reset_reg.address == 0) {
        memset(&out->reset_reg, 0, sizeof(out->reset_reg));
        return;
    }
    out->reset_value = t[FADT_RESET_VALUE];
    out->have_reset_reg = true;
}

static void parse_fadt(struct acpi_ctx *c, const uint8_t *t, uint32_t len)
{
    struct acpi_info *out = c->out;
    uint32_t flags;

    if (len < FADT_MIN_LEN) {
        out->bad_tables++;
        acpi_warn(c, "ACPI: FACP: too short (%u bytes), skipped",
                  (unsigned int)len);
        return;
    }
    out->have_fadt = true;
    out->dsdt_addr = rd32(t + FADT_DSDT);
    if (fadt_has(len, FADT_X_DSDT, 8) && rd64(t + FADT_X_DSDT) != 0)
        out->dsdt_addr = rd64(t + FADT_X_DSDT);
    out->sci_irq = rd16(t + FADT_SCI_INT);
    out->pm1a_cnt_port = fadt_port(t, len, FADT_X_PM1A_CNT_BLK, FADT_PM1A_CNT_BLK);
    out->pm1b_cnt_port = fadt_port(t, len, FADT_X_PM1B_CNT_BLK, FADT_PM1B_CNT_BLK);
    out->pm_tmr_port = fadt_port(t, len, FADT_X_PM_TMR_BLK, FADT_PM_TMR_BLK);
    flags = rd32(t + FADT_FLAGS);
    out->pm_tmr_32bit = (flags & FADT_TMR_VAL_EXT) != 0;
    fadt_reset_reg(out, t, len, flags);
}

/* ---- DSDT and \_S5 (7.4.2, 20.2) ----------------------------------------- */

/* 20.2.4 PkgLength: bits 7-6 of the lead byte count the bytes that follow.
 * With none, bits 5-0 are the length; otherwise bits 3-0 are its low nibble,
 * bits 5-4 must be zero, and each following byte adds 8 more bits. */
static bool aml_pkg_length(const uint8_t *p, size_t avail, size_t *pkg_len,
                           size_t *enc_len)
{
    size_t follow, i, len;

    if (avail < 1)
        return false;
    follow = p[0] >> 6;
    if (avail < 1 + follow)
        return false;
    if (follow == 0) {
        *pkg_len = p[0] & 0x3f;
    } else {
        if (p[0] & 0x30)
            return false;
        len = p[0] & 0x0f;
        for (i = 0; i < follow; i++)
            len |= (size_t)p[1 + i] << (4 + 8 * i);
        *pkg_len = len;
    }
    *enc_len = 1 + follow;
    return true;
}

/* A package element that should be an integer: ZeroOp, OneOp, a
 * Byte/Word/DWord/QWordConst (SLP_TYP is 3 bits, so the low byte is all
 * that matters), or else a raw byte as some firmware writes it. */
static bool aml_small_int(const uint8_t *p, size_t avail, uint8_t *val,
                          size_t *used)
{
    size_t width;

    if (avail < 1)
        return false;
    switch (p[0]) {
    case AML_BYTE_PREFIX:  width = 1; break;
    case AML_WORD_PREFIX:  width = 2; break;
    case AML_DWORD_PREFIX: width = 4; break;
    case AML_QWORD_PREFIX: width = 8; break;
    default:
        *val = p[0];        /* ZeroOp is 0, OneOp is 1: the byte itself */
        *used = 1;
        return true;
    }
    if (avail < 1 + width)
        return false;
    *val = p[1];
    *used = 1 + width;
    return true;
}

/* Parse "PackageOp PkgLength NumElements a b ..." at p, bounded by avail
 * and by the package's own length. */
static bool aml_s5_package(const uint8_t *p, size_t avail, uint8_t *a, uint8_t *b)
{
    size_t pkg_len, enc_len, end, off, used;

    if (avail < 1 || p[0] != AML_PACKAGE_OP)
        return false;
    if (!aml_pkg_length(p + 1, avail - 1, &pkg_len, &enc_len))
        return false;
    /* PkgLength counts itself and what follows it, not the PackageOp. */
    if (pkg_len < enc_len + 1 || pkg_len > avail - 1)
        return false;
    end = 1 + pkg_len;
    off = 1 + enc_len;
    if (p[off] < 2)                         /* NumElements */
        return false;
    off++;
    if (!aml_small_int(p + off, end - off, a, &used))
        return false;
    off += used;
    return aml_small_int(p + off, end - off, b, &used);
}

int acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa,
                 uint8_t *slp_typb)
{
    size_t i;

    if (!aml)
        return -ENOENT;
    for (i = 0; i + 5 <= len; i++) {
        size_t off = i + 1;

        if (aml[i] != AML_NAME_OP)
            continue;
        if (aml[off] == AML_ROOT_CHAR)
            off++;
        if (len - off < 4 || memcmp(aml + off, "_S5_", 4))
            continue;
        off += 4;
        if (aml_s5_package(aml + off, len - off, slp_typa, slp_typb))
            return 0;
    }
    return -ENOENT;
}

static void parse_dsdt(struct acpi_ctx *c)
{
    struct acpi_info *out = c->out;
    const uint8_t *t;
    uint32_t len;

    if (out->dsdt_addr == 0)
        return;
    t = map_table(c, out->dsdt_addr, "DSDT", &len);
    if (!t)
        return;
    if (acpi_find_s5(t + ACPI_HDR_SIZE, len - ACPI_HDR_SIZE,
                     &out->slp_typa, &out->slp_typb) == 0)
        out->have_s5 = true;
    else
        acpi_warn(c, "ACPI: DSDT: no usable \\_S5");
}

/* ---- Root tables (5.2.7 RSDT, 5.2.8 XSDT) --------------------------------- */

/* Read entry i of the root table; re-mapped each time since the tables
 * it points to are mapped in between. */
static bool root_entry(struct acpi_ctx *c, paddr_t root, size_t entry_size,
                       size_t i, paddr_t *pa)
{
    const uint8_t *p = map_bytes(c, root + ACPI_HDR_SIZE + i * entry_size,
                                 entry_size);

    if (!p)
        return false;
    *pa = entry_size == 8 ? rd64(p) : rd32(p);
    return true;
}

static void parse_listed_table(struct acpi_ctx *c, paddr_t pa)
{
    struct acpi_info *out = c->out;
    const uint8_t *hdr;
    const uint8_t *t;
    char sig[4];
    uint32_t len;

    if (pa == 0)
        return;
    hdr = map_bytes(c, pa, ACPI_HDR_SIZE);
    if (!hdr) {
        count_bad(c, pa, "????", "header cannot be mapped");
        return;
    }
    memcpy(sig, hdr, sizeof(sig));
    /* Only the first valid MADT and FADT are used. */
    if (!memcmp(sig, "APIC", 4) && !out->have_madt) {
        t = map_table(c, pa, "APIC", &len);
        if (t)
            parse_madt(c, t, len);
    } else if (!memcmp(sig, "FACP", 4) && !out->have_fadt) {
        t = map_table(c, pa, "FACP", &len);
        if (t)
            parse_fadt(c, t, len);
    }
}

static int parse_root(struct acpi_ctx *c, paddr_t root, const char *sig,
                      size_t entry_size)
{
    uint32_t len;
    size_t i, n;

    if (!map_table(c, root, sig, &len))
        return -ENOENT;
    n = (len - ACPI_HDR_SIZE) / entry_size;
    c->out->nr_tables = (unsigned int)n;
    for (i = 0; i < n; i++) {
        paddr_t pa;

        if (!root_entry(c, root, entry_size, i, &pa)) {
            acpi_warn(c, "ACPI: %.4s entry %u cannot be mapped", sig,
                      (unsigned int)i);
            continue;
        }
        parse_listed_table(c, pa);
    }
    return 0;
}

/* 5.2.5.3: from revision 2 on, the XSDT supersedes the RSDT; the RSDT is
 * still tried when the XSDT is absent or broken. */
static int parse_from_rsdp(struct acpi_ctx *c, const uint8_t *rsdp)
{
    struct acpi_info *out = c->out;
    uint64_t xsdt = 0;
    uint32_t rsdt = rd32(rsdp + RSDP_RSDT_ADDR);
    int rc = -ENOENT;

    out->revision = rsdp[RSDP_REVISION];
    memcpy(out->oem_id, rsdp + RSDP_OEMID, 6);
    out->oem_id[6] = '\0';
    if (out->revision >= RSDP_REV_XSDT)
        xsdt = rd64(rsdp + RSDP_XSDT_ADDR);
    if (xsdt != 0) {
        rc = parse_root(c, xsdt, "XSDT", 8);
        out->used_xsdt = rc == 0;
    }
    if (rc != 0 && rsdt != 0)
        rc = parse_root(c, rsdt, "RSDT", 4);
    if (rc != 0) {
        acpi_warn(c, "ACPI: no valid RSDT or XSDT");
        return rc;
    }
    if (out->have_fadt)
        parse_dsdt(c);
    return 0;
}

int acpi_parse_rsdp_copy(const struct acpi_ops *ops, const void *rsdp,
                         size_t len, struct acpi_info *out)
{
    struct acpi_ctx c = { .ops = ops, .out = out };
    uint8_t copy[RSDP_V2_SIZE] = { 0 };

    memset(out, 0, sizeof(*out));
    if (!ops || !ops->map || acpi_rsdp_valid(rsdp, len))
        return -EINVAL;
    /* A v1 copy may be only 20 bytes: work on a zero-padded 36-byte one. */
    memcpy(copy, rsdp, MIN(len, sizeof(copy)));
    return parse_from_rsdp(&c, copy);
}

/* Map and validate the RSDP at pa and copy its first 36 bytes out. */
static int map_rsdp(struct acpi_ctx *c, paddr_t pa, uint8_t copy[RSDP_V2_SIZE])
{
    const uint8_t *p = map_bytes(c, pa, RSDP_V1_SIZE);
    size_t len = RSDP_V1_SIZE;

    if (!p)
        return -EINVAL;
    if (p[RSDP_REVISION] >= RSDP_REV_XSDT) {
        p = map_bytes(c, pa, RSDP_V2_SIZE);
        if (!p)
            return -EINVAL;
        len = rd32(p + RSDP_LENGTH);
        if (len < RSDP_V2_SIZE)
            return -EINVAL;
        p = map_bytes(c, pa, len);
        if (!p)
            return -EINVAL;
    }
    if (acpi_rsdp_valid(p, len))
        return -EINVAL;
    memset(copy, 0, RSDP_V2_SIZE);
    memcpy(copy, p, MIN(len, (size_t)RSDP_V2_SIZE));
    return 0;
}

int acpi_parse(const struct acpi_ops *ops, paddr_t rsdp_pa, struct acpi_info *out)
{
    struct acpi_ctx c = { .ops = ops, .out = out };
    uint8_t rsdp[RSDP_V2_SIZE];

    memset(out, 0, sizeof(*out));
    if (!ops || !ops->map || map_rsdp(&c, rsdp_pa, rsdp)) {
        if (ops && ops->warn)
            ops->warn("ACPI: no valid RSDP at %#llx",
                      (unsigned long long)rsdp_pa);
        return -EINVAL;
    }
    out->rsdp_addr = rsdp_pa;
    return parse_from_rsdp(&c, rsdp);
}
