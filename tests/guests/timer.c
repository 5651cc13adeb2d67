/*
 * TSC frequency, for turning benchmark cycles into nanoseconds.  Under Xen
 * the time leaf (CPUID base+3, sub-leaf 0, ECX) says it.  Bare, we count TSC
 * cycles over 50 ms of PIT channel 2 in mode 0 (8254 data sheet; the way
 * Linux's pit_calibrate_tsc does it): the gate is port 0x61 bit 0, OUT2 is
 * readable at port 0x61 bit 5 and rises at terminal count.
 */
#include "svguest.h"

#define PIT_HZ      1193182u
#define PIT_CH2     0x42
#define PIT_CMD     0x43
#define PORT_B      0x61
#define CAL_MS      50u

uint32_t tsc_khz;

static uint32_t pit_calibrate(void)
{
    uint32_t latch = PIT_HZ * CAL_MS / 1000;
    outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01);    /* gate on, speaker off */
    outb(PIT_CMD, 0xb0);                           /* ch 2, lo/hi byte, mode 0, binary */
    outb(PIT_CH2, latch & 0xff);
    outb(PIT_CH2, latch >> 8);
    uint64_t t0 = rdtsc();
    uint64_t spins = 0;
    while (!(inb(PORT_B) & 0x20))
        if (++spins > 20000000)
            return 0;                              /* no PIT */
    uint64_t t1 = rdtsc();
    if (spins < 10)
        return 0;                                  /* OUT2 stuck high: no PIT */
    return (uint32_t)((t1 - t0) / CAL_MS);
}

void timer_init(void)
{
    if (xen_detected()) {             /* PVH has no PIT: never touch it */
        tsc_khz = xen_tsc_khz();
        kprintf("svguest: TSC %u kHz (Xen time leaf)%s\n", tsc_khz,
                tsc_khz ? "" : ": unknown, benchmarks report cycles only");
        return;
    }
    tsc_khz = pit_calibrate();
    if (tsc_khz)
        kprintf("svguest: TSC %u kHz (PIT calibration)\n", tsc_khz);
    else
        kprintf("svguest: TSC frequency unknown (no PIT): benchmarks report cycles only\n");
}

uint64_t cycles_to_ns(uint64_t cycles)
{
    if (!tsc_khz)
        return 0;
    /* cycles * 1e6 / kHz, without overflow for any realistic run. */
    return cycles / tsc_khz * 1000000 + (cycles % tsc_khz) * 1000000 / tsc_khz;
}

uint64_t ms_to_cycles(uint64_t ms)
{
    return ms * (tsc_khz ? tsc_khz : 2000000u);
}
