/*
 * Writes to a guarded device page (P2M_MMIO_WP): the guest may read the
 * page directly, but each write faults (an NPT fault, or a shadow #PF that
 * the p2m type refuses) and the instruction is emulated here, its accesses
 * to that page going through the page's checker.  The only such page so
 * far is CPU 0's local APIC page in dom0 (dom0_apic.c).
 */
#include <sv/domain.h>
#include <sv/errno.h>
#include <sv/guest_access.h>
#include <sv/guest_walk.h>
#include <sv/p2m.h>
#include <sv/printk.h>
#include <sv/string.h>
#include <sv/x86_decode.h>
#include <sv/x86_emulate.h>
#include <asm/apic.h>
#include <asm/dom0_apic.h>
#include <asm/svm.h>
#include <asm/vmcb.h>

struct mmio_emul {
    struct vcpu *v;
    uint64_t page;              /* the guarded page's guest-physical address */
};

static int translate(struct mmio_emul *e, enum x86_seg seg, uint64_t off, unsigned int size,
                     bool write, uint64_t *gpa)
{
    const struct vmcb *vmcb = e->v->arch.vmcb;
    uint64_t la = svm_seg_base(vmcb, seg) + off;
    uint32_t access = (write ? GW_ACCESS_WRITE : 0) | (vmcb->cpl == 3 ? GW_ACCESS_USER : 0);

    if ((la & (PAGE_SIZE - 1)) + size > PAGE_SIZE)
        return -EFAULT;         /* a register access never crosses a page */
    return vcpu_virt_to_gpa(e->v, la, access, gpa);
}

static bool guarded(const struct mmio_emul *e, uint64_t gpa)
{
    return (gpa & ~(uint64_t)(PAGE_SIZE - 1)) == e->page;
}

static int mmio_read(void *ctx, enum x86_seg seg, uint64_t off, void *buf, unsigned int size)
{
    struct mmio_emul *e = ctx;
    uint64_t gpa;

    if (translate(e, seg, off, size, false, &gpa))
        return -EFAULT;
    if (guarded(e, gpa))
        return dom0_apic_mmio_read(gpa & (PAGE_SIZE - 1), buf, size);
    return guest_phys_read(e->v->domain, gpa, buf, size);
}

static int mmio_write(void *ctx, enum x86_seg seg, uint64_t off, const void *buf, unsigned int size)
{
    struct mmio_emul *e = ctx;
    uint64_t gpa;

    if (translate(e, seg, off, size, true, &gpa))
        return -EFAULT;
    if (guarded(e, gpa))
        return dom0_apic_mmio_write(gpa & (PAGE_SIZE - 1), buf, size);
    return guest_phys_write(e->v->domain, gpa, buf, size);
}

/* A LOCKed read-modify-write on device registers: read, compare, write --
 * the device has no atomicity to offer, and CPU 0 is not running dom0. */
static int mmio_cmpxchg(void *ctx, enum x86_seg seg, uint64_t off, void *old, const void *new,
                        unsigned int size);

static const struct x86_emul_ops mmio_ops = { mmio_read, mmio_write, mmio_cmpxchg };

static int mmio_cmpxchg(void *ctx, enum x86_seg seg, uint64_t off, void *old, const void *new,
                        unsigned int size)
{
    return x86_emul_cmpxchg_by_rw(&mmio_ops, ctx, seg, off, old, new, size);
}

void svm_emulate_guarded_write(struct vcpu *v, uint64_t gpa)
{
    struct x86_insn insn;
    struct mmio_emul ctx = { v, gpa & ~(uint64_t)(PAGE_SIZE - 1) };
    int rc;

    if (!v->domain->is_dom0 || ctx.page != lapic_mmio_base()) {
        domain_crash(v->domain, "write to guarded page %#lx with no checker", (unsigned long)ctx.page);
        return;
    }
    if (svm_decode_at_rip(v, &insn))
        return;
    rc = x86_emulate_memory(&insn, &v->regs, &mmio_ops, &ctx);
    if (rc)
        domain_crash(v->domain, "cannot emulate %s at rip %#lx writing device page %#lx (%d)",
                     x86_kind_name(insn.kind), (unsigned long)v->regs.rip,
                     (unsigned long)ctx.page, rc);
}
