/* The few string functions the compiler and the guest need. */
#include "svguest.h"

/* Quadwords with REP MOVSQ/STOSQ, then the tail: under QEMU's TCG a byte
 * loop or REP MOVSB moves one byte per step (the disk programs copy every
 * MiB through memcpy). */
void *memset(void *d, int c, size_t n)
{
    void *p = d;
    size_t q = n >> 3, r = n & 7;
    uint64_t v = (uint8_t)c * 0x0101010101010101ull;
    __asm__ volatile("rep stosq" : "+D"(p), "+c"(q) : "a"(v) : "memory");
    __asm__ volatile("rep stosb" : "+D"(p), "+c"(r) : "a"(v) : "memory");
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    void *p = d;
    size_t q = n >> 3, r = n & 7;
    __asm__ volatile("rep movsq" : "+D"(p), "+S"(s), "+c"(q) :: "memory");
    __asm__ volatile("rep movsb" : "+D"(p), "+S"(s), "+c"(r) :: "memory");
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p - *q;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}
