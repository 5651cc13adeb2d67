/*
 * A xenstore client over the domain's ring (<xen/io/xs_wire.h>): the page
 * at HVM_PARAM_STORE_PFN holds two byte rings, req[] (ours to fill) and
 * rsp[] (the daemon's replies and watch events), and HVM_PARAM_STORE_EVTCHN
 * is the event channel both sides kick.  One request is in flight at a
 * time (this kernel has one thread); watch events that arrive while we wait
 * for a reply are counted and their last path kept, which is all the
 * drivers need: they re-read the nodes they care about after any event.
 *
 * Indexes run free (uint32_t); prod - cons is what is waiting, at most
 * XENSTORE_RING_SIZE, and more means the daemon wrote nonsense: we stop
 * using the ring rather than read outside it.
 */
#include "svfront.h"
#include <xen/io/xs_wire.h>

#define XS_REPLY_TIMEOUT_MS 20000

static struct xenstore_domain_interface *intf;
static evtchn_port_t port;
static uint32_t next_req_id = 1;
static bool broken;
static uint64_t watch_events;
static char last_watch_path[128];
static char msg_buf[XENSTORE_PAYLOAD_MAX + 1];

static long get_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
    long rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);
    *value = rc ? 0 : p.value;
    return rc;
}

const char *xenbus_init(void)
{
    uint64_t pfn, evtchn;
    if (get_param(HVM_PARAM_STORE_PFN, &pfn) || !pfn)
        return fail("no xenstore page (HVM_PARAM_STORE_PFN)");
    if (get_param(HVM_PARAM_STORE_EVTCHN, &evtchn) || !evtchn || evtchn >= EVTCHN_2L_NR_CHANNELS)
        return fail("no usable xenstore event channel (HVM_PARAM_STORE_EVTCHN = %lu)",
                    (unsigned long)evtchn);
    if ((pfn << 12) >= 4 * GiB)
        return fail("xenstore page at gfn %#lx is above 4 GiB", (unsigned long)pfn);
    intf = phys(pfn << 12);
    port = (evtchn_port_t)evtchn;
    return NULL;
}

static bool rsp_waiting(void *arg)
{
    (void)arg;
    return __atomic_load_n(&intf->rsp_prod, __ATOMIC_ACQUIRE) != intf->rsp_cons;
}

static bool req_room(void *arg)
{
    (void)arg;
    return intf->req_prod - __atomic_load_n(&intf->req_cons, __ATOMIC_ACQUIRE) < XENSTORE_RING_SIZE;
}

static bool ring_write(const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        if (!xev_wait(req_room, NULL, true, XS_REPLY_TIMEOUT_MS))
            return false;
        XENSTORE_RING_IDX cons = __atomic_load_n(&intf->req_cons, __ATOMIC_ACQUIRE);
        XENSTORE_RING_IDX prod = intf->req_prod;
        if (prod - cons > XENSTORE_RING_SIZE)
            return false;
        size_t room = XENSTORE_RING_SIZE - (prod - cons);
        size_t chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
        if (chunk > room)
            chunk = room;
        if (chunk > len)
            chunk = len;
        memcpy(intf->req + MASK_XENSTORE_IDX(prod), p, chunk);
        __atomic_store_n(&intf->req_prod, prod + (XENSTORE_RING_IDX)chunk, __ATOMIC_RELEASE);
        xev_send(port);
        p += chunk;
        len -= chunk;
    }
    return true;
}

static bool ring_read(void *data, size_t len)
{
    char *p = data;
    while (len) {
        if (!xev_wait(rsp_waiting, NULL, true, XS_REPLY_TIMEOUT_MS))
            return false;
        XENSTORE_RING_IDX prod = __atomic_load_n(&intf->rsp_prod, __ATOMIC_ACQUIRE);
        XENSTORE_RING_IDX cons = intf->rsp_cons;
        if (prod - cons > XENSTORE_RING_SIZE)
            return false;
        size_t avail = prod - cons;
        size_t chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);
        if (chunk > avail)
            chunk = avail;
        if (chunk > len)
            chunk = len;
        memcpy(p, intf->rsp + MASK_XENSTORE_IDX(cons), chunk);
        __atomic_store_n(&intf->rsp_cons, cons + (XENSTORE_RING_IDX)chunk, __ATOMIC_RELEASE);
        xev_send(port);
        p += chunk;
        len -= chunk;
    }
    return true;
}

static int error_errno(const char *name)
{
    static const struct { const char *s; int e; } map[] = {
        { "ENOENT", 2 }, { "EACCES", 13 }, { "EEXIST", 17 }, { "EINVAL", 22 },
        { "EAGAIN", 11 }, { "ENOSPC", 28 }, { "EIO", 5 }, { "E2BIG", 7 },
        { "EROFS", 30 }, { "EBUSY", 16 }, { "ENOMEM", 12 }, { "EPERM", 1 },
    };
    for (size_t i = 0; i < ARRAY_SIZE(map); i++)
        if (!memcmp(name, map[i].s, strlen(map[i].s) + 1))
            return -map[i].e;
    return -5;
}

/* Reads one message into msg_buf (NUL after it); the header into *h. */
static int read_message(struct xsd_sockmsg *h)
{
    if (!ring_read(h, sizeof(*h)))
        return -5;
    if (h->len > XENSTORE_PAYLOAD_MAX) {
        broken = true;
        kprintf("svfront: xenbus: message of %u bytes from xenstored: ring abandoned\n", h->len);
        return -5;
    }
    if (!ring_read(msg_buf, h->len))
        return -5;
    msg_buf[h->len] = '\0';
    return 0;
}

/* One request; the reply's payload in msg_buf, its length in *rlen. */
static int request(uint32_t type, const char *const *parts, const size_t *lens, size_t nparts,
                   size_t *rlen)
{
    if (!intf || broken)
        return -5;
    struct xsd_sockmsg h = { .type = type, .req_id = next_req_id++, .tx_id = 0, .len = 0 };
    for (size_t i = 0; i < nparts; i++)
        h.len += (uint32_t)lens[i];
    if (h.len > XENSTORE_PAYLOAD_MAX)
        return -7;
    irq_disable();
    if (!ring_write(&h, sizeof(h)))
        goto dead;
    for (size_t i = 0; i < nparts; i++)
        if (!ring_write(parts[i], lens[i]))
            goto dead;
    for (;;) {
        struct xsd_sockmsg r;
        if (read_message(&r))
            goto dead;
        if (r.type == XS_WATCH_EVENT) {
            size_t n = strnlen(msg_buf, r.len);
            if (n >= sizeof(last_watch_path))
                n = sizeof(last_watch_path) - 1;
            memcpy(last_watch_path, msg_buf, n);
            last_watch_path[n] = '\0';
            watch_events++;
            continue;
        }
        if (r.req_id != h.req_id)
            continue;           /* a late reply to a request we gave up on */
        if (r.type == XS_ERROR)
            return error_errno(msg_buf);
        if (rlen)
            *rlen = r.len;
        return 0;
    }
dead:
    if (!broken)
        kprintf("svfront: xenbus: no answer from xenstored within %u ms\n", XS_REPLY_TIMEOUT_MS);
    broken = true;
    return -5;
}

int xs_read(const char *path, char *buf, size_t size)
{
    const char *parts[] = { path };
    size_t lens[] = { strlen(path) + 1 }, n;
    int rc = request(XS_READ, parts, lens, 1, &n);
    if (rc)
        return rc;
    if (size == 0)
        return -7;
    if (n >= size)
        n = size - 1;
    memcpy(buf, msg_buf, n);
    buf[n] = '\0';
    return 0;
}

int xs_write(const char *path, const char *value)
{
    const char *parts[] = { path, value };
    size_t lens[] = { strlen(path) + 1, strlen(value) };
    return request(XS_WRITE, parts, lens, 2, NULL);
}

int xs_printf(const char *path, const char *fmt, ...)
{
    char v[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v, sizeof(v), fmt, ap);
    va_end(ap);
    return xs_write(path, v);
}

int xs_rm(const char *path)
{
    const char *parts[] = { path };
    size_t lens[] = { strlen(path) + 1 };
    return request(XS_RM, parts, lens, 1, NULL);
}

uint64_t xs_read_u64(const char *path, uint64_t def)
{
    char v[32];
    if (xs_read(path, v, sizeof(v)) || !v[0])
        return def;
    uint64_t x = 0;
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9' || x > UINT64_MAX / 10)
            return def;
        x = x * 10 + (uint64_t)(*p - '0');
    }
    return x;
}

static int watch_op(uint32_t type, const char *path, const char *token)
{
    const char *parts[] = { path, token };
    size_t lens[] = { strlen(path) + 1, strlen(token) + 1 };
    return request(type, parts, lens, 2, NULL);
}

int xs_watch(const char *path, const char *token) { return watch_op(XS_WATCH, path, token); }
int xs_unwatch(const char *path, const char *token) { return watch_op(XS_UNWATCH, path, token); }

uint64_t xs_watch_events(void) { return watch_events; }

/* Takes every message waiting on the ring (watch events; stray replies). */
static void drain_events(void)
{
    while (!broken && rsp_waiting(NULL)) {
        struct xsd_sockmsg r;
        if (read_message(&r))
            return;
        if (r.type == XS_WATCH_EVENT)
            watch_events++;
    }
}

struct event_wait { uint64_t seen; };

static bool event_came(void *arg)
{
    const struct event_wait *w = arg;
    if (rsp_waiting(NULL))
        drain_events();
    return watch_events != w->seen || broken;
}

bool xs_wait_event(uint64_t seen, uint64_t timeout_ms)
{
    struct event_wait w = { seen };
    if (!intf || broken)
        return false;
    return xev_wait(event_came, &w, true, timeout_ms) && !broken;
}

enum xenbus_state xenbus_read_state(const char *dir)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/state", dir);
    return (enum xenbus_state)xs_read_u64(path, XenbusStateUnknown);
}

int xenbus_switch_state(const char *dir, enum xenbus_state st)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/state", dir);
    return xs_printf(path, "%d", (int)st);
}

int xenbus_wait_state(const char *dir, uint32_t mask, uint64_t timeout_ms)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/state", dir);
    if (xs_watch(path, "svf-state"))
        return -1;
    uint64_t deadline = rdtsc() + ms_to_cycles(timeout_ms);
    int st;
    for (;;) {
        uint64_t seen = xs_watch_events();
        st = (int)xenbus_read_state(dir);
        if (st >= 0 && st < 32 && (mask & (1u << st)))
            break;
        uint64_t now = rdtsc();
        if (now >= deadline || !xs_wait_event(seen, (deadline - now) / ms_to_cycles(1) + 1)) {
            st = -1;
            break;
        }
    }
    xs_unwatch(path, "svf-state");
    return st;
}

const char *xenbus_state_name(int st)
{
    static const char *const names[] = {
        "Unknown", "Initialising", "InitWait", "Initialised", "Connected",
        "Closing", "Closed", "Reconfiguring", "Reconfigured",
    };
    return st >= 0 && st < (int)ARRAY_SIZE(names) ? names[st] : "?";
}

int xenbus_domid(void)
{
    uint64_t v = xs_read_u64("domid", UINT64_MAX);
    return v < DOMID_FIRST_RESERVED ? (int)v : -1;
}

int xs_directory(const char *path, char *buf, size_t size, unsigned int *count)
{
    const char *parts[] = { path };
    size_t lens[] = { strlen(path) + 1 }, n;
    int rc = request(XS_DIRECTORY, parts, lens, 1, &n);
    *count = 0;
    if (rc)
        return rc;
    if (n > size)
        return -7;
    memcpy(buf, msg_buf, n);
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '\0')
            (*count)++;
    return 0;
}

uint64_t xenbus_read_u64(const char *dir, const char *key, uint64_t def)
{
    char path[192];
    snprintf(path, sizeof(path), "%s/%s", dir, key);
    return xs_read_u64(path, def);
}

int xenbus_printf(const char *dir, const char *key, const char *fmt, ...)
{
    char path[192], v[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v, sizeof(v), fmt, ap);
    va_end(ap);
    snprintf(path, sizeof(path), "%s/%s", dir, key);
    return xs_write(path, v);
}

int xenbus_first_device(const char *kind)
{
    char dir[32], names[512];
    unsigned int n;
    snprintf(dir, sizeof(dir), "device/%s", kind);
    if (xs_directory(dir, names, sizeof(names), &n) || n == 0)
        return -1;
    uint64_t v = 0;
    for (const char *p = names; *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (uint64_t)(*p - '0');
    return (int)v;
}

int xenbus_dev_say(const char *dev, int rc, const char *fmt, ...)
{
    char buf[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    kprintf("svfront: %s: %s\n", dev, buf);
    return rc;
}
