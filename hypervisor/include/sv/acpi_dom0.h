/*
 * dom0's view of ACPI: the firmware's tables, except that its MADT lists
 * only the CPU dom0 runs on (the others are the hypervisor's).  Built in a
 * buffer as an RSDP, an RSDT (and an XSDT when the firmware has one) and
 * the filtered MADT; every other table stays where the firmware put it.
 * Plain C over acpi_ops, unit-tested on the host.
 */
#ifndef SV_ACPI_DOM0_H
#define SV_ACPI_DOM0_H

#include <sv/acpi.h>
#include <sv/types.h>

#define ACPI_DOM0_TABLES_SIZE 4096

/*
 * rsdp: the firmware's RSDP (a copy is fine); out: the buffer that will lie
 * at guest-physical 'base' in dom0 (the RSDP at its start).  0, or -EINVAL /
 * -ENOENT / -E2BIG with *why.  *kept: MADT CPU entries kept (1 if found).
 */
int acpi_dom0_tables(const struct acpi_ops *ops, const void *rsdp, size_t rsdp_len,
                     uint32_t keep_apic_id, uint64_t base, uint8_t *out, size_t size,
                     unsigned int *dropped, const char **why);

#endif
