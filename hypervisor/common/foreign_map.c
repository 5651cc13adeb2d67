/*
 * Foreign-mapped machine frames: a reference count per frame in an
 * open-addressing hash table (linear probing, backward-shift deletion, so
 * there are no tombstones and lookups stay short however long the table
 * lives).  See sv/foreign_map.h for the contract.
 */
#include <sv/errno.h>
#include <sv/foreign_map.h>
#include <sv/string.h>

/* 2^64 / golden ratio: Fibonacci hashing spreads runs of consecutive
 * frames (the common case) over the whole table. */
#define HASH_MUL 0x9E3779B97F4A7C15ull

static unsigned int home_slot(const struct foreign_map_table *t, mfn_t mfn)
{
    return (unsigned int)(((uint64_t)mfn * HASH_MUL) >> t->shift);
}

static bool slot_used(const struct foreign_map_slot *s)
{
    return s->count != 0;
}

/* The slot holding mfn, or NULL.  Lock held.  The load factor is at most
 * 1/2, so there is always an empty slot and the probe ends. */
static struct foreign_map_slot *lookup(struct foreign_map_table *t, mfn_t mfn)
{
    unsigned int mask = t->nr_slots - 1;

    for (unsigned int i = home_slot(t, mfn);; i = (i + 1) & mask) {
        struct foreign_map_slot *s = &t->slots[i];

        if (!slot_used(s))
            return NULL;
        if (s->mfn == mfn)
            return s;
    }
}

/* Empty slot i and shift back the entries after it whose probe sequence
 * passes through i, so every entry stays reachable from its home slot
 * without tombstones.  Lock held. */
static void remove_slot(struct foreign_map_table *t, unsigned int i)
{
    unsigned int mask = t->nr_slots - 1;
    unsigned int j = i;

    for (;;) {
        j = (j + 1) & mask;
        if (!slot_used(&t->slots[j]))
            break;

        unsigned int k = home_slot(t, t->slots[j].mfn);

        /* Entry j may stay if its home k lies cyclically in (i, j]: the
         * hole at i is not on its probe path. */
        bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);

        if (!stays) {
            t->slots[i] = t->slots[j];
            i = j;
        }
    }
    memset(&t->slots[i], 0, sizeof(t->slots[i]));
    t->frames--;
}

int foreign_map_init(struct foreign_map_table *t, unsigned int max_frames,
                     const struct foreign_map_ops *ops, void *ctx)
{
    unsigned int nr_slots = 2, shift = 63;

    memset(t, 0, sizeof(*t));
    spin_lock_init(&t->lock);
    if (max_frames == 0 || max_frames > FOREIGN_MAP_MAX_FRAMES)
        return -EINVAL;
    if (!ops || !ops->zalloc || !ops->free || !ops->release_frame)
        return -EINVAL;

    while (nr_slots < 2 * max_frames) {
        nr_slots *= 2;
        shift--;
    }

    struct foreign_map_slot *slots = ops->zalloc(ctx, (size_t)nr_slots * sizeof(*slots));

    if (!slots)
        return -ENOMEM;
    t->ops = ops;
    t->ctx = ctx;
    t->shift = shift;
    t->nr_slots = nr_slots;
    t->max_frames = max_frames;
    t->frames = 0;
    t->slots = slots;
    return 0;
}

void foreign_map_fini(struct foreign_map_table *t)
{
    struct foreign_map_slot *slots;
    unsigned long flags;

    spin_lock_irqsave(&t->lock, flags);
    slots = t->slots;
    t->slots = NULL;
    t->frames = 0;
    t->nr_slots = 0;
    spin_unlock_irqrestore(&t->lock, flags);

    if (slots)
        t->ops->free(t->ctx, slots);
}

int foreign_map_get(struct foreign_map_table *t, mfn_t mfn)
{
    unsigned int mask, i;
    unsigned long flags;
    int rc = 0;

    spin_lock_irqsave(&t->lock, flags);
    if (!t->slots) {
        rc = -EINVAL;
        goto out;
    }

    mask = t->nr_slots - 1;
    for (i = home_slot(t, mfn);; i = (i + 1) & mask) {
        struct foreign_map_slot *s = &t->slots[i];

        if (!slot_used(s))
            break;
        if (s->mfn == mfn) {
            if (s->count == UINT32_MAX)
                rc = -EOVERFLOW;
            else
                s->count++;
            goto out;
        }
    }

    /* Not tracked: i is the empty slot that ended the probe. */
    if (t->frames >= t->max_frames) {
        rc = -ENOSPC;
        goto out;
    }
    t->slots[i].mfn = mfn;
    t->slots[i].count = 1;
    t->slots[i].orphaned = 0;
    t->frames++;
out:
    spin_unlock_irqrestore(&t->lock, flags);
    return rc;
}

int foreign_map_put(struct foreign_map_table *t, mfn_t mfn)
{
    struct foreign_map_slot *s;
    bool release = false;
    unsigned long flags;
    int rc = 0;

    spin_lock_irqsave(&t->lock, flags);
    s = t->slots ? lookup(t, mfn) : NULL;
    if (!s) {
        rc = -ENOENT;
    } else if (--s->count == 0) {
        release = s->orphaned != 0;
        remove_slot(t, (unsigned int)(s - t->slots));
    }
    spin_unlock_irqrestore(&t->lock, flags);

    /* Outside the lock: the page allocator has locks of its own, and the
     * entry is gone, so a second put of mfn cannot release it again. */
    if (release)
        t->ops->release_frame(t->ctx, mfn);
    return rc;
}

bool foreign_map_keep(struct foreign_map_table *t, mfn_t mfn)
{
    struct foreign_map_slot *s;
    unsigned long flags;

    spin_lock_irqsave(&t->lock, flags);
    s = t->slots ? lookup(t, mfn) : NULL;
    if (s)
        s->orphaned = 1;
    spin_unlock_irqrestore(&t->lock, flags);
    return s != NULL;
}

unsigned int foreign_map_count(struct foreign_map_table *t, mfn_t mfn)
{
    struct foreign_map_slot *s;
    unsigned long flags;
    unsigned int n;

    spin_lock_irqsave(&t->lock, flags);
    s = t->slots ? lookup(t, mfn) : NULL;
    n = s ? s->count : 0;
    spin_unlock_irqrestore(&t->lock, flags);
    return n;
}

unsigned int foreign_map_frames(struct foreign_map_table *t)
{
    unsigned long flags;
    unsigned int n;

    spin_lock_irqsave(&t->lock, flags);
    n = t->frames;
    spin_unlock_irqrestore(&t->lock, flags);
    return n;
}

bool foreign_map_orphaned(struct foreign_map_table *t, mfn_t mfn)
{
    struct foreign_map_slot *s;
    unsigned long flags;
    bool orphaned;

    spin_lock_irqsave(&t->lock, flags);
    s = t->slots ? lookup(t, mfn) : NULL;
    orphaned = s && s->orphaned;
    spin_unlock_irqrestore(&t->lock, flags);
    return orphaned;
}

unsigned int foreign_map_home(const struct foreign_map_table *t, mfn_t mfn)
{
    return t->nr_slots ? home_slot(t, mfn) : 0;
}
