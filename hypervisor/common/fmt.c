/*
 * Freestanding printf-style formatting (see sv/fmt.h for what is supported).
 *
 * The output goes through a small bounded writer that keeps counting after
 * the buffer is full, which is what gives the C99 return value for free.
 */
#include <sv/fmt.h>
#include <sv/string.h>

/* Widths and precisions past this are clamped: nothing sane asks for more,
 * and clamping keeps the digit accumulation free of signed overflow. */
#define FMT_MAX_FIELD 0x100000

/* 64 bits in octal is 22 digits; this leaves room for any base >= 8. */
#define FMT_MAX_DIGITS 24

struct out {
    char *buf;
    size_t size;
    size_t len;         /* bytes the full output has so far */
};

enum {
    FL_LEFT  = 1 << 0,  /* '-' */
    FL_ZERO  = 1 << 1,  /* '0' */
    FL_PLUS  = 1 << 2,  /* '+' */
    FL_SPACE = 1 << 3,  /* ' ' */
    FL_ALT   = 1 << 4,  /* '#' */
};

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J };

struct spec {
    unsigned flags;
    int width;          /* 0 when absent */
    int precision;      /* -1 when absent */
    enum length length;
    char conv;
};

static void put_char(struct out *o, char c)
{
    /* Keep the last byte for the terminator. */
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_repeat(struct out *o, char c, int count)
{
    while (count-- > 0)
        put_char(o, c);
}

static void put_bytes(struct out *o, const char *s, size_t n)
{
    while (n--)
        put_char(o, *s++);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int parse_decimal(const char **p)
{
    int value = 0;

    while (is_digit(**p)) {
        if (value < FMT_MAX_FIELD)
            value = value * 10 + (**p - '0');
        (*p)++;
    }
    return value > FMT_MAX_FIELD ? FMT_MAX_FIELD : value;
}

static unsigned parse_flags(const char **p)
{
    unsigned flags = 0;

    for (;; (*p)++) {
        switch (**p) {
        case '-': flags |= FL_LEFT; break;
        case '0': flags |= FL_ZERO; break;
        case '+': flags |= FL_PLUS; break;
        case ' ': flags |= FL_SPACE; break;
        case '#': flags |= FL_ALT; break;
        default: return flags;
        }
    }
}

static int clamp_field(int v)
{
    return v > FMT_MAX_FIELD ? FMT_MAX_FIELD : v;
}

static void parse_width(const char **p, struct spec *sp, va_list *ap)
{
    if (**p != '*') {
        sp->width = parse_decimal(p);
        return;
    }
    (*p)++;
    int w = va_arg(*ap, int);
    /* C: a negative '*' width is a '-' flag plus a positive width.
     * Negating INT_MIN would overflow, hence the unsigned detour. */
    if (w < 0) {
        sp->flags |= FL_LEFT;
        unsigned magnitude = 0u - (unsigned)w;
        sp->width = magnitude > FMT_MAX_FIELD ? FMT_MAX_FIELD : (int)magnitude;
    } else {
        sp->width = clamp_field(w);
    }
}

static void parse_precision(const char **p, struct spec *sp, va_list *ap)
{
    sp->precision = -1;
    if (**p != '.')
        return;
    (*p)++;
    if (**p == '*') {
        (*p)++;
        int prec = va_arg(*ap, int);
        /* A negative '*' precision counts as no precision at all. */
        sp->precision = prec < 0 ? -1 : clamp_field(prec);
    } else {
        sp->precision = parse_decimal(p);
    }
}

static enum length parse_length(const char **p)
{
    const char *s = *p;
    enum length len = LEN_NONE;

    switch (*s) {
    case 'h':
        len = s[1] == 'h' ? LEN_HH : LEN_H;
        break;
    case 'l':
        len = s[1] == 'l' ? LEN_LL : LEN_L;
        break;
    case 'z': len = LEN_Z; break;
    case 't': len = LEN_T; break;
    case 'j': len = LEN_J; break;
    default: return LEN_NONE;
    }
    *p += (len == LEN_HH || len == LEN_LL) ? 2 : 1;
    return len;
}

/* Fetch a signed argument, narrowed as the length modifier says. */
static int64_t fetch_signed(enum length len, va_list *ap)
{
    switch (len) {
    case LEN_HH: return (signed char)va_arg(*ap, int);
    case LEN_H:  return (short)va_arg(*ap, int);
    case LEN_L:  return va_arg(*ap, long);
    case LEN_LL: return va_arg(*ap, long long);
    /* The signed type that goes with size_t; reading it as size_t and
     * converting is well defined where reading it as long might not be. */
    case LEN_Z:  return (int64_t)va_arg(*ap, size_t);
    case LEN_T:  return va_arg(*ap, ptrdiff_t);
    case LEN_J:  return va_arg(*ap, intmax_t);
    default:     return va_arg(*ap, int);
    }
}

static uint64_t fetch_unsigned(enum length len, va_list *ap)
{
    switch (len) {
    case LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_H:  return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_L:  return va_arg(*ap, unsigned long);
    case LEN_LL: return va_arg(*ap, unsigned long long);
    case LEN_Z:  return va_arg(*ap, size_t);
    case LEN_T:  return (uint64_t)va_arg(*ap, ptrdiff_t);
    case LEN_J:  return va_arg(*ap, uintmax_t);
    default:     return va_arg(*ap, unsigned int);
    }
}

/* Writes the digits right-aligned into digits[FMT_MAX_DIGITS]; returns the
 * index of the first one. */
static int render_digits(uint64_t value, unsigned base, bool upper,
                         char digits[FMT_MAX_DIGITS])
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int pos = FMT_MAX_DIGITS;

    do {
        digits[--pos] = set[value % base];
        value /= base;
    } while (value);
    return pos;
}

/*
 * Lay out one integer: [spaces][sign or 0x][zeros][digits][spaces].
 * 'prefix' is the sign or radix prefix already chosen by the caller.
 */
static void emit_integer(struct out *o, const struct spec *sp, uint64_t magnitude,
                         unsigned base, const char *prefix)
{
    char digits[FMT_MAX_DIGITS];
    int first = render_digits(magnitude, base, sp->conv == 'X', digits);
    int ndigits = FMT_MAX_DIGITS - first;
    int precision = sp->precision;

    /* An explicit zero precision prints no digits for the value zero. */
    if (magnitude == 0 && precision == 0)
        ndigits = 0;
    /* '#' with octal: the first digit must be a 0, got by raising the
     * precision; a zero value already starts with one, unless it printed
     * no digits at all. */
    if ((sp->flags & FL_ALT) && base == 8) {
        int needed = magnitude ? ndigits + 1 : 1;
        if (precision < needed)
            precision = needed;
    }

    int prefix_len = (int)strlen(prefix);
    int zeros = precision > ndigits ? precision - ndigits : 0;
    /* The '0' flag is ignored with a precision or with '-'. */
    if ((sp->flags & FL_ZERO) && !(sp->flags & FL_LEFT) && sp->precision < 0) {
        int used = prefix_len + zeros + ndigits;
        if (sp->width > used)
            zeros += sp->width - used;
    }
    int pad = sp->width - (prefix_len + zeros + ndigits);

    if (!(sp->flags & FL_LEFT))
        put_repeat(o, ' ', pad);
    put_bytes(o, prefix, (size_t)prefix_len);
    put_repeat(o, '0', zeros);
    put_bytes(o, digits + FMT_MAX_DIGITS - ndigits, (size_t)ndigits);
    if (sp->flags & FL_LEFT)
        put_repeat(o, ' ', pad);
}

static void emit_signed(struct out *o, const struct spec *sp, va_list *ap)
{
    int64_t value = fetch_signed(sp->length, ap);
    /* Unsigned negation: -INT64_MIN does not fit in int64_t. */
    uint64_t magnitude = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
    const char *prefix = "";

    if (value < 0)
        prefix = "-";
    else if (sp->flags & FL_PLUS)
        prefix = "+";
    else if (sp->flags & FL_SPACE)
        prefix = " ";
    emit_integer(o, sp, magnitude, 10, prefix);
}

static void emit_unsigned(struct out *o, const struct spec *sp, va_list *ap)
{
    uint64_t value = fetch_unsigned(sp->length, ap);
    const char *prefix = "";
    unsigned base = 10;

    if (sp->conv == 'o') {
        base = 8;
    } else if (sp->conv == 'x' || sp->conv == 'X') {
        base = 16;
        if ((sp->flags & FL_ALT) && value != 0)
            prefix = sp->conv == 'x' ? "0x" : "0X";
    }
    emit_integer(o, sp, value, base, prefix);
}

static void emit_pointer(struct out *o, const struct spec *sp, va_list *ap)
{
    struct spec ptr = *sp;

    /* Always the full 64-bit address, so pointers line up in logs. */
    ptr.conv = 'x';
    ptr.precision = 16;
    ptr.flags &= FL_LEFT;
    emit_integer(o, &ptr, (uint64_t)(uintptr_t)va_arg(*ap, void *), 16, "0x");
}

static void emit_padded(struct out *o, const struct spec *sp, const char *s, size_t n)
{
    int pad = (size_t)sp->width > n ? sp->width - (int)n : 0;

    if (!(sp->flags & FL_LEFT))
        put_repeat(o, ' ', pad);
    put_bytes(o, s, n);
    if (sp->flags & FL_LEFT)
        put_repeat(o, ' ', pad);
}

/* strnlen, kept local: hosted C11 only declares it under POSIX. */
static size_t bounded_length(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

static void emit_string(struct out *o, const struct spec *sp, va_list *ap)
{
    const char *s = va_arg(*ap, const char *);

    if (!s)
        s = "(null)";
    /* With a precision the string need not be terminated, so never read
     * past it. */
    size_t n = sp->precision >= 0 ? bounded_length(s, (size_t)sp->precision) : strlen(s);
    emit_padded(o, sp, s, n);
}

static void emit_char(struct out *o, const struct spec *sp, va_list *ap)
{
    char c = (char)va_arg(*ap, int);

    emit_padded(o, sp, &c, 1);
}

static void emit_conversion(struct out *o, const struct spec *sp, va_list *ap)
{
    switch (sp->conv) {
    case 'd':
    case 'i':
        emit_signed(o, sp, ap);
        break;
    case 'u':
    case 'x':
    case 'X':
    case 'o':
        emit_unsigned(o, sp, ap);
        break;
    case 'p':
        emit_pointer(o, sp, ap);
        break;
    case 's':
        emit_string(o, sp, ap);
        break;
    case 'c':
        emit_char(o, sp, ap);
        break;
    case '%':
        put_char(o, '%');
        break;
    }
}

static bool is_known_conversion(char c)
{
    return c && strchr("diuxXopsc%", c) != NULL;
}

/*
 * Parse one conversion starting just after its '%' and emit it.  Returns
 * where the format continues.  An unknown conversion (including %n, which
 * is deliberately unsupported) is copied out literally, so a bad format
 * string shows up in the log instead of consuming arguments.
 */
static const char *format_one(struct out *o, const char *start, va_list *ap)
{
    const char *p = start;
    struct spec sp;

    sp.flags = parse_flags(&p);
    parse_width(&p, &sp, ap);
    parse_precision(&p, &sp, ap);
    sp.length = parse_length(&p);
    sp.conv = *p;

    if (!is_known_conversion(sp.conv)) {
        put_char(o, '%');
        return start;
    }
    emit_conversion(o, &sp, ap);
    return p + 1;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { .buf = buf, .size = buf ? size : 0, .len = 0 };
    va_list args;

    /* va_list may be an array type: copy it so it can be passed by pointer. */
    va_copy(args, ap);
    while (*fmt) {
        if (*fmt != '%') {
            put_char(&o, *fmt++);
            continue;
        }
        fmt = format_one(&o, fmt + 1, &args);
    }
    va_end(args);

    if (o.size)
        o.buf[o.len < o.size ? o.len : o.size - 1] = '\0';
    return o.len > (size_t)__INT_MAX__ ? __INT_MAX__ : (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int ret;

    va_start(ap, fmt);
    ret = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return ret;
}
