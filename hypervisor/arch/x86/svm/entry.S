/*
 * The world switch.
 *
 *   void svm_vmrun(struct guest_regs *regs, paddr_t vmcb_pa, paddr_t host_pa);
 *
 * Called with GIF clear.  VMRUN itself switches RAX, RSP, RIP, RFLAGS, the
 * control registers and CS/DS/ES/SS; VMLOAD/VMSAVE move the rest of the
 * hidden state (FS, GS, TR, LDTR, KernelGSBase, STAR/LSTAR/CSTAR/SFMASK,
 * SYSENTER), so the guest never runs on our GS base or TSS and we never
 * come back on its (AMD APM vol. 2, 15.5.2 and 15.30).  The other general
 * registers are loaded from and saved to *regs here.
 */
#include <asm/x86.h>

#define R(n) (8 * (n))
#define RAX 0
#define RCX 1
#define RDX 2
#define RBX 3
#define RSP 4
#define RBP 5
#define RSI 6
#define RDI 7

    .text
    .code64
    .globl svm_vmrun
svm_vmrun:
    push    %rbp
    push    %rbx
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    push    %rdi                /* 16(%rsp): regs */
    push    %rdx                /*  8(%rsp): host save area */
    push    %rsi                /*  0(%rsp): vmcb */

    mov     R(RCX)(%rdi), %rcx
    mov     R(RDX)(%rdi), %rdx
    mov     R(RBX)(%rdi), %rbx
    mov     R(RBP)(%rdi), %rbp
    mov     R(RSI)(%rdi), %rsi
    mov     R(8)(%rdi), %r8
    mov     R(9)(%rdi), %r9
    mov     R(10)(%rdi), %r10
    mov     R(11)(%rdi), %r11
    mov     R(12)(%rdi), %r12
    mov     R(13)(%rdi), %r13
    mov     R(14)(%rdi), %r14
    mov     R(15)(%rdi), %r15
    mov     R(RDI)(%rdi), %rdi

    mov     (%rsp), %rax
    vmload  %rax
    vmrun   %rax
    /* #VMEXIT: RAX and RSP are ours again (restored from the host save area). */
    vmsave  %rax

    push    %rdi                /* guest RDI; regs is now at 24(%rsp) */
    mov     24(%rsp), %rdi
    mov     %rcx, R(RCX)(%rdi)
    mov     %rdx, R(RDX)(%rdi)
    mov     %rbx, R(RBX)(%rdi)
    mov     %rbp, R(RBP)(%rdi)
    mov     %rsi, R(RSI)(%rdi)
    mov     %r8, R(8)(%rdi)
    mov     %r9, R(9)(%rdi)
    mov     %r10, R(10)(%rdi)
    mov     %r11, R(11)(%rdi)
    mov     %r12, R(12)(%rdi)
    mov     %r13, R(13)(%rdi)
    mov     %r14, R(14)(%rdi)
    mov     %r15, R(15)(%rdi)
    pop     %rax
    mov     %rax, R(RDI)(%rdi)

    mov     8(%rsp), %rax
    vmload  %rax                /* our FS/GS/TR/LDTR/syscall MSRs back */
    add     $24, %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbx
    pop     %rbp
    ret

    .globl svm_vmsave_host
svm_vmsave_host:                /* void svm_vmsave_host(paddr_t pa) */
    mov     %rdi, %rax
    vmsave  %rax
    ret
