/*
 * svguest: the test guest kernel of splitvisor's CPU/memory-virtualization
 * tests and benchmarks.  Everything runs on one CPU with interrupts off, in
 * long mode, with RAM below 4 GiB identity-mapped by 2 MiB pages (PML4 slot
 * 0).  Tests map what they need in the test window (PML4 slot 1).  The only
 * interrupt is Xen's event-channel upcall, which the peer tests (event
 * channels, grant tables) take while they wait with IF=1.
 */
#ifndef SVGUEST_H
#define SVGUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "x86.h"

#define PAGE_SIZE   ((uint64_t)4096)
#define MiB         ((uint64_t)1 << 20)
#define GiB         ((uint64_t)1 << 30)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The test window: PML4 slot 1, 512 GiB .. 1 TiB.  Emptied between tests. */
#define TESTWIN     ((uint64_t)0x0000008000000000)

/* ---- entry.S ---- */
enum boot_kind { BOOT_MB2 = 1, BOOT_PVH = 2 };
extern uint64_t boot_pml4[512];
extern char hypercall_page[4096];
extern char _start[], _end[];

/* ---- string.c ---- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);

/* ---- fmt.c ---- */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- console.c ---- */
/* How a run ends: Xen's SHUTDOWN_poweroff / _reboot / _crash; bare,
 * isa-debug-exit 0 / a reset / isa-debug-exit 1. */
enum exit_kind { EXIT_POWEROFF, EXIT_REBOOT, EXIT_CRASH };
void console_init(void);
void console_write(const char *s, size_t n);
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void shutdown_as(enum exit_kind how);
_Noreturn void shutdown(bool ok);               /* poweroff if ok, else crash */

/* ---- xencons.c: the PV console ring (HVM_PARAM_CONSOLE_PFN/EVTCHN) ---- */
void xencons_init(void);            /* after xen_init(), before any output */
bool xencons_active(void);          /* the toolstack gave us a ring */
void xencons_reserve(void);         /* after boot_parse(), before mem_init() */
/* Output to out[] ("\n" as "\r\n"), then a kick; false: use console_io. */
bool xencons_write(const char *s, size_t n);
/* Wait (bounded) until the backend has read all of out[]. */
void xencons_drain(uint64_t timeout_ms);
/* Bytes from in[] (up to max): count, 0 if none, -1 if no ring or broken. */
int xencons_read(char *buf, size_t max);
bool xencons_wait_input(uint64_t timeout_ms);   /* false: nothing came */
bool xencons_has_input(void);       /* bytes wait in the ring's in[] */

/* ---- hypercall.c ---- */
extern bool xen_present;            /* hypercall page installed */
bool xen_detected(void);            /* Xen CPUID leaves found */
void xen_init(void);                /* detect Xen, install the hypercall page */
void xen_banner(void);
long xen_console_write(const char *s, size_t n);
_Noreturn void xen_shutdown(enum exit_kind how);
int xen_memory_map(void);           /* XENMEM_memory_map into mem.c; entries or <0 */
uint32_t xen_tsc_khz(void);         /* 0 if Xen does not say */
/* Hypercalls through the page (arguments are guest-virtual pointers, which
 * for our memory are guest-physical); Linux's names and argument order.
 * The structures and constants are <xen/...>'s: see xen_events.h. */
long HYPERVISOR_sched_op(int cmd, void *arg);
long HYPERVISOR_memory_op(unsigned int cmd, void *arg);
long HYPERVISOR_event_channel_op(int cmd, void *arg);
long HYPERVISOR_grant_table_op(unsigned int cmd, void *uop, unsigned int count);
long HYPERVISOR_hvm_op(int op, void *arg);
long HYPERVISOR_xen_version(int cmd, void *arg);
long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg);
long HYPERVISOR_domctl(void *op);      /* include/splitvisor/ctl.h */
long HYPERVISOR_sysctl(void *op);
/* STI, then SCHEDOP_block; returns with IF=1.  The instruction after STI
 * is the CALL into the hypercall page, so an upcall can only come in the
 * stub before its VMMCALL (or, where a VM exit loses the STI shadow, at
 * the CALL).  The upcall handler then calls xen_block_fixup(), which makes
 * the block return 0 at once instead of sleeping with the event taken:
 * 0 = not in the window, 1 = in the stub, 2 = at the CALL. */
long xen_block_sti(void);
struct trap_frame;
int xen_block_fixup(struct trap_frame *f);

/* ---- mem.c: RAM map and physical frame allocator ---- */
void mem_add_ram(uint64_t base, uint64_t len);
void mem_reserve(uint64_t pa);                  /* never hand out this frame */
void mem_init(void);
uint64_t mem_ram_bytes(void);
uint64_t mem_free_frames(void);
uint64_t frame_alloc(void);                     /* 0 when out of memory */
uint64_t frame_alloc_zero(void);
uint64_t frame_alloc_contig(uint64_t n, uint64_t align);
void frame_free(uint64_t pa);
/* pa stopped being our RAM (XENMEM_add_to_physmap put shared_info or a
 * grant-table frame there) and is never freed: not a leak. */
void frame_given_away(uint64_t pa);
uint64_t mem_frames_given_away(void);
uint64_t mem_top(void);                         /* end of the highest frame we allocate */
uint64_t mem_low_ram(void);                     /* RAM from address 0 below our image: unused */
bool mem_check(void);                           /* the free list is intact */
static inline void *phys(uint64_t pa) { return (void *)(uintptr_t)pa; }

/* ---- paging.c ---- */
extern bool cpu_has_nx, cpu_has_pge, cpu_has_1g;
void paging_init(void);
uint64_t kernel_cr3(void);
/* Entry for va at level (1 = PTE, 2 = PDE, 3 = PDPTE, 4 = PML4E) in the
 * tables rooted at root (a physical address); missing tables are allocated
 * (present, writable, user) when create, else NULL.  NULL also when a
 * large page sits above level. */
uint64_t *pt_entry(uint64_t root, uint64_t va, int level, bool create);
bool map_page(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);          /* 4 KiB */
bool map_large(uint64_t root, uint64_t va, uint64_t pa, int level, uint64_t flags); /* 2 = 2 MiB, 3 = 1 GiB */
void unmap_page(uint64_t root, uint64_t va);     /* clears the 4 KiB leaf + INVLPG */
void free_tables(uint64_t *table, int level);    /* frees the tables below entries of table */
uint64_t as_create(void);                        /* new PML4 sharing slot 0 with the kernel */
void as_destroy(uint64_t root);                  /* frees its tables (not leaf frames) */
void testwin_reset(void);                        /* empty PML4 slot 1 of the kernel, flush */

/* ---- desc.c / traps.c ---- */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rdi, rsi, rbp, rbx, rdx, rcx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;          /* pushed by the CPU */
};
void desc_init(void);
/* A #PF hook returns true when it resolved the fault (the access retries). */
typedef bool (*pf_hook_t)(struct trap_frame *f, uint64_t cr2);
extern pf_hook_t pf_hook;
/* Interrupts (vectors >= 32 but VEC_USER): the event-channel upcall. */
typedef void (*irq_hook_t)(struct trap_frame *f);
extern irq_hook_t irq_hook;
extern const char *current_test;
/* Called before an unexpected exception is reported: the test says where it was. */
extern void (*trap_note)(void);

/* probe.S: run fn(arg); an exception in it (or an int $0x80 from ring 3)
 * returns vector + 1 instead of crashing; 0 when fn returned. */
struct probe_info { uint64_t vector, error, rip, cr2, rax; };
extern struct probe_info probe;
extern uint64_t probe_retval;       /* fn's RAX when it returned */
int probe_call(uint64_t (*fn)(uint64_t), uint64_t arg);
int probe_read(uint64_t va, uint64_t *val);      /* wrappers over probe_call */
int probe_write(uint64_t va, uint64_t val);
int probe_exec(uint64_t va, uint64_t *ret);
struct user_call { uint64_t rip, rsp, arg0, arg1; };
uint64_t enter_user(uint64_t user_call_ptr);     /* iretq to ring 3 */
extern const char user_stub[], user_stub_end[];

/* pgoff.S */
uint32_t paging_off_roundtrip(uint32_t buf_pa, uint32_t nwords, uint32_t seed, uint32_t cr3);
extern uint32_t pgoff_cr0_seen, pgoff_efer_seen;

/* ---- timer.c ---- */
extern uint32_t tsc_khz;            /* 0 if unknown */
void timer_init(void);
uint64_t cycles_to_ns(uint64_t cycles);
/* TSC cycles in ms milliseconds, for timeouts; a 2 GHz guess if unknown. */
uint64_t ms_to_cycles(uint64_t ms);

/* ---- cmdline.c ---- */
extern char cmdline[1024];
bool cmdline_get(const char *key, const char **val, size_t *len);
/* Iterates a comma-separated list: returns false at its end. */
bool list_next(const char **p, const char *end, const char **item, size_t *len);
bool item_is(const char *item, size_t len, const char *name);
/* key=<decimal>: false if absent or not a number. */
bool cmdline_u64(const char *key, uint64_t *val);
/* key=<decimal>, or def if absent or not a number. */
uint64_t cmdline_u64_or(const char *key, uint64_t def);

/* ---- tests ---- */
/* A test returns NULL on success or the reason it failed (see fail()). */
typedef const char *(*test_fn)(void);
struct test { const char *name; test_fn fn; bool in_all; };
/* report.c: fail() formats a reason; note() prints "<guest_name>:
 * <current test>: ..."; each kernel's main.c names itself. */
extern const char *guest_name;
const char *fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
uint64_t rng_next(uint64_t *state);             /* xorshift64 */

const char *test_paging_onoff(void);
const char *test_cr3_switch(void);
const char *test_demand_paging(void);
const char *test_ad_bits(void);
const char *test_write_protect(void);
const char *test_nx(void);
const char *test_invlpg(void);
const char *test_large_pages(void);
const char *test_pt_heavy(void);
const char *test_outside_p2m(void);
/* Peer tests (tests_evtchn.c, tests_grant.c): only by name, with peer=N. */
const char *test_evtchn_ping(void);
const char *test_evtchn_pong(void);
const char *test_grant_give(void);
const char *test_grant_take(void);
const char *test_grant_thief(void);
const char *test_ctl(void);
const char *test_ctl_denied(void);
/* Only by name: a privileged toolstack builds domains (tests_builder.c);
 * the second vCPU and SCHEDOP_poll (tests_smp.c, boot with vcpus=2);
 * hypercalls that need continuations (tests_contin.c). */
const char *test_builder(void);
const char *test_smp(void);
const char *test_contin(void);
/* Only by name: reads lines from the PV console ring (tests_echo.c). */
const char *test_echo(void);
/* Only by name (tests_fuzz.c, fuzz_args.c): seed=S calls=N trace=K. */
const char *test_hypercall_fuzz(void);

/* ---- bench.c ---- */
/* Runs one benchmark; iters 0 = default.  Returns false if unknown or failed. */
bool bench_run(const char *name, size_t len, uint64_t iters, bool *known);
extern const char *const bench_names[];
/* "BENCH <name> <iterations> <tsc_cycles> [<ns>]" */
void bench_report(const char *name, uint64_t iters, uint64_t cycles);

#endif
