/*
 * ACPI on the running machine: the RSDP comes from GRUB's multiboot2 tag,
 * or from the BIOS areas (EBDA, 0xe0000-0xfffff) when GRUB gave none
 * (ACPI 6.4, 5.2.5.1).  Tables are read through the direct map.  Power-off
 * writes SLP_TYP(\_S5) | SLP_EN to PM1x_CNT (ACPI 6.4, 7.4.2); reset uses
 * the FADT reset register, then the usual fallbacks.
 */
#include <sv/acpi.h>
#include <sv/fmt.h>
#include <sv/machine.h>
#include <sv/multiboot2.h>
#include <sv/panic.h>
#include <sv/printk.h>
#include <asm/cpu.h>
#include <asm/mm.h>
#include <asm/platform.h>

struct acpi_info acpi;

static const void *acpi_map(paddr_t pa, size_t len)
{
    if (pa + len < pa || pa + len > directmap_end)
        return NULL;
    return phys_to_virt(pa);
}

static void acpi_warn(const char *fmt, ...)
{
    char line[160];
    va_list ap;

    va_start(ap, fmt);
    fmt_vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    printk(LOG_WARN "ACPI: %s\n", line);
}

static const struct acpi_ops ops = { acpi_map, acpi_warn };

static paddr_t scan_bios_areas(void)
{
    paddr_t ebda = (paddr_t)(*(const uint16_t *)phys_to_virt(0x40e)) << 4;
    long off;

    if (ebda >= 0x80000 && ebda < 0xa0000) {
        off = acpi_scan_rsdp(phys_to_virt(ebda), 1024);
        if (off >= 0)
            return ebda + off;
    }
    off = acpi_scan_rsdp(phys_to_virt(0xe0000), 0x20000);
    return off >= 0 ? 0xe0000 + (paddr_t)off : 0;
}

void acpi_init(const struct boot_info *bi)
{
    int rc;

    if (bi->rsdp_len) {
        rc = acpi_parse_rsdp_copy(&ops, bi->rsdp, bi->rsdp_len, &acpi);
        printk("ACPI: RSDP from the multiboot2 tag\n");
    } else {
        paddr_t rsdp = scan_bios_areas();
        if (!rsdp)
            panic("ACPI: no RSDP (no multiboot2 ACPI tag, none in the BIOS areas)");
        printk("ACPI: RSDP found at %#lx by scanning the BIOS areas\n", (unsigned long)rsdp);
        rc = acpi_parse(&ops, rsdp, &acpi);
    }
    if (rc)
        panic("ACPI: tables unusable (%d)", rc);

    printk("ACPI: revision %u, OEM '%s', %s, %u tables (%u bad)\n", acpi.revision,
           acpi.oem_id, acpi.used_xsdt ? "XSDT" : "RSDT", acpi.nr_tables, acpi.bad_tables);
    if (!acpi.have_madt)
        panic("ACPI: no MADT: cannot find the CPUs");
    printk("ACPI: MADT: %u CPUs, %u IO-APICs, LAPIC at %#lx, %u interrupt overrides\n",
           acpi.nr_cpus, acpi.nr_ioapics, (unsigned long)acpi.lapic_addr, acpi.nr_isos);
    for (unsigned int i = 0; i < acpi.nr_ioapics; i++)
        printk("ACPI: IO-APIC %u at %#lx, GSI base %u\n", acpi.ioapics[i].id,
               (unsigned long)acpi.ioapics[i].address, acpi.ioapics[i].gsi_base);
    if (acpi.have_fadt)
        printk("ACPI: FADT: PM timer port %#x, PM1a_CNT %#x, reset %s %#lx=%#x, S5 %s (%u/%u)\n",
               acpi.pm_tmr_port, acpi.pm1a_cnt_port,
               acpi.have_reset_reg ? (acpi.reset_reg.space_id == ACPI_GAS_IO ? "port" : "mmio") : "none",
               (unsigned long)acpi.reset_reg.address, acpi.reset_value,
               acpi.have_s5 ? "found" : "missing", acpi.slp_typa, acpi.slp_typb);
}

void machine_halt(void)
{
    halt_forever();
}

void machine_power_off(void)
{
    cli();
    printk("Powering off\n");
    if (acpi.have_s5 && acpi.pm1a_cnt_port) {
        const uint16_t slp_en = 1u << 13;
        outw((uint16_t)acpi.pm1a_cnt_port, (uint16_t)((acpi.slp_typa & 7) << 10) | slp_en);
        if (acpi.pm1b_cnt_port)
            outw((uint16_t)acpi.pm1b_cnt_port, (uint16_t)((acpi.slp_typb & 7) << 10) | slp_en);
        mdelay(100);
    }
    printk(LOG_ERR "ACPI power-off did not work; halting\n");
    halt_forever();
}

void machine_restart(void)
{
    cli();
    printk("Rebooting\n");
    if (acpi.have_reset_reg) {
        if (acpi.reset_reg.space_id == ACPI_GAS_IO)
            outb((uint16_t)acpi.reset_reg.address, acpi.reset_value);
        else if (acpi.reset_reg.space_id == ACPI_GAS_MEMORY && acpi.reset_reg.address < directmap_end)
            *(volatile uint8_t *)phys_to_virt(acpi.reset_reg.address) = acpi.reset_value;
        mdelay(50);
    }
    outb(0xcf9, 0x02);              /* PCI reset control: hard reset */
    outb(0xcf9, 0x06);
    mdelay(50);
    outb(0x64, 0xfe);               /* keyboard controller pulse */
    mdelay(50);
    /* Last resort: a triple fault with an empty IDT. */
    static const struct { uint16_t limit; uint64_t base; } __packed null_idt = { 0, 0 };
    __asm__ volatile("lidt %0; int3" :: "m"(null_idt));
    halt_forever();
}
