/* What generic code asks of the architecture: stopping, power, delays, time. */
#ifndef SV_MACHINE_H
#define SV_MACHINE_H

#include <sv/types.h>

__noreturn void machine_power_off(void);
__noreturn void machine_restart(void);
__noreturn void machine_halt(void);
/* Stop every other CPU (NMI); they halt with interrupts off.  Returns how
 * many confirmed within a second. */
unsigned int smp_send_stop(void);
void mdelay(unsigned long ms);
uint64_t now_ns(void);
/* Whether [start, end) meets RAM of the firmware's map (driver domains
 * may be given I/O memory, never RAM). */
bool machine_overlaps_ram(paddr_t start, paddr_t end);
/* Whether I/O ports [first, last] include one the hypervisor drives. */
bool machine_port_is_ours(uint64_t first, uint64_t last);          /* since boot; 0 before the clock is calibrated */

#endif
