/*
 * Which interprocessor interrupts dom0 may send from CPU 0.
 *
 * dom0 owns CPU 0's local APIC, but every other CPU is the hypervisor's:
 * an INIT there resets it mid-VMRUN, a fixed IPI lands in our IDT.  So
 * dom0's writes of the ICR (xAPIC: the register at 0x300 of the APIC page,
 * with the destination in 0x310; x2APIC: MSR 0x830) are checked here
 * before they reach the hardware.  Plain C: unit-tested on the host.
 *
 * Allowed: fixed or NMI interrupts to CPU 0 itself (self shorthand, its
 * physical APIC ID, or a logical destination -- the hypervisor's CPUs keep
 * a zero logical ID, so no logical destination can reach them).
 * Refused: INIT, SIPI, SMI, the lowest-priority and reserved modes, the
 * all / all-but-self shorthands, any other physical destination, and the
 * broadcast ID.  Linux with nr_cpus=1 never needs those.
 */
#ifndef SV_IPI_GUARD_H
#define SV_IPI_GUARD_H

#include <sv/types.h>

/* ICR fields (Intel SDM vol. 3, 10.6.1; AMD APM vol. 2, 16.5). */
#define ICR_VECTOR(lo)       ((lo) & 0xffu)
#define ICR_MODE(lo)         (((lo) >> 8) & 7u)
#define ICR_LOGICAL          (1u << 11)
#define ICR_SHORTHAND(lo)    (((lo) >> 18) & 3u)

enum icr_mode { ICR_MODE_FIXED, ICR_MODE_LOWEST, ICR_MODE_SMI, ICR_MODE_RSVD3,
                ICR_MODE_NMI, ICR_MODE_INIT, ICR_MODE_STARTUP, ICR_MODE_RSVD7 };
enum icr_shorthand { ICR_SH_NONE, ICR_SH_SELF, ICR_SH_ALL, ICR_SH_ALL_BUT_SELF };

/*
 * NULL when dom0 may send this IPI, else why not (for the log).
 * icr_lo: the ICR's low 32 bits; dest: the destination field (xAPIC: bits
 * 24-31 of ICR2; x2APIC: the high 32 bits); own_id: CPU 0's APIC ID.
 */
const char *ipi_guard_refusal(uint32_t icr_lo, uint32_t dest, bool x2apic, uint32_t own_id);

#endif
