/*
 * The hypervisor heap: xmalloc/xzalloc/xfree on top of a page source.
 * Small requests (up to 2048 bytes) come from per-size-class pools carved
 * out of single pages; larger ones take whole pages (a power-of-two block)
 * with a header.  All results are 16-byte aligned.  Freeing a pointer that
 * is not a live allocation (double free, a pointer into the middle, a
 * corrupted header) is detected, counted and reported through the error
 * hook instead of corrupting the heap.
 */
#ifndef SV_XMALLOC_H
#define SV_XMALLOC_H

#include <sv/types.h>

struct heap_ops {
    void *(*alloc_pages)(unsigned int order);       /* NULL when out of memory */
    void (*free_pages)(void *p, unsigned int order);
    void (*error)(const char *what, const void *ptr);
};

void heap_init(const struct heap_ops *ops);
void *xmalloc(size_t size);
void *xzalloc(size_t size);
void xfree(void *p);

struct heap_stats {
    size_t bytes_in_use;            /* sum of requested sizes live */
    size_t allocations;             /* live allocations */
    size_t pages;                   /* pages held from the page source */
    size_t bad_frees;
};
void heap_get_stats(struct heap_stats *st);

#endif
