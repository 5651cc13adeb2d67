/* dom0's ACPI tables (see sv/acpi_dom0.h).  ACPI 6.4, 5.2.5 (RSDP), 5.2.7
 * (RSDT), 5.2.8 (XSDT), 5.2.12 (MADT). */
#include <sv/acpi_dom0.h>
#include <sv/errno.h>
#include <sv/string.h>

#define HDR_LEN       36
#define HDR_LENGTH    4
#define HDR_CHECKSUM  9
#define MADT_FIXED    44          /* header, local APIC address, flags */
#define RSDP_V1_LEN   20
#define RSDP_V2_LEN   36

#define MADT_LAPIC      0
#define MADT_LAPIC_NMI  4
#define MADT_X2APIC     9
#define MADT_X2APIC_NMI 10

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static void wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void wr64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static uint8_t sum(const uint8_t *p, size_t len)
{
    uint8_t s = 0;

    while (len--)
        s = (uint8_t)(s + *p++);
    return s;
}

static void fix_checksum(uint8_t *table, size_t len, size_t at)
{
    table[at] = 0;
    table[at] = (uint8_t)-sum(table, len);
}

static int refuse(const char **why, const char *what, int rc)
{
    *why = what;
    return rc;
}

/* A whole table at pa, its length checked; NULL if unreadable or bad. */
static const uint8_t *table_at(const struct acpi_ops *ops, uint64_t pa, uint32_t *len)
{
    const uint8_t *h = ops->map(pa, HDR_LEN);

    if (!h)
        return NULL;
    *len = rd32(h + HDR_LENGTH);
    if (*len < HDR_LEN || *len > (1u << 20))
        return NULL;
    return ops->map(pa, *len);
}

/* The MADT with only keep_apic_id's CPU (and its NMI entries). */
static int filter_madt(const uint8_t *m, uint32_t len, uint32_t keep, uint8_t *out, size_t room,
                       uint32_t *out_len, unsigned int *dropped, const char **why)
{
    uint32_t at = MADT_FIXED, o = MADT_FIXED;
    int keep_uid = -1;                  /* processor UID of the kept CPU */

    if (len < MADT_FIXED || len > room)
        return refuse(why, "the MADT is too short or too long", -E2BIG);
    memcpy(out, m, MADT_FIXED);
    /* First pass: the kept CPU's UID, for its NMI entries. */
    for (uint32_t i = MADT_FIXED; i + 2 <= len && m[i + 1] >= 2 && i + m[i + 1] <= len; i += m[i + 1]) {
        if (m[i] == MADT_LAPIC && m[i + 1] >= 8 && m[i + 3] == keep)
            keep_uid = m[i + 2];
        if (m[i] == MADT_X2APIC && m[i + 1] >= 16 && rd32(m + i + 4) == keep)
            keep_uid = (int)rd32(m + i + 12);
    }
    while (at + 2 <= len) {
        uint8_t type = m[at], elen = m[at + 1];
        bool take = true;

        if (elen < 2 || at + elen > len)
            return refuse(why, "a MADT entry runs past the table", -EINVAL);
        if (type == MADT_LAPIC && elen >= 8)
            take = m[at + 3] == keep;
        else if (type == MADT_X2APIC && elen >= 16)
            take = rd32(m + at + 4) == keep;
        else if (type == MADT_LAPIC_NMI && elen >= 6)
            take = m[at + 2] == 0xff || m[at + 2] == keep_uid;
        else if (type == MADT_X2APIC_NMI && elen >= 12)
            take = rd32(m + at + 4) == 0xffffffffu || (int)rd32(m + at + 4) == keep_uid;
        if (take) {
            memcpy(out + o, m + at, elen);
            o += elen;
        } else if (type == MADT_LAPIC || type == MADT_X2APIC) {
            (*dropped)++;
        }
        at += elen;
    }
    if (keep_uid < 0)
        return refuse(why, "the MADT does not list dom0's CPU", -ENOENT);
    wr32(out + HDR_LENGTH, o);
    fix_checksum(out, o, HDR_CHECKSUM);
    *out_len = o;
    return 0;
}

int acpi_dom0_tables(const struct acpi_ops *ops, const void *rsdp_in, size_t rsdp_len,
                     uint32_t keep_apic_id, uint64_t base, uint8_t *out, size_t size,
                     unsigned int *dropped, const char **why)
{
    const uint8_t *rsdp = rsdp_in;
    uint64_t roots[2] = { 0, 0 };       /* RSDT, XSDT */
    const uint8_t *root = NULL;
    uint32_t root_len = 0, entry_size = 0;
    uint64_t madt_pa = 0;

    *why = "";
    *dropped = 0;
    if (acpi_rsdp_valid(rsdp, rsdp_len))
        return refuse(why, "the RSDP is not valid", -EINVAL);
    if (size < ACPI_DOM0_TABLES_SIZE)
        return refuse(why, "the buffer is too small", -E2BIG);
    memset(out, 0, size);
    roots[0] = rd32(rsdp + 16);
    if (rsdp[15] >= 2 && rsdp_len >= RSDP_V2_LEN)
        roots[1] = rd64(rsdp + 24);
    /* The root the firmware prefers (the XSDT when it has one) lists the tables. */
    if (roots[1] && (root = table_at(ops, roots[1], &root_len)) && !memcmp(root, "XSDT", 4))
        entry_size = 8;
    else if (roots[0] && (root = table_at(ops, roots[0], &root_len)) && !memcmp(root, "RSDT", 4))
        entry_size = 4;
    else
        return refuse(why, "no readable RSDT or XSDT", -ENOENT);
    uint32_t n = (root_len - HDR_LEN) / entry_size;

    /* Layout: RSDP at 0, RSDT at 64, XSDT after it, MADT at 16-byte alignment. */
    uint32_t rsdt_off = 64, rsdt_len = HDR_LEN + 4 * n;
    uint32_t xsdt_off = ALIGN_UP(rsdt_off + rsdt_len, 16), xsdt_len = HDR_LEN + 8 * n;
    uint32_t madt_off = ALIGN_UP(xsdt_off + xsdt_len, 16);
    if (madt_off >= size)
        return refuse(why, "the firmware lists too many tables", -E2BIG);
    memcpy(out + rsdt_off, root, HDR_LEN);
    memcpy(out + rsdt_off, "RSDT", 4);
    memcpy(out + xsdt_off, root, HDR_LEN);
    memcpy(out + xsdt_off, "XSDT", 4);
    for (uint32_t i = 0; i < n; i++) {
        uint64_t pa = entry_size == 8 ? rd64(root + HDR_LEN + 8 * i) : rd32(root + HDR_LEN + 4 * i);
        const uint8_t *sig = ops->map(pa, 4);
        uint32_t madt_len;

        if (sig && !memcmp(sig, "APIC", 4) && !madt_pa) {
            const uint8_t *m = table_at(ops, pa, &madt_len);
            int rc;

            if (!m)
                return refuse(why, "the MADT is unreadable", -EINVAL);
            rc = filter_madt(m, madt_len, keep_apic_id, out + madt_off, size - madt_off, &madt_len,
                             dropped, why);
            if (rc)
                return rc;
            madt_pa = pa;
            pa = base + madt_off;
        }
        if (pa >> 32 && entry_size == 4)
            return refuse(why, "a table above 4 GiB in an RSDT", -EINVAL);
        wr32(out + rsdt_off + HDR_LEN + 4 * i, (uint32_t)pa);
        wr64(out + xsdt_off + HDR_LEN + 8 * i, pa);
    }
    if (!madt_pa)
        return refuse(why, "the firmware has no MADT", -ENOENT);
    wr32(out + rsdt_off + HDR_LENGTH, rsdt_len);
    fix_checksum(out + rsdt_off, rsdt_len, HDR_CHECKSUM);
    wr32(out + xsdt_off + HDR_LENGTH, xsdt_len);
    fix_checksum(out + xsdt_off, xsdt_len, HDR_CHECKSUM);
    /* An ACPI 2.0 RSDP naming both roots. */
    memcpy(out, rsdp, RSDP_V1_LEN);
    out[15] = 2;
    wr32(out + 16, (uint32_t)(base + rsdt_off));
    wr32(out + 20, RSDP_V2_LEN);
    wr64(out + 24, base + xsdt_off);
    fix_checksum(out, RSDP_V1_LEN, 8);
    fix_checksum(out, RSDP_V2_LEN, 32);
    return 0;
}
