/*
 * xlcfg's shared helpers: messages in the "FILE:LINE: KEY: " form, hostile
 * bytes made printable, xl.cfg numbers, and the typed reads of a value that
 * every key handler starts with.
 */
#include "xlcfg_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- diagnostics --------------------------------------------------------- */

static int prefix(char *buf, size_t len, const struct where *w)
{
    int n = snprintf(buf, len, "%s", w->src ? w->src : "<config>");
    if (n >= 0 && w->line)
        n += snprintf(buf + n, (size_t)n < len ? len - (size_t)n : 0, ":%u", w->line);
    if (n >= 0 && w->key)
        n += snprintf(buf + n, (size_t)n < len ? len - (size_t)n : 0, ": %s", w->key);
    if (n >= 0)
        n += snprintf(buf + n, (size_t)n < len ? len - (size_t)n : 0, ": ");
    return n;
}

void xlcfg__vformat(char *buf, size_t len, const struct where *w,
                    const char *fmt, va_list ap)
{
    if (!buf || !len)
        return;
    int n = prefix(buf, len, w);
    if (n >= 0 && (size_t)n < len)
        vsnprintf(buf + n, len - (size_t)n, fmt, ap);
}

/* Records the error (the first one stops the parse); always returns -1. */
int xlcfg__report(const struct xlcfg_diag *d, const struct where *w,
                  const char *fmt, ...)
{
    if (d && d->err && d->errlen) {
        va_list ap;
        va_start(ap, fmt);
        xlcfg__vformat(d->err, d->errlen, w, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void xlcfg__warn(const struct xlcfg_diag *d, const struct where *w,
                 const char *fmt, ...)
{
    if (!d || !d->warn)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    xlcfg__vformat(msg, sizeof(msg), w, fmt, ap);
    va_end(ap);
    d->warn(d->warn_arg, msg);
}

/*
 * A hostile byte string made safe to quote in a message: printable ASCII
 * as is, anything else as \xHH, cut at about 48 characters.
 */
const char *xlcfg__quote(char *buf, size_t len, const char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 8 < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (o > 48) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (c >= 0x20 && c < 0x7f)
            buf[o++] = (char)c;
        else
            o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
    }
    buf[o] = '\0';
    return buf;
}

/* ---- text and numbers -------------------------------------------------- */

char *xlcfg__trim(char *s)
{
    while (is_blank((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && is_blank((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/*
 * NUMBER: decimal without leading zeros (xl would read "010" as octal, so
 * it is refused rather than guessed), or 0x hex.  Returns 0, or -1 with a
 * reason in why.
 */
int xlcfg__parse_number(const char *s, size_t n, unsigned long long *out,
                        char *why, size_t whylen)
{
    char q[QUOTE_BUF];
    unsigned long long v = 0;

    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        for (size_t i = 2; i < n; i++) {
            int h = hex_value((unsigned char)s[i]);
            if (h < 0)
                goto bad;
            if (v > (~0ull >> 4))
                goto big;
            v = (v << 4) | (unsigned)h;
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            if (!is_digit((unsigned char)s[i]))
                goto bad;
            unsigned d = (unsigned)(s[i] - '0');
            if (v > (~0ull - d) / 10)
                goto big;
            v = v * 10 + d;
        }
        if (n > 1 && s[0] == '0') {
            snprintf(why, whylen, "ambiguous number '%s': leading zeros are "
                     "not allowed (xl reads them as octal)",
                     xlcfg__quote(q, sizeof(q), s, n));
            return -1;
        }
    }
    if (n == 0)
        goto bad;
    *out = v;
    return 0;
bad:
    snprintf(why, whylen, "bad number '%s'", xlcfg__quote(q, sizeof(q), s, n));
    return -1;
big:
    snprintf(why, whylen, "number '%s' is too large", xlcfg__quote(q, sizeof(q), s, n));
    return -1;
}

/* ---- typed values ------------------------------------------------------- */

static const char *xlcfg__kind_name(const struct value *v)
{
    if (v->is_list)
        return "a list";
    return v->atom.is_number ? "a number" : "a string";
}

int xlcfg__want_string(struct ctx *c, const struct value *v, const char **out)
{
    if (v->is_list || v->atom.is_number)
        return fail(c, "expected a string, got %s", xlcfg__kind_name(v));
    *out = v->atom.str;
    return 0;
}

int xlcfg__want_number(struct ctx *c, const struct value *v,
                       unsigned long long min, unsigned long long max,
                       unsigned long long *out)
{
    if (v->is_list || !v->atom.is_number)
        return fail(c, "expected a number, got %s", xlcfg__kind_name(v));
    if (v->atom.num < min || v->atom.num > max)
        return fail(c, "%llu is out of range (%llu..%llu)", v->atom.num, min, max);
    *out = v->atom.num;
    return 0;
}

int xlcfg__want_list(struct ctx *c, const struct value *v)
{
    if (!v->is_list)
        return fail(c, "expected a list, got %s", xlcfg__kind_name(v));
    return 0;
}

int xlcfg__no_control(struct ctx *c, const char *what, const char *s)
{
    int cc = control_char(s);
    if (cc >= 0)
        return fail(c, "%s contains a control character (byte 0x%02x)", what, cc);
    return 0;
}

int xlcfg__set_string(struct ctx *c, char **field, const char *s)
{
    char *dup = strdup(s);
    if (!dup)
        return fail(c, "out of memory");
    free(*field);
    *field = dup;
    return 0;
}
