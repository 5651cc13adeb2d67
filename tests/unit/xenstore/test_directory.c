/* DIRECTORY and DIRECTORY_PART, with a directory too large for one reply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "suites.h"
#include "util.h"

#define NCHILD 600   /* "child-0000\0" x 600 = 6600 bytes > XENSTORE_PAYLOAD_MAX */

static void make_big(struct xs_client *c)
{
    for (int i = 0; i < NCHILD; i++) {
        char p[64];
        snprintf(p, sizeof(p), "/big/child-%04d", i);
        ck_assert_int_eq(th_write(c, 0, p, "v"), 0);
    }
}

/* Reads the whole list the way libxenstore does; returns the number of
 * requests it took, and the list (names, nul-separated) in *out. */
static int read_parts(struct xs_client *c, const char *path, struct xs_buf *out,
                      char *gen_out)
{
    int requests = 0;
    char gen[32] = "";
    xs_buf_init(out);
    for (unsigned off = 0;;) {
        char offs[16];
        snprintf(offs, sizeof(offs), "%u", off);
        struct xs_msg *m = th_req(c, XS_DIRECTORY_PART, 0, path, offs, NULL);
        requests++;
        ck_assert_uint_eq(m->hdr.type, XS_DIRECTORY_PART);
        ck_assert_uint_le(m->hdr.len, XENSTORE_PAYLOAD_MAX);
        const char *g = (const char *)m->body;
        if (off == 0)
            snprintf(gen, sizeof(gen), "%s", g);
        else
            ck_assert_str_eq(g, gen);   /* nothing changed meanwhile */
        size_t glen = strlen(g) + 1;
        size_t len = m->hdr.len - glen;
        ck_assert_int_eq(xs_buf_append(out, m->body + glen, len), 0);
        off += (unsigned)len;
        free(m);
        if (off <= 1 || out->data[off - 2] == 0)
            break;
    }
    if (out->len > 1)
        out->len--;   /* the list's own final nul */
    strcpy(gen_out, gen);
    return requests;
}

START_TEST(directory_lists_in_creation_order)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    ck_assert_int_eq(th_write(c, 0, "/o/zeta", ""), 0);
    ck_assert_int_eq(th_write(c, 0, "/o/alpha", ""), 0);
    ck_assert_int_eq(th_write(c, 0, "/o/mid", ""), 0);
    int err;
    char *d = th_dir(c, 0, "/o", &err);
    ck_assert_str_eq(d, "zeta,alpha,mid");
    free(d);
    d = th_dir(c, 0, "/o/zeta", &err);
    ck_assert_str_eq(d, "");
    free(d);
    ck_assert_ptr_null(th_dir(c, 0, "/missing", &err));
    ck_assert_int_eq(err, ENOENT);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(huge_directory_needs_parts)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    make_big(c);
    int err;
    ck_assert_ptr_null(th_dir(c, 0, "/big", &err));
    ck_assert_int_eq(err, E2BIG);

    struct xs_buf list;
    char gen[32];
    int requests = read_parts(c, "/big", &list, gen);
    ck_assert_int_ge(requests, 2);
    /* Exactly the children, in order. */
    struct xs_buf want;
    xs_buf_init(&want);
    for (int i = 0; i < NCHILD; i++) {
        char n[32];
        snprintf(n, sizeof(n), "child-%04d", i);
        xs_buf_append_str0(&want, n);
    }
    ck_assert_uint_eq(list.len, want.len);
    ck_assert_int_eq(memcmp(list.data, want.data, want.len), 0);
    xs_buf_free(&want);
    xs_buf_free(&list);

    /* Any change to the list changes the generation. */
    ck_assert_int_eq(th_write(c, 0, "/big/extra", ""), 0);
    char gen2[32];
    read_parts(c, "/big", &list, gen2);
    ck_assert_str_ne(gen, gen2);
    xs_buf_free(&list);
    xs_store_destroy(&st);
}
END_TEST

START_TEST(directory_part_edges)
{
    struct xs_store st;
    th_store(&st);
    struct xs_client *c = xs_client_new(&st, 0, false);
    ck_assert_int_eq(th_write(c, 0, "/e/ab", ""), 0);
    ck_assert_int_eq(th_write(c, 0, "/e/cd", ""), 0);
    /* Whole list in one part: gen, names, extra nul. */
    struct xs_msg *m = th_req(c, XS_DIRECTORY_PART, 0, "/e", "0", NULL);
    size_t glen = strlen((char *)m->body) + 1;
    ck_assert_uint_eq(m->hdr.len, glen + 7);
    ck_assert_int_eq(memcmp(m->body + glen, "ab\0cd\0\0", 7), 0);
    free(m);
    /* From the second name. */
    m = th_req(c, XS_DIRECTORY_PART, 0, "/e", "3", NULL);
    ck_assert_uint_eq(m->hdr.len, glen + 4);
    ck_assert_int_eq(memcmp(m->body + glen, "cd\0\0", 4), 0);
    free(m);
    /* Past the end: the generation and an empty list. */
    m = th_req(c, XS_DIRECTORY_PART, 0, "/e", "999", NULL);
    ck_assert_uint_eq(m->hdr.len, glen + 1);
    ck_assert_int_eq(m->body[glen], 0);
    free(m);
    /* Hostile arguments. */
    ck_assert_int_eq(th_errno(th_req(c, XS_DIRECTORY_PART, 0, "/e", "1", NULL)), EINVAL);
    ck_assert_int_eq(th_errno(th_req(c, XS_DIRECTORY_PART, 0, "/e", "x", NULL)), EINVAL);
    ck_assert_int_eq(th_errno(th_req(c, XS_DIRECTORY_PART, 0, "/e", "-1", NULL)), EINVAL);
    ck_assert_int_eq(th_errno(th_req(c, XS_DIRECTORY_PART, 0, "/e", "99999999999", NULL)),
                     EINVAL);
    ck_assert_int_eq(th_errno(th_req(c, XS_DIRECTORY_PART, 0, "/e", NULL)), EINVAL);
    ck_assert_int_eq(th_errno(th_req(c, XS_DIRECTORY_PART, 0, "/e", "0", "0", NULL)), EINVAL);
    ck_assert_int_eq(th_errno(th_raw(c, XS_DIRECTORY_PART, 0, "/e\0" "0", 4)), EINVAL);
    ck_assert_int_eq(th_errno(th_req(c, XS_DIRECTORY_PART, 0, "/nope", "0", NULL)), ENOENT);
    xs_store_destroy(&st);
}
END_TEST

Suite *xs_directory_suite(void)
{
    Suite *s = suite_create("xenstore-directory");
    TCase *tc = tcase_create("directory");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, directory_lists_in_creation_order);
    tcase_add_test(tc, huge_directory_needs_parts);
    tcase_add_test(tc, directory_part_edges);
    suite_add_tcase(s, tc);
    return s;
}
