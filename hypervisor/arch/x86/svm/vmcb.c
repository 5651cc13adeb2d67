/*
 * VMCB set-up: what a guest may do without us (nearly everything that does
 * not touch memory it must not see or machine state we own) and what traps.
 * The I/O and MSR permission maps are shared by every vCPU.
 */
#include <sv/domain.h>
#include <sv/errno.h>
#include <sv/page_alloc.h>
#include <sv/string.h>
#include <asm/fpu.h>
#include <asm/mm.h>
#include <asm/svm.h>
#include <asm/vmcb.h>
#include <asm/x86.h>

static uint8_t *iopm;       /* 12 KiB: one bit per port, 1 = intercept */
static uint8_t *msrpm;      /* 8 KiB: two bits per MSR (read, write), 1 = intercept */

/* MSRPM layout (APM vol. 2, 15.11): three 2 KiB blocks of 8192 MSRs each. */
static void msrpm_allow(uint32_t msr)
{
    uint32_t base, block;

    if (msr < 0x2000) {
        base = 0;
        block = 0x000;
    } else if (msr >= 0xc0000000 && msr < 0xc0002000) {
        base = 0xc0000000;
        block = 0x800;
    } else if (msr >= 0xc0010000 && msr < 0xc0012000) {
        base = 0xc0010000;
        block = 0x1000;
    } else {
        return;
    }
    uint32_t bit = (msr - base) * 2;
    msrpm[block + bit / 8] &= (uint8_t)~(3u << (bit % 8));
}

int svm_permission_maps_init(void)
{
    /* MSRs whose guest value lives in the VMCB and is switched by
     * VMRUN/VMLOAD/VMSAVE: the guest may use them directly. */
    static const uint32_t direct[] = {
        0xc0000100, 0xc0000101, 0xc0000102,     /* FS_BASE, GS_BASE, KERNEL_GS_BASE */
        0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,     /* STAR, LSTAR, CSTAR, SFMASK */
        0x174, 0x175, 0x176,                    /* SYSENTER_CS/ESP/EIP */
    };

    iopm = alloc_pages(2);      /* 16 KiB block; 12 KiB used */
    msrpm = alloc_pages(1);
    if (!iopm || !msrpm)
        return -ENOMEM;
    memset(iopm, 0xff, 4 * PAGE_SIZE);
    memset(msrpm, 0xff, 2 * PAGE_SIZE);
    for (size_t i = 0; i < ARRAY_SIZE(direct); i++)
        msrpm_allow(direct[i]);
    return 0;
}

static void set_seg(struct vmcb_seg *s, uint16_t sel, uint16_t attr, uint32_t limit, uint64_t base)
{
    s->sel = sel;
    s->attr = attr;
    s->limit = limit;
    s->base = base;
}

void vmcb_init(struct vcpu *v)
{
    struct vmcb *vmcb = v->arch.vmcb;
    bool hap = v->domain->paging == PAGING_HAP;

    memset(vmcb, 0, sizeof(*vmcb));
    vmcb->intercept_misc1 = INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_INIT | INTERCEPT_CPUID |
                            INTERCEPT_HLT | INTERCEPT_IOIO | INTERCEPT_MSR | INTERCEPT_SHUTDOWN |
                            INTERCEPT_INVD | INTERCEPT_TASK_SWITCH | INTERCEPT_INVLPGA;
    /* VMRUN must be intercepted (APM 15.5.1); the rest of the SVM
     * instructions belong to us, not to the guest. */
    vmcb->intercept_misc2 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL | INTERCEPT_VMLOAD |
                            INTERCEPT_VMSAVE | INTERCEPT_STGI | INTERCEPT_CLGI |
                            INTERCEPT_SKINIT | INTERCEPT_MONITOR | INTERCEPT_MWAIT;
    vmcb->iopm_base_pa = virt_to_phys(iopm);
    vmcb->msrpm_base_pa = virt_to_phys(msrpm);
    vmcb->asid = v->arch.asid;
    vmcb->tlb_control = 1;                      /* flush everything on the first entry */
    vmcb->vintr = 1ull << 24;                   /* V_INTR_MASKING: guest IF masks only virtual interrupts */
    if (hap) {
        vmcb->np_control = 1;
        vmcb->n_cr3 = (paddr_t)v->domain->p2m.root << PAGE_SHIFT;
    }
    vmcb->g_pat = 0x0007040600070406ull;        /* the power-on PAT */
    vmcb->dr6 = 0xffff0ff0;
    vmcb->dr7 = 0x400;
}

int vcpu_arch_init_pvh(struct vcpu *v, uint32_t entry, uint32_t start_info_gpa)
{
    struct vmcb *vmcb;

    v->arch.vmcb = alloc_pages(0);
    if (!v->arch.vmcb)
        return -ENOMEM;
    v->arch.vmcb_pa = virt_to_phys(v->arch.vmcb);
    v->arch.xsave_area = alloc_pages(0);
    if (!v->arch.xsave_area)
        return -ENOMEM;
    fpu_init_area(v->arch.xsave_area);
    v->arch.xcr0 = 0;                           /* ours until the guest sets its own */
    v->arch.asid = svm_asid_alloc();
    v->arch.last_cpu = ~0u;                     /* its first run flushes its ASID */
    vmcb_init(v);
    vmcb = v->arch.vmcb;

    /* Xen's PVH entry state (docs/misc/pvh.pandoc): flat 32-bit protected
     * mode, paging off, EBX = start_info. */
    const uint16_t code32 = SEG_ATTR(0xb, 1, 0, 1, 0, 1, 1);
    const uint16_t data32 = SEG_ATTR(0x3, 1, 0, 1, 0, 1, 1);
    set_seg(&vmcb->cs, 0x08, code32, 0xffffffff, 0);
    set_seg(&vmcb->ds, 0x10, data32, 0xffffffff, 0);
    set_seg(&vmcb->es, 0x10, data32, 0xffffffff, 0);
    set_seg(&vmcb->ss, 0x10, data32, 0xffffffff, 0);
    set_seg(&vmcb->fs, 0x10, data32, 0xffffffff, 0);
    set_seg(&vmcb->gs, 0x10, data32, 0xffffffff, 0);
    set_seg(&vmcb->tr, 0x18, SEG_ATTR(0xb, 0, 0, 1, 0, 0, 0), 0x67, 0);
    set_seg(&vmcb->ldtr, 0, SEG_ATTR(0x2, 0, 0, 1, 0, 0, 0), 0xffff, 0);
    set_seg(&vmcb->gdtr, 0, 0, 0xffff, 0);
    set_seg(&vmcb->idtr, 0, 0, 0xffff, 0);

    v->arch.guest_cr0 = X86_CR0_PE | X86_CR0_ET;
    v->arch.guest_cr4 = 0;
    v->arch.guest_efer = 0;
    vmcb->cr0 = v->arch.guest_cr0;
    vmcb->cr4 = 0;
    vmcb->efer = EFER_SVME;                     /* VMRUN requires it in the guest's EFER */
    vmcb->rflags = 2;
    vmcb->rip = entry;
    memset(&v->regs, 0, sizeof(v->regs));
    v->regs.gpr[GPR_RBX] = start_info_gpa;
    if (v->domain->paging == PAGING_SHADOW)
        return svm_shadow_vcpu_init(v);
    return 0;
}

void vcpu_arch_destroy(struct vcpu *v)
{
    if (v->domain->paging == PAGING_SHADOW)
        svm_shadow_vcpu_destroy(v);
    if (v->arch.vmcb)
        free_pages(v->arch.vmcb, 0);
    v->arch.vmcb = NULL;
    svm_asid_free(v->arch.asid);
    v->arch.asid = 0;
    if (v->arch.xsave_area)
        free_pages(v->arch.xsave_area, 0);
    v->arch.xsave_area = NULL;
}

void vcpu_arch_load_fpu(struct vcpu *v)
{
    fpu_restore(v->arch.xsave_area, v->arch.xcr0);
}

void vcpu_arch_save_fpu(struct vcpu *v)
{
    fpu_save(v->arch.xsave_area, &v->arch.xcr0);
}
