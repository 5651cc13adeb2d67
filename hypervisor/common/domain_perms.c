/*
 * What hardware a domain may touch (driver domains): I/O ports its IN/OUT
 * reach, machine frames of I/O memory the toolstack may put in its p2m,
 * and IRQs.  Each is a set of ranges (struct memmap, in units of ports,
 * frames and IRQ numbers), allocated with the first permission given.
 */
#include <splitvisor/ctl.h>
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/errno.h>
#include <sv/machine.h>
#include <sv/memmap.h>
#include <sv/printk.h>
#include <sv/xmalloc.h>

struct domain_perms {
    struct memmap set[3];       /* SV_PERM_IOPORT, _IOMEM, _IRQ, minus 1 */
};

#define MMIO_FRAMES_PER_CALL 1024

static struct memmap *set_of(struct domain_perms *p, uint32_t kind)
{
    return &p->set[kind - SV_PERM_IOPORT];
}

int domain_perms_change(struct domain *d, uint32_t kind, uint64_t first, uint64_t last, bool allow)
{
    if (kind < SV_PERM_IOPORT || kind > SV_PERM_IRQ || last < first || last == UINT64_MAX)
        return -EINVAL;
    if (kind == SV_PERM_IOPORT && last > 0xffff)
        return -EINVAL;
    if (kind == SV_PERM_IRQ && last > 0xffff)
        return -EINVAL;
    if (allow && kind == SV_PERM_IOPORT && machine_port_is_ours(first, last))
        return -EPERM;          /* the hypervisor's own console UART */
    if (allow && kind == SV_PERM_IOMEM &&
        (last >= (1ull << (52 - PAGE_SHIFT)) ||
         machine_overlaps_ram(first << PAGE_SHIFT, (last + 1) << PAGE_SHIFT)))
        return -EPERM;          /* RAM is never I/O memory to give away */
    if (!d->perms) {
        if (!allow)
            return 0;
        d->perms = xzalloc(sizeof(*d->perms));
        if (!d->perms)
            return -ENOMEM;
    }
    struct memmap *m = set_of(d->perms, kind);
    return allow ? memmap_add(m, first, last + 1) : memmap_remove(m, first, last + 1);
}

bool domain_ioport_allowed(const struct domain *d, unsigned int port, unsigned int size)
{
    return d->perms && memmap_contains(&d->perms->set[SV_PERM_IOPORT - 1], port, port + size);
}

static bool iomem_allowed(const struct domain *d, mfn_t first, uint64_t nr)
{
    return d->perms && memmap_contains(&d->perms->set[SV_PERM_IOMEM - 1], first, first + nr);
}

int domain_perms_nth(const struct domain *d, uint32_t index, uint32_t *kind, uint64_t *first,
                     uint64_t *last)
{
    if (!d->perms)
        return -ENOENT;
    for (uint32_t k = SV_PERM_IOPORT; k <= SV_PERM_IRQ; k++) {
        const struct memmap *m = &d->perms->set[k - SV_PERM_IOPORT];

        if (index < m->nr) {
            *kind = k;
            *first = m->r[index].start;
            *last = m->r[index].end - 1;
            return 0;
        }
        index -= m->nr;
    }
    return -ENOENT;
}

void domain_perms_free(struct domain *d)
{
    xfree(d->perms);
    d->perms = NULL;
}

/*
 * Put permitted machine frames [mfn, mfn+nr) at [gfn, gfn+nr) of d's p2m
 * as MMIO, or take them out again.  Adding needs every gfn free; removing
 * touches only MMIO entries that point where the caller says.
 */
long domain_memory_mapping(struct domain *d, gfn_t gfn, mfn_t mfn, uint64_t nr, bool add)
{
    if (!nr || nr > MMIO_FRAMES_PER_CALL)
        return nr ? -E2BIG : -EINVAL;
    if (gfn + nr - 1 > P2M_MAX_GFN || gfn + nr < gfn || mfn + nr < mfn)
        return -EINVAL;
    if (add && !iomem_allowed(d, mfn, nr))
        return -EPERM;
    for (uint64_t i = 0; i < nr; i++) {
        enum p2m_type type;
        mfn_t cur = p2m_lookup(&d->p2m, gfn + i, &type);
        int rc;

        if (add) {
            if (type != P2M_INVALID)
                rc = -EBUSY;
            else
                rc = p2m_set_entry(&d->p2m, gfn + i, mfn + i, P2M_MMIO);
            if (rc) {
                /* Undo what this call added: all or nothing. */
                while (i--)
                    p2m_set_entry(&d->p2m, gfn + i, 0, P2M_INVALID);
                return rc;
            }
        } else if (type == P2M_MMIO && cur == mfn + i) {
            p2m_set_entry(&d->p2m, gfn + i, 0, P2M_INVALID);
        }
    }
    return 0;
}
