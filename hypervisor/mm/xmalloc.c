/*
 * The hypervisor heap.
 *
 * Small requests (<= POOL_MAX_SIZE) come from size-class pools: a pool page
 * starts with a struct pool_page and is cut into equal slots, each a 16-byte
 * struct obj_hdr followed by the payload.  Larger requests take a
 * power-of-two block of pages from the page source, starting with a
 * struct large_block whose embedded header precedes the payload.
 *
 * xfree must tell the two apart without trusting the pointer, so their
 * payload offsets within a page never coincide: a large payload is always
 * at page offset sizeof(struct large_block), a small one always beyond it.
 * Live large blocks are kept on a list and a freed pointer is matched
 * against it before its header is read, because a freed large block has
 * already gone back to the page source.  A small pointer is checked against
 * its page header (magic, slot geometry) and then its own header's magic,
 * which tells a live object from a freed one.  Limitation: a double free of
 * an object whose pool page was since returned to the page source reads that
 * page; it is only caught if the page no longer looks like a pool page.
 *
 * xmalloc(0) returns a unique, freeable pointer (from the smallest class),
 * not NULL, so NULL always means "out of memory".
 *
 * Empty pool pages go back to the page source, except for one spare per
 * class so that a workload hovering at a page boundary does not get and
 * return the same page on every call.
 */
#include <sv/spinlock.h>
#include <sv/string.h>
#include <sv/xmalloc.h>

#define HEAP_ALIGN       16
#define POOL_MAX_SIZE    2048
#define LARGE_MAX_ORDER  32         /* 16 TiB: beyond any page source we run on */

/* Magics: distinct per kind so one kind's header never passes for another. */
#define OBJ_LIVE_SMALL   0x4f4c5653u
#define OBJ_LIVE_LARGE   0x4f4c564cu
#define OBJ_FREE         0x4f465245u
#define POOL_PAGE_MAGIC  0x504f4f4cu

struct obj_hdr {
    uint32_t magic;
    uint32_t tag;                   /* size class (pool) or block order (large) */
    union {
        size_t size;                /* live: bytes requested, for the stats */
        struct obj_hdr *next_free;  /* free pool slot: next free slot of its page */
    };
};

struct large_block {
    struct large_block *next, *prev;    /* list of live large blocks */
    struct obj_hdr hdr;
};

struct pool_page {
    uint32_t magic;
    uint16_t class_idx;
    uint16_t nr_slots;
    uint16_t nr_free;
    struct obj_hdr *free_slots;
    struct pool_page *next, *prev;      /* class's list of pages with a free slot */
};

#define POOL_HDR_SIZE  ALIGN_UP(sizeof(struct pool_page), HEAP_ALIGN)
#define LARGE_OFFSET   sizeof(struct large_block)

_Static_assert(sizeof(struct obj_hdr) == HEAP_ALIGN, "payloads must stay 16-byte aligned");
_Static_assert(LARGE_OFFSET % HEAP_ALIGN == 0, "large payloads must be 16-byte aligned");
_Static_assert(POOL_HDR_SIZE >= LARGE_OFFSET, "small and large payload offsets must differ");

/* Multiples of 16 keep every slot, hence every payload, 16-byte aligned.
 * Steps of about 1.5x bound the waste per object to a third. */
static const uint16_t class_sizes[] = {
    16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, POOL_MAX_SIZE,
};
#define NR_CLASSES ARRAY_SIZE(class_sizes)

struct size_class {
    struct pool_page *with_free;    /* pages with at least one free slot */
    size_t empty_pages;             /* of those, pages with every slot free */
};

static struct {
    spinlock_t lock;
    struct heap_ops ops;
    bool ready;
    struct size_class classes[NR_CLASSES];
    struct large_block *large;
    struct heap_stats stats;
} heap;

void heap_init(const struct heap_ops *ops)
{
    memset(&heap, 0, sizeof(heap));
    spin_lock_init(&heap.lock);
    if (ops) {
        heap.ops = *ops;
        heap.ready = ops->alloc_pages && ops->free_pages;
    }
}

static size_t slot_size(unsigned int class_idx)
{
    return sizeof(struct obj_hdr) + class_sizes[class_idx];
}

/* Size 0 maps to the smallest class, so xmalloc(0) returns a unique,
 * freeable pointer rather than NULL: callers need not special-case it. */
static unsigned int class_for(size_t size)
{
    unsigned int c = 0;

    while (class_sizes[c] < size)
        c++;
    return c;
}

/* ---- pool pages ------------------------------------------------------ */

static void page_list_push(struct size_class *cls, struct pool_page *page)
{
    page->prev = NULL;
    page->next = cls->with_free;
    if (cls->with_free)
        cls->with_free->prev = page;
    cls->with_free = page;
}

static void page_list_unlink(struct size_class *cls, struct pool_page *page)
{
    if (page->prev)
        page->prev->next = page->next;
    else
        cls->with_free = page->next;
    if (page->next)
        page->next->prev = page->prev;
    page->next = page->prev = NULL;
}

static struct pool_page *new_pool_page(unsigned int class_idx)
{
    struct pool_page *page = heap.ops.alloc_pages(0);
    size_t slot = slot_size(class_idx);
    uint8_t *first;

    if (!page)
        return NULL;
    page->magic = POOL_PAGE_MAGIC;
    page->class_idx = (uint16_t)class_idx;
    page->nr_slots = (uint16_t)((PAGE_SIZE - POOL_HDR_SIZE) / slot);
    page->nr_free = page->nr_slots;
    page->free_slots = NULL;
    first = (uint8_t *)page + POOL_HDR_SIZE;
    /* Thread back to front so slots are handed out in address order. */
    for (size_t i = page->nr_slots; i-- > 0;) {
        struct obj_hdr *h = (struct obj_hdr *)(first + i * slot);

        h->magic = OBJ_FREE;
        h->tag = class_idx;
        h->next_free = page->free_slots;
        page->free_slots = h;
    }
    page_list_push(&heap.classes[class_idx], page);
    heap.classes[class_idx].empty_pages++;
    heap.stats.pages++;
    return page;
}

static void *pool_alloc(size_t size)
{
    unsigned int c = class_for(size);
    struct size_class *cls = &heap.classes[c];
    struct pool_page *page = cls->with_free ? cls->with_free : new_pool_page(c);
    struct obj_hdr *h;

    if (!page)
        return NULL;
    if (page->nr_free == page->nr_slots)
        cls->empty_pages--;
    h = page->free_slots;
    page->free_slots = h->next_free;
    if (--page->nr_free == 0)
        page_list_unlink(cls, page);
    h->magic = OBJ_LIVE_SMALL;
    h->tag = c;
    h->size = size;
    return h + 1;
}

static void release_empty_page(struct size_class *cls, struct pool_page *page)
{
    if (!cls->empty_pages) {
        cls->empty_pages++;         /* keep it as the class's spare */
        return;
    }
    page_list_unlink(cls, page);
    page->magic = 0;                /* stale pointers into it stop passing checks */
    heap.ops.free_pages(page, 0);
    heap.stats.pages--;
}

static void pool_free(struct pool_page *page, struct obj_hdr *h)
{
    struct size_class *cls = &heap.classes[page->class_idx];

    h->magic = OBJ_FREE;
    h->next_free = page->free_slots;
    page->free_slots = h;
    if (page->nr_free++ == 0)
        page_list_push(cls, page);
    if (page->nr_free == page->nr_slots)
        release_empty_page(cls, page);
}

/* Returns what is wrong with freeing p, or NULL after freeing it. */
static const char *pool_free_checked(void *p)
{
    uintptr_t addr = (uintptr_t)p;
    struct pool_page *page = (struct pool_page *)(addr & PAGE_MASK);
    struct obj_hdr *h = (struct obj_hdr *)p - 1;
    uintptr_t first, slot;

    if (page->magic != POOL_PAGE_MAGIC || page->class_idx >= NR_CLASSES)
        return "free of a pointer not from the heap";
    first = (uintptr_t)page + POOL_HDR_SIZE + sizeof(struct obj_hdr);
    slot = slot_size(page->class_idx);
    if (addr < first || (addr - first) % slot || (addr - first) / slot >= page->nr_slots)
        return "free of a pointer into the middle of an object";
    if (h->magic == OBJ_FREE)
        return "double free";
    if (h->magic != OBJ_LIVE_SMALL || h->tag != page->class_idx)
        return "free of an object with a corrupted header";
    heap.stats.bytes_in_use -= h->size;
    heap.stats.allocations--;
    pool_free(page, h);
    return NULL;
}

/* ---- large blocks ---------------------------------------------------- */

/* Smallest order whose block holds the header and size bytes, or -1 when
 * the request is beyond any page source. */
static int large_order(size_t size)
{
    size_t pages;
    int order = 0;

    if (size > ((size_t)PAGE_SIZE << LARGE_MAX_ORDER) - LARGE_OFFSET)
        return -1;
    pages = (size + LARGE_OFFSET + PAGE_SIZE - 1) >> PAGE_SHIFT;
    while (((size_t)1 << order) < pages)
        order++;
    return order;
}

static void *large_alloc(size_t size)
{
    int order = large_order(size);
    struct large_block *blk;

    if (order < 0)
        return NULL;
    blk = heap.ops.alloc_pages((unsigned int)order);
    if (!blk)
        return NULL;
    blk->hdr.magic = OBJ_LIVE_LARGE;
    blk->hdr.tag = (uint32_t)order;
    blk->hdr.size = size;
    blk->prev = NULL;
    blk->next = heap.large;
    if (heap.large)
        heap.large->prev = blk;
    heap.large = blk;
    heap.stats.pages += (size_t)1 << order;
    return blk + 1;
}

static bool is_live_large(const struct large_block *blk)
{
    for (const struct large_block *b = heap.large; b; b = b->next)
        if (b == blk)
            return true;
    return false;
}

static const char *large_free_checked(void *p)
{
    struct large_block *blk = (struct large_block *)p - 1;

    if (!is_live_large(blk))
        return "free of a pointer that is not a live allocation";
    if (blk->hdr.magic != OBJ_LIVE_LARGE || blk->hdr.tag > LARGE_MAX_ORDER)
        return "free of an object with a corrupted header";
    if (blk->prev)
        blk->prev->next = blk->next;
    else
        heap.large = blk->next;
    if (blk->next)
        blk->next->prev = blk->prev;
    blk->hdr.magic = OBJ_FREE;
    heap.stats.bytes_in_use -= blk->hdr.size;
    heap.stats.allocations--;
    heap.stats.pages -= (size_t)1 << blk->hdr.tag;
    heap.ops.free_pages(blk, blk->hdr.tag);
    return NULL;
}

/* ---- public ---------------------------------------------------------- */

void *xmalloc(size_t size)
{
    void *p = NULL;

    spin_lock(&heap.lock);
    if (heap.ready)
        p = size <= POOL_MAX_SIZE ? pool_alloc(size) : large_alloc(size);
    if (p) {
        heap.stats.allocations++;
        heap.stats.bytes_in_use += size;
    }
    spin_unlock(&heap.lock);
    return p;
}

void *xzalloc(size_t size)
{
    void *p = xmalloc(size);

    if (p)
        memset(p, 0, size);
    return p;
}

static const char *free_locked(void *p)
{
    uintptr_t offset = (uintptr_t)p & (PAGE_SIZE - 1);

    if (!heap.ready)
        return "free before the heap is set up";
    /* Every result is 16-byte aligned; also keeps header reads aligned. */
    if (offset % HEAP_ALIGN)
        return "free of a misaligned pointer";
    if (offset == LARGE_OFFSET)
        return large_free_checked(p);
    return pool_free_checked(p);
}

void xfree(void *p)
{
    const char *error;

    if (!p)
        return;
    spin_lock(&heap.lock);
    error = free_locked(p);
    if (error)
        heap.stats.bad_frees++;
    spin_unlock(&heap.lock);
    /* Outside the lock: the hook may well log, and logging may allocate. */
    if (error && heap.ops.error)
        heap.ops.error(error, p);
}

void heap_get_stats(struct heap_stats *st)
{
    spin_lock(&heap.lock);
    *st = heap.stats;
    spin_unlock(&heap.lock);
}
