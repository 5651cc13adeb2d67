/* Quotas: they bind unprivileged domains; dom0 is exempt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connection.h"
#include "harness.h"
#include "suites.h"

static struct xs_client *domain_with_home(struct xs_store *st, struct xs_client *c0,
                                          unsigned domid)
{
    char path[64], owner[16];
    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    snprintf(owner, sizeof(owner), "n%u", domid);
    ck_assert_int_eq(th_mkdir(c0, 0, path), 0);
    ck_assert_int_eq(th_setperms(c0, 0, path, owner, NULL), 0);
    return xs_client_new(st, domid, true);
}

START_TEST(node_quota_enospc)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    struct xs_client *d = domain_with_home(&st, c0, 5);
    st.quota.nodes = 5;                  /* the home counts as one */
    ck_assert_int_eq(th_write(d, 0, "a", "1"), 0);
    ck_assert_int_eq(th_write(d, 0, "b", "1"), 0);
    ck_assert_int_eq(th_write(d, 0, "c/d", "1"), 0);   /* two new nodes: 5 */
    ck_assert_int_eq(th_write(d, 0, "e", "1"), ENOSPC);
    ck_assert_int_eq(th_write(d, 0, "f/g", "1"), ENOSPC);
    /* Nothing half-created. */
    int err;
    ck_assert_ptr_null(th_read(d, 0, "f", &err));
    ck_assert_int_eq(err, ENOENT);
    /* Overwriting needs no new node; removing frees some. */
    ck_assert_int_eq(th_write(d, 0, "a", "2"), 0);
    ck_assert_int_eq(th_rm(d, 0, "c"), 0);
    ck_assert_int_eq(th_write(d, 0, "e", "1"), 0);
    /* dom0 writing there is not limited. */
    for (int i = 0; i < 10; i++) {
        char p[64];
        snprintf(p, sizeof(p), "/local/domain/5/dom0-%d", i);
        ck_assert_int_eq(th_write(c0, 0, p, "x"), 0);
    }
    xs_store_destroy(&st);
}
END_TEST

START_TEST(node_size_quota)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    struct xs_client *d = domain_with_home(&st, c0, 5);
    st.quota.node_size = 16;
    ck_assert_int_eq(th_write(d, 0, "v", "0123456789abcdef"), 0);
    ck_assert_int_eq(th_write(d, 0, "v", "0123456789abcdefg"), ENOSPC);
    ck_assert_int_eq(th_write(c0, 0, "/local/domain/5/v", "0123456789abcdefghijk"), 0);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(watch_transaction_and_perm_quotas)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    struct xs_client *d = domain_with_home(&st, c0, 5);
    st.quota.watches = 2;
    st.quota.transactions = 2;
    st.quota.perms = 2;
    ck_assert_int_eq(th_watch(d, "a", "1"), 0);
    ck_assert_int_eq(th_watch(d, "b", "1"), 0);
    ck_assert_int_eq(th_watch(d, "c", "1"), E2BIG);
    int err;
    th_txn_start(d, &err);
    ck_assert_int_eq(err, 0);
    th_txn_start(d, &err);
    ck_assert_int_eq(err, 0);
    th_txn_start(d, &err);
    ck_assert_int_eq(err, ENOSPC);
    ck_assert_int_eq(th_write(d, 0, "x", "1"), 0);
    ck_assert_int_eq(th_setperms(d, 0, "x", "n5", "r6", NULL), 0);
    ck_assert_int_eq(th_setperms(d, 0, "x", "n5", "r6", "r7", NULL), ENOSPC);
    /* dom0: none of these limits. */
    for (int i = 0; i < 5; i++) {
        char t[16];
        snprintf(t, sizeof(t), "%d", i);
        ck_assert_int_eq(th_watch(c0, "/x", t), 0);
        th_txn_start(c0, &err);
        ck_assert_int_eq(err, 0);
    }
    xs_store_destroy(&st);
}
END_TEST

START_TEST(transaction_node_quota)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    struct xs_client *d = domain_with_home(&st, c0, 5);
    st.quota.txn_nodes = 4;
    int err;
    uint32_t tx = th_txn_start(d, &err);
    ck_assert_int_eq(th_write(d, tx, "a", "1"), 0);   /* a, home */
    ck_assert_int_eq(th_write(d, tx, "b", "1"), 0);   /* b */
    ck_assert_int_eq(th_write(d, tx, "c", "1"), 0);   /* c */
    ck_assert_int_eq(th_write(d, tx, "e", "1"), ENOSPC);
    ck_assert_int_eq(th_txn_end(d, tx, false), 0);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(output_bound_marks_client_dead)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    struct xs_client *lazy = xs_client_new(&st, 0, false);
    st.quota.out_bytes = 400;
    ck_assert_int_eq(th_watch(lazy, "/flood", "t"), 0);
    for (int i = 0; i < 50 && !lazy->dead; i++)
        ck_assert_int_eq(th_write(c0, 0, "/flood", "x"), 0);
    ck_assert(lazy->dead);
    ck_assert_ptr_nonnull(strstr(lazy->dead_reason, "output"));
    ck_assert_uint_le(lazy->out.bytes, 400);
    /* The writer is unaffected. */
    ck_assert(!c0->dead);
    ck_assert_int_eq(th_write(c0, 0, "/flood", "y"), 0);
    xs_store_reap(&st);
    ck_assert_ptr_eq(st.clients, c0);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(outstanding_requests_throttle_input)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    struct xs_client *d = domain_with_home(&st, c0, 5);
    st.quota.outstanding = 3;
    struct th_mem *m = th_mem_new();
    m->write_blocked = true;           /* the domain reads nothing */
    for (uint32_t i = 0; i < 10; i++)
        th_mem_feed_msg(m, XS_GET_DOMAIN_PATH, i, 0, "5", 2);
    struct xs_connection *conn = conn_new(d, &m->base, true);
    ck_assert(conn_handle_input(conn, 100));
    ck_assert_uint_eq(d->out.nreplies, 3);
    ck_assert(!conn_wants_input(conn));
    /* Once replies drain, input resumes. */
    m->write_blocked = false;
    ck_assert(conn_handle_output(conn));
    ck_assert(conn_wants_input(conn));
    ck_assert(conn_handle_input(conn, 100));
    ck_assert_uint_eq(d->out.nreplies, 3);
    conn_free(conn);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(control_quota_set_and_show)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    struct xs_msg *m = th_req(c0, XS_CONTROL, 0, "quota", NULL);
    ck_assert_uint_eq(m->hdr.type, XS_CONTROL);
    ck_assert_ptr_nonnull(strstr((char *)m->body, "nodes"));
    ck_assert_ptr_nonnull(strstr((char *)m->body, "1000"));
    free(m);
    ck_assert_int_eq(th_errno(th_req(c0, XS_CONTROL, 0, "quota", "set", "nodes", "7", NULL)), 0);
    ck_assert_uint_eq(st.quota.nodes, 7);
    ck_assert_int_eq(th_errno(th_req(c0, XS_CONTROL, 0, "quota", "set", "bogus", "7", NULL)),
                     EINVAL);
    ck_assert_int_eq(th_errno(th_req(c0, XS_CONTROL, 0, "quota", "set", "nodes", "-1", NULL)),
                     EINVAL);
    m = th_req(c0, XS_CONTROL, 0, "quota", "0", NULL);
    ck_assert_ptr_nonnull(strstr((char *)m->body, "nodes 3"));
    free(m);
    xs_store_destroy(&st);
}
END_TEST

Suite *xs_quota_suite(void)
{
    Suite *s = suite_create("xenstore-quota");
    TCase *tc = tcase_create("quota");
    tcase_add_test(tc, node_quota_enospc);
    tcase_add_test(tc, node_size_quota);
    tcase_add_test(tc, watch_transaction_and_perm_quotas);
    tcase_add_test(tc, transaction_node_quota);
    tcase_add_test(tc, output_bound_marks_client_dead);
    tcase_add_test(tc, outstanding_requests_throttle_input);
    tcase_add_test(tc, control_quota_set_and_show);
    suite_add_tcase(s, tc);
    return s;
}
