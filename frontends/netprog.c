/*
 * Network programs on netfront and net/'s stack.  Addresses come from the
 * command line: ip=A.B.C.D (required), mask=A.B.C.D (255.255.255.0),
 * gw=A.B.C.D.  Lists inside a value are separated by '+', since ','
 * separates the programs of run=.
 *   net_ping    ping each of ping=IP+IP+... ping_count (5) times; every
 *               target must answer at least once
 *   net_serve   answer ARP, ping and UDP echo (port 7) for serve_s (60)
 *               seconds, or until a datagram "stop" comes to port 7
 *   udp_send    udp_count (10000) datagrams of udp_size (1024) bytes to
 *               udp_dst:udp_port (5001), as fast as the ring takes them
 *   udp_recv    receive a udp_send run on udp_port for up to udp_wait_s (60)
 *               seconds: datagrams, loss, order, throughput
 *   net_attach_wait, net_detach_wait   wait for xl network-attach (then
 *               connect) or for xl network-detach (the backend Closing: close)
 *   net_hostile bad tx requests (hostile.c), each answered with an error;
 *               then a ping of ping= must still work; then req_prod a ring
 *               ahead must make the backend disconnect the NIC
 */
#include "netprog.h"
#include "diskprog.h"
#include "net/netstack.h"
#include "net/udp_bench.h"

static struct netdev nic;
static struct netstack ns;
static bool net_ready;

/* An IPv4 address from the command line (or from *p up to '+'). */
static bool parse_ip(const char *s, size_t n, uint32_t *ip)
{
    uint32_t v = 0, part = 0, dots = 0;
    bool digit = false;
    for (size_t i = 0; i <= n; i++) {
        char c = i < n ? s[i] : '.';
        if (c >= '0' && c <= '9') {
            part = part * 10 + (uint32_t)(c - '0');
            if (part > 255)
                return false;
            digit = true;
        } else if (c == '.' && digit) {
            v = v << 8 | part;
            part = 0;
            digit = false;
            dots++;
        } else {
            return false;
        }
    }
    if (dots != 4)
        return false;
    *ip = v;
    return true;
}

static bool cmdline_ip(const char *key, uint32_t *ip)
{
    const char *v;
    size_t n;
    return cmdline_get(key, &v, &n) && parse_ip(v, n, ip);
}

static const char *ip_str(uint32_t ip)
{
    static char buf[4][16];
    static unsigned int next;
    char *b = buf[next++ % 4];
    snprintf(b, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
    return b;
}

static int link_send(void *ctx, const void *frame, size_t len, unsigned flags)
{
    struct netdev *n = ctx;
    unsigned tx = flags & NETSTACK_CSUM_BLANK ? NETTXF_csum_blank | NETTXF_data_validated : 0;
    int rc = netfront_send(n, frame, len, tx);
    if (rc == -16) {
        netfront_poll(n, NULL, NULL);       /* tx completions only would be nicer */
        rc = netfront_send(n, frame, len, tx);
    }
    return rc == -16 ? NETSTACK_EAGAIN : rc ? NETSTACK_EIO : 0;
}

static uint64_t link_now_ns(void *ctx)
{
    (void)ctx;
    return cycles_to_ns(rdtsc());
}

static void link_rx(void *ctx, const void *frame, size_t len, unsigned int rx_flags)
{
    (void)ctx;
    unsigned f = (rx_flags & NETRXF_data_validated ? NETSTACK_RX_DATA_VALIDATED : 0) |
                 (rx_flags & NETRXF_csum_blank ? NETSTACK_RX_CSUM_BLANK : 0);
    netstack_input(&ns, frame, len, f);
}

/* Takes what came; sleeps up to wait_ms if nothing did. */
static void pump(uint64_t wait_ms)
{
    if (!netfront_poll(&nic, link_rx, NULL) && wait_ms) {
        netfront_wait(&nic, wait_ms);
        netfront_poll(&nic, link_rx, NULL);
    }
}

const char *net_up(void)
{
    if (net_ready)
        return NULL;
    uint32_t ip, mask = 0xffffff00u, gw;
    if (!cmdline_ip("ip", &ip))
        return fail("needs ip=A.B.C.D");
    if (cmdline_get("mask", &(const char *){ 0 }, &(size_t){ 0 }) && !cmdline_ip("mask", &mask))
        return fail("mask= is not an address");
    uint64_t handle;
    if (!cmdline_u64("vif", &handle)) {
        int first = netfront_first_handle();
        if (first < 0)
            return fail("no NIC: nothing under device/vif");
        handle = (uint64_t)first;
    }
    int rc = netfront_connect(&nic, (unsigned int)handle);
    if (rc)
        return fail("cannot connect vif %lu: %d", (unsigned long)handle, rc);
    struct netif_ops ops = { .ctx = &nic, .send = link_send, .now_ns = link_now_ns };
    rc = netstack_init(&ns, nic.mac, ip, mask, &ops);
    if (rc)
        return fail("netstack_init: %d", rc);
    if (cmdline_ip("gw", &gw) && (rc = netstack_set_gateway(&ns, gw)))
        return fail("gateway %s: %d", ip_str(gw), rc);
    net_ready = true;
    kprintf("svfront: net: %s/%s on vif %u\n", ip_str(ip), ip_str(mask), nic.handle);
    return NULL;
}

void net_down(void)
{
    if (!net_ready)
        return;
    const struct netstack_stats *s = &ns.stats;
    kprintf("svfront: net: %lu frames in, %lu out; %lu ARP requests answered, %lu pings answered, "
            "%lu UDP in, %lu UDP out, %lu dropped\n", (unsigned long)s->rx_frames,
            (unsigned long)s->tx_frames, (unsigned long)s->rx_arp_requests,
            (unsigned long)s->rx_icmp_echo_requests, (unsigned long)s->rx_udp,
            (unsigned long)s->tx_udp, (unsigned long)netstack_drops(s));
    if (netstack_drops(s))
        kprintf("svfront: net: dropped: %lu bad length, %lu bad header, %lu bad checksum, %lu not "
                "for us, %lu unknown ethertype, %lu unknown protocol, %lu fragments, %lu no port\n",
                (unsigned long)s->drop_bad_length, (unsigned long)s->drop_bad_header,
                (unsigned long)s->drop_bad_csum, (unsigned long)s->drop_not_for_us,
                (unsigned long)s->drop_unknown_ethertype, (unsigned long)s->drop_unknown_proto,
                (unsigned long)s->drop_fragment, (unsigned long)s->drop_no_port);
    netfront_disconnect(&nic);
    net_ready = false;
}

/* ---- net_ping ---- */

static const char *ping_one(uint32_t dst, uint64_t count, uint16_t id)
{
    uint64_t answered = 0, rtt_sum = 0, rtt_max = 0;
    for (uint16_t seq = 1; seq <= count; seq++) {
        uint64_t deadline = rdtsc() + ms_to_cycles(3000), rtt;
        int rc;
        bool sent = false;
        while (rdtsc() < deadline) {
            if (!sent) {
                rc = netstack_ping(&ns, dst, id, seq, 56);
                if (rc == 0)
                    sent = true;
                else if (rc != NETSTACK_EINPROGRESS && rc != NETSTACK_EAGAIN)
                    return fail("ping %s: %d", ip_str(dst), rc);
            }
            if (sent && netstack_ping_reply_seen(&ns, id, seq, &rtt)) {
                answered++;
                rtt_sum += rtt;
                if (rtt > rtt_max)
                    rtt_max = rtt;
                break;
            }
            pump(50);
        }
    }
    note("%s: %lu of %lu answered, rtt avg %lu us max %lu us", ip_str(dst), (unsigned long)answered,
         (unsigned long)count, answered ? (unsigned long)(rtt_sum / answered / 1000) : 0ul,
         (unsigned long)(rtt_max / 1000));
    return answered ? NULL : fail("%s never answered", ip_str(dst));
}

const char *prog_net_ping(void)
{
    const char *why = net_up(), *v;
    size_t n;
    if (why)
        return why;
    if (!cmdline_get("ping", &v, &n))
        return fail("needs ping=IP[+IP...]");
    uint64_t count = cmdline_u64_or("ping_count", 5);
    uint16_t id = 0x5f00;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && v[j] != '+')
            j++;
        uint32_t dst;
        if (!parse_ip(v + i, j - i, &dst))
            return fail("ping=: '%.*s' is not an address", (int)(j - i), v + i);
        if ((why = ping_one(dst, count, id++)))
            return why;
        i = j + 1;
    }
    return NULL;
}

/* ---- net_serve ---- */

static bool stop_seen;

static void echo_handler(void *ctx, struct netstack *s, const struct netstack_udp_info *info,
                         const void *data, size_t len)
{
    (void)ctx;
    if (len == 4 && !memcmp(data, "stop", 4))
        stop_seen = true;
    netstack_udp_send(s, info->dst_port, info->src_ip, info->src_port, data, len, 0);
}

const char *prog_net_serve(void)
{
    const char *why = net_up();
    if (why)
        return why;
    uint64_t secs = cmdline_u64_or("serve_s", 60);
    stop_seen = false;
    netstack_udp_bind(&ns, 7, echo_handler, NULL);
    uint64_t deadline = rdtsc() + ms_to_cycles(secs * 1000);
    note("serving ARP, ping and UDP echo on port 7 for %lu s", (unsigned long)secs);
    while (!stop_seen && rdtsc() < deadline)
        pump(200);
    netstack_udp_unbind(&ns, 7);
    note("%s after answering %lu pings", stop_seen ? "stopped by a datagram" : "time is up",
         (unsigned long)ns.stats.rx_icmp_echo_requests);
    return NULL;
}

/* ---- udp_send / udp_recv ---- */

const char *prog_udp_send(void)
{
    static struct udp_bench_tx tx;
    const char *why = net_up();
    if (why)
        return why;
    struct udp_bench_tx_cfg cfg = {
        .src_port = 40000, .dst_port = (uint16_t)cmdline_u64_or("udp_port", 5001),
        .count = (uint32_t)cmdline_u64_or("udp_count", 10000), .size = (uint32_t)cmdline_u64_or("udp_size", 1024),
        .rate_pps = (uint32_t)cmdline_u64_or("udp_pps", 0), .run_id = (uint32_t)(rdtsc() | 1),
        .flags = cmdline_u64_or("udp_csum_offload", 1) ? NETSTACK_CSUM_BLANK : 0,
    };
    if (!cmdline_ip("udp_dst", &cfg.dst_ip))
        return fail("needs udp_dst=A.B.C.D");
    int rc = udp_bench_tx_init(&tx, &ns, &cfg);
    if (rc)
        return fail("udp_bench_tx_init: %d", rc);
    uint64_t deadline = rdtsc() + ms_to_cycles(120000);
    while ((rc = udp_bench_tx_poll(&tx)) == 0 && rdtsc() < deadline)
        pump(0);
    if (rc < 0)
        return fail("sending stopped: %d", rc);
    if (rc == 0)
        return fail("sent %u of %u in 120 s", tx.next_seq, cfg.count);
    uint64_t ns_ = tx.end_ns > tx.start_ns ? tx.end_ns - tx.start_ns : 1;
    kprintf("svfront: bench net udp_send size=%u: %u datagrams in %lu ms, %lu Mbit/s offered, "
            "%lu retries\n", cfg.size, tx.next_seq, (unsigned long)(ns_ / 1000000),
            (unsigned long)udp_bench_mul_div(tx.bytes, 8000, ns_), (unsigned long)tx.retries);
    /* Let the last frames leave before anything else happens. */
    for (int i = 0; i < 20; i++)
        pump(10);
    return NULL;
}

const char *prog_udp_recv(void)
{
    static struct udp_bench_rx rx;
    const char *why = net_up();
    if (why)
        return why;
    uint16_t port = (uint16_t)cmdline_u64_or("udp_port", 5001);
    int rc = udp_bench_rx_init(&rx, &ns, port, 0);
    if (rc)
        return fail("udp_bench_rx_init: %d", rc);
    uint64_t wait = cmdline_u64_or("udp_wait_s", 60), deadline = rdtsc() + ms_to_cycles(wait * 1000);
    uint64_t quiet = 0;
    note("waiting for a run on port %u", port);
    while (!udp_bench_rx_done(&rx) && rdtsc() < deadline) {
        uint64_t before = rx.received;
        pump(100);
        /* A run that stopped arriving (losses at its end): 2 s of quiet. */
        quiet = rx.started && rx.received == before ? quiet + 1 : 0;
        if (quiet > 20)
            break;
    }
    udp_bench_rx_stop(&rx);
    struct udp_bench_report r;
    udp_bench_rx_report(&rx, &r);
    if (!r.received)
        return fail("nothing arrived on port %u in %lu s", port, (unsigned long)wait);
    kprintf("svfront: bench net udp_recv: %lu of %u datagrams (%lu lost, %lu out of order), "
            "%lu bytes in %lu ms: %lu Mbit/s %lu pps\n", (unsigned long)r.received, r.count,
            (unsigned long)r.lost, (unsigned long)r.out_of_order, (unsigned long)r.bytes,
            (unsigned long)(r.rx_interval_ns / 1000000), (unsigned long)(r.rx_kbit_per_s / 1000),
            (unsigned long)r.rx_pps);
    return NULL;
}

/* ---- net_hostile (hostile.c), then a ping (ping=) that must still work ---- */

const char *prog_net_hostile(void)
{
    const char *why = net_up(), *v;
    size_t n;
    if (why)
        return why;
    /* Before the ring is broken: the NIC still answers after bad frames. */
    if (cmdline_get("ping", &v, &n)) {
        uint32_t dst;
        size_t j = 0;
        while (j < n && v[j] != '+')
            j++;
        if (!parse_ip(v, j, &dst))
            return fail("ping=: not an address");
        why = net_hostile_frames(&nic);
        if (!why)
            why = ping_one(dst, 3, 0x6f00);
    } else {
        why = net_hostile_frames(&nic);
    }
    if (why)
        return why;
    why = net_hostile_runahead(&nic);
    net_ready = false;          /* the backend dropped it */
    nic.connected = false;
    netfront_disconnect(&nic);
    return why;
}

/* ---- net_attach_wait / net_detach_wait: xl network-attach/-detach ---- */

const char *prog_net_attach_wait(void)
{
    uint64_t secs = 60, seen;
    cmdline_u64("attach_wait_s", &secs);
    if (net_ready)
        return fail("a NIC is already connected");
    if (xs_watch("device/vif", "svf-attach"))
        return fail("cannot watch device/vif");
    uint64_t deadline = rdtsc() + ms_to_cycles(secs * 1000);
    int handle;
    while ((seen = xs_watch_events(), handle = netfront_first_handle()) < 0 && rdtsc() < deadline)
        xs_wait_event(seen, 1000);
    xs_unwatch("device/vif", "svf-attach");
    if (handle < 0)
        return fail("no NIC came within %lu s", (unsigned long)secs);
    note("vif %d appeared", handle);
    return net_up();
}

/* The toolstack takes the NIC away: the backend goes to Closing (after
 * xl network-detach wrote online=0 and state 5); close our side, which the
 * backend waits for. */
const char *prog_net_detach_wait(void)
{
    if (!net_ready)
        return fail("no NIC connected");
    int st = xenbus_wait_state(nic.be, 1u << XenbusStateClosing | 1u << XenbusStateClosed |
                               1u << XenbusStateUnknown, 60000);
    if (st < 0)
        return fail("the backend did not start closing within 60 s");
    note("backend went to %s: disconnecting", xenbus_state_name(st));
    net_down();
    return NULL;
}
