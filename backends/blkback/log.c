/*
 * The log: one line per event, to a file (--log), stderr (--foreground)
 * or syslog.  Ring threads log too: each line goes out in one write().
 */
#define _GNU_SOURCE
#include "blkback.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int log_fd = -1;          /* file or stderr; -1: syslog */
static bool log_verbose;

int log_setup(const char *file, bool foreground, bool verbose)
{
    log_verbose = verbose;
    if (file) {
        int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            return -errno;
        if (log_fd > 2)
            close(log_fd);
        log_fd = fd;
    } else if (foreground) {
        log_fd = 2;
    } else {
        log_fd = -1;
        openlog("svblkback", LOG_PID, LOG_DAEMON);
    }
    return 0;
}

void blk_log(int prio, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    size_t n = 0;

    if (prio >= LOG_DEBUG && !log_verbose)
        return;
    va_start(ap, fmt);
    if (log_fd < 0) {
        vsyslog(prio, fmt, ap);
        va_end(ap);
        return;
    }
    if (log_fd != 2) {
        struct timespec ts;
        struct tm tm;
        clock_gettime(CLOCK_REALTIME, &ts);
        localtime_r(&ts.tv_sec, &tm);
        n = strftime(line, sizeof(line), "%Y-%m-%d %H:%M:%S ", &tm);
    }
    n += (size_t)snprintf(line + n, sizeof(line) - n, "svblkback: ");
    int k = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
    va_end(ap);
    if (k > 0)
        n += (size_t)k;
    if (n > sizeof(line) - 2)
        n = sizeof(line) - 2;
    line[n++] = '\n';
    if (write(log_fd, line, n) < 0) {
        /* nowhere left to say it */
    }
}

/* The Xen libraries' own messages become debug lines: a failure is
 * reported once, by us, with the device it concerns. */
static void xtl_vmessage(struct xentoollog_logger *l, xentoollog_level level, int errnoval,
                         const char *context, const char *format, va_list al)
{
    char text[256];

    (void)l;
    (void)level;
    vsnprintf(text, sizeof(text), format, al);
    if (errnoval >= 0)
        blk_log(LOG_DEBUG, "%s: %s: %s", context ? context : "xen", text, strerror(errnoval));
    else
        blk_log(LOG_DEBUG, "%s: %s", context ? context : "xen", text);
}

static void xtl_destroy(struct xentoollog_logger *l)
{
    (void)l;
}

struct xentoollog_logger blk_xtl = {
    .vmessage = xtl_vmessage,
    .progress = NULL,
    .destroy = xtl_destroy,
};
