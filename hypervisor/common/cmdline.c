/*
 * Command line parsing (see sv/cmdline.h).
 *
 * The command line belongs to the boot loader and may sit in memory we must
 * not write, so each option is copied, quotes removed, into a bounded local
 * buffer and parsed there.
 *
 * Warnings are complete printk lines ("<2>cmdline: ...\n"), so printk itself
 * can be passed as the warn callback.
 */
#include <sv/cmdline.h>
#include <sv/errno.h>
#include <sv/printk.h>
#include <sv/string.h>

/* Longest option ("name=value", after quote removal) we accept. */
#define CMDLINE_OPTION_MAX 256

/* How much of an over-long option the warning quotes. */
#define CMDLINE_QUOTE_MAX 40

enum token_status { TOKEN_OK, TOKEN_END, TOKEN_TOO_LONG, TOKEN_UNTERMINATED };

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char to_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool equal_ignoring_case(const char *a, const char *b)
{
    while (*a && to_lower(*a) == to_lower(*b)) {
        a++;
        b++;
    }
    return to_lower(*a) == to_lower(*b);
}

/*
 * Copy the next whitespace-separated option at *pos into tok, dropping the
 * '"' characters (text between them keeps its spaces).  *start is where the
 * option began in the input, for warnings.
 */
static enum token_status next_token(const char **pos, const char **start,
                                    char tok[CMDLINE_OPTION_MAX])
{
    const char *p = *pos;
    size_t len = 0;
    bool quoted = false;
    bool too_long = false;

    while (is_space(*p))
        p++;
    if (!*p)
        return TOKEN_END;
    *start = p;

    for (; *p && (quoted || !is_space(*p)); p++) {
        if (*p == '"') {
            quoted = !quoted;
            continue;
        }
        if (len + 1 < CMDLINE_OPTION_MAX)
            tok[len++] = *p;
        else
            too_long = true;
    }
    tok[len] = '\0';
    *pos = p;

    if (too_long)
        return TOKEN_TOO_LONG;
    return quoted ? TOKEN_UNTERMINATED : TOKEN_OK;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = to_lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decimal, or hex after "0x"; fails on no digits and on overflow. */
static int parse_u64(const char *s, const char **end, uint64_t *out)
{
    unsigned base = 10;
    uint64_t value = 0;
    const char *p = s;
    int d;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    if (digit_value(*p) < 0 || (unsigned)digit_value(*p) >= base)
        return -EINVAL;
    for (; (d = digit_value(*p)) >= 0 && (unsigned)d < base; p++) {
        if (value > (UINT64_MAX - (unsigned)d) / base)
            return -EINVAL;
        value = value * base + (unsigned)d;
    }
    *end = p;
    *out = value;
    return 0;
}

static int size_shift(char suffix)
{
    switch (to_lower(suffix)) {
    case 'k': return 10;
    case 'm': return 20;
    case 'g': return 30;
    case 't': return 40;
    default:  return 0;
    }
}

int parse_size(const char *s, const char **end, uint64_t *out)
{
    const char *p;
    uint64_t value;

    /* On failure nothing counts as consumed. */
    if (end)
        *end = s;
    if (!s || !out || parse_u64(s, &p, &value) < 0)
        return -EINVAL;

    int shift = size_shift(*p);
    if (shift) {
        if (value > (UINT64_MAX >> shift))
            return -EINVAL;
        value <<= shift;
        p++;
    }
    if (end)
        *end = p;
    *out = value;
    return 0;
}

static int parse_bool(const char *value, bool *out)
{
    static const char *const truths[] = { "1", "yes", "on", "true", "enable" };
    static const char *const falsehoods[] = { "0", "no", "off", "false", "disable" };

    /* A bare "name" means on. */
    if (!value) {
        *out = true;
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(truths); i++) {
        if (equal_ignoring_case(value, truths[i])) {
            *out = true;
            return 0;
        }
        if (equal_ignoring_case(value, falsehoods[i])) {
            *out = false;
            return 0;
        }
    }
    return -EINVAL;
}

static int parse_whole_uint(const char *value, unsigned long *out)
{
    const char *end;
    uint64_t v;

    if (!value || parse_u64(value, &end, &v) < 0 || *end)
        return -EINVAL;
    if ((unsigned long)v != v)
        return -EINVAL;
    *out = (unsigned long)v;
    return 0;
}

static int parse_whole_size(const char *value, uint64_t *out)
{
    const char *end;
    uint64_t v;

    /* Via v: a bad option must leave the variable as it was. */
    if (!value || parse_size(value, &end, &v) < 0 || *end)
        return -EINVAL;
    *out = v;
    return 0;
}

static int store_string(const struct param *p, const char *value)
{
    if (!value)
        return -EINVAL;
    /* Truncation is documented behaviour, not an error. */
    str_copy(p->var, value, p->size);
    return 0;
}

/* Apply value (NULL when the option had no '=') to p; 0 or -EINVAL. */
static int apply_value(const struct param *p, const char *value)
{
    switch (p->type) {
    case PARAM_BOOL:
        return parse_bool(value, p->var);
    case PARAM_UINT:
        return parse_whole_uint(value, p->var);
    case PARAM_SIZE:
        return parse_whole_size(value, p->var);
    case PARAM_STRING:
        return store_string(p, value);
    case PARAM_CUSTOM:
        return p->custom && p->custom(value) == 0 ? 0 : -EINVAL;
    }
    return -EINVAL;
}

static const struct param *find_param(const struct param *table, size_t n,
                                      const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (table[i].name && strcmp(table[i].name, name) == 0)
            return &table[i];
    }
    return NULL;
}

/* "no-name" for a boolean "name"; an exact table match has priority. */
static const struct param *find_negated_bool(const struct param *table, size_t n,
                                             const char *name)
{
    if (strncmp(name, "no-", 3) != 0)
        return NULL;
    const struct param *p = find_param(table, n, name + 3);
    return p && p->type == PARAM_BOOL ? p : NULL;
}

static void warn_bad_value(cmdline_warn_fn warn, const char *name, const char *value)
{
    if (!value)
        warn(LOG_WARN "cmdline: bad value for '%s': option needs '=value'\n", name);
    else
        warn(LOG_WARN "cmdline: bad value for '%s': '%s'\n", name, value);
}

/* Handle one "name[=value]" option; returns 1 if unknown or invalid. */
static int parse_option(char *option, const struct param *table, size_t n,
                        cmdline_warn_fn warn)
{
    char *value = strchr(option, '=');
    const struct param *p;

    if (value)
        *value++ = '\0';

    p = find_param(table, n, option);
    if (p) {
        if (apply_value(p, value) == 0)
            return 0;
        warn_bad_value(warn, option, value);
        return 1;
    }

    p = find_negated_bool(table, n, option);
    if (p) {
        if (!value) {
            *(bool *)p->var = false;
            return 0;
        }
        warn(LOG_WARN "cmdline: bad value for '%s': '%s' (takes no value)\n",
             option, value);
        return 1;
    }

    warn(LOG_WARN "cmdline: unknown option '%s'\n", option);
    return 1;
}

/* Swallows warnings when the caller passes no callback. */
static void no_warn(const char *fmt, ...)
{
    (void)fmt;
}

int cmdline_parse(const char *cmdline, const struct param *table, size_t n,
                  cmdline_warn_fn warn)
{
    char option[CMDLINE_OPTION_MAX];
    const char *pos = cmdline ? cmdline : "";
    const char *start = pos;
    int failures = 0;
    enum token_status status;

    if (!warn)
        warn = no_warn;

    while ((status = next_token(&pos, &start, option)) != TOKEN_END) {
        switch (status) {
        case TOKEN_TOO_LONG:
            warn(LOG_WARN "cmdline: option longer than %d characters: '%.*s...'\n",
                 CMDLINE_OPTION_MAX - 1, CMDLINE_QUOTE_MAX, start);
            failures++;
            break;
        case TOKEN_UNTERMINATED:
            warn(LOG_WARN "cmdline: unterminated quote in '%.*s'\n",
                 CMDLINE_QUOTE_MAX, start);
            failures++;
            break;
        default:
            /* A lone "" is an empty option: nothing to do. */
            if (option[0])
                failures += parse_option(option, table, n, warn);
            break;
        }
    }
    return failures;
}
