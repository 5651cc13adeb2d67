/*
 * Copying to and from a guest's virtual addresses (hypercall arguments,
 * instruction bytes).  Every guest pointer is translated through the
 * guest's own page tables and the p2m, page by page, and bounds-checked;
 * a bad pointer is an error returned to the guest, never a hypervisor
 * fault.
 */
#ifndef SV_GUEST_ACCESS_H
#define SV_GUEST_ACCESS_H

#include <sv/types.h>

struct vcpu;

/* Returns 0, or -EFAULT when any byte is not mapped readable (writable)
 * in the guest or not RAM in the p2m. */
int copy_from_guest_virt(struct vcpu *v, void *dst, uint64_t gva, size_t len);
int copy_to_guest_virt(struct vcpu *v, uint64_t gva, const void *src, size_t len);
/* The bytes of an instruction, fetched as the guest's CPU would at its
 * privilege (user: CPL 3), so SMAP does not apply and NX does. */
int copy_insn_from_guest(struct vcpu *v, void *dst, uint64_t gva, size_t len, bool user);

/* The architecture's translation, with the access the guest makes
 * (PFEC-style bits: 2 write, 4 user, 16 fetch).  0 and *gpa, or -EFAULT. */
int vcpu_virt_to_gpa(struct vcpu *v, uint64_t gva, uint32_t access, uint64_t *gpa);

#endif
