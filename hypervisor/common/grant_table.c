/*
 * Grant tables, version 1 entries.  Semantics follow Xen's
 * xen/common/grant_table.c for auto-translated mappers; where we differ the
 * comment says so.  See sv/grant_table.h for the contract with the rest of
 * the hypervisor.
 */
#include <sv/errno.h>
#include <sv/grant_table.h>
#include <sv/string.h>

/* Per-ref state the hypervisor keeps beside the guest-writable entry. */
struct gnttab_active {
    uint32_t ro_pins, rw_pins;          /* read-only / writable maps and copies */
    domid_t domid;                      /* who holds the pins */
    bool keep;                          /* the grantor gave up the frame */
    uint32_t pin_prev, pin_next;        /* pinned list, NO_REF-terminated */
    gfn_t gfn;                          /* the entry's frame at the first pin */
    mfn_t mfn;
};

enum { MT_FREE, MT_BUSY, MT_MAPPED };

struct gnttab_maptrack {
    struct gnttab_domain *grantor;      /* kept alive by the pin this holds */
    grant_ref_t ref;
    uint32_t flags;                     /* GNTMAP_* */
    uint32_t next_free;
    uint8_t state;
    gfn_t gfn;
    mfn_t mfn;
};

#define NO_REF      (~(uint32_t)0)
#define PIN_MAX     (1u << 24)      /* far above what maptrack allows; stops wrap-around */
#define CMPXCHG_TRIES 5             /* Xen's bound: a guest rewriting the entry could livelock us */

/* flags and domid share one 32-bit word, so the check of both and the
 * setting of the status bits are one cmpxchg: the guest cannot slip a new
 * domid in between. */
union grant_combo {
    uint32_t raw;
    struct {
        uint16_t flags;
        domid_t domid;
    };
};
typedef uint32_t __attribute__((may_alias)) combo_word_t;

/* Every refusal names its check, so a guest's failure is explainable from the log. */
static int16_t refuse_for(struct gnttab_domain *d, domid_t caller, int16_t status, const char *why)
{
    if (d->ops->refused)
        d->ops->refused(d->ctx, caller, status, why);
    return status;
}

static int16_t refuse(struct gnttab_domain *caller, int16_t status, const char *why)
{
    return refuse_for(caller, caller->domid, status, why);
}

static void count(uint64_t *counter, uint64_t n)
{
    __atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static uint32_t nr_entries(const struct gnttab_domain *d)
{
    return d->nr_frames * (uint32_t)GNTTAB_ENTRIES_PER_FRAME;
}

static grant_entry_v1_t *shared_entry(struct gnttab_domain *d, grant_ref_t ref)
{
    grant_entry_v1_t *frame = d->shared[ref / GNTTAB_ENTRIES_PER_FRAME];

    return frame ? &frame[ref % GNTTAB_ENTRIES_PER_FRAME] : NULL;
}

static struct gnttab_active *active_entry(struct gnttab_domain *d, grant_ref_t ref)
{
    return &d->active[ref / GNTTAB_ENTRIES_PER_FRAME][ref % GNTTAB_ENTRIES_PER_FRAME];
}

static struct gnttab_maptrack *maptrack_entry(struct gnttab_domain *d, grant_handle_t h)
{
    return &d->maptrack[h / GNTTAB_MAPTRACK_PER_CHUNK][h % GNTTAB_MAPTRACK_PER_CHUNK];
}

/* ---- lifetime -------------------------------------------------------- */

/* Add frames up to want; on allocation failure keep what was added. */
static int grow_table(struct gnttab_domain *d, unsigned int want)
{
    while (d->nr_frames < want) {
        unsigned int f = d->nr_frames;
        struct gnttab_active *act = d->ops->zalloc(d->ctx, GNTTAB_ENTRIES_PER_FRAME * sizeof(*act));
        void *page = act ? d->ops->alloc_page(d->ctx, &d->shared_mfn[f]) : NULL;

        if (!page) {
            if (act)
                d->ops->free(d->ctx, act);
            return -ENOMEM;
        }
        d->active[f] = act;
        d->shared[f] = page;
        __atomic_store_n(&d->nr_frames, f + 1, __ATOMIC_RELEASE);
    }
    return 0;
}

static void table_free(struct gnttab_domain *d)
{
    for (unsigned int f = 0; f < d->nr_frames; f++) {
        if (d->shared[f])
            d->ops->free_page(d->ctx, d->shared_mfn[f], d->shared[f]);
        d->ops->free(d->ctx, d->active[f]);
    }
    for (unsigned int c = 0; c * GNTTAB_MAPTRACK_PER_CHUNK < d->maptrack_limit; c++)
        d->ops->free(d->ctx, d->maptrack[c]);
    if (d->maptrack)
        d->ops->free(d->ctx, d->maptrack);
    d->ops->free(d->ctx, d);
}

int gnttab_domain_create(domid_t domid, void *owner, unsigned int max_frames,
                         unsigned int max_maptrack, const struct gnttab_ops *ops, void *ctx,
                         struct gnttab_domain **out)
{
    unsigned int chunks = (max_maptrack + GNTTAB_MAPTRACK_PER_CHUNK - 1) /
                          GNTTAB_MAPTRACK_PER_CHUNK;
    struct gnttab_domain *d;

    *out = NULL;
    if (!max_frames || max_frames > GNTTAB_MAX_FRAMES || max_maptrack > GNTTAB_MAX_MAPTRACK)
        return -EINVAL;
    d = ops->zalloc(ctx, sizeof(*d));
    if (!d)
        return -ENOMEM;
    d->domid = domid;
    d->owner = owner;
    d->ops = ops;
    d->ctx = ctx;
    d->refs = 1;
    d->max_frames = max_frames;
    d->max_maptrack = max_maptrack;
    d->maptrack_free = NO_REF;
    d->pinned_head = NO_REF;
    spin_lock_init(&d->lock);
    spin_lock_init(&d->maptrack_lock);
    if ((chunks && !(d->maptrack = ops->zalloc(ctx, chunks * sizeof(*d->maptrack)))) ||
        grow_table(d, 1)) {
        table_free(d);
        return -ENOMEM;
    }
    *out = d;
    return 0;
}

void gnttab_domain_get(struct gnttab_domain *d)
{
    __atomic_fetch_add(&d->refs, 1, __ATOMIC_RELAXED);
}

void gnttab_domain_put(struct gnttab_domain *d)
{
    if (__atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL) == 0)
        table_free(d);
}

/* ---- pins ---------------------------------------------------------------- */

static void clear_unused_flags(grant_entry_v1_t *sha, const struct gnttab_active *act)
{
    uint16_t clear = 0;

    if (!sha)                           /* shared frames already freed: nobody looks */
        return;
    if (!act->rw_pins)
        clear |= GTF_writing;
    if (!act->rw_pins && !act->ro_pins)
        clear |= GTF_reading;
    if (clear)
        __atomic_fetch_and(&sha->flags, (uint16_t)~clear, __ATOMIC_SEQ_CST);
}

/*
 * Pin (rd, ref) for ldomid and set GTF_reading (and GTF_writing) in the
 * shared entry.  rd->lock held, ref checked.  On success *first says the
 * entry was unpinned before: the caller takes a reference on rd for it.
 *
 * Unlike Xen, a pinned entry is checked again on every new pin: if the
 * grantor has rewritten it (other domain, other frame) while mapped, the
 * new map fails while the old mapping stays as it was.
 */
static int16_t pin_entry(struct gnttab_domain *rd, grant_ref_t ref, domid_t ldomid,
                         bool readonly, bool mapping, bool *first)
{
    struct gnttab_active *act = active_entry(rd, ref);
    grant_entry_v1_t *sha = shared_entry(rd, ref);
    combo_word_t *word = (combo_word_t *)sha;
    /* Sub-page grants are for copy only (and only meaningful in v2). */
    uint16_t mask = GTF_type_mask | (mapping ? GTF_sub_page : 0);
    bool pinned = act->ro_pins || act->rw_pins;
    union grant_combo cur, want;
    unsigned int tries = 0;
    int16_t rc;
    mfn_t mfn;
    gfn_t gfn;

    *first = false;
    if (pinned && act->domid != ldomid)
        return refuse_for(rd, ldomid, GNTST_general_error, "entry pinned by another domain");
    if ((readonly ? act->ro_pins : act->rw_pins) >= PIN_MAX)
        return refuse_for(rd, ldomid, GNTST_general_error, "pin count overflow");

    cur.raw = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    for (;;) {
        if ((cur.flags & mask) != GTF_permit_access || cur.domid != ldomid)
            return pinned ? refuse_for(rd, ldomid, GNTST_general_error,
                                       "entry rewritten while pinned")
                          : refuse_for(rd, ldomid, GNTST_permission_denied,
                                       "entry not granted to this domain");
        if (!readonly && (cur.flags & GTF_readonly))
            return refuse_for(rd, ldomid, GNTST_permission_denied,
                              "writable use of a read-only grant");
        want = cur;
        want.flags |= GTF_reading | (readonly ? 0 : GTF_writing);
        if (want.raw == cur.raw ||
            __atomic_compare_exchange_n(word, &cur.raw, want.raw, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST))
            break;
        if (++tries == CMPXCHG_TRIES)
            return refuse_for(rd, ldomid, GNTST_general_error, "shared entry unstable");
    }

    /* The guest writes frame before flags; flags were read with acquire. */
    gfn = __atomic_load_n(&sha->frame, __ATOMIC_ACQUIRE);
    if (pinned) {
        if (gfn != act->gfn) {
            rc = refuse_for(rd, ldomid, GNTST_general_error, "entry rewritten while pinned");
            goto undo;
        }
        /* A read-only pin only proved the frame was RAM; now it must be writable RAM. */
        if (!readonly && !act->rw_pins &&
            (rd->ops->gfn_to_frame(rd->ctx, rd, gfn, true, &mfn) || mfn != act->mfn)) {
            rc = refuse_for(rd, ldomid, GNTST_bad_page, "granted frame is not writable RAM");
            goto undo;
        }
    } else {
        if (rd->ops->gfn_to_frame(rd->ctx, rd, gfn, !readonly, &mfn)) {
            rc = refuse_for(rd, ldomid, GNTST_bad_page, "granted frame is not the grantor's RAM");
            goto undo;
        }
        act->domid = ldomid;
        act->gfn = gfn;
        act->mfn = mfn;
        act->keep = false;
        act->pin_prev = NO_REF;
        act->pin_next = rd->pinned_head;
        if (rd->pinned_head != NO_REF)
            active_entry(rd, rd->pinned_head)->pin_prev = ref;
        rd->pinned_head = ref;
        rd->pinned_entries++;
        *first = true;
    }
    if (readonly)
        act->ro_pins++;
    else
        act->rw_pins++;
    return GNTST_okay;

undo:
    clear_unused_flags(sha, act);
    return rc;
}

/*
 * Drop one pin (rd->lock held).  Returns true when it was the entry's last:
 * the caller then drops the reference on rd, after unlocking.  *release
 * gets a kept frame that nobody pins any more.
 */
static bool unpin_entry(struct gnttab_domain *rd, grant_ref_t ref, bool readonly, mfn_t *release)
{
    struct gnttab_active *act = active_entry(rd, ref);

    *release = INVALID_MFN;
    if (readonly)
        act->ro_pins--;
    else
        act->rw_pins--;
    clear_unused_flags(shared_entry(rd, ref), act);
    if (act->ro_pins || act->rw_pins)
        return false;

    if (act->pin_prev != NO_REF)
        active_entry(rd, act->pin_prev)->pin_next = act->pin_next;
    else
        rd->pinned_head = act->pin_next;
    if (act->pin_next != NO_REF)
        active_entry(rd, act->pin_next)->pin_prev = act->pin_prev;
    rd->pinned_entries--;

    if (act->keep) {
        /* Another ref may pin the same frame: the last one hands it back. */
        bool other = false;

        for (uint32_t r = rd->pinned_head; r != NO_REF; r = active_entry(rd, r)->pin_next) {
            if (active_entry(rd, r)->mfn == act->mfn) {
                active_entry(rd, r)->keep = true;
                other = true;
            }
        }
        if (!other)
            *release = act->mfn;
        act->keep = false;
    }
    return true;
}

static void drop_pin(struct gnttab_domain *rd, grant_ref_t ref, bool readonly)
{
    mfn_t release;
    bool last;

    spin_lock(&rd->lock);
    last = unpin_entry(rd, ref, readonly, &release);
    spin_unlock(&rd->lock);
    if (release != INVALID_MFN && rd->ops->release_frame)
        rd->ops->release_frame(rd->ctx, release);
    if (last)
        gnttab_domain_put(rd);
}

bool gnttab_keep_frame(struct gnttab_domain *d, mfn_t mfn)
{
    bool kept = false;

    spin_lock(&d->lock);
    for (uint32_t r = d->pinned_head; r != NO_REF; r = active_entry(d, r)->pin_next) {
        if (active_entry(d, r)->mfn == mfn) {
            active_entry(d, r)->keep = true;
            kept = true;
        }
    }
    spin_unlock(&d->lock);
    return kept;
}

/* ---- maptrack ------------------------------------------------------------ */

static grant_handle_t maptrack_get(struct gnttab_domain *d)
{
    grant_handle_t h = GNTTAB_INVALID_HANDLE;

    spin_lock(&d->maptrack_lock);
    if (d->dying)
        goto out;
    if (d->maptrack_free == NO_REF && d->maptrack_limit < d->max_maptrack) {
        unsigned int c = d->maptrack_limit / GNTTAB_MAPTRACK_PER_CHUNK;
        struct gnttab_maptrack *chunk =
            d->ops->zalloc(d->ctx, GNTTAB_MAPTRACK_PER_CHUNK * sizeof(*chunk));

        if (!chunk)
            goto out;
        d->maptrack[c] = chunk;
        /* Push in reverse so handles are handed out in ascending order. */
        for (unsigned int i = GNTTAB_MAPTRACK_PER_CHUNK; i-- > 0;) {
            uint32_t handle = c * GNTTAB_MAPTRACK_PER_CHUNK + i;

            if (handle >= d->max_maptrack)
                continue;
            chunk[i].next_free = d->maptrack_free;
            d->maptrack_free = handle;
        }
        d->maptrack_limit = MIN((c + 1) * GNTTAB_MAPTRACK_PER_CHUNK, d->max_maptrack);
    }
    if (d->maptrack_free != NO_REF) {
        h = d->maptrack_free;
        d->maptrack_free = maptrack_entry(d, h)->next_free;
        maptrack_entry(d, h)->state = MT_BUSY;
        d->maptrack_used++;
    }
out:
    spin_unlock(&d->maptrack_lock);
    return h;
}

static void maptrack_put(struct gnttab_domain *d, grant_handle_t h)
{
    struct gnttab_maptrack *mt = maptrack_entry(d, h);

    spin_lock(&d->maptrack_lock);
    mt->state = MT_FREE;
    mt->grantor = NULL;
    mt->next_free = d->maptrack_free;
    d->maptrack_free = h;
    d->maptrack_used--;
    spin_unlock(&d->maptrack_lock);
}

/* ---- map and unmap ---------------------------------------------------- */

void gnttab_map_grant_ref(struct gnttab_domain *ld, struct gnttab_map_grant_ref *op)
{
    bool readonly = op->flags & GNTMAP_readonly;
    gfn_t gfn = op->host_addr >> PAGE_SHIFT;
    struct gnttab_domain *rd = NULL;
    grant_handle_t handle = GNTTAB_INVALID_HANDLE;
    struct gnttab_maptrack *mt;
    bool first = false;
    int16_t rc;
    mfn_t mfn = INVALID_MFN;

    if (!(op->flags & (GNTMAP_host_map | GNTMAP_device_map))) {
        rc = refuse(ld, GNTST_bad_gntref, "map: neither host_map nor device_map");
        goto out;
    }
    /* As Xen for paging_mode_external mappers: no device or PTE mappings. */
    if (op->flags & (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte)) {
        rc = refuse(ld, GNTST_general_error, "map: only host_map for a translated domain");
        goto out;
    }
    if (__atomic_load_n(&ld->dying, __ATOMIC_RELAXED)) {
        rc = refuse(ld, GNTST_general_error, "map: caller is dying");
        goto out;
    }
    if (gfn > P2M_MAX_GFN) {
        rc = refuse(ld, GNTST_bad_virt_addr, "map: host_addr beyond the p2m");
        goto out;
    }
    rd = ld->ops->domain_by_id(ld->ctx, op->dom);
    if (!rd) {
        rc = refuse(ld, GNTST_bad_domain, "map: no such domain");
        goto out;
    }
    handle = maptrack_get(ld);
    if (handle == GNTTAB_INVALID_HANDLE) {
        rc = refuse(ld, GNTST_no_device_space, "map: maptrack full (or caller dying)");
        goto out;
    }

    spin_lock(&rd->lock);
    if (rd->dying)
        rc = refuse(ld, GNTST_bad_domain, "map: granting domain is dying");
    else if (op->ref >= nr_entries(rd))
        rc = refuse(ld, GNTST_bad_gntref, "map: ref beyond the grant table");
    else
        rc = pin_entry(rd, op->ref, ld->domid, readonly, true, &first);
    if (rc == GNTST_okay) {
        mfn = active_entry(rd, op->ref)->mfn;
        if (first)
            gnttab_domain_get(rd);
    }
    spin_unlock(&rd->lock);
    if (rc != GNTST_okay)
        goto out;

    if (ld->ops->p2m_map(ld->ctx, ld, gfn, mfn, readonly)) {
        drop_pin(rd, op->ref, readonly);
        rc = refuse(ld, GNTST_general_error, "map: p2m refused host_addr");
        goto out;
    }

    mt = maptrack_entry(ld, handle);
    spin_lock(&ld->maptrack_lock);
    mt->grantor = rd;
    mt->ref = op->ref;
    mt->flags = op->flags;
    mt->gfn = gfn;
    mt->mfn = mfn;
    mt->state = MT_MAPPED;
    spin_unlock(&ld->maptrack_lock);
    op->handle = handle;
    op->dev_bus_addr = (uint64_t)mfn << PAGE_SHIFT;
    handle = GNTTAB_INVALID_HANDLE;

out:
    if (handle != GNTTAB_INVALID_HANDLE)
        maptrack_put(ld, handle);
    if (rd)
        gnttab_domain_put(rd);
    count(rc == GNTST_okay ? &ld->stats.maps : &ld->stats.map_errors, 1);
    op->status = rc;
}

void gnttab_unmap_grant_ref(struct gnttab_domain *ld, struct gnttab_unmap_grant_ref *op)
{
    struct gnttab_maptrack *mt = NULL;
    struct gnttab_domain *rd = NULL;
    int16_t rc = GNTST_okay;
    gfn_t gfn = 0;
    mfn_t mfn = INVALID_MFN;
    grant_ref_t ref = 0;
    uint32_t flags = 0;

    spin_lock(&ld->maptrack_lock);
    if (op->handle >= ld->maptrack_limit ||
        (mt = maptrack_entry(ld, op->handle))->state != MT_MAPPED)
        rc = refuse(ld, GNTST_bad_handle, "unmap: no such mapping");
    else if (op->dev_bus_addr && op->dev_bus_addr != (uint64_t)mt->mfn << PAGE_SHIFT)
        rc = refuse(ld, GNTST_general_error, "unmap: dev_bus_addr does not match the handle");
    else if (op->host_addr && op->host_addr >> PAGE_SHIFT != mt->gfn)
        rc = refuse(ld, GNTST_general_error, "unmap: host_addr does not match the handle");
    else if (op->host_addr) {
        mt->state = MT_BUSY;            /* a racing unmap of the handle now fails */
        rd = mt->grantor;
        ref = mt->ref;
        flags = mt->flags;
        gfn = mt->gfn;
        mfn = mt->mfn;
    }
    spin_unlock(&ld->maptrack_lock);
    if (!rd)
        goto out;

    if (ld->ops->p2m_unmap(ld->ctx, ld, gfn, mfn)) {
        spin_lock(&ld->maptrack_lock);
        mt->state = MT_MAPPED;
        spin_unlock(&ld->maptrack_lock);
        rc = refuse(ld, GNTST_general_error, "unmap: p2m entry is not this grant");
        goto out;
    }
    drop_pin(rd, ref, flags & GNTMAP_readonly);
    maptrack_put(ld, op->handle);

out:
    count(rc == GNTST_okay ? &ld->stats.unmaps : &ld->stats.unmap_errors, 1);
    op->status = rc;
}

void gnttab_domain_release_mappings(struct gnttab_domain *d)
{
    spin_lock(&d->lock);
    d->dying = true;
    spin_unlock(&d->lock);
    spin_lock(&d->maptrack_lock);
    d->dying = true;                    /* seen by maptrack_get under this lock */
    spin_unlock(&d->maptrack_lock);

    for (grant_handle_t h = 0; h < d->maptrack_limit; h++) {
        struct gnttab_maptrack *mt = maptrack_entry(d, h);
        struct gnttab_maptrack copy;

        spin_lock(&d->maptrack_lock);
        copy = *mt;
        if (mt->state == MT_MAPPED)
            mt->state = MT_BUSY;
        spin_unlock(&d->maptrack_lock);
        if (copy.state != MT_MAPPED)
            continue;
        (void)d->ops->p2m_unmap(d->ctx, d, copy.gfn, copy.mfn);
        drop_pin(copy.grantor, copy.ref, copy.flags & GNTMAP_readonly);
        maptrack_put(d, h);
    }
}

void gnttab_domain_destroy(struct gnttab_domain *d)
{
    gnttab_domain_release_mappings(d);
    /* Pinned entries keep their active state (and d) but need no shared
     * entry: unpin skips the status bits once the frame is gone. */
    spin_lock(&d->lock);
    for (unsigned int f = 0; f < d->nr_frames; f++) {
        d->ops->free_page(d->ctx, d->shared_mfn[f], d->shared[f]);
        d->shared[f] = NULL;
    }
    spin_unlock(&d->lock);
    gnttab_domain_put(d);
}

/* ---- copy ---------------------------------------------------------------- */

struct copy_side {
    struct gnttab_domain *d;            /* referenced */
    grant_ref_t ref;
    bool pinned, readonly;
    mfn_t mfn;
};

/* A gref must be granted to the caller; a gmfn must be the caller's own RAM
 * (Xen: only DOMID_SELF may name a frame). */
static int16_t copy_claim(struct gnttab_domain *ld, const struct gnttab_copy_ptr *p,
                          bool is_gref, bool readonly, struct copy_side *s)
{
    bool first;
    int16_t rc = GNTST_okay;

    s->readonly = readonly;
    if (!is_gref && p->domid != DOMID_SELF)
        return refuse(ld, GNTST_permission_denied, "copy: a gmfn must be DOMID_SELF's");
    if (p->domid == DOMID_SELF) {
        gnttab_domain_get(ld);
        s->d = ld;
    } else if (!(s->d = ld->ops->domain_by_id(ld->ctx, p->domid))) {
        return refuse(ld, GNTST_bad_domain, "copy: no such domain");
    }

    spin_lock(&s->d->lock);
    if (s->d->dying) {
        rc = refuse(ld, GNTST_bad_domain, "copy: domain is dying");
    } else if (is_gref) {
        if (p->u.ref >= nr_entries(s->d))
            rc = refuse(ld, GNTST_bad_gntref, "copy: ref beyond the grant table");
        else
            rc = pin_entry(s->d, p->u.ref, ld->domid, readonly, false, &first);
        if (rc == GNTST_okay) {
            s->ref = p->u.ref;
            s->pinned = true;
            s->mfn = active_entry(s->d, s->ref)->mfn;
            if (first)
                gnttab_domain_get(s->d);
        }
    } else if (s->d->ops->gfn_to_frame(s->d->ctx, s->d, p->u.gmfn, !readonly, &s->mfn)) {
        rc = refuse(ld, GNTST_bad_page, "copy: gmfn is not the caller's RAM");
    }
    spin_unlock(&s->d->lock);
    return rc;
}

static void copy_release(struct copy_side *s)
{
    if (s->pinned)
        drop_pin(s->d, s->ref, s->readonly);
    if (s->d)
        gnttab_domain_put(s->d);
}

void gnttab_copy(struct gnttab_domain *ld, struct gnttab_copy *op)
{
    struct copy_side src = { 0 }, dst = { 0 };
    int16_t rc;

    if (op->source.offset + op->len > PAGE_SIZE || op->dest.offset + op->len > PAGE_SIZE) {
        rc = refuse(ld, GNTST_bad_copy_arg, "copy: crosses a page boundary");
        goto out;
    }
    rc = copy_claim(ld, &op->source, op->flags & GNTCOPY_source_gref, true, &src);
    if (rc == GNTST_okay)
        rc = copy_claim(ld, &op->dest, op->flags & GNTCOPY_dest_gref, false, &dst);
    if (rc == GNTST_okay) {
        /* No lock held: the pins keep both frames where they are. */
        const char *from = ld->ops->frame_ptr(ld->ctx, src.mfn);
        char *to = ld->ops->frame_ptr(ld->ctx, dst.mfn);

        memmove(to + op->dest.offset, from + op->source.offset, op->len);
        count(&ld->stats.bytes_copied, op->len);
    }
    copy_release(&src);
    copy_release(&dst);
out:
    count(rc == GNTST_okay ? &ld->stats.copies : &ld->stats.copy_errors, 1);
    op->status = rc;
}

/* ---- table size and version ---------------------------------------------- */

/* dom may be DOMID_SELF; another domain needs ops->may_manage. */
static int16_t lookup_managed(struct gnttab_domain *caller, domid_t dom, struct gnttab_domain **out)
{
    struct gnttab_domain *d;

    *out = NULL;
    if (dom == DOMID_SELF || dom == caller->domid) {
        gnttab_domain_get(caller);
        *out = caller;
        return GNTST_okay;
    }
    d = caller->ops->domain_by_id(caller->ctx, dom);
    if (!d)
        return refuse(caller, GNTST_bad_domain, "no such domain");
    if (!caller->ops->may_manage || !caller->ops->may_manage(caller->ctx, caller, d)) {
        gnttab_domain_put(d);
        return refuse(caller, GNTST_permission_denied, "not allowed to manage that domain");
    }
    *out = d;
    return GNTST_okay;
}

void gnttab_setup_table(struct gnttab_domain *caller, struct gnttab_setup_table *op,
                        xen_pfn_t *frames, unsigned int room)
{
    struct gnttab_domain *d;
    int16_t rc = lookup_managed(caller, op->dom, &d);

    if (rc != GNTST_okay)
        goto out;
    spin_lock(&d->lock);
    if (op->nr_frames > d->max_frames || op->nr_frames > room)
        rc = refuse(caller, GNTST_general_error, "setup_table: more frames than max_frames");
    else if (d->dying || grow_table(d, op->nr_frames))
        rc = refuse(caller, GNTST_general_error, "setup_table: cannot grow the table");
    else
        for (unsigned int i = 0; i < op->nr_frames; i++)
            frames[i] = d->shared_mfn[i];
    spin_unlock(&d->lock);
    gnttab_domain_put(d);
out:
    op->status = rc;
}

void gnttab_query_size(struct gnttab_domain *caller, struct gnttab_query_size *op)
{
    struct gnttab_domain *d;
    int16_t rc = lookup_managed(caller, op->dom, &d);

    if (rc == GNTST_okay) {
        spin_lock(&d->lock);
        op->nr_frames = d->nr_frames;
        op->max_nr_frames = d->max_frames;
        spin_unlock(&d->lock);
        gnttab_domain_put(d);
    }
    op->status = rc;
}

int gnttab_set_version(struct gnttab_domain *caller, struct gnttab_set_version *op)
{
    uint32_t asked = op->version;

    op->version = 1;
    if (asked == 1)
        return 0;
    if (asked == 2) {
        refuse(caller, -ENOSYS, "set_version: only version 1 entries");
        return -ENOSYS;
    }
    refuse(caller, -EINVAL, "set_version: no such version");
    return -EINVAL;
}

int gnttab_get_version(struct gnttab_domain *caller, struct gnttab_get_version *op)
{
    struct gnttab_domain *d;

    switch (lookup_managed(caller, op->dom, &d)) {
    case GNTST_okay:
        op->version = 1;
        gnttab_domain_put(d);
        return 0;
    case GNTST_bad_domain:
        return -ESRCH;
    default:
        return -EPERM;
    }
}

/* ---- frames and entries ------------------------------------------------- */

int gnttab_get_shared_frame(struct gnttab_domain *d, unsigned int idx, mfn_t *mfn)
{
    int rc = 0;

    spin_lock(&d->lock);
    if (d->dying || idx >= d->max_frames)
        rc = -EINVAL;
    else if (idx >= d->nr_frames)
        rc = grow_table(d, idx + 1);
    if (!rc)
        *mfn = d->shared_mfn[idx];
    spin_unlock(&d->lock);
    return rc;
}

grant_entry_v1_t *gnttab_shared_entry(struct gnttab_domain *d, grant_ref_t ref)
{
    if (ref >= __atomic_load_n(&d->nr_frames, __ATOMIC_ACQUIRE) * GNTTAB_ENTRIES_PER_FRAME)
        return NULL;
    return shared_entry(d, ref);
}

int gnttab_grant_access(struct gnttab_domain *d, grant_ref_t ref, domid_t to, gfn_t gfn,
                        bool readonly)
{
    grant_entry_v1_t *e = gnttab_shared_entry(d, ref);

    if (!e || gfn > UINT32_MAX)
        return -EINVAL;
    /* Frame and domid first, flags last: the order a guest uses. */
    e->frame = (uint32_t)gfn;
    e->domid = to;
    __atomic_store_n(&e->flags, (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)),
                     __ATOMIC_RELEASE);
    return 0;
}

int gnttab_entry_pins(struct gnttab_domain *d, grant_ref_t ref, unsigned int *ro, unsigned int *rw)
{
    int rc = -EINVAL;

    spin_lock(&d->lock);
    if (ref < nr_entries(d)) {
        *ro = active_entry(d, ref)->ro_pins;
        *rw = active_entry(d, ref)->rw_pins;
        rc = 0;
    }
    spin_unlock(&d->lock);
    return rc;
}

void gnttab_get_stats(struct gnttab_domain *d, struct gnttab_stats *st)
{
    spin_lock(&d->lock);
    *st = d->stats;
    st->pinned_entries = d->pinned_entries;
    st->nr_frames = d->nr_frames;
    spin_unlock(&d->lock);
    spin_lock(&d->maptrack_lock);
    st->mappings = d->maptrack_used;
    spin_unlock(&d->maptrack_lock);
}
