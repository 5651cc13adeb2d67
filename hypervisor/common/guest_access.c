/* copy_{from,to}_guest_virt (see sv/guest_access.h). */
#include <sv/domain.h>
#include <sv/errno.h>
#include <sv/guest_access.h>
#include <sv/guest_walk.h>

static int copy_guest_as(struct vcpu *v, uint64_t gva, void *dst, const void *src, size_t len,
                         uint32_t access)
{
    while (len) {
        size_t chunk = MIN(len, PAGE_SIZE - (gva & (PAGE_SIZE - 1)));
        uint64_t gpa;
        int rc;

        rc = vcpu_virt_to_gpa(v, gva, access | (src ? GW_ACCESS_WRITE : 0), &gpa);
        if (rc)
            return rc;
        rc = src ? guest_phys_write(v->domain, gpa, src, chunk)
                 : guest_phys_read(v->domain, gpa, dst, chunk);
        if (rc)
            return rc;
        gva += chunk;
        len -= chunk;
        if (dst)
            dst = (char *)dst + chunk;
        if (src)
            src = (const char *)src + chunk;
    }
    return 0;
}

int copy_from_guest_virt(struct vcpu *v, void *dst, uint64_t gva, size_t len)
{
    return copy_guest_as(v, gva, dst, NULL, len, 0);
}

int copy_to_guest_virt(struct vcpu *v, uint64_t gva, const void *src, size_t len)
{
    return copy_guest_as(v, gva, NULL, src, len, 0);
}

int copy_insn_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len, bool user)
{
    return copy_guest_as(v, gva, dst, NULL, len, GW_ACCESS_FETCH | (user ? GW_ACCESS_USER : 0));
}
