/*
 * dom0's memory layout from the firmware map (hypervisor/common/dom0_layout.c).
 *
 * Every successful layout goes through layout_problem(), an independent
 * checker of the properties Linux 6.1 needs from dom0's e820 (notes:
 * dom0-boot-checklist.md B.0) and of the header's contract.  It cuts the
 * address space at every boundary of every input and output range and
 * evaluates each property on every elementary segment, so it does not
 * share any reasoning with the code under test.
 *
 * Firmware maps are modelled on QEMU pc (SeaBIOS) and q35 (OVMF), plus
 * unsorted, overlapping and zero-length entries, pathological maps and a
 * seeded random generator of plausible maps.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sv/dom0_layout.h>
#include <sv/errno.h>
#include <sv/memmap.h>

#include "suites.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define PG  0x1000ull

#define KERNEL_LOW  0x1000000ull
#define KERNEL_HIGH 0x4a00000ull

#define FW_MAX    512
#define OWNED_MAX 16

#define T_RAM   MB2_MEM_AVAILABLE
#define T_RES   MB2_MEM_RESERVED
#define T_ACPI  MB2_MEM_ACPI_RECLAIM
#define T_NVS   MB2_MEM_NVS
#define T_BAD   MB2_MEM_BAD

struct fixture {
    struct boot_mmap_entry fw[FW_MAX];
    unsigned int nr_fw;
    struct memrange owned[OWNED_MAX];
    unsigned int nr_owned;
    struct dom0_layout_in in;
};

static struct fixture fx;
static struct dom0_layout out;

/* ---- building inputs ------------------------------------------------------ */

static void fw_add(struct fixture *f, uint64_t start, uint64_t end, uint32_t type)
{
    ck_assert_uint_lt(f->nr_fw, FW_MAX);
    f->fw[f->nr_fw++] = (struct boot_mmap_entry){ .addr = start, .len = end - start, .type = type };
}

static void owned_add(struct fixture *f, uint64_t start, uint64_t end)
{
    ck_assert_uint_lt(f->nr_owned, OWNED_MAX);
    f->owned[f->nr_owned++] = (struct memrange){ .start = start, .end = end };
}

/* The hypervisor image, a multiboot info page (not page-sized) and the AP trampoline. */
static void owned_default(struct fixture *f)
{
    owned_add(f, 0x200000, 0x800000);
    owned_add(f, 0x7000, 0x7a00);
    owned_add(f, 0x8000, 0x9000);
}

static void in_default(struct fixture *f, uint64_t mem)
{
    f->in = (struct dom0_layout_in){
        .fw = f->fw, .nr_fw = f->nr_fw, .owned = f->owned, .nr_owned = f->nr_owned,
        .mem = mem, .hole_size = DOM0_HOLE_ALIGN,
        .kernel_low = KERNEL_LOW, .kernel_high = KERNEL_HIGH,
        .initrd_size = 0x1234567, .start_info_size = 56 + 127 * 24 + 2048,
    };
}

/* QEMU pc (SeaBIOS), 2 GiB. */
static void map_pc_2g(struct fixture *f)
{
    fw_add(f, 0, 0x9fc00, T_RAM);
    fw_add(f, 0x9fc00, 0xa0000, T_RES);
    fw_add(f, 0xf0000, 0x100000, T_RES);
    fw_add(f, 0x100000, 0x7ffe0000, T_RAM);
    fw_add(f, 0x7ffe0000, 0x80000000, T_RES);
    fw_add(f, 0xfeffc000, 0xff000000, T_RES);
    fw_add(f, 0xfffc0000, 0x100000000, T_RES);
}

/* QEMU q35 with OVMF, 4 GiB: 2 GiB below the PCI hole, 2 GiB above 4 GiB. */
static void map_q35_ovmf_4g(struct fixture *f)
{
    fw_add(f, 0, 0xa0000, T_RAM);
    fw_add(f, 0x100000, 0x800000, T_RAM);
    fw_add(f, 0x800000, 0x808000, T_NVS);
    fw_add(f, 0x808000, 0x810000, T_RAM);
    fw_add(f, 0x810000, 0x900000, T_NVS);
    fw_add(f, 0x900000, 0x7e8ed000, T_RAM);
    fw_add(f, 0x7e8ed000, 0x7eaed000, T_RES);
    fw_add(f, 0x7eaed000, 0x7eb6e000, T_RAM);
    fw_add(f, 0x7eb6e000, 0x7eb7e000, T_ACPI);
    fw_add(f, 0x7eb7e000, 0x7ebfe000, T_NVS);
    fw_add(f, 0x7ebfe000, 0x7f8ee000, T_RAM);
    fw_add(f, 0x7f8ee000, 0x7f972000, T_RES);
    fw_add(f, 0x7f972000, 0x7fb00000, T_RAM);
    fw_add(f, 0x7fb00000, 0x7fb80000, T_NVS);
    fw_add(f, 0x7fb80000, 0x80000000, T_RES);
    fw_add(f, 0xb0000000, 0xc0000000, T_RES);        /* MMCONFIG */
    fw_add(f, 0xfed1c000, 0xfed20000, T_RES);
    fw_add(f, 0xffc00000, 0x100000000, T_RES);       /* flash */
    fw_add(f, 0x100000000, 0x180000000, T_RAM);
}

/* ---- the checker ------------------------------------------------------------ */

static char problem[8192];

#define PROBLEM(...) do { snprintf(problem, sizeof(problem), __VA_ARGS__); return problem; } while (0)

static int fw_ram_at(const struct dom0_layout_in *in, uint64_t x)
{
    for (unsigned int i = 0; i < in->nr_fw; i++)
        if (in->fw[i].type == T_RAM && in->fw[i].addr <= x && x - in->fw[i].addr < in->fw[i].len)
            return 1;
    return 0;
}

/* The type of a non-RAM firmware entry holding x (the last one), or 0. */
static uint32_t fw_other_at(const struct dom0_layout_in *in, uint64_t x)
{
    uint32_t t = 0;

    for (unsigned int i = 0; i < in->nr_fw; i++)
        if (in->fw[i].type != T_RAM && in->fw[i].addr <= x && x - in->fw[i].addr < in->fw[i].len)
            t = in->fw[i].type;
    return t;
}

static int owned_at(const struct dom0_layout_in *in, uint64_t x)
{
    for (unsigned int i = 0; i < in->nr_owned; i++)
        if (in->owned[i].start <= x && x < in->owned[i].end)
            return 1;
    return 0;
}

static int dom0_ram_at(const struct dom0_layout *o, uint64_t x)
{
    for (unsigned int i = 0; i < o->ram.nr; i++)
        if (o->ram.r[i].start <= x && x < o->ram.r[i].end)
            return 1;
    return 0;
}

static uint32_t e820_at(const struct dom0_layout *o, uint64_t x)
{
    for (unsigned int i = 0; i < o->nr_e820; i++)
        if (o->e820[i].addr <= x && x - o->e820[i].addr < o->e820[i].size)
            return o->e820[i].type;
    return 0;
}

/* [start, end) inside one dom0 RAM range (they are merged, see below). */
static int dom0_ram_holds(const struct dom0_layout *o, uint64_t start, uint64_t end)
{
    for (unsigned int i = 0; i < o->ram.nr; i++)
        if (o->ram.r[i].start <= start && end <= o->ram.r[i].end)
            return 1;
    return 0;
}

static uint32_t expected_type(uint32_t mb2)
{
    switch (mb2) {
    case T_ACPI: return XEN_HVM_MEMMAP_TYPE_ACPI;
    case T_NVS: return XEN_HVM_MEMMAP_TYPE_NVS;
    case T_BAD: return XEN_HVM_MEMMAP_TYPE_UNUSABLE;
    default: return XEN_HVM_MEMMAP_TYPE_RESERVED;
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* NULL when 'o' is a correct layout for 'in', else which property fails ("name: detail"). */
static const char *layout_problem(const struct dom0_layout_in *in, const struct dom0_layout *o)
{
    const struct memmap *ram = &o->ram;

    /* dom0 RAM: canonical, page aligned, exactly mem bytes, below ram_top. */
    uint64_t total = 0;
    for (unsigned int i = 0; i < ram->nr; i++) {
        const struct memrange *r = &ram->r[i];

        if (r->start >= r->end || (i && ram->r[i - 1].end >= r->start))
            PROBLEM("ram-canonical: range %u [%#llx,%#llx)", i, (unsigned long long)r->start,
                    (unsigned long long)r->end);
        if ((r->start | r->end) % PG)
            PROBLEM("ram-aligned: range %u [%#llx,%#llx)", i, (unsigned long long)r->start,
                    (unsigned long long)r->end);
        if (r->end > o->ram_top)
            PROBLEM("ram-below-top: range %u ends at %#llx, ram_top %#llx", i,
                    (unsigned long long)r->end, (unsigned long long)o->ram_top);
        total += r->end - r->start;
    }
    if (total != in->mem || o->ram_bytes != in->mem)
        PROBLEM("ram-bytes: ranges hold %#llx, ram_bytes %#llx, mem %#llx", (unsigned long long)total,
                (unsigned long long)o->ram_bytes, (unsigned long long)in->mem);

    /* e820: sorted, disjoint, non-empty, at most 127, merged, known types. */
    if (o->nr_e820 == 0 || o->nr_e820 > DOM0_E820_MAX)
        PROBLEM("e820-count: %u entries", o->nr_e820);
    for (unsigned int i = 0; i < o->nr_e820; i++) {
        const struct hvm_memmap_table_entry *e = &o->e820[i];

        if (!e->size || e->addr + e->size < e->addr)
            PROBLEM("e820-nonempty: entry %u [%#llx,+%#llx)", i, (unsigned long long)e->addr,
                    (unsigned long long)e->size);
        if (e->type < XEN_HVM_MEMMAP_TYPE_RAM || e->type > XEN_HVM_MEMMAP_TYPE_UNUSABLE)
            PROBLEM("e820-type: entry %u has type %u", i, e->type);
        if (i) {
            const struct hvm_memmap_table_entry *p = &o->e820[i - 1];

            if (p->addr + p->size > e->addr)
                PROBLEM("e820-sorted: entry %u [%#llx,+%#llx) then [%#llx,+%#llx)", i,
                        (unsigned long long)p->addr, (unsigned long long)p->size,
                        (unsigned long long)e->addr, (unsigned long long)e->size);
            if (p->addr + p->size == e->addr && p->type == e->type)
                PROBLEM("e820-merged: entries %u and %u touch at %#llx with type %u", i - 1, i,
                        (unsigned long long)e->addr, e->type);
        }
    }

    /* The hole. */
    if (o->hole_start % DOM0_HOLE_ALIGN || o->hole_end - o->hole_start != in->hole_size ||
        o->hole_end < o->hole_start)
        PROBLEM("hole-shape: [%#llx,%#llx) for hole_size %#llx", (unsigned long long)o->hole_start,
                (unsigned long long)o->hole_end, (unsigned long long)in->hole_size);
    if (o->hole_start < o->ram_top)
        PROBLEM("hole-above-top: hole at %#llx, ram_top %#llx", (unsigned long long)o->hole_start,
                (unsigned long long)o->ram_top);
    /* First fit: no gap between e820 entries below the hole holds an aligned block. */
    {
        uint64_t prev = 0;

        for (unsigned int i = 0; i <= o->nr_e820; i++) {
            uint64_t gap_end = i < o->nr_e820 ? o->e820[i].addr : UINT64_MAX;
            uint64_t gs = ALIGN_UP(prev, DOM0_HOLE_ALIGN), ge = MIN(gap_end, o->hole_start);

            if (prev < o->hole_start && gs < ge && ge - gs >= DOM0_HOLE_ALIGN)
                PROBLEM("hole-first-fit: the gap [%#llx,%#llx) holds [%#llx,%#llx) below the hole "
                        "[%#llx,%#llx)", (unsigned long long)prev, (unsigned long long)gap_end,
                        (unsigned long long)gs, (unsigned long long)(gs + DOM0_HOLE_ALIGN),
                        (unsigned long long)o->hole_start, (unsigned long long)o->hole_end);
            if (i < o->nr_e820)
                prev = o->e820[i].addr + o->e820[i].size;
        }
    }

    /* Every elementary segment of the address space. */
    unsigned int max_pts = 2 * (in->nr_fw + in->nr_owned + ram->nr + o->nr_e820) + 8, n = 0;
    uint64_t *pt = malloc(max_pts * sizeof(*pt));

    ck_assert_ptr_nonnull(pt);
    pt[n++] = 0;
    pt[n++] = o->ram_top;
    pt[n++] = o->hole_start;
    pt[n++] = o->hole_end;
    for (unsigned int i = 0; i < in->nr_fw; i++) {
        pt[n++] = in->fw[i].addr;
        pt[n++] = in->fw[i].addr + in->fw[i].len;
    }
    for (unsigned int i = 0; i < in->nr_owned; i++) {
        pt[n++] = in->owned[i].start;
        pt[n++] = in->owned[i].end;
    }
    for (unsigned int i = 0; i < ram->nr; i++) {
        pt[n++] = ram->r[i].start;
        pt[n++] = ram->r[i].end;
    }
    for (unsigned int i = 0; i < o->nr_e820; i++) {
        pt[n++] = o->e820[i].addr;
        pt[n++] = o->e820[i].addr + o->e820[i].size;
    }
    qsort(pt, n, sizeof(*pt), cmp_u64);
    for (unsigned int k = 0; k + 1 < n; k++) {
        uint64_t x = pt[k], y = pt[k + 1];

        if (x == y)
            continue;
        int fram = fw_ram_at(in, x), own = owned_at(in, x), d0 = dom0_ram_at(o, x);
        int hole = x >= o->hole_start && x < o->hole_end;
        uint32_t other = fw_other_at(in, x), t = e820_at(o, x);
        const char *bad = NULL;

        if (d0 && (!fram || other || own))
            bad = "ram-is-free-fw-ram: dom0 RAM that is not firmware RAM, or is owned or non-RAM";
        else if ((t == XEN_HVM_MEMMAP_TYPE_RAM) != d0)
            bad = "e820-ram-is-dom0-ram: e820 RAM and dom0 RAM differ";
        else if (hole && !fram)
            bad = "hole-in-fw-ram: the hole is not firmware RAM";
        else if (hole && t)
            bad = "hole-in-no-entry: an e820 entry meets the hole";
        else if (!hole && fram && !other && !d0 && t != XEN_HVM_MEMMAP_TYPE_UNUSABLE)
            bad = "unusable: firmware RAM that dom0 does not get is not UNUSABLE";
        else if (!hole && other && t != expected_type(other))
            bad = "fw-type: a non-RAM firmware range has the wrong e820 type";
        else if (!fram && !other && t)
            bad = "e820-invents: an e820 entry where the firmware has nothing";
        if (bad) {
            free(pt);
            PROBLEM("%s: [%#llx,%#llx) fwram %d fwother %u owned %d dom0 %d hole %d e820 %u", bad,
                    (unsigned long long)x, (unsigned long long)y, fram, other, own, d0, hole, t);
        }
    }
    free(pt);

    /* start info, kernel, initrd. */
    uint64_t si = o->start_info_gpa, si_end = si + in->start_info_size;
    if (si < 0x1000 || si_end > MiB || !dom0_ram_holds(o, si, si_end))
        PROBLEM("start-info: [%#llx,%#llx)", (unsigned long long)si, (unsigned long long)si_end);
    if (!dom0_ram_holds(o, in->kernel_low, in->kernel_high))
        PROBLEM("kernel: [%#llx,%#llx) is not dom0 RAM", (unsigned long long)in->kernel_low,
                (unsigned long long)in->kernel_high);
    if (in->initrd_size) {
        uint64_t rd = o->initrd_gpa, rd_end = rd + in->initrd_size;

        if (rd % PG || rd < in->kernel_high || rd_end > 4 * GiB || !dom0_ram_holds(o, rd, rd_end))
            PROBLEM("initrd: [%#llx,%#llx), kernel ends at %#llx", (unsigned long long)rd,
                    (unsigned long long)rd_end, (unsigned long long)in->kernel_high);
    } else if (o->initrd_gpa) {
        PROBLEM("initrd: initrd_gpa %#llx without an initrd", (unsigned long long)o->initrd_gpa);
    }
    return NULL;
}

static const char *dump_layout(const struct dom0_layout_in *in, const struct dom0_layout *o)
{
    static char buf[16384];
    size_t len = 0;

#define DUMP(...) do { if (len < sizeof(buf)) len += (size_t)snprintf(buf + len, sizeof(buf) - len, __VA_ARGS__); } while (0)
    DUMP("\n  fw:");
    for (unsigned int i = 0; i < in->nr_fw; i++)
        DUMP(" [%#llx,%#llx)%u", (unsigned long long)in->fw[i].addr,
             (unsigned long long)(in->fw[i].addr + in->fw[i].len), in->fw[i].type);
    DUMP("\n  owned:");
    for (unsigned int i = 0; i < in->nr_owned; i++)
        DUMP(" [%#llx,%#llx)", (unsigned long long)in->owned[i].start,
             (unsigned long long)in->owned[i].end);
    DUMP("\n  mem %#llx hole_size %#llx -> ram_top %#llx hole [%#llx,%#llx)\n  e820:",
         (unsigned long long)in->mem, (unsigned long long)in->hole_size,
         (unsigned long long)o->ram_top, (unsigned long long)o->hole_start,
         (unsigned long long)o->hole_end);
    for (unsigned int i = 0; i < o->nr_e820; i++)
        DUMP(" [%#llx,%#llx)%u", (unsigned long long)o->e820[i].addr,
             (unsigned long long)(o->e820[i].addr + o->e820[i].size), o->e820[i].type);
#undef DUMP
    return buf;
}

/* Compute and require success and a correct layout. */
static void compute_ok(struct fixture *f)
{
    const char *why = NULL;
    int rc = dom0_layout_compute(&f->in, &out, &why);

    ck_assert_msg(rc == 0, "dom0_layout_compute: %d (%s)", rc, why ? why : "(null)");
    const char *p = layout_problem(&f->in, &out);
    ck_assert_msg(p == NULL, "%s%s", p, dump_layout(&f->in, &out));
}

/* Compute and require this error, with a reason. */
static void compute_err(struct fixture *f, int want)
{
    const char *why = NULL;
    int rc = dom0_layout_compute(&f->in, &out, &why);

    ck_assert_msg(rc == want, "dom0_layout_compute: %d (%s), want %d", rc, why ? why : "(null)", want);
    ck_assert_msg(why && *why, "no reason for %d", rc);
}

static void setup(void)
{
    memset(&fx, 0, sizeof(fx));
    memset(&out, 0, sizeof(out));
}

/* ---- realistic maps ----------------------------------------------------------- */

START_TEST(test_pc_2g_exact_layout)
{
    map_pc_2g(&fx);
    owned_default(&fx);
    in_default(&fx, 1 * GiB);
    compute_ok(&fx);

    /* Below 1 MiB: 0x9f000 - 2 pages; then [1M, 2M) and from 8M: */
    uint64_t top = 0x800000 + (1 * GiB - (0x9f000 - 0x2000) - 0x100000);
    static const struct { uint64_t s, e; uint32_t t; } want[] = {
        { 0, 0x7000, 1 }, { 0x7000, 0x9000, 5 }, { 0x9000, 0x9f000, 1 }, { 0x9f000, 0x9fc00, 5 },
        { 0x9fc00, 0xa0000, 2 }, { 0xf0000, 0x100000, 2 }, { 0x100000, 0x200000, 1 },
        { 0x200000, 0x800000, 5 }, { 0x800000, 0x40663000, 1 }, { 0x40663000, 0x48000000, 5 },
        { 0x50000000, 0x7ffe0000, 5 }, { 0x7ffe0000, 0x80000000, 2 },
        { 0xfeffc000, 0xff000000, 2 }, { 0xfffc0000, 0x100000000, 2 },
    };
    ck_assert_uint_eq(top, 0x40663000);
    ck_assert_uint_eq(out.ram_top, top);
    ck_assert_uint_eq(out.hole_start, 0x48000000);
    ck_assert_uint_eq(out.hole_end, 0x50000000);
    ck_assert_uint_eq(out.nr_e820, ARRAY_SIZE(want));
    for (unsigned int i = 0; i < ARRAY_SIZE(want); i++)
        ck_assert_msg(out.e820[i].addr == want[i].s && out.e820[i].addr + out.e820[i].size == want[i].e &&
                      out.e820[i].type == want[i].t, "e820[%u] is [%#llx,%#llx)%u, want [%#llx,%#llx)%u", i,
                      (unsigned long long)out.e820[i].addr,
                      (unsigned long long)(out.e820[i].addr + out.e820[i].size), out.e820[i].type,
                      (unsigned long long)want[i].s, (unsigned long long)want[i].e, want[i].t);
    /* The initrd sits at the top of dom0's RAM. */
    ck_assert_uint_eq(out.initrd_gpa, top - ALIGN_UP(0x1234567ull, PG));
}
END_TEST

START_TEST(test_pc_2g_minimum_mem)
{
    map_pc_2g(&fx);
    owned_default(&fx);
    in_default(&fx, DOM0_MIN_MEM);
    compute_ok(&fx);
    ck_assert_uint_eq(out.hole_start, 0x10000000);
}
END_TEST

START_TEST(test_pc_2g_largest_mem)
{
    /* The hole [0x78000000, 0x80000000) would not be RAM; one page of
     * dom0 RAM less puts ram_top at or below 0x70000000. */
    map_pc_2g(&fx);
    owned_default(&fx);
    uint64_t free_below_top = (0x9f000 - 0x2000) + 0x100000 + (0x70000000 - 0x800000);
    in_default(&fx, free_below_top);
    compute_ok(&fx);
    ck_assert_uint_eq(out.ram_top, 0x70000000);
    ck_assert_uint_eq(out.hole_start, 0x70000000);
}
END_TEST

START_TEST(test_pc_2g_hole_256m)
{
    map_pc_2g(&fx);
    owned_default(&fx);
    in_default(&fx, 1 * GiB);
    fx.in.hole_size = 2 * DOM0_HOLE_ALIGN;
    compute_ok(&fx);
    ck_assert_uint_eq(out.hole_start, 0x48000000);
    ck_assert_uint_eq(out.hole_end, 0x58000000);
}
END_TEST

START_TEST(test_pc_2g_no_initrd)
{
    map_pc_2g(&fx);
    owned_default(&fx);
    in_default(&fx, 512 * MiB);
    fx.in.initrd_size = 0;
    compute_ok(&fx);
    ck_assert_uint_eq(out.initrd_gpa, 0);
}
END_TEST

/* The same entries in another order give the same layout. */
START_TEST(test_pc_2g_unsorted)
{
    static struct dom0_layout sorted;

    map_pc_2g(&fx);
    owned_default(&fx);
    in_default(&fx, 1 * GiB);
    compute_ok(&fx);
    sorted = out;

    for (unsigned int i = 0; i < fx.nr_fw / 2; i++) {
        struct boot_mmap_entry t = fx.fw[i];

        fx.fw[i] = fx.fw[fx.nr_fw - 1 - i];
        fx.fw[fx.nr_fw - 1 - i] = t;
    }
    struct boot_mmap_entry t = fx.fw[1];
    fx.fw[1] = fx.fw[3];
    fx.fw[3] = t;
    compute_ok(&fx);
    ck_assert_uint_eq(out.nr_e820, sorted.nr_e820);
    ck_assert(memcmp(out.e820, sorted.e820, sizeof(out.e820)) == 0);
    ck_assert_uint_eq(out.ram.nr, sorted.ram.nr);
    ck_assert(memcmp(out.ram.r, sorted.ram.r, sorted.ram.nr * sizeof(out.ram.r[0])) == 0);
    ck_assert_uint_eq(out.initrd_gpa, sorted.initrd_gpa);
    ck_assert_uint_eq(out.start_info_gpa, sorted.start_info_gpa);
}
END_TEST

/* Reserved, ACPI and NVS entries inside one big RAM entry (and unaligned). */
START_TEST(test_pc_overlapping_reserved_in_ram)
{
    map_pc_2g(&fx);
    owned_default(&fx);
    fw_add(&fx, 0x20000000, 0x20010000, T_RES);
    fw_add(&fx, 0x30000800, 0x30001800, T_ACPI);       /* not page aligned */
    fw_add(&fx, 0x0e000000, 0x0e100000, T_NVS);
    fw_add(&fx, 0x5000, 0x6000, T_BAD);                 /* low RAM the firmware says is bad */
    fw_add(&fx, 0x60000000, 0x60004000, T_RES);         /* above ram_top, below the hole */
    in_default(&fx, 1 * GiB);
    compute_ok(&fx);
    ck_assert_uint_eq(out.hole_start, 0x48000000);
}
END_TEST

/* The same island first, then the RAM it sits in (non-RAM still wins). */
START_TEST(test_overlap_reserved_listed_first)
{
    fw_add(&fx, 0x20000000, 0x20010000, T_RES);
    fw_add(&fx, 0x9fc00, 0xa0000, T_RES);
    fw_add(&fx, 0x100000, 0x7ffe0000, T_RAM);
    fw_add(&fx, 0, 0xa0000, T_RAM);                     /* overlaps the 0x9fc00 reserved piece */
    fw_add(&fx, 0x7ff00000, 0x80000000, T_RES);         /* overlaps the end of the RAM entry */
    owned_default(&fx);
    in_default(&fx, 1 * GiB);
    compute_ok(&fx);
}
END_TEST

START_TEST(test_q35_ovmf_1g)
{
    map_q35_ovmf_4g(&fx);
    owned_default(&fx);
    in_default(&fx, 1 * GiB);
    compute_ok(&fx);
}
END_TEST

START_TEST(test_q35_ovmf_1536m)
{
    map_q35_ovmf_4g(&fx);
    owned_default(&fx);
    in_default(&fx, 1536 * MiB);
    compute_ok(&fx);
}
END_TEST

/* dom0 RAM reaching above 4 GiB: the PCI hole gap [0x80000000,0xb0000000)
 * lies below the unpopulated-page hole. */
START_TEST(test_q35_ovmf_3g)
{
    map_q35_ovmf_4g(&fx);
    owned_default(&fx);
    in_default(&fx, 3 * GiB);
    const char *why = NULL;
    int rc = dom0_layout_compute(&fx.in, &out, &why);

    /* Refusing is acceptable; a layout must pass the checker. */
    if (rc) {
        ck_assert_int_eq(rc, -ENOMEM);
        ck_assert(why && *why);
        return;
    }
    const char *p = layout_problem(&fx.in, &out);
    ck_assert_msg(p == NULL, "%s%s", p, dump_layout(&fx.in, &out));
}
END_TEST

START_TEST(test_q35_ovmf_unsorted_with_zero_length)
{
    map_q35_ovmf_4g(&fx);
    fw_add(&fx, 0x40000000, 0x40000000, T_RES);
    fw_add(&fx, 0x123000, 0x123000, T_RAM);
    for (unsigned int i = 0; i < fx.nr_fw; i += 3) {
        unsigned int j = (i * 7 + 5) % fx.nr_fw;
        struct boot_mmap_entry t = fx.fw[i];

        fx.fw[i] = fx.fw[j];
        fx.fw[j] = t;
    }
    owned_default(&fx);
    in_default(&fx, 1 * GiB);
    compute_ok(&fx);
}
END_TEST

/* A reserved island inside the RAM where the hole goes: the hole must not
 * contain it (it would be an e820 entry inside the hole). */
START_TEST(test_reserved_island_in_hole_ram)
{
    map_pc_2g(&fx);
    owned_default(&fx);
    fw_add(&fx, 0x4c000000, 0x4c010000, T_RES);
    in_default(&fx, 1 * GiB);
    const char *why = NULL;
    int rc = dom0_layout_compute(&fx.in, &out, &why);

    if (rc) {
        ck_assert_int_eq(rc, -ENOMEM);
        ck_assert(why && *why);
        return;
    }
    const char *p = layout_problem(&fx.in, &out);
    ck_assert_msg(p == NULL, "%s%s", p, dump_layout(&fx.in, &out));
}
END_TEST

/* Zero-length entries describe nothing: the layout is the same without them. */
START_TEST(test_zero_length_entries_change_nothing)
{
    static struct dom0_layout plain;

    map_pc_2g(&fx);
    owned_default(&fx);
    in_default(&fx, 1 * GiB);
    compute_ok(&fx);
    plain = out;

    fw_add(&fx, 0x20000800, 0x20000800, T_RES);         /* in dom0 RAM, not page aligned */
    fw_add(&fx, 0x30000000, 0x30000000, T_NVS);         /* in dom0 RAM, page aligned */
    fw_add(&fx, 0x4c000000, 0x4c000000, T_RES);         /* in the hole */
    fw_add(&fx, 0x90000000, 0x90000000, T_RAM);         /* nowhere */
    fw_add(&fx, 0x1800, 0x1800, T_RAM);
    in_default(&fx, 1 * GiB);
    compute_ok(&fx);
    ck_assert_msg(out.nr_e820 == plain.nr_e820 &&
                  memcmp(out.e820, plain.e820, sizeof(out.e820)) == 0 &&
                  out.ram.nr == plain.ram.nr &&
                  memcmp(out.ram.r, plain.ram.r, plain.ram.nr * sizeof(out.ram.r[0])) == 0,
                  "zero-length entries changed the layout: ram.nr %u -> %u, nr_e820 %u -> %u, ram_top "
                  "%#llx -> %#llx%s", plain.ram.nr, out.ram.nr, plain.nr_e820, out.nr_e820,
                  (unsigned long long)plain.ram_top, (unsigned long long)out.ram_top,
                  dump_layout(&fx.in, &out));
}
END_TEST

/* RAM running across 4 GiB without a PCI hole: the initrd must still end below 4 GiB. */
START_TEST(test_initrd_below_4g_when_ram_crosses_4g)
{
    fw_add(&fx, 0, 0x9f000, T_RAM);
    fw_add(&fx, 0xf0000, 0x100000, T_RES);
    fw_add(&fx, 0x100000, 0x180000000, T_RAM);
    owned_default(&fx);
    /* ram_top = 4 GiB + 4 MiB. */
    in_default(&fx, (0x9f000 - 0x2000) + 0x100000 + (0x100400000 - 0x800000));
    fx.in.initrd_size = 16 * MiB;
    compute_ok(&fx);
    ck_assert_uint_eq(out.ram_top, 0x100400000);
}
END_TEST

/* The checker itself: every corruption of a good layout is caught. */
START_TEST(test_checker_catches_corruption)
{
    static struct dom0_layout good;

    map_pc_2g(&fx);
    owned_default(&fx);
    in_default(&fx, 1 * GiB);
    compute_ok(&fx);
    good = out;

    for (unsigned int c = 0; c < 12; c++) {
        out = good;
        switch (c) {
        case 0: out.e820[8].type = XEN_HVM_MEMMAP_TYPE_RESERVED; break;  /* dom0 RAM hidden */
        case 1: out.e820[1].type = XEN_HVM_MEMMAP_TYPE_RAM; break;       /* owned page as RAM */
        case 2: out.e820[9].size += 0x1000; break;                       /* UNUSABLE into the hole */
        case 3: out.hole_start += DOM0_HOLE_ALIGN; out.hole_end += DOM0_HOLE_ALIGN; break;
        case 4: out.ram.r[3].end += 0x1000; out.ram_bytes += 0x1000; break;
        case 5: out.ram.r[1].start = 0x8000; break;                      /* into the trampoline */
        case 6: out.start_info_gpa = 0; break;
        case 7: out.initrd_gpa = 0x2000000; break;                       /* on the kernel */
        case 8: out.e820[4].type = XEN_HVM_MEMMAP_TYPE_UNUSABLE; break;   /* reserved as UNUSABLE */
        case 9: out.e820[10].addr += 0x1000; out.e820[10].size -= 0x1000; break; /* a gap after the hole */
        case 10: out.e820[6].size -= 0x1000; out.e820[7].addr -= 0x1000; out.e820[7].size += 0x1000; break;
        case 11: /* split one entry in two of the same type */
            memmove(&out.e820[9], &out.e820[8], (out.nr_e820 - 8) * sizeof(out.e820[0]));
            out.nr_e820++;
            out.e820[8].size = 0x1000;
            out.e820[9].addr += 0x1000;
            out.e820[9].size -= 0x1000;
            break;
        }
        ck_assert_msg(layout_problem(&fx.in, &out) != NULL, "corruption %u not caught", c);
    }
}
END_TEST

/* ---- refusals ---------------------------------------------------------------------- */

START_TEST(test_mem_below_minimum)
{
    map_pc_2g(&fx);
    owned_default(&fx);
    in_default(&fx, DOM0_MIN_MEM - PG);
    compute_err(&fx, -EINVAL);
    in_default(&fx, 0);
    compute_err(&fx, -EINVAL);
}
END_TEST

START_TEST(test_bad_hole_size)
{
    static const uint64_t sizes[] = { 0, 64 * MiB, 192 * MiB, 128 * MiB + PG, 1 };

    map_pc_2g(&fx);
    owned_default(&fx);
    for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
        in_default(&fx, 1 * GiB);
        fx.in.hole_size = sizes[i];
        compute_err(&fx, -EINVAL);
    }
}
END_TEST

START_TEST(test_mem_larger_than_machine)
{
    map_pc_2g(&fx);
    owned_default(&fx);
    in_default(&fx, 4 * GiB);
    compute_err(&fx, -ENOMEM);
    in_default(&fx, 2 * GiB);                           /* 2 GiB less the reserved bits */
    compute_err(&fx, -ENOMEM);
}
END_TEST

START_TEST(test_no_room_for_hole)
{
    map_pc_2g(&fx);
    owned_default(&fx);
    in_default(&fx, 0x78000000);                        /* hole would be [0x80000000, ...) */
    compute_err(&fx, -ENOMEM);
    in_default(&fx, 0x70000000);                        /* ram_top just above 0x70000000 */
    compute_err(&fx, -ENOMEM);

    memset(&fx, 0, sizeof(fx));
    map_q35_ovmf_4g(&fx);
    owned_default(&fx);
    in_default(&fx, 4000 * MiB);                        /* ram_top 0x17af..., RAM ends at 6 GiB */
    compute_err(&fx, -ENOMEM);
}
END_TEST

START_TEST(test_kernel_overlaps_owned)
{
    map_pc_2g(&fx);
    owned_default(&fx);
    owned_add(&fx, 0x2000000, 0x2000100);
    in_default(&fx, 1 * GiB);
    compute_err(&fx, -EINVAL);
}
END_TEST

START_TEST(test_kernel_overlaps_reserved)
{
    map_pc_2g(&fx);
    owned_default(&fx);
    fw_add(&fx, 0x3000000, 0x3000400, T_RES);          /* island inside the RAM entry */
    in_default(&fx, 1 * GiB);
    compute_err(&fx, -EINVAL);

    memset(&fx, 0, sizeof(fx));                         /* split map, ACPI at the kernel's end */
    fw_add(&fx, 0, 0x9fc00, T_RAM);
    fw_add(&fx, 0x100000, 0x4900000, T_RAM);
    fw_add(&fx, 0x4900000, 0x4a00000, T_ACPI);
    fw_add(&fx, 0x4a00000, 0x7ffe0000, T_RAM);
    owned_default(&fx);
    in_default(&fx, 1 * GiB);
    compute_err(&fx, -EINVAL);
}
END_TEST

/* 200 alternating one-page RAM/reserved entries: too many e820 entries. */
START_TEST(test_too_many_entries)
{
    static const unsigned int counts[] = { 200, 300 };

    for (unsigned int c = 0; c < ARRAY_SIZE(counts); c++) {
        memset(&fx, 0, sizeof(fx));
        fw_add(&fx, 0, 0x9f000, T_RAM);
        for (unsigned int i = 0; i < counts[c]; i++)
            fw_add(&fx, 0x100000 + i * PG, 0x100000 + (i + 1) * PG, i % 2 ? T_RES : T_RAM);
        fw_add(&fx, 0x400000, 0x7ffe0000, T_RAM);
        owned_default(&fx);
        in_default(&fx, 1 * GiB);
        compute_err(&fx, -E2BIG);
    }
}
END_TEST

/* ---- random plausible maps ------------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint64_t rnd_range(uint64_t lo, uint64_t hi)         /* [lo, hi] */
{
    return lo + rnd() % (hi - lo + 1);
}

static uint64_t rnd_page(uint64_t lo, uint64_t hi)          /* page in [lo, hi) */
{
    return ALIGN_DOWN(rnd_range(lo, hi - 1), PG);
}

static const uint32_t island_types[] = { T_RES, T_RES, T_ACPI, T_NVS, T_BAD, 7 };

struct island {
    uint64_t s, e;
    uint32_t t;
};

static int cmp_island(const void *a, const void *b)
{
    const struct island *x = a, *y = b;

    return x->s < y->s ? -1 : x->s > y->s;
}

/* RAM [start, end) with islands in it: as pieces around them, or as one RAM entry under them. */
static void gen_ram(struct fixture *f, uint64_t start, uint64_t end, unsigned int nr_islands,
                    int avoid_kernel, int split_only)
{
    struct island is[8];
    unsigned int n = 0;

    for (unsigned int i = 0; i < nr_islands && i < 8; i++) {
        uint64_t size = (rnd() % 4 == 0) ? rnd_range(1, 4096) * PG : rnd_range(1, 16) * PG;
        uint64_t s = rnd_page(start, end - size);

        if (rnd() % 4 == 0)
            s += rnd_range(1, 0xfff) & ~0xfull;             /* firmware bytes, not pages */
        if (s + size > end)
            continue;
        if (avoid_kernel && rnd() % 16 && s < KERNEL_HIGH && s + size > KERNEL_LOW)
            continue;
        is[n++] = (struct island){ s, s + size, island_types[rnd() % ARRAY_SIZE(island_types)] };
    }
    qsort(is, n, sizeof(is[0]), cmp_island);
    unsigned int k = 0;
    for (unsigned int i = 0; i < n; i++)                    /* keep them disjoint */
        if (!k || is[i].s >= is[k - 1].e)
            is[k++] = is[i];
    n = k;

    if (!split_only && rnd() % 2) {
        fw_add(f, start, end, T_RAM);
        for (unsigned int i = 0; i < n; i++)
            fw_add(f, is[i].s, is[i].e, is[i].t);
    } else {
        uint64_t at = start;

        for (unsigned int i = 0; i < n; i++) {
            if (at < is[i].s)
                fw_add(f, at, is[i].s, T_RAM);
            fw_add(f, is[i].s, is[i].e, is[i].t);
            at = is[i].e;
        }
        if (at < end)
            fw_add(f, at, end, T_RAM);
    }
}

/*
 * A plausible map.  'full': islands may also be listed on top of one big
 * RAM entry, and RAM may continue above 4 GiB behind a PCI hole.  Without
 * it, islands split the RAM entries and there is RAM below 4 GiB only.
 */
static uint64_t gen_map(struct fixture *f, int full)
{
    memset(f, 0, sizeof(*f));
    if (rnd() % 2) {
        fw_add(f, 0, 0x9fc00, T_RAM);
        fw_add(f, 0x9fc00, 0xa0000, T_RES);
    } else {
        fw_add(f, 0, 0xa0000, T_RAM);
    }
    if (rnd() % 2)
        fw_add(f, 0xf0000, 0x100000, T_RES);

    uint64_t low_top = 0x100000 + rnd_range(384, 2750) * MiB - (rnd() % 2 ? 0x20000 : 0);
    gen_ram(f, 0x100000, low_top, (unsigned int)(rnd() % 7), 1, !full);
    if (rnd() % 2)
        fw_add(f, low_top, ALIGN_UP(low_top, 2 * MiB) + 0x20000, T_RES);
    if (rnd() % 2)
        fw_add(f, 0xb0000000, 0xc0000000, T_RES);
    fw_add(f, 0xfeffc000, 0xff000000, T_RES);
    fw_add(f, 0xfffc0000, 0x100000000, T_RES);
    if (full && rnd() % 2) {
        uint64_t high = rnd_range(1, 32) * 256 * MiB;

        gen_ram(f, 4 * GiB, 4 * GiB + high, (unsigned int)(rnd() % 3), 0, 0);
    }
    for (unsigned int i = (unsigned int)(rnd() % 3); i > 0; i--) {
        uint64_t a = rnd() % (6 * GiB);

        fw_add(f, a, a, rnd() % 2 ? T_RAM : T_RES);
    }
    if (rnd() % 3 == 0) {
        for (unsigned int i = f->nr_fw; i > 1; i--) {
            unsigned int j = (unsigned int)(rnd() % i);
            struct boot_mmap_entry t = f->fw[i - 1];

            f->fw[i - 1] = f->fw[j];
            f->fw[j] = t;
        }
    }

    if (rnd() % 4)
        owned_add(f, 0x200000, 0x800000);
    for (unsigned int i = (unsigned int)rnd_range(1, 4); i > 0; i--) {
        uint64_t s = rnd_page(0x1000, 16 * MiB);

        owned_add(f, s, s + rnd_range(1, 3) * PG - (rnd() % 2 ? 0x200 : 0));
    }

    /* The firmware's free RAM, as the checker sees it. */
    struct memmap m;
    memmap_init(&m);
    for (unsigned int i = 0; i < f->nr_fw; i++)
        if (f->fw[i].type == T_RAM)
            memmap_add(&m, f->fw[i].addr, f->fw[i].addr + f->fw[i].len);
    for (unsigned int i = 0; i < f->nr_fw; i++)
        if (f->fw[i].type != T_RAM)
            memmap_remove(&m, f->fw[i].addr, f->fw[i].addr + f->fw[i].len);
    return memmap_total(&m);
}

#define RANDOM_ITERATIONS 3000

static void random_maps(int full, uint64_t seed)
{
    static struct { char name[40]; unsigned int count; } kinds[16];
    static char first[sizeof(problem) + 16384 + 64];
    unsigned int nr_kinds = 0, ok = 0, bad = 0, refused[3] = { 0 };

    rng_state = seed;
    first[0] = 0;
    memset(kinds, 0, sizeof(kinds));
    for (unsigned int it = 0; it < RANDOM_ITERATIONS; it++) {
        uint64_t total = gen_map(&fx, full);
        uint64_t span = total > 384 * MiB ? total - 384 * MiB : 0;

        in_default(&fx, ALIGN_DOWN(128 * MiB + (span ? rnd() % span : 0), PG));
        fx.in.hole_size = (rnd() % 4 ? 1 : 2) * DOM0_HOLE_ALIGN;
        fx.in.initrd_size = rnd() % 8 ? rnd_range(1, 64 * MiB) : 0;
        fx.in.start_info_size = rnd_range(56, 0x3000);

        const char *why = NULL;
        int rc = dom0_layout_compute(&fx.in, &out, &why);

        if (rc) {
            ck_assert_msg(rc == -EINVAL || rc == -ENOMEM || rc == -E2BIG,
                          "iteration %u: undocumented error %d%s", it, rc, dump_layout(&fx.in, &out));
            ck_assert_msg(why && *why, "iteration %u: error %d without a reason", it, rc);
            refused[rc == -EINVAL ? 0 : rc == -ENOMEM ? 1 : 2]++;
            continue;
        }
        const char *p = layout_problem(&fx.in, &out);
        if (!p) {
            ok++;
            continue;
        }
        bad++;
        size_t len = strcspn(p, ":");
        unsigned int k;
        for (k = 0; k < nr_kinds; k++)
            if (strlen(kinds[k].name) == len && !strncmp(kinds[k].name, p, len))
                break;
        if (k == nr_kinds && nr_kinds < ARRAY_SIZE(kinds)) {
            snprintf(kinds[k].name, sizeof(kinds[k].name), "%.*s", (int)len, p);
            nr_kinds++;
            if (!first[0])
                snprintf(first, sizeof(first), "iteration %u: %s%s", it, p, dump_layout(&fx.in, &out));
        }
        if (k < nr_kinds)
            kinds[k].count++;
    }
    if (bad) {
        char summary[1024];
        size_t len = 0;

        for (unsigned int k = 0; k < nr_kinds; k++)
            len += (size_t)snprintf(summary + len, sizeof(summary) - len, " %s x%u", kinds[k].name,
                                    kinds[k].count);
        ck_abort_msg("%u of %u layouts are wrong (%u good, refused EINVAL %u ENOMEM %u E2BIG %u):%s; "
                     "first: %s", bad, RANDOM_ITERATIONS, ok, refused[0], refused[1], refused[2], summary,
                     first);
    }
    /* Not vacuous: most plausible maps do give a layout. */
    ck_assert_msg(ok >= RANDOM_ITERATIONS / 3, "only %u of %u layouts (EINVAL %u ENOMEM %u E2BIG %u)", ok,
                  RANDOM_ITERATIONS, refused[0], refused[1], refused[2]);
}

/* Everything: overlapping islands, RAM above 4 GiB, unsorted, zero-length entries. */
START_TEST(test_random_maps)
{
    random_maps(1, 0x5eed0d0e1a7f00dull);
}
END_TEST

/* RAM below 4 GiB only, islands splitting it (no overlaps); still unsorted and zero-length entries. */
START_TEST(test_random_maps_low_split)
{
    random_maps(0, 0x0dd5eed5a1ad00dull);
}
END_TEST

Suite *dom0_layout_suite(void)
{
    Suite *s = suite_create("dom0_layout");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_pc_2g_exact_layout);
    tcase_add_test(tc, test_pc_2g_minimum_mem);
    tcase_add_test(tc, test_pc_2g_largest_mem);
    tcase_add_test(tc, test_pc_2g_hole_256m);
    tcase_add_test(tc, test_pc_2g_no_initrd);
    tcase_add_test(tc, test_pc_2g_unsorted);
    tcase_add_test(tc, test_pc_overlapping_reserved_in_ram);
    tcase_add_test(tc, test_overlap_reserved_listed_first);
    tcase_add_test(tc, test_q35_ovmf_1g);
    tcase_add_test(tc, test_q35_ovmf_1536m);
    tcase_add_test(tc, test_q35_ovmf_3g);
    tcase_add_test(tc, test_q35_ovmf_unsorted_with_zero_length);
    tcase_add_test(tc, test_reserved_island_in_hole_ram);
    tcase_add_test(tc, test_zero_length_entries_change_nothing);
    tcase_add_test(tc, test_initrd_below_4g_when_ram_crosses_4g);
    tcase_add_test(tc, test_checker_catches_corruption);
    tcase_add_test(tc, test_mem_below_minimum);
    tcase_add_test(tc, test_bad_hole_size);
    tcase_add_test(tc, test_mem_larger_than_machine);
    tcase_add_test(tc, test_no_room_for_hole);
    tcase_add_test(tc, test_kernel_overlaps_owned);
    tcase_add_test(tc, test_kernel_overlaps_reserved);
    tcase_add_test(tc, test_too_many_entries);
    tcase_add_test(tc, test_random_maps);
    tcase_add_test(tc, test_random_maps_low_split);
    suite_add_tcase(s, tc);
    return s;
}
