/*
 * Exception entry stubs, and the one of the event-channel upcall
 * (VEC_UPCALL).  Each pushes a dummy error code where the CPU does
 * not push one (APM vol. 2, "Vectors", table 8-1: #DF, #TS, #NP, #SS, #GP, #PF,
 * #AC, #CP, #VC and #SX have one), then its vector, saves the GPRs in the
 * order of struct trap_frame and calls trap_dispatch(frame).  The stack is
 * 16-byte aligned at the call: the CPU aligns RSP before pushing its 5-word
 * frame (APM vol. 2, "Interrupt Stack Frame"), and 2 + 15 words follow.
 */
#include "x86.h"

    .text
    .code64

.macro ISR vec
    .balign 16
isr_\vec:
    .if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
    .else
    pushq   $0
    .endif
    pushq   $\vec
    jmp     isr_common
.endm

    /* 243 = VEC_UPCALL (x86.h): an external interrupt, no error code. */
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,128,243
    ISR \v
    .endr

isr_common:
    push    %rax
    push    %rcx
    push    %rdx
    push    %rbx
    push    %rbp
    push    %rsi
    push    %rdi
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, %rdi
    cld
    call    trap_dispatch
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rdi
    pop     %rsi
    pop     %rbp
    pop     %rbx
    pop     %rdx
    pop     %rcx
    pop     %rax
    add     $16, %rsp
    iretq

/* Table of the 32 exception stubs, then the int $0x80 one, then the
 * upcall one (desc.c). */
    .section .rodata
    .balign 8
    .globl isr_table
isr_table:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,128,243
    .quad isr_\v
    .endr
