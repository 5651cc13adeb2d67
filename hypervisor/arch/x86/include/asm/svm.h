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

struct vcpu;
/* The shared I/O and MSR permission maps; once, at boot. */
int svm_permission_maps_init(void);
/* dom0's own I/O and MSR maps, and a vCPU made to use them with physical
 * interrupts delivered straight to it (arch/x86/svm/vmcb.c). */
int svm_dom0_maps_init(void);
struct vcpu;
void svm_vcpu_make_native(struct vcpu *v);
void vmcb_init(struct vcpu *v);
/* A vCPU's own ASID, or the shared one when none is free. */
uint32_t svm_asid_alloc(void);
void svm_asid_free(uint32_t asid);
bool svm_asid_shared(uint32_t asid);
uint64_t svm_guest_efer(const struct vcpu *v);
int svm_set_guest_efer(struct vcpu *v, uint64_t val);
uint64_t svm_guest_pat(const struct vcpu *v);
void svm_set_guest_pat(struct vcpu *v, uint64_t val);
struct guest_paging;
/* The paging state the guest itself sees (for walking its tables). */
void svm_guest_paging(const struct vcpu *v, struct guest_paging *out);
void svm_vmrun(void *regs, paddr_t vmcb_pa, paddr_t host_state_pa);
void svm_vmsave_host(paddr_t pa);
void svm_inject_exception(struct vcpu *v, unsigned int vector, bool has_error, uint32_t error);
/* Before VMRUN: inject the event-channel upcall, or ask for an interrupt window. */
void svm_inject_upcall(struct vcpu *v);
void svm_intr_cpu_init(void);
struct x86_insn;
int svm_decode_at_rip(struct vcpu *v, struct x86_insn *insn);
/* A write fault on a P2M_MMIO_WP page at gpa: emulate the instruction. */
void svm_emulate_guarded_write(struct vcpu *v, uint64_t gpa);
struct vmcb;
/* The base of segment 'seg' (enum x86_seg) as the guest's mode applies it. */
uint64_t svm_seg_base(const struct vmcb *vmcb, unsigned int seg);

/* Shadow paging (svm_shadow.c). */
int svm_shadow_vcpu_init(struct vcpu *v);
void svm_shadow_vcpu_destroy(struct vcpu *v);
void svm_shadow_before_entry(struct vcpu *v);
int svm_shadow_set_efer(struct vcpu *v, uint64_t val);
void svm_shadow_cr_access(struct vcpu *v, const struct x86_insn *insn);
void svm_shadow_page_fault(struct vcpu *v);
void svm_shadow_invlpg(struct vcpu *v, const struct x86_insn *insn);

/* Guest page-table access through the domain's p2m (ctx = struct domain *). */
struct guest_walk_ops;
extern const struct guest_walk_ops guest_walk_ops_p2m;

#endif
