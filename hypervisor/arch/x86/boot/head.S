/*
 * Multiboot2 entry.  GRUB (BIOS or UEFI, after ExitBootServices) enters
 * start32 in 32-bit protected mode, paging off, EAX = the bootloader magic,
 * EBX = the physical address of the boot information (Multiboot2 spec 3.3).
 * We build page tables identity-mapping the low 4 GiB with 2 MiB pages,
 * enter long mode (AMD APM vol. 2, 14.6) and call start_hypervisor().
 */
#include <asm/x86.h>

#define MB2_MAGIC   0xe85250d6
#define MB2_ARCH    0           /* i386 protected mode */

    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + MB2_ARCH + (mb2_header_end - mb2_header))
    /* Information request, optional (flags bit 0) so BIOS GRUB does not
     * refuse the EFI memory map it cannot give. */
    .balign 8
1:  .short 1, 1
    .long 2f - 1b
    .long 1, 3, 6, 14, 15, 17, 12
2:
    .balign 8
    .short 0, 0                 /* end tag */
    .long 8
mb2_header_end:

    .section .text.boot, "ax"
    .code32
    .globl start32
start32:
    cli
    cld
    mov     %eax, boot_magic
    mov     %ebx, boot_mbi
    /* The loader need not zero our .bss; our page tables and stack live there. */
    mov     $__bss_start, %edi
    mov     $__bss_end, %ecx
    sub     %edi, %ecx
    xor     %eax, %eax
    rep stosb
    mov     $boot_stack_top, %esp

    /* Long mode available?  CPUID 0x80000001 EDX.LM (bit 29). */
    mov     $0x80000000, %eax
    cpuid
    cmp     $0x80000001, %eax
    jb      no_long_mode
    mov     $0x80000001, %eax
    cpuid
    bt      $29, %edx
    jnc     no_long_mode
    mov     %edx, %ebp          /* keep EDX.NX (bit 20) for EFER below */

    /* PML4[0] -> boot_pdpt; PDPT[0..3] -> boot_pd[0..3]; 2048 2 MiB pages. */
    mov     $boot_pdpt, %eax
    or      $(PTE_P | PTE_W), %eax
    mov     %eax, boot_pml4
    xor     %ecx, %ecx
1:  mov     %ecx, %eax
    shl     $12, %eax
    add     $boot_pd, %eax
    or      $(PTE_P | PTE_W), %eax
    mov     %eax, boot_pdpt(, %ecx, 8)
    inc     %ecx
    cmp     $4, %ecx
    jne     1b
    xor     %ecx, %ecx
1:  mov     %ecx, %eax
    shl     $21, %eax
    or      $(PTE_P | PTE_W | PTE_PS), %eax
    mov     %eax, boot_pd(, %ecx, 8)
    mov     %ecx, %eax
    shr     $11, %eax           /* high dword of the address: ecx >> 11 */
    mov     %eax, boot_pd + 4(, %ecx, 8)
    inc     %ecx
    cmp     $2048, %ecx
    jne     1b

    mov     %cr4, %eax
    or      $X86_CR4_PAE, %eax
    mov     %eax, %cr4
    mov     $boot_pml4, %eax
    mov     %eax, %cr3

    mov     $MSR_EFER, %ecx
    rdmsr
    or      $EFER_LME, %eax
    bt      $20, %ebp
    jnc     1f
    or      $EFER_NXE, %eax
1:  wrmsr

    mov     %cr0, %eax
    or      $(X86_CR0_PG | X86_CR0_PE | X86_CR0_WP), %eax
    mov     %eax, %cr0

    lgdt    boot_gdt_ptr
    ljmp    $GDT_CODE64, $start64

/* Without long mode nothing else can run: say so on COM1 and halt. */
no_long_mode:
    mov     $msg_no_lm, %ebx
1:  movzbl  (%ebx), %eax
    test    %al, %al
    jz      2f
    mov     $0x3fd, %dx         /* LSR: wait for THR empty */
3:  in      %dx, %al
    test    $0x20, %al
    jz      3b
    movzbl  (%ebx), %eax
    mov     $0x3f8, %dx
    out     %al, %dx
    inc     %ebx
    jmp     1b
2:  hlt
    jmp     2b

    .code64
    .macro LOAD_DATA_SEGMENTS
    mov     $GDT_DATA, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    xor     %eax, %eax
    mov     %eax, %fs
    mov     %eax, %gs
    .endm

start64:
    LOAD_DATA_SEGMENTS
    mov     $boot_stack_top, %rsp
    xor     %ebp, %ebp          /* terminates backtraces */
    mov     boot_magic(%rip), %edi
    mov     boot_mbi(%rip), %esi
    call    start_hypervisor        /* (magic, mbi physical address) */
1:  cli
    hlt
    jmp     1b

/* APs arrive here from the trampoline, in long mode on our page tables. */
    .globl ap_start64
ap_start64:
    LOAD_DATA_SEGMENTS
    mov     ap_boot_stack(%rip), %rsp
    xor     %ebp, %ebp
    call    start_secondary
1:  cli
    hlt
    jmp     1b

    .data
    .balign 4
boot_magic: .long 0
boot_mbi:   .long 0

    .section .rodata
msg_no_lm:
    .asciz  "splitvisor: this CPU has no 64-bit long mode; cannot boot.\r\n"

    .balign 8
    .globl boot_gdt
boot_gdt:
    .quad 0
    .quad 0x00cf9a000000ffff    /* 0x08: 32-bit code */
    .quad 0x00cf92000000ffff    /* 0x10: data */
    .quad 0x00af9a000000ffff    /* 0x18: 64-bit code */
boot_gdt_end:
boot_gdt_ptr:
    .short boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .bss
    .balign 4096
    .globl boot_pml4
boot_pml4:  .skip 4096
boot_pdpt:  .skip 4096
boot_pd:    .skip 4 * 4096
    .globl boot_stack
boot_stack: .skip STACK_SIZE
    .globl boot_stack_top
boot_stack_top:
