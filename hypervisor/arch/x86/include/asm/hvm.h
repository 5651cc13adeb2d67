/* Guest-visible CPU behaviour that does not depend on SVM: CPUID, MSRs, I/O. */
#ifndef ASM_HVM_H
#define ASM_HVM_H

#include <sv/types.h>

struct vcpu;

/* The MSR through which a guest asks for its hypercall page (CPUID 0x40000002). */
#define XEN_HYPERCALL_MSR 0x40000000u

void guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);
/* 0, or -EINVAL when the guest must get a #GP. */
int guest_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val);
int guest_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val);
/* Port I/O from a guest with no device behind it. */
uint32_t guest_io_read(struct vcpu *v, uint16_t port, unsigned int size);
void guest_io_write(struct vcpu *v, uint16_t port, unsigned int size, uint32_t val);

#endif
