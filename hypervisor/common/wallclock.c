/* Calendar to epoch seconds (see sv/wallclock.h). */
#include <sv/wallclock.h>

uint64_t boot_wallclock_ns;

static bool leap(unsigned int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int64_t rtc_to_unix(const struct rtc_time *t)
{
    static const unsigned int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int64_t days = 0;

    if (t->year < 1970 || t->year > 9999 || t->month < 1 || t->month > 12 || t->day < 1 ||
        t->hour > 23 || t->min > 59 || t->sec > 59 ||
        t->day > mdays[t->month - 1] + (t->month == 2 && leap(t->year)))
        return -1;
    for (unsigned int y = 1970; y < t->year; y++)
        days += leap(y) ? 366 : 365;
    for (unsigned int m = 1; m < t->month; m++)
        days += mdays[m - 1] + (m == 2 && leap(t->year));
    days += t->day - 1;
    return ((days * 24 + t->hour) * 60 + t->min) * 60 + t->sec;
}
