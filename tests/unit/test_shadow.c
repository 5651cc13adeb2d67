/*
 * Shadow paging (hypervisor/mm/shadow.c) on a fake machine.
 *
 * One array of MACHINE_PAGES page-aligned pages is the machine memory; a
 * frame number is an index into it.  Out of it come guest RAM (RAM_PAGES
 * frames, scattered by a fixed shuffle so that no gpa equals its machine
 * address), the p2m's own tables, and the shadow tables (through
 * struct shadow_ops, which counts live tables and can be made to fail).
 * The core tests run twice: with plain shadow_ops, and with the optional
 * leaf tables that carry origin records for the audit (three contiguous
 * frames each).
 * The p2m also maps a second window onto the same RAM at 1 GiB, in another
 * order, so that a remapped large page lands on different frames.  Guest
 * page tables are built in guest RAM through the p2m, and guest_walk reads
 * them through the p2m as well.
 *
 * "The CPU" is hw_access(): it walks the SHADOW tables as hardware does
 * (legacy PAE with 4 PDPTEs for SHADOW_PAE, 4-level for SHADOW_LONG) with
 * CR0.WP=1 and EFER.NXE=1 and no SMEP/SMAP, sets A/D in them, and yields a
 * machine address or a #PF error code.  run() re-executes the access,
 * calling shadow_fault() on each hardware fault, until it completes or
 * shadow_fault() says something other than SHADOW_FIXED.  The reference is
 * a side-effect free guest_walk() composed with p2m_lookup().
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sv/errno.h>
#include <sv/guest_walk.h>
#include <sv/p2m.h>
#include <sv/shadow.h>

#include "suites.h"

#define X(v) ((unsigned long long)(v))

/*
 * Check's ck_assert records a mark point (a write to its pipe) on every
 * success; the helpers below run millions of times, so they use these,
 * which call into Check only to fail.
 */
#define REQUIRE(expr)                                                                         \
    do {                                                                                      \
        if (!(expr))                                                                          \
            ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #expr);                             \
    } while (0)
#define REQUIRE_MSG(expr, ...)                                                                \
    do {                                                                                      \
        if (!(expr))                                                                          \
            ck_abort_msg(__VA_ARGS__);                                                        \
    } while (0)

/* ---- the machine ---------------------------------------------------------- */

#define MACHINE_PAGES   4096u
#define RAM_PAGES       2048u                       /* guest RAM: gpa 0 .. 8 MiB */
#define RAM_SIZE        ((uint64_t)RAM_PAGES << PAGE_SHIFT)
#define TABLE_GFN       1024u                       /* guest page tables: gfn 1024 .. 2047 */
#define RANDOM_SPACES   3u
#define SPACE_PAGES     110u                        /* guest table pages per random space */
#define FIXED_TABLE_GFN (TABLE_GFN + RANDOM_SPACES * SPACE_PAGES)
#define ALIAS_GFN       0x40000ull                  /* gpa 1 GiB: the same RAM, another order */
#define ALIAS_GPA       (ALIAS_GFN << PAGE_SHIFT)
#define HOLE_GFN        0x300ull                    /* inside RAM, absent from the p2m */
#define ROM_GFN         0x301ull                    /* P2M_RAM_RO */
#define GRANT_RO_GFN    0x302ull                    /* P2M_GRANT_MAP_RO */
#define GRANT_RW_GFN    0x303ull                    /* P2M_GRANT_MAP_RW */
#define SHINFO_GFN      0x304ull                    /* P2M_SHARED_INFO */
#define MMIO_GFN        0xfec00ull                  /* P2M_MMIO, below 4 GiB, far from RAM */
#define MMIO_MFN        0xfed00ull                  /* a device frame: never dereferenced */
#define APIC_GFN        0xfee00ull                  /* P2M_MMIO_WP: read in place, writes trap */
#define NOT_RAM_GPA     0x80000000ull               /* 2 GiB: nothing there */

#define HIGH_FREE_PAGES 512u                        /* the top frames: never guest RAM */

enum owner { FREE, GUEST_RAM, P2M_TABLE, SHADOW_TABLE, SHADOW_LEAF, SHADOW_ORIGIN };

static uint64_t machine[MACHINE_PAGES][512] __attribute__((aligned(4096)));
static unsigned char owner[MACHINE_PAGES];
static mfn_t ram_mfn[RAM_PAGES];
static unsigned int alloc_cursor;

static struct {
    int allocs_left;            /* -1: unlimited */
    unsigned int live, allocs, frees;
} shpool;

static struct {
    bool race;                  /* every cmpxchg finds the entry changed */
} gmem;

static bool with_origin;        /* shadow_ops with leaf tables (origin records) */
static bool cached;             /* roots kept across CR3 writes (shadow_set_roots 4) */
static struct p2m p2m;
static struct shadow sh;
static struct guest_paging gp;

static uint64_t rng;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint64_t rnd_below(uint64_t n)
{
    return rnd() % n;
}

static bool chance(unsigned int percent)
{
    return rnd_below(100) < percent;
}

/* n contiguous free frames, zeroed: the first owned by who, the others by rest. */
static mfn_t take_frames(unsigned int n, enum owner who, enum owner rest)
{
    for (unsigned int tries = 0; tries < MACHINE_PAGES; tries++) {
        mfn_t mfn = alloc_cursor;
        bool free = mfn != 0 && mfn + n <= MACHINE_PAGES;

        alloc_cursor = (alloc_cursor + 1) % MACHINE_PAGES;
        for (unsigned int i = 0; free && i < n; i++)
            free = owner[mfn + i] == FREE;
        if (!free)
            continue;
        for (unsigned int i = 0; i < n; i++) {
            owner[mfn + i] = i ? rest : who;
            memset(machine[mfn + i], 0, PAGE_SIZE);
        }
        return mfn;
    }
    return INVALID_MFN;
}

static mfn_t take_frame(enum owner who)
{
    return take_frames(1, who, who);
}

static void give_back(mfn_t mfn)
{
    memset(machine[mfn], 0xa5, PAGE_SIZE);      /* poison: a stale user reads junk */
    owner[mfn] = FREE;
}

/* p2m tables */

static void *p2m_alloc(void *ctx, mfn_t *mfn)
{
    REQUIRE((ctx) == NULL);
    *mfn = take_frame(P2M_TABLE);
    REQUIRE_MSG(*mfn != INVALID_MFN, "machine memory exhausted (p2m)");
    return machine[*mfn];
}

static void p2m_free(void *ctx, mfn_t mfn, void *table)
{
    REQUIRE((ctx) == NULL);
    REQUIRE(mfn < MACHINE_PAGES && owner[mfn] == P2M_TABLE);
    REQUIRE((void *)(table) == (void *)(machine[mfn]));
    give_back(mfn);
}

static void *p2m_table_at(void *ctx, mfn_t mfn)
{
    REQUIRE((ctx) == NULL);
    REQUIRE(mfn < MACHINE_PAGES && owner[mfn] == P2M_TABLE);
    return machine[mfn];
}

static const struct p2m_ops p2m_ops = { p2m_alloc, p2m_free, p2m_table_at, NULL };

/* shadow tables: counted, with failure injection */

static void *sh_alloc(void *ctx, mfn_t *mfn)
{
    REQUIRE((void *)(ctx) == (void *)(&shpool));
    if (shpool.allocs_left == 0)
        return NULL;
    *mfn = take_frame(SHADOW_TABLE);
    REQUIRE_MSG(*mfn != INVALID_MFN, "machine memory exhausted (shadow)");
    if (shpool.allocs_left > 0)
        shpool.allocs_left--;
    shpool.live++;
    shpool.allocs++;
    return machine[*mfn];
}

static void sh_free(void *ctx, mfn_t mfn, void *table)
{
    REQUIRE((void *)(ctx) == (void *)(&shpool));
    REQUIRE_MSG(mfn < MACHINE_PAGES && owner[mfn] == SHADOW_TABLE,
                "free_table(%#llx): not a live shadow table", X(mfn));
    REQUIRE((void *)(table) == (void *)(machine[mfn]));
    give_back(mfn);
    shpool.live--;
    shpool.frees++;
}

static bool is_shadow_table(mfn_t mfn)
{
    return mfn < MACHINE_PAGES && (owner[mfn] == SHADOW_TABLE || owner[mfn] == SHADOW_LEAF);
}

static void *sh_table_at(void *ctx, mfn_t mfn)
{
    REQUIRE((void *)(ctx) == (void *)(&shpool));
    REQUIRE_MSG(is_shadow_table(mfn), "table_at(%#llx): not a live shadow table", X(mfn));
    return machine[mfn];
}

/* A last-level table and its two origin pages, contiguous. */
static void *sh_alloc_leaf(void *ctx, mfn_t *mfn)
{
    REQUIRE((void *)(ctx) == (void *)(&shpool));
    REQUIRE(with_origin);
    if (shpool.allocs_left == 0)
        return NULL;
    *mfn = take_frames(3, SHADOW_LEAF, SHADOW_ORIGIN);
    REQUIRE_MSG(*mfn != INVALID_MFN, "machine memory exhausted (shadow leaf tables)");
    if (shpool.allocs_left > 0)
        shpool.allocs_left--;
    shpool.live++;
    shpool.allocs++;
    return machine[*mfn];
}

static void sh_free_leaf(void *ctx, mfn_t mfn, void *table)
{
    REQUIRE((void *)(ctx) == (void *)(&shpool));
    REQUIRE_MSG(mfn + 2 < MACHINE_PAGES && owner[mfn] == SHADOW_LEAF &&
                owner[mfn + 1] == SHADOW_ORIGIN && owner[mfn + 2] == SHADOW_ORIGIN,
                "free_leaf_table(%#llx): not a live shadow leaf table", X(mfn));
    REQUIRE((void *)(table) == (void *)(machine[mfn]));
    for (unsigned int i = 0; i < 3; i++)
        give_back(mfn + i);
    shpool.live--;
    shpool.frees++;
}

static const void *sh_frame_at(void *ctx, mfn_t mfn)
{
    REQUIRE((void *)(ctx) == (void *)(&shpool));
    REQUIRE_MSG(mfn < MACHINE_PAGES && owner[mfn] == GUEST_RAM, "frame %#llx is not guest RAM", X(mfn));
    return machine[mfn];
}

static const struct shadow_ops sh_ops = {
    .alloc_table = sh_alloc,
    .free_table = sh_free,
    .table_at = sh_table_at,
    .frame_at = sh_frame_at,
};

static const struct shadow_ops sh_ops_origin = {
    .alloc_table = sh_alloc,
    .free_table = sh_free,
    .table_at = sh_table_at,
    .alloc_leaf_table = sh_alloc_leaf,
    .free_leaf_table = sh_free_leaf,
    .frame_at = sh_frame_at,
};

/* ---- guest-physical memory, through the p2m ------------------------------- */

/* The word at gpa if the guest has RAM there (writable RAM for a write). */
static uint64_t *guest_word(uint64_t gpa, bool write)
{
    enum p2m_type type;
    mfn_t mfn = p2m_lookup(&p2m, gpa >> PAGE_SHIFT, &type);

    if (type != P2M_RAM_RW && (write || type != P2M_RAM_RO))
        return NULL;
    REQUIRE(mfn < MACHINE_PAGES && owner[mfn] == GUEST_RAM);
    return &machine[mfn][(gpa & (PAGE_SIZE - 1)) / 8];
}

static uint64_t *gword(uint64_t gpa)
{
    uint64_t *p = guest_word(gpa, true);

    REQUIRE_MSG(p, "gpa %#llx is not guest RAM", X(gpa));
    return p;
}

static int gw_read(void *ctx, uint64_t gpa, uint64_t *val)
{
    const uint64_t *p;

    REQUIRE((void *)(ctx) == (void *)(&gmem));
    REQUIRE((gpa & 7) == (0));
    p = guest_word(gpa, false);
    if (!p)
        return -EFAULT;
    *val = *p;
    return 0;
}

static int gw_cmpxchg(void *ctx, uint64_t gpa, uint64_t old, uint64_t new)
{
    uint64_t *p;

    REQUIRE((void *)(ctx) == (void *)(&gmem));
    p = guest_word(gpa, true);
    if (!p)
        return -EFAULT;
    if (gmem.race)
        *p ^= 1ull << 52;                   /* another vCPU changed an ignored bit */
    if (*p != old)
        return -EAGAIN;
    *p = new;
    return 0;
}

static const struct guest_walk_ops gw_ops = { gw_read, gw_cmpxchg };

/* The reference walks change nothing: their A/D updates are dropped. */
static int ref_cmpxchg(void *ctx, uint64_t gpa, uint64_t old, uint64_t new)
{
    (void)ctx;
    (void)gpa;
    (void)old;
    (void)new;
    return 0;
}

static const struct guest_walk_ops ref_ops = { gw_read, ref_cmpxchg };

static void build_machine(void)
{
    static mfn_t perm[MACHINE_PAGES - 1];
    uint64_t s = 0x9e3779b97f4a7c15ull;

    memset(machine, 0, sizeof(machine));
    memset(owner, 0, sizeof(owner));
    alloc_cursor = 1;
    for (unsigned int i = 0; i < MACHINE_PAGES - 1; i++)
        perm[i] = i + 1;                    /* frame 0 is never used */
    for (unsigned int i = MACHINE_PAGES - HIGH_FREE_PAGES - 2; i > 0; i--) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        unsigned int j = s % (i + 1);
        mfn_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (unsigned int g = 0; g < RAM_PAGES; g++) {
        ram_mfn[g] = perm[g];
        owner[perm[g]] = GUEST_RAM;
    }

    REQUIRE(p2m_init(&p2m, &p2m_ops, NULL) == 0);
    for (unsigned int g = 0; g < RAM_PAGES; g++)
        REQUIRE(p2m_set_entry(&p2m, g, ram_mfn[g], P2M_RAM_RW) == 0);
    for (unsigned int i = 0; i < RAM_PAGES; i++)     /* 773 is odd: a permutation */
        REQUIRE(p2m_set_entry(&p2m, ALIAS_GFN + i, ram_mfn[(i * 773 + 129) % RAM_PAGES],
                              P2M_RAM_RW) == 0);
    REQUIRE(p2m_set_entry(&p2m, HOLE_GFN, 0, P2M_INVALID) == 0);
    REQUIRE(p2m_set_entry(&p2m, ROM_GFN, ram_mfn[ROM_GFN], P2M_RAM_RO) == 0);
    REQUIRE(p2m_set_entry(&p2m, GRANT_RO_GFN, ram_mfn[GRANT_RO_GFN], P2M_GRANT_MAP_RO) == 0);
    REQUIRE(p2m_set_entry(&p2m, GRANT_RW_GFN, ram_mfn[GRANT_RW_GFN], P2M_GRANT_MAP_RW) == 0);
    REQUIRE(p2m_set_entry(&p2m, SHINFO_GFN, ram_mfn[SHINFO_GFN], P2M_SHARED_INFO) == 0);
    REQUIRE(p2m_set_entry(&p2m, MMIO_GFN, MMIO_MFN, P2M_MMIO) == 0);
    REQUIRE(p2m_set_entry(&p2m, APIC_GFN, APIC_GFN, P2M_MMIO_WP) == 0);
}

/* The machine address p2m(gpa); the gpa must be in the p2m. */
static uint64_t ma_of(uint64_t gpa)
{
    enum p2m_type type;
    mfn_t mfn = p2m_lookup(&p2m, gpa >> PAGE_SHIFT, &type);

    REQUIRE_MSG(type != P2M_INVALID, "gpa %#llx not in the p2m", X(gpa));
    return (mfn << PAGE_SHIFT) | (gpa & (PAGE_SIZE - 1));
}

/* Writable in the p2m (as the nested-paging leaf flags have it). */
static bool p2m_writable(enum p2m_type t)
{
    return t == P2M_RAM_RW || t == P2M_MMIO || t == P2M_SHARED_INFO || t == P2M_GRANT_MAP_RW;
}

/* ---- guest page tables ---------------------------------------------------- */

#define CR0_PE  1ull
#define TABLE   (GPTE_P | GPTE_RW | GPTE_US)
#define LEAF    (GPTE_P | GPTE_RW | GPTE_US)
#define AD      (GPTE_A | GPTE_D)

static unsigned int gpt_next, gpt_end;

static uint64_t gpt_alloc(void)
{
    uint64_t gpa;

    REQUIRE_MSG(gpt_next < gpt_end, "out of guest page-table pages");
    gpa = (uint64_t)gpt_next++ << PAGE_SHIFT;
    memset(gword(gpa), 0, PAGE_SIZE);
    return gpa;
}

static void long_mode(void)
{
    gp = (struct guest_paging){
        .cr0 = CR0_PE | GW_CR0_PG | GW_CR0_WP,
        .cr4 = GW_CR4_PAE,
        .efer = GW_EFER_LME | GW_EFER_LMA | GW_EFER_NXE,
        .gbpages = true,
        .maxphyaddr = 40,
    };
    gp.cr3 = gpt_alloc();
}

static void paging_off(void)
{
    gp = (struct guest_paging){ .cr0 = CR0_PE, .maxphyaddr = 40 };
}

static void reset_ok(void)
{
    REQUIRE(shadow_reset(&sh, &gp) == 0);
}

/* The guest writes CR3 (a new space, or the same one to flush). */
static void cr3_write(void)
{
    REQUIRE(cached ? shadow_set_cr3(&sh, &gp) == 0 : shadow_reset(&sh, &gp) == 0);
}

static unsigned int gidx(uint64_t va, unsigned int level)
{
    return (va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

static uint64_t level_size(unsigned int level)
{
    return 1ull << (PAGE_SHIFT + 9 * (level - 1));
}

/* A canonical long-mode address from its four table indexes. */
static uint64_t mkva(uint64_t l4, uint64_t l3, uint64_t l2, uint64_t l1)
{
    uint64_t va = (l4 << 39) | (l3 << 30) | (l2 << 21) | (l1 << 12);

    return (l4 & 256) ? va | 0xffff000000000000ull : va;
}

/* va's entry at level in the tables under cr3, making the tables above it. */
static uint64_t *gentry_in(uint64_t cr3, uint64_t va, unsigned int level)
{
    uint64_t table = cr3 & GPTE_ADDR_MASK;

    for (unsigned int l = 4; l > level; l--) {
        uint64_t *e = gword(table + gidx(va, l) * 8);

        if (!(*e & GPTE_P))
            *e = gpt_alloc() | TABLE;
        REQUIRE_MSG(l == 4 || !(*e & GPTE_PS), "va %#llx: large page at level %u", X(va), l);
        table = *e & GPTE_ADDR_MASK;
    }
    return gword(table + gidx(va, level) * 8);
}

static uint64_t *gentry(uint64_t va, unsigned int level)
{
    return gentry_in(gp.cr3, va, level);
}

/* Map va to gpa with a leaf at level (1: 4 KiB, 2: 2 MiB, 3: 1 GiB). */
static void gmap_in(uint64_t cr3, uint64_t va, uint64_t gpa, unsigned int level, uint64_t flags)
{
    *gentry_in(cr3, va, level) = gpa | flags | (level > 1 ? GPTE_PS : 0);
}

static void gmap(uint64_t va, uint64_t gpa, unsigned int level, uint64_t flags)
{
    gmap_in(gp.cr3, va, gpa, level, flags);
}

/* ---- the shadow, as the CPU sees it ---------------------------------------- */

#define K_READ  0u
#define K_WRITE GW_ACCESS_WRITE
#define K_USER  GW_ACCESS_USER
#define K_FETCH GW_ACCESS_FETCH
#define PF_P    GW_PF_PRESENT
#define PF_W    GW_PF_WRITE
#define PF_U    GW_PF_USER
#define PF_RSVD GW_PF_RSVD
#define PF_I    GW_PF_FETCH

static uint64_t *sh_tab(mfn_t mfn)
{
    REQUIRE_MSG(is_shadow_table(mfn), "shadow entry points at %#llx, not a shadow table", X(mfn));
    return machine[mfn];
}

static bool sh_pae(void)
{
    return sh.format == SHADOW_PAE;
}

static unsigned int sh_index(uint64_t va, unsigned int level)
{
    return sh_pae() && level == 3 ? (va >> 30) & 3 : gidx(va, level);
}

/* The shadow entry of va at level, or NULL when a table above is absent. */
static uint64_t *sh_entry(uint64_t va, unsigned int level)
{
    mfn_t t;

    REQUIRE(sh.format == SHADOW_PAE || sh.format == SHADOW_LONG);
    if (sh_pae())
        va = (uint32_t)va;
    t = shadow_root_pa(&sh) >> PAGE_SHIFT;
    for (unsigned int l = sh_pae() ? 3 : 4; l > level; l--) {
        uint64_t e = sh_tab(t)[sh_index(va, l)];

        if (!(e & GPTE_P))
            return NULL;
        t = (e & GPTE_ADDR_MASK) >> PAGE_SHIFT;
    }
    return &sh_tab(t)[sh_index(va, level)];
}

/* The shadow leaf of va, 0 when there is none. */
static uint64_t sh_leaf(uint64_t va)
{
    const uint64_t *e = sh_entry(va, 1);

    return e ? *e : 0;
}

static bool canonical(uint64_t va)
{
    uint64_t upper = va >> 47;

    return upper == 0 || upper == 0x1ffff;
}

/*
 * One access by the CPU on the shadow tables (CR0.WP=1, EFER.NXE=1, no
 * SMEP/SMAP).  true with the machine address, or false with the #PF error
 * code.  Entries the shadow must never produce (reserved bits, large pages,
 * PAE PDPTE rights) fail the test.
 */
static bool hw_access(uint64_t va, uint32_t kind, uint64_t *ma, uint32_t *pfec)
{
    bool pae = sh_pae(), write = kind & K_WRITE, user = kind & K_USER, fetch = kind & K_FETCH;
    bool w = true, u = true, nx = false;
    paddr_t cr3 = shadow_root_pa(&sh);
    uint64_t *used[4], leaf = 0;
    unsigned int n = 0;
    mfn_t t;

    REQUIRE_MSG(sh.format == SHADOW_PAE || sh.format == SHADOW_LONG, "no shadow to run on");
    REQUIRE((cr3 & (PAGE_SIZE - 1)) == (0));
    if (pae) {
        REQUIRE_MSG(cr3 < (1ull << 32), "legacy PAE CR3 %#llx above 4 GiB", X(cr3));
        va = (uint32_t)va;
    } else {
        REQUIRE_MSG(canonical(va), "the CPU raises #GP for va %#llx", X(va));
    }
    *pfec = (write ? PF_W : 0) | (user ? PF_U : 0) | (fetch ? PF_I : 0);
    t = cr3 >> PAGE_SHIFT;
    for (unsigned int level = pae ? 3 : 4; level >= 1; level--) {
        uint64_t *e = &sh_tab(t)[sh_index(va, level)];
        uint64_t v = *e;

        if (!(v & GPTE_P))
            return false;
        if (pae && level == 3) {
            REQUIRE_MSG(!(v & ~(GPTE_P | GPTE_PWT | GPTE_PCD | 0xe00ull | GPTE_ADDR_MASK)),
                        "PAE PDPTE %#llx (va %#llx) has reserved bits", X(v), X(va));
        } else {
            /* Bits 62:52 are reserved in legacy PAE, ignored in long mode. */
            REQUIRE_MSG(!pae || !(v & 0x7ff0000000000000ull),
                        "PAE shadow entry %#llx (va %#llx level %u): reserved bits 62:52", X(v),
                        X(va), level);
            REQUIRE_MSG(level == 1 || !(v & GPTE_PS), "shadow large page %#llx at level %u",
                        X(v), level);
            REQUIRE_MSG(level != 4 || !(v & GPTE_G), "G in a shadow PML4E (MBZ on AMD)");
            w = w && (v & GPTE_RW);
            u = u && (v & GPTE_US);
            nx = nx || (v & GPTE_NX);
            used[n++] = e;
        }
        if (level == 1)
            leaf = v;
        else
            t = (v & GPTE_ADDR_MASK) >> PAGE_SHIFT;
    }
    if (!(fetch ? !nx && (!user || u) : user ? u && (!write || w) : !write || w)) {
        *pfec |= PF_P;
        return false;
    }
    for (unsigned int i = 0; i < n; i++)
        *used[i] |= GPTE_A;
    if (write)
        *used[n - 1] |= GPTE_D;
    *ma = (leaf & GPTE_ADDR_MASK) | (va & (PAGE_SIZE - 1));
    return true;
}

#define DONE SHADOW_FIXED           /* run(): the access completed */
#define MAX_FILLS 3

struct acc {
    enum shadow_result r;
    uint64_t ma;                    /* DONE */
    uint32_t hw_pfec;               /* the last hardware fault */
    unsigned int faults;            /* hardware faults taken */
    struct shadow_fault_info info;
};

static const char *result_name(enum shadow_result r)
{
    static const char *const names[] = {
        "fixed/done", "guest-fault", "guest-gp", "not-ram", "emulate", "retry", "no-memory",
        "unsupported",
    };

    return (unsigned int)r < ARRAY_SIZE(names) ? names[r] : "bad-result";
}

/* Execute one access: the CPU, and shadow_fault() on each of its #PFs. */
static struct acc run(uint64_t va, uint32_t kind)
{
    struct acc a;

    memset(&a, 0, sizeof(a));
    for (;;) {
        uint32_t pfec;

        if (hw_access(va, kind, &a.ma, &pfec)) {
            a.r = DONE;
            return a;
        }
        REQUIRE_MSG(a.faults < MAX_FILLS,
                    "va %#llx kind %#x: hardware still faults (pfec %#x) after %u fills",
                    X(va), kind, pfec, a.faults);
        a.faults++;
        a.hw_pfec = pfec;
        a.r = shadow_fault(&sh, &gp, va, pfec, &a.info);
        if (a.r != SHADOW_FIXED)
            return a;
    }
}

static enum guest_walk_status ref_walk(uint64_t va, uint32_t kind, struct guest_walk_info *w)
{
    return guest_walk(&ref_ops, &gmem, &gp, va, kind, w);
}

/*
 * What an access must give, from a fresh walk of the guest's tables and the
 * p2m: the machine address (DONE), the guest's own fault, SHADOW_NOT_RAM for
 * a gpa that is not (writable) memory, SHADOW_EMULATE for a supervisor write
 * that only CR0.WP=0 allows on a user page.  *want: ma, cr2, bad_gpa or gpa.
 */
static enum shadow_result expected(uint64_t va, uint32_t kind, struct guest_walk_info *w,
                                   uint64_t *want)
{
    enum p2m_type type;

    switch (ref_walk(va, kind, w)) {
    case GW_OK:
        p2m_lookup(&p2m, w->gpa >> PAGE_SHIFT, &type);
        *want = w->gpa;
        if (type == P2M_INVALID || ((kind & K_WRITE) && !p2m_writable(type)))
            return SHADOW_NOT_RAM;
        if ((kind & K_WRITE) && !(kind & K_USER) && !w->writable && w->user)
            return SHADOW_EMULATE;
        *want = ma_of(w->gpa);
        return DONE;
    case GW_PAGE_FAULT:
        *want = w->cr2;
        return SHADOW_GUEST_FAULT;
    case GW_NOT_RAM:
        *want = w->bad_gpa;
        return SHADOW_NOT_RAM;
    case GW_NONCANONICAL:
        return SHADOW_GUEST_GP;
    case GW_RETRY:
        return SHADOW_RETRY;
    default:
        return SHADOW_UNSUPPORTED;
    }
}

/* Run an access and check it against expected(). */
static struct acc check_access_w(uint64_t va, uint32_t kind, struct guest_walk_info *w)
{
    uint64_t want = 0;
    enum shadow_result exp = expected(va, kind, w, &want);
    struct acc a = run(va, kind);

    REQUIRE_MSG(a.r == exp, "va %#llx kind %#x: %s, want %s (guest pfec %#x)", X(va), kind,
                result_name(a.r), result_name(exp), w->pfec);
    switch (exp) {
    case DONE:
        REQUIRE_MSG(a.ma == want, "va %#llx kind %#x: ma %#llx, want %#llx", X(va), kind,
                    X(a.ma), X(want));
        break;
    case SHADOW_GUEST_FAULT:
        REQUIRE_MSG(a.info.pfec == w->pfec && a.info.cr2 == want,
                    "va %#llx kind %#x: pfec %#x cr2 %#llx, want %#x %#llx", X(va), kind,
                    a.info.pfec, X(a.info.cr2), w->pfec, X(want));
        break;
    case SHADOW_NOT_RAM:
        REQUIRE_MSG(a.info.bad_gpa == want, "va %#llx kind %#x: bad_gpa %#llx, want %#llx",
                    X(va), kind, X(a.info.bad_gpa), X(want));
        break;
    case SHADOW_EMULATE:
        REQUIRE_MSG(a.info.gpa == want, "va %#llx: emulate gpa %#llx, want %#llx", X(va),
                    X(a.info.gpa), X(want));
        break;
    default:
        break;
    }
    return a;
}

static struct acc check_access(uint64_t va, uint32_t kind)
{
    struct guest_walk_info w;

    return check_access_w(va, kind, &w);
}

/* The access completes at p2m(gpa). */
static void expect_ma(uint64_t va, uint32_t kind, uint64_t gpa)
{
    struct acc a = run(va, kind);

    REQUIRE_MSG(a.r == DONE, "va %#llx kind %#x: %s (pfec %#x), want done", X(va), kind,
                result_name(a.r), a.info.pfec);
    REQUIRE_MSG(a.ma == ma_of(gpa), "va %#llx kind %#x: ma %#llx, want p2m(%#llx) = %#llx",
                X(va), kind, X(a.ma), X(gpa), X(ma_of(gpa)));
}

/* The access is the guest's #PF with exactly this error code, and changes no shadow leaf. */
static void expect_guest_fault(uint64_t va, uint32_t kind, uint32_t pfec)
{
    uint64_t fills = sh.stats.fills, guest_faults = sh.stats.guest_faults;
    uint64_t leaf = sh_leaf(va);
    struct guest_walk_info w;
    struct acc a;

    REQUIRE(ref_walk(va, kind, &w) == GW_PAGE_FAULT);
    REQUIRE((w.pfec) == (pfec));            /* the test's own premise */
    a = run(va, kind);
    REQUIRE_MSG(a.r == SHADOW_GUEST_FAULT, "va %#llx kind %#x: %s, want guest-fault", X(va),
                kind, result_name(a.r));
    REQUIRE_MSG(a.info.pfec == pfec, "va %#llx kind %#x: pfec %#x, want %#x", X(va), kind,
                a.info.pfec, pfec);
    REQUIRE((a.info.cr2) == (va));
    REQUIRE((sh.stats.fills) == (fills));
    REQUIRE((sh.stats.guest_faults) == (guest_faults + 1));
    REQUIRE_MSG(sh_leaf(va) == leaf, "va %#llx: shadow leaf %#llx -> %#llx on a guest fault",
                X(va), X(leaf), X(sh_leaf(va)));
}

/* ---- audit ------------------------------------------------------------------ */

#define MAX_REPORTS 16

static struct {
    unsigned int n;
    uint64_t va[MAX_REPORTS];
    const char *why[MAX_REPORTS];
} reports;

static void record_report(void *arg, uint64_t va, const char *why)
{
    REQUIRE((void *)(arg) == (void *)(&reports));
    REQUIRE((why) != NULL);
    if (reports.n < MAX_REPORTS) {
        reports.va[reports.n] = va;
        reports.why[reports.n] = why;
    }
    reports.n++;
}

static unsigned int audit(void)
{
    unsigned int bad;

    memset(&reports, 0, sizeof(reports));
    bad = shadow_audit(&sh, &gp, record_report, &reports);
    REQUIRE((bad) == (reports.n));
    return bad;
}

#define ASSERT_AUDIT_CLEAN(what)                                                              \
    do {                                                                                      \
        unsigned int bad_ = audit();                                                          \
        REQUIRE_MSG(bad_ == 0, "%s: audit found %u, first at va %#llx: %s", (what), bad_,   \
                      X(reports.va[0]), reports.why[0]);                                      \
    } while (0)

/* Exactly one report, for page va. */
static void expect_one_report(uint64_t va, const char *what)
{
    unsigned int bad = audit();

    REQUIRE_MSG(bad == 1, "%s: audit found %u, want 1", what, bad);
    REQUIRE_MSG(reports.va[0] == (va & ~(uint64_t)(PAGE_SIZE - 1)),
                "%s: reported va %#llx, want %#llx", what, X(reports.va[0]),
                X(va & ~(uint64_t)(PAGE_SIZE - 1)));
}

/* ---- random guest address spaces ------------------------------------------- */

#define MAX_LEAVES 1024
#define MAX_TABLES 128

struct rec {
    uint64_t va;                /* first address the entry maps */
    uint64_t entry_gpa;
    unsigned int level;
};

struct space {
    uint64_t cr3;
    unsigned int nleaves, ntables;
    struct rec leaves[MAX_LEAVES];
    struct rec tables[MAX_TABLES];
};

static struct space spaces[RANDOM_SPACES];
static const uint64_t pml4_slots[] = { 0, 1, 255, 256, 511 };

static uint64_t rand_gpa(unsigned int level)
{
    unsigned int r = rnd_below(100);

    switch (level) {
    case 1:
        if (r < 75)
            return rnd_below(RAM_PAGES) << PAGE_SHIFT;  /* hole, ROM and grants included */
        if (r < 92)
            return ALIAS_GPA + (rnd_below(RAM_PAGES) << PAGE_SHIFT);
        if (r < 96)
            return HOLE_GFN << PAGE_SHIFT;
        return RAM_SIZE + (rnd_below(1000) << PAGE_SHIFT);
    case 2:
        if (r < 75)
            return rnd_below(RAM_SIZE >> 21) << 21;
        if (r < 95)
            return ALIAS_GPA + (rnd_below(RAM_SIZE >> 21) << 21);
        return NOT_RAM_GPA + (rnd_below(512) << 21);
    default:
        return r < 45 ? 0 : r < 90 ? ALIAS_GPA : NOT_RAM_GPA;
    }
}

static uint64_t rand_rights(void)
{
    return (chance(92) ? GPTE_P : 0) | (chance(75) ? GPTE_RW : 0) | (chance(75) ? GPTE_US : 0) |
           (chance(15) ? GPTE_NX : 0) | (chance(50) ? GPTE_A : 0);
}

static uint64_t rand_leaf(unsigned int level)
{
    static const uint64_t rsvd[] = { 1ull << 51, 1ull << 13, 1ull << 20 };
    uint64_t e = rand_gpa(level) | rand_rights() | (chance(50) ? GPTE_D : 0);

    if (chance(30))
        e |= (chance(50) ? GPTE_PWT : 0) | (chance(50) ? GPTE_PCD : 0) |
             (chance(50) ? (level == 1 ? GPTE_PAT_4K : GPTE_PAT_LARGE) : 0);
    if (chance(10))
        e |= GPTE_G;
    if (chance(3))
        e |= rsvd[level - 1];
    return level > 1 ? e | GPTE_PS : e;
}

static uint64_t rand_table_flags(void)
{
    return (chance(96) ? GPTE_P : 0) | (chance(85) ? GPTE_RW : 0) | (chance(85) ? GPTE_US : 0) |
           (chance(8) ? GPTE_NX : 0) | (chance(50) ? GPTE_A : 0) | (chance(2) ? 1ull << 51 : 0);
}

static void add_leaf(struct space *s, uint64_t va, uint64_t entry_gpa, unsigned int level)
{
    REQUIRE((s->nleaves) < (MAX_LEAVES));
    *gword(entry_gpa) = rand_leaf(level);
    s->leaves[s->nleaves++] = (struct rec){ va, entry_gpa, level };
}

/* A new table below entry_gpa (which, now and then, points at a hole instead). */
static uint64_t add_table(struct space *s, uint64_t va, uint64_t entry_gpa, unsigned int level)
{
    uint64_t table = gpt_alloc();

    REQUIRE((s->ntables) < (MAX_TABLES));
    *gword(entry_gpa) = (chance(3) ? HOLE_GFN << PAGE_SHIFT : table) | rand_table_flags();
    s->tables[s->ntables++] = (struct rec){ va, entry_gpa, level };
    return table;
}

static void gen_space(unsigned int n)
{
    struct space *s = &spaces[n];
    unsigned int save_next = gpt_next, save_end = gpt_end;

    gpt_next = TABLE_GFN + n * SPACE_PAGES;
    gpt_end = gpt_next + SPACE_PAGES;
    s->nleaves = s->ntables = 0;
    s->cr3 = gpt_alloc();
    for (unsigned int i = 0; i < ARRAY_SIZE(pml4_slots); i++) {
        uint64_t va4 = mkva(pml4_slots[i], 0, 0, 0);
        uint64_t pdpt;

        if (!chance(85))
            continue;
        pdpt = add_table(s, va4, s->cr3 + pml4_slots[i] * 8, 4);
        for (unsigned int j = 0; j < 3; j++) {
            uint64_t i3 = j == 0 ? 0 : rnd_below(512), va3 = va4 | (i3 << 30);
            unsigned int r = rnd_below(100);
            uint64_t pd;

            if (*gword(pdpt + i3 * 8))
                continue;
            if (r < 25) {
                add_leaf(s, va3, pdpt + i3 * 8, 3);
                continue;
            }
            if (r < 32)
                continue;
            pd = add_table(s, va3, pdpt + i3 * 8, 3);
            for (unsigned int k = 0; k < 4; k++) {
                uint64_t i2 = rnd_below(512), va2 = va3 | (i2 << 21), pt;

                r = rnd_below(100);
                if (*gword(pd + i2 * 8) || r < 10)
                    continue;
                if (r < 40) {
                    add_leaf(s, va2, pd + i2 * 8, 2);
                    continue;
                }
                pt = add_table(s, va2, pd + i2 * 8, 2);
                for (unsigned int m = 0; m < 16; m++) {
                    uint64_t i1 = rnd_below(512);

                    if (!*gword(pt + i1 * 8))
                        add_leaf(s, va2 | (i1 << 12), pt + i1 * 8, 1);
                }
            }
        }
    }
    gpt_next = save_next;
    gpt_end = save_end;
}

/* A random leaf, each page size about as likely as the others when present. */
static const struct rec *pick_leaf(const struct space *s)
{
    unsigned int level = 1 + rnd_below(3);
    const struct rec *r = NULL;

    REQUIRE(s->nleaves > 0);
    for (unsigned int tries = 0; tries < 64; tries++) {
        r = &s->leaves[rnd_below(s->nleaves)];
        if (r->level == level)
            break;
    }
    return r;
}

/* Mostly inside what the space maps (1 GiB pages: mostly where there is RAM). */
static uint64_t rand_va(const struct space *s)
{
    if (s->nleaves && chance(85)) {
        const struct rec *r = pick_leaf(s);
        uint64_t off = r->level == 3 && chance(90) ? rnd_below(RAM_SIZE)
                                                   : rnd_below(level_size(r->level));

        return r->va + off;
    }
    return mkva(pml4_slots[rnd_below(ARRAY_SIZE(pml4_slots))], rnd_below(512), rnd_below(512),
                rnd_below(512)) | rnd_below(PAGE_SIZE);
}

static uint32_t rand_kind(void)
{
    static const uint32_t kinds[] = { K_READ, K_WRITE, K_FETCH };

    return kinds[rnd_below(3)] | (chance(50) ? K_USER : 0);
}

/* ---- fixture ---------------------------------------------------------------- */

static void setup_common(void)
{
    memset(&shpool, 0, sizeof(shpool));
    memset(&gmem, 0, sizeof(gmem));
    shpool.allocs_left = -1;
    rng = with_origin ? 0x5851f42d4c957f2dull : 0x2545f4914f6cdd1dull;
    build_machine();
    gpt_next = FIXED_TABLE_GFN;
    gpt_end = RAM_PAGES;
    shadow_init(&sh, with_origin ? &sh_ops_origin : &sh_ops, &shpool, &p2m, &gw_ops, &gmem);
    if (cached)
        REQUIRE(shadow_set_roots(&sh, 4) == 0);
    long_mode();
    reset_ok();
}

static void setup(void)
{
    with_origin = false;
    cached = false;
    setup_common();
}

static void setup_origin(void)
{
    with_origin = true;
    cached = false;
    setup_common();
}

static void setup_cached(void)
{
    with_origin = false;
    cached = true;
    setup_common();
}

static void setup_cached_origin(void)
{
    with_origin = true;
    cached = true;
    setup_common();
}

static void teardown(void)
{
    shadow_destroy(&sh);
    REQUIRE((shpool.live) == (0));
    REQUIRE((sh.tables) == (0));
    p2m_destroy(&p2m);
}

/* ---- paging off ------------------------------------------------------------ */

START_TEST(test_paging_off_every_ram_page)
{
    static const uint32_t kinds[] = {
        K_READ, K_WRITE, K_FETCH, K_USER | K_READ, K_USER | K_WRITE, K_USER | K_FETCH,
    };
    unsigned int pages = 0;

    paging_off();
    reset_ok();
    ck_assert_int_eq(sh.format, SHADOW_PAE);
    ck_assert_uint_eq(shpool.live, 1);
    for (uint64_t gfn = 0; gfn < RAM_PAGES; gfn++) {
        uint64_t off = (gfn * 56) & 0xff8;

        if (gfn >= HOLE_GFN && gfn <= SHINFO_GFN)
            continue;
        pages++;
        for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
            struct acc a = run((gfn << PAGE_SHIFT) | off, kinds[k]);

            REQUIRE_MSG(a.r == DONE && a.ma == ((ram_mfn[gfn] << PAGE_SHIFT) | off),
                        "gpa %#llx kind %#x: %s ma %#llx, want %#llx", X((gfn << PAGE_SHIFT) | off),
                        kinds[k], result_name(a.r), X(a.ma), X((ram_mfn[gfn] << PAGE_SHIFT) | off));
        }
    }
    /* The second window, above 1 GiB. */
    for (uint64_t i = 0; i < RAM_PAGES; i += 37) {
        uint64_t gpa = ALIAS_GPA + (i << PAGE_SHIFT) + 0x10;

        expect_ma(gpa, K_WRITE, gpa);
        pages++;
    }
    /* Every fault filled; at most a fill and an upgrade per page. */
    ck_assert_uint_eq(sh.stats.fills, sh.stats.faults);
    ck_assert_uint_le(sh.stats.faults, 2 * pages);
    ck_assert_uint_eq(sh.stats.guest_faults, 0);
    ck_assert_uint_eq(sh.tables, shpool.live);
    ASSERT_AUDIT_CLEAN("paging off");
}
END_TEST

START_TEST(test_paging_off_outside_the_p2m)
{
    static const uint64_t gpas[] = {
        (HOLE_GFN << PAGE_SHIFT) | 0x123, RAM_SIZE, RAM_SIZE + 0x4568, ALIAS_GPA + RAM_SIZE + 8,
        NOT_RAM_GPA + 0x10, 0xfffff000ull + 0xabc,
    };
    static const uint32_t kinds[] = { K_READ, K_WRITE, K_FETCH, K_USER | K_WRITE };

    paging_off();
    reset_ok();
    for (unsigned int i = 0; i < ARRAY_SIZE(gpas); i++) {
        for (unsigned int k = 0; k < ARRAY_SIZE(kinds); k++) {
            uint64_t fills = sh.stats.fills;
            struct acc a = run(gpas[i], kinds[k]);

            ck_assert_msg(a.r == SHADOW_NOT_RAM, "gpa %#llx kind %#x: %s", X(gpas[i]), kinds[k],
                          result_name(a.r));
            ck_assert_uint_eq(a.info.bad_gpa, gpas[i]);
            ck_assert_uint_eq(sh.stats.fills, fills);
            ck_assert_uint_eq(sh_leaf(gpas[i]), 0);
        }
    }
    /* Near 4 GiB: the last PDPTE (passthrough MMIO, read here). */
    expect_ma((MMIO_GFN << PAGE_SHIFT) + 0x30, K_READ, (MMIO_GFN << PAGE_SHIFT) + 0x30);
    ck_assert_uint_eq(ma_of((MMIO_GFN << PAGE_SHIFT) + 0x30), (MMIO_MFN << PAGE_SHIFT) + 0x30);
    /* Read-only memory: read in place, a write is not the guest's RAM. */
    expect_ma((ROM_GFN << PAGE_SHIFT) + 0x40, K_READ, (ROM_GFN << PAGE_SHIFT) + 0x40);
    ck_assert(!(sh_leaf(ROM_GFN << PAGE_SHIFT) & GPTE_RW));
    struct acc a = run((ROM_GFN << PAGE_SHIFT) + 0x48, K_WRITE);
    ck_assert_int_eq(a.r, SHADOW_NOT_RAM);
    ck_assert_uint_eq(a.info.bad_gpa, (ROM_GFN << PAGE_SHIFT) + 0x48);
    ck_assert(!(sh_leaf(ROM_GFN << PAGE_SHIFT) & GPTE_RW));
    ASSERT_AUDIT_CLEAN("paging off, outside the p2m");
}
END_TEST

/* ---- long mode: translations ------------------------------------------------ */

#define MAX_SAMPLES 800

static struct sample {
    uint64_t va;
    uint32_t kind;
    enum shadow_result r;
    uint64_t ma;
} samples[MAX_SAMPLES];

/*
 * Random accesses inside the given pages (offsets below 'limit' within
 * each), each checked against guest_walk + p2m; then the same accesses on
 * the filled shadow alone, with no shadow_fault at all: the same answers.
 */
static void check_pages(const uint64_t *vas, unsigned int nr, uint64_t size, uint64_t limit,
                        unsigned int count)
{
    unsigned int done = 0, faults = 0;

    ck_assert_uint_le(count, MAX_SAMPLES);
    for (unsigned int i = 0; i < count; i++) {
        struct sample *s = &samples[i];
        uint64_t off = rnd_below(chance(90) ? limit : size);
        struct acc a;

        s->va = vas[rnd_below(nr)] + off;
        s->kind = rand_kind();
        a = check_access(s->va, s->kind);
        s->r = a.r;
        s->ma = a.ma;
        done += a.r == DONE;
        faults += a.r == SHADOW_GUEST_FAULT;
    }
    ck_assert_uint_gt(done, count / 3);                 /* the premise: mostly translations */
    ck_assert_uint_gt(faults, 0);
    ASSERT_AUDIT_CLEAN("after the fills");
    for (unsigned int i = 0; i < count; i++) {
        struct sample *s = &samples[i];
        uint64_t ma;
        uint32_t pfec;
        bool ok = hw_access(s->va, s->kind, &ma, &pfec);

        if (s->r == DONE) {
            ck_assert_msg(ok, "va %#llx kind %#x: faults (pfec %#x) on the filled shadow",
                          X(s->va), s->kind, pfec);
            ck_assert_uint_eq(ma, s->ma);
        } else {
            ck_assert_msg(!ok, "va %#llx kind %#x: %s before, allowed by the shadow now",
                          X(s->va), s->kind, result_name(s->r));
        }
    }
}

START_TEST(test_long_4k_pages)
{
    uint64_t vas[64];

    for (unsigned int i = 0; i < ARRAY_SIZE(vas); i++) {
        static const uint64_t l4[] = { 0, 0xff, 0x100, 0x1ff };
        uint64_t gpa = (chance(70) ? 0 : ALIAS_GPA) + (rnd_below(TABLE_GFN) << PAGE_SHIFT);
        uint64_t rights = GPTE_P | (chance(80) ? GPTE_RW : 0) | (chance(80) ? GPTE_US : 0) |
                          (chance(25) ? GPTE_NX : 0) | (chance(50) ? AD : 0);

        vas[i] = mkva(l4[i % 4], i % 3 ? 0x1ff : 0, i / 4, i * 7 + 3);
        gmap(vas[i], gpa, 1, rights);
    }
    check_pages(vas, ARRAY_SIZE(vas), PAGE_SIZE, PAGE_SIZE, 600);
}
END_TEST

START_TEST(test_long_2m_pages)
{
    uint64_t vas[16];

    for (unsigned int i = 0; i < ARRAY_SIZE(vas); i++) {
        uint64_t gpa = (i & 1 ? ALIAS_GPA : 0) + ((uint64_t)(i / 2 % 4) << 21);
        uint64_t rights = GPTE_P | (i % 5 ? GPTE_RW : 0) | (i % 7 ? GPTE_US : 0) |
                          (i % 3 ? 0 : GPTE_NX) | (i % 4 ? 0 : AD);

        vas[i] = mkva(i % 2 ? 0x1c0 : 3, i, i * 11 % 512, 0);
        gmap(vas[i], gpa, 2, rights);
    }
    check_pages(vas, ARRAY_SIZE(vas), 1ull << 21, 1ull << 21, 700);
}
END_TEST

START_TEST(test_long_1g_pages)
{
    uint64_t vas[6];

    for (unsigned int i = 0; i < ARRAY_SIZE(vas); i++) {
        uint64_t rights = GPTE_P | (i % 3 ? GPTE_RW : 0) | (i != 4 ? GPTE_US : 0) |
                          (i == 2 ? GPTE_NX : 0) | (i % 2 ? AD : 0);

        vas[i] = mkva(i < 3 ? 2 : 0x101, i * 100 + 1, 0, 0);
        gmap(vas[i], i % 2 ? ALIAS_GPA : 0, 3, rights);
    }
    /* Mostly where the 1 GiB pages have RAM; the rest is not RAM. */
    check_pages(vas, ARRAY_SIZE(vas), 1ull << 30, RAM_SIZE, 700);
}
END_TEST

START_TEST(test_cache_attributes)
{
    const uint64_t cache = GPTE_PWT | GPTE_PCD | GPTE_PAT_4K;   /* where a 4 KiB leaf has them */
    uint64_t va4k = mkva(9, 1, 2, 3), va2m = mkva(9, 1, 4, 0), va1g = mkva(9, 5, 0, 0);

    gmap(va4k, 0x5000, 1, LEAF | AD | GPTE_PCD | GPTE_PAT_4K);
    gmap(va2m, 2ull << 21, 2, LEAF | AD | GPTE_PWT | GPTE_PAT_LARGE);
    gmap(va2m + (2ull << 21), 0, 2, LEAF | AD | GPTE_PCD);
    gmap(va1g, ALIAS_GPA, 3, LEAF | AD | GPTE_PWT | GPTE_PCD | GPTE_PAT_LARGE);

    expect_ma(va4k + 0x18, K_READ, 0x5018);
    ck_assert_uint_eq(sh_leaf(va4k) & cache, GPTE_PCD | GPTE_PAT_4K);
    /* PAT of a large page is bit 12: it must not leak into the frame. */
    expect_ma(va2m + 0x1234f0, K_READ, (2ull << 21) + 0x1234f0);
    ck_assert_uint_eq(sh_leaf(va2m + 0x1234f0) & cache, GPTE_PWT | GPTE_PAT_4K);
    expect_ma(va2m + (2ull << 21) + 0x7000, K_WRITE, 0x7000);
    ck_assert_uint_eq(sh_leaf(va2m + (2ull << 21) + 0x7000) & cache, GPTE_PCD);
    expect_ma(va1g + 0x345008, K_FETCH, ALIAS_GPA + 0x345008);
    ck_assert_uint_eq(sh_leaf(va1g + 0x345008) & cache, cache);
    ASSERT_AUDIT_CLEAN("cache attributes");
}
END_TEST

/* ---- guest faults, reflected exactly ---------------------------------------- */

/* A fresh fully-permitted 4 KiB mapping for a level-L test, in its own tables. */
static uint64_t fault_va(unsigned int level, uint64_t *gpa)
{
    uint64_t va = mkva(0x180 + level, 0x40 + level, 0x80 + level, 0xc0 + level) + 0x238;

    *gpa = (0x100ull + level) << PAGE_SHIFT;
    gmap(va, *gpa, 1, LEAF | AD);
    return va;
}

START_TEST(test_guest_not_present_at_each_level)
{
    for (unsigned int level = 1; level <= 4; level++) {
        uint64_t gpa, va = fault_va(level, &gpa);

        *gentry(va, level) &= ~GPTE_P;
        expect_guest_fault(va, K_READ, 0);
        expect_guest_fault(va, K_USER | K_WRITE, PF_W | PF_U);
        expect_guest_fault(va, K_FETCH, PF_I);
        expect_guest_fault(va, K_USER | K_FETCH, PF_U | PF_I);
        ck_assert_uint_eq(sh_leaf(va), 0);
        *gentry(va, level) |= GPTE_P;
        expect_ma(va, K_READ, gpa + 0x238);
    }
    ASSERT_AUDIT_CLEAN("not present");
}
END_TEST

START_TEST(test_guest_write_to_read_only)
{
    for (unsigned int level = 1; level <= 4; level++) {
        uint64_t gpa, va = fault_va(level, &gpa);

        *gentry(va, level) &= ~GPTE_RW;
        expect_guest_fault(va, K_WRITE, PF_P | PF_W);           /* CR0.WP=1 */
        expect_guest_fault(va, K_USER | K_WRITE, PF_P | PF_W | PF_U);
        ck_assert_uint_eq(sh_leaf(va), 0);
        expect_ma(va, K_READ, gpa + 0x238);                     /* a read-only leaf now */
        ck_assert(!(sh_leaf(va) & GPTE_RW));
        expect_guest_fault(va, K_WRITE, PF_P | PF_W);           /* the CPU faults on it */
        expect_guest_fault(va, K_USER | K_WRITE, PF_P | PF_W | PF_U);
        ck_assert(!(sh_leaf(va) & GPTE_RW));
    }
    ASSERT_AUDIT_CLEAN("read only");
}
END_TEST

START_TEST(test_guest_user_to_supervisor)
{
    for (unsigned int level = 1; level <= 4; level++) {
        uint64_t gpa, va = fault_va(level, &gpa);

        *gentry(va, level) &= ~GPTE_US;
        expect_guest_fault(va, K_USER, PF_P | PF_U);
        expect_guest_fault(va, K_USER | K_WRITE, PF_P | PF_W | PF_U);
        expect_guest_fault(va, K_USER | K_FETCH, PF_P | PF_U | PF_I);
        ck_assert_uint_eq(sh_leaf(va), 0);
        expect_ma(va, K_WRITE, gpa + 0x238);                    /* supervisor: fine */
        ck_assert(!(sh_leaf(va) & GPTE_US));
        expect_guest_fault(va, K_USER, PF_P | PF_U);            /* the CPU faults on the leaf */
        expect_guest_fault(va, K_USER | K_FETCH, PF_P | PF_U | PF_I);
    }
    ASSERT_AUDIT_CLEAN("supervisor");
}
END_TEST

START_TEST(test_guest_fetch_from_nx)
{
    for (unsigned int level = 1; level <= 4; level++) {
        uint64_t gpa, va = fault_va(level, &gpa);

        *gentry(va, level) |= GPTE_NX;
        expect_guest_fault(va, K_FETCH, PF_P | PF_I);
        expect_guest_fault(va, K_USER | K_FETCH, PF_P | PF_U | PF_I);
        ck_assert_uint_eq(sh_leaf(va), 0);
        expect_ma(va, K_USER | K_READ, gpa + 0x238);
        ck_assert(sh_leaf(va) & GPTE_NX);
        expect_guest_fault(va, K_FETCH, PF_P | PF_I);
        expect_guest_fault(va, K_USER | K_FETCH, PF_P | PF_U | PF_I);
    }
    ASSERT_AUDIT_CLEAN("nx");
}
END_TEST

START_TEST(test_guest_reserved_bits_and_nxe_off)
{
    uint64_t gpa, va = fault_va(2, &gpa), va_nx = fault_va(3, &gpa), va_s = fault_va(4, &gpa);
    struct acc a;

    *gentry(va, 2) |= 1ull << 45;                       /* above MAXPHYADDR 40 */
    expect_guest_fault(va, K_READ, PF_P | PF_RSVD);
    expect_guest_fault(va, K_USER | K_FETCH, PF_P | PF_RSVD | PF_U | PF_I);

    /* Without EFER.NXE the guest's NX bit is reserved, and its error codes
     * have no I/D bit, though the hardware (NXE=1) reports one. */
    gp.efer &= ~GW_EFER_NXE;
    reset_ok();
    *gentry(va_nx, 1) |= GPTE_NX;
    *gentry(va_s, 1) &= ~GPTE_US;
    a = run(va_nx, K_FETCH);
    ck_assert_int_eq(a.r, SHADOW_GUEST_FAULT);
    ck_assert_uint_eq(a.hw_pfec, PF_I);
    ck_assert_uint_eq(a.info.pfec, PF_P | PF_RSVD);
    expect_guest_fault(va_nx, K_READ, PF_P | PF_RSVD);
    expect_ma(va_s, K_FETCH, ((0x100ull + 4) << PAGE_SHIFT) + 0x238);
    ck_assert(!(sh_leaf(va_s) & GPTE_NX));
    a = run(va_s, K_USER | K_FETCH);
    ck_assert_int_eq(a.r, SHADOW_GUEST_FAULT);
    ck_assert_uint_eq(a.hw_pfec, PF_P | PF_U | PF_I);
    ck_assert_uint_eq(a.info.pfec, PF_P | PF_U);
    ASSERT_AUDIT_CLEAN("reserved");
}
END_TEST

/* ---- dirty bits -------------------------------------------------------------- */

START_TEST(test_dirty_bit_emulation)
{
    uint64_t va = mkva(5, 6, 7, 8) + 0x10, va2 = mkva(5, 6, 9, 0), va3 = mkva(5, 6, 7, 9);
    uint64_t *pte, *pde;
    struct acc a;

    gmap(va, 0x2000, 1, LEAF);                          /* A=0, D=0 */
    pte = gentry(va, 1);
    a = run(va, K_READ);
    ck_assert_int_eq(a.r, DONE);
    ck_assert_uint_eq(a.faults, 1);
    ck_assert_uint_eq(a.ma, ma_of(0x2010));
    ck_assert(*pte & GPTE_A);
    ck_assert(!(*pte & GPTE_D));
    ck_assert(sh_leaf(va) & GPTE_P);
    ck_assert(!(sh_leaf(va) & GPTE_RW));
    a = run(va + 8, K_WRITE);
    ck_assert_int_eq(a.r, DONE);
    ck_assert_uint_eq(a.faults, 1);                     /* the CPU faults on the read-only leaf */
    ck_assert_uint_eq(a.hw_pfec, PF_P | PF_W);
    ck_assert_uint_eq(a.ma, ma_of(0x2018));
    ck_assert(*pte & GPTE_D);
    ck_assert(sh_leaf(va) & GPTE_RW);
    ck_assert_uint_eq(run(va, K_WRITE).faults, 0);

    /* A 2 MiB page: the PDE holds D. */
    gmap(va2, 4ull << 20, 2, LEAF | GPTE_A);
    pde = gentry(va2, 2);
    expect_ma(va2 + 0x3000, K_USER | K_READ, (4ull << 20) + 0x3000);
    ck_assert(!(*pde & GPTE_D));
    ck_assert(!(sh_leaf(va2 + 0x3000) & GPTE_RW));
    a = run(va2 + 0x3008, K_USER | K_WRITE);
    ck_assert_int_eq(a.r, DONE);
    ck_assert_uint_eq(a.faults, 1);
    ck_assert(*pde & GPTE_D);
    ck_assert(sh_leaf(va2 + 0x3000) & GPTE_RW);
    expect_ma(va2 + 0x1ff000, K_WRITE, (4ull << 20) + 0x1ff000);

    /* A write first: one fault sets A and D together. */
    gmap(va3, 0x3000, 1, LEAF);
    a = run(va3, K_USER | K_WRITE);
    ck_assert_int_eq(a.r, DONE);
    ck_assert_uint_eq(a.faults, 1);
    ck_assert_uint_eq(*gentry(va3, 1) & AD, AD);
    ck_assert(sh_leaf(va3) & GPTE_RW);
    ASSERT_AUDIT_CLEAN("dirty bits");
}
END_TEST

/* ---- CR0.WP=0 ---------------------------------------------------------------- */

START_TEST(test_wp0_supervisor_writes)
{
    uint64_t va_s = mkva(40, 1, 1, 1) + 0x8, va_u = mkva(41, 1, 1, 1) + 0x10;
    uint64_t emulations;
    struct acc a;

    gp.cr0 &= ~GW_CR0_WP;
    reset_ok();
    gmap(va_s, 0x9000, 1, GPTE_P | GPTE_A);             /* supervisor, read-only */
    gmap(va_u, 0xa000, 1, GPTE_P | GPTE_US | AD);       /* user, read-only */

    a = run(va_s, K_WRITE);
    ck_assert_int_eq(a.r, DONE);
    ck_assert_uint_eq(a.ma, ma_of(0x9008));
    ck_assert(sh_leaf(va_s) & GPTE_RW);
    ck_assert(!(sh_leaf(va_s) & GPTE_US));
    ck_assert(*gentry(va_s, 1) & GPTE_D);
    expect_guest_fault(va_s, K_USER, PF_P | PF_U);

    emulations = sh.stats.emulations;
    a = run(va_u, K_WRITE);
    ck_assert_int_eq(a.r, SHADOW_EMULATE);
    ck_assert_uint_eq(a.info.gpa, 0xa010);
    ck_assert_uint_eq(sh.stats.emulations, emulations + 1);
    ck_assert(!(sh_leaf(va_u) & GPTE_RW));
    expect_guest_fault(va_u, K_USER | K_WRITE, PF_P | PF_W | PF_U);
    expect_ma(va_u, K_USER, 0xa010);                    /* a read-only user leaf */
    ck_assert_int_eq(run(va_u, K_WRITE).r, SHADOW_EMULATE);
    ck_assert(!(sh_leaf(va_u) & GPTE_RW));
    ck_assert_uint_eq(sh.stats.emulations, emulations + 2);
    ASSERT_AUDIT_CLEAN("CR0.WP=0");

    /* Back to WP=1: both are the guest's faults again. */
    gp.cr0 |= GW_CR0_WP;
    reset_ok();
    expect_guest_fault(va_s, K_WRITE, PF_P | PF_W);
    expect_guest_fault(va_u, K_WRITE, PF_P | PF_W);
}
END_TEST

/* ---- INVLPG -------------------------------------------------------------------- */

START_TEST(test_invlpg_4k)
{
    uint64_t va = mkva(50, 2, 3, 4) + 0x88;
    uint64_t *pte;
    struct acc a;

    gmap(va, 0x11000, 1, LEAF | AD);
    pte = gentry(va, 1);
    expect_ma(va, K_READ, 0x11088);

    *pte = 0x12000 | LEAF | AD;
    a = run(va, K_READ);                                /* a TLB may keep the old one */
    ck_assert_int_eq(a.r, DONE);
    ck_assert_uint_eq(a.faults, 0);
    ck_assert_uint_eq(a.ma, ma_of(0x11088));
    ck_assert(shadow_invlpg(&sh, (va & ~0xfffull) + 0xff0) == SHADOW_INVLPG_PAGE);    /* any address in the page */
    ck_assert_uint_eq(sh_leaf(va), 0);
    expect_ma(va, K_READ, 0x12088);

    *pte = 0x12000 | GPTE_P | GPTE_US | AD;             /* now read-only */
    expect_ma(va, K_USER | K_WRITE, 0x12088);
    ck_assert(shadow_invlpg(&sh, va) == SHADOW_INVLPG_PAGE);
    expect_guest_fault(va, K_USER | K_WRITE, PF_P | PF_W | PF_U);

    expect_ma(va, K_READ, 0x12088);                     /* a read-only leaf */
    *pte = 0;
    expect_ma(va, K_READ, 0x12088);
    ck_assert(shadow_invlpg(&sh, va) == SHADOW_INVLPG_PAGE);
    expect_guest_fault(va, K_READ, 0);
    ASSERT_AUDIT_CLEAN("invlpg 4k");
}
END_TEST

/*
 * A 2 MiB guest page is shadowed as many 4 KiB leaves; the CPU caches it as
 * one translation, which INVLPG of any address inside it ends.
 */
static uint64_t fill_2m_page(uint64_t va, uint64_t *offs, unsigned int n)
{
    gmap(va, 2ull << 21, 2, LEAF | AD);
    for (unsigned int i = 0; i < n; i++) {
        offs[i] = ((1 + rnd_below(255)) << PAGE_SHIFT) | (rnd_below(512) * 8);  /* pages 1..255 */
        expect_ma(va + offs[i], i % 2 ? K_WRITE : K_READ, (2ull << 21) + offs[i]);
    }
    *gentry(va, 2) = (ALIAS_GPA + (1ull << 21)) | LEAF | AD | GPTE_PS;
    for (unsigned int i = 0; i < n; i++)
        expect_ma(va + offs[i], K_READ, (2ull << 21) + offs[i]);    /* still the old page */
    return ALIAS_GPA + (1ull << 21);
}

static void expect_2m_page_remapped(uint64_t va, const uint64_t *offs, unsigned int n,
                                    uint64_t new_gpa, uint64_t invlpg_off)
{
    for (unsigned int i = 0; i < n; i++) {
        struct acc a = run(va + offs[i], K_WRITE);

        ck_assert_msg(a.r == DONE && a.ma == ma_of(new_gpa + offs[i]),
                      "2 MiB page, offset %#llx after INVLPG(offset %#llx): %s ma %#llx, want "
                      "%#llx (old frame %#llx)", X(offs[i]), X(invlpg_off), result_name(a.r),
                      X(a.ma), X(ma_of(new_gpa + offs[i])), X(ma_of((2ull << 21) + offs[i])));
    }
}

START_TEST(test_invlpg_2m_at_a_filled_piece)
{
    uint64_t va = mkva(51, 7, 9, 0), offs[24];
    uint64_t new_gpa = fill_2m_page(va, offs, ARRAY_SIZE(offs));

    ck_assert(shadow_invlpg(&sh, va + offs[5]) == SHADOW_INVLPG_ALL);      /* more than one leaf went */
    for (unsigned int i = 0; i < ARRAY_SIZE(offs); i++)
        ck_assert_msg(sh_leaf(va + offs[i]) == 0, "offset %#llx survived INVLPG of the 2 MiB page",
                      X(offs[i]));
    ASSERT_AUDIT_CLEAN("invlpg 2m");
    expect_2m_page_remapped(va, offs, ARRAY_SIZE(offs), new_gpa, offs[5]);
    ASSERT_AUDIT_CLEAN("invlpg 2m, refilled");
}
END_TEST

/* INVLPG of an address of the 2 MiB page that has no shadow leaf of its own
 * (page 0 of it was never touched). */
START_TEST(test_invlpg_2m_at_an_unfilled_address)
{
    uint64_t va = mkva(53, 7, 9, 0), offs[24];
    uint64_t new_gpa = fill_2m_page(va, offs, ARRAY_SIZE(offs));

    ck_assert_uint_eq(sh_leaf(va + 0x10), 0);
    shadow_invlpg(&sh, va + 0x10);
    expect_2m_page_remapped(va, offs, ARRAY_SIZE(offs), new_gpa, 0x10);
}
END_TEST

/*
 * Likewise a 1 GiB page: every address of it must see the new PDPTE after
 * one INVLPG, not only the 2 MiB around the INVLPG address.
 */
START_TEST(test_invlpg_1g_page)
{
    static const uint64_t offs[] = { 0x1008, 0x235010, 0x5ff018, 0x7fe020 };  /* 4 x 2 MiB */
    uint64_t va = mkva(52, 9, 0, 0);
    uint64_t *pdpte;

    gmap(va, 0, 3, LEAF | AD);
    pdpte = gentry(va, 3);
    for (unsigned int i = 0; i < ARRAY_SIZE(offs); i++)
        expect_ma(va + offs[i], K_READ, offs[i]);
    *pdpte = ALIAS_GPA | LEAF | AD | GPTE_PS;
    ck_assert(shadow_invlpg(&sh, va + offs[0]) == SHADOW_INVLPG_ALL);
    for (unsigned int i = 0; i < ARRAY_SIZE(offs); i++) {
        struct acc a = run(va + offs[i], K_READ);

        ck_assert_msg(a.r == DONE && a.ma == ma_of(ALIAS_GPA + offs[i]),
                      "1 GiB page, offset %#llx after INVLPG(offset %#llx): %s ma %#llx, "
                      "want %#llx (old frame %#llx)", X(offs[i]), X(offs[0]), result_name(a.r),
                      X(a.ma), X(ma_of(ALIAS_GPA + offs[i])), X(ma_of(offs[i])));
    }
    *pdpte = 0;
    shadow_invlpg(&sh, va + offs[3]);
    for (unsigned int i = 0; i < ARRAY_SIZE(offs); i++)
        expect_guest_fault(va + offs[i], K_READ, 0);
}
END_TEST

/* ---- CR3 writes and mode changes ---------------------------------------------- */

START_TEST(test_reset_frees_everything)
{
    uint64_t va[] = { mkva(60, 1, 2, 3), mkva(61, 4, 5, 6), mkva(0x1f0, 7, 8, 9),
                      mkva(62, 1, 0, 0), mkva(63, 1, 0, 0) };
    uint64_t cr3_a = gp.cr3, cr3_b, flushes, frees, live;

    gmap(va[0], 0x20000, 1, LEAF | AD);
    gmap(va[1], 0x21000, 1, LEAF | AD);
    gmap(va[2], 0x22000, 1, LEAF | AD);
    gmap(va[3], 1ull << 21, 2, LEAF | AD);
    gmap(va[4], 0, 3, LEAF | AD);
    for (unsigned int i = 0; i < ARRAY_SIZE(va); i++)
        check_access(va[i] + 0x1238 * (i >= 3), K_WRITE);
    check_access(va[4] + 0x600000, K_READ);
    ck_assert_uint_gt(shpool.live, 10);
    ck_assert_uint_eq(sh.tables, shpool.live);

    /* Another address space mapping va[0] elsewhere. */
    cr3_b = gpt_alloc();
    gmap_in(cr3_b, va[0], 0x30000, 1, LEAF | AD);
    gp.cr3 = cr3_b;
    expect_ma(va[0], K_READ, 0x20000);                  /* the old shadows until the flush */
    flushes = sh.stats.flushes;
    frees = shpool.frees;
    live = shpool.live;
    reset_ok();
    ck_assert_uint_eq(shpool.live, 1);
    ck_assert_uint_eq(sh.tables, 1);
    ck_assert_uint_eq(shpool.frees, frees + live);
    ck_assert_uint_eq(sh.stats.flushes, flushes + 1);
    ck_assert_uint_ge(sh.stats.tables_max, live);
    expect_ma(va[0], K_READ, 0x30000);
    for (unsigned int i = 1; i < ARRAY_SIZE(va); i++)
        expect_guest_fault(va[i], K_READ, 0);
    ASSERT_AUDIT_CLEAN("new cr3");

    gp.cr3 = cr3_a;
    reset_ok();
    expect_ma(va[0], K_READ, 0x20000);

    /* Paging off and back: the format follows, nothing leaks. */
    paging_off();
    reset_ok();
    ck_assert_int_eq(sh.format, SHADOW_PAE);
    ck_assert_uint_eq(shpool.live, 1);
    expect_ma(0x20008, K_WRITE, 0x20008);
    long_mode();
    reset_ok();
    ck_assert_int_eq(sh.format, SHADOW_LONG);
    ck_assert_uint_eq(shpool.live, 1);
    shadow_destroy(&sh);
    ck_assert_uint_eq(shpool.live, 0);
    ck_assert_uint_eq(sh.tables, 0);
}
END_TEST

/* ---- failures ---------------------------------------------------------------- */

START_TEST(test_out_of_memory)
{
    uint64_t va[3], fills = sh.stats.fills;
    struct shadow_fault_info info;

    for (unsigned int k = 0; k < 3; k++) {
        va[k] = mkva(70 + k, 1, 2, 3);
        gmap(va[k], 0x40000 + k * PAGE_SIZE, 1, LEAF | AD);
    }
    /* Each new leaf needs three tables; fail the first, second, third. */
    for (unsigned int k = 0; k < 3; k++) {
        unsigned int live = shpool.live;
        uint64_t ma;
        uint32_t pfec;
        struct acc a;

        shpool.allocs_left = (int)k;
        a = run(va[k], K_WRITE);
        ck_assert_msg(a.r == SHADOW_NO_MEMORY, "allocation %u failing: %s", k + 1,
                      result_name(a.r));
        ck_assert_uint_eq(sh_leaf(va[k]), 0);
        ck_assert(!hw_access(va[k], K_READ, &ma, &pfec));
        ck_assert_uint_eq(shpool.live, live + k);
        ck_assert_uint_eq(sh.tables, shpool.live);
        ck_assert_uint_eq(sh.stats.fills, fills);
    }
    shpool.allocs_left = -1;
    for (unsigned int k = 0; k < 3; k++)
        expect_ma(va[k], K_WRITE, 0x40000 + k * PAGE_SIZE);
    ASSERT_AUDIT_CLEAN("after out of memory");

    /* No root: nothing to run on, and nothing leaks. */
    shpool.allocs_left = 0;
    ck_assert_int_eq(shadow_reset(&sh, &gp), -ENOMEM);
    ck_assert_uint_eq(shpool.live, 0);
    ck_assert_uint_eq(sh.tables, 0);
    ck_assert_int_ne(shadow_fault(&sh, &gp, va[0], 0, &info), SHADOW_FIXED);
    shadow_invlpg(&sh, va[0]);
    ck_assert_uint_eq(audit(), 0);
    ck_assert_uint_eq(shpool.live, 0);
    shpool.allocs_left = -1;
    reset_ok();
    expect_ma(va[0], K_READ, 0x40000);
}
END_TEST

START_TEST(test_32bit_paging_unsupported)
{
    struct shadow_fault_info info;
    unsigned int allocs;

    gmap(mkva(80, 0, 0, 0), 0x1000, 1, LEAF | AD);
    check_access(mkva(80, 0, 0, 0), K_READ);
    ck_assert_uint_gt(shpool.live, 1);

    gp.cr0 = CR0_PE | GW_CR0_PG | GW_CR0_WP;            /* 32-bit paging, no PAE */
    gp.cr4 = 0;
    gp.efer = 0;
    gp.cr3 = 0x7000;
    ck_assert_int_eq(shadow_reset(&sh, &gp), -EOPNOTSUPP);
    ck_assert_uint_eq(shpool.live, 0);
    ck_assert_uint_eq(sh.tables, 0);
    allocs = shpool.allocs;
    ck_assert_int_eq(shadow_fault(&sh, &gp, 0x1000, 0, &info), SHADOW_UNSUPPORTED);
    shadow_invlpg(&sh, 0x1000);
    ck_assert_uint_eq(audit(), 0);
    ck_assert_uint_eq(shpool.allocs, allocs);
    gp.cr4 = GW_CR4_PAE;                                /* the CPU state before */
    gp.efer = GW_EFER_LME | GW_EFER_LMA | GW_EFER_NXE;
    long_mode();
    reset_ok();
}
END_TEST

START_TEST(test_walk_outcomes)
{
    uint64_t va = mkva(90, 1, 2, 3) + 0x30, va_hole = mkva(91, 1, 2, 3);
    struct shadow_fault_info info;
    unsigned int allocs = shpool.allocs;
    uint64_t *pde;

    /* Non-canonical: #GP, nothing filled or allocated. */
    ck_assert_int_eq(shadow_fault(&sh, &gp, 0x0000800000000000ull, 0, &info), SHADOW_GUEST_GP);
    ck_assert_int_eq(shadow_fault(&sh, &gp, 0xfff0000000001000ull, PF_W, &info), SHADOW_GUEST_GP);
    ck_assert_uint_eq(shpool.allocs, allocs);

    /* The guest's own table outside its RAM. */
    gmap(va_hole, 0x1000, 1, LEAF | AD);
    pde = gentry(va_hole, 2);
    *pde = (HOLE_GFN << PAGE_SHIFT) | TABLE;
    ck_assert_int_eq(shadow_fault(&sh, &gp, va_hole, 0, &info), SHADOW_NOT_RAM);
    ck_assert_uint_eq(info.bad_gpa, (HOLE_GFN << PAGE_SHIFT) + gidx(va_hole, 1) * 8);
    ck_assert_uint_eq(sh_leaf(va_hole), 0);

    /* Entries that keep changing under the walk: retry, no leaf. */
    gmap(va, 0x1000, 1, LEAF);                          /* A=0: the walk must write */
    gmem.race = true;
    ck_assert_int_eq(shadow_fault(&sh, &gp, va, 0, &info), SHADOW_RETRY);
    ck_assert_uint_eq(sh_leaf(va), 0);
    gmem.race = false;
    expect_ma(va, K_READ, 0x1030);
    ASSERT_AUDIT_CLEAN("walk outcomes");
}
END_TEST

/* ---- p2m types ---------------------------------------------------------------- */

START_TEST(test_p2m_types)
{
    static const struct {
        uint64_t gfn;
        bool writable;
    } cases[] = {
        { ROM_GFN, false }, { GRANT_RO_GFN, false }, { GRANT_RW_GFN, true }, { SHINFO_GFN, true },
        { APIC_GFN, false },
    };
    uint64_t va_hole = mkva(100, 0, 0, 0);

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
        uint64_t va = mkva(101 + i, 0, 0, 0), gpa = (cases[i].gfn << PAGE_SHIFT) + 0x20;

        gmap(va, cases[i].gfn << PAGE_SHIFT, 1, LEAF | AD);     /* writable, dirty for the guest */
        expect_ma(va + 0x20, K_READ, gpa);
        ck_assert(!!(sh_leaf(va) & GPTE_RW) == cases[i].writable);
        if (cases[i].writable) {
            expect_ma(va + 0x20, K_WRITE, gpa);
        } else {
            struct acc a = run(va + 0x20, K_WRITE);

            ck_assert_int_eq(a.r, SHADOW_NOT_RAM);
            ck_assert_uint_eq(a.info.bad_gpa, gpa);
            ck_assert(!(sh_leaf(va) & GPTE_RW));
        }
    }
    gmap(va_hole, HOLE_GFN << PAGE_SHIFT, 1, LEAF | AD);
    struct acc a = run(va_hole + 0x44, K_READ);
    ck_assert_int_eq(a.r, SHADOW_NOT_RAM);
    ck_assert_uint_eq(a.info.bad_gpa, (HOLE_GFN << PAGE_SHIFT) + 0x44);
    ck_assert_uint_eq(sh_leaf(va_hole), 0);
    ASSERT_AUDIT_CLEAN("p2m types");
}
END_TEST

/*
 * Passthrough MMIO is writable in the p2m (and so under nested paging):
 * the shadow must let a driver domain write its device registers.
 */
START_TEST(test_mmio_passthrough_is_writable)
{
    uint64_t va = mkva(110, 0, 0, 0), gpa = (MMIO_GFN << PAGE_SHIFT) + 0x30;
    struct acc a;

    gmap(va, MMIO_GFN << PAGE_SHIFT, 1, LEAF | AD | GPTE_PCD);
    expect_ma(va + 0x30, K_READ, gpa);
    ck_assert_uint_eq(ma_of(gpa), (MMIO_MFN << PAGE_SHIFT) + 0x30);
    a = run(va + 0x30, K_WRITE);
    ck_assert_msg(a.r == DONE, "write to passthrough MMIO (P2M_MMIO, writable in the p2m): %s "
                  "(bad_gpa %#llx)", result_name(a.r), X(a.info.bad_gpa));
    ck_assert_uint_eq(a.ma, (MMIO_MFN << PAGE_SHIFT) + 0x30);
}
END_TEST

/* ---- audit ---------------------------------------------------------------------- */

START_TEST(test_audit_clean_after_random_faults)
{
    gen_space(0);
    gp.cr3 = spaces[0].cr3;
    reset_ok();
    for (unsigned int i = 0; i < 1500; i++)
        check_access(rand_va(&spaces[0]), rand_kind());
    ck_assert_uint_gt(sh.stats.fills, 150);
    ASSERT_AUDIT_CLEAN("random faults");
}
END_TEST

/* Pages with different rights, all shadowed: the audit's subjects. */
#define VA_A (mkva(300, 1, 2, 3) + 0x10)   /* user, writable, dirty */
#define VA_B mkva(301, 1, 2, 3)            /* user, read-only */
#define VA_C mkva(302, 1, 2, 3)            /* writable, not dirty */
#define VA_D mkva(303, 1, 2, 3)            /* supervisor */
#define VA_E mkva(304, 1, 2, 3)            /* no-execute */
#define VA_F (mkva(20, 1, 0, 0) + 0x5000)  /* in a 2 MiB page */

static void audit_pages(void)
{
    gmap(VA_A, 0x50000, 1, LEAF | AD);
    gmap(VA_A + PAGE_SIZE, 0x51000, 1, LEAF | AD);
    gmap(VA_B, 0x52000, 1, GPTE_P | GPTE_US | AD);
    gmap(VA_C, 0x53000, 1, LEAF | GPTE_A);
    gmap(VA_D, 0x54000, 1, GPTE_P | GPTE_RW | AD);
    gmap(VA_E, 0x55000, 1, LEAF | AD | GPTE_NX);
    gmap(VA_F & ~((1ull << 21) - 1), 2ull << 21, 2, LEAF | AD);
    check_access(VA_A, K_USER);
    check_access(VA_B, K_USER);
    check_access(VA_C, K_READ);
    check_access(VA_D, K_READ);
    check_access(VA_E, K_READ);
    check_access(VA_F, K_READ);
    ASSERT_AUDIT_CLEAN("before");
}

START_TEST(test_audit_wrong_frame)
{
    uint64_t *e, save;

    audit_pages();
    e = sh_entry(VA_A, 1);
    save = *e;
    *e = (*e & ~GPTE_ADDR_MASK) | (ma_of(0x50000 + 7 * PAGE_SIZE) & GPTE_ADDR_MASK);
    expect_one_report(VA_A, "wrong frame");
    *e = save;
    e = sh_entry(VA_F, 1);
    save = *e;
    *e = (*e & ~GPTE_ADDR_MASK) | (ma_of(0x50000) & GPTE_ADDR_MASK);
    expect_one_report(VA_F, "wrong frame in a 2 MiB page");
    *e = save;
    ASSERT_AUDIT_CLEAN("restored");
}
END_TEST

START_TEST(test_audit_writable_over_read_only)
{
    uint64_t *e;

    audit_pages();
    e = sh_entry(VA_B, 1);
    *e |= GPTE_RW | GPTE_D;
    expect_one_report(VA_B, "writable over a read-only guest page");
    *e &= ~(GPTE_RW | GPTE_D);
    e = sh_entry(VA_C, 1);
    ck_assert(!(*e & GPTE_RW));
    *e |= GPTE_RW | GPTE_D;
    expect_one_report(VA_C, "writable before the guest's D is set");
    *e &= ~(GPTE_RW | GPTE_D);
    ASSERT_AUDIT_CLEAN("restored");
}
END_TEST

START_TEST(test_audit_user_bit_flipped)
{
    uint64_t *e;

    audit_pages();
    e = sh_entry(VA_A, 1);
    *e &= ~GPTE_US;
    expect_one_report(VA_A, "user bit cleared on a user page");
    *e |= GPTE_US;
    ASSERT_AUDIT_CLEAN("restored");
    e = sh_entry(VA_D, 1);
    *e |= GPTE_US;
    expect_one_report(VA_D, "user bit set on a supervisor page");
    *e &= ~GPTE_US;
    ASSERT_AUDIT_CLEAN("restored");
}
END_TEST

START_TEST(test_audit_nx_dropped)
{
    uint64_t *e;

    audit_pages();
    e = sh_entry(VA_E, 1);
    *e &= ~GPTE_NX;
    expect_one_report(VA_E, "NX dropped");
    *e |= GPTE_NX;
    ASSERT_AUDIT_CLEAN("restored");
    /* Two at once: both, each with its address. */
    *sh_entry(VA_E, 1) &= ~GPTE_NX;
    *sh_entry(VA_A, 1) &= ~GPTE_US;
    ck_assert_uint_eq(audit(), 2);
    ck_assert(reports.va[0] != reports.va[1]);
    for (unsigned int i = 0; i < 2; i++)
        ck_assert(reports.va[i] == (VA_A & ~0xfffull) || reports.va[i] == (VA_E & ~0xfffull));
}
END_TEST

/*
 * A correct leaf in the wrong slot: where the guest maps another page, and
 * where the guest maps nothing at all.  Neither is a stale leaf (the guest
 * changed nothing), both are wrong.
 */
START_TEST(test_audit_misplaced_leaf)
{
    uint64_t leaf;

    audit_pages();
    leaf = *sh_entry(VA_A, 1);
    ck_assert_uint_eq(sh_leaf(VA_A + PAGE_SIZE), 0);
    *sh_entry(VA_A + PAGE_SIZE, 1) = leaf;          /* the guest maps 0x51000 there */
    expect_one_report(VA_A + PAGE_SIZE, "leaf of the neighbouring page");
    *sh_entry(VA_A + PAGE_SIZE, 1) = 0;
    ASSERT_AUDIT_CLEAN("restored");
    check_access(VA_A + PAGE_SIZE, K_READ);         /* filled: has its own origin now */
    *sh_entry(VA_A + PAGE_SIZE, 1) = leaf;
    expect_one_report(VA_A + PAGE_SIZE, "leaf of the neighbouring page, over a filled slot");
    *sh_entry(VA_A + PAGE_SIZE, 1) = 0;
    *sh_entry(VA_A + 2 * PAGE_SIZE, 1) = leaf;      /* the guest maps nothing there */
    expect_one_report(VA_A + 2 * PAGE_SIZE, "leaf where the guest maps nothing");
}
END_TEST

/*
 * The header: with origin records, a leaf whose guest entry changed since
 * the fill (not yet flushed) is stale, not wrong: counted in
 * stats.audit_stale, not reported, whatever the new entry is.  Without
 * them the audit counts every difference as a mismatch.
 */
START_TEST(test_audit_stale_leaf)
{
    uint64_t *pte, stale;

    audit_pages();
    pte = gentry(VA_A, 1);
    for (uint64_t i = 1; i <= 2048; i++) {
        uint64_t gpa = ((0x50 + i) % TABLE_GFN) << PAGE_SHIFT;
        unsigned int bad;

        if (gpa == 0x50000)
            continue;                               /* the entry it was filled from */
        *pte = gpa | LEAF | AD;
        stale = sh.stats.audit_stale;
        bad = audit();
        if (with_origin) {
            REQUIRE_MSG(bad == 0, "guest PTE changed to %#llx, not flushed: reported as \"%s\"",
                        X(*pte), reports.why[0]);
            REQUIRE(sh.stats.audit_stale == stale + 1);
        } else {
            REQUIRE_MSG(bad == 1 && reports.va[0] == (VA_A & ~0xfffull),
                        "no origin records, guest PTE changed to %#llx: %u reports", X(*pte), bad);
            REQUIRE(sh.stats.audit_stale == stale);
        }
    }
    /* A rights change the guest has not flushed: stale too. */
    *pte = 0x50000 | GPTE_P | GPTE_US | AD;                 /* now read-only */
    ck_assert_uint_eq(audit(), with_origin ? 0 : 1);
    *pte = 0;                                               /* now not present */
    ck_assert_uint_eq(audit(), with_origin ? 0 : 1);
    *gentry(VA_A, 2) &= ~GPTE_P;                            /* an upper level went */
    ck_assert_uint_eq(audit(), with_origin ? 0 : 1);
    *gentry(VA_A, 2) |= GPTE_P;
    ck_assert(shadow_invlpg(&sh, VA_A) == SHADOW_INVLPG_PAGE);
    stale = sh.stats.audit_stale;
    ASSERT_AUDIT_CLEAN("flushed");
    ck_assert_uint_eq(sh.stats.audit_stale, stale);
}
END_TEST

/*
 * The CPU's own A/D updates are not guest changes: after a write through
 * another 4 KiB piece of a 2 MiB page set the PDE's D bit, a wrong frame
 * in an earlier (read-only) piece of that page is still a mismatch.
 */
START_TEST(test_audit_wrong_frame_after_dirty_update)
{
    uint64_t va = mkva(305, 1, 2, 0), *e;

    gmap(va, 2ull << 21, 2, LEAF | GPTE_A);                 /* D=0 */
    expect_ma(va + 0x3000, K_READ, (2ull << 21) + 0x3000);
    ck_assert(!(sh_leaf(va + 0x3000) & GPTE_RW));
    ASSERT_AUDIT_CLEAN("before");
    e = sh_entry(va + 0x3000, 1);
    *e = (*e & ~GPTE_ADDR_MASK) | (ma_of(0x7000) & GPTE_ADDR_MASK);
    expect_one_report(va + 0x3000, "wrong frame");
    expect_ma(va + 0x5000, K_WRITE, (2ull << 21) + 0x5000);  /* sets the PDE's D */
    ck_assert(*gentry(va, 2) & GPTE_D);
    expect_one_report(va + 0x3000, "wrong frame, after the guest walk set D in the PDE");
}
END_TEST

/* With the optional ops, long-mode last-level tables are leaf tables, freed as such. */
START_TEST(test_origin_leaf_tables)
{
    uint64_t va = mkva(140, 1, 2, 3), *pde;
    mfn_t l1;

    gmap(va, 0x1000, 1, LEAF | AD);
    expect_ma(va, K_READ, 0x1000);
    pde = sh_entry(va, 2);
    ck_assert_ptr_nonnull(pde);
    l1 = (*pde & GPTE_ADDR_MASK) >> PAGE_SHIFT;
    ck_assert_int_eq(owner[l1], SHADOW_LEAF);
    ck_assert_int_eq(owner[(*sh_entry(va, 3) & GPTE_ADDR_MASK) >> PAGE_SHIFT], SHADOW_TABLE);
    reset_ok();                                 /* freed through free_leaf_table */
    ck_assert_int_eq(owner[l1], FREE);
    ck_assert_uint_eq(shpool.live, 1);

    /* Paging off (legacy PAE shadows): plain tables. */
    paging_off();
    reset_ok();
    expect_ma(0x1000, K_READ, 0x1000);
    ck_assert_int_eq(owner[(*sh_entry(0x1000, 2) & GPTE_ADDR_MASK) >> PAGE_SHIFT], SHADOW_TABLE);
}
END_TEST

START_TEST(test_audit_paging_off)
{
    uint64_t *e;

    paging_off();
    reset_ok();
    for (uint64_t gpa = 0x10000; gpa < 0x20000; gpa += PAGE_SIZE)
        expect_ma(gpa, K_WRITE, gpa);
    expect_ma(ALIAS_GPA + 0x3000, K_READ, ALIAS_GPA + 0x3000);
    ASSERT_AUDIT_CLEAN("paging off");
    e = sh_entry(0x13000, 1);
    *e ^= 1ull << PAGE_SHIFT;
    expect_one_report(0x13000, "paging off, wrong frame");
    *e ^= 1ull << PAGE_SHIFT;
    e = sh_entry(ALIAS_GPA + 0x3000, 1);
    *e ^= 4ull << PAGE_SHIFT;
    expect_one_report(ALIAS_GPA + 0x3000, "paging off, wrong frame above 1 GiB");
}
END_TEST

/*
 * A writable shadow leaf over memory that the p2m holds read-only lets the
 * guest write its ROM / a read-only grant: the audit must say so, with
 * paging on (guest page writable and dirty) and with paging off.
 */
START_TEST(test_audit_writable_leaf_over_read_only_p2m)
{
    uint64_t va = mkva(120, 0, 0, 0), *e;

    gmap(va, ROM_GFN << PAGE_SHIFT, 1, LEAF | AD);
    gmap(va + PAGE_SIZE, GRANT_RO_GFN << PAGE_SHIFT, 1, LEAF | AD);
    check_access(va, K_READ);
    check_access(va + PAGE_SIZE, K_READ);
    ASSERT_AUDIT_CLEAN("before");
    e = sh_entry(va, 1);
    *e |= GPTE_RW | GPTE_D;
    expect_one_report(va, "writable leaf over P2M_RAM_RO");
    *e &= ~(GPTE_RW | GPTE_D);
    e = sh_entry(va + PAGE_SIZE, 1);
    *e |= GPTE_RW | GPTE_D;
    expect_one_report(va + PAGE_SIZE, "writable leaf over P2M_GRANT_MAP_RO");

    paging_off();
    reset_ok();
    expect_ma(ROM_GFN << PAGE_SHIFT, K_READ, ROM_GFN << PAGE_SHIFT);
    ASSERT_AUDIT_CLEAN("paging off, before");
    *sh_entry(ROM_GFN << PAGE_SHIFT, 1) |= GPTE_RW | GPTE_D;
    expect_one_report(ROM_GFN << PAGE_SHIFT, "paging off: writable leaf over P2M_RAM_RO");
}
END_TEST

/* ---- statistics ---------------------------------------------------------------- */

START_TEST(test_stats)
{
    uint64_t va = mkva(130, 1, 1, 1), va_np = mkva(130, 1, 1, 2), va_hole = mkva(130, 1, 1, 3);
    uint64_t va_far = mkva(131, 1, 1, 1), va_u = mkva(130, 1, 1, 4);
    struct shadow_stats s;

    s = sh.stats;                                       /* after setup's shadow_reset */
    ck_assert_uint_eq(s.flushes, 1);
    ck_assert_uint_eq(s.tables_max, 1);
    ck_assert_uint_eq(s.faults + s.fills + s.guest_faults + s.invlpgs + s.emulations, 0);

    gmap(va, 0x60000, 1, LEAF);                         /* D=0 */
    gmap(va_hole, HOLE_GFN << PAGE_SHIFT, 1, LEAF | AD);
    gmap(va_far, 0x61000, 1, LEAF | AD);
    gmap(va_u, 0x62000, 1, GPTE_P | GPTE_US | AD);
    check_access(va, K_READ);
    ck_assert_uint_eq(sh.stats.faults, 1);
    ck_assert_uint_eq(sh.stats.fills, 1);
    /* root, PDPT, PD, PT; kept roots also snapshot the 4 guest tables */
    ck_assert_uint_eq(sh.stats.tables_max, cached ? 8 : 4);
    check_access(va, K_READ);                           /* hits the shadow: no #PF */
    ck_assert_uint_eq(sh.stats.faults, 1);
    check_access(va, K_WRITE);                          /* D: a #PF and a new leaf */
    ck_assert_uint_eq(sh.stats.faults, 2);
    ck_assert_uint_eq(sh.stats.fills, 2);
    check_access(va_np, K_READ);
    ck_assert_uint_eq(sh.stats.faults, 3);
    ck_assert_uint_eq(sh.stats.guest_faults, 1);
    ck_assert_uint_eq(sh.stats.fills, 2);
    check_access(va_hole, K_READ);
    ck_assert_uint_eq(sh.stats.faults, 4);
    ck_assert_uint_eq(sh.stats.guest_faults, 1);
    ck_assert_uint_eq(sh.stats.fills, 2);
    shadow_invlpg(&sh, va);
    shadow_invlpg(&sh, mkva(400, 0, 0, 0));
    ck_assert_uint_eq(sh.stats.invlpgs, 2);
    check_access(va_far, K_READ);
    /* 7 tables; kept roots add snapshots of the 7 guest tables read */
    ck_assert_uint_eq(sh.tables, cached ? 14 : 7);
    ck_assert_uint_eq(sh.stats.tables_max, cached ? 14 : 7);
    ck_assert_uint_eq(sh.stats.fills, 3);

    reset_ok();
    ck_assert_uint_eq(sh.stats.flushes, 2);
    ck_assert_uint_eq(sh.tables, 1);
    ck_assert_uint_eq(sh.stats.tables_max, cached ? 14 : 7);    /* a high-water mark */
    gp.cr0 &= ~GW_CR0_WP;
    reset_ok();
    ck_assert_uint_eq(sh.stats.flushes, 3);
    ck_assert_int_eq(check_access(va_u, K_WRITE).r, SHADOW_EMULATE);
    ck_assert_uint_eq(sh.stats.emulations, 1);
    ck_assert_uint_eq(sh.stats.faults, 6);
    ck_assert_uint_eq(sh.stats.fills, 3);
    ck_assert_uint_eq(sh.stats.guest_faults, 1);
    ck_assert_uint_eq(sh.stats.invlpgs, 2);
    ck_assert_uint_eq(sh.stats.audits, 0);
    audit();
    audit();
    ck_assert_uint_eq(sh.stats.audits, 2);
    ck_assert_uint_eq(sh.stats.audit_stale, 0);
    *gentry(va_far, 1) &= ~GPTE_US;                     /* filled from a supervisor page, */
    check_access(va_far, K_READ);
    *gentry(va_far, 1) |= GPTE_US;                      /* which is a user page now: stale */
    ck_assert_uint_eq(audit(), with_origin ? 0 : 1);
    ck_assert_uint_eq(sh.stats.audits, 3);
    ck_assert_uint_eq(sh.stats.audit_stale, with_origin ? 1 : 0);
}
END_TEST

/* ---- randomized ------------------------------------------------------------------- */

/*
 * Random tables, accesses, leaf edits followed by INVLPG of the page,
 * table edits, CR3 switches and CR0.WP flips followed by a flush: after
 * every step the audit is clean, the shadow tables are all accounted for,
 * and every access gives what guest_walk + p2m say.
 */
START_TEST(test_random)
{
    enum { STEPS = 3000 };
    unsigned int cur = 0, outcome[8] = { 0 }, done_size[4] = { 0 }, edits[4] = { 0 };
    unsigned int switches = 0, nrecent = 0;
    uint64_t recent[8];

    for (unsigned int i = 0; i < RANDOM_SPACES; i++)
        gen_space(i);
    gp.cr3 = spaces[cur].cr3;
    reset_ok();
    for (unsigned int step = 0; step < STEPS; step++) {
        struct space *s = &spaces[cur];
        unsigned int r = rnd_below(100);
        char what[64];
        bool flushed = false;
        uint64_t stale = sh.stats.audit_stale;

        if (r < 80) {
            /* New addresses, and again ones used lately (what a TLB holds). */
            uint64_t va = nrecent && chance(40) ? recent[rnd_below(MIN(nrecent, 8u))] : rand_va(s);
            struct guest_walk_info w;
            struct acc a = check_access_w(va, rand_kind(), &w);

            recent[nrecent++ % 8] = va;
            outcome[a.r]++;
            if (a.r == DONE)
                done_size[w.page_size == GW_PAGE_4K ? 1 : w.page_size == GW_PAGE_2M ? 2 : 3]++;
        } else if (r < 92) {
            const struct rec *l = pick_leaf(s);

            *gword(l->entry_gpa) = rand_leaf(l->level);
            shadow_invlpg(&sh, l->va + rnd_below(level_size(l->level)));
            edits[l->level]++;
        } else if (r < 94) {
            static const uint64_t flip[] = { GPTE_P, GPTE_RW, GPTE_US, GPTE_NX, GPTE_A };
            const struct rec *t = &s->tables[rnd_below(s->ntables)];

            *gword(t->entry_gpa) ^= flip[rnd_below(ARRAY_SIZE(flip))];
            cr3_write();                                /* the guest reloads CR3 */
            flushed = true;
        } else if (r < 97) {
            cur = (cur + 1 + rnd_below(RANDOM_SPACES - 1)) % RANDOM_SPACES;
            if (chance(50))
                gen_space(cur);
            gp.cr3 = spaces[cur].cr3;
            cr3_write();
            flushed = true;
            nrecent = 0;
            switches++;
        } else if (r < 98) {
            gp.cr0 ^= GW_CR0_WP;
            reset_ok();
        } else {
            shadow_invlpg(&sh, rand_va(s));
        }
        if (audit() != 0) {
            snprintf(what, sizeof(what), "step %u (op %u)", step, r);
            ASSERT_AUDIT_CLEAN(what);
        }
        /* Right after a CR3 write no leaf may lag behind the guest's tables. */
        REQUIRE_MSG(!flushed || sh.stats.audit_stale == stale,
                    "step %u: %llu stale leaves survived a CR3 write", step,
                    (unsigned long long)(sh.stats.audit_stale - stale));
        REQUIRE_MSG(sh.tables == shpool.live, "step %u: %zu tables, %u live", step, sh.tables,
                    shpool.live);
    }
    /* The generator reached every outcome. */
    if (getenv("SHADOW_TEST_VERBOSE"))
        fprintf(stderr, "done %u guest-fault %u not-ram %u emulate %u; 4k %u 2m %u 1g %u; "
                "edits %u %u %u; switches %u\n", outcome[DONE], outcome[SHADOW_GUEST_FAULT],
                outcome[SHADOW_NOT_RAM], outcome[SHADOW_EMULATE], done_size[1], done_size[2],
                done_size[3], edits[1], edits[2], edits[3], switches);
    ck_assert_uint_gt(outcome[DONE], 350);
    ck_assert_uint_gt(outcome[SHADOW_GUEST_FAULT], 500);
    ck_assert_uint_gt(outcome[SHADOW_NOT_RAM], 80);
    ck_assert_uint_gt(outcome[SHADOW_EMULATE], 5);
    ck_assert_uint_gt(done_size[1], 150);
    ck_assert_uint_gt(done_size[2], 80);
    ck_assert_uint_gt(done_size[3], 40);
    ck_assert_uint_gt(edits[1], 80);
    ck_assert_uint_gt(edits[2], 40);
    ck_assert_uint_gt(edits[3], 15);
    ck_assert_uint_gt(switches, 30);
    if (cached) {
        ck_assert_uint_gt(sh.stats.root_hits, 20);
        ck_assert_uint_gt(sh.stats.resync_drops, 10);
    }
}
END_TEST

/* ---- a model of what a TLB may hold ------------------------------------------ */

/*
 * test_tlb_model runs a guest that behaves like Linux: several address
 * spaces whose kernel half is one shared PDPT (PML4 slot 256, global
 * leaves mostly) and whose user halves are their own; leaves of 4 KiB,
 * 2 MiB and 1 GiB written, unmapped, remapped, their A/D bits cleared;
 * page-table pages freed (THP collapse, munmap, exit) and reused, by the
 * next space too, but only after a flush, as Linux does; spaces that exit
 * and come back on a recycled PML4 page (the same CR3); flushes after a
 * change or not at all (INVLPG of the page, a CR3 reload, a switch, a
 * CR4.PGE toggle), at random.  The addresses come from a small grid so
 * that every space, table and entry is hit again and again.
 *
 * The model is the TLB rules (no PCID): a translation the guest's tables
 * gave at some moment may stay cached until INVLPG of an address in its
 * page, a CR3 write (not for global pages) or a CR4.PGE toggle.  Each fill
 * is recorded per (CR3, page) with the guest page it came from; a flush
 * re-judges the records it covers: still allowed only if the guest's
 * tables give that translation now (a TLB could reload it at once).
 * After every step every leaf of the current shadow root must be recorded
 * for its CR3, and be either what the guest's tables allow now or still
 * allowed by its record.
 */
#define M_SPACES        6                   /* more than the 4 roots kept */
#define M_POOL          (RANDOM_SPACES * SPACE_PAGES)   /* guest table pages */
#define M_RECS          (1u << 15)
#define M_KERNEL_SLOT   256u

struct tlb_rec {
    uint64_t cr3, va;                       /* cr3 0: a free slot */
    uint64_t leaf;                          /* the shadow leaf filled, less A/D */
    uint64_t base, size;                    /* the guest page it came from */
    bool global, live;
};

static struct {
    struct tlb_rec rec[M_RECS];
    unsigned int nrec;
    uint64_t cr3[M_SPACES];                 /* 0: exited */
    unsigned int cur;
    uint64_t kernel_pdpt;
    uint64_t free[M_POOL], pending[M_POOL]; /* table pages: reusable / after the next flush */
    unsigned int nfree, npending;
    unsigned int step;
    char log[16][144];                      /* the last steps, for a failure */
} m;

static void m_logf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void m_logf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(m.log[m.step % 16], sizeof(m.log[0]), fmt, ap);
    va_end(ap);
}

static void m_dump_log(void)
{
    for (unsigned int i = m.step > 15 ? m.step - 15 : 0; i <= m.step; i++)
        fprintf(stderr, "  step %5u: %s\n", i, m.log[i % 16]);
}

#define M_REQUIRE(expr, ...)                                                                  \
    do {                                                                                      \
        if (!(expr)) {                                                                        \
            m_dump_log();                                                                     \
            ck_abort_msg(__VA_ARGS__);                                                        \
        }                                                                                     \
    } while (0)

/* Guest table pages: LIFO, so a freed page is the next one used. */
static uint64_t m_alloc(void)
{
    REQUIRE_MSG(m.nfree > 0, "model: out of guest table pages");
    uint64_t gpa = m.free[--m.nfree];

    memset(gword(gpa), 0, PAGE_SIZE);
    return gpa;
}

/* A table page and the tables below it; entries of level 'level' in it. */
static void m_free_tree(uint64_t table, unsigned int level, bool now)
{
    for (unsigned int i = 0; level > 1 && i < 512; i++) {
        uint64_t e = gword(table)[i];

        if ((e & GPTE_P) && !(e & GPTE_PS))
            m_free_tree(e & GPTE_ADDR_MASK, level - 1, now);
    }
    memset(gword(table), 0x5a, PAGE_SIZE);  /* freed: junk until reused */
    if (now)
        m.free[m.nfree++] = table;
    else
        m.pending[m.npending++] = table;
}

/* A flush of everything non-global: paging-structure caches too. */
static void m_tables_flushed(void)
{
    while (m.npending)
        m.free[m.nfree++] = m.pending[--m.npending];
}

static unsigned int m_hash(uint64_t cr3, uint64_t va)
{
    uint64_t h = ((cr3 >> 12) * 0x9e3779b97f4a7c15ull) ^ ((va >> 12) * 0xc2b2ae3d27d4eb4full);

    return (unsigned int)(h >> 40) % M_RECS;
}

static struct tlb_rec *m_rec(uint64_t cr3, uint64_t va, bool create)
{
    va &= ~(uint64_t)(PAGE_SIZE - 1);
    for (unsigned int i = m_hash(cr3, va), n = 0; n < M_RECS; i = (i + 1) % M_RECS, n++) {
        struct tlb_rec *r = &m.rec[i];

        if (r->cr3 == cr3 && r->va == va)
            return r;
        if (!r->cr3) {
            if (!create)
                return NULL;
            REQUIRE_MSG(++m.nrec < M_RECS * 3 / 4, "model: too many records");
            r->cr3 = cr3;
            r->va = va;
            return r;
        }
    }
    return NULL;
}

/* Could a TLB load this shadow leaf for va in space cr3 right now? */
static bool m_allowed_now(uint64_t cr3, uint64_t va, uint64_t leaf)
{
    uint64_t save = gp.cr3, pat;
    struct guest_walk_info w;
    enum guest_walk_status st;
    enum p2m_type type;
    mfn_t mfn;

    gp.cr3 = cr3;
    st = ref_walk(va, K_READ, &w);
    gp.cr3 = save;
    if (st != GW_OK)
        return false;
    for (unsigned int l = w.level; l <= w.top_level; l++)
        if (!(w.entry[l - 1] & GPTE_A))
            return false;                   /* the CPU would set A again */
    mfn = p2m_lookup(&p2m, w.gpa >> PAGE_SHIFT, &type);
    pat = w.leaf_entry & (w.page_size == GW_PAGE_4K ? GPTE_PAT_4K : GPTE_PAT_LARGE);
    return mfn == (leaf & GPTE_ADDR_MASK) >> PAGE_SHIFT && !!(leaf & GPTE_US) == w.user &&
           !!(leaf & GPTE_NX) == w.nx && !!(leaf & GPTE_G) == !!(w.leaf_entry & GPTE_G) &&
           (!(leaf & GPTE_RW) || (w.writable && (w.leaf_entry & GPTE_D) && p2m_writable(type))) &&
           (leaf & (GPTE_PWT | GPTE_PCD)) == (w.leaf_entry & (GPTE_PWT | GPTE_PCD)) &&
           !!(leaf & GPTE_PAT_4K) == !!pat;
}

#define M_LEAF_MASK (~(uint64_t)(GPTE_A | GPTE_D))

/* A flush: the records it covers are allowed only if still true now. */
static void m_rejudge(bool (*covers)(const struct tlb_rec *, uint64_t), uint64_t arg)
{
    for (unsigned int i = 0; i < M_RECS; i++) {
        struct tlb_rec *r = &m.rec[i];

        if (r->cr3 && covers(r, arg))
            r->live = m_allowed_now(r->cr3, r->va, r->leaf);
    }
}

/* INVLPG: this address's page in this space, global or not, and the global
 * ones of every space (a global entry is the TLB's, not the space's). */
static bool m_covers_invlpg(const struct tlb_rec *r, uint64_t va)
{
    return (r->cr3 == gp.cr3 || r->global) && va - r->base < r->size;
}

/* MOV to CR3: everything that is not global. */
static bool m_covers_cr3(const struct tlb_rec *r, uint64_t cr3)
{
    (void)cr3;
    return !r->global;
}

static bool m_covers_all(const struct tlb_rec *r, uint64_t arg)
{
    (void)r;
    (void)arg;
    return true;
}

static void m_invlpg(uint64_t va)
{
    shadow_invlpg(&sh, va);
    m_rejudge(m_covers_invlpg, va);
}

static void m_cr3_write(unsigned int space)
{
    m.cur = space;
    gp.cr3 = m.cr3[space];
    REQUIRE(shadow_set_cr3(&sh, &gp) == 0);
    m_rejudge(m_covers_cr3, gp.cr3);
    m_tables_flushed();
}

/* CR4.PGE toggled: Linux's global flush; the SVM side resets the shadow. */
static void m_global_flush(void)
{
    REQUIRE(shadow_reset(&sh, &gp) == 0);
    m_rejudge(m_covers_all, 0);
    m_tables_flushed();
}

/* The CPU runs an access; every fill is recorded.  Outcomes are checked
 * against a fresh walk when the shadow had nothing (faults are exact).
 * true: the guest's #PF. */
static unsigned int m_checked, m_stale_seen, m_outcome[3];    /* hit, filled, guest fault */

static bool m_access(uint64_t va, uint32_t kind)
{
    for (unsigned int fills = 0;; fills++) {
        struct shadow_fault_info info;
        struct guest_walk_info w;
        enum shadow_result r;
        uint64_t ma, leaf;
        uint32_t pfec;

        if (hw_access(va, kind, &ma, &pfec)) {
            m_outcome[fills ? 1 : 0]++;
            return false;
        }
        M_REQUIRE(fills < MAX_FILLS, "va %#llx kind %#x: still faults after %u fills", X(va), kind,
                  fills);
        r = shadow_fault(&sh, &gp, va, pfec, &info);
        if (r == SHADOW_GUEST_FAULT) {
            M_REQUIRE(ref_walk(va, kind, &w) == GW_PAGE_FAULT && w.pfec == info.pfec,
                      "va %#llx kind %#x: guest fault %#x the tables do not give", X(va), kind,
                      info.pfec);
            m_outcome[2]++;
            return true;
        }
        M_REQUIRE(r == SHADOW_FIXED, "va %#llx kind %#x: %s", X(va), kind, result_name(r));
        leaf = sh_leaf(va);
        REQUIRE(leaf & GPTE_P);
        REQUIRE(ref_walk(va, K_READ, &w) == GW_OK);
        struct tlb_rec *rec = m_rec(gp.cr3, va, true);
        rec->leaf = leaf & M_LEAF_MASK;
        rec->size = w.page_size;
        rec->base = va & ~(w.page_size - 1);
        rec->global = w.leaf_entry & GPTE_G;
        rec->live = true;
    }
}


static void m_check_level(mfn_t t, unsigned int level, uint64_t base)
{
    const uint64_t *e = sh_tab(t);

    for (unsigned int i = 0; i < 512; i++) {
        uint64_t va = base | ((uint64_t)i << (PAGE_SHIFT + 9 * (level - 1)));

        if (!(e[i] & GPTE_P))
            continue;
        if (level > 1) {
            m_check_level((e[i] & GPTE_ADDR_MASK) >> PAGE_SHIFT, level - 1, va);
            continue;
        }
        if (va & (1ull << 47))
            va |= 0xffff000000000000ull;
        struct tlb_rec *r = m_rec(gp.cr3, va, false);
        M_REQUIRE(r && r->leaf == (e[i] & M_LEAF_MASK),
                  "step %u: va %#llx: shadow leaf %#llx was never filled in space %#llx (last fill %#llx)",
                  m.step, X(va), X(e[i]), X(gp.cr3), X(r ? r->leaf : 0));
        m_checked++;
        if (m_allowed_now(gp.cr3, va, e[i])) {
            r->live = true;
            continue;
        }
        M_REQUIRE(r->live, "step %u: va %#llx: shadow leaf %#llx (cr3 %#llx) is stale after a "
                  "flush that covered it (guest %u KiB page at %#llx)",
                  m.step, X(va), X(e[i]), X(gp.cr3), (unsigned int)(r->size >> 10), X(r->base));
        m_stale_seen++;
    }
}

/* ---- the guest ---- */

static const uint64_t m_l4[] = { 0, 1, M_KERNEL_SLOT };

static uint64_t m_va(void)
{
    return mkva(m_l4[rnd_below(3)], rnd_below(2), rnd_below(4), rnd_below(8));
}

static uint64_t m_space_new(void)
{
    uint64_t cr3 = m_alloc();

    gword(cr3)[M_KERNEL_SLOT] = m.kernel_pdpt | TABLE | GPTE_A;   /* pgd_ctor */
    return cr3;
}

/* va's entry at level in space cr3; the tables above made when asked.
 * NULL when a large page or (not asked) a missing table is in the way. */
static uint64_t *m_entry(uint64_t cr3, uint64_t va, unsigned int level, bool create)
{
    uint64_t table = cr3;

    for (unsigned int l = 4; l > level; l--) {
        uint64_t *e = gword(table + gidx(va, l) * 8);

        if (!(*e & GPTE_P)) {
            if (!create)
                return NULL;
            *e = m_alloc() | TABLE | (chance(70) ? GPTE_A : 0);
        }
        if (*e & GPTE_PS)
            return NULL;
        table = *e & GPTE_ADDR_MASK;
    }
    return gword(table + gidx(va, level) * 8);
}

/* A leaf for va at level: RAM only, user pages in the user half, global
 * pages (mostly) in the kernel half. */
static uint64_t m_leaf(uint64_t va, unsigned int level)
{
    bool kernel = gidx(va, 4) == M_KERNEL_SLOT;
    uint64_t e = GPTE_P | (chance(70) ? GPTE_RW : 0) | (kernel ? 0 : GPTE_US) |
                 (chance(20) ? GPTE_NX : 0) | (chance(50) ? GPTE_A : 0) |
                 (chance(40) ? GPTE_D : 0) | (kernel && chance(80) ? GPTE_G : 0) |
                 (chance(5) ? GPTE_PCD : 0);

    if (level == 1)
        return e | (rnd_below(0x300) << PAGE_SHIFT);
    if (level == 2)
        return e | GPTE_PS | (ALIAS_GPA + (rnd_below(4) << 21));
    return e | GPTE_PS | ALIAS_GPA;
}

/* After a change at va: Linux flushes the page, the whole space, or not
 * (yet): a new mapping, or a batch that a later flush will cover. */
static void m_maybe_flush(uint64_t cr3, uint64_t va, uint64_t size)
{
    unsigned int r = rnd_below(100);

    char *log = m.log[m.step % 16];
    size_t len = strlen(log);

    if (cr3 != gp.cr3 && gidx(va, 4) != M_KERNEL_SLOT)
        return;                         /* another space: its next CR3 load flushes */
    if (r < 40) {
        va = (va & ~(size - 1)) + (rnd_below(size) & ~(uint64_t)(PAGE_SIZE - 1));
        snprintf(log + len, sizeof(m.log[0]) - len, "; invlpg %#llx", X(va));
        m_invlpg(va);
    } else if (r < 55) {
        snprintf(log + len, sizeof(m.log[0]) - len, "; cr3 reload");
        m_cr3_write(m.cur);
    }
}

static unsigned int m_other_space(void)
{
    unsigned int n = rnd_below(M_SPACES);

    while (!m.cr3[n])
        n = (n + 1) % M_SPACES;
    return n;
}

/* An exit: the user half goes, now (it is not running: nothing of it is
 * cached); its PML4 page too, half the time, and comes back as a new
 * space at once, likely on the same page. */
static void m_respawn(unsigned int n)
{
    for (unsigned int i = 0; i < M_KERNEL_SLOT; i++) {
        uint64_t *e = &gword(m.cr3[n])[i];

        if (*e & GPTE_P)
            m_free_tree(*e & GPTE_ADDR_MASK, 3, true);
        *e = 0;
    }
    if (chance(50)) {
        m_free_tree(m.cr3[n], 1, true);
        m.cr3[n] = m_space_new();
    }
}

static void m_step(unsigned int r)
{
    uint64_t va = m_va(), cr3 = chance(80) ? gp.cr3 : m.cr3[m_other_space()], *e, old;
    unsigned int level;

    if (r < 50) {
        static const uint32_t kinds[] = { K_READ, K_WRITE, K_FETCH };
        uint32_t kind = kinds[rnd_below(3)] | (gidx(va, 4) == M_KERNEL_SLOT ? 0 : K_USER);

        va |= rnd_below(PAGE_SIZE);
        m_logf("access %#llx kind %#x", X(va), kind);
        if (!m_access(va, kind) || !chance(70) || !(e = m_entry(gp.cr3, va, 1, true)))
            return;
        /* Linux's #PF handler: a new page for a page not present (no flush
         * needed), a copy for a write to a read-only one (flushed). */
        old = *e;
        if (!(old & GPTE_P))
            *e = m_leaf(va, 1);
        else if (kind & K_WRITE)
            *e = (rnd_below(0x300) << PAGE_SHIFT) | (old & ~GPTE_ADDR_MASK) | GPTE_RW | AD;
        else
            return;
        m_logf("access %#llx kind %#x: fault; pte %#llx -> %#llx", X(va), kind, X(old), X(*e));
        if (old & GPTE_P)
            m_invlpg(va);
        m_access(va, kind);
    } else if (r < 70) {
        /* A 4 KiB PTE: mapped, unmapped, remapped, made read-only, ... */
        if (!(e = m_entry(cr3, va, 1, true)))
            return;
        old = *e;
        *e = chance(30) ? 0 : m_leaf(va, 1);
        m_logf("pte %#llx in %#llx: %#llx -> %#llx", X(va), X(cr3), X(old), X(*e));
        m_maybe_flush(cr3, va, PAGE_SIZE);
    } else if (r < 75) {
        /* Page aging and writeback: A and/or D cleared in a leaf. */
        for (level = 3; level >= 1; level--)
            if ((e = m_entry(cr3, va, level, false)) && (level == 1 || (*e & GPTE_PS)))
                break;
        if (!level || !(*e & GPTE_P))
            return;
        old = *e;
        *e &= ~(chance(50) ? GPTE_A | GPTE_D : chance(50) ? GPTE_A : GPTE_D);
        m_logf("clear A/D %#llx level %u in %#llx: %#llx -> %#llx", X(va), level, X(cr3), X(old),
               X(*e));
        m_maybe_flush(cr3, va, level_size(level));
    } else if (r < 79) {
        /* A PDE: a 2 MiB page (a collapse frees the PT), unmapped, split to a PT. */
        if (!(e = m_entry(cr3, va, 2, true)))
            return;
        old = *e;
        if ((old & GPTE_P) && !(old & GPTE_PS))
            m_free_tree(old & GPTE_ADDR_MASK, 1, false);
        if ((old & GPTE_P) && (old & GPTE_PS) && chance(50)) {
            uint64_t pt = m_alloc();        /* the split: the same pages, 4 KiB each */

            for (unsigned int i = 0; i < 512; i++)
                gword(pt)[i] = ((old & GPTE_ADDR_2M) + ((uint64_t)i << PAGE_SHIFT)) |
                               (old & (GPTE_P | GPTE_RW | GPTE_US | GPTE_A | GPTE_D | GPTE_G |
                                       GPTE_NX | GPTE_PCD));
            *e = pt | TABLE | GPTE_A;
        } else {
            *e = chance(30) ? 0 : m_leaf(va, 2);
        }
        m_logf("pde %#llx in %#llx: %#llx -> %#llx", X(va), X(cr3), X(old), X(*e));
        m_maybe_flush(cr3, va, level_size(2));
    } else if (r < 80) {
        /* A PDPTE: a 1 GiB page, or unmapped (its PD and PTs freed). */
        if (!(e = m_entry(cr3, va, 3, true)))
            return;
        old = *e;
        if ((old & GPTE_P) && !(old & GPTE_PS))
            m_free_tree(old & GPTE_ADDR_MASK, 2, false);
        *e = chance(50) ? 0 : m_leaf(va, 3);
        m_logf("pdpte %#llx in %#llx: %#llx -> %#llx", X(va), X(cr3), X(old), X(*e));
        m_maybe_flush(cr3, va, level_size(3));
    } else if (r < 82) {
        /* munmap / free_pgtables: a table goes from any level. */
        level = 2 + rnd_below(gidx(va, 4) == M_KERNEL_SLOT ? 2 : 3);
        if (!(e = m_entry(cr3, va, level, false)) || !(*e & GPTE_P) || (*e & GPTE_PS))
            return;
        old = *e;
        m_free_tree(old & GPTE_ADDR_MASK, level - 1, false);
        *e = 0;
        m_logf("free table under %#llx level %u in %#llx (%#llx)", X(va), level, X(cr3), X(old));
        m_maybe_flush(cr3, va, level_size(level));
    } else if (r < 87) {
        va |= rnd_below(PAGE_SIZE);
        m_logf("invlpg %#llx", X(va));
        m_invlpg(va);
    } else if (r < 90) {
        m_logf("cr3 reload %#llx", X(gp.cr3));
        m_cr3_write(m.cur);
    } else if (r < 96) {
        unsigned int n = m_other_space();

        m_logf("cr3 switch %#llx -> %#llx", X(gp.cr3), X(m.cr3[n]));
        m_cr3_write(n);
    } else if (r < 97) {
        m_logf("cr4.pge toggle");
        m_global_flush();
    } else {
        unsigned int n = m_other_space();

        if (n == m.cur)
            return;
        old = m.cr3[n];
        m_respawn(n);
        m_logf("exit/exec: space %u %#llx -> %#llx", n, X(old), X(m.cr3[n]));
    }
}

START_TEST(test_tlb_model)
{
    enum { STEPS = 40000 };

    memset(&m, 0, sizeof(m));
    m_checked = m_stale_seen = 0;
    memset(m_outcome, 0, sizeof(m_outcome));
    if (getenv("SHADOW_TEST_SEED"))
        rng = strtoull(getenv("SHADOW_TEST_SEED"), NULL, 0) | 1;
    for (unsigned int i = 0; i < M_POOL; i++)
        m.free[m.nfree++] = ((uint64_t)(TABLE_GFN + M_POOL - 1 - i)) << PAGE_SHIFT;
    m.kernel_pdpt = m_alloc();
    for (unsigned int i = 0; i < M_SPACES; i++)
        m.cr3[i] = m_space_new();
    gp.cr3 = m.cr3[0];
    reset_ok();
    for (m.step = 0; m.step < STEPS; m.step++) {
        m_step(rnd_below(100));
        m_check_level(shadow_root_pa(&sh) >> PAGE_SHIFT, 4, 0);
        M_REQUIRE(sh.tables == shpool.live, "step %u: %zu tables, %u live", m.step, sh.tables,
                  shpool.live);
    }
    if (getenv("SHADOW_TEST_VERBOSE"))
        fprintf(stderr, "tlb model: accesses %u hit %u filled %u faulted; %u leaves checked, "
                "%u legally stale; root hits %llu resync drops %llu root drops %llu fills %llu\n",
                m_outcome[0], m_outcome[1], m_outcome[2], m_checked, m_stale_seen,
                X(sh.stats.root_hits), X(sh.stats.resync_drops), X(sh.stats.root_drops),
                X(sh.stats.fills));
    /* It exercised what it is about. */
    ck_assert_uint_gt(sh.stats.root_hits, 1000);
    ck_assert_uint_gt(sh.stats.fills, 5000);
    ck_assert_uint_gt(m_stale_seen, 100);
}
END_TEST

/* ---- address spaces kept across CR3 writes (cached) ---------------------- */

/* Two spaces, A (the fixture's) and B, each mapping va somewhere. */
static uint64_t space_b(uint64_t va, uint64_t gpa)
{
    uint64_t cr3 = gpt_alloc();

    gmap_in(cr3, va, gpa, 1, LEAF | AD);
    return cr3;
}

START_TEST(test_cached_root_survives_a_switch)
{
    uint64_t va = mkva(3, 4, 5, 6), cr3_a = gp.cr3, cr3_b = space_b(va, 0x31000);
    uint64_t fills;

    gmap(va, 0x30000, 1, LEAF | AD);
    expect_ma(va, K_READ, 0x30000);
    gp.cr3 = cr3_b;
    cr3_write();
    ck_assert_uint_eq(sh_leaf(va), 0);                  /* B starts empty */
    expect_ma(va, K_READ, 0x31000);
    gp.cr3 = cr3_a;
    fills = sh.stats.fills;
    cr3_write();
    ck_assert_uint_eq(sh.stats.root_hits, 1);
    ck_assert_uint_ne(sh_leaf(va), 0);                  /* kept: no refill */
    expect_ma(va, K_READ, 0x30000);
    ck_assert_uint_eq(sh.stats.fills, fills);
    ck_assert_uint_eq(sh.stats.resync_drops, 0);
    ck_assert_uint_eq(sh.tables, shpool.live);
    ASSERT_AUDIT_CLEAN("kept root");
}
END_TEST

START_TEST(test_cached_changed_leaf_is_dropped)
{
    uint64_t va = mkva(3, 4, 5, 6), other = mkva(3, 4, 5, 7), cr3_a = gp.cr3;
    uint64_t cr3_b = space_b(va, 0x31000);

    gmap(va, 0x30000, 1, LEAF | AD);
    gmap(other, 0x32000, 1, LEAF | AD);
    expect_ma(va, K_READ, 0x30000);
    expect_ma(other, K_READ, 0x32000);
    gp.cr3 = cr3_b;
    cr3_write();
    *gentry_in(cr3_a, va, 1) = 0x33000 | LEAF | AD;     /* changed while A is not running */
    gp.cr3 = cr3_a;
    cr3_write();
    ck_assert_uint_eq(sh_leaf(va), 0);
    ck_assert_uint_ne(sh_leaf(other), 0);               /* its neighbour did not change */
    ck_assert_uint_eq(sh.stats.resync_drops, 1);
    expect_ma(va, K_READ, 0x33000);
    ASSERT_AUDIT_CLEAN("changed leaf");
}
END_TEST

START_TEST(test_cached_same_cr3_reload_flushes_what_changed)
{
    uint64_t va = mkva(9, 1, 2, 3);
    uint64_t *pte;

    gmap(va, 0x30000, 1, LEAF | AD);
    pte = gentry(va, 1);
    expect_ma(va, K_READ, 0x30000);
    *pte = 0x34000 | LEAF | AD;
    expect_ma(va, K_READ, 0x30000);                     /* a TLB may keep it until the flush */
    cr3_write();                                        /* MOV CR3 with the same value */
    ck_assert_uint_eq(sh_leaf(va), 0);
    expect_ma(va, K_READ, 0x34000);
    *pte = 0;
    cr3_write();
    expect_guest_fault(va, K_READ, 0);
    ASSERT_AUDIT_CLEAN("same-cr3 reload");
}
END_TEST

START_TEST(test_cached_upper_change_drops_the_subtree)
{
    uint64_t va = mkva(7, 8, 9, 10), va2 = mkva(7, 8, 9, 11), cr3_a = gp.cr3;
    uint64_t cr3_b = space_b(va, 0x31000), new_pt = gpt_alloc();
    unsigned int deps;

    gmap(va, 0x30000, 1, LEAF | AD);
    gmap(va2, 0x35000, 1, LEAF | AD);
    expect_ma(va, K_READ, 0x30000);
    expect_ma(va2, K_READ, 0x35000);
    deps = sh.roots[sh.cur].ndeps;
    ck_assert_uint_eq(deps, 4);                         /* PML4, PDPT, PD, PT */
    gp.cr3 = cr3_b;
    cr3_write();
    /* A's PDE now points at another PT that maps va elsewhere. */
    ((uint64_t *)gword(new_pt))[gidx(va, 1)] = 0x36000 | LEAF | AD;
    *gentry_in(cr3_a, va, 2) = new_pt | TABLE | GPTE_A;
    gp.cr3 = cr3_a;
    cr3_write();
    ck_assert_ptr_null(sh_entry(va, 1));                /* the whole PT's shadow went */
    ck_assert_uint_eq(sh.roots[sh.cur].ndeps, 3);       /* and the old PT is no dependency */
    expect_ma(va, K_READ, 0x36000);
    expect_guest_fault(va2, K_READ, 0);
    ck_assert_uint_eq(sh.tables, shpool.live);
    ASSERT_AUDIT_CLEAN("upper change");
}
END_TEST

START_TEST(test_cached_accessed_dirty_rules)
{
    uint64_t va = mkva(5, 6, 7, 8), cr3_a = gp.cr3, cr3_b = space_b(va, 0x31000);
    uint64_t *pte;

    gmap(va, 0x30000, 1, LEAF);                         /* A and D clear */
    pte = gentry(va, 1);
    expect_ma(va, K_READ, 0x30000);                     /* the walk sets A; the leaf is read-only */
    ck_assert(*pte & GPTE_A);
    gp.cr3 = cr3_b;
    cr3_write();
    *pte |= GPTE_D;                                     /* 0 -> 1: what a fill elsewhere does */
    gp.cr3 = cr3_a;
    cr3_write();
    ck_assert_uint_ne(sh_leaf(va), 0);
    ck_assert_uint_eq(sh.stats.resync_drops, 0);
    expect_ma(va, K_WRITE, 0x30000);                    /* read-only leaf: refilled writable */
    gp.cr3 = cr3_b;
    cr3_write();
    *pte &= ~(uint64_t)(GPTE_A | GPTE_D);               /* the guest clears A/D: a change */
    gp.cr3 = cr3_a;
    cr3_write();
    ck_assert_uint_eq(sh_leaf(va), 0);
    ck_assert_uint_eq(sh.stats.resync_drops, 1);
    expect_ma(va, K_READ, 0x30000);
    ck_assert(*pte & GPTE_A);
    ck_assert(!(*pte & GPTE_D));
    ASSERT_AUDIT_CLEAN("A/D rules");
}
END_TEST

START_TEST(test_cached_table_reached_twice_drops_the_root)
{
    uint64_t va = mkva(11, 1, 1, 1), alias = mkva(12, 1, 1, 1), cr3_a = gp.cr3;
    uint64_t cr3_b = space_b(va, 0x31000);

    gmap(va, 0x30000, 1, LEAF | AD);
    *gentry(alias, 4) = *gentry(va, 4);                 /* the same PDPT under two PML4 slots */
    expect_ma(va, K_READ, 0x30000);
    expect_ma(alias, K_READ, 0x30000);
    gp.cr3 = cr3_b;
    cr3_write();
    *gentry_in(cr3_a, va, 1) = 0x37000 | LEAF | AD;
    gp.cr3 = cr3_a;
    cr3_write();
    ck_assert_uint_eq(sh.stats.root_drops, 1);
    ck_assert_uint_eq(sh_leaf(va), 0);
    ck_assert_uint_eq(sh_leaf(alias), 0);
    expect_ma(alias, K_READ, 0x37000);
    ASSERT_AUDIT_CLEAN("two paths");
}
END_TEST

START_TEST(test_cached_lru_eviction)
{
    uint64_t va = mkva(2, 2, 2, 2), cr3[6];

    cr3[0] = gp.cr3;
    gmap(va, 0x30000, 1, LEAF | AD);
    for (unsigned int i = 1; i < 6; i++)
        cr3[i] = space_b(va, 0x30000 + i * PAGE_SIZE);
    for (unsigned int round = 0; round < 2; round++)
        for (unsigned int i = 0; i < 6; i++) {
            gp.cr3 = cr3[i];
            cr3_write();
            expect_ma(va, K_READ, 0x30000 + i * PAGE_SIZE);
            ck_assert_uint_eq(sh.tables, shpool.live);
        }
    /* Six spaces through four slots in order: only the very first write
     * (to the space already running) hit; then each missed and evicted
     * the least recently used, from the fifth on. */
    ck_assert_uint_eq(sh.stats.root_hits, 1);
    ck_assert_uint_eq(sh.stats.root_drops, 8);
    gp.cr3 = cr3[4];
    cr3_write();
    ck_assert_uint_eq(sh.stats.root_hits, 2);
    ASSERT_AUDIT_CLEAN("lru");
}
END_TEST

START_TEST(test_cached_too_many_tables_drops_the_root)
{
    uint64_t cr3_a = gp.cr3, cr3_b = space_b(mkva(1, 0, 0, 0), 0x31000), va;

    /* More PTs than a root can track. */
    for (unsigned int i = 0; i < SHADOW_MAX_DEPS; i++) {
        va = mkva(20, i / 64, i % 64, 1);
        gmap(va, 0x30000, 1, LEAF | AD);
        expect_ma(va, K_READ, 0x30000);
    }
    ck_assert(sh.roots[sh.cur].untracked);
    gp.cr3 = cr3_b;
    cr3_write();
    gp.cr3 = cr3_a;
    cr3_write();
    ck_assert_uint_eq(sh.stats.root_drops, 1);
    ck_assert_uint_eq(sh_leaf(va), 0);
    ck_assert(!sh.roots[sh.cur].untracked);
    ck_assert_uint_eq(sh.tables, shpool.live);
}
END_TEST

START_TEST(test_drop_frame)
{
    uint64_t va1 = mkva(3, 4, 5, 6), va2 = mkva(3, 4, 5, 7), va3 = mkva(9, 4, 5, 6);
    uint64_t cr3_a = gp.cr3, cr3_b = space_b(va3, 0x30000);

    gmap(va1, 0x30000, 1, LEAF | AD);
    gmap(va2, 0x31000, 1, LEAF | AD);
    expect_ma(va1, K_READ, 0x30000);
    expect_ma(va2, K_READ, 0x31000);
    gp.cr3 = cr3_b;
    cr3_write();
    expect_ma(va3, K_READ, 0x30000);            /* the same frame in another root */
    ck_assert_int_eq(shadow_drop_frame(&sh, ma_of(0x30000) >> PAGE_SHIFT), 0);
    ck_assert_uint_eq(sh_leaf(va3), 0);
    gp.cr3 = cr3_a;
    cr3_write();
    if (cached) {
        ck_assert_uint_eq(sh_leaf(va1), 0);     /* gone from the kept root too */
        ck_assert_uint_ne(sh_leaf(va2), 0);     /* its neighbour stays */
    }
    expect_ma(va1, K_READ, 0x30000);
    /* A frame that is a guest table of a kept root: only a reset will do. */
    uint64_t pt_gpa = *gentry(va1, 2) & GPTE_ADDR_MASK;
    if (cached)
        ck_assert_int_eq(shadow_drop_frame(&sh, ma_of(pt_gpa) >> PAGE_SHIFT), -EBUSY);
    ASSERT_AUDIT_CLEAN("drop frame");
}
END_TEST

START_TEST(test_one_root_is_a_virtual_tlb)
{
    uint64_t va = mkva(3, 4, 5, 6), cr3_a = gp.cr3, cr3_b = space_b(va, 0x31000);

    REQUIRE(shadow_set_roots(&sh, 1) == 0);
    reset_ok();
    gmap(va, 0x30000, 1, LEAF | AD);
    expect_ma(va, K_READ, 0x30000);
    gp.cr3 = cr3_b;
    REQUIRE(shadow_set_cr3(&sh, &gp) == 0);
    gp.cr3 = cr3_a;
    REQUIRE(shadow_set_cr3(&sh, &gp) == 0);
    ck_assert_uint_eq(sh.stats.root_hits, 0);
    ck_assert_uint_eq(sh_leaf(va), 0);
    ck_assert_uint_eq(sh.roots[sh.cur].ndeps, 0);       /* nothing tracked either */
    ck_assert_int_eq(shadow_set_roots(&sh, 0), -EINVAL);
    ck_assert_int_eq(shadow_set_roots(&sh, SHADOW_MAX_ROOTS + 1), -EINVAL);
    reset_ok();
}
END_TEST

START_TEST(test_cached_paging_mode_change_drops_all)
{
    uint64_t va = mkva(3, 4, 5, 6), cr3_b = space_b(va, 0x31000);

    gmap(va, 0x30000, 1, LEAF | AD);
    expect_ma(va, K_READ, 0x30000);
    gp.cr3 = cr3_b;
    cr3_write();
    expect_ma(va, K_READ, 0x31000);
    paging_off();
    REQUIRE(shadow_set_cr3(&sh, &gp) == 0);             /* another format: a reset */
    ck_assert_int_eq(sh.format, SHADOW_PAE);
    ck_assert_uint_eq(shpool.live, 1);
    ck_assert_uint_eq(sh.tables, 1);
}
END_TEST

/*
 * An entry that changed after its table was snapshotted, and was filled
 * from: the snapshot must follow it, or the entry going back to its
 * snapshot value (unmapped again, cleaned again) hides the change from the
 * resync of the next flush.
 */
START_TEST(test_cached_entry_filled_after_its_snapshot)
{
    uint64_t va = mkva(9, 1, 2, 3), va2 = mkva(9, 1, 2, 4), va3 = mkva(9, 1, 2, 5);
    uint64_t *pte3;

    gmap(va, 0x30000, 1, LEAF | AD);
    gmap(va3, 0x32000, 1, LEAF | GPTE_A);               /* clean */
    pte3 = gentry(va3, 1);
    expect_ma(va, K_READ, 0x30000);                     /* the PT is snapshotted: va2 empty */
    gmap(va2, 0x31000, 1, LEAF | AD);                   /* not present -> present: no flush */
    expect_ma(va2, K_READ, 0x31000);
    *gentry(va2, 1) = 0;                                /* unmapped ... */
    cr3_write();                                        /* ... and flushed */
    expect_guest_fault(va2, K_READ, 0);

    expect_ma(va3, K_WRITE, 0x32000);                   /* sets D: a writable leaf */
    ck_assert(*pte3 & GPTE_D);
    *pte3 &= ~(uint64_t)GPTE_D;                         /* writeback cleans it ... */
    cr3_write();                                        /* ... and flushes */
    ck_assert(!(sh_leaf(va3) & GPTE_RW));
    expect_ma(va3, K_WRITE, 0x32000);
    ck_assert(*pte3 & GPTE_D);                          /* the next write dirties it again */
    ASSERT_AUDIT_CLEAN("filled after the snapshot");
}
END_TEST

static void add_core_tests(TCase *tc)
{
    tcase_add_test(tc, test_paging_off_every_ram_page);
    tcase_add_test(tc, test_paging_off_outside_the_p2m);
    tcase_add_test(tc, test_long_4k_pages);
    tcase_add_test(tc, test_long_2m_pages);
    tcase_add_test(tc, test_long_1g_pages);
    tcase_add_test(tc, test_cache_attributes);
    tcase_add_test(tc, test_guest_not_present_at_each_level);
    tcase_add_test(tc, test_guest_write_to_read_only);
    tcase_add_test(tc, test_guest_user_to_supervisor);
    tcase_add_test(tc, test_guest_fetch_from_nx);
    tcase_add_test(tc, test_guest_reserved_bits_and_nxe_off);
    tcase_add_test(tc, test_dirty_bit_emulation);
    tcase_add_test(tc, test_wp0_supervisor_writes);
    tcase_add_test(tc, test_invlpg_4k);
    tcase_add_test(tc, test_invlpg_2m_at_a_filled_piece);
    tcase_add_test(tc, test_invlpg_2m_at_an_unfilled_address);
    tcase_add_test(tc, test_invlpg_1g_page);
    tcase_add_test(tc, test_reset_frees_everything);
    tcase_add_test(tc, test_out_of_memory);
    tcase_add_test(tc, test_32bit_paging_unsupported);
    tcase_add_test(tc, test_walk_outcomes);
    tcase_add_test(tc, test_p2m_types);
    tcase_add_test(tc, test_mmio_passthrough_is_writable);
    tcase_add_test(tc, test_audit_clean_after_random_faults);
    tcase_add_test(tc, test_audit_wrong_frame);
    tcase_add_test(tc, test_audit_writable_over_read_only);
    tcase_add_test(tc, test_audit_user_bit_flipped);
    tcase_add_test(tc, test_audit_nx_dropped);
    tcase_add_test(tc, test_audit_misplaced_leaf);
    tcase_add_test(tc, test_audit_stale_leaf);
    tcase_add_test(tc, test_audit_wrong_frame_after_dirty_update);
    tcase_add_test(tc, test_audit_paging_off);
    tcase_add_test(tc, test_audit_writable_leaf_over_read_only_p2m);
    tcase_add_test(tc, test_stats);
    tcase_add_test(tc, test_drop_frame);
}

/* "core" runs on plain shadow_ops, "origin" with the optional leaf tables. */
Suite *shadow_suite(void)
{
    Suite *s = suite_create("shadow");
    TCase *core = tcase_create("core");
    TCase *origin = tcase_create("origin");
    TCase *random = tcase_create("random");
    TCase *random_origin = tcase_create("random-origin");

    tcase_add_checked_fixture(core, setup, teardown);
    add_core_tests(core);
    suite_add_tcase(s, core);

    tcase_add_checked_fixture(origin, setup_origin, teardown);
    add_core_tests(origin);
    tcase_add_test(origin, test_origin_leaf_tables);
    suite_add_tcase(s, origin);

    tcase_add_checked_fixture(random, setup, teardown);
    tcase_set_timeout(random, 60);
    tcase_add_test(random, test_random);
    suite_add_tcase(s, random);

    tcase_add_checked_fixture(random_origin, setup_origin, teardown);
    tcase_set_timeout(random_origin, 60);
    tcase_add_test(random_origin, test_random);
    suite_add_tcase(s, random_origin);

    /* Roots kept across CR3 writes: the core tests must hold unchanged, the
     * random walk must never leave a stale leaf after a CR3 write, and the
     * directed tests check what is kept and what is dropped. */
    TCase *cached_core = tcase_create("cached");
    tcase_add_checked_fixture(cached_core, setup_cached, teardown);
    add_core_tests(cached_core);
    tcase_add_test(cached_core, test_cached_root_survives_a_switch);
    tcase_add_test(cached_core, test_cached_changed_leaf_is_dropped);
    tcase_add_test(cached_core, test_cached_same_cr3_reload_flushes_what_changed);
    tcase_add_test(cached_core, test_cached_upper_change_drops_the_subtree);
    tcase_add_test(cached_core, test_cached_accessed_dirty_rules);
    tcase_add_test(cached_core, test_cached_table_reached_twice_drops_the_root);
    tcase_add_test(cached_core, test_cached_lru_eviction);
    tcase_add_test(cached_core, test_cached_too_many_tables_drops_the_root);
    tcase_add_test(cached_core, test_one_root_is_a_virtual_tlb);
    tcase_add_test(cached_core, test_cached_paging_mode_change_drops_all);
    tcase_add_test(cached_core, test_cached_entry_filled_after_its_snapshot);
    tcase_add_test(cached_core, test_drop_frame);
    suite_add_tcase(s, cached_core);

    TCase *cached_random = tcase_create("cached-random");
    tcase_add_checked_fixture(cached_random, setup_cached, teardown);
    tcase_set_timeout(cached_random, 60);
    tcase_add_test(cached_random, test_random);
    tcase_add_test(cached_random, test_tlb_model);
    suite_add_tcase(s, cached_random);

    TCase *cached_random_origin = tcase_create("cached-random-origin");
    tcase_add_checked_fixture(cached_random_origin, setup_cached_origin, teardown);
    tcase_set_timeout(cached_random_origin, 60);
    tcase_add_test(cached_random_origin, test_random);
    tcase_add_test(cached_random_origin, test_tlb_model);
    tcase_add_test(cached_random_origin, test_cached_changed_leaf_is_dropped);
    tcase_add_test(cached_random_origin, test_cached_upper_change_drops_the_subtree);
    suite_add_tcase(s, cached_random_origin);
    return s;
}
