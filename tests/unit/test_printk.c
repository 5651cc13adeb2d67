/*
 * printk through capturing console sinks and a fake clock: level filtering,
 * "(SV) [time] " prefixes per line, the ring getting everything, and the
 * lock keeping lines from several threads whole.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sv/errno.h>
#include <sv/logring.h>
#include <sv/printk.h>

#include "suites.h"

#define CAPTURE_MAX (512 * 1024)
#define RING_SIZE   (512 * 1024)

static char ring_buf[RING_SIZE];

static char captured[CAPTURE_MAX];
static size_t captured_len;
static unsigned captured_calls;

static char second_captured[CAPTURE_MAX];
static size_t second_captured_len;

static uint64_t fake_now_ns;
static uint64_t fake_step_ns;   /* the clock moves this much per read */

static void append(char *dst, size_t *len, const char *s, size_t n)
{
    ck_assert_uint_le(*len + n, CAPTURE_MAX - 1);
    memcpy(dst + *len, s, n);
    *len += n;
    dst[*len] = '\0';
}

static void capture_sink(const char *s, size_t len)
{
    append(captured, &captured_len, s, len);
    captured_calls++;
}

static void second_sink(const char *s, size_t len)
{
    append(second_captured, &second_captured_len, s, len);
}

static uint64_t fake_clock(void)
{
    uint64_t now = fake_now_ns;

    fake_now_ns += fake_step_ns;
    return now;
}

static void setup(void)
{
    captured_len = second_captured_len = 0;
    captured[0] = second_captured[0] = '\0';
    captured_calls = 0;
    fake_now_ns = 0;
    fake_step_ns = 0;
    printk_init(ring_buf, sizeof(ring_buf));
    ck_assert_int_eq(printk_add_sink(capture_sink), 0);
}

/* Everything in the ring, as a string. */
static const char *ring_text(void)
{
    static char text[RING_SIZE + 1];
    uint64_t cursor = 0;
    size_t n = logring_read(printk_ring(), &cursor, text, RING_SIZE, NULL);

    text[n] = '\0';
    return text;
}

/* ---- prefixes and levels ---------------------------------------------- */

START_TEST(plain_message_gets_prefix)
{
    printk("hello %s %d\n", "world", 42);
    ck_assert_str_eq(captured, "(SV) hello world 42\n");
    ck_assert_str_eq(ring_text(), "(SV) hello world 42\n");
}
END_TEST

START_TEST(level_prefix_is_stripped)
{
    printk(LOG_ERR "disk on fire\n");
    printk(LOG_WARN "smoke\n");
    printk(LOG_INFO "fine\n");
    ck_assert_str_eq(captured, "(SV) disk on fire\n(SV) smoke\n(SV) fine\n");
}
END_TEST

START_TEST(not_a_level_prefix_is_printed)
{
    printk("<9>odd\n");
    printk("<3 no close\n");
    printk("<>\n");
    ck_assert_str_eq(captured, "(SV) <9>odd\n(SV) <3 no close\n(SV) <>\n");
}
END_TEST

START_TEST(default_level_is_info)
{
    ck_assert_int_eq(printk_get_level(), LOGLVL_INFO);
    printk(LOG_DEBUG "hidden\n");
    printk(LOG_INFO "shown\n");
    printk("unprefixed counts as info\n");
    ck_assert_str_eq(captured, "(SV) shown\n(SV) unprefixed counts as info\n");
}
END_TEST

/* For each console level, exactly the messages at or below it show. */
START_TEST(console_level_filters_sinks)
{
    static const char *const expect[] = {
        [LOGLVL_NONE] = "",
        [LOGLVL_ERR] = "(SV) e\n",
        [LOGLVL_WARN] = "(SV) e\n(SV) w\n",
        [LOGLVL_INFO] = "(SV) e\n(SV) w\n(SV) i\n",
        [LOGLVL_DEBUG] = "(SV) e\n(SV) w\n(SV) i\n(SV) d\n",
    };
    enum log_level level = (enum log_level)_i;

    printk_set_level(level);
    ck_assert_int_eq(printk_get_level(), level);
    printk(LOG_ERR "e\n");
    printk(LOG_WARN "w\n");
    printk(LOG_INFO "i\n");
    printk(LOG_DEBUG "d\n");
    ck_assert_str_eq(captured, expect[level]);
    /* The ring gets every message whatever the console level. */
    ck_assert_str_eq(ring_text(), expect[LOGLVL_DEBUG]);
}
END_TEST

START_TEST(every_sink_gets_the_output)
{
    ck_assert_int_eq(printk_add_sink(second_sink), 0);
    printk("both\n");
    printk(LOG_DEBUG "neither\n");
    ck_assert_str_eq(captured, "(SV) both\n");
    ck_assert_str_eq(second_captured, "(SV) both\n");
}
END_TEST

START_TEST(fifth_sink_is_refused)
{
    /* setup() registered one already. */
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(printk_add_sink(second_sink), 0);
    ck_assert_int_eq(printk_add_sink(second_sink), -ENOSPC);
    printk("x\n");
    /* Three registrations of second_sink: three copies, not four. */
    ck_assert_str_eq(second_captured, "(SV) x\n(SV) x\n(SV) x\n");
}
END_TEST

START_TEST(no_sink_still_logs_to_ring)
{
    printk_init(ring_buf, sizeof(ring_buf));
    printk("only in the ring\n");
    ck_assert_str_eq(captured, "");
    ck_assert_str_eq(ring_text(), "(SV) only in the ring\n");
}
END_TEST

/* ---- lines ------------------------------------------------------------- */

START_TEST(each_line_of_a_message_is_prefixed)
{
    printk(LOG_WARN "first\nsecond\n\nfourth\n");
    ck_assert_str_eq(captured, "(SV) first\n(SV) second\n(SV) \n(SV) fourth\n");
    ck_assert_str_eq(ring_text(), captured);
    /* Sinks get whole lines, prefix included: one call per line. */
    ck_assert_uint_eq(captured_calls, 4);
}
END_TEST

START_TEST(message_without_newline_continues_the_line)
{
    printk("cpus:");
    printk(" %d", 0);
    printk(" %d\n", 1);
    printk("next\n");
    ck_assert_str_eq(captured, "(SV) cpus: 0 1\n(SV) next\n");
    ck_assert_str_eq(ring_text(), captured);
}
END_TEST

START_TEST(empty_message_prints_nothing)
{
    const char *empty = "";

    printk("%s", empty);
    printk(LOG_ERR "%s", empty);
    ck_assert_str_eq(captured, "");
    ck_assert_str_eq(ring_text(), "");
}
END_TEST

START_TEST(long_message_is_truncated_and_marked)
{
    char long_text[2000];

    memset(long_text, 'z', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    printk("%s\n", long_text);
    ck_assert_uint_ge(captured_len, 400);
    ck_assert_uint_le(captured_len, 600);
    ck_assert_str_eq(captured + captured_len - 4, "...\n");
    ck_assert_int_eq(strncmp(captured, "(SV) zzzz", 9), 0);

    /* The line after it is whole and starts with its own prefix. */
    size_t before = captured_len;
    printk("after\n");
    ck_assert_str_eq(captured + before, "(SV) after\n");
}
END_TEST

/* ---- clock ------------------------------------------------------------ */

START_TEST(clock_adds_timestamp)
{
    printk_set_clock(fake_clock);
    fake_now_ns = 1234567891;   /* 1.234567891 s: micros are truncated */
    printk("tick\n");
    fake_now_ns = 0;
    printk("zero\n");
    fake_now_ns = 123456789ull * 1000000000ull + 999999999ull;
    printk("late\n");
    ck_assert_str_eq(captured,
                     "(SV) [    1.234567] tick\n"
                     "(SV) [    0.000000] zero\n"
                     "(SV) [123456789.999999] late\n");
    ck_assert_str_eq(ring_text(), captured);
}
END_TEST

START_TEST(clock_prefix_on_every_line)
{
    printk_set_clock(fake_clock);
    fake_now_ns = 42000000000ull;
    fake_step_ns = 1000;
    /* One timestamp per message, even though the clock moves. */
    printk("a\nb\n");
    printk("c\n");
    ck_assert_str_eq(captured, "(SV) [   42.000000] a\n(SV) [   42.000000] b\n"
                               "(SV) [   42.000001] c\n");
}
END_TEST

START_TEST(init_resets_sinks_level_and_clock)
{
    printk_set_clock(fake_clock);
    printk_set_level(LOGLVL_DEBUG);
    printk("partial line");
    printk_init(ring_buf, sizeof(ring_buf));
    captured_len = 0;
    captured[0] = '\0';

    printk("after init\n");
    ck_assert_str_eq(captured, "");                 /* sink forgotten */
    ck_assert_int_eq(printk_get_level(), LOGLVL_INFO);
    /* No clock, no leftover partial line, ring emptied. */
    ck_assert_str_eq(ring_text(), "(SV) after init\n");
}
END_TEST

START_TEST(ring_matches_console_exactly)
{
    printk_set_clock(fake_clock);
    fake_now_ns = 5000001000ull;
    printk(LOG_ERR "err %d\nline two\n", -1);
    printk("info %#x\n", 0x10u);
    ck_assert_str_eq(ring_text(), captured);
    ck_assert_str_eq(captured,
                     "(SV) [    5.000001] err -1\n"
                     "(SV) [    5.000001] line two\n"
                     "(SV) [    5.000001] info 0x10\n");
}
END_TEST

/* ---- level names ------------------------------------------------------ */

START_TEST(parse_level_names)
{
    static const struct { const char *name; enum log_level level; } good[] = {
        { "none", LOGLVL_NONE }, { "error", LOGLVL_ERR }, { "warning", LOGLVL_WARN },
        { "info", LOGLVL_INFO }, { "debug", LOGLVL_DEBUG }, { "all", LOGLVL_DEBUG },
    };
    static const char *const bad[] = { "", "warn", "err", "infos", "3", " info", "INFO!" };
    enum log_level level;

    for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
        level = (enum log_level)99;
        ck_assert_int_eq(printk_parse_level(good[i].name, &level), 0);
        ck_assert_int_eq(level, good[i].level);
    }
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        level = LOGLVL_WARN;
        ck_assert_int_eq(printk_parse_level(bad[i], &level), -EINVAL);
        ck_assert_int_eq(level, LOGLVL_WARN);   /* untouched on error */
    }
    ck_assert_int_eq(printk_parse_level(NULL, &level), -EINVAL);
}
END_TEST

/* ---- locking ---------------------------------------------------------- */

#define THREADS 2
#define LINES_PER_THREAD 1000

/* Released together so that their printks really overlap. */
static pthread_barrier_t start_together;

static void *print_lines(void *arg)
{
    int id = (int)(intptr_t)arg;

    pthread_barrier_wait(&start_together);
    for (int i = 0; i < LINES_PER_THREAD; i++)
        printk("thread %d line %d\nthread %d tail %d\n", id, i, id, i);
    return NULL;
}

/* Each message is two lines, so two sink calls, formatted in one shared
 * buffer: without the lock, threads would interleave lines and clobber
 * each other's text. */
START_TEST(concurrent_lines_do_not_interleave)
{
    pthread_t threads[THREADS];
    int next_line[THREADS] = { 0 };
    int lines = 0;

    ck_assert_int_eq(pthread_barrier_init(&start_together, NULL, THREADS), 0);
    for (int t = 0; t < THREADS; t++)
        ck_assert_int_eq(pthread_create(&threads[t], NULL, print_lines, (void *)(intptr_t)t), 0);
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
    pthread_barrier_destroy(&start_together);

    for (const char *pos = captured; *pos; lines++) {
        int id = -1;
        char expect[80];

        ck_assert_msg(sscanf(pos, "(SV) thread %d ", &id) == 1 && id >= 0 && id < THREADS,
                      "garbled output at: %.60s", pos);
        /* Per thread, messages arrive whole and in order. */
        int n = snprintf(expect, sizeof(expect), "(SV) thread %d line %d\n(SV) thread %d tail %d\n",
                         id, next_line[id], id, next_line[id]);
        ck_assert_msg(strncmp(pos, expect, (size_t)n) == 0,
                      "garbled output at: %.60s", pos);
        next_line[id]++;
        pos += n;
    }
    ck_assert_int_eq(lines, THREADS * LINES_PER_THREAD);
    ck_assert_str_eq(ring_text(), captured);
}
END_TEST

static bool contains(const char *s, size_t len, const char *word)
{
    size_t wlen = strlen(word);

    for (size_t i = 0; i + wlen <= len; i++)
        if (memcmp(s + i, word, wlen) == 0)
            return true;
    return false;
}

static volatile int stuck_in_sink;
static volatile int release_stuck;

/* Plays a CPU that wedged while printing: it holds the printk lock. */
static void wedging_sink(const char *s, size_t len)
{
    if (contains(s, len, "stuck")) {
        __atomic_store_n(&stuck_in_sink, 1, __ATOMIC_SEQ_CST);
        while (!__atomic_load_n(&release_stuck, __ATOMIC_SEQ_CST))
            ;
    }
}

static void *print_stuck(void *arg)
{
    (void)arg;
    printk("stuck\n");
    return NULL;
}

START_TEST(force_unlock_lets_panic_path_print)
{
    pthread_t wedged;

    stuck_in_sink = release_stuck = 0;
    ck_assert_int_eq(printk_add_sink(wedging_sink), 0);
    ck_assert_int_eq(pthread_create(&wedged, NULL, print_stuck, NULL), 0);
    while (!__atomic_load_n(&stuck_in_sink, __ATOMIC_SEQ_CST))
        ;

    /* Without the force unlock this printk would spin until the test
     * times out. */
    printk_force_unlock();
    printk("panic: wedged\n");
    ck_assert_ptr_nonnull(strstr(captured, "(SV) panic: wedged\n"));

    __atomic_store_n(&release_stuck, 1, __ATOMIC_SEQ_CST);
    pthread_join(wedged, NULL);
}
END_TEST

Suite *printk_suite(void)
{
    Suite *s = suite_create("printk");
    TCase *tc = tcase_create("printk");
    TCase *locking = tcase_create("printk-locking");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, plain_message_gets_prefix);
    tcase_add_test(tc, level_prefix_is_stripped);
    tcase_add_test(tc, not_a_level_prefix_is_printed);
    tcase_add_test(tc, default_level_is_info);
    tcase_add_loop_test(tc, console_level_filters_sinks, LOGLVL_NONE, LOGLVL_DEBUG + 1);
    tcase_add_test(tc, every_sink_gets_the_output);
    tcase_add_test(tc, fifth_sink_is_refused);
    tcase_add_test(tc, no_sink_still_logs_to_ring);
    tcase_add_test(tc, each_line_of_a_message_is_prefixed);
    tcase_add_test(tc, message_without_newline_continues_the_line);
    tcase_add_test(tc, empty_message_prints_nothing);
    tcase_add_test(tc, long_message_is_truncated_and_marked);
    tcase_add_test(tc, clock_adds_timestamp);
    tcase_add_test(tc, clock_prefix_on_every_line);
    tcase_add_test(tc, init_resets_sinks_level_and_clock);
    tcase_add_test(tc, ring_matches_console_exactly);
    tcase_add_test(tc, parse_level_names);
    suite_add_tcase(s, tc);

    /* A ticket lock convoys when threads outnumber CPUs (each hand-off can
     * wait for a time slice), so give these room on small CI machines. */
    tcase_add_checked_fixture(locking, setup, NULL);
    tcase_set_timeout(locking, 60);
    tcase_add_test(locking, concurrent_lines_do_not_interleave);
    tcase_add_test(locking, force_unlock_lets_panic_path_print);
    suite_add_tcase(s, locking);
    return s;
}
