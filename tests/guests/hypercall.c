/*
 * Xen detection and hypercalls.
 *
 * Detection follows Linux's hypervisor_cpuid_base(): the signature
 * "XenVMMXenVMM" in EBX:ECX:EDX of a leaf 0x40000000 + n * 0x100,
 * n = 0 .. 0xff, whose EAX says at least leaves base+1 and base+2 exist.
 * Leaf base+2 gives the MSR that installs the hypercall page: writing the
 * page's guest-physical address to it makes Xen fill the page with one
 * 32-byte stub per hypercall (xen/arch-x86/cpuid.h).
 *
 * A hypercall is a call into that page at 32 * nr with the 64-bit register
 * convention: RDI, RSI, RDX, R10, R8 carry arguments 1-5, RAX the result
 * (xen/arch-x86/xen-x86_64.h; Linux's asm/xen/hypercall.h).
 *
 * Xen fills each stub with "mov $nr, %eax; vmmcall (or vmcall); ret"
 * (hvm_hypercall_page_initialise); xen_init() finds the VMMCALL of the
 * sched_op stub for xen_block_fixup().
 */
#include "svguest.h"                 /* first: Xen's headers need <stdint.h> */
/* The Makefile asks for the current interface (__XEN_INTERFACE_VERSION__). */
#include <xen/xen.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/arch-x86/hvm/start_info.h>

bool xen_present;
static uint32_t xen_base;

bool xen_detected(void)
{
    return xen_base != 0;
}

/* sched_op's stub: block_stub is its first byte, block_trap its VMMCALL (or
 * VMCALL), a 3-byte instruction followed by RET.  0 if it is not like that. */
static uint64_t block_stub, block_trap;

static long hypercall(unsigned int nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t rdi __asm__("rdi") = a1;
    register uint64_t rsi __asm__("rsi") = a2;
    register uint64_t rdx __asm__("rdx") = a3;
    register uint64_t r10 __asm__("r10") = 0;
    register uint64_t r8 __asm__("r8") = 0;
    long ret;
    __asm__ volatile("call *%[fn]"
                     : "=a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8)
                     : [fn] "r"(hypercall_page + 32 * nr)
                     : "memory", "rcx", "r11", "r9");
    return ret;
}

static uint32_t xen_cpuid_base(void)
{
    for (uint32_t base = XEN_CPUID_FIRST_LEAF; base < XEN_CPUID_FIRST_LEAF + 0x10000; base += 0x100) {
        uint32_t a, b, c, d;
        cpuid(base, 0, &a, &b, &c, &d);
        if (b == XEN_CPUID_SIGNATURE_EBX && c == XEN_CPUID_SIGNATURE_ECX &&
            d == XEN_CPUID_SIGNATURE_EDX && a - base >= 2)
            return base;
    }
    return 0;
}

void xen_init(void)
{
    uint32_t a, b, c, d;
    xen_base = xen_cpuid_base();
    if (!xen_base)
        return;
    /* Leaf base+2: EAX = number of hypercall pages, EBX = the MSR. */
    cpuid(xen_base + 2, 0, &a, &b, &c, &d);
    if (a < 1)
        return;
    wrmsr(b, (uint64_t)(uintptr_t)hypercall_page);
    /* The page was INT3s; if it still is, Xen did not fill it. */
    xen_present = (unsigned char)hypercall_page[0] != 0xcc;
    if (!xen_present)
        return;
    const unsigned char *stub = (const unsigned char *)hypercall_page + 32 * __HYPERVISOR_sched_op;
    for (unsigned int i = 0; i + 4 <= 32; i++)
        if (stub[i] == 0x0f && stub[i + 1] == 0x01 && (stub[i + 2] == 0xd9 || stub[i + 2] == 0xc1) &&
            stub[i + 3] == 0xc3) {
            block_stub = (uintptr_t)stub;
            block_trap = (uintptr_t)stub + i;
            break;
        }
}

void xen_banner(void)
{
    if (!xen_base) {
        kprintf("svguest: no Xen CPUID leaves: bare metal (COM1 console)\n");
        return;
    }
    if (!xen_present) {
        kprintf("svguest: Xen CPUID leaves at %#x but the hypercall page stayed empty\n", xen_base);
        return;
    }
    long v = hypercall(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
    xen_extraversion_t extra;
    memset(extra, 0, sizeof(extra));
    if (hypercall(__HYPERVISOR_xen_version, XENVER_extraversion, (uintptr_t)extra, 0) < 0)
        extra[0] = '\0';
    extra[sizeof(extra) - 1] = '\0';
    kprintf("svguest: Xen %ld.%ld%s (CPUID base %#x, hypercall page at %p)\n",
            (v >> 16) & 0xffff, v & 0xffff, extra, xen_base, (void *)hypercall_page);
}

long xen_console_write(const char *s, size_t n)
{
    return hypercall(__HYPERVISOR_console_io, CONSOLEIO_write, n, (uintptr_t)s);
}

_Noreturn void xen_shutdown(enum exit_kind how)
{
    static const unsigned int reason[] = {
        [EXIT_POWEROFF] = SHUTDOWN_poweroff,
        [EXIT_REBOOT] = SHUTDOWN_reboot,
        [EXIT_CRASH] = SHUTDOWN_crash,
    };
    struct sched_shutdown sd = { .reason = reason[how] };
    hypercall(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (uintptr_t)&sd, 0);
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* XENMEM_memory_map: the E820-style map Linux asks for when start_info has
 * none (version 0).  Entries are struct e820entry: u64 addr, u64 size,
 * u32 type, packed (20 bytes); the types are the E820 ones, which
 * start_info.h names XEN_HVM_MEMMAP_TYPE_*. */
int xen_memory_map(void)
{
    static struct __attribute__((packed)) { uint64_t addr, size; uint32_t type; } map[64];
    struct xen_memory_map mm = { .nr_entries = ARRAY_SIZE(map) };
    if (!xen_present)
        return -1;
    set_xen_guest_handle(mm.buffer, (void *)map);
    long rc = hypercall(__HYPERVISOR_memory_op, XENMEM_memory_map, (uintptr_t)&mm, 0);
    if (rc < 0)
        return (int)rc;
    int n = 0;
    for (unsigned int i = 0; i < mm.nr_entries && i < ARRAY_SIZE(map); i++)
        if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM) {
            mem_add_ram(map[i].addr, map[i].size);
            n++;
        }
    return n;
}

long HYPERVISOR_sched_op(int cmd, void *arg)
{
    return hypercall(__HYPERVISOR_sched_op, (uint64_t)cmd, (uintptr_t)arg, 0);
}

long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{
    return hypercall(__HYPERVISOR_memory_op, cmd, (uintptr_t)arg, 0);
}

long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
    return hypercall(__HYPERVISOR_event_channel_op, (uint64_t)cmd, (uintptr_t)arg, 0);
}

long HYPERVISOR_grant_table_op(unsigned int cmd, void *uop, unsigned int count)
{
    return hypercall(__HYPERVISOR_grant_table_op, cmd, (uintptr_t)uop, count);
}

long HYPERVISOR_xen_version(int cmd, void *arg)
{
    return hypercall(__HYPERVISOR_xen_version, (uint64_t)cmd, (uintptr_t)arg, 0);
}

long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
    return hypercall(__HYPERVISOR_vcpu_op, (uint64_t)cmd, vcpu, (uintptr_t)arg);
}

long HYPERVISOR_hvm_op(int op, void *arg)
{
    return hypercall(__HYPERVISOR_hvm_op, (uint64_t)op, (uintptr_t)arg, 0);
}

long HYPERVISOR_domctl(void *op)
{
    return hypercall(__HYPERVISOR_domctl, (uintptr_t)op, 0, 0);
}

long HYPERVISOR_sysctl(void *op)
{
    return hypercall(__HYPERVISOR_sysctl, (uintptr_t)op, 0, 0);
}

/*
 * Blocking with IF=1 has a window: an upcall taken after the STI but before
 * the VMMCALL would consume the event we are about to wait for, and the
 * block would then sleep until the next one (which the peer, waiting for
 * our answer, never sends).  STI delays interrupts by one instruction, the
 * CALL into the stub, so the window is the stub before its VMMCALL, and the
 * upcall handler closes it with xen_block_fixup().
 *
 * The function is file-scope assembly so that the CALL has a name: under
 * QEMU's TCG the STI shadow does not survive a VM exit taken in it (its
 * VMRUN does not reload the VMCB's interrupt shadow), so an upcall can
 * also come with RIP at that CALL, and xen_block_fixup() must skip it too.
 */
#define STR_(x) #x
#define STR(x)  STR_(x)
__asm__(".text\n"
        ".globl xen_block_sti\n"
        ".type xen_block_sti, @function\n"
        ".balign 16\n"
        "xen_block_sti:\n\t"
        "mov $" STR(SCHEDOP_block) ", %edi\n\t"
        "xor %esi, %esi\n\t"
        "xor %edx, %edx\n\t"
        "xor %r10d, %r10d\n\t"
        "xor %r8d, %r8d\n\t"
        "sti\n"
        ".globl xen_block_sti_call\n"
        "xen_block_sti_call:\n\t"
        "call hypercall_page + 32 * " STR(__HYPERVISOR_sched_op) "\n"
        ".globl xen_block_sti_ret\n"
        "xen_block_sti_ret:\n\t"
        "ret\n"
        ".size xen_block_sti, . - xen_block_sti\n");
extern const char xen_block_sti_call[], xen_block_sti_ret[];

/* An interrupt came before the VMMCALL of xen_block_sti()'s SCHEDOP_block:
 * resume as if the hypervisor had returned 0 at once because an upcall was
 * pending (it was: we just took it). */
int xen_block_fixup(struct trap_frame *f)
{
    if (f->rip == (uintptr_t)xen_block_sti_call) {
        f->rip = (uintptr_t)xen_block_sti_ret;     /* the CALL never ran */
        f->rax = 0;
        return 2;
    }
    /* In the stub; RIP == block_trap: before the VMMCALL ran. */
    if (!block_trap || f->rdi != SCHEDOP_block || f->rip < block_stub || f->rip > block_trap)
        return 0;
    f->rip = block_trap + 3;                        /* its RET */
    f->rax = 0;
    return 1;
}

/* Leaf base+3, sub-leaf 0: ECX = the guest's TSC frequency in kHz. */
uint32_t xen_tsc_khz(void)
{
    uint32_t a, b, c, d;
    if (!xen_base)
        return 0;
    cpuid(xen_base, 0, &a, &b, &c, &d);
    if (a < xen_base + 3)
        return 0;
    cpuid(xen_base + 3, 0, &a, &b, &c, &d);
    return c;
}
