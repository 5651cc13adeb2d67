/*
 * printk: formatted log lines with a level.  A message may start with one
 * of the LOG_* prefixes; without one it is LOG_INFO.  Every line goes to the
 * log ring; lines at or below the console level also go to the console
 * sinks, prefixed with "(SV) " and, once a clock is set, "[seconds.micros] ".
 *
 * Levels, as the command line names them (loglvl=):
 *   none < error < warning < info < debug (= all)
 */
#ifndef SV_PRINTK_H
#define SV_PRINTK_H

#include <sv/types.h>
#include <sv/logring.h>

enum log_level {
    LOGLVL_NONE = 0,
    LOGLVL_ERR = 1,
    LOGLVL_WARN = 2,
    LOGLVL_INFO = 3,
    LOGLVL_DEBUG = 4,
};

#define LOG_ERR   "<1>"
#define LOG_WARN  "<2>"
#define LOG_INFO  "<3>"
#define LOG_DEBUG "<4>"

typedef void (*console_sink_fn)(const char *s, size_t len);

void printk_init(char *ring_buf, size_t ring_size);
/* Up to 4 sinks (serial, and later the dom0 console); -ENOSPC past that. */
int printk_add_sink(console_sink_fn sink);
void printk_set_clock(uint64_t (*now_ns)(void));
void printk_set_level(enum log_level level);
enum log_level printk_get_level(void);
/* "none", "error", "warning", "info", "debug", "all" -> level; -EINVAL else. */
int printk_parse_level(const char *name, enum log_level *out);

void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);
/* Bypass the lock: for panic and exception paths on a possibly wedged CPU. */
void printk_force_unlock(void);

struct logring *printk_ring(void);

/* Bytes as they are, no prefix and no line buffering: dom0's console
 * (a terminal), to the sinks only (not the log ring `xl dmesg` reads). */
void console_write_raw(const char *s, size_t len);

#endif
