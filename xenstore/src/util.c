/* See util.h. */
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xs_buf_init(struct xs_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void xs_buf_free(struct xs_buf *b)
{
    free(b->data);
    xs_buf_init(b);
}

int xs_buf_reserve(struct xs_buf *b, size_t extra)
{
    if (extra > SIZE_MAX / 2 - b->len)
        return ENOMEM;
    size_t need = b->len + extra;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    uint8_t *p = realloc(b->data, cap);
    if (!p)
        return ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

int xs_buf_append(struct xs_buf *b, const void *data, size_t len)
{
    if (len == 0)
        return 0;
    int err = xs_buf_reserve(b, len);
    if (err)
        return err;
    memcpy(b->data + b->len, data, len);
    b->len += len;
    return 0;
}

int xs_buf_append_str0(struct xs_buf *b, const char *s)
{
    return xs_buf_append(b, s, strlen(s) + 1);
}

int xs_buf_printf(struct xs_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return EINVAL;
    int err = xs_buf_reserve(b, (size_t)n + 1);
    if (err)
        return err;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;   /* the nul stays outside len, ready for more */
    return 0;
}

char *xs_strdup(const char *s)
{
    return xs_memdup(s, strlen(s) + 1);
}

void *xs_memdup(const void *p, size_t len)
{
    void *q = malloc(len ? len : 1);
    if (q && len)
        memcpy(q, p, len);
    return q;
}

uint32_t xs_hash_str(const char *s)
{
    /* FNV-1a: short, good enough for path keys. */
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (uint8_t)*s;
        h *= 16777619u;
    }
    return h;
}

bool xs_parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
    unsigned long long v = 0;
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (d > max || v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}
