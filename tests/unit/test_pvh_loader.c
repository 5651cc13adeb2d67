/*
 * PVH domain loader: ELF64 parsing, segment loading, hvm_start_info.
 *
 * Images are built in the test (ELF header, program headers, note
 * segments, optional section headers) with the host's <elf.h>, which also
 * cross-checks the module's own minimal ELF definitions.  They are parsed
 * from exactly-sized heap copies (sometimes at an odd address), so any read
 * past the end or any misaligned load is an ASan/UBSan error.  Guest memory
 * is a heap buffer behind the guest_mem_ops callbacks.
 */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xen/elfnote.h>
#include <xen/features.h>
#include <xen/xen.h>

#include <sv/errno.h>
#include <sv/pvh_loader.h>

#include "suites.h"

/* ---- ELF image builder -------------------------------------------------- */

#define IMG_MAX 16384

struct img {
    uint8_t b[IMG_MAX];
    size_t len;
};

/* Pad with zeros to 'align', append, return the offset. */
static size_t img_append(struct img *m, const void *p, size_t n, size_t align)
{
    size_t off;

    while (m->len % align)
        m->b[m->len++] = 0;
    off = m->len;
    ck_assert_uint_le(off + n, sizeof(m->b));
    if (p)
        memcpy(m->b + off, p, n);
    m->len += n;
    return off;
}

/* n bytes of a recognisable, position-dependent pattern. */
static size_t img_append_pattern(struct img *m, size_t n, uint8_t seed,
                                 size_t align)
{
    size_t off = img_append(m, NULL, n, align), i;

    for (i = 0; i < n; i++)
        m->b[off + i] = (uint8_t)(seed + i * 7);
    return off;
}

static void ehdr_get(const struct img *m, Elf64_Ehdr *eh)
{
    memcpy(eh, m->b, sizeof(*eh));
}

static void ehdr_put(struct img *m, const Elf64_Ehdr *eh)
{
    memcpy(m->b, eh, sizeof(*eh));
}

static void phdr_get(const struct img *m, unsigned int i, Elf64_Phdr *ph)
{
    Elf64_Ehdr eh;

    ehdr_get(m, &eh);
    memcpy(ph, m->b + eh.e_phoff + i * sizeof(*ph), sizeof(*ph));
}

static void phdr_put(struct img *m, unsigned int i, const Elf64_Phdr *ph)
{
    Elf64_Ehdr eh;

    ehdr_get(m, &eh);
    memcpy(m->b + eh.e_phoff + i * sizeof(*ph), ph, sizeof(*ph));
}

/* An x86-64 ET_EXEC header followed by room for nphdr program headers. */
static void img_start(struct img *m, unsigned int nphdr)
{
    Elf64_Ehdr eh = {
        .e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64,
                     ELFDATA2LSB, EV_CURRENT, ELFOSABI_SYSV },
        .e_type = ET_EXEC,
        .e_machine = EM_X86_64,
        .e_version = EV_CURRENT,
        .e_entry = 0xffffffff81000000ull,
        .e_phoff = sizeof(Elf64_Ehdr),
        .e_ehsize = sizeof(Elf64_Ehdr),
        .e_phentsize = sizeof(Elf64_Phdr),
        .e_phnum = (uint16_t)nphdr,
        .e_shentsize = sizeof(Elf64_Shdr),
    };

    memset(m, 0, sizeof(*m));
    ehdr_put(m, &eh);
    m->len = sizeof(eh) + nphdr * sizeof(Elf64_Phdr);
}

static void img_phdr(struct img *m, unsigned int i, uint32_t type,
                     uint32_t flags, uint64_t off, uint64_t paddr,
                     uint64_t filesz, uint64_t memsz, uint64_t align)
{
    Elf64_Phdr ph = {
        .p_type = type,
        .p_flags = flags,
        .p_offset = off,
        .p_vaddr = paddr + 0xffffffff80000000ull,
        .p_paddr = paddr,
        .p_filesz = filesz,
        .p_memsz = memsz,
        .p_align = align,
    };

    phdr_put(m, i, &ph);
}

/* Section headers at the end; sh[0] should be the null section. */
static void img_sections(struct img *m, const Elf64_Shdr *sh, unsigned int n)
{
    Elf64_Ehdr eh;
    size_t off = img_append(m, sh, n * sizeof(*sh), 8);

    ehdr_get(m, &eh);
    eh.e_shoff = off;
    eh.e_shnum = (uint16_t)n;
    eh.e_shstrndx = SHN_UNDEF;
    ehdr_put(m, &eh);
}

/* ---- note builder ------------------------------------------------------- */

struct notes {
    uint8_t b[2048];
    size_t len;
};

static void notes_pad(struct notes *n, size_t align)
{
    while (n->len % align)
        n->b[n->len++] = 0;
}

static void notes_put(struct notes *n, const void *p, size_t len)
{
    ck_assert_uint_le(n->len + len, sizeof(n->b));
    memcpy(n->b + n->len, p, len);
    n->len += len;
}

/* A note as the ELFNOTE() macros emit it: namesz includes the NUL, descsz
 * is unpadded, name and desc each padded to 'align'. */
static void note_add(struct notes *n, const char *name, uint32_t type,
                     const void *desc, uint32_t descsz, size_t align)
{
    Elf64_Nhdr nh = {
        .n_namesz = (uint32_t)strlen(name) + 1,
        .n_descsz = descsz,
        .n_type = type,
    };

    notes_put(n, &nh, sizeof(nh));
    notes_put(n, name, nh.n_namesz);
    notes_pad(n, align);
    notes_put(n, desc, descsz);
    notes_pad(n, align);
}

static void note_u32(struct notes *n, uint32_t type, uint32_t v)
{
    note_add(n, "Xen", type, &v, sizeof(v), 4);
}

static void note_u64(struct notes *n, uint32_t type, uint64_t v)
{
    note_add(n, "Xen", type, &v, sizeof(v), 4);
}

/* .asciz: the NUL is part of desc. */
static void note_asciz(struct notes *n, uint32_t type, const char *s)
{
    note_add(n, "Xen", type, s, (uint32_t)strlen(s) + 1, 4);
}

/* .ascii: no NUL inside descsz (Linux's FEATURES note). */
static void note_ascii(struct notes *n, uint32_t type, const char *s)
{
    note_add(n, "Xen", type, s, (uint32_t)strlen(s), 4);
}

/* ---- standard images ---------------------------------------------------- */

#define MIN_PADDR   0x100000ull
#define MIN_FILESZ  0x100u
#define MIN_MEMSZ   0x180u
#define MIN_ENTRY   (MIN_PADDR + 0x10)

/* Offsets inside the last built minimal image, for the hostile tests. */
static size_t min_notes_off, min_text_off;

/*
 * ehdr, PT_LOAD (R-X, with a bss tail), PT_NOTE with one PHYS32_ENTRY
 * note of 'entry_size' bytes; the notes come before the text so that the
 * very last byte of the image is needed.
 */
static void build_min_sized(struct img *m, unsigned int entry_size)
{
    struct notes n = { .len = 0 };

    if (entry_size == 8)
        note_u64(&n, XEN_ELFNOTE_PHYS32_ENTRY, MIN_ENTRY);
    else
        note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_ENTRY);
    img_start(m, 2);
    min_notes_off = img_append(m, n.b, n.len, 4);
    min_text_off = img_append_pattern(m, MIN_FILESZ, 0x11, 16);
    img_phdr(m, 0, PT_LOAD, PF_R | PF_X, min_text_off, MIN_PADDR, MIN_FILESZ,
             MIN_MEMSZ, 0x1000);
    img_phdr(m, 1, PT_NOTE, PF_R, min_notes_off, 0, n.len, 0, 4);
}

static void build_min(struct img *m)
{
    build_min_sized(m, 4);
}

/* One PT_LOAD (like build_min) and a PT_NOTE holding 'n'. */
static void build_with_notes(struct img *m, const struct notes *n)
{
    size_t notes_off, text_off;

    img_start(m, 2);
    notes_off = img_append(m, n->b, n->len, 4);
    text_off = img_append_pattern(m, MIN_FILESZ, 0x11, 16);
    img_phdr(m, 0, PT_LOAD, PF_R | PF_X, text_off, MIN_PADDR, MIN_FILESZ,
             MIN_MEMSZ, 0x1000);
    img_phdr(m, 1, PT_NOTE, PF_R, notes_off, 0, n->len, 0, 4);
}

/*
 * Shaped like an x86-64 vmlinux (readelf -l): text, data, percpu (vaddr 0)
 * and init+bss PT_LOADs at 16 MiB and up, and one PT_NOTE pointing into the
 * text segment, where .notes lives.  The notes are those of
 * arch/x86/xen/xen-head.S plus arch/x86/platform/pvh/head.S, among GNU
 * and Linux notes.  Section headers follow, with .notes as SHT_NOTE.
 */
#define LX_TEXT    0x1000000ull
#define LX_DATA    0x1200000ull
#define LX_PERCPU  0x1400000ull
#define LX_INIT    0x1500000ull
#define LX_ENTRY   (LX_INIT + 0x40)
#define LX_TEXT_SZ 0x600u
#define LX_NOTES_AT 0x300u      /* .notes inside the text segment */
#define LX_DATA_SZ 0x200u
#define LX_PCPU_SZ 0x100u
#define LX_INIT_SZ 0x300u
#define LX_INIT_MEMSZ 0x2000u   /* init + bss */
#define LX_SUPPORTED ((1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_dom0) | \
                      (1u << XENFEAT_linux_rsdp_unrestricted))

static size_t lx_end_of_segments;   /* last byte any segment needs */

static void linux_notes(struct notes *n)
{
    static const uint8_t build_id[20] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3 };
    uint64_t l1_mfn_valid[2] = { 1, 1 };
    uint32_t one = 1;

    n->len = 0;
    note_add(n, "GNU", NT_GNU_BUILD_ID, build_id, sizeof(build_id), 4);
    note_add(n, "Linux", 0x100, "6.1.0", 6, 4);     /* a Linux note */
    note_asciz(n, XEN_ELFNOTE_GUEST_OS, "linux");
    note_asciz(n, 7 /* XEN_ELFNOTE_GUEST_VERSION */, "2.6");
    note_asciz(n, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    note_u64(n, XEN_ELFNOTE_VIRT_BASE, 0xffffffff80000000ull);
    note_u64(n, XEN_ELFNOTE_PADDR_OFFSET, 0);
    note_u64(n, XEN_ELFNOTE_ENTRY, 0xffffffff82a3c160ull);
    note_ascii(n, XEN_ELFNOTE_FEATURES, "!writable_page_tables");
    note_asciz(n, XEN_ELFNOTE_PAE_MODE, "yes");
    note_add(n, "Xen", XEN_ELFNOTE_L1_MFN_VALID, l1_mfn_valid,
             sizeof(l1_mfn_valid), 4);
    note_u32(n, XEN_ELFNOTE_MOD_START_PFN, 1);
    note_u64(n, XEN_ELFNOTE_HYPERCALL_PAGE, 0xffffffff81001000ull);
    note_u32(n, XEN_ELFNOTE_SUPPORTED_FEATURES, LX_SUPPORTED);
    note_asciz(n, XEN_ELFNOTE_LOADER, "generic");
    note_add(n, "Xen", XEN_ELFNOTE_SUSPEND_CANCEL, &one, sizeof(one), 4);
    /* _ASM_PTR (pvh_start_xen - __START_KERNEL_map): 8 bytes on x86-64 */
    note_u64(n, XEN_ELFNOTE_PHYS32_ENTRY, LX_ENTRY);
}

static void build_linux(struct img *m, bool with_sections)
{
    struct notes n;
    size_t text, data, pcpu, init;
    Elf64_Phdr ph;

    linux_notes(&n);
    img_start(m, 5);
    text = img_append_pattern(m, LX_TEXT_SZ, 0x20, 0x200);
    memcpy(m->b + text + LX_NOTES_AT, n.b, n.len);
    ck_assert_uint_le(LX_NOTES_AT + n.len, LX_TEXT_SZ);
    data = img_append_pattern(m, LX_DATA_SZ, 0x40, 0x200);
    pcpu = img_append_pattern(m, LX_PCPU_SZ, 0x60, 0x100);
    init = img_append_pattern(m, LX_INIT_SZ, 0x80, 0x100);
    lx_end_of_segments = m->len;
    img_phdr(m, 0, PT_LOAD, PF_R | PF_X, text, LX_TEXT, LX_TEXT_SZ,
             LX_TEXT_SZ, 0x200000);
    img_phdr(m, 1, PT_LOAD, PF_R | PF_W, data, LX_DATA, LX_DATA_SZ,
             LX_DATA_SZ, 0x200000);
    img_phdr(m, 2, PT_LOAD, PF_R | PF_W, pcpu, LX_PERCPU, LX_PCPU_SZ,
             LX_PCPU_SZ, 0x200000);
    phdr_get(m, 2, &ph);
    ph.p_vaddr = 0;                         /* percpu: vaddr 0, real paddr */
    phdr_put(m, 2, &ph);
    img_phdr(m, 3, PT_LOAD, PF_R | PF_W | PF_X, init, LX_INIT, LX_INIT_SZ,
             LX_INIT_MEMSZ, 0x200000);
    img_phdr(m, 4, PT_NOTE, 0, text + LX_NOTES_AT, LX_TEXT + LX_NOTES_AT,
             n.len, n.len, 4);
    if (with_sections) {
        Elf64_Shdr sh[4] = {
            { .sh_type = SHT_NULL },
            { .sh_name = 1, .sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC | SHF_EXECINSTR,
              .sh_offset = text, .sh_size = LX_NOTES_AT, .sh_addralign = 16 },
            { .sh_name = 7, .sh_type = SHT_NOTE, .sh_flags = SHF_ALLOC,
              .sh_offset = text + LX_NOTES_AT, .sh_size = n.len, .sh_addralign = 4 },
            { .sh_name = 14, .sh_type = SHT_NOBITS, .sh_flags = SHF_ALLOC | SHF_WRITE,
              .sh_offset = init + LX_INIT_SZ, .sh_size = LX_INIT_MEMSZ - LX_INIT_SZ },
        };
        img_sections(m, sh, 4);
    }
}

/*
 * No PT_NOTE: the notes are only reachable through an SHT_NOTE section
 * (inside the loaded bytes), so [libelf]'s fallback finds them.  The
 * section table is the last thing in the image.
 */
static void build_sections_only(struct img *m, const struct notes *n)
{
    size_t notes_off, text_off;

    img_start(m, 1);
    text_off = img_append_pattern(m, MIN_FILESZ, 0x11, 16);
    notes_off = img_append(m, n->b, n->len, 4);
    img_phdr(m, 0, PT_LOAD, PF_R | PF_X, text_off, MIN_PADDR,
             notes_off + n->len - text_off, MIN_MEMSZ + n->len, 0x1000);
    {
        Elf64_Shdr sh[2] = {
            { .sh_type = SHT_NULL },
            { .sh_type = SHT_NOTE, .sh_flags = SHF_ALLOC, .sh_offset = notes_off,
              .sh_size = n->len, .sh_addralign = 4 },
        };
        img_sections(m, sh, 2);
    }
}

/* ---- parsing helpers ---------------------------------------------------- */

/* The parser's output is biggish; keep it off the stack. */
static struct elf_pvh_info info;

/* Parse the first len bytes from an exactly-sized heap copy, at an odd
 * address when 'misalign'. */
static int parse_copy(const struct img *m, size_t len, bool misalign,
                      const char **why)
{
    uint8_t *raw = malloc(len + 1);
    uint8_t *p = misalign ? raw + 1 : raw;
    int rc;

    ck_assert_ptr_nonnull(raw);
    if (!misalign) {
        free(raw);
        raw = p = malloc(len ? len : 1);
        ck_assert_ptr_nonnull(raw);
    }
    memcpy(p, m->b, len);
    rc = elf_pvh_parse(p, len, &info, why);
    free(raw);
    return rc;
}

static int parse(const struct img *m, const char **why)
{
    return parse_copy(m, m->len, false, why);
}

/* Expect -EINVAL and print nothing; the reason must be set. */
static void expect_invalid(const struct img *m)
{
    const char *why = NULL;

    ck_assert_int_eq(parse(m, &why), -EINVAL);
    ck_assert_ptr_nonnull(why);
}

/* What every successful parse must guarantee, whatever the input. */
static void check_invariants(size_t size)
{
    unsigned int i, j;
    bool entry_found = false;

    ck_assert_uint_ge(info.nr_segments, 1);
    ck_assert_uint_le(info.nr_segments, ELF_PVH_MAX_SEGMENTS);
    for (i = 0; i < info.nr_segments; i++) {
        const struct elf_pvh_segment *a = &info.segments[i];

        ck_assert_uint_le(a->offset, size);
        ck_assert_uint_le(a->filesz, size - a->offset);
        ck_assert_uint_le(a->filesz, a->memsz);
        ck_assert_uint_gt(a->memsz, 0);
        ck_assert_uint_le(a->memsz, UINT64_MAX - a->paddr);
        ck_assert_uint_ge(a->paddr, info.paddr_low);
        ck_assert_uint_le(a->paddr + a->memsz, info.paddr_high);
        for (j = i + 1; j < info.nr_segments; j++) {
            const struct elf_pvh_segment *b = &info.segments[j];

            ck_assert(a->paddr + a->memsz <= b->paddr ||
                      b->paddr + b->memsz <= a->paddr);
        }
        if (info.phys32_entry >= a->paddr &&
            info.phys32_entry - a->paddr < a->filesz)
            entry_found = true;
    }
    ck_assert(entry_found);
    ck_assert_uint_lt(strlen(info.guest_os), sizeof(info.guest_os));
    ck_assert_uint_lt(strlen(info.features), sizeof(info.features));
}

/* ---- fake guest memory -------------------------------------------------- */

struct fake_guest {
    uint64_t base;
    size_t size;
    uint8_t *mem;
    uint64_t hole_start, hole_end;      /* not RAM although inside */
    unsigned int writes, zeros;
    int force_rc;                       /* returned instead when != 0 */
};

static bool fg_is_ram(const struct fake_guest *g, uint64_t gpa, uint64_t len)
{
    if (gpa < g->base || gpa - g->base > g->size || len > g->size - (gpa - g->base))
        return false;
    return len == 0 || gpa + len <= g->hole_start || gpa >= g->hole_end;
}

static int fg_write(void *ctx, uint64_t gpa, const void *src, size_t len)
{
    struct fake_guest *g = ctx;

    g->writes++;
    if (g->force_rc)
        return g->force_rc;
    if (!fg_is_ram(g, gpa, len))
        return -EFAULT;
    memcpy(g->mem + (gpa - g->base), src, len);
    return 0;
}

static int fg_zero(void *ctx, uint64_t gpa, uint64_t len)
{
    struct fake_guest *g = ctx;

    g->zeros++;
    if (g->force_rc)
        return g->force_rc;
    if (!fg_is_ram(g, gpa, len))
        return -EFAULT;
    memset(g->mem + (gpa - g->base), 0, len);
    return 0;
}

static const struct guest_mem_ops fg_ops = { .write = fg_write, .zero = fg_zero };

/* RAM [base, base+size), pre-filled with 0xaa so zeroing is visible. */
static void fg_init(struct fake_guest *g, uint64_t base, size_t size)
{
    memset(g, 0, sizeof(*g));
    g->base = base;
    g->size = size;
    g->mem = malloc(size);
    ck_assert_ptr_nonnull(g->mem);
    memset(g->mem, 0xaa, size);
}

static void fg_free(struct fake_guest *g)
{
    free(g->mem);
}

static const uint8_t *fg_at(const struct fake_guest *g, uint64_t gpa)
{
    ck_assert_uint_ge(gpa, g->base);
    ck_assert_uint_lt(gpa - g->base, g->size);
    return g->mem + (gpa - g->base);
}

static bool all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] != v)
            return false;
    return true;
}

/* ---- valid images ------------------------------------------------------- */

START_TEST(test_minimal_valid)
{
    struct img m;
    const char *why = "unset";

    build_min(&m);
    ck_assert_int_eq(parse(&m, &why), 0);
    ck_assert_ptr_null(why);
    ck_assert_uint_eq(info.image_size, m.len);
    ck_assert_uint_eq(info.nr_segments, 1);
    ck_assert_uint_eq(info.segments[0].paddr, MIN_PADDR);
    ck_assert_uint_eq(info.segments[0].offset, min_text_off);
    ck_assert_uint_eq(info.segments[0].filesz, MIN_FILESZ);
    ck_assert_uint_eq(info.segments[0].memsz, MIN_MEMSZ);
    ck_assert_uint_eq(info.segments[0].flags, ELF_PVH_PF_R | ELF_PVH_PF_X);
    ck_assert_uint_eq(info.paddr_low, MIN_PADDR);
    ck_assert_uint_eq(info.paddr_high, MIN_PADDR + MIN_MEMSZ);
    ck_assert_uint_eq(info.phys32_entry, MIN_ENTRY);
    ck_assert(!info.notes_from_sections);
    ck_assert_str_eq(info.guest_os, "");
    ck_assert_str_eq(info.features, "");
    ck_assert(!info.have_supported_features);
    /* Same result from a misaligned copy. */
    ck_assert_int_eq(parse_copy(&m, m.len, true, NULL), 0);
    ck_assert_uint_eq(info.phys32_entry, MIN_ENTRY);
}
END_TEST

START_TEST(test_like_linux_layout)
{
    struct img m;
    const char *why = "unset";

    build_linux(&m, true);
    ck_assert_int_eq(parse(&m, &why), 0);
    ck_assert_ptr_null(why);
    ck_assert_uint_eq(info.nr_segments, 4);
    ck_assert_uint_eq(info.segments[0].paddr, LX_TEXT);
    ck_assert_uint_eq(info.segments[0].flags, ELF_PVH_PF_R | ELF_PVH_PF_X);
    ck_assert_uint_eq(info.segments[1].paddr, LX_DATA);
    ck_assert_uint_eq(info.segments[1].flags, ELF_PVH_PF_R | ELF_PVH_PF_W);
    ck_assert_uint_eq(info.segments[2].paddr, LX_PERCPU);
    ck_assert_uint_eq(info.segments[3].paddr, LX_INIT);
    ck_assert_uint_eq(info.segments[3].filesz, LX_INIT_SZ);
    ck_assert_uint_eq(info.segments[3].memsz, LX_INIT_MEMSZ);
    ck_assert_uint_eq(info.segments[3].flags,
                      ELF_PVH_PF_R | ELF_PVH_PF_W | ELF_PVH_PF_X);
    ck_assert_uint_eq(info.paddr_low, LX_TEXT);
    ck_assert_uint_eq(info.paddr_high, LX_INIT + LX_INIT_MEMSZ);
    ck_assert_uint_eq(info.phys32_entry, LX_ENTRY);
    ck_assert(!info.notes_from_sections);
    ck_assert_str_eq(info.guest_os, "linux");
    ck_assert_str_eq(info.xen_version, "xen-3.0");
    ck_assert_str_eq(info.loader, "generic");
    ck_assert_str_eq(info.features, "!writable_page_tables");
    ck_assert(info.have_supported_features);
    ck_assert_uint_eq(info.supported_features, LX_SUPPORTED);
    ck_assert_int_eq(parse_copy(&m, m.len, true, NULL), 0);
}
END_TEST

START_TEST(test_phys32_entry_desc_sizes)
{
    struct img m;
    struct notes n = { .len = 0 };
    uint16_t two = 0x1234;

    build_min_sized(&m, 8);                 /* .quad, as _ASM_PTR on x86-64 */
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(info.phys32_entry, MIN_ENTRY);

    note_u64(&n, XEN_ELFNOTE_PHYS32_ENTRY, 0x100000000ull + MIN_ENTRY);
    build_with_notes(&m, &n);
    expect_invalid(&m);                     /* not a 32-bit address */

    n.len = 0;
    note_add(&n, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, &two, sizeof(two), 4);
    build_with_notes(&m, &n);
    expect_invalid(&m);

    n.len = 0;
    note_add(&n, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, "", 0, 4);
    build_with_notes(&m, &n);
    expect_invalid(&m);
}
END_TEST

START_TEST(test_missing_pvh_note_is_enoent)
{
    struct img m;
    struct notes n = { .len = 0 };
    const char *why = NULL;
    uint32_t entry = (uint32_t)MIN_ENTRY;

    /* Xen notes, but no PHYS32_ENTRY: a PV-only kernel. */
    note_asciz(&n, XEN_ELFNOTE_GUEST_OS, "linux");
    note_u64(&n, XEN_ELFNOTE_ENTRY, 0xffffffff81000000ull);
    build_with_notes(&m, &n);
    ck_assert_int_eq(parse(&m, &why), -ENOENT);
    ck_assert_ptr_nonnull(why);

    /* Type 18 under another owner is not Xen's. */
    n.len = 0;
    note_add(&n, "GNU", XEN_ELFNOTE_PHYS32_ENTRY, &entry, sizeof(entry), 4);
    note_add(&n, "XenX", XEN_ELFNOTE_PHYS32_ENTRY, &entry, sizeof(entry), 4);
    note_add(&n, "Xe", XEN_ELFNOTE_PHYS32_ENTRY, &entry, sizeof(entry), 4);
    build_with_notes(&m, &n);
    ck_assert_int_eq(parse(&m, NULL), -ENOENT);

    /* No note at all: an empty PT_NOTE. */
    n.len = 0;
    build_with_notes(&m, &n);
    ck_assert_int_eq(parse(&m, NULL), -ENOENT);

    /* No PT_NOTE and no sections. */
    build_min(&m);
    {
        Elf64_Phdr ph;

        phdr_get(&m, 1, &ph);
        ph.p_type = PT_NULL;
        phdr_put(&m, 1, &ph);
    }
    ck_assert_int_eq(parse(&m, NULL), -ENOENT);
}
END_TEST

START_TEST(test_duplicate_phys32_entry)
{
    struct img m;
    struct notes n = { .len = 0 };

    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_ENTRY);
    note_u64(&n, XEN_ELFNOTE_PHYS32_ENTRY, MIN_ENTRY);     /* same value */
    build_with_notes(&m, &n);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(info.phys32_entry, MIN_ENTRY);

    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_ENTRY + 4);
    build_with_notes(&m, &n);
    expect_invalid(&m);
}
END_TEST

START_TEST(test_notes_8_byte_aligned)
{
    struct img m;
    struct notes n = { .len = 0 };
    uint32_t entry = (uint32_t)MIN_ENTRY;
    Elf64_Phdr ph;
    int rc;

    /* The 4-byte desc ends at 20: the next note is at 24, not 20. */
    note_add(&n, "Xen", XEN_ELFNOTE_PHYS32_ENTRY, &entry, sizeof(entry), 8);
    note_add(&n, "Xen", XEN_ELFNOTE_GUEST_OS, "linux", 6, 8);
    note_add(&n, "Xen", XEN_ELFNOTE_LOADER, "generic", 8, 8);
    ck_assert_uint_eq(n.len, 24 + 24 + 24);
    build_with_notes(&m, &n);
    phdr_get(&m, 1, &ph);
    ph.p_align = 8;
    phdr_put(&m, 1, &ph);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(info.phys32_entry, MIN_ENTRY);
    ck_assert_str_eq(info.guest_os, "linux");
    ck_assert_str_eq(info.loader, "generic");

    /* Read with 4-byte alignment, the same bytes do not mean that. */
    ph.p_align = 4;
    phdr_put(&m, 1, &ph);
    rc = parse(&m, NULL);
    ck_assert(rc != 0 || strcmp(info.guest_os, "linux") != 0);
}
END_TEST

START_TEST(test_notes_from_sections)
{
    struct img m;
    struct notes n = { .len = 0 };

    note_asciz(&n, XEN_ELFNOTE_GUEST_OS, "test");
    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_ENTRY);
    build_sections_only(&m, &n);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert(info.notes_from_sections);
    ck_assert_uint_eq(info.phys32_entry, MIN_ENTRY);
    ck_assert_str_eq(info.guest_os, "test");
    ck_assert_int_eq(parse_copy(&m, m.len, true, NULL), 0);
}
END_TEST

START_TEST(test_sections_ignored_when_segment_has_notes)
{
    struct img m;
    Elf64_Ehdr eh;

    /* The PT_NOTE has the Xen notes: a garbage section table is unread. */
    build_linux(&m, true);
    ehdr_get(&m, &eh);
    eh.e_shoff = UINT64_MAX - 8;
    eh.e_shentsize = 3;
    ehdr_put(&m, &eh);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert(!info.notes_from_sections);
}
END_TEST

START_TEST(test_string_notes)
{
    struct img m;
    struct notes n = { .len = 0 };
    char longest[ELF_PVH_STR_MAX], too_long[ELF_PVH_STR_MAX + 1];

    memset(longest, 'a', sizeof(longest) - 1);
    longest[sizeof(longest) - 1] = '\0';
    memset(too_long, 'b', sizeof(too_long) - 1);
    too_long[sizeof(too_long) - 1] = '\0';

    note_asciz(&n, XEN_ELFNOTE_GUEST_OS, longest);
    note_ascii(&n, XEN_ELFNOTE_LOADER, "generic");       /* no NUL */
    note_add(&n, "Xen", XEN_ELFNOTE_XEN_VERSION, "xen-3.0\0junk", 12, 4);
    note_add(&n, "Xen", XEN_ELFNOTE_FEATURES, "", 0, 4); /* empty */
    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_ENTRY);
    build_with_notes(&m, &n);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_str_eq(info.guest_os, longest);
    ck_assert_str_eq(info.loader, "generic");
    ck_assert_str_eq(info.xen_version, "xen-3.0");
    ck_assert_str_eq(info.features, "");

    n.len = 0;
    note_asciz(&n, XEN_ELFNOTE_GUEST_OS, too_long);      /* NUL does not fit */
    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_ENTRY);
    build_with_notes(&m, &n);
    expect_invalid(&m);

    n.len = 0;
    note_ascii(&n, XEN_ELFNOTE_LOADER, too_long);
    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_ENTRY);
    build_with_notes(&m, &n);
    expect_invalid(&m);
}
END_TEST

START_TEST(test_supported_features_note)
{
    struct img m;
    struct notes n = { .len = 0 };
    uint8_t three[3] = { 1, 2, 3 };

    note_u32(&n, XEN_ELFNOTE_SUPPORTED_FEATURES, 1u << XENFEAT_dom0);
    note_u32(&n, XEN_ELFNOTE_SUPPORTED_FEATURES, 1u << XENFEAT_writable_page_tables);
    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_ENTRY);
    build_with_notes(&m, &n);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert(info.have_supported_features);
    ck_assert_uint_eq(info.supported_features,
                      (1u << XENFEAT_dom0) | (1u << XENFEAT_writable_page_tables));

    n.len = 0;
    note_add(&n, "Xen", XEN_ELFNOTE_SUPPORTED_FEATURES, three, 3, 4);
    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_ENTRY);
    build_with_notes(&m, &n);
    expect_invalid(&m);
}
END_TEST

START_TEST(test_empty_load_ignored)
{
    struct img m;
    struct notes n = { .len = 0 };
    size_t notes_off, text_off;

    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_ENTRY);
    img_start(&m, 3);
    notes_off = img_append(&m, n.b, n.len, 4);
    text_off = img_append_pattern(&m, MIN_FILESZ, 0x11, 16);
    img_phdr(&m, 0, PT_LOAD, PF_R, 0, MIN_PADDR + 0x40, 0, 0, 0x1000);
    img_phdr(&m, 1, PT_LOAD, PF_R | PF_X, text_off, MIN_PADDR, MIN_FILESZ,
             MIN_MEMSZ, 0x1000);
    img_phdr(&m, 2, PT_NOTE, PF_R, notes_off, 0, n.len, 0, 4);
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_uint_eq(info.nr_segments, 1);
    ck_assert_uint_eq(info.segments[0].paddr, MIN_PADDR);
}
END_TEST

/* ---- hostile images ----------------------------------------------------- */

/* Every proper prefix of an image whose last byte is needed is refused. */
static void truncate_all(const struct img *m, size_t needed)
{
    size_t len;

    for (len = 0; len < needed; len++) {
        const char *why = NULL;
        int rc = parse_copy(m, len, len % 2, &why);

        ck_assert_msg(rc == -EINVAL, "length %zu: rc %d", len, rc);
        ck_assert_ptr_nonnull(why);
    }
}

START_TEST(test_truncated_every_length)
{
    struct img m;
    struct notes n = { .len = 0 };
    size_t len;

    build_min(&m);
    truncate_all(&m, m.len);

    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_ENTRY);
    build_sections_only(&m, &n);
    truncate_all(&m, m.len);

    /* The trailing section table is not read when the PT_NOTE has the
     * notes, so only cuts into the segments fail. */
    build_linux(&m, true);
    truncate_all(&m, lx_end_of_segments);
    for (len = lx_end_of_segments; len <= m.len; len++)
        ck_assert_int_eq(parse_copy(&m, len, false, NULL), 0);
}
END_TEST

START_TEST(test_bad_identification)
{
    struct img m;
    Elf64_Ehdr eh;
    static const struct { unsigned int idx; uint8_t val; } bad[] = {
        { EI_MAG0, 0x7e }, { EI_MAG1, 'e' }, { EI_MAG3, 'G' },
        { EI_CLASS, ELFCLASSNONE }, { EI_CLASS, 3 },
        { EI_DATA, ELFDATA2MSB }, { EI_DATA, ELFDATANONE },
        { EI_VERSION, 0 }, { EI_VERSION, 2 },
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        build_min(&m);
        m.b[bad[i].idx] = bad[i].val;
        expect_invalid(&m);
    }
    build_min(&m);
    ehdr_get(&m, &eh);
    eh.e_version = 0;
    ehdr_put(&m, &eh);
    expect_invalid(&m);
}
END_TEST

START_TEST(test_elf32_rejected)
{
    struct img m;
    Elf32_Ehdr eh32 = {
        .e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS32,
                     ELFDATA2LSB, EV_CURRENT },
        .e_type = ET_EXEC,
        .e_machine = EM_386,
        .e_version = EV_CURRENT,
        .e_phoff = sizeof(Elf32_Ehdr),
        .e_ehsize = sizeof(Elf32_Ehdr),
        .e_phentsize = sizeof(Elf32_Phdr),
        .e_phnum = 1,
    };
    Elf32_Phdr ph32 = {
        .p_type = PT_LOAD, .p_offset = 0, .p_paddr = 0x100000,
        .p_filesz = 0x100, .p_memsz = 0x100, .p_flags = PF_R | PF_X,
    };

    /* A genuine 32-bit image, padded so it is not merely too short. */
    memset(&m, 0, sizeof(m));
    m.len = 0;
    img_append(&m, &eh32, sizeof(eh32), 1);
    img_append(&m, &ph32, sizeof(ph32), 1);
    img_append_pattern(&m, 0x200, 0, 1);
    expect_invalid(&m);

    /* ELFCLASS32 on an otherwise 64-bit image. */
    build_min(&m);
    m.b[EI_CLASS] = ELFCLASS32;
    expect_invalid(&m);
}
END_TEST

START_TEST(test_wrong_machine)
{
    static const uint16_t machines[] = { EM_NONE, EM_386, EM_AARCH64, EM_RISCV,
                                         EM_IA_64, 0xffff };
    struct img m;
    Elf64_Ehdr eh;
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(machines); i++) {
        build_min(&m);
        ehdr_get(&m, &eh);
        eh.e_machine = machines[i];
        ehdr_put(&m, &eh);
        expect_invalid(&m);
    }
}
END_TEST

START_TEST(test_not_executable)
{
    static const uint16_t types[] = { ET_NONE, ET_REL, ET_DYN, ET_CORE };
    struct img m;
    Elf64_Ehdr eh;
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(types); i++) {
        build_min(&m);
        ehdr_get(&m, &eh);
        eh.e_type = types[i];
        ehdr_put(&m, &eh);
        expect_invalid(&m);
    }
}
END_TEST

START_TEST(test_bad_header_sizes)
{
    struct img m;
    Elf64_Ehdr eh;

    build_min(&m);
    ehdr_get(&m, &eh);
    eh.e_ehsize = 52;
    ehdr_put(&m, &eh);
    expect_invalid(&m);

    build_min(&m);
    ehdr_get(&m, &eh);
    eh.e_phentsize = sizeof(Elf32_Phdr);
    ehdr_put(&m, &eh);
    expect_invalid(&m);

    build_min(&m);
    ehdr_get(&m, &eh);
    eh.e_phentsize = 0;
    ehdr_put(&m, &eh);
    expect_invalid(&m);

    build_min(&m);
    ehdr_get(&m, &eh);
    eh.e_phnum = 0;
    ehdr_put(&m, &eh);
    expect_invalid(&m);

    build_min(&m);
    ehdr_get(&m, &eh);
    eh.e_phnum = PN_XNUM;
    ehdr_put(&m, &eh);
    expect_invalid(&m);
}
END_TEST

START_TEST(test_phdr_table_out_of_bounds)
{
    static const uint64_t offsets[] = { 1ull << 40, UINT64_MAX, UINT64_MAX - 55,
                                        UINT64_MAX - 2 * sizeof(Elf64_Phdr) + 1 };
    struct img m;
    Elf64_Ehdr eh;
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(offsets); i++) {
        build_min(&m);
        ehdr_get(&m, &eh);
        eh.e_phoff = offsets[i];
        ehdr_put(&m, &eh);
        expect_invalid(&m);
    }
    /* Ends one byte past the image. */
    build_min(&m);
    ehdr_get(&m, &eh);
    eh.e_phoff = m.len - 2 * sizeof(Elf64_Phdr) + 1;
    ehdr_put(&m, &eh);
    expect_invalid(&m);
    /* Too many entries for the image. */
    build_min(&m);
    ehdr_get(&m, &eh);
    eh.e_phnum = 0xfffe;
    ehdr_put(&m, &eh);
    expect_invalid(&m);
}
END_TEST

START_TEST(test_segment_past_end)
{
    struct img m;
    Elf64_Phdr ph;

    build_min(&m);
    phdr_get(&m, 0, &ph);
    ph.p_filesz = m.len - ph.p_offset + 1;
    ph.p_memsz = ph.p_filesz;
    phdr_put(&m, 0, &ph);
    expect_invalid(&m);

    build_min(&m);
    phdr_get(&m, 0, &ph);
    ph.p_offset = m.len + 1;
    ph.p_filesz = 0;
    phdr_put(&m, 0, &ph);
    expect_invalid(&m);

    /* offset + filesz wraps to a small number. */
    build_min(&m);
    phdr_get(&m, 0, &ph);
    ph.p_offset = UINT64_MAX - 0xf;
    ph.p_filesz = 0x20;
    ph.p_memsz = 0x20;
    phdr_put(&m, 0, &ph);
    expect_invalid(&m);

    build_min(&m);
    phdr_get(&m, 0, &ph);
    ph.p_filesz = UINT64_MAX;
    ph.p_memsz = UINT64_MAX;
    ph.p_paddr = 0;
    phdr_put(&m, 0, &ph);
    expect_invalid(&m);

    /* Ending exactly at the end is fine (that is build_min itself). */
    build_min(&m);
    phdr_get(&m, 0, &ph);
    ck_assert_uint_eq(ph.p_offset + ph.p_filesz, m.len);
    ck_assert_int_eq(parse(&m, NULL), 0);
}
END_TEST

START_TEST(test_filesz_above_memsz)
{
    struct img m;
    Elf64_Phdr ph;

    build_min(&m);
    phdr_get(&m, 0, &ph);
    ph.p_memsz = ph.p_filesz - 1;
    phdr_put(&m, 0, &ph);
    expect_invalid(&m);
}
END_TEST

START_TEST(test_wrapping_physical_range)
{
    struct img m;
    Elf64_Phdr ph;

    build_min(&m);
    phdr_get(&m, 0, &ph);
    ph.p_paddr = UINT64_MAX - 0x10;
    phdr_put(&m, 0, &ph);
    expect_invalid(&m);

    /* An end of exactly 2^64 is not representable either. */
    build_min(&m);
    phdr_get(&m, 0, &ph);
    ph.p_paddr = 0 - ph.p_memsz;
    phdr_put(&m, 0, &ph);
    expect_invalid(&m);
}
END_TEST

/* Two PT_LOADs at paddr a and b with memsz 0x100 each, entry in the first. */
static int parse_two_loads(uint64_t a, uint64_t a_memsz, uint64_t b,
                           uint64_t b_memsz)
{
    struct img m;
    struct notes n = { .len = 0 };
    size_t notes_off, t1, t2;

    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)a);
    img_start(&m, 3);
    notes_off = img_append(&m, n.b, n.len, 4);
    t1 = img_append_pattern(&m, 0x80, 1, 16);
    t2 = img_append_pattern(&m, 0x80, 2, 16);
    img_phdr(&m, 0, PT_LOAD, PF_R | PF_X, t1, a, 0x80, a_memsz, 16);
    img_phdr(&m, 1, PT_LOAD, PF_R | PF_W, t2, b, 0x80, b_memsz, 16);
    img_phdr(&m, 2, PT_NOTE, PF_R, notes_off, 0, n.len, 0, 4);
    return parse(&m, NULL);
}

START_TEST(test_overlapping_segments)
{
    /* Adjacent, either order: fine. */
    ck_assert_int_eq(parse_two_loads(0x100000, 0x100, 0x100100, 0x100), 0);
    ck_assert_int_eq(parse_two_loads(0x100100, 0x100, 0x100000, 0x100), 0);
    ck_assert_uint_eq(info.paddr_low, 0x100000);
    ck_assert_uint_eq(info.paddr_high, 0x100200);
    /* One byte of overlap, either order. */
    ck_assert_int_eq(parse_two_loads(0x100000, 0x101, 0x100100, 0x100), -EINVAL);
    ck_assert_int_eq(parse_two_loads(0x100100, 0x100, 0x100000, 0x101), -EINVAL);
    /* Identical, and one inside the other's bss. */
    ck_assert_int_eq(parse_two_loads(0x100000, 0x100, 0x100000, 0x100), -EINVAL);
    ck_assert_int_eq(parse_two_loads(0x100000, 0x10000, 0x108000, 0x100), -EINVAL);
}
END_TEST

START_TEST(test_too_many_segments)
{
    struct img m;
    struct notes n = { .len = 0 };
    size_t notes_off, text;
    unsigned int i, count;

    for (count = ELF_PVH_MAX_SEGMENTS; count <= ELF_PVH_MAX_SEGMENTS + 1; count++) {
        const char *why = NULL;

        n.len = 0;
        note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_PADDR);
        img_start(&m, count + 1);
        notes_off = img_append(&m, n.b, n.len, 4);
        text = img_append_pattern(&m, 0x40, 3, 16);
        for (i = 0; i < count; i++)
            img_phdr(&m, i, PT_LOAD, PF_R | PF_X, text, MIN_PADDR + i * 0x1000,
                     0x40, 0x1000, 0x1000);
        img_phdr(&m, count, PT_NOTE, PF_R, notes_off, 0, n.len, 0, 4);
        if (count == ELF_PVH_MAX_SEGMENTS) {
            ck_assert_int_eq(parse(&m, NULL), 0);
            ck_assert_uint_eq(info.nr_segments, ELF_PVH_MAX_SEGMENTS);
        } else {
            ck_assert_int_eq(parse(&m, &why), -E2BIG);
            ck_assert_ptr_nonnull(why);
        }
    }
}
END_TEST

START_TEST(test_no_load_segment)
{
    struct img m;
    Elf64_Phdr ph;

    build_min(&m);
    phdr_get(&m, 0, &ph);
    ph.p_type = PT_DYNAMIC;
    phdr_put(&m, 0, &ph);
    expect_invalid(&m);
}
END_TEST

START_TEST(test_entry_outside_file_bytes)
{
    static const uint32_t entries[] = {
        MIN_PADDR - 1,                  /* just below */
        MIN_PADDR + MIN_FILESZ,         /* first bss byte */
        MIN_PADDR + MIN_MEMSZ - 1,      /* last bss byte */
        0,
    };
    struct img m;
    struct notes n;
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(entries); i++) {
        n.len = 0;
        note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, entries[i]);
        build_with_notes(&m, &n);
        expect_invalid(&m);
    }
    /* The last file byte is still code. */
    n.len = 0;
    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, MIN_PADDR + MIN_FILESZ - 1);
    build_with_notes(&m, &n);
    ck_assert_int_eq(parse(&m, NULL), 0);
}
END_TEST

/* Overwrite the first note's header in the minimal image. */
static void patch_first_note(struct img *m, uint32_t namesz, uint32_t descsz)
{
    Elf64_Nhdr nh;

    memcpy(&nh, m->b + min_notes_off, sizeof(nh));
    nh.n_namesz = namesz;
    nh.n_descsz = descsz;
    memcpy(m->b + min_notes_off, &nh, sizeof(nh));
}

START_TEST(test_notes_bad_sizes)
{
    static const struct { uint32_t namesz, descsz; bool name_bad; } bad[] = {
        { 0xffffffff, 4, true },        /* name runs off the 32-bit range */
        { 0xfffffffd, 4, true },        /* rounds up to 2^32 */
        { 4 + 5, 4, true },             /* name crosses the segment end */
        { 0x7fffffff, 0x7fffffff, true },
        { 4, 5, false },                /* desc one byte past the end */
        { 4, 0xffffffff, false },
        { 4, 0xfffffffc, false },
    };
    struct img m;
    Elf64_Phdr ph;
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        const char *why = NULL;

        build_min(&m);
        patch_first_note(&m, bad[i].namesz, bad[i].descsz);
        ck_assert_int_eq(parse(&m, &why), -EINVAL);
        ck_assert_str_eq(why, bad[i].name_bad ?
                         "note name past the end of its container" :
                         "note desc past the end of its container");
    }

    /* A note segment ending inside a note header. */
    for (i = 1; i < 12; i++) {
        build_min(&m);
        phdr_get(&m, 1, &ph);
        ph.p_filesz += i;
        ph.p_memsz = ph.p_filesz;
        phdr_put(&m, 1, &ph);
        expect_invalid(&m);
    }

    /* A note segment shorter than its only note. */
    build_min(&m);
    phdr_get(&m, 1, &ph);
    ph.p_filesz -= 1;
    phdr_put(&m, 1, &ph);
    expect_invalid(&m);

    /* The note segment itself outside the image, or wrapping. */
    build_min(&m);
    phdr_get(&m, 1, &ph);
    ph.p_offset = m.len - 4;
    phdr_put(&m, 1, &ph);
    expect_invalid(&m);

    build_min(&m);
    phdr_get(&m, 1, &ph);
    ph.p_offset = UINT64_MAX - 3;
    phdr_put(&m, 1, &ph);
    expect_invalid(&m);

    /* namesz 0 is a legal (anonymous) note, just not Xen's. */
    build_min(&m);
    patch_first_note(&m, 0, 4);
    {
        /* Now the 4 name bytes are read as desc, and the desc as the next
         * header: keep the image consistent by shrinking the segment. */
        phdr_get(&m, 1, &ph);
        ph.p_filesz = 12 + 4;
        phdr_put(&m, 1, &ph);
    }
    ck_assert_int_eq(parse(&m, NULL), -ENOENT);
}
END_TEST

/* A PT_NOTE that is the very end of the image, with 'extra' bytes after
 * its last complete note: a header read would run off the allocation. */
static void build_notes_last(struct img *m, const struct notes *n, size_t extra)
{
    size_t notes_off, text_off;

    img_start(m, 2);
    text_off = img_append_pattern(m, MIN_FILESZ, 0x11, 16);
    notes_off = img_append(m, n->b, n->len, 4);
    img_append_pattern(m, extra, 0x33, 1);
    img_phdr(m, 0, PT_LOAD, PF_R | PF_X, text_off, MIN_PADDR, MIN_FILESZ,
             MIN_MEMSZ, 0x1000);
    img_phdr(m, 1, PT_NOTE, PF_R, notes_off, 0, n->len + extra, 0, 4);
}

START_TEST(test_notes_at_image_end)
{
    struct img m;
    struct notes n = { .len = 0 };
    const char *why;
    size_t extra;

    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_ENTRY);
    build_notes_last(&m, &n, 0);
    ck_assert_int_eq(parse(&m, NULL), 0);

    for (extra = 1; extra < sizeof(Elf64_Nhdr); extra++) {
        why = NULL;
        build_notes_last(&m, &n, extra);
        ck_assert_int_eq(parse(&m, &why), -EINVAL);
        ck_assert_str_eq(why, "truncated note header");
    }

    /* A last note whose name padding is cut off: desc would start past
     * the end, even though it is empty. */
    n.len = 0;
    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_ENTRY);
    note_add(&n, "X", 99, "", 0, 4);            /* name 2 bytes, pad 2 */
    build_notes_last(&m, &n, 0);
    ck_assert_int_eq(parse(&m, NULL), 0);       /* complete: fine */
    {
        Elf64_Phdr ph;

        phdr_get(&m, 1, &ph);
        ph.p_filesz -= 2;                       /* drop the name padding */
        phdr_put(&m, 1, &ph);
        m.len -= 2;
        why = NULL;
        ck_assert_int_eq(parse(&m, &why), -EINVAL);
        ck_assert_str_eq(why, "note desc past the end of its container");
    }

    /* Missing padding after the last desc is tolerated. */
    n.len = 0;
    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_ENTRY);
    note_asciz(&n, XEN_ELFNOTE_GUEST_OS, "abcde");  /* desc 6, pad 2 */
    build_notes_last(&m, &n, 0);
    {
        Elf64_Phdr ph;

        phdr_get(&m, 1, &ph);
        ph.p_filesz -= 2;
        phdr_put(&m, 1, &ph);
        m.len -= 2;
    }
    ck_assert_int_eq(parse(&m, NULL), 0);
    ck_assert_str_eq(info.guest_os, "abcde");
}
END_TEST

START_TEST(test_section_table_bad)
{
    struct img m;
    struct notes n = { .len = 0 };
    Elf64_Ehdr eh;
    Elf64_Shdr sh;

    note_u32(&n, XEN_ELFNOTE_PHYS32_ENTRY, (uint32_t)MIN_ENTRY);

    build_sections_only(&m, &n);
    ehdr_get(&m, &eh);
    eh.e_shoff = m.len - sizeof(Elf64_Shdr) * 2 + 1;
    ehdr_put(&m, &eh);
    expect_invalid(&m);

    build_sections_only(&m, &n);
    ehdr_get(&m, &eh);
    eh.e_shoff = UINT64_MAX - 63;
    ehdr_put(&m, &eh);
    expect_invalid(&m);

    build_sections_only(&m, &n);
    ehdr_get(&m, &eh);
    eh.e_shentsize = 40;
    ehdr_put(&m, &eh);
    expect_invalid(&m);

    build_sections_only(&m, &n);
    ehdr_get(&m, &eh);
    eh.e_shnum = 0xffff;
    ehdr_put(&m, &eh);
    expect_invalid(&m);

    /* The SHT_NOTE section's bytes outside the image. */
    build_sections_only(&m, &n);
    ehdr_get(&m, &eh);
    memcpy(&sh, m.b + eh.e_shoff + sizeof(sh), sizeof(sh));
    sh.sh_offset = m.len - 2;
    memcpy(m.b + eh.e_shoff + sizeof(sh), &sh, sizeof(sh));
    expect_invalid(&m);

    /* No sections at all (e_shnum 0): nothing to find. */
    build_sections_only(&m, &n);
    ehdr_get(&m, &eh);
    eh.e_shnum = 0;
    ehdr_put(&m, &eh);
    ck_assert_int_eq(parse(&m, NULL), -ENOENT);
}
END_TEST

START_TEST(test_bad_arguments)
{
    struct img m;
    const char *why = NULL;

    build_min(&m);
    ck_assert_int_eq(elf_pvh_parse(NULL, m.len, &info, &why), -EINVAL);
    ck_assert_ptr_nonnull(why);
    ck_assert_int_eq(elf_pvh_parse(m.b, m.len, NULL, NULL), -EINVAL);
    /* why may be NULL on failure too. */
    ck_assert_int_eq(elf_pvh_parse(m.b, 10, &info, NULL), -EINVAL);
}
END_TEST

/* xorshift64*: a fixed sequence, so failures reproduce. */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dull;
}

/* Random corruptions of the headers, the note bytes and a few fields with
 * interesting values: never a crash, and success only with the
 * invariants holding. */
START_TEST(test_mutation_fuzz)
{
    static const uint64_t interesting[] = {
        0, 1, 3, 4, 7, 8, 12, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000,
        0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff, 0x100000000ull,
        UINT64_MAX, UINT64_MAX - 1, UINT64_MAX - 0xfff,
    };
    static struct img base, m;
    uint64_t seed = 0x5eed5eed12345678ull;
    unsigned int iter, successes = 0;
    Elf64_Phdr ph;

    build_linux(&base, true);
    phdr_get(&base, 4, &ph);
    for (iter = 0; iter < 20000; iter++) {
        unsigned int k, edits = 1 + (unsigned int)(rng_next(&seed) % 4);
        size_t len = base.len;

        m = base;
        for (k = 0; k < edits; k++) {
            uint64_t r = rng_next(&seed);
            size_t pos;

            switch (r % 4) {
            case 0:     /* a byte of the ELF or program headers */
                pos = (r >> 8) % (sizeof(Elf64_Ehdr) + 5 * sizeof(Elf64_Phdr));
                m.b[pos] = (uint8_t)(r >> 32);
                break;
            case 1:     /* a byte of the notes */
                pos = ph.p_offset + (r >> 8) % ph.p_filesz;
                m.b[pos] = (uint8_t)(r >> 32);
                break;
            case 2: {   /* an interesting 32- or 64-bit value, 4-aligned */
                uint64_t v = interesting[(r >> 8) % ARRAY_SIZE(interesting)];
                size_t w = (r >> 40) & 1 ? 8 : 4;

                pos = ((r >> 16) % (m.len - 8)) & ~(size_t)3;
                memcpy(m.b + pos, &v, w);
                break;
            }
            default:    /* a shorter image */
                len = (r >> 8) % (base.len + 1);
                break;
            }
        }
        if (parse_copy(&m, len, iter % 3 == 0, NULL) == 0) {
            successes++;
            check_invariants(len);
        }
    }
    /* The mutations must not all be fatal: some runs check invariants. */
    ck_assert_uint_gt(successes, 100);
}
END_TEST

/* ---- loading ------------------------------------------------------------ */

START_TEST(test_load_bytes_and_bss)
{
    struct img m;
    struct fake_guest g;

    build_min(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    fg_init(&g, MIN_PADDR - 0x1000, 0x3000);
    ck_assert_int_eq(elf_pvh_load(m.b, &info, &fg_ops, &g), 0);
    ck_assert_mem_eq(fg_at(&g, MIN_PADDR), m.b + min_text_off, MIN_FILESZ);
    ck_assert(all_bytes(fg_at(&g, MIN_PADDR + MIN_FILESZ), MIN_MEMSZ - MIN_FILESZ, 0));
    /* Nothing outside the segment was touched. */
    ck_assert(all_bytes(fg_at(&g, g.base), MIN_PADDR - g.base, 0xaa));
    ck_assert(all_bytes(fg_at(&g, MIN_PADDR + MIN_MEMSZ),
                        g.size - (MIN_PADDR + MIN_MEMSZ - g.base), 0xaa));
    ck_assert_uint_eq(g.writes, 1);
    ck_assert_uint_eq(g.zeros, 1);
    fg_free(&g);
}
END_TEST

START_TEST(test_load_like_linux)
{
    struct img m;
    struct fake_guest g;
    unsigned int i;

    build_linux(&m, true);
    ck_assert_int_eq(parse(&m, NULL), 0);
    fg_init(&g, LX_TEXT, LX_INIT + LX_INIT_MEMSZ + 0x1000 - LX_TEXT);
    ck_assert_int_eq(elf_pvh_load(m.b, &info, &fg_ops, &g), 0);
    for (i = 0; i < info.nr_segments; i++) {
        const struct elf_pvh_segment *s = &info.segments[i];

        ck_assert_mem_eq(fg_at(&g, s->paddr), m.b + s->offset, s->filesz);
        ck_assert(all_bytes(fg_at(&g, s->paddr + s->filesz),
                            s->memsz - s->filesz, 0));
        ck_assert_uint_eq(*fg_at(&g, s->paddr + s->memsz), 0xaa);
    }
    /* Segments without a tail get no zero call. */
    ck_assert_uint_eq(g.writes, 4);
    ck_assert_uint_eq(g.zeros, 1);
    /* The notes went along with the text. */
    ck_assert_mem_eq(fg_at(&g, LX_TEXT + LX_NOTES_AT), m.b + info.segments[0].offset
                     + LX_NOTES_AT, 16);
    fg_free(&g);
}
END_TEST

START_TEST(test_load_rejected_range)
{
    struct img m;
    struct fake_guest g;

    build_min(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);

    /* RAM ends one byte into the segment. */
    fg_init(&g, MIN_PADDR - 0x1000, 0x1001);
    ck_assert_int_eq(elf_pvh_load(m.b, &info, &fg_ops, &g), -EFAULT);
    ck_assert_uint_eq(g.zeros, 0);          /* stopped at the first failure */
    fg_free(&g);

    /* The file bytes fit, the bss tail does not. */
    fg_init(&g, MIN_PADDR, MIN_MEMSZ - 1);
    ck_assert_int_eq(elf_pvh_load(m.b, &info, &fg_ops, &g), -EFAULT);
    ck_assert_uint_eq(g.writes, 1);
    ck_assert_uint_eq(g.zeros, 1);
    fg_free(&g);

    /* A hole (e.g. MMIO) in the middle of the bss. */
    fg_init(&g, 0, 0x200000);
    g.hole_start = MIN_PADDR + MIN_FILESZ + 0x10;
    g.hole_end = g.hole_start + 0x1000;
    ck_assert_int_eq(elf_pvh_load(m.b, &info, &fg_ops, &g), -EFAULT);
    fg_free(&g);

    /* Other errors pass through; a positive return is -EFAULT. */
    fg_init(&g, 0, 0x200000);
    g.force_rc = -ENOMEM;
    ck_assert_int_eq(elf_pvh_load(m.b, &info, &fg_ops, &g), -ENOMEM);
    g.force_rc = 1;
    ck_assert_int_eq(elf_pvh_load(m.b, &info, &fg_ops, &g), -EFAULT);
    fg_free(&g);
}
END_TEST

START_TEST(test_load_bad_arguments)
{
    struct img m;
    struct fake_guest g;
    struct guest_mem_ops no_zero = { .write = fg_write };
    struct guest_mem_ops no_write = { .zero = fg_zero };
    struct elf_pvh_info bad;

    build_min(&m);
    ck_assert_int_eq(parse(&m, NULL), 0);
    fg_init(&g, 0, 0x200000);
    ck_assert_int_eq(elf_pvh_load(m.b, &info, NULL, &g), -EINVAL);
    ck_assert_int_eq(elf_pvh_load(m.b, &info, &no_zero, &g), -EINVAL);
    ck_assert_int_eq(elf_pvh_load(m.b, &info, &no_write, &g), -EINVAL);
    ck_assert_int_eq(elf_pvh_load(NULL, &info, &fg_ops, &g), -EINVAL);
    ck_assert_int_eq(elf_pvh_load(m.b, NULL, &fg_ops, &g), -EINVAL);

    /* An info that does not describe the image is refused up front. */
    bad = info;
    bad.nr_segments = ELF_PVH_MAX_SEGMENTS + 1;
    ck_assert_int_eq(elf_pvh_load(m.b, &bad, &fg_ops, &g), -EINVAL);
    bad = info;
    bad.segments[0].filesz = bad.image_size;
    bad.segments[0].memsz = bad.image_size;
    ck_assert_int_eq(elf_pvh_load(m.b, &bad, &fg_ops, &g), -EINVAL);
    bad = info;
    bad.segments[0].memsz = bad.segments[0].filesz - 1;
    ck_assert_int_eq(elf_pvh_load(m.b, &bad, &fg_ops, &g), -EINVAL);
    ck_assert_uint_eq(g.writes + g.zeros, 0);
    fg_free(&g);
}
END_TEST

/* ---- hvm_start_info ----------------------------------------------------- */

#define AREA_GPA  0x6000ull
#define AREA_SIZE 0x2000ull

static const struct hvm_memmap_table_entry test_memmap[] = {
    { .addr = 0x0, .size = 0x9fc00, .type = XEN_HVM_MEMMAP_TYPE_RAM },
    { .addr = 0x9fc00, .size = 0x400, .type = XEN_HVM_MEMMAP_TYPE_RESERVED },
    { .addr = 0x100000, .size = 0x3ff00000, .type = XEN_HVM_MEMMAP_TYPE_RAM,
      .reserved = 0xdead },             /* written as 0 */
    { .addr = 0xfc000000, .size = 0x10000, .type = XEN_HVM_MEMMAP_TYPE_ACPI },
    { .addr = 0xfc010000, .size = 0x1000, .type = XEN_HVM_MEMMAP_TYPE_NVS },
    { .addr = 0x100000000ull, .size = 0x40000000, .type = XEN_HVM_MEMMAP_TYPE_PMEM },
};

static const struct pvh_start_module test_modules[] = {
    { .paddr = 0x2000000, .size = 0x1234567, .cmdline = "initrd.img" },
    { .paddr = 0x4000000, .size = 0x1000, .cmdline = NULL },
};

static void dom0_params(struct pvh_start_params *p)
{
    memset(p, 0, sizeof(*p));
    p->area_gpa = AREA_GPA;
    p->area_size = AREA_SIZE;
    p->flags = SIF_PRIVILEGED | SIF_INITDOMAIN;
    p->cmdline = "console=hvc0 root=/dev/xvda1 earlyprintk=xen";
    p->rsdp_paddr = 0xf5a40;
    p->modules = test_modules;
    p->nr_modules = ARRAY_SIZE(test_modules);
    p->memmap = test_memmap;
    p->nr_memmap = ARRAY_SIZE(test_memmap);
}

static void read_start_info(const struct fake_guest *g, uint64_t gpa,
                            struct hvm_start_info *si)
{
    memcpy(si, fg_at(g, gpa), sizeof(*si));
}

static void assert_inside_area(uint64_t gpa, uint64_t len, uint64_t base,
                               uint64_t size)
{
    ck_assert_uint_ge(gpa, base);
    ck_assert_uint_le(gpa + len, base + size);
}

START_TEST(test_start_info_fields)
{
    struct pvh_start_params p;
    struct fake_guest g;
    struct hvm_start_info si;
    struct hvm_modlist_entry mod;
    struct hvm_memmap_table_entry e;
    uint64_t gpa = 0;
    unsigned int i;

    dom0_params(&p);
    fg_init(&g, 0, 0x10000);
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), 0);
    ck_assert_uint_eq(gpa, AREA_GPA);
    read_start_info(&g, gpa, &si);
    ck_assert_uint_eq(si.magic, XEN_HVM_START_MAGIC_VALUE);
    ck_assert_uint_eq(si.magic, 0x336ec578);
    ck_assert_uint_eq(si.version, 1);
    ck_assert_uint_eq(si.flags, SIF_PRIVILEGED | SIF_INITDOMAIN);
    ck_assert_uint_eq(si.nr_modules, 2);
    ck_assert_uint_eq(si.rsdp_paddr, 0xf5a40);
    ck_assert_uint_eq(si.memmap_entries, ARRAY_SIZE(test_memmap));
    ck_assert_uint_eq(si.reserved, 0);

    /* Every piece is inside the area, 8-byte aligned where it has u64s. */
    ck_assert_uint_eq(si.modlist_paddr % 8, 0);
    ck_assert_uint_eq(si.memmap_paddr % 8, 0);
    assert_inside_area(si.modlist_paddr, 2 * sizeof(mod), AREA_GPA, AREA_SIZE);
    assert_inside_area(si.memmap_paddr, ARRAY_SIZE(test_memmap) * sizeof(e),
                       AREA_GPA, AREA_SIZE);
    ck_assert_uint_ge(si.modlist_paddr, gpa + sizeof(si));

    ck_assert_str_eq((const char *)fg_at(&g, si.cmdline_paddr), p.cmdline);
    assert_inside_area(si.cmdline_paddr, strlen(p.cmdline) + 1, AREA_GPA, AREA_SIZE);

    for (i = 0; i < 2; i++) {
        memcpy(&mod, fg_at(&g, si.modlist_paddr + i * sizeof(mod)), sizeof(mod));
        ck_assert_uint_eq(mod.paddr, test_modules[i].paddr);
        ck_assert_uint_eq(mod.size, test_modules[i].size);
        ck_assert_uint_eq(mod.reserved, 0);
        if (test_modules[i].cmdline) {
            ck_assert_str_eq((const char *)fg_at(&g, mod.cmdline_paddr),
                             test_modules[i].cmdline);
            assert_inside_area(mod.cmdline_paddr, strlen(test_modules[i].cmdline) + 1,
                               AREA_GPA, AREA_SIZE);
        } else {
            ck_assert_uint_eq(mod.cmdline_paddr, 0);
        }
    }
    for (i = 0; i < ARRAY_SIZE(test_memmap); i++) {
        memcpy(&e, fg_at(&g, si.memmap_paddr + i * sizeof(e)), sizeof(e));
        ck_assert_uint_eq(e.addr, test_memmap[i].addr);
        ck_assert_uint_eq(e.size, test_memmap[i].size);
        ck_assert_uint_eq(e.type, test_memmap[i].type);
        ck_assert_uint_eq(e.reserved, 0);
    }
    /* Nothing written outside the area. */
    ck_assert(all_bytes(fg_at(&g, 0), AREA_GPA, 0xaa));
    ck_assert(all_bytes(fg_at(&g, AREA_GPA + AREA_SIZE),
                        g.size - AREA_GPA - AREA_SIZE, 0xaa));
    fg_free(&g);
}
END_TEST

START_TEST(test_start_info_minimal)
{
    struct pvh_start_params p = { .area_gpa = 0x1000, .area_size = 0x1000 };
    struct fake_guest g;
    struct hvm_start_info si;
    uint64_t gpa = 0;

    fg_init(&g, 0, 0x3000);
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), 0);
    ck_assert_uint_eq(gpa, 0x1000);
    read_start_info(&g, gpa, &si);
    ck_assert_uint_eq(si.magic, XEN_HVM_START_MAGIC_VALUE);
    ck_assert_uint_eq(si.version, 1);
    ck_assert_uint_eq(si.flags, 0);
    ck_assert_uint_eq(si.nr_modules, 0);
    ck_assert_uint_eq(si.modlist_paddr, 0);
    ck_assert_uint_eq(si.cmdline_paddr, 0);
    ck_assert_uint_eq(si.rsdp_paddr, 0);
    ck_assert_uint_eq(si.memmap_paddr, 0);
    ck_assert_uint_eq(si.memmap_entries, 0);
    /* Exactly the structure was written. */
    ck_assert(all_bytes(fg_at(&g, 0x1000 + sizeof(si)), 0x1000 - sizeof(si), 0xaa));

    /* Fits exactly. */
    p.area_size = sizeof(si);
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), 0);
    /* An empty command line is still a string. */
    p.area_size = sizeof(si) + 1;
    p.cmdline = "";
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), 0);
    read_start_info(&g, gpa, &si);
    ck_assert_uint_eq(si.cmdline_paddr, 0x1000 + sizeof(si));
    ck_assert_uint_eq(*fg_at(&g, si.cmdline_paddr), 0);
    fg_free(&g);
}
END_TEST

START_TEST(test_start_info_unaligned_area)
{
    struct pvh_start_params p;
    struct fake_guest g;
    struct hvm_start_info si;
    uint64_t gpa = 0;

    dom0_params(&p);
    p.area_gpa = AREA_GPA + 3;
    fg_init(&g, 0, 0x10000);
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), 0);
    ck_assert_uint_eq(gpa, AREA_GPA + 8);
    read_start_info(&g, gpa, &si);
    ck_assert_uint_eq(si.magic, XEN_HVM_START_MAGIC_VALUE);
    ck_assert_uint_eq(si.modlist_paddr % 8, 0);
    ck_assert_uint_eq(si.memmap_paddr % 8, 0);
    /* The bytes skipped for alignment are untouched. */
    ck_assert(all_bytes(fg_at(&g, AREA_GPA), 8, 0xaa));

    /* An area too small to even reach the aligned start. */
    p.area_size = 4;
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -ENOSPC);
    fg_free(&g);
}
END_TEST

START_TEST(test_start_info_enospc)
{
    struct pvh_start_params p;
    struct fake_guest g;
    uint64_t gpa = 0, needed = 0, size;

    dom0_params(&p);
    fg_init(&g, 0, 0x10000);
    /* Find the exact size, then check every smaller one. */
    for (size = 0; size <= AREA_SIZE; size++) {
        p.area_size = size;
        if (pvh_build_start_info(&p, &fg_ops, &g, &gpa) == 0) {
            needed = size;
            break;
        }
    }
    ck_assert_uint_gt(needed, sizeof(struct hvm_start_info));
    ck_assert_uint_eq(needed, sizeof(struct hvm_start_info)
                      + 2 * sizeof(struct hvm_modlist_entry)
                      + ARRAY_SIZE(test_memmap) * sizeof(struct hvm_memmap_table_entry)
                      + strlen(p.cmdline) + 1 + strlen("initrd.img") + 1);
    fg_free(&g);

    fg_init(&g, 0, 0x10000);
    for (size = 0; size < needed; size++) {
        p.area_size = size;
        gpa = 0x1234;
        ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -ENOSPC);
        ck_assert_uint_eq(gpa, 0x1234);
    }
    /* Nothing was written by the failed attempts. */
    ck_assert_uint_eq(g.writes + g.zeros, 0);
    ck_assert(all_bytes(g.mem, g.size, 0xaa));
    fg_free(&g);
}
END_TEST

START_TEST(test_start_info_bad_params)
{
    struct pvh_start_params p;
    struct fake_guest g;
    struct hvm_memmap_table_entry mm[1];
    struct pvh_start_module mod[1];
    uint64_t gpa;

    fg_init(&g, 0, 0x10000);

    dom0_params(&p);
    p.area_gpa = 0x100000000ull;                /* above 4 GiB */
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -EINVAL);
    p.area_gpa = 0xfffff000;                    /* crosses 4 GiB */
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -EINVAL);
    p.area_gpa = UINT64_MAX - 0xfff;            /* wraps */
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -EINVAL);
    p.area_gpa = 0;
    p.area_size = UINT64_MAX;
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -EINVAL);

    dom0_params(&p);
    memcpy(mm, &test_memmap[0], sizeof(mm));
    p.memmap = mm;
    p.nr_memmap = 1;
    mm[0].type = 0;
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -EINVAL);
    mm[0].type = XEN_HVM_MEMMAP_TYPE_PMEM + 1;
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -EINVAL);
    mm[0].type = XEN_HVM_MEMMAP_TYPE_RAM;
    mm[0].addr = UINT64_MAX - 0xfff;
    mm[0].size = 0x1000;
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -EINVAL);
    p.memmap = NULL;
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -EINVAL);

    dom0_params(&p);
    memcpy(mod, &test_modules[0], sizeof(mod));
    p.modules = mod;
    p.nr_modules = 1;
    mod[0].paddr = 0;                           /* 0 means "not present" */
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -EINVAL);
    mod[0].paddr = UINT64_MAX;
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -EINVAL);
    p.modules = NULL;
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -EINVAL);

    dom0_params(&p);
    ck_assert_int_eq(pvh_build_start_info(NULL, &fg_ops, &g, &gpa), -EINVAL);
    ck_assert_int_eq(pvh_build_start_info(&p, NULL, &g, &gpa), -EINVAL);
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, NULL), -EINVAL);

    ck_assert_uint_eq(g.writes + g.zeros, 0);
    fg_free(&g);
}
END_TEST

START_TEST(test_start_info_area_not_ram)
{
    struct pvh_start_params p;
    struct fake_guest g;
    uint64_t gpa = 0x1234;

    dom0_params(&p);
    fg_init(&g, 0, AREA_GPA + 0x80);        /* RAM ends inside the block */
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -EFAULT);
    ck_assert_uint_eq(gpa, 0x1234);
    fg_free(&g);

    fg_init(&g, 0, 0x10000);
    g.force_rc = 5;
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -EFAULT);
    g.force_rc = -EIO;
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), -EIO);
    fg_free(&g);
}
END_TEST

/* Parse, load and start-info end to end, as domain building will. */
START_TEST(test_build_linux_guest_end_to_end)
{
    struct img m;
    struct fake_guest g;
    struct pvh_start_params p;
    struct hvm_start_info si;
    uint64_t gpa = 0;

    build_linux(&m, true);
    ck_assert_int_eq(parse(&m, NULL), 0);
    fg_init(&g, 0, LX_INIT + LX_INIT_MEMSZ);
    ck_assert_int_eq(elf_pvh_load(m.b, &info, &fg_ops, &g), 0);

    /* The block two pages below the kernel. */
    dom0_params(&p);
    p.area_gpa = info.paddr_low - 2 * PAGE_SIZE;
    p.area_size = 2 * PAGE_SIZE;
    ck_assert_int_eq(pvh_build_start_info(&p, &fg_ops, &g, &gpa), 0);
    ck_assert_uint_eq(gpa, info.paddr_low - 2 * PAGE_SIZE);
    read_start_info(&g, gpa, &si);
    ck_assert_uint_eq(si.magic, XEN_HVM_START_MAGIC_VALUE);
    ck_assert_uint_lt(si.cmdline_paddr, info.paddr_low);
    /* The kernel's first bytes are intact. */
    ck_assert_mem_eq(fg_at(&g, LX_TEXT), m.b + info.segments[0].offset, 64);
    /* The entry is loaded code. */
    ck_assert_uint_eq(*fg_at(&g, info.phys32_entry),
                      m.b[info.segments[3].offset + (info.phys32_entry - LX_INIT)]);
    fg_free(&g);
}
END_TEST

Suite *pvh_loader_suite(void)
{
    Suite *s = suite_create("pvh_loader");
    TCase *ok = tcase_create("parse");
    TCase *bad = tcase_create("hostile");
    TCase *load = tcase_create("load");
    TCase *si = tcase_create("start_info");

    tcase_add_test(ok, test_minimal_valid);
    tcase_add_test(ok, test_like_linux_layout);
    tcase_add_test(ok, test_phys32_entry_desc_sizes);
    tcase_add_test(ok, test_missing_pvh_note_is_enoent);
    tcase_add_test(ok, test_duplicate_phys32_entry);
    tcase_add_test(ok, test_notes_8_byte_aligned);
    tcase_add_test(ok, test_notes_from_sections);
    tcase_add_test(ok, test_sections_ignored_when_segment_has_notes);
    tcase_add_test(ok, test_string_notes);
    tcase_add_test(ok, test_supported_features_note);
    tcase_add_test(ok, test_empty_load_ignored);
    suite_add_tcase(s, ok);

    tcase_set_timeout(bad, 60);     /* the fuzz loop under ASan */
    tcase_add_test(bad, test_truncated_every_length);
    tcase_add_test(bad, test_bad_identification);
    tcase_add_test(bad, test_elf32_rejected);
    tcase_add_test(bad, test_wrong_machine);
    tcase_add_test(bad, test_not_executable);
    tcase_add_test(bad, test_bad_header_sizes);
    tcase_add_test(bad, test_phdr_table_out_of_bounds);
    tcase_add_test(bad, test_segment_past_end);
    tcase_add_test(bad, test_filesz_above_memsz);
    tcase_add_test(bad, test_wrapping_physical_range);
    tcase_add_test(bad, test_overlapping_segments);
    tcase_add_test(bad, test_too_many_segments);
    tcase_add_test(bad, test_no_load_segment);
    tcase_add_test(bad, test_entry_outside_file_bytes);
    tcase_add_test(bad, test_notes_bad_sizes);
    tcase_add_test(bad, test_notes_at_image_end);
    tcase_add_test(bad, test_section_table_bad);
    tcase_add_test(bad, test_bad_arguments);
    tcase_add_test(bad, test_mutation_fuzz);
    suite_add_tcase(s, bad);

    tcase_add_test(load, test_load_bytes_and_bss);
    tcase_add_test(load, test_load_like_linux);
    tcase_add_test(load, test_load_rejected_range);
    tcase_add_test(load, test_load_bad_arguments);
    suite_add_tcase(s, load);

    tcase_add_test(si, test_start_info_fields);
    tcase_add_test(si, test_start_info_minimal);
    tcase_add_test(si, test_start_info_unaligned_area);
    tcase_add_test(si, test_start_info_enospc);
    tcase_add_test(si, test_start_info_bad_params);
    tcase_add_test(si, test_start_info_area_not_ram);
    tcase_add_test(si, test_build_linux_guest_end_to_end);
    suite_add_tcase(s, si);

    return s;
}
