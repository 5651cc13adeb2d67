/*
 * The xenstore-* tools other than ls: output, messages and exit statuses.
 * Expected texts are what Debian's xenstore-utils 4.17 printed for the
 * same commands on the same fake daemon (see compare-debian.sh, which
 * checks these against the real binary, requests included).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "suites.h"

static struct served s;

static void setup(void)
{
    served_start(&s);
    seed_tree(s.f);
}

static void teardown(void) { served_stop(&s); }

static void expect(struct run r, int rc, const char *out, const char *err)
{
    ck_assert_int_eq(r.rc, rc);
    ck_assert_str_eq(r.out, out);
    ck_assert_str_eq(r.err, err);
    run_free(&r);
}

static void expect_value(const char *path, const char *want, int want_len)
{
    char buf[256];

    ck_assert_int_eq(fake_xsd_read(s.f, path, buf, sizeof(buf)), want_len);
    ck_assert(memcmp(buf, want, (size_t)want_len) == 0);
}

START_TEST(read_values)
{
    expect(RUN(-1, "xenstore-read", "/local/domain/0/name", "/tool/bin"), 0,
           "Domain-0\nx\\001\\x7f\\xff\\t\\n\\r\\\\y\n", "");
    expect(RUN(-1, "xenstore-read", "-p", "/local/domain/0/name", "/tool/empty"),
           0, "/local/domain/0/name: Domain-0\n/tool/empty: \n", "");
    /* The operands may come before the options. */
    expect(RUN(-1, "/usr/sbin/xenstore-read", "/tool/empty", "-p"), 0,
           "/tool/empty: \n", "");
}
END_TEST

START_TEST(read_raw)
{
    struct run r = RUN(-1, "xenstore-read", "-R", "-p", "/tool/bin",
                       "/local/domain/0/name");

    ck_assert_int_eq(r.rc, 0);
    ck_assert_uint_eq(r.out_len, 11 + 9 + 22 + 8);
    ck_assert(memcmp(r.out, "/tool/bin: x\001\x7f\xff\t\n\r\\y"
                            "/local/domain/0/name: Domain-0", r.out_len) == 0);
    run_free(&r);
}
END_TEST

START_TEST(read_failures)
{
    /* What was read before the failure is still printed. */
    expect(RUN(-1, "xenstore-read", "/local/domain/0/name", "/nope", "/tool/bin"),
           1, "Domain-0\n", "xenstore-read: couldn't read path /nope\n");
    expect(RUN(-1, "xenstore-read"), 1, "",
           "xenstore-read: Usage: xenstore-read [-h] [-p] [-s] [-R] key [...]\n");
    expect(RUN(-1, "xenstore-read", "-h", "/x"), 1, "",
           "xenstore-read: Usage: xenstore-read [-h] [-p] [-s] [-R] key [...]\n");
    expect(RUN(-1, "xenstore-read", "-f", "/x"), 1, "",
           "xenstore-read: Usage: xenstore-read [-h] [-p] [-s] [-R] key [...]\n");
    /* Unknown options are reported, then ignored. */
    expect(RUN(-1, "xenstore-read", "-x", "/local/domain/0/name"), 0,
           "Domain-0\n", "xenstore-read: invalid option -- 'x'\n");
}
END_TEST

START_TEST(multi_call)
{
    expect(RUN(-1, "xenstore", "read", "-x", "/local/domain/0/name"), 0,
           "Domain-0\n", "read: invalid option -- 'x'\n");
    expect(RUN(-1, "xenstore", "read"), 1, "",
           "xenstore: Usage: xenstore read [-h] [-p] [-s] [-R] key [...]\n");
    expect(RUN(-1, "/bin/xenstore"), 1, "",
           "xenstore: Usage: /bin/xenstore <mode> [-h] [...]\n");
    expect(RUN(-1, "xenstore", "foo"), 1, "", "xenstore: unknown mode foo\n\n");
    expect(RUN(-1, "xenstore-foo", "/x"), 1, "",
           "xenstore-foo: unknown mode foo\n\n");
    expect(RUN(-1, "xenstore", "exists", "/tool"), 0, "", "");
}
END_TEST

START_TEST(write_values)
{
    expect(RUN(-1, "xenstore-write", "/a", "1", "/b/c", "tab\\there",
               "/d", "\\x41\\101\\q\\", "/e", ""), 0, "", "");
    expect_value("/a", "1", 1);
    expect_value("/b/c", "tab\there", 8);
    expect_value("/d", "AAq\0", 4);
    expect_value("/e", "", 0);
    expect(RUN(-1, "xenstore-write", "-R", "/raw", "x\\x41\\\\"), 0, "", "");
    expect_value("/raw", "x\\x41\\\\", 7);
}
END_TEST

START_TEST(write_failures)
{
    expect(RUN(-1, "xenstore-write", "/a"), 1, "",
           "xenstore-write: Usage: xenstore-write [-h] [-s] [-R] key value [...]\n");
    expect(RUN(-1, "xenstore-write", "-p", "/a", "1"), 1, "",
           "xenstore-write: Usage: xenstore-write [-h] [-s] [-R] key value [...]\n");
    /* In one transaction: the failing pair aborts the good one too. */
    expect(RUN(-1, "xenstore-write", "/ok", "1", "bad", "2"), 1, "",
           "xenstore-write: could not write path bad\n");
}
END_TEST

START_TEST(exists)
{
    expect(RUN(-1, "xenstore-exists", "/local"), 0, "", "");
    expect(RUN(-1, "xenstore-exists", "/local", "/nope"), 1, "", "");
    expect(RUN(-1, "xenstore-exists", "-p", "/local"), 1, "",
           "xenstore-exists: Usage: xenstore-exists [-h] [-p] [-s] key [...]\n");
}
END_TEST

START_TEST(list)
{
    expect(RUN(-1, "xenstore-list", "/local/domain/1"), 0,
           "name\ndevice\n", "");
    expect(RUN(-1, "xenstore-list", "-p", "/local/domain", "/"), 0,
           "/local/domain/0\n/local/domain/1\n//local\n//tool\n", "");
    expect(RUN(-1, "xenstore-list", "/tool", "/nope"), 1, "bin\nempty\n",
           "xenstore-list: could not list path /nope\n");
}
END_TEST

START_TEST(list_through_directory_part)
{
    fake_xsd_set_dir_limits(s.f, 8, 10);
    expect(RUN(-1, "xenstore-list", "/local/domain/1/device/vif/0"), 0,
           "state\nmac\n", "");
}
END_TEST

START_TEST(rm)
{
    expect(RUN(-1, "xenstore-rm", "/tool/bin", "/local/domain/0"), 0, "", "");
    ck_assert(!fake_xsd_exists(s.f, "/tool/bin"));
    ck_assert(!fake_xsd_exists(s.f, "/local/domain/0/memory/target"));
    expect(RUN(-1, "xenstore-rm", "/nope/deeper"), 1, "",
           "xenstore-rm: could not remove path /nope/deeper\n");
    /* Aborted as a whole: /tool/empty survives the failure after it. */
    expect(RUN(-1, "xenstore-rm", "/tool/empty", "/nope/x"), 1, "",
           "xenstore-rm: could not remove path /nope/x\n");
}
END_TEST

START_TEST(rm_tidy)
{
    fake_xsd_write(s.f, "/tidy/x/y/z", "leaf");
    fake_xsd_write(s.f, "/tidy/keep", "");
    expect(RUN(-1, "xenstore-rm", "-t", "/tidy/x/y/z"), 0, "", "");
    ck_assert(!fake_xsd_exists(s.f, "/tidy/x"));
    ck_assert(fake_xsd_exists(s.f, "/tidy/keep"));
    /* A parent with a value stays. */
    expect(RUN(-1, "xenstore-rm", "-t", "/local/domain/0/memory/target"), 0, "", "");
    ck_assert(!fake_xsd_exists(s.f, "/local/domain/0/memory"));
    ck_assert(fake_xsd_exists(s.f, "/local/domain/0"));
}
END_TEST

START_TEST(chmod)
{
    char buf[64];

    expect(RUN(-1, "xenstore-chmod", "/tool/bin", "b5", "r0x", "w2", "n7"), 0, "", "");
    fake_xsd_get_perms(s.f, "/tool/bin", buf, sizeof(buf));
    ck_assert_str_eq(buf, "b5 r0 w2 n7");

    expect(RUN(-1, "xenstore-chmod", "-u", "/local/domain/1/device/vif/0/mac", "r3"),
           0, "", "");
    fake_xsd_get_perms(s.f, "/local", buf, sizeof(buf));
    ck_assert_str_eq(buf, "r3");
    fake_xsd_get_perms(s.f, "/local/domain/1/device/vif/0/state", buf, sizeof(buf));
    ck_assert_str_eq(buf, "n1 r0 w2");
    fake_xsd_get_perms(s.f, "/", buf, sizeof(buf));
    ck_assert_str_eq(buf, "n0");

    expect(RUN(-1, "xenstore-chmod", "-r", "/local", "b1", "n2"), 0, "", "");
    fake_xsd_get_perms(s.f, "/local/domain/1/device/vif/0/state", buf, sizeof(buf));
    ck_assert_str_eq(buf, "b1 n2");
    /* Our one difference from Debian: children of "/" are "/x", not "//x". */
    expect(RUN(-1, "xenstore-chmod", "-r", "/", "n0"), 0, "", "");
    fake_xsd_get_perms(s.f, "/tool/bin", buf, sizeof(buf));
    ck_assert_str_eq(buf, "n0");
}
END_TEST

START_TEST(chmod_failures)
{
    expect(RUN(-1, "xenstore-chmod", "/tool/bin"), 1, "",
           "xenstore-chmod: Error occurred setting permissions on '/tool/bin': "
           "Invalid argument\n");
    expect(RUN(-1, "xenstore-chmod", "/tool/bin", "x0"), 1, "",
           "xenstore-chmod: Invalid permission specification: 'x'\n");
    expect(RUN(-1, "xenstore-chmod", "-u", "local", "n0"), 1, "",
           "xenstore-chmod: Error occurred setting permissions on 'local': "
           "Invalid argument\n");
    expect(RUN(-1, "xenstore-chmod", "/nope", "n0"), 1, "",
           "xenstore-chmod: Error occurred setting permissions on '/nope': "
           "No such file or directory\n");
    expect(RUN(-1, "xenstore-chmod"), 1, "",
           "xenstore-chmod: Usage: xenstore-chmod [-h] [-u] [-r] [-s] key "
           "<mode [modes...]>\n");
}
END_TEST

START_TEST(watch)
{
    expect(RUN(-1, "xenstore-watch", "-n", "2", "/tool", "/local"), 0,
           "/tool\n/local\n", "");
    expect(RUN(-1, "xenstore-watch", "-n", "0", "/tool"), 0, "", "");
    /* Our -t: the deadline ends the wait; status 1 if -n was not met. */
    expect(RUN(-1, "xenstore-watch", "-n", "3", "-t", "3", "/tool"), 1,
           "/tool\n", "");
    expect(RUN(-1, "xenstore-watch", "-n", "1", "-t", "10", "/tool"), 0, "/tool\n", "");
    expect(RUN(-1, "xenstore-watch", "-n"), 1, "",
           "xenstore-watch: option requires an argument -- 'n'\n"
           "xenstore-watch: Usage: xenstore-watch [-h] [-n NR] key\n");
    expect(RUN(-1, "xenstore-watch", "-p", "/tool"), 1, "",
           "xenstore-watch: Usage: xenstore-watch [-h] [-n NR] key\n");
    fake_xsd_deny(s.f, XS_WATCH, "/denied", "EACCES");
    expect(RUN(-1, "xenstore-watch", "/tool", "/denied"), 1, "",
           "xenstore-watch: Unable to add watch on /denied\n\n");
}
END_TEST

START_TEST(commit_conflicts_rerun)
{
    fake_xsd_fail_commits(s.f, 2);
    /* Printed once, though the transaction ran three times. */
    expect(RUN(-1, "xenstore-read", "/local/domain/0/name", "/tool/empty"), 0,
           "Domain-0\n\n", "");
    fake_xsd_fail_commits(s.f, 5000);
    expect(RUN(-1, "xenstore-list", "/tool"), 1, "",
           "xenstore-list: couldn't end transaction\n");
}
END_TEST

START_TEST(no_daemon)
{
    setenv("XENSTORED_PATH", "/nonexistent/socket", 1);
    expect(RUN(-1, "xenstore-read", "/x"), 1, "",
           "xenstore-read: xs_open: No such file or directory\n");
    expect(RUN(-1, "xenstore-read", "-s", "/x"), 1, "",
           "xenstore-read: xs_open: No such file or directory\n");
}
END_TEST

Suite *tools_suite(void)
{
    Suite *su = suite_create("tools");
    TCase *tc = tcase_create("commands");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, read_values);
    tcase_add_test(tc, read_raw);
    tcase_add_test(tc, read_failures);
    tcase_add_test(tc, multi_call);
    tcase_add_test(tc, write_values);
    tcase_add_test(tc, write_failures);
    tcase_add_test(tc, exists);
    tcase_add_test(tc, list);
    tcase_add_test(tc, list_through_directory_part);
    tcase_add_test(tc, rm);
    tcase_add_test(tc, rm_tidy);
    tcase_add_test(tc, chmod);
    tcase_add_test(tc, chmod_failures);
    tcase_add_test(tc, watch);
    tcase_add_test(tc, commit_conflicts_rerun);
    tcase_add_test(tc, no_daemon);
    suite_add_tcase(su, tc);
    return su;
}
