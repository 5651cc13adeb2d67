/*
 * Small helpers shared by the whole daemon: a growable byte buffer, a
 * string hash and checked number parsing.  No I/O.
 */
#ifndef XS_UTIL_H
#define XS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A growable byte buffer; every append reports ENOMEM instead of aborting. */
struct xs_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
};

void xs_buf_init(struct xs_buf *b);
void xs_buf_free(struct xs_buf *b);
int xs_buf_reserve(struct xs_buf *b, size_t extra);
int xs_buf_append(struct xs_buf *b, const void *data, size_t len);
/* Appends the string and its terminating nul. */
int xs_buf_append_str0(struct xs_buf *b, const char *s);
int xs_buf_printf(struct xs_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

char *xs_strdup(const char *s);
void *xs_memdup(const void *p, size_t len);

uint32_t xs_hash_str(const char *s);

/*
 * Strict unsigned decimal: digits only, no sign, no spaces, no leading
 * garbage or trailing garbage, value <= max.  Returns false otherwise.
 * Clients send numbers as text; atoi() would turn "12abc" or "" into
 * something, and we want them refused.
 */
bool xs_parse_uint(const char *s, unsigned long long max, unsigned long long *out);

#endif
