/*
 * Listing children that do not fit one reply: XS_DIRECTORY answers E2BIG
 * and the list is read with XS_DIRECTORY_PART, restarting when the node's
 * generation changes, and refusing replies that would loop forever.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "suites.h"

static struct pair p;

static void setup(void) { pair_start(&p); }
static void teardown(void) { pair_stop(&p); }

static void make_children(unsigned int n)
{
    unsigned int i;
    char path[64];

    for (i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "/many/child-%04u", i);
        fake_xsd_write(p.f, path, "");
    }
}

static void expect_children(char **kids, unsigned int n, unsigned int want)
{
    unsigned int i;
    char name[32];

    ck_assert_ptr_nonnull(kids);
    ck_assert_uint_eq(n, want);
    for (i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "child-%04u", i);
        ck_assert_str_eq(kids[i], name);
    }
}

START_TEST(falls_back_on_e2big)
{
    struct fake_req *reqs;
    unsigned int n, nreq, i, parts = 0;
    char **kids;

    make_children(100);
    fake_xsd_set_dir_limits(p.f, 64, 100);      /* ~9 names per piece */
    kids = svxs_directory(p.h, 0, "/many", &n);
    expect_children(kids, n, 100);
    free(kids);

    nreq = fake_xsd_requests(p.f, &reqs);
    ck_assert_uint_eq(reqs[0].hdr.type, XS_DIRECTORY);
    for (i = 1; i < nreq; i++) {
        ck_assert_uint_eq(reqs[i].hdr.type, XS_DIRECTORY_PART);
        parts++;
    }
    ck_assert_uint_gt(parts, 5);
    /* "<path>\0<offset>\0", offsets in bytes: the first is 0. */
    ck_assert_uint_eq(reqs[1].hdr.len, sizeof("/many\0" "0"));
    ck_assert(memcmp(reqs[1].body, "/many\0" "0", sizeof("/many\0" "0")) == 0);
    ck_assert(memcmp(reqs[2].body, "/many\0" "99", sizeof("/many\0" "99")) == 0);
    fake_reqs_free(reqs, nreq);
}
END_TEST

START_TEST(big_real_list)
{
    unsigned int n;
    char **kids;

    make_children(600);     /* 600 * 11 bytes: more than one payload */
    kids = svxs_directory(p.h, 0, "/many", &n);
    expect_children(kids, n, 600);
    free(kids);
}
END_TEST

START_TEST(empty_node_through_parts)
{
    unsigned int n;
    char **kids;

    fake_xsd_write(p.f, "/empty", "");
    fake_xsd_set_dir_limits(p.f, 0, 100);
    kids = svxs_directory(p.h, 0, "/empty", &n);
    ck_assert_ptr_nonnull(kids);
    ck_assert_uint_eq(n, 0);
    free(kids);
}
END_TEST

/* Scripted DIRECTORY_PART answers. */
struct script {
    unsigned int calls;
    int mode;
};
enum { GEN_CHANGES_ONCE, GEN_ALWAYS_CHANGES, EMPTY_PIECE, NO_GEN_NUL,
       NOT_SUPPORTED, ENDLESS };

static bool part_script(struct fake_xsd *f, int fd,
                        const struct xsd_sockmsg *hdr, const char *body,
                        void *arg)
{
    struct script *s = arg;
    char buf[4096];
    size_t len = 0;

    (void)f;
    (void)body;
    if (hdr->type == XS_DIRECTORY) {
        fake_send_raw(fd, XS_ERROR, hdr->req_id, 0, 6, "E2BIG", 6);
        return true;
    }
    s->calls++;
    switch (s->mode) {
    case GEN_CHANGES_ONCE:
        /* call 1: gen 1, "a"; call 2: gen 2 (changed) -> restart;
         * call 3: gen 2, "a"; call 4: gen 2, "b" and the end. */
        if (s->calls == 1)
            memcpy(buf, "1\0a\0", len = 4);
        else if (s->calls == 2)
            memcpy(buf, "2\0b\0\0", len = 5);
        else if (s->calls == 3)
            memcpy(buf, "2\0a\0", len = 4);
        else
            memcpy(buf, "2\0b\0\0", len = 5);
        break;
    case GEN_ALWAYS_CHANGES:
        len = (size_t)snprintf(buf, sizeof(buf), "%u", s->calls) + 1;
        memcpy(buf + len, "a\0", 2);
        len += 2;
        break;
    case EMPTY_PIECE:
        memcpy(buf, s->calls == 1 ? "1\0a\0" : "1\0", len = s->calls == 1 ? 4 : 2);
        break;
    case NO_GEN_NUL:
        memcpy(buf, "123", len = 3);
        break;
    case NOT_SUPPORTED:
        fake_send_raw(fd, XS_ERROR, hdr->req_id, 0, 7, "ENOSYS", 7);
        return true;
    case ENDLESS:
        buf[0] = '1';
        buf[1] = '\0';
        memset(buf + 2, 'n', 4000);
        buf[4001] = '\0';
        len = 4002;
        break;
    }
    fake_send_raw(fd, XS_DIRECTORY_PART, hdr->req_id, 0, (uint32_t)len, buf, len);
    return true;
}

static char **list_with(int mode, unsigned int *n, struct script *s)
{
    s->calls = 0;
    s->mode = mode;
    fake_xsd_set_hook(p.f, part_script, s);
    return svxs_directory(p.h, 0, "/d", n);
}

START_TEST(generation_change_restarts)
{
    struct script s;
    unsigned int n;
    char **kids = list_with(GEN_CHANGES_ONCE, &n, &s);

    ck_assert_ptr_nonnull(kids);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(kids[0], "a");
    ck_assert_str_eq(kids[1], "b");
    ck_assert_uint_eq(s.calls, 4);
    free(kids);
}
END_TEST

START_TEST(hostile_parts)
{
    struct script s;
    unsigned int n;

    ck_assert_ptr_null(list_with(GEN_ALWAYS_CHANGES, &n, &s));
    ck_assert_int_eq(errno, EAGAIN);
    ck_assert_uint_lt(s.calls, 40);

    ck_assert_ptr_null(list_with(EMPTY_PIECE, &n, &s));
    ck_assert_int_eq(errno, EPROTO);
    ck_assert_uint_eq(s.calls, 2);

    ck_assert_ptr_null(list_with(NO_GEN_NUL, &n, &s));
    ck_assert_int_eq(errno, EPROTO);

    ck_assert_ptr_null(list_with(NOT_SUPPORTED, &n, &s));
    ck_assert_int_eq(errno, E2BIG);

    ck_assert_ptr_null(list_with(ENDLESS, &n, &s));
    ck_assert_int_eq(errno, EPROTO);
    ck_assert_uint_le(s.calls, (16u << 20) / 4000 + 1);
}
END_TEST

Suite *directory_suite(void)
{
    Suite *s = suite_create("directory");
    TCase *tc = tcase_create("part");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, falls_back_on_e2big);
    tcase_add_test(tc, big_real_list);
    tcase_add_test(tc, empty_node_through_parts);
    tcase_add_test(tc, generation_change_restarts);
    tcase_add_test(tc, hostile_parts);
    suite_add_tcase(s, tc);
    return s;
}
