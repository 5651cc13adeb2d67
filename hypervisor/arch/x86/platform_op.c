/*
 * platform_op and mca: what dom0 asks about the physical machine.  Only
 * the questions Linux 6.1 asks at boot are answered; firmware_info says
 * -ENOSYS (we are not an EFI runtime proxy, and any answer >= 0 would make
 * Linux route EFI calls through us), as do the rest.
 */
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/errno.h>
#include <sv/guest_access.h>
#include <sv/string.h>
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <asm/platform.h>
#include <sv/acpi.h>
#include <xen/xen.h>
#include <xen/platform.h>
#include <xen/arch-x86/xen-mca.h>


static unsigned int last_cpu(void)
{
    unsigned int last = 0;

    for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++)
        if (percpu_of[cpu] && percpu_of[cpu]->online)
            last = cpu;
    return last;
}

/* The ACPI processor UID of the CPU with this APIC ID (MADT), for _PDC. */
static uint32_t acpi_uid_of(uint32_t apic_id)
{
    for (unsigned int i = 0; i < acpi.nr_cpus; i++)
        if (acpi.cpus[i].apic_id == apic_id)
            return acpi.cpus[i].acpi_uid;
    return apic_id;
}

static void cpu_info(struct xenpf_pcpuinfo *p)
{
    unsigned int cpu = p->xen_cpuid;

    p->max_present = last_cpu();
    if (cpu >= MAX_CPUS || !percpu_of[cpu]) {
        p->flags = XEN_PCPU_FLAGS_INVALID;
        return;
    }
    p->flags = percpu_of[cpu]->online ? XEN_PCPU_FLAGS_ONLINE : 0;
    p->apic_id = percpu_of[cpu]->apic_id;
    p->acpi_id = acpi_uid_of(p->apic_id);
}

long do_platform_op(struct vcpu *v, const unsigned long *a)
{
    struct xen_platform_op op;

    if (!v->domain->privileged)
        return -EPERM;
    if (copy_from_guest_virt(v, &op, a[0], sizeof(op)))
        return -EFAULT;
    if (op.interface_version != XENPF_INTERFACE_VERSION)
        return -EACCES;
    switch (op.cmd) {
    case XENPF_get_cpuinfo:
        cpu_info(&op.u.pcpu_info);
        return copy_to_guest_virt(v, a[0], &op, sizeof(op)) ? -EFAULT : 0;
    default:
        return -ENOSYS;
    }
}

/* One logical CPU as machine-check telemetry describes it.  Our CPUs are
 * alike (we run them all the same), so the identity is the boot CPU's. */
static void logical_cpu(unsigned int cpu, struct mcinfo_logical_cpu *l)
{
    struct cpuid_regs r0 = cpuid(0), r1 = cpuid(1);

    memset(l, 0, sizeof(*l));
    l->mc_cpunr = cpu;
    l->mc_apicid = percpu_of[cpu]->apic_id;
    l->mc_ncores = l->mc_ncores_active = l->mc_nthreads = 1;
    l->mc_cpuid_level = (int32_t)r0.eax;
    l->mc_family = (r1.eax >> 8) & 0xf;
    if (l->mc_family == 0xf)
        l->mc_family += (r1.eax >> 20) & 0xff;
    l->mc_model = ((r1.eax >> 4) & 0xf) | (((r1.eax >> 16) & 0xf) << 4);
    l->mc_step = r1.eax & 0xf;
    memcpy(l->mc_vendorid, &r0.ebx, 4);
    memcpy(l->mc_vendorid + 4, &r0.edx, 4);
    memcpy(l->mc_vendorid + 8, &r0.ecx, 4);
    l->mc_cpu_caps[0] = r1.edx;
    l->mc_cpu_caps[4] = r1.ecx;
}

long do_mca(struct vcpu *v, const unsigned long *a)
{
    struct xen_mc mc;
    unsigned int n = 0;

    if (!v->domain->privileged)
        return -EPERM;
    if (copy_from_guest_virt(v, &mc, a[0], sizeof(mc)))
        return -EFAULT;
    if (mc.interface_version != XEN_MCA_INTERFACE_VERSION)
        return -EACCES;
    if (mc.cmd != XEN_MC_physcpuinfo)
        return -ENOSYS;                 /* no telemetry to fetch, nothing to inject */
    struct xen_mc_physcpuinfo *p = &mc.u.mc_physcpuinfo;
    uint64_t buf = (uint64_t)(uintptr_t)p->info.p;
    for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++) {
        struct mcinfo_logical_cpu l;

        if (!percpu_of[cpu] || !percpu_of[cpu]->online)
            continue;
        if (buf && n < p->ncpus) {
            logical_cpu(cpu, &l);
            if (copy_to_guest_virt(v, buf + n * sizeof(l), &l, sizeof(l)))
                return -EFAULT;
        }
        n++;
    }
    if (buf && p->ncpus < n)
        n = p->ncpus;
    p->ncpus = n;
    return copy_to_guest_virt(v, a[0], &mc, sizeof(mc)) ? -EFAULT : 0;
}
