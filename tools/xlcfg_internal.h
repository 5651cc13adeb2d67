/*
 * What the xlcfg_*.c files share and nothing else sees.  Names that cross
 * files are spelt xlcfg__* (libxlu's xlu__ convention for "internal").
 *
 *   xlcfg.c         entry points, scalar keys, dispatch, xlcfg_validate()
 *   xlcfg_util.c    messages, quoting of hostile bytes, numbers, typed values
 *   xlcfg_syntax.c  lexer and statement parser: text -> (key, value, line)
 *   xlcfg_cpus.c    cpus = CPULIST | [CPULIST, ...]
 *   xlcfg_disk.c    disk = [...] (xl-disk-configuration) and vdev numbers
 *   xlcfg_vif.c     vif = [...] (xl-network-configuration)
 */
#ifndef SPLITVISOR_TOOLS_XLCFG_INTERNAL_H
#define SPLITVISOR_TOOLS_XLCFG_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "xlcfg.h"

#define PRINTF(f, a)    __attribute__((format(printf, f, a)))

#define OVERRIDE_SRC    "<command line>"
#define QUOTE_BUF       64      /* room for xlcfg__quote() */

struct xlcfg_src {
    struct xlcfg_src *next;
    char name[];
};

/* ---- messages (xlcfg_util.c) ------------------------------------------------ */

/* Where a message points: "src:line: key: ".  line 0 and key NULL omit. */
struct where {
    const char *src;
    unsigned line;
    const char *key;
};

void xlcfg__vformat(char *buf, size_t len, const struct where *w,
                    const char *fmt, va_list ap);

/* Records the message as the error; always returns -1. */
PRINTF(3, 4)
int xlcfg__report(const struct xlcfg_diag *d, const struct where *w,
                  const char *fmt, ...);

PRINTF(3, 4)
void xlcfg__warn(const struct xlcfg_diag *d, const struct where *w,
                 const char *fmt, ...);

/* s[0..n) made printable for a message, in buf (QUOTE_BUF bytes). */
const char *xlcfg__quote(char *buf, size_t len, const char *s, size_t n);

/* ---- characters and numbers (xlcfg_util.c) ------------------------------------ */

/* ASCII classes: the C ones depend on the locale and on signed chars. */
static inline bool is_digit(int c) { return c >= '0' && c <= '9'; }
static inline bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline bool is_lower(int c) { return c >= 'a' && c <= 'z'; }
static inline bool is_blank(int c) { return c == ' ' || c == '\t' || c == '\r'; }

static inline int hex_value(int c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* First control character of s (C0 or DEL), or -1. */
static inline int control_char(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f)
            return c;
    }
    return -1;
}

/* Strips blanks at both ends, in place. */
char *xlcfg__trim(char *s);

int xlcfg__parse_number(const char *s, size_t n, unsigned long long *out,
                        char *why, size_t whylen);

/* ---- values (xlcfg_syntax.c makes them, the key handlers read them) ---------- */

struct atom {
    bool is_number;
    unsigned long long num;
    char *str;                  /* owned, NUL-free */
    unsigned line;
};

struct value {
    bool is_list;
    struct atom atom;           /* !is_list */
    struct atom *items;         /* is_list */
    size_t nitems;
    unsigned line;
};

/*
 * Parses text as xl.cfg (override: the rules of xlcfg_override()) and calls
 * xlcfg__apply() once per statement.  The text has been checked for size
 * and NUL bytes.
 */
int xlcfg__parse_text(struct xlcfg *cfg, const struct xlcfg_diag *diag,
                      const char *src, unsigned first_line, bool override,
                      const char *text, size_t len);

/* Gives one KEY = VALUE its meaning (xlcfg.c). */
int xlcfg__apply(struct xlcfg *cfg, const struct xlcfg_diag *diag,
                 const char *src, unsigned line, const char *key,
                 const struct value *v);

/* ---- key handlers ---------------------------------------------------------------- */

/* One setting being applied: where it is, for messages. */
struct ctx {
    struct xlcfg *cfg;
    const struct xlcfg_diag *diag;
    struct where w;
};

#define fail(c, ...)  xlcfg__report((c)->diag, &(c)->w, __VA_ARGS__)

/* Type checks that fail with "expected a T, got a U" (xlcfg_util.c). */
int xlcfg__want_string(struct ctx *c, const struct value *v, const char **out);
int xlcfg__want_number(struct ctx *c, const struct value *v,
                       unsigned long long min, unsigned long long max,
                       unsigned long long *out);
int xlcfg__want_list(struct ctx *c, const struct value *v);
int xlcfg__no_control(struct ctx *c, const char *what, const char *s);
/* Replaces *field by a copy of s. */
int xlcfg__set_string(struct ctx *c, char **field, const char *s);

int xlcfg__h_cpus(struct ctx *c, const struct value *v);
int xlcfg__h_disk(struct ctx *c, const struct value *v);
int xlcfg__h_vif(struct ctx *c, const struct value *v);

void xlcfg__disks_free(struct xlcfg_disk *disks, size_t n);
void xlcfg__vifs_free(struct xlcfg_vif *vifs, size_t n);

#endif /* SPLITVISOR_TOOLS_XLCFG_INTERNAL_H */
