/*
 * hypercall_fuzz: the other hypercalls' arguments: event_channel_op (and
 * its compat form), hvm_op, vcpu_op, sched_op (and compat: never block,
 * shutdown, poll, remote_shutdown or watchdog), xen_version, console_io,
 * domctl/sysctl, multicall, and any other number.
 */
#include "fuzz_gen.h"
#include <splitvisor/ctl.h>

/* ---- event_channel_op (and its compat form) ------------------------------ */

static const uint8_t evt_size[] = {
    [EVTCHNOP_bind_interdomain] = sizeof(struct evtchn_bind_interdomain),
    [EVTCHNOP_bind_virq] = sizeof(struct evtchn_bind_virq),
    [EVTCHNOP_bind_pirq] = sizeof(struct evtchn_bind_pirq),
    [EVTCHNOP_close] = sizeof(struct evtchn_close),
    [EVTCHNOP_send] = sizeof(struct evtchn_send),
    [EVTCHNOP_status] = sizeof(struct evtchn_status),
    [EVTCHNOP_alloc_unbound] = sizeof(struct evtchn_alloc_unbound),
    [EVTCHNOP_bind_ipi] = sizeof(struct evtchn_bind_ipi),
    [EVTCHNOP_bind_vcpu] = sizeof(struct evtchn_bind_vcpu),
    [EVTCHNOP_unmask] = sizeof(struct evtchn_unmask),
    [EVTCHNOP_reset] = sizeof(struct evtchn_reset),
    [EVTCHNOP_init_control] = sizeof(struct evtchn_init_control),
    [EVTCHNOP_expand_array] = sizeof(struct evtchn_expand_array),
    [EVTCHNOP_set_priority] = sizeof(struct evtchn_set_priority),
    [EVTCHNOP_reset_cont] = sizeof(struct evtchn_reset),
};

static void evt_fields(struct fz_state *f, struct fz_call *c, unsigned int op, size_t off, bool structured)
{
    static const uint32_t virqs[] = { VIRQ_TIMER, VIRQ_DEBUG, VIRQ_CONSOLE, VIRQ_DOM_EXC, 4, 5, 6, 7, 8,
                                      NR_VIRQS - 1, NR_VIRQS, 255, ~0u };
    switch (op) {
    case EVTCHNOP_bind_interdomain: {
        EDIT(c, off, struct evtchn_bind_interdomain, b);
        if (structured) {
            b.remote_dom = chance(f, 30) ? DOMID_SELF : fz_pick_domid(f);
            b.remote_port = fz_pick_port(f);
        }
        DONE(c, off, b);
        c->port_off = (unsigned int)(off + offsetof(struct evtchn_bind_interdomain, local_port));
        c->effect = FX_PORT;
        break;
    }
    case EVTCHNOP_bind_virq: {
        EDIT(c, off, struct evtchn_bind_virq, b);
        if (structured) {
            b.virq = chance(f, 85) ? PICK(f, virqs) : (uint32_t)fz_hostile(f);
            b.vcpu = fz_pick_vcpu(f);
        }
        DONE(c, off, b);
        c->port_off = (unsigned int)(off + offsetof(struct evtchn_bind_virq, port));
        c->effect = FX_PORT;
        break;
    }
    case EVTCHNOP_bind_pirq: {
        EDIT(c, off, struct evtchn_bind_pirq, b);
        if (structured) {
            b.pirq = chance(f, 50) ? (uint32_t)below(f, 32) : (uint32_t)fz_hostile(f);
            b.flags = (uint32_t)below(f, 4);
        }
        DONE(c, off, b);
        c->port_off = (unsigned int)(off + offsetof(struct evtchn_bind_pirq, port));
        c->effect = FX_PORT;
        break;
    }
    case EVTCHNOP_close:
    case EVTCHNOP_send:
    case EVTCHNOP_unmask: {
        uint32_t port = fz_pick_port(f);
        if (structured)
            memcpy((uint8_t *)c->view + off, &port, sizeof(port));
        break;
    }
    case EVTCHNOP_status: {
        EDIT(c, off, struct evtchn_status, s);
        if (structured) {
            s.dom = chance(f, 60) ? DOMID_SELF : fz_pick_domid(f);
            s.port = fz_pick_port(f);
        }
        DONE(c, off, s);
        if (fz_foreign(f, s.dom))
            c->must_fail = "status of another domain's port";
        break;
    }
    case EVTCHNOP_alloc_unbound: {
        EDIT(c, off, struct evtchn_alloc_unbound, a);
        if (structured) {
            a.dom = chance(f, 80) ? DOMID_SELF : fz_pick_domid(f);
            a.remote_dom = fz_pick_domid(f);
        }
        DONE(c, off, a);
        if (fz_foreign(f, a.dom))
            c->must_fail = "a port allocated in another domain";
        c->port_off = (unsigned int)(off + offsetof(struct evtchn_alloc_unbound, port));
        c->effect = FX_PORT;
        break;
    }
    case EVTCHNOP_bind_ipi: {
        EDIT(c, off, struct evtchn_bind_ipi, b);
        if (structured)
            b.vcpu = fz_pick_vcpu(f);
        DONE(c, off, b);
        c->port_off = (unsigned int)(off + offsetof(struct evtchn_bind_ipi, port));
        c->effect = FX_PORT;
        break;
    }
    case EVTCHNOP_bind_vcpu: {
        EDIT(c, off, struct evtchn_bind_vcpu, b);
        if (structured) {
            b.port = fz_pick_port(f);
            b.vcpu = fz_pick_vcpu(f);
        }
        DONE(c, off, b);
        break;
    }
    case EVTCHNOP_reset:
    case EVTCHNOP_reset_cont: {
        EDIT(c, off, struct evtchn_reset, r);
        if (structured)
            r.dom = chance(f, 60) ? DOMID_SELF : fz_pick_domid(f);
        DONE(c, off, r);
        if (fz_foreign(f, r.dom))
            c->must_fail = "another domain's ports reset";
        break;
    }
    case EVTCHNOP_init_control:
    case EVTCHNOP_expand_array: {
        /* FIFO: the hypervisor keeps this frame mapped and writes it. */
        uint64_t g = fz_safe_gfn(f, G_OUT);
        memcpy((uint8_t *)c->view + off, &g, sizeof(g));       /* control_gfn / array_gfn: first */
        if (op == EVTCHNOP_init_control && structured) {
            EDIT(c, off, struct evtchn_init_control, i);
            i.offset = chance(f, 50) ? (uint32_t)below(f, 4096) & ~7u : (uint32_t)fz_hostile(f);
            i.vcpu = fz_pick_vcpu(f);
            DONE(c, off, i);
        }
        c->pin_gfn = g;
        c->dom_vcpu = 0;
        c->effect = FX_PIN;
        break;
    }
    case EVTCHNOP_set_priority: {
        EDIT(c, off, struct evtchn_set_priority, s);
        if (structured) {
            s.port = fz_pick_port(f);
            s.priority = (uint32_t)below(f, 20);
        }
        DONE(c, off, s);
        break;
    }
    default:
        break;
    }
}

void fz_gen_event_channel_op(struct fz_state *f, struct fz_call *c, bool compat)
{
    unsigned int k = (unsigned int)below(f, 100);
    uint64_t cmd = k < 80 ? below(f, ARRAY_SIZE(evt_size)) : k < 90 ? below(f, 64) : fz_hostile(f);
    unsigned int op = (unsigned int)cmd;        /* Xen: int cmd */
    bool known = op < ARRAY_SIZE(evt_size);
    size_t base = compat ? offsetof(struct evtchn_op, u) : 0;
    size_t size = base + (known ? evt_size[op] : 32);
    /* The FIFO ops hand over a frame for good: not low RAM.  The compat
     * form keeps the command in the structure too: only content we control. */
    unsigned int flags = PF_IDENT;
    if (compat || op == EVTCHNOP_init_control || op == EVTCHNOP_expand_array)
        flags |= PF_SAFE | PF_NOLOW;
    else
        flags |= PF_RO;
    c->cmd = cmd;
    uint64_t ptr = fz_main_ptr(f, c, flags, size, size);
    if (compat) {
        c->a[0] = ptr;
        c->a[1] = fz_hostile(f);
    } else {
        c->a[0] = cmd;
        c->a[1] = ptr;
    }
    if (!fits(c, size))
        return;
    if (compat) {
        uint32_t c32 = op;
        memcpy(c->view, &c32, sizeof(c32));
    }
    if (known)
        evt_fields(f, c, op, base, chance(f, 80));
    else
        fz_defuse(f, c->view, MIN(c->avail, (size_t)1024));
}

/* ---- hvm_op ------------------------------------------------------------- */

void fz_gen_hvm_op(struct fz_state *f, struct fz_call *c)
{
    unsigned int k = (unsigned int)below(f, 100);
    uint64_t op = k < 30 ? HVMOP_set_param : k < 55 ? HVMOP_get_param :
                  k < 65 ? HVMOP_set_evtchn_upcall_vector : k < 85 ? below(f, 26) : fz_hostile(f);
    c->cmd = op;
    c->a[0] = op;
    switch (op) {
    case HVMOP_set_param:
    case HVMOP_get_param:
        c->a[1] = fz_main_ptr(f, c, op == HVMOP_set_param ? PF_IN | PF_RO | PF_IDENT : PF_RO | PF_IDENT,
                           sizeof(struct xen_hvm_param), 0);
        if (fits(c, sizeof(struct xen_hvm_param)) && chance(f, 85)) {
            static const uint64_t types[] = { (uint64_t)HVM_PARAM_CALLBACK_TYPE_VECTOR << 56,
                                              (uint64_t)HVM_PARAM_CALLBACK_TYPE_GSI << 56,
                                              (uint64_t)HVM_PARAM_CALLBACK_TYPE_PCI_INTX << 56,
                                              3ul << 56, 0xfful << 56, 0 };
            EDIT(c, 0, struct xen_hvm_param, p);
            p.domid = chance(f, 50) ? DOMID_SELF : fz_pick_domid(f);
            p.index = chance(f, 35) ? HVM_PARAM_CALLBACK_IRQ :
                      chance(f, 80) ? (uint32_t)below(f, HVM_NR_PARAMS + 2) : (uint32_t)fz_hostile(f);
            p.value = p.index == HVM_PARAM_CALLBACK_IRQ && chance(f, 70) ?
                      (chance(f, 15) ? 0 : PICK(f, types) | below(f, 256) | (chance(f, 10) ? 1ul << 20 : 0)) :
                      fz_hostile(f);
            DONE(c, 0, p);
        }
        if (c->rview && c->avail >= sizeof(struct xen_hvm_param)) {
            struct xen_hvm_param p;
            memcpy(&p, c->rview, sizeof(p));
            if (fz_foreign(f, p.domid))
                c->must_fail = "another domain's HVM parameter";
        }
        if (op == HVMOP_set_param)
            c->effect = FX_CALLBACK;
        break;
    case HVMOP_set_evtchn_upcall_vector:
        c->a[1] = fz_main_ptr(f, c, PF_IN | PF_RO | PF_IDENT, sizeof(struct xen_hvm_evtchn_upcall_vector), 0);
        if (fits(c, sizeof(struct xen_hvm_evtchn_upcall_vector)) && chance(f, 85)) {
            EDIT(c, 0, struct xen_hvm_evtchn_upcall_vector, u);
            u.vcpu = fz_pick_vcpu(f);
            u.vector = (uint8_t)below(f, 256);
            DONE(c, 0, u);
        }
        c->effect = FX_UPCALL_VECTOR;
        break;
    case HVMOP_pagetable_dying:         /* a hint about a page table: any gpa */
        c->a[1] = fz_main_ptr(f, c, PF_IN | PF_RO | PF_IDENT, sizeof(struct xen_hvm_pagetable_dying), 0);
        if (fits(c, sizeof(struct xen_hvm_pagetable_dying)) && chance(f, 70)) {
            EDIT(c, 0, struct xen_hvm_pagetable_dying, d);
            d.domid = fz_pick_domid(f);
            d.gpa = chance(f, 50) ? kernel_cr3() : fz_hostile(f);
            DONE(c, 0, d);
        }
        break;
    case HVMOP_get_time:
    case HVMOP_get_mem_type:
    case HVMOP_flush_tlbs:
        c->a[1] = fz_main_ptr(f, c, PF_RO | PF_IDENT, 32, 32);
        break;
    default:            /* altp2m (gfns inside), IRQ levels, ...: unknown layouts */
        c->a[1] = fz_main_ptr(f, c, PF_SAFE, 64, 256);
        if (c->view)
            fz_defuse(f, c->view, MIN(c->avail, (size_t)1024));
        break;
    }
}

/* ---- vcpu_op ------------------------------------------------------------ */

void fz_gen_vcpu_op(struct fz_state *f, struct fz_call *c)
{
    static const uint64_t timeouts[] = { 0, 1, 1000000, ~0ul, 1ul << 63, 1ul << 62, 0x7fffffffffffffff };
    static const uint32_t offsets[] = { 0, 8, 64, PAGE_SIZE - sizeof(struct vcpu_info),
                                        PAGE_SIZE - sizeof(struct vcpu_info) + 1, PAGE_SIZE - 1, PAGE_SIZE, ~0u };
    unsigned int k = (unsigned int)below(f, 100);
    uint64_t cmd = k < 75 ? below(f, 14) : k < 88 ? below(f, 64) : fz_hostile(f);
    uint64_t id = chance(f, 85) ? fz_pick_vcpu(f) : fz_hostile(f);
    /* Taking our only vCPU down or sending it an NMI would stop the test:
     * both only for vCPUs we do not have (Xen truncates both to int). */
    if (((uint32_t)cmd == VCPUOP_down || (uint32_t)cmd == VCPUOP_send_nmi) && (uint32_t)id == 0)
        id = 1 + below(f, 200);
    c->cmd = cmd;
    c->a[0] = cmd;
    c->a[1] = id;
    switch ((uint32_t)cmd) {
    case VCPUOP_register_vcpu_info:
        c->a[2] = fz_main_ptr(f, c, PF_SAFE | PF_IDENT | PF_NOLOW, sizeof(struct vcpu_register_vcpu_info), 0);
        if (fits(c, sizeof(struct vcpu_register_vcpu_info))) {
            EDIT(c, 0, struct vcpu_register_vcpu_info, r);
            if (chance(f, 80)) {
                r.offset = chance(f, 50) ? (uint32_t)below(f, PAGE_SIZE - sizeof(struct vcpu_info)) & ~63u
                                         : PICK(f, offsets);
                r.rsvd = chance(f, 85) ? 0 : (uint32_t)fz_hostile(f);
            }
            r.mfn = fz_safe_gfn(f, G_OUT);         /* kept and written from now on */
            DONE(c, 0, r);
            c->pin_gfn = r.mfn;
            c->dom_vcpu = (uint32_t)id;
            c->effect = FX_PIN;
        }
        break;
    case VCPUOP_register_runstate_memory_area:
    case VCPUOP_register_vcpu_time_memory_area:
        /* A virtual address written at every context switch: only the
         * output slots by their test-window address (gone after the test). */
        c->a[2] = fz_main_ptr(f, c, PF_SAFE | PF_NOLOW, 8, 8);
        if (fits(c, 8)) {
            uint64_t va;
            if (chance(f, 60))
                va = FZ_OUT_VA + (below(f, FZ_OUT_BYTES - sizeof(struct vcpu_runstate_info)) & ~7ul);
            else
                va = fz_unreadable(f);
            memcpy(c->view, &va, sizeof(va));
        }
        break;
    case VCPUOP_set_singleshot_timer:
        c->a[2] = fz_main_ptr(f, c, PF_IN | PF_RO | PF_IDENT, sizeof(struct vcpu_set_singleshot_timer), 0);
        if (fits(c, sizeof(struct vcpu_set_singleshot_timer)) && chance(f, 80)) {
            EDIT(c, 0, struct vcpu_set_singleshot_timer, t);
            t.timeout_abs_ns = chance(f, 70) ? PICK(f, timeouts) : fz_hostile(f);
            t.flags = chance(f, 70) ? (uint32_t)below(f, 2) : (uint32_t)fz_hostile(f);
            DONE(c, 0, t);
        }
        break;
    case VCPUOP_set_periodic_timer:
        c->a[2] = fz_main_ptr(f, c, PF_IN | PF_RO | PF_IDENT, sizeof(struct vcpu_set_periodic_timer), 0);
        break;
    case VCPUOP_get_runstate_info:
    case VCPUOP_get_physid:
    case VCPUOP_is_up:
    case VCPUOP_stop_periodic_timer:
    case VCPUOP_stop_singleshot_timer:
    case VCPUOP_up:
    case VCPUOP_down:
    case VCPUOP_send_nmi:
        c->a[2] = fz_main_ptr(f, c, PF_RO | PF_IDENT, 64, 64);
        break;
    default:            /* initialise (a whole vCPU context) and unknown commands */
        c->a[2] = fz_main_ptr(f, c, PF_SAFE, 256, 1024);
        if (c->view)
            fz_defuse(f, c->view, MIN(c->avail, (size_t)1024));
        break;
    }
    c->a[3] = fz_hostile(f);
}

/* ---- sched_op, sched_op_compat ------------------------------------------ */

/* block, shutdown, poll, remote_shutdown, watchdog: the guest would stop
 * or sleep, or its domain be killed later.  Xen reads the command as an int. */
static bool sched_forbidden(uint64_t cmd)
{
    uint32_t c = (uint32_t)cmd;
    return c == SCHEDOP_block || c == SCHEDOP_shutdown || c == SCHEDOP_poll ||
           c == SCHEDOP_remote_shutdown || c == SCHEDOP_watchdog;
}

void fz_gen_sched_op(struct fz_state *f, struct fz_call *c, bool compat)
{
    uint64_t cmd;
    do {
        unsigned int k = (unsigned int)below(f, 100);
        cmd = k < 35 ? SCHEDOP_yield : k < 45 ? SCHEDOP_shutdown_code : k < 50 ? SCHEDOP_pin_override :
              k < 70 ? below(f, 32) : k < 85 ? (uint32_t)rnd(f) : fz_hostile(f);
    } while (sched_forbidden(cmd));
    c->cmd = cmd;
    c->a[0] = cmd;
    if (compat) {                       /* the argument is a value, not a pointer */
        c->a[1] = fz_hostile(f);
        return;
    }
    if ((uint32_t)cmd == SCHEDOP_yield || (uint32_t)cmd == SCHEDOP_shutdown_code ||
        (uint32_t)cmd == SCHEDOP_pin_override) {
        c->a[1] = fz_main_ptr(f, c, PF_IN | PF_RO | PF_IDENT, 8, 8);
        if (fits(c, 4) && chance(f, 70)) {
            static const uint32_t reasons[] = { 0, 1, 2, 3, 4, 5, 6, 255, ~0u };
            uint32_t r = PICK(f, reasons);
            memcpy(c->view, &r, sizeof(r));
        }
    } else {
        c->a[1] = fz_main_ptr(f, c, PF_SAFE, 64, 64);
        if (c->view)
            fz_defuse(f, c->view, MIN(c->avail, (size_t)64));
    }
}

/* ---- xen_version, console_io --------------------------------------------- */

void fz_gen_xen_version(struct fz_state *f, struct fz_call *c)
{
    static const uint16_t sizes[] = {
        [XENVER_version] = 0, [XENVER_extraversion] = sizeof(xen_extraversion_t),
        [XENVER_compile_info] = sizeof(xen_compile_info_t), [XENVER_capabilities] = sizeof(xen_capabilities_info_t),
        [XENVER_changeset] = sizeof(xen_changeset_info_t), [XENVER_platform_parameters] = sizeof(xen_platform_parameters_t),
        [XENVER_get_features] = sizeof(xen_feature_info_t), [XENVER_pagesize] = 0,
        [XENVER_guest_handle] = sizeof(xen_domain_handle_t), [XENVER_commandline] = sizeof(xen_commandline_t),
        [XENVER_build_id] = 64,
    };
    unsigned int k = (unsigned int)below(f, 100);
    uint64_t cmd = k < 75 ? below(f, ARRAY_SIZE(sizes)) : k < 88 ? below(f, 64) : fz_hostile(f);
    uint32_t op = (uint32_t)cmd;
    size_t size = op < ARRAY_SIZE(sizes) ? sizes[op] : 64;
    unsigned int flags = PF_RO;
    if (op == XENVER_version || op == XENVER_pagesize)
        flags |= PF_IN | PF_IDENT;              /* the argument is not used */
    else if (op != XENVER_build_id)             /* it writes what len says */
        flags |= PF_IDENT;
    c->cmd = cmd;
    c->a[0] = cmd;
    c->a[1] = fz_main_ptr(f, c, flags, MAX(size, (size_t)8), size);
    if (op == XENVER_get_features && fits(c, sizeof(xen_feature_info_t)) && chance(f, 70)) {
        static const uint32_t idx[] = { 0, 0, 1, 31, 32, ~0u };
        uint32_t i = PICK(f, idx);
        memcpy(c->view, &i, sizeof(i));
    }
    if (op == XENVER_build_id && fits(c, 4) && chance(f, 70)) {
        static const uint32_t lens[] = { 0, 1, 20, 40, 4095, 4096, ~0u };
        uint32_t len = PICK(f, lens);
        memcpy(c->view, &len, sizeof(len));
    }
}

void fz_gen_console_io(struct fz_state *f, struct fz_call *c)
{
    static const uint64_t counts[] = { 0, 1, 2, 7, 8, 9, 127, 128, 129, 511, 512, 513, 16384, 16385,
                                       1ul << 31, ~0u, 1ul << 32, ~0ul };
    unsigned int k = (unsigned int)below(f, 100);
    uint64_t cmd = k < 60 ? CONSOLEIO_write : k < 75 ? CONSOLEIO_read : k < 90 ? below(f, 16) : fz_hostile(f);
    uint64_t count = chance(f, 80) ? PICK(f, counts) : fz_hostile(f);
    c->cmd = cmd;
    c->a[0] = cmd;
    c->a[1] = count;
    if ((uint32_t)cmd == CONSOLEIO_write) {
        /* What it reads goes to the log: the few printable bytes at the end
         * of the text page (then the guard), zeros, or nothing readable. */
        unsigned int j = (unsigned int)below(f, 100);
        if (j < 15) {
            c->a[2] = FZ_TEXT_VA + PAGE_SIZE - below(f, FZ_TEXT_LEN + 1);
            f->console_dirty |= count != 0;
        } else if (j < 20 && f->low_ram >= FZ_LOW_ZERO) {
            c->a[2] = below(f, 64);
            c->a[1] = count = below(f, 3);
            c->zero_low = true;
            f->console_dirty |= count != 0;
        } else {
            c->a[2] = fz_unreadable(f);
        }
        c->ptr = c->a[2];
        c->console_count = count;
        return;
    }
    c->a[2] = fz_main_ptr(f, c, PF_RO | PF_IDENT, 64, 64);
}

/* ---- the control interface, multicall, and the rest ---------------------- */

void fz_gen_ctl(struct fz_state *f, struct fz_call *c, bool sysctl)
{
    size_t size = sysctl ? sizeof(struct sv_sysctl) : sizeof(struct sv_domctl);
    c->a[0] = fz_main_ptr(f, c, PF_SAFE | PF_IDENT, size, size);
    if (!fits(c, size))
        return;
    if (sysctl) {
        struct sv_sysctl *s = c->view, x;
        memcpy(&x, s, sizeof(x));
        if (chance(f, 80))
            x.cmd = (uint32_t)below(f, 5);
        if (chance(f, 70))
            x.interface_version = SV_CTL_INTERFACE_VERSION;
        if (x.cmd == SV_SYSCTL_getdomaininfolist)
            x.u.list.buffer = fz_handle(f, 0, sizeof(struct sv_domaininfo));
        else if (x.cmd == SV_SYSCTL_readconsole)
            x.u.console.buffer = fz_handle(f, 0, 256);
        if (f->privileged)      /* a privileged caller would really act: never a valid request */
            x.interface_version = SV_CTL_INTERFACE_VERSION + 1 + (uint32_t)below(f, 8);
        memcpy(s, &x, sizeof(x));
        c->cmd = x.cmd;
    } else {
        struct sv_domctl *d = c->view, x;
        memcpy(&x, d, sizeof(x));
        if (chance(f, 80)) {
            x.cmd = (uint32_t)below(f, 18);     /* every v2 command */
            x.domain = fz_pick_domid(f);
        }
        if (chance(f, 70))
            x.interface_version = SV_CTL_INTERFACE_VERSION;
        if (f->privileged)
            x.interface_version = SV_CTL_INTERFACE_VERSION + 1 + (uint32_t)below(f, 8);
        memcpy(d, &x, sizeof(x));
        c->cmd = x.cmd;
    }
    if (!f->privileged)
        c->must_fail = "control interface from an ordinary domain";
}

void fz_gen_multicall(struct fz_state *f, struct fz_call *c)
{
    uint64_t count = fz_pick_count(f);
    size_t size = sizeof(struct multicall_entry);
    c->a[0] = fz_main_ptr(f, c, PF_SAFE, size, size * MIN(count, 16ul));
    c->a[1] = count;
    /* Each entry is itself a hypercall: only the harmless xen_version, or
     * numbers that do not exist. */
    for (size_t i = 0; c->view && (i + 1) * size <= c->avail && i < MIN(count, 1024ul); i++) {
        EDIT(c, i * size, struct multicall_entry, m);
        fz_defuse(f, &m, sizeof(m));
        m.op = chance(f, 50) ? __HYPERVISOR_xen_version : 64 + below(f, 1u << 20);
        m.args[0] = XENVER_version;
        DONE(c, i * size, m);
    }
}

void fz_gen_other(struct fz_state *f, struct fz_call *c)
{
    for (unsigned int i = 0; i < 5; i++) {
        unsigned int k = (unsigned int)below(f, 100);
        if (k < 30) {
            c->a[i] = below(f, 17);
        } else if (k < 55) {
            c->a[i] = fz_hostile(f);
            if (fz_own_value(f, c->a[i]))
                c->a[i] = ~0ul;
        } else {
            struct fz_ptr p;
            fz_pointer(f, PF_SAFE, 64, &p);
            c->zero_low |= p.low;
            if (p.view) {
                fz_fill(f, p.view, MIN(p.avail, (size_t)256));
                fz_defuse(f, p.view, MIN(p.avail, (size_t)256));
            }
            c->a[i] = p.va;
            if (!c->ptr) {
                c->ptr = p.va;
                c->rview = p.rview;
                c->avail = p.avail;
            }
        }
    }
}
