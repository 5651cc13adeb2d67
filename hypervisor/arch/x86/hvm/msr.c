/*
 * Guest MSRs that trap.  The ones whose state VMRUN/VMLOAD switch (FS/GS
 * bases, SYSCALL and SYSENTER) never trap (see the MSR map in vmcb.c).
 * Unknown MSRs answer #GP, as on hardware that lacks them, which Linux's
 * *_safe accessors expect.
 */
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/errno.h>
#include <sv/hypercall.h>
#include <sv/page_alloc.h>
#include <sv/printk.h>
#include <asm/cpu.h>
#include <asm/dom0_apic.h>
#include <asm/hvm.h>
#include <asm/mm.h>
#include <asm/svm.h>
#include <asm/x86.h>

#define MSR_TSC            0x10
#define MSR_APIC_BASE_MSR  0x1b
#define MSR_X2APIC_ICR     0x830
#define MSR_MTRRCAP        0xfe
#define MSR_MISC_ENABLE    0x1a0
#define MSR_PAT            0x277
#define MSR_MTRR_DEF_TYPE  0x2ff

/* The guest hands us a page; we fill it with hypercall stubs. */
static int write_hypercall_page(struct vcpu *v, uint64_t val)
{
    uint64_t gpa = val & ~(uint64_t)(PAGE_SIZE - 1);
    uint8_t *page = alloc_pages(0);
    int rc;

    if ((val & (PAGE_SIZE - 1)) != 0 || !page)     /* only page 0 of 1 exists */
        rc = -EINVAL;
    else {
        hypercall_page_fill(page);
        rc = guest_phys_write(v->domain, gpa, page, PAGE_SIZE);
        if (!rc)
            v->arch.hypercall_page_gpa = gpa;
    }
    if (page)
        free_pages(page, 0);
    return rc ? -EINVAL : 0;
}

int guest_rdmsr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
    switch (msr) {
    case MSR_TSC:
        *val = rdtsc();
        return 0;
    case MSR_APIC_BASE_MSR:
        *val = 0xfee00000u | (1u << 11) | (v->id == 0 ? (1u << 8) : 0);
        return 0;
    case MSR_EFER:
        *val = svm_guest_efer(v);
        return 0;
    case MSR_PAT:
        *val = svm_guest_pat(v);
        return 0;
    case MSR_MTRRCAP:
    case MSR_MTRR_DEF_TYPE:
    case MSR_MISC_ENABLE:
        *val = 0;
        return 0;
    default:
        printk(LOG_DEBUG "d%u v%u: rdmsr %#x -> #GP\n", v->domain->id, v->id, msr);
        return -EINVAL;
    }
}

int guest_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    switch (msr) {
    case XEN_HYPERCALL_MSR:
        return write_hypercall_page(v, val);
    case MSR_APIC_BASE_MSR:
        return v->domain->is_dom0 ? dom0_apic_base_write(val) : -EINVAL;
    case MSR_X2APIC_ICR:
        if (!v->domain->is_dom0)
            return -EINVAL;
        dom0_x2apic_icr_write(val);
        return 0;
    case MSR_EFER:
        return svm_set_guest_efer(v, val);
    case MSR_PAT:
        svm_set_guest_pat(v, val);
        return 0;
    case MSR_MTRR_DEF_TYPE:
    case MSR_MISC_ENABLE:
        return 0;               /* caching is ours to decide; accept and ignore */
    default:
        printk(LOG_DEBUG "d%u v%u: wrmsr %#x=%#lx -> #GP\n", v->domain->id, v->id, msr,
               (unsigned long)val);
        return -EINVAL;
    }
}

/* A Bochs-style debug port: a guest can print a character to port 0xe9. */
#define DEBUG_PORT 0xe9

/* Ports the toolstack gave the domain (SV_DOMCTL_ioport_permission) reach
 * the hardware; the IOPM stays shared, so each access still exits. */
uint32_t guest_io_read(struct vcpu *v, uint16_t port, unsigned int size)
{
    if (domain_ioport_allowed(v->domain, port, size))
        return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
    return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;   /* nothing there */
}

void guest_io_write(struct vcpu *v, uint16_t port, unsigned int size, uint32_t val)
{
    if (domain_ioport_allowed(v->domain, port, size)) {
        if (size == 1)
            outb(port, (uint8_t)val);
        else if (size == 2)
            outw(port, (uint16_t)val);
        else
            outl(port, val);
        return;
    }
    if (port == DEBUG_PORT)
        printk(LOG_DEBUG "d%u: port e9: %c\n", v->domain->id, (char)val);
}
