/*
 * Small xenstore helpers (messages and the plain reads are libdaemon's).
 */
#include "netback.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

long nb_xs_read_int(struct xs_handle *xs, const char *dir, const char *key, long def)
{
    uint64_t v;

    return xs_read_u64(xs, dir, key, 0x7fffffff, &v) ? (long)v : def;
}

bool nb_xs_printf(struct xs_handle *xs, xs_transaction_t t, const char *dir, const char *key,
                  const char *fmt, ...)
{
    char path[160], val[256];
    va_list ap;

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    va_start(ap, fmt);
    vsnprintf(val, sizeof(val), fmt, ap);
    va_end(ap);
    return xs_write(xs, t, path, val, strlen(val));
}
