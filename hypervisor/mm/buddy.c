/*
 * Buddy allocator of machine frames over caller-provided metadata.
 *
 * Invariants (buddy_check verifies all of them):
 *  - every block is 2^order frames, aligned to 2^order by absolute mfn, and
 *    lies wholly inside the window [base, base + nr);
 *  - a block's head carries FREE_HEAD/ALLOC_HEAD and its order, every other
 *    frame of it FREE_TAIL/ALLOC_TAIL; reserved frames belong to no block;
 *  - free_head[o] lists exactly the FREE_HEADs of order o;
 *  - free blocks are fully coalesced: no FREE_HEAD has a FREE_HEAD buddy of
 *    the same order.  Hence an order-o request fails only when no aligned run
 *    of 2^o free frames exists at all.
 *
 * List links are 32-bit indices relative to base, so at most FRAME_NONE
 * frames can be managed; buddy_init clamps the window to that.
 */
#include <sv/buddy.h>
#include <sv/errno.h>

static size_t order_frames(unsigned int order)
{
    return (size_t)1 << order;
}

static bool mfn_in_window(const struct buddy *b, mfn_t mfn)
{
    return mfn >= b->base && mfn - b->base < b->nr;
}

static bool range_in_window(const struct buddy *b, mfn_t start, size_t count)
{
    return start >= b->base && start - b->base <= b->nr && count <= b->nr - (start - b->base);
}

static uint32_t index_of(const struct buddy *b, mfn_t mfn)
{
    return (uint32_t)(mfn - b->base);
}

/* The buddy functions that only read take a const buddy, but must still
 * exclude writers on other CPUs; the lock itself is never const. */
static spinlock_t *lock_of(const struct buddy *b)
{
    return (spinlock_t *)&b->lock;
}

/* ---- free lists ----------------------------------------------------- */

static void list_push(struct buddy *b, uint32_t idx, unsigned int order)
{
    struct frame_info *f = &b->frames[idx];
    uint32_t old_head = b->free_head[order];

    f->state = FRAME_FREE_HEAD;
    f->order = (uint8_t)order;
    f->prev = FRAME_NONE;
    f->next = old_head;
    if (old_head != FRAME_NONE)
        b->frames[old_head].prev = idx;
    b->free_head[order] = idx;
}

static void list_unlink(struct buddy *b, uint32_t idx)
{
    struct frame_info *f = &b->frames[idx];

    if (f->prev != FRAME_NONE)
        b->frames[f->prev].next = f->next;
    else
        b->free_head[f->order] = f->next;
    if (f->next != FRAME_NONE)
        b->frames[f->next].prev = f->prev;
    f->next = f->prev = FRAME_NONE;
}

/* ---- blocks --------------------------------------------------------- */

static void set_tails(struct buddy *b, uint32_t head, unsigned int order, enum frame_state state)
{
    for (size_t i = 1; i < order_frames(order); i++) {
        b->frames[head + i].state = (uint8_t)state;
        b->frames[head + i].order = 0;
    }
}

static bool is_free_head_of_order(const struct buddy *b, mfn_t mfn, unsigned int order)
{
    const struct frame_info *f;

    if (!mfn_in_window(b, mfn))
        return false;
    f = &b->frames[index_of(b, mfn)];
    return f->state == FRAME_FREE_HEAD && f->order == order;
}

/*
 * Put the block at mfn (its tails already FREE_TAIL) on a free list, merging
 * it with free buddies first.  A FREE_HEAD buddy of the same order was built
 * from in-window frames only, so merging never reaches outside the window.
 */
static void insert_free_block(struct buddy *b, mfn_t mfn, unsigned int order)
{
    while (order < BUDDY_MAX_ORDER) {
        mfn_t buddy = mfn ^ order_frames(order);
        mfn_t upper = MAX(mfn, buddy);

        if (!is_free_head_of_order(b, buddy, order))
            break;
        list_unlink(b, index_of(b, buddy));
        b->frames[index_of(b, upper)].state = FRAME_FREE_TAIL;
        b->frames[index_of(b, upper)].order = 0;
        mfn = MIN(mfn, buddy);
        order++;
    }
    list_push(b, index_of(b, mfn), order);
}

/* Largest naturally aligned block starting at mfn that fits in 'room'. */
static unsigned int largest_block_order(mfn_t mfn, size_t room)
{
    unsigned int order = 63 - (unsigned int)__builtin_clzll(room);

    if (mfn)
        order = MIN(order, (unsigned int)__builtin_ctzll(mfn));
    return MIN(order, BUDDY_MAX_ORDER);
}

/* ---- public --------------------------------------------------------- */

void buddy_init(struct buddy *b, struct frame_info *frames, mfn_t base, size_t nr)
{
    spin_lock_init(&b->lock);
    b->frames = frames;
    b->base = base;
    b->nr = MIN(nr, (size_t)FRAME_NONE);
    for (size_t i = 0; i < b->nr; i++)
        frames[i] = (struct frame_info){ .next = FRAME_NONE, .prev = FRAME_NONE,
                                         .state = FRAME_RESERVED };
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        b->free_head[o] = FRAME_NONE;
    b->free_frames = 0;
    b->total_frames = 0;
    b->bad_frees = 0;
}

static bool range_all_reserved(const struct buddy *b, mfn_t start, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (b->frames[index_of(b, start) + i].state != FRAME_RESERVED)
            return false;
    return true;
}

int buddy_add_free(struct buddy *b, mfn_t start, size_t count)
{
    mfn_t mfn = start;
    size_t left = count;

    spin_lock(&b->lock);
    /* Validate everything first so a refused call changes nothing. */
    if (!range_in_window(b, start, count) || !range_all_reserved(b, start, count)) {
        spin_unlock(&b->lock);
        return -EINVAL;
    }
    while (left) {
        unsigned int order = largest_block_order(mfn, left);

        set_tails(b, index_of(b, mfn), order, FRAME_FREE_TAIL);
        insert_free_block(b, mfn, order);
        mfn += order_frames(order);
        left -= order_frames(order);
    }
    b->free_frames += count;
    b->total_frames += count;
    spin_unlock(&b->lock);
    return 0;
}

mfn_t buddy_alloc(struct buddy *b, unsigned int order)
{
    unsigned int o = order;
    uint32_t idx;

    if (order > BUDDY_MAX_ORDER)
        return INVALID_MFN;
    spin_lock(&b->lock);
    while (o <= BUDDY_MAX_ORDER && b->free_head[o] == FRAME_NONE)
        o++;
    if (o > BUDDY_MAX_ORDER) {
        spin_unlock(&b->lock);
        return INVALID_MFN;
    }
    idx = b->free_head[o];
    list_unlink(b, idx);
    /* Hand back the upper halves; their tails are already FREE_TAIL. */
    while (o > order) {
        o--;
        list_push(b, idx + (uint32_t)order_frames(o), o);
    }
    b->frames[idx].state = FRAME_ALLOC_HEAD;
    b->frames[idx].order = (uint8_t)order;
    set_tails(b, idx, order, FRAME_ALLOC_TAIL);
    b->free_frames -= order_frames(order);
    spin_unlock(&b->lock);
    return b->base + idx;
}

/* Only the head of a live block, freed with the order it was allocated
 * with, may go back: anything else would corrupt the lists. */
static bool is_alloc_head_of_order(const struct buddy *b, mfn_t mfn, unsigned int order)
{
    const struct frame_info *f;

    if (order > BUDDY_MAX_ORDER || !mfn_in_window(b, mfn))
        return false;
    f = &b->frames[index_of(b, mfn)];
    return f->state == FRAME_ALLOC_HEAD && f->order == order;
}

int buddy_free(struct buddy *b, mfn_t mfn, unsigned int order)
{
    spin_lock(&b->lock);
    if (!is_alloc_head_of_order(b, mfn, order)) {
        b->bad_frees++;
        spin_unlock(&b->lock);
        return -EINVAL;
    }
    set_tails(b, index_of(b, mfn), order, FRAME_FREE_TAIL);
    insert_free_block(b, mfn, order);
    b->free_frames += order_frames(order);
    spin_unlock(&b->lock);
    return 0;
}

size_t buddy_free_frames(const struct buddy *b)
{
    return __atomic_load_n(&b->free_frames, __ATOMIC_RELAXED);
}

/* Bounded by nr so that a corrupted (cyclic) list cannot hang a report. */
static size_t list_length(const struct buddy *b, unsigned int order)
{
    size_t n = 0;

    for (uint32_t i = b->free_head[order]; i != FRAME_NONE && i < b->nr && n <= b->nr;
         i = b->frames[i].next)
        n++;
    return n;
}

void buddy_free_counts(const struct buddy *b, size_t counts[BUDDY_MAX_ORDER + 1])
{
    spin_lock(lock_of(b));
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        counts[o] = list_length(b, o);
    spin_unlock(lock_of(b));
}

/* ---- audit ---------------------------------------------------------- */

static bool block_is_well_formed(const struct buddy *b, uint32_t head, enum frame_state tail)
{
    unsigned int order = b->frames[head].order;

    if (order > BUDDY_MAX_ORDER || ((b->base + head) & (order_frames(order) - 1)))
        return false;
    if (order_frames(order) > b->nr - head)
        return false;
    for (size_t i = 1; i < order_frames(order); i++)
        if (b->frames[head + i].state != tail)
            return false;
    return true;
}

/* One pass over the metadata: every frame is reserved or inside exactly one
 * well-formed block.  Counts free heads per order and free frames. */
static int check_blocks(const struct buddy *b, size_t heads[BUDDY_MAX_ORDER + 1], size_t *free_frames)
{
    size_t idx = 0;

    while (idx < b->nr) {
        const struct frame_info *f = &b->frames[idx];

        switch (f->state) {
        case FRAME_RESERVED:
            idx++;
            continue;
        case FRAME_FREE_HEAD:
            if (!block_is_well_formed(b, (uint32_t)idx, FRAME_FREE_TAIL))
                return -EINVAL;
            /* An uncoalesced pair would make high-order requests fail
             * while the memory is there. */
            if (f->order < BUDDY_MAX_ORDER &&
                is_free_head_of_order(b, (b->base + idx) ^ order_frames(f->order), f->order))
                return -EINVAL;
            heads[f->order]++;
            *free_frames += order_frames(f->order);
            break;
        case FRAME_ALLOC_HEAD:
            if (!block_is_well_formed(b, (uint32_t)idx, FRAME_ALLOC_TAIL))
                return -EINVAL;
            break;
        default:                /* a tail outside any block, or garbage */
            return -EINVAL;
        }
        idx += order_frames(f->order);
    }
    return 0;
}

/* Each list is doubly linked, holds only FREE_HEADs of its order, and is as
 * long as the number of such heads (so no head is missing from it). */
static int check_list(const struct buddy *b, unsigned int order, size_t expected)
{
    uint32_t prev = FRAME_NONE;
    size_t n = 0;

    for (uint32_t i = b->free_head[order]; i != FRAME_NONE; i = b->frames[i].next) {
        const struct frame_info *f;

        if (i >= b->nr || ++n > expected)
            return -EINVAL;
        f = &b->frames[i];
        if (f->state != FRAME_FREE_HEAD || f->order != order || f->prev != prev)
            return -EINVAL;
        prev = i;
    }
    return n == expected ? 0 : -EINVAL;
}

static int check_locked(const struct buddy *b)
{
    size_t heads[BUDDY_MAX_ORDER + 1] = { 0 };
    size_t free_frames = 0;

    if (check_blocks(b, heads, &free_frames))
        return -EINVAL;
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++)
        if (check_list(b, o, heads[o]))
            return -EINVAL;
    if (free_frames != b->free_frames || b->free_frames > b->total_frames)
        return -EINVAL;
    return 0;
}

int buddy_check(const struct buddy *b)
{
    int rc;

    spin_lock(lock_of(b));
    rc = check_locked(b);
    spin_unlock(lock_of(b));
    return rc;
}
