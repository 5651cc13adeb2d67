/*
 * Per-CPU data.  GS base points at the CPU's struct percpu, whose first
 * field points at itself, so this_cpu() is one load.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <sv/types.h>
#include <asm/x86.h>

#define MAX_CPUS 64

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __packed;

struct percpu {
    struct percpu *self;            /* must stay first: %gs:0 */
    unsigned int cpu;               /* logical number, 0 = boot CPU */
    uint32_t apic_id;
    volatile bool online;
    volatile bool stopped;          /* halted by a panic on another CPU */
    void *stack;                    /* STACK_SIZE bytes */
    void *ist_stack[3];             /* #DF, NMI, #MC */
    volatile uint64_t timer_ticks;
    uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
    struct tss64 tss __attribute__((aligned(16)));
    paddr_t svm_hsave_pa;           /* VM_HSAVE_PA: the CPU's own save area */
    paddr_t svm_host_state_pa;      /* our FS/GS/TR/... saved by VMSAVE, restored after each exit */
    /* vCPUs this CPU runs one after the other, until the scheduler exists. */
    struct vcpu *runq_head, *runq_tail;
    volatile uint32_t runq_lock;
};

extern struct percpu *percpu_of[MAX_CPUS];

struct vcpu;
/* Queue v to run on cpu after whatever is queued there. */
void cpu_queue_vcpu(unsigned int cpu, struct vcpu *v);
extern unsigned int nr_cpus_online;
extern unsigned int nr_cpus_possible;

static inline struct percpu *this_cpu(void)
{
    struct percpu *p;

    __asm__ volatile("mov %%gs:0, %0" : "=r"(p));
    return p;
}

static inline unsigned int smp_processor_id(void)
{
    return this_cpu()->cpu;
}

#endif
