/*
 * RAM map and physical frame allocator.
 *
 * The boot code reports RAM ranges (multiboot2 mmap, hvm_start_info memmap
 * or XENMEM_memory_map); we use what lies between the end of our image and
 * 4 GiB, the part that the boot page tables identity-map.  Frames come from
 * a bump pointer over those ranges and go back to a LIFO free list threaded
 * through the free frames themselves.
 */
#include "svguest.h"

#define MAX_RANGES 64
#define LOW_LIMIT  (4 * GiB)

struct range { uint64_t base, end; };
static struct range ram[MAX_RANGES];
static unsigned int nram;
static unsigned int cur;            /* range the bump pointer is in */
static uint64_t bump;
static uint64_t free_list;          /* pa of the first free frame, 0 = none */
static uint64_t nfree_list;
static uint64_t ram_bytes;
static uint64_t given_away;
static uint64_t low_ram;            /* RAM from 0 up, below our image */

void mem_add_ram(uint64_t base, uint64_t len)
{
    if (len == 0)
        return;
    ram_bytes += len;
    if (base == 0)
        low_ram = len < (uintptr_t)_start ? len : (uintptr_t)_start;
    uint64_t lo = (base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint64_t hi = (base + len) & ~(PAGE_SIZE - 1);
    uint64_t img_end = ((uintptr_t)_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    if (lo < img_end)
        lo = img_end;       /* everything below our image end: BIOS, GRUB, us */
    if (hi > LOW_LIMIT)
        hi = LOW_LIMIT;
    if (lo >= hi || nram == MAX_RANGES)
        return;
    /* Keep the ranges sorted by base. */
    unsigned int i = nram++;
    while (i > 0 && ram[i - 1].base > lo) {
        ram[i] = ram[i - 1];
        i--;
    }
    ram[i] = (struct range){ lo, hi };
}

/* The frame at pa is not ours to hand out (the PV console ring, the
 * xenstore page: the toolstack puts them in RAM and the map may say RAM).
 * Before mem_init(). */
void mem_reserve(uint64_t pa)
{
    pa &= ~(PAGE_SIZE - 1);
    for (unsigned int i = 0; i < nram; i++) {
        struct range *r = &ram[i];
        if (pa < r->base || pa >= r->end)
            continue;
        if (pa == r->base) {
            r->base += PAGE_SIZE;
        } else if (pa + PAGE_SIZE == r->end) {
            r->end = pa;
        } else if (nram < MAX_RANGES) {
            for (unsigned int j = nram++; j > i + 1; j--)
                ram[j] = ram[j - 1];
            ram[i + 1] = (struct range){ pa + PAGE_SIZE, r->end };
            r->end = pa;
        } else {
            r->end = pa;        /* no slot for the rest: lose it rather than hand pa out */
        }
        if (r->base >= r->end) {
            for (unsigned int j = i; j + 1 < nram; j++)
                ram[j] = ram[j + 1];
            nram--;
        }
        return;
    }
}

void mem_init(void)
{
    cur = 0;
    bump = nram ? ram[0].base : 0;
}

uint64_t mem_ram_bytes(void)
{
    return ram_bytes;
}

uint64_t mem_free_frames(void)
{
    uint64_t n = nfree_list;
    for (unsigned int i = cur; i < nram; i++)
        n += (ram[i].end - (i == cur ? bump : ram[i].base)) / PAGE_SIZE;
    return n;
}

static uint64_t bump_alloc(void)
{
    while (cur < nram) {
        if (bump < ram[cur].end) {
            uint64_t pa = bump;
            bump += PAGE_SIZE;
            return pa;
        }
        if (++cur < nram)
            bump = ram[cur].base;
    }
    return 0;
}

uint64_t frame_alloc(void)
{
    if (free_list) {
        uint64_t pa = free_list;
        free_list = *(uint64_t *)phys(pa);
        nfree_list--;
        return pa;
    }
    return bump_alloc();
}

uint64_t frame_alloc_zero(void)
{
    uint64_t pa = frame_alloc();
    if (pa)
        memset(phys(pa), 0, PAGE_SIZE);
    return pa;
}

void frame_free(uint64_t pa)
{
    *(uint64_t *)phys(pa) = free_list;
    free_list = pa;
    nfree_list++;
}

void frame_given_away(uint64_t pa)
{
    (void)pa;
    given_away++;
}

uint64_t mem_frames_given_away(void)
{
    return given_away;
}

uint64_t mem_top(void)
{
    uint64_t top = 0;
    for (unsigned int i = 0; i < nram; i++)
        if (ram[i].end > top)
            top = ram[i].end;
    return top;
}

uint64_t mem_low_ram(void)
{
    return low_ram;
}

/* Every free-list entry a frame of one of the ranges, as many as counted. */
bool mem_check(void)
{
    uint64_t n = 0;
    for (uint64_t pa = free_list; pa; pa = *(const uint64_t *)phys(pa)) {
        bool in = false;
        for (unsigned int i = 0; i < nram && !in; i++)
            in = pa >= ram[i].base && pa < ram[i].end;
        if ((pa & (PAGE_SIZE - 1)) || !in || ++n > nfree_list)
            return false;
    }
    return n == nfree_list;
}

/* n contiguous frames aligned to align, from the bump region; the frames
 * skipped for alignment go to the free list. */
uint64_t frame_alloc_contig(uint64_t n, uint64_t align)
{
    while (cur < nram) {
        uint64_t start = (bump + align - 1) & ~(align - 1);
        if (start + n * PAGE_SIZE <= ram[cur].end) {
            for (uint64_t pa = bump; pa < start; pa += PAGE_SIZE)
                frame_free(pa);
            bump = start + n * PAGE_SIZE;
            return start;
        }
        for (uint64_t pa = bump; pa < ram[cur].end; pa += PAGE_SIZE)
            frame_free(pa);
        if (++cur < nram)
            bump = ram[cur].base;
    }
    return 0;
}
