/*
 * memory_op: what an auto-translated (PVH) guest asks of its physical
 * address space: giving frames back and taking them again (the balloon),
 * and placing the hypervisor's pages.  XENMEM_add_to_physmap puts the hypervisor's shared_info
 * page and grant-table frames at guest frames of the guest's choosing;
 * when that frame was RAM, the RAM goes back to the hypervisor (Linux
 * picks a RAM page for shared_info and expects exactly that).
 */
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/errno.h>
#include <sv/grant_table.h>
#include <sv/guest_access.h>
#include <sv/printk.h>
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
    if (type == P2M_MMIO || type == P2M_GRANT_MAP_RO || type == P2M_GRANT_MAP_RW ||
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

static long add_to_physmap(struct vcpu *v, uint64_t arg)
{
    struct xen_add_to_physmap x;
    struct domain *d = v->domain;
    mfn_t mfn;
    int rc;

    if (copy_from_guest_virt(v, &x, arg, sizeof(x)))
        return -EFAULT;
    if (x.domid != DOMID_SELF && x.domid != d->id)
        return -EPERM;          /* foreign spaces (the toolstack's) come with domctl */
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
    default:
        return -EOPNOTSUPP;
    }
}

#define MEMOP_MAX_EXTENTS 4096     /* per call: no continuations yet */

/*
 * decrease_reservation / populate_physmap, order-0 extents (what Linux's
 * balloon and its unpopulated-page allocator use).  Returns how many
 * extents were done, as Xen does: a guest retries from there.
 */
static long change_reservation(struct vcpu *v, uint64_t arg, bool populate)
{
    struct xen_memory_reservation r;
    struct domain *d = v->domain;
    long done = 0;

    if (copy_from_guest_virt(v, &r, arg, sizeof(r)))
        return -EFAULT;
    if (r.domid != DOMID_SELF && r.domid != d->id)
        return -EPERM;
    if (r.extent_order != 0)
        return -EINVAL;             /* only 4 KiB extents */
    if (r.nr_extents > MEMOP_MAX_EXTENTS)
        return -E2BIG;
    for (xen_ulong_t i = 0; i < r.nr_extents; i++) {
        xen_pfn_t gfn;
        enum p2m_type type;

        if (copy_from_guest_virt(v, &gfn, (uint64_t)(uintptr_t)r.extent_start.p + i * sizeof(gfn),
                                 sizeof(gfn)))
            return done ? done : -EFAULT;
        if (gfn > P2M_MAX_GFN)
            break;
        mfn_t mfn = p2m_lookup(&d->p2m, gfn, &type);
        if (populate) {
            if (type != P2M_INVALID || d->tot_pages >= d->max_pages ||
                domain_add_ram_frame(d, gfn, true))
                break;              /* occupied, over its allowance, or no memory */
        } else {
            if ((type != P2M_RAM_RW && type != P2M_RAM_RO) || hypervisor_uses(d, gfn))
                break;              /* not its RAM (a grant, shared_info, a hole), or a vcpu_info */
            if (p2m_set_entry(&d->p2m, gfn, 0, P2M_INVALID))
                break;
            domain_release_ram_frame(d, mfn);
            d->tot_pages--;
        }
        done++;
    }
    return done;
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

long do_memory_op(struct vcpu *v, const unsigned long *a)
{
    switch (a[0] & ((1ul << MEMOP_CMD_BITS) - 1)) {
    case XENMEM_add_to_physmap:
        return add_to_physmap(v, a[1]);
    case XENMEM_decrease_reservation:
        return change_reservation(v, a[1], false);
    case XENMEM_populate_physmap:
        return change_reservation(v, a[1], true);
    case XENMEM_current_reservation:
        return reservation(v, a[1], false);
    case XENMEM_maximum_reservation:
        return reservation(v, a[1], true);
    default:
        return -ENOSYS;
    }
}
