/*
 * memory_op: what an auto-translated (PVH) guest asks of its physical
 * address space: giving frames back and taking them again (the balloon),
 * and placing the hypervisor's pages.  XENMEM_add_to_physmap puts the hypervisor's shared_info
 * page and grant-table frames at guest frames of the guest's choosing;
 * when that frame was RAM, the RAM goes back to the hypervisor (Linux
 * picks a RAM page for shared_info and expects exactly that).  A toolstack
 * (a privileged domain) also fills and reads other domains: it populates
 * them, maps their frames (gmfn_foreign) and gives them their e820.
 */
#include <sv/dom0.h>
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/errno.h>
#include <sv/grant_table.h>
#include <sv/guest_access.h>
#include <sv/printk.h>
#include <sv/hypercall.h>
#include <sv/string.h>
#include <sv/xmalloc.h>
#include <xen/memory.h>

/* The command is cmd's low 6 bits; above them a continuation keeps its
 * start extent (Xen's MEMOP_EXTENT_SHIFT, not in the public headers). */
#define MEMOP_CMD_BITS 6

/* A RAM frame the hypervisor itself writes into (a registered vcpu_info:
 * pvclock, event bits) must stay the guest's: freed, it would be reused
 * for something else while we go on writing. */
static bool hypervisor_uses(const struct domain *d, gfn_t gfn)
{
    for (unsigned int i = 0; i < d->nr_vcpus; i++)
        if (d->vcpus[i] && d->vcpus[i]->vcpu_info && d->vcpus[i]->vcpu_info_gfn == gfn)
            return true;
    return false;
}

/* Place special frame mfn at gfn, moving it from old_gfn if it was there. */
static int place_frame(struct domain *d, gfn_t gfn, mfn_t mfn, gfn_t *old_gfn)
{
    enum p2m_type type;
    mfn_t old = p2m_lookup(&d->p2m, gfn, &type);
    int rc;

    if (gfn > P2M_MAX_GFN)
        return -EINVAL;
    if (p2m_is_mmio(type) || type == P2M_GRANT_MAP_RO || type == P2M_GRANT_MAP_RW ||
        hypervisor_uses(d, gfn))
        return -EBUSY;
    if (*old_gfn != INVALID_GFN && *old_gfn != gfn) {
        enum p2m_type t;

        if (p2m_lookup(&d->p2m, *old_gfn, &t) == mfn && t == P2M_SHARED_INFO)
            p2m_set_entry(&d->p2m, *old_gfn, 0, P2M_INVALID);
    }
    rc = p2m_set_entry(&d->p2m, gfn, mfn, P2M_SHARED_INFO);
    if (rc)
        return rc;
    if (type == P2M_RAM_RW || type == P2M_RAM_RO) {
        domain_release_ram_frame(d, old);
        d->tot_pages--;
    }
    *old_gfn = gfn;
    return 0;
}

/*
 * The domain a memory_op names: itself, or (privileged callers only, as a
 * toolstack building or inspecting a domain) another live one.
 */
static struct domain *target_of(struct vcpu *v, domid_t id, long *rc)
{
    struct domain *d;

    if (id == DOMID_SELF || id == v->domain->id)
        return v->domain;
    if (!v->domain->privileged) {
        *rc = -EPERM;
        return NULL;
    }
    d = domain_by_id(id);
    if (!d || !domain_is_alive(d)) {
        *rc = -ESRCH;
        return NULL;
    }
    return d;
}

static long add_to_physmap(struct vcpu *v, uint64_t arg)
{
    struct xen_add_to_physmap x;
    struct domain *d = v->domain;
    mfn_t mfn;
    int rc;

    if (copy_from_guest_virt(v, &x, arg, sizeof(x)))
        return -EFAULT;
    if (x.domid != DOMID_SELF && x.domid != d->id)
        return -EPERM;          /* a toolstack maps other domains' frames with _batch */
    switch (x.space) {
    case XENMAPSPACE_shared_info:
        if (x.idx != 0)
            return -EINVAL;
        return place_frame(d, x.gpfn, d->shared_info_mfn, &d->shared_info_gfn);
    case XENMAPSPACE_grant_table:
        if (x.idx & XENMAPIDX_grant_table_status)
            return -EOPNOTSUPP;         /* status frames are grant table v2 */
        if (x.idx >= ARRAY_SIZE(d->grant_frame_gfn))
            return -EINVAL;
        rc = gnttab_get_shared_frame(d->gnttab, (unsigned int)x.idx, &mfn);
        if (rc)
            return rc;
        return place_frame(d, x.gpfn, mfn, &d->grant_frame_gfn[x.idx]);
    case XENMAPSPACE_gmfn_foreign:
        return -EINVAL;                 /* only through _batch, as in Xen */
    default:
        return -EOPNOTSUPP;
    }
}

/*
 * Take whatever is at gfn of d out of its p2m, giving back what it held:
 * RAM to the allocator (unless someone maps it), a foreign frame's
 * reference, a special frame's placement.  Grant mappings and MMIO have
 * their own ways out.
 */
static int clear_gfn(struct domain *d, gfn_t gfn)
{
    enum p2m_type type;
    mfn_t mfn = p2m_lookup(&d->p2m, gfn, &type);
    int rc;

    switch (type) {
    case P2M_INVALID:
        return 0;
    case P2M_RAM_RW: case P2M_RAM_RO:
        if (hypervisor_uses(d, gfn))
            return -EBUSY;
        break;
    case P2M_FOREIGN: case P2M_SHARED_INFO:
        break;
    default:
        return -EBUSY;
    }
    rc = p2m_set_entry(&d->p2m, gfn, 0, P2M_INVALID);
    if (rc)
        return rc;
    if (type == P2M_RAM_RW || type == P2M_RAM_RO) {
        domain_release_ram_frame(d, mfn);
        d->tot_pages--;
    } else if (type == P2M_FOREIGN) {
        foreign_frame_put(mfn);
    } else {
        if (d->shared_info_gfn == gfn)
            d->shared_info_gfn = INVALID_GFN;
        for (unsigned int i = 0; i < ARRAY_SIZE(d->grant_frame_gfn); i++)
            if (d->grant_frame_gfn[i] == gfn)
                d->grant_frame_gfn[i] = INVALID_GFN;
    }
    return 0;
}

/* One frame of fd at gfn 'idx' appears at 'gpfn' of d (a privileged domain). */
static int map_foreign(struct domain *d, struct domain *fd, xen_ulong_t idx, xen_pfn_t gpfn)
{
    enum p2m_type type;
    mfn_t mfn;
    int rc;

    if (idx > P2M_MAX_GFN || gpfn > P2M_MAX_GFN)
        return -EINVAL;
    mfn = p2m_lookup(&fd->p2m, idx, &type);
    if (type != P2M_RAM_RW)
        return -EINVAL;                 /* not its RAM: a hole, a grant, MMIO, ... */
    rc = foreign_frame_get(mfn);
    if (rc)
        return rc;
    rc = clear_gfn(d, gpfn);            /* what was there goes, as in Xen */
    if (!rc)
        rc = p2m_set_entry(&d->p2m, gpfn, mfn, P2M_FOREIGN);
    if (rc)
        foreign_frame_put(mfn);
    return rc;
}

#define BATCH_CHUNK 256u        /* entries per round before a continuation */

/* XENMEM_add_to_physmap_batch, XENMAPSPACE_gmfn_foreign only (what Linux's
 * privcmd uses); it continues by shrinking 'size' and moving the handles. */
static long add_to_physmap_batch(struct vcpu *v, const unsigned long *a)
{
    struct xen_add_to_physmap_batch b;
    struct domain *d = v->domain, *fd;
    long rc = 0;

    if (copy_from_guest_virt(v, &b, a[1], sizeof(b)))
        return -EFAULT;
    if (b.space != XENMAPSPACE_gmfn_foreign)
        return -EOPNOTSUPP;
    if (b.domid != DOMID_SELF && b.domid != d->id)
        return -EPERM;
    if (!d->privileged)
        return -EPERM;
    if (b.u.foreign_domid == DOMID_SELF || b.u.foreign_domid == d->id)
        return -EINVAL;
    if (!(fd = target_of(v, b.u.foreign_domid, &rc)))
        return rc;
    unsigned int n = MIN((unsigned int)b.size, BATCH_CHUNK);
    for (unsigned int i = 0; i < n; i++) {
        xen_ulong_t idx;
        xen_pfn_t gpfn;
        int err;

        if (copy_from_guest_virt(v, &idx, (uint64_t)(uintptr_t)b.idxs.p + i * sizeof(idx), sizeof(idx)) ||
            copy_from_guest_virt(v, &gpfn, (uint64_t)(uintptr_t)b.gpfns.p + i * sizeof(gpfn), sizeof(gpfn)))
            return -EFAULT;
        err = map_foreign(d, fd, idx, gpfn);
        if (copy_to_guest_virt(v, (uint64_t)(uintptr_t)b.errs.p + i * sizeof(err), &err, sizeof(err)))
            return -EFAULT;
    }
    if (n < b.size) {
        b.size -= n;
        b.idxs.p += n;
        b.gpfns.p += n;
        b.errs.p += n;
        if (copy_to_guest_virt(v, a[1], &b, sizeof(b)))
            return -EFAULT;
        return hypercall_continue(v, 2, a);
    }
    return 0;
}

static long remove_from_physmap(struct vcpu *v, uint64_t arg)
{
    struct xen_remove_from_physmap x;
    struct domain *d;
    enum p2m_type type;
    long rc = 0;

    if (copy_from_guest_virt(v, &x, arg, sizeof(x)))
        return -EFAULT;
    if (!(d = target_of(v, x.domid, &rc)))
        return rc;
    if (x.gpfn > P2M_MAX_GFN)
        return -EINVAL;
    p2m_lookup(&d->p2m, x.gpfn, &type);
    if (type == P2M_INVALID)
        return -ENOENT;
    return clear_gfn(d, x.gpfn);
}

/* At most this many extents per round; the rest continue (Xen keeps the
 * extent to restart from in cmd's bits above MEMOP_CMD_BITS). */
#define MEMOP_CHUNK 512ul

/*
 * decrease_reservation / populate_physmap, order-0 extents (what Linux's
 * balloon and its unpopulated-page allocator use, and a toolstack filling
 * a new domain).  Returns how many extents were done in all, as Xen does:
 * a guest retries from there.
 */
static long change_reservation(struct vcpu *v, const unsigned long *a, bool populate)
{
    struct xen_memory_reservation r;
    struct domain *d;
    unsigned long start = a[0] >> MEMOP_CMD_BITS, i;
    long rc = 0;

    if (copy_from_guest_virt(v, &r, a[1], sizeof(r)))
        return -EFAULT;
    if (!(d = target_of(v, r.domid, &rc)))
        return rc;
    if (r.extent_order != 0)
        return -EINVAL;             /* only 4 KiB extents */
    if (start > r.nr_extents)
        return -EINVAL;
    unsigned long end = MIN((unsigned long)r.nr_extents, start + MEMOP_CHUNK);
    for (i = start; i < end; i++) {
        xen_pfn_t gfn;
        enum p2m_type type;

        if (copy_from_guest_virt(v, &gfn, (uint64_t)(uintptr_t)r.extent_start.p + i * sizeof(gfn),
                                 sizeof(gfn)))
            return i ? (long)i : -EFAULT;
        if (gfn > P2M_MAX_GFN)
            return (long)i;
        mfn_t mfn = p2m_lookup(&d->p2m, gfn, &type);
        if (populate) {
            if (type != P2M_INVALID || d->tot_pages >= d->max_pages)
                return (long)i;     /* occupied, or over its allowance */
            /* dom0 gets its own identity frame back where it can (DMA);
             * anywhere else a fresh frame. */
            if ((!d->is_dom0 || dom0_frame_reclaim(d, gfn)) && domain_add_ram_frame(d, gfn, true))
                return (long)i;     /* no memory */
        } else {
            if ((type != P2M_RAM_RW && type != P2M_RAM_RO) || hypervisor_uses(d, gfn))
                return (long)i;     /* not its RAM (a grant, shared_info, a hole), or a vcpu_info */
            if (p2m_set_entry(&d->p2m, gfn, 0, P2M_INVALID))
                return (long)i;
            domain_release_ram_frame(d, mfn);
            d->tot_pages--;
        }
    }
    if (i < r.nr_extents) {
        unsigned long next[2] = { (a[0] & ((1ul << MEMOP_CMD_BITS) - 1)) | (i << MEMOP_CMD_BITS), a[1] };
        return hypercall_continue(v, 2, next);
    }
    return (long)i;
}

static long reservation(struct vcpu *v, uint64_t arg, bool maximum)
{
    domid_t id;
    struct domain *d;

    if (copy_from_guest_virt(v, &id, arg, sizeof(id)))
        return -EFAULT;
    d = id == DOMID_SELF ? v->domain : domain_by_id(id);
    if (!d)
        return -ESRCH;
    if (d != v->domain && !v->domain->privileged)
        return -EPERM;
    return (long)(maximum ? d->max_pages : d->tot_pages);
}

int domain_set_memory_map(struct domain *d, const struct e820_entry_raw *map, unsigned int nr)
{
    struct e820_entry_raw *copy = NULL;

    if (nr > DOMAIN_MEMORY_MAP_MAX)
        return -E2BIG;
    for (unsigned int i = 0; i < nr; i++)
        if (!map[i].size || map[i].addr + map[i].size < map[i].addr)
            return -EINVAL;
    if (nr) {
        copy = xmalloc(nr * sizeof(*copy));
        if (!copy)
            return -ENOMEM;
        memcpy(copy, map, nr * sizeof(*copy));
    }
    xfree(d->memory_map);
    d->memory_map = copy;
    d->nr_memory_map = nr;
    return 0;
}

/* XENMEM_set_memory_map: the toolstack gives a domain its e820. */
static long set_memory_map(struct vcpu *v, uint64_t arg)
{
    struct xen_foreign_memory_map fm;
    struct e820_entry_raw map[DOMAIN_MEMORY_MAP_MAX];
    struct domain *d;
    long rc = 0;

    if (copy_from_guest_virt(v, &fm, arg, sizeof(fm)))
        return -EFAULT;
    if (!v->domain->privileged)
        return -EPERM;
    if (!(d = target_of(v, fm.domid, &rc)))
        return rc;
    if (fm.map.nr_entries > DOMAIN_MEMORY_MAP_MAX)
        return -E2BIG;
    if (copy_from_guest_virt(v, map, (uint64_t)(uintptr_t)fm.map.buffer.p,
                             fm.map.nr_entries * sizeof(map[0])))
        return -EFAULT;
    return domain_set_memory_map(d, map, fm.map.nr_entries);
}

/* XENMEM_memory_map: a domain reads the e820 it was given. */
static long memory_map(struct vcpu *v, uint64_t arg)
{
    struct xen_memory_map m;
    struct domain *d = v->domain;

    if (copy_from_guest_virt(v, &m, arg, sizeof(m)))
        return -EFAULT;
    if (!d->memory_map)
        return -ENOENT;
    if (m.nr_entries < d->nr_memory_map)
        return -ENOBUFS;
    if (copy_to_guest_virt(v, (uint64_t)(uintptr_t)m.buffer.p, d->memory_map,
                           d->nr_memory_map * sizeof(d->memory_map[0])))
        return -EFAULT;
    m.nr_entries = d->nr_memory_map;
    return copy_to_guest_virt(v, arg, &m, sizeof(m)) ? -EFAULT : 0;
}

long do_memory_op(struct vcpu *v, const unsigned long *a)
{
    unsigned int cmd = a[0] & ((1ul << MEMOP_CMD_BITS) - 1);

    /* Only the reservation calls continue; elsewhere the high bits are junk. */
    if ((a[0] >> MEMOP_CMD_BITS) && cmd != XENMEM_decrease_reservation &&
        cmd != XENMEM_populate_physmap)
        return -ENOSYS;
    switch (cmd) {
    case XENMEM_add_to_physmap:
        return add_to_physmap(v, a[1]);
    case XENMEM_add_to_physmap_batch:
        return add_to_physmap_batch(v, a);
    case XENMEM_remove_from_physmap:
        return remove_from_physmap(v, a[1]);
    case XENMEM_decrease_reservation:
        return change_reservation(v, a, false);
    case XENMEM_populate_physmap:
        return change_reservation(v, a, true);
    case XENMEM_current_reservation:
        return reservation(v, a[1], false);
    case XENMEM_maximum_reservation:
        return reservation(v, a[1], true);
    case XENMEM_memory_map:
        return memory_map(v, a[1]);
    case XENMEM_set_memory_map:
        return set_memory_map(v, a[1]);
    case XENMEM_acquire_resource:
        return -EOPNOTSUPP;             /* not yet: toolstacks fall back to foreign maps */
    default:
        return -ENOSYS;
    }
}
