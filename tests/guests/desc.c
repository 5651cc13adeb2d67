/*
 * TSS and IDT (APM vol. 2, "Long-Mode Interrupt Control
 * Transfers" and "64-Bit Task State Segment").  The TSS gives ring-3 code a
 * kernel stack (RSP0) and #DF a stack of its own (IST1), so a broken stack
 * still gets reported.  Exceptions use interrupt gates (IF stays clear);
 * vector 0x80 is a DPL-3 gate through which ring-3 code returns, and
 * VEC_UPCALL an interrupt gate for Xen's event-channel upcall (taken only
 * once a test set the callback and runs with IF=1).
 */
#include "svguest.h"

struct __attribute__((packed)) tss64 {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};

struct __attribute__((packed)) idt_gate {
    uint16_t off0;
    uint16_t sel;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t off1;
    uint32_t off2;
    uint32_t reserved;
};

struct __attribute__((packed)) desc_ptr {
    uint16_t limit;
    uint64_t base;
};

extern uint64_t gdt[];
extern const uint64_t isr_table[34];

static struct tss64 tss;
static struct idt_gate idt[256];
static uint8_t ring0_stack[16384] __attribute__((aligned(16)));
static uint8_t df_stack[8192] __attribute__((aligned(16)));

static void set_gate(unsigned int vec, uint64_t handler, unsigned int dpl, unsigned int ist)
{
    idt[vec] = (struct idt_gate){
        .off0 = handler & 0xffff,
        .sel = SEL_CODE64,
        .ist = ist,
        .type_attr = 0x8e | (dpl << 5),     /* present, 64-bit interrupt gate */
        .off1 = (handler >> 16) & 0xffff,
        .off2 = handler >> 32,
    };
}

void desc_init(void)
{
    tss.rsp[0] = (uintptr_t)(ring0_stack + sizeof(ring0_stack));
    tss.ist[0] = (uintptr_t)(df_stack + sizeof(df_stack));
    tss.iomap_base = sizeof(tss);           /* no I/O bitmap */

    /* 16-byte available 64-bit TSS descriptor, type 9 (APM vol. 2, "Long-Mode
     * Segment Descriptors", system descriptors). */
    uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;
    unsigned int slot = SEL_TSS / 8;
    gdt[slot] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ul << 40) |
                (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[slot + 1] = base >> 32;
    __asm__ volatile("ltr %w0" :: "r"(SEL_TSS));

    for (unsigned int v = 0; v < 32; v++)
        set_gate(v, isr_table[v], 0, v == VEC_DF ? 1 : 0);
    set_gate(VEC_USER, isr_table[32], 3, 0);
    set_gate(VEC_UPCALL, isr_table[33], 0, 0);
    struct desc_ptr p = { sizeof(idt) - 1, (uintptr_t)idt };
    __asm__ volatile("lidt %0" :: "m"(p));
}
