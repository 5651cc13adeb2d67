/*
 * Guest page-table walker (see sv/guest_walk.h).
 *
 * References: AMD APM vol. 2 ("APM"), 5.2 (legacy PAE paging), 5.3 (long-mode
 * paging), 5.4 (entry fields), 5.6 (page protection), 8.4.2 (#PF error code);
 * Intel SDM vol. 3 ("SDM"), 4.4 (PAE paging), 4.5 (4-level paging), 4.6
 * (access rights), 4.7 (page-fault exceptions), 4.8 (accessed and dirty
 * flags).  Where the vendors differ the walker follows AMD, whose CPUs it
 * runs on; each such place says so.
 *
 * A walk is: pick the paging mode, check the address is canonical, read the
 * entries top-down (stopping at a not-present entry, a reserved bit, or an
 * entry outside guest RAM), accumulate the rights, check the access against
 * them, and only then set the A/D bits.  If an A/D exchange loses a race the
 * walk starts again from the top.
 */
#include <sv/errno.h>
#include <sv/guest_walk.h>
#include <sv/string.h>

#define ENTRIES_PER_TABLE   512
#define ENTRY_SIZE          8

/* CR3 bits 31:5: the 32-byte aligned PDPT of PAE paging (SDM 4.4.1). */
#define PAE_CR3_PDPT_MASK   0xffffffe0ull

enum walk_mode {
    MODE_FLAT,          /* CR0.PG=0 */
    MODE_PAE,           /* CR0.PG=1, CR4.PAE=1, EFER.LMA=0: 3 levels */
    MODE_LONG4,         /* EFER.LMA=1: 4 levels */
};

struct walk {
    const struct guest_walk_ops *ops;
    void *ctx;
    const struct guest_paging *paging;
    enum walk_mode mode;
    uint64_t la;                /* linear address: 32 bits wide outside long mode */
    uint32_t access;            /* GW_ACCESS_*, USER cleared for implicit accesses */
    struct guest_walk_info *info;
};

/* ---- small predicates over the guest state -------------------------- */

static bool nx_enabled(const struct walk *w)
{
    return (w->paging->efer & GW_EFER_NXE) != 0;
}

static bool cr4_has(const struct walk *w, uint64_t bit)
{
    return (w->paging->cr4 & bit) != 0;
}

static bool is_write(const struct walk *w)
{
    return (w->access & GW_ACCESS_WRITE) != 0;
}

static bool is_fetch(const struct walk *w)
{
    return (w->access & GW_ACCESS_FETCH) != 0;
}

static bool is_user_access(const struct walk *w)
{
    return (w->access & GW_ACCESS_USER) != 0;
}

static bool is_pae_pdpte(const struct walk *w, unsigned int level)
{
    return w->mode == MODE_PAE && level == 3;
}

/* Bits hi..lo (inclusive) set; empty when lo > hi. */
static uint64_t bit_range(unsigned int hi, unsigned int lo)
{
    if (lo > hi)
        return 0;
    return (~0ull >> (63 - hi)) & (~0ull << lo);
}

/* ---- mode selection -------------------------------------------------- */

/*
 * EFER.LMA is LME && CR0.PG (APM 14.6), so LMA without PG, or LMA without
 * PAE, is a state VMRUN refuses (APM 15.5.1) and is reported unsupported
 * rather than guessed at.  Protection keys would add PKRU checks to every
 * user-page data access in long mode (SDM 4.6.2); they are not modelled, so
 * a guest with CR4.PKE is refused instead of being translated wrongly.
 */
static enum guest_walk_status select_mode(const struct guest_paging *paging, enum walk_mode *mode)
{
    bool pg = paging->cr0 & GW_CR0_PG;
    bool pae = paging->cr4 & GW_CR4_PAE;
    bool lma = paging->efer & GW_EFER_LMA;

    if (paging->maxphyaddr < GW_MAXPHYADDR_MIN || paging->maxphyaddr > GW_MAXPHYADDR_MAX)
        return GW_UNSUPPORTED;
    if (!pg) {
        *mode = MODE_FLAT;
        return lma ? GW_UNSUPPORTED : GW_OK;
    }
    if (!pae)
        return GW_UNSUPPORTED;          /* 32-bit two-level paging */
    if (!lma) {
        *mode = MODE_PAE;
        return GW_OK;
    }
    if (paging->cr4 & (GW_CR4_LA57 | GW_CR4_PKE))
        return GW_UNSUPPORTED;
    *mode = MODE_LONG4;
    return GW_OK;
}

static unsigned int top_level_of(enum walk_mode mode)
{
    return mode == MODE_LONG4 ? 4 : mode == MODE_PAE ? 3 : 0;
}

/* 4-level paging translates 48-bit addresses; bits 63:47 must all equal bit
 * 47 (APM 5.3.1, SDM 3.3.7.1), else the access raises #GP/#SS before paging
 * is consulted. */
static bool is_canonical_48(uint64_t la)
{
    uint64_t upper = la >> 47;

    return upper == 0 || upper == (~0ull >> 47);
}

/* ---- entry formats ---------------------------------------------------- */

static uint64_t top_table_gpa(const struct walk *w)
{
    if (w->mode == MODE_PAE)
        return w->paging->cr3 & PAE_CR3_PDPT_MASK;
    /* CR3[51:12]; bits 11:0 are PWT/PCD or the PCID. */
    return w->paging->cr3 & GPTE_ADDR_MASK;
}

static uint64_t entry_gpa_in(const struct walk *w, uint64_t table, unsigned int level)
{
    unsigned int shift = PAGE_SHIFT + 9 * (level - 1);

    /* For the PAE PDPT this yields 0..3: la is only 32 bits wide. */
    return table + ((w->la >> shift) & (ENTRIES_PER_TABLE - 1)) * ENTRY_SIZE;
}

/*
 * Physical-address bits at or above MAXPHYADDR are reserved in present
 * entries: bits 51:M in long mode (62:52 are ignored there), but 62:M under
 * PAE paging, whose entries have no software-available high bits (SDM 4.4.2
 * against 4.5.4 entry formats; APM 5.2 and 5.3 figures).
 */
static uint64_t high_reserved_bits(const struct walk *w)
{
    unsigned int top = w->mode == MODE_PAE ? 62 : 51;

    return bit_range(top, w->paging->maxphyaddr);
}

/*
 * PAE PDPTEs are a format of their own: only P, PWT, PCD, the address and
 * ignored bits 11:9; bits 2:1, 8:5 and 63:M are reserved, NX included (SDM
 * 4.4.1, APM 5.2).  Intel loads them at MOV CR3 and raises #GP there for
 * reserved bits (SDM 4.4.1); AMD reads them during the walk, and so does this
 * walker, reporting #PF with RSVD.
 */
static uint64_t pae_pdpte_reserved_bits(const struct walk *w)
{
    return bit_range(63, w->paging->maxphyaddr) | bit_range(2, 1) | bit_range(8, 5);
}

/*
 * Reserved bits of a present entry at level (SDM 4.5.4, APM 5.3 entry
 * figures).  Besides the address bits above MAXPHYADDR:
 *  - NX (bit 63) when EFER.NXE=0, at every level;
 *  - PML4E: PS (bit 7); on AMD also bit 8 ("MBZ" in the long-mode PML4E
 *    format, APM 5.3; Intel ignores it);
 *  - PDPTE with PS=1: PS itself when 1 GiB pages are not offered, else bits
 *    29:13 (bit 12 is PAT);
 *  - PDE with PS=1: bits 20:13 (bit 12 is PAT);
 *  - PTE: none (bit 7 is PAT).
 */
static uint64_t reserved_bits(const struct walk *w, unsigned int level, uint64_t entry)
{
    uint64_t rsvd = high_reserved_bits(w);
    bool large = entry & GPTE_PS;

    if (is_pae_pdpte(w, level))
        return pae_pdpte_reserved_bits(w);
    if (!nx_enabled(w))
        rsvd |= GPTE_NX;
    switch (level) {
    case 4:
        return rsvd | GPTE_PS | GPTE_G;
    case 3:
        if (!large)
            return rsvd;
        return rsvd | (w->paging->gbpages ? bit_range(29, 13) : GPTE_PS);
    case 2:
        return large ? rsvd | bit_range(20, 13) : rsvd;
    default:
        return rsvd;
    }
}

/* Only reached for entries without reserved bits, so PS here is a real
 * 1 GiB/2 MiB leaf (it is reserved in PML4Es and PAE PDPTEs). */
static bool is_leaf(unsigned int level, uint64_t entry)
{
    return level == 1 || (entry & GPTE_PS);
}

static uint64_t leaf_page_size(unsigned int level)
{
    return level == 3 ? GW_PAGE_1G : level == 2 ? GW_PAGE_2M : GW_PAGE_4K;
}

static uint64_t leaf_addr_mask(unsigned int level)
{
    return level == 3 ? GPTE_ADDR_1G : level == 2 ? GPTE_ADDR_2M : GPTE_ADDR_MASK;
}

/* ---- rights ------------------------------------------------------------ */

/*
 * A page is writable only if R/W=1, and user only if U/S=1, in every entry
 * used; it is no-execute if NX=1 in any of them (SDM 4.6.1: "user-mode
 * address", "read-only"; APM 5.6).  PAE PDPTEs carry no rights.
 */
static void accumulate_rights(const struct walk *w, unsigned int level, uint64_t entry)
{
    struct guest_walk_info *info = w->info;

    if (is_pae_pdpte(w, level))
        return;
    info->writable = info->writable && (entry & GPTE_RW);
    info->user = info->user && (entry & GPTE_US);
    info->nx = info->nx || (nx_enabled(w) && (entry & GPTE_NX));
}

/*
 * SMAP (SDM 4.6.1, APM 5.6): supervisor data accesses to user pages are
 * blocked unless RFLAGS.AC=1 and the access is explicit; implicit supervisor
 * accesses are blocked whatever AC says.
 */
static bool smap_blocks(const struct walk *w)
{
    if (!cr4_has(w, GW_CR4_SMAP))
        return false;
    return !w->paging->rflags_ac || (w->access & GW_ACCESS_IMPLICIT);
}

/* Fetches: never from NX pages; user fetches only from user pages;
 * supervisor fetches from user pages only without SMEP (SDM 4.6.1, APM
 * 5.6).  SMAP and R/W play no part. */
static bool fetch_permitted(const struct walk *w)
{
    const struct guest_walk_info *info = w->info;

    if (info->nx)
        return false;
    if (is_user_access(w))
        return info->user;
    return !(info->user && cr4_has(w, GW_CR4_SMEP));
}

/* User data accesses: user pages only, writes to writable ones only,
 * whatever CR0.WP says. */
static bool user_data_permitted(const struct walk *w)
{
    const struct guest_walk_info *info = w->info;

    return info->user && (!is_write(w) || info->writable);
}

/* Supervisor data accesses: SMAP for user pages; writes to read-only pages
 * only while CR0.WP=0 (SDM 4.6.1, APM 5.6). */
static bool supervisor_data_permitted(const struct walk *w)
{
    const struct guest_walk_info *info = w->info;

    if (info->user && smap_blocks(w))
        return false;
    return !is_write(w) || info->writable || !(w->paging->cr0 & GW_CR0_WP);
}

static bool access_permitted(const struct walk *w)
{
    if (is_fetch(w))
        return fetch_permitted(w);
    return is_user_access(w) ? user_data_permitted(w) : supervisor_data_permitted(w);
}

/* ---- faults ------------------------------------------------------------ */

/*
 * The error code describes the access, not the page (SDM 4.7): W/R for a
 * write, U/S for a user-mode access (an implicit supervisor access reports
 * 0), and I/D for a fetch only when EFER.NXE=1 or CR4.SMEP=1 (SDM 4.7; APM
 * 8.4.2 names only NXE, the SDM rule is the superset).  cause is 0 for a
 * not-present entry, P for a protection violation, P|RSVD for a reserved bit.
 */
static enum guest_walk_status page_fault(const struct walk *w, uint32_t cause)
{
    uint32_t pfec = cause | (w->access & (GW_PF_WRITE | GW_PF_USER));

    if (is_fetch(w) && (nx_enabled(w) || cr4_has(w, GW_CR4_SMEP)))
        pfec |= GW_PF_FETCH;
    w->info->pfec = pfec;
    w->info->cr2 = w->la;
    return GW_PAGE_FAULT;
}

/* ---- the walk ---------------------------------------------------------- */

static void start_attempt(struct walk *w)
{
    struct guest_walk_info *info = w->info;

    memset(info, 0, sizeof(*info));
    info->top_level = top_level_of(w->mode);
    info->writable = true;
    info->user = true;
}

/*
 * Read the entries top-down.  The first not-present entry or reserved bit
 * ends the walk (SDM 4.7: no translation), so lower levels are never read;
 * the access rights are checked only once the leaf is known, so a
 * not-present or reserved entry lower down wins over a permission problem
 * higher up, as on the CPU.
 */
static enum guest_walk_status read_tables(struct walk *w)
{
    struct guest_walk_info *info = w->info;
    uint64_t table = top_table_gpa(w);

    for (unsigned int level = info->top_level; level >= 1; level--) {
        uint64_t gpa = entry_gpa_in(w, table, level);
        uint64_t entry;

        info->level = level;
        info->entry_gpa[level - 1] = gpa;
        if (w->ops->read_entry(w->ctx, gpa, &entry) != 0) {
            info->bad_gpa = gpa;
            return GW_NOT_RAM;
        }
        info->entry[level - 1] = entry;
        if (!(entry & GPTE_P))
            return page_fault(w, 0);
        if (entry & reserved_bits(w, level, entry))
            return page_fault(w, GW_PF_PRESENT | GW_PF_RSVD);
        accumulate_rights(w, level, entry);
        if (is_leaf(level, entry))
            return access_permitted(w) ? GW_OK : page_fault(w, GW_PF_PRESENT);
        table = entry & GPTE_ADDR_MASK;
    }
    return GW_UNSUPPORTED;      /* not reached: level 1 is always a leaf */
}

/* A in every entry used, D too in the leaf of a write (SDM 4.8, APM 5.4.1).
 * PAE PDPTEs have no A bit (bit 5 is reserved there). */
static uint64_t ad_bits_to_set(const struct walk *w, unsigned int level)
{
    if (is_pae_pdpte(w, level))
        return 0;
    if (level == w->info->level && is_write(w))
        return GPTE_A | GPTE_D;
    return GPTE_A;
}

/*
 * Set the A/D bits of a successful walk, top-down as the CPU walks, each with
 * one compare-and-exchange against the value the walk used.  -EAGAIN: that
 * entry changed since it was read, so the translation may be stale and the
 * caller walks again.  The SDM and APM describe A as set for each entry the
 * processor uses; for a walk that faults lower down, hardware may or may not
 * have set A above (upper levels may come from paging-structure caches, SDM
 * 4.10.3), and guests cannot depend on it.  Writing A only for complete
 * translations keeps the update all-or-nothing per attempt (as Xen and KVM
 * do).
 */
static int set_accessed_dirty(struct walk *w)
{
    struct guest_walk_info *info = w->info;

    for (unsigned int level = info->top_level; level >= info->level; level--) {
        uint64_t old = info->entry[level - 1];
        uint64_t new = old | ad_bits_to_set(w, level);
        int rc;

        if (new == old)
            continue;
        rc = w->ops->cmpxchg_entry(w->ctx, info->entry_gpa[level - 1], old, new);
        if (rc != 0) {
            if (rc != -EAGAIN) {
                info->level = level;
                info->bad_gpa = info->entry_gpa[level - 1];
            }
            return rc;
        }
        info->entry[level - 1] = new;
    }
    return 0;
}

static void fill_translation(struct walk *w)
{
    struct guest_walk_info *info = w->info;
    uint64_t leaf = info->entry[info->level - 1];

    info->leaf_entry = leaf;
    info->page_size = leaf_page_size(info->level);
    info->gpa = (leaf & leaf_addr_mask(info->level)) | (w->la & (info->page_size - 1));
}

/* One attempt; GW_RETRY when an A/D exchange lost a race. */
static enum guest_walk_status walk_once(struct walk *w)
{
    enum guest_walk_status status;
    int rc;

    start_attempt(w);
    status = read_tables(w);
    if (status != GW_OK)
        return status;
    rc = set_accessed_dirty(w);
    if (rc == -EAGAIN)
        return GW_RETRY;
    if (rc != 0)
        return GW_NOT_RAM;
    fill_translation(w);
    return GW_OK;
}

/* Paging off: the linear address is the physical address, and there are no
 * rights to check (SDM 4.1.1). */
static enum guest_walk_status translate_flat(struct walk *w)
{
    struct guest_walk_info *info = w->info;

    start_attempt(w);
    info->gpa = w->la;
    info->page_size = GW_PAGE_4K;
    return GW_OK;
}

/* An implicit supervisor access is supervisor-mode whatever the CPL (SDM
 * 4.6), and the error code reports it with U/S=0. */
static uint32_t normalise_access(uint32_t access)
{
    if (access & GW_ACCESS_IMPLICIT)
        access &= ~GW_ACCESS_USER;
    return access & (GW_ACCESS_WRITE | GW_ACCESS_USER | GW_ACCESS_FETCH | GW_ACCESS_IMPLICIT);
}

enum guest_walk_status guest_walk(const struct guest_walk_ops *ops, void *ctx,
                                  const struct guest_paging *paging, uint64_t addr,
                                  uint32_t access, struct guest_walk_info *info)
{
    struct walk w = {
        .ops = ops,
        .ctx = ctx,
        .paging = paging,
        .access = normalise_access(access),
        .info = info,
    };
    enum guest_walk_status status;

    memset(info, 0, sizeof(*info));
    status = select_mode(paging, &w.mode);
    if (status != GW_OK)
        return status;
    w.la = w.mode == MODE_LONG4 ? addr : (uint32_t)addr;
    if (w.mode == MODE_FLAT)
        return translate_flat(&w);
    if (w.mode == MODE_LONG4 && !is_canonical_48(w.la)) {
        info->top_level = 4;
        return GW_NONCANONICAL;
    }
    for (unsigned int attempt = 0; attempt < GUEST_WALK_MAX_ATTEMPTS; attempt++) {
        status = walk_once(&w);
        if (status != GW_RETRY)
            return status;
    }
    return GW_RETRY;
}

const char *guest_walk_status_name(enum guest_walk_status status)
{
    static const char *const names[] = {
        [GW_OK] = "ok",
        [GW_PAGE_FAULT] = "page-fault",
        [GW_NONCANONICAL] = "non-canonical",
        [GW_NOT_RAM] = "not-ram",
        [GW_RETRY] = "retry",
        [GW_UNSUPPORTED] = "unsupported",
    };

    if ((unsigned int)status < ARRAY_SIZE(names) && names[status])
        return names[status];
    return "bad-status";
}
