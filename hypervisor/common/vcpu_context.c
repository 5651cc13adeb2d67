/* Checking a vCPU's first state (see sv/vcpu_context.h). */
#include <sv/errno.h>
#include <sv/vcpu_context.h>

#define CR0_PE (1ull << 0)
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define EFER_LME (1ull << 8)

/* Segment attributes, Xen's packed layout (= the VMCB's). */
#define AR_TYPE_CODE (1u << 3)
#define AR_S         (1u << 4)
#define AR_P         (1u << 7)
#define AR_L         (1u << 9)
#define AR_DB        (1u << 10)
#define AR_UNUSED    0xf000u

static int refuse(const char **why, const char *what)
{
    *why = what;
    return -EINVAL;
}

static bool canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

static int check_control(uint64_t cr0, uint64_t cr4, uint64_t efer, const char **why)
{
    if (cr0 & ~VCTX_CR0_ALLOWED)
        return refuse(why, "cr0 has reserved bits");
    if (!(cr0 & CR0_PE))
        return refuse(why, "cr0.PE is clear: real mode is not supported");
    if (cr4 & ~VCTX_CR4_ALLOWED)
        return refuse(why, "cr4 has reserved or unsupported bits");
    if (efer & ~VCTX_EFER_ALLOWED)
        return refuse(why, "efer has reserved bits");
    if ((efer & EFER_LME) && (cr0 & CR0_PG) && !(cr4 & CR4_PAE))
        return refuse(why, "long mode needs cr4.PAE");
    return 0;
}

/* A usable data/stack segment: present, or null (attributes 0). */
static bool data_seg_ok(uint16_t ar)
{
    return ar == 0 || ((ar & AR_P) && (ar & AR_S) && !(ar & AR_UNUSED));
}

int vcpu_context_check(const struct vcpu_hvm_context *ctx, const char **why)
{
    *why = "";
    if (ctx->mode == VCPU_HVM_MODE_64B) {
        const struct vcpu_hvm_x86_64 *r = &ctx->cpu_regs.x86_64;
        int rc = check_control(r->cr0, r->cr4, r->efer, why);

        if (rc)
            return rc;
        if (!(r->cr0 & CR0_PG) || !(r->cr4 & CR4_PAE) || !(r->efer & EFER_LME))
            return refuse(why, "64-bit mode needs cr0.PG, cr4.PAE and efer.LME");
        if (r->cr3 >> 52)
            return refuse(why, "cr3 beyond 52 bits");
        if (!canonical(r->rip) || !canonical(r->rsp))
            return refuse(why, "rip or rsp is not canonical");
        return 0;
    }
    if (ctx->mode == VCPU_HVM_MODE_32B) {
        const struct vcpu_hvm_x86_32 *r = &ctx->cpu_regs.x86_32;
        int rc = check_control(r->cr0, r->cr4, r->efer, why);

        if (rc)
            return rc;
        if (!(r->cs_ar & AR_P) || !(r->cs_ar & AR_S) || !(r->cs_ar & AR_TYPE_CODE) ||
            (r->cs_ar & AR_UNUSED))
            return refuse(why, "cs is not a present code segment");
        if ((r->cs_ar & AR_L) && (r->cs_ar & AR_DB))
            return refuse(why, "cs has both L and D/B");
        if (!data_seg_ok(r->ds_ar) || !data_seg_ok(r->es_ar) || !data_seg_ok(r->ss_ar) ||
            !(r->ss_ar & AR_P))
            return refuse(why, "ds, es or ss is not a present data segment");
        if (r->tr_ar && (!(r->tr_ar & AR_P) || (r->tr_ar & AR_S)))
            return refuse(why, "tr is not a present system segment");
        return 0;
    }
    return refuse(why, "mode is neither VCPU_HVM_MODE_32B nor VCPU_HVM_MODE_64B");
}
