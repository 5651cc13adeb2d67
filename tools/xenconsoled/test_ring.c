/*
 * Check tests for ring.c (console ring copy, backlog) and the guest log
 * file name (guestlog.c).  The shared page is a calloc'd struct
 * xencons_interface that the tests play the guest on.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"
#include "xenconsoled.h"

static struct xencons_interface *intf;
static struct cons_ring ring;

static void setup(void)
{
    intf = calloc(1, sizeof(*intf));
    ck_assert_ptr_nonnull(intf);
    ring_init(&ring, intf);
}

static void teardown(void)
{
    free(intf);
}

/* The guest's side: append n bytes at out_prod. */
static void guest_put_out(const char *s, size_t n)
{
    XENCONS_RING_IDX prod = intf->out_prod;
    for (size_t i = 0; i < n; i++)
        intf->out[MASK_XENCONS_IDX(prod++, intf->out)] = s[i];
    intf->out_prod = prod;
}

static void fill_pattern(char *buf, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)('a' + (seed + i) % 26);
}

/* ---- output ------------------------------------------------------------- */

START_TEST(out_simple)
{
    char buf[RING_OUT_SIZE];

    guest_put_out("hello", 5);
    ck_assert_uint_eq(ring_out_avail(&ring), 5);
    ck_assert_uint_eq(ring_out_take(&ring, buf, sizeof(buf)), 5);
    ck_assert_mem_eq(buf, "hello", 5);
    ck_assert_uint_eq(intf->out_cons, 5);
    ck_assert_uint_eq(ring_out_avail(&ring), 0);
    ck_assert_uint_eq(ring_out_take(&ring, buf, sizeof(buf)), 0);
    ck_assert_uint_eq(ring.out_resyncs, 0);
}
END_TEST

START_TEST(out_wraps_at_ring_end)
{
    char want[20], buf[RING_OUT_SIZE];

    intf->out_cons = intf->out_prod = RING_OUT_SIZE - 8;   /* 8 bytes before the end */
    fill_pattern(want, sizeof(want), 3);
    guest_put_out(want, sizeof(want));
    ck_assert_uint_eq(ring_out_take(&ring, buf, sizeof(buf)), 20);
    ck_assert_mem_eq(buf, want, 20);
    ck_assert_uint_eq(intf->out_cons, RING_OUT_SIZE + 12);
}
END_TEST

START_TEST(out_full_ring_is_valid)
{
    char want[RING_OUT_SIZE], buf[RING_OUT_SIZE];

    intf->out_cons = intf->out_prod = 100;
    fill_pattern(want, sizeof(want), 7);
    guest_put_out(want, sizeof(want));      /* exactly full */
    ck_assert_uint_eq(ring_out_avail(&ring), RING_OUT_SIZE);
    ck_assert_uint_eq(ring_out_take(&ring, buf, sizeof(buf)), RING_OUT_SIZE);
    ck_assert_mem_eq(buf, want, RING_OUT_SIZE);
    ck_assert_uint_eq(ring.out_resyncs, 0);
}
END_TEST

START_TEST(out_respects_budget)
{
    char want[100], buf[RING_OUT_SIZE];

    fill_pattern(want, sizeof(want), 0);
    guest_put_out(want, sizeof(want));
    ck_assert_uint_eq(ring_out_take(&ring, buf, 30), 30);
    ck_assert_mem_eq(buf, want, 30);
    ck_assert_uint_eq(intf->out_cons, 30);
    ck_assert_uint_eq(ring_out_avail(&ring), 70);
    ck_assert_uint_eq(ring_out_take(&ring, buf, 1000), 70);
    ck_assert_mem_eq(buf, want + 30, 70);
}
END_TEST

START_TEST(out_hostile_prod_far_ahead)
{
    char buf[RING_OUT_SIZE];

    intf->out_cons = 10;
    intf->out_prod = 10 + RING_OUT_SIZE + 1;    /* one byte more than the ring */
    ck_assert_uint_eq(ring_out_avail(&ring), 0);
    ck_assert_uint_eq(ring_out_take(&ring, buf, sizeof(buf)), 0);
    ck_assert_uint_eq(ring.out_resyncs, 1);
    ck_assert_uint_eq(intf->out_cons, intf->out_prod);   /* resynced */

    /* The guest behaves again: its output flows. */
    guest_put_out("ok", 2);
    ck_assert_uint_eq(ring_out_take(&ring, buf, sizeof(buf)), 2);
    ck_assert_mem_eq(buf, "ok", 2);

    /* Way ahead, and behind (prod - cons wraps to ~2^32): both resync,
     * each in one call, without copying a byte. */
    intf->out_prod = intf->out_cons + 0x80000000u;
    ck_assert_uint_eq(ring_out_take(&ring, buf, sizeof(buf)), 0);
    ck_assert_uint_eq(intf->out_cons, intf->out_prod);
    intf->out_prod = intf->out_cons - 1;
    ck_assert_uint_eq(ring_out_take(&ring, buf, sizeof(buf)), 0);
    ck_assert_uint_eq(intf->out_cons, intf->out_prod);
    ck_assert_uint_eq(ring.out_resyncs, 3);
}
END_TEST

START_TEST(out_index_wraps_at_2_32)
{
    char want[32], buf[RING_OUT_SIZE];

    intf->out_cons = intf->out_prod = 0xfffffff0u;
    fill_pattern(want, sizeof(want), 11);
    guest_put_out(want, sizeof(want));
    ck_assert_uint_eq(intf->out_prod, 0x10u);
    ck_assert_uint_eq(ring_out_avail(&ring), 32);
    ck_assert_uint_eq(ring_out_take(&ring, buf, 20), 20);    /* stop across 2^32 */
    ck_assert_uint_eq(intf->out_cons, 0x4u);
    ck_assert_uint_eq(ring_out_take(&ring, buf + 20, sizeof(buf)), 12);
    ck_assert_mem_eq(buf, want, 32);
    ck_assert_uint_eq(intf->out_cons, 0x10u);
    ck_assert_uint_eq(ring.out_resyncs, 0);
}
END_TEST

/* ---- input -------------------------------------------------------------- */

START_TEST(in_nearly_full)
{
    intf->in_cons = 100;
    intf->in_prod = 100 + RING_IN_SIZE - 4;     /* 4 bytes free */
    ck_assert_uint_eq(ring_in_space(&ring), 4);
    ck_assert_uint_eq(ring_in_put(&ring, "0123456789", 10), 4);
    ck_assert_uint_eq(intf->in_prod, 100 + RING_IN_SIZE);
    ck_assert_mem_eq(intf->in + 96, "0123", 4);
    ck_assert_uint_eq(ring_in_space(&ring), 0);
    ck_assert_uint_eq(ring_in_put(&ring, "x", 1), 0);      /* full: nothing */
    ck_assert_uint_eq(intf->in_prod, 100 + RING_IN_SIZE);

    intf->in_cons += 3;                                    /* guest reads 3 */
    ck_assert_uint_eq(ring_in_space(&ring), 3);
    ck_assert_uint_eq(ring_in_put(&ring, "abcdef", 6), 3);
    ck_assert_mem_eq(intf->in + 100, "abc", 3);
    ck_assert_uint_eq(ring.in_broken, 0);
}
END_TEST

START_TEST(in_wraps_at_ring_end)
{
    intf->in_cons = intf->in_prod = RING_IN_SIZE - 4;
    ck_assert_uint_eq(ring_in_put(&ring, "ABCDEFGH", 8), 8);
    ck_assert_mem_eq(intf->in + RING_IN_SIZE - 4, "ABCD", 4);
    ck_assert_mem_eq(intf->in, "EFGH", 4);
    ck_assert_uint_eq(intf->in_prod, RING_IN_SIZE + 4);
}
END_TEST

START_TEST(in_hostile_cons)
{
    intf->in_prod = 50;
    intf->in_cons = (XENCONS_RING_IDX)(50u - 1025u);   /* > ring unread */
    ck_assert_uint_eq(ring_in_space(&ring), 0);
    ck_assert_uint_eq(ring_in_put(&ring, "abc", 3), 0);
    ck_assert_uint_eq(ring.in_broken, 1);
    ck_assert_uint_eq(intf->in_prod, 50);
    intf->in_cons = 51;                         /* consumer ahead of producer */
    ck_assert_uint_eq(ring_in_put(&ring, "abc", 3), 0);
    ck_assert_uint_eq(ring.in_broken, 2);
}
END_TEST

START_TEST(in_index_wraps_at_2_32)
{
    intf->in_cons = intf->in_prod = 0xfffffffeu;
    ck_assert_uint_eq(ring_in_space(&ring), RING_IN_SIZE);
    ck_assert_uint_eq(ring_in_put(&ring, "wxyz", 4), 4);
    ck_assert_uint_eq(intf->in_prod, 2u);
    ck_assert_mem_eq(intf->in + RING_IN_SIZE - 2, "wx", 2);
    ck_assert_mem_eq(intf->in, "yz", 2);
    ck_assert_uint_eq(ring_in_space(&ring), RING_IN_SIZE - 4);
}
END_TEST

/* ---- backlog (the pty side) --------------------------------------------- */

/* A pty that takes at most `per_call` bytes per write, `calls_left` more
 * writes, then reports "would block" (0); or fails (-1) if `fail`. */
struct fake_pty {
    char got[256];
    size_t len;
    size_t per_call;
    int calls_left;
    bool fail;
};

static ssize_t fake_write(void *ctx, const char *data, size_t n)
{
    struct fake_pty *p = ctx;

    if (p->fail)
        return -1;
    if (p->calls_left == 0)
        return 0;
    p->calls_left--;
    if (n > p->per_call)
        n = p->per_call;
    ck_assert_uint_le(p->len + n, sizeof(p->got));
    memcpy(p->got + p->len, data, n);
    p->len += n;
    return (ssize_t)n;
}

START_TEST(backlog_partial_writes)
{
    struct backlog b;
    struct fake_pty pty = { .per_call = 3, .calls_left = 2 };

    ck_assert_int_eq(backlog_init(&b, 16), 0);
    backlog_push(&b, "abcdefghij", 10);
    /* The pty takes 3, then 3, then blocks: 6 out, 4 kept in order. */
    ck_assert_int_eq(backlog_flush(&b, fake_write, &pty), 3);   /* short write: stop */
    ck_assert_uint_eq(b.len, 7);
    ck_assert_int_eq(backlog_flush(&b, fake_write, &pty), 3);
    ck_assert_int_eq(backlog_flush(&b, fake_write, &pty), 0);   /* would block */
    ck_assert_uint_eq(b.len, 4);
    ck_assert_uint_eq(pty.len, 6);
    ck_assert_mem_eq(pty.got, "abcdef", 6);

    /* More output arrives while the pty is full; then a reader drains it. */
    backlog_push(&b, "KLMNOPQRST", 10);                 /* 14 held, wraps in buf */
    ck_assert_uint_eq(b.len, 14);
    ck_assert_uint_eq(b.dropped, 0);
    pty.per_call = 100;
    pty.calls_left = 100;
    ck_assert_int_eq(backlog_flush(&b, fake_write, &pty), 14);
    ck_assert(backlog_empty(&b));
    ck_assert_uint_eq(pty.len, 20);
    ck_assert_mem_eq(pty.got, "abcdefghijKLMNOPQRST", 20);
    backlog_free(&b);
}
END_TEST

START_TEST(backlog_drops_oldest_when_full)
{
    struct backlog b;
    struct fake_pty pty = { .per_call = 100, .calls_left = 100 };

    ck_assert_int_eq(backlog_init(&b, 8), 0);
    backlog_push(&b, "0123456789", 10);       /* more than the whole buffer */
    ck_assert_uint_eq(b.len, 8);
    ck_assert_uint_eq(b.dropped, 2);
    backlog_push(&b, "ab", 2);
    ck_assert_uint_eq(b.dropped, 4);
    ck_assert_int_eq(backlog_flush(&b, fake_write, &pty), 8);
    ck_assert_mem_eq(pty.got, "456789ab", 8);

    backlog_push(&b, "xyz", 3);
    backlog_clear(&b);
    ck_assert(backlog_empty(&b));
    ck_assert_uint_eq(b.dropped, 7);
    backlog_free(&b);

    struct backlog none;
    ck_assert_int_eq(backlog_init(&none, 0), -1);      /* no zero-size backlog */
}
END_TEST

START_TEST(backlog_write_error)
{
    struct backlog b;
    struct fake_pty pty = { .fail = true };

    ck_assert_int_eq(backlog_init(&b, 8), 0);
    backlog_push(&b, "abc", 3);
    ck_assert_int_eq(backlog_flush(&b, fake_write, &pty), -1);
    ck_assert_uint_eq(b.len, 3);
    backlog_free(&b);
}
END_TEST

/* Guest output through the ring into a small backlog and a slow pty, the
 * way domain_pump_output uses them: the "log" sees every byte, the pty the
 * newest that fit, the ring never stalls. */
START_TEST(ring_to_slow_pty)
{
    struct backlog b;
    struct fake_pty pty = { .per_call = 5, .calls_left = 1 };
    char chunk[64], log[4096], buf[RING_OUT_SIZE];
    size_t loglen = 0;

    ck_assert_int_eq(backlog_init(&b, 32), 0);
    intf->out_cons = intf->out_prod = 0xffffffc0u;      /* crosses 2^32 too */
    for (unsigned i = 0; i < 40; i++) {
        fill_pattern(chunk, sizeof(chunk), i);
        guest_put_out(chunk, sizeof(chunk));
        size_t n = ring_out_take(&ring, buf, sizeof(buf));
        ck_assert_uint_eq(n, sizeof(chunk));
        memcpy(log + loglen, buf, n);
        loglen += n;
        backlog_push(&b, buf, n);
        backlog_flush(&b, fake_write, &pty);
    }
    ck_assert_uint_eq(loglen, 40 * 64);
    for (unsigned i = 0; i < 40; i++) {
        fill_pattern(chunk, sizeof(chunk), i);
        ck_assert_mem_eq(log + i * 64, chunk, 64);
    }
    ck_assert_uint_eq(pty.len, 5);
    ck_assert_uint_eq(b.len, 32);
    ck_assert_uint_eq(b.dropped, 40 * 64 - 5 - 32);
    backlog_free(&b);
}
END_TEST

/* ---- log file names ----------------------------------------------------- */

START_TEST(log_names)
{
    char out[128];
    char longname[200];

    guestlog_filename(out, sizeof(out), "web-1", 3);
    ck_assert_str_eq(out, "guest-web-1.log");
    guestlog_filename(out, sizeof(out), "../etc/passwd", 3);
    ck_assert_str_eq(out, "guest-_._etc_passwd.log");
    guestlog_filename(out, sizeof(out), "a b\n\033c", 3);
    ck_assert_str_eq(out, "guest-a_b__c.log");
    guestlog_filename(out, sizeof(out), NULL, 7);
    ck_assert_str_eq(out, "guest-7.log");
    guestlog_filename(out, sizeof(out), "", 7);
    ck_assert_str_eq(out, "guest-7.log");
    memset(longname, 'x', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    guestlog_filename(out, sizeof(out), longname, 7);
    ck_assert_uint_eq(strlen(out), strlen("guest-.log") + 64);
}
END_TEST

static Suite *ring_suite(void)
{
    Suite *s = suite_create("xenconsoled");
    TCase *tc = tcase_create("ring");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, out_simple);
    tcase_add_test(tc, out_wraps_at_ring_end);
    tcase_add_test(tc, out_full_ring_is_valid);
    tcase_add_test(tc, out_respects_budget);
    tcase_add_test(tc, out_hostile_prod_far_ahead);
    tcase_add_test(tc, out_index_wraps_at_2_32);
    tcase_add_test(tc, in_nearly_full);
    tcase_add_test(tc, in_wraps_at_ring_end);
    tcase_add_test(tc, in_hostile_cons);
    tcase_add_test(tc, in_index_wraps_at_2_32);
    tcase_add_test(tc, ring_to_slow_pty);
    suite_add_tcase(s, tc);

    tc = tcase_create("backlog");
    tcase_add_test(tc, backlog_partial_writes);
    tcase_add_test(tc, backlog_drops_oldest_when_full);
    tcase_add_test(tc, backlog_write_error);
    suite_add_tcase(s, tc);

    tc = tcase_create("names");
    tcase_add_test(tc, log_names);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(ring_suite());
    srunner_run_all(sr, CK_NORMAL);     /* prints the summary line */
    int ran = srunner_ntests_run(sr);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (ran == 0) {
        fprintf(stderr, "test_ring: no test ran\n");
        return 1;
    }
    return failed == 0 ? 0 : 1;
}
