/*
 * Glue between the buddy allocator (plain C, host-tested) and the running
 * hypervisor: where its metadata lives, how frames become pointers (the
 * direct map), and the heap's page source.
 */
#include <sv/buddy.h>
#include <sv/fmt.h>
#include <sv/memmap.h>
#include <sv/page_alloc.h>
#include <sv/panic.h>
#include <sv/printk.h>
#include <sv/string.h>
#include <sv/xmalloc.h>
#include <asm/mm.h>

static struct buddy frame_allocator;

void page_alloc_init(struct memmap *free)
{
    paddr_t top = 0;

    for (unsigned int i = 0; i < free->nr; i++)
        top = MAX(top, free->r[i].end);
    size_t nr = top >> PAGE_SHIFT;
    size_t meta_bytes = ALIGN_UP(nr * sizeof(struct frame_info), PAGE_SIZE);
    paddr_t meta = memmap_take(free, meta_bytes, PAGE_SIZE, directmap_end);

    if (!meta)
        panic("page_alloc: no room for %lu KiB of frame metadata",
              (unsigned long)(meta_bytes >> 10));
    buddy_init(&frame_allocator, phys_to_virt(meta), 0, nr);
    for (unsigned int i = 0; i < free->nr; i++) {
        mfn_t start = free->r[i].start >> PAGE_SHIFT;
        mfn_t end = free->r[i].end >> PAGE_SHIFT;
        if (end > start && buddy_add_free(&frame_allocator, start, end - start))
            panic("page_alloc: cannot add frames %#lx-%#lx", (unsigned long)start,
                  (unsigned long)end);
    }
}

void *alloc_pages(unsigned int order)
{
    mfn_t mfn = buddy_alloc(&frame_allocator, order);
    void *va;

    if (mfn == INVALID_MFN)
        return NULL;
    va = phys_to_virt((paddr_t)mfn << PAGE_SHIFT);
    memset(va, 0, PAGE_SIZE << order);
    return va;
}

void free_pages(void *va, unsigned int order)
{
    mfn_t mfn = virt_to_phys(va) >> PAGE_SHIFT;

    if (buddy_free(&frame_allocator, mfn, order))
        printk(LOG_ERR "page_alloc: bad free of %p order %u (double free?)\n", va, order);
}

void *alloc_table_page(void *ctx, mfn_t *mfn)
{
    void *p = alloc_pages(0);

    (void)ctx;
    if (p)
        *mfn = virt_to_phys(p) >> PAGE_SHIFT;
    return p;
}

void free_table_page(void *ctx, mfn_t mfn, void *table)
{
    (void)ctx;
    (void)mfn;
    free_pages(table, 0);
}

void *table_page_at(void *ctx, mfn_t mfn)
{
    (void)ctx;
    return phys_to_virt((paddr_t)mfn << PAGE_SHIFT);
}

size_t free_frames(void)
{
    return buddy_free_frames(&frame_allocator);
}

size_t total_frames(void)
{
    return frame_allocator.total_frames;
}

void page_alloc_report(void)
{
    size_t counts[BUDDY_MAX_ORDER + 1];
    char orders[160];
    int len = 0;

    buddy_free_counts(&frame_allocator, counts);
    orders[0] = '\0';
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        if (counts[o] && len < (int)sizeof(orders))
            len += fmt_snprintf(orders + len, sizeof(orders) - len, " %u:%lu", o,
                                (unsigned long)counts[o]);
    printk("memory: %lu MiB free of %lu MiB managed; free blocks by order:%s\n",
           (unsigned long)(free_frames() >> (20 - PAGE_SHIFT)),
           (unsigned long)(total_frames() >> (20 - PAGE_SHIFT)), orders);
}

static void heap_error(const char *what, const void *ptr)
{
    printk(LOG_ERR "heap: %s (%p)\n", what, ptr);
}

void heap_setup(void)
{
    static const struct heap_ops ops = {
        .alloc_pages = alloc_pages,
        .free_pages = free_pages,
        .error = heap_error,
    };

    heap_init(&ops);
}
