/*
 * The CMOS real-time clock, read once at boot for the guests' wall clock
 * (shared_info wc_sec/wc_nsec).  Registers per the MC146818 data sheet.
 */
#include <sv/machine.h>
#include <sv/printk.h>
#include <sv/spinlock.h>
#include <sv/wallclock.h>
#include <asm/cpu.h>
#include <asm/time.h>

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
#define RTC_UIP    0x80         /* status A: an update is in progress */
#define RTC_BINARY 0x04         /* status B: values are binary, not BCD */
#define RTC_24H    0x02         /* status B: 24-hour mode */

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static unsigned int from_rtc(uint8_t v, bool binary)
{
    return binary ? v : (v >> 4) * 10 + (v & 0xf);
}

static void read_once(uint8_t r[7])
{
    static const uint8_t regs[] = { 0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32 };

    for (unsigned int spins = 0; (cmos_read(0x0a) & RTC_UIP) && spins < 1000000; spins++)
        cpu_relax();
    for (unsigned int i = 0; i < 7; i++)
        r[i] = cmos_read(regs[i]);
}

void rtc_init(void)
{
    uint8_t a[7], b[7];
    uint8_t status_b = cmos_read(0x0b);
    bool binary = status_b & RTC_BINARY;

    /* Read until two readings agree: an update may land between registers. */
    read_once(a);
    for (unsigned int tries = 0; tries < 5; tries++) {
        read_once(b);
        if (!__builtin_memcmp(a, b, sizeof(a)))
            break;
        __builtin_memcpy(a, b, sizeof(a));
    }
    unsigned int hour = from_rtc(a[2] & 0x7f, binary);
    if (!(status_b & RTC_24H))
        hour = hour % 12 + ((a[2] & 0x80) ? 12 : 0);    /* 12-hour mode: bit 7 is PM */
    unsigned int century = from_rtc(a[6], binary);
    struct rtc_time t = {
        .year = (century >= 19 && century <= 99 ? century : 20) * 100 + from_rtc(a[5], binary),
        .month = from_rtc(a[4], binary),
        .day = from_rtc(a[3], binary),
        .hour = hour,
        .min = from_rtc(a[1], binary),
        .sec = from_rtc(a[0], binary),
    };
    int64_t secs = rtc_to_unix(&t);

    if (secs < 0) {
        printk(LOG_WARN "rtc: unreadable date %u-%u-%u %u:%u:%u; guests' wall clock starts at the epoch\n",
               t.year, t.month, t.day, t.hour, t.min, t.sec);
        return;
    }
    boot_wallclock_ns = (uint64_t)secs * 1000000000ull - now_ns();
    printk("rtc: %04u-%02u-%02u %02u:%02u:%02u UTC\n", t.year, t.month, t.day, t.hour, t.min, t.sec);
}
