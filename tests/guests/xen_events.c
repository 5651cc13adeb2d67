/*
 * Xen event channels, 2-level ABI (<xen/xen.h> "Event channel endpoints",
 * <xen/event_channel.h>), for PVH guests that get their upcall as a vector
 * (HVM_PARAM_CALLBACK_TYPE_VECTOR, <xen/hvm/params.h>): what Linux does in
 * xen_hvm_init_shared_info(), xen_set_callback_via() and
 * __xen_evtchn_do_upcall(), cut down to one vCPU.  See xen_events.h.
 */
#include "xen_events.h"
#include <xen/vcpu.h>

struct shared_info *xev_shared;
volatile uint32_t xev_count[EVTCHN_2L_NR_CHANNELS];
volatile uint64_t xev_events;
volatile uint64_t xev_upcalls, xev_empty_upcalls, xev_block_fixups, xev_shadow_upcalls;
static bool callback_set;
evtchn_port_t xev_timer_port;

#define WORD_BITS (sizeof(xen_ulong_t) * 8)

/* One pass of the 2-level scan on vCPU 0; called with IF=0 (the handler,
 * or xev_poll()).  Events found. */
static unsigned int scan(void)
{
    struct shared_info *s = xev_shared;
    struct vcpu_info *vi = &s->vcpu_info[0];
    unsigned int found = 0;

    /* Clear the flag before looking (<xen/xen.h> vcpu_info): an event
     * raised after this sets it again and brings another upcall. */
    __atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
    xen_ulong_t sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while (sel) {
        unsigned int w = (unsigned int)__builtin_ctzl(sel);
        sel &= sel - 1;
        xen_ulong_t live = __atomic_load_n(&s->evtchn_pending[w], __ATOMIC_SEQ_CST) &
                           ~__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_SEQ_CST);
        while (live) {
            unsigned int b = (unsigned int)__builtin_ctzl(live);
            xen_ulong_t bit = (xen_ulong_t)1 << b;
            live &= live - 1;
            /* LOCK AND: the hypervisor sets bits of this word meanwhile. */
            if (__atomic_fetch_and(&s->evtchn_pending[w], ~bit, __ATOMIC_SEQ_CST) & bit) {
                xev_count[w * WORD_BITS + b]++;
                xev_events++;
                found++;
            }
        }
    }
    return found;
}

/* VEC_UPCALL, through isr.S and trap_dispatch(); an interrupt gate, so
 * IF=0 until the IRETQ. */
static void upcall(struct trap_frame *f)
{
    xev_upcalls++;
    switch (xen_block_fixup(f)) {
    case 2:
        xev_shadow_upcalls++;
        /* fall through */
    case 1:
        xev_block_fixups++;
        break;
    }
    if (!xev_shared || !scan())
        xev_empty_upcalls++;
}

const char *xev_init(void)
{
    if (!xen_present)
        return fail("needs Xen: no hypercall page");
    if (!xev_shared) {
        /* Like Linux: a RAM frame of ours becomes shared_info. */
        uint64_t pa = frame_alloc();
        if (!pa)
            return fail("no frame for shared_info");
        struct xen_add_to_physmap xatp = {
            .domid = DOMID_SELF,
            .space = XENMAPSPACE_shared_info,
            .idx = 0,
            .gpfn = pa >> 12,
        };
        long rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
        if (rc) {
            frame_free(pa);
            return fail("XENMEM_add_to_physmap(shared_info, gpfn %#lx): %ld", pa >> 12, rc);
        }
        frame_given_away(pa);
        xev_shared = phys(pa);
        /* HVM upcalls are gated by RFLAGS.IF; keep Xen's PV mask open. */
        xev_shared->vcpu_info[0].evtchn_upcall_mask = 0;
        kprintf("svguest: %s: shared_info at gpa %#lx\n", current_test, pa);
    }
    irq_hook = upcall;
    if (!callback_set) {
        struct xen_hvm_param p = {
            .domid = DOMID_SELF,
            .index = HVM_PARAM_CALLBACK_IRQ,
            .value = ((uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56) | VEC_UPCALL,
        };
        long rc = HYPERVISOR_hvm_op(HVMOP_set_param, &p);
        if (rc)
            return fail("HVMOP_set_param(HVM_PARAM_CALLBACK_IRQ, vector %#x): %ld", VEC_UPCALL, rc);
        callback_set = true;
    }
    return NULL;
}

void xev_reset_counts(void)
{
    irq_disable();
    memset((void *)xev_count, 0, sizeof(xev_count));
    xev_events = xev_upcalls = xev_empty_upcalls = xev_block_fixups = xev_shadow_upcalls = 0;
}

unsigned int xev_poll(void)
{
    unsigned int n = 0, got;
    if (!xev_shared)
        return 0;
    while ((got = scan()) != 0)
        n += got;
    return n;
}

/* Xen system time now (<xen/xen.h> vcpu_time_info: the TSC scaled from
 * the last stamp; version odd or changed means an update raced us). */
static uint64_t system_time_ns(void)
{
    volatile struct vcpu_time_info *t = &xev_shared->vcpu_info[0].time;
    uint32_t version;
    uint64_t ns;
    do {
        version = t->version;
        barrier();
        uint64_t delta = rdtsc() - t->tsc_timestamp;
        if (t->tsc_shift >= 0)
            delta <<= t->tsc_shift;
        else
            delta >>= -t->tsc_shift;
        ns = t->system_time + (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
        barrier();
    } while ((version & 1) || version != t->version);
    return ns;
}

const char *xev_timer_init(void)
{
    if (!xev_shared)
        return fail("xev_timer_init before xev_init");
    struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 0 };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &b);
    if (rc)
        return fail("EVTCHNOP_bind_virq(VIRQ_TIMER): %ld", rc);
    xev_timer_port = b.port;
    return NULL;
}

/* With VIRQ_TIMER bound, a block with a deadline arms the one-shot timer
 * so that the deadline wakes us even when no other event comes. */
static void arm_timer(uint64_t deadline_tsc)
{
    uint64_t now = rdtsc();
    if (!xev_timer_port || deadline_tsc <= now)
        return;
    struct vcpu_set_singleshot_timer t = {
        .timeout_abs_ns = system_time_ns() + cycles_to_ns(deadline_tsc - now) + 1000,
        .flags = 0,
    };
    HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
}

bool xev_wait(xev_cond_t cond, void *arg, bool block, uint64_t timeout_ms)
{
    uint64_t deadline = timeout_ms ? rdtsc() + ms_to_cycles(timeout_ms) : 0;
    for (;;) {
        irq_disable();
        if (cond(arg))
            return true;
        if (deadline && rdtsc() > deadline)
            return false;
        if (block) {
            if (deadline)
                arm_timer(deadline);
            xen_block_sti();
        } else {
            irq_enable();
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        }
    }
}

struct count_want { evtchn_port_t port; uint32_t want; };

static bool count_reached(void *arg)
{
    const struct count_want *c = arg;
    return xev_count[c->port] >= c->want;
}

bool xev_wait_count(evtchn_port_t port, uint32_t want, bool block, uint64_t timeout_ms)
{
    struct count_want c = { port, want };
    if (port >= EVTCHN_2L_NR_CHANNELS)
        return false;
    return xev_wait(count_reached, &c, block, timeout_ms);
}

static bool never(void *arg)
{
    (void)arg;
    return false;
}

void xev_settle(uint64_t ms)
{
    (void)xev_wait(never, NULL, false, ms ? ms : 1);
}

int xev_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = remote };
    int rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a);
    if (!rc)
        *port = a.port;
    return rc;
}

int xev_bind_interdomain(domid_t remote, evtchn_port_t remote_port, evtchn_port_t *local)
{
    struct evtchn_bind_interdomain b = { .remote_dom = remote, .remote_port = remote_port };
    int rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &b);
    if (!rc)
        *local = b.local_port;
    return rc;
}

bool xev_bind_retry(domid_t remote, evtchn_port_t remote_port, uint64_t timeout_ms,
                    evtchn_port_t *local, int *rc)
{
    uint64_t deadline = rdtsc() + ms_to_cycles(timeout_ms);
    for (;;) {
        *rc = xev_bind_interdomain(remote, remote_port, local);
        if (!*rc)
            return true;
        if (rdtsc() > deadline)
            return false;
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
}

int xev_send(evtchn_port_t port)
{
    struct evtchn_send s = { .port = port };
    return (int)HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

int xev_close(evtchn_port_t port)
{
    struct evtchn_close c = { .port = port };
    return (int)HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
}

int xev_status(evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = DOMID_SELF;
    st->port = port;
    return (int)HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}

const char *xev_check_interdomain(evtchn_port_t port, domid_t remote, evtchn_port_t remote_port)
{
    struct evtchn_status st;
    int rc = xev_status(port, &st);
    if (rc)
        return fail("EVTCHNOP_status(port %u): %d", port, rc);
    if (st.status != EVTCHNSTAT_interdomain)
        return fail("EVTCHNOP_status(port %u): status %u, want %u (interdomain)", port, st.status,
                    EVTCHNSTAT_interdomain);
    if (st.u.interdomain.dom != remote)
        return fail("EVTCHNOP_status(port %u): interdomain with d%u, want d%u", port,
                    st.u.interdomain.dom, remote);
    if (remote_port && st.u.interdomain.port != remote_port)
        return fail("EVTCHNOP_status(port %u): interdomain with d%u port %u, want port %u", port,
                    remote, st.u.interdomain.port, remote_port);
    return NULL;
}

const char *xev_close_checked(evtchn_port_t port)
{
    struct evtchn_status st;
    int rc = xev_close(port);
    if (rc)
        return fail("EVTCHNOP_close(port %u): %d", port, rc);
    rc = xev_status(port, &st);
    if (rc)
        return fail("EVTCHNOP_status(port %u) after close: %d", port, rc);
    if (st.status != EVTCHNSTAT_closed)
        return fail("port %u: status %u after EVTCHNOP_close, want %u (closed)", port, st.status,
                    EVTCHNSTAT_closed);
    return NULL;
}

const char *xev_peer_options(const char *key, domid_t *peer, uint64_t *rounds, uint64_t def_rounds)
{
    const char *v;
    size_t n;
    uint64_t x;
    if (!cmdline_u64(key, &x) || x == 0 || x >= DOMID_FIRST_RESERVED)
        return fail("needs %s=<domid of the other domain> (1 .. %u)", key, DOMID_FIRST_RESERVED - 1);
    *peer = (domid_t)x;
    if (!rounds)
        return NULL;
    *rounds = def_rounds;
    if (cmdline_get("rounds", &v, &n)) {
        if (!cmdline_u64("rounds", &x) || x == 0 || x > 1000000000)
            return fail("rounds= wants a number from 1 to 1000000000");
        *rounds = x;
    }
    return NULL;
}

void xev_note_upcalls(void)
{
    note("%lu events in %lu upcalls (%lu found nothing); %lu blocks cut short by an upcall "
         "before their VMMCALL, %lu of them in the STI shadow",
         (unsigned long)xev_events, (unsigned long)xev_upcalls, (unsigned long)xev_empty_upcalls,
         (unsigned long)xev_block_fixups, (unsigned long)xev_shadow_upcalls);
}
