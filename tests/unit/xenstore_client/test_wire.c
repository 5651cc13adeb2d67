/*
 * Request encoding and reply parsing against the fake daemon: the bytes of
 * every request type, req_id and tx_id handling, the values that come
 * back, and XS_ERROR names mapped to errno through xsd_errors[].
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "suites.h"

static struct pair p;

static void setup(void) { pair_start(&p); }
static void teardown(void) { pair_stop(&p); }

/* The last request the fake saw must be TYPE/TX with exactly BODY. */
static void expect_last(uint32_t type, uint32_t tx, const void *body,
                        size_t len)
{
    struct fake_req *reqs;
    unsigned int n = fake_xsd_requests(p.f, &reqs);

    ck_assert_uint_gt(n, 0);
    ck_assert_uint_eq(reqs[n - 1].hdr.type, type);
    ck_assert_uint_eq(reqs[n - 1].hdr.tx_id, tx);
    ck_assert_uint_eq(reqs[n - 1].hdr.len, len);
    ck_assert(memcmp(reqs[n - 1].body, body, len) == 0);
    fake_reqs_free(reqs, n);
}

#define EXPECT(type, tx, lit) expect_last((type), (tx), (lit), sizeof(lit) - 1)

START_TEST(write_then_read)
{
    size_t len;
    char *v;

    ck_assert_int_eq(svxs_write(p.h, 0, "/a/b", "hello", 5), 0);
    /* The value is not nul-terminated on the wire. */
    EXPECT(XS_WRITE, 0, "/a/b\0hello");
    v = svxs_read(p.h, 0, "/a/b", &len);
    ck_assert_ptr_nonnull(v);
    EXPECT(XS_READ, 0, "/a/b\0");
    ck_assert_uint_eq(len, 5);
    ck_assert_str_eq(v, "hello");
    free(v);
}
END_TEST

START_TEST(binary_values_keep_their_nuls)
{
    size_t len;
    char *v;

    ck_assert_int_eq(svxs_write(p.h, 0, "/bin", "a\0b\0", 4), 0);
    v = svxs_read(p.h, 0, "/bin", &len);
    ck_assert_uint_eq(len, 4);
    ck_assert(memcmp(v, "a\0b\0", 5) == 0);    /* plus our own nul */
    free(v);
}
END_TEST

START_TEST(empty_value)
{
    size_t len = 99;
    char *v;

    ck_assert_int_eq(svxs_write(p.h, 0, "/e", "", 0), 0);
    EXPECT(XS_WRITE, 0, "/e\0");
    v = svxs_read(p.h, 0, "/e", &len);
    ck_assert_uint_eq(len, 0);
    ck_assert_str_eq(v, "");
    free(v);
}
END_TEST

START_TEST(mkdir_rm_and_errors)
{
    ck_assert_int_eq(svxs_mkdir(p.h, 0, "/d"), 0);
    EXPECT(XS_MKDIR, 0, "/d\0");
    ck_assert(fake_xsd_exists(p.f, "/d"));
    ck_assert_int_eq(svxs_rm(p.h, 0, "/d"), 0);
    EXPECT(XS_RM, 0, "/d\0");
    ck_assert(!fake_xsd_exists(p.f, "/d"));

    errno = 0;
    ck_assert_ptr_null(svxs_read(p.h, 0, "/d", NULL));
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_int_eq(svxs_rm(p.h, 0, "/"), -1);
    ck_assert_int_eq(errno, EINVAL);
    /* An error does not break the connection. */
    ck_assert_int_eq(svxs_mkdir(p.h, 0, "/again"), 0);
}
END_TEST

START_TEST(directory_lists_children)
{
    unsigned int n;
    char **kids;

    fake_xsd_write(p.f, "/x/one", "1");
    fake_xsd_write(p.f, "/x/two", "2");
    fake_xsd_write(p.f, "/x/three/deeper", "3");
    kids = svxs_directory(p.h, 0, "/x", &n);
    EXPECT(XS_DIRECTORY, 0, "/x\0");
    ck_assert_ptr_nonnull(kids);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(kids[0], "one");
    ck_assert_str_eq(kids[1], "two");
    ck_assert_str_eq(kids[2], "three");
    free(kids);

    kids = svxs_directory(p.h, 0, "/x/one", &n);
    ck_assert_ptr_nonnull(kids);
    ck_assert_uint_eq(n, 0);
    free(kids);
}
END_TEST

START_TEST(permissions_both_ways)
{
    struct xs_permissions set[3] = {
        { .id = 0, .perms = XS_PERM_NONE },
        { .id = 5, .perms = XS_PERM_READ | XS_PERM_WRITE },
        { .id = 65535, .perms = XS_PERM_WRITE },
    }, *got;
    unsigned int n;
    char buf[64];

    fake_xsd_write(p.f, "/p", "");
    ck_assert_int_eq(svxs_set_perms(p.h, 0, "/p", set, 3), 0);
    EXPECT(XS_SET_PERMS, 0, "/p\0n0\0b5\0w65535\0");
    fake_xsd_get_perms(p.f, "/p", buf, sizeof(buf));
    ck_assert_str_eq(buf, "n0 b5 w65535");

    got = svxs_get_perms(p.h, 0, "/p", &n);
    EXPECT(XS_GET_PERMS, 0, "/p\0");
    ck_assert_ptr_nonnull(got);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(got[1].id, 5);
    ck_assert_uint_eq(got[1].perms, XS_PERM_READ | XS_PERM_WRITE);
    ck_assert_uint_eq(got[2].id, 65535);
    ck_assert_uint_eq(got[2].perms, XS_PERM_WRITE);
    free(got);

    /* Internal bits never reach the wire. */
    set[0].perms = XS_PERM_OWNER;
    ck_assert_int_eq(svxs_set_perms(p.h, 0, "/p", set, 1), -1);
    ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(perm_strings)
{
    struct xs_permissions one = { .id = 42, .perms = XS_PERM_READ }, *v;
    unsigned int n;
    char buf[16];

    ck_assert_int_eq(svxs_perm_to_string(&one, buf, sizeof(buf)), 0);
    ck_assert_str_eq(buf, "r42");
    ck_assert_int_eq(svxs_perm_to_string(&one, buf, 3), -1);

    v = svxs_perms_parse("n0\0r1\0w2\0b3", 12, &n);
    ck_assert_ptr_nonnull(v);
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(v[3].perms, XS_PERM_READ | XS_PERM_WRITE);
    ck_assert_uint_eq(v[3].id, 3);
    free(v);
    /* Strict: unknown letter, no id, sign, garbage, overflow, no nul. */
    ck_assert_ptr_null(svxs_perms_parse("x0", 3, &n));
    ck_assert_ptr_null(svxs_perms_parse("r", 2, &n));
    ck_assert_ptr_null(svxs_perms_parse("r-1", 4, &n));
    ck_assert_ptr_null(svxs_perms_parse("r1x", 4, &n));
    ck_assert_ptr_null(svxs_perms_parse("r4294967296", 12, &n));
    ck_assert_ptr_null(svxs_perms_parse("r1", 2, &n));
    ck_assert_int_eq(errno, EPROTO);
    ck_assert_ptr_null(svxs_perms_parse("", 0, &n));
}
END_TEST

START_TEST(transactions)
{
    svxs_tx_t tx = 0;

    ck_assert_int_eq(svxs_transaction_start(p.h, &tx), 0);
    EXPECT(XS_TRANSACTION_START, 0, "\0");
    ck_assert_uint_eq(tx, 1);
    ck_assert_int_eq(svxs_write(p.h, tx, "/t", "v", 1), 0);
    EXPECT(XS_WRITE, 1, "/t\0v");
    ck_assert_int_eq(svxs_transaction_end(p.h, tx, false), 0);
    EXPECT(XS_TRANSACTION_END, 1, "T\0");

    ck_assert_int_eq(svxs_transaction_start(p.h, &tx), 0);
    ck_assert_uint_eq(tx, 2);
    ck_assert_int_eq(svxs_transaction_end(p.h, tx, true), 0);
    EXPECT(XS_TRANSACTION_END, 2, "F\0");

    fake_xsd_fail_commits(p.f, 1);
    ck_assert_int_eq(svxs_transaction_start(p.h, &tx), 0);
    ck_assert_int_eq(svxs_transaction_end(p.h, tx, false), -1);
    ck_assert_int_eq(errno, EAGAIN);
}
END_TEST

START_TEST(domain_path)
{
    char *path = svxs_get_domain_path(p.h, 7);

    EXPECT(XS_GET_DOMAIN_PATH, 0, "7\0");
    ck_assert_str_eq(path, "/local/domain/7");
    free(path);
}
END_TEST

START_TEST(watch_encoding)
{
    ck_assert_int_eq(svxs_watch(p.h, "/w", "tok"), 0);
    EXPECT(XS_WATCH, 0, "/w\0tok\0");
    ck_assert_int_eq(svxs_unwatch(p.h, "/w", "tok"), 0);
    EXPECT(XS_UNWATCH, 0, "/w\0tok\0");
    ck_assert_int_eq(svxs_unwatch(p.h, "/w", "tok"), -1);
    ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(generic_request)
{
    char *reply;
    size_t len;

    ck_assert_int_eq(svxs_request(p.h, 0, XS_GET_DOMAIN_PATH, "3", 2, &reply,
                                  &len), 0);
    ck_assert_uint_eq(len, sizeof("/local/domain/3"));
    ck_assert_str_eq(reply, "/local/domain/3");
    free(reply);
    ck_assert_int_eq(svxs_request(p.h, 0, XS_WATCH_EVENT, "", 0, NULL, NULL), -1);
    ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(req_ids_are_fresh_and_nonzero)
{
    struct fake_req *reqs;
    unsigned int i, n;

    for (i = 0; i < 5; i++)
        free(svxs_read(p.h, 0, "/", NULL));
    n = fake_xsd_requests(p.f, &reqs);
    ck_assert_uint_eq(n, 5);
    for (i = 0; i < n; i++) {
        ck_assert_uint_ne(reqs[i].hdr.req_id, 0);
        if (i > 0)
            ck_assert_uint_ne(reqs[i].hdr.req_id, reqs[i - 1].hdr.req_id);
    }
    fake_reqs_free(reqs, n);
}
END_TEST

START_TEST(oversized_request_is_refused_locally)
{
    static char big[XENSTORE_PAYLOAD_MAX + 1];
    struct fake_req *reqs;
    unsigned int n;

    memset(big, 'a', sizeof(big));
    /* Path + nul + value must fit XENSTORE_PAYLOAD_MAX. */
    ck_assert_int_eq(svxs_write(p.h, 0, "/big", big,
                                XENSTORE_PAYLOAD_MAX - 4), -1);
    ck_assert_int_eq(errno, E2BIG);
    ck_assert_int_eq(svxs_write(p.h, 0, "/big", big,
                                XENSTORE_PAYLOAD_MAX - 5), 0);
    n = fake_xsd_requests(p.f, &reqs);
    ck_assert_uint_eq(n, 1);    /* the refused one never left */
    fake_reqs_free(reqs, n);
}
END_TEST

/* Answer every request with XS_ERROR carrying the name in ARG. */
static bool answer_error(struct fake_xsd *f, int fd,
                         const struct xsd_sockmsg *hdr, const char *body,
                         void *arg)
{
    const char *name = arg;

    (void)f;
    (void)body;
    fake_send_raw(fd, XS_ERROR, hdr->req_id, hdr->tx_id,
                  (uint32_t)strlen(name) + 1, name, strlen(name) + 1);
    return true;
}

START_TEST(every_xsd_error_maps_to_its_errno)
{
    size_t i;

    for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++) {
        fake_xsd_set_hook(p.f, answer_error, (void *)xsd_errors[i].errstring);
        errno = 0;
        ck_assert_ptr_null(svxs_read(p.h, 0, "/x", NULL));
        ck_assert_int_eq(errno, xsd_errors[i].errnum);
        ck_assert_str_eq(svxs_errno_name(xsd_errors[i].errnum),
                         xsd_errors[i].errstring);
    }
    fake_xsd_set_hook(p.f, answer_error, "ENOTANERROR");
    ck_assert_ptr_null(svxs_read(p.h, 0, "/x", NULL));
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_ptr_null(svxs_errno_name(ERANGE));
}
END_TEST

/* XS_ERROR whose name is not nul-terminated: read safely, still mapped. */
static bool error_without_nul(struct fake_xsd *f, int fd,
                              const struct xsd_sockmsg *hdr, const char *body,
                              void *arg)
{
    (void)f;
    (void)body;
    (void)arg;
    fake_send_raw(fd, XS_ERROR, hdr->req_id, 0, 6, "ENOENT", 6);
    return true;
}

START_TEST(error_name_without_nul)
{
    fake_xsd_set_hook(p.f, error_without_nul, NULL);
    ck_assert_ptr_null(svxs_read(p.h, 0, "/x", NULL));
    ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(paths_and_env)
{
    setenv("XENSTORED_PATH", "/tmp/some/socket", 1);
    ck_assert_str_eq(svxs_socket_path(), "/tmp/some/socket");
    ck_assert_str_eq(svxs_device_path(), "/tmp/some/socket");
    unsetenv("XENSTORED_PATH");
    setenv("XENSTORED_RUNDIR", "/tmp/rundir", 1);
    ck_assert_str_eq(svxs_socket_path(), "/tmp/rundir/socket");
    unsetenv("XENSTORED_RUNDIR");
    ck_assert_str_eq(svxs_socket_path(), "/run/xenstored/socket");

    setenv("XENSTORED_PATH", "/nonexistent/xenstored", 1);
    errno = 0;
    ck_assert_ptr_null(svxs_open(0));
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_ptr_null(svxs_open(SVXS_OPEN_SOCKET_ONLY));
    unsetenv("XENSTORED_PATH");
}
END_TEST

START_TEST(open_socket_and_device_paths)
{
    struct served s;
    struct svxs_handle *h;
    char *v;

    served_start(&s);
    fake_xsd_write(s.f, "/k", "v");
    h = svxs_open(SVXS_OPEN_SOCKET_ONLY);
    ck_assert_ptr_nonnull(h);
    v = svxs_read(h, 0, "/k", NULL);
    ck_assert_str_eq(v, "v");
    free(v);
    svxs_close(h);
    served_stop(&s);

    /* Not a socket: opened as a device (here a plain file, read-write). */
    h = svxs_open_path("/dev/null");
    ck_assert_ptr_nonnull(h);
    ck_assert_int_ge(svxs_fileno(h), 0);
    svxs_close(h);
}
END_TEST

Suite *wire_suite(void)
{
    Suite *s = suite_create("wire");
    TCase *tc = tcase_create("requests");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, write_then_read);
    tcase_add_test(tc, binary_values_keep_their_nuls);
    tcase_add_test(tc, empty_value);
    tcase_add_test(tc, mkdir_rm_and_errors);
    tcase_add_test(tc, directory_lists_children);
    tcase_add_test(tc, permissions_both_ways);
    tcase_add_test(tc, transactions);
    tcase_add_test(tc, domain_path);
    tcase_add_test(tc, watch_encoding);
    tcase_add_test(tc, generic_request);
    tcase_add_test(tc, req_ids_are_fresh_and_nonzero);
    tcase_add_test(tc, oversized_request_is_refused_locally);
    tcase_add_test(tc, every_xsd_error_maps_to_its_errno);
    tcase_add_test(tc, error_name_without_nul);
    suite_add_tcase(s, tc);

    tc = tcase_create("connect");
    tcase_add_test(tc, perm_strings);
    tcase_add_test(tc, paths_and_env);
    tcase_add_test(tc, open_socket_and_device_paths);
    suite_add_tcase(s, tc);
    return s;
}
