/*
 * The SVM side of shadow paging: the guest's CR0/CR3/CR4/EFER live in
 * struct arch_vcpu and the VMCB holds what the CPU really runs on (paging
 * always on, CR0.WP always set, CR4.PAE always set, CR3 = the shadow root).
 * Reads and writes of CR0/CR3/CR4, #PF and INVLPG trap here.
 */
#include <sv/dom0.h>
#include <sv/domain.h>
#include <sv/errno.h>
#include <sv/guest_access.h>
#include <sv/guest_walk.h>
#include <sv/page_alloc.h>
#include <sv/params.h>
#include <sv/printk.h>
#include <sv/shadow.h>
#include <sv/string.h>
#include <sv/x86_decode.h>
#include <sv/x86_emulate.h>
#include <asm/mm.h>
#include <asm/svm.h>
#include <asm/vmcb.h>
#include <asm/x86.h>

#define CR0_TS (1ull << 3)

/* Legacy-PAE CR3 is 32 bits wide, so a paging-off guest's shadow root must
 * sit below 4 GiB.  With RAM below 4 GiB (our test machines) every frame
 * does. */
/* Leaf tables with origin records, only when the audit will read them. */
static void *sh_alloc_leaf(void *ctx, mfn_t *mfn)
{
    void *p = alloc_pages(2);       /* 16 KiB: the table and its two origin pages */

    (void)ctx;
    if (p)
        *mfn = virt_to_phys(p) >> PAGE_SHIFT;
    return p;
}

static void sh_free_leaf(void *ctx, mfn_t mfn, void *table)
{
    (void)ctx;
    (void)mfn;
    free_pages(table, 2);
}

static const void *sh_frame_at(void *ctx, mfn_t mfn)
{
    (void)ctx;
    return phys_to_virt((paddr_t)mfn << PAGE_SHIFT);
}

static const struct shadow_ops sh_ops = {
    alloc_table_page, free_table_page, table_page_at, NULL, NULL, sh_frame_at,
};
static const struct shadow_ops sh_ops_audit = {
    alloc_table_page, free_table_page, table_page_at, sh_alloc_leaf, sh_free_leaf, sh_frame_at,
};

static bool guest_long_mode(const struct vcpu *v)
{
    return (v->arch.guest_efer & EFER_LME) && (v->arch.guest_cr0 & X86_CR0_PG);
}

static void audit_report(void *arg, uint64_t va, const char *why)
{
    struct vcpu *v = arg;

    if (v->arch.audit_failures++ < 20)
        printk(LOG_ERR "shadow audit: d%u v%u va %#lx: %s\n", v->domain->id, v->id,
               (unsigned long)va, why);
}

static void maybe_audit(struct vcpu *v)
{
    struct guest_paging gp;

    if (!opt_shadow_audit)
        return;
    svm_guest_paging(v, &gp);
    shadow_audit(&v->arch.shadow, &gp, audit_report, v);
}

static int shadow_failed(struct vcpu *v, int rc)
{
    if (rc == -EOPNOTSUPP)
        domain_crash(v->domain, "32-bit paging outside long mode is not shadowed (cr0 %#lx cr4 %#lx)",
                     (unsigned long)v->arch.guest_cr0, (unsigned long)v->arch.guest_cr4);
    else if (rc)
        domain_crash(v->domain, "out of memory for shadow page tables");
    return rc;
}

/* MOV to CR3: the paging mode is unchanged, so a kept root may serve. */
static int shadow_write_cr3(struct vcpu *v)
{
    struct guest_paging gp;
    int rc;

    svm_guest_paging(v, &gp);
    rc = shadow_set_cr3(&v->arch.shadow, &gp);
    if (rc)
        return shadow_failed(v, rc);
    v->arch.vmcb->cr3 = shadow_root_pa(&v->arch.shadow);
    v->arch.flush_tlb = true;       /* one ASID per vCPU: the old space's entries must go */
    return 0;
}

/* Recompute what the CPU runs on from the guest's view, and drop the shadows. */
static int shadow_update_mode(struct vcpu *v)
{
    struct vmcb *vmcb = v->arch.vmcb;
    struct guest_paging gp;
    int rc;

    if (!(v->arch.guest_cr0 & X86_CR0_PE)) {
        domain_crash(v->domain, "real mode is not supported under shadow paging");
        return -EOPNOTSUPP;
    }
    vmcb->cr0 = v->arch.guest_cr0 | X86_CR0_PG | X86_CR0_WP;
    vmcb->cr4 = v->arch.guest_cr4 | X86_CR4_PAE;
    vmcb->efer = EFER_SVME | EFER_NXE | (v->arch.guest_efer & EFER_SCE) |
                 (guest_long_mode(v) ? EFER_LME | EFER_LMA : 0);
    svm_guest_paging(v, &gp);
    rc = shadow_reset(&v->arch.shadow, &gp);
    if (rc)
        return shadow_failed(v, rc);
    vmcb->cr3 = shadow_root_pa(&v->arch.shadow);
    v->arch.flush_tlb = true;
    return 0;
}

int svm_shadow_vcpu_init(struct vcpu *v)
{
    struct vmcb *vmcb = v->arch.vmcb;

    shadow_init(&v->arch.shadow, opt_shadow_audit ? &sh_ops_audit : &sh_ops, v, &v->domain->p2m,
                &guest_walk_ops_p2m, v->domain);
    if (shadow_set_roots(&v->arch.shadow, v->domain->shadow_roots)) {
        domain_crash(v->domain, "shadow_roots=%u is not 1..%u", v->domain->shadow_roots,
                     SHADOW_MAX_ROOTS);
        return -EINVAL;
    }
    /* CR0, CR3, CR4: reads (bits 0-15) and writes (bits 16-31). */
    vmcb->intercept_cr = (1u << 0) | (1u << 3) | (1u << 4) | (1u << 16) | (1u << 19) | (1u << 20);
    vmcb->intercept_exceptions |= 1u << 14;
    vmcb->intercept_misc1 |= INTERCEPT_INVLPG;
    return shadow_update_mode(v);
}

void svm_shadow_vcpu_destroy(struct vcpu *v)
{
    shadow_destroy(&v->arch.shadow);
}

/* Before each VMRUN: a p2m change invalidates every shadow. */
void svm_shadow_before_entry(struct vcpu *v)
{
    if (v->arch.shadow_reset_pending) {
        v->arch.shadow_reset_pending = false;
        shadow_update_mode(v);
    }
}

int svm_shadow_set_efer(struct vcpu *v, uint64_t val)
{
    /* LMA follows LME and PG; it is not the guest's to write. */
    v->arch.guest_efer = val & ~(uint64_t)EFER_LMA;
    if (guest_long_mode(v))
        v->arch.guest_efer |= EFER_LMA;
    return shadow_update_mode(v);
}

/* MOV to CR0 / CLTS / LMSW: the checks a CPU makes, then the new mode. */
static int write_cr0(struct vcpu *v, uint64_t val)
{
    if ((val >> 32) || ((val & X86_CR0_PG) && !(val & X86_CR0_PE)))
        return -EINVAL;
    if ((val & X86_CR0_PG) && (v->arch.guest_efer & EFER_LME) && !(v->arch.guest_cr4 & X86_CR4_PAE))
        return -EINVAL;
    v->arch.guest_cr0 = val | X86_CR0_ET;
    if (guest_long_mode(v))
        v->arch.guest_efer |= EFER_LMA;
    else
        v->arch.guest_efer &= ~(uint64_t)EFER_LMA;
    return shadow_update_mode(v);
}

static int write_cr(struct vcpu *v, unsigned int cr, uint64_t val)
{
    switch (cr) {
    case 0:
        return write_cr0(v, val);
    case 3:
        v->arch.guest_cr3 = val;
        return shadow_write_cr3(v);
    case 4:
        if ((v->arch.guest_efer & EFER_LMA) && !(val & X86_CR4_PAE))
            return -EINVAL;                 /* long mode needs PAE */
        v->arch.guest_cr4 = val;
        return shadow_update_mode(v);
    default:
        return -EINVAL;
    }
}

static uint64_t read_cr(const struct vcpu *v, unsigned int cr)
{
    return cr == 0 ? v->arch.guest_cr0 : cr == 3 ? v->arch.guest_cr3 : v->arch.guest_cr4;
}

void svm_shadow_cr_access(struct vcpu *v, const struct x86_insn *insn)
{
    struct guest_regs *r = &v->regs;
    uint64_t mask = insn->op_size == 8 ? ~0ull : 0xffffffffull;
    int rc = 0;

    switch (insn->kind) {
    case X86_MOV_TO_CR:
        rc = write_cr(v, insn->ctl_reg, r->gpr[insn->reg] & mask);
        break;
    case X86_MOV_FROM_CR:
        r->gpr[insn->reg] = read_cr(v, insn->ctl_reg) & mask;
        break;
    case X86_CLTS:
        rc = write_cr0(v, v->arch.guest_cr0 & ~CR0_TS);
        break;
    case X86_LMSW:
        if (insn->has_mem) {
            rc = -EINVAL;
            break;
        }
        /* LMSW sets PE/MP/EM/TS and cannot clear PE (SDM vol. 2, LMSW). */
        rc = write_cr0(v, (v->arch.guest_cr0 & ~0xeull) | (r->gpr[insn->rm] & 0xf) |
                              (v->arch.guest_cr0 & X86_CR0_PE));
        break;
    case X86_SMSW:
        if (insn->has_mem) {
            rc = -EINVAL;
            break;
        }
        r->gpr[insn->rm] = (r->gpr[insn->rm] & ~x86_size_mask(insn->op_size)) |
                           (v->arch.guest_cr0 & x86_size_mask(insn->op_size));
        break;
    default:
        domain_crash(v->domain, "CR access exit for %s", x86_kind_name(insn->kind));
        return;
    }
    if (rc == -EINVAL) {
        svm_inject_exception(v, 13, true, 0);
        return;
    }
    if (!rc)
        r->rip += insn->len;
    maybe_audit(v);
}

/* ---- writes that only CR0.WP=0 allows: emulated through the gpa ----- */

struct wp_emul {
    struct vcpu *v;
};

static int emul_addr(struct vcpu *v, enum x86_seg seg, uint64_t off, unsigned int size,
                     bool write, uint64_t *gpa)
{
    uint64_t la = svm_seg_base(v->arch.vmcb, seg) + off;

    if ((la & (PAGE_SIZE - 1)) + size > PAGE_SIZE)
        return -EFAULT;                     /* split accesses: not needed by page-table code */
    (void)write;
    /* Supervisor access, no W check: that is the point of WP=0. */
    return vcpu_virt_to_gpa(v, la, 0, gpa);
}

static int emul_read(void *ctx, enum x86_seg seg, uint64_t off, void *buf, unsigned int size)
{
    struct wp_emul *e = ctx;
    uint64_t gpa;

    return emul_addr(e->v, seg, off, size, false, &gpa) ? -EFAULT
         : guest_phys_read(e->v->domain, gpa, buf, size);
}

static int emul_write(void *ctx, enum x86_seg seg, uint64_t off, const void *buf, unsigned int size)
{
    struct wp_emul *e = ctx;
    uint64_t gpa;

    return emul_addr(e->v, seg, off, size, true, &gpa) ? -EFAULT
         : guest_phys_write(e->v->domain, gpa, buf, size);
}

static int emul_cmpxchg(void *ctx, enum x86_seg seg, uint64_t off, void *old, const void *new,
                        unsigned int size);

static const struct x86_emul_ops wp_emul_ops = { emul_read, emul_write, emul_cmpxchg };

static int emul_cmpxchg(void *ctx, enum x86_seg seg, uint64_t off, void *old, const void *new,
                        unsigned int size)
{
    return x86_emul_cmpxchg_by_rw(&wp_emul_ops, ctx, seg, off, old, new, size);
}

static void emulate_wp0_write(struct vcpu *v)
{
    struct x86_insn insn;
    struct wp_emul ctx = { v };

    if (svm_decode_at_rip(v, &insn))
        return;
    if (x86_emulate_memory(&insn, &v->regs, &wp_emul_ops, &ctx))
        domain_crash(v->domain, "cannot emulate %s at rip %#lx (CR0.WP=0 write)",
                     x86_kind_name(insn.kind), (unsigned long)v->regs.rip);
}

void svm_shadow_page_fault(struct vcpu *v)
{
    struct vmcb *vmcb = v->arch.vmcb;
    struct shadow_fault_info info;
    struct guest_paging gp;
    uint64_t va = vmcb->exitinfo2;

    svm_guest_paging(v, &gp);
    switch (shadow_fault(&v->arch.shadow, &gp, va, (uint32_t)vmcb->exitinfo1, &info)) {
    case SHADOW_FIXED:
    case SHADOW_RETRY:
        break;
    case SHADOW_GUEST_FAULT:
        vmcb->cr2 = info.cr2;
        svm_inject_exception(v, 14, true, info.pfec);
        break;
    case SHADOW_GUEST_GP:
        svm_inject_exception(v, 13, true, 0);
        break;
    case SHADOW_EMULATE:
        emulate_wp0_write(v);
        break;
    case SHADOW_NOT_RAM: {
        enum p2m_type type;

        p2m_lookup(&v->domain->p2m, info.bad_gpa >> PAGE_SHIFT, &type);
        if (type == P2M_MMIO_WP && (vmcb->exitinfo1 & GW_ACCESS_WRITE)) {
            svm_emulate_guarded_write(v, info.bad_gpa);
            break;
        }
        if (type == P2M_INVALID && v->domain->is_dom0 &&
            dom0_map_on_demand(v->domain, info.bad_gpa >> PAGE_SHIFT) == 0)
            break;              /* device memory, mapped 1:1 on first touch: retry */
        domain_crash(v->domain, "touched guest-physical address %#lx outside its p2m "
                     "(va %#lx, rip %#lx)", (unsigned long)info.bad_gpa, (unsigned long)va,
                     (unsigned long)vmcb->rip);
        break;
    }
    case SHADOW_NO_MEMORY:
        domain_crash(v->domain, "out of memory for shadow page tables");
        break;
    case SHADOW_UNSUPPORTED:
        domain_crash(v->domain, "guest paging mode not supported by shadow paging");
        break;
    }
    maybe_audit(v);
}

void svm_shadow_invlpg(struct vcpu *v, const struct x86_insn *insn)
{
    struct vmcb *vmcb = v->arch.vmcb;
    uint64_t ea;
    int seg = x86_effective_address(insn, &v->regs, &ea);

    if (seg < 0) {
        domain_crash(v->domain, "INVLPG without a memory operand");
        return;
    }
    ea += svm_seg_base(vmcb, (unsigned int)seg);
    if (shadow_invlpg(&v->arch.shadow, ea) == SHADOW_INVLPG_PAGE)
        /* Just this page, in this vCPU's ASID (APM vol. 3, INVLPGA). */
        __asm__ volatile("invlpga %%rax, %%ecx" :: "a"(ea), "c"(v->arch.asid) : "memory");
    else
        v->arch.flush_tlb = true;
    v->regs.rip += insn->len;
    maybe_audit(v);
}
