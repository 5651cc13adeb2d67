/*
 * start_hypervisor(): the boot CPU's path from head.S to a running system.
 * The order matters: the console first (so every later failure can say
 * why), exceptions next, then memory, ACPI, time, the other CPUs, SVM.
 */
#include <sv/boot_domains.h>
#include <sv/keyhandler.h>
#include <sv/machine.h>
#include <sv/memmap.h>
#include <sv/multiboot2.h>
#include <sv/page_alloc.h>
#include <sv/panic.h>
#include <sv/params.h>
#include <sv/printk.h>
#include <sv/string.h>
#include <sv/xmalloc.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/mm.h>
#include <asm/percpu.h>
#include <asm/platform.h>
#include <asm/serial.h>
#include <asm/smp.h>
#include <asm/svm.h>
#include <asm/time.h>

#ifndef SV_VERSION
#define SV_VERSION "0.0.0"
#endif
#ifndef SV_BUILD
#define SV_BUILD "unknown"
#endif

void cpu_identify(void);
void crash_test(const char *kind);
void start_hypervisor(uint32_t magic, uint32_t mbi_pa);

static char log_ring[64 * 1024];
static struct boot_info boot_info;
static struct memmap usable;

extern char _start[], _end[];

static const char *mem_type_name(uint32_t type)
{
    switch (type) {
    case MB2_MEM_AVAILABLE: return "RAM";
    case MB2_MEM_RESERVED: return "reserved";
    case MB2_MEM_ACPI_RECLAIM: return "ACPI data";
    case MB2_MEM_NVS: return "ACPI NVS";
    case MB2_MEM_BAD: return "bad";
    default: return "unknown";
    }
}

static void parse_boot_info(uint32_t magic, uint32_t mbi_pa)
{
    const char *why = "";

    if (magic != MB2_BOOTLOADER_MAGIC)
        panic("not started by a multiboot2 loader (magic %#x)", magic);
    /* Still on the boot page tables: the low 4 GiB are identity-mapped. */
    const void *mbi = (const void *)(uintptr_t)mbi_pa;
    uint32_t total = *(const uint32_t *)mbi;
    if (mb2_parse(mbi, MIN(total, 1u << 20), &boot_info, &why))
        panic("multiboot2 information at %#x is malformed: %s", mbi_pa, why);

    printk("boot: loader '%s', %s memory map%s, command line '%s'\n", boot_info.loader,
           boot_info.mmap_from_efi ? "EFI" : "e820",
           boot_info.have_efi_mmap && !boot_info.mmap_from_efi ? " (EFI map also given)" : "",
           boot_info.cmdline);
    if (boot_info.efi_system_table)
        printk("boot: booted through UEFI (system table at %#lx)\n",
               (unsigned long)boot_info.efi_system_table);
}

/* Usable RAM = what the map calls available, less everything in use. */
static void build_usable_memory(uint32_t mbi_pa)
{
    paddr_t ram = 0;

    memmap_init(&usable);
    for (unsigned int i = 0; i < boot_info.nr_mmap; i++) {
        const struct boot_mmap_entry *e = &boot_info.mmap[i];
        printk(LOG_DEBUG "  %016lx-%016lx %s\n", (unsigned long)e->addr,
               (unsigned long)(e->addr + e->len), mem_type_name(e->type));
        if (e->type == MB2_MEM_AVAILABLE && e->len) {
            ram += e->len;
            if (memmap_add(&usable, e->addr, e->addr + e->len))
                printk(LOG_WARN "memory: map has too many ranges; ignoring %#lx+%#lx\n",
                       (unsigned long)e->addr, (unsigned long)e->len);
        }
    }
    memmap_page_align(&usable);
    /* The trampoline must come out of low memory before the rest of it is
     * withheld (real-mode IVT, BDA, EBDA and option ROMs live there). */
    smp_reserve_trampoline(&usable);
    memmap_remove(&usable, 0, 0x100000);
    memmap_remove(&usable, ALIGN_DOWN((paddr_t)(uintptr_t)_start, PAGE_SIZE),
                  ALIGN_UP((paddr_t)(uintptr_t)_end, PAGE_SIZE));
    memmap_remove(&usable, ALIGN_DOWN((paddr_t)mbi_pa, PAGE_SIZE),
                  ALIGN_UP((paddr_t)mbi_pa + boot_info.total_size, PAGE_SIZE));
    for (unsigned int i = 0; i < boot_info.nr_modules; i++)
        memmap_remove(&usable, ALIGN_DOWN(boot_info.modules[i].start, PAGE_SIZE),
                      ALIGN_UP(boot_info.modules[i].end, PAGE_SIZE));
    printk("memory: %lu MiB of RAM in the firmware map (%u ranges), %u modules\n",
           (unsigned long)(ram >> 20), boot_info.nr_mmap, boot_info.nr_modules);
}

static void key_memory(unsigned char key)
{
    struct heap_stats hs;

    (void)key;
    page_alloc_report();
    heap_get_stats(&hs);
    printk("heap: %lu allocations, %lu bytes, %lu pages\n", (unsigned long)hs.allocations,
           (unsigned long)hs.bytes_in_use, (unsigned long)hs.pages);
}

static void key_cpus(unsigned char key)
{
    (void)key;
    for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++) {
        struct percpu *pc = percpu_of[cpu];
        if (pc)
            printk("CPU %u: APIC ID %u, %s, %lu timer ticks\n", cpu, pc->apic_id,
                   pc->online ? "online" : "offline", (unsigned long)pc->timer_ticks);
    }
}

static void key_poweroff(unsigned char key) { (void)key; machine_power_off(); }
static void key_reboot(unsigned char key) { (void)key; machine_restart(); }

static void key_uptime(unsigned char key)
{
    uint64_t ns = now_ns();

    (void)key;
    printk("uptime: %lu.%03lu s\n", (unsigned long)(ns / 1000000000),
           (unsigned long)(ns / 1000000 % 1000));
}

/* Every CPU's timer must advance: proof that interrupts and the
 * calibration work everywhere, not only on the boot CPU. */
static void check_timers(void)
{
    uint64_t before[MAX_CPUS];
    unsigned int ticking = 0;

    for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++)
        before[cpu] = percpu_of[cpu] ? percpu_of[cpu]->timer_ticks : 0;
    mdelay(50);
    for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++)
        if (percpu_of[cpu] && percpu_of[cpu]->timer_ticks > before[cpu])
            ticking++;
    if (ticking == nr_cpus_online)
        printk("timer: all %u CPUs ticking at 100 Hz\n", ticking);
    else
        printk(LOG_ERR "timer: only %u of %u CPUs ticking\n", ticking, nr_cpus_online);
}

static void start_boot_domains(void)
{
    if (!opt_boot_guests || !boot_info.nr_modules)
        return;
    if (svm_permission_maps_init())
        panic("SVM: out of memory for the I/O and MSR permission maps");
    unsigned int n = boot_domains_start(&boot_info);
    printk("boot: %u of %u boot domains started\n", n, boot_info.nr_modules);
    if (!strcmp(opt_after_boot, "idle"))
        return;
    /* poweroff/reboot after boot means: once every boot domain has ended. */
    while (boot_domains_alive())
        safe_halt();
    printk("boot: all boot domains have ended\n");
}

static __noreturn void idle_console_loop(void)
{
    register_keyhandler('m', key_memory, "memory: free frames and heap");
    register_keyhandler('c', key_cpus, "CPUs: state and timer ticks");
    register_keyhandler('u', key_uptime, "uptime");
    register_keyhandler('p', key_poweroff, "power off (ACPI S5)");
    register_keyhandler('r', key_reboot, "reboot");
    printk("Idle. Press 'h' on this console for the debug keys.\n");
    for (;;) {
        int c;
        while ((c = serial_getc()) >= 0)
            handle_keypress((unsigned char)c);
        safe_halt();        /* the 100 Hz timer wakes us to poll again */
    }
}

void start_hypervisor(uint32_t magic, uint32_t mbi_pa)
{
    struct percpu *bsp;

    serial_init();
    printk_init(log_ring, sizeof(log_ring));
    printk_add_sink(serial_write);
    printk("splitvisor %s (%s): a split-driver hypervisor for AMD SVM\n", SV_VERSION, SV_BUILD);

    bsp = smp_bsp_percpu();
    idt_init();
    cpu_load_descriptors(bsp);

    parse_boot_info(magic, mbi_pa);
    params_parse(boot_info.cmdline);
    printk("console: log level %s\n", opt_loglvl);

    cpu_identify();
    svm_check_or_halt();

    build_usable_memory(mbi_pa);
    paging_init(&boot_info, &usable);
    page_alloc_init(&usable);
    heap_setup();
    page_alloc_report();

    acpi_init(&boot_info);
    time_init(&acpi);
    printk_set_clock(now_ns);

    lapic_init_bsp(acpi.lapic_addr);
    lapic_timer_calibrate();
    cpu_bringup_common(bsp);
    sti();

    unsigned int online = smp_boot_cpus();
    if (online == nr_cpus_possible)
        printk("SMP: all %u CPUs online\n", online);
    else
        printk(LOG_ERR "SMP: only %u of %u CPUs online\n", online, nr_cpus_possible);
    printk("SVM: enabled on %u CPUs (EFER.SVME, host save area set)\n", online);
    check_timers();

    if (opt_crash[0])
        crash_test(opt_crash);
    start_boot_domains();
    if (!strcmp(opt_after_boot, "poweroff"))
        machine_power_off();
    if (!strcmp(opt_after_boot, "reboot"))
        machine_restart();
    idle_console_loop();
}
