/* The node tree and the basic node requests. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"
#include "tree.h"

START_TEST(tree_records_and_owner_counts)
{
    struct xs_tree t;
    ck_assert_int_eq(tree_init(&t), 0);
    ck_assert_ptr_nonnull(tree_get(&t, "/"));
    ck_assert_uint_eq(tree_size(&t), 1);
    ck_assert_uint_eq(tree_owner_count(&t, 0), 1);

    struct xs_node *n = node_new("/a");
    struct xs_permissions p = { .id = 5, .perms = XS_PERM_READ };
    ck_assert_int_eq(node_set_perms(n, &p, 1), 0);
    ck_assert_int_eq(node_set_value(n, "v", 1), 0);
    ck_assert_int_eq(tree_put(&t, n), 0);
    struct xs_node *root = node_dup(tree_get(&t, "/"));
    ck_assert_int_eq(node_add_child(root, "a"), 0);
    ck_assert_int_eq(tree_put(&t, root), 0);
    ck_assert_uint_eq(tree_owner_count(&t, 5), 1);
    uint64_t g1 = tree_get(&t, "/a")->gen;

    /* Replacing bumps the generation and moves the owner count. */
    struct xs_node *n2 = node_dup(tree_get(&t, "/a"));
    n2->perms[0].id = 6;
    ck_assert_int_eq(tree_put(&t, n2), 0);
    ck_assert_uint_gt(tree_get(&t, "/a")->gen, g1);
    ck_assert_uint_eq(tree_owner_count(&t, 5), 0);
    ck_assert_uint_eq(tree_owner_count(&t, 6), 1);

    char msg[128];
    ck_assert_uint_eq(tree_check(&t, msg, sizeof(msg)), 0);
    tree_del(&t, "/a");
    ck_assert_uint_eq(tree_owner_count(&t, 6), 0);
    /* "/" still lists "a": the check notices. */
    ck_assert_uint_eq(tree_check(&t, msg, sizeof(msg)), 1);
    ck_assert_ptr_nonnull(strstr(msg, "missing child"));
    tree_destroy(&t);
}
END_TEST

START_TEST(node_children_list)
{
    struct xs_node *n = node_new("/x");
    ck_assert_int_eq(node_add_child(n, "a"), 0);
    ck_assert_int_eq(node_add_child(n, "bb"), 0);
    ck_assert_int_eq(node_add_child(n, "c"), 0);
    ck_assert_uint_eq(n->childlen, 7);
    ck_assert(node_remove_child(n, "bb"));
    ck_assert(!node_remove_child(n, "b"));
    ck_assert_uint_eq(n->childlen, 4);
    ck_assert_int_eq(memcmp(n->children, "a\0c\0", 4), 0);
    node_free(n);
}
END_TEST

START_TEST(write_read_creates_parents)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    int err;
    ck_assert_int_eq(th_write(c, 0, "/a/b/c", "hello"), 0);
    char *v = th_read(c, 0, "/a/b/c", &err);
    ck_assert_str_eq(v, "hello");
    free(v);
    v = th_read(c, 0, "/a/b", &err);
    ck_assert_int_eq(err, 0);
    ck_assert_str_eq(v, "");   /* parents are created empty */
    free(v);
    char *d = th_dir(c, 0, "/", &err);
    ck_assert_str_eq(d, "tool,a");
    free(d);
    /* Overwrite, then an empty value. */
    ck_assert_int_eq(th_write(c, 0, "/a/b/c", "x"), 0);
    ck_assert_int_eq(th_write(c, 0, "/a/b/c", ""), 0);
    v = th_read(c, 0, "/a/b/c", &err);
    ck_assert_str_eq(v, "");
    free(v);
    ck_assert_ptr_null(th_read(c, 0, "/nope", &err));
    ck_assert_int_eq(err, ENOENT);
    char msg[128];
    ck_assert_uint_eq(tree_check(&st.tree, msg, sizeof(msg)), 0);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(values_are_binary_safe)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    const uint8_t payload[] = "/bin\0a\0b\xff\x00";
    struct xs_msg *m = th_raw(c, XS_WRITE, 0, payload, sizeof(payload) - 1);
    ck_assert_int_eq(th_errno(m), 0);
    m = th_req(c, XS_READ, 0, "/bin", NULL);
    ck_assert_uint_eq(m->hdr.type, XS_READ);
    ck_assert_uint_eq(m->hdr.len, 5);
    ck_assert_int_eq(memcmp(m->body, "a\0b\xff\0", 5), 0);
    free(m);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(mkdir_keeps_existing_values)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    int err;
    ck_assert_int_eq(th_write(c, 0, "/m", "keep"), 0);
    ck_assert_int_eq(th_mkdir(c, 0, "/m"), 0);
    ck_assert_int_eq(th_mkdir(c, 0, "/m/n/o"), 0);
    char *v = th_read(c, 0, "/m", &err);
    ck_assert_str_eq(v, "keep");
    free(v);
    v = th_dir(c, 0, "/m/n", &err);
    ck_assert_str_eq(v, "o");
    free(v);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(rm_removes_subtree)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    int err;
    ck_assert_int_eq(th_write(c, 0, "/r/a/1", "x"), 0);
    ck_assert_int_eq(th_write(c, 0, "/r/a/2", "y"), 0);
    ck_assert_int_eq(th_write(c, 0, "/r/b", "z"), 0);
    size_t before = tree_size(&st.tree);
    ck_assert_int_eq(th_rm(c, 0, "/r/a"), 0);
    ck_assert_uint_eq(tree_size(&st.tree), before - 3);
    ck_assert_ptr_null(th_read(c, 0, "/r/a/1", &err));
    ck_assert_int_eq(err, ENOENT);
    char *d = th_dir(c, 0, "/r", &err);
    ck_assert_str_eq(d, "b");
    free(d);
    /* Missing node with an existing parent: fine.  Missing parent: not. */
    ck_assert_int_eq(th_rm(c, 0, "/r/zz"), 0);
    ck_assert_int_eq(th_rm(c, 0, "/r/zz/yy"), ENOENT);
    ck_assert_int_eq(th_rm(c, 0, "/"), EINVAL);
    char msg[128];
    ck_assert_uint_eq(tree_check(&st.tree, msg, sizeof(msg)), 0);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(initial_tree_is_xens)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    int err;
    char *d = th_dir(c, 0, "/", &err);
    ck_assert_str_eq(d, "tool");
    free(d);
    d = th_dir(c, 0, "/tool", &err);
    ck_assert_str_eq(d, "xenstored");
    free(d);
    d = th_getperms(c, 0, "/", &err);
    ck_assert_str_eq(d, "n0");
    free(d);
    xs_store_destroy(&st);
}
END_TEST

Suite *xs_tree_suite(void)
{
    Suite *s = suite_create("xenstore-tree");
    TCase *tc = tcase_create("tree");
    tcase_add_test(tc, tree_records_and_owner_counts);
    tcase_add_test(tc, node_children_list);
    tcase_add_test(tc, write_read_creates_parents);
    tcase_add_test(tc, values_are_binary_safe);
    tcase_add_test(tc, mkdir_keeps_existing_values);
    tcase_add_test(tc, rm_removes_subtree);
    tcase_add_test(tc, initial_tree_is_xens);
    suite_add_tcase(s, tc);
    return s;
}
