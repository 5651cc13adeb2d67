/*
 * The architecture's part of a vCPU, and what generic code may ask of it.
 * Only arch/x86/svm/ looks inside the VMCB.
 */
#ifndef ASM_VCPU_H
#define ASM_VCPU_H

#include <sv/shadow.h>
#include <sv/types.h>

struct vmcb;
struct vcpu;

struct arch_vcpu {
    struct vmcb *vmcb;
    paddr_t vmcb_pa;
    uint32_t asid;
    unsigned int last_cpu;      /* where it ran last: its TLB entries may be stale elsewhere */
    bool flush_tlb;             /* flush this ASID at the next VMRUN */
    /* The guest's own view of its control registers (shadow paging keeps
     * different values in the VMCB). */
    uint64_t guest_cr0, guest_cr3, guest_cr4, guest_efer;
    uint64_t hypercall_page_gpa;
    struct shadow shadow;       /* paging=shadow: this vCPU's virtual TLB */
    bool shadow_reset_pending;  /* the p2m changed: drop the shadows before the next entry */
    uint64_t audit_failures;    /* shadow_audit mismatches seen */
    bool regs_loaded;           /* regs hold the guest's state (after the first run) */
    void *xsave_area;           /* FPU/SSE/AVX state while the vCPU is not running */
    uint64_t xcr0;
    bool context_set;           /* vcpu_arch_set_context done: it may run */
};

enum vcpu_run_end {
    VCPU_RUN_DEAD,              /* its domain stopped */
    VCPU_RUN_BLOCK,             /* it asked to wait for an event */
    VCPU_RUN_DOWN,              /* VCPUOP_down: it leaves the scheduler */
    VCPU_RUN_PREEMPT,           /* its slice ended, or the CPU must reschedule */
};

struct vcpu_hvm_context;
/* Allocate what the vCPU needs to run (VMCB, FPU area, ASID); no state yet. */
int vcpu_arch_init(struct vcpu *v);
/* Its first state, once (-EEXIST after), checked by vcpu_context_check()
 * before: registers, control registers, segments. */
int vcpu_arch_set_context(struct vcpu *v, const struct vcpu_hvm_context *ctx);
/* The state a PVH kernel is entered in: 32-bit flat protected mode,
 * paging off, EBX = start_info (Xen's docs/misc/pvh.pandoc). */
void vcpu_pvh_entry_context(struct vcpu_hvm_context *ctx, uint32_t entry, uint32_t start_info_gpa);
/* dom0 on this CPU (0) for good (arch/x86/svm/svm_dom0.c). */
__attribute__((noreturn)) void arch_run_dom0(struct vcpu *v);
/* Its upcall: a physical IPI of its vector to CPU 0. */
void arch_kick_dom0(struct vcpu *v);
void vcpu_arch_destroy(struct vcpu *v);
/* Run the vCPU on this CPU until its domain stops, it blocks, or its
 * slice (now_ns() time) ends or a reschedule is asked for. */
enum vcpu_run_end vcpu_arch_run(struct vcpu *v, uint64_t slice_end_ns);
/* FPU/XSAVE state of the vCPU into its save area, and back. */
void vcpu_arch_save_fpu(struct vcpu *v);
void vcpu_arch_load_fpu(struct vcpu *v);

#endif
