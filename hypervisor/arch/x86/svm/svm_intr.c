/*
 * Event-channel upcalls into SVM guests.  The upcall is level-triggered:
 * before each VMRUN, while the vCPU's evtchn_upcall_pending is set, its
 * callback vector is injected as an external interrupt if the guest can
 * take one now (RFLAGS.IF=1, no STI/MOV-SS shadow, nothing else being
 * injected); otherwise a virtual interrupt request makes the CPU exit as
 * soon as it can (APM vol. 2, 15.21.4 "Interrupt Window").  The guest's
 * handler clears evtchn_upcall_pending with IF=0, so the level drops
 * before it could be taken twice.
 */
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/schedule.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <asm/svm.h>
#include <asm/traps.h>
#include <asm/vmcb.h>

#define RFLAGS_IF        (1ull << 9)
#define VINTR_V_IRQ      (1ull << 8)
#define VINTR_PRIO_SHIFT 16
#define VINTR_IGN_TPR    (1ull << 20)
#define INTERCEPT_VINTR  (1u << 4)

static void kick_interrupt(struct cpu_regs *regs)
{
    (void)regs;     /* the exit it caused is the point; the run loop looks again */
}

static void resched_interrupt(struct cpu_regs *regs)
{
    (void)regs;
    this_cpu()->need_resched = true;
}

void svm_intr_cpu_init(void)
{
    set_irq_handler(VECTOR_KICK, kick_interrupt);
    set_irq_handler(VECTOR_RESCHED, resched_interrupt);
}

void arch_resched_cpu(unsigned int cpu)
{
    if (cpu == smp_processor_id())
        this_cpu()->need_resched = true;
    else if (cpu < MAX_CPUS && percpu_of[cpu])
        lapic_send_ipi(percpu_of[cpu]->apic_id, VECTOR_RESCHED);
}

static void request_window(struct vmcb *vmcb, bool on)
{
    if (on) {
        vmcb->vintr |= VINTR_V_IRQ | (0xfull << VINTR_PRIO_SHIFT) | VINTR_IGN_TPR;
        vmcb->intercept_misc1 |= INTERCEPT_VINTR;
    } else {
        vmcb->vintr &= ~(VINTR_V_IRQ | VINTR_IGN_TPR | (0xfull << VINTR_PRIO_SHIFT));
        vmcb->intercept_misc1 &= ~INTERCEPT_VINTR;
    }
}

void svm_inject_upcall(struct vcpu *v)
{
    struct vmcb *vmcb = v->arch.vmcb;
    uint8_t vector = vcpu_upcall_vector(v);

    if (v->domain->is_dom0)
        return;                 /* a physical IPI (arch_kick_dom0) */
    if (!vector || !vcpu_upcall_pending(v)) {
        request_window(vmcb, false);
        return;
    }
    if ((vmcb->eventinj & EVENT_VALID) || !(v->regs.rflags & RFLAGS_IF) ||
        (vmcb->interrupt_shadow & 1)) {
        request_window(vmcb, true);
        return;
    }
    request_window(vmcb, false);
    vmcb->eventinj = EVENT_VALID | EVENT_TYPE_INTR | vector;
    v->upcalls_injected++;
}

void arch_kick_vcpu(struct vcpu *v)
{
    unsigned int cpu = v->cpu;

    if (v->domain->is_dom0) {
        arch_kick_dom0(v);
        return;
    }
    /* Only a vCPU in guest mode on another CPU needs the IPI; on this CPU it
     * is the one in a hypercall, and a queued one looks at its upcall at
     * its next VM entry anyway. */
    if (cpu != smp_processor_id() && cpu < MAX_CPUS && percpu_of[cpu] &&
        percpu_of[cpu]->current == v)
        lapic_send_ipi(percpu_of[cpu]->apic_id, VECTOR_KICK);
}

void arch_block_vcpu(struct vcpu *v)
{
    /* Leave the CPU unless there is already something to do; the scheduler
     * re-checks after it took the vCPU off (common/schedule.c). */
    if (!vcpu_should_wake(v))
        v->block_requested = true;
}
