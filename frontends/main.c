/*
 * kmain of svfront: bring the guest up (svguest's base), connect to
 * xenstore and the grant table, then run the programs the command line
 * names, in order:
 *   run=blk_verify,blk_check,blk_ops,blk_bench,...   (default: blk_verify)
 *   vbd=<virtual-device>                             (default: the first)
 *   exit=poweroff|reboot|crash                       (default: by result)
 * Each program prints "PASS: name" or "FAIL: name: why"; the run ends with
 * "svfront: N passed, M failed" and a poweroff (all passed) or a crash.
 */
#include "diskprog.h"
#include "netprog.h"

void kmain(uint32_t magic, uint32_t info, uint32_t kind);
void boot_parse(uint32_t magic, uint32_t info, uint32_t kind);

const char *guest_name = "svfront";
static unsigned int passed, failed;
static struct blkdev disk;
static bool disk_up;

static const char *need_disk(void)
{
    if (disk_up)
        return NULL;
    uint64_t devid;
    if (!cmdline_u64("vbd", &devid)) {
        int first = blkfront_first_devid();
        if (first < 0)
            return fail("no disk: nothing under device/vbd");
        devid = (uint64_t)first;
    }
    struct blk_options o = { 0 };
    uint64_t v;
    if (cmdline_u64("blk_order", &v))
        o.max_order = (uint32_t)v;
    if (cmdline_u64("blk_queues", &v))
        o.max_queues = (uint32_t)v;
    if (cmdline_u64("blk_indirect", &v))
        o.no_indirect = v == 0;
    if (cmdline_u64("blk_persistent", &v))
        o.no_persistent = v == 0;
    int rc = blkfront_connect(&disk, (unsigned int)devid, &o);
    if (rc)
        return fail("cannot connect vbd %lu: %d", (unsigned long)devid, rc);
    disk_up = true;
    return NULL;
}

static const char *with_disk(const char *(*prog)(struct blkdev *))
{
    const char *why = need_disk();
    return why ? why : prog(&disk);
}

static const char *run_blk_verify(void) { return with_disk(prog_blk_verify); }
static const char *run_blk_check(void) { return with_disk(prog_blk_check); }
static const char *run_blk_ops(void) { return with_disk(prog_blk_ops); }
static const char *run_blk_bench(void) { return with_disk(prog_blk_bench); }

static const char *run_blk_hostile(void)
{
    const char *why = with_disk(prog_blk_hostile);
    disk_up = false;            /* the backend dropped it, or it failed */
    return why;
}

/* blk_attach_wait: until the toolstack gives us a disk (xl block-attach),
 * attach_wait_s (60) at most; then connect to it. */
static const char *run_blk_attach_wait(void)
{
    uint64_t secs = 60, seen;
    cmdline_u64("attach_wait_s", &secs);
    if (disk_up)
        return fail("a disk is already connected");
    if (xs_watch("device/vbd", "svf-attach"))
        return fail("cannot watch device/vbd");
    uint64_t deadline = rdtsc() + ms_to_cycles(secs * 1000);
    int devid;
    while ((seen = xs_watch_events(), devid = blkfront_first_devid()) < 0 && rdtsc() < deadline)
        xs_wait_event(seen, 1000);
    xs_unwatch("device/vbd", "svf-attach");
    if (devid < 0)
        return fail("no disk came within %lu s", (unsigned long)secs);
    note("vbd %d appeared", devid);
    return need_disk();
}

/* blk_detach_wait: until the toolstack takes the disk away (xl
 * block-detach: the backend goes to Closing), then close our side. */
static const char *run_blk_detach_wait(void)
{
    if (!disk_up)
        return fail("no disk connected");
    int st = xenbus_wait_state(disk.be, 1u << XenbusStateClosing | 1u << XenbusStateClosed |
                               1u << XenbusStateUnknown, 60000);
    if (st < 0)
        return fail("the backend did not start closing within 60 s");
    note("backend went to %s: disconnecting", xenbus_state_name(st));
    disk_up = false;
    return blkfront_disconnect(&disk) ? fail("disconnect did not complete") : NULL;
}

static const char *run_blk_close(void)
{
    if (!disk_up)
        return NULL;
    disk_up = false;
    return blkfront_disconnect(&disk) ? fail("disconnect did not complete") : NULL;
}

static const struct { const char *name; const char *(*fn)(void); } progs[] = {
    { "blk_verify", run_blk_verify },
    { "blk_check", run_blk_check },
    { "blk_ops", run_blk_ops },
    { "blk_bench", run_blk_bench },
    { "blk_hostile", run_blk_hostile },
    { "blk_close", run_blk_close },
    { "blk_attach_wait", run_blk_attach_wait },
    { "blk_detach_wait", run_blk_detach_wait },
    { "net_ping", prog_net_ping },
    { "net_serve", prog_net_serve },
    { "udp_send", prog_udp_send },
    { "udp_recv", prog_udp_recv },
    { "net_hostile", prog_net_hostile },
    { "net_attach_wait", prog_net_attach_wait },
    { "net_detach_wait", prog_net_detach_wait },
    { "echo", test_echo },          /* svguest's: console input, line by line */
};

static void run_prog(const char *item, size_t n)
{
    for (size_t i = 0; i < ARRAY_SIZE(progs); i++) {
        if (!item_is(item, n, progs[i].name))
            continue;
        current_test = progs[i].name;
        const char *why = progs[i].fn();
        if (why) {
            kprintf("FAIL: %s: %s\n", progs[i].name, why);
            failed++;
        } else {
            kprintf("PASS: %s\n", progs[i].name);
            passed++;
        }
        current_test = "runner";
        return;
    }
    kprintf("FAIL: %.*s: unknown program\n", (int)n, item);
    failed++;
}

static int exit_option(enum exit_kind *how)
{
    const char *v;
    size_t n;
    if (!cmdline_get("exit", &v, &n))
        return 0;
    if (item_is(v, n, "poweroff")) *how = EXIT_POWEROFF;
    else if (item_is(v, n, "reboot")) *how = EXIT_REBOOT;
    else if (item_is(v, n, "crash")) *how = EXIT_CRASH;
    else return -1;
    return 1;
}

void kmain(uint32_t magic, uint32_t info, uint32_t kind)
{
    desc_init();
    xen_init();
    xencons_init();
    console_init();
    kprintf("\nsvfront: splitvisor domU kernel (split-driver frontends)\n");
    xen_banner();
    boot_parse(magic, info, kind);
    xencons_reserve();
    mem_init();
    paging_init();
    timer_init();
    kprintf("svfront: command line \"%s\"\n", cmdline);
    kprintf("svfront: RAM %lu MiB, %lu free frames\n", (unsigned long)(mem_ram_bytes() / MiB),
            (unsigned long)mem_free_frames());

    current_test = "init";
    const char *why = xev_init();
    if (!why)
        why = xev_timer_init();         /* timeouts of blocking waits */
    if (!why)
        why = gnttab_init();
    if (!why)
        why = xenbus_init();
    if (why) {
        kprintf("FAIL: init: %s\n", why);
        shutdown(false);
    }
    kprintf("svfront: domain %d, xenstore connected\n", xenbus_domid());

    enum exit_kind how = EXIT_POWEROFF;
    int exit_given = exit_option(&how);
    if (exit_given < 0) {
        kprintf("FAIL: exit: wants exit=poweroff, exit=reboot or exit=crash\n");
        failed++;
    }
    const char *list, *p, *end, *item;
    size_t len, n;
    if (!cmdline_get("run", &list, &len)) {
        list = "blk_verify";
        len = strlen(list);
    }
    p = list;
    end = list + len;
    while (list_next(&p, end, &item, &n))
        run_prog(item, n);
    if (disk_up)
        run_prog("blk_close", 9);
    net_down();

    kprintf("svfront: %u passed, %u failed\n", passed, failed);
    if (exit_given <= 0)
        how = failed == 0 ? EXIT_POWEROFF : EXIT_CRASH;
    shutdown_as(how);
}
