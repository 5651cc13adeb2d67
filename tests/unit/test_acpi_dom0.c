/* dom0's ACPI tables: the MADT keeps only dom0's CPU, everything else is
 * the firmware's, and every checksum holds. */
#include <string.h>
#include <sv/acpi_dom0.h>
#include <sv/errno.h>

#include "suites.h"

#define MEM_BASE 0xe0000ull
static uint8_t mem[0x20000];            /* fake physical memory at MEM_BASE */

static const void *map(paddr_t pa, size_t len)
{
    if (pa < MEM_BASE || pa + len > MEM_BASE + sizeof(mem))
        return NULL;
    return mem + (pa - MEM_BASE);
}

static const struct acpi_ops ops = { map, NULL };

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    while (n--)
        s = (uint8_t)(s + *p++);
    return s;
}

static void header(uint8_t *t, const char *sig, uint32_t len)
{
    memcpy(t, sig, 4);
    memcpy(t + 4, &len, 4);
    t[8] = 1;
    memcpy(t + 10, "BOCHS ", 6);
    t[9] = 0;
    t[9] = (uint8_t)-sum(t, len);
}

/* A MADT with 4 CPUs (APIC IDs 0..3, UIDs 0..3), an IO-APIC, an override
 * and an NMI entry for all CPUs and one for CPU 2. */
static uint32_t build_madt(uint8_t *t)
{
    uint32_t o = 44;
    uint32_t lapic = 0xfee00000;

    memcpy(t + 36, &lapic, 4);
    for (uint8_t id = 0; id < 4; id++) {
        uint8_t e[8] = { 0, 8, id, id, 1, 0, 0, 0 };
        memcpy(t + o, e, 8);
        o += 8;
    }
    uint8_t ioapic[12] = { 1, 12, 0, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0 };
    memcpy(t + o, ioapic, 12);
    o += 12;
    uint8_t iso[10] = { 2, 10, 0, 0, 2, 0, 0, 0, 0, 0 };
    memcpy(t + o, iso, 10);
    o += 10;
    uint8_t nmi_all[6] = { 4, 6, 0xff, 0, 0, 1 };
    memcpy(t + o, nmi_all, 6);
    o += 6;
    uint8_t nmi_2[6] = { 4, 6, 2, 0, 0, 1 };
    memcpy(t + o, nmi_2, 6);
    o += 6;
    header(t, "APIC", o);
    return o;
}

/* RSDP at 0xe0000, RSDT at 0xe1000 listing FACP (0xe2000) and APIC (0xe3000);
 * with xsdt, an XSDT at 0xe4000 listing the same. */
static void build(uint8_t rsdp[36], bool xsdt)
{
    memset(mem, 0, sizeof(mem));
    header(mem + 0x2000, "FACP", 116);
    build_madt(mem + 0x3000);
    uint32_t rsdt_entries[2] = { 0xe2000, 0xe3000 };
    memcpy(mem + 0x1000 + 36, rsdt_entries, 8);
    header(mem + 0x1000, "RSDT", 44);
    uint64_t xsdt_entries[2] = { 0xe2000, 0xe3000 };
    memcpy(mem + 0x4000 + 36, xsdt_entries, 16);
    header(mem + 0x4000, "XSDT", 52);
    memset(rsdp, 0, 36);
    memcpy(rsdp, "RSD PTR ", 8);
    memcpy(rsdp + 9, "BOCHS ", 6);
    uint32_t rsdt = 0xe1000, len = 36;
    memcpy(rsdp + 16, &rsdt, 4);
    if (xsdt) {
        uint64_t x = 0xe4000;
        rsdp[15] = 2;
        memcpy(rsdp + 20, &len, 4);
        memcpy(rsdp + 24, &x, 8);
    }
    rsdp[8] = (uint8_t)-sum(rsdp, 20);
    if (xsdt)
        rsdp[32] = (uint8_t)-sum(rsdp, 36);
}

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* Checks the output lies at 'base' and keeps CPU 'keep': returns MADT CPU count. */
static unsigned int check_out(const uint8_t *out, uint64_t base, uint32_t keep)
{
    ck_assert(!memcmp(out, "RSD PTR ", 8));
    ck_assert_uint_eq(sum(out, 20), 0);
    ck_assert_uint_eq(out[15], 2);
    ck_assert_uint_eq(sum(out, 36), 0);
    const uint8_t *rsdt = out + (rd32(out + 16) - base), *xsdt = out + (rd64(out + 24) - base);
    ck_assert(!memcmp(rsdt, "RSDT", 4) && !memcmp(xsdt, "XSDT", 4));
    ck_assert_uint_eq(sum(rsdt, rd32(rsdt + 4)), 0);
    ck_assert_uint_eq(sum(xsdt, rd32(xsdt + 4)), 0);
    ck_assert_uint_eq(rd32(rsdt + 4), 44);
    ck_assert_uint_eq(rd32(rsdt + 36), 0xe2000);              /* the FADT stays the firmware's */
    ck_assert_uint_eq(rd64(xsdt + 36), 0xe2000);
    uint64_t madt_pa = rd64(xsdt + 44);
    ck_assert_uint_eq(rd32(rsdt + 40), madt_pa);
    ck_assert(madt_pa >= base && madt_pa < base + ACPI_DOM0_TABLES_SIZE);
    const uint8_t *m = out + (madt_pa - base);
    uint32_t len = rd32(m + 4);
    ck_assert(!memcmp(m, "APIC", 4));
    ck_assert_uint_eq(sum(m, len), 0);
    unsigned int cpus = 0, ioapics = 0, isos = 0, nmis = 0;
    for (uint32_t at = 44; at < len; at += m[at + 1]) {
        if (m[at] == 0) {
            cpus++;
            ck_assert_uint_eq(m[at + 3], keep);
        }
        ioapics += m[at] == 1;
        isos += m[at] == 2;
        if (m[at] == 4) {
            nmis++;
            ck_assert(m[at + 2] == 0xff || m[at + 2] == keep);
        }
    }
    ck_assert_uint_eq(ioapics, 1);
    ck_assert_uint_eq(isos, 1);
    ck_assert_uint_eq(nmis, keep == 2 ? 2 : 1);
    return cpus;
}

START_TEST(test_keeps_only_dom0s_cpu)
{
    uint8_t rsdp[36], out[ACPI_DOM0_TABLES_SIZE];
    unsigned int dropped;
    const char *why;

    for (int xsdt = 0; xsdt < 2; xsdt++)
        for (uint32_t keep = 0; keep < 4; keep++) {
            build(rsdp, xsdt);
            ck_assert_int_eq(acpi_dom0_tables(&ops, rsdp, 36, keep, 0x4000, out, sizeof(out),
                                              &dropped, &why), 0);
            ck_assert_uint_eq(dropped, 3);
            ck_assert_uint_eq(check_out(out, 0x4000, keep), 1);
        }
}
END_TEST

START_TEST(test_refusals)
{
    uint8_t rsdp[36], out[ACPI_DOM0_TABLES_SIZE];
    unsigned int dropped;
    const char *why;

    build(rsdp, true);
    ck_assert_int_eq(acpi_dom0_tables(&ops, rsdp, 36, 9, 0x4000, out, sizeof(out), &dropped, &why), -ENOENT);
    ck_assert(why[0]);
    rsdp[8]++;                                  /* bad RSDP checksum */
    ck_assert_int_eq(acpi_dom0_tables(&ops, rsdp, 36, 0, 0x4000, out, sizeof(out), &dropped, &why), -EINVAL);
    build(rsdp, false);
    mem[0x3000 + 44 + 1] = 200;                 /* an entry running past the MADT */
    ck_assert_int_eq(acpi_dom0_tables(&ops, rsdp, 36, 0, 0x4000, out, sizeof(out), &dropped, &why), -EINVAL);
    build(rsdp, false);
    memcpy(mem + 0x3000, "XXXX", 4);            /* no MADT at all */
    ck_assert_int_eq(acpi_dom0_tables(&ops, rsdp, 36, 0, 0x4000, out, sizeof(out), &dropped, &why), -ENOENT);
    build(rsdp, false);
    uint32_t away = 0x10000000;                 /* a root entry nobody can read */
    memcpy(mem + 0x1000 + 36, &away, 4);
    mem[0x1000 + 9] = 0;
    mem[0x1000 + 9] = (uint8_t)-sum(mem + 0x1000, 44);
    ck_assert_int_eq(acpi_dom0_tables(&ops, rsdp, 36, 0, 0x4000, out, sizeof(out), &dropped, &why), 0);
    ck_assert_int_eq(acpi_dom0_tables(&ops, rsdp, 36, 0, 0x4000, out, 100, &dropped, &why), -E2BIG);
}
END_TEST

Suite *acpi_dom0_suite(void)
{
    Suite *s = suite_create("acpi_dom0");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_keeps_only_dom0s_cpu);
    tcase_add_test(tc, test_refusals);
    suite_add_tcase(s, tc);
    return s;
}
