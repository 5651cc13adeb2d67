/*
 * fmt_snprintf against the host C library's snprintf, which is the
 * reference for everything fmt.h promises to do the C way, plus the few
 * places where fmt.h deliberately differs (%p, unknown conversions).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sv/fmt.h>

#include "suites.h"

#define OUT_MAX 256

/* ---- helpers -------------------------------------------------------- */

enum arg_kind { ARG_INT, ARG_UINT, ARG_LONG, ARG_ULONG, ARG_LLONG, ARG_ULLONG,
                ARG_SIZE, ARG_INTMAX, ARG_UINTMAX, ARG_PTRDIFF };

struct length_mod {
    const char *text;
    enum arg_kind signed_kind;
    enum arg_kind unsigned_kind;
};

static const struct length_mod length_mods[] = {
    { "",   ARG_INT,     ARG_UINT },
    { "hh", ARG_INT,     ARG_UINT },
    { "h",  ARG_INT,     ARG_UINT },
    { "l",  ARG_LONG,    ARG_ULONG },
    { "ll", ARG_LLONG,   ARG_ULLONG },
    { "z",  ARG_SIZE,    ARG_SIZE },
    { "j",  ARG_INTMAX,  ARG_UINTMAX },
    { "t",  ARG_PTRDIFF, ARG_PTRDIFF },
};

static const int64_t int_values[] = {
    0, 1, -1, 7, -7, 8, 9, 10, 15, 16, 255, 256, -128, -129, 32767, -32768,
    65535, 65536, 123456789, -123456789, INT32_MAX, INT32_MIN, UINT32_MAX,
    (int64_t)1 << 32, 0x123456789abcdefLL, INT64_MAX, INT64_MIN, INT64_MIN + 1,
};

/*
 * Format one value with both implementations, into a buffer of 'size'
 * bytes.  Both buffers start filled with the same canary so that bytes
 * written past the allowed size show up as a difference too.
 */
static void run_both(const char *f, enum arg_kind kind, int64_t v, size_t size,
                     char got[OUT_MAX], int *got_ret, char want[OUT_MAX], int *want_ret)
{
    memset(got, '#', OUT_MAX);
    memset(want, '#', OUT_MAX);
    char *g = size ? got : NULL;
    char *w = size ? want : NULL;

#define BOTH(type) \
    do { \
        *got_ret = fmt_snprintf(g, size, f, (type)v); \
        *want_ret = snprintf(w, size, f, (type)v); \
    } while (0)

    switch (kind) {
    case ARG_INT:     BOTH(int); break;
    case ARG_UINT:    BOTH(unsigned int); break;
    case ARG_LONG:    BOTH(long); break;
    case ARG_ULONG:   BOTH(unsigned long); break;
    case ARG_LLONG:   BOTH(long long); break;
    case ARG_ULLONG:  BOTH(unsigned long long); break;
    case ARG_SIZE:    BOTH(size_t); break;
    case ARG_INTMAX:  BOTH(intmax_t); break;
    case ARG_UINTMAX: BOTH(uintmax_t); break;
    case ARG_PTRDIFF: BOTH(ptrdiff_t); break;
    }
#undef BOTH
}

static void compare_value(const char *f, enum arg_kind kind, int64_t v, size_t size)
{
    char got[OUT_MAX], want[OUT_MAX];
    int got_ret, want_ret;

    run_both(f, kind, v, size, got, &got_ret, want, &want_ret);
    ck_assert_msg(got_ret == want_ret && memcmp(got, want, OUT_MAX) == 0,
                  "format \"%s\" value %lld size %zu: got \"%.*s\" (%d), want \"%.*s\" (%d)",
                  f, (long long)v, size, (int)(size ? size : 1), size ? got : "",
                  got_ret, (int)(size ? size : 1), size ? want : "", want_ret);
}

/* Full buffer, plus truncated at half, at one byte and with no buffer. */
static void compare_value_all_sizes(const char *f, enum arg_kind kind, int64_t v)
{
    compare_value(f, kind, v, OUT_MAX);
    compare_value(f, kind, v, 0);
    compare_value(f, kind, v, 1);
    compare_value(f, kind, v, 5);
}

static void compare_string(const char *f, const char *s, size_t size)
{
    char got[OUT_MAX], want[OUT_MAX];

    memset(got, '#', sizeof(got));
    memset(want, '#', sizeof(want));
    int got_ret = fmt_snprintf(got, size, f, s);
    int want_ret = snprintf(want, size, f, s);
    ck_assert_msg(got_ret == want_ret && memcmp(got, want, sizeof(got)) == 0,
                  "format \"%s\" string \"%s\" size %zu: got \"%s\" (%d), want \"%s\" (%d)",
                  f, s, size, got, got_ret, want, want_ret);
}

static void compare_char(const char *f, int c)
{
    char got[OUT_MAX], want[OUT_MAX];

    memset(got, '#', sizeof(got));
    memset(want, '#', sizeof(want));
    int got_ret = fmt_snprintf(got, sizeof(got), f, c);
    int want_ret = snprintf(want, sizeof(want), f, c);
    ck_assert_msg(got_ret == want_ret && memcmp(got, want, sizeof(got)) == 0,
                  "format \"%s\" char %d: got \"%s\" (%d), want \"%s\" (%d)",
                  f, c, got, got_ret, want, want_ret);
}

/* Every subset of the flag characters, in a fixed order. */
static void flags_for_mask(unsigned mask, char out[8])
{
    static const char flag_chars[] = "-0+ #";
    size_t n = 0;

    for (unsigned i = 0; i < sizeof(flag_chars) - 1; i++) {
        if (mask & (1u << i))
            out[n++] = flag_chars[i];
    }
    out[n] = '\0';
}

static const char *const widths[] = { "", "1", "6", "23" };
static const char *const precisions[] = { "", ".", ".0", ".1", ".4", ".25" };

/* ---- integers against the host ----------------------------------------- */

/* One length modifier per loop iteration, each over every flag, width,
 * precision, conversion and value. */
START_TEST(integers_match_host)
{
    const struct length_mod *lm = &length_mods[_i];
    static const char convs[] = "diuxXo";

    for (unsigned mask = 0; mask < 32; mask++) {
        char flags[8];
        flags_for_mask(mask, flags);
        for (size_t w = 0; w < ARRAY_SIZE(widths); w++) {
            for (size_t p = 0; p < ARRAY_SIZE(precisions); p++) {
                for (const char *c = convs; *c; c++) {
                    char f[32];
                    bool is_signed = *c == 'd' || *c == 'i';
                    enum arg_kind kind = is_signed ? lm->signed_kind : lm->unsigned_kind;

                    snprintf(f, sizeof(f), "<%%%s%s%s%s%c>", flags, widths[w],
                             precisions[p], lm->text, *c);
                    for (size_t v = 0; v < ARRAY_SIZE(int_values); v++)
                        compare_value(f, kind, int_values[v], OUT_MAX);
                }
            }
        }
    }
}
END_TEST

START_TEST(integers_truncate_like_host)
{
    static const char *const formats[] = {
        "%d", "%lld", "%-20lld|", "%+030lld", "%#llx", "%#llo", "%.25llu",
        "value=%lld end", "%#llX|",
    };

    for (size_t i = 0; i < ARRAY_SIZE(formats); i++)
        for (size_t v = 0; v < ARRAY_SIZE(int_values); v++)
            compare_value_all_sizes(formats[i],
                                    formats[i][1] == 'd' ? ARG_INT : ARG_LLONG,
                                    int_values[v]);
}
END_TEST

START_TEST(extreme_values_exact)
{
    char buf[64];

    fmt_snprintf(buf, sizeof(buf), "%lld", (long long)INT64_MIN);
    ck_assert_str_eq(buf, "-9223372036854775808");
    fmt_snprintf(buf, sizeof(buf), "%+lld", (long long)INT64_MAX);
    ck_assert_str_eq(buf, "+9223372036854775807");
    fmt_snprintf(buf, sizeof(buf), "%llu", (unsigned long long)UINT64_MAX);
    ck_assert_str_eq(buf, "18446744073709551615");
    fmt_snprintf(buf, sizeof(buf), "%llo", (unsigned long long)UINT64_MAX);
    ck_assert_str_eq(buf, "1777777777777777777777");
    fmt_snprintf(buf, sizeof(buf), "%d", INT32_MIN);
    ck_assert_str_eq(buf, "-2147483648");
    /* Narrowing an int argument is the point here; formats held in
     * variables keep the compiler's format checker out of it. */
    const char *hhd = "%hhd", *hx = "%hx";
    fmt_snprintf(buf, sizeof(buf), hhd, -129);
    ck_assert_str_eq(buf, "127");
    fmt_snprintf(buf, sizeof(buf), hx, 0x12345);
    ck_assert_str_eq(buf, "2345");
    fmt_snprintf(buf, sizeof(buf), "%zx", SIZE_MAX);
    ck_assert_str_eq(buf, "ffffffffffffffff");
    fmt_snprintf(buf, sizeof(buf), "%jd", INTMAX_MIN);
    ck_assert_str_eq(buf, "-9223372036854775808");
}
END_TEST

/* ---- strings, chars, star arguments ------------------------------------ */

START_TEST(strings_match_host)
{
    static const char *const strings[] = { "", "a", "hello", "a longer string here" };
    static const char *const flags[] = { "", "-" };

    for (size_t s = 0; s < ARRAY_SIZE(strings); s++)
        for (size_t fl = 0; fl < ARRAY_SIZE(flags); fl++)
            for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
                for (size_t p = 0; p < ARRAY_SIZE(precisions); p++) {
                    char f[32];
                    snprintf(f, sizeof(f), "[%%%s%s%ss]", flags[fl], widths[w], precisions[p]);
                    compare_string(f, strings[s], OUT_MAX);
                    compare_string(f, strings[s], 4);
                    compare_string(f, strings[s], 1);
                }
}
END_TEST

START_TEST(chars_match_host)
{
    static const char *const formats[] = { "%c", "[%c]", "[%5c]", "[%-5c]", "%1c|" };
    static const int chars[] = { 'a', 'Z', ' ', '%', 0x7f };

    for (size_t f = 0; f < ARRAY_SIZE(formats); f++)
        for (size_t c = 0; c < ARRAY_SIZE(chars); c++)
            compare_char(formats[f], chars[c]);
}
END_TEST

START_TEST(nul_char_is_counted)
{
    char buf[8];

    memset(buf, '#', sizeof(buf));
    ck_assert_int_eq(fmt_snprintf(buf, sizeof(buf), "a%cb", 0), 3);
    ck_assert_mem_eq(buf, "a\0b\0", 4);
}
END_TEST

START_TEST(precision_stops_reading_unterminated_string)
{
    /* No terminator: reading past 3 bytes would trip AddressSanitizer. */
    char *raw = malloc(3);
    char buf[16];

    memcpy(raw, "abc", 3);
    ck_assert_int_eq(fmt_snprintf(buf, sizeof(buf), "%.3s|", raw), 4);
    ck_assert_str_eq(buf, "abc|");
    free(raw);
}
END_TEST

START_TEST(star_width_and_precision_match_host)
{
    static const int stars[] = { -30, -5, -1, 0, 1, 5, 30 };
    char got[OUT_MAX], want[OUT_MAX];

    for (size_t a = 0; a < ARRAY_SIZE(stars); a++) {
        for (size_t b = 0; b < ARRAY_SIZE(stars); b++) {
            int wa = stars[a], pb = stars[b];
            int gr = fmt_snprintf(got, sizeof(got), "[%*.*d|%-*s|%.*s|%0*x]",
                                  wa, pb, -42, wa, "str", pb, "precise", wa, 0xbeefu);
            int wr = snprintf(want, sizeof(want), "[%*.*d|%-*s|%.*s|%0*x]",
                              wa, pb, -42, wa, "str", pb, "precise", wa, 0xbeefu);
            ck_assert_msg(gr == wr && strcmp(got, want) == 0,
                          "width %d precision %d: got \"%s\" want \"%s\"", wa, pb, got, want);
        }
    }
}
END_TEST

START_TEST(mixed_formats_match_host)
{
    char got[OUT_MAX], want[OUT_MAX];
    int gr, wr;

#define MIXED(...) \
    do { \
        gr = fmt_snprintf(got, sizeof(got), __VA_ARGS__); \
        wr = snprintf(want, sizeof(want), __VA_ARGS__); \
        ck_assert_msg(gr == wr && strcmp(got, want) == 0, \
                      "%s: got \"%s\" (%d) want \"%s\" (%d)", #__VA_ARGS__, got, gr, want, wr); \
    } while (0)

    MIXED("plain text, no conversions");
    MIXED("%%");
    MIXED("100%% of %d", 5);
    MIXED("%s=%d (%#x) [%c]%%", "irq", 33, 33u, 'k');
    MIXED("mfn %#018lx order %u node %d", 0xabcdeUL, 9u, -1);
    MIXED("%-10s|%10s|", "left", "right");
    MIXED("%5.1s|%.0s|%-3.2s|", "xyz", "gone", "abc");
    MIXED("%i %o %X %hhu %hu", -5, 8u, 0xfeedu, (unsigned char)200, (unsigned short)60000);
#undef MIXED
}
END_TEST

/* ---- where fmt.h deliberately differs from glibc ------------------------ */

START_TEST(pointer_is_full_width_hex)
{
    char buf[64];

    ck_assert_int_eq(fmt_snprintf(buf, sizeof(buf), "%p", (void *)0x1234), 18);
    ck_assert_str_eq(buf, "0x0000000000001234");
    fmt_snprintf(buf, sizeof(buf), "%p", NULL);
    ck_assert_str_eq(buf, "0x0000000000000000");
    fmt_snprintf(buf, sizeof(buf), "%p", (void *)UINTPTR_MAX);
    ck_assert_str_eq(buf, "0xffffffffffffffff");
    fmt_snprintf(buf, sizeof(buf), "[%20p]", (void *)0xff);
    ck_assert_str_eq(buf, "[  0x00000000000000ff]");
    fmt_snprintf(buf, sizeof(buf), "[%-20p]", (void *)0xff);
    ck_assert_str_eq(buf, "[0x00000000000000ff  ]");
}
END_TEST

START_TEST(null_string_prints_null)
{
    char buf[32];
    /* volatile: hide the NULL from the compiler's format checker. */
    const char *volatile nothing = NULL;

    ck_assert_int_eq(fmt_snprintf(buf, sizeof(buf), "<%s>", nothing), 8);
    ck_assert_str_eq(buf, "<(null)>");
    fmt_snprintf(buf, sizeof(buf), "<%8s>", nothing);
    ck_assert_str_eq(buf, "<  (null)>");
}
END_TEST

START_TEST(unknown_conversion_is_copied)
{
    char buf[32];
    /* Through a variable: the compiler would rightly reject the literal. */
    const char *unknown = "a%yb";
    const char *trailing = "50%";
    const char *with_n = "x%n";

    ck_assert_int_eq(fmt_snprintf(buf, sizeof(buf), unknown, 1), 4);
    ck_assert_str_eq(buf, "a%yb");
    ck_assert_int_eq(fmt_snprintf(buf, sizeof(buf), trailing, 1), 3);
    ck_assert_str_eq(buf, "50%");
    /* %n must never write through its argument. */
    int victim = 1234;
    fmt_snprintf(buf, sizeof(buf), with_n, &victim);
    ck_assert_int_eq(victim, 1234);
    ck_assert_str_eq(buf, "x%n");
}
END_TEST

/* ---- buffer handling --------------------------------------------------- */

START_TEST(every_size_truncates_and_terminates)
{
    const char *expect = "id=42 name=hypervisor";
    size_t len = strlen(expect);

    for (size_t size = 0; size <= len + 3; size++) {
        char buf[64];
        memset(buf, '#', sizeof(buf));
        int ret = fmt_snprintf(size ? buf : NULL, size, "id=%d name=%s", 42, "hypervisor");
        ck_assert_int_eq(ret, (int)len);
        if (size) {
            size_t kept = size - 1 < len ? size - 1 : len;
            ck_assert_mem_eq(buf, expect, kept);
            ck_assert_int_eq(buf[kept], '\0');
            ck_assert_int_eq(buf[kept + 1], '#');
        }
    }
}
END_TEST

START_TEST(size_zero_never_writes)
{
    char buf[4] = "abc";

    ck_assert_int_eq(fmt_snprintf(NULL, 0, "%s %d", "hello", 12345), 11);
    ck_assert_int_eq(fmt_snprintf(buf, 0, "%s", "zzz"), 3);
    ck_assert_str_eq(buf, "abc");
}
END_TEST

START_TEST(huge_width_counts_without_writing)
{
    char buf[16];

    memset(buf, '#', sizeof(buf));
    ck_assert_int_eq(fmt_snprintf(buf, 8, "%600d", 7), 600);
    ck_assert_str_eq(buf, "       ");
    ck_assert_int_eq(buf[8], '#');
    ck_assert_int_eq(fmt_snprintf(NULL, 0, "%.500x", 1u), 500);
}
END_TEST

START_TEST(vsnprintf_leaves_callers_va_list_usable)
{
    char buf[32];

    /* fmt_snprintf goes through fmt_vsnprintf; a second call with fresh
     * arguments must see them, not leftovers. */
    fmt_snprintf(buf, sizeof(buf), "%d %d", 1, 2);
    ck_assert_str_eq(buf, "1 2");
    fmt_snprintf(buf, sizeof(buf), "%s %lld", "x", -3LL);
    ck_assert_str_eq(buf, "x -3");
}
END_TEST

Suite *fmt_suite(void)
{
    Suite *s = suite_create("fmt");
    TCase *host = tcase_create("host-compare");
    TCase *own = tcase_create("fmt-specific");

    /* The combinatorial loops are slow under the sanitizers. */
    tcase_set_timeout(host, 60);
    tcase_add_loop_test(host, integers_match_host, 0, (int)ARRAY_SIZE(length_mods));
    tcase_add_test(host, integers_truncate_like_host);
    tcase_add_test(host, strings_match_host);
    tcase_add_test(host, chars_match_host);
    tcase_add_test(host, star_width_and_precision_match_host);
    tcase_add_test(host, mixed_formats_match_host);
    suite_add_tcase(s, host);

    tcase_add_test(own, extreme_values_exact);
    tcase_add_test(own, nul_char_is_counted);
    tcase_add_test(own, precision_stops_reading_unterminated_string);
    tcase_add_test(own, pointer_is_full_width_hex);
    tcase_add_test(own, null_string_prints_null);
    tcase_add_test(own, unknown_conversion_is_copied);
    tcase_add_test(own, every_size_truncates_and_terminates);
    tcase_add_test(own, size_zero_never_writes);
    tcase_add_test(own, huge_width_counts_without_writing);
    tcase_add_test(own, vsnprintf_leaves_callers_va_list_usable);
    suite_add_tcase(s, own);
    return s;
}
