/*
 * Grant tables between domains (run by name, one test per domain):
 *
 *   grant_give peer=N [rounds=R]   the grantor.  Maps its grant-table frame
 *       0 (XENMEM_add_to_physmap, XENMAPSPACE_grant_table), grants d<N> ref
 *       8 (the first after GNTTAB_NR_RESERVED_ENTRIES) read-write: a zeroed
 *       page holding an <xen/io/ring.h> ring and, after it, a control block
 *       (struct ctl); and ref 9 read-only: a page of a known pattern.  Then
 *       EVTCHNOP_alloc_unbound for d<N> twice: port 1 carries the ring's
 *       and the control block's notifications, port 2 only take's final
 *       "done".  It pushes R requests (id, value) with
 *       RING_PUSH_REQUESTS_AND_CHECK_NOTIFY and checks every response is
 *       value*2+1; checks the bytes take's GNTTABOP_copy wrote; and once
 *       take said done, ends both grants the way Linux's
 *       gnttab_end_foreign_access_ref() does (which fails while Xen still
 *       has GTF_reading/GTF_writing set, i.e. take still maps them).
 *   grant_take peer=N [rounds=R]   the mapper.  Binds to (d<N>, 1) and
 *       (d<N>, 2) (retried until give allocated them), maps ref 8 at gpa
 *       0xC0000000 (retried until GNTST_okay), checks it sees give's
 *       control block, says ready and answers the R requests (back ring).
 *       Then: GNTTABOP_copy from its own frame (gmfn, DOMID_SELF) into ref
 *       8 at offset 4000, length 96 (must work; give checks the bytes,
 *       take sees them through its mapping) and length 200 (must be
 *       GNTST_bad_copy_arg); a writable map of the read-only ref 9 (must
 *       fail with GNTST_permission_denied or GNTST_general_error), a
 *       read-only one (must work and show give's pattern); unmaps both
 *       and checks a second unmap of the same handle fails; sends done.
 *   grant_give ... thief=T          also grants ref 10 (read-only, a known
 *       pattern) to d<T>, after ref 8, and keeps it until T unmapped it.
 *   grant_thief victim=N            a third domain: first maps d<N>'s ref
 *       10, granted to it (retried for up to 20 s until the victim made
 *       it): that proves the victim's grants, ref 8 included, are live.
 *       Then a map of ref 8 (granted to another domain) must be refused
 *       (GNTST_permission_denied, or GNTST_general_error while the other
 *       domain has it pinned), and GNTTABOP_copy from it too; then it
 *       unmaps ref 10.
 *
 * R defaults to 10000 and must be the same on both sides (give writes it
 * into the control block; take checks).  Grant-mapped frames go at
 * guest-physical addresses above our RAM and below 4 GiB, which the boot
 * page tables already map; they are touched only while mapped.
 */
#include "xen_events.h"

#define REF_RING         8              /* GNTTAB_NR_RESERVED_ENTRIES: the first free ref */
#define REF_RO           9
#define REF_THIEF        10             /* the control grant a thief may map */
#define MAP_GPA(n)       (0xC0000000ull + (uint64_t)(n) * PAGE_SIZE)
#define GIVE_PORT_RING   1
#define GIVE_PORT_DONE   2
#define COPY_OFF         4000
#define COPY_LEN         96
#define BAD_COPY_LEN     200            /* 4000 + 200 > 4096 */
#define BAD_COPY_SRC     2048           /* where the refused copy's bytes come from */
#define CTL_OFF          2560
#define CTL_MAGIC        0x73766774u    /* "svgt" */
#define START_TIMEOUT_MS 20000          /* take: binding, then mapping */
#define PEER_TIMEOUT_MS  60000          /* give: waiting for take */
#define THIEF_TIMEOUT_MS 20000
#define DEFAULT_ROUNDS   10000

/* The ring: 16-byte entries, 128 of them in the page (64 + 2048 bytes). */
struct svt_request { uint64_t id, value; };
struct svt_response { uint64_t id, value; };
DEFINE_RING_TYPES(svt, struct svt_request, struct svt_response);

/* After the ring, in the same page; each field has one writer. */
struct ctl {
    uint32_t magic;                     /* give: CTL_MAGIC, before granting */
    uint32_t rounds;                    /* give */
    uint32_t take_state;                /* take: TAKE_* */
    uint32_t give_state;                /* give: GIVE_* */
};
enum { TAKE_NONE, TAKE_READY, TAKE_COPIED, TAKE_ABORT };
enum { GIVE_NONE, GIVE_ABORT };

_Static_assert(offsetof(struct svt_sring, ring) +
               __CONST_RING_SIZE(svt, 4096) * sizeof(union svt_sring_entry) <= CTL_OFF,
               "the ring overlaps the control block");
_Static_assert(CTL_OFF + sizeof(struct ctl) <= COPY_OFF, "the control block overlaps the copy target");
_Static_assert(COPY_OFF + COPY_LEN == 4096 && COPY_OFF + BAD_COPY_LEN > 4096, "copy sizes");

static uint32_t ld32(const uint32_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static void st32(uint32_t *p, uint32_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }

static uint64_t req_value(uint64_t id) { return id * 0x9e3779b97f4a7c15ull ^ 0x5eed; }
static uint8_t ro_byte(uint64_t i) { return (uint8_t)(i * 7 + 3); }
static uint8_t copy_byte(uint64_t i) { return (uint8_t)(0xc0 + i); }
#define BAD_COPY_BYTE 0xee

static const char *gntst(int16_t st)
{
    static const char *const msgs[] = GNTTABOP_error_msgs;
    return st <= 0 && -st < (int)ARRAY_SIZE(msgs) ? msgs[-st] : "unknown status";
}

/* Grant mappings go at MAP_GPA(n), which must not be RAM of ours. */
static const char *check_map_room(void)
{
    if (mem_ram_bytes() + MiB > MAP_GPA(0))
        return fail("needs less than %llu MiB of RAM: grants are mapped at %#llx",
                    MAP_GPA(0) / MiB - 1, MAP_GPA(0));
    return NULL;
}

/* ---- grant-table frame 0, mapped once per boot ------------------------ */
static grant_entry_v1_t *gnt_shared;

static const char *gnt_map_table(void)
{
    if (gnt_shared)
        return NULL;
    uint64_t pa = frame_alloc();
    if (!pa)
        return fail("no frame for the grant table");
    struct xen_add_to_physmap xatp = {
        .domid = DOMID_SELF,
        .space = XENMAPSPACE_grant_table,
        .idx = 0,
        .gpfn = pa >> 12,
    };
    long rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
    if (rc) {
        frame_free(pa);
        return fail("XENMEM_add_to_physmap(grant_table 0, gpfn %#lx): %ld", pa >> 12, rc);
    }
    frame_given_away(pa);
    gnt_shared = phys(pa);
    kprintf("svguest: %s: grant-table frame 0 at gpa %#lx\n", current_test, pa);
    return NULL;
}

/* Linux's gnttab_grant_foreign_access_ref(): frame and domid, then flags. */
static void gnt_grant(grant_ref_t ref, domid_t to, uint64_t pa, bool readonly)
{
    grant_entry_v1_t *e = &gnt_shared[ref];
    e->domid = to;
    e->frame = (uint32_t)(pa >> 12);
    __atomic_store_n(&e->flags, (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)),
                     __ATOMIC_RELEASE);
}

/* Linux's gnttab_end_foreign_access_ref() for v1: the entry goes back to 0
 * unless Xen says someone still reads or writes through it. */
static bool gnt_end(grant_ref_t ref, uint16_t *flags)
{
    uint16_t f = __atomic_load_n(&gnt_shared[ref].flags, __ATOMIC_ACQUIRE);
    do {
        *flags = f;
        if (f & (GTF_reading | GTF_writing))
            return false;
    } while (!__atomic_compare_exchange_n(&gnt_shared[ref].flags, &f, 0, false, __ATOMIC_SEQ_CST,
                                          __ATOMIC_SEQ_CST));
    return true;
}

/* ---- grant_table_op wrappers: the op's status, or GNTST_general_error
 * when the hypercall itself failed (noted) --------------------------- */
static int16_t op_failed(const char *what, long rc)
{
    note("GNTTABOP_%s: hypercall returned %ld", what, rc);
    return GNTST_general_error;
}

static int16_t gnt_map(domid_t dom, grant_ref_t ref, uint64_t gpa, bool readonly, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = gpa,
        .flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
        .ref = ref,
        .dom = dom,
    };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);
    if (rc)
        return op_failed("map_grant_ref", rc);
    if (op.status == GNTST_okay)
        *handle = op.handle;
    return op.status;
}

static int16_t gnt_unmap(uint64_t gpa, grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = gpa, .handle = handle };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);
    return rc ? op_failed("unmap_grant_ref", rc) : op.status;
}

/* len bytes from our own frame src_pa + src_off into dom's ref at dst_off. */
static int16_t gnt_copy_to_ref(uint64_t src_pa, uint16_t src_off, domid_t dom, grant_ref_t ref,
                               uint16_t dst_off, uint16_t len)
{
    struct gnttab_copy op = {
        .source = { .u.gmfn = src_pa >> 12, .domid = DOMID_SELF, .offset = src_off },
        .dest = { .u.ref = ref, .domid = dom, .offset = dst_off },
        .len = len,
        .flags = GNTCOPY_dest_gref,
    };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, &op, 1);
    return rc ? op_failed("copy", rc) : op.status;
}

/* len bytes from dom's ref at offset 0 into our own frame dst_pa. */
static int16_t gnt_copy_from_ref(domid_t dom, grant_ref_t ref, uint64_t dst_pa, uint16_t len)
{
    struct gnttab_copy op = {
        .source = { .u.ref = ref, .domid = dom, .offset = 0 },
        .dest = { .u.gmfn = dst_pa >> 12, .domid = DOMID_SELF, .offset = 0 },
        .len = len,
        .flags = GNTCOPY_source_gref,
    };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, &op, 1);
    return rc ? op_failed("copy", rc) : op.status;
}

/* ---- waiting on the control block ------------------------------------ */
struct ctl_wait {
    const uint32_t *field;              /* wait until it is >= want ... */
    uint32_t want;
    const uint32_t *abort_field;        /* ... or this one is abort_value */
    uint32_t abort_value;
    evtchn_port_t port;                 /* ... or, if want_events, that many events came */
    uint32_t want_events;
};

static bool ctl_reached(void *arg)
{
    const struct ctl_wait *w = arg;
    return (w->field && ld32(w->field) >= w->want) ||
           (w->abort_field && ld32(w->abort_field) == w->abort_value) ||
           (w->want_events && xev_count[w->port] >= w->want_events);
}

/* ===================================================================== */

struct give {
    domid_t peer, thief;                /* thief 0: none */
    uint64_t thief_pa;
    uint64_t rounds;
    uint64_t ring_pa, ro_pa;
    struct ctl *ctl;
    evtchn_port_t port, done_port;
    bool granted, have_port, have_done_port, take_started;
};

/* The front end: every request pushed, every response checked.  Waits
 * for events (blocking) when it can neither push nor consume. */
static const char *give_ring(struct give *g)
{
    struct svt_front_ring front;
    FRONT_RING_ATTACH(&front, (struct svt_sring *)phys(g->ring_pa), 0, PAGE_SIZE);
    uint64_t next = 0, done = 0, notifies = 0;
    while (done < g->rounds) {
        uint32_t seen = xev_count[g->port];
        int notify, more;

        while (next < g->rounds && !RING_FULL(&front)) {
            struct svt_request *req = RING_GET_REQUEST(&front, front.req_prod_pvt);
            req->id = next;
            req->value = req_value(next);
            front.req_prod_pvt++;
            next++;
        }
        RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
        if (notify) {
            int rc = xev_send(g->port);
            if (rc)
                return fail("EVTCHNOP_send(port %u): %d", g->port, rc);
            notifies++;
        }
        do {
            while (RING_HAS_UNCONSUMED_RESPONSES(&front)) {
                struct svt_response rsp;
                RING_COPY_RESPONSE(&front, front.rsp_cons, &rsp);
                front.rsp_cons++;
                if (rsp.id != done || rsp.value != req_value(done) * 2 + 1)
                    return fail("response %lu: id %lu value %#lx, want id %lu value %#lx",
                                (unsigned long)done, (unsigned long)rsp.id, (unsigned long)rsp.value,
                                (unsigned long)done, (unsigned long)(req_value(done) * 2 + 1));
                done++;
            }
            RING_FINAL_CHECK_FOR_RESPONSES(&front, more);
        } while (more);

        if (done < g->rounds && (next == g->rounds || RING_FULL(&front))) {
            struct ctl_wait w = { .abort_field = &g->ctl->take_state, .abort_value = TAKE_ABORT,
                                  .port = g->port, .want_events = seen + 1 };
            xev_wait(ctl_reached, &w, true, 0);
            if (ld32(&g->ctl->take_state) == TAKE_ABORT)
                return fail("take gave up during the ring (see its FAIL line)");
        }
    }
    note("%lu requests answered; %lu notifications sent", (unsigned long)done, (unsigned long)notifies);
    return NULL;
}

static const char *give_check_copy(struct give *g)
{
    const uint8_t *page = phys(g->ring_pa);
    for (unsigned int i = 0; i < COPY_LEN; i++)
        if (page[COPY_OFF + i] != copy_byte(i))
            return fail("byte %u of take's GNTTABOP_copy is %#x, want %#x%s", COPY_OFF + i,
                        page[COPY_OFF + i], copy_byte(i),
                        page[COPY_OFF + i] == BAD_COPY_BYTE ? " (from the copy that should have been refused)" : "");
    for (unsigned int i = CTL_OFF + sizeof(struct ctl); i < COPY_OFF; i++)
        if (page[i])
            return fail("byte %u of the ring page changed to %#x", i, page[i]);
    return NULL;
}

static const char *give_run(struct give *g)
{
    const char *why;
    int rc;

    if ((why = gnt_map_table()))
        return why;
    struct gnttab_query_size qs = { .dom = DOMID_SELF };
    long hrc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &qs, 1);
    if (hrc || qs.status != GNTST_okay || qs.nr_frames < 1 || qs.max_nr_frames < qs.nr_frames)
        return fail("GNTTABOP_query_size: %ld, status %d, %u of %u frames", hrc, qs.status,
                    qs.nr_frames, qs.max_nr_frames);
    note("grant table: %u of at most %u frames", qs.nr_frames, qs.max_nr_frames);

    g->ring_pa = frame_alloc_zero();
    g->ro_pa = frame_alloc_zero();
    if (!g->ring_pa || !g->ro_pa)
        return fail("out of frames");
    uint8_t *ro = phys(g->ro_pa);
    for (uint64_t i = 0; i < PAGE_SIZE; i++)
        ro[i] = ro_byte(i);
    SHARED_RING_INIT((struct svt_sring *)phys(g->ring_pa));
    g->ctl = phys(g->ring_pa + CTL_OFF);
    g->ctl->rounds = (uint32_t)g->rounds;
    g->ctl->magic = CTL_MAGIC;

    gnt_grant(REF_RING, g->peer, g->ring_pa, false);
    gnt_grant(REF_RO, g->peer, g->ro_pa, true);
    g->granted = true;
    if (g->thief) {
        /* After ref 8: a thief that maps this one knows ref 8 is granted. */
        g->thief_pa = frame_alloc_zero();
        if (!g->thief_pa)
            return fail("out of frames");
        uint8_t *t = phys(g->thief_pa);
        for (uint64_t i = 0; i < PAGE_SIZE; i++)
            t[i] = ro_byte(i + 1);
        gnt_grant(REF_THIEF, g->thief, g->thief_pa, true);
        note("ref %u (ro) granted to d%u, the thief", REF_THIEF, g->thief);
    }

    rc = xev_alloc_unbound(g->peer, &g->port);
    if (rc)
        return fail("EVTCHNOP_alloc_unbound(remote d%u): %d", g->peer, rc);
    g->have_port = true;
    rc = xev_alloc_unbound(g->peer, &g->done_port);
    if (rc)
        return fail("EVTCHNOP_alloc_unbound(remote d%u), second: %d", g->peer, rc);
    g->have_done_port = true;
    if (g->port != GIVE_PORT_RING || g->done_port != GIVE_PORT_DONE)
        return fail("EVTCHNOP_alloc_unbound gave ports %u and %u, want %u and %u (the ones take binds)",
                    g->port, g->done_port, GIVE_PORT_RING, GIVE_PORT_DONE);
    note("refs %u (rw) and %u (ro) granted to d%u, ports %u and %u unbound for it", REF_RING, REF_RO,
         g->peer, g->port, g->done_port);

    struct ctl_wait ready = { .field = &g->ctl->take_state, .want = TAKE_READY };
    if (!xev_wait(ctl_reached, &ready, false, PEER_TIMEOUT_MS))
        return fail("take did not say ready within %u s", PEER_TIMEOUT_MS / 1000);
    g->take_started = true;
    if (ld32(&g->ctl->take_state) == TAKE_ABORT)
        return fail("take gave up before the ring (see its FAIL line)");
    if ((why = xev_check_interdomain(g->port, g->peer, 0)) ||
        (why = xev_check_interdomain(g->done_port, g->peer, 0)))
        return why;
    note("take is ready; ref %u flags %#x while it maps it", REF_RING,
         __atomic_load_n(&gnt_shared[REF_RING].flags, __ATOMIC_ACQUIRE));

    if ((why = give_ring(g)))
        return why;

    struct ctl_wait copied = { .field = &g->ctl->take_state, .want = TAKE_COPIED };
    if (!xev_wait(ctl_reached, &copied, false, PEER_TIMEOUT_MS))
        return fail("take did not say it copied within %u s", PEER_TIMEOUT_MS / 1000);
    if (ld32(&g->ctl->take_state) == TAKE_ABORT)
        return fail("take gave up after the ring (see its FAIL line)");
    return give_check_copy(g);
}

const char *test_grant_give(void)
{
    struct give g = { 0 };
    const char *why = xev_peer_options("peer", &g.peer, &g.rounds, DEFAULT_ROUNDS);
    if (why || (why = xev_init()))
        return why;
    const char *val;
    size_t len;
    if (cmdline_get("thief", &val, &len)) {
        uint64_t t;
        if (!cmdline_u64("thief", &t) || !t || t >= DOMID_FIRST_RESERVED)
            return fail("thief=: not a domain id");
        g.thief = (domid_t)t;
    }
    xev_reset_counts();

    why = give_run(&g);
    if (why && g.ctl)
        st32(&g.ctl->give_state, GIVE_ABORT);
    if (why && g.have_port)
        xev_send(g.port);

    /* Keep the grants until take is done with them: its event on port 2. */
    bool take_done = false;
    if (g.take_started) {
        take_done = xev_wait_count(g.done_port, 1, false, PEER_TIMEOUT_MS);
        if (!take_done && !why)
            why = fail("take did not say done within %u s", PEER_TIMEOUT_MS / 1000);
    }
    xev_note_upcalls();

    /* The thief's control grant ends once the thief has unmapped it. */
    if (g.thief_pa) {
        uint64_t deadline = rdtsc() + ms_to_cycles(PEER_TIMEOUT_MS);
        uint16_t f;
        while (!gnt_end(REF_THIEF, &f) && rdtsc() < deadline)
            HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
        if (gnt_shared[REF_THIEF].flags && !why)
            why = fail("the thief still maps ref %u after %u s (flags %#x)", REF_THIEF,
                       PEER_TIMEOUT_MS / 1000, f);
        else if (!gnt_shared[REF_THIEF].flags)
            frame_free(g.thief_pa);
    }
    bool ended = true;
    if (g.granted) {
        uint16_t f8, f9;
        bool e8 = gnt_end(REF_RING, &f8), e9 = gnt_end(REF_RO, &f9);
        ended = e8 && e9;
        if (!ended && !why)
            why = fail("grants still in use after take said done: ref %u flags %#x, ref %u flags %#x",
                       REF_RING, f8, REF_RO, f9);
    }
    if (g.have_port) {
        if (why)
            xev_close(g.port);
        else
            why = xev_close_checked(g.port);
    }
    if (g.have_done_port) {
        if (why)
            xev_close(g.done_port);
        else
            why = xev_close_checked(g.done_port);
    }
    /* Pages still granted (or mapped) stay allocated. */
    if (ended) {
        if (g.ring_pa)
            frame_free(g.ring_pa);
        if (g.ro_pa)
            frame_free(g.ro_pa);
    }
    return why;
}

/* ===================================================================== */

struct take {
    domid_t peer;
    uint64_t rounds;
    evtchn_port_t port, done_port;
    bool have_port, have_done_port;
    grant_handle_t ring_handle, ro_handle;
    bool ring_mapped, ro_mapped;
    struct ctl *ctl;                    /* in the mapping of ref 8 */
    uint64_t src_pa;
    uint64_t bench;                     /* gbench=N: N timed map+unmap pairs and copies */
};

/* The back end: answers rounds requests, value*2+1, in order. */
static const char *take_ring(struct take *t)
{
    struct svt_back_ring back;
    BACK_RING_INIT(&back, (struct svt_sring *)phys(MAP_GPA(0)), PAGE_SIZE);
    uint64_t answered = 0;
    while (answered < t->rounds) {
        uint32_t seen = xev_count[t->port];
        int notify, more;

        while (RING_HAS_UNCONSUMED_REQUESTS(&back)) {
            struct svt_request req;
            if (RING_REQUEST_PROD_OVERFLOW(&back, back.sring->req_prod))
                return fail("req_prod %u is more than a ring ahead of our responses", back.sring->req_prod);
            RING_COPY_REQUEST(&back, back.req_cons, &req);
            back.req_cons++;
            if (req.id != answered || req.value != req_value(answered))
                return fail("request %lu: id %lu value %#lx, want id %lu value %#lx",
                            (unsigned long)answered, (unsigned long)req.id, (unsigned long)req.value,
                            (unsigned long)answered, (unsigned long)req_value(answered));
            struct svt_response *rsp = RING_GET_RESPONSE(&back, back.rsp_prod_pvt);
            rsp->id = req.id;
            rsp->value = req.value * 2 + 1;
            back.rsp_prod_pvt++;
            answered++;
        }
        RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&back, notify);
        if (notify) {
            int rc = xev_send(t->port);
            if (rc)
                return fail("EVTCHNOP_send(port %u): %d", t->port, rc);
        }
        if (answered == t->rounds)
            break;
        RING_FINAL_CHECK_FOR_REQUESTS(&back, more);
        if (!more) {
            struct ctl_wait w = { .abort_field = &t->ctl->give_state, .abort_value = GIVE_ABORT,
                                  .port = t->port, .want_events = seen + 1 };
            xev_wait(ctl_reached, &w, true, 0);
            if (ld32(&t->ctl->give_state) == GIVE_ABORT)
                return fail("give gave up during the ring (see its FAIL line)");
        }
    }
    return NULL;
}

static const char *take_copy(struct take *t)
{
    int16_t st;
    t->src_pa = frame_alloc_zero();
    if (!t->src_pa)
        return fail("out of frames");
    uint8_t *src = phys(t->src_pa);
    for (unsigned int i = 0; i < COPY_LEN; i++)
        src[i] = copy_byte(i);
    memset(src + BAD_COPY_SRC, BAD_COPY_BYTE, BAD_COPY_LEN);

    st = gnt_copy_to_ref(t->src_pa, 0, t->peer, REF_RING, COPY_OFF, COPY_LEN);
    if (st != GNTST_okay)
        return fail("GNTTABOP_copy of %u bytes to d%u's ref %u at offset %u: status %d (%s)", COPY_LEN,
                    t->peer, REF_RING, COPY_OFF, st, gntst(st));
    st = gnt_copy_to_ref(t->src_pa, BAD_COPY_SRC, t->peer, REF_RING, COPY_OFF, BAD_COPY_LEN);
    if (st != GNTST_bad_copy_arg)
        return fail("GNTTABOP_copy of %u bytes to offset %u (past the page): status %d (%s), want %d (%s)",
                    BAD_COPY_LEN, COPY_OFF, st, gntst(st), GNTST_bad_copy_arg, gntst(GNTST_bad_copy_arg));
    /* The copy went into the frame we map. */
    const uint8_t *mapped = phys(MAP_GPA(0));
    for (unsigned int i = 0; i < COPY_LEN; i++)
        if (mapped[COPY_OFF + i] != copy_byte(i))
            return fail("byte %u of our mapping of ref %u is %#x after the copy, want %#x", COPY_OFF + i,
                        REF_RING, mapped[COPY_OFF + i], copy_byte(i));
    note("GNTTABOP_copy: %u bytes at offset %u went through, %u were refused (%s)", COPY_LEN, COPY_OFF,
         BAD_COPY_LEN, gntst(GNTST_bad_copy_arg));
    return NULL;
}

static const char *take_ro(struct take *t)
{
    grant_handle_t h;
    int16_t st = gnt_map(t->peer, REF_RO, MAP_GPA(1), false, &h);
    if (st == GNTST_okay) {
        gnt_unmap(MAP_GPA(1), h);
        return fail("a writable map of d%u's read-only ref %u worked", t->peer, REF_RO);
    }
    if (st != GNTST_permission_denied && st != GNTST_general_error)
        return fail("writable map of d%u's read-only ref %u: status %d (%s), want %d or %d", t->peer,
                    REF_RO, st, gntst(st), GNTST_permission_denied, GNTST_general_error);
    note("writable map of read-only ref %u refused: %s (%d)", REF_RO,
         st == GNTST_permission_denied ? "GNTST_permission_denied" : "GNTST_general_error", st);

    st = gnt_map(t->peer, REF_RO, MAP_GPA(1), true, &t->ro_handle);
    if (st != GNTST_okay)
        return fail("read-only map of d%u's ref %u: status %d (%s)", t->peer, REF_RO, st, gntst(st));
    t->ro_mapped = true;
    const volatile uint8_t *ro = phys(MAP_GPA(1));
    for (uint64_t i = 0; i < PAGE_SIZE; i++)
        if (ro[i] != ro_byte(i))
            return fail("byte %lu of read-only ref %u is %#x, want %#x", (unsigned long)i, REF_RO, ro[i],
                        ro_byte(i));
    return NULL;
}

/* gbench=N: the cost of a grant map+unmap pair (ref 9, read-only, at a
 * second address) and of a whole-page GNTTABOP_copy out of ref 9. */
static const char *take_bench(struct take *t)
{
    if (!t->bench)
        return NULL;
    uint64_t t0 = rdtsc();
    for (uint64_t i = 0; i < t->bench; i++) {
        grant_handle_t h;
        int16_t st = gnt_map(t->peer, REF_RO, MAP_GPA(2), true, &h);
        if (st != GNTST_okay)
            return fail("bench map %lu: %d (%s)", (unsigned long)i, st, gntst(st));
        if ((st = gnt_unmap(MAP_GPA(2), h)) != GNTST_okay)
            return fail("bench unmap %lu: %d (%s)", (unsigned long)i, st, gntst(st));
    }
    bench_report("grant_map_unmap", t->bench, rdtsc() - t0);
    uint64_t dst = frame_alloc();
    if (!dst)
        return fail("out of frames");
    t0 = rdtsc();
    for (uint64_t i = 0; i < t->bench; i++) {
        int16_t st = gnt_copy_from_ref(t->peer, REF_RO, dst, PAGE_SIZE);
        if (st != GNTST_okay) {
            frame_free(dst);
            return fail("bench copy %lu: %d (%s)", (unsigned long)i, st, gntst(st));
        }
    }
    bench_report("grant_copy_4k", t->bench, rdtsc() - t0);
    const uint8_t *d = phys(dst);
    for (uint64_t i = 0; i < PAGE_SIZE; i++)
        if (d[i] != ro_byte(i)) {
            frame_free(dst);
            return fail("byte %lu of the copied page is %#x, want %#x", (unsigned long)i, d[i], ro_byte(i));
        }
    frame_free(dst);
    return NULL;
}

/* Unmaps what is mapped; NULL or the first failure. */
static const char *take_unmap(struct take *t, bool check_twice)
{
    const char *why = NULL;
    int16_t st;
    if (t->ro_mapped) {
        st = gnt_unmap(MAP_GPA(1), t->ro_handle);
        if (st != GNTST_okay)
            why = fail("unmap of ref %u: status %d (%s)", REF_RO, st, gntst(st));
        else
            t->ro_mapped = false;
    }
    if (t->ring_mapped) {
        st = gnt_unmap(MAP_GPA(0), t->ring_handle);
        if (st != GNTST_okay) {
            if (!why)
                why = fail("unmap of ref %u: status %d (%s)", REF_RING, st, gntst(st));
        } else {
            t->ring_mapped = false;
            t->ctl = NULL;
            if (check_twice && !why) {
                st = gnt_unmap(MAP_GPA(0), t->ring_handle);
                if (st == GNTST_okay)
                    why = fail("a second unmap of handle %u (ref %u) worked", t->ring_handle, REF_RING);
                else
                    note("second unmap of handle %u refused: %d (%s)", t->ring_handle, st, gntst(st));
            }
        }
    }
    return why;
}

static const char *take_run(struct take *t)
{
    const char *why;
    int rc;
    int16_t st = GNTST_general_error;

    if (!xev_bind_retry(t->peer, GIVE_PORT_RING, START_TIMEOUT_MS, &t->port, &rc))
        return fail("EVTCHNOP_bind_interdomain(d%u, port %u) still fails after %u s: %d", t->peer,
                    GIVE_PORT_RING, START_TIMEOUT_MS / 1000, rc);
    t->have_port = true;
    if (!xev_bind_retry(t->peer, GIVE_PORT_DONE, START_TIMEOUT_MS, &t->done_port, &rc))
        return fail("EVTCHNOP_bind_interdomain(d%u, port %u) still fails after %u s: %d", t->peer,
                    GIVE_PORT_DONE, START_TIMEOUT_MS / 1000, rc);
    t->have_done_port = true;
    xev_poll();                         /* the events the binds raised */
    if ((why = xev_check_interdomain(t->port, t->peer, GIVE_PORT_RING)) ||
        (why = xev_check_interdomain(t->done_port, t->peer, GIVE_PORT_DONE)))
        return why;

    uint64_t deadline = rdtsc() + ms_to_cycles(START_TIMEOUT_MS), tries = 0;
    int16_t first = GNTST_okay;
    for (;;) {
        st = gnt_map(t->peer, REF_RING, MAP_GPA(0), false, &t->ring_handle);
        tries++;
        if (st == GNTST_okay)
            break;
        if (first == GNTST_okay)
            first = st;
        if (rdtsc() > deadline)
            return fail("map of d%u's ref %u at %#llx: still status %d (%s) after %u s", t->peer, REF_RING,
                        MAP_GPA(0), st, gntst(st), START_TIMEOUT_MS / 1000);
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    t->ring_mapped = true;
    if (tries > 1)
        note("map of ref %u worked at try %lu (first refusal: %d, %s)", REF_RING, (unsigned long)tries,
             first, gntst(first));
    t->ctl = phys(MAP_GPA(0) + CTL_OFF);
    if (ld32(&t->ctl->magic) != CTL_MAGIC)
        return fail("d%u's ref %u mapped at %#llx does not show give's control block (magic %#x)", t->peer,
                    REF_RING, MAP_GPA(0), ld32(&t->ctl->magic));
    if (ld32(&t->ctl->rounds) != t->rounds)
        return fail("give runs %u rounds, we rounds=%lu", ld32(&t->ctl->rounds), (unsigned long)t->rounds);
    st32(&t->ctl->take_state, TAKE_READY);
    rc = xev_send(t->port);
    if (rc)
        return fail("EVTCHNOP_send(port %u) (ready): %d", t->port, rc);

    if ((why = take_ring(t)) || (why = take_copy(t)))
        return why;
    st32(&t->ctl->take_state, TAKE_COPIED);
    rc = xev_send(t->port);
    if (rc)
        return fail("EVTCHNOP_send(port %u) (copied): %d", t->port, rc);
    note("%lu requests answered; told give about the copy", (unsigned long)t->rounds);

    if ((why = take_ro(t)) || (why = take_bench(t)))
        return why;
    return take_unmap(t, true);
}

const char *test_grant_take(void)
{
    struct take t = { 0 };
    const char *why = xev_peer_options("peer", &t.peer, &t.rounds, DEFAULT_ROUNDS);
    if (why || (why = check_map_room()) || (why = xev_init()))
        return why;
    const char *val;
    size_t len;
    if (cmdline_get("gbench", &val, &len) && !cmdline_u64("gbench", &t.bench))
        return fail("gbench=: not a number");
    xev_reset_counts();

    why = take_run(&t);
    if (why && t.ctl) {                 /* still mapped: tell give */
        st32(&t.ctl->take_state, TAKE_ABORT);
        xev_send(t.port);
    }
    if (why)
        take_unmap(&t, false);
    if (t.have_done_port) {
        int rc = xev_send(t.done_port);     /* done: give may end its grants */
        if (rc && !why)
            why = fail("EVTCHNOP_send(port %u) (done): %d", t.done_port, rc);
    }
    xev_note_upcalls();
    if (t.have_port) {
        if (why)
            xev_close(t.port);
        else
            why = xev_close_checked(t.port);
    }
    if (t.have_done_port) {
        if (why)
            xev_close(t.done_port);
        else
            why = xev_close_checked(t.done_port);
    }
    if (t.src_pa)
        frame_free(t.src_pa);
    return why;
}

/* ===================================================================== */

const char *test_grant_thief(void)
{
    domid_t victim;
    grant_handle_t h, hc;
    const char *why = xev_peer_options("victim", &victim, NULL, 0);
    if (why || (why = check_map_room()))
        return why;
    if (!xen_present)
        return fail("needs Xen: no hypercall page");

    uint64_t dst_pa = frame_alloc();
    if (!dst_pa)
        return fail("out of frames");
    uint8_t *dst = phys(dst_pa);
    memset(dst, 0xa5, PAGE_SIZE);

    /* The control grant first: once it maps, the victim's ref 8 is granted
     * (to someone else) and its table is live. */
    uint64_t deadline = rdtsc() + ms_to_cycles(THIEF_TIMEOUT_MS), tries = 0;
    int16_t st;
    for (;;) {
        tries++;
        st = gnt_map(victim, REF_THIEF, MAP_GPA(17), true, &hc);
        if (st == GNTST_okay)
            break;
        if (rdtsc() > deadline) {
            frame_free(dst_pa);
            return fail("d%u's ref %u (granted to us) never mapped in %u s (last: %d, %s)", victim,
                        REF_THIEF, THIEF_TIMEOUT_MS / 1000, st, gntst(st));
        }
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    const uint8_t *ctl = phys(MAP_GPA(17));
    for (uint64_t i = 0; i < PAGE_SIZE && !why; i++)
        if (ctl[i] != ro_byte(i + 1))
            why = fail("byte %lu of d%u's ref %u is %#x, want %#x", (unsigned long)i, victim,
                       REF_THIEF, ctl[i], ro_byte(i + 1));
    note("d%u's ref %u (ours) mapped after %lu tries", victim, REF_THIEF, (unsigned long)tries);

    int16_t map_st = gnt_map(victim, REF_RING, MAP_GPA(16), false, &h);
    int16_t ro_st = gnt_map(victim, REF_RING, MAP_GPA(18), true, &h);
    int16_t copy_st = gnt_copy_from_ref(victim, REF_RING, dst_pa, 64);
    if (!why && (map_st == GNTST_okay || ro_st == GNTST_okay))
        why = fail("mapped d%u's ref %u, which is not granted to us (rw %d, ro %d)", victim, REF_RING,
                   map_st, ro_st);
    if (!why && copy_st == GNTST_okay)
        why = fail("GNTTABOP_copy from d%u's ref %u worked", victim, REF_RING);
    if (!why && map_st != GNTST_permission_denied && map_st != GNTST_general_error)
        why = fail("map of d%u's ref %u refused with %d (%s), want permission_denied or general_error",
                   victim, REF_RING, map_st, gntst(map_st));
    if (!why) {
        note("map refused with %d (%s), copy with %d (%s)", map_st, gntst(map_st), copy_st, gntst(copy_st));
        for (uint64_t i = 0; i < PAGE_SIZE; i++)
            if (dst[i] != 0xa5) {
                why = fail("a refused GNTTABOP_copy changed byte %lu of our frame", (unsigned long)i);
                break;
            }
    }
    st = gnt_unmap(MAP_GPA(17), hc);
    if (!why && st != GNTST_okay)
        why = fail("unmap of ref %u: %d (%s)", REF_THIEF, st, gntst(st));
    frame_free(dst_pa);
    return why;
}
