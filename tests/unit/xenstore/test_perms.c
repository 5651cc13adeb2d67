/* Permissions: owners, per-domain entries, inheritance, denial. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "harness.h"
#include "perms.h"
#include "suites.h"

START_TEST(perm_strings)
{
    struct xs_permissions p;
    ck_assert_int_eq(perm_from_string("r5", &p), 0);
    ck_assert_uint_eq(p.id, 5);
    ck_assert_uint_eq(p.perms, XS_PERM_READ);
    ck_assert_int_eq(perm_from_string("b65535", &p), 0);
    ck_assert_uint_eq(p.perms, XS_PERM_READ | XS_PERM_WRITE);
    ck_assert_int_eq(perm_from_string("w0", &p), 0);
    ck_assert_int_eq(perm_from_string("n12", &p), 0);
    ck_assert_int_eq(perm_from_string("x5", &p), EINVAL);
    ck_assert_int_eq(perm_from_string("r", &p), EINVAL);
    ck_assert_int_eq(perm_from_string("r-1", &p), EINVAL);
    ck_assert_int_eq(perm_from_string("r65536", &p), EINVAL);
    ck_assert_int_eq(perm_from_string("r5 ", &p), EINVAL);
    char s[16];
    p.id = 7;
    p.perms = XS_PERM_WRITE;
    perm_to_string(&p, s, sizeof(s));
    ck_assert_str_eq(s, "w7");
}
END_TEST

START_TEST(perms_for_callers)
{
    struct xs_permissions p[3] = {
        { .id = 5, .perms = XS_PERM_READ },     /* owner 5, others read */
        { .id = 6, .perms = XS_PERM_NONE },
        { .id = 7, .perms = XS_PERM_READ | XS_PERM_WRITE },
    };
    struct xs_caller dom0 = { .domid = 0, .privileged = true };
    struct xs_caller d5 = { .domid = 5 }, d6 = { .domid = 6 }, d7 = { .domid = 7 },
                     d8 = { .domid = 8 };
    const unsigned all = XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;
    ck_assert_uint_eq(perms_for_caller(p, 3, &dom0), all);
    ck_assert_uint_eq(perms_for_caller(p, 3, &d5), all);
    ck_assert_uint_eq(perms_for_caller(p, 3, &d6), XS_PERM_NONE);
    ck_assert_uint_eq(perms_for_caller(p, 3, &d7), XS_PERM_READ | XS_PERM_WRITE);
    ck_assert_uint_eq(perms_for_caller(p, 3, &d8), XS_PERM_READ);
    /* A domain targeting the owner acts as the owner. */
    struct xs_caller d9 = { .domid = 9, .has_target = true, .target = 5 };
    ck_assert_uint_eq(perms_for_caller(p, 3, &d9), all);
}
END_TEST

/* dom0 makes /local/domain/5 owned by 5, unreadable by others. */
static void make_home(struct xs_client *c0, unsigned domid)
{
    char path[64], owner[16];
    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    snprintf(owner, sizeof(owner), "n%u", domid);
    ck_assert_int_eq(th_mkdir(c0, 0, path), 0);
    ck_assert_int_eq(th_setperms(c0, 0, path, owner, NULL), 0);
}

START_TEST(children_inherit_and_domains_own_what_they_create)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    struct xs_client *c5 = xs_client_new(&st, 5, true);
    int err;
    /* dom0 nodes inherit dom0's perms. */
    ck_assert_int_eq(th_write(c0, 0, "/p/x", "v"), 0);
    ck_assert_int_eq(th_setperms(c0, 0, "/p", "n0", "r5", NULL), 0);
    ck_assert_int_eq(th_write(c0, 0, "/p/new/deep", "v"), 0);
    char *perms = th_getperms(c0, 0, "/p/new/deep", &err);
    ck_assert_str_eq(perms, "n0,r5");
    free(perms);
    /* /p/x was created before the SET_PERMS: it keeps its own. */
    perms = th_getperms(c0, 0, "/p/x", &err);
    ck_assert_str_eq(perms, "n0");
    free(perms);

    /* A domain writing in its home owns the new nodes. */
    make_home(c0, 5);
    ck_assert_int_eq(th_write(c5, 0, "data/x", "mine"), 0);
    perms = th_getperms(c5, 0, "data/x", &err);
    ck_assert_str_eq(perms, "n5");
    free(perms);
    perms = th_getperms(c5, 0, "/local/domain/5/data", &err);
    ck_assert_str_eq(perms, "n5");
    free(perms);

    /* Writing where dom0 granted write: inherited list, new owner. */
    ck_assert_int_eq(th_mkdir(c0, 0, "/shared"), 0);
    ck_assert_int_eq(th_setperms(c0, 0, "/shared", "n0", "w5", NULL), 0);
    ck_assert_int_eq(th_write(c5, 0, "/shared/y", "1"), 0);
    perms = th_getperms(c0, 0, "/shared/y", &err);
    ck_assert_str_eq(perms, "n5,w5");
    free(perms);
    ck_assert_uint_eq(tree_owner_count(&st.tree, 5), 4);   /* home, data, data/x, shared/y */
    xs_store_destroy(&st);
}
END_TEST

START_TEST(denial_and_what_errors_reveal)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    struct xs_client *c5 = xs_client_new(&st, 5, true);
    struct xs_client *c6 = xs_client_new(&st, 6, true);
    int err;
    make_home(c0, 5);
    ck_assert_int_eq(th_write(c5, 0, "secret", "s"), 0);

    ck_assert_ptr_null(th_read(c6, 0, "/local/domain/5/secret", &err));
    ck_assert_int_eq(err, EACCES);
    ck_assert_int_eq(th_write(c6, 0, "/local/domain/5/secret", "x"), EACCES);
    ck_assert_int_eq(th_rm(c6, 0, "/local/domain/5/secret"), EACCES);
    ck_assert_ptr_null(th_dir(c6, 0, "/local/domain/5", &err));
    ck_assert_int_eq(err, EACCES);
    /* A missing node under an unreadable parent: EACCES, not ENOENT. */
    ck_assert_ptr_null(th_read(c6, 0, "/local/domain/5/nothing", &err));
    ck_assert_int_eq(err, EACCES);
    /* Under a readable one: ENOENT. */
    ck_assert_ptr_null(th_read(c5, 0, "nothing", &err));
    ck_assert_int_eq(err, ENOENT);
    /* Creating under a node one cannot write. */
    ck_assert_int_eq(th_write(c6, 0, "/local/domain/5/new", "x"), EACCES);
    ck_assert_int_eq(th_mkdir(c6, 0, "/tool/x"), EACCES);
    /* dom0 bypasses everything. */
    char *v = th_read(c0, 0, "/local/domain/5/secret", &err);
    ck_assert_str_eq(v, "s");
    free(v);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(per_domain_entries)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    struct xs_client *c6 = xs_client_new(&st, 6, true);
    struct xs_client *c7 = xs_client_new(&st, 7, true);
    int err;
    ck_assert_int_eq(th_write(c0, 0, "/pub", "hello"), 0);
    /* Everyone reads, except 6; 7 may also write. */
    ck_assert_int_eq(th_setperms(c0, 0, "/pub", "r0", "n6", "b7", NULL), 0);
    ck_assert_ptr_null(th_read(c6, 0, "/pub", &err));
    ck_assert_int_eq(err, EACCES);
    char *v = th_read(c7, 0, "/pub", &err);
    ck_assert_str_eq(v, "hello");
    free(v);
    ck_assert_int_eq(th_write(c7, 0, "/pub", "by7"), 0);
    struct xs_client *c8 = xs_client_new(&st, 8, true);
    v = th_read(c8, 0, "/pub", &err);
    ck_assert_str_eq(v, "by7");
    free(v);
    ck_assert_int_eq(th_write(c8, 0, "/pub", "no"), EACCES);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(set_perms_rules)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    struct xs_client *c5 = xs_client_new(&st, 5, true);
    struct xs_client *c6 = xs_client_new(&st, 6, true);
    make_home(c0, 5);
    ck_assert_int_eq(th_write(c5, 0, "x", "1"), 0);
    /* The owner may share... */
    ck_assert_int_eq(th_setperms(c5, 0, "x", "n5", "r6", NULL), 0);
    int err;
    char *v = th_read(c6, 0, "/local/domain/5/x", &err);
    ck_assert_str_eq(v, "1");
    free(v);
    /* ...but not give the node away. */
    ck_assert_int_eq(th_setperms(c5, 0, "x", "n6", NULL), EPERM);
    /* Others may not change it, even with read access. */
    ck_assert_int_eq(th_setperms(c6, 0, "/local/domain/5/x", "b6", NULL), EACCES);
    /* Malformed lists. */
    ck_assert_int_eq(th_setperms(c0, 0, "/local/domain/5/x", NULL), EINVAL);
    ck_assert_int_eq(th_setperms(c0, 0, "/local/domain/5/x", "q1", NULL), EINVAL);
    ck_assert_int_eq(th_setperms(c0, 0, "/local/domain/5/x", "r", NULL), EINVAL);
    ck_assert_int_eq(th_setperms(c0, 0, "/nonexistent", "r0", NULL), ENOENT);
    /* Unterminated last permission. */
    struct xs_msg *m = th_raw(c0, XS_SET_PERMS, 0, "/local/domain/5/x\0r0", 20);
    ck_assert_int_eq(th_errno(m), EINVAL);
    /* dom0 can give nodes to anyone. */
    ck_assert_int_eq(th_setperms(c0, 0, "/local/domain/5/x", "n6", NULL), 0);
    ck_assert_uint_eq(tree_owner_count(&st.tree, 6), 1);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(target_domain_acts_for_its_target)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    ck_assert_int_eq(th_errno(th_req(c0, XS_INTRODUCE, 0, "5", "100", "1", NULL)), 0);
    ck_assert_int_eq(th_errno(th_req(c0, XS_INTRODUCE, 0, "9", "101", "2", NULL)), 0);
    struct xs_client *c5 = domain_find(&st, 5)->client;
    struct xs_client *c9 = domain_find(&st, 9)->client;
    make_home(c0, 5);
    ck_assert_int_eq(th_write(c5, 0, "dm", "x"), 0);
    int err;
    ck_assert_ptr_null(th_read(c9, 0, "/local/domain/5/dm", &err));
    ck_assert_int_eq(err, EACCES);
    ck_assert_int_eq(th_errno(th_req(c0, XS_SET_TARGET, 0, "9", "5", NULL)), 0);
    char *v = th_read(c9, 0, "/local/domain/5/dm", &err);
    ck_assert_str_eq(v, "x");
    free(v);
    ck_assert_int_eq(th_write(c9, 0, "/local/domain/5/dm", "y"), 0);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(special_names_have_permissions)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    struct xs_client *c5 = xs_client_new(&st, 5, true);
    int err;
    char *p = th_getperms(c0, 0, "@releaseDomain", &err);
    ck_assert_str_eq(p, "n0");
    free(p);
    ck_assert_ptr_null(th_getperms(c5, 0, "@releaseDomain", &err));
    ck_assert_int_eq(err, EACCES);
    ck_assert_int_eq(th_setperms(c5, 0, "@releaseDomain", "r5", NULL), EACCES);
    ck_assert_int_eq(th_setperms(c0, 0, "@releaseDomain", "n0", "r5", NULL), 0);
    p = th_getperms(c5, 0, "@releaseDomain", &err);
    ck_assert_str_eq(p, "n0,r5");
    free(p);
    xs_store_destroy(&st);
}
END_TEST

Suite *xs_perms_suite(void)
{
    Suite *s = suite_create("xenstore-perms");
    TCase *tc = tcase_create("perms");
    tcase_add_test(tc, perm_strings);
    tcase_add_test(tc, perms_for_callers);
    tcase_add_test(tc, children_inherit_and_domains_own_what_they_create);
    tcase_add_test(tc, denial_and_what_errors_reveal);
    tcase_add_test(tc, per_domain_entries);
    tcase_add_test(tc, set_perms_rules);
    tcase_add_test(tc, target_domain_acts_for_its_target);
    tcase_add_test(tc, special_names_have_permissions);
    suite_add_tcase(s, tc);
    return s;
}
