/*
 * SMP bring-up: INIT-SIPI-SIPI to each enabled CPU in the MADT, one at a
 * time (Intel SDM vol. 3, 9.4.4.1 "universal start-up algorithm"; AMD APM
 * vol. 2, 16.5).  The AP runs trampoline.S into long mode, lands in
 * ap_start64 (head.S) on the stack we put in ap_boot_stack, and calls
 * start_secondary(), which reports in by setting its 'online' flag.
 */
#include <sv/schedule.h>
#include <sv/boot_domains.h>
#include <sv/domain.h>
#include <sv/machine.h>
#include <sv/memmap.h>
#include <sv/page_alloc.h>
#include <sv/panic.h>
#include <sv/params.h>
#include <sv/printk.h>
#include <sv/string.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/fpu.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/platform.h>
#include <asm/smp.h>
#include <asm/svm.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <asm/x86.h>

#define TIMER_HZ 100

struct percpu *percpu_of[MAX_CPUS];
unsigned int nr_cpus_online;
unsigned int nr_cpus_possible;

/* Read by ap_start64 in head.S. */
uint64_t ap_boot_stack;
static struct percpu *volatile ap_booting;
static paddr_t trampoline_pa;

extern char trampoline_base[], trampoline_end[];
extern char tramp_gdt_ptr[], tramp_pm_jump[], tramp_cr3[], tramp_efer[];
extern char tramp_pm32_offset[], tramp_gdt_offset[];
extern char boot_stack[];

static struct percpu bsp_percpu;
static uint8_t bsp_ist_stacks[3][STACK_SIZE] __attribute__((aligned(16)));

struct percpu *smp_bsp_percpu(void)
{
    bsp_percpu.self = &bsp_percpu;
    bsp_percpu.cpu = 0;
    bsp_percpu.stack = boot_stack;
    for (unsigned int i = 0; i < 3; i++)
        bsp_percpu.ist_stack[i] = bsp_ist_stacks[i];
    percpu_of[0] = &bsp_percpu;
    return &bsp_percpu;
}

void smp_reserve_trampoline(struct memmap *usable)
{
    size_t size = trampoline_end - trampoline_base;

    if (size > PAGE_SIZE)
        panic("smp: trampoline is %lu bytes, more than a page", (unsigned long)size);
    /* SIPI vectors name a page below 1 MiB; avoid page 0 (the real-mode IVT). */
    trampoline_pa = memmap_take(usable, PAGE_SIZE, PAGE_SIZE, 0x100000);
    if (trampoline_pa < PAGE_SIZE)
        panic("smp: no free page below 1 MiB for the AP trampoline");
}

static void patch32(char *copy, const char *field, uint32_t value)
{
    memcpy(copy + (field - trampoline_base), &value, sizeof(value));
}

static void trampoline_install(void)
{
    char *copy = phys_to_virt(trampoline_pa);
    uint32_t efer = EFER_LME | (uint32_t)(rdmsr(MSR_EFER) & EFER_NXE);

    paging_map_identity_page(trampoline_pa);
    memcpy(copy, trampoline_base, trampoline_end - trampoline_base);
    /* The GDT pointer's base sits 2 bytes into tramp_gdt_ptr. */
    patch32(copy, tramp_gdt_ptr + 2, (uint32_t)(trampoline_pa + (uintptr_t)tramp_gdt_offset));
    patch32(copy, tramp_pm_jump, (uint32_t)(trampoline_pa + (uintptr_t)tramp_pm32_offset));
    patch32(copy, tramp_cr3, (uint32_t)paging_root());
    patch32(copy, tramp_efer, efer);
}

static struct percpu *percpu_alloc(unsigned int cpu, uint32_t apic_id)
{
    struct percpu *pc = alloc_pages(0);

    if (!pc)
        return NULL;
    pc->self = pc;
    pc->cpu = cpu;
    pc->apic_id = apic_id;
    pc->stack = alloc_pages(2);
    for (unsigned int i = 0; i < 3; i++)
        pc->ist_stack[i] = alloc_pages(2);
    if (!pc->stack || !pc->ist_stack[0] || !pc->ist_stack[1] || !pc->ist_stack[2])
        return NULL;        /* boot-time only; the pages are not worth reclaiming */
    return pc;
}

static void timer_tick(struct cpu_regs *regs)
{
    (void)regs;
    this_cpu()->timer_ticks++;
}

void cpu_bringup_common(struct percpu *pc)
{
    int rc;

    fpu_cpu_init();
    set_irq_handler(VECTOR_TIMER, timer_tick);
    svm_intr_cpu_init();
    lapic_timer_start_periodic(TIMER_HZ, VECTOR_TIMER);
    rc = svm_cpu_enable(pc);
    if (rc)
        panic("SVM: cannot enable on CPU %u (%d)", pc->cpu, rc);
}

void start_secondary(void)
{
    struct percpu *pc = ap_booting;

    cpu_load_descriptors(pc);
    lapic_init_ap();
    pc->apic_id = lapic_id();
    cpu_bringup_common(pc);
    __atomic_store_n(&pc->online, true, __ATOMIC_RELEASE);
    sched_cpu_loop(pc->cpu);
}

static bool start_one_cpu(struct percpu *pc)
{
    uint8_t vector = (uint8_t)(trampoline_pa >> PAGE_SHIFT);

    ap_booting = pc;
    ap_boot_stack = (uint64_t)(uintptr_t)pc->stack + STACK_SIZE;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);

    lapic_send_init(pc->apic_id);
    lapic_send_sipi(pc->apic_id, vector);
    udelay(200);
    if (!__atomic_load_n(&pc->online, __ATOMIC_ACQUIRE))
        lapic_send_sipi(pc->apic_id, vector);

    /* TCG is slow; give it a second before declaring the CPU dead. */
    for (unsigned int ms = 0; ms < 1000; ms++) {
        if (__atomic_load_n(&pc->online, __ATOMIC_ACQUIRE))
            return true;
        mdelay(1);
    }
    return false;
}

unsigned int smp_boot_cpus(void)
{
    uint32_t bsp_apic = lapic_id();
    unsigned int wanted = 0;

    bsp_percpu.apic_id = bsp_apic;
    bsp_percpu.online = true;
    nr_cpus_online = 1;
    trampoline_install();

    for (unsigned int i = 0; i < acpi.nr_cpus; i++) {
        const struct acpi_cpu *c = &acpi.cpus[i];
        if (!c->enabled || c->apic_id == bsp_apic)
            continue;
        if (1 + wanted >= MAX_CPUS || 1 + wanted >= opt_maxcpus) {
            printk(LOG_WARN "SMP: CPU with APIC ID %u left offline (maxcpus)\n", c->apic_id);
            continue;
        }
        wanted++;
        unsigned int cpu = nr_cpus_online;
        struct percpu *pc = percpu_alloc(cpu, c->apic_id);
        if (!pc)
            panic("SMP: out of memory for CPU %u", cpu);
        percpu_of[cpu] = pc;
        if (!start_one_cpu(pc)) {
            printk(LOG_ERR "SMP: CPU %u (APIC ID %u) did not come up\n", cpu, c->apic_id);
            percpu_of[cpu] = NULL;
            continue;
        }
        nr_cpus_online++;
        printk("SMP: CPU %u (APIC ID %u) online\n", cpu, pc->apic_id);
    }
    nr_cpus_possible = 1 + wanted;
    return nr_cpus_online;
}

unsigned int smp_send_stop(void)
{
    struct percpu *me = this_cpu();
    unsigned int stopped = 0;

    if (nr_cpus_online <= 1)
        return 0;
    lapic_send_nmi_allbutself();
    for (unsigned int ms = 0; ms < 1000 && stopped < nr_cpus_online - 1; ms++) {
        mdelay(1);
        stopped = 0;
        for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++) {
            struct percpu *pc = percpu_of[cpu];
            if (pc && pc != me && pc->online && pc->stopped)
                stopped++;
        }
    }
    return stopped;
}

paddr_t smp_trampoline_pa(void)
{
    return trampoline_pa;
}
