/*
 * Command line parsing against a small option table of every type, with a
 * warn callback that records what was said.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sv/cmdline.h>
#include <sv/errno.h>

#include "suites.h"

#define WARN_MAX 4096

static char warnings[WARN_MAX];
static size_t warnings_len;
static int warning_count;

static bool opt_debug;
static bool opt_watchdog;
static unsigned long opt_maxcpus;
static uint64_t opt_dom0_mem;
static char opt_console[16];

static int custom_calls;
static bool custom_got_null;
static char custom_value[512];

static void record_warning(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(warnings + warnings_len, WARN_MAX - warnings_len, fmt, ap);
    va_end(ap);
    if (n > 0)
        warnings_len += MIN((size_t)n, WARN_MAX - 1 - warnings_len);
    warning_count++;
}

/* Accepts anything except "reject", and records what it was given. */
static int custom_handler(const char *value)
{
    custom_calls++;
    custom_got_null = value == NULL;
    snprintf(custom_value, sizeof(custom_value), "%s", value ? value : "");
    return value && strcmp(value, "reject") == 0 ? -EINVAL : 0;
}

static const struct param table[] = {
    { "debug", PARAM_BOOL, &opt_debug, 0, NULL },
    { "watchdog", PARAM_BOOL, &opt_watchdog, 0, NULL },
    { "maxcpus", PARAM_UINT, &opt_maxcpus, 0, NULL },
    { "dom0_mem", PARAM_SIZE, &opt_dom0_mem, 0, NULL },
    { "console", PARAM_STRING, opt_console, sizeof(opt_console), NULL },
    { "custom", PARAM_CUSTOM, NULL, 0, custom_handler },
};

static void setup(void)
{
    warnings[0] = '\0';
    warnings_len = 0;
    warning_count = 0;
    opt_debug = false;
    opt_watchdog = true;
    opt_maxcpus = 7;
    opt_dom0_mem = 0;
    strcpy(opt_console, "unset");
    custom_calls = 0;
    custom_got_null = false;
    custom_value[0] = '\0';
}

static int parse(const char *cmdline)
{
    return cmdline_parse(cmdline, table, ARRAY_SIZE(table), record_warning);
}

static void assert_warned(const char *text)
{
    ck_assert_msg(strstr(warnings, text) != NULL,
                  "expected a warning containing \"%s\", got \"%s\"", text, warnings);
}

/* ---- empty input ------------------------------------------------------ */

START_TEST(empty_and_blank_lines_do_nothing)
{
    static const char *const blank[] = { "", " ", "   \t  ", "\n", " \t\r\n " };

    for (size_t i = 0; i < ARRAY_SIZE(blank); i++)
        ck_assert_int_eq(parse(blank[i]), 0);
    ck_assert_int_eq(parse(NULL), 0);
    ck_assert_int_eq(warning_count, 0);
    ck_assert(!opt_debug);
    ck_assert_uint_eq(opt_maxcpus, 7);
}
END_TEST

START_TEST(empty_table_makes_everything_unknown)
{
    ck_assert_int_eq(cmdline_parse("a b=1 no-c", NULL, 0, record_warning), 3);
    ck_assert_int_eq(warning_count, 3);
}
END_TEST

/* ---- booleans --------------------------------------------------------- */

START_TEST(bool_forms)
{
    static const struct { const char *cmdline; bool expect; } cases[] = {
        { "debug", true }, { "no-debug", false },
        { "debug=1", true }, { "debug=0", false },
        { "debug=yes", true }, { "debug=no", false },
        { "debug=on", true }, { "debug=off", false },
        { "debug=true", true }, { "debug=false", false },
        { "debug=enable", true }, { "debug=disable", false },
        { "debug=ON", true }, { "debug=False", false },
        { "debug no-debug", false }, { "no-debug debug", true },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        opt_debug = !cases[i].expect;
        ck_assert_int_eq(parse(cases[i].cmdline), 0);
        ck_assert_msg(opt_debug == cases[i].expect, "\"%s\"", cases[i].cmdline);
    }
    ck_assert_int_eq(warning_count, 0);
}
END_TEST

START_TEST(bool_bad_value_is_warned_and_left_alone)
{
    opt_debug = true;
    ck_assert_int_eq(parse("debug=maybe"), 1);
    ck_assert(opt_debug);
    assert_warned("bad value for 'debug': 'maybe'");
    ck_assert_int_eq(parse("debug="), 1);
    ck_assert(opt_debug);
    ck_assert_int_eq(parse("debug=10"), 1);
    ck_assert_int_eq(warning_count, 3);
}
END_TEST

START_TEST(negation_only_for_known_bools)
{
    /* maxcpus exists but is no boolean; bogus does not exist at all. */
    ck_assert_int_eq(parse("no-maxcpus no-bogus"), 2);
    assert_warned("unknown option 'no-maxcpus'");
    assert_warned("unknown option 'no-bogus'");
    ck_assert_uint_eq(opt_maxcpus, 7);
}
END_TEST

START_TEST(negation_takes_no_value)
{
    opt_watchdog = true;
    ck_assert_int_eq(parse("no-watchdog=1"), 1);
    ck_assert(opt_watchdog);
    assert_warned("'no-watchdog'");
}
END_TEST

START_TEST(exact_name_beats_negation)
{
    bool plain = true, negated = false;
    const struct param with_no[] = {
        { "no-thing", PARAM_BOOL, &negated, 0, NULL },
        { "thing", PARAM_BOOL, &plain, 0, NULL },
    };

    ck_assert_int_eq(cmdline_parse("no-thing", with_no, ARRAY_SIZE(with_no), record_warning), 0);
    ck_assert(negated);     /* set true as an option of its own */
    ck_assert(plain);       /* "thing" was not negated */
}
END_TEST

/* ---- numbers ---------------------------------------------------------- */

START_TEST(uint_values)
{
    static const struct { const char *cmdline; unsigned long expect; } cases[] = {
        { "maxcpus=0", 0 }, { "maxcpus=4", 4 }, { "maxcpus=0x10", 16 },
        { "maxcpus=0XfF", 255 }, { "maxcpus=007", 7 },
        { "maxcpus=18446744073709551615", 18446744073709551615ul },
        { "maxcpus=0xffffffffffffffff", 0xfffffffffffffffful },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        opt_maxcpus = 12345;
        ck_assert_int_eq(parse(cases[i].cmdline), 0);
        ck_assert_msg(opt_maxcpus == cases[i].expect, "\"%s\" gave %lu",
                      cases[i].cmdline, opt_maxcpus);
    }
}
END_TEST

START_TEST(uint_invalid_values)
{
    static const char *const bad[] = {
        "maxcpus", "maxcpus=", "maxcpus=-1", "maxcpus=+1", "maxcpus=12abc",
        "maxcpus=0x", "maxcpus=0xg", "maxcpus=1.5", "maxcpus=4K",
        "maxcpus=18446744073709551616", "maxcpus=99999999999999999999999",
        "maxcpus=0x10000000000000000",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        opt_maxcpus = 7;
        ck_assert_msg(parse(bad[i]) == 1, "\"%s\" accepted", bad[i]);
        ck_assert_msg(opt_maxcpus == 7, "\"%s\" changed the value to %lu", bad[i], opt_maxcpus);
    }
    ck_assert_int_eq(warning_count, (int)ARRAY_SIZE(bad));
    assert_warned("bad value for 'maxcpus': '12abc'");
}
END_TEST

START_TEST(size_values)
{
    static const struct { const char *cmdline; uint64_t expect; } cases[] = {
        { "dom0_mem=0", 0 }, { "dom0_mem=4096", 4096 }, { "dom0_mem=4k", 4096 },
        { "dom0_mem=4K", 4096 }, { "dom0_mem=512M", 512ull << 20 },
        { "dom0_mem=512m", 512ull << 20 }, { "dom0_mem=2G", 2ull << 30 },
        { "dom0_mem=16T", 16ull << 40 }, { "dom0_mem=0x1000", 0x1000 },
        { "dom0_mem=0x10M", 16ull << 20 },
        { "dom0_mem=16777215T", 16777215ull << 40 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        ck_assert_int_eq(parse(cases[i].cmdline), 0);
        ck_assert_msg(opt_dom0_mem == cases[i].expect, "\"%s\" gave %llu",
                      cases[i].cmdline, (unsigned long long)opt_dom0_mem);
    }
}
END_TEST

START_TEST(size_invalid_values)
{
    static const char *const bad[] = {
        "dom0_mem", "dom0_mem=", "dom0_mem=M", "dom0_mem=1X", "dom0_mem=1MB",
        "dom0_mem=-1M", "dom0_mem=16777216T",
        "dom0_mem=18446744073709551616", "dom0_mem=0x",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        opt_dom0_mem = 99;
        ck_assert_msg(parse(bad[i]) >= 1, "\"%s\" accepted", bad[i]);
        ck_assert_msg(opt_dom0_mem == 99, "\"%s\" changed the value", bad[i]);
    }
    assert_warned("bad value for 'dom0_mem': '16777216T'");
}
END_TEST

START_TEST(parse_size_direct)
{
    static const struct {
        const char *text;
        uint64_t expect;
        size_t consumed;
    } cases[] = {
        { "0", 0, 1 }, { "512M", 512ull << 20, 4 }, { "512M,max:1G", 512ull << 20, 4 },
        { "1g", 1ull << 30, 2 }, { "3t", 3ull << 40, 2 }, { "10kb", 10240, 3 },
        { "0x20K", 0x20 << 10, 5 }, { "42 rest", 42, 2 }, { "7z", 7, 1 },
        { "18446744073709551615", UINT64_MAX, 20 },
        { "17179869183G", 17179869183ull << 30, 12 },
    };
    static const char *const bad[] = {
        "", "K", "x1", "0x", "0xZ", "-1", " 1", "18446744073709551616",
        "17179869184G", "16777216T", "0x10000000000000000",
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const char *end = NULL;
        uint64_t value = 1;
        ck_assert_int_eq(parse_size(cases[i].text, &end, &value), 0);
        ck_assert_msg(value == cases[i].expect, "\"%s\" gave %llu", cases[i].text,
                      (unsigned long long)value);
        ck_assert_msg(end == cases[i].text + cases[i].consumed, "\"%s\" consumed %td",
                      cases[i].text, end - cases[i].text);
        ck_assert_int_eq(parse_size(cases[i].text, NULL, &value), 0);
    }
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        uint64_t value = 99;
        const char *end = NULL;
        ck_assert_msg(parse_size(bad[i], &end, &value) == -EINVAL, "\"%s\" accepted", bad[i]);
        ck_assert_uint_eq(value, 99);
        ck_assert_ptr_eq(end, bad[i]);
    }
}
END_TEST

/* ---- strings, quotes, custom -------------------------------------------- */

START_TEST(string_is_copied_and_truncated)
{
    ck_assert_int_eq(parse("console=com1,vga"), 0);
    ck_assert_str_eq(opt_console, "com1,vga");
    ck_assert_int_eq(parse("console="), 0);
    ck_assert_str_eq(opt_console, "");
    /* 16-byte buffer: 15 characters and the terminator. */
    ck_assert_int_eq(parse("console=0123456789abcdefXYZ"), 0);
    ck_assert_str_eq(opt_console, "0123456789abcde");
    ck_assert_int_eq(parse("console"), 1);
    ck_assert_str_eq(opt_console, "0123456789abcde");
    /* Only the first '=' splits. */
    ck_assert_int_eq(parse("console=a=b"), 0);
    ck_assert_str_eq(opt_console, "a=b");
}
END_TEST

START_TEST(quotes_hold_spaces)
{
    ck_assert_int_eq(parse("console=\"a b\" debug"), 0);
    ck_assert_str_eq(opt_console, "a b");
    ck_assert(opt_debug);
    ck_assert_int_eq(parse("\"console=x  y\""), 0);
    ck_assert_str_eq(opt_console, "x  y");
    ck_assert_int_eq(parse("custom=\"one two\"\"three\""), 0);
    ck_assert_str_eq(custom_value, "one twothree");
    /* An empty pair of quotes is an empty option, silently skipped. */
    ck_assert_int_eq(parse("\"\" maxcpus=3"), 0);
    ck_assert_uint_eq(opt_maxcpus, 3);
    ck_assert_int_eq(warning_count, 0);
}
END_TEST

START_TEST(unterminated_quote_is_invalid)
{
    ck_assert_int_eq(parse("debug console=\"open ended maxcpus=1"), 1);
    ck_assert(opt_debug);
    ck_assert_str_eq(opt_console, "unset");
    ck_assert_uint_eq(opt_maxcpus, 7);     /* swallowed by the open quote */
    assert_warned("unterminated quote");
}
END_TEST

START_TEST(custom_gets_raw_value)
{
    ck_assert_int_eq(parse("custom=anything,goes:here"), 0);
    ck_assert_str_eq(custom_value, "anything,goes:here");
    ck_assert(!custom_got_null);
    ck_assert_int_eq(parse("custom"), 0);
    ck_assert(custom_got_null);
    ck_assert_int_eq(parse("custom="), 0);
    ck_assert(!custom_got_null);
    ck_assert_str_eq(custom_value, "");
    ck_assert_int_eq(custom_calls, 3);
}
END_TEST

START_TEST(custom_failure_is_counted)
{
    ck_assert_int_eq(parse("custom=reject custom=accept"), 1);
    ck_assert_int_eq(custom_calls, 2);
    assert_warned("bad value for 'custom': 'reject'");
}
END_TEST

START_TEST(custom_without_handler_is_invalid)
{
    const struct param broken[] = { { "hook", PARAM_CUSTOM, NULL, 0, NULL } };

    ck_assert_int_eq(cmdline_parse("hook=1", broken, 1, record_warning), 1);
}
END_TEST

/* ---- unknown options, counting, robustness ------------------------------- */

START_TEST(unknown_options_are_warned_and_counted)
{
    ck_assert_int_eq(parse("foo debug bar=1 maxcpus=2 =x baz="), 4);
    assert_warned("unknown option 'foo'");
    assert_warned("unknown option 'bar'");
    assert_warned("unknown option 'baz'");
    ck_assert_int_eq(warning_count, 4);
    /* Known options around them still took effect. */
    ck_assert(opt_debug);
    ck_assert_uint_eq(opt_maxcpus, 2);
}
END_TEST

START_TEST(warnings_are_printk_lines)
{
    /* So printk itself can be the warn callback. */
    parse("foo");
    ck_assert_str_eq(warnings, "<2>cmdline: unknown option 'foo'\n");
}
END_TEST

START_TEST(last_option_wins)
{
    ck_assert_int_eq(parse("maxcpus=1 debug maxcpus=2 no-debug maxcpus=0x3"), 0);
    ck_assert_uint_eq(opt_maxcpus, 3);
    ck_assert(!opt_debug);
}
END_TEST

START_TEST(whitespace_of_all_kinds_separates)
{
    ck_assert_int_eq(parse("\tdebug\nmaxcpus=5\r\n  console=ttyS0  "), 0);
    ck_assert(opt_debug);
    ck_assert_uint_eq(opt_maxcpus, 5);
    ck_assert_str_eq(opt_console, "ttyS0");
}
END_TEST

START_TEST(input_is_not_modified)
{
    char cmdline[] = "debug maxcpus=4 \"console=a b\" foo=bar";
    char copy[sizeof(cmdline)];

    memcpy(copy, cmdline, sizeof(cmdline));
    ck_assert_int_eq(parse(cmdline), 1);
    ck_assert_mem_eq(cmdline, copy, sizeof(cmdline));
}
END_TEST

START_TEST(null_warn_is_allowed)
{
    ck_assert_int_eq(cmdline_parse("foo debug bar", table, ARRAY_SIZE(table), NULL), 2);
    ck_assert(opt_debug);
}
END_TEST

/* Build "name=" followed by 'len' bytes of value. */
static char *make_long_option(const char *name, size_t len)
{
    size_t name_len = strlen(name);
    char *s = malloc(name_len + len + 1);

    ck_assert_ptr_nonnull(s);
    memcpy(s, name, name_len);
    memset(s + name_len, 'v', len);
    s[name_len + len] = '\0';
    return s;
}

START_TEST(longest_allowed_option_is_accepted)
{
    /* 255 characters in all: "custom=" (7) and 248 of value. */
    char *opt = make_long_option("custom=", 248);

    ck_assert_int_eq(parse(opt), 0);
    ck_assert_uint_eq(strlen(custom_value), 248);
    free(opt);
}
END_TEST

START_TEST(very_long_tokens_are_invalid_not_fatal)
{
    static const size_t lengths[] = { 249, 300, 10000, 100000 };

    for (size_t i = 0; i < ARRAY_SIZE(lengths); i++) {
        char *opt = make_long_option("custom=", lengths[i]);
        size_t len = strlen(opt);
        char *line = malloc(len + 64);

        ck_assert_ptr_nonnull(line);
        snprintf(line, len + 64, "debug %s maxcpus=9", opt);
        opt_debug = false;
        opt_maxcpus = 7;
        warning_count = 0;
        warnings_len = 0;
        warnings[0] = '\0';
        custom_calls = 0;

        ck_assert_int_eq(parse(line), 1);
        ck_assert_int_eq(custom_calls, 0);         /* never saw a chopped value */
        ck_assert(opt_debug);
        ck_assert_uint_eq(opt_maxcpus, 9);          /* parsing went on after it */
        ck_assert_int_eq(warning_count, 1);
        assert_warned("custom=vvv");
        ck_assert_uint_lt(strlen(warnings), 200);  /* quotes a bounded prefix */
        free(line);
        free(opt);
    }
}
END_TEST

START_TEST(long_quoted_token_is_invalid)
{
    char *value = make_long_option("", 400);
    char line[512];

    /* Quote removal happens while copying: the quotes do not count, but the
     * spaces inside them do. */
    snprintf(line, sizeof(line), "\"console=%.100s %.100s %.100s\" debug", value, value, value);
    ck_assert_int_eq(parse(line), 1);
    ck_assert_str_eq(opt_console, "unset");
    ck_assert(opt_debug);
    free(value);
}
END_TEST

Suite *cmdline_suite(void)
{
    Suite *s = suite_create("cmdline");
    TCase *tc = tcase_create("cmdline");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, empty_and_blank_lines_do_nothing);
    tcase_add_test(tc, empty_table_makes_everything_unknown);
    tcase_add_test(tc, bool_forms);
    tcase_add_test(tc, bool_bad_value_is_warned_and_left_alone);
    tcase_add_test(tc, negation_only_for_known_bools);
    tcase_add_test(tc, negation_takes_no_value);
    tcase_add_test(tc, exact_name_beats_negation);
    tcase_add_test(tc, uint_values);
    tcase_add_test(tc, uint_invalid_values);
    tcase_add_test(tc, size_values);
    tcase_add_test(tc, size_invalid_values);
    tcase_add_test(tc, parse_size_direct);
    tcase_add_test(tc, string_is_copied_and_truncated);
    tcase_add_test(tc, quotes_hold_spaces);
    tcase_add_test(tc, unterminated_quote_is_invalid);
    tcase_add_test(tc, custom_gets_raw_value);
    tcase_add_test(tc, custom_failure_is_counted);
    tcase_add_test(tc, custom_without_handler_is_invalid);
    tcase_add_test(tc, unknown_options_are_warned_and_counted);
    tcase_add_test(tc, warnings_are_printk_lines);
    tcase_add_test(tc, last_option_wins);
    tcase_add_test(tc, whitespace_of_all_kinds_separates);
    tcase_add_test(tc, input_is_not_modified);
    tcase_add_test(tc, null_warn_is_allowed);
    tcase_add_test(tc, longest_allowed_option_is_accepted);
    tcase_add_test(tc, very_long_tokens_are_invalid_not_fatal);
    tcase_add_test(tc, long_quoted_token_is_invalid);
    suite_add_tcase(s, tc);
    return s;
}
