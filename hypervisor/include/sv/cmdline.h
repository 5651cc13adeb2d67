/*
 * The hypervisor command line: space-separated options, each "name",
 * "no-name" (booleans), or "name=value".  The option table is passed in, so
 * the parser is plain C tested on the host.
 *
 * Value syntax by type:
 *   PARAM_BOOL   name | no-name | name=1/0/yes/no/on/off/true/false/enable/disable
 *   PARAM_UINT   decimal or 0x hex, fits in unsigned long
 *   PARAM_SIZE   number with optional K/M/G/T suffix (binary units), bytes
 *   PARAM_STRING copied (truncated to the buffer size given in 'size')
 *   PARAM_CUSTOM the handler gets the raw value (NULL when there was no '=')
 * Options may be quoted with "..." to hold spaces.  Unknown options and bad
 * values are reported through the warn callback and do not stop the parse.
 */
#ifndef SV_CMDLINE_H
#define SV_CMDLINE_H

#include <sv/types.h>

enum param_type { PARAM_BOOL, PARAM_UINT, PARAM_SIZE, PARAM_STRING, PARAM_CUSTOM };

struct param {
    const char *name;
    enum param_type type;
    void *var;          /* bool*, unsigned long*, uint64_t*, char[], unused for CUSTOM */
    size_t size;        /* PARAM_STRING: buffer size */
    int (*custom)(const char *value);   /* PARAM_CUSTOM: 0 or -errno */
};

typedef void (*cmdline_warn_fn)(const char *fmt, ...);

/* Returns the number of options that were unknown or invalid. */
int cmdline_parse(const char *cmdline, const struct param *table, size_t n,
                  cmdline_warn_fn warn);
/* "512M" -> bytes; returns -EINVAL on junk.  Shared with dom0_mem= parsing. */
int parse_size(const char *s, const char **end, uint64_t *out);

#endif
