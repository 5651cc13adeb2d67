/* RTC calendar to epoch seconds. */
#include <time.h>

#include <sv/wallclock.h>

#include "suites.h"

static int64_t conv(unsigned int y, unsigned int mo, unsigned int d, unsigned int h,
                    unsigned int mi, unsigned int s)
{
    struct rtc_time t = { y, mo, d, h, mi, s };

    return rtc_to_unix(&t);
}

START_TEST(test_known_dates)
{
    ck_assert_int_eq(conv(1970, 1, 1, 0, 0, 0), 0);
    ck_assert_int_eq(conv(2000, 2, 29, 12, 0, 0), 951825600);
    ck_assert_int_eq(conv(2026, 11, 24, 21, 2, 20), 1795554140);
    ck_assert_int_eq(conv(2038, 1, 19, 3, 14, 8), 2147483648ll);
}
END_TEST

START_TEST(test_against_libc)
{
    /* Every day from 1970 to 2100 at a varying time of day. */
    for (int64_t t = 0; t < 4102444800ll; t += 86400 + 3607) {
        time_t tt = (time_t)t;
        struct tm tm;

        gmtime_r(&tt, &tm);
        ck_assert_int_eq(conv((unsigned int)tm.tm_year + 1900, (unsigned int)tm.tm_mon + 1,
                              (unsigned int)tm.tm_mday, (unsigned int)tm.tm_hour,
                              (unsigned int)tm.tm_min, (unsigned int)tm.tm_sec), t);
    }
}
END_TEST

START_TEST(test_invalid)
{
    ck_assert_int_eq(conv(1969, 12, 31, 0, 0, 0), -1);
    ck_assert_int_eq(conv(2023, 2, 29, 0, 0, 0), -1);
    ck_assert_int_eq(conv(2100, 2, 29, 0, 0, 0), -1);
    ck_assert_int_eq(conv(2024, 13, 1, 0, 0, 0), -1);
    ck_assert_int_eq(conv(2024, 4, 31, 0, 0, 0), -1);
    ck_assert_int_eq(conv(2024, 1, 1, 24, 0, 0), -1);
    ck_assert_int_eq(conv(2024, 1, 0, 0, 0, 0), -1);
}
END_TEST

Suite *wallclock_suite(void)
{
    Suite *s = suite_create("wallclock");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_known_dates);
    tcase_add_test(tc, test_against_libc);
    tcase_add_test(tc, test_invalid);
    suite_add_tcase(s, tc);
    return s;
}
