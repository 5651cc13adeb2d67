/*
 * hypercall_fuzz's arguments (see fuzz.h for the rule they keep): for each
 * hypercall a command, near the valid range or anything, pointers of every
 * kind, and behind the pointers that land on our scratch pages a structure
 * filled with boundary values (0, ~0, 0x7fff.., DOMID_SELF and the other
 * reserved domids, huge counts, ports, refs and gfns).  Most of the time the
 * fields a command looks at first get values near what it accepts, so that
 * calls get past the first check.  Then the fields that say where the
 * hypervisor writes or which frame it takes are made safe, whatever came
 * before.  Structures and constants are <xen/...>'s, interpreted as Xen
 * does; commands splitvisor lacks are fuzzed the same way, so that the day
 * it gets them the fuzzer is already careful with them.
 *
 * This file: the values and pointers every generator uses, the choice of
 * hypercall, and what a call that succeeded changed for us.  The
 * generators: fuzz_mem.c (memory_op, grant_table_op), fuzz_ops.c (the rest).
 */
#include "fuzz_gen.h"

/* ---- values ------------------------------------------------------------- */

uint64_t fz_hostile(struct fz_state *f)
{
    static const uint64_t fixed[] = {
        0, 1, 2, 3, ~0ul, ~0ul - 1, 0x7fffffffffffffff, 0x8000000000000000,
        0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x7fff, 0x8000, 0xffff, 0x10000,
        511, 512, 513, 1023, 1024, 1025, 4095, 4096, 4097, 16383, 16384, 32768,
        DOMID_SELF, DOMID_IO, DOMID_XEN, DOMID_COW, DOMID_INVALID, DOMID_IDLE,
        GFN_LIMIT, GFN_LIMIT + 1, 0xdeadbeefdeadbeef, 0x0000800000000000,
    };
    switch (below(f, 8)) {
    case 0: return rnd(f);
    case 1: return (uint32_t)rnd(f);
    case 2: return below(f, 64);
    case 3: return 1ul << below(f, 64);
    case 4: return (1ul << below(f, 64)) - 1;
    case 5: return f->self != DOMID_INVALID && chance(f, 50) ? f->self : below(f, 6);
    default: return PICK(f, fixed);
    }
}

/* Values that, as an address or a gfn, would be ours. */
bool fz_own_value(const struct fz_state *f, uint64_t v)
{
    return (v >= f->own_lo && v < f->own_hi) || (v >= f->own_lo >> 12 && v < f->own_hi >> 12);
}

/* Widths change every 16 bytes: structures get 1-, 2-, 4- and 8-byte
 * boundary values at every alignment. */
void fz_fill(struct fz_state *f, void *p, size_t len)
{
    uint8_t *b = p;
    for (size_t i = 0; i < len; i += 16) {
        size_t width = (size_t)1 << below(f, 4), end = MIN(i + 16, len);
        for (size_t j = i; j < end; j += width) {
            uint64_t v = fz_hostile(f);
            memcpy(b + j, &v, MIN(width, end - j));
        }
    }
}

/* For structures we do not know: no 4- or 8-byte value at any offset is an
 * address or gfn of ours. */
void fz_defuse(const struct fz_state *f, void *p, size_t len)
{
    uint8_t *b = p;
    for (size_t i = 0; i + 4 <= len; i++) {
        uint64_t q = 0;
        uint32_t w;
        if (i + 8 <= len) {
            memcpy(&q, b + i, 8);
            if (fz_own_value(f, q))
                memset(b + i, 0xff, 8);
        }
        memcpy(&w, b + i, 4);
        if (fz_own_value(f, w))
            memset(b + i, 0xff, 4);
    }
}

domid_t fz_pick_domid(struct fz_state *f)
{
    unsigned int k = (unsigned int)below(f, 100);
    if (k < 45)
        return DOMID_SELF;
    if (k < 60 && f->self != DOMID_INVALID)
        return f->self;
    if (k < 80)
        return (domid_t)below(f, 6);            /* dom0 .. d5: a bystander is one of them */
    if (k < 92)
        return (domid_t)(DOMID_FIRST_RESERVED + below(f, 16));
    return (domid_t)rnd(f);
}

bool fz_foreign(const struct fz_state *f, domid_t d)
{
    return f->self != DOMID_INVALID && d != DOMID_SELF && d != f->self;
}

uint32_t fz_pick_port(struct fz_state *f)
{
    static const uint32_t edge[] = { 0, 1, 2, 3, 63, 64, 1023, 1024, 4095, 4096, 4097, 0x7fffffff, ~0u };
    unsigned int k = (unsigned int)below(f, 100);
    if (k < 40 && f->nports)
        return f->ports[below(f, MIN(f->nports, FZ_PORTS))];
    if (k < 70)
        return PICK(f, edge);
    if (k < 90)
        return (uint32_t)below(f, EVTCHN_2L_NR_CHANNELS);
    return (uint32_t)fz_hostile(f);
}

uint32_t fz_pick_vcpu(struct fz_state *f)
{
    static const uint32_t edge[] = { 1, 2, 31, 32, 127, 128, 4095, 0x7fffffff, ~0u };
    return chance(f, 60) ? 0 : PICK(f, edge);
}

uint32_t fz_pick_ref(struct fz_state *f)
{
    static const uint32_t edge[] = { 16383, 16384, 32767, 0x7fffffff, ~0u };
    unsigned int k = (unsigned int)below(f, 100);
    if (k < 60)
        return (uint32_t)below(f, FZ_GV_REFS);
    if (k < 85)
        return PICK(f, edge);
    return (uint32_t)fz_hostile(f);
}

uint64_t fz_pick_count(struct fz_state *f)
{
    static const uint64_t edge[] = { 0, 2, 3, 16, 511, 512, 513, 4095, 4096, 4097,
                                     1u << 31, ~0u, (1ul << 32) + 1, ~0ul };
    unsigned int k = (unsigned int)below(f, 100);
    if (k < 50)
        return 1;
    if (k < 90)
        return PICK(f, edge);
    return fz_hostile(f);
}

/* A gfn a command may take, replace or write: a scratch frame (G_SLOT:
 * any, G_OUT: an output one), the grant view (G_GV), the window, or one no
 * guest has. */
uint64_t fz_safe_gfn(struct fz_state *f, unsigned int allow)
{
    static const uint64_t huge[] = { GFN_LIMIT, GFN_LIMIT + 1, 1ul << 40, (1ul << 52) - 1, 1ul << 52,
                                     0x7fffffffffffffff, ~0ul, 0xffffffff, 0x100000 };
    unsigned int k = (unsigned int)below(f, 100);
    if (k < 30 && (allow & (G_SLOT | G_OUT)) && mem_free_frames() > FZ_MIN_FREE)
        return f->slot_pa[(allow & G_SLOT) ? below(f, FZ_SLOTS)
                                           : FZ_IN_SLOTS + below(f, FZ_SLOTS - FZ_IN_SLOTS)] >> 12;
    if (k < 38 && (allow & G_GV) && f->gv_on)
        return f->gv_gfn;
    if (k < 85)
        return f->window + below(f, FZ_WINDOW - 1);     /* the last one is the grant view */
    return PICK(f, huge);
}

/* Where a grant may be mapped: the window, a scratch frame (RAM: must be
 * refused, splitvisor maps only where nothing is), or nowhere at all. */
uint64_t fz_map_addr(struct fz_state *f)
{
    static const uint64_t odd[] = { 0, 1ul << 63, (GFN_LIMIT + 1) << 12, ~0ul & ~0xffful, 0xfee00000, 0xfff };
    unsigned int k = (unsigned int)below(f, 100);
    if (k < 60)
        return (f->window + below(f, FZ_WINDOW - 1)) << 12;
    if (k < 70 && mem_free_frames() > FZ_MIN_FREE)
        return f->slot_pa[below(f, FZ_SLOTS)];
    if (k < 75)
        return ((f->window + below(f, FZ_WINDOW - 1)) << 12) | (1 + below(f, 4095));
    return PICK(f, odd);
}

/* ---- pointers ----------------------------------------------------------- */


/* Addresses through which the hypervisor can neither read nor write. */
uint64_t fz_unreadable(struct fz_state *f)
{
    static const uint64_t noncanon[] = { 0x0000800000000000, 0x8000000000000000, 0xdead000000000000,
                                         0x7fff800000000000, 0x0001000000000000 };
    static const uint64_t kernel[] = { 0xffff800000000000, 0xffff880000000000, 0xffffffff80000000,
                                       0xfffffffffffff000, ~0ul - 7, ~0ul };
    static const uint64_t mmio[] = { 0xfee00000, 0xfec00000, 0xfed00000, 0xe0000000, 0xfffff000, 0xfffffff8 };
    switch (below(f, 7)) {
    case 0: return PICK(f, noncanon) | (below(f, 4096) & ~7ul);
    case 1: return PICK(f, kernel);
    case 2: {
        static const uint64_t holes[] = { FZ_HOLE_VA, FZ_VA + FZ_IN_BYTES, FZ_OUT_VA + FZ_OUT_BYTES,
                                          FZ_RO_VA + PAGE_SIZE,
                                          TESTWIN + (256 * GiB), 0x100000000ul, 0x7ffffffff000ul };
        return PICK(f, holes) + below(f, PAGE_SIZE);
    }
    case 3: {           /* beyond RAM, below the window: never populated */
        uint64_t lo = f->own_hi + 2 * MiB, hi = f->window << 12;
        return lo + (below(f, (hi - lo) >> 12) << 12) + below(f, PAGE_SIZE);
    }
    case 4: return PICK(f, mmio);
    case 5: return FZ_GV_VA + (below(f, PAGE_SIZE) & ~7ul);     /* not RAM: grant frame or nothing */
    default: return FZ_TEXT_VA + PAGE_SIZE + below(f, PAGE_SIZE);
    }
}

static uint64_t in_only(struct fz_state *f, size_t size, const void **rview)
{
    extern char __rodata_end[];
    uint64_t va;
    size = MIN(size, PAGE_SIZE);
    switch (below(f, 5)) {
    case 0: va = (uintptr_t)_start + below(f, (uint64_t)(__rodata_end - _start) - size); break;
    case 1: va = (uintptr_t)hypercall_page + below(f, PAGE_SIZE - size + 1); break;
    case 2: va = kernel_cr3() + (below(f, PAGE_SIZE - size + 1) & ~7ul); break;
    case 3: va = (uintptr_t)__builtin_frame_address(0) - 2048 + below(f, 2048); break;
    default: va = (uintptr_t)cmdline + below(f, sizeof(cmdline) - MIN(size, sizeof(cmdline)) + 1); break;
    }
    *rview = (const void *)(uintptr_t)va;
    return va;
}

/* A pointer into the input slots (in) or the output slots. */
static void scratch_ptr(struct fz_state *f, bool in, size_t s, struct fz_ptr *p)
{
    uint64_t base = in ? FZ_VA : FZ_OUT_VA, bytes = in ? FZ_IN_BYTES : FZ_OUT_BYTES, off;
    s = MIN(s, (size_t)bytes / 2);
    switch (below(f, 8)) {
    case 0: off = below(f, bytes / PAGE_SIZE) * PAGE_SIZE; break;
    case 1: off = below(f, bytes - s + 1) & ~7ul; break;
    case 2: off = below(f, bytes - s + 1); break;
    case 3: off = bytes - s; break;                             /* ends at the guard */
    case 4: off = bytes - s + 1 + below(f, MIN(s, 8)); break;   /* runs into it */
    case 5: off = (1 + below(f, bytes / PAGE_SIZE - 1)) * PAGE_SIZE - MAX(s / 2, 1); break;
    default: off = below(f, 2 * PAGE_SIZE - s + 1) & ~7ul; break;
    }
    p->va = base + off;
    p->view = (void *)(uintptr_t)p->va;
    p->rview = p->view;
    p->avail = bytes - off;
    p->in_off = in ? (int64_t)off : -1;
}

/* A pointer for a structure of size bytes, of a kind flags allow. */
void fz_pointer(struct fz_state *f, unsigned int flags, size_t size, struct fz_ptr *p)
{
    static const uint64_t lows[] = { 0, 8, 0x10, 0x100, 0x7f8, 0xff8, 0x1000, 0x7ff0, 0x8000 };
    size_t s = MAX(MIN(size, (size_t)PAGE_SIZE), (size_t)1);
    memset(p, 0, sizeof(*p));
    p->in_off = -1;
    for (;;) {
        unsigned int k = (unsigned int)below(f, 100);
        if (k < 52) {
            bool in = (flags & PF_OUTZONE) ? false : (flags & PF_SAFE) ? true : chance(f, 60);
            scratch_ptr(f, in, s, p);
            return;
        }
        if (k < 60) {
            if (!(flags & PF_IDENT) || (flags & PF_OUTZONE))
                continue;
            unsigned int slot = (unsigned int)below(f, (flags & PF_SAFE) ? FZ_IN_SLOTS : FZ_SLOTS);
            uint64_t off = below(f, PAGE_SIZE - s + 1);
            if (chance(f, 80))
                off &= ~7ul;
            p->va = f->slot_pa[slot] + off;
            p->view = phys(p->va);
            p->rview = p->view;
            p->avail = PAGE_SIZE - off;
            if (slot < FZ_IN_SLOTS)
                p->in_off = (int64_t)(slot * PAGE_SIZE + off);
            return;
        }
        if (k < 66) {
            bool zeroed = f->low_ram >= FZ_LOW_ZERO && f->self != 0;
            if ((flags & PF_NOLOW) || ((flags & PF_SAFE) && !zeroed))
                continue;
            p->va = PICK(f, lows);
            p->low = zeroed;
            return;
        }
        if (k < 84) {
            p->va = fz_unreadable(f);
            return;
        }
        if (k < 88) {       /* the window: maybe populated RAM, content unknown */
            if (flags & PF_SAFE)
                continue;
            p->va = ((f->window + below(f, FZ_WINDOW)) << 12) + below(f, PAGE_SIZE);
            return;
        }
        if (k < 94) {
            if (!(flags & PF_RO))
                continue;
            uint64_t off = chance(f, 85) ? below(f, PAGE_SIZE - s + 1) & ~7ul
                                         : PAGE_SIZE - s + 1 + below(f, 8);
            off = MIN(off, PAGE_SIZE);
            p->va = FZ_RO_VA + off;
            p->rview = (const void *)(uintptr_t)p->va;
            p->avail = PAGE_SIZE - off;
            return;
        }
        if (!(flags & PF_IN))
            continue;
        p->va = in_only(f, s, &p->rview);
        p->avail = s;
        return;
    }
}

/* Input-slot bytes [lo, lo + len) are this call's: false if some are already. */
static bool claim(struct fz_call *c, int64_t lo, size_t len)
{
    if (lo < 0)
        return true;
    uint32_t a = (uint32_t)lo, b = (uint32_t)MIN((uint64_t)lo + len, (uint64_t)FZ_IN_BYTES);
    for (unsigned int i = 0; i < c->nclaims; i++)
        if (a < c->claim_hi[i] && c->claim_lo[i] < b)
            return false;
    if (c->nclaims < ARRAY_SIZE(c->claim_lo)) {
        c->claim_lo[c->nclaims] = a;
        c->claim_hi[c->nclaims++] = b;
    }
    return true;
}

/* The main pointer argument: chosen, filled, remembered in c.  Its first
 * claim_len bytes are the call's structures. */
uint64_t fz_main_ptr(struct fz_state *f, struct fz_call *c, unsigned int flags, size_t size, size_t claim_len)
{
    struct fz_ptr p;
    fz_pointer(f, flags, size, &p);
    c->ptr = p.va;
    c->view = p.view;
    c->rview = p.rview;
    c->avail = p.avail;
    c->zero_low |= p.low;
    claim_len = MAX(claim_len, size);
    claim(c, p.in_off, claim_len);
    if (p.view)
        fz_fill(f, p.view, MIN(p.avail, MIN(claim_len, (size_t)1024)));
    return p.va;
}

/* A guest handle inside a structure, to a buffer the hypervisor writes:
 * output slots, low RAM (unless PF_NOLOW) or unreadable. */
uint64_t fz_handle(struct fz_state *f, unsigned int flags, size_t size)
{
    struct fz_ptr p;
    fz_pointer(f, PF_SAFE | PF_OUTZONE | (flags & PF_NOLOW), size, &p);
    return p.va;
}

/* A handle to an array of gfns the command takes or changes, each of them
 * safe, in the input slots apart from the call's other structures.  Never
 * low RAM: its zeros would be gfn 0, ours.  first_ext (may be NULL) learns
 * where each scratch frame first appears. */
uint64_t fz_gfn_array(struct fz_state *f, struct fz_call *c, unsigned int allow, uint64_t n,
                          int32_t *first_ext)
{
    struct fz_ptr p;
    /* Long operations continue, so the hypervisor reads as many entries as
     * the count says: past the ones made here, an invalid gfn ends the call
     * (whatever followed could be a frame of ours). */
    bool stopper = n > 4096;
    n = MIN(n, 4096ul);
    for (unsigned int tries = 0;; tries++) {
        fz_pointer(f, PF_SAFE | PF_NOLOW, 8, &p);
        if (p.in_off < 0 || claim(c, p.in_off, (MAX(n, 1ul) + stopper) * 8))
            break;
        if (tries == 8) {
            p.va = fz_unreadable(f);
            p.view = NULL;
            break;
        }
    }
    n = MIN(n, (uint64_t)(p.avail / 8));
    for (uint64_t i = 0; p.view && i < n; i++) {
        uint64_t g = fz_safe_gfn(f, allow);
        int s = fz_slot_of(f, g);
        memcpy((uint8_t *)p.view + i * 8, &g, 8);
        if (first_ext && s >= 0 && first_ext[s] < 0)
            first_ext[s] = (int32_t)i;
    }
    if (stopper && p.view && (n + 1) * 8 <= p.avail)
        memset((uint8_t *)p.view + n * 8, 0xff, 8);
    return p.va;
}

/* ---- choosing the call ---------------------------------------------------- */

void fz_generate(struct fz_state *f, struct fz_call *c, uint64_t n)
{
    static const struct { uint8_t nr, weight; } known[] = {
        { __HYPERVISOR_memory_op, 18 }, { __HYPERVISOR_grant_table_op, 18 },
        { __HYPERVISOR_event_channel_op, 16 }, { __HYPERVISOR_hvm_op, 12 }, { __HYPERVISOR_vcpu_op, 12 },
        { __HYPERVISOR_xen_version, 8 }, { __HYPERVISOR_console_io, 6 }, { __HYPERVISOR_sched_op, 6 },
        { __HYPERVISOR_domctl, 2 }, { __HYPERVISOR_sysctl, 2 },
    };
    unsigned int nr;
    memset(c, 0, sizeof(*c));
    c->n = n;
    c->status_off = -1;
    if (n < 64) {
        nr = (unsigned int)n;               /* every number once first */
    } else if (chance(f, 12)) {
        nr = (unsigned int)below(f, 64);
    } else {
        unsigned int w = (unsigned int)below(f, 100), i = 0;
        while (i + 1 < ARRAY_SIZE(known) && w >= known[i].weight) {
            w -= known[i].weight;
            i++;
        }
        nr = known[i].nr;
    }
    c->nr = nr;
    switch (nr) {
    case __HYPERVISOR_memory_op: fz_gen_memory_op(f, c); break;
    case __HYPERVISOR_grant_table_op: fz_gen_grant_table_op(f, c); break;
    case __HYPERVISOR_event_channel_op: fz_gen_event_channel_op(f, c, false); break;
    case __HYPERVISOR_event_channel_op_compat: fz_gen_event_channel_op(f, c, true); break;
    case __HYPERVISOR_hvm_op: fz_gen_hvm_op(f, c); break;
    case __HYPERVISOR_vcpu_op: fz_gen_vcpu_op(f, c); break;
    case __HYPERVISOR_xen_version: fz_gen_xen_version(f, c); break;
    case __HYPERVISOR_console_io: fz_gen_console_io(f, c); break;
    case __HYPERVISOR_sched_op: fz_gen_sched_op(f, c, false); break;
    case __HYPERVISOR_sched_op_compat: fz_gen_sched_op(f, c, true); break;
    case __HYPERVISOR_domctl: fz_gen_ctl(f, c, false); break;
    case __HYPERVISOR_sysctl: fz_gen_ctl(f, c, true); break;
    case __HYPERVISOR_multicall: fz_gen_multicall(f, c); break;
    default: fz_gen_other(f, c); break;
    }
    /* The structure as the hypervisor will read it, for the effects and
     * for reports (low RAM: zeroed right before the call). */
    if (c->rview && c->avail) {
        c->snap_len = (unsigned int)MIN(c->avail, (size_t)FZ_SNAP);
        memcpy(c->snap, c->rview, c->snap_len);
    } else if (c->zero_low && c->ptr < FZ_LOW_ZERO) {
        c->snap_len = FZ_SNAP;
    }
    if (nr == __HYPERVISOR_memory_op)
        fz_memory_op_checks(f, c);
}

/* ---- after the call -------------------------------------------------------- */

static void record_port(struct fz_state *f, evtchn_port_t port)
{
    f->ports[f->nports++ % FZ_PORTS] = port;
    f->n_ports++;
}

bool fz_after(struct fz_state *f, struct fz_call *c, long ret)
{
    switch (c->effect) {
    case FX_PHYSMAP:
    case FX_REMOVE: {
        struct xen_add_to_physmap x;
        struct xen_remove_from_physmap r;
        uint64_t gfn;
        domid_t d;
        if (ret != 0 || c->snap_len < (c->effect == FX_PHYSMAP ? sizeof(x) : sizeof(r)))
            return true;
        if (c->effect == FX_PHYSMAP) {
            memcpy(&x, c->snap, sizeof(x));
            gfn = x.gpfn;
            d = x.domid;
        } else {
            memcpy(&r, c->snap, sizeof(r));
            gfn = r.gpfn;
            d = r.domid;
        }
        if (fz_foreign(f, d))
            return true;                        /* (it must have failed: checked before) */
        f->n_physmap++;
        bool frame0 = c->effect == FX_PHYSMAP && x.space == XENMAPSPACE_grant_table && x.idx == 0;
        int s = fz_slot_of(f, gfn);
        if (s >= 0 && !fz_replace_slot(f, (unsigned int)s))
            return false;
        if (gfn == f->gv_gfn) {
            f->gv_valid = frame0;
        } else if (frame0 || (c->effect == FX_PHYSMAP && x.space == XENMAPSPACE_gmfn_range &&
                              f->gv_gfn >= gfn && f->gv_gfn - gfn < x.size)) {
            if (f->gv_valid)
                f->n_gv_moves++;
            f->gv_valid = false;
        }
        return true;
    }
    case FX_DECREASE:
        if (ret <= 0)
            return true;
        f->n_dropped += (uint64_t)ret;
        for (unsigned int s = 0; s < FZ_SLOTS; s++)
            if (c->first_ext[s] >= 0 && c->first_ext[s] < ret && !fz_replace_slot(f, s))
                return false;
        return true;
    case FX_POPULATE:
        if (ret > 0)
            f->n_populated += (uint64_t)ret;
        return true;
    case FX_GRANT:
        return fz_grant_effects(f, c);
    case FX_PORT:
        if (ret == 0 && c->view && c->port_off + 4 <= c->avail) {
            evtchn_port_t p;
            memcpy(&p, (uint8_t *)c->view + c->port_off, sizeof(p));
            record_port(f, p);
        }
        return true;
    case FX_PIN: {
        int s = fz_slot_of(f, c->pin_gfn);
        if (ret == 0 && s >= 0 && (uint32_t)c->dom_vcpu == 0 && !f->slot_pinned[s]) {
            f->slot_pinned[s] = true;
            if (f->n_pinned++ < 3)
                fz_describe("gfn registered for good by", c->n, c);
        }
        return true;
    }
    case FX_CALLBACK:
        if (ret == 0)
            f->callback_set = true;
        return true;
    case FX_UPCALL_VECTOR:
        if (ret == 0)
            f->upcall_vector_set = true;
        return true;
    default:
        return true;
    }
}

/* ---- the grant table we write ------------------------------------------------ */

void fz_write_grants(struct fz_state *f)
{
    static const uint16_t flags[] = { 0, GTF_permit_access, GTF_permit_access, GTF_permit_access | GTF_readonly,
                                      GTF_accept_transfer, GTF_permit_access | GTF_reading | GTF_writing,
                                      GTF_permit_access | GTF_sub_page, 0xffff };
    grant_entry_v1_t *e = (grant_entry_v1_t *)FZ_GV_VA;
    for (unsigned int n = 1 + (unsigned int)below(f, 4); n--;) {
        unsigned int ref = (unsigned int)below(f, FZ_GV_REFS);
        uint16_t fl = chance(f, 90) ? PICK(f, flags) : (uint16_t)rnd(f);
        domid_t d = chance(f, 50) && f->self != DOMID_INVALID ? f->self : fz_pick_domid(f);
        /* Output frames (granted to ourselves, so copies and maps through a
         * gref reach them), or frames that are not ours. */
        uint32_t frame = (uint32_t)fz_safe_gfn(f, G_OUT);
        __atomic_store_n(&e[ref].flags, 0, __ATOMIC_SEQ_CST);
        e[ref].frame = frame;
        e[ref].domid = d;
        __atomic_store_n(&e[ref].flags, fl, __ATOMIC_SEQ_CST);
        f->n_grant_writes++;
    }
}

const char *fz_hypercall_name(unsigned int nr)
{
    static const char *const names[64] = {
        [0] = "set_trap_table", [1] = "mmu_update", [2] = "set_gdt", [3] = "stack_switch",
        [4] = "set_callbacks", [5] = "fpu_taskswitch", [6] = "sched_op_compat", [7] = "platform_op",
        [8] = "set_debugreg", [9] = "get_debugreg", [10] = "update_descriptor", [12] = "memory_op",
        [13] = "multicall", [14] = "update_va_mapping", [15] = "set_timer_op",
        [16] = "event_channel_op_compat", [17] = "xen_version", [18] = "console_io",
        [19] = "physdev_op_compat", [20] = "grant_table_op", [21] = "vm_assist",
        [22] = "update_va_mapping_otherdomain", [23] = "iret", [24] = "vcpu_op",
        [25] = "set_segment_base", [26] = "mmuext_op", [27] = "xsm_op", [28] = "nmi_op",
        [29] = "sched_op", [30] = "callback_op", [31] = "xenoprof_op", [32] = "event_channel_op",
        [33] = "physdev_op", [34] = "hvm_op", [35] = "sysctl", [36] = "domctl", [37] = "kexec_op",
        [38] = "tmem_op", [39] = "argo_op", [40] = "xenpmu_op", [41] = "dm_op", [42] = "hypfs_op",
        [48] = "arch_0", [49] = "arch_1", [50] = "arch_2", [51] = "arch_3", [52] = "arch_4",
        [53] = "arch_5", [54] = "arch_6", [55] = "arch_7",
    };
    return nr < 64 && names[nr] ? names[nr] : "-";
}
