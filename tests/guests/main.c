/*
 * kmain: bring the guest up, then run what the command line selects:
 *   tests=all | tests=none | tests=name,name,...     (default: tests=all)
 *   bench=all | bench=name[:iterations],...
 *   exit=poweroff | reboot | crash
 * (the peer tests take more words: peer=N rounds=R, victim=N; README.md).
 * Each test prints one "PASS: name" or "FAIL: name: why" line; the run ends
 * with "svguest: N passed, M failed" and a poweroff (all passed) or a crash
 * shutdown, or what exit= says.
 */
#include "svguest.h"

void kmain(uint32_t magic, uint32_t info, uint32_t kind);
void boot_parse(uint32_t magic, uint32_t info, uint32_t kind);

static const struct test tests[] = {
    { "paging_onoff",  test_paging_onoff,  true },
    { "cr3_switch",    test_cr3_switch,    true },
    { "demand_paging", test_demand_paging, true },
    { "ad_bits",       test_ad_bits,       true },
    { "write_protect", test_write_protect, true },
    { "nx",            test_nx,            true },
    { "invlpg",        test_invlpg,        true },
    { "large_pages",   test_large_pages,   true },
    { "pt_heavy",      test_pt_heavy,      true },
    { "outside_p2m",   test_outside_p2m,   false },   /* only by name */
    /* Only by name: they need a peer domain (peer=N / victim=N). */
    { "evtchn_ping",   test_evtchn_ping,   false },
    { "evtchn_pong",   test_evtchn_pong,   false },
    { "grant_give",    test_grant_give,    false },
    { "grant_take",    test_grant_take,    false },
    { "grant_thief",   test_grant_thief,   false },
    { "ctl",           test_ctl,           false },
    { "ctl_denied",    test_ctl_denied,    false },
    { "builder",       test_builder,       false },   /* privileged */
    { "smp",           test_smp,           false },   /* vcpus=2 */
    { "contin",        test_contin,        false },   /* mem >= 128M */
    { "echo",          test_echo,          false },   /* PV console ring: xl create */
    /* Only by name: thousands of hostile hypercalls (seed=S calls=N). */
    { "hypercall_fuzz", test_hypercall_fuzz, false },
};

static unsigned int passed, failed;
const char *guest_name = "svguest";

/* Back to the kernel's state between tests, whatever a test left. */
static void clean_state(void)
{
    irq_disable();
    pf_hook = NULL;
    trap_note = NULL;
    write_cr3(kernel_cr3());
    write_cr0(read_cr0() | CR0_WP);
    testwin_reset();
}

static void run_test(const struct test *t)
{
    current_test = t->name;
    clean_state();
    uint64_t before = mem_free_frames(), given = mem_frames_given_away();
    const char *why = t->fn();
    clean_state();
    uint64_t after = mem_free_frames() + (mem_frames_given_away() - given);
    if (after != before)
        note("%lld frames leaked", (long long)(before - after));
    if (why) {
        kprintf("FAIL: %s: %s\n", t->name, why);
        failed++;
    } else {
        kprintf("PASS: %s\n", t->name);
        passed++;
    }
    current_test = "runner";
}

static void run_tests(const char *list, size_t len)
{
    const char *p = list, *end = list + len, *item;
    size_t n;
    while (list_next(&p, end, &item, &n)) {
        if (item_is(item, n, "all")) {
            for (size_t i = 0; i < ARRAY_SIZE(tests); i++)
                if (tests[i].in_all)
                    run_test(&tests[i]);
            continue;
        }
        if (item_is(item, n, "none")) {     /* a guest that only boots and ends */
            kprintf("svguest: hello from svguest\n");
            continue;
        }
        size_t i;
        for (i = 0; i < ARRAY_SIZE(tests); i++)
            if (item_is(item, n, tests[i].name))
                break;
        if (i < ARRAY_SIZE(tests)) {
            run_test(&tests[i]);
        } else {
            char name[48];
            size_t len = n < sizeof(name) - 1 ? n : sizeof(name) - 1;
            memcpy(name, item, len);
            name[len] = '\0';
            kprintf("FAIL: %s: unknown test\n", name);
            failed++;
        }
    }
}

static uint64_t parse_u64(const char *s, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        v = v * 10 + (uint64_t)(s[i] - '0');
    return v;
}

static void run_bench_item(const char *name, size_t nlen, uint64_t iters)
{
    bool known;
    current_test = "bench";
    clean_state();
    bool ok = bench_run(name, nlen, iters, &known);
    clean_state();
    if (!known) {
        kprintf("FAIL: %.*s: unknown benchmark\n", (int)nlen, name);
        failed++;
    } else if (!ok) {
        failed++;
    }
    current_test = "runner";
}

static void run_benches(const char *list, size_t len)
{
    const char *p = list, *end = list + len, *item;
    size_t n;
    while (list_next(&p, end, &item, &n)) {
        if (item_is(item, n, "all")) {
            for (size_t i = 0; bench_names[i]; i++)
                run_bench_item(bench_names[i], strlen(bench_names[i]), 0);
            continue;
        }
        size_t nlen = 0;
        while (nlen < n && item[nlen] != ':')
            nlen++;
        uint64_t iters = nlen < n ? parse_u64(item + nlen + 1, n - nlen - 1) : 0;
        run_bench_item(item, nlen, iters);
    }
}

/* exit=poweroff|reboot|crash: how the run ends whatever the results
 * (the toolstack's on_poweroff/on_reboot/on_crash tests).  1 and *how if
 * given, 0 without exit=, -1 if its value is none of those. */
static int exit_option(enum exit_kind *how)
{
    static const struct { const char *name; enum exit_kind how; } kinds[] = {
        { "poweroff", EXIT_POWEROFF }, { "reboot", EXIT_REBOOT }, { "crash", EXIT_CRASH },
    };
    const char *v;
    size_t n;
    if (!cmdline_get("exit", &v, &n))
        return 0;
    for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
        if (item_is(v, n, kinds[i].name)) {
            *how = kinds[i].how;
            return 1;
        }
    return -1;
}

void kmain(uint32_t magic, uint32_t info, uint32_t kind)
{
    desc_init();            /* exceptions are reported from here on */
    xen_init();             /* before any output: it and xencons_init() */
    xencons_init();         /* pick the console (PV ring or console_io) */
    console_init();
    kprintf("\nsvguest: splitvisor test guest\n");
    xen_banner();
    boot_parse(magic, info, kind);
    xencons_reserve();      /* the ring's frame is not the allocator's */
    mem_init();
    paging_init();
    kprintf("svguest: command line \"%s\"\n", cmdline);
    kprintf("svguest: RAM %llu MiB, %llu free frames below 4 GiB; NX %s, PGE %s, 1 GiB pages %s\n",
            (unsigned long long)(mem_ram_bytes() / MiB), (unsigned long long)mem_free_frames(),
            cpu_has_nx ? "on" : "absent", cpu_has_pge ? "on" : "absent", cpu_has_1g ? "yes" : "no");
    timer_init();

    enum exit_kind how = EXIT_POWEROFF;
    int exit_given = exit_option(&how);
    if (exit_given < 0) {
        kprintf("FAIL: exit: wants exit=poweroff, exit=reboot or exit=crash\n");
        failed++;
    }

    const char *tv, *bv;
    size_t tl, bl;
    bool have_tests = cmdline_get("tests", &tv, &tl);
    bool have_bench = cmdline_get("bench", &bv, &bl);
    if (!have_tests && !have_bench) {
        tv = "all";
        tl = 3;
        have_tests = true;
    }
    if (have_tests)
        run_tests(tv, tl);
    if (have_bench)
        run_benches(bv, bl);

    kprintf("svguest: %u passed, %u failed\n", passed, failed);
    if (exit_given <= 0)
        how = failed == 0 ? EXIT_POWEROFF : EXIT_CRASH;
    else
        kprintf("svguest: ending with %s (exit=)\n",
                how == EXIT_POWEROFF ? "poweroff" : how == EXIT_REBOOT ? "reboot" : "crash");
    shutdown_as(how);
}
