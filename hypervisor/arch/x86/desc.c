/*
 * Descriptor tables.  Each CPU has its own GDT (its TSS descriptor points at
 * its own TSS) and its own IST stacks, so a #DF, NMI or #MC always lands on
 * a known-good stack even when the current one is corrupt or overflowed
 * (AMD APM vol. 2, 8.9.4).  The IDT is shared.
 */
#include <sv/string.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/x86.h>

struct idt_entry {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
} __packed;

struct desc_ptr {
    uint16_t limit;
    uint64_t base;
} __packed;

extern const uint64_t trap_stub_table[256];
static struct idt_entry idt[256] __attribute__((aligned(16)));

void idt_set_handler(unsigned int vector, unsigned int ist)
{
    uint64_t addr = trap_stub_table[vector];
    struct idt_entry *e = &idt[vector];

    e->offset_lo = addr & 0xffff;
    e->selector = GDT_CODE64;
    e->ist = ist & 7;
    e->type_attr = 0x8e;                /* present, DPL 0, 64-bit interrupt gate */
    e->offset_mid = (addr >> 16) & 0xffff;
    e->offset_hi = addr >> 32;
    e->reserved = 0;
}

void idt_init(void)
{
    for (unsigned int v = 0; v < 256; v++)
        idt_set_handler(v, 0);
    idt_set_handler(X86_EXC_DF, IST_DF);
    idt_set_handler(X86_EXC_NMI, IST_NMI);
    idt_set_handler(X86_EXC_MC, IST_MC);
}

static void gdt_set_tss(uint64_t *gdt, const struct tss64 *tss)
{
    uint64_t base = (uint64_t)(uintptr_t)tss;
    uint64_t limit = sizeof(*tss) - 1;

    /* 16-byte system descriptor, type 9 = available 64-bit TSS. */
    gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
                       (0x89ull << 40) | (((limit >> 16) & 0xf) << 48) |
                       (((base >> 24) & 0xff) << 56);
    gdt[GDT_TSS / 8 + 1] = base >> 32;
}

void cpu_load_descriptors(struct percpu *pc)
{
    struct desc_ptr gdtr = { sizeof(pc->gdt) - 1, (uint64_t)(uintptr_t)pc->gdt };
    struct desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };

    pc->gdt[0] = 0;
    pc->gdt[GDT_CODE32 / 8] = 0x00cf9a000000ffffull;
    pc->gdt[GDT_DATA / 8] = 0x00cf92000000ffffull;
    pc->gdt[GDT_CODE64 / 8] = 0x00af9a000000ffffull;

    memset(&pc->tss, 0, sizeof(pc->tss));
    for (unsigned int i = 0; i < 3; i++)
        pc->tss.ist[i] = (uint64_t)(uintptr_t)pc->ist_stack[i] + STACK_SIZE;
    pc->tss.rsp[0] = (uint64_t)(uintptr_t)pc->stack + STACK_SIZE;
    pc->tss.iomap_base = sizeof(pc->tss);      /* no I/O bitmap */
    gdt_set_tss(pc->gdt, &pc->tss);

    __asm__ volatile("lgdt %0" :: "m"(gdtr));
    /* Reload CS through a far return, then the data segments. */
    __asm__ volatile("pushq %0\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "mov %1, %%ds\n\t"
                     "mov %1, %%es\n\t"
                     "mov %1, %%ss\n\t"
                     :: "i"(GDT_CODE64), "r"(GDT_DATA) : "rax", "memory");
    __asm__ volatile("ltr %w0" :: "r"(GDT_TSS));
    __asm__ volatile("lidt %0" :: "m"(idtr));
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)pc);
}
