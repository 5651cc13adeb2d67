/*
 * Local APIC.  x2APIC when CPUID.1:ECX[21] says so (registers become MSRs
 * 0x800 + offset/16, Intel SDM vol. 3, 10.12); otherwise xAPIC through the
 * direct map's uncached window.
 */
#include <sv/printk.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/x86.h>
#include <asm/mm.h>
#include <asm/time.h>

#define APIC_ID        0x020
#define APIC_VERSION   0x030
#define APIC_TPR       0x080
#define APIC_EOI       0x0b0
#define APIC_SVR       0x0f0
#define APIC_ESR       0x280
#define APIC_ICR_LO    0x300
#define APIC_ICR_HI    0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TMICT     0x380
#define APIC_TMCCT     0x390
#define APIC_TDCR      0x3e0

#define APIC_BASE_ENABLE  (1u << 11)
#define APIC_BASE_X2APIC  (1u << 10)
#define SVR_ENABLE        (1u << 8)
#define LVT_MASKED        (1u << 16)
#define LVT_TIMER_PERIODIC (1u << 17)
#define ICR_INIT          (5u << 8)
#define ICR_STARTUP       (6u << 8)
#define ICR_NMI           (4u << 8)
#define ICR_ASSERT        (1u << 14)
#define ICR_LEVEL         (1u << 15)
#define ICR_BUSY          (1u << 12)
#define ICR_ALL_BUT_SELF  (3u << 18)
#define TDCR_DIV_16       0x3

#define APIC_LDR       0x0d0

static bool x2apic;
static paddr_t xapic_base;
static volatile uint32_t *xapic_mmio;
static uint64_t timer_hz;               /* timer input clock after the divider */

static uint32_t apic_read(unsigned int reg)
{
    if (x2apic)
        return (uint32_t)rdmsr(0x800 + (reg >> 4));
    return xapic_mmio[reg / 4];
}

static void apic_write(unsigned int reg, uint32_t v)
{
    if (x2apic)
        wrmsr(0x800 + (reg >> 4), v);
    else
        xapic_mmio[reg / 4] = v;
}

bool lapic_x2apic_mode(void)
{
    return x2apic;
}

uint32_t lapic_id(void)
{
    return x2apic ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

void lapic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

static void lapic_setup_this_cpu(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;

    if (x2apic)
        base |= APIC_BASE_X2APIC;
    wrmsr(MSR_APIC_BASE, base);

    apic_write(APIC_TPR, 0);
    /* Logical ID 0 matches no logical destination: what dom0 may send from
     * CPU 0 with one (ipi_guard.h) cannot reach this CPU.  (x2APIC derives
     * the logical ID from the APIC ID; the guard handles that mode.) */
    if (!x2apic)
        apic_write(APIC_LDR, 0);
    apic_write(APIC_LVT_TIMER, LVT_MASKED);
    apic_write(APIC_LVT_LINT0, LVT_MASKED);
    apic_write(APIC_LVT_LINT1, LVT_MASKED);
    apic_write(APIC_LVT_ERROR, LVT_MASKED);
    apic_write(APIC_ESR, 0);
    apic_write(APIC_SVR, SVR_ENABLE | 0xff);       /* spurious vector 0xff */
}

void lapic_init_bsp(paddr_t mmio_base)
{
    x2apic = (cpuid(1).ecx >> 21) & 1;
    xapic_base = mmio_base;
    xapic_mmio = phys_to_virt(mmio_base);
    lapic_setup_this_cpu();
    printk("APIC: %s mode, BSP APIC ID %u, version %#x\n", x2apic ? "x2APIC" : "xAPIC",
           lapic_id(), apic_read(APIC_VERSION) & 0xff);
}

void lapic_init_ap(void)
{
    lapic_setup_this_cpu();
}

paddr_t lapic_mmio_base(void)
{
    return xapic_base;
}

uint32_t lapic_reg_read(unsigned int reg)
{
    return apic_read(reg);
}

void lapic_reg_write(unsigned int reg, uint32_t v)
{
    apic_write(reg, v);
}

static void icr_send(uint32_t dest, uint32_t low)
{
    if (x2apic) {
        wrmsr(0x800 + (APIC_ICR_LO >> 4), ((uint64_t)dest << 32) | low);
        return;
    }
    apic_write(APIC_ICR_HI, dest << 24);
    apic_write(APIC_ICR_LO, low);
    for (unsigned int spins = 0; apic_read(APIC_ICR_LO) & ICR_BUSY && spins < 1000000; spins++)
        __builtin_ia32_pause();
}

void lapic_send_init(uint32_t apic_id)
{
    icr_send(apic_id, ICR_INIT | ICR_LEVEL | ICR_ASSERT);
    udelay(10000);
    /* Level de-assert: needed by old APICs, harmless on current ones. */
    icr_send(apic_id, ICR_INIT | ICR_LEVEL);
}

void lapic_send_sipi(uint32_t apic_id, uint8_t page)
{
    icr_send(apic_id, ICR_STARTUP | page);
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
    icr_send(apic_id, ICR_ASSERT | vector);      /* fixed delivery, edge */
}

void lapic_send_nmi_allbutself(void)
{
    icr_send(0, ICR_NMI | ICR_ASSERT | ICR_ALL_BUT_SELF);
}

void lapic_timer_calibrate(void)
{
    const unsigned long window_us = 10000;

    apic_write(APIC_TDCR, TDCR_DIV_16);
    apic_write(APIC_LVT_TIMER, LVT_MASKED);
    apic_write(APIC_TMICT, 0xffffffffu);
    ref_clock_wait_us(window_us);
    uint32_t elapsed = 0xffffffffu - apic_read(APIC_TMCCT);
    apic_write(APIC_TMICT, 0);

    timer_hz = (uint64_t)elapsed * (1000000 / window_us);
    printk("APIC: timer %lu.%03lu MHz (bus/16), calibrated against the %s\n",
           (unsigned long)(timer_hz / 1000000), (unsigned long)(timer_hz / 1000 % 1000),
           ref_clock_name());
}

uint64_t lapic_timer_hz(void)
{
    return timer_hz;
}

void lapic_timer_start_periodic(unsigned int hz, uint8_t vector)
{
    apic_write(APIC_TDCR, TDCR_DIV_16);
    apic_write(APIC_LVT_TIMER, LVT_TIMER_PERIODIC | vector);
    apic_write(APIC_TMICT, (uint32_t)(timer_hz / hz));
}

void lapic_timer_stop(void)
{
    apic_write(APIC_TMICT, 0);
    apic_write(APIC_LVT_TIMER, LVT_MASKED);
}
