/*
 * The pvclock arithmetic of Xen's vcpu_time_info (<xen/xen.h>): the guest
 * computes system time as
 *   system_time + ((((tsc - tsc_timestamp) << shift) * mul) >> 32)
 * with a negative shift meaning a right shift.  Plain C, unit-tested.
 */
#ifndef SV_PVCLOCK_H
#define SV_PVCLOCK_H

#include <sv/types.h>

struct pvclock_scale {
    uint32_t mul;       /* tsc_to_system_mul: a 0.32 fixed-point fraction */
    int8_t shift;       /* tsc_shift */
};

/* The scale for a TSC of tsc_khz (> 0): mul in [2^31, 2^32) for precision. */
struct pvclock_scale pvclock_scale_for(uint64_t tsc_khz);
/* What a guest computes from the scale: ns for tsc_delta ticks. */
uint64_t pvclock_delta_ns(const struct pvclock_scale *s, uint64_t tsc_delta);

#endif
