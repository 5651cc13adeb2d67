/*
 * dom0's local APIC accesses that the hypervisor checks (asm/dom0_apic.h).
 * They all run on CPU 0, with interrupts off, between two of dom0's
 * instructions.
 */
#include <sv/errno.h>
#include <sv/ipi_guard.h>
#include <sv/printk.h>
#include <sv/string.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/dom0_apic.h>
#include <asm/x86.h>

#define APIC_ID      0x020
#define APIC_ICR_LO  0x300
#define APIC_ICR_HI  0x310
#define APIC_BASE_BSP (1ull << 8)

/* dom0's ICR2 (the destination).  The hypervisor sends IPIs from CPU 0
 * too, and each rewrites the hardware ICR2: dom0 may have been interrupted
 * by an exit between writing ICR2 and writing the ICR, so the value it
 * wrote is kept here and put back in place for its own send. */
static uint32_t dom0_icr2;
static uint64_t refused;

static void report_refusal(uint32_t lo, uint32_t dest, const char *why)
{
    /* A misbehaving dom0 could flood the log: the first few, then every 1024th. */
    if (++refused <= 8 || (refused & 1023) == 0)
        printk(LOG_WARN "dom0: IPI refused (%s): icr %#x, destination %#x; %lu so far\n", why, lo,
               dest, (unsigned long)refused);
}

uint64_t dom0_apic_ipis_refused(void)
{
    return refused;
}

static void icr_write(uint32_t lo)
{
    uint32_t own = lapic_reg_read(APIC_ID) >> 24;
    uint32_t dest = dom0_icr2 >> 24;
    const char *why = ipi_guard_refusal(lo, dest, false, own);

    if (why) {
        report_refusal(lo, dest, why);
        return;
    }
    lapic_reg_write(APIC_ICR_HI, dom0_icr2);
    lapic_reg_write(APIC_ICR_LO, lo);
}

int dom0_apic_mmio_read(unsigned int off, void *buf, unsigned int size)
{
    uint32_t val = 0;

    if (size == 4 && off % 16 == 0 && off < PAGE_SIZE)
        val = off == APIC_ICR_HI ? dom0_icr2 : lapic_reg_read(off);
    memset(buf, 0, size);
    memcpy(buf, &val, size < 4 ? size : 4);
    return 0;
}

int dom0_apic_mmio_write(unsigned int off, const void *buf, unsigned int size)
{
    uint32_t val;

    if (size != 4 || off % 16 || off >= PAGE_SIZE)
        return 0;
    memcpy(&val, buf, 4);
    if (off == APIC_ICR_HI)
        dom0_icr2 = val;
    else if (off == APIC_ICR_LO)
        icr_write(val);
    else
        lapic_reg_write(off, val);
    return 0;
}

void dom0_x2apic_icr_write(uint64_t val)
{
    uint32_t lo = (uint32_t)val, dest = (uint32_t)(val >> 32);
    const char *why = ipi_guard_refusal(lo, dest, true, (uint32_t)rdmsr(0x802));

    if (why) {
        report_refusal(lo, dest, why);
        return;
    }
    wrmsr(0x830, val);
}

int dom0_apic_base_write(uint64_t val)
{
    uint64_t cur = rdmsr(MSR_APIC_BASE);

    /* The hypervisor sends IPIs from CPU 0 through this APIC, in the mode
     * and at the address it set up: no move, no mode switch, no disable.
     * (Bit 8, BSP, is read-only.) */
    if ((val ^ cur) & ~APIC_BASE_BSP) {
        printk(LOG_WARN "dom0: APIC base write %#lx refused (it is %#lx)\n", (unsigned long)val,
               (unsigned long)cur);
        return -EINVAL;
    }
    return 0;
}
