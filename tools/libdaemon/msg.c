/*
 * Messages: one line per event, to a --log file (timestamped), stderr (in
 * the foreground) or syslog (as a daemon).  Threads log too: a line is
 * formatted first and goes out in one write() (O_APPEND), and SIGHUP's
 * reopen swaps the file under the same fd number (dup3), so no lock.
 */
#define _GNU_SOURCE
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xentoollog.h>

/* Until msg_setup(). */
static const struct daemon_opts unset = { .name = "daemon", .verbose_from = LOG_DEBUG };
static const struct daemon_opts *msg_opts = &unset;
static int msg_fd = STDERR_FILENO;      /* -1: syslog */
static bool msg_file_open;

static int open_log(const char *file)
{
    return open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

int msg_setup(const struct daemon_opts *o, bool daemonized)
{
    msg_opts = o;
    if (o->logfile) {
        if (!msg_file_open) {
            int fd = open_log(o->logfile);
            if (fd < 0)
                return -1;
            msg_fd = fd;
            msg_file_open = true;
        }
    } else if (daemonized) {
        msg_fd = -1;
        openlog(o->name, LOG_PID, LOG_DAEMON);
    } else {
        msg_fd = STDERR_FILENO;
    }
    return 0;
}

void msg_reopen(void)
{
    if (!msg_file_open)
        return;
    int fd = open_log(msg_opts->logfile);
    if (fd < 0)
        return;                         /* keep writing to the old one */
    dup3(fd, msg_fd, O_CLOEXEC);
    close(fd);
}

void msg(int prio, const char *fmt, ...)
{
    static const char *const level[] = { "emerg", "alert", "crit", "error", "warning",
                                          "notice", "info", "debug" };
    char line[1024];
    va_list ap;
    size_t n = 0;

    if (prio >= msg_opts->verbose_from && !msg_opts->verbose)
        return;
    va_start(ap, fmt);
    if (msg_fd < 0) {
        vsyslog(prio, fmt, ap);
        va_end(ap);
        return;
    }
    if (msg_file_open) {
        struct timespec ts;
        struct tm tm;
        clock_gettime(CLOCK_REALTIME, &ts);
        localtime_r(&ts.tv_sec, &tm);
        n = strftime(line, sizeof(line), "%Y-%m-%d %H:%M:%S ", &tm);
    }
    n += (size_t)snprintf(line + n, sizeof(line) - n, "%s: ",
                          msg_file_open && msg_opts->file_says_level ? level[prio & 7]
                                                                     : msg_opts->name);
    int k = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
    va_end(ap);
    if (k > 0)
        n += (size_t)k;
    if (n > sizeof(line) - 2)
        n = sizeof(line) - 2;
    line[n++] = '\n';
    if (write(msg_fd, line, n) < 0) {
        /* nowhere left to say it */
    }
}

/* ---- the Xen libraries' logger ------------------------------------------- */

static void xtl_vmessage(struct xentoollog_logger *l, xentoollog_level level, int errnoval,
                         const char *context, const char *format, va_list al)
{
    char text[256];

    (void)l;
    (void)level;
    vsnprintf(text, sizeof(text), format, al);
    if (errnoval >= 0)
        msg(LOG_DEBUG, "%s: %s: %s", context ? context : "xen", text, strerror(errnoval));
    else
        msg(LOG_DEBUG, "%s: %s", context ? context : "xen", text);
}

static void xtl_destroy(struct xentoollog_logger *l)
{
    (void)l;
}

struct xentoollog_logger msg_xtl = {
    .vmessage = xtl_vmessage,
    .progress = NULL,
    .destroy = xtl_destroy,
};
