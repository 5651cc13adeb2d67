/*
 * hypercall_fuzz: memory_op and grant_table_op, the two that take, give and
 * replace guest frames.  Every gfn they may take or write is fz_safe_gfn()'s
 * (a scratch frame, the window, or none), every buffer they write through a
 * handle is in the output slots (fuzz.h).
 */
#include "fuzz_gen.h"

/* ---- memory_op ---------------------------------------------------------- */

static void reservation(struct fz_state *f, struct fz_call *c, size_t off, unsigned int allow, bool decrease)
{
    static const uint32_t orders[] = { 0, 0, 0, 0, 1, 9, 10, 18, 31, ~0u };
    EDIT(c, off, struct xen_memory_reservation, r);
    if (chance(f, 80)) {
        r.domid = fz_pick_domid(f);
        r.nr_extents = chance(f, 60) ? 1 + below(f, 8) : fz_pick_count(f);
        r.extent_order = PICK(f, orders);
    }
    set_xen_guest_handle(r.extent_start, (xen_pfn_t *)(uintptr_t)
                         fz_gfn_array(f, c, allow, r.nr_extents, decrease ? c->first_ext : NULL));
    DONE(c, off, r);
}

void fz_gen_memory_op(struct fz_state *f, struct fz_call *c)
{
    static const unsigned int common[] = {
        XENMEM_add_to_physmap, XENMEM_add_to_physmap, XENMEM_add_to_physmap,
        XENMEM_decrease_reservation, XENMEM_decrease_reservation, XENMEM_populate_physmap,
        XENMEM_populate_physmap, XENMEM_current_reservation, XENMEM_maximum_reservation,
        XENMEM_remove_from_physmap,
    };
    static const unsigned int spaces[] = { XENMAPSPACE_shared_info, XENMAPSPACE_grant_table,
                                           XENMAPSPACE_grant_table, XENMAPSPACE_gmfn, XENMAPSPACE_gmfn_range,
                                           XENMAPSPACE_gmfn_foreign, XENMAPSPACE_dev_mmio, 6, ~0u };
    static const uint64_t idxs[] = { 0, 0, 1, 2, 31, 32, 33, XENMAPIDX_grant_table_status,
                                     XENMAPIDX_grant_table_status | 1, ~0ul, 0x100000000 };
    unsigned int k = (unsigned int)below(f, 100);
    uint64_t cmd = k < 55 ? PICK(f, common) : k < 90 ? below(f, 32) : fz_hostile(f);
    if (chance(f, 10))
        cmd |= rnd(f) << 6;                     /* a continuation's start extent */
    unsigned int op = cmd & 63;
    c->cmd = cmd;
    c->a[0] = cmd;

    switch (op) {
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
    case XENMEM_maximum_gpfn:
        c->a[1] = fz_main_ptr(f, c, PF_RO | PF_IN | PF_IDENT, sizeof(domid_t), 8);
        if (fits(c, sizeof(domid_t)) && chance(f, 80)) {
            domid_t d = fz_pick_domid(f);
            memcpy(c->view, &d, sizeof(d));
        }
        break;
    case XENMEM_add_to_physmap:
        c->a[1] = fz_main_ptr(f, c, PF_SAFE | PF_IDENT, sizeof(struct xen_add_to_physmap), 0);
        if (fits(c, sizeof(struct xen_add_to_physmap))) {
            EDIT(c, 0, struct xen_add_to_physmap, x);
            if (chance(f, 80)) {
                x.domid = fz_pick_domid(f);
                x.space = PICK(f, spaces);
                x.idx = PICK(f, idxs);
                x.size = chance(f, 50) ? (uint16_t)below(f, 4) : (uint16_t)fz_hostile(f);
            }
            bool frame_index = x.space == XENMAPSPACE_shared_info || x.space == XENMAPSPACE_grant_table;
            /* Where it lands: a range only in the window, past which there is nothing of ours. */
            x.gpfn = fz_safe_gfn(f, x.space == XENMAPSPACE_gmfn_range ? 0 : G_SLOT | G_GV);
            if (!frame_index)
                x.idx = fz_safe_gfn(f, 0);        /* a frame of ours it would move away */
            DONE(c, 0, x);
        }
        c->effect = FX_PHYSMAP;
        break;
    case XENMEM_remove_from_physmap:
        c->a[1] = fz_main_ptr(f, c, PF_SAFE | PF_IDENT, sizeof(struct xen_remove_from_physmap), 0);
        if (fits(c, sizeof(struct xen_remove_from_physmap))) {
            EDIT(c, 0, struct xen_remove_from_physmap, x);
            if (chance(f, 80))
                x.domid = fz_pick_domid(f);
            x.gpfn = fz_safe_gfn(f, G_SLOT | G_GV);
            DONE(c, 0, x);
        }
        c->effect = FX_REMOVE;
        break;
    case XENMEM_increase_reservation:
    case XENMEM_decrease_reservation:
    case XENMEM_populate_physmap:
    case XENMEM_claim_pages:
        for (unsigned int s = 0; s < FZ_SLOTS; s++)
            c->first_ext[s] = -1;
        c->a[1] = fz_main_ptr(f, c, PF_SAFE | PF_IDENT, sizeof(struct xen_memory_reservation), 0);
        if (fits(c, sizeof(struct xen_memory_reservation)))
            reservation(f, c, 0, op == XENMEM_decrease_reservation ? G_SLOT : 0,
                        op == XENMEM_decrease_reservation);
        c->effect = op == XENMEM_decrease_reservation ? FX_DECREASE :
                    op == XENMEM_populate_physmap ? FX_POPULATE : FX_NONE;
        break;
    case XENMEM_exchange:
        c->a[1] = fz_main_ptr(f, c, PF_SAFE | PF_IDENT, sizeof(struct xen_memory_exchange), 0);
        if (fits(c, sizeof(struct xen_memory_exchange))) {
            reservation(f, c, offsetof(struct xen_memory_exchange, in), 0, false);
            reservation(f, c, offsetof(struct xen_memory_exchange, out), 0, false);
        }
        break;
    case XENMEM_machphys_mfn_list:
    case XENMEM_machphys_compat_mfn_list:
        c->a[1] = fz_main_ptr(f, c, PF_SAFE | PF_IDENT, sizeof(struct xen_machphys_mfn_list), 0);
        if (fits(c, sizeof(struct xen_machphys_mfn_list))) {
            EDIT(c, 0, struct xen_machphys_mfn_list, x);
            set_xen_guest_handle(x.extent_start, (xen_pfn_t *)(uintptr_t)fz_handle(f, 0, 8 * 16));
            DONE(c, 0, x);
        }
        break;
    case XENMEM_memory_map:
    case XENMEM_machine_memory_map:
    case XENMEM_set_memory_map: {
        size_t off = op == XENMEM_set_memory_map ? offsetof(struct xen_foreign_memory_map, map) : 0;
        c->a[1] = fz_main_ptr(f, c, PF_SAFE | PF_IDENT, off + sizeof(struct xen_memory_map), 0);
        if (fits(c, off + sizeof(struct xen_memory_map))) {
            EDIT(c, off, struct xen_memory_map, x);
            if (chance(f, 70))
                x.nr_entries = (unsigned int)fz_pick_count(f);
            set_xen_guest_handle(x.buffer, (void *)(uintptr_t)fz_handle(f, 0, 20 * 8));
            DONE(c, off, x);
        }
        break;
    }
    case XENMEM_add_to_physmap_batch:
        c->a[1] = fz_main_ptr(f, c, PF_SAFE | PF_IDENT, sizeof(struct xen_add_to_physmap_batch), 0);
        if (fits(c, sizeof(struct xen_add_to_physmap_batch))) {
            EDIT(c, 0, struct xen_add_to_physmap_batch, x);
            if (chance(f, 80)) {
                x.domid = fz_pick_domid(f);
                x.space = (uint16_t)PICK(f, spaces);
                x.size = (uint16_t)fz_pick_count(f);
            }
            set_xen_guest_handle(x.idxs, (xen_ulong_t *)(uintptr_t)fz_gfn_array(f, c, 0, x.size, NULL));
            set_xen_guest_handle(x.gpfns, (xen_pfn_t *)(uintptr_t)fz_gfn_array(f, c, 0, x.size, NULL));
            set_xen_guest_handle(x.errs, (int *)(uintptr_t)fz_handle(f, 0, 4 * 16));
            DONE(c, 0, x);
        }
        break;
    case XENMEM_acquire_resource:
        c->a[1] = fz_main_ptr(f, c, PF_SAFE | PF_IDENT, sizeof(struct xen_mem_acquire_resource), 0);
        if (fits(c, sizeof(struct xen_mem_acquire_resource))) {
            EDIT(c, 0, struct xen_mem_acquire_resource, x);
            if (chance(f, 80)) {
                x.domid = fz_pick_domid(f);
                x.type = (uint16_t)below(f, 4);
                x.id = (uint32_t)below(f, 3);
                x.nr_frames = (uint32_t)fz_pick_count(f);
            }
            /* For a translated caller, the gfns the resource is mapped at. */
            set_xen_guest_handle(x.frame_list, (xen_pfn_t *)(uintptr_t)fz_gfn_array(f, c, 0, x.nr_frames, NULL));
            DONE(c, 0, x);
        }
        break;
    case XENMEM_maximum_ram_page:
    case XENMEM_machphys_mapping:
    case XENMEM_get_pod_target:
        c->a[1] = fz_main_ptr(f, c, PF_RO | PF_IDENT, 64, 64);
        break;
    default:            /* paging, access, sharing, vnuma, ...: unknown layouts */
        c->a[1] = fz_main_ptr(f, c, PF_SAFE, 64, 256);
        if (c->view)
            fz_defuse(f, c->view, MIN(c->avail, (size_t)1024));
        break;
    }
    c->a[2] = fz_hostile(f);
}

/* ---- grant_table_op ------------------------------------------------------ */

static const struct { uint16_t size; int16_t status; } gnt_ops[] = {
    [GNTTABOP_map_grant_ref] = { sizeof(struct gnttab_map_grant_ref), offsetof(struct gnttab_map_grant_ref, status) },
    [GNTTABOP_unmap_grant_ref] = { sizeof(struct gnttab_unmap_grant_ref), offsetof(struct gnttab_unmap_grant_ref, status) },
    [GNTTABOP_setup_table] = { sizeof(struct gnttab_setup_table), offsetof(struct gnttab_setup_table, status) },
    [GNTTABOP_dump_table] = { sizeof(struct gnttab_dump_table), offsetof(struct gnttab_dump_table, status) },
    [GNTTABOP_transfer] = { sizeof(struct gnttab_transfer), offsetof(struct gnttab_transfer, status) },
    [GNTTABOP_copy] = { sizeof(struct gnttab_copy), offsetof(struct gnttab_copy, status) },
    [GNTTABOP_query_size] = { sizeof(struct gnttab_query_size), offsetof(struct gnttab_query_size, status) },
    [GNTTABOP_unmap_and_replace] = { sizeof(struct gnttab_unmap_and_replace), offsetof(struct gnttab_unmap_and_replace, status) },
    [GNTTABOP_set_version] = { sizeof(struct gnttab_set_version), -1 },
    [GNTTABOP_get_status_frames] = { sizeof(struct gnttab_get_status_frames), offsetof(struct gnttab_get_status_frames, status) },
    [GNTTABOP_get_version] = { sizeof(struct gnttab_get_version), -1 },
    [GNTTABOP_swap_grant_ref] = { sizeof(struct gnttab_swap_grant_ref), offsetof(struct gnttab_swap_grant_ref, status) },
    [GNTTABOP_cache_flush] = { sizeof(struct gnttab_cache_flush), -1 },
};

#define GNT_STATUS_UNTOUCHED 0x7777     /* set before the call: an op the hypervisor did not reach */

static void gnt_copy_ptr(struct fz_state *f, struct gnttab_copy_ptr *p, bool gref, bool dest)
{
    static const uint16_t offs[] = { 0, 1, 8, 2048, 4095, 4096, 0xffff };
    if (gref) {
        p->u.ref = fz_pick_ref(f);
        p->domid = fz_pick_domid(f);
    } else {
        p->u.gmfn = dest ? fz_safe_gfn(f, G_OUT) : chance(f, 50) ? fz_safe_gfn(f, G_SLOT) : fz_hostile(f);
        p->domid = chance(f, 80) ? DOMID_SELF : fz_pick_domid(f);
    }
    p->offset = chance(f, 60) ? (uint16_t)below(f, 4096) : PICK(f, offs);
}

static void gnt_op(struct fz_state *f, struct fz_call *c, unsigned int op, size_t off, bool structured)
{
    static const uint32_t map_flags[] = { GNTMAP_host_map, GNTMAP_host_map, GNTMAP_host_map | GNTMAP_readonly,
                                          GNTMAP_device_map, GNTMAP_host_map | GNTMAP_device_map,
                                          GNTMAP_host_map | GNTMAP_application_map, GNTMAP_host_map | GNTMAP_contains_pte, 0 };
    static const uint32_t nr_frames[] = { 0, 1, 2, 4, 31, 32, 33, 512, ~0u };
    static const uint16_t lens[] = { 0, 1, 8, 4096, 4097, 0xffff };
    switch (op) {
    case GNTTABOP_map_grant_ref: {
        EDIT(c, off, struct gnttab_map_grant_ref, m);
        if (structured) {
            m.flags = chance(f, 90) ? PICK(f, map_flags) : (uint32_t)fz_hostile(f);
            m.ref = fz_pick_ref(f);
            m.dom = chance(f, 40) && f->self != DOMID_INVALID ? f->self : fz_pick_domid(f);
        }
        m.host_addr = fz_map_addr(f);
        DONE(c, off, m);
        break;
    }
    case GNTTABOP_unmap_grant_ref:
    case GNTTABOP_unmap_and_replace: {
        EDIT(c, off, struct gnttab_unmap_grant_ref, u);
        if (structured && f->nmaps && chance(f, 60)) {
            const struct fz_map *m = &f->maps[below(f, MIN(f->nmaps, FZ_MAPS))];
            u.handle = m->handle;
            u.host_addr = chance(f, 70) ? m->host_addr : chance(f, 50) ? 0 : m->host_addr ^ PAGE_SIZE;
            u.dev_bus_addr = chance(f, 70) ? 0 : chance(f, 50) ? m->dev_bus_addr : fz_hostile(f);
        } else if (structured) {
            u.handle = chance(f, 50) ? (uint32_t)below(f, 8) : (uint32_t)fz_hostile(f);
            u.host_addr = fz_map_addr(f);
        }
        if (op == GNTTABOP_unmap_and_replace) {     /* new_addr: a second mapping it takes */
            struct gnttab_unmap_and_replace r;
            memcpy(&r, &u, sizeof(r));
            r.new_addr = fz_map_addr(f);
            r.host_addr = fz_map_addr(f);
            memcpy(&u, &r, sizeof(r));
        }
        DONE(c, off, u);
        break;
    }
    case GNTTABOP_setup_table: {        /* writes nr_frames entries to frame_list */
        EDIT(c, off, struct gnttab_setup_table, t);
        if (structured) {
            t.dom = fz_pick_domid(f);
            t.nr_frames = PICK(f, nr_frames);
        }
        set_xen_guest_handle(t.frame_list, (xen_pfn_t *)(uintptr_t)fz_handle(f, 0, 8 * MIN(t.nr_frames, 64u)));
        DONE(c, off, t);
        break;
    }
    case GNTTABOP_get_status_frames: {
        EDIT(c, off, struct gnttab_get_status_frames, t);
        if (structured) {
            t.dom = fz_pick_domid(f);
            t.nr_frames = PICK(f, nr_frames);
        }
        set_xen_guest_handle(t.frame_list, (uint64_t *)(uintptr_t)fz_handle(f, 0, 8 * MIN(t.nr_frames, 64u)));
        DONE(c, off, t);
        break;
    }
    case GNTTABOP_transfer: {
        EDIT(c, off, struct gnttab_transfer, t);
        if (structured) {
            t.domid = fz_pick_domid(f);
            t.ref = fz_pick_ref(f);
        }
        t.mfn = fz_safe_gfn(f, 0);                 /* the frame it would give away */
        DONE(c, off, t);
        break;
    }
    case GNTTABOP_copy: {
        EDIT(c, off, struct gnttab_copy, g);
        if (structured) {
            g.flags = chance(f, 90) ? (uint16_t)below(f, 4) : (uint16_t)fz_hostile(f);
            gnt_copy_ptr(f, &g.source, g.flags & GNTCOPY_source_gref, false);
            gnt_copy_ptr(f, &g.dest, g.flags & GNTCOPY_dest_gref, true);
            g.len = chance(f, 60) ? (uint16_t)below(f, 4097) : PICK(f, lens);
        }
        if (!(g.flags & GNTCOPY_dest_gref))     /* a frame of its own it writes */
            g.dest.u.gmfn = fz_safe_gfn(f, G_OUT);
        DONE(c, off, g);
        break;
    }
    case GNTTABOP_dump_table:
    case GNTTABOP_query_size:
    case GNTTABOP_get_version: {
        domid_t d = fz_pick_domid(f);              /* dom is the first field of all three */
        if (structured)
            memcpy((uint8_t *)c->view + off, &d, sizeof(d));
        break;
    }
    case GNTTABOP_set_version: {
        static const uint32_t versions[] = { 0, 1, 1, 2, 3, ~0u };
        uint32_t v = PICK(f, versions);
        if (structured)
            memcpy((uint8_t *)c->view + off, &v, sizeof(v));
        break;
    }
    case GNTTABOP_swap_grant_ref: {
        EDIT(c, off, struct gnttab_swap_grant_ref, s);
        if (structured) {
            s.ref_a = fz_pick_ref(f);
            s.ref_b = fz_pick_ref(f);
        }
        DONE(c, off, s);
        break;
    }
    default:
        break;
    }
}

void fz_gen_grant_table_op(struct fz_state *f, struct fz_call *c)
{
    unsigned int k = (unsigned int)below(f, 100);
    uint64_t cmd = k < 80 ? below(f, ARRAY_SIZE(gnt_ops)) : k < 90 ? below(f, 64) : fz_hostile(f);
    unsigned int op = (unsigned int)cmd;        /* Xen: unsigned int cmd */
    uint64_t count = fz_pick_count(f);
    bool known = op < ARRAY_SIZE(gnt_ops);
    size_t size = known ? gnt_ops[op].size : 64;
    unsigned int flags = PF_SAFE;
    if (count <= 1)
        flags |= PF_IDENT;
    if (op == GNTTABOP_query_size || op == GNTTABOP_get_version || op == GNTTABOP_set_version ||
        op == GNTTABOP_dump_table)
        flags |= PF_RO;
    if (op == GNTTABOP_transfer)
        flags |= PF_NOLOW;                      /* zeros: give away our gfn 0 */
    c->cmd = cmd;
    c->a[0] = cmd;
    c->a[1] = fz_main_ptr(f, c, flags, size, size * MIN(count, 64ul));
    /* Any count is done (with continuations) until an op cannot be read.
     * Low RAM is followed by our own image, not by a guard: ops past its
     * end would have the hypervisor write statuses into us. */
    if (c->a[1] < f->low_ram && count > (f->low_ram - c->a[1]) / size)
        count = (f->low_ram - c->a[1]) / size;
    c->a[2] = count;
    if (!c->view)
        return;
    if (!known) {
        fz_defuse(f, c->view, MIN(c->avail, (size_t)1024));
        return;
    }
    /* Every op it may reach: as many as fit before the guard (beyond:
     * -EFAULT).  All of them: the hypervisor continues through any count. */
    unsigned int n = (unsigned int)MIN(count, (uint64_t)(c->avail / size));
    bool structured = chance(f, 75);
    for (unsigned int i = 0; i < n; i++) {
        gnt_op(f, c, op, i * size, structured && (i < 8 || chance(f, 50)));
        if (gnt_ops[op].status >= 0) {
            int16_t st = GNT_STATUS_UNTOUCHED;
            memcpy((uint8_t *)c->view + i * size + gnt_ops[op].status, &st, sizeof(st));
        }
    }
    c->effect = FX_GRANT;
    c->op = op;
    c->op_size = (unsigned int)size;
    c->op_count = n;
    /* Another domain's table is the toolstack's business. */
    if ((op == GNTTABOP_setup_table || op == GNTTABOP_query_size || op == GNTTABOP_dump_table ||
         op == GNTTABOP_get_version) && count == 1 && n == 1) {
        domid_t d;
        memcpy(&d, c->view, sizeof(d));         /* dom is first in all of them */
        if (fz_foreign(f, d)) {
            c->must_fail = "another domain's grant table";
            c->status_off = gnt_ops[op].status;
        }
    }
}


bool fz_grant_effects(struct fz_state *f, struct fz_call *c)
{
    int status = gnt_ops[c->op].status;
    if (status < 0 || !c->view)
        return true;
    for (unsigned int i = 0; i < c->op_count; i++) {
        uint8_t *op = (uint8_t *)c->view + (size_t)i * c->op_size;
        int16_t st;
        memcpy(&st, op + status, sizeof(st));
        if (st != GNTST_okay)
            continue;
        if (c->op == GNTTABOP_map_grant_ref) {
            struct gnttab_map_grant_ref m;
            memcpy(&m, op, sizeof(m));
            f->maps[f->nmaps++ % FZ_MAPS] = (struct fz_map){ m.handle, m.host_addr, m.dev_bus_addr };
            f->n_maps++;
            int s = fz_slot_of(f, m.host_addr >> 12);
            if (s >= 0) {                           /* a grant over our RAM */
                if (!f->n_map_over_ram++)
                    kprintf("svguest: hypercall_fuzz: a grant was mapped over RAM at gfn %#lx (splitvisor maps only where nothing is)\n",
                            m.host_addr >> 12);
                if (!fz_replace_slot(f, (unsigned int)s))
                    return false;
            }
            if (m.host_addr >> 12 == f->gv_gfn)
                f->gv_valid = false;
        } else if (c->op == GNTTABOP_unmap_grant_ref) {
            struct gnttab_unmap_grant_ref u;
            memcpy(&u, op, sizeof(u));
            for (unsigned int j = 0; j < MIN(f->nmaps, FZ_MAPS); j++)
                if (f->maps[j].handle == u.handle)
                    f->maps[j].handle = ~0u;
            f->n_unmaps++;
        } else if (c->op == GNTTABOP_copy) {
            f->n_copies++;
        }
    }
    return true;
}

/* What only a privileged domain may do to another domain's memory, read
 * from the structure as it was passed. */
void fz_memory_op_checks(struct fz_state *f, struct fz_call *c)
{
    if (!f->privileged) {
        unsigned int op = c->cmd & 63;
        int at = -1;                            /* where the domid is */
        if (op == XENMEM_add_to_physmap || op == XENMEM_remove_from_physmap ||
            op == XENMEM_current_reservation || op == XENMEM_maximum_reservation)
            at = 0;
        else if (op == XENMEM_decrease_reservation || op == XENMEM_populate_physmap ||
                 op == XENMEM_increase_reservation)
            at = offsetof(struct xen_memory_reservation, domid);
        domid_t d;
        if (at >= 0 && c->snap_len >= at + sizeof(d)) {
            memcpy(&d, c->snap + at, sizeof(d));
            if (fz_foreign(f, d))
                c->must_fail = "another domain's memory";
        }
    }
}
