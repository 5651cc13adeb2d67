/*
 * dom0's use of CPU 0's local APIC, which it owns except for one thing:
 * interprocessor interrupts to the other CPUs, which are the hypervisor's.
 * Its xAPIC page is mapped read-only (P2M_MMIO_WP), so reads go straight to
 * the hardware and every write traps here; in x2APIC mode only the ICR MSR
 * is intercepted.  What may pass: sv/ipi_guard.h.
 */
#ifndef ASM_DOM0_APIC_H
#define ASM_DOM0_APIC_H

#include <sv/types.h>

/* An access to the APIC page at offset 'off'.  APIC registers take aligned
 * 32-bit accesses only (SDM vol. 3, 10.4.1): others read as zero and their
 * writes are dropped.  Always 0 (a device never faults). */
int dom0_apic_mmio_read(unsigned int off, void *buf, unsigned int size);
int dom0_apic_mmio_write(unsigned int off, const void *buf, unsigned int size);
/* WRMSR 0x830 (x2APIC ICR) by dom0. */
void dom0_x2apic_icr_write(uint64_t val);
/* WRMSR APIC_BASE by dom0: only the value it has (0), else -EINVAL for a
 * #GP -- a moved page would escape the guard, and the hypervisor needs the
 * APIC where and as it set it up. */
int dom0_apic_base_write(uint64_t val);
/* IPIs refused so far (for the 'd' debug key). */
uint64_t dom0_apic_ipis_refused(void);

#endif
