/*
 * FPU/SSE/AVX state.  The hypervisor itself never uses these registers
 * (-mgeneral-regs-only), so a vCPU's state simply stays in the CPU while it
 * runs.  What must never happen is that a vCPU starts with the registers
 * another domain left behind: each vCPU starts from the architectural
 * initial state (and XCR0 from ours).  Saving and restoring between vCPUs
 * that share a CPU comes with the scheduler.
 */
#ifndef ASM_FPU_H
#define ASM_FPU_H

/* Per CPU at bring-up: CR4.OSFXSR/OSXMMEXCPT, and OSXSAVE + XCR0 when the CPU has XSAVE. */
void fpu_cpu_init(void);
/* Before a new vCPU first runs on this CPU. */
void fpu_reset_for_new_vcpu(void);

#endif
