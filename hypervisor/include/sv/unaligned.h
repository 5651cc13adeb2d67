/*
 * Loads from byte buffers that firmware and boot loaders hand us, where a
 * field need not be aligned (ACPI tables, multiboot2 tags).  memcpy keeps
 * them defined behaviour; the compiler turns each into one load.
 */
#ifndef SV_UNALIGNED_H
#define SV_UNALIGNED_H

#include <sv/string.h>
#include <sv/types.h>

static inline uint16_t rd16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static inline uint32_t rd32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static inline uint64_t rd64(const uint8_t *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

#endif
