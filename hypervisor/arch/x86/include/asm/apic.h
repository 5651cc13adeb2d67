/* The local APIC, in x2APIC mode when the CPU has it, else xAPIC (MMIO). */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <sv/types.h>

void lapic_init_bsp(paddr_t mmio_base);
void lapic_init_ap(void);
bool lapic_x2apic_mode(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
/* The xAPIC page's physical address (its registers at 16-byte offsets). */
paddr_t lapic_mmio_base(void);
/* A register of this CPU's APIC by its xAPIC offset, in either mode (for
 * dom0's accesses, checked by dom0_apic.c before they come here). */
uint32_t lapic_reg_read(unsigned int reg);
void lapic_reg_write(unsigned int reg, uint32_t v);
/* Inter-processor interrupts (Intel SDM vol. 3, 10.6; AMD APM vol. 2, 16.5). */
void lapic_send_init(uint32_t apic_id);
void lapic_send_sipi(uint32_t apic_id, uint8_t page);
void lapic_send_nmi_allbutself(void);
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
/* Measure the timer's input clock against the platform clock (time.c). */
void lapic_timer_calibrate(void);
uint64_t lapic_timer_hz(void);
void lapic_timer_start_periodic(unsigned int hz, uint8_t vector);
/* This CPU's timer stops (CPU 0's becomes dom0's). */
void lapic_timer_stop(void);

#endif
