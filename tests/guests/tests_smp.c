/*
 * smp: the boot domain's second vCPU (module option vcpus=2) and
 * SCHEDOP_poll.  Run once per boot: vCPU 1 can be initialised only once.
 *
 * vCPU 1 starts down and without a context: VCPUOP_is_up says 0 and
 * VCPUOP_up is refused.  VCPUOP_initialise starts it in 64-bit mode on our
 * page tables and a stack of its own, at smp_ap_entry (below), which loads
 * our GDT and IDT and calls smp_ap_main(), which counts each run, does what
 * ap_cmd says, counts and puts itself down (VCPUOP_down), and loops: a
 * later VCPUOP_up resumes it after that call.  vCPU 0 checks each step
 * (up, down by itself twice; spinning, put down by vCPU 0, resumed), then
 * polls an IPI port that is masked, so no upcall takes the event:
 * pending already (returns at once), never pending (returns at the
 * timeout), sent by vCPU 1 100 ms later (returns then); and bad polls.
 *
 * vCPU 1 never prints (the console line buffer is per domain) and never
 * takes interrupts (IF=0; the upcall goes to vCPU 0).  It has no TSS of
 * its own: a #DF there would use whatever TR the hypervisor gave it.
 */
#include "xen_events.h"              /* first: Xen's headers need <stdint.h> */
#include <xen/hvm/hvm_vcpu.h>
#include <xen/vcpu.h>

#define STR_(x) #x
#define STR(x)  STR_(x)

enum { AP_IDLE, AP_SPIN, AP_SEND };
#define AP_SEND_MS   100
#define WAIT_MS      10000

static volatile uint32_t ap_cmd, ap_runs, ap_downs;
static volatile uint64_t ap_spins;
static volatile long ap_down_rc, ap_send_rc;
static evtchn_port_t ap_port;
static uint8_t ap_stack[16384] __attribute__((aligned(16)));
struct __attribute__((packed)) ap_desc_ptr { uint16_t limit; uint64_t base; };
struct ap_desc_ptr ap_idtr;                        /* vCPU 0's, read with SIDT */

__attribute__((used, noreturn)) void smp_ap_main(void);

/* vCPU 1 comes here with flat 64-bit segments (selectors the hypervisor's,
 * not our GDT's): load our tables, then selectors an IRETQ can return to. */
__asm__(".text\n"
        ".globl smp_ap_entry\n"
        "smp_ap_entry:\n\t"
        "lgdt gdt_desc(%rip)\n\t"
        "lidt ap_idtr(%rip)\n\t"
        "mov $" STR(SEL_DATA) ", %eax\n\t"
        "mov %eax, %ds\n\t"
        "mov %eax, %es\n\t"
        "mov %eax, %ss\n\t"
        "xor %eax, %eax\n\t"
        "mov %eax, %fs\n\t"
        "mov %eax, %gs\n\t"
        "pushq $" STR(SEL_CODE64) "\n\t"
        "lea 1f(%rip), %rax\n\t"
        "push %rax\n\t"
        "lretq\n"
        "1:\n\t"
        "call smp_ap_main\n"
        "2:\n\t"
        "cli\n\t"
        "hlt\n\t"
        "jmp 2b\n");
extern const char smp_ap_entry[];

static uint32_t ld(const volatile uint32_t *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }

void smp_ap_main(void)
{
    for (;;) {
        __atomic_fetch_add(&ap_runs, 1, __ATOMIC_SEQ_CST);
        uint32_t cmd = ld(&ap_cmd);
        if (cmd == AP_SPIN) {
            while (ld(&ap_cmd) == AP_SPIN)
                __atomic_fetch_add(&ap_spins, 1, __ATOMIC_SEQ_CST);
        } else if (cmd == AP_SEND) {
            /* Its own TSC deltas only: no assumption that vCPUs agree. */
            uint64_t end = rdtsc() + ms_to_cycles(AP_SEND_MS);
            while (rdtsc() < end)
                HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
            ap_send_rc = xev_send(ap_port);
        }
        __atomic_fetch_add(&ap_downs, 1, __ATOMIC_SEQ_CST);
        ap_down_rc = HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL);
    }
}

static long is_up(unsigned int vcpu)
{
    return HYPERVISOR_vcpu_op(VCPUOP_is_up, vcpu, NULL);
}

/* Yield until ap_downs reaches want and vCPU 1 is down. */
static const char *wait_ap_down(uint32_t want, const char *step)
{
    uint64_t deadline = rdtsc() + ms_to_cycles(WAIT_MS);
    long up;

    while (ld(&ap_downs) < want || (up = is_up(1)) != 0) {
        if (rdtsc() > deadline)
            return fail("%s: after %u s vCPU 1 ran %u times, put itself down %u times, is_up %ld",
                        step, WAIT_MS / 1000, ld(&ap_runs), ld(&ap_downs), is_up(1));
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    return NULL;
}

/* Xen system time from our vcpu_time_info (<xen/xen.h>), in ns. */
static uint64_t system_time_ns(void)
{
    const volatile struct vcpu_time_info *t = &xev_shared->vcpu_info[0].time;
    uint32_t ver;
    uint64_t ns;

    do {
        ver = t->version;
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        uint64_t delta = rdtsc() - t->tsc_timestamp;
        delta = t->tsc_shift < 0 ? delta >> -t->tsc_shift : delta << t->tsc_shift;
        ns = t->system_time + (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    } while ((ver & 1) || ver != t->version);
    return ns;
}

#define WORD_BITS (sizeof(xen_ulong_t) * 8)

static bool pending(evtchn_port_t p)
{
    return __atomic_load_n(&xev_shared->evtchn_pending[p / WORD_BITS], __ATOMIC_SEQ_CST) >> (p % WORD_BITS) & 1;
}

static void clear_pending(evtchn_port_t p)
{
    __atomic_fetch_and(&xev_shared->evtchn_pending[p / WORD_BITS], ~((xen_ulong_t)1 << (p % WORD_BITS)),
                       __ATOMIC_SEQ_CST);
}

/* SCHEDOP_poll on nr ports; *ms gets how long it took (TSC). */
static long poll(evtchn_port_t *ports, unsigned int nr, uint64_t timeout, uint64_t *ms)
{
    struct sched_poll p = { .nr_ports = nr, .timeout = timeout };
    set_xen_guest_handle(p.ports, ports);
    uint64_t t0 = rdtsc();
    long rc = HYPERVISOR_sched_op(SCHEDOP_poll, &p);
    *ms = cycles_to_ns(rdtsc() - t0) / 1000000;
    return rc;
}

/* ---- vCPU 1 up and down ------------------------------------------------- */

static const char *updown(void)
{
    const char *why;
    long rc;

    if ((rc = is_up(0)) != 1 || (rc = is_up(1)) != 0)
        return fail("VCPUOP_is_up at boot: vCPU 0 %ld, vCPU 1 %ld, want 1 and 0", is_up(0), is_up(1));
    if ((rc = HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL)) != -22)
        return fail("VCPUOP_up of vCPU 1 before VCPUOP_initialise: %ld, want -EINVAL", rc);

    __asm__ volatile("sidt %0" : "=m"(ap_idtr));
    struct vcpu_hvm_context ctx = { .mode = VCPU_HVM_MODE_64B };
    struct vcpu_hvm_x86_64 *r = &ctx.cpu_regs.x86_64;
    r->rip = (uintptr_t)smp_ap_entry;
    r->rsp = (uintptr_t)(ap_stack + sizeof(ap_stack));
    r->rflags = 0x2;
    r->cr0 = read_cr0();
    r->cr3 = kernel_cr3();
    r->cr4 = read_cr4();
    r->efer = rdmsr(MSR_EFER);
    if ((rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctx)))
        return fail("VCPUOP_initialise vCPU 1 (64-bit, rip %p): %ld", (void *)smp_ap_entry, rc);
    if ((rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, 1, &ctx)) != -17)
        return fail("second VCPUOP_initialise of vCPU 1: %ld, want -EEXIST", rc);
    if ((rc = is_up(1)) != 0)
        return fail("VCPUOP_is_up(1) after initialise: %ld, want 0 (up only with VCPUOP_up)", rc);

    /* Up: it runs once and puts itself down; up again: it resumes there. */
    for (uint32_t n = 1; n <= 2; n++) {
        if ((rc = HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL)))
            return fail("VCPUOP_up(1), run %u: %ld", n, rc);
        if ((why = wait_ap_down(n, n == 1 ? "first up" : "second up")))
            return why;
        if (ld(&ap_runs) != n)
            return fail("vCPU 1 ran %u times after %u ups", ld(&ap_runs), n);
    }
    if (ap_down_rc)
        return fail("VCPUOP_down on itself returned %ld after the resume, want 0", ap_down_rc);
    note("vCPU 1: up, ran, put itself down; up again: resumed after its VCPUOP_down, ran, down again");

    /* Put down by vCPU 0 while it spins: it stops; up: it goes on. */
    ap_cmd = AP_SPIN;
    if ((rc = HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL)))
        return fail("VCPUOP_up(1) to spin: %ld", rc);
    uint64_t deadline = rdtsc() + ms_to_cycles(WAIT_MS);
    while (__atomic_load_n(&ap_spins, __ATOMIC_SEQ_CST) < 1000) {
        if (rdtsc() > deadline)
            return fail("vCPU 1 did not spin within %u s (runs %u)", WAIT_MS / 1000, ld(&ap_runs));
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    if ((rc = HYPERVISOR_vcpu_op(VCPUOP_down, 1, NULL)))
        return fail("VCPUOP_down(1) from vCPU 0: %ld", rc);
    deadline = rdtsc() + ms_to_cycles(WAIT_MS);
    while ((rc = is_up(1)) != 0) {
        if (rdtsc() > deadline)
            return fail("vCPU 1 still up %u s after VCPUOP_down from vCPU 0 (%ld)", WAIT_MS / 1000, rc);
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    /* "Down" may be noted before it left its CPU: let it get there. */
    uint64_t end = rdtsc() + ms_to_cycles(50);
    while (rdtsc() < end)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    uint64_t s1 = ap_spins;
    end = rdtsc() + ms_to_cycles(200);
    while (rdtsc() < end)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    uint64_t s2 = ap_spins;
    ap_cmd = AP_IDLE;
    if (s2 != s1)
        return fail("vCPU 1 put down by vCPU 0 still ran: %lu spins in 200 ms", (unsigned long)(s2 - s1));
    if ((rc = HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL)))
        return fail("VCPUOP_up(1) after a remote down: %ld", rc);
    if ((why = wait_ap_down(3, "up after a remote down")))
        return why;
    if (ld(&ap_runs) != 3)
        return fail("vCPU 1 ran %u times, want 3 (a resume does not restart the loop)", ld(&ap_runs));
    note("vCPU 1 put down by vCPU 0 after %lu spins (none in 200 ms), resumed where it was",
         (unsigned long)s1);
    return NULL;
}

/* ---- SCHEDOP_poll ----------------------------------------------------- */

static const char *polls(void)
{
    static evtchn_port_t many[200];
    evtchn_port_t bad = 4000;
    uint64_t ms;
    long rc;

    struct evtchn_bind_ipi bi = { .vcpu = 0 };
    if ((rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &bi)))
        return fail("EVTCHNOP_bind_ipi(vCPU 0): %ld", rc);
    evtchn_port_t port = ap_port = bi.port;
    /* Masked: the event stays pending and no upcall comes (IF=0 anyway). */
    __atomic_fetch_or(&xev_shared->evtchn_mask[port / WORD_BITS], (xen_ulong_t)1 << (port % WORD_BITS),
                      __ATOMIC_SEQ_CST);
    if (!xev_shared->vcpu_info[0].time.tsc_to_system_mul)
        return fail("no system time in vcpu_info[0] (tsc_to_system_mul 0)");
    note("polls on IPI port %u of vCPU 0, masked", port);      /* says where a hang is */

    /* Pending but masked: Xen's poll looks at pending bits only. */
    if ((rc = xev_send(port)) || !pending(port))
        return fail("EVTCHNOP_send on IPI port %u: %ld, pending %d", port, rc, pending(port));
    if ((rc = poll(&port, 1, system_time_ns() + 5000000000ull, &ms)) || ms >= 100)
        return fail("SCHEDOP_poll of a pending masked port: %ld after %lu ms, want 0 at once", rc,
                    (unsigned long)ms);
    note("poll of a pending masked port: 0 after %lu ms", (unsigned long)ms);
    clear_pending(port);

    /* Never pending: returns when the timeout passes. */
    if ((rc = poll(&port, 1, system_time_ns() + 50000000, &ms)) || ms < 49 || ms >= 2000)
        return fail("SCHEDOP_poll with a 50 ms timeout: %ld after %lu ms", rc, (unsigned long)ms);
    note("poll with timeout now+50 ms: 0 after %lu ms", (unsigned long)ms);
    if ((rc = poll(&port, 1, system_time_ns() - 1000000, &ms)) || ms >= 100)
        return fail("SCHEDOP_poll with a timeout already past: %ld after %lu ms", rc, (unsigned long)ms);

    /* vCPU 1 sends 100 ms from now; we poll with a 5 s timeout. */
    uint32_t downs = ld(&ap_downs);
    ap_send_rc = 1;
    ap_cmd = AP_SEND;
    if ((rc = HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL)))
        return fail("VCPUOP_up(1) to send: %ld", rc);
    if ((rc = HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL)))
        return fail("VCPUOP_up(1) while it is up: %ld, want 0", rc);
    rc = poll(&port, 1, system_time_ns() + 5000000000ull, &ms);
    bool was_pending = pending(port);
    const char *why = wait_ap_down(downs + 1, "sending");
    ap_cmd = AP_IDLE;
    if (why)
        return why;
    if (rc || ap_send_rc || !was_pending || ms >= 4000 || ms < AP_SEND_MS / 2)
        return fail("SCHEDOP_poll while vCPU 1 sends after %u ms: %ld after %lu ms, send %ld, pending %d",
                    AP_SEND_MS, rc, (unsigned long)ms, ap_send_rc, was_pending);
    note("poll (timeout 5 s) while vCPU 1 sends after %u ms: 0 after %lu ms", AP_SEND_MS, (unsigned long)ms);

    clear_pending(port);

    /* With a timeout, so that a poll wrongly accepted fails instead of hanging. */
    for (unsigned int i = 0; i < ARRAY_SIZE(many); i++)
        many[i] = port;
    if ((rc = poll(many, ARRAY_SIZE(many), system_time_ns() + 100000000, &ms)) != -22)
        return fail("SCHEDOP_poll of 200 ports: %ld after %lu ms, want -EINVAL", rc, (unsigned long)ms);
    if ((rc = poll(&bad, 1, system_time_ns() + 100000000, &ms)) != -22)
        return fail("SCHEDOP_poll of unbound port %u: %ld after %lu ms, want -EINVAL", bad, rc,
                    (unsigned long)ms);

    __atomic_fetch_and(&xev_shared->evtchn_mask[port / WORD_BITS], ~((xen_ulong_t)1 << (port % WORD_BITS)),
                       __ATOMIC_SEQ_CST);
    return xev_close_checked(port);
}

const char *test_smp(void)
{
    const char *why;

    if ((why = xev_init()))
        return why;
    if ((why = updown()))
        return why;
    return polls();
}
