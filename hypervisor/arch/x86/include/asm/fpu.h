/*
 * FPU/SSE/AVX state.  The hypervisor itself never uses these registers
 * (-mgeneral-regs-only), so a vCPU's state simply stays in the CPU while it
 * runs.  What must never happen is that a vCPU starts with the registers
 * another domain left behind: each vCPU starts from the architectural
 * initial state (and XCR0 from ours); when vCPUs share a CPU, each one's
 * state (with its XCR0) is saved when it leaves the CPU and restored when
 * it comes back.
 */
#ifndef ASM_FPU_H
#define ASM_FPU_H

/* Per CPU at bring-up: CR4.OSFXSR/OSXMMEXCPT, and OSXSAVE + XCR0 when the CPU has XSAVE. */
void fpu_cpu_init(void);
#include <sv/types.h>

#define FPU_AREA_SIZE 4096      /* x87 + SSE + AVX fit with room; 64-byte aligned */

/* Before a new vCPU first runs on this CPU. */
void fpu_reset_for_new_vcpu(void);
/* A save area in the architectural initial state. */
void fpu_init_area(void *area);
void fpu_save(void *area, uint64_t *xcr0);
void fpu_restore(const void *area, uint64_t xcr0);

#endif
