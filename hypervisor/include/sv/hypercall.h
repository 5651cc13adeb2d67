/*
 * Hypercall dispatch with Xen's numbering (<xen/xen.h>) and errno values.
 * The architecture collects the number and arguments from the guest's
 * registers (Xen's convention for the guest's mode) and stores the result.
 */
#ifndef SV_HYPERCALL_H
#define SV_HYPERCALL_H

#include <sv/types.h>

struct vcpu;

#define HYPERCALL_MAX_ARGS 5

/* The Xen ABI version we follow and report (xen_version, CPUID 0x40000001). */
#define XEN_ABI_MAJOR 4
#define XEN_ABI_MINOR 17
#define XEN_ABI_VERSION ((XEN_ABI_MAJOR << 16) | XEN_ABI_MINOR)

long do_hypercall(struct vcpu *v, unsigned long nr, const unsigned long args[HYPERCALL_MAX_ARGS]);
/*
 * A long operation stops after a bounded chunk and asks to be called again
 * with these arguments (Xen's hypercall_create_continuation): the guest's
 * registers get them and its RIP stays on the VMMCALL, so the CPU can take
 * interrupts, events and the scheduler's word in between.  The value the
 * handler returns is then ignored.
 */
long hypercall_continue(struct vcpu *v, unsigned int nargs, const unsigned long *args);
/* Fill a guest's hypercall page (Xen's layout: 32 bytes per hypercall). */
void hypercall_page_fill(uint8_t *page);

#endif
