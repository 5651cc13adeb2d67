/*
 * Logging: one line per event, with a timestamp and level, to stderr or to
 * the --log file.  --verbose adds a line per request (XS_LOG_DEBUG).
 */
#ifndef XS_LOG_H
#define XS_LOG_H

enum xs_log_level { XS_LOG_ERR, XS_LOG_WARN, XS_LOG_INFO, XS_LOG_DEBUG };

/* Lines above this level are dropped (XS_LOG_INFO by default; tests
 * silence everything with -1). */
void xs_log_set_level(int level);
int xs_log_get_level(void);
/* Appends to path instead of stderr; 0 or errno. */
int xs_log_open(const char *path);
void xs_log_close(void);
void xs_log(enum xs_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
