/*
 * Xen event channels for the peer tests (tests_evtchn.c, tests_grant.c):
 * shared_info, the upcall, per-port event counts and the ways to wait.
 * Every structure and constant is from Xen's public headers; the Makefile
 * selects the current interface (__XEN_INTERFACE_VERSION__).
 *
 * How a test uses it: xev_init() maps shared_info (XENMEM_add_to_physmap,
 * XENMAPSPACE_shared_info, over one of our RAM frames) and has the upcall
 * come as VEC_UPCALL (HVMOP_set_param HVM_PARAM_CALLBACK_IRQ, vector
 * type).  The handler runs the 2-level scan (<xen/xen.h>: clear
 * evtchn_upcall_pending, take evtchn_pending_sel, then pending & ~mask of
 * each selected word, clearing each pending bit atomically) and counts
 * every event per port in xev_count[].  Tests run with IF=0 and open the
 * interrupt window only while they wait: xev_wait() checks its condition
 * with IF=0, then either blocks (STI + SCHEDOP_block, woken by the next
 * event) or yields with IF=1 (and gives up at a deadline).
 */
#ifndef SVGUEST_XEN_EVENTS_H
#define SVGUEST_XEN_EVENTS_H

#include "svguest.h"                 /* first: Xen's headers need <stdint.h> */
#include <xen/xen.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/sched.h>

/*
 * <xen/io/ring.h> leaves its barriers to the includer (Linux: virt_mb()
 * and friends).  x86 keeps loads in order and stores in order, so rmb and
 * wmb only stop the compiler; mb must also order a store before a later
 * load (the producer index before the event index), which takes MFENCE.
 */
#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() barrier()
#define xen_wmb() barrier()
#include <xen/io/ring.h>

/* ---- xen_events.c ---- */
extern struct shared_info *xev_shared;              /* NULL until xev_init() */
extern volatile uint32_t xev_count[EVTCHN_2L_NR_CHANNELS];
extern volatile uint64_t xev_events;                /* all ports */
extern volatile uint64_t xev_upcalls, xev_empty_upcalls;
extern volatile uint64_t xev_block_fixups, xev_shadow_upcalls;  /* see xen_block_fixup() */

/* NULL, or why events cannot work (not under Xen, a hypercall failed). */
const char *xev_init(void);
void xev_reset_counts(void);
/* Run the handler's scan with IF=0 (events raised by our own hypercall,
 * e.g. the new port of EVTCHNOP_bind_interdomain).  Events found. */
unsigned int xev_poll(void);

/* VIRQ_TIMER bound to a port (xev_timer_port), so that blocking waits
 * with a deadline arm the one-shot timer (VCPUOP_set_singleshot_timer) and
 * wake at it.  NULL or why not. */
extern evtchn_port_t xev_timer_port;
const char *xev_timer_init(void);

/* Wait until cond(arg), with upcalls taken while waiting.  block: sleep in
 * SCHEDOP_block between checks (without xev_timer_init(), the deadline is
 * only looked at when an event woke us); else SCHEDOP_yield.  timeout_ms 0: no deadline.  Returns
 * with IF=0; false on timeout. */
typedef bool (*xev_cond_t)(void *arg);
bool xev_wait(xev_cond_t cond, void *arg, bool block, uint64_t timeout_ms);
/* xev_count[port] >= want. */
bool xev_wait_count(evtchn_port_t port, uint32_t want, bool block, uint64_t timeout_ms);
/* Yield with IF=1 for about ms milliseconds: late (extra) events come in. */
void xev_settle(uint64_t ms);

/* EVTCHNOP_* on our own ports; 0 or a negative Xen errno. */
int xev_alloc_unbound(domid_t remote, evtchn_port_t *port);
int xev_bind_interdomain(domid_t remote, evtchn_port_t remote_port, evtchn_port_t *local);
/* Retries (yielding) while it fails, up to timeout_ms; *rc gets the last
 * answer (0 when bound). */
bool xev_bind_retry(domid_t remote, evtchn_port_t remote_port, uint64_t timeout_ms,
                    evtchn_port_t *local, int *rc);
int xev_send(evtchn_port_t port);
int xev_close(evtchn_port_t port);
int xev_status(evtchn_port_t port, struct evtchn_status *st);
/* EVTCHNOP_close, then EVTCHNOP_status must say closed. */
const char *xev_close_checked(evtchn_port_t port);
/* key=<domid> (required, 1 .. DOMID_FIRST_RESERVED-1) and, if rounds is not
 * NULL, rounds=<n> (default def_rounds, 1 .. 10^9).  NULL or why not. */
const char *xev_peer_options(const char *key, domid_t *peer, uint64_t *rounds, uint64_t def_rounds);
/* Note the upcall counters (svguest: <test>: ...). */
void xev_note_upcalls(void);
/* NULL if port is interdomain with remote (and, unless remote_port is
 * 0, its port there), else why not. */
const char *xev_check_interdomain(evtchn_port_t port, domid_t remote, evtchn_port_t remote_port);

#endif
