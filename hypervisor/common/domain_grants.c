/*
 * A domain's grant table and grant_table_op: common/grant_table.c keeps the
 * state machine; here are its ops over our p2m and frame allocator, and the
 * copying of op arrays in and out of the guest.
 */
#include <sv/dom0.h>
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/errno.h>
#include <sv/grant_table.h>
#include <sv/guest_access.h>
#include <sv/hypercall.h>
#include <sv/page_alloc.h>
#include <sv/printk.h>
#include <sv/xmalloc.h>
#include <asm/mm.h>

#define GNTTAB_DOMAIN_FRAMES   32u     /* 16384 grant refs */
/* Handles a domain may hold (Xen's default allows 262144).  Chunks are
 * allocated as they are used, so the limit costs nothing up front; a
 * backend keeping persistent grants mapped needs about a thousand per
 * ring. */
#define GNTTAB_DOMAIN_MAPTRACK GNTTAB_MAX_MAPTRACK
#define GNTTAB_OPS_PER_ROUND   128u    /* then a continuation: bounded work between exits */

static struct domain *owner_of(struct gnttab_domain *gt)
{
    return gt->owner;
}

static struct gnttab_domain *table_of(void *ctx, domid_t id)
{
    struct domain *d = domain_by_id(id);

    (void)ctx;
    if (!d || !domain_is_alive(d) || !d->gnttab)
        return NULL;
    gnttab_domain_get(d->gnttab);
    return d->gnttab;
}

static int gfn_to_frame(void *ctx, struct gnttab_domain *gt, gfn_t gfn, bool write, mfn_t *mfn)
{
    enum p2m_type type;
    mfn_t m = p2m_lookup(&owner_of(gt)->p2m, gfn, &type);

    (void)ctx;
    if (type != P2M_RAM_RW && (write || type != P2M_RAM_RO))
        return -EINVAL;
    *mfn = m;
    return 0;
}

static int map_in_p2m(void *ctx, struct gnttab_domain *gt, gfn_t gfn, mfn_t mfn, bool readonly)
{
    struct p2m *p2m = &owner_of(gt)->p2m;
    enum p2m_type type;

    (void)ctx;
    p2m_lookup(p2m, gfn, &type);
    if (type != P2M_INVALID)
        return -EBUSY;          /* RAM or another mapping is there: it would leak */
    return p2m_set_entry(p2m, gfn, mfn, readonly ? P2M_GRANT_MAP_RO : P2M_GRANT_MAP_RW);
}

static int unmap_in_p2m(void *ctx, struct gnttab_domain *gt, gfn_t gfn, mfn_t expect)
{
    struct p2m *p2m = &owner_of(gt)->p2m;
    enum p2m_type type;
    mfn_t mfn = p2m_lookup(p2m, gfn, &type);

    (void)ctx;
    if (mfn != expect || (type != P2M_GRANT_MAP_RO && type != P2M_GRANT_MAP_RW))
        return -EINVAL;
    return p2m_set_entry(p2m, gfn, 0, P2M_INVALID);
}

static void *frame_ptr(void *ctx, mfn_t mfn)
{
    (void)ctx;
    return phys_to_virt((paddr_t)mfn << PAGE_SHIFT);
}

static void *zalloc(void *ctx, size_t bytes)
{
    (void)ctx;
    return xzalloc(bytes);
}

static void zfree(void *ctx, void *p)
{
    (void)ctx;
    xfree(p);
}

/* The last pin of a frame whose grantor already died (a foreign mapping
 * may still hold it). */
static void release_frame(void *ctx, mfn_t mfn)
{
    (void)ctx;
    if (!foreign_frame_keep(mfn))
        ram_frame_free(mfn);
}

static void refused(void *ctx, domid_t caller, int status, const char *why)
{
    (void)ctx;
    printk(LOG_DEBUG "d%u: grant op refused (%d): %s\n", caller, status, why);
}

static const struct gnttab_ops domain_gnttab_ops = {
    .domain_by_id = table_of,
    .gfn_to_frame = gfn_to_frame,
    .p2m_map = map_in_p2m,
    .p2m_unmap = unmap_in_p2m,
    .frame_ptr = frame_ptr,
    .alloc_page = alloc_table_page,
    .free_page = free_table_page,
    .zalloc = zalloc,
    .free = zfree,
    .release_frame = release_frame,
    .may_manage = NULL,
    .refused = refused,
};

int domain_grants_init(struct domain *d)
{
    return gnttab_domain_create(d->id, d, GNTTAB_DOMAIN_FRAMES, GNTTAB_DOMAIN_MAPTRACK,
                                &domain_gnttab_ops, NULL, &d->gnttab);
}

void ram_frame_free(mfn_t mfn)
{
    if (!dom0_frame_return(mfn))
        free_pages(phys_to_virt((paddr_t)mfn << PAGE_SHIFT), 0);
}

/* RAM frame of d at gfn leaves its p2m: free it unless a peer still maps it. */
void domain_release_ram_frame(struct domain *d, mfn_t mfn)
{
    if (d->gnttab && gnttab_keep_frame(d->gnttab, mfn))
        return;                         /* freed by release_frame() at its last pin */
    if (!foreign_frame_keep(mfn))
        ram_frame_free(mfn);
}

/* Copy ops of type T in, run fn on each, copy each back out; after a
 * round, continue with the rest (Xen moves the handle and the count). */
#define GNTTAB_EACH(T, fn)                                                     \
    do {                                                                       \
        unsigned long n = MIN(count, (unsigned long)GNTTAB_OPS_PER_ROUND);     \
        for (unsigned long i = 0; i < n; i++) {                               \
            T op;                                                              \
            uint64_t at = uop + i * sizeof(T);                                 \
            if (copy_from_guest_virt(v, &op, at, sizeof(op)))                  \
                return -EFAULT;                                                \
            fn(gt, &op);                                                       \
            if (copy_to_guest_virt(v, at, &op, sizeof(op)))                    \
                return -EFAULT;                                                \
        }                                                                      \
        if (n < count) {                                                       \
            unsigned long next[3] = { a[0], uop + n * sizeof(T), count - n };  \
            return hypercall_continue(v, 3, next);                             \
        }                                                                      \
        return 0;                                                              \
    } while (0)

long do_grant_table_op(struct vcpu *v, const unsigned long *a)
{
    unsigned int cmd = (unsigned int)a[0];
    uint64_t uop = a[1];
    unsigned long count = a[2];
    struct gnttab_domain *gt = v->domain->gnttab;

    if (!gt)
        return -ENOSYS;
    if (count > UINT32_MAX)
        return -EINVAL;                 /* Xen's count is an unsigned int */
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        GNTTAB_EACH(struct gnttab_map_grant_ref, gnttab_map_grant_ref);
    case GNTTABOP_unmap_grant_ref:
        GNTTAB_EACH(struct gnttab_unmap_grant_ref, gnttab_unmap_grant_ref);
    case GNTTABOP_copy:
        GNTTAB_EACH(struct gnttab_copy, gnttab_copy);
    case GNTTABOP_query_size:
        if (count != 1)
            return -EINVAL;
        GNTTAB_EACH(struct gnttab_query_size, gnttab_query_size);
    case GNTTABOP_setup_table: {
        struct gnttab_setup_table op;
        xen_pfn_t frames[GNTTAB_DOMAIN_FRAMES];

        if (count != 1)
            return -EINVAL;
        if (copy_from_guest_virt(v, &op, uop, sizeof(op)))
            return -EFAULT;
        gnttab_setup_table(gt, &op, frames, GNTTAB_DOMAIN_FRAMES);
        if (op.status == GNTST_okay &&
            copy_to_guest_virt(v, (uint64_t)(uintptr_t)op.frame_list.p, frames,
                               op.nr_frames * sizeof(xen_pfn_t)))
            return -EFAULT;
        return copy_to_guest_virt(v, uop, &op, sizeof(op)) ? -EFAULT : 0;
    }
    case GNTTABOP_set_version: case GNTTABOP_get_version: {
        union { struct gnttab_set_version set; struct gnttab_get_version get; } op;
        size_t size = cmd == GNTTABOP_set_version ? sizeof(op.set) : sizeof(op.get);
        int rc;

        if (count != 1)
            return -EINVAL;
        if (copy_from_guest_virt(v, &op, uop, size))
            return -EFAULT;
        rc = cmd == GNTTABOP_set_version ? gnttab_set_version(gt, &op.set)
                                         : gnttab_get_version(gt, &op.get);
        if (copy_to_guest_virt(v, uop, &op, size))
            return -EFAULT;
        return rc;
    }
    default:
        return -ENOSYS;
    }
}
