/* ACPI-described platform: discovery at boot, power-off and reset. */
#ifndef ASM_PLATFORM_H
#define ASM_PLATFORM_H

#include <sv/acpi.h>

struct boot_info;
extern struct acpi_info acpi;

/* Find and parse the ACPI tables; panics when there is no usable MADT. */
void acpi_init(const struct boot_info *bi);

#endif
