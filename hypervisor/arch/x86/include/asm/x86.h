/* Architectural constants (AMD APM vol. 2, Intel SDM vol. 3). */
#ifndef ASM_X86_H
#define ASM_X86_H

#define X86_CR0_PE   (1u << 0)
#define X86_CR0_MP   (1u << 1)
#define X86_CR0_ET   (1u << 4)
#define X86_CR0_NE   (1u << 5)
#define X86_CR0_WP   (1u << 16)
#define X86_CR0_PG   (1u << 31)

#define X86_CR4_PSE        (1u << 4)
#define X86_CR4_PAE        (1u << 5)
#define X86_CR4_PGE        (1u << 7)
#define X86_CR4_OSFXSR     (1u << 9)
#define X86_CR4_OSXMMEXCPT (1u << 10)

#define MSR_EFER        0xc0000080
#define EFER_SCE        (1u << 0)
#define EFER_LME        (1u << 8)
#define EFER_LMA        (1u << 10)
#define EFER_NXE        (1u << 11)
#define EFER_SVME       (1u << 12)

#define MSR_APIC_BASE   0x0000001b
#define MSR_FS_BASE     0xc0000100
#define MSR_GS_BASE     0xc0000101
#define MSR_VM_CR       0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117
#define VM_CR_SVMDIS    (1u << 4)

/* GDT selectors, shared by head.S, the trampoline and desc.c. */
#define GDT_CODE32   0x08
#define GDT_DATA     0x10
#define GDT_CODE64   0x18
#define GDT_TSS      0x20        /* 16-byte descriptor */
#define GDT_ENTRIES  6

/* Page-table entry bits. */
#define PTE_P    (1ull << 0)
#define PTE_W    (1ull << 1)
#define PTE_U    (1ull << 2)
#define PTE_PWT  (1ull << 3)
#define PTE_PCD  (1ull << 4)
#define PTE_A    (1ull << 5)
#define PTE_D    (1ull << 6)
#define PTE_PS   (1ull << 7)
#define PTE_G    (1ull << 8)
#define PTE_NX   (1ull << 63)

/* Exception vectors. */
#define X86_EXC_DE   0
#define X86_EXC_DB   1
#define X86_EXC_NMI  2
#define X86_EXC_BP   3
#define X86_EXC_UD   6
#define X86_EXC_DF   8
#define X86_EXC_GP   13
#define X86_EXC_PF   14
#define X86_EXC_MC   18

/* IST slots (TSS.IST1..3). */
#define IST_DF   1
#define IST_NMI  2
#define IST_MC   3

#define STACK_SIZE  16384

#endif
