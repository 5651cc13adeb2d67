/*
 * printk: format once into a static line buffer, then hand the bytes, with
 * a "(SV) [time] " prefix at the start of every line, to the log ring and,
 * if the level allows, to each console sink.
 *
 * The ring and the console see the very same bytes, so `xl dmesg` looks like
 * the serial log.  Sinks get one call per line (or per piece of a line that
 * a later printk continues).  Whether the next byte starts a line is remembered across
 * calls, so printk("a"); printk("b\n"); makes one line "(SV) ab".
 */
#include <sv/printk.h>
#include <sv/errno.h>
#include <sv/fmt.h>
#include <sv/spinlock.h>
#include <sv/string.h>

#define PRINTK_LINE_MAX   512
#define PRINTK_MAX_SINKS  4
#define PRINTK_PREFIX_MAX 48    /* "(SV) [" + 20 + "." + 6 + "] " fits */

static const char truncation_mark[] = "...\n";

/* One lock over formatting and output: the line buffer is shared, and
 * lines from different CPUs must not interleave on the console. */
static spinlock_t printk_lock = SPINLOCK_INIT;
static char line_buf[PRINTK_LINE_MAX];
/* One prefixed line, so each sink gets a whole line per call. */
static char out_buf[PRINTK_PREFIX_MAX + PRINTK_LINE_MAX];

static struct logring log_ring;
static console_sink_fn sinks[PRINTK_MAX_SINKS];
static size_t nr_sinks;
static enum log_level console_level = LOGLVL_INFO;
static uint64_t (*clock_now_ns)(void);
static bool at_line_start = true;

void printk_init(char *ring_buf, size_t ring_size)
{
    spin_lock_init(&printk_lock);
    /* A rejected ring stays zero-sized, which logring_write ignores. */
    memset(&log_ring, 0, sizeof(log_ring));
    logring_init(&log_ring, ring_buf, ring_size);
    memset(sinks, 0, sizeof(sinks));
    nr_sinks = 0;
    console_level = LOGLVL_INFO;
    clock_now_ns = NULL;
    at_line_start = true;
}

int printk_add_sink(console_sink_fn sink)
{
    int ret = 0;

    if (!sink)
        return -EINVAL;
    spin_lock(&printk_lock);
    if (nr_sinks < PRINTK_MAX_SINKS)
        sinks[nr_sinks++] = sink;
    else
        ret = -ENOSPC;
    spin_unlock(&printk_lock);
    return ret;
}

void printk_set_clock(uint64_t (*now_ns)(void))
{
    spin_lock(&printk_lock);
    clock_now_ns = now_ns;
    spin_unlock(&printk_lock);
}

void printk_set_level(enum log_level level)
{
    console_level = level > LOGLVL_DEBUG ? LOGLVL_DEBUG : level;
}

enum log_level printk_get_level(void)
{
    return console_level;
}

int printk_parse_level(const char *name, enum log_level *out)
{
    static const struct {
        const char *name;
        enum log_level level;
    } names[] = {
        { "none", LOGLVL_NONE },
        { "error", LOGLVL_ERR },
        { "warning", LOGLVL_WARN },
        { "info", LOGLVL_INFO },
        { "debug", LOGLVL_DEBUG },
        { "all", LOGLVL_DEBUG },
    };

    if (!name || !out)
        return -EINVAL;
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].level;
            return 0;
        }
    }
    return -EINVAL;
}

/* Strip a leading "<N>" (one of the LOG_* prefixes) and return its level. */
static enum log_level take_level_prefix(const char **fmt)
{
    const char *s = *fmt;

    if (s[0] == '<' && s[1] >= '1' && s[1] <= '4' && s[2] == '>') {
        *fmt = s + 3;
        return (enum log_level)(s[1] - '0');
    }
    return LOGLVL_INFO;
}

static size_t build_prefix(char *prefix, size_t size)
{
    int n;

    if (!clock_now_ns)
        return str_copy(prefix, "(SV) ", size);

    uint64_t ns = clock_now_ns();
    n = fmt_snprintf(prefix, size, "(SV) [%5lu.%06lu] ",
                     (unsigned long)(ns / 1000000000u),
                     (unsigned long)(ns % 1000000000u / 1000u));
    return MIN((size_t)n, size - 1);
}

/* Format into line_buf; an over-long message is cut and marked. */
static size_t format_message(const char *fmt, va_list ap)
{
    int n = fmt_vsnprintf(line_buf, sizeof(line_buf), fmt, ap);

    if ((size_t)n < sizeof(line_buf))
        return (size_t)n;

    size_t len = sizeof(line_buf) - 1;
    memcpy(line_buf + len - (sizeof(truncation_mark) - 1), truncation_mark,
           sizeof(truncation_mark) - 1);
    return len;
}

static void output(const char *s, size_t len, bool to_console)
{
    logring_write(&log_ring, s, len);
    if (!to_console)
        return;
    for (size_t i = 0; i < nr_sinks; i++)
        sinks[i](s, len);
}

/* Length of the first line of s, including its '\n' if it has one. */
static size_t first_line_length(const char *s, size_t len)
{
    size_t n = 0;

    while (n < len && s[n++] != '\n')
        ;
    return n;
}

static void emit_message(const char *text, size_t len, enum log_level level)
{
    bool to_console = level <= console_level;
    char prefix[PRINTK_PREFIX_MAX];
    size_t prefix_len = 0;
    bool have_prefix = false;

    while (len) {
        size_t used = 0;

        if (at_line_start) {
            /* One timestamp per message, so its lines read as one event. */
            if (!have_prefix) {
                prefix_len = build_prefix(prefix, sizeof(prefix));
                have_prefix = true;
            }
            memcpy(out_buf, prefix, prefix_len);
            used = prefix_len;
        }
        size_t n = first_line_length(text, len);
        memcpy(out_buf + used, text, n);
        output(out_buf, used + n, to_console);
        at_line_start = text[n - 1] == '\n';
        text += n;
        len -= n;
    }
}

static bool raw_mid_line;          /* dom0's console left a line unfinished */

void vprintk(const char *fmt, va_list ap)
{
    enum log_level level = take_level_prefix(&fmt);
    unsigned long flags;

    spin_lock_irqsave(&printk_lock, flags);
    /* Our lines start on a line of their own, even in the middle of a
     * shell prompt. */
    if (raw_mid_line && level <= console_level) {
        output("\n", 1, true);
        raw_mid_line = false;
        at_line_start = true;
    }
    emit_message(line_buf, format_message(fmt, ap), level);
    spin_unlock_irqrestore(&printk_lock, flags);
}

void console_write_raw(const char *s, size_t len)
{
    unsigned long flags;

    if (!len)
        return;
    spin_lock_irqsave(&printk_lock, flags);
    /* Not into the log ring: dom0's terminal output (and the 'l' key's
     * replay of the ring itself) is not the hypervisor's log, and `xl
     * dmesg` shows only that. */
    for (size_t i = 0; i < nr_sinks; i++)
        sinks[i](s, len);
    raw_mid_line = s[len - 1] != '\n';
    spin_unlock_irqrestore(&printk_lock, flags);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void printk_force_unlock(void)
{
    spin_lock_init(&printk_lock);
}

struct logring *printk_ring(void)
{
    return &log_ring;
}
