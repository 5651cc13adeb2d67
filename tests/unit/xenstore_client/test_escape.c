/*
 * Value escaping as Debian's tools do it (sanitise_value/unsanitise_value):
 * every byte value one way, and the lenient corners of the way back.
 */
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "xst_escape.h"

static void expect_escape(const char *val, size_t len, const char *want)
{
    char *got = xst_escape(val, len);

    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    free(got);
}

static void expect_unescape(const char *in, const char *want, size_t want_len)
{
    char *out = malloc(strlen(in) + 1);
    size_t len = xst_unescape(out, in);

    ck_assert_uint_eq(len, want_len);
    ck_assert(memcmp(out, want, want_len) == 0);
    free(out);
}

START_TEST(escape_forms)
{
    expect_escape("plain text ~!", 13, "plain text ~!");
    expect_escape("", 0, "");
    expect_escape("a\\b", 3, "a\\\\b");
    expect_escape("\t\n\r", 3, "\\t\\n\\r");
    expect_escape("\0\001\007", 3, "\\000\\001\\007");
    expect_escape("\010\013\033\037", 4, "\\x08\\x0b\\x1b\\x1f");
    expect_escape("\x7f\x80\xff", 3, "\\x7f\\x80\\xff");
}
END_TEST

START_TEST(escape_round_trips_every_byte)
{
    char all[256], *text, *back;
    size_t i, len;

    for (i = 0; i < 256; i++)
        all[i] = (char)i;
    text = xst_escape(all, 256);
    back = malloc(strlen(text) + 1);
    len = xst_unescape(back, text);
    ck_assert_uint_eq(len, 256);
    ck_assert(memcmp(back, all, 256) == 0);
    free(text);
    free(back);
}
END_TEST

START_TEST(unescape_corners)
{
    expect_unescape("\\x41\\101\\t", "AA\t", 3);
    expect_unescape("\\q", "q", 1);             /* unknown: the char */
    expect_unescape("\\xzz", "xzz", 3);         /* no hex digits: 'x' */
    expect_unescape("\\x4", "\x04", 1);
    expect_unescape("\\0", "\0", 1);
    expect_unescape("\\7777", "\377" "7", 2);   /* three octal digits */
    expect_unescape("ab\\", "ab\0", 3);         /* lone backslash: a nul */
    expect_unescape("\\x 41", "A", 1);          /* scanf skips the space */
}
END_TEST

Suite *escape_suite(void)
{
    Suite *s = suite_create("escape");
    TCase *tc = tcase_create("values");

    tcase_add_test(tc, escape_forms);
    tcase_add_test(tc, escape_round_trips_every_byte);
    tcase_add_test(tc, unescape_corners);
    suite_add_tcase(s, tc);
    return s;
}
