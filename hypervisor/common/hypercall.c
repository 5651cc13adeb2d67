/*
 * Hypercall dispatch with the Xen register convention, and the small
 * hypercalls: xen_version, console_io (write), sched_op (yield, block,
 * shutdown).  Event channels, hvm_op, grant tables and memory_op live in
 * domain_events.c, domain_grants.c and memory_op.c.
 */
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/errno.h>
#include <sv/guest_access.h>
#include <sv/hypercall.h>
#include <sv/printk.h>
#include <sv/schedule.h>
#include <sv/string.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/physdev.h>
#include <xen/arch-x86/xen-mca.h>
#include <sv/console_input.h>


/* Guest console output goes out a whole line at a time, prefixed like
 * Xen's "(d1) ", so lines from several guests and the hypervisor do not
 * interleave mid-line. */
static void console_put(struct domain *d, char c)
{
    if (c != '\n' && c != '\r' && d->console_len < sizeof(d->console_line) - 1)
        d->console_line[d->console_len++] = c;
    if (c == '\n' || d->console_len == sizeof(d->console_line) - 1) {
        d->console_line[d->console_len] = '\0';
        printk("(d%u) %s\n", d->id, d->console_line);
        d->console_len = 0;
    }
}

static long console_write(struct vcpu *v, unsigned long count, uint64_t buf)
{
    char chunk[128];
    unsigned long done = 0;

    if (count > 16384)
        count = 16384;          /* bounded work per call; the guest sees the count written */
    while (done < count) {
        size_t n = MIN(sizeof(chunk), count - done);
        if (copy_from_guest_virt(v, chunk, buf + done, n))
            return -EFAULT;
        if (v->domain->is_dom0)
            console_write_raw(chunk, n);        /* a terminal: bytes as they come */
        else
            for (size_t i = 0; i < n; i++)
                console_put(v->domain, chunk[i]);
        done += n;
    }
    return (long)done;
}

static long do_console_io(struct vcpu *v, const unsigned long *a)
{
    switch (a[0]) {
    case CONSOLEIO_write:
        return console_write(v, a[1], a[2]);
    case CONSOLEIO_read: {
        char chunk[64];
        size_t n;

        if (!v->domain->is_dom0)
            return 0;           /* domUs read their console ring, not ours */
        n = console_input_read(chunk, MIN(sizeof(chunk), (size_t)a[1]));
        if (n && copy_to_guest_virt(v, a[2], chunk, n))
            return -EFAULT;
        return (long)n;
    }
    default:
        return -EINVAL;
    }
}

static long do_sched_op(struct vcpu *v, const unsigned long *a)
{
    struct sched_shutdown sd;

    switch (a[0]) {
    case SCHEDOP_yield:
        sched_yield_vcpu(v);
        return 0;
    case SCHEDOP_block:
        arch_block_vcpu(v);     /* returns at once if an upcall is pending */
        return 0;
    case SCHEDOP_poll:
        return do_sched_poll(v, a[1]);
    case SCHEDOP_shutdown:
        if (copy_from_guest_virt(v, &sd, a[1], sizeof(sd)))
            return -EFAULT;
        if (sd.reason > SHUTDOWN_MAX)
            return -EINVAL;
        domain_shutdown(v->domain, sd.reason);
        return 0;
    case SCHEDOP_remote_shutdown: {
        struct sched_remote_shutdown rs;
        struct domain *t;

        if (copy_from_guest_virt(v, &rs, a[1], sizeof(rs)))
            return -EFAULT;
        if (!v->domain->privileged)
            return -EPERM;
        if (rs.reason > SHUTDOWN_MAX)
            return -EINVAL;
        if (!(t = domain_by_id(rs.domain_id)) || !domain_is_alive(t))
            return -ESRCH;
        domain_shutdown(t, rs.reason);
        /* A blocked or paused domain must run once more to end. */
        for (unsigned int i = 0; i < t->nr_vcpus; i++)
            sched_wake_vcpu(t->vcpus[i]);
        return 0;
    }
    default:
        return -ENOSYS;
    }
}

/* The pre-3.2 sched_op: the shutdown reason is the argument itself. */
static long do_sched_op_compat(struct vcpu *v, const unsigned long *a)
{
    if (a[0] == SCHEDOP_shutdown) {
        if (a[1] > SHUTDOWN_MAX)
            return -EINVAL;
        domain_shutdown(v->domain, (unsigned int)a[1]);
        return 0;
    }
    if (a[0] == SCHEDOP_block) {
        arch_block_vcpu(v);
        return 0;
    }
    if (a[0] == SCHEDOP_yield) {
        sched_yield_vcpu(v);
        return 0;
    }
    return -ENOSYS;
}

static long do_xen_version(struct vcpu *v, const unsigned long *a)
{
    /* The command is an int in Xen's prototype: only its low 32 bits count. */
    switch ((int)a[0]) {
    case XENVER_version:
        return XEN_ABI_VERSION;
    case XENVER_extraversion: {
        xen_extraversion_t extra = "-splitvisor";
        return copy_to_guest_virt(v, a[1], extra, sizeof(extra)) ? -EFAULT : 0;
    }
    case XENVER_get_features: {
        xen_feature_info_t fi;
        if (copy_from_guest_virt(v, &fi, a[1], sizeof(fi)))
            return -EFAULT;
        fi.submap = 0;
        /* dom0 keeps native time and takes its upcalls per vCPU through a
         * real IPI: no callback vector, no PV clock for it. */
        if (fi.submap_idx == 0 && v->domain->is_dom0)
            fi.submap = 1u << XENFEAT_auto_translated_physmap;
        else if (fi.submap_idx == 0)
            fi.submap = (1u << XENFEAT_auto_translated_physmap) | (1u << XENFEAT_hvm_callback_vector) |
                        (1u << XENFEAT_hvm_safe_pvclock);
        return copy_to_guest_virt(v, a[1], &fi, sizeof(fi)) ? -EFAULT : 0;
    }
    case XENVER_pagesize:
        return PAGE_SIZE;
    default:
        return -ENOSYS;
    }
}

long hypercall_continue(struct vcpu *v, unsigned int nargs, const unsigned long *args)
{
    v->hcall_continue = true;
    v->continuations++;
    for (unsigned int i = 0; i < HYPERCALL_MAX_ARGS; i++)
        v->hcall_args[i] = i < nargs ? args[i] : 0;
    return 0;
}

/*
 * physdev_op: dom0 reports every PCI device and MMCONFIG area to Xen (for
 * passthrough and MSI); we take note of nothing yet, and say so with 0 so
 * that Linux does not log an error per device.  Everything else: -ENOSYS.
 */
static long do_physdev_op(struct vcpu *v, const unsigned long *a)
{
    switch (a[0]) {
    case PHYSDEVOP_pci_device_add:
    case PHYSDEVOP_pci_mmcfg_reserved:
        return v->domain->is_dom0 ? 0 : -EPERM;
    default:
        return -ENOSYS;
    }
}

long do_hypercall(struct vcpu *v, unsigned long nr, const unsigned long args[HYPERCALL_MAX_ARGS])
{
    v->hypercalls++;
    if (nr < NR_HYPERCALL_COUNTERS)
        v->domain->hypercall_counts[nr]++;
    switch (nr) {
    case __HYPERVISOR_memory_op:
        return do_memory_op(v, args);
    case __HYPERVISOR_event_channel_op:
        return do_event_channel_op(v, args);
    case __HYPERVISOR_grant_table_op:
        return do_grant_table_op(v, args);
    case __HYPERVISOR_hvm_op:
        return do_hvm_op(v, args);
    case __HYPERVISOR_vcpu_op:
        return do_vcpu_op(v, args);
    case __HYPERVISOR_domctl:
        return do_domctl(v, args);
    case __HYPERVISOR_sysctl:
        return do_sysctl(v, args);
    case __HYPERVISOR_console_io:
        return do_console_io(v, args);
    case __HYPERVISOR_sched_op:
        return do_sched_op(v, args);
    case __HYPERVISOR_sched_op_compat:
        return do_sched_op_compat(v, args);
    case __HYPERVISOR_xen_version:
        return do_xen_version(v, args);
    case __HYPERVISOR_physdev_op:
        return do_physdev_op(v, args);
    case __HYPERVISOR_platform_op:
        return do_platform_op(v, args);
    case __HYPERVISOR_mca:
        return do_mca(v, args);
    default:
        printk(LOG_DEBUG "d%u: hypercall %lu not implemented\n", v->domain->id, nr);
        return -ENOSYS;
    }
}

void hypercall_page_fill(uint8_t *page)
{
    /* mov $nr, %eax; vmmcall; ret -- at 32-byte slots, as Xen lays it out. */
    memset(page, 0xcc, PAGE_SIZE);      /* int3 between stubs */
    for (unsigned int nr = 0; nr < PAGE_SIZE / 32; nr++) {
        uint8_t *p = page + nr * 32;
        p[0] = 0xb8;
        p[1] = nr & 0xff;
        p[2] = (nr >> 8) & 0xff;
        p[3] = 0;
        p[4] = 0;
        p[5] = 0x0f;
        p[6] = 0x01;
        p[7] = 0xd9;
        p[8] = 0xc3;
    }
}
