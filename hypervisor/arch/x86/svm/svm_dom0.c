/*
 * dom0 on CPU 0: it has the CPU for good.  Physical interrupts reach its
 * IDT directly and its local APIC is the real one, so CPU 0's timer stops
 * being ours, and we keep interrupts off whenever we run there (a pending
 * one waits in the APIC for dom0).  Its event upcalls are real IPIs on the
 * vector it registered, which Linux EOIs like any other.
 */
#include <sv/dom0.h>
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/machine.h>
#include <sv/panic.h>
#include <sv/params.h>
#include <sv/printk.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <asm/svm.h>
#include <asm/vcpu.h>
#include <xen/sched.h>

void arch_kick_dom0(struct vcpu *v)
{
    uint8_t vector = vcpu_upcall_vector(v);

    if (vector && percpu_of[0]) {
        lapic_send_ipi(percpu_of[0]->apic_id, vector);
        v->upcalls_injected++;          /* sent as an IPI, counted the same */
    }
}

static __noreturn void dom0_ended(struct domain *d)
{
    switch (d->shutdown_reason) {
    case SHUTDOWN_poweroff:
        printk("dom0 powered off: powering the machine off\n");
        machine_power_off();
    case SHUTDOWN_reboot:
        printk("dom0 asked for a reboot\n");
        machine_restart();
    default:
        printk(LOG_ERR "dom0 %s (reason %u%s%s): %s\n",
               d->state == DOMAIN_CRASHED ? "was stopped by the hypervisor" : "crashed",
               d->shutdown_reason, d->crash_reason[0] ? ", " : "", d->crash_reason,
               opt_noreboot ? "halting (noreboot)" : "rebooting");
        if (opt_noreboot)
            machine_halt();
        machine_restart();
    }
}

__noreturn void arch_run_dom0(struct vcpu *v)
{
    struct percpu *pc = this_cpu();

    if (svm_dom0_maps_init())
        panic("dom0: out of memory for its I/O and MSR maps");
    svm_vcpu_make_native(v);
    cli();
    lapic_timer_stop();
    v->cpu = pc->cpu;
    pc->current = v;
    vcpu_arch_load_fpu(v);
    for (;;) {
        enum vcpu_run_end end = vcpu_arch_run(v, UINT64_MAX);

        if (end == VCPU_RUN_DEAD)
            dom0_ended(v->domain);
        /* Block or down: there is nothing else for CPU 0 to do, and what
         * dom0 waits for comes as a physical interrupt into it. */
        v->block_requested = false;
        v->down_requested = false;
    }
}
