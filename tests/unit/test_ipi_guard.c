/* dom0's IPIs from CPU 0: what may reach only CPU 0 passes, anything that
 * could reach the hypervisor's CPUs (or reset CPU 0 under us) does not. */
#include <sv/ipi_guard.h>

#include "suites.h"

#define FIXED(v)   ((uint32_t)(v) | (1u << 14))
#define MODE(m)    ((uint32_t)(m) << 8)
#define SHORT(s)   ((uint32_t)(s) << 18)
#define OWN 0u

START_TEST(test_fixed_to_self_by_every_name)
{
    ck_assert_ptr_null(ipi_guard_refusal(FIXED(0xf3) | SHORT(ICR_SH_SELF), 0x55, false, OWN));
    ck_assert_ptr_null(ipi_guard_refusal(FIXED(0xf3), OWN, false, OWN));           /* physical */
    ck_assert_ptr_null(ipi_guard_refusal(FIXED(0xf3) | ICR_LOGICAL, 0x01, false, OWN));
    ck_assert_ptr_null(ipi_guard_refusal(FIXED(0xf3), 3, false, 3));               /* CPU 0 is APIC 3 */
}
END_TEST

START_TEST(test_nmi_to_self_passes)
{
    ck_assert_ptr_null(ipi_guard_refusal(MODE(ICR_MODE_NMI) | SHORT(ICR_SH_SELF), 0, false, OWN));
    ck_assert_ptr_null(ipi_guard_refusal(MODE(ICR_MODE_NMI), OWN, false, OWN));
}
END_TEST

START_TEST(test_other_cpu_refused)
{
    ck_assert_str_eq(ipi_guard_refusal(FIXED(0x30), 1, false, OWN), "another CPU");
    ck_assert_str_eq(ipi_guard_refusal(MODE(ICR_MODE_NMI), 2, false, OWN), "another CPU");
    ck_assert_str_eq(ipi_guard_refusal(FIXED(0x30), 0, false, 3), "another CPU");
}
END_TEST

START_TEST(test_init_sipi_smi_refused_even_to_self)
{
    uint32_t init = MODE(ICR_MODE_INIT) | (1u << 15) | (1u << 14);

    ck_assert_str_eq(ipi_guard_refusal(init, 1, false, OWN), "INIT");
    ck_assert_str_eq(ipi_guard_refusal(init, OWN, false, OWN), "INIT");
    ck_assert_str_eq(ipi_guard_refusal(init | SHORT(ICR_SH_SELF), 0, false, OWN), "INIT");
    ck_assert_str_eq(ipi_guard_refusal(MODE(ICR_MODE_STARTUP) | 0x08, 1, false, OWN), "STARTUP");
    ck_assert_str_eq(ipi_guard_refusal(MODE(ICR_MODE_SMI), OWN, false, OWN), "SMI");
}
END_TEST

START_TEST(test_lowest_priority_and_reserved_refused)
{
    ck_assert_str_eq(ipi_guard_refusal(MODE(ICR_MODE_LOWEST) | 0x40, OWN, false, OWN),
                     "lowest-priority delivery");
    ck_assert_str_eq(ipi_guard_refusal(MODE(ICR_MODE_RSVD3), OWN, false, OWN), "reserved delivery mode");
    ck_assert_str_eq(ipi_guard_refusal(MODE(ICR_MODE_RSVD7), OWN, false, OWN), "reserved delivery mode");
}
END_TEST

START_TEST(test_broadcast_shorthands_refused)
{
    ck_assert_str_eq(ipi_guard_refusal(FIXED(0xfd) | SHORT(ICR_SH_ALL), 0, false, OWN),
                     "shorthand all-including-self");
    ck_assert_str_eq(ipi_guard_refusal(FIXED(0xfd) | SHORT(ICR_SH_ALL_BUT_SELF), 0, false, OWN),
                     "shorthand all-excluding-self");
    ck_assert_str_eq(ipi_guard_refusal(MODE(ICR_MODE_NMI) | SHORT(ICR_SH_ALL_BUT_SELF), 0, true, OWN),
                     "shorthand all-excluding-self");
    ck_assert_str_eq(ipi_guard_refusal(FIXED(0xfd), 0xff, false, OWN), "physical broadcast");
    ck_assert_str_eq(ipi_guard_refusal(FIXED(0xfd) | ICR_LOGICAL, 0xff, false, OWN), "logical broadcast");
    ck_assert_str_eq(ipi_guard_refusal(FIXED(0xfd), 0xffffffffu, true, OWN), "physical broadcast");
    /* In x2APIC, 0xff is just APIC 255. */
    ck_assert_str_eq(ipi_guard_refusal(FIXED(0xfd), 0xff, true, OWN), "another CPU");
}
END_TEST

START_TEST(test_x2apic_logical_only_own_bit)
{
    /* APIC ID 0: cluster 0, bit 0.  APIC 17: cluster 1, bit 1. */
    ck_assert_ptr_null(ipi_guard_refusal(FIXED(0x31) | ICR_LOGICAL, 0x00000001, true, 0));
    ck_assert_str_eq(ipi_guard_refusal(FIXED(0x31) | ICR_LOGICAL, 0x00000003, true, 0),
                     "logical destination beyond CPU 0");
    ck_assert_str_eq(ipi_guard_refusal(FIXED(0x31) | ICR_LOGICAL, 0x00010001, true, 0),
                     "logical destination beyond CPU 0");
    ck_assert_ptr_null(ipi_guard_refusal(FIXED(0x31) | ICR_LOGICAL, 0x00010002, true, 17));
    ck_assert_str_eq(ipi_guard_refusal(FIXED(0x31) | ICR_LOGICAL, 0x00010000, true, 17),
                     "empty logical destination");
}
END_TEST

/* Every mode x shorthand x destination: a refusal for anything that is not
 * a fixed/NMI interrupt meant for CPU 0 alone. */
START_TEST(test_exhaustive_xapic)
{
    for (uint32_t mode = 0; mode < 8; mode++)
        for (uint32_t sh = 0; sh < 4; sh++)
            for (uint32_t logical = 0; logical < 2; logical++)
                for (uint32_t dest = 0; dest < 256; dest++) {
                    uint32_t lo = MODE(mode) | SHORT(sh) | (logical ? ICR_LOGICAL : 0) | 0x40;
                    bool ok_mode = mode == ICR_MODE_FIXED || mode == ICR_MODE_NMI;
                    bool to_self = sh == ICR_SH_SELF ||
                                   (sh == ICR_SH_NONE && (logical ? dest != 0xff : dest == 2));
                    const char *why = ipi_guard_refusal(lo, dest, false, 2);

                    ck_assert_msg((why == NULL) == (ok_mode && to_self),
                                  "mode %u shorthand %u logical %u dest %u: %s", mode, sh, logical,
                                  dest, why ? why : "allowed");
                }
}
END_TEST

Suite *ipi_guard_suite(void)
{
    Suite *s = suite_create("ipi_guard");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_fixed_to_self_by_every_name);
    tcase_add_test(tc, test_nmi_to_self_passes);
    tcase_add_test(tc, test_other_cpu_refused);
    tcase_add_test(tc, test_init_sipi_smi_refused_even_to_self);
    tcase_add_test(tc, test_lowest_priority_and_reserved_refused);
    tcase_add_test(tc, test_broadcast_shorthands_refused);
    tcase_add_test(tc, test_x2apic_logical_only_own_bit);
    tcase_add_test(tc, test_exhaustive_xapic);
    suite_add_tcase(s, tc);
    return s;
}
