/*
 * Time.  The known clock is the ACPI PM timer (3.579545 MHz, ACPI 6.4
 * 4.8.3.3), or the PIT (1.193182 MHz) when the FADT has no PM timer.  The
 * TSC is calibrated against it once at boot and then gives now_ns(),
 * udelay() and the printk timestamps.
 */
#include <sv/acpi.h>
#include <sv/machine.h>
#include <sv/printk.h>
#include <asm/cpu.h>
#include <asm/time.h>

#define PMTMR_HZ 3579545ull
#define PIT_HZ   1193182ull

static uint16_t pmtmr_port;
static uint32_t pmtmr_mask;
static uint64_t tsc_at_boot;
static uint64_t tsc_freq_khz;
static uint64_t ns_per_tsc_mult;    /* ns = (tsc * mult) >> 32 */

const char *ref_clock_name(void)
{
    return pmtmr_port ? "ACPI PM timer" : "PIT";
}

static void pmtimer_wait_us(unsigned long us)
{
    uint64_t need = us * PMTMR_HZ / 1000000, seen = 0;
    uint32_t last = inl(pmtmr_port) & pmtmr_mask;

    while (seen < need) {
        uint32_t now = inl(pmtmr_port) & pmtmr_mask;
        seen += (now - last) & pmtmr_mask;      /* counts up, wraps at the mask */
        last = now;
    }
}

/* PIT channel 2 in mode 0, gated through port 0x61; OUT2 goes high at terminal count. */
static void pit_wait_ticks(uint16_t ticks)
{
    outb(0x61, (inb(0x61) & ~0x02) | 0x01);     /* gate on, speaker off */
    outb(0x43, 0xb0);                           /* channel 2, lo/hi, mode 0, binary */
    outb(0x42, ticks & 0xff);
    outb(0x42, ticks >> 8);
    while (!(inb(0x61) & 0x20))
        ;
}

static void pit_wait_us(unsigned long us)
{
    uint64_t ticks = us * PIT_HZ / 1000000;

    while (ticks) {
        uint16_t chunk = ticks > 0xffff ? 0xffff : (uint16_t)ticks;
        pit_wait_ticks(chunk);
        ticks -= chunk;
    }
}

void ref_clock_wait_us(unsigned long us)
{
    if (pmtmr_port)
        pmtimer_wait_us(us);
    else
        pit_wait_us(us);
}

void time_init(const struct acpi_info *acpi)
{
    const unsigned long window_us = 50000;

    if (acpi && acpi->pm_tmr_port && acpi->pm_tmr_port <= 0xffff) {
        pmtmr_port = (uint16_t)acpi->pm_tmr_port;
        pmtmr_mask = acpi->pm_tmr_32bit ? 0xffffffffu : 0x00ffffffu;
    }

    uint64_t t0 = rdtsc();
    ref_clock_wait_us(window_us);
    uint64_t t1 = rdtsc();

    tsc_freq_khz = (t1 - t0) / (window_us / 1000);
    if (!tsc_freq_khz)
        tsc_freq_khz = 1;
    ns_per_tsc_mult = (1000000ull << 32) / tsc_freq_khz;
    tsc_at_boot = t0;
    printk("time: TSC %lu.%03lu MHz, calibrated against the %s%s\n",
           (unsigned long)(tsc_freq_khz / 1000), (unsigned long)(tsc_freq_khz % 1000),
           ref_clock_name(), pmtmr_port ? (acpi->pm_tmr_32bit ? " (32-bit)" : " (24-bit)") : "");
}

uint64_t tsc_khz(void)
{
    return tsc_freq_khz;
}

uint64_t now_ns(void)
{
    if (!tsc_freq_khz)
        return 0;
    return (uint64_t)(((unsigned __int128)(rdtsc() - tsc_at_boot) * ns_per_tsc_mult) >> 32);
}

void udelay(unsigned long us)
{
    if (!tsc_freq_khz) {
        ref_clock_wait_us(us);
        return;
    }
    uint64_t end = rdtsc() + us * tsc_freq_khz / 1000;
    while ((int64_t)(rdtsc() - end) < 0)
        __builtin_ia32_pause();
}

void mdelay(unsigned long ms)
{
    while (ms--)
        udelay(1000);
}
