/*
 * The VMCB (AMD APM vol. 2, appendix B): a 4 KiB page per vCPU, the
 * control area (what to intercept, how to enter) at 0x000 and the guest's
 * saved state at 0x400.  Offsets are checked at compile time below.
 */
#ifndef ASM_VMCB_H
#define ASM_VMCB_H

#include <sv/types.h>

struct vmcb_seg {
    uint16_t sel;
    uint16_t attr;          /* packed: type[3:0] S[4] DPL[6:5] P[7] AVL[8] L[9] D/B[10] G[11] */
    uint32_t limit;
    uint64_t base;
} __packed;

struct vmcb {
    /* Control area. */
    uint32_t intercept_cr;          /* 0x000: bits 0-15 reads, 16-31 writes */
    uint32_t intercept_dr;          /* 0x004 */
    uint32_t intercept_exceptions;  /* 0x008 */
    uint32_t intercept_misc1;       /* 0x00c */
    uint32_t intercept_misc2;       /* 0x010 */
    uint32_t intercept_misc3;       /* 0x014 */
    uint8_t reserved_018[0x03c - 0x018];
    uint16_t pause_filter_thresh;   /* 0x03c */
    uint16_t pause_filter_count;    /* 0x03e */
    uint64_t iopm_base_pa;          /* 0x040 */
    uint64_t msrpm_base_pa;         /* 0x048 */
    uint64_t tsc_offset;            /* 0x050 */
    uint32_t asid;                  /* 0x058 */
    uint8_t tlb_control;            /* 0x05c */
    uint8_t reserved_05d[3];
    uint64_t vintr;                 /* 0x060 */
    uint64_t interrupt_shadow;      /* 0x068 */
    uint64_t exitcode;              /* 0x070 */
    uint64_t exitinfo1;             /* 0x078 */
    uint64_t exitinfo2;             /* 0x080 */
    uint64_t exitintinfo;           /* 0x088 */
    uint64_t np_control;            /* 0x090: bit 0 = nested paging */
    uint8_t reserved_098[0x0a8 - 0x098];
    uint64_t eventinj;              /* 0x0a8 */
    uint64_t n_cr3;                 /* 0x0b0 */
    uint64_t virt_ext;              /* 0x0b8 */
    uint32_t clean_bits;            /* 0x0c0 */
    uint32_t reserved_0c4;
    uint64_t nrip;                  /* 0x0c8 */
    uint8_t insn_len;               /* 0x0d0 */
    uint8_t insn_bytes[15];         /* 0x0d1 */
    uint8_t reserved_0e0[0x400 - 0x0e0];

    /* State save area. */
    struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;   /* 0x400 */
    uint8_t reserved_4a0[0x4cb - 0x4a0];
    uint8_t cpl;                    /* 0x4cb */
    uint32_t reserved_4cc;
    uint64_t efer;                  /* 0x4d0 */
    uint8_t reserved_4d8[0x548 - 0x4d8];
    uint64_t cr4;                   /* 0x548 */
    uint64_t cr3;                   /* 0x550 */
    uint64_t cr0;                   /* 0x558 */
    uint64_t dr7;                   /* 0x560 */
    uint64_t dr6;                   /* 0x568 */
    uint64_t rflags;                /* 0x570 */
    uint64_t rip;                   /* 0x578 */
    uint8_t reserved_580[0x5d8 - 0x580];
    uint64_t rsp;                   /* 0x5d8 */
    uint8_t reserved_5e0[0x5f8 - 0x5e0];
    uint64_t rax;                   /* 0x5f8 */
    uint64_t star;                  /* 0x600 */
    uint64_t lstar;                 /* 0x608 */
    uint64_t cstar;                 /* 0x610 */
    uint64_t sfmask;                /* 0x618 */
    uint64_t kernel_gs_base;        /* 0x620 */
    uint64_t sysenter_cs;           /* 0x628 */
    uint64_t sysenter_esp;          /* 0x630 */
    uint64_t sysenter_eip;          /* 0x638 */
    uint64_t cr2;                   /* 0x640 */
    uint8_t reserved_648[0x668 - 0x648];
    uint64_t g_pat;                 /* 0x668 */
    uint64_t dbgctl;                /* 0x670 */
    uint8_t reserved_678[0x1000 - 0x678];
} __packed;

_Static_assert(__builtin_offsetof(struct vmcb, pause_filter_thresh) == 0x03c, "vmcb layout");
_Static_assert(__builtin_offsetof(struct vmcb, asid) == 0x058, "vmcb layout");
_Static_assert(__builtin_offsetof(struct vmcb, exitcode) == 0x070, "vmcb layout");
_Static_assert(__builtin_offsetof(struct vmcb, eventinj) == 0x0a8, "vmcb layout");
_Static_assert(__builtin_offsetof(struct vmcb, insn_len) == 0x0d0, "vmcb layout");
_Static_assert(__builtin_offsetof(struct vmcb, es) == 0x400, "vmcb layout");
_Static_assert(__builtin_offsetof(struct vmcb, tr) == 0x490, "vmcb layout");
_Static_assert(__builtin_offsetof(struct vmcb, cpl) == 0x4cb, "vmcb layout");
_Static_assert(__builtin_offsetof(struct vmcb, efer) == 0x4d0, "vmcb layout");
_Static_assert(__builtin_offsetof(struct vmcb, cr4) == 0x548, "vmcb layout");
_Static_assert(__builtin_offsetof(struct vmcb, rip) == 0x578, "vmcb layout");
_Static_assert(__builtin_offsetof(struct vmcb, rsp) == 0x5d8, "vmcb layout");
_Static_assert(__builtin_offsetof(struct vmcb, rax) == 0x5f8, "vmcb layout");
_Static_assert(__builtin_offsetof(struct vmcb, cr2) == 0x640, "vmcb layout");
_Static_assert(__builtin_offsetof(struct vmcb, g_pat) == 0x668, "vmcb layout");
_Static_assert(sizeof(struct vmcb) == 0x1000, "vmcb size");

/* intercept_misc1 */
#define INTERCEPT_INTR        (1u << 0)
#define INTERCEPT_NMI         (1u << 1)
#define INTERCEPT_SMI         (1u << 2)
#define INTERCEPT_INIT        (1u << 3)
#define INTERCEPT_CR0_SEL     (1u << 5)
#define INTERCEPT_RDTSC       (1u << 14)
#define INTERCEPT_CPUID       (1u << 18)
#define INTERCEPT_INVD        (1u << 22)
#define INTERCEPT_PAUSE       (1u << 23)
#define INTERCEPT_HLT         (1u << 24)
#define INTERCEPT_INVLPG      (1u << 25)
#define INTERCEPT_INVLPGA     (1u << 26)
#define INTERCEPT_IOIO        (1u << 27)
#define INTERCEPT_MSR         (1u << 28)
#define INTERCEPT_TASK_SWITCH (1u << 29)
#define INTERCEPT_SHUTDOWN    (1u << 31)
/* intercept_misc2 */
#define INTERCEPT_VMRUN       (1u << 0)
#define INTERCEPT_VMMCALL     (1u << 1)
#define INTERCEPT_VMLOAD      (1u << 2)
#define INTERCEPT_VMSAVE      (1u << 3)
#define INTERCEPT_STGI        (1u << 4)
#define INTERCEPT_CLGI        (1u << 5)
#define INTERCEPT_SKINIT      (1u << 6)
#define INTERCEPT_RDTSCP      (1u << 7)
#define INTERCEPT_WBINVD      (1u << 9)
#define INTERCEPT_MONITOR     (1u << 10)
#define INTERCEPT_MWAIT       (1u << 11)
#define INTERCEPT_XSETBV      (1u << 13)

/* Exit codes (APM vol. 2, appendix C). */
#define VMEXIT_CR0_READ      0x000
#define VMEXIT_CR0_WRITE     0x010
#define VMEXIT_CR3_WRITE     0x013
#define VMEXIT_CR4_WRITE     0x014
#define VMEXIT_EXCP_BASE     0x040
#define VMEXIT_PF            (VMEXIT_EXCP_BASE + 14)
#define VMEXIT_INTR          0x060
#define VMEXIT_NMI           0x061
#define VMEXIT_SMI           0x062
#define VMEXIT_INIT          0x063
#define VMEXIT_VINTR         0x064
#define VMEXIT_RDTSC         0x06e
#define VMEXIT_CPUID         0x072
#define VMEXIT_PAUSE         0x077
#define VMEXIT_HLT           0x078
#define VMEXIT_INVLPG        0x079
#define VMEXIT_IOIO          0x07b
#define VMEXIT_MSR           0x07c
#define VMEXIT_SHUTDOWN      0x07f
#define VMEXIT_VMRUN         0x080
#define VMEXIT_VMMCALL       0x081
#define VMEXIT_RDTSCP        0x087
#define VMEXIT_WBINVD        0x089
#define VMEXIT_XSETBV        0x08d
#define VMEXIT_NPF           0x400
#define VMEXIT_INVALID       ((uint64_t)-1)

/* EVENTINJ / EXITINTINFO (APM vol. 2, 15.20). */
#define EVENT_VALID          (1ull << 31)
#define EVENT_ERROR_VALID    (1ull << 11)
#define EVENT_TYPE_INTR      (0ull << 8)
#define EVENT_TYPE_NMI       (2ull << 8)
#define EVENT_TYPE_EXCEPTION (3ull << 8)
#define EVENT_TYPE_SOFT_INT  (4ull << 8)

/* Segment attribute helpers (packed format). */
#define SEG_ATTR(type, s, dpl, p, l, db, g) \
    ((type) | ((s) << 4) | ((dpl) << 5) | ((p) << 7) | ((l) << 9) | ((db) << 10) | ((g) << 11))

#endif
