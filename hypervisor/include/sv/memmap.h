/*
 * A small set of physical address ranges [start, end), kept sorted and
 * merged.  Boot code builds "usable RAM" from the firmware map and then
 * removes what must never be handed out (hypervisor image, modules, the
 * multiboot info, firmware/ACPI areas, page 0, the AP trampoline).
 */
#ifndef SV_MEMMAP_H
#define SV_MEMMAP_H

#include <sv/types.h>

#define MEMMAP_MAX 128

struct memrange {
    paddr_t start;
    paddr_t end;        /* exclusive */
};

struct memmap {
    unsigned int nr;
    struct memrange r[MEMMAP_MAX];
};

void memmap_init(struct memmap *m);
/* Add [start,end); overlapping or touching ranges merge.  -ENOSPC when full. */
int memmap_add(struct memmap *m, paddr_t start, paddr_t end);
/* Remove [start,end); a range may split in two.  -ENOSPC when full. */
int memmap_remove(struct memmap *m, paddr_t start, paddr_t end);
/* Drop the partial pages at both ends of every range. */
void memmap_page_align(struct memmap *m);
paddr_t memmap_total(const struct memmap *m);
bool memmap_contains(const struct memmap *m, paddr_t start, paddr_t end);
/* Take 'size' bytes aligned to 'align' (power of two) below 'limit' from the
 * highest suitable range; returns 0 on failure (0 is never usable RAM here). */
paddr_t memmap_take(struct memmap *m, size_t size, size_t align, paddr_t limit);

#endif
