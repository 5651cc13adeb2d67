/* See log.h. */
#define _DEFAULT_SOURCE   /* localtime_r */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static int log_level = XS_LOG_INFO;
static FILE *log_file;

void xs_log_set_level(int level)
{
    log_level = level;
}

int xs_log_get_level(void)
{
    return log_level;
}

int xs_log_open(const char *path)
{
    FILE *f = fopen(path, "a");
    if (!f)
        return errno;
    setvbuf(f, NULL, _IOLBF, 0);
    xs_log_close();
    log_file = f;
    return 0;
}

void xs_log_close(void)
{
    if (log_file)
        fclose(log_file);
    log_file = NULL;
}

void xs_log(enum xs_log_level level, const char *fmt, ...)
{
    static const char *const names[] = { "error", "warning", "info", "debug" };
    if ((int)level > log_level)
        return;
    FILE *f = log_file ? log_file : stderr;
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    char stamp[32];
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
    fprintf(f, "%s.%03ld xenstored %s: ", stamp, ts.tv_nsec / 1000000, names[level]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}
