/*
 * What CPUID tells a guest: the host's answers, less what we do not
 * virtualize (SVM itself, x2APIC, MONITOR/MWAIT, perf counters), plus the
 * "hypervisor present" bit and Xen's leaves at 0x40000000 so Xen-aware
 * guests (Linux, the test kernels) find the hypercall interface.
 */
#include <sv/domain.h>
#include <sv/hypercall.h>
#include <sv/pvclock.h>
#include <sv/string.h>
#include <asm/cpu.h>
#include <asm/hvm.h>
#include <asm/time.h>
#include <xen/xen.h>
#include <xen/arch-x86/cpuid.h>

#define XEN_CPUID_BASE   0x40000000u
#define XEN_CPUID_LAST   (XEN_CPUID_BASE + 4)

static void xen_leaves(struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
    (void)v;
    memset(r, 0, 4 * sizeof(uint32_t));
    switch (leaf - XEN_CPUID_BASE) {
    case 0:
        r[0] = XEN_CPUID_LAST;
        memcpy(&r[1], "XenV", 4);       /* ebx ecx edx = "XenVMMXenVMM" */
        memcpy(&r[2], "MMXe", 4);
        memcpy(&r[3], "nVMM", 4);
        break;
    case 1:
        r[0] = XEN_ABI_VERSION;
        break;
    case 2:
        r[0] = 1;                       /* hypercall pages */
        r[1] = XEN_HYPERCALL_MSR;
        break;
    case 3:                             /* time: the TSC as the guest sees it */
        if (subleaf == 0) {
            r[2] = (uint32_t)tsc_khz(); /* ecx: guest TSC kHz (no scaling, no offset) */
        } else if (subleaf == 1) {
            struct pvclock_scale sc = pvclock_scale_for(tsc_khz());
            r[2] = sc.mul;
            r[3] = (uint32_t)(int32_t)sc.shift;
        } else if (subleaf == 2) {
            r[2] = (uint32_t)tsc_khz(); /* host TSC kHz */
        }
        break;
    case 4:                             /* HVM features */
        /* vCPU id in ebx; HVMOP_set_evtchn_upcall_vector works (Linux
         * needs it for per-vCPU upcalls, and dom0 has no other way). */
        r[0] = XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_UPCALL_VECTOR;
        r[1] = v->id;
        break;
    default:
        break;
    }
}

void guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
    if (leaf >= XEN_CPUID_BASE && leaf <= XEN_CPUID_LAST) {
        xen_leaves(v, leaf, subleaf, r);
        return;
    }
    if (leaf >= XEN_CPUID_BASE && leaf < 0x80000000u) {
        memset(r, 0, 4 * sizeof(uint32_t));
        return;
    }

    struct cpuid_regs h = cpuid_count(leaf, subleaf);
    r[0] = h.eax;
    r[1] = h.ebx;
    r[2] = h.ecx;
    r[3] = h.edx;

    switch (leaf) {
    case 1:
        r[2] &= ~(1u << 3);                     /* MONITOR */
        r[2] |= 1u << 31;                       /* hypervisor present */
        /* Shadow paging keeps no per-PCID state and does not intercept
         * INVPCID, so a flush the guest does that way would never reach
         * the shadows: no PCID (nor INVPCID, leaf 7) under shadow paging. */
        if (v->domain->paging == PAGING_SHADOW)
            r[2] &= ~(1u << 17);                /* PCID */
        if (v->domain->is_dom0)
            break;                              /* its APIC is the real one */
        r[2] &= ~(1u << 21);                    /* x2APIC */
        r[1] = (r[1] & 0x00ffffffu) | (v->id << 24);    /* initial APIC ID = vCPU id */
        break;
    case 7:
        /* Protection keys and 5-level paging: our page walker (for
         * hypercall arguments, instruction fetch, shadow paging) does
         * neither, so no guest may turn them on. */
        if (subleaf == 0)
            r[2] &= ~((1u << 3) | (1u << 4) | (1u << 16));      /* PKU, OSPKE, LA57 */
        if (subleaf == 0 && v->domain->paging == PAGING_SHADOW)
            r[1] &= ~(1u << 10);                /* INVPCID (see leaf 1) */
        break;
    case 0x8000001f:                            /* SME/SEV: never for guests */
        memset(r, 0, 4 * sizeof(uint32_t));
        break;
    case 5:                                     /* MONITOR/MWAIT leaf */
    case 0xa:                                   /* architectural perf counters */
        memset(r, 0, 4 * sizeof(uint32_t));
        break;
    case 0x80000001:
        r[2] &= ~(1u << 2);                     /* SVM: no nested virtualization */
        break;
    case 0x8000000a:                            /* SVM features */
        memset(r, 0, 4 * sizeof(uint32_t));
        break;
    default:
        break;
    }
}
