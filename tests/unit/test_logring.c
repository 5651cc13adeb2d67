/*
 * The log ring against a plain model: an ever-growing array of every byte
 * written.  A reader at sequence n must get model[n...], and whatever is
 * older than the last 'size' bytes must be reported lost.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sv/errno.h>
#include <sv/logring.h>

#include "suites.h"

#define RING_SIZE 64

static char ring_buf[RING_SIZE];
static struct logring ring;

static void setup(void)
{
    /* Garbage in the buffer must never leak into a read. */
    memset(ring_buf, '?', sizeof(ring_buf));
    ck_assert_int_eq(logring_init(&ring, ring_buf, sizeof(ring_buf)), 0);
}

/* Write "count" bytes of a pattern where byte n is a function of n, so any
 * misplaced byte is visible. */
static char pattern_byte(uint64_t seq)
{
    return (char)('A' + seq % 23);
}

static void write_pattern(uint64_t from, size_t count)
{
    char chunk[512];

    ck_assert_uint_le(count, sizeof(chunk));
    for (size_t i = 0; i < count; i++)
        chunk[i] = pattern_byte(from + i);
    logring_write(&ring, chunk, count);
}

static void assert_pattern(const char *buf, uint64_t from, size_t count)
{
    for (size_t i = 0; i < count; i++)
        ck_assert_msg(buf[i] == pattern_byte(from + i),
                      "byte %zu (seq %llu): got '%c' want '%c'", i,
                      (unsigned long long)(from + i), buf[i], pattern_byte(from + i));
}

START_TEST(init_rejects_sizes_that_are_not_powers_of_two)
{
    static const size_t bad[] = { 0, 3, 6, 100, 1000, SIZE_MAX };
    static const size_t good[] = { 1, 2, 64, 4096 };
    struct logring r;
    static char buf[4096];

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
        ck_assert_int_eq(logring_init(&r, buf, bad[i]), -EINVAL);
    for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
        ck_assert_int_eq(logring_init(&r, buf, good[i]), 0);
        ck_assert_uint_eq(r.size, good[i]);
        ck_assert_uint_eq(r.head, 0);
    }
    ck_assert_int_eq(logring_init(&r, NULL, 64), -EINVAL);
}
END_TEST

START_TEST(read_back_what_was_written)
{
    char out[RING_SIZE];
    uint64_t cursor = 0, lost = 99;

    logring_write(&ring, "hello ", 6);
    logring_write(&ring, "world", 5);
    ck_assert_uint_eq(ring.head, 11);
    ck_assert_uint_eq(logring_tail(&ring), 0);
    ck_assert_uint_eq(logring_read(&ring, &cursor, out, sizeof(out), &lost), 11);
    ck_assert_mem_eq(out, "hello world", 11);
    ck_assert_uint_eq(cursor, 11);
    ck_assert_uint_eq(lost, 0);
}
END_TEST

START_TEST(cursor_at_head_reads_nothing)
{
    char out[8] = "xxxxxxx";
    uint64_t cursor = 0, lost = 5;

    ck_assert_uint_eq(logring_read(&ring, &cursor, out, sizeof(out), &lost), 0);
    ck_assert_uint_eq(lost, 0);
    logring_write(&ring, "abc", 3);
    cursor = 3;
    ck_assert_uint_eq(logring_read(&ring, &cursor, out, sizeof(out), NULL), 0);
    ck_assert_uint_eq(cursor, 3);
    ck_assert_str_eq(out, "xxxxxxx");
}
END_TEST

START_TEST(small_reads_advance_the_cursor)
{
    char out[4];
    uint64_t cursor = 0;

    write_pattern(0, 10);
    for (uint64_t expect = 0; expect < 10; expect += 4) {
        size_t n = logring_read(&ring, &cursor, out, sizeof(out), NULL);
        ck_assert_uint_eq(n, expect + 4 <= 10 ? 4 : 10 - expect);
        assert_pattern(out, expect, n);
    }
    ck_assert_uint_eq(cursor, 10);
}
END_TEST

START_TEST(wrap_around_keeps_the_newest_bytes_in_order)
{
    char out[RING_SIZE];
    uint64_t cursor = 0, lost = 0;

    /* 100 bytes into 64: the write itself straddles the end of the buffer. */
    write_pattern(0, 50);
    write_pattern(50, 50);
    ck_assert_uint_eq(logring_tail(&ring), 100 - RING_SIZE);
    ck_assert_uint_eq(logring_read(&ring, &cursor, out, sizeof(out), &lost), RING_SIZE);
    ck_assert_uint_eq(lost, 100 - RING_SIZE);
    ck_assert_uint_eq(cursor, 100);
    assert_pattern(out, 100 - RING_SIZE, RING_SIZE);
}
END_TEST

START_TEST(read_straddles_the_buffer_end)
{
    char out[RING_SIZE];
    uint64_t cursor = 60;

    write_pattern(0, 60);
    write_pattern(60, 20);      /* seq 60..79 live at offsets 60..63, 0..15 */
    ck_assert_uint_eq(logring_read(&ring, &cursor, out, sizeof(out), NULL), 20);
    assert_pattern(out, 60, 20);
}
END_TEST

START_TEST(write_larger_than_ring_keeps_its_tail)
{
    char out[RING_SIZE];
    uint64_t cursor = 0, lost = 0;

    write_pattern(0, 5);
    write_pattern(5, 3 * RING_SIZE + 7);
    uint64_t head = 5 + 3 * RING_SIZE + 7;
    ck_assert_uint_eq(ring.head, head);
    ck_assert_uint_eq(logring_read(&ring, &cursor, out, sizeof(out), &lost), RING_SIZE);
    ck_assert_uint_eq(lost, head - RING_SIZE);
    assert_pattern(out, head - RING_SIZE, RING_SIZE);
}
END_TEST

START_TEST(cursor_behind_tail_reports_lost_bytes)
{
    char out[16];
    uint64_t cursor = 10, lost = 0;

    write_pattern(0, 200);
    ck_assert_uint_eq(logring_read(&ring, &cursor, out, sizeof(out), &lost), 16);
    ck_assert_uint_eq(lost, 200 - RING_SIZE - 10);
    assert_pattern(out, 200 - RING_SIZE, 16);
    /* Caught up now: the next read loses nothing. */
    ck_assert_uint_eq(logring_read(&ring, &cursor, out, sizeof(out), &lost), 16);
    ck_assert_uint_eq(lost, 0);
    assert_pattern(out, 200 - RING_SIZE + 16, 16);
    /* lost may be NULL even when bytes were lost. */
    cursor = 0;
    ck_assert_uint_eq(logring_read(&ring, &cursor, out, sizeof(out), NULL), 16);
    assert_pattern(out, 200 - RING_SIZE, 16);
}
END_TEST

START_TEST(zero_length_read_still_reports_loss)
{
    uint64_t cursor = 0, lost = 0;

    write_pattern(0, 100);
    ck_assert_uint_eq(logring_read(&ring, &cursor, NULL, 0, &lost), 0);
    ck_assert_uint_eq(lost, 100 - RING_SIZE);
    ck_assert_uint_eq(cursor, 100 - RING_SIZE);
}
END_TEST

START_TEST(clear_forgets_everything)
{
    char out[RING_SIZE];
    uint64_t cursor = 0, stale_cursor = 0, lost = 7;

    write_pattern(0, 40);
    ck_assert_uint_eq(logring_read(&ring, &stale_cursor, out, sizeof(out), NULL), 40);
    logring_clear(&ring);
    ck_assert_uint_eq(logring_tail(&ring), 0);
    ck_assert_uint_eq(logring_read(&ring, &cursor, out, sizeof(out), &lost), 0);
    ck_assert_uint_eq(lost, 0);

    logring_write(&ring, "fresh", 5);
    cursor = 0;
    ck_assert_uint_eq(logring_read(&ring, &cursor, out, sizeof(out), NULL), 5);
    ck_assert_mem_eq(out, "fresh", 5);
    /* A reader from before the clear is ahead of the new head: it is
     * moved back to the oldest byte instead of reading stale data. */
    ck_assert_uint_eq(logring_read(&ring, &stale_cursor, out, sizeof(out), &lost), 5);
    ck_assert_mem_eq(out, "fresh", 5);
    ck_assert_uint_eq(lost, 0);
}
END_TEST

/* Random writes and reads against the model, several readers at once. */
START_TEST(random_operations_match_model)
{
    enum { MODEL_MAX = 1 << 16, READERS = 3 };
    char *model = malloc(MODEL_MAX);
    uint64_t cursors[READERS] = { 0 };
    uint64_t head = 0;
    unsigned seed = 12345;

    ck_assert_ptr_nonnull(model);
    while (head < MODEL_MAX - 512) {
        seed = seed * 1103515245u + 12345u;
        unsigned roll = (seed >> 16) & 0x7fff;
        if (roll % 3 != 0) {
            size_t n = roll % 150;      /* sometimes more than the ring holds */
            char chunk[150];
            for (size_t i = 0; i < n; i++)
                chunk[i] = model[head + i] = (char)(' ' + (head + i) * 7 % 90);
            logring_write(&ring, chunk, n);
            head += n;
            continue;
        }
        size_t r = roll % READERS;
        size_t want = (roll >> 4) % 80;
        char out[80];
        uint64_t before = cursors[r], lost;
        uint64_t tail = head > RING_SIZE ? head - RING_SIZE : 0;
        uint64_t start = before < tail ? tail : before;
        size_t n = logring_read(&ring, &cursors[r], out, want, &lost);

        ck_assert_uint_eq(lost, start - before);
        ck_assert_uint_eq(n, MIN((uint64_t)want, head - start));
        ck_assert_mem_eq(out, model + start, n);
        ck_assert_uint_eq(cursors[r], start + n);
    }
    ck_assert_uint_eq(ring.head, head);
    free(model);
}
END_TEST

Suite *logring_suite(void)
{
    Suite *s = suite_create("logring");
    TCase *tc = tcase_create("logring");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, init_rejects_sizes_that_are_not_powers_of_two);
    tcase_add_test(tc, read_back_what_was_written);
    tcase_add_test(tc, cursor_at_head_reads_nothing);
    tcase_add_test(tc, small_reads_advance_the_cursor);
    tcase_add_test(tc, wrap_around_keeps_the_newest_bytes_in_order);
    tcase_add_test(tc, read_straddles_the_buffer_end);
    tcase_add_test(tc, write_larger_than_ring_keeps_its_tail);
    tcase_add_test(tc, cursor_behind_tail_reports_lost_bytes);
    tcase_add_test(tc, zero_length_read_still_reports_loss);
    tcase_add_test(tc, clear_forgets_everything);
    tcase_add_test(tc, random_operations_match_model);
    suite_add_tcase(s, tc);
    return s;
}
