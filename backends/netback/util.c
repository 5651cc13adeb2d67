/*
 * Messages (a log file, syslog as a daemon, stderr in the foreground) and
 * small xenstore helpers.  msg() is called from every thread: a message
 * is formatted first and written with one write() (O_APPEND).
 */
#define _GNU_SOURCE
#include "netback.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static bool msg_syslog, msg_verbose;
static const char *msg_file;
static int msg_fd = -1;
static pthread_mutex_t msg_lock = PTHREAD_MUTEX_INITIALIZER;

static int open_log(const char *file)
{
    return open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

int msg_setup(const char *file, bool to_syslog, bool verbose)
{
    msg_verbose = verbose;
    msg_syslog = to_syslog && !file;
    if (file) {
        int fd = open_log(file);
        if (fd < 0)
            return -1;
        pthread_mutex_lock(&msg_lock);
        if (msg_fd >= 0)
            close(msg_fd);
        msg_fd = fd;
        msg_file = file;
        pthread_mutex_unlock(&msg_lock);
    }
    if (msg_syslog)
        openlog("svnetback", LOG_PID, LOG_DAEMON);
    return 0;
}

void msg_reopen(void)
{
    if (!msg_file)
        return;
    int fd = open_log(msg_file);
    if (fd < 0)
        return;         /* keep writing to the old one */
    pthread_mutex_lock(&msg_lock);
    close(msg_fd);
    msg_fd = fd;
    pthread_mutex_unlock(&msg_lock);
}

void msg(int prio, const char *fmt, ...)
{
    static const char *const names[] = { "emerg", "alert", "crit", "error", "warning",
                                          "notice", "info", "debug" };
    char text[512], line[600];
    va_list ap;

    if (prio >= LOG_DEBUG && !msg_verbose)
        return;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (msg_syslog) {
        syslog(prio, "%s", text);
        return;
    }
    pthread_mutex_lock(&msg_lock);
    if (msg_fd >= 0) {
        struct timespec ts;
        struct tm tm;
        clock_gettime(CLOCK_REALTIME, &ts);
        localtime_r(&ts.tv_sec, &tm);
        int n = snprintf(line, sizeof(line), "%04d-%02d-%02d %02d:%02d:%02d %s: %s\n",
                         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                         tm.tm_sec, names[prio & 7], text);
        if (n > (int)sizeof(line) - 1)
            n = (int)sizeof(line) - 1;
        if (write(msg_fd, line, (size_t)n) < 0) {
            /* Nowhere else to say it. */
        }
    } else {
        int n = snprintf(line, sizeof(line), "svnetback: %s\n", text);
        if (n > (int)sizeof(line) - 1)
            n = (int)sizeof(line) - 1;
        if (write(STDERR_FILENO, line, (size_t)n) < 0) {
        }
    }
    pthread_mutex_unlock(&msg_lock);
}

char *nb_xs_read(struct xs_handle *xs, const char *path)
{
    unsigned len = 0;
    /* libxenstore NUL-terminates what it returns. */
    return xs_read(xs, XBT_NULL, path, &len);
}

long nb_xs_read_int(struct xs_handle *xs, const char *dir, const char *key, long def)
{
    char path[160];
    uint64_t v;

    snprintf(path, sizeof(path), "%s/%s", dir, key);
    char *s = nb_xs_read(xs, path);
    bool ok = s && nb_parse_u64(s, 0x7fffffff, &v);
    free(s);
    return ok ? (long)v : def;
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
