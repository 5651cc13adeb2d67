/*
 * udp_bench: sender paced by the clock or by the link, receiver that tells
 * loss from reordering by sequence number.  See udp_bench.h for the format.
 */
#include "net_priv.h"
#include "udp_bench.h"

#define NS_PER_S 1000000000u

uint64_t udp_bench_mul_div(uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32;
    uint64_t b_lo = b & 0xffffffffu, b_hi = b >> 32;
    uint64_t ll = a_lo * b_lo, lh = a_lo * b_hi, hl = a_hi * b_lo, hh = a_hi * b_hi;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
    uint64_t lo = (ll & 0xffffffffu) | (mid << 32);
    uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    uint64_t rem = 0, q = 0;

    /* Restoring long division of hi:lo by c, one bit at a time, no
     * floating point, no libgcc __udivti3. */
    for (int i = 127; i >= 0; i--) {
        uint64_t bit = i >= 64 ? (hi >> (i - 64)) & 1 : (lo >> i) & 1;
        bool carry = rem >> 63;

        rem = (rem << 1) | bit;
        if (carry || rem >= c) {
            rem -= c;
            if (i >= 64)
                return UINT64_MAX;      /* quotient does not fit */
            q |= (uint64_t)1 << i;
        }
    }
    return q;
}

/* ---- sender ------------------------------------------------------------------ */

int udp_bench_tx_init(struct udp_bench_tx *tx, struct netstack *ns,
                      const struct udp_bench_tx_cfg *cfg)
{
    if (!tx || !ns || !cfg || cfg->count == 0 || cfg->size < UDP_BENCH_HDR ||
        cfg->size > NETSTACK_UDP_MAX_PAYLOAD || cfg->src_port == 0 || cfg->dst_port == 0)
        return NETSTACK_EINVAL;
    memset(tx, 0, sizeof(*tx));
    tx->ns = ns;
    tx->cfg = *cfg;
    for (uint32_t i = UDP_BENCH_HDR; i < cfg->size; i++)
        tx->payload[i] = (uint8_t)i;
    return 0;
}

/* When datagram seq is due: start + seq / rate seconds. */
static uint64_t tx_due_ns(const struct udp_bench_tx *tx, uint32_t seq)
{
    return tx->start_ns + udp_bench_mul_div(seq, NS_PER_S, tx->cfg.rate_pps);
}

int udp_bench_tx_poll(struct udp_bench_tx *tx)
{
    const struct udp_bench_tx_cfg *cfg = &tx->cfg;

    if (tx->error)
        return tx->error;
    for (int burst = 0; burst < UDP_BENCH_BURST && tx->next_seq < cfg->count; burst++) {
        uint64_t now = netstack_now_ns(tx->ns);
        int rc;

        if (cfg->rate_pps && tx->next_seq > 0 && now < tx_due_ns(tx, tx->next_seq))
            return 0;
        put_be32(tx->payload + 0, UDP_BENCH_MAGIC);
        put_be32(tx->payload + 4, cfg->run_id);
        put_be32(tx->payload + 8, tx->next_seq);
        put_be32(tx->payload + 12, cfg->count);
        put_be32(tx->payload + 16, (uint32_t)(now >> 32));
        put_be32(tx->payload + 20, (uint32_t)now);
        rc = netstack_udp_send(tx->ns, cfg->src_port, cfg->dst_ip, cfg->dst_port,
                               tx->payload, cfg->size, cfg->flags);
        if (rc == NETSTACK_EAGAIN || rc == NETSTACK_EINPROGRESS) {
            tx->retries++;
            return 0;
        }
        if (rc < 0) {
            tx->error = rc;
            return rc;
        }
        if (tx->next_seq == 0)
            tx->start_ns = now;
        tx->end_ns = now;
        tx->bytes += cfg->size;
        tx->next_seq++;
    }
    return tx->next_seq == cfg->count;
}

/* ---- receiver ------------------------------------------------------------------ */

static bool seen_test(const struct udp_bench_rx *rx, uint32_t seq)
{
    uint32_t bit = seq % UDP_BENCH_WINDOW;

    return rx->seen[bit / 64] >> (bit % 64) & 1;
}

static void seen_set(struct udp_bench_rx *rx, uint32_t seq, bool on)
{
    uint32_t bit = seq % UDP_BENCH_WINDOW;
    uint64_t m = (uint64_t)1 << (bit % 64);

    if (on)
        rx->seen[bit / 64] |= m;
    else
        rx->seen[bit / 64] &= ~m;
}

/* A distinct datagram: count it, its bytes and its times. */
static void rx_account(struct udp_bench_rx *rx, size_t len, uint64_t now, uint64_t tx_ns)
{
    if (rx->received == 0) {
        rx->first_ns = now;
        rx->first_bytes = len;
        rx->first_tx_ns = tx_ns;
        rx->last_tx_ns = tx_ns;
    }
    rx->received++;
    rx->bytes += len;
    rx->last_ns = now;
    if (tx_ns < rx->first_tx_ns)
        rx->first_tx_ns = tx_ns;
    if (tx_ns > rx->last_tx_ns)
        rx->last_tx_ns = tx_ns;
}

static void rx_datagram(void *ctx, struct netstack *ns, const struct netstack_udp_info *info,
                        const void *data, size_t len)
{
    struct udp_bench_rx *rx = ctx;
    const uint8_t *p = data;
    uint64_t now = netstack_now_ns(ns);
    uint32_t run, seq, count;
    uint64_t tx_ns;

    (void)info;
    if (len < UDP_BENCH_HDR || get_be32(p) != UDP_BENCH_MAGIC) {
        rx->foreign++;
        return;
    }
    run = get_be32(p + 4);
    seq = get_be32(p + 8);
    count = get_be32(p + 12);
    tx_ns = (uint64_t)get_be32(p + 16) << 32 | get_be32(p + 20);
    if ((rx->started && (run != rx->run_id || count != rx->count)) ||
        (!rx->started && rx->run_id != 0 && run != rx->run_id) || count == 0 || seq >= count) {
        rx->foreign++;
        return;
    }
    if (!rx->started) {
        rx->started = true;
        rx->run_id = run;
        rx->count = count;
    }

    if (seq >= rx->expected) {
        /* Ahead: the seqs in between are missing for now.  Their bits
         * last held seqs WINDOW older, which now fall out of the window. */
        if (seq - rx->expected >= UDP_BENCH_WINDOW)
            memset(rx->seen, 0, sizeof(rx->seen));
        else
            for (uint32_t s = rx->expected; s != seq; s++)
                seen_set(rx, s, false);
        seen_set(rx, seq, true);
        rx->expected = seq + 1;
        rx_account(rx, len, now, tx_ns);
    } else if (rx->expected - seq > UDP_BENCH_WINDOW) {
        rx->late++;                     /* cannot tell a duplicate from a straggler */
    } else if (seen_test(rx, seq)) {
        rx->duplicates++;
    } else {
        seen_set(rx, seq, true);
        rx->out_of_order++;
        rx_account(rx, len, now, tx_ns);
    }
}

int udp_bench_rx_init(struct udp_bench_rx *rx, struct netstack *ns, uint16_t port,
                      uint32_t run_id)
{
    int rc;

    if (!rx || !ns)
        return NETSTACK_EINVAL;
    memset(rx, 0, sizeof(*rx));
    rx->ns = ns;
    rx->port = port;
    rx->run_id = run_id;
    rc = netstack_udp_bind(ns, port, rx_datagram, rx);
    if (rc < 0)
        rx->ns = NULL;
    return rc;
}

void udp_bench_rx_stop(struct udp_bench_rx *rx)
{
    if (rx->ns)
        netstack_udp_unbind(rx->ns, rx->port);
    rx->ns = NULL;
}

bool udp_bench_rx_done(const struct udp_bench_rx *rx)
{
    return rx->started && rx->received == rx->count;
}

void udp_bench_rx_report(const struct udp_bench_rx *rx, struct udp_bench_report *r)
{
    memset(r, 0, sizeof(*r));
    r->count = rx->count;
    r->received = rx->received;
    r->bytes = rx->bytes;
    r->lost = rx->count - rx->received;   /* late ones included: not told apart */
    r->out_of_order = rx->out_of_order;
    r->duplicates = rx->duplicates;
    r->late = rx->late;
    r->foreign = rx->foreign;
    if (rx->received == 0)
        return;
    r->rx_interval_ns = rx->last_ns - rx->first_ns;
    r->tx_interval_ns = rx->last_tx_ns - rx->first_tx_ns;
    if (rx->received >= 2 && r->rx_interval_ns > 0) {
        /* bits/s / 1000 = bytes * 8 * 1e9 / ns / 1000 */
        r->rx_kbit_per_s = udp_bench_mul_div(rx->bytes - rx->first_bytes, 8000000u,
                                             r->rx_interval_ns);
        r->rx_pps = udp_bench_mul_div(rx->received - 1, NS_PER_S, r->rx_interval_ns);
    }
}
