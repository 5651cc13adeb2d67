/*
 * udp_bench on the host: a sender and a receiver on two stacks, through a
 * fake link that is perfect, drops, reorders, duplicates, or is full.
 */
#include <check.h>
#include <string.h>

#include "test_fakes.h"
#include "udp_bench.h"

Suite *udp_bench_suite(void);

/* What the link does to the n-th datagram from a to b. */
enum fate { PASS, DROP, HOLD, DUP };

typedef enum fate (*link_policy)(unsigned n);

static enum fate perfect(unsigned n)
{
    (void)n;
    return PASS;
}

/* 1000 datagrams: 100 dropped, 100 swapped with the next, 20 doubled. */
static enum fate lossy(unsigned n)
{
    if (n % 10 == 5)
        return DROP;
    if (n % 10 == 2)
        return HOLD;
    if (n % 50 == 7)
        return DUP;
    return PASS;
}

static void deliver_to_b(struct pair *p, const struct link_frame *f, uint64_t step_ns)
{
    fake_clock_ns += step_ns;
    feed(&p->b, f->data, f->len, f->flags & NETSTACK_CSUM_BLANK ? NETSTACK_RX_CSUM_BLANK : 0);
}

/*
 * Like pair_pump, but UDP frames from a go through policy, and each frame
 * a delivers to b takes step_ns of the clock (the link's speed).
 */
static void bench_pump(struct pair *p, link_policy policy, unsigned *n, uint64_t step_ns,
                       struct link_frame *held, bool *holding)
{
    struct link_frame *f;

    while ((f = link_pop(&p->la)) || p->lb.count) {
        if (f) {
            struct link_frame copy = *f;

            if (rd16(copy.data + 12) != 0x0800) {
                deliver_to_b(p, &copy, step_ns);        /* ARP passes */
            } else {
                switch (policy((*n)++)) {
                case DROP:
                    break;
                case HOLD:
                    *held = copy;
                    *holding = true;
                    break;
                case DUP:
                    deliver_to_b(p, &copy, step_ns);
                    /* fall through */
                case PASS:
                    deliver_to_b(p, &copy, step_ns);
                    if (*holding) {
                        *holding = false;
                        deliver_to_b(p, held, step_ns);
                    }
                    break;
                }
            }
        }
        if ((f = link_pop(&p->lb))) {
            struct link_frame copy = *f;

            feed(&p->a, copy.data, copy.len, 0);
        }
    }
}

static void run_bench(struct pair *p, struct udp_bench_tx *tx, const struct udp_bench_tx_cfg *cfg,
                      struct udp_bench_rx *rx, link_policy policy, uint64_t step_ns)
{
    struct link_frame held;
    bool holding = false;
    unsigned n = 0;
    int rc = 0;

    ck_assert_int_eq(udp_bench_rx_init(rx, &p->b, cfg->dst_port, 0), 0);
    ck_assert_int_eq(udp_bench_tx_init(tx, &p->a, cfg), 0);
    for (int loops = 0; rc == 0; loops++) {
        rc = udp_bench_tx_poll(tx);
        ck_assert_int_ge(rc, 0);
        bench_pump(p, policy, &n, step_ns, &held, &holding);
        ck_assert_int_lt(loops, 100000);
    }
    if (holding)
        deliver_to_b(p, &held, step_ns);
}

START_TEST(test_bench_perfect_link)
{
    static struct pair p;
    static struct udp_bench_tx tx;
    static struct udp_bench_rx rx;
    struct udp_bench_tx_cfg cfg = { .dst_ip = IP_B, .src_port = 5001, .dst_port = 5001,
                                    .count = 1000, .size = 1000, .run_id = 7 };
    struct udp_bench_report r;

    pair_init(&p);
    run_bench(&p, &tx, &cfg, &rx, perfect, 10000);        /* 10 us a frame */
    ck_assert_uint_eq(tx.next_seq, 1000);
    ck_assert_uint_eq(tx.bytes, 1000u * 1000u);
    ck_assert_uint_ge(tx.retries, 1);                      /* the ARP round */
    ck_assert(udp_bench_rx_done(&rx));
    udp_bench_rx_report(&rx, &r);
    ck_assert_uint_eq(r.count, 1000);
    ck_assert_uint_eq(r.received, 1000);
    ck_assert_uint_eq(r.bytes, 1000000);
    ck_assert_uint_eq(r.lost, 0);
    ck_assert_uint_eq(r.out_of_order, 0);
    ck_assert_uint_eq(r.duplicates, 0);
    ck_assert_uint_eq(r.foreign, 0);
    /* 999 gaps of 10 us, 999 kB after the first: 800 Mbit/s, 100k pps. */
    ck_assert_uint_eq(r.rx_interval_ns, 999u * 10000u);
    ck_assert_uint_eq(r.rx_kbit_per_s, 800000);
    ck_assert_uint_eq(r.rx_pps, 100000);
    ck_assert_uint_eq(p.b.stats.rx_udp, 1000);
    udp_bench_rx_stop(&rx);
    ck_assert_int_eq(netstack_udp_bind(&p.b, 5001, NULL, NULL), NETSTACK_EINVAL);
}
END_TEST

START_TEST(test_bench_loss_and_reorder)
{
    static struct pair p;
    static struct udp_bench_tx tx;
    static struct udp_bench_rx rx;
    struct udp_bench_tx_cfg cfg = { .dst_ip = IP_B, .src_port = 5001, .dst_port = 5002,
                                    .count = 1000, .size = 64, .run_id = 8,
                                    .flags = NETSTACK_CSUM_BLANK };
    struct udp_bench_report r;

    pair_init(&p);
    run_bench(&p, &tx, &cfg, &rx, lossy, 1000);
    ck_assert(!udp_bench_rx_done(&rx));
    udp_bench_rx_report(&rx, &r);
    ck_assert_uint_eq(r.received, 900);
    ck_assert_uint_eq(r.lost, 100);
    ck_assert_uint_eq(r.out_of_order, 100);
    ck_assert_uint_eq(r.duplicates, 20);
    ck_assert_uint_eq(r.late, 0);
    ck_assert_uint_eq(r.bytes, 900u * 64u);
    ck_assert_uint_eq(p.b.stats.rx_udp, 920);        /* duplicates too */
}
END_TEST

START_TEST(test_bench_link_full_and_rate)
{
    static struct pair p;
    static struct udp_bench_tx tx;
    static struct udp_bench_rx rx;
    struct udp_bench_tx_cfg cfg = { .dst_ip = IP_B, .src_port = 5001, .dst_port = 5003,
                                    .count = 10, .size = UDP_BENCH_HDR, .rate_pps = 1000,
                                    .run_id = 9 };
    struct udp_bench_report r;
    int rc;

    pair_init(&p);
    pair_resolve(&p);
    ck_assert_int_eq(udp_bench_rx_init(&rx, &p.b, cfg.dst_port, 9), 0);
    ck_assert_int_eq(udp_bench_tx_init(&tx, &p.a, &cfg), 0);
    /* Ring full at first: retried, nothing lost. */
    p.la.busy = 2;
    ck_assert_int_eq(udp_bench_tx_poll(&tx), 0);
    ck_assert_int_eq(udp_bench_tx_poll(&tx), 0);
    ck_assert_uint_eq(tx.next_seq, 0);
    ck_assert_uint_eq(tx.retries, 2);
    /* 1000 pps: one now, then one each millisecond. */
    ck_assert_int_eq(udp_bench_tx_poll(&tx), 0);
    ck_assert_uint_eq(tx.next_seq, 1);
    pair_pump(&p);
    for (int step = 1; step <= 20; step++) {
        fake_clock_ns += 500000;
        rc = udp_bench_tx_poll(&tx);
        ck_assert_uint_eq(tx.next_seq, step / 2 + 1 > 10 ? 10 : step / 2 + 1);
        ck_assert_int_eq(rc, tx.next_seq == 10);
        pair_pump(&p);
    }
    ck_assert_uint_eq(tx.end_ns - tx.start_ns, 9000000);
    ck_assert(udp_bench_rx_done(&rx));
    udp_bench_rx_report(&rx, &r);
    ck_assert_uint_eq(r.tx_interval_ns, 9000000);
    ck_assert_uint_eq(r.rx_interval_ns, 9000000);
    ck_assert_uint_eq(r.rx_pps, 1000);
    ck_assert_uint_eq(r.lost, 0);
}
END_TEST

START_TEST(test_bench_foreign_and_stale)
{
    static struct pair p;
    static struct udp_bench_rx rx;
    uint8_t d[UDP_BENCH_HDR];
    struct udp_bench_report r;

    pair_init(&p);
    pair_resolve(&p);
    ck_assert_int_eq(udp_bench_rx_init(&rx, &p.b, 6000, 0), 0);
    memset(d, 0, sizeof(d));
    /* Short, bad magic. */
    ck_assert_int_eq(netstack_udp_send(&p.a, 1, IP_B, 6000, d, 10, 0), 0);
    ck_assert_int_eq(netstack_udp_send(&p.a, 1, IP_B, 6000, d, sizeof(d), 0), 0);
    pair_pump(&p);
    ck_assert_uint_eq(rx.foreign, 2);
    ck_assert(!rx.started);
    /* Run 5 seq 0 of 5000, then seq 4999 (a jump past the window), then
     * seq 1 (late: more than a window behind), then run 6 (foreign). */
    wr16(d, 0x5356);
    wr16(d + 2, 0x4231);
    d[7] = 5;
    d[14] = 0x13;
    d[15] = 0x88;                                         /* count 5000 */
    ck_assert_int_eq(netstack_udp_send(&p.a, 1, IP_B, 6000, d, sizeof(d), 0), 0);
    d[10] = 0x13;
    d[11] = 0x87;
    ck_assert_int_eq(netstack_udp_send(&p.a, 1, IP_B, 6000, d, sizeof(d), 0), 0);
    d[10] = 0;
    d[11] = 1;
    ck_assert_int_eq(netstack_udp_send(&p.a, 1, IP_B, 6000, d, sizeof(d), 0), 0);
    d[7] = 6;
    ck_assert_int_eq(netstack_udp_send(&p.a, 1, IP_B, 6000, d, sizeof(d), 0), 0);
    pair_pump(&p);
    udp_bench_rx_report(&rx, &r);
    ck_assert_uint_eq(r.received, 2);
    ck_assert_uint_eq(r.late, 1);
    ck_assert_uint_eq(r.foreign, 3);
    ck_assert_uint_eq(r.lost, 4998);
    ck_assert_uint_eq(r.rx_kbit_per_s, 0);                /* no time passed */
}
END_TEST

START_TEST(test_bench_mul_div)
{
    ck_assert_uint_eq(udp_bench_mul_div(0, 5, 3), 0);
    ck_assert_uint_eq(udp_bench_mul_div(7, 5, 3), 11);
    ck_assert_uint_eq(udp_bench_mul_div(UINT64_MAX, UINT64_MAX, UINT64_MAX), UINT64_MAX);
    ck_assert_uint_eq(udp_bench_mul_div(UINT64_MAX, 2, 4), UINT64_MAX / 2);
    ck_assert_uint_eq(udp_bench_mul_div(UINT64_MAX, 2, 1), UINT64_MAX);     /* saturates */
    /* 10 TB in an hour: bytes * 8e6 overflows 64 bits, the answer does not. */
    ck_assert_uint_eq(udp_bench_mul_div(10000000000000u, 8000000u, 3600000000000u),
                      22222222u);
    ck_assert_uint_eq(udp_bench_mul_div(1u << 31, 1u << 31, 1u << 30), 1ull << 32);
}
END_TEST

START_TEST(test_bench_config_rejected)
{
    static struct pair p;
    static struct udp_bench_tx tx;
    struct udp_bench_tx_cfg cfg = { .dst_ip = IP_B, .src_port = 1, .dst_port = 2,
                                    .count = 1, .size = UDP_BENCH_HDR };

    pair_init(&p);
    ck_assert_int_eq(udp_bench_tx_init(&tx, &p.a, &cfg), 0);
    cfg.size = UDP_BENCH_HDR - 1;
    ck_assert_int_eq(udp_bench_tx_init(&tx, &p.a, &cfg), NETSTACK_EINVAL);
    cfg.size = NETSTACK_UDP_MAX_PAYLOAD + 1;
    ck_assert_int_eq(udp_bench_tx_init(&tx, &p.a, &cfg), NETSTACK_EINVAL);
    cfg.size = NETSTACK_UDP_MAX_PAYLOAD;
    cfg.count = 0;
    ck_assert_int_eq(udp_bench_tx_init(&tx, &p.a, &cfg), NETSTACK_EINVAL);
    /* A hard error ends the run: no route. */
    cfg.count = 1;
    cfg.dst_ip = IPV4(10, 1, 0, 1);
    ck_assert_int_eq(udp_bench_tx_init(&tx, &p.a, &cfg), 0);
    ck_assert_int_eq(udp_bench_tx_poll(&tx), NETSTACK_EHOSTUNREACH);
    ck_assert_int_eq(udp_bench_tx_poll(&tx), NETSTACK_EHOSTUNREACH);
}
END_TEST

Suite *udp_bench_suite(void)
{
    Suite *s = suite_create("udp_bench");
    TCase *tc = tcase_create("bench");

    tcase_add_test(tc, test_bench_perfect_link);
    tcase_add_test(tc, test_bench_loss_and_reorder);
    tcase_add_test(tc, test_bench_link_full_and_rate);
    tcase_add_test(tc, test_bench_foreign_and_stale);
    tcase_add_test(tc, test_bench_mul_div);
    tcase_add_test(tc, test_bench_config_rejected);
    suite_add_tcase(s, tc);
    return s;
}
