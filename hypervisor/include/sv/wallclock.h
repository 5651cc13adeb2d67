/* Wall-clock time: the RTC's calendar reading as seconds since the epoch. */
#ifndef SV_WALLCLOCK_H
#define SV_WALLCLOCK_H

#include <sv/types.h>

struct rtc_time {
    unsigned int year;      /* e.g. 2026 */
    unsigned int month;     /* 1..12 */
    unsigned int day;       /* 1..31 */
    unsigned int hour, min, sec;
};

/* Seconds since 1970-01-01 00:00:00 UTC; -1 for a date that is not valid. */
int64_t rtc_to_unix(const struct rtc_time *t);

/* The wall clock at system time 0 (boot), in ns since the epoch; 0 unknown. */
extern uint64_t boot_wallclock_ns;

#endif
