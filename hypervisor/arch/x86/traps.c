/*
 * Trap and interrupt dispatch.  An exception in the hypervisor is always
 * fatal: print everything a reader needs to find the bug (vector, error
 * code, registers, CR2, a backtrace with symbols) and panic.  An NMI while
 * another CPU panics stops this CPU.
 */
#include <sv/panic.h>
#include <sv/printk.h>
#include <sv/symbols.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/percpu.h>
#include <asm/traps.h>
#include <asm/x86.h>

static irq_handler_fn irq_handlers[256];

static const char *const exception_names[32] = {
    "divide error (#DE)", "debug (#DB)", "NMI", "breakpoint (#BP)",
    "overflow (#OF)", "bound range (#BR)", "invalid opcode (#UD)",
    "device not available (#NM)", "double fault (#DF)", "coprocessor overrun",
    "invalid TSS (#TS)", "segment not present (#NP)", "stack fault (#SS)",
    "general protection (#GP)", "page fault (#PF)", "reserved (15)",
    "x87 floating point (#MF)", "alignment check (#AC)", "machine check (#MC)",
    "SIMD floating point (#XM)", "virtualization (#VE)", "control protection (#CP)",
    "reserved (22)", "reserved (23)", "reserved (24)", "reserved (25)",
    "reserved (26)", "reserved (27)", "hypervisor injection (#HV)",
    "VMM communication (#VC)", "security (#SX)", "reserved (31)",
};

void set_irq_handler(unsigned int vector, irq_handler_fn fn)
{
    irq_handlers[vector & 0xff] = fn;
}

void show_registers(const struct cpu_regs *r)
{
    printk(LOG_ERR "RIP: %04lx:[<%016lx>] %s\n", (unsigned long)r->cs,
           (unsigned long)r->rip, symbol_name(r->rip, NULL));
    printk(LOG_ERR "RFLAGS: %016lx   CPU: %u\n", (unsigned long)r->rflags, smp_processor_id());
    printk(LOG_ERR "rax: %016lx   rbx: %016lx   rcx: %016lx\n", r->rax, r->rbx, r->rcx);
    printk(LOG_ERR "rdx: %016lx   rsi: %016lx   rdi: %016lx\n", r->rdx, r->rsi, r->rdi);
    printk(LOG_ERR "rbp: %016lx   rsp: %016lx   r8:  %016lx\n", r->rbp, r->rsp, r->r8);
    printk(LOG_ERR "r9:  %016lx   r10: %016lx   r11: %016lx\n", r->r9, r->r10, r->r11);
    printk(LOG_ERR "r12: %016lx   r13: %016lx   r14: %016lx\n", r->r12, r->r13, r->r14);
    printk(LOG_ERR "r15: %016lx   cr0: %016lx   cr4: %016lx\n", r->r15,
           (unsigned long)read_cr0(), (unsigned long)read_cr4());
    printk(LOG_ERR "cr3: %016lx   cr2: %016lx\n", (unsigned long)read_cr3(),
           (unsigned long)read_cr2());
}

static bool frame_readable(uint64_t fp)
{
    /* Frames live on one of our stacks: in the image (boot stack) or the
     * direct map (heap-allocated stacks).  Anything else ends the walk. */
    extern char _start[], _end[];
    bool in_image = fp >= (uint64_t)(uintptr_t)_start && fp + 16 <= (uint64_t)(uintptr_t)_end;
    bool in_directmap = fp >= 0xffff830000000000ull && fp < 0xffff840000000000ull;

    return (fp & 7) == 0 && (in_image || in_directmap);
}

/* The raw top of the stack: when the faulting function had not set up its
 * frame yet, its caller's return address is found here, not in the chain. */
static void show_stack(uint64_t rsp)
{
    const uint64_t *sp = (const uint64_t *)(uintptr_t)rsp;

    if (!frame_readable(rsp) || !frame_readable(rsp + 24))
        return;
    printk(LOG_ERR "Stack at %016lx: %016lx %016lx %016lx %016lx\n", (unsigned long)rsp,
           sp[0], sp[1], sp[2], sp[3]);
}

void show_backtrace(uint64_t rbp, uint64_t rip)
{
    printk(LOG_ERR "Backtrace:\n");
    printk(LOG_ERR "   [<%016lx>] %s\n", (unsigned long)rip, symbol_name(rip, NULL));
    for (unsigned int depth = 0; depth < 32 && frame_readable(rbp); depth++) {
        const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
        uint64_t ret = frame[1];

        if (!ret)
            break;
        printk(LOG_ERR "   [<%016lx>] %s\n", (unsigned long)ret, symbol_name(ret, NULL));
        if (frame[0] <= rbp)        /* stacks grow down: callers are higher */
            break;
        rbp = frame[0];
    }
}

static void do_nmi(struct cpu_regs *regs)
{
    if (panic_in_progress()) {
        this_cpu()->stopped = true;
        halt_forever();
    }
    printk(LOG_WARN "NMI on CPU %u at %016lx (%s)\n", smp_processor_id(),
           (unsigned long)regs->rip, symbol_name(regs->rip, NULL));
}

static void do_exception(struct cpu_regs *regs)
{
    printk_force_unlock();
    printk(LOG_ERR "----[ splitvisor exception ]----\n");
    printk(LOG_ERR "CPU %u: vector %lu: %s, error code %04lx\n", smp_processor_id(),
           (unsigned long)regs->vector, exception_names[regs->vector],
           (unsigned long)regs->error_code);
    if (regs->vector == X86_EXC_PF)
        printk(LOG_ERR "page fault at %016lx: %s %s in %s mode%s\n",
               (unsigned long)read_cr2(),
               (regs->error_code & 1) ? "protection violation" : "not present",
               (regs->error_code & 16) ? "fetch" : (regs->error_code & 2) ? "write" : "read",
               (regs->error_code & 4) ? "user" : "supervisor",
               (regs->error_code & 8) ? " (reserved bit set)" : "");
    show_registers(regs);
    show_stack(regs->rsp);
    show_backtrace(regs->rbp, regs->rip);
    panic("fatal trap %lu (%s) on CPU %u", (unsigned long)regs->vector,
          exception_names[regs->vector], smp_processor_id());
}

void do_trap(struct cpu_regs *regs)
{
    unsigned int vector = regs->vector & 0xff;

    if (vector == X86_EXC_NMI) {
        do_nmi(regs);
        return;
    }
    if (vector < 32) {
        do_exception(regs);
        return;
    }
    if (irq_handlers[vector])
        irq_handlers[vector](regs);
    else if (vector != VECTOR_SPURIOUS)
        printk(LOG_WARN "CPU %u: unexpected interrupt vector %u\n", smp_processor_id(), vector);
    if (vector != VECTOR_SPURIOUS)
        lapic_eoi();
}
