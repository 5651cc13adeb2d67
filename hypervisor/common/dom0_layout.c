/* dom0's memory layout from the firmware map (see sv/dom0_layout.h). */
#include <sv/dom0_layout.h>
#include <sv/errno.h>
#include <sv/string.h>

#define MiB (1ull << 20)

static int refuse(const char **why, const char *what, int rc)
{
    *why = what;
    return rc;
}

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* Firmware RAM in [0, limit), less what the hypervisor owns. */
static int ram_below(const struct dom0_layout_in *in, uint64_t limit, struct memmap *m)
{
    memmap_init(m);
    for (unsigned int i = 0; i < in->nr_fw; i++) {
        const struct boot_mmap_entry *e = &in->fw[i];
        uint64_t start = ALIGN_UP(e->addr, PAGE_SIZE);
        uint64_t end = min_u64(ALIGN_DOWN(e->addr + e->len, PAGE_SIZE), limit);

        if (e->type == MB2_MEM_AVAILABLE && start < end && memmap_add(m, start, end))
            return -E2BIG;
    }
    /* A RAM byte the firmware also calls something else is not RAM. */
    for (unsigned int i = 0; i < in->nr_fw; i++) {
        const struct boot_mmap_entry *e = &in->fw[i];

        if (e->type != MB2_MEM_AVAILABLE && e->len &&
            memmap_remove(m, ALIGN_DOWN(e->addr, PAGE_SIZE), ALIGN_UP(e->addr + e->len, PAGE_SIZE)))
            return -E2BIG;
    }
    for (unsigned int i = 0; i < in->nr_owned; i++)
        if (memmap_remove(m, ALIGN_DOWN(in->owned[i].start, PAGE_SIZE),
                          ALIGN_UP(in->owned[i].end, PAGE_SIZE)))
            return -E2BIG;
    return 0;
}

/* The lowest address below which dom0 would have 'mem' bytes of RAM. */
static uint64_t top_for(const struct memmap *all, uint64_t mem)
{
    uint64_t sum = 0;

    for (unsigned int i = 0; i < all->nr; i++) {
        uint64_t len = all->r[i].end - all->r[i].start;

        if (sum + len >= mem)
            return all->r[i].start + (mem - sum);
        sum += len;
    }
    return 0;
}

/* Whether [start, end) is firmware RAM and nothing else (the hole must
 * meet no entry of dom0's e820). */
static bool fw_ram_covers(const struct dom0_layout_in *in, uint64_t start, uint64_t end)
{
    struct memmap m;

    memmap_init(&m);
    for (unsigned int i = 0; i < in->nr_fw; i++)
        if (in->fw[i].type == MB2_MEM_AVAILABLE && in->fw[i].len)
            memmap_add(&m, in->fw[i].addr, in->fw[i].addr + in->fw[i].len);
    for (unsigned int i = 0; i < in->nr_fw; i++)
        if (in->fw[i].type != MB2_MEM_AVAILABLE && in->fw[i].len)
            memmap_remove(&m, in->fw[i].addr, in->fw[i].addr + in->fw[i].len);
    return memmap_contains(&m, start, end);
}

/* Linux takes the first 128 MiB-aligned gap of the e820 from address 0:
 * no gap below the hole may hold one (a PCI window below 4 GiB would). */
static bool hole_is_first_fit(const struct dom0_layout *out)
{
    uint64_t prev_end = 0;

    for (unsigned int i = 0; i <= out->nr_e820; i++) {
        uint64_t next = i < out->nr_e820 ? out->e820[i].addr : UINT64_MAX;
        uint64_t fit = ALIGN_UP(prev_end, DOM0_HOLE_ALIGN);

        if (next > prev_end && fit < out->hole_start && fit + DOM0_HOLE_ALIGN <= next &&
            fit + DOM0_HOLE_ALIGN > fit)
            return false;
        if (i < out->nr_e820)
            prev_end = max_u64(prev_end, out->e820[i].addr + out->e820[i].size);
    }
    return true;
}

static int add_entry(struct dom0_layout *out, uint64_t addr, uint64_t end, uint32_t type)
{
    struct hvm_memmap_table_entry *last = out->nr_e820 ? &out->e820[out->nr_e820 - 1] : NULL;

    if (addr >= end)
        return 0;
    if (last && last->type == type && last->addr + last->size == addr) {
        last->size += end - addr;
        return 0;
    }
    if (out->nr_e820 == DOM0_E820_MAX)
        return -E2BIG;
    out->e820[out->nr_e820++] = (struct hvm_memmap_table_entry){ .addr = addr, .size = end - addr,
                                                                  .type = type };
    return 0;
}

/* The e820 type dom0 sees for byte x of a firmware range of 'fw_type'. */
static uint32_t type_at(const struct dom0_layout *out, uint32_t fw_type, uint64_t x)
{
    switch (fw_type) {
    case MB2_MEM_AVAILABLE:
        if (x >= out->hole_start && x < out->hole_end)
            return 0;                           /* the hole: no entry */
        for (unsigned int i = 0; i < out->ram.nr; i++)
            if (x >= out->ram.r[i].start && x < out->ram.r[i].end)
                return XEN_HVM_MEMMAP_TYPE_RAM;
        return XEN_HVM_MEMMAP_TYPE_UNUSABLE;
    case MB2_MEM_ACPI_RECLAIM: return XEN_HVM_MEMMAP_TYPE_ACPI;
    case MB2_MEM_NVS: return XEN_HVM_MEMMAP_TYPE_NVS;
    case MB2_MEM_BAD: return XEN_HVM_MEMMAP_TYPE_UNUSABLE;
    default: return XEN_HVM_MEMMAP_TYPE_RESERVED;
    }
}

/* Where in [start, end) the type at 'x' stops changing: the next boundary. */
static uint64_t next_boundary(const struct dom0_layout *out, uint64_t x, uint64_t end)
{
    uint64_t b = end;

    if (x < out->hole_start)
        b = min_u64(b, out->hole_start);
    else if (x < out->hole_end)
        b = min_u64(b, out->hole_end);
    for (unsigned int i = 0; i < out->ram.nr; i++) {
        if (x < out->ram.r[i].start)
            b = min_u64(b, out->ram.r[i].start);
        else if (x < out->ram.r[i].end)
            b = min_u64(b, out->ram.r[i].end);
    }
    return max_u64(b, x + 1);
}

/*
 * The firmware map, sorted, with overlaps resolved in favour of the later
 * (non-RAM) entry, cut at every boundary of dom0's RAM and the hole.
 */
static int build_e820(const struct dom0_layout_in *in, struct dom0_layout *out)
{
    uint64_t cursor = 0;

    out->nr_e820 = 0;
    for (;;) {
        /* The lowest firmware byte at or after cursor, and its entry. */
        int best = -1;
        uint64_t best_start = UINT64_MAX;

        for (unsigned int i = 0; i < in->nr_fw; i++) {
            uint64_t s = max_u64(in->fw[i].addr, cursor), e = in->fw[i].addr + in->fw[i].len;

            if (s >= e)
                continue;
            /* Non-RAM wins where entries overlap. */
            if (s < best_start || (s == best_start && in->fw[i].type != MB2_MEM_AVAILABLE)) {
                best = (int)i;
                best_start = s;
            }
        }
        if (best < 0)
            return 0;
        const struct boot_mmap_entry *e = &in->fw[best];
        uint64_t end = e->addr + e->len;
        /* Stop where another entry starts, so that an overlapping one is seen. */
        for (unsigned int i = 0; i < in->nr_fw; i++)
            if (in->fw[i].addr > best_start && in->fw[i].addr < end && in->fw[i].len)
                end = in->fw[i].addr;
        for (uint64_t x = best_start; x < end;) {
            uint64_t b = next_boundary(out, x, end);
            uint32_t t = type_at(out, e->type, x);

            if (t && add_entry(out, x, b, t))
                return -E2BIG;
            x = b;
        }
        cursor = end;
    }
}

int dom0_layout_compute(const struct dom0_layout_in *in, struct dom0_layout *out, const char **why)
{
    struct memmap all;

    *why = "";
    memset(out, 0, sizeof(*out));
    if (in->mem < DOM0_MIN_MEM)
        return refuse(why, "dom0_mem is below 128 MiB", -EINVAL);
    if (!in->hole_size || in->hole_size % DOM0_HOLE_ALIGN)
        return refuse(why, "the hole must be a multiple of 128 MiB", -EINVAL);
    if (ram_below(in, UINT64_MAX, &all))
        return refuse(why, "the firmware map has too many ranges", -E2BIG);
    out->ram_top = ALIGN_UP(top_for(&all, in->mem), PAGE_SIZE);
    if (!out->ram_top)
        return refuse(why, "the machine has less RAM than dom0_mem", -ENOMEM);
    out->hole_start = ALIGN_UP(out->ram_top, DOM0_HOLE_ALIGN);
    out->hole_end = out->hole_start + in->hole_size;
    /* The hole must lie in RAM that dom0 does not get, so that nothing
     * above it (PCI windows) is the first gap Linux finds. */
    if (!fw_ram_covers(in, out->hole_start, out->hole_end))
        return refuse(why, "no firmware RAM for the unpopulated-page hole above dom0's RAM "
                           "(lower dom0_mem)", -ENOMEM);
    if (ram_below(in, out->ram_top, &out->ram))
        return refuse(why, "the firmware map has too many ranges", -E2BIG);
    out->ram_bytes = memmap_total(&out->ram);
    if (!memmap_contains(&out->ram, ALIGN_DOWN(in->kernel_low, PAGE_SIZE),
                         ALIGN_UP(in->kernel_high, PAGE_SIZE)))
        return refuse(why, "the kernel's load addresses are not dom0 RAM", -EINVAL);
    /* Low RAM for the start info (Linux wants it, the memmap and the
     * modlist below 1 GiB; below 1 MiB keeps it out of the kernel's way). */
    for (unsigned int i = 0; i < out->ram.nr && !out->start_info_gpa; i++) {
        uint64_t s = max_u64(out->ram.r[i].start, 0x1000), e = min_u64(out->ram.r[i].end, MiB);

        if (s + ALIGN_UP(in->start_info_size, PAGE_SIZE) <= e)
            out->start_info_gpa = s;
    }
    if (!out->start_info_gpa)
        return refuse(why, "no RAM below 1 MiB for the start info", -ENOMEM);
    /* The initrd at the top of the highest range that holds it, above the kernel. */
    if (in->initrd_size) {
        uint64_t size = ALIGN_UP(in->initrd_size, PAGE_SIZE);

        for (unsigned int i = out->ram.nr; i-- > 0 && !out->initrd_gpa;) {
            uint64_t e = min_u64(out->ram.r[i].end, 1ull << 32);
            uint64_t s = max_u64(out->ram.r[i].start, ALIGN_UP(in->kernel_high, PAGE_SIZE));

            if (e >= s + size)
                out->initrd_gpa = e - size;     /* wholly below 4 GiB */
        }
        if (!out->initrd_gpa)
            return refuse(why, "no dom0 RAM below 4 GiB above the kernel for the initrd", -ENOMEM);
    }
    if (build_e820(in, out))
        return refuse(why, "dom0's e820 has more than 127 entries", -E2BIG);
    if (!hole_is_first_fit(out))
        return refuse(why, "a gap below dom0's hole (a PCI window) would take Linux's "
                           "grant and foreign mappings: lower dom0_mem", -ENOMEM);
    return 0;
}
