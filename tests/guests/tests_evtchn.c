/*
 * Event channels between two domains (run by name, one test per domain):
 *
 *   evtchn_ping peer=N [rounds=R]   EVTCHNOP_alloc_unbound for d<N>, which
 *                                   must give port 1; waits for pong's
 *                                   "ready" event, then R round trips:
 *                                   send, block until the answer came.
 *   evtchn_pong peer=N [rounds=R]   EVTCHNOP_bind_interdomain to (d<N>,
 *                                   port 1), retried until ping allocated
 *                                   it; sends "ready", then answers R
 *                                   events.
 *
 * Both count every event per port in the upcall handler and want each one
 * exactly once: after round i ping has seen i+1 events (ready + i
 * answers), pong i (plus the one its own bind may raise, see below), and
 * nothing on any other port, also after a short wait at the end.  Both
 * check EVTCHNOP_status (interdomain, the right peer) and close their
 * port (EVTCHNOP_status then says closed).  Ping reports the round trips
 * as "BENCH evtchn_rtt <R> <cycles> [<ns>]".  R defaults to 100000 and
 * must be the same on both sides.
 */
#include "xen_events.h"

#define PING_PORT        1              /* the first port alloc_unbound gives */
#define BIND_TIMEOUT_MS  20000          /* pong: ping must allocate the port by then */
#define READY_TIMEOUT_MS 40000          /* ping: pong binds within its 20 s, then says so */
#define SETTLE_MS        50             /* late, duplicated events would come in by then */
#define DEFAULT_ROUNDS   100000

/* No more events than want, anywhere, also a little later. */
static const char *check_final(evtchn_port_t port, uint64_t want)
{
    xev_settle(SETTLE_MS);
    if (xev_count[port] != want)
        return fail("%u events on port %u at the end, want %lu", xev_count[port], port,
                    (unsigned long)want);
    if (xev_events != want)
        return fail("%lu events in all, want %lu: events on other ports",
                    (unsigned long)xev_events, (unsigned long)want);
    return NULL;
}

const char *test_evtchn_ping(void)
{
    domid_t peer;
    uint64_t rounds, cycles = 0;
    evtchn_port_t port;
    struct evtchn_status st;
    int rc;
    const char *why = xev_peer_options("peer", &peer, &rounds, DEFAULT_ROUNDS);
    if (why || (why = xev_init()))
        return why;
    xev_reset_counts();

    rc = xev_alloc_unbound(peer, &port);
    if (rc)
        return fail("EVTCHNOP_alloc_unbound(remote d%u): %d", peer, rc);
    if (port != PING_PORT) {
        xev_close(port);
        return fail("EVTCHNOP_alloc_unbound gave port %u, want %u (the one pong binds)", port, PING_PORT);
    }
    /* Unbound for the peer -- or already bound by it, if pong is quick. */
    rc = xev_status(port, &st);
    if (rc || !((st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == peer) ||
                (st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == peer))) {
        xev_close(port);
        return fail("EVTCHNOP_status(port %u): %d, status %u for d%u; want unbound (%u) for d%u",
                    port, rc, st.status, st.u.unbound.dom, EVTCHNSTAT_unbound, peer);
    }
    note("port %u unbound for d%u; waiting for pong's ready event", port, peer);

    if (!xev_wait_count(port, 1, false, READY_TIMEOUT_MS)) {
        xev_close(port);
        return fail("no ready event from d%u within %u s", peer, READY_TIMEOUT_MS / 1000);
    }
    why = xev_check_interdomain(port, peer, 0);
    if (why) {
        xev_close(port);
        return why;
    }

    uint64_t t0 = rdtsc();
    for (uint64_t i = 0; i < rounds; i++) {
        uint32_t want = (uint32_t)(i + 2);          /* ready + i + 1 answers */
        rc = xev_send(port);
        if (rc) {
            why = fail("round %lu: EVTCHNOP_send(port %u): %d", (unsigned long)i, port, rc);
            break;
        }
        xev_wait_count(port, want, true, 0);
        if (xev_count[port] != want) {
            why = fail("round %lu: %u events on port %u, want %u: an event came twice",
                       (unsigned long)i, xev_count[port], port, want);
            break;
        }
    }
    cycles = rdtsc() - t0;

    if (!why)
        why = check_final(port, rounds + 1);
    xev_note_upcalls();
    if (why)
        xev_close(port);
    else
        why = xev_close_checked(port);
    if (!why)
        bench_report("evtchn_rtt", rounds, cycles);
    return why;
}

const char *test_evtchn_pong(void)
{
    domid_t peer;
    uint64_t rounds;
    evtchn_port_t port;
    int rc;
    const char *why = xev_peer_options("peer", &peer, &rounds, DEFAULT_ROUNDS);
    if (why || (why = xev_init()))
        return why;
    xev_reset_counts();

    if (!xev_bind_retry(peer, PING_PORT, BIND_TIMEOUT_MS, &port, &rc))
        return fail("EVTCHNOP_bind_interdomain(d%u, port %u) still fails after %u s: %d", peer,
                    PING_PORT, BIND_TIMEOUT_MS / 1000, rc);
    /*
     * Xen raises the new local port of a bind (ping may have sent while
     * it was unbound).  Take that event now, with IF=0, so that it cannot
     * merge with ping's first one; it may or may not be there.
     */
    xev_poll();
    uint32_t base = xev_count[port];
    if (base > 1 || xev_events != base) {
        xev_close(port);
        return fail("%lu events right after binding port %u, want at most one, on that port",
                    (unsigned long)xev_events, port);
    }
    note("port %u bound to d%u port %u%s", port, peer, PING_PORT,
         base ? "; the bind raised it, as in Xen" : "");
    why = xev_check_interdomain(port, peer, PING_PORT);
    if (why) {
        xev_close(port);
        return why;
    }

    rc = xev_send(port);                            /* ready */
    if (rc) {
        xev_close(port);
        return fail("EVTCHNOP_send(port %u) (ready): %d", port, rc);
    }
    for (uint64_t i = 1; i <= rounds; i++) {
        uint32_t want = base + (uint32_t)i;
        xev_wait_count(port, want, true, 0);
        if (xev_count[port] != want) {
            why = fail("round %lu: %u events on port %u, want %u: an event came twice",
                       (unsigned long)i - 1, xev_count[port], port, want);
            break;
        }
        rc = xev_send(port);
        if (rc) {
            why = fail("round %lu: EVTCHNOP_send(port %u): %d", (unsigned long)i - 1, port, rc);
            break;
        }
    }

    if (!why)
        why = check_final(port, base + rounds);
    xev_note_upcalls();
    if (why)
        xev_close(port);
    else
        why = xev_close_checked(port);
    return why;
}
