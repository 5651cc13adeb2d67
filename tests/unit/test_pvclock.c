/* pvclock scale: what a guest computes must match the real rate. */
#include <sv/pvclock.h>

#include "suites.h"

static void check_rate(uint64_t khz)
{
    struct pvclock_scale s = pvclock_scale_for(khz);
    /* One second of ticks must read as one second within 1 ppm (+1 ns). */
    uint64_t ns = pvclock_delta_ns(&s, khz * 1000);

    ck_assert_msg(s.mul >= 0x80000000u, "%lu kHz: mul %#x loses precision", (unsigned long)khz, s.mul);
    ck_assert_msg(ns >= 1000000000ull - 1001 && ns <= 1000000000ull + 1001,
                  "%lu kHz: 1 s of ticks read as %lu ns (mul %#x shift %d)", (unsigned long)khz,
                  (unsigned long)ns, s.mul, s.shift);
}

START_TEST(test_common_rates)
{
    static const uint64_t khz[] = { 1000, 32768, 1000000, 1193182, 2000000, 2399999, 2400000,
                                    3579545, 4000000, 5000000, 1000000000 };

    for (unsigned int i = 0; i < sizeof(khz) / sizeof(khz[0]); i++)
        check_rate(khz[i]);
}
END_TEST

START_TEST(test_sweep)
{
    for (uint64_t khz = 1; khz < 10000000; khz = khz * 3 / 2 + 7)
        check_rate(khz);
}
END_TEST

START_TEST(test_shift_direction)
{
    /* A 4 GHz TSC ticks faster than ns: shift right.  A 100 MHz one: left. */
    ck_assert_int_lt(pvclock_scale_for(4000000).shift, 0);
    ck_assert_int_gt(pvclock_scale_for(100000).shift, 0);
    /* 1 GHz: one tick is one ns. */
    struct pvclock_scale s = pvclock_scale_for(1000000);
    ck_assert_uint_eq(pvclock_delta_ns(&s, 123456789), 123456789);
}
END_TEST

START_TEST(test_large_delta_no_overflow)
{
    struct pvclock_scale s = pvclock_scale_for(3000000);
    uint64_t hour = 3000000ull * 1000 * 3600;     /* an hour of ticks at 3 GHz */

    ck_assert_uint_eq(pvclock_delta_ns(&s, hour) / 1000000000ull, 3599);
}
END_TEST

Suite *pvclock_suite(void)
{
    Suite *s = suite_create("pvclock");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_common_rates);
    tcase_add_test(tc, test_sweep);
    tcase_add_test(tc, test_shift_direction);
    tcase_add_test(tc, test_large_delta_no_overflow);
    suite_add_tcase(s, tc);
    return s;
}
