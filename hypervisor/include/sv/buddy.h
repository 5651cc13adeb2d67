/*
 * Buddy allocator of machine frames.  It manages the frames
 * [base, base + nr) using a caller-provided metadata array (one
 * struct frame_info per frame), so the hypervisor can place it in RAM and the
 * host tests in a plain array.  Frames start out reserved; only ranges passed
 * to buddy_add_free() are ever handed out.
 *
 * Blocks are 2^order frames, naturally aligned (relative to frame 0, not to
 * base).  Freeing checks that mfn is the head of an allocated block of that
 * order: a double free, a free of a reserved frame, or a wrong order is
 * refused with -EINVAL and counted, never corrupts the lists.
 */
#ifndef SV_BUDDY_H
#define SV_BUDDY_H

#include <sv/types.h>
#include <sv/spinlock.h>

#define BUDDY_MAX_ORDER 18          /* 2^18 frames = 1 GiB blocks */

enum frame_state {
    FRAME_RESERVED = 0,             /* never handed out (firmware, image, ...) */
    FRAME_FREE_HEAD,                /* head of a free block, on a free list */
    FRAME_FREE_TAIL,                /* inside a free block */
    FRAME_ALLOC_HEAD,               /* head of an allocated block */
    FRAME_ALLOC_TAIL,               /* inside an allocated block */
};

struct frame_info {
    uint32_t next;                  /* free list links: index relative to base, */
    uint32_t prev;                  /* FRAME_NONE = end of list */
    uint8_t order;                  /* valid on heads */
    uint8_t state;                  /* enum frame_state */
    uint16_t owner;                 /* free for users (domain id later) */
};

#define FRAME_NONE 0xffffffffu

struct buddy {
    spinlock_t lock;
    struct frame_info *frames;
    mfn_t base;
    size_t nr;
    uint32_t free_head[BUDDY_MAX_ORDER + 1];
    size_t free_frames;
    size_t total_frames;            /* frames ever added as free */
    size_t bad_frees;               /* refused frees (double free, ...) */
};

/* frames must have room for nr entries. */
void buddy_init(struct buddy *b, struct frame_info *frames, mfn_t base, size_t nr);
/* Make [start, start+count) allocatable.  Frames outside the managed
 * window or already free are refused with -EINVAL. */
int buddy_add_free(struct buddy *b, mfn_t start, size_t count);
/* Returns INVALID_MFN when no block of that order is left. */
mfn_t buddy_alloc(struct buddy *b, unsigned int order);
int buddy_free(struct buddy *b, mfn_t mfn, unsigned int order);
size_t buddy_free_frames(const struct buddy *b);
/* Number of free blocks of each order (for fragmentation reports). */
void buddy_free_counts(const struct buddy *b, size_t counts[BUDDY_MAX_ORDER + 1]);
/* Walk all metadata and lists and check them; 0 or -EINVAL. For tests/audit. */
int buddy_check(const struct buddy *b);

#endif
