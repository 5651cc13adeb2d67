/*
 * The data pattern of splitvisor's disk tests, shared by the guest that
 * writes or checks it (frontends/diskprog.c) and dom0's checker
 * (dom0/sv-blkpattern.c): every 8-byte word of a disk region is a
 * function of a seed and the word's byte offset on the disk, so either
 * side can check what the other wrote, at any offset, without a copy of
 * the data.  splitmix64 (Steele, Lea, Flood 2014) of seed and offset.
 */
#ifndef SPLITVISOR_BLKPATTERN_H
#define SPLITVISOR_BLKPATTERN_H

#include <stdint.h>

static inline uint64_t blkpattern_word(uint64_t seed, uint64_t byte_off)
{
    uint64_t z = seed + (byte_off >> 3) * 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Fills (or checks) n bytes (a multiple of 8) that sit at disk offset off.
 * blkpattern_check returns the offset of the first word that differs,
 * relative to buf, or n if all match. */
static inline void blkpattern_fill(uint64_t *buf, uint64_t n, uint64_t seed, uint64_t off)
{
    for (uint64_t i = 0; i < n / 8; i++)
        buf[i] = blkpattern_word(seed, off + i * 8);
}

static inline uint64_t blkpattern_check(const uint64_t *buf, uint64_t n, uint64_t seed, uint64_t off)
{
    for (uint64_t i = 0; i < n / 8; i++)
        if (buf[i] != blkpattern_word(seed, off + i * 8))
            return i * 8;
    return n;
}

#endif
