/*
 * vsnprintf for the guest: %d %i %u %x %X %p %s %c %%, with the flags
 * '-', '0', '#', a width, and the length modifiers l, ll, z.
 */
#include "svguest.h"

struct out { char *buf; size_t size, len; };

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_num(struct out *o, uint64_t v, bool neg, unsigned base, bool upper,
                    int width, bool zero, bool left, const char *prefix)
{
    char tmp[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    int plen = (int)strlen(prefix) + (neg ? 1 : 0);
    int pad = width > n + plen ? width - n - plen : 0;
    if (!left && !zero)
        while (pad-- > 0)
            put(o, ' ');
    if (neg)
        put(o, '-');
    for (const char *p = prefix; *p; p++)
        put(o, *p);
    if (!left && zero)
        while (pad-- > 0)
            put(o, '0');
    while (n)
        put(o, tmp[--n]);
    if (left)
        while (pad-- > 0)
            put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        bool zero = false, left = false, alt = false;
        int width = 0, lng = 0;
        for (;; fmt++) {
            if (fmt[1] == '0') zero = true;
            else if (fmt[1] == '-') left = true;
            else if (fmt[1] == '#') alt = true;
            else break;
        }
        while (fmt[1] >= '0' && fmt[1] <= '9')
            width = width * 10 + (*++fmt - '0');
        while (fmt[1] == 'l' || fmt[1] == 'z') {
            lng++;
            fmt++;
        }
        char c = *++fmt;
        if (c == '\0')
            break;
        switch (c) {
        case 'd':
        case 'i': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_num(&o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false, width, zero, left, "");
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
            put_num(&o, v, false, c == 'u' ? 10 : 16, c == 'X', width, zero, left,
                    alt && c != 'u' ? "0x" : "");
            break;
        }
        case 'p':
            put_num(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, width, zero, left, "0x");
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            int n = (int)strlen(s), pad = width > n ? width - n : 0;
            if (!left)
                while (pad-- > 0)
                    put(&o, ' ');
            while (*s)
                put(&o, *s++);
            if (left)
                while (pad-- > 0)
                    put(&o, ' ');
            break;
        }
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        default:
            put(&o, '%');
            put(&o, c);
            break;
        }
    }
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
