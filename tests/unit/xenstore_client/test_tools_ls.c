/*
 * xenstore-ls output, column for column.  Every expected text here is what
 * Debian's xenstore-ls (xenstore-utils 4.17) printed for the same tree on
 * the same fake daemon; xenstore/tools/compare-debian.sh re-checks these
 * and many more cases against the real binary whenever it is installed.
 */
#include <string.h>

#include "helpers.h"
#include "suites.h"

static struct served s;

static void setup(void)
{
    served_start(&s);
    seed_tree(s.f);
    /* One unreadable value and one node whose permissions are secret. */
    fake_xsd_deny(s.f, XS_READ, "/local/domain/0/name", "EACCES");
    fake_xsd_deny(s.f, XS_GET_PERMS, "/tool/empty", "EPERM");
}

static void teardown(void) { served_stop(&s); }

static void expect(struct run r, int rc, const char *out, const char *err)
{
    ck_assert_int_eq(r.rc, rc);
    ck_assert_str_eq(r.out, out);
    ck_assert_str_eq(r.err, err);
    run_free(&r);
}

START_TEST(tree)
{
    expect(RUN(-1, "xenstore-ls"), 0,
        "local = \"\"\n"
        " domain = \"\"\n"
        "  0 = \"\"\n"
        "   name:\n"
        "\n"
        "   memory = \"\"\n"
        "    target = \"524288\"\n"
        "  1 = \"\"\n"
        "   name = \"a very long value that goes on and on and on and on and on and on\\...\"\n"
        "   device = \"\"\n"
        "    vif = \"\"\n"
        "     0 = \"\"\n"
        "      state = \"4\"\n"
        "      mac = \"00:16:3e:00:00:01\"\n"
        "tool = \"\"\n"
        " bin = \"x\\001\\x7f\\xff\\t\\n\\r\\\\y\"\n"
        " empty = \"\"\n", "");
}
END_TEST

START_TEST(tree_with_perms)
{
    expect(RUN(-1, "xenstore-ls", "-p"), 0,
        "local = \"\" . . . . . . . . . . . . . . . . . . . . . . . . .  (n0)\n"
        " domain = \"\" . . . . . . . . . . . . . . . . . . . . . . . .  (n0)\n"
        "  0 = \"\" . . . . . . . . . . . . . . . . . . . . . . . . . .  (n0)\n"
        "   name:\n"
        "  (n0)\n"
        "   memory = \"\" . . . . . . . . . . . . . . . . . . . . . . .  (n0)\n"
        "    target = \"524288\"  . . . . . . . . . . . . . . . . . . .  (n0)\n"
        "  1 = \"\" . . . . . . . . . . . . . . . . . . . . . . . . . .  (b1,r0)\n"
        "   name = \"a very long value that goes on and on and on and on and on and on\\...\"  (n0)\n"
        "   device = \"\" . . . . . . . . . . . . . . . . . . . . . . .  (n1,r0,w2)\n"
        "    vif = \"\" . . . . . . . . . . . . . . . . . . . . . . . .  (n1,r0,w2)\n"
        "     0 = \"\"  . . . . . . . . . . . . . . . . . . . . . . . .  (n1,r0,w2)\n"
        "      state = \"4\"  . . . . . . . . . . . . . . . . . . . . .  (n1,r0,w2)\n"
        "      mac = \"00:16:3e:00:00:01\"  . . . . . . . . . . . . . .  (n1,r0,w2)\n"
        "tool = \"\"  . . . . . . . . . . . . . . . . . . . . . . . . .  (n0)\n"
        " bin = \"x\\001\\x7f\\xff\\t\\n\\r\\\\y\"  . . . . . . . . . . . . . .  (n0)\n"
        " empty = \"\"  . . . . . . . . . . . . . . . . . . . . . . . .\n",
        "xenstore-ls: \n"
        "could not access permissions for empty: Operation not permitted\n");
}
END_TEST

START_TEST(flat_with_perms)
{
    expect(RUN(-1, "xenstore-ls", "-f", "-p", "/local/domain/1"), 0,
        "/local/domain/1/name = \"a very long value that goes on and on and on and on and on and on and on and on and on\"   (n0)\n"
        "/local/domain/1/device = \"\"   (n1,r0,w2)\n"
        "/local/domain/1/device/vif = \"\"   (n1,r0,w2)\n"
        "/local/domain/1/device/vif/0 = \"\"   (n1,r0,w2)\n"
        "/local/domain/1/device/vif/0/state = \"4\"   (n1,r0,w2)\n"
        "/local/domain/1/device/vif/0/mac = \"00:16:3e:00:00:01\"   (n1,r0,w2)\n",
        "");
}
END_TEST

START_TEST(terminal_of_40_columns)
{
    expect(RUN(40, "xenstore-ls", "-p", "/local"), 0,
        "domain = \"\"  . . . . . . . . . . . . .  (n0)\n"
        " 0 = \"\"  . . . . . . . . . . . . . . .  (n0)\n"
        "  name:\n"
        "  (n0)\n"
        "  memory = \"\"  . . . . . . . . . . . .  (n0)\n"
        "   target = \"524288\" . . . . . . . . .  (n0)\n"
        " 1 = \"\"  . . . . . . . . . . . . . . .  (b1,r0)\n"
        "  name = \"a very long value that g\\...\"  (n0)\n"
        "  device = \"\"  . . . . . . . . . . . .  (n1,r0,w2)\n"
        "   vif = \"\"  . . . . . . . . . . . . .  (n1,r0,w2)\n"
        "    0 = \"\" . . . . . . . . . . . . . .  (n1,r0,w2)\n"
        "     state = \"4\" . . . . . . . . . . .  (n1,r0,w2)\n"
        "     mac = \"00:16:3e:00:00:01\" . . . .  (n1,r0,w2)\n", "");
}
END_TEST

START_TEST(missing_and_unlistable)
{
    expect(RUN(-1, "xenstore-ls", "/nope"), 1, "",
           "xenstore-ls: xs_directory (/nope): No such file or directory\n");
    /* Below the top, EACCES is fatal (only ENOENT is skipped)... */
    fake_xsd_deny(s.f, XS_DIRECTORY, "/local/domain/1", "EACCES");
    expect(RUN(-1, "xenstore-ls", "/local/domain"), 1,
        "0 = \"\"\n"
        " name:\n"
        "\n"
        " memory = \"\"\n"
        "  target = \"524288\"\n"
        "1 = \"\"\n",
        "xenstore-ls: xs_directory (/local/domain/1): Permission denied\n");
}
END_TEST

START_TEST(vanished_nodes_are_skipped)
{
    fake_xsd_deny(s.f, XS_DIRECTORY, "/local/domain/1", "ENOENT");
    expect(RUN(-1, "xenstore", "ls", "/local/domain"), 0,
        "0 = \"\"\n"
        " name:\n"
        "\n"
        " memory = \"\"\n"
        "  target = \"524288\"\n"
        "1 = \"\"\n", "");
}
END_TEST

Suite *tools_ls_suite(void)
{
    Suite *su = suite_create("tools_ls");
    TCase *tc = tcase_create("format");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, tree);
    tcase_add_test(tc, tree_with_perms);
    tcase_add_test(tc, flat_with_perms);
    tcase_add_test(tc, terminal_of_40_columns);
    tcase_add_test(tc, missing_and_unlistable);
    tcase_add_test(tc, vanished_nodes_are_skipped);
    suite_add_tcase(su, tc);
    return su;
}
