/*
 * paging_onoff: leave long mode for 32-bit protected mode with paging off,
 * check and rewrite memory by physical address, and come back.
 *
 * uint32_t paging_off_roundtrip(uint32_t buf_pa, uint32_t nwords,
 *                               uint32_t seed, uint32_t cr3)
 * With paging off it checks buf[i] == seed ^ (i * 0x9e3779b1) for every word
 * (returns the number of mismatches), then stores the complement of that
 * value, so the caller can check the writes made without paging.  It also
 * records CR0 and EFER as seen there (pgoff_cr0_seen, pgoff_efer_seen).
 *
 * Leaving long mode (APM vol. 2, "Leaving Long Mode"): go to
 * compatibility mode through a 32-bit code segment, clear CR0.PG (which
 * clears EFER.LMA), then clear EFER.LME.  Coming back follows "Enabling
 * and Activating Long Mode": CR4.PAE (still set), CR3, EFER.LME, CR0.PG,
 * and a far jump to a 64-bit code segment.
 * The code and the stack are identity-mapped below 4 GiB, so instruction
 * fetch goes on at the same address when translation stops and restarts.
 * The upper halves of the GPRs are undefined after a trip through a 32-bit
 * mode (Intel SDM vol. 1, 3.4.1.1), so RSP comes back from memory and the
 * callee-saved registers from the stack.
 */
#include "x86.h"

    .text
    .code64
    .globl paging_off_roundtrip
paging_off_roundtrip:
    push    %rbx
    push    %rbp
    push    %r12
    push    %r13
    push    %r14
    push    %r15
    mov     %rsp, saved_rsp(%rip)
    mov     %ecx, saved_cr3(%rip)
    mov     %edx, %ebp                  /* seed (rdmsr clobbers EDX) */
    pushq   $SEL_CODE32
    lea     1f(%rip), %rax
    pushq   %rax
    lretq

    .code32
1:  mov     $SEL_DATA, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    mov     %cr0, %eax
    and     $~CR0_PG, %eax
    mov     %eax, %cr0                  /* long mode off: EFER.LMA = 0 */
    mov     $MSR_EFER, %ecx
    rdmsr
    and     $~EFER_LME, %eax
    wrmsr                               /* plain protected mode */

    mov     %cr0, %eax
    mov     %eax, pgoff_cr0_seen
    mov     $MSR_EFER, %ecx
    rdmsr
    mov     %eax, pgoff_efer_seen

    xor     %ebx, %ebx                  /* mismatches */
    xor     %ecx, %ecx                  /* i */
2:  cmp     %esi, %ecx
    jae     3f
    mov     %ecx, %eax
    imul    $0x9e3779b1, %eax, %eax
    xor     %ebp, %eax
    cmp     (%edi, %ecx, 4), %eax
    je      4f
    inc     %ebx
4:  not     %eax
    mov     %eax, (%edi, %ecx, 4)
    inc     %ecx
    jmp     2b

3:  mov     saved_cr3, %eax
    mov     %eax, %cr3
    mov     $MSR_EFER, %ecx
    rdmsr
    or      $EFER_LME, %eax
    wrmsr
    mov     %cr0, %eax
    or      $CR0_PG, %eax
    mov     %eax, %cr0                  /* EFER.LMA = 1, compatibility mode */
    ljmp    $SEL_CODE64, $5f

    .code64
5:  mov     $SEL_DATA, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    mov     saved_rsp(%rip), %rsp
    mov     %ebx, %eax
    pop     %r15
    pop     %r14
    pop     %r13
    pop     %r12
    pop     %rbp
    pop     %rbx
    ret

    .data
    .balign 8
saved_rsp:       .quad 0
saved_cr3:       .long 0
    .globl pgoff_cr0_seen, pgoff_efer_seen
pgoff_cr0_seen:  .long 0
pgoff_efer_seen: .long 0
