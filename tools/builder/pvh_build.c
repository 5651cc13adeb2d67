/*
 * The PVH domain builder (pvh_build.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xenforeignmemory.h>
#include <xen/grant_table.h>
#include <xen/hvm/params.h>

#include <sv/pvh_loader.h>

#include "pvh_build.h"

#define START_INFO_GPA  0x1000ull
#define START_INFO_SIZE 0x3000ull
#define MAP_CHUNK       256             /* pages mapped at a time (dom0's hole is finite) */
#define FILE_MAX        (512ull << 20)  /* kernel or ramdisk */
#define E820_RAM        1
#define E820_RESERVED   2

struct mem_ctx {
    xenforeignmemory_handle *fm;
    domid_t dom;
    uint64_t ram_end;                   /* bytes the builder may write below */
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* Map [gpa, gpa+len) page by page in chunks and copy src in (NULL: zero). */
static int mem_access(struct mem_ctx *m, uint64_t gpa, const void *src, uint64_t len)
{
    if (gpa > m->ram_end || len > m->ram_end - gpa)
        return -EFAULT;
    while (len) {
        uint64_t first = gpa >> PAGE_SHIFT, off = gpa & (PAGE_SIZE - 1);
        uint64_t pages = (off + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
        xen_pfn_t gfns[MAP_CHUNK];
        int errs[MAP_CHUNK];

        if (pages > MAP_CHUNK)
            pages = MAP_CHUNK;
        for (uint64_t i = 0; i < pages; i++)
            gfns[i] = first + i;
        uint8_t *p = xenforeignmemory_map(m->fm, m->dom, PROT_READ | PROT_WRITE, pages, gfns, errs);
        if (!p)
            return -errno ? -errno : -EFAULT;
        uint64_t n = pages * PAGE_SIZE - off;
        if (n > len)
            n = len;
        int rc = 0;
        for (uint64_t i = 0; i < pages && !rc; i++)
            if (errs[i])
                rc = errs[i] < 0 ? errs[i] : -errs[i];
        if (!rc) {
            if (src)
                memcpy(p + off, src, n);
            else
                memset(p + off, 0, n);
        }
        xenforeignmemory_unmap(m->fm, p, pages);
        if (rc)
            return rc;
        gpa += n;
        len -= n;
        if (src)
            src = (const uint8_t *)src + n;
    }
    return 0;
}

static int mem_write(void *ctx, uint64_t gpa, const void *src, size_t len)
{
    return mem_access(ctx, gpa, src, len);
}

static int mem_zero(void *ctx, uint64_t gpa, uint64_t len)
{
    return mem_access(ctx, gpa, NULL, len);
}

static const struct guest_mem_ops foreign_ops = { mem_write, mem_zero };

/* The whole file, at most FILE_MAX bytes; NULL with err set. */
static void *read_file(const char *what, const char *path, size_t *size, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    void *buf = NULL;

    if (fd < 0) {
        fail(err, errlen, "%s %s: %s", what, path, strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (uint64_t)st.st_size > FILE_MAX) {
        fail(err, errlen, "%s %s: not a regular file of 1 byte to %llu MiB", what, path,
             (unsigned long long)(FILE_MAX >> 20));
        close(fd);
        return NULL;
    }
    buf = malloc((size_t)st.st_size);
    size_t got = 0;
    while (buf && got < (size_t)st.st_size) {
        ssize_t n = read(fd, (char *)buf + got, (size_t)st.st_size - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (!buf || got != (size_t)st.st_size) {
        fail(err, errlen, "%s %s: cannot read it", what, path);
        free(buf);
        return NULL;
    }
    *size = got;
    return buf;
}

/* The PVH entry state (pvh.pandoc): 32-bit flat protected mode, paging off,
 * %ebx = the start info. */
static void entry_context(struct vcpu_hvm_context *c, uint32_t eip, uint32_t ebx)
{
    struct vcpu_hvm_x86_32 *r = &c->cpu_regs.x86_32;

    memset(c, 0, sizeof(*c));
    c->mode = VCPU_HVM_MODE_32B;
    r->eip = eip;
    r->ebx = ebx;
    r->eflags = 0x2;
    r->cr0 = 0x11;                      /* PE | ET */
    r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = 0xffffffff;
    r->cs_ar = 0xc9b;                   /* code, present, 32-bit, 4 KiB granularity */
    r->ds_ar = r->ss_ar = r->es_ar = 0xc93;
    r->tr_ar = 0x8b;
    r->tr_limit = 0x67;
}

#define TRACE(...) do { if (s->trace) s->trace(__VA_ARGS__); } while (0)

static int build(svctl *h, const struct pvh_build_spec *s, struct pvh_build_result *res,
                 xenforeignmemory_handle *fm, const void *kimg, size_t ksize,
                 const void *rd, size_t rdsize, char *err, size_t errlen)
{
    struct elf_pvh_info info;
    const char *why = NULL;
    uint64_t mem = s->memory_mib << 20, pages = mem >> PAGE_SHIFT;
    int rc;

    rc = elf_pvh_parse(kimg, ksize, &info, &why);
    if (rc == -ENOENT)
        return fail(err, errlen, "kernel %s: not a PVH kernel (no XEN_ELFNOTE_PHYS32_ENTRY note)",
                    s->kernel);
    if (rc)
        return fail(err, errlen, "kernel %s: %s", s->kernel, why ? why : "not a loadable ELF");
    uint64_t special = mem - 2 * PAGE_SIZE;
    res->store_gfn = special >> PAGE_SHIFT;
    res->console_gfn = res->store_gfn + 1;
    if (info.paddr_low < START_INFO_GPA + START_INFO_SIZE || info.paddr_high > special)
        return fail(err, errlen, "kernel %s: loads at %#llx-%#llx, outside the guest's RAM "
                    "[%#llx, %#llx) (memory = %llu MiB)", s->kernel,
                    (unsigned long long)info.paddr_low, (unsigned long long)info.paddr_high,
                    (unsigned long long)(START_INFO_GPA + START_INFO_SIZE), (unsigned long long)special,
                    (unsigned long long)s->memory_mib);
    uint64_t rd_gpa = 0;
    if (rd) {
        rd_gpa = (special - rdsize) & ~(PAGE_SIZE - 1);
        if (rdsize > special || rd_gpa < info.paddr_high)
            return fail(err, errlen, "ramdisk %s: %zu bytes do not fit above the kernel in %llu MiB",
                        s->ramdisk, rdsize, (unsigned long long)s->memory_mib);
    }

    TRACE("kernel %s: %u segments at %#llx-%#llx, entry %#x", s->kernel, info.nr_segments,
          (unsigned long long)info.paddr_low, (unsigned long long)info.paddr_high,
          info.phys32_entry);
    TRACE("createdomain");
    rc = svctl_domain_create(h, s->name, s->hap ? SV_CREATE_hap : 0, s->maxvcpus, 0, &res->domid);
    if (rc)
        return fail(err, errlen, "cannot create the domain: %s", svctl_strerror(rc));
    struct mem_ctx m = { fm, res->domid, mem };

    TRACE("domain %u: max_mem %llu MiB", res->domid, (unsigned long long)s->maxmem_mib);
    if ((rc = svctl_max_mem(h, res->domid, (s->maxmem_mib << 20) >> PAGE_SHIFT)))
        return fail(err, errlen, "max_mem: %s", svctl_strerror(rc));
    xen_pfn_t *gfns = malloc(sizeof(*gfns) * pages);
    if (!gfns)
        return fail(err, errlen, "out of memory");
    for (uint64_t i = 0; i < pages; i++)
        gfns[i] = i;
    TRACE("populate %llu pages", (unsigned long long)pages);
    rc = svctl_populate(h, res->domid, gfns, pages);
    free(gfns);
    if (rc)
        return fail(err, errlen, "cannot give it %llu MiB: %s", (unsigned long long)s->memory_mib,
                    svctl_strerror(rc));

    TRACE("load the kernel through foreign mappings");
    if ((rc = elf_pvh_load(kimg, &info, &foreign_ops, &m)))
        return fail(err, errlen, "loading kernel %s: %s", s->kernel, strerror(-rc));
    if (rd && (rc = mem_access(&m, rd_gpa, rd, rdsize)))
        return fail(err, errlen, "loading ramdisk %s: %s", s->ramdisk, strerror(-rc));

    TRACE("event channels, HVM params, memory map, start info, vCPU 0");
    if ((rc = svctl_evtchn_alloc_unbound(h, res->domid, 0, &res->store_port)) ||
        (rc = svctl_evtchn_alloc_unbound(h, res->domid, 0, &res->console_port)))
        return fail(err, errlen, "event channels: %s", svctl_strerror(rc));
    if ((rc = svctl_hvm_param_set(h, res->domid, HVM_PARAM_STORE_PFN, res->store_gfn)) ||
        (rc = svctl_hvm_param_set(h, res->domid, HVM_PARAM_STORE_EVTCHN, res->store_port)) ||
        (rc = svctl_hvm_param_set(h, res->domid, HVM_PARAM_CONSOLE_PFN, res->console_gfn)) ||
        (rc = svctl_hvm_param_set(h, res->domid, HVM_PARAM_CONSOLE_EVTCHN, res->console_port)))
        return fail(err, errlen, "HVM params: %s", svctl_strerror(rc));
    /* xenconsoled and xenstored map the rings by these references. */
    if ((rc = svctl_seed_grant(h, res->domid, GNTTAB_RESERVED_CONSOLE, 0, res->console_gfn, false)) ||
        (rc = svctl_seed_grant(h, res->domid, GNTTAB_RESERVED_XENSTORE, 0, res->store_gfn, false)))
        return fail(err, errlen, "grant entries: %s", svctl_strerror(rc));

    const struct svctl_e820 e820[] = {
        { 0, special, E820_RAM },
        { special, 2 * PAGE_SIZE, E820_RESERVED },
    };
    if ((rc = svctl_set_memory_map(h, res->domid, e820, 2)))
        return fail(err, errlen, "memory map: %s", svctl_strerror(rc));
    const struct hvm_memmap_table_entry memmap[] = {
        { .addr = 0, .size = special, .type = XEN_HVM_MEMMAP_TYPE_RAM },
        { .addr = special, .size = 2 * PAGE_SIZE, .type = XEN_HVM_MEMMAP_TYPE_RESERVED },
    };
    const struct pvh_start_module mod = { rd_gpa, rdsize, NULL };
    const struct pvh_start_params sp = {
        .area_gpa = START_INFO_GPA, .area_size = START_INFO_SIZE, .flags = 0,
        .cmdline = s->cmdline, .rsdp_paddr = 0,
        .modules = rd ? &mod : NULL, .nr_modules = rd ? 1 : 0,
        .memmap = memmap, .nr_memmap = 2,
    };
    if ((rc = pvh_build_start_info(&sp, &foreign_ops, &m, &res->start_info)))
        return fail(err, errlen, "start info: %s", rc == -ENOSPC ? "the command line is too long"
                                                                 : strerror(-rc));
    struct vcpu_hvm_context ctx;
    res->kernel_entry = info.phys32_entry;
    entry_context(&ctx, info.phys32_entry, (uint32_t)res->start_info);
    if ((rc = svctl_vcpu_context(h, res->domid, 0, &ctx)))
        return fail(err, errlen, "vCPU 0: %s", svctl_strerror(rc));
    return 0;
}

int pvh_build(svctl *h, const struct pvh_build_spec *s, struct pvh_build_result *res,
              char *err, size_t errlen)
{
    size_t ksize = 0, rdsize = 0;
    void *kimg = NULL, *rd = NULL;
    xenforeignmemory_handle *fm = NULL;
    int rc = -1;

    memset(res, 0, sizeof(*res));
    res->domid = DOMID_INVALID;
    if (s->memory_mib < 2 || s->memory_mib > (1ull << 20) || s->maxmem_mib < s->memory_mib ||
        !s->vcpus || s->maxvcpus < s->vcpus)
        return fail(err, errlen, "bad memory or vcpus");
    kimg = read_file("kernel", s->kernel, &ksize, err, errlen);
    if (!kimg)
        goto out;
    if (s->ramdisk && !(rd = read_file("ramdisk", s->ramdisk, &rdsize, err, errlen)))
        goto out;
    fm = xenforeignmemory_open(svctl_quiet_logger(), 0);
    if (!fm) {
        fail(err, errlen, "cannot open foreign memory mapping: %s", strerror(errno));
        goto out;
    }
    rc = build(h, s, res, fm, kimg, ksize, rd, rdsize, err, errlen);
    if (rc && res->domid != DOMID_INVALID) {
        svctl_domain_destroy(h, res->domid);
        res->domid = DOMID_INVALID;
    }
out:
    if (fm)
        xenforeignmemory_close(fm);
    free(kimg);
    free(rd);
    return rc;
}
