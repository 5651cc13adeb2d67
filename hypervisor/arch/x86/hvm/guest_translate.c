/*
 * Guest-virtual to guest-physical, for the hypervisor's own accesses
 * (hypercall arguments, instruction fetch): the guest's page tables are
 * walked exactly as its CPU would (mm/guest_walk.c), reading them through
 * the p2m.
 */
#include <sv/domain.h>
#include <sv/errno.h>
#include <sv/guest_access.h>
#include <sv/guest_walk.h>
#include <asm/mm.h>
#include <asm/svm.h>

/* The entry's machine address, when its frame is guest RAM. */
static uint64_t *entry_ptr(struct domain *d, uint64_t gpa, bool write)
{
    enum p2m_type type;
    mfn_t mfn = p2m_lookup(&d->p2m, gpa >> PAGE_SHIFT, &type);

    if (type != P2M_RAM_RW && !(type == P2M_RAM_RO && !write))
        return NULL;
    return (uint64_t *)((char *)phys_to_virt((paddr_t)mfn << PAGE_SHIFT) + (gpa & (PAGE_SIZE - 1)));
}

static int read_entry(void *ctx, uint64_t gpa, uint64_t *val)
{
    uint64_t *p = entry_ptr(ctx, gpa, false);

    if (!p)
        return -EFAULT;
    *val = __atomic_load_n(p, __ATOMIC_ACQUIRE);
    return 0;
}

static int cmpxchg_entry(void *ctx, uint64_t gpa, uint64_t old, uint64_t new)
{
    uint64_t *p = entry_ptr(ctx, gpa, true);

    if (!p)
        return -EFAULT;
    return __atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST) ? 0 : -EAGAIN;
}

const struct guest_walk_ops guest_walk_ops_p2m = { read_entry, cmpxchg_entry };

int vcpu_virt_to_gpa(struct vcpu *v, uint64_t gva, uint32_t access, uint64_t *gpa)
{
    struct guest_paging paging;
    struct guest_walk_info info;

    svm_guest_paging(v, &paging);
    if (guest_walk(&guest_walk_ops_p2m, v->domain, &paging, gva, access, &info) != GW_OK)
        return -EFAULT;
    *gpa = info.gpa;
    return 0;
}
