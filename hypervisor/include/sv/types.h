/* Basic types shared by the hypervisor and its host-built unit tests. */
#ifndef SV_TYPES_H
#define SV_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;     /* machine (host-physical) address */
typedef uint64_t mfn_t;       /* machine frame number */

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#define INVALID_MFN (~(mfn_t)0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)   (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define __packed   __attribute__((packed))
#define __noreturn __attribute__((noreturn))
#define __unused   __attribute__((unused))
#define __printf(f, a) __attribute__((format(printf, f, a)))

#endif
