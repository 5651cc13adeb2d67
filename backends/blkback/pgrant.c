/*
 * Persistent grants kept mapped (see pgrant.h): a ref -> page table that
 * only grows until the connection ends, and a copier that uses it.
 */
#include "pgrant.h"

#include <emmintrin.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void pgrant_memcpy(void *dst, const void *src, size_t len)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    for (; len >= 64; len -= 64, d += 64, s += 64) {
        __m128i a = _mm_loadu_si128((const __m128i *)s);
        __m128i b = _mm_loadu_si128((const __m128i *)(s + 16));
        __m128i c = _mm_loadu_si128((const __m128i *)(s + 32));
        __m128i e = _mm_loadu_si128((const __m128i *)(s + 48));
        _mm_storeu_si128((__m128i *)d, a);
        _mm_storeu_si128((__m128i *)(d + 16), b);
        _mm_storeu_si128((__m128i *)(d + 32), c);
        _mm_storeu_si128((__m128i *)(d + 48), e);
    }
    for (; len >= 16; len -= 16, d += 16, s += 16)
        _mm_storeu_si128((__m128i *)d, _mm_loadu_si128((const __m128i *)s));
    while (len--)
        *d++ = *s++;
}

/* ---- the cache ------------------------------------------------------------ */

int pgrant_init(struct pgrant_cache *c, const struct pgrant_mapper *mapper, domid_t domid,
                unsigned cap)
{
    memset(c, 0, sizeof(*c));
    if (cap == 0 || cap > (1u << 20))
        return -EINVAL;
    c->mapper = *mapper;
    c->domid = domid;
    c->cap = cap;
    c->tab_size = 2;
    while (c->tab_size < 2 * cap)
        c->tab_size *= 2;               /* at most half full: short probes */
    c->tab = calloc(c->tab_size, sizeof(*c->tab));
    if (!c->tab)
        return -ENOMEM;
    pthread_mutex_init(&c->lock, NULL);
    return 0;
}

void pgrant_fini(struct pgrant_cache *c)
{
    if (!c->tab)
        return;
    for (unsigned i = 0; i < c->nmaps; i++)
        c->mapper.unmap(c->mapper.ctx, c->maps[i].addr, c->maps[i].count);
    pthread_mutex_destroy(&c->lock);
    free(c->tab);
    free(c->maps);
    memset(c, 0, sizeof(*c));
}

static unsigned slot_of(const struct pgrant_cache *c, grant_ref_t ref)
{
    unsigned i = (unsigned)((ref * 2654435761u) & (c->tab_size - 1));

    while (c->tab[i].addr && c->tab[i].ref != ref)
        i = (i + 1) & (c->tab_size - 1);
    return i;                           /* ref's slot, or the free one it would take */
}

static bool remember(struct pgrant_cache *c, void *addr, unsigned count)
{
    if (c->nmaps == c->maps_cap) {
        unsigned ncap = c->maps_cap ? 2 * c->maps_cap : 16;
        struct pgrant_mapping *m = realloc(c->maps, ncap * sizeof(*m));
        if (!m)
            return false;
        c->maps = m;
        c->maps_cap = ncap;
    }
    c->maps[c->nmaps++] = (struct pgrant_mapping){ addr, count };
    return true;
}

/* Maps refs[0..n) (distinct, none in the table, n <= room) together, or
 * one by one if that fails; enters what mapped.  Returns how many did. */
static unsigned map_refs(struct pgrant_cache *c, const grant_ref_t *refs, unsigned n)
{
    unsigned done = 0;
    uint8_t *base = n > 1 ? c->mapper.map(c->mapper.ctx, c->domid, n, refs) : NULL;

    if (base && remember(c, base, n)) {
        for (unsigned k = 0; k < n; k++)
            c->tab[slot_of(c, refs[k])] = (struct pgrant_entry){ refs[k], base + k * BLK_PAGE_SIZE };
        c->n += n;
        return n;
    }
    if (base)
        c->mapper.unmap(c->mapper.ctx, base, n);
    /* Some ref is bad (or memory is short): find out which, one at a time. */
    for (unsigned k = 0; k < n && c->failures < PGRANT_MAX_FAILURES; k++) {
        uint8_t *a = c->mapper.map(c->mapper.ctx, c->domid, 1, &refs[k]);
        if (a && remember(c, a, 1)) {
            c->tab[slot_of(c, refs[k])] = (struct pgrant_entry){ refs[k], a };
            c->n++;
            done++;
        } else {
            if (a)
                c->mapper.unmap(c->mapper.ctx, a, 1);
            c->failures++;
        }
    }
    return done;
}

/* ---- one ring's copier ------------------------------------------------------ */

void pgrant_copier_init(struct pgrant_copier *p, struct pgrant_cache *c,
                        const struct blk_copier *fallback, struct blk_counters *cnt)
{
    memset(p, 0, sizeof(*p));
    p->cache = c;
    p->fallback = *fallback;
    p->cnt = cnt;
}

void pgrant_copier_fini(struct pgrant_copier *p)
{
    free(p->addr);
    free(p->want);
    free(p->rest);
    free(p->rest_at);
    memset(p, 0, sizeof(*p));
}

static bool copier_room(struct pgrant_copier *p, unsigned count)
{
    if (count <= p->cap)
        return true;
    uint8_t **addr = realloc(p->addr, count * sizeof(*addr));
    if (addr)
        p->addr = addr;
    grant_ref_t *want = realloc(p->want, count * sizeof(*want));
    if (want)
        p->want = want;
    xengnttab_grant_copy_segment_t *rest = realloc(p->rest, count * sizeof(*rest));
    if (rest)
        p->rest = rest;
    unsigned *at = realloc(p->rest_at, count * sizeof(*at));
    if (at)
        p->rest_at = at;
    if (!addr || !want || !rest || !at)
        return false;
    p->cap = count;
    return true;
}

/* The frontend side of a segment, if exactly one side is the frontend's and
 * its range fits in the page. */
static bool fe_side(const struct pgrant_cache *c, const xengnttab_grant_copy_segment_t *op,
                    grant_ref_t *ref, uint16_t *offset)
{
    bool from_fe = op->flags & GNTCOPY_source_gref;
    bool to_fe = op->flags & GNTCOPY_dest_gref;

    if (from_fe == to_fe)
        return false;
    domid_t domid = from_fe ? op->source.foreign.domid : op->dest.foreign.domid;
    *ref = from_fe ? op->source.foreign.ref : op->dest.foreign.ref;
    *offset = from_fe ? op->source.foreign.offset : op->dest.foreign.offset;
    return domid == c->domid && (uint32_t)*offset + op->len <= BLK_PAGE_SIZE;
}

/* Each segment's page (p->addr[i]), mapping what is missing while there is
 * room. */
static void look_up(struct pgrant_copier *p, uint32_t count,
                    const xengnttab_grant_copy_segment_t *segs)
{
    struct pgrant_cache *c = p->cache;
    unsigned nwant = 0, mapped = 0;

    pthread_mutex_lock(&c->lock);
    for (uint32_t i = 0; i < count; i++) {
        grant_ref_t ref;
        uint16_t off;
        p->addr[i] = NULL;
        if (!fe_side(c, &segs[i], &ref, &off))
            continue;
        unsigned s = slot_of(c, ref);
        if (c->tab[s].addr) {
            p->addr[i] = c->tab[s].addr;
            continue;
        }
        bool dup = false;
        for (unsigned k = nwant; k-- > 0 && !dup;)
            dup = p->want[k] == ref;
        if (!dup && c->n + nwant < c->cap && c->failures < PGRANT_MAX_FAILURES)
            p->want[nwant++] = ref;
    }
    for (unsigned k = 0; k < nwant; k += PGRANT_BATCH)
        mapped += map_refs(c, p->want + k, nwant - k < PGRANT_BATCH ? nwant - k : PGRANT_BATCH);
    if (mapped)
        for (uint32_t i = 0; i < count; i++) {
            grant_ref_t ref;
            uint16_t off;
            if (!p->addr[i] && fe_side(c, &segs[i], &ref, &off))
                p->addr[i] = c->tab[slot_of(c, ref)].addr;
        }
    pthread_mutex_unlock(&c->lock);
    if (mapped)
        CNT_ADD(p->cnt->refs_mapped, mapped);
}

int pgrant_copy(void *ctx, uint32_t count, xengnttab_grant_copy_segment_t *segs)
{
    struct pgrant_copier *p = ctx;
    unsigned nrest = 0;

    if (!copier_room(p, count))
        return p->fallback.copy(p->fallback.ctx, count, segs);
    look_up(p, count, segs);
    /* Entries are never removed before pgrant_fini: no lock needed now. */
    for (uint32_t i = 0; i < count; i++) {
        xengnttab_grant_copy_segment_t *op = &segs[i];
        if (!p->addr[i]) {
            p->rest[nrest] = *op;
            p->rest_at[nrest++] = i;
        } else if (op->flags & GNTCOPY_source_gref) {
            pgrant_memcpy(op->dest.virt, p->addr[i] + op->source.foreign.offset, op->len);
            op->status = GNTST_okay;
        } else {
            pgrant_memcpy(p->addr[i] + op->dest.foreign.offset, op->source.virt, op->len);
            op->status = GNTST_okay;
        }
    }
    CNT_ADD(p->cnt->segs_mapped, count - nrest);
    if (nrest == 0)
        return 0;
    if (p->fallback.copy(p->fallback.ctx, nrest, p->rest) < 0)
        return -1;
    for (unsigned k = 0; k < nrest; k++)
        segs[p->rest_at[k]].status = p->rest[k].status;
    return 0;
}
