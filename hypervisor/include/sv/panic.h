/*
 * panic(): the hypervisor's own invariant is broken or the machine cannot be
 * supported.  Stops every CPU; reboots after five seconds unless the command
 * line says `noreboot`.  A misbehaving guest never causes a panic: it gets
 * domain_crash() (docs/errors.md).
 */
#ifndef SV_PANIC_H
#define SV_PANIC_H

#include <sv/types.h>

__noreturn void panic(const char *fmt, ...) __printf(1, 2);
bool panic_in_progress(void);

#define BUG_ON(cond) do { \
        if (__builtin_expect(!!(cond), 0)) \
            panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
    } while (0)

#endif
