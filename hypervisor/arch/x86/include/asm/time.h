/* Calibrated time: the ACPI PM timer (or the PIT) as the known clock, the TSC as the fast one. */
#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <sv/types.h>

struct acpi_info;
/* Choose the reference clock and calibrate the TSC against it. */
void time_init(const struct acpi_info *acpi);
/* Busy-wait on the reference clock (used for calibration only). */
void ref_clock_wait_us(unsigned long us);
const char *ref_clock_name(void);
uint64_t tsc_khz(void);
void udelay(unsigned long us);
/* Read the CMOS clock once: boot_wallclock_ns (sv/wallclock.h). */
void rtc_init(void);

#endif
