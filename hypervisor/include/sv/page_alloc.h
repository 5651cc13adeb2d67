/* The machine-frame allocator of the running hypervisor (on mm/buddy.c). */
#ifndef SV_PAGE_ALLOC_H
#define SV_PAGE_ALLOC_H

#include <sv/types.h>

struct memmap;
/* Hand every range in 'free' to the buddy allocator; its metadata is
 * carved out of 'free' first. */
void page_alloc_init(struct memmap *free);
/* Direct-map virtual address of 2^order zeroed frames, or NULL. */
void *alloc_pages(unsigned int order);
void free_pages(void *va, unsigned int order);
size_t free_frames(void);
size_t total_frames(void);
void page_alloc_report(void);
/*
 * Page-table pages for the p2m and the shadows (their ops take these
 * directly): a zeroed frame and its number, and back; ctx is unused.
 */
void *alloc_table_page(void *ctx, mfn_t *mfn);
void free_table_page(void *ctx, mfn_t mfn, void *table);
void *table_page_at(void *ctx, mfn_t mfn);
/* Heap on top of the page allocator (xmalloc/xfree). */
void heap_setup(void);

#endif
