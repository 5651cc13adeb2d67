/* The state file: exact round trips, and refusal of bad files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "harness.h"
#include "persist.h"
#include "suites.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static void populate(struct xs_store *st)
{
    struct xs_client *c0 = xs_client_new(st, 0, false);
    ck_assert_int_eq(th_write(c0, 0, "/z/last", "text"), 0);
    ck_assert_int_eq(th_write(c0, 0, "/z/first", "h\xc3\xa9llo \xe2\x82\xac"), 0);
    ck_assert_int_eq(th_write(c0, 0, "/z/ctl", "tab\there\nnewline \"quoted\" \\"), 0);
    ck_assert_int_eq(th_mkdir(c0, 0, "/z/empty"), 0);
    /* Binary: nul bytes, invalid UTF-8, an overlong encoding. */
    const uint8_t bin[] = "/z/bin\0\x00\xff\xfe" "a\xc0\x80z";
    ck_assert_int_eq(th_errno(th_raw(c0, XS_WRITE, 0, bin, sizeof(bin) - 1)), 0);
    ck_assert_int_eq(th_setperms(c0, 0, "/z/last", "n5", "r6", "b7", NULL), 0);
    ck_assert_int_eq(th_setperms(c0, 0, "/z", "r0", NULL), 0);
    ck_assert_int_eq(th_errno(th_req(c0, XS_INTRODUCE, 0, "3", "123456789012", "4", NULL)), 0);
    ck_assert_int_eq(th_errno(th_req(c0, XS_INTRODUCE, 0, "4", "5", "6", NULL)), 0);
    ck_assert_int_eq(th_errno(th_req(c0, XS_SET_TARGET, 0, "4", "3", NULL)), 0);
    ck_assert_int_eq(th_setperms(c0, 0, "@releaseDomain", "n0", "r3", NULL), 0);
    st->quota.nodes = 77;
    st->quota.watches = 3;
}

static void assert_same_tree(const struct xs_tree *a, const struct xs_tree *b)
{
    ck_assert_uint_eq(tree_size(a), tree_size(b));
    for (struct hmap_entry *e = hmap_first(&a->nodes); e; e = hmap_next(&a->nodes, e)) {
        const struct xs_node *x = e->value;
        const struct xs_node *y = tree_get(b, x->path);
        ck_assert_msg(y != NULL, "%s missing after restore", x->path);
        ck_assert_uint_eq(x->vlen, y->vlen);
        ck_assert(x->vlen == 0 || memcmp(x->value, y->value, x->vlen) == 0);
        ck_assert_uint_eq(x->nperms, y->nperms);
        ck_assert_int_eq(memcmp(x->perms, y->perms, x->nperms * sizeof(*x->perms)), 0);
        ck_assert_uint_eq(x->childlen, y->childlen);
        ck_assert(x->childlen == 0 || memcmp(x->children, y->children, x->childlen) == 0);
    }
}

START_TEST(round_trip_is_exact)
{
    char *dir = th_tmpdir();
    char path[256];
    snprintf(path, sizeof(path), "%s/state.json", dir);
    struct xs_store a, b;
    th_store(&a);
    populate(&a);
    char err[512];
    ck_assert_int_eq(persist_save(&a, path, err, sizeof(err)), 0);

    /* Text values stay readable in the file; binary ones are base64. */
    char *text = read_file(path);
    ck_assert_ptr_nonnull(strstr(text, "\"format\": \"" PERSIST_FORMAT "\""));
    ck_assert_ptr_nonnull(strstr(text, "\"value\": \"text\""));
    ck_assert_ptr_nonnull(strstr(text, "value_base64"));
    free(text);

    th_store(&b);
    struct xs_image img;
    ck_assert_msg(persist_load(path, &img, err, sizeof(err)) == 0, "%s", err);
    persist_apply(&b, &img);
    assert_same_tree(&a.tree, &b.tree);
    assert_same_tree(&b.tree, &a.tree);
    ck_assert_int_eq(memcmp(&a.quota, &b.quota, sizeof(a.quota)), 0);
    ck_assert_uint_eq(b.ndomains, 2);
    struct xs_domain *d3 = domain_find(&b, 3), *d4 = domain_find(&b, 4);
    ck_assert_uint_eq(d3->mfn, 123456789012ull);
    ck_assert_uint_eq(d3->port, 4);
    ck_assert(!d3->has_target);
    ck_assert(d4->has_target);
    ck_assert_uint_eq(d4->target, 3);
    ck_assert_uint_eq(b.special_nperms[1], 2);
    ck_assert_uint_eq(b.special_perms[1][1].id, 3);
    ck_assert_uint_eq(tree_owner_count(&b.tree, 5), 1);
    char msg[128];
    ck_assert_uint_eq(tree_check(&b.tree, msg, sizeof(msg)), 0);

    /* Saving the restored store gives the same file again. */
    char path2[256];
    snprintf(path2, sizeof(path2), "%s/again.json", dir);
    ck_assert_int_eq(persist_save(&b, path2, err, sizeof(err)), 0);
    char *t1 = read_file(path), *t2 = read_file(path2);
    ck_assert_str_eq(t1, t2);
    free(t1);
    free(t2);
    xs_store_destroy(&a);
    xs_store_destroy(&b);
    th_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(save_replaces_atomically)
{
    char *dir = th_tmpdir();
    char path[256];
    snprintf(path, sizeof(path), "%s/state.json", dir);
    write_file(path, "old content");
    struct xs_store a;
    th_store(&a);
    char err[512];
    ck_assert_int_eq(persist_save(&a, path, err, sizeof(err)), 0);
    char *t = read_file(path);
    ck_assert_ptr_nonnull(strstr(t, PERSIST_FORMAT));
    free(t);
    /* No temp file left behind. */
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) -eq 1", dir);
    ck_assert_int_eq(system(cmd), 0);
    /* An unwritable place fails with a message, not a crash. */
    ck_assert_int_ne(persist_save(&a, "/nonexistent-dir/x/state.json", err, sizeof(err)), 0);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/x/state.json"));
    xs_store_destroy(&a);
    th_rmtree(dir);
    free(dir);
}
END_TEST

/* Loads text from a file; expects failure with both snippets in the message. */
static void expect_refused(const char *dir, const char *text, const char *why)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/bad.json", dir);
    write_file(path, text);
    struct xs_image img;
    char err[512] = "";
    ck_assert_int_ne(persist_load(path, &img, err, sizeof(err)), 0);
    ck_assert_msg(strstr(err, path) != NULL, "message does not name the file: %s", err);
    ck_assert_msg(strstr(err, why) != NULL, "expected \"%s\" in: %s", why, err);
    /* Nothing half-loaded. */
    ck_assert_uint_eq(img.tree.nodes.count, 0);
    ck_assert_ptr_null(img.domains);
}

#define HEAD "{\"format\":\"" PERSIST_FORMAT "\",\"version\":1,"
#define ROOT "{\"path\":\"/\",\"perms\":[\"n0\"],\"value\":\"\"}"

START_TEST(corrupt_and_foreign_files_are_refused)
{
    char *dir = th_tmpdir();
    /* A real file, cut short. */
    struct xs_store a;
    th_store(&a);
    populate(&a);
    char path[256], err[512];
    snprintf(path, sizeof(path), "%s/full.json", dir);
    ck_assert_int_eq(persist_save(&a, path, err, sizeof(err)), 0);
    char *full = read_file(path);
    full[strlen(full) / 2] = '\0';
    expect_refused(dir, full, "not valid JSON");
    free(full);
    xs_store_destroy(&a);

    expect_refused(dir, "", "not valid JSON");
    expect_refused(dir, "[1,2,3]", "not a xenstored state file");
    expect_refused(dir, "{\"format\":\"something-else\",\"version\":1}", "not a xenstored state file");
    expect_refused(dir, "{\"name\":\"a package.json\",\"version\":\"1.0.0\"}", "not a xenstored state file");
    expect_refused(dir, "{\"format\":\"" PERSIST_FORMAT "\",\"version\":99,\"nodes\":[" ROOT "]}",
                   "version 99 is not supported");
    expect_refused(dir, HEAD "\"nodes\":[]}", "\"nodes\" must be a non-empty array");
    expect_refused(dir, HEAD "\"nodes\":[{\"path\":\"/a\",\"perms\":[\"n0\"],\"value\":\"\"}]}",
                   "the first node must be \"/\"");
    expect_refused(dir, HEAD "\"nodes\":[" ROOT ",{\"path\":\"/a/b\",\"perms\":[\"n0\"],\"value\":\"\"}]}",
                   "comes before its parent");
    expect_refused(dir, HEAD "\"nodes\":[" ROOT "," ROOT "]}", "appears twice");
    expect_refused(dir, HEAD "\"nodes\":[{\"path\":\"/\",\"perms\":[\"q0\"],\"value\":\"\"}]}",
                   "permission 0");
    expect_refused(dir, HEAD "\"nodes\":[{\"path\":\"/\",\"perms\":[],\"value\":\"\"}]}",
                   "non-empty array");
    expect_refused(dir, HEAD "\"nodes\":[{\"path\":\"/\",\"perms\":[\"n0\"],\"value_base64\":\"@@@\"}]}",
                   "not valid base64");
    expect_refused(dir, HEAD "\"nodes\":[{\"path\":\"/\",\"perms\":[\"n0\"]}]}",
                   "exactly one of");
    expect_refused(dir, HEAD "\"nodes\":[{\"path\":\"bad path\",\"perms\":[\"n0\"],\"value\":\"\"}]}",
                   "no valid \"path\"");
    expect_refused(dir, HEAD "\"quotas\":{\"nodes\":-1},\"nodes\":[" ROOT "]}", "quota \"nodes\"");
    expect_refused(dir, HEAD "\"quotas\":{\"made-up\":1},\"nodes\":[" ROOT "]}", "unknown quota");
    expect_refused(dir, HEAD "\"domains\":[{\"domid\":0,\"mfn\":\"1\",\"port\":1}],\"nodes\":[" ROOT "]}",
                   "domain 0 needs");
    expect_refused(dir, HEAD "\"domains\":[{\"domid\":3,\"mfn\":\"1\",\"port\":1},"
                   "{\"domid\":3,\"mfn\":\"1\",\"port\":1}],\"nodes\":[" ROOT "]}", "appears twice");

    /* A file that does not exist. */
    struct xs_image img;
    snprintf(path, sizeof(path), "%s/none.json", dir);
    ck_assert_int_eq(persist_load(path, &img, err, sizeof(err)), ENOENT);
    ck_assert_ptr_nonnull(strstr(err, path));
    /* A directory is not a state file. */
    ck_assert_int_ne(persist_load(dir, &img, err, sizeof(err)), 0);
    th_rmtree(dir);
    free(dir);
}
END_TEST

START_TEST(minimal_file_loads)
{
    struct xs_image img;
    char err[256];
    ck_assert_int_eq(persist_parse(HEAD "\"nodes\":[" ROOT ",{\"path\":\"/k\",\"perms\":[\"r0\"],"
                                   "\"value_base64\":\"AP8=\"}]}", "mem", &img, err, sizeof(err)), 0);
    const struct xs_node *k = tree_get(&img.tree, "/k");
    ck_assert_ptr_nonnull(k);
    ck_assert_uint_eq(k->vlen, 2);
    ck_assert_int_eq(memcmp(k->value, "\x00\xff", 2), 0);
    ck_assert_uint_eq(img.quota.nodes, 1000);   /* defaults when absent */
    persist_image_free(&img);
}
END_TEST

Suite *xs_persist_suite(void)
{
    Suite *s = suite_create("xenstore-persist");
    TCase *tc = tcase_create("persist");
    tcase_add_test(tc, round_trip_is_exact);
    tcase_add_test(tc, save_replaces_atomically);
    tcase_add_test(tc, corrupt_and_foreign_files_are_refused);
    tcase_add_test(tc, minimal_file_loads);
    suite_add_tcase(s, tc);
    return s;
}
