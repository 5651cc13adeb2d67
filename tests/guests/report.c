/*
 * What both guest kernels (svguest, and svfront in frontends/) report
 * with: fail() builds a test's reason, note() prints a line under the
 * current test's name, and a small random-number generator.
 */
#include "svguest.h"

static char fail_buf[256];

const char *fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fail_buf, sizeof(fail_buf), fmt, ap);
    va_end(ap);
    return fail_buf;
}

void note(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    kprintf("%s: %s: %s\n", guest_name, current_test, buf);
}

uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}
