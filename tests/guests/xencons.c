/*
 * The PV console ring, for a domain built the way Xen's libxl builds one
 * (our `xl create`): the toolstack gives the guest a page holding a
 * struct xencons_interface (<xen/io/console.h>) and an event channel to
 * the console backend (xenconsoled in dom0), and names them in the HVM
 * parameters HVM_PARAM_CONSOLE_PFN and HVM_PARAM_CONSOLE_EVTCHN
 * (<xen/hvm/params.h>), which the guest reads with HVMOP_get_param on
 * DOMID_SELF.  Mini-OS's console/xencons_ring.c and Linux's hvc_xen.c do
 * the same for PVH guests.
 *
 * The ring: out[] carries what we print to the backend, in[] what the
 * user types to us.  The four indexes run free (uint32_t, wrapping);
 * MASK_XENCONS_IDX(idx, ring) picks the byte.  Each side writes only its
 * own index: we write out_prod and in_cons, the backend out_cons and
 * in_prod.  prod - cons (mod 2^32) is what is waiting to be read, at most
 * sizeof(ring); a larger difference means the other side wrote nonsense.
 *
 * Barriers (x86 is TSO: loads are not reordered with older loads, stores
 * not with older stores, and stores not with older loads, so only the
 * compiler needs telling; the C11 orders say which way each one goes):
 *   - producer (out[]): the bytes are stored before the new out_prod
 *     (release store), and the bytes we overwrite are free: we loaded an
 *     out_cons past them (acquire load) before storing into them.
 *   - consumer (in[]): in_prod is loaded (acquire) before the bytes it
 *     covers, and the bytes are loaded before in_cons gives them back
 *     (release store).
 *
 * Like Mini-OS's console_print(), every "\n" goes out as "\r\n": the
 * backend passes bytes through to a pty in raw mode, where a bare LF does
 * not return the carriage.  After writing we kick the backend with
 * EVTCHNOP_send; after reading in[] too (it may be waiting for room).
 *
 * Waiting (a full out[], input, the drain before shutdown) yields the
 * vCPU (SCHEDOP_yield) in a loop bounded with the TSC.  No upcall is
 * needed, so the ring works from the first line of output on, with IF=0.
 *
 * Where the page is: the boot page tables identity-map 0..4 GiB, which
 * covers the toolstack's usual place (the top of RAM below 4 GiB, or
 * Xen's special pages at 0xfeff0000).  A gfn above 4 GiB (a guest with
 * more RAM) is identity-mapped with 4 KiB tables of our own in PML4 slot
 * 0, which every address space shares, so a test that switches CR3 can
 * still print.  Either way the frame, and the xenstore page's, are kept out
 * of the frame allocator (xencons_reserve()).
 */
#include "xen_events.h"
#include <xen/io/console.h>

#define RING_FULL_WAIT_MS   10000   /* a stuck backend: give up the ring */
#define RING_MAX_GFN        ((512 * GiB) >> 12)     /* PML4 slot 0 */

static struct xencons_interface *ring;     /* NULL: no ring, console_io */
static evtchn_port_t ring_port;
static uint64_t ring_gfn, store_gfn;
/* Output went back to console_io for good (out[] stuck or broken). */
static bool out_dead;
/* Inside a ring access: a fault there reports through console_io. */
static bool ring_busy;

/* Our own tables for a ring above 4 GiB (a PD and a PT under boot PDPT). */
static uint64_t high_pd[512] __attribute__((aligned(4096)));
static uint64_t high_pt[512] __attribute__((aligned(4096)));

static long get_param(uint32_t index, uint64_t *value)
{
    struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
    long rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);
    *value = rc ? 0 : p.value;
    return rc;
}

/* A pointer to gfn's page, or NULL if we cannot map it.  Called once, at
 * boot, before anything else may have put entries above 4 GiB in slot 0. */
static void *map_gfn(uint64_t gfn)
{
    uint64_t pa = gfn << 12;
    if (pa < 4 * GiB)
        return phys(pa);                        /* the boot identity map */
    if (gfn >= RING_MAX_GFN)
        return NULL;
    uint64_t *pdpt = phys(boot_pml4[0] & PTE_ADDR);
    uint64_t *pdpte = &pdpt[(pa >> 30) & 511];
    if (*pdpte & PTE_P)
        return NULL;
    /* No NX bit: EFER.NXE is not on yet (paging_init), and with NXE=0 it
     * is a reserved bit (APM vol. 2, 5.3.3). */
    high_pt[(pa >> 12) & 511] = pa | PTE_P | PTE_W;
    high_pd[(pa >> 21) & 511] = (uintptr_t)high_pt | PTE_P | PTE_W;
    *pdpte = (uintptr_t)high_pd | PTE_P | PTE_W;
    invlpg(pa);
    return phys(pa);
}

/* Through console_io (the ring is not, or no longer, there). */
static void io_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void io_note(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    xen_console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void xencons_init(void)
{
    uint64_t gfn, port;
    if (!xen_present || get_param(HVM_PARAM_CONSOLE_PFN, &gfn) || !gfn)
        return;                 /* a boot module, or a toolstack without consoles */
    long rc = get_param(HVM_PARAM_CONSOLE_EVTCHN, &port);
    if (rc || port == 0 || port >= EVTCHN_2L_NR_CHANNELS) {
        /* Mini-OS takes port 0 for "no console" too: nobody would read. */
        io_note("svguest: console: HVM_PARAM_CONSOLE_PFN %#lx but HVM_PARAM_CONSOLE_EVTCHN %s %lu: "
                "staying on console_io\n", (unsigned long)gfn, rc ? "failed:" : "is",
                rc ? (unsigned long)-rc : (unsigned long)port);
        return;
    }
    uint64_t pa = gfn << 12;
    if (pa < ((uintptr_t)_end + PAGE_SIZE - 1) && pa + PAGE_SIZE > (uintptr_t)_start) {
        io_note("svguest: console: HVM_PARAM_CONSOLE_PFN %#lx lies in our image (%p-%p): "
                "staying on console_io\n", (unsigned long)gfn, (void *)_start, (void *)_end);
        return;
    }
    struct xencons_interface *r = map_gfn(gfn);
    if (!r) {
        io_note("svguest: console: cannot map HVM_PARAM_CONSOLE_PFN %#lx: staying on console_io\n",
                (unsigned long)gfn);
        return;
    }
    XENCONS_RING_IDX used = r->out_prod - __atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE);
    if (used > sizeof(r->out)) {
        io_note("svguest: console: ring at gfn %#lx has out_prod %u, out_cons %u: staying on console_io\n",
                (unsigned long)gfn, r->out_prod, r->out_cons);
        return;
    }
    (void)get_param(HVM_PARAM_STORE_PFN, &store_gfn);   /* only to keep it out of our way */
    io_note("svguest: console: output goes to the PV console ring from here "
            "(gfn %#lx, event channel %lu)\n", (unsigned long)gfn, (unsigned long)port);
    ring_gfn = gfn;
    ring_port = (evtchn_port_t)port;
    ring = r;
}

bool xencons_active(void)
{
    return ring != NULL;
}

void xencons_reserve(void)
{
    if (!ring)
        return;
    mem_reserve(ring_gfn << 12);
    if (store_gfn)
        mem_reserve(store_gfn << 12);
    kprintf("svguest: console: PV ring at gfn %#lx, event channel %u; xenstore page at gfn %#lx; "
            "both kept from the frame allocator\n", (unsigned long)ring_gfn, ring_port,
            (unsigned long)store_gfn);
}

static void kick(void)
{
    (void)xev_send(ring_port);
}

/* Output is lost to the backend from here: say why where it still goes. */
static void out_give_up(const char *why, XENCONS_RING_IDX prod, XENCONS_RING_IDX cons)
{
    out_dead = true;
    io_note("svguest: console: %s (out_prod %u, out_cons %u): output goes to console_io from here\n",
            why, prod, cons);
}

/* Copy n bytes into out[], waiting while it is full; publishes out_prod
 * after each stretch.  false if output had to give up the ring. */
static bool out_put(const char *s, size_t n)
{
    struct xencons_interface *r = ring;
    XENCONS_RING_IDX prod = r->out_prod;        /* only we write it */
    while (n) {
        XENCONS_RING_IDX cons = __atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE);
        XENCONS_RING_IDX used = prod - cons;
        if (used > sizeof(r->out)) {
            out_give_up("the backend's out_cons is past our out_prod", prod, cons);
            return false;
        }
        if (used == sizeof(r->out)) {
            kick();                 /* it has something to read: all of it */
            uint64_t deadline = rdtsc() + ms_to_cycles(RING_FULL_WAIT_MS);
            while (__atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE) == cons && rdtsc() < deadline)
                HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
            if (__atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE) == cons) {
                out_give_up("out[] full and not read for 10 s", prod, cons);
                return false;
            }
            continue;
        }
        size_t room = sizeof(r->out) - used;
        size_t chunk = n < room ? n : room;
        for (size_t i = 0; i < chunk; i++)
            r->out[MASK_XENCONS_IDX(prod++, r->out)] = s[i];
        s += chunk;
        n -= chunk;
        /* wmb: the bytes before the index that hands them over. */
        __atomic_store_n(&r->out_prod, prod, __ATOMIC_RELEASE);
    }
    return true;
}

bool xencons_write(const char *s, size_t n)
{
    if (!ring || out_dead || ring_busy)
        return false;
    ring_busy = true;
    size_t start = 0;
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++)
        if (s[i] == '\n') {
            ok = out_put(s + start, i - start) && out_put("\r\n", 2);
            if (ok)
                start = i + 1;
        }
    if (ok)
        ok = out_put(s + start, n - start);
    if (ok)
        kick();
    ring_busy = false;
    if (!ok) {
        /* The part that did not fit: the backend is stuck, and the hypervisor's
         * log is better than nothing. */
        xen_console_write(s + start, n - start);
    }
    return true;
}

void xencons_drain(uint64_t timeout_ms)
{
    if (!ring || out_dead || ring_busy)
        return;
    struct xencons_interface *r = ring;
    XENCONS_RING_IDX prod = r->out_prod;
    kick();
    uint64_t deadline = rdtsc() + ms_to_cycles(timeout_ms);
    while (__atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE) != prod && rdtsc() < deadline)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    XENCONS_RING_IDX cons = __atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE);
    if (cons != prod)
        io_note("svguest: console: %u bytes of output not taken by the backend after %lu ms\n",
                prod - cons, (unsigned long)timeout_ms);
}

int xencons_read(char *buf, size_t max)
{
    if (!ring)
        return -1;
    struct xencons_interface *r = ring;
    XENCONS_RING_IDX cons = r->in_cons;         /* only we write it */
    XENCONS_RING_IDX prod = __atomic_load_n(&r->in_prod, __ATOMIC_ACQUIRE);
    if (prod - cons > sizeof(r->in)) {
        kprintf("svguest: console: in_prod %u, in_cons %u: the backend wrote nonsense\n", prod, cons);
        return -1;
    }
    size_t n = 0;
    while (cons != prod && n < max)
        buf[n++] = r->in[MASK_XENCONS_IDX(cons++, r->in)];
    if (!n)
        return 0;
    /* mb: the bytes are read before in_cons gives their room back. */
    __atomic_store_n(&r->in_cons, cons, __ATOMIC_RELEASE);
    kick();
    return (int)n;
}

bool xencons_has_input(void)
{
    struct xencons_interface *r = ring;

    return r && __atomic_load_n(&r->in_prod, __ATOMIC_ACQUIRE) != r->in_cons;
}

bool xencons_wait_input(uint64_t timeout_ms)
{
    if (!ring)
        return false;
    struct xencons_interface *r = ring;
    uint64_t deadline = rdtsc() + ms_to_cycles(timeout_ms);
    for (;;) {
        if (__atomic_load_n(&r->in_prod, __ATOMIC_ACQUIRE) != r->in_cons)
            return true;
        if (rdtsc() >= deadline)
            return false;
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
}
