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
    uint64_t sched_ticks_seen;      /* timer_ticks at the last scheduler tick */
    volatile bool need_resched;     /* the scheduler has something else for this CPU */
    struct vcpu *last_vcpu;         /* whose translations may be in the TLB */
    struct vcpu *current;           /* the vCPU running here; NULL when idle */
};

extern struct percpu *percpu_of[MAX_CPUS];

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
