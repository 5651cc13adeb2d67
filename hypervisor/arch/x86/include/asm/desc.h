/* GDT, TSS and IDT. */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <asm/percpu.h>

/* Build and load this CPU's GDT and TSS (with its IST stacks), load the
 * shared IDT, and point GS base at pc. */
void cpu_load_descriptors(struct percpu *pc);
void idt_init(void);
void idt_set_handler(unsigned int vector, unsigned int ist);

#endif
