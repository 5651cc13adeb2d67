/* CONTROL commands. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "log.h"
#include "suites.h"

static char *control(struct xs_client *c, int *err, ...)
{
    struct xs_buf b;
    xs_buf_init(&b);
    va_list ap;
    va_start(ap, err);
    const char *s;
    while ((s = va_arg(ap, const char *)))
        xs_buf_append_str0(&b, s);
    va_end(ap);
    struct xs_msg *m = th_raw(c, XS_CONTROL, 0, b.data, b.len);
    xs_buf_free(&b);
    if (m->hdr.type == XS_ERROR) {
        *err = th_errno(m);
        return NULL;
    }
    *err = 0;
    ck_assert_uint_gt(m->hdr.len, 0);
    ck_assert_int_eq(m->body[m->hdr.len - 1], 0);   /* text ends in a nul */
    char *r = xs_strdup((char *)m->body);
    free(m);
    return r;
}

START_TEST(control_commands)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    int err;
    char *r = control(c0, &err, "check", NULL);
    ck_assert_str_eq(r, "OK");
    free(r);
    r = control(c0, &err, "help", NULL);
    ck_assert_ptr_nonnull(strstr(r, "quota"));
    ck_assert_ptr_nonnull(strstr(r, "check"));
    free(r);
    r = control(c0, &err, "log", "on", NULL);
    ck_assert_str_eq(r, "OK");
    free(r);
    ck_assert(st.verbose);
    xs_log_set_level(-1);
    r = control(c0, &err, "log", "off", NULL);
    free(r);
    ck_assert(!st.verbose);
    ck_assert_ptr_null(control(c0, &err, "log", "maybe", NULL));
    ck_assert_int_eq(err, EINVAL);
    ck_assert_ptr_null(control(c0, &err, "bogus", NULL));
    ck_assert_int_eq(err, EINVAL);
    ck_assert_ptr_null(control(c0, &err, NULL));
    ck_assert_int_eq(err, EINVAL);
    /* No state file configured (no hook): save says so. */
    ck_assert_ptr_null(control(c0, &err, "save", NULL));
    ck_assert_int_eq(err, ENOENT);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(check_reports_corruption)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    ck_assert_int_eq(th_write(c0, 0, "/a/b", "x"), 0);
    tree_del(&st.tree, "/a/b");   /* corrupt it behind the core's back */
    int err;
    char *r = control(c0, &err, "check", NULL);
    ck_assert_ptr_nonnull(strstr(r, "1 problem"));
    ck_assert_ptr_nonnull(strstr(r, "/a"));
    free(r);
    xs_store_destroy(&st);
}
END_TEST

Suite *xs_control_suite(void)
{
    Suite *s = suite_create("xenstore-control");
    TCase *tc = tcase_create("control");
    tcase_add_test(tc, control_commands);
    tcase_add_test(tc, check_reports_corruption);
    suite_add_tcase(s, tc);
    return s;
}
