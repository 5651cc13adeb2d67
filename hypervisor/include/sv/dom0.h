/*
 * dom0: the stock Linux kernel as the privileged PVH control domain, on
 * CPU 0 with its physical interrupts and local APIC, its RAM identity-
 * mapped (docs/dom0.md).  Boot modules: the kernel (vmlinux ELF; its module
 * string is Linux's command line) and the initramfs.
 */
#ifndef SV_DOM0_H
#define SV_DOM0_H

#include <sv/types.h>

struct boot_info;
struct memmap;
struct memrange;
struct domain;

/* Boot without boot_guests and with at least one module: dom0 mode. */
bool dom0_wanted(const struct boot_info *bi);
/*
 * Before the allocator exists: decide where dom0's RAM and hole go, move
 * modules out of their way, and take dom0's RAM out of 'usable'.
 * 'owned' are the hypervisor's pieces of low RAM (image, boot info,
 * trampoline).  Panics with the reason if dom0 cannot fit.
 */
void dom0_plan(struct boot_info *bi, struct memmap *usable, const struct memrange *owned,
               unsigned int nr_owned);
/* SVM and the scheduler are up: build dom0 and run it on this CPU for good. */
__noreturn void dom0_start(const struct boot_info *bi);
/* An NPT fault of dom0 at gfn outside its RAM: device memory is mapped
 * 1:1 on first touch; RAM that is not dom0's never is.  0 = retry. */
int dom0_map_on_demand(struct domain *d, uint64_t gfn);
/* Frames of dom0's identity RAM it gave back (decrease_reservation): kept
 * aside, never handed to the allocator, and mapped 1:1 again if dom0
 * populates the same gfn.  _return: false if mfn is not such a frame. */
bool dom0_frame_return(mfn_t mfn);
/* 0 and the frame is dom0's again at gfn == mfn, or -ENOENT. */
int dom0_frame_reclaim(struct domain *d, uint64_t gfn);

#endif
