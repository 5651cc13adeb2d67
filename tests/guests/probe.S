/*
 * Expected exceptions.  probe_call(fn, arg) is a setjmp around fn(arg):
 * while probe_armed is set, trap_dispatch (traps.c) resumes an exception at
 * probe_resume_rip on probe_resume_rsp with RAX = vector + 1, so a test can
 * touch memory that should fault and inspect what the fault said.
 * Callee-saved registers are kept on the stack, since fn may die midway.
 *
 * enter_user() goes to ring 3 with IRETQ; the ring-3 code comes back with
 * int $0x80 (a DPL-3 gate), which is a "probe exception" too.
 */
#include "x86.h"

    .text
    .code64
    .globl probe_call
probe_call:
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    sub     $8, %rsp                    /* 16-byte alignment for the call */
    mov     %rsp, probe_resume_rsp(%rip)
    lea     1f(%rip), %rax
    mov     %rax, probe_resume_rip(%rip)
    movq    $1, probe_armed(%rip)
    mov     %rdi, %rax
    mov     %rsi, %rdi
    call    *%rax
    movq    $0, probe_armed(%rip)
    mov     %rax, probe_retval(%rip)
    xor     %eax, %eax
1:  mov     $SEL_DATA, %ecx             /* ring 3 may have nulled DS/ES */
    mov     %ecx, %ds
    mov     %ecx, %es
    add     $8, %rsp
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    ret

/* void enter_user(struct user_call *u): RIP, RSP, then the two arguments
 * in RDI and RSI.  IF stays clear in ring 3 (RFLAGS = 2). */
    .globl enter_user
enter_user:
    pushq   $(SEL_UDATA | 3)
    pushq   8(%rdi)
    pushq   $2
    pushq   $(SEL_UCODE | 3)
    pushq   0(%rdi)
    mov     24(%rdi), %rsi
    mov     16(%rdi), %rdi
    iretq

/* Ring-3 code, copied to a user page (so position-independent):
 * RDI = address, RSI = 0 read (value in RAX), 1 write RSI.. (writes RDX),
 * then back to the kernel with int $0x80. */
    .globl user_stub, user_stub_end
user_stub:
    cmp     $1, %rsi
    je      1f
    mov     (%rdi), %rax
    int     $VEC_USER
1:  mov     %rsi, (%rdi)
    xor     %eax, %eax
    int     $VEC_USER
user_stub_end:

    .data
    .balign 8
    .globl probe_armed, probe_resume_rip, probe_resume_rsp, probe_retval
probe_armed:      .quad 0
probe_resume_rip: .quad 0
probe_resume_rsp: .quad 0
probe_retval:     .quad 0
