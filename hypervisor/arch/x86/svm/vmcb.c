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
#include <xen/xen.h>
#include <xen/hvm/hvm_vcpu.h>

static uint8_t *iopm;       /* 12 KiB: one bit per port, 1 = intercept */
static uint8_t *msrpm;      /* 8 KiB: two bits per MSR (read, write), 1 = intercept */
static uint8_t *dom0_iopm, *dom0_msrpm;

/* MSRPM layout (APM vol. 2, 15.11): three 2 KiB blocks of 8192 MSRs each.
 * The byte and bit of msr's read intercept; -1 outside the map (always intercepted). */
static int msrpm_bit(uint32_t msr, uint32_t *byte)
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
        return -1;
    }
    uint32_t bit = (msr - base) * 2;
    *byte = block + bit / 8;
    return (int)(bit % 8);
}

static void msrpm_set(uint8_t *map, uint32_t msr, bool read, bool write)
{
    uint32_t byte;
    int bit = msrpm_bit(msr, &byte);

    if (bit < 0)
        return;
    map[byte] = (uint8_t)((map[byte] & ~(3u << bit)) | ((read ? 1u : 0) << bit) |
                          ((write ? 2u : 0) << bit));
}

/*
 * dom0 owns the machine's devices and CPU 0: its ports and MSRs reach the
 * hardware, except the UART we print on and what keeps SVM ours (EFER's
 * SVME, VM_CR, the host save area) or the machine's memory map (SYSCFG).
 */
int svm_dom0_maps_init(void)
{
    dom0_iopm = alloc_pages(2);
    dom0_msrpm = alloc_pages(1);
    if (!dom0_iopm || !dom0_msrpm)
        return -ENOMEM;
    memset(dom0_iopm, 0, 4 * PAGE_SIZE);
    memset(dom0_msrpm, 0, 2 * PAGE_SIZE);
    for (unsigned int port = 0x3f8; port <= 0x3ff; port++)
        dom0_iopm[port / 8] |= (uint8_t)(1u << (port % 8));
    msrpm_set(dom0_msrpm, 0xc0000080, true, true);     /* EFER */
    msrpm_set(dom0_msrpm, 0xc0010114, true, true);     /* VM_CR */
    msrpm_set(dom0_msrpm, 0xc0010117, true, true);     /* VM_HSAVE_PA */
    msrpm_set(dom0_msrpm, 0xc0010010, false, true);    /* SYSCFG */
    msrpm_set(dom0_msrpm, 0x830, false, true);         /* x2APIC ICR: IPIs checked (dom0_apic.c) */
    msrpm_set(dom0_msrpm, 0x1b, false, true);          /* APIC_BASE: the APIC stays put */
    return 0;
}

void svm_vcpu_make_native(struct vcpu *v)
{
    struct vmcb *vmcb = v->arch.vmcb;

    /* Physical interrupts go straight to the guest's IDT, masked by its
     * own IF; HLT halts the CPU until one comes. */
    vmcb->intercept_misc1 &= ~(INTERCEPT_INTR | INTERCEPT_HLT);
    vmcb->vintr &= ~(1ull << 24);
    vmcb->iopm_base_pa = virt_to_phys(dom0_iopm);
    vmcb->msrpm_base_pa = virt_to_phys(dom0_msrpm);
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
        msrpm_set(msrpm, direct[i], false, false);
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

int vcpu_arch_init(struct vcpu *v)
{
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
    return 0;
}

/* The registers both context layouts carry, into the VMCB and our copy. */
static void load_gprs(struct vcpu *v, const uint64_t gpr[8], uint64_t rip, uint64_t rflags)
{
    static const unsigned int order[8] = { GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX,
                                           GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI };
    struct vmcb *vmcb = v->arch.vmcb;

    for (unsigned int i = 0; i < 8; i++)
        v->regs.gpr[order[i]] = gpr[i];
    v->regs.rip = rip;
    vmcb->rflags = rflags | 2;
    vmcb->rip = rip;
    vmcb->rsp = gpr[4];
    vmcb->rax = gpr[0];
}

static void load_context32(struct vcpu *v, const struct vcpu_hvm_x86_32 *r)
{
    struct vmcb *vmcb = v->arch.vmcb;

    /* Xen's packed attributes are the VMCB's; limits are byte limits.
     * Selectors are not part of the context: pick GDT-like ones that a
     * guest reloading its own GDT will replace anyway. */
    set_seg(&vmcb->cs, 0x08, r->cs_ar, r->cs_limit, r->cs_base);
    set_seg(&vmcb->ds, 0x10, r->ds_ar, r->ds_limit, r->ds_base);
    set_seg(&vmcb->es, 0x10, r->es_ar, r->es_limit, r->es_base);
    set_seg(&vmcb->ss, 0x10, r->ss_ar, r->ss_limit, r->ss_base);
    set_seg(&vmcb->fs, 0x10, r->ds_ar, r->ds_limit, r->ds_base);
    set_seg(&vmcb->gs, 0x10, r->ds_ar, r->ds_limit, r->ds_base);
    if (r->tr_ar)
        set_seg(&vmcb->tr, 0x18, r->tr_ar, r->tr_limit, r->tr_base);
    else
        set_seg(&vmcb->tr, 0x18, SEG_ATTR(0xb, 0, 0, 1, 0, 0, 0), 0x67, 0);
    vmcb->cpl = (r->ss_ar >> 5) & 3;
    load_gprs(v, (const uint64_t[8]){ r->eax, r->ecx, r->edx, r->ebx, r->esp, r->ebp, r->esi, r->edi },
              r->eip, r->eflags);
}

static void load_context64(struct vcpu *v, const struct vcpu_hvm_x86_64 *r)
{
    struct vmcb *vmcb = v->arch.vmcb;
    const uint16_t code64 = SEG_ATTR(0xb, 1, 0, 1, 1, 0, 1);
    const uint16_t data64 = SEG_ATTR(0x3, 1, 0, 1, 0, 1, 1);

    set_seg(&vmcb->cs, 0x08, code64, 0xffffffff, 0);
    set_seg(&vmcb->ds, 0x10, data64, 0xffffffff, 0);
    set_seg(&vmcb->es, 0x10, data64, 0xffffffff, 0);
    set_seg(&vmcb->ss, 0x10, data64, 0xffffffff, 0);
    set_seg(&vmcb->fs, 0x10, data64, 0xffffffff, 0);
    set_seg(&vmcb->gs, 0x10, data64, 0xffffffff, 0);
    set_seg(&vmcb->tr, 0x18, SEG_ATTR(0xb, 0, 0, 1, 0, 0, 0), 0x67, 0);
    vmcb->cpl = 0;
    load_gprs(v, (const uint64_t[8]){ r->rax, r->rcx, r->rdx, r->rbx, r->rsp, r->rbp, r->rsi, r->rdi },
              r->rip, r->rflags);
}

int vcpu_arch_set_context(struct vcpu *v, const struct vcpu_hvm_context *ctx)
{
    struct vmcb *vmcb = v->arch.vmcb;
    uint64_t cr0, cr3, cr4, efer;

    if (!vmcb || v->arch.context_set)
        return -EEXIST;
    memset(&v->regs, 0, sizeof(v->regs));
    set_seg(&vmcb->ldtr, 0, SEG_ATTR(0x2, 0, 0, 1, 0, 0, 0), 0xffff, 0);
    set_seg(&vmcb->gdtr, 0, 0, 0xffff, 0);
    set_seg(&vmcb->idtr, 0, 0, 0xffff, 0);
    if (ctx->mode == VCPU_HVM_MODE_64B) {
        const struct vcpu_hvm_x86_64 *r = &ctx->cpu_regs.x86_64;

        load_context64(v, r);
        cr0 = r->cr0, cr3 = r->cr3, cr4 = r->cr4, efer = r->efer | EFER_LMA;
    } else {
        const struct vcpu_hvm_x86_32 *r = &ctx->cpu_regs.x86_32;

        load_context32(v, r);
        cr0 = r->cr0, cr3 = r->cr3, cr4 = r->cr4, efer = r->efer;
        if ((efer & EFER_LME) && (cr0 & X86_CR0_PG))
            efer |= EFER_LMA;           /* compatibility mode */
        else
            efer &= ~(uint64_t)EFER_LMA;
    }
    v->arch.guest_cr0 = cr0 | X86_CR0_ET;
    v->arch.guest_cr3 = cr3;
    v->arch.guest_cr4 = cr4;
    v->arch.guest_efer = efer;
    v->arch.context_set = true;
    if (v->domain->paging == PAGING_SHADOW)
        return svm_shadow_vcpu_init(v);
    vmcb->cr0 = v->arch.guest_cr0;
    vmcb->cr3 = cr3;
    vmcb->cr4 = cr4;
    vmcb->efer = efer | EFER_SVME;              /* VMRUN requires it in the guest's EFER */
    return 0;
}

void vcpu_pvh_entry_context(struct vcpu_hvm_context *ctx, uint32_t entry, uint32_t start_info_gpa)
{
    struct vcpu_hvm_x86_32 *r = &ctx->cpu_regs.x86_32;

    /* Xen's PVH entry state (docs/misc/pvh.pandoc): flat 32-bit protected
     * mode, paging off, EBX = start_info. */
    memset(ctx, 0, sizeof(*ctx));
    ctx->mode = VCPU_HVM_MODE_32B;
    r->eip = entry;
    r->ebx = start_info_gpa;
    r->eflags = 2;
    r->cr0 = X86_CR0_PE | X86_CR0_ET;
    r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = 0xffffffff;
    r->cs_ar = SEG_ATTR(0xb, 1, 0, 1, 0, 1, 1);
    r->ds_ar = r->ss_ar = r->es_ar = SEG_ATTR(0x3, 1, 0, 1, 0, 1, 1);
    r->tr_ar = SEG_ATTR(0xb, 0, 0, 1, 0, 0, 0);
    r->tr_limit = 0x67;
}

void vcpu_arch_destroy(struct vcpu *v)
{
    if (v->domain->paging == PAGING_SHADOW && v->arch.context_set)
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
