/*
 * AP start-up trampoline.  smp.c copies this section to a free page below
 * 1 MiB and sends INIT-SIPI-SIPI with that page as the vector; each AP
 * starts here in real mode with CS = page >> 4, IP = 0 (Intel SDM vol. 3,
 * 9.4.4; AMD APM vol. 2, 16.5).  EBX holds the page's linear address from
 * the first instruction on, so the code runs wherever it was copied.  The
 * fields marked "patched" are filled in by smp.c before the SIPI.
 */
#include <asm/x86.h>

#define OFF(sym) ((sym) - trampoline_base)

    .section .trampoline, "ax"
    .code16
    .globl trampoline_base
trampoline_base:
    cli
    cld
    mov     %cs, %ax
    mov     %ax, %ds
    xor     %ebx, %ebx
    mov     %cs, %bx
    shl     $4, %ebx

    lgdtl   OFF(tramp_gdt_ptr)
    mov     %cr0, %eax
    or      $X86_CR0_PE, %eax
    mov     %eax, %cr0
    ljmpl   *OFF(tramp_pm_jump)

    .code32
tramp_pm32:
    mov     $GDT_DATA, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss

    mov     %cr4, %eax
    or      $X86_CR4_PAE, %eax
    mov     %eax, %cr4
    mov     OFF(tramp_cr3)(%ebx), %eax
    mov     %eax, %cr3

    mov     $MSR_EFER, %ecx
    rdmsr
    or      OFF(tramp_efer)(%ebx), %eax
    wrmsr

    mov     %cr0, %eax
    or      $(X86_CR0_PG | X86_CR0_WP), %eax
    mov     %eax, %cr0
    ljmpl   *OFF(tramp_lm_jump)(%ebx)

    .balign 8
tramp_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff    /* GDT_CODE32 */
    .quad 0x00cf92000000ffff    /* GDT_DATA */
    .quad 0x00af9a000000ffff    /* GDT_CODE64 */
tramp_gdt_end:
    .globl tramp_gdt_ptr
tramp_gdt_ptr:
    .short tramp_gdt_end - tramp_gdt - 1
    .long 0                     /* patched: linear address of tramp_gdt */
    .balign 4
    .globl tramp_pm_jump
tramp_pm_jump:
    .long 0                     /* patched: linear address of tramp_pm32 */
    .short GDT_CODE32
    .balign 4
    .globl tramp_lm_jump
tramp_lm_jump:
    .long ap_start64            /* the image is identity-mapped below 4 GiB */
    .short GDT_CODE64
    .balign 4
    .globl tramp_cr3
tramp_cr3:
    .long 0                     /* patched: our PML4, below 4 GiB */
    .globl tramp_efer
tramp_efer:
    .long 0                     /* patched: EFER bits to set (LME, NXE) */

    .globl tramp_pm32_offset, tramp_gdt_offset
    .set tramp_pm32_offset, tramp_pm32 - trampoline_base
    .set tramp_gdt_offset, tramp_gdt - trampoline_base
