/* Domain requests: INTRODUCE, RELEASE, GET_DOMAIN_PATH, IS_DOMAIN_INTRODUCED,
 * RESUME, SET_TARGET, and the hooks that attach real I/O. */
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "harness.h"
#include "suites.h"

static char *reply_str(struct xs_msg *m)
{
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_ne(m->hdr.type, XS_ERROR);
    char *s = malloc(m->hdr.len + 1);
    memcpy(s, m->body, m->hdr.len);
    s[m->hdr.len] = '\0';
    free(m);
    return s;
}

START_TEST(introduce_and_release)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    char *s = reply_str(th_req(c0, XS_IS_DOMAIN_INTRODUCED, 0, "3", NULL));
    ck_assert_str_eq(s, "F");
    free(s);
    ck_assert_int_eq(th_errno(th_req(c0, XS_INTRODUCE, 0, "3", "12345", "7", NULL)), 0);
    s = reply_str(th_req(c0, XS_IS_DOMAIN_INTRODUCED, 0, "3", NULL));
    ck_assert_str_eq(s, "T");
    free(s);
    struct xs_domain *d = domain_find(&st, 3);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->mfn, 12345);
    ck_assert_uint_eq(d->port, 7);
    struct xs_client *dc = d->client;
    ck_assert_ptr_nonnull(dc);
    ck_assert_uint_eq(dc->domid, 3);
    /* The domain's watches and transactions go with it. */
    ck_assert_int_eq(th_watch(dc, "/x", "t"), 0);
    int err;
    th_txn_start(dc, &err);
    ck_assert_int_eq(th_errno(th_req(c0, XS_RELEASE, 0, "3", NULL)), 0);
    ck_assert(dc->dead);
    ck_assert_uint_eq(dc->nwatches, 0);
    ck_assert_uint_eq(dc->ntxns, 0);
    ck_assert_ptr_null(domain_find(&st, 3));
    s = reply_str(th_req(c0, XS_IS_DOMAIN_INTRODUCED, 0, "3", NULL));
    ck_assert_str_eq(s, "F");
    free(s);
    ck_assert_int_eq(th_errno(th_req(c0, XS_RELEASE, 0, "3", NULL)), ENOENT);
    xs_store_reap(&st);
    ck_assert_ptr_eq(st.clients, c0);
    ck_assert_ptr_null(c0->next);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(introduce_validates_arguments)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
#define INTRO(...) th_errno(th_req(c0, XS_INTRODUCE, 0, __VA_ARGS__, NULL))
    ck_assert_int_eq(INTRO("0", "1", "1"), EINVAL);          /* dom0 */
    ck_assert_int_eq(INTRO("32752", "1", "1"), EINVAL);      /* DOMID_SELF */
    ck_assert_int_eq(INTRO("70000", "1", "1"), EINVAL);
    ck_assert_int_eq(INTRO("x", "1", "1"), EINVAL);
    ck_assert_int_eq(INTRO("4", "1", "0"), EINVAL);          /* no port */
    ck_assert_int_eq(INTRO("4", "1", "-3"), EINVAL);
    ck_assert_int_eq(INTRO("4", "1"), EINVAL);
    ck_assert_int_eq(INTRO("4", "zz", "1"), EINVAL);
    ck_assert_int_eq(INTRO("4", "-5", "1"), 0);              /* mfn is signed */
    ck_assert_uint_eq(domain_find(&st, 4)->mfn, (uint64_t)-5);
    /* Again: only the event channel may change. */
    ck_assert_int_eq(INTRO("4", "-5", "9"), 0);
    ck_assert_uint_eq(domain_find(&st, 4)->port, 9);
    ck_assert_uint_eq(st.ndomains, 1);
#undef INTRO
    xs_store_destroy(&st);
}
END_TEST

static int failing_attach(void *ctx, struct xs_client *c, uint64_t mfn, unsigned port)
{
    (void)c;
    (void)mfn;
    (void)port;
    ++*(int *)ctx;
    return EIO;
}

START_TEST(failed_mapping_leaves_nothing)
{
    struct xs_store st;
    th_store(&st);
    int calls = 0;
    st.hooks.domain_attach = failing_attach;
    st.hooks.ctx = &calls;
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    struct xs_client *w = xs_client_new(&st, 0, false);
    ck_assert_int_eq(th_watch(w, "@introduceDomain", "t"), 0);
    th_drain(w);
    ck_assert_int_eq(th_errno(th_req(c0, XS_INTRODUCE, 0, "6", "1", "2", NULL)), EIO);
    ck_assert_int_eq(calls, 1);
    ck_assert_ptr_null(domain_find(&st, 6));
    ck_assert_uint_eq(th_nevents(w), 0);
    /* Only the two socket clients remain. */
    ck_assert_ptr_eq(st.clients->next->next, NULL);
    xs_store_destroy(&st);
}
END_TEST

static int attach_calls;
static struct xs_client *attached;

static int counting_attach(void *ctx, struct xs_client *c, uint64_t mfn, unsigned port)
{
    (void)ctx;
    (void)mfn;
    (void)port;
    attach_calls++;
    attached = c;
    return 0;
}

START_TEST(reintroduce_reconnects_a_lost_domain)
{
    struct xs_store st;
    th_store(&st);
    attach_calls = 0;
    st.hooks.domain_attach = counting_attach;
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    ck_assert_int_eq(th_errno(th_req(c0, XS_INTRODUCE, 0, "5", "1", "2", NULL)), 0);
    ck_assert_int_eq(attach_calls, 1);
    ck_assert_ptr_eq(domain_find(&st, 5)->client, attached);
    /* Connected: a second INTRODUCE does not attach again. */
    ck_assert_int_eq(th_errno(th_req(c0, XS_INTRODUCE, 0, "5", "1", "3", NULL)), 0);
    ck_assert_int_eq(attach_calls, 1);
    ck_assert_uint_eq(domain_find(&st, 5)->port, 3);
    /* Its ring breaks: the I/O layer frees the client, the record stays. */
    xs_client_free(attached);
    ck_assert_ptr_null(domain_find(&st, 5)->client);
    struct xs_msg *m = th_req(c0, XS_IS_DOMAIN_INTRODUCED, 0, "5", NULL);
    ck_assert_int_eq(m->body[0], 'T');
    free(m);
    /* INTRODUCE brings it back. */
    ck_assert_int_eq(th_errno(th_req(c0, XS_INTRODUCE, 0, "5", "1", "4", NULL)), 0);
    ck_assert_int_eq(attach_calls, 2);
    ck_assert_ptr_eq(domain_find(&st, 5)->client, attached);
    ck_assert_uint_eq(st.ndomains, 1);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(domain_path_resume_target)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c0 = xs_client_new(&st, 0, false);
    char *s = reply_str(th_req(c0, XS_GET_DOMAIN_PATH, 0, "17", NULL));
    ck_assert_str_eq(s, "/local/domain/17");
    free(s);
    ck_assert_int_eq(th_errno(th_req(c0, XS_GET_DOMAIN_PATH, 0, "abc", NULL)), EINVAL);
    s = reply_str(th_req(c0, XS_IS_DOMAIN_INTRODUCED, 0, "0", NULL));
    ck_assert_str_eq(s, "T");
    free(s);
    ck_assert_int_eq(th_errno(th_req(c0, XS_RESUME, 0, "5", NULL)), ENOENT);
    ck_assert_int_eq(th_errno(th_req(c0, XS_RESUME, 0, "0", NULL)), EINVAL);
    ck_assert_int_eq(th_errno(th_req(c0, XS_INTRODUCE, 0, "5", "1", "1", NULL)), 0);
    ck_assert_int_eq(th_errno(th_req(c0, XS_RESUME, 0, "5", NULL)), 0);
    ck_assert_int_eq(th_errno(th_req(c0, XS_SET_TARGET, 0, "5", "6", NULL)), ENOENT);
    ck_assert_int_eq(th_errno(th_req(c0, XS_SET_TARGET, 0, "5", NULL)), EINVAL);
    ck_assert_int_eq(th_errno(th_req(c0, XS_INTRODUCE, 0, "6", "1", "1", NULL)), 0);
    ck_assert_int_eq(th_errno(th_req(c0, XS_SET_TARGET, 0, "5", "6", NULL)), 0);
    ck_assert(domain_find(&st, 5)->client->has_target);
    ck_assert_uint_eq(domain_find(&st, 5)->client->target, 6);
    /* Releasing the target drops the relation. */
    ck_assert_int_eq(th_errno(th_req(c0, XS_RELEASE, 0, "6", NULL)), 0);
    ck_assert(!domain_find(&st, 5)->client->has_target);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(domain_requests_need_privilege)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *d = xs_client_new(&st, 5, true);
    ck_assert_int_eq(th_errno(th_req(d, XS_INTRODUCE, 0, "6", "1", "1", NULL)), EACCES);
    ck_assert_int_eq(th_errno(th_req(d, XS_RELEASE, 0, "6", NULL)), EACCES);
    ck_assert_int_eq(th_errno(th_req(d, XS_IS_DOMAIN_INTRODUCED, 0, "6", NULL)), EACCES);
    ck_assert_int_eq(th_errno(th_req(d, XS_RESUME, 0, "6", NULL)), EACCES);
    ck_assert_int_eq(th_errno(th_req(d, XS_SET_TARGET, 0, "5", "6", NULL)), EACCES);
    ck_assert_int_eq(th_errno(th_req(d, XS_CONTROL, 0, "check", NULL)), EACCES);
    /* Anyone may ask for a domain path. */
    ck_assert_int_eq(th_errno(th_req(d, XS_GET_DOMAIN_PATH, 0, "5", NULL)), 0);
    /* A configured privileged domain is like dom0. */
    st.priv_domid = 5;
    ck_assert_int_eq(th_errno(th_req(d, XS_INTRODUCE, 0, "6", "1", "1", NULL)), 0);
    xs_store_destroy(&st);
}
END_TEST

Suite *xs_domain_suite(void)
{
    Suite *s = suite_create("xenstore-domain");
    TCase *tc = tcase_create("domain");
    tcase_add_test(tc, introduce_and_release);
    tcase_add_test(tc, introduce_validates_arguments);
    tcase_add_test(tc, failed_mapping_leaves_nothing);
    tcase_add_test(tc, reintroduce_reconnects_a_lost_domain);
    tcase_add_test(tc, domain_path_resume_target);
    tcase_add_test(tc, domain_requests_need_privilege);
    suite_add_tcase(s, tc);
    return s;
}
