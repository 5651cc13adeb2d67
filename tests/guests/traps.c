/*
 * Exception and interrupt dispatch.  In order: the interrupt hook (vectors
 * above the exceptions other than VEC_USER: the event-channel upcall of
 * xen_events.c), a #PF hook (demand paging, the pf_loop benchmark), an
 * armed probe (probe.S: an expected exception), or else a report of the
 * unexpected exception and a crash shutdown.
 */
#include "svguest.h"

pf_hook_t pf_hook;
irq_hook_t irq_hook;
void (*trap_note)(void);
const char *current_test = "boot";
struct probe_info probe;

extern volatile uint64_t probe_armed, probe_resume_rip, probe_resume_rsp;

static const char *const vec_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS",
    "#NP", "#SS", "#GP", "#PF", "15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
    "22", "23", "24", "25", "26", "27", "#HV", "#VC", "#SX", "31",
};

void trap_dispatch(struct trap_frame *f);
void trap_dispatch(struct trap_frame *f)
{
    static int depth;
    uint64_t cr2;

    if (f->vector >= 32 && f->vector != VEC_USER && irq_hook) {
        irq_hook(f);
        return;
    }
    cr2 = read_cr2();
    if (f->vector == VEC_PF && pf_hook && pf_hook(f, cr2))
        return;

    if (probe_armed) {
        probe = (struct probe_info){ f->vector, f->error, f->rip, cr2, f->rax };
        probe_armed = 0;
        f->rip = probe_resume_rip;
        f->rsp = probe_resume_rsp;
        f->cs = SEL_CODE64;
        f->ss = SEL_DATA;
        f->rflags = 2;
        f->rax = f->vector + 1;
        return;
    }

    if (depth++) {
        /* Faulting while reporting a fault: say as little as possible. */
        shutdown(false);
    }
    if (trap_note)
        trap_note();
    kprintf("svguest: exception %lu (%s) in %s: error %#lx RIP %#lx CR2 %#lx RSP %#lx CS %#lx\n",
            f->vector, f->vector < 32 ? vec_names[f->vector] : "int", current_test,
            f->error, f->rip, cr2, f->rsp, f->cs);
    kprintf("svguest: RAX %#lx RBX %#lx RCX %#lx RDX %#lx RSI %#lx RDI %#lx CR3 %#lx\n",
            f->rax, f->rbx, f->rcx, f->rdx, f->rsi, f->rdi, read_cr3());
    kprintf("FAIL: unexpected exception\n");
    shutdown(false);
}

/* ---- probe helpers ---- */
static volatile uint64_t probe_wval;

static uint64_t do_read(uint64_t va) { return *(volatile uint64_t *)va; }
static uint64_t do_write(uint64_t va) { *(volatile uint64_t *)va = probe_wval; return 0; }

int probe_read(uint64_t va, uint64_t *val)
{
    int r = probe_call(do_read, va);
    if (!r && val)
        *val = probe_retval;
    return r;
}

int probe_write(uint64_t va, uint64_t val)
{
    probe_wval = val;
    return probe_call(do_write, va);
}

int probe_exec(uint64_t va, uint64_t *ret)
{
    int r = probe_call((uint64_t (*)(uint64_t))(uintptr_t)va, 0);
    if (!r && ret)
        *ret = probe_retval;
    return r;
}
