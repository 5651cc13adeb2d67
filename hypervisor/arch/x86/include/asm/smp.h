/* Bringing up the other CPUs. */
#ifndef ASM_SMP_H
#define ASM_SMP_H

#include <sv/types.h>

struct memmap;
struct percpu;

/* The boot CPU's per-CPU block, usable before any allocator exists. */
struct percpu *smp_bsp_percpu(void);
/* Reserve a page below 1 MiB for the AP trampoline (before the allocator). */
void smp_reserve_trampoline(struct memmap *usable);
/* The page the APs start in (below 1 MiB). */
paddr_t smp_trampoline_pa(void);
/* Start every enabled CPU in the MADT (up to maxcpus); returns how many are online. */
unsigned int smp_boot_cpus(void);
/* Runs on each CPU once it is up: LAPIC timer and SVM. */
void cpu_bringup_common(struct percpu *pc);

#endif
