/*
 * x86-64 architectural constants and the few instructions the guest needs.
 * Constants are usable from assembly (entry.S, isr.S, pgoff.S); the inline
 * functions only from C.  References: AMD64 Architecture Programmer's Manual
 * vol. 2 (APM) chapters 3 (registers), 4 (segments), 5 (paging), 8 (traps).
 */
#ifndef SVGUEST_X86_H
#define SVGUEST_X86_H

/* Selectors of our GDT (entry.S).  One GDT for every mode we run in. */
#define SEL_CODE32  0x08        /* 32-bit flat code: boot, paging_onoff */
#define SEL_DATA    0x10        /* flat data, DPL 0 */
#define SEL_CODE64  0x18        /* 64-bit code, DPL 0 */
#define SEL_UDATA   0x20        /* flat data, DPL 3 */
#define SEL_UCODE   0x28        /* 64-bit code, DPL 3 */
#define SEL_TSS     0x30        /* 64-bit TSS (16-byte descriptor) */

/* CR0 / CR4 / EFER bits (APM vol. 2, chapter 3). */
#define CR0_PE      (1u << 0)
#define CR0_WP      (1u << 16)
#define CR0_PG      (1u << 31)
#define CR4_PAE     (1u << 5)
#define CR4_PGE     (1u << 7)
#define MSR_EFER    0xc0000080
#define EFER_LME    (1u << 8)
#define EFER_LMA    (1u << 10)
#define EFER_NXE    (1u << 11)

/* Page-table entry bits (APM vol. 2, 5.4 and 5.6). */
#define PTE_P       0x001
#define PTE_W       0x002
#define PTE_U       0x004
#define PTE_PWT     0x008
#define PTE_PCD     0x010
#define PTE_A       0x020
#define PTE_D       0x040
#define PTE_PS      0x080       /* large page in a PDE / PDPTE */
#define PTE_G       0x100
#define PTE_NX      (1ul << 63)
#define PTE_ADDR    0x000ffffffffff000ul

/* #PF error code (APM vol. 2, 8.4.2). */
#define PFEC_P      0x01        /* 0: not present, 1: protection violation */
#define PFEC_W      0x02        /* write access */
#define PFEC_U      0x04        /* CPL 3 */
#define PFEC_RSVD   0x08        /* reserved bit set in an entry */
#define PFEC_I      0x10        /* instruction fetch (only with EFER.NXE or SMEP) */

#define VEC_DF      8
#define VEC_PF      14
#define VEC_USER    0x80        /* ring 3 returns to the kernel with int $0x80 */
#define VEC_UPCALL  0xf3        /* Xen event-channel upcall (HVM_PARAM_CALLBACK_IRQ, vector type) */

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); return v; }
static inline void write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" :: "r"(v) : "memory"); }
static inline uint64_t read_cr2(void) { uint64_t v; __asm__ volatile("mov %%cr2, %0" : "=r"(v)); return v; }
static inline uint64_t read_cr3(void) { uint64_t v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); return v; }
static inline void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" :: "r"(v) : "memory"); }

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory"); }

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* RDTSC after LFENCE, so earlier instructions have completed (APM vol. 3,
 * RDTSC: "not serializing"; LFENCE orders it on AMD with the LFENCE-serializing
 * MSR bit, which every current kernel and hypervisor sets). */
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* RFLAGS.IF: the event-channel upcall is the only interrupt svguest takes. */
static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }

static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void barrier(void) { __asm__ volatile("" ::: "memory"); }
#endif /* __ASSEMBLER__ */
#endif
