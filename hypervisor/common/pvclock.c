/* pvclock scale factors (see sv/pvclock.h). */
#include <sv/pvclock.h>

#define NS_PER_SEC 1000000000ull

/*
 * The guest computes (tsc << shift) * mul / 2^32 and that must equal
 * tsc * 1e9 / rate, so mul = 2^32 * 1e9 / (rate * 2^shift).  Choosing shift
 * so that rate * 2^shift lies in (1e9, 2e9] puts mul in [2^31, 2^32):
 * 31 or 32 significant bits.
 */
struct pvclock_scale pvclock_scale_for(uint64_t tsc_khz)
{
    uint64_t scaled = tsc_khz * 1000;
    int shift = 0;

    while (scaled > 2 * NS_PER_SEC) {
        scaled >>= 1;
        shift--;
    }
    while (scaled <= NS_PER_SEC) {
        scaled <<= 1;
        shift++;
    }
    return (struct pvclock_scale){
        .mul = (uint32_t)((NS_PER_SEC << 32) / scaled),
        .shift = (int8_t)shift,
    };
}

uint64_t pvclock_delta_ns(const struct pvclock_scale *s, uint64_t tsc_delta)
{
    uint64_t d = s->shift >= 0 ? tsc_delta << s->shift : tsc_delta >> -s->shift;

    return (uint64_t)(((unsigned __int128)d * s->mul) >> 32);
}
