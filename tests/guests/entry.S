/*
 * The two ways in, both in 32-bit flat protected mode with paging off:
 *
 *  - mb2_start, the ELF entry point, for GRUB's multiboot2 loader:
 *    EAX = 0x36d76289, EBX = physical address of the boot information
 *    (Multiboot2 specification 1.0, 3.3 "I386 machine state").
 *  - pvh_start, named by the XEN_ELFNOTE_PHYS32_ENTRY note, for Xen's PVH
 *    boot ABI: EBX = physical address of struct hvm_start_info; CR0.PE set,
 *    CR4 = 0; CS/DS/ES flat 32-bit; SS, GDTR, IDTR and the stack are ours to
 *    set (Xen docs/misc/pvh.pandoc, "x86/HVM direct boot ABI").
 *
 * Both load our GDT, clear .bss, identity-map the low 4 GiB with 2 MiB pages
 * and enter long mode (APM vol. 2, "Enabling and Activating Long Mode"), then call
 * kmain(magic, info, kind).
 */
#include <xen/elfnote.h>
#include "x86.h"

#define MB2_HEADER_MAGIC  0xe85250d6    /* Multiboot2 spec 3.1.1 */
#define MB2_ARCH_I386     0
#define BOOT_MB2          1             /* enum boot_kind in svguest.h */
#define BOOT_PVH          2

/* ---- Multiboot2 header: within the first 32 KiB of the file, 8-aligned. */
    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_HEADER_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long -(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    /* No address tag: GRUB loads the ELF's PT_LOAD segments at their
     * physical addresses and enters at e_entry (spec 3.1.5). */
    .short 0, 0                 /* end tag */
    .long 8
mb2_header_end:

/* ---- Xen ELF note (xen/elfnote.h): the PVH entry point, a 32-bit physical
 * address.  pvh.pandoc spells it ELFNOTE(Xen, XEN_ELFNOTE_PHYS32_ENTRY,
 * .long, xen_start32).  It lives in the text PT_LOAD segment too, so the
 * PT_NOTE segment overlaps no other load segment. */
    .section .note.Xen, "a", @note
    .balign 4
    .long 2f - 1f               /* namesz */
    .long 4f - 3f               /* descsz */
    .long XEN_ELFNOTE_PHYS32_ENTRY
1:  .asciz "Xen"
2:  .balign 4
3:  .long pvh_start
4:  .balign 4

/* ---- 32-bit entry ---------------------------------------------------- */
    .section .text.boot, "ax"
    .code32
    .globl mb2_start
mb2_start:
    cli
    cld
    mov     %eax, %edi          /* multiboot2 magic */
    mov     $BOOT_MB2, %esi
    jmp     common32

    .globl pvh_start
pvh_start:
    cli
    cld
    xor     %edi, %edi          /* no magic in a register: it is in start_info */
    mov     $BOOT_PVH, %esi

common32:
    /* DS is flat on both paths, so lgdt can read gdt_desc. */
    lgdt    gdt_desc
    ljmp    $SEL_CODE32, $1f
1:  mov     $SEL_DATA, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    mov     %eax, %fs
    mov     %eax, %gs

    /* Clear .bss ourselves: it holds the page tables and the stack. */
    mov     %edi, %ebp
    mov     $__bss_start, %edi
    mov     $__bss_end, %ecx
    sub     %edi, %ecx
    xor     %eax, %eax
    rep stosb
    mov     %ebp, boot_magic
    mov     %ebx, boot_info
    mov     %esi, boot_kind
    mov     $boot_stack_top, %esp

    /* Long mode available?  CPUID 0x80000001 EDX bit 29 (LM). */
    mov     $0x80000000, %eax
    cpuid
    cmp     $0x80000001, %eax
    jb      no_long_mode
    mov     $0x80000001, %eax
    cpuid
    bt      $29, %edx
    jnc     no_long_mode

    /* PML4[0] -> boot_pdpt; PDPT[0..3] -> boot_pd[0..3]; PD entries map
     * 2048 2 MiB pages: 0 .. 4 GiB.  (APM vol. 2, "2-Mbyte Page Translation") */
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
    shr     $11, %eax           /* bits 32+ of the address */
    mov     %eax, boot_pd + 4(, %ecx, 8)
    inc     %ecx
    cmp     $2048, %ecx
    jne     1b

    /* CR4.PAE, CR3, EFER.LME, then CR0.PG (+WP): LMA becomes 1. */
    mov     %cr4, %eax
    or      $CR4_PAE, %eax
    mov     %eax, %cr4
    mov     $boot_pml4, %eax
    mov     %eax, %cr3
    mov     $MSR_EFER, %ecx
    rdmsr
    or      $EFER_LME, %eax
    wrmsr
    mov     %cr0, %eax
    or      $(CR0_PG | CR0_WP | CR0_PE), %eax
    mov     %eax, %cr0
    ljmp    $SEL_CODE64, $long64

no_long_mode:
    hlt
    jmp     no_long_mode

/* ---- 64-bit ---------------------------------------------------------- */
    .code64
long64:
    mov     $SEL_DATA, %eax
    mov     %eax, %ds
    mov     %eax, %es
    mov     %eax, %ss
    xor     %eax, %eax
    mov     %eax, %fs
    mov     %eax, %gs
    mov     $boot_stack_top, %rsp
    xor     %ebp, %ebp
    mov     boot_magic(%rip), %edi
    mov     boot_info(%rip), %esi
    mov     boot_kind(%rip), %edx
    call    kmain
1:  cli
    hlt
    jmp     1b

/* ---- The hypercall page: Xen writes its stubs here when we give its
 * address to the MSR of CPUID leaf base+2 (xen/arch-x86/cpuid.h).  INT3
 * until then, so a premature hypercall is a visible #BP. */
    .section .hypercall_page, "ax"
    .balign 4096
    .globl hypercall_page
hypercall_page:
    .fill 4096, 1, 0xcc

/* ---- GDT (APM vol. 2, "Long-Mode Segment Descriptors"): flat 32-bit code/data for the boot and the
 * paging_onoff test, 64-bit code, ring-3 code/data, and the TSS (desc.c). */
    .data
    .balign 16
    .globl gdt
gdt:
    .quad 0
    .quad 0x00cf9b000000ffff    /* SEL_CODE32: base 0, limit 4 GiB, D=1 */
    .quad 0x00cf93000000ffff    /* SEL_DATA */
    .quad 0x00af9b000000ffff    /* SEL_CODE64: L=1 */
    .quad 0x00cff3000000ffff    /* SEL_UDATA: DPL 3 */
    .quad 0x00affb000000ffff    /* SEL_UCODE: DPL 3, L=1 */
    .quad 0, 0                  /* SEL_TSS */
gdt_end:
    .balign 8
    .globl gdt_desc
gdt_desc:
    .word gdt_end - gdt - 1
    .quad gdt

boot_magic: .long 0
boot_info:  .long 0
boot_kind:  .long 0

    .bss
    .balign 4096
    .globl boot_pml4
boot_pml4:  .skip 4096
boot_pdpt:  .skip 4096
boot_pd:    .skip 4 * 4096
boot_stack: .skip 32768
boot_stack_top:
