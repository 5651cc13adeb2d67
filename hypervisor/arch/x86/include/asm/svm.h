/* AMD SVM discovery and per-CPU enablement (AMD APM vol. 2, 15.4). */
#ifndef ASM_SVM_H
#define ASM_SVM_H

#include <sv/types.h>

struct percpu;

struct svm_caps {
    bool present;           /* CPUID 0x80000001 ECX[2] */
    bool disabled_by_bios;  /* VM_CR.SVMDIS */
    uint8_t revision;
    uint32_t nr_asids;
    uint32_t features;      /* CPUID 0x8000000a EDX */
};

#define SVM_FEAT_NPT            (1u << 0)
#define SVM_FEAT_LBRV           (1u << 1)
#define SVM_FEAT_SVML           (1u << 2)
#define SVM_FEAT_NRIPS          (1u << 3)
#define SVM_FEAT_TSC_RATE       (1u << 4)
#define SVM_FEAT_VMCB_CLEAN     (1u << 5)
#define SVM_FEAT_FLUSH_BY_ASID  (1u << 6)
#define SVM_FEAT_DECODE_ASSISTS (1u << 7)
#define SVM_FEAT_PAUSE_FILTER   (1u << 10)
#define SVM_FEAT_PAUSE_THRESH   (1u << 12)
#define SVM_FEAT_AVIC           (1u << 13)
#define SVM_FEAT_VLS            (1u << 15)
#define SVM_FEAT_VGIF           (1u << 16)

extern struct svm_caps svm_caps;

/* Read the capabilities and print them; halts with a clear message when
 * the CPU cannot run splitvisor's guests. */
void svm_check_or_halt(void);
/* EFER.SVME and VM_HSAVE_PA on the calling CPU; 0 or -errno. */
int svm_cpu_enable(struct percpu *pc);

#endif
