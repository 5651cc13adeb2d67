/* Transactions: private views, commits, conflicts (EAGAIN), aborts. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"

START_TEST(private_view_until_commit)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *a = xs_client_new(&st, 0, false);
    struct xs_client *b = xs_client_new(&st, 0, false);
    int err;
    ck_assert_int_eq(th_write(a, 0, "/t/x", "old"), 0);
    uint32_t tx = th_txn_start(a, &err);
    ck_assert_int_eq(err, 0);
    ck_assert_uint_ne(tx, 0);
    ck_assert_int_eq(th_write(a, tx, "/t/x", "new"), 0);
    ck_assert_int_eq(th_write(a, tx, "/t/y/z", "created"), 0);
    /* Inside: the new state. */
    char *v = th_read(a, tx, "/t/x", &err);
    ck_assert_str_eq(v, "new");
    free(v);
    v = th_dir(a, tx, "/t", &err);
    ck_assert_str_eq(v, "x,y");
    free(v);
    /* Outside, even on the same connection: the old one. */
    v = th_read(b, 0, "/t/x", &err);
    ck_assert_str_eq(v, "old");
    free(v);
    v = th_read(a, 0, "/t/x", &err);
    ck_assert_str_eq(v, "old");
    free(v);
    ck_assert_ptr_null(th_read(b, 0, "/t/y/z", &err));
    ck_assert_int_eq(err, ENOENT);

    ck_assert_int_eq(th_txn_end(a, tx, true), 0);
    v = th_read(b, 0, "/t/x", &err);
    ck_assert_str_eq(v, "new");
    free(v);
    v = th_read(b, 0, "/t/y/z", &err);
    ck_assert_str_eq(v, "created");
    free(v);
    char msg[128];
    ck_assert_uint_eq(tree_check(&st.tree, msg, sizeof(msg)), 0);
    /* The id is gone after the end. */
    ck_assert_int_eq(th_write(a, tx, "/t/x", "late"), ENOENT);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(conflicting_write_gives_eagain)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *a = xs_client_new(&st, 0, false);
    struct xs_client *b = xs_client_new(&st, 0, false);
    int err;
    ck_assert_int_eq(th_write(a, 0, "/c/x", "0"), 0);
    uint32_t tx = th_txn_start(a, &err);
    char *v = th_read(a, tx, "/c/x", &err);   /* read set: /c/x */
    free(v);
    ck_assert_int_eq(th_write(a, tx, "/c/y", "1"), 0);
    ck_assert_int_eq(th_write(b, 0, "/c/x", "changed"), 0);
    ck_assert_int_eq(th_txn_end(a, tx, true), EAGAIN);
    /* Nothing of the transaction landed. */
    ck_assert_ptr_null(th_read(b, 0, "/c/y", &err));
    ck_assert_int_eq(err, ENOENT);
    v = th_read(b, 0, "/c/x", &err);
    ck_assert_str_eq(v, "changed");
    free(v);
    /* The retry succeeds. */
    tx = th_txn_start(a, &err);
    v = th_read(a, tx, "/c/x", &err);
    free(v);
    ck_assert_int_eq(th_write(a, tx, "/c/y", "1"), 0);
    ck_assert_int_eq(th_txn_end(a, tx, true), 0);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(conflict_on_created_and_deleted_nodes)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *a = xs_client_new(&st, 0, false);
    struct xs_client *b = xs_client_new(&st, 0, false);
    int err;
    ck_assert_int_eq(th_mkdir(a, 0, "/d"), 0);
    /* The transaction saw /d/n absent; someone creates it. */
    uint32_t tx = th_txn_start(a, &err);
    ck_assert_ptr_null(th_read(a, tx, "/d/n", &err));
    ck_assert_int_eq(th_write(b, 0, "/d/n", "x"), 0);
    ck_assert_int_eq(th_txn_end(a, tx, true), EAGAIN);
    /* The transaction deletes what someone else rewrites. */
    tx = th_txn_start(a, &err);
    ck_assert_int_eq(th_rm(a, tx, "/d/n"), 0);
    ck_assert_int_eq(th_write(b, 0, "/d/n", "y"), 0);
    ck_assert_int_eq(th_txn_end(a, tx, true), EAGAIN);
    /* Unrelated changes elsewhere do not conflict. */
    tx = th_txn_start(a, &err);
    ck_assert_int_eq(th_rm(a, tx, "/d/n"), 0);
    ck_assert_int_eq(th_write(b, 0, "/elsewhere", "z"), 0);
    ck_assert_int_eq(th_txn_end(a, tx, true), 0);
    ck_assert_ptr_null(th_read(b, 0, "/d/n", &err));
    ck_assert_int_eq(err, ENOENT);
    char msg[128];
    ck_assert_uint_eq(tree_check(&st.tree, msg, sizeof(msg)), 0);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(abort_discards)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *a = xs_client_new(&st, 0, false);
    int err;
    uint32_t tx = th_txn_start(a, &err);
    ck_assert_int_eq(th_write(a, tx, "/ab/x", "1"), 0);
    ck_assert_int_eq(th_rm(a, tx, "/tool"), 0);
    ck_assert_int_eq(th_txn_end(a, tx, false), 0);
    ck_assert_ptr_null(th_read(a, 0, "/ab/x", &err));
    ck_assert_int_eq(err, ENOENT);
    char *v = th_dir(a, 0, "/", &err);
    ck_assert_str_eq(v, "tool");
    free(v);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(transaction_request_errors)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *a = xs_client_new(&st, 0, false);
    struct xs_client *b = xs_client_new(&st, 0, false);
    int err;
    /* Unknown ids, including another connection's. */
    uint32_t tx = th_txn_start(a, &err);
    ck_assert_int_eq(th_write(b, tx, "/x", "1"), ENOENT);
    ck_assert_int_eq(th_txn_end(b, tx, true), ENOENT);
    ck_assert_int_eq(th_txn_end(a, 0, true), ENOENT);
    /* No nesting. */
    ck_assert_int_eq(th_errno(th_req(a, XS_TRANSACTION_START, tx, "", NULL)), EBUSY);
    /* END wants exactly "T" or "F". */
    ck_assert_int_eq(th_errno(th_req(a, XS_TRANSACTION_END, tx, "X", NULL)), EINVAL);
    ck_assert_int_eq(th_errno(th_req(a, XS_TRANSACTION_END, tx, "TT", NULL)), EINVAL);
    ck_assert_int_eq(th_errno(th_raw(a, XS_TRANSACTION_END, tx, "T", 1)), EINVAL);
    /* Distinct ids per connection. */
    uint32_t tx2 = th_txn_start(a, &err);
    ck_assert_uint_ne(tx, tx2);
    /* RESET_WATCHES ends them all. */
    ck_assert_int_eq(th_errno(th_req(a, XS_RESET_WATCHES, 0, "", NULL)), 0);
    ck_assert_uint_eq(a->ntxns, 0);
    ck_assert_int_eq(th_txn_end(a, tx2, true), ENOENT);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(events_fire_on_commit_only)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *a = xs_client_new(&st, 0, false);
    struct xs_client *w = xs_client_new(&st, 0, false);
    int err;
    ck_assert_int_eq(th_watch(w, "/ev", "tok"), 0);
    free(th_event(w));   /* the initial event */
    uint32_t tx = th_txn_start(a, &err);
    ck_assert_int_eq(th_write(a, tx, "/ev/a", "1"), 0);
    ck_assert_uint_eq(th_nevents(w), 0);
    ck_assert_int_eq(th_txn_end(a, tx, true), 0);
    char *e = th_event(w);
    ck_assert_str_eq(e, "/ev/a|tok");
    free(e);
    /* An aborted or failed transaction fires nothing. */
    tx = th_txn_start(a, &err);
    ck_assert_int_eq(th_write(a, tx, "/ev/b", "1"), 0);
    ck_assert_int_eq(th_txn_end(a, tx, false), 0);
    ck_assert_uint_eq(th_nevents(w), 0);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(transaction_directory_part_and_perms)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *a = xs_client_new(&st, 0, false);
    int err;
    uint32_t tx = th_txn_start(a, &err);
    ck_assert_int_eq(th_write(a, tx, "/tp/x", "1"), 0);
    ck_assert_int_eq(th_setperms(a, tx, "/tp/x", "r3", NULL), 0);
    char *p = th_getperms(a, tx, "/tp/x", &err);
    ck_assert_str_eq(p, "r3");
    free(p);
    struct xs_msg *m = th_req(a, XS_DIRECTORY_PART, tx, "/tp", "0", NULL);
    ck_assert_uint_eq(m->hdr.type, XS_DIRECTORY_PART);
    size_t genlen = strlen((char *)m->body) + 1;
    ck_assert_uint_eq(m->hdr.len, genlen + 3);   /* "x\0" + final nul */
    ck_assert_int_eq(memcmp(m->body + genlen, "x\0\0", 3), 0);
    free(m);
    ck_assert_int_eq(th_txn_end(a, tx, true), 0);
    p = th_getperms(a, 0, "/tp/x", &err);
    ck_assert_str_eq(p, "r3");
    free(p);
    xs_store_destroy(&st);
}
END_TEST

Suite *xs_txn_suite(void)
{
    Suite *s = suite_create("xenstore-transaction");
    TCase *tc = tcase_create("transaction");
    tcase_add_test(tc, private_view_until_commit);
    tcase_add_test(tc, conflicting_write_gives_eagain);
    tcase_add_test(tc, conflict_on_created_and_deleted_nodes);
    tcase_add_test(tc, abort_discards);
    tcase_add_test(tc, transaction_request_errors);
    tcase_add_test(tc, events_fire_on_commit_only);
    tcase_add_test(tc, transaction_directory_part_and_perms);
    suite_add_tcase(s, tc);
    return s;
}
