/*
 * Output and messages for the tools.  Values are gathered in a buffer and
 * printed only after the transaction commits, because a commit that fails
 * with EAGAIN runs everything again and must not print twice.  Messages
 * follow err(3): "prog: text" and, with errno, ": strerror".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xst_internal.h"

static bool reserve(struct xst_ctx *c, size_t more)
{
    size_t cap;
    char *grown;

    if (c->len + more <= c->cap)
        return true;
    cap = c->cap + more + 1024;
    grown = realloc(c->buf, cap);
    if (grown == NULL)
        return false;
    c->buf = grown;
    c->cap = cap;
    return true;
}

void xst_out_raw(struct xst_ctx *c, const void *data, size_t len)
{
    if (!reserve(c, len))
        return;
    memcpy(c->buf + c->len, data, len);
    c->len += len;
}

void xst_out(struct xst_ctx *c, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(c, (size_t)n + 1))
        return;
    va_start(ap, fmt);
    vsnprintf(c->buf + c->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    c->len += (size_t)n;
}

void xst_warnx(struct xst_ctx *c, const char *fmt, ...)
{
    va_list ap;

    fprintf(c->env->err, "%s: ", c->prog);
    va_start(ap, fmt);
    vfprintf(c->env->err, fmt, ap);
    va_end(ap);
    fputc('\n', c->env->err);
}

void xst_warn(struct xst_ctx *c, const char *fmt, ...)
{
    int saved = errno;
    va_list ap;

    fprintf(c->env->err, "%s: ", c->prog);
    va_start(ap, fmt);
    vfprintf(c->env->err, fmt, ap);
    va_end(ap);
    fprintf(c->env->err, ": %s\n", strerror(saved));
    errno = saved;
}
