/*
 * crash=<kind> on the command line provokes a hypervisor exception after
 * boot, so the tests can see the register dump, the backtrace and the
 * panic that a real bug would produce.  Never used in normal operation.
 */
#include <sv/panic.h>
#include <sv/printk.h>
#include <sv/string.h>

void crash_test(const char *kind);

/* noinline, and a local on the stack, so this function has a frame of its
 * own and the backtrace shows its caller (GCC sets up no frame in a leaf
 * that never touches the stack, even with -fno-omit-frame-pointer). */
static __attribute__((noinline)) void crash_by_page_fault(void)
{
    volatile uint64_t *volatile bad = (volatile uint64_t *)(uintptr_t)0xdead0000ull;
    *bad = 0x5a5a;
}

/* A #PF whose delivery itself faults (the stack is unmapped) becomes a
 * double fault, which only works because #DF has its own IST stack. */
static __attribute__((noinline)) void crash_by_bad_stack(void)
{
    __asm__ volatile("mov $0xdead0000, %%rsp; pushq $0" ::: "memory");
}

void crash_test(const char *kind)
{
    printk(LOG_WARN "crash test '%s': provoking a hypervisor exception\n", kind);
    if (!strcmp(kind, "pf"))
        crash_by_page_fault();
    else if (!strcmp(kind, "ud"))
        __asm__ volatile("ud2");
    else if (!strcmp(kind, "de"))
        __asm__ volatile("xor %%ecx, %%ecx; div %%ecx" ::: "eax", "ecx", "edx");
    else if (!strcmp(kind, "gp"))
        __asm__ volatile("mov $0x8000000000000000, %%rax; mov (%%rax), %%rax" ::: "rax");
    else if (!strcmp(kind, "df"))
        crash_by_bad_stack();
    else if (!strcmp(kind, "bug"))
        BUG_ON(kind[0] == 'b');
    printk(LOG_ERR "crash test '%s' did not crash\n", kind);
}
