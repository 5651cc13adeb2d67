/*
 * Exception and interrupt entry.  One stub per vector pushes a dummy error
 * code when the CPU does not push one (AMD APM vol. 2, 8.4 lists the
 * vectors that do), then the vector, and joins common_entry, which saves
 * the general registers as struct cpu_regs and calls do_trap().
 */
    .text
    .code64

    .globl trap_stubs_start
trap_stubs_start:
    vec = 0
    .rept 256
    .balign 16
    .if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
    .else
    pushq   $0
    .endif
    pushq   $vec
    jmp     common_entry
    vec = vec + 1
    .endr

common_entry:
    cld
    push    %rax
    push    %rbx
    push    %rcx
    push    %rdx
    push    %rsi
    push    %rdi
    push    %rbp
    push    %r8
    push    %r9
    push    %r10
    push    %r11
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, %rdi
    call    do_trap
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %r11
    pop     %r10
    pop     %r9
    pop     %r8
    pop     %rbp
    pop     %rdi
    pop     %rsi
    pop     %rdx
    pop     %rcx
    pop     %rbx
    pop     %rax
    add     $16, %rsp           /* vector, error code */
    iretq

    .section .rodata
    .balign 8
    .globl trap_stub_table
trap_stub_table:
    vec = 0
    .rept 256
    .quad trap_stubs_start + vec * 16
    vec = vec + 1
    .endr
