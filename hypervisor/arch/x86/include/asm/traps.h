/* The register frame built by entry.S, and trap/IRQ dispatch. */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <sv/types.h>

struct cpu_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;      /* pushed by the CPU */
};

typedef void (*irq_handler_fn)(struct cpu_regs *regs);

#define VECTOR_TIMER    0xf0
#define VECTOR_KICK     0xf1    /* another CPU has an upcall for the vCPU running here */
#define VECTOR_RESCHED  0xf2    /* the scheduler has something else for this CPU */
#define VECTOR_SPURIOUS 0xff

void set_irq_handler(unsigned int vector, irq_handler_fn fn);
void do_trap(struct cpu_regs *regs);
void show_registers(const struct cpu_regs *regs);
void show_backtrace(uint64_t rbp, uint64_t rip);

#endif
