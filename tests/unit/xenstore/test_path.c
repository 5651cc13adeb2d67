/* Path validation and canonicalisation. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "path.h"
#include "suites.h"
#include "wire.h"

static char *repeat(char c, size_t n, const char *prefix)
{
    size_t pl = strlen(prefix);
    char *s = malloc(pl + n + 1);
    memcpy(s, prefix, pl);
    memset(s + pl, c, n);
    s[pl + n] = '\0';
    return s;
}

START_TEST(valid_absolute_paths)
{
    ck_assert(path_is_valid_abs("/"));
    ck_assert(path_is_valid_abs("/local/domain/0"));
    ck_assert(path_is_valid_abs("/a-b_c@d/E9"));
    ck_assert(!path_is_valid_abs(""));
    ck_assert(!path_is_valid_abs("a"));
    ck_assert(!path_is_valid_abs("/a/"));
    ck_assert(!path_is_valid_abs("//"));
    ck_assert(!path_is_valid_abs("/a//b"));
    ck_assert(!path_is_valid_abs("/a b"));
    ck_assert(!path_is_valid_abs("/a.b"));
    ck_assert(!path_is_valid_abs("/a\xc3\xa9"));
    ck_assert(!path_is_valid_abs("/a\n"));
}
END_TEST

START_TEST(absolute_length_limit)
{
    char *ok = repeat('a', XENSTORE_ABS_PATH_MAX - 1, "/");
    char *too = repeat('a', XENSTORE_ABS_PATH_MAX, "/");
    ck_assert_uint_eq(strlen(ok), XENSTORE_ABS_PATH_MAX);
    ck_assert(path_is_valid_abs(ok));
    ck_assert(!path_is_valid_abs(too));
    char *out;
    ck_assert_int_eq(path_canonicalize(too, 0, PATH_NODE, &out, NULL), EINVAL);
    ck_assert_int_eq(path_canonicalize(ok, 0, PATH_NODE, &out, NULL), 0);
    free(out);
    free(ok);
    free(too);
}
END_TEST

START_TEST(relative_paths_resolve_under_home)
{
    char *out;
    size_t rel;
    ck_assert_int_eq(path_canonicalize("device/vif/0", 7, PATH_NODE, &out, &rel), 0);
    ck_assert_str_eq(out, "/local/domain/7/device/vif/0");
    ck_assert_uint_eq(rel, strlen("/local/domain/7/"));
    free(out);
    ck_assert_int_eq(path_canonicalize("x", 0, PATH_NODE, &out, &rel), 0);
    ck_assert_str_eq(out, "/local/domain/0/x");
    free(out);
    ck_assert_int_eq(path_canonicalize("", 7, PATH_NODE, &out, &rel), EINVAL);
    ck_assert_int_eq(path_canonicalize("a/", 7, PATH_NODE, &out, &rel), EINVAL);
    ck_assert_int_eq(path_canonicalize("a//b", 7, PATH_NODE, &out, &rel), EINVAL);

    char *ok = repeat('r', XENSTORE_REL_PATH_MAX, "");
    char *too = repeat('r', XENSTORE_REL_PATH_MAX + 1, "");
    ck_assert_int_eq(path_canonicalize(ok, 7, PATH_NODE, &out, NULL), 0);
    free(out);
    ck_assert_int_eq(path_canonicalize(too, 7, PATH_NODE, &out, NULL), EINVAL);
    free(ok);
    free(too);
}
END_TEST

START_TEST(special_names)
{
    char *out;
    ck_assert_int_eq(path_canonicalize("@introduceDomain", 0, PATH_PERMS, &out, NULL), 0);
    ck_assert_str_eq(out, "@introduceDomain");
    free(out);
    ck_assert_int_eq(path_canonicalize("@releaseDomain", 0, PATH_PERMS, &out, NULL), 0);
    free(out);
    /* Other @names only as watch paths. */
    ck_assert_int_eq(path_canonicalize("@other", 0, PATH_PERMS, &out, NULL), EINVAL);
    ck_assert_int_eq(path_canonicalize("@releaseDomain", 0, PATH_NODE, &out, NULL), EINVAL);
    ck_assert_int_eq(path_canonicalize("@other", 0, PATH_WATCH, &out, NULL), 0);
    free(out);
    ck_assert_int_eq(path_canonicalize("@bad name", 0, PATH_WATCH, &out, NULL), EINVAL);
    ck_assert(path_is_special_node("@releaseDomain"));
    ck_assert(!path_is_special_node("@releaseDomainX"));
}
END_TEST

START_TEST(child_parent_basename)
{
    ck_assert(path_is_child("/a/b", "/a"));
    ck_assert(path_is_child("/a", "/a"));
    ck_assert(!path_is_child("/ab", "/a"));
    ck_assert(!path_is_child("/a", "/a/b"));
    ck_assert(path_is_child("/anything", "/"));
    char *p = path_parent("/a/b/c");
    ck_assert_str_eq(p, "/a/b");
    free(p);
    p = path_parent("/a");
    ck_assert_str_eq(p, "/");
    free(p);
    ck_assert_str_eq(path_basename("/a/b/c"), "c");
    p = path_join("/", "x");
    ck_assert_str_eq(p, "/x");
    free(p);
    p = path_join("/a", "x");
    ck_assert_str_eq(p, "/a/x");
    free(p);
}
END_TEST

START_TEST(invalid_paths_answer_einval)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    ck_assert_int_eq(th_write(c, 0, "/a b", "x"), EINVAL);
    ck_assert_int_eq(th_write(c, 0, "/a/", "x"), EINVAL);
    ck_assert_int_eq(th_mkdir(c, 0, "/a//b"), EINVAL);
    ck_assert_int_eq(th_rm(c, 0, "/x/../y"), EINVAL);
    ck_assert_int_eq(th_write(c, 0, "@releaseDomain", "x"), EINVAL);
    int err;
    ck_assert_ptr_null(th_read(c, 0, "", &err));
    ck_assert_int_eq(err, EINVAL);
    /* Relative paths of a socket client live under /local/domain/0. */
    ck_assert_int_eq(th_write(c, 0, "rel/x", "1"), 0);
    char *v = th_read(c, 0, "/local/domain/0/rel/x", &err);
    ck_assert_str_eq(v, "1");
    free(v);
    xs_store_destroy(&st);
}
END_TEST

Suite *xs_path_suite(void)
{
    Suite *s = suite_create("xenstore-path");
    TCase *tc = tcase_create("path");
    tcase_add_test(tc, valid_absolute_paths);
    tcase_add_test(tc, absolute_length_limit);
    tcase_add_test(tc, relative_paths_resolve_under_home);
    tcase_add_test(tc, special_names);
    tcase_add_test(tc, child_parent_basename);
    tcase_add_test(tc, invalid_paths_answer_einval);
    suite_add_tcase(s, tc);
    return s;
}
