/*
 * Messages (stderr in the foreground, syslog as a daemon) and small
 * xenstore helpers.
 */
/* vsyslog */
#define _DEFAULT_SOURCE
#include "xenconsoled.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool msg_syslog;
static bool msg_verbose;

void msg_setup(bool to_syslog, bool verbose)
{
    msg_syslog = to_syslog;
    msg_verbose = verbose;
    if (to_syslog)
        openlog("xenconsoled", LOG_PID, LOG_DAEMON);
}

void msg(int prio, const char *fmt, ...)
{
    va_list ap;

    if (prio >= LOG_INFO && !msg_verbose)
        return;
    va_start(ap, fmt);
    if (msg_syslog) {
        vsyslog(prio, fmt, ap);
    } else {
        fputs("xenconsoled: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
    }
    va_end(ap);
}

char *xs_read_str(struct xs_handle *xs, const char *path)
{
    unsigned len = 0;
    /* libxenstore NUL-terminates the value it returns; a value with a NUL
     * of its own simply reads as the string before it. */
    return xs_read(xs, XBT_NULL, path, &len);
}

bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (!s || *s < '0' || *s > '9')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end != '\0' || v > max)
        return false;
    *out = v;
    return true;
}
