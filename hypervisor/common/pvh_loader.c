/*
 * PVH domain loader: ELF64 parsing, segment loading and the hvm_start_info
 * block (Xen's docs/misc/pvh.pandoc).
 *
 * References:
 *   [gABI]  System V ABI, "Object Files" chapter (ELF header, program
 *           header, sections, note sections), and ELF-64 Object File
 *           Format 1.5 for the 64-bit layouts.
 *   [PVH]   Xen docs/misc/pvh.pandoc: the kernel advertises a 32-bit
 *           physical entry point in a XEN_ELFNOTE_PHYS32_ENTRY note; it is
 *           entered in 32-bit protected mode, paging off, with %ebx holding
 *           the physical address of struct hvm_start_info.
 *   [libelf] Xen's xen/common/libelf, whose behaviour is followed where the
 *           documents are silent (note alignment, the PT_NOTE-then-SHT_NOTE
 *           lookup order, numeric note sizes).
 *
 * The image is trusted for nothing.  Every table, segment and note is
 * checked against the image size before it is read; sums are written so
 * that they cannot wrap; every multi-byte field is read with memcpy,
 * because the image need not be aligned (and UBSan checks that on the
 * host).
 */
#include <sv/pvh_loader.h>
#include <sv/errno.h>
#include <sv/string.h>

/* ---- ELF64 definitions ([gABI]); only what the loader reads ------------- */

#define EI_NIDENT     16
#define EI_CLASS      4
#define EI_DATA       5
#define EI_VERSION    6
#define ELFCLASS64    2
#define ELFDATA2LSB   1
#define EV_CURRENT    1
#define ET_EXEC       2
#define EM_X86_64     62
#define PT_LOAD       1
#define PT_NOTE       4
#define SHT_NOTE      7
#define PN_XNUM       0xffff    /* e_phnum escape for >= 0xffff entries */

static const uint8_t elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

struct elf64_ehdr {
    uint8_t  e_ident[EI_NIDENT];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff;
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
};

struct elf64_phdr {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
};

struct elf64_shdr {
    uint32_t sh_name;
    uint32_t sh_type;
    uint64_t sh_flags;
    uint64_t sh_addr;
    uint64_t sh_offset;
    uint64_t sh_size;
    uint32_t sh_link;
    uint32_t sh_info;
    uint64_t sh_addralign;
    uint64_t sh_entsize;
};

/* [gABI] "Note Section": namesz, descsz, type, then name and desc. */
struct elf64_nhdr {
    uint32_t n_namesz;
    uint32_t n_descsz;
    uint32_t n_type;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 phdr is 56 bytes");
_Static_assert(sizeof(struct elf64_shdr) == 64, "ELF64 shdr is 64 bytes");
_Static_assert(sizeof(struct elf64_nhdr) == 12, "note header is 12 bytes");

/* The owner name of Xen's notes, NUL included ([libelf] compares it with
 * strcmp, so the terminator must be part of namesz). */
static const char xen_note_name[4] = "Xen";

/* ---- parsing ------------------------------------------------------------ */

struct elf_reader {
    const uint8_t *base;
    size_t size;
    struct elf_pvh_info *out;
    const char *why;
    struct elf64_ehdr eh;
    unsigned int xen_notes;     /* Xen-owned notes seen, of any type */
    bool have_phys32_entry;
};

static int reject(struct elf_reader *r, const char *why)
{
    r->why = why;
    return -EINVAL;
}

/* [off, off+len) lies inside the image; written so nothing can wrap. */
static bool in_image(const struct elf_reader *r, uint64_t off, uint64_t len)
{
    return off <= r->size && len <= r->size - off;
}

/* The exclusive end addr+len is representable. */
static bool range_fits(uint64_t addr, uint64_t len)
{
    return len <= UINT64_MAX - addr;
}

static uint64_t align_up64(uint64_t v, uint64_t align)
{
    return (v + align - 1) & ~(align - 1);
}

/* strnlen, kept local: hosted C11 only declares it under POSIX. */
static size_t string_len_bounded(const char *s, size_t max)
{
    size_t len = 0;

    while (len < max && s[len] != '\0')
        len++;
    return len;
}

/* [gABI] "ELF Identification" and "ELF Header". */
static int check_ehdr(struct elf_reader *r)
{
    const struct elf64_ehdr *eh = &r->eh;

    if (memcmp(eh->e_ident, elf_magic, sizeof(elf_magic)) != 0)
        return reject(r, "not an ELF file");
    if (eh->e_ident[EI_CLASS] != ELFCLASS64)
        return reject(r, "not ELFCLASS64");
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return reject(r, "not little-endian");
    if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
        return reject(r, "unknown ELF version");
    if (eh->e_machine != EM_X86_64)
        return reject(r, "not an x86-64 ELF");
    if (eh->e_type != ET_EXEC)
        return reject(r, "not an executable (ET_EXEC)");
    if (eh->e_ehsize != sizeof(struct elf64_ehdr))
        return reject(r, "bad e_ehsize");
    return 0;
}

/* The program header table: entries of exactly sizeof(Elf64_Phdr) (what
 * every linker emits), at least one, no PN_XNUM extended numbering. */
static int check_phdr_table(struct elf_reader *r)
{
    const struct elf64_ehdr *eh = &r->eh;

    if (eh->e_phnum == 0)
        return reject(r, "no program headers");
    if (eh->e_phnum == PN_XNUM)
        return reject(r, "extended program header numbering");
    if (eh->e_phentsize != sizeof(struct elf64_phdr))
        return reject(r, "bad e_phentsize");
    /* Both factors are 16-bit: the product cannot wrap. */
    if (!in_image(r, eh->e_phoff,
                  (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr)))
        return reject(r, "program header table outside the image");
    return 0;
}

static void read_phdr(const struct elf_reader *r, unsigned int i,
                      struct elf64_phdr *ph)
{
    memcpy(ph, r->base + r->eh.e_phoff + (uint64_t)i * sizeof(*ph),
           sizeof(*ph));
}

/* [gABI] "Program Header": p_filesz <= p_memsz, file bytes in the file.
 * PVH loads by physical address ([PVH]: paging is off at entry). */
static int collect_load(struct elf_reader *r, const struct elf64_phdr *ph)
{
    struct elf_pvh_info *out = r->out;
    struct elf_pvh_segment *seg;

    if (ph->p_filesz > ph->p_memsz)
        return reject(r, "PT_LOAD with p_filesz > p_memsz");
    if (!in_image(r, ph->p_offset, ph->p_filesz))
        return reject(r, "PT_LOAD file bytes outside the image");
    if (!range_fits(ph->p_paddr, ph->p_memsz))
        return reject(r, "PT_LOAD physical range wraps");
    if (ph->p_memsz == 0)
        return 0;                   /* loads nothing */
    if (out->nr_segments == ELF_PVH_MAX_SEGMENTS) {
        r->why = "too many PT_LOAD segments";
        return -E2BIG;
    }
    seg = &out->segments[out->nr_segments++];
    seg->paddr = ph->p_paddr;
    seg->offset = ph->p_offset;
    seg->filesz = ph->p_filesz;
    seg->memsz = ph->p_memsz;
    seg->flags = ph->p_flags & (ELF_PVH_PF_R | ELF_PVH_PF_W | ELF_PVH_PF_X);
    return 0;
}

/* Two loads into the same guest-physical bytes would make the result
 * depend on the load order; no sane kernel has them. */
static bool segments_overlap(const struct elf_pvh_segment *a,
                             const struct elf_pvh_segment *b)
{
    return a->paddr < b->paddr + b->memsz && b->paddr < a->paddr + a->memsz;
}

static int check_overlaps_and_bounds(struct elf_reader *r)
{
    struct elf_pvh_info *out = r->out;
    unsigned int i, j;

    if (out->nr_segments == 0)
        return reject(r, "no PT_LOAD segment");
    out->paddr_low = UINT64_MAX;
    out->paddr_high = 0;
    for (i = 0; i < out->nr_segments; i++) {
        const struct elf_pvh_segment *a = &out->segments[i];

        for (j = i + 1; j < out->nr_segments; j++)
            if (segments_overlap(a, &out->segments[j]))
                return reject(r, "PT_LOAD segments overlap");
        out->paddr_low = MIN(out->paddr_low, a->paddr);
        out->paddr_high = MAX(out->paddr_high, a->paddr + a->memsz);
    }
    return 0;
}

/* [libelf] elf_note_numeric: a little-endian value; Linux emits PHYS32_ENTRY
 * as .long or as a .quad (_ASM_PTR on x86-64), so 4 and 8 are accepted. */
static bool note_numeric(const uint8_t *desc, uint32_t descsz, uint64_t *val)
{
    uint32_t v32;

    if (descsz == sizeof(uint32_t)) {
        memcpy(&v32, desc, sizeof(v32));
        *val = v32;
        return true;
    }
    if (descsz == sizeof(uint64_t)) {
        memcpy(val, desc, sizeof(*val));
        return true;
    }
    return false;
}

/*
 * A string note: the bytes of desc up to its first NUL, or all of desc.
 * <xen/elfnote.h> says "string", but Linux emits FEATURES with .ascii (no
 * NUL inside descsz; [libelf] reads on into the zero padding), so the
 * terminator is optional here and the string never extends past desc.  A
 * string that does not fit its buffer is refused rather than silently
 * shortened (a cut FEATURES string could drop a required "!feature").
 */
static int note_string(struct elf_reader *r, const uint8_t *desc,
                       uint32_t descsz, char *dst, size_t dst_size)
{
    size_t len = string_len_bounded((const char *)desc, descsz);

    if (len >= dst_size)
        return reject(r, "Xen string note too long");
    memcpy(dst, desc, len);
    dst[len] = '\0';
    return 0;
}

static int note_phys32_entry(struct elf_reader *r, const uint8_t *desc,
                             uint32_t descsz)
{
    uint64_t entry;

    if (!note_numeric(desc, descsz, &entry))
        return reject(r, "PHYS32_ENTRY note: descsz not 4 or 8");
    if (entry > UINT32_MAX)
        return reject(r, "PHYS32_ENTRY above 4 GiB");
    if (r->have_phys32_entry && r->out->phys32_entry != (uint32_t)entry)
        return reject(r, "conflicting PHYS32_ENTRY notes");
    r->out->phys32_entry = (uint32_t)entry;
    r->have_phys32_entry = true;
    return 0;
}

/* <xen/elfnote.h>: a XENFEAT_* bitmap of 32-bit words; only submap 0
 * exists (XENFEAT_NR_SUBMAPS == 1).  Repeated notes accumulate, as in
 * [libelf]. */
static int note_supported_features(struct elf_reader *r, const uint8_t *desc,
                                   uint32_t descsz)
{
    uint32_t word;

    if (descsz < sizeof(word) || descsz % sizeof(word) != 0)
        return reject(r, "SUPPORTED_FEATURES note: bad descsz");
    memcpy(&word, desc, sizeof(word));
    r->out->supported_features |= word;
    r->out->have_supported_features = true;
    return 0;
}

/* One note owned by "Xen"; types the loader does not use are skipped. */
static int handle_xen_note(struct elf_reader *r, uint32_t type,
                           const uint8_t *desc, uint32_t descsz)
{
    struct elf_pvh_info *out = r->out;

    r->xen_notes++;
    switch (type) {
    case XEN_ELFNOTE_PHYS32_ENTRY:
        return note_phys32_entry(r, desc, descsz);
    case XEN_ELFNOTE_GUEST_OS:
        return note_string(r, desc, descsz, out->guest_os,
                           sizeof(out->guest_os));
    case XEN_ELFNOTE_XEN_VERSION:
        return note_string(r, desc, descsz, out->xen_version,
                           sizeof(out->xen_version));
    case XEN_ELFNOTE_LOADER:
        return note_string(r, desc, descsz, out->loader, sizeof(out->loader));
    case XEN_ELFNOTE_FEATURES:
        return note_string(r, desc, descsz, out->features,
                           sizeof(out->features));
    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        return note_supported_features(r, desc, descsz);
    default:
        return 0;
    }
}

static bool is_xen_note(const uint8_t *name, uint32_t namesz)
{
    return namesz == sizeof(xen_note_name) &&
           memcmp(name, xen_note_name, sizeof(xen_note_name)) == 0;
}

/* [gABI] says 64-bit notes use 8-byte words, but Linux, Xen and the GNU
 * tools all pad to 4 unless the container asks for 8 (readelf does the
 * same: p_align/sh_addralign of 8 selects 8, anything else 4). */
static uint64_t note_alignment(uint64_t container_align)
{
    return container_align == 8 ? 8 : 4;
}

/*
 * Walk the notes in image bytes [off, off+len) (already checked to be in
 * the image).  As in binutils (ELF_NOTE_DESC_OFFSET/ELF_NOTE_NEXT_OFFSET),
 * desc starts at the header plus name rounded up to the alignment, and
 * the next note at desc plus descsz rounded up, both counted from the
 * note's start; notes start aligned, so rounding container offsets is the
 * same.  Name and desc must lie inside the container; only the padding
 * after the last desc may be missing.
 */
static int scan_notes(struct elf_reader *r, uint64_t off, uint64_t len,
                      uint64_t align)
{
    const uint8_t *p = r->base + off;
    uint64_t pos = 0;

    while (pos < len) {
        struct elf64_nhdr nh;
        uint64_t name_off, desc_off;
        int rc;

        if (len - pos < sizeof(nh))
            return reject(r, "truncated note header");
        memcpy(&nh, p + pos, sizeof(nh));
        name_off = pos + sizeof(nh);
        if (nh.n_namesz > len - name_off)
            return reject(r, "note name past the end of its container");
        /* len <= SIZE_MAX and namesz, descsz < 2^32: no sum can wrap. */
        desc_off = align_up64(name_off + nh.n_namesz, align);
        if (desc_off > len || nh.n_descsz > len - desc_off)
            return reject(r, "note desc past the end of its container");
        if (is_xen_note(p + name_off, nh.n_namesz)) {
            rc = handle_xen_note(r, nh.n_type, p + desc_off, nh.n_descsz);
            if (rc)
                return rc;
        }
        pos = align_up64(desc_off + nh.n_descsz, align);
    }
    return 0;
}

static int scan_note_segments(struct elf_reader *r)
{
    unsigned int i;
    int rc;

    for (i = 0; i < r->eh.e_phnum; i++) {
        struct elf64_phdr ph;

        read_phdr(r, i, &ph);
        if (ph.p_type != PT_NOTE)
            continue;
        if (!in_image(r, ph.p_offset, ph.p_filesz))
            return reject(r, "PT_NOTE outside the image");
        rc = scan_notes(r, ph.p_offset, ph.p_filesz,
                        note_alignment(ph.p_align));
        if (rc)
            return rc;
    }
    return 0;
}

/*
 * [libelf] elf_xen_parse: only when no PT_NOTE holds a Xen note are the
 * SHT_NOTE sections searched.  The section header table is validated only
 * then, since nothing else here reads it.  e_shnum == 0 (no sections, or
 * the extended numbering of >= 0xff00 sections) means nothing to search.
 */
static int scan_note_sections(struct elf_reader *r)
{
    const struct elf64_ehdr *eh = &r->eh;
    unsigned int i;
    int rc;

    if (eh->e_shoff == 0 || eh->e_shnum == 0)
        return 0;
    if (eh->e_shentsize != sizeof(struct elf64_shdr))
        return reject(r, "bad e_shentsize");
    if (!in_image(r, eh->e_shoff,
                  (uint64_t)eh->e_shnum * sizeof(struct elf64_shdr)))
        return reject(r, "section header table outside the image");
    for (i = 0; i < eh->e_shnum; i++) {
        struct elf64_shdr sh;

        memcpy(&sh, r->base + eh->e_shoff + (uint64_t)i * sizeof(sh),
               sizeof(sh));
        if (sh.sh_type != SHT_NOTE)
            continue;
        if (!in_image(r, sh.sh_offset, sh.sh_size))
            return reject(r, "SHT_NOTE section outside the image");
        rc = scan_notes(r, sh.sh_offset, sh.sh_size,
                        note_alignment(sh.sh_addralign));
        if (rc)
            return rc;
    }
    r->out->notes_from_sections = r->xen_notes != 0;
    return 0;
}

/* The entry must be code the loader actually copies: inside the file
 * bytes of some PT_LOAD (the zeroed tail would be a guaranteed crash). */
static int check_entry(struct elf_reader *r)
{
    const struct elf_pvh_info *out = r->out;
    unsigned int i;

    for (i = 0; i < out->nr_segments; i++) {
        const struct elf_pvh_segment *seg = &out->segments[i];

        if (out->phys32_entry >= seg->paddr &&
            out->phys32_entry - seg->paddr < seg->filesz)
            return 0;
    }
    return reject(r, "PHYS32_ENTRY outside the loaded file bytes");
}

static int collect_loads(struct elf_reader *r)
{
    unsigned int i;
    int rc;

    for (i = 0; i < r->eh.e_phnum; i++) {
        struct elf64_phdr ph;

        read_phdr(r, i, &ph);
        if (ph.p_type != PT_LOAD)
            continue;
        rc = collect_load(r, &ph);
        if (rc)
            return rc;
    }
    return check_overlaps_and_bounds(r);
}

static int parse(struct elf_reader *r)
{
    int rc;

    if (r->size < sizeof(r->eh))
        return reject(r, "shorter than an ELF64 header");
    memcpy(&r->eh, r->base, sizeof(r->eh));
    rc = check_ehdr(r);
    if (!rc)
        rc = check_phdr_table(r);
    if (!rc)
        rc = collect_loads(r);
    if (!rc)
        rc = scan_note_segments(r);
    if (!rc && r->xen_notes == 0)
        rc = scan_note_sections(r);
    if (rc)
        return rc;
    if (!r->have_phys32_entry) {
        r->why = "no XEN_ELFNOTE_PHYS32_ENTRY note: not a PVH kernel";
        return -ENOENT;
    }
    return check_entry(r);
}

int elf_pvh_parse(const void *image, size_t size, struct elf_pvh_info *out,
                  const char **why)
{
    struct elf_reader r = {
        .base = image,
        .size = size,
        .out = out,
        .why = "bad arguments",
    };
    int rc;

    if (image == NULL || out == NULL) {
        rc = -EINVAL;
    } else {
        memset(out, 0, sizeof(*out));
        out->image_size = size;
        rc = parse(&r);
    }
    if (why)
        *why = rc ? r.why : NULL;
    return rc;
}

/* ---- loading ------------------------------------------------------------ */

/* Callbacks return 0 or a negative errno; anything else is a broken
 * callback, reported as the documented failure. */
static int callback_result(int rc)
{
    return rc > 0 ? -EFAULT : rc;
}

static bool segment_consistent(const struct elf_pvh_info *info,
                               const struct elf_pvh_segment *seg)
{
    return seg->filesz <= seg->memsz &&
           seg->offset <= info->image_size &&
           seg->filesz <= info->image_size - seg->offset &&
           range_fits(seg->paddr, seg->memsz);
}

static int load_segment(const uint8_t *image, const struct elf_pvh_segment *seg,
                        const struct guest_mem_ops *ops, void *ctx)
{
    int rc = 0;

    if (seg->filesz)
        rc = ops->write(ctx, seg->paddr, image + seg->offset,
                        (size_t)seg->filesz);
    /* [gABI]: bytes past p_filesz up to p_memsz are zero (.bss). */
    if (!rc && seg->memsz > seg->filesz)
        rc = ops->zero(ctx, seg->paddr + seg->filesz,
                       seg->memsz - seg->filesz);
    return callback_result(rc);
}

int elf_pvh_load(const void *image, const struct elf_pvh_info *info,
                 const struct guest_mem_ops *ops, void *ctx)
{
    unsigned int i;
    int rc;

    if (image == NULL || info == NULL || ops == NULL || ops->write == NULL ||
        ops->zero == NULL || info->nr_segments > ELF_PVH_MAX_SEGMENTS)
        return -EINVAL;
    for (i = 0; i < info->nr_segments; i++)
        if (!segment_consistent(info, &info->segments[i]))
            return -EINVAL;
    for (i = 0; i < info->nr_segments; i++) {
        rc = load_segment(image, &info->segments[i], ops, ctx);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- hvm_start_info ----------------------------------------------------- */

#define START_INFO_VERSION 1    /* the memmap fields need version >= 1 */
#define START_INFO_ALIGN   8    /* the structures hold uint64_t fields */
#define FOUR_GIB           0x100000000ull

/* Bump allocator over guest-physical [next, end); end <= 4 GiB, so no sum
 * below can wrap. */
struct area_cursor {
    uint64_t next;
    uint64_t end;
};

static bool area_take(struct area_cursor *a, uint64_t len, uint64_t align,
                      uint64_t *gpa)
{
    uint64_t at = align_up64(a->next, align);

    if (at > a->end || len > a->end - at)
        return false;
    *gpa = at;
    a->next = at + len;
    return true;
}

/* Where each piece goes; 0 for an absent piece ([PVH] start_info.h: "a 0
 * value in any of the address fields should be treated as not present"). */
struct start_info_layout {
    uint64_t start_info;
    uint64_t modlist;
    uint64_t memmap;
    uint64_t cmdline;
    uint64_t module_cmdlines;   /* packed one after the other */
    uint64_t end;               /* one past the last used byte */
};

/* Longest string length worth measuring: anything longer cannot fit. */
static size_t bounded_strlen(const char *s, uint64_t area_size)
{
    return string_len_bounded(s, (size_t)MIN(area_size, (uint64_t)SIZE_MAX));
}

static int check_start_params(const struct pvh_start_params *p)
{
    unsigned int i;

    /* [PVH]: %ebx is 32-bit and paging is off at entry, so the whole
     * block must be reachable below 4 GiB. */
    if (p->area_size > FOUR_GIB || p->area_gpa > FOUR_GIB - p->area_size)
        return -EINVAL;
    if ((p->nr_modules && p->modules == NULL) ||
        (p->nr_memmap && p->memmap == NULL))
        return -EINVAL;
    for (i = 0; i < p->nr_modules; i++)
        if (p->modules[i].paddr == 0 ||
            !range_fits(p->modules[i].paddr, p->modules[i].size))
            return -EINVAL;
    for (i = 0; i < p->nr_memmap; i++) {
        const struct hvm_memmap_table_entry *e = &p->memmap[i];

        if (e->type < XEN_HVM_MEMMAP_TYPE_RAM ||
            e->type > XEN_HVM_MEMMAP_TYPE_PMEM || !range_fits(e->addr, e->size))
            return -EINVAL;
    }
    return 0;
}

/* Fixed order: start_info, modlist, memmap, cmdline, module cmdlines. */
static int plan_start_info(const struct pvh_start_params *p,
                           struct start_info_layout *l)
{
    struct area_cursor a = { p->area_gpa, p->area_gpa + p->area_size };
    uint64_t unused;
    unsigned int i;

    memset(l, 0, sizeof(*l));
    if (!area_take(&a, sizeof(struct hvm_start_info), START_INFO_ALIGN,
                   &l->start_info))
        return -ENOSPC;
    if (p->nr_modules &&
        !area_take(&a, (uint64_t)p->nr_modules * sizeof(struct hvm_modlist_entry),
                   START_INFO_ALIGN, &l->modlist))
        return -ENOSPC;
    if (p->nr_memmap &&
        !area_take(&a, (uint64_t)p->nr_memmap *
                           sizeof(struct hvm_memmap_table_entry),
                   START_INFO_ALIGN, &l->memmap))
        return -ENOSPC;
    if (p->cmdline &&
        !area_take(&a, bounded_strlen(p->cmdline, p->area_size) + 1ull, 1,
                   &l->cmdline))
        return -ENOSPC;
    l->module_cmdlines = a.next;
    for (i = 0; i < p->nr_modules; i++) {
        const char *s = p->modules[i].cmdline;

        if (s && !area_take(&a, bounded_strlen(s, p->area_size) + 1ull, 1,
                            &unused))
            return -ENOSPC;
    }
    l->end = a.next;
    return 0;
}

/* After plan_start_info succeeded every string is known to fit, so
 * strlen cannot run past what was measured. */
static int write_string(const struct guest_mem_ops *ops, void *ctx,
                        uint64_t gpa, const char *s)
{
    return callback_result(ops->write(ctx, gpa, s, strlen(s) + 1));
}

static int write_modlist(const struct pvh_start_params *p,
                         const struct start_info_layout *l,
                         const struct guest_mem_ops *ops, void *ctx)
{
    uint64_t str_gpa = l->module_cmdlines;
    unsigned int i;
    int rc;

    for (i = 0; i < p->nr_modules; i++) {
        const struct pvh_start_module *m = &p->modules[i];
        struct hvm_modlist_entry e = {
            .paddr = m->paddr,
            .size = m->size,
        };

        if (m->cmdline) {
            rc = write_string(ops, ctx, str_gpa, m->cmdline);
            if (rc)
                return rc;
            e.cmdline_paddr = str_gpa;
            str_gpa += strlen(m->cmdline) + 1;
        }
        rc = callback_result(ops->write(ctx, l->modlist + (uint64_t)i * sizeof(e),
                                        &e, sizeof(e)));
        if (rc)
            return rc;
    }
    return 0;
}

static int write_memmap(const struct pvh_start_params *p,
                        const struct start_info_layout *l,
                        const struct guest_mem_ops *ops, void *ctx)
{
    unsigned int i;
    int rc;

    for (i = 0; i < p->nr_memmap; i++) {
        struct hvm_memmap_table_entry e = {
            .addr = p->memmap[i].addr,
            .size = p->memmap[i].size,
            .type = p->memmap[i].type,
            .reserved = 0,          /* "Must be zero for Version 1." */
        };

        rc = callback_result(ops->write(ctx, l->memmap + (uint64_t)i * sizeof(e),
                                        &e, sizeof(e)));
        if (rc)
            return rc;
    }
    return 0;
}

static int write_start_info(const struct pvh_start_params *p,
                            const struct start_info_layout *l,
                            const struct guest_mem_ops *ops, void *ctx)
{
    struct hvm_start_info si = {
        .magic = XEN_HVM_START_MAGIC_VALUE,
        .version = START_INFO_VERSION,
        .flags = p->flags,
        .nr_modules = p->nr_modules,
        .modlist_paddr = l->modlist,
        .cmdline_paddr = l->cmdline,
        .rsdp_paddr = p->rsdp_paddr,
        .memmap_paddr = l->memmap,
        .memmap_entries = p->nr_memmap,
        .reserved = 0,
    };
    int rc = 0;

    if (p->cmdline)
        rc = write_string(ops, ctx, l->cmdline, p->cmdline);
    if (!rc)
        rc = write_modlist(p, l, ops, ctx);
    if (!rc)
        rc = write_memmap(p, l, ops, ctx);
    if (!rc)
        rc = callback_result(ops->write(ctx, l->start_info, &si, sizeof(si)));
    return rc;
}

int pvh_build_start_info(const struct pvh_start_params *p,
                         const struct guest_mem_ops *ops, void *ctx,
                         uint64_t *start_info_gpa)
{
    struct start_info_layout l = { 0 };
    int rc;

    if (p == NULL || ops == NULL || ops->write == NULL || ops->zero == NULL ||
        start_info_gpa == NULL)
        return -EINVAL;
    rc = check_start_params(p);
    if (!rc)
        rc = plan_start_info(p, &l);
    if (!rc)    /* padding and reserved bytes read as zero */
        rc = callback_result(ops->zero(ctx, l.start_info, l.end - l.start_info));
    if (!rc)
        rc = write_start_info(p, &l, ops, ctx);
    if (!rc)
        *start_info_gpa = l.start_info;
    return rc;
}
