/*
 * The option parser against glibc getopt_long()'s results and messages
 * (the messages were taken from Debian's xenstore tools).
 */
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "xst_getopt.h"

static const struct xst_longopt longopts[] = {
    { "help", false, 'h' }, { "prefix", false, 'p' },
    { "recurse", false, 'r' }, { "number", true, 'n' },
    { "raw", false, 'R' }, { NULL, false, 0 },
};

/* Run the parser over ARGV; options as "p", "n=5", "?" into OPTS. */
static void parse(char **argv, char *opts, size_t size, char **errtext,
                  char ***operands, int *nops)
{
    struct xst_getopt g;
    size_t errlen;
    FILE *err = open_memstream(errtext, &errlen);
    int argc = 0, c;

    while (argv[argc] != NULL)
        argc++;
    opts[0] = '\0';
    ck_assert_int_eq(xst_getopt_init(&g, argc, argv, "hprn:R", longopts, err), 0);
    while ((c = xst_getopt_next(&g)) != -1) {
        size_t used = strlen(opts);
        snprintf(opts + used, size - used, "%c%s%s,", c, g.optarg ? "=" : "",
                 g.optarg ? g.optarg : "");
    }
    fclose(err);
    *nops = g.noperands;
    *operands = calloc((size_t)g.noperands + 1, sizeof(char *));
    memcpy(*operands, g.operands, (size_t)g.noperands * sizeof(char *));
    xst_getopt_free(&g);
}

#define ARGV(...) ((char *[]){ "prog", __VA_ARGS__, NULL })

START_TEST(mixed_options_and_operands)
{
    char opts[128], *err, **ops;
    int n;

    parse(ARGV("a", "-p", "b", "-n5", "-Rp", "--", "-r", "c"), opts,
          sizeof(opts), &err, &ops, &n);
    ck_assert_str_eq(opts, "p,n=5,R,p,");
    ck_assert_int_eq(n, 4);
    ck_assert_str_eq(ops[0], "a");
    ck_assert_str_eq(ops[1], "b");
    ck_assert_str_eq(ops[2], "-r");
    ck_assert_str_eq(ops[3], "c");
    ck_assert_str_eq(err, "");
    free(err);
    free(ops);
}
END_TEST

START_TEST(long_options)
{
    char opts[128], *err, **ops;
    int n;

    parse(ARGV("--pre", "--number", "7", "--number=8", "--raw", "-", "x"),
          opts, sizeof(opts), &err, &ops, &n);
    ck_assert_str_eq(opts, "p,n=7,n=8,R,");
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(ops[0], "-");
    ck_assert_str_eq(err, "");
    free(err);
    free(ops);
}
END_TEST

START_TEST(messages)
{
    char opts[128], *err, **ops;
    int n;

    parse(ARGV("-x", "--r=5", "--bogus=1", "--prefix=3", "-n"), opts,
          sizeof(opts), &err, &ops, &n);
    ck_assert_str_eq(opts, "?,?,?,?,?,");
    ck_assert_str_eq(err,
        "prog: invalid option -- 'x'\n"
        "prog: option '--r=5' is ambiguous; possibilities: '--recurse' '--raw'\n"
        "prog: unrecognized option '--bogus=1'\n"
        "prog: option '--prefix' doesn't allow an argument\n"
        "prog: option requires an argument -- 'n'\n");
    free(err);
    free(ops);

    parse(ARGV("-Rx", "--number"), opts, sizeof(opts), &err, &ops, &n);
    ck_assert_str_eq(opts, "R,?,?,");
    ck_assert_str_eq(err,
        "prog: invalid option -- 'x'\n"
        "prog: option '--number' requires an argument\n");
    free(err);
    free(ops);
}
END_TEST

Suite *getopt_suite(void)
{
    Suite *s = suite_create("getopt");
    TCase *tc = tcase_create("parse");

    tcase_add_test(tc, mixed_options_and_operands);
    tcase_add_test(tc, long_options);
    tcase_add_test(tc, messages);
    suite_add_tcase(s, tc);
    return s;
}
