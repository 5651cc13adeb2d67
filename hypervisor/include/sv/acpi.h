/*
 * ACPI table discovery and parsing (ACPI 6.x): RSDP, XSDT/RSDT, MADT, FADT,
 * and the \_S5 sleep type from the DSDT for power-off.  Physical memory is
 * reached through a caller-given map function, so the parser runs unchanged
 * on the host over fabricated tables.  Every checksum, length and entry
 * size is checked; a bad table is skipped with a reason, never trusted.
 */
#ifndef SV_ACPI_H
#define SV_ACPI_H

#include <sv/types.h>

#define ACPI_MAX_CPUS    256
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_ISO     16

/* Generic Address Structure (ACPI 6.4, 5.2.3.2). */
struct acpi_gas {
    uint8_t space_id;       /* 0 = system memory, 1 = system I/O */
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t access_size;
    uint64_t address;
} __packed;

#define ACPI_GAS_MEMORY 0
#define ACPI_GAS_IO     1

struct acpi_cpu {
    uint32_t apic_id;
    uint32_t acpi_uid;
    bool enabled;           /* enabled, or online-capable */
};

struct acpi_ioapic {
    uint8_t id;
    paddr_t address;
    uint32_t gsi_base;
};

struct acpi_iso {           /* interrupt source override */
    uint8_t bus, source;
    uint32_t gsi;
    uint16_t flags;
};

struct acpi_info {
    paddr_t rsdp_addr;
    uint8_t revision;           /* RSDP revision */
    char oem_id[7];
    bool used_xsdt;
    unsigned int nr_tables;
    /* MADT */
    bool have_madt;
    paddr_t lapic_addr;
    bool pcat_compat;           /* 8259s present */
    unsigned int nr_cpus;
    struct acpi_cpu cpus[ACPI_MAX_CPUS];
    unsigned int nr_ioapics;
    struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
    unsigned int nr_isos;
    struct acpi_iso isos[ACPI_MAX_ISO];
    /* FADT */
    bool have_fadt;
    paddr_t dsdt_addr;
    uint32_t pm_tmr_port;       /* 0 = no PM timer */
    bool pm_tmr_32bit;
    uint32_t pm1a_cnt_port, pm1b_cnt_port;   /* 0 = absent */
    bool have_reset_reg;
    struct acpi_gas reset_reg;
    uint8_t reset_value;
    uint16_t sci_irq;
    /* \_S5 from the DSDT */
    bool have_s5;
    uint8_t slp_typa, slp_typb;
    unsigned int bad_tables;    /* tables skipped for checksum/length */
};

struct acpi_ops {
    /* Return a pointer to len readable bytes at pa, or NULL. */
    const void *(*map)(paddr_t pa, size_t len);
    /* Optional: report a problem ("MADT: bad checksum"). */
    void (*warn)(const char *fmt, ...);
};

/* Checksum of len bytes is zero. */
bool acpi_checksum_ok(const void *p, size_t len);
/* Check an RSDP image (signature, checksum(s), length); 0 or -EINVAL. */
int acpi_rsdp_valid(const void *rsdp, size_t avail);
/* Scan [area, area+len) on 16-byte boundaries for a valid RSDP; returns its
 * offset or -1. */
long acpi_scan_rsdp(const void *area, size_t len);
/* Parse everything reachable from the RSDP at rsdp_pa. 0 or -EINVAL/-ENOENT. */
int acpi_parse(const struct acpi_ops *ops, paddr_t rsdp_pa, struct acpi_info *out);
/* Same, from an RSDP copy (multiboot2 hands a copy, not an address). */
int acpi_parse_rsdp_copy(const struct acpi_ops *ops, const void *rsdp, size_t len,
                         struct acpi_info *out);
/* Find \_S5 in an AML byte stream; 0 and the two SLP_TYP values, or -ENOENT. */
int acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa, uint8_t *slp_typb);

#endif
