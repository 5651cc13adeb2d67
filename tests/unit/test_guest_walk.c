/*
 * Guest page-table walker (hypervisor/mm/guest_walk.c) over a fake guest
 * physical memory: 4 MiB of RAM at gpa 0, a bump allocator that lays out
 * page tables in it, a read_entry that fails outside it, and a cmpxchg that
 * logs every store and can lose races on demand.  The last test compares the
 * walker with an independent reference model on random tables.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <sv/guest_walk.h>

#include "suites.h"

/* ---- fake guest memory -------------------------------------------------- */

#define RAM_SIZE        (4ull << 20)
#define RAM_PAGES       (RAM_SIZE / 4096)
#define FIRST_TABLE     0x1000ull           /* page 0 stays empty */
#define OUTSIDE_RAM     0x80000000ull       /* below every MAXPHYADDR, not RAM */
#define MAX_LOG         (4 * GUEST_WALK_MAX_ATTEMPTS)

static uint64_t ram[RAM_SIZE / 8];

struct store {
    uint64_t gpa, old, new;
};

static struct fake_mem {
    unsigned int reads;             /* read_entry calls */
    unsigned int cmpxchgs;          /* cmpxchg_entry calls */
    unsigned int nr_stores;         /* successful exchanges, logged in order */
    struct store stores[MAX_LOG];
    unsigned int race_on;           /* before this cmpxchg call (1-based), store */
    uint64_t race_gpa, race_value;  /*   race_value at race_gpa: another vCPU */
    bool race_always;               /* every call first changes the target entry */
    int fail_with;                  /* cmpxchg returns this when non-zero */
} fake;

static bool in_ram(uint64_t gpa)
{
    return gpa < RAM_SIZE;
}

static uint64_t *ram_word(uint64_t gpa)
{
    ck_assert_msg(in_ram(gpa) && (gpa & 7) == 0, "bad gpa %#llx", (unsigned long long)gpa);
    return &ram[gpa / 8];
}

static int fake_read(void *ctx, uint64_t gpa, uint64_t *val)
{
    struct fake_mem *f = ctx;

    f->reads++;
    ck_assert_uint_eq(gpa & 7, 0);
    if (!in_ram(gpa))
        return -EFAULT;
    *val = ram[gpa / 8];
    return 0;
}

static int fake_cmpxchg(void *ctx, uint64_t gpa, uint64_t old, uint64_t new)
{
    struct fake_mem *f = ctx;
    uint64_t *word;

    f->cmpxchgs++;
    if (f->fail_with)
        return f->fail_with;
    word = ram_word(gpa);
    if (f->race_on == f->cmpxchgs)
        *ram_word(f->race_gpa) = f->race_value;
    if (f->race_always)
        *word ^= 1ull << 52;                /* an ignored bit: the entry "changed" */
    if (*word != old)
        return -EAGAIN;
    *word = new;
    ck_assert_uint_lt(f->nr_stores, MAX_LOG);
    f->stores[f->nr_stores++] = (struct store){ gpa, old, new };
    return 0;
}

static const struct guest_walk_ops fake_ops = {
    .read_entry = fake_read,
    .cmpxchg_entry = fake_cmpxchg,
};

static void reset_counters(void)
{
    memset(&fake, 0, sizeof(fake));
}

/* ---- guest state and table builder ------------------------------------- */

#define CR0_PE          1ull
#define TABLE_FLAGS     (GPTE_P | GPTE_RW | GPTE_US)
#define LEAF_FLAGS      (GPTE_P | GPTE_RW | GPTE_US)

static struct guest_paging gp;
static struct guest_walk_info info;
static uint64_t next_page;

static uint64_t alloc_page(void)
{
    uint64_t gpa = next_page;

    next_page += 4096;
    ck_assert(next_page <= RAM_SIZE);
    memset(ram_word(gpa), 0, 4096);
    return gpa;
}

/* Fresh, empty tables for a long-mode guest with NX, WP and 1 GiB pages. */
static void long_mode(void)
{
    gp = (struct guest_paging){
        .cr0 = CR0_PE | GW_CR0_PG | GW_CR0_WP,
        .cr4 = GW_CR4_PAE,
        .efer = GW_EFER_LME | GW_EFER_LMA | GW_EFER_NXE,
        .maxphyaddr = 40,
        .gbpages = true,
    };
    next_page = FIRST_TABLE;
    gp.cr3 = alloc_page();
}

/* Fresh tables for a 32-bit PAE guest; the PDPT is 32-byte aligned only. */
static void pae_mode(void)
{
    gp = (struct guest_paging){
        .cr0 = CR0_PE | GW_CR0_PG | GW_CR0_WP,
        .cr4 = GW_CR4_PAE,
        .efer = GW_EFER_NXE,
        .maxphyaddr = 40,
    };
    next_page = FIRST_TABLE;
    gp.cr3 = alloc_page() + 0x60;
}

static bool is_pae(void)
{
    return !(gp.efer & GW_EFER_LMA);
}

static unsigned int top_level(void)
{
    return is_pae() ? 3 : 4;
}

static uint64_t root_table(void)
{
    return is_pae() ? (gp.cr3 & 0xffffffe0ull) : (gp.cr3 & GPTE_ADDR_MASK);
}

static unsigned int index_of(uint64_t va, unsigned int level)
{
    if (is_pae())
        va = (uint32_t)va;
    return (va >> (12 + 9 * (level - 1))) & 511;
}

static uint64_t table_entry_flags(unsigned int level)
{
    return is_pae() && level == 3 ? GPTE_P : TABLE_FLAGS;
}

/* Map va to pa with a leaf at leaf_level (1: 4K, 2: 2M, 3: 1G), creating
 * missing tables with full rights. */
static void map(uint64_t va, uint64_t pa, unsigned int leaf_level, uint64_t flags)
{
    uint64_t table = root_table();

    for (unsigned int level = top_level(); level > leaf_level; level--) {
        uint64_t *e = ram_word(table + index_of(va, level) * 8);

        if (!(*e & GPTE_P))
            *e = alloc_page() | table_entry_flags(level);
        table = *e & GPTE_ADDR_MASK;
    }
    *ram_word(table + index_of(va, leaf_level) * 8) = pa | flags | (leaf_level > 1 ? GPTE_PS : 0);
}

/* The gpa of va's entry at level, following the tables above it. */
static uint64_t entry_gpa_of(uint64_t va, unsigned int level)
{
    uint64_t table = root_table();

    for (unsigned int l = top_level(); l > level; l--) {
        uint64_t e = *ram_word(table + index_of(va, l) * 8);

        ck_assert(e & GPTE_P);
        table = e & GPTE_ADDR_MASK;
    }
    return table + index_of(va, level) * 8;
}

static uint64_t *entry_of(uint64_t va, unsigned int level)
{
    return ram_word(entry_gpa_of(va, level));
}

static enum guest_walk_status walk(uint64_t va, uint32_t access)
{
    return guest_walk(&fake_ops, &fake, &gp, va, access, &info);
}

static void setup(void)
{
    memset(ram, 0, sizeof(ram));
    reset_counters();
    long_mode();
}

#define ASSERT_STATUS(got, want)                                                          \
    do {                                                                                  \
        enum guest_walk_status got_ = (got), want_ = (want);                              \
        ck_assert_msg(got_ == want_, "status %s (pfec %#x, level %u), want %s",           \
                      guest_walk_status_name(got_), info.pfec, info.level,                \
                      guest_walk_status_name(want_));                                     \
    } while (0)

#define ASSERT_PF(got, want_pfec, want_level, va)                                         \
    do {                                                                                  \
        ASSERT_STATUS(got, GW_PAGE_FAULT);                                                \
        ck_assert_msg(info.pfec == (uint32_t)(want_pfec), "pfec %#x, want %#x", info.pfec, \
                      (unsigned int)(want_pfec));                                         \
        ck_assert_uint_eq(info.level, want_level);                                        \
        ck_assert_uint_eq(info.cr2, va);                                                  \
    } while (0)

/* Addresses with a different index at every level. */
#define VA      ((0x0ffull << 39) | (0x1a3ull << 30) | (0x077ull << 21) | (0x1c4ull << 12) | 0x567)
#define PA_4K   0x3456789000ull     /* data pages lie outside RAM: never read */
#define PA_2M   0x3456600000ull
#define PA_1G   0x3440000000ull

#define W       GW_ACCESS_WRITE
#define U       GW_ACCESS_USER
#define F       GW_ACCESS_FETCH
#define IMPL    GW_ACCESS_IMPLICIT
#define PF_P    GW_PF_PRESENT
#define PF_RSVD GW_PF_RSVD
#define PF_ID   GW_PF_FETCH

/* ---- modes --------------------------------------------------------------- */

START_TEST(test_paging_off_is_identity)
{
    gp.cr0 = CR0_PE | GW_CR0_WP;
    gp.efer = GW_EFER_NXE;                  /* LME alone: not active without PG */
    gp.cr3 = 0xdeadbeef000ull;              /* ignored */
    ASSERT_STATUS(walk(0x12345678, W | U), GW_OK);
    ck_assert_uint_eq(info.gpa, 0x12345678);
    ck_assert_uint_eq(info.page_size, GW_PAGE_4K);
    ck_assert(info.writable && info.user && !info.nx);
    ck_assert_uint_eq(info.top_level, 0);
    ck_assert_uint_eq(info.level, 0);
    /* Linear addresses are 32 bits wide without long mode. */
    ASSERT_STATUS(walk(0xffffffff87654321ull, F), GW_OK);
    ck_assert_uint_eq(info.gpa, 0x87654321);
    ck_assert_uint_eq(fake.reads, 0);
    ck_assert_uint_eq(fake.cmpxchgs, 0);
}
END_TEST

START_TEST(test_unsupported_modes)
{
    struct guest_paging good = gp;

    gp.cr4 = 0;                             /* 32-bit two-level paging */
    gp.efer = GW_EFER_NXE;
    ASSERT_STATUS(walk(VA, 0), GW_UNSUPPORTED);

    gp = good;
    gp.cr0 = CR0_PE;                        /* LMA without PG */
    ASSERT_STATUS(walk(VA, 0), GW_UNSUPPORTED);

    gp = good;
    gp.cr4 |= GW_CR4_LA57;
    ASSERT_STATUS(walk(VA, 0), GW_UNSUPPORTED);

    gp = good;
    gp.cr4 |= GW_CR4_PKE;
    ASSERT_STATUS(walk(VA, 0), GW_UNSUPPORTED);

    gp = good;
    gp.maxphyaddr = GW_MAXPHYADDR_MIN - 1;
    ASSERT_STATUS(walk(VA, 0), GW_UNSUPPORTED);
    gp.maxphyaddr = GW_MAXPHYADDR_MAX + 1;
    ASSERT_STATUS(walk(VA, 0), GW_UNSUPPORTED);
    ck_assert_uint_eq(fake.reads, 0);

    /* Protection keys only exist in long mode: PAE paging ignores PKE. */
    pae_mode();
    gp.cr4 |= GW_CR4_PKE;
    map(0x40001000, PA_4K, 1, LEAF_FLAGS);
    ASSERT_STATUS(walk(0x40001000, 0), GW_OK);
}
END_TEST

/* ---- leaves -------------------------------------------------------------- */

START_TEST(test_4k_leaf)
{
    uint64_t want_gpa[4];

    map(VA, PA_4K, 1, LEAF_FLAGS | GPTE_NX);
    for (unsigned int level = 1; level <= 4; level++)
        want_gpa[level - 1] = entry_gpa_of(VA, level);
    ASSERT_STATUS(walk(VA, 0), GW_OK);
    ck_assert_uint_eq(info.gpa, PA_4K | 0x567);
    ck_assert_uint_eq(info.page_size, GW_PAGE_4K);
    ck_assert(info.writable && info.user && info.nx);
    ck_assert_uint_eq(info.level, 1);
    ck_assert_uint_eq(info.top_level, 4);
    ck_assert_uint_eq(info.leaf_entry, *entry_of(VA, 1));
    ck_assert_uint_eq(info.leaf_entry, PA_4K | LEAF_FLAGS | GPTE_NX | GPTE_A);
    for (unsigned int level = 1; level <= 4; level++) {
        ck_assert_uint_eq(info.entry_gpa[level - 1], want_gpa[level - 1]);
        ck_assert_uint_eq(info.entry[level - 1], *ram_word(want_gpa[level - 1]));
    }
    ck_assert_uint_eq(want_gpa[3], gp.cr3 + 0x0ff * 8);
    ck_assert_uint_eq(fake.reads, 4);
}
END_TEST

START_TEST(test_4k_pat_bit_is_not_ps)
{
    map(VA, PA_4K, 1, LEAF_FLAGS | GPTE_PAT_4K | GPTE_G);
    ASSERT_STATUS(walk(VA, 0), GW_OK);
    ck_assert_uint_eq(info.page_size, GW_PAGE_4K);
    ck_assert_uint_eq(info.gpa, PA_4K | 0x567);
}
END_TEST

START_TEST(test_2m_leaf)
{
    map(VA, PA_2M, 2, LEAF_FLAGS | GPTE_PAT_LARGE);
    ASSERT_STATUS(walk(VA, W), GW_OK);
    ck_assert_uint_eq(info.gpa, PA_2M | (VA & 0x1fffff));
    ck_assert_uint_eq(info.page_size, GW_PAGE_2M);
    ck_assert_uint_eq(info.level, 2);
    ck_assert_uint_eq(info.leaf_entry,
                      PA_2M | LEAF_FLAGS | GPTE_PS | GPTE_PAT_LARGE | GPTE_A | GPTE_D);
    ck_assert_uint_eq(fake.reads, 3);
}
END_TEST

START_TEST(test_1g_leaf)
{
    map(VA, PA_1G, 3, LEAF_FLAGS | GPTE_PAT_LARGE);
    ASSERT_STATUS(walk(VA, F | U), GW_OK);
    ck_assert_uint_eq(info.gpa, PA_1G | (VA & 0x3fffffff));
    ck_assert_uint_eq(info.page_size, GW_PAGE_1G);
    ck_assert_uint_eq(info.level, 3);
    ck_assert_uint_eq(fake.reads, 2);
}
END_TEST

START_TEST(test_1g_leaf_without_gbpages_is_reserved)
{
    gp.gbpages = false;
    map(VA, PA_1G, 3, LEAF_FLAGS);
    ASSERT_PF(walk(VA, 0), PF_P | PF_RSVD, 3, VA);
    /* Bit 7 clear: an ordinary PDPTE, fine without 1 GiB pages. */
    *entry_of(VA, 3) = 0;
    map(VA, PA_4K, 1, LEAF_FLAGS);
    ASSERT_STATUS(walk(VA, 0), GW_OK);
}
END_TEST

/* ---- not present ---------------------------------------------------------- */

START_TEST(test_not_present_at_each_level)
{
    for (unsigned int level = 4; level >= 1; level--) {
        long_mode();
        map(VA, PA_4K, 1, LEAF_FLAGS);
        /* Reserved bits in a not-present entry are ignored. */
        *entry_of(VA, level) = (*entry_of(VA, level) & ~GPTE_P) | (1ull << 51) | GPTE_PS;
        reset_counters();
        ASSERT_PF(walk(VA, W | U), W | U, level, VA);
        ck_assert_uint_eq(fake.reads, 5 - level);
        ck_assert_uint_eq(fake.cmpxchgs, 0);
        ck_assert_uint_eq(info.entry_gpa[level - 1], entry_gpa_of(VA, level));
    }
}
END_TEST

START_TEST(test_error_code_describes_the_access)
{
    map(VA, PA_4K, 1, LEAF_FLAGS);
    *entry_of(VA, 1) = 0;
    ASSERT_PF(walk(VA, 0), 0, 1, VA);
    ASSERT_PF(walk(VA, W), W, 1, VA);
    ASSERT_PF(walk(VA, U), U, 1, VA);
    ASSERT_PF(walk(VA, W | U), W | U, 1, VA);
    ASSERT_PF(walk(VA, F), PF_ID, 1, VA);
    ASSERT_PF(walk(VA, F | U), PF_ID | U, 1, VA);
    /* An implicit supervisor access reports U/S=0 even at CPL 3. */
    ASSERT_PF(walk(VA, U | IMPL), 0, 1, VA);
    ASSERT_PF(walk(VA, W | U | IMPL), W, 1, VA);
    /* I/D only with NXE or SMEP (SDM 4.7). */
    gp.efer &= ~GW_EFER_NXE;
    ASSERT_PF(walk(VA, F), 0, 1, VA);
    gp.cr4 |= GW_CR4_SMEP;
    ASSERT_PF(walk(VA, F), PF_ID, 1, VA);
    /* Bits that are not accesses are ignored. */
    ASSERT_PF(walk(VA, PF_P | PF_RSVD), 0, 1, VA);
}
END_TEST

/* ---- protection ----------------------------------------------------------- */

START_TEST(test_read_only_at_each_level)
{
    for (unsigned int level = 4; level >= 1; level--) {
        long_mode();
        map(VA, PA_4K, 1, LEAF_FLAGS);
        *entry_of(VA, level) &= ~GPTE_RW;
        ASSERT_STATUS(walk(VA, 0), GW_OK);
        ck_assert(!info.writable);
        ASSERT_STATUS(walk(VA, U), GW_OK);
        /* WP=1: supervisor writes fault too. */
        ASSERT_PF(walk(VA, W), PF_P | W, 1, VA);
        ASSERT_PF(walk(VA, W | U), PF_P | W | U, 1, VA);
        /* WP=0: supervisor writes pass, user writes still fault. */
        gp.cr0 &= ~GW_CR0_WP;
        ASSERT_STATUS(walk(VA, W), GW_OK);
        ck_assert(!info.writable);
        ck_assert(info.leaf_entry & GPTE_D);
        ASSERT_PF(walk(VA, W | U), PF_P | W | U, 1, VA);
    }
}
END_TEST

START_TEST(test_supervisor_at_each_level)
{
    for (unsigned int level = 4; level >= 1; level--) {
        long_mode();
        map(VA, PA_4K, 1, LEAF_FLAGS);
        *entry_of(VA, level) &= ~GPTE_US;
        ASSERT_PF(walk(VA, U), PF_P | U, 1, VA);
        ASSERT_PF(walk(VA, U | W), PF_P | U | W, 1, VA);
        ASSERT_PF(walk(VA, U | F), PF_P | U | PF_ID, 1, VA);
        ASSERT_STATUS(walk(VA, W), GW_OK);
        ck_assert(!info.user);
        ASSERT_STATUS(walk(VA, F), GW_OK);
        /* An implicit access at CPL 3 is supervisor-mode. */
        ASSERT_STATUS(walk(VA, U | IMPL), GW_OK);
    }
}
END_TEST

START_TEST(test_nx_at_each_level)
{
    for (unsigned int level = 4; level >= 1; level--) {
        long_mode();
        map(VA, PA_4K, 1, LEAF_FLAGS);
        *entry_of(VA, level) |= GPTE_NX;
        ASSERT_PF(walk(VA, F), PF_P | PF_ID, 1, VA);
        ASSERT_PF(walk(VA, F | U), PF_P | PF_ID | U, 1, VA);
        ASSERT_STATUS(walk(VA, W | U), GW_OK);
        ck_assert(info.nx);
        ASSERT_STATUS(walk(VA, 0), GW_OK);
    }
}
END_TEST

START_TEST(test_nx_bit_is_reserved_without_nxe)
{
    gp.efer &= ~GW_EFER_NXE;
    map(VA, PA_4K, 1, LEAF_FLAGS);
    ASSERT_STATUS(walk(VA, F), GW_OK);      /* no NX: everything executes */
    ck_assert(!info.nx);
    for (unsigned int level = 4; level >= 1; level--) {
        *entry_of(VA, level) |= GPTE_NX;
        ASSERT_PF(walk(VA, 0), PF_P | PF_RSVD, level, VA);
        ASSERT_PF(walk(VA, F), PF_P | PF_RSVD, level, VA);     /* no I/D without NXE/SMEP */
        *entry_of(VA, level) &= ~GPTE_NX;
    }
}
END_TEST

START_TEST(test_smep)
{
    gp.cr4 |= GW_CR4_SMEP;
    map(VA, PA_4K, 1, LEAF_FLAGS);
    ASSERT_PF(walk(VA, F), PF_P | PF_ID, 1, VA);
    ASSERT_STATUS(walk(VA, F | U), GW_OK);          /* user fetch of a user page */
    ASSERT_STATUS(walk(VA, 0), GW_OK);              /* SMEP is about fetches only */
    ASSERT_STATUS(walk(VA, W), GW_OK);
    gp.efer &= ~GW_EFER_NXE;                        /* I/D still reported: SMEP=1 */
    ASSERT_PF(walk(VA, F), PF_P | PF_ID, 1, VA);
    gp.cr4 &= ~GW_CR4_SMEP;
    ASSERT_STATUS(walk(VA, F), GW_OK);
    /* U/S=0 at any level makes it a supervisor page: SMEP does not apply. */
    gp.cr4 |= GW_CR4_SMEP;
    *entry_of(VA, 3) &= ~GPTE_US;
    ASSERT_STATUS(walk(VA, F), GW_OK);
}
END_TEST

START_TEST(test_smap)
{
    gp.cr4 |= GW_CR4_SMAP;
    map(VA, PA_4K, 1, LEAF_FLAGS);

    gp.rflags_ac = false;
    ASSERT_PF(walk(VA, 0), PF_P, 1, VA);
    ASSERT_PF(walk(VA, W), PF_P | W, 1, VA);
    ASSERT_PF(walk(VA, IMPL), PF_P, 1, VA);
    ASSERT_STATUS(walk(VA, U), GW_OK);             /* SMAP restricts supervisor accesses */
    ASSERT_STATUS(walk(VA, U | W), GW_OK);
    ASSERT_STATUS(walk(VA, F), GW_OK);             /* and data, not fetches */

    gp.rflags_ac = true;
    ASSERT_STATUS(walk(VA, 0), GW_OK);             /* explicit with AC=1 */
    ASSERT_STATUS(walk(VA, W), GW_OK);
    ASSERT_PF(walk(VA, IMPL), PF_P, 1, VA);        /* implicit: AC does not help */
    ASSERT_PF(walk(VA, IMPL | W), PF_P | W, 1, VA);
    ASSERT_PF(walk(VA, IMPL | U), PF_P, 1, VA);    /* CPL 3 implicit: U/S=0 */

    /* SMAP off: implicit accesses to user pages are fine. */
    gp.cr4 &= ~GW_CR4_SMAP;
    gp.rflags_ac = false;
    ASSERT_STATUS(walk(VA, IMPL), GW_OK);

    /* SMAP with AC=1 still leaves the WP rule in force. */
    gp.cr4 |= GW_CR4_SMAP;
    gp.rflags_ac = true;
    *entry_of(VA, 1) &= ~GPTE_RW;
    ASSERT_PF(walk(VA, W), PF_P | W, 1, VA);
    gp.cr0 &= ~GW_CR0_WP;
    ASSERT_STATUS(walk(VA, W), GW_OK);

    /* Supervisor pages are untouched by SMAP. */
    gp.rflags_ac = false;
    *entry_of(VA, 4) &= ~GPTE_US;
    ASSERT_STATUS(walk(VA, IMPL), GW_OK);
    ASSERT_STATUS(walk(VA, 0), GW_OK);
}
END_TEST

START_TEST(test_not_present_wins_over_protection)
{
    map(VA, PA_4K, 1, LEAF_FLAGS);
    *entry_of(VA, 4) &= ~GPTE_US;           /* user access would be refused here */
    *entry_of(VA, 1) &= ~GPTE_P;            /* but there is no translation at all */
    ASSERT_PF(walk(VA, U), U, 1, VA);
    *entry_of(VA, 1) |= GPTE_P | (1ull << 45);
    ASSERT_PF(walk(VA, U), PF_P | PF_RSVD | U, 1, VA);
}
END_TEST

/* ---- reserved bits -------------------------------------------------------- */

struct rsvd_case {
    unsigned int leaf_level;        /* mapping to build */
    unsigned int level;             /* entry to modify */
    uint64_t bits;                  /* bits to set there */
    bool reserved;                  /* expect a RSVD fault (else a translation) */
};

START_TEST(test_reserved_bits)
{
    static const struct rsvd_case cases[] = {
        /* MAXPHYADDR is 40: bits 51:40 are reserved at every level. */
        { 1, 4, 1ull << 40, true }, { 1, 4, 1ull << 51, true },
        { 1, 3, 1ull << 40, true }, { 1, 2, 1ull << 47, true },
        { 1, 1, 1ull << 40, true }, { 1, 1, 1ull << 51, true },
        { 1, 1, 1ull << 39, false },                    /* below MAXPHYADDR */
        /* Bits 62:52 are ignored in long mode. */
        { 1, 4, 0x7ffull << 52, false }, { 1, 1, 0x7ffull << 52, false },
        /* PML4E: PS, and bit 8 on AMD. */
        { 1, 4, GPTE_PS, true }, { 1, 4, GPTE_G, true },
        /* Non-leaf PDPTE and PDE: bit 8 is ignored. */
        { 1, 3, GPTE_G, false }, { 1, 2, GPTE_G, false },
        /* 2 MiB leaf: 20:13 reserved, 12 is PAT. */
        { 2, 2, 1ull << 13, true }, { 2, 2, 1ull << 20, true }, { 2, 2, 1ull << 12, false },
        { 2, 2, 1ull << 21, false }, { 2, 2, 1ull << 40, true },
        /* 1 GiB leaf: 29:13 reserved. */
        { 3, 3, 1ull << 13, true }, { 3, 3, 1ull << 29, true }, { 3, 3, 1ull << 21, true },
        { 3, 3, 1ull << 12, false }, { 3, 3, 1ull << 30, false }, { 3, 3, 1ull << 45, true },
        /* PTE: bits 7 (PAT) and 8 (G) are fine. */
        { 1, 1, GPTE_PAT_4K | GPTE_G, false },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        const struct rsvd_case *c = &cases[i];
        uint64_t pa = c->leaf_level == 3 ? PA_1G : c->leaf_level == 2 ? PA_2M : PA_4K;
        enum guest_walk_status st;

        long_mode();
        map(VA, pa & ((1ull << 39) - 1), c->leaf_level, LEAF_FLAGS);
        *entry_of(VA, c->level) |= c->bits;
        reset_counters();
        st = walk(VA, U | F);
        if (c->reserved) {
            ck_assert_msg(st == GW_PAGE_FAULT && info.pfec == (PF_P | PF_RSVD | U | PF_ID) &&
                              info.level == c->level,
                          "case %zu: status %s pfec %#x level %u", i,
                          guest_walk_status_name(st), info.pfec, info.level);
            ck_assert_uint_eq(fake.cmpxchgs, 0);
        } else {
            ck_assert_msg(st == GW_OK, "case %zu: %s pfec %#x", i, guest_walk_status_name(st),
                          info.pfec);
        }
    }
}
END_TEST

START_TEST(test_maxphyaddr_52_has_no_high_reserved_bits)
{
    gp.maxphyaddr = 52;
    map(VA, PA_4K | (1ull << 51), 1, LEAF_FLAGS);
    ASSERT_STATUS(walk(VA, 0), GW_OK);
    ck_assert_uint_eq(info.gpa, PA_4K | (1ull << 51) | 0x567);
    gp.maxphyaddr = 51;
    ASSERT_PF(walk(VA, 0), PF_P | PF_RSVD, 1, VA);
}
END_TEST

START_TEST(test_reserved_stops_the_walk_top_down)
{
    map(VA, PA_4K, 1, LEAF_FLAGS);
    *entry_of(VA, 1) = 0;                    /* lower levels are never looked at */
    *entry_of(VA, 3) |= 1ull << 50;
    ASSERT_PF(walk(VA, W), PF_P | PF_RSVD | W, 3, VA);
    ck_assert_uint_eq(fake.reads, 2);
}
END_TEST

/* ---- accessed and dirty ---------------------------------------------------- */

START_TEST(test_accessed_set_top_down_on_read)
{
    uint64_t gpa[4];

    map(VA, PA_4K, 1, LEAF_FLAGS);
    for (unsigned int level = 1; level <= 4; level++)
        gpa[level - 1] = entry_gpa_of(VA, level);
    ASSERT_STATUS(walk(VA, 0), GW_OK);
    ck_assert_uint_eq(fake.nr_stores, 4);
    for (unsigned int i = 0; i < 4; i++) {
        unsigned int level = 4 - i;

        ck_assert_uint_eq(fake.stores[i].gpa, gpa[level - 1]);
        ck_assert_uint_eq(fake.stores[i].new, fake.stores[i].old | GPTE_A);
        ck_assert((*ram_word(gpa[level - 1]) & (GPTE_A | GPTE_D)) == GPTE_A);
    }
    /* Nothing left to set: no exchange at all. */
    reset_counters();
    ASSERT_STATUS(walk(VA, F), GW_OK);
    ck_assert_uint_eq(fake.cmpxchgs, 0);
}
END_TEST

START_TEST(test_dirty_only_on_the_leaf_of_a_write)
{
    map(VA, PA_4K, 1, LEAF_FLAGS);
    ASSERT_STATUS(walk(VA, W), GW_OK);
    ck_assert_uint_eq(fake.nr_stores, 4);
    /* A and D of the leaf go in one exchange. */
    ck_assert_uint_eq(fake.stores[3].new, fake.stores[3].old | GPTE_A | GPTE_D);
    for (unsigned int level = 2; level <= 4; level++)
        ck_assert((*entry_of(VA, level) & (GPTE_A | GPTE_D)) == GPTE_A);
    ck_assert((*entry_of(VA, 1) & (GPTE_A | GPTE_D)) == (GPTE_A | GPTE_D));
    ck_assert_uint_eq(info.leaf_entry, *entry_of(VA, 1));

    /* A read of a clean page sets only A; a later write adds D. */
    long_mode();
    map(VA, PA_2M, 2, LEAF_FLAGS);
    reset_counters();
    ASSERT_STATUS(walk(VA, U), GW_OK);
    ck_assert(!(*entry_of(VA, 2) & GPTE_D));
    reset_counters();
    ASSERT_STATUS(walk(VA, W | U), GW_OK);
    ck_assert_uint_eq(fake.nr_stores, 1);
    ck_assert_uint_eq(fake.stores[0].gpa, entry_gpa_of(VA, 2));
    ck_assert_uint_eq(fake.stores[0].new, fake.stores[0].old | GPTE_D);
    reset_counters();
    ASSERT_STATUS(walk(VA, W), GW_OK);
    ck_assert_uint_eq(fake.cmpxchgs, 0);
}
END_TEST

static void snapshot_path(uint64_t va, uint64_t saved[4])
{
    for (unsigned int level = 1; level <= 4; level++)
        saved[level - 1] = *entry_of(va, level);
}

static void assert_path_unchanged(uint64_t va, const uint64_t saved[4])
{
    for (unsigned int level = 1; level <= 4; level++)
        ck_assert_uint_eq(*entry_of(va, level), saved[level - 1]);
}

START_TEST(test_no_accessed_dirty_on_faults)
{
    uint64_t saved[4];

    map(VA, PA_4K, 1, LEAF_FLAGS);
    *entry_of(VA, 1) &= ~GPTE_RW;
    *entry_of(VA, 2) |= GPTE_NX;
    snapshot_path(VA, saved);
    ASSERT_PF(walk(VA, W), PF_P | W, 1, VA);                /* WP */
    ASSERT_PF(walk(VA, W | U), PF_P | W | U, 1, VA);        /* user write */
    ASSERT_PF(walk(VA, F), PF_P | PF_ID, 1, VA);            /* NX */
    gp.cr4 |= GW_CR4_SMAP;
    ASSERT_PF(walk(VA, 0), PF_P, 1, VA);                    /* SMAP */
    *entry_of(VA, 1) |= 1ull << 42;
    snapshot_path(VA, saved);
    ASSERT_PF(walk(VA, U), PF_P | PF_RSVD | U, 1, VA);      /* reserved */
    *entry_of(VA, 1) = 0;
    snapshot_path(VA, saved);
    ASSERT_PF(walk(VA, U), U, 1, VA);                       /* not present */
    ck_assert_uint_eq(fake.cmpxchgs, 0);
    assert_path_unchanged(VA, saved);
}
END_TEST

/* ---- races and memory errors --------------------------------------------- */

START_TEST(test_race_on_leaf_rewalks_and_sees_new_entry)
{
    map(VA, PA_4K, 1, LEAF_FLAGS);
    /* Another vCPU unmaps the page just before the leaf's exchange. */
    fake.race_on = 4;
    fake.race_gpa = entry_gpa_of(VA, 1);
    fake.race_value = 0;
    ASSERT_PF(walk(VA, 0), 0, 1, VA);
    ck_assert_uint_eq(fake.cmpxchgs, 4);
    ck_assert_uint_eq(fake.reads, 8);
    /* The first attempt had set A in the upper levels; that stays. */
    for (unsigned int level = 2; level <= 4; level++)
        ck_assert(*entry_of(VA, level) & GPTE_A);
    ck_assert_uint_eq(*entry_of(VA, 1), 0);
}
END_TEST

START_TEST(test_race_remap_translates_to_the_new_page)
{
    map(VA, PA_4K, 1, LEAF_FLAGS);
    fake.race_on = 2;                       /* during the PDPTE's exchange */
    fake.race_gpa = entry_gpa_of(VA, 1);
    fake.race_value = (PA_4K + 0x5000) | LEAF_FLAGS;
    ASSERT_STATUS(walk(VA, W), GW_OK);
    ck_assert_uint_eq(info.gpa, (PA_4K + 0x5000) | 0x567);
    ck_assert_uint_eq(*entry_of(VA, 1), (PA_4K + 0x5000) | LEAF_FLAGS | GPTE_A | GPTE_D);
    ck_assert_uint_eq(fake.cmpxchgs, 5);    /* levels 4, 3, 2, 1 (lost), 1 */
    ck_assert_uint_eq(fake.nr_stores, 4);
}
END_TEST

START_TEST(test_endless_race_gives_retry)
{
    map(VA, PA_4K, 1, LEAF_FLAGS);
    fake.race_always = true;
    ASSERT_STATUS(walk(VA, 0), GW_RETRY);
    ck_assert_uint_eq(fake.cmpxchgs, GUEST_WALK_MAX_ATTEMPTS);
    ck_assert_uint_eq(fake.reads, 4 * GUEST_WALK_MAX_ATTEMPTS);
    ck_assert_uint_eq(fake.nr_stores, 0);
}
END_TEST

START_TEST(test_tables_outside_ram)
{
    uint64_t pde_gpa;

    /* CR3 itself. */
    gp.cr3 = OUTSIDE_RAM;
    ASSERT_STATUS(walk(VA, 0), GW_NOT_RAM);
    ck_assert_uint_eq(info.bad_gpa, OUTSIDE_RAM + 0x0ff * 8);
    ck_assert_uint_eq(info.level, 4);

    /* A PDE pointing at a page table outside RAM. */
    long_mode();
    map(VA, PA_4K, 1, LEAF_FLAGS);
    pde_gpa = entry_gpa_of(VA, 2);
    *ram_word(pde_gpa) = OUTSIDE_RAM | TABLE_FLAGS;
    reset_counters();
    ASSERT_STATUS(walk(VA, W), GW_NOT_RAM);
    ck_assert_uint_eq(info.bad_gpa, OUTSIDE_RAM + 0x1c4 * 8);
    ck_assert_uint_eq(info.level, 1);
    ck_assert_uint_eq(info.entry_gpa[1], pde_gpa);
    ck_assert_uint_eq(fake.cmpxchgs, 0);
    ck_assert(!(*ram_word(pde_gpa) & GPTE_A));

    /* A leaf pointing outside RAM is no concern of the walker. */
    *ram_word(pde_gpa) = (OUTSIDE_RAM & ~0x1fffffull) | LEAF_FLAGS | GPTE_PS;
    ASSERT_STATUS(walk(VA, W), GW_OK);
    ck_assert_uint_eq(info.gpa, OUTSIDE_RAM | (VA & 0x1fffff));
}
END_TEST

START_TEST(test_unwritable_entry_is_not_ram)
{
    map(VA, PA_4K, 1, LEAF_FLAGS);
    *entry_of(VA, 4) |= GPTE_A;             /* the first exchange is the PDPTE's */
    fake.fail_with = -EFAULT;
    ASSERT_STATUS(walk(VA, 0), GW_NOT_RAM);
    ck_assert_uint_eq(info.bad_gpa, entry_gpa_of(VA, 3));
    ck_assert_uint_eq(info.level, 3);
    ck_assert_uint_eq(fake.cmpxchgs, 1);
}
END_TEST

/* ---- canonical addresses and self-maps ------------------------------------ */

START_TEST(test_noncanonical_is_not_a_page_fault)
{
    static const uint64_t bad[] = {
        0x0000800000000000ull, 0xffff7fffffffffffull, 0x8000000000000000ull,
        0x00ff000000001000ull,
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        ASSERT_STATUS(walk(bad[i], U | W), GW_NONCANONICAL);
        ck_assert_uint_eq(info.pfec, 0);
    }
    ck_assert_uint_eq(fake.reads, 0);

    /* The edges of both canonical halves translate. */
    map(0x00007ffffffff000ull, PA_4K, 1, LEAF_FLAGS);
    map(0xffff800000000000ull, PA_4K + 0x1000, 1, LEAF_FLAGS);
    ASSERT_STATUS(walk(0x00007fffffffffffull, 0), GW_OK);
    ck_assert_uint_eq(info.gpa, PA_4K | 0xfff);
    ASSERT_STATUS(walk(0xffff800000000000ull, 0), GW_OK);
    ck_assert_uint_eq(info.gpa, PA_4K + 0x1000);
    ck_assert_uint_eq(info.entry_gpa[3], gp.cr3 + 256 * 8);
}
END_TEST

/* Recursive (self-referencing) PML4 slot, as Windows uses. */
#define SELF 0x1edull
#define SELF_VA(i4, i3, i2, i1) (0xffff000000000000ull | ((i4) << 39) | ((i3) << 30) | \
                                 ((i2) << 21) | ((i1) << 12))

START_TEST(test_self_map)
{
    uint64_t pml4 = gp.cr3;

    *ram_word(pml4 + SELF * 8) = pml4 | GPTE_P | GPTE_RW;
    map(VA, PA_4K, 1, LEAF_FLAGS);

    /* Through the slot three times, the fourth index selects a PML4E: the
     * page reached is the PDPT that entry points at. */
    ASSERT_STATUS(walk(SELF_VA(SELF, SELF, SELF, 0x0ffull), W), GW_OK);
    ck_assert_uint_eq(info.gpa, *ram_word(pml4 + 0x0ff * 8) & GPTE_ADDR_MASK);
    ck_assert(!info.user);
    /* The slot's A was set by the first exchange, which made the second
     * (same entry, old snapshot) lose: one extra attempt. */
    ck_assert(*ram_word(pml4 + SELF * 8) & GPTE_A);
    ck_assert(*ram_word(pml4 + 0x0ff * 8) & GPTE_D);

    /* All four levels through the slot: the PML4 page itself. */
    ASSERT_STATUS(walk(SELF_VA(SELF, SELF, SELF, SELF) | 0x18, 0), GW_OK);
    ck_assert_uint_eq(info.gpa, pml4 | 0x18);
    for (unsigned int level = 1; level <= 4; level++)
        ck_assert_uint_eq(info.entry_gpa[level - 1], pml4 + SELF * 8);
}
END_TEST

/* ---- PAE ------------------------------------------------------------------ */

#define PAE_VA 0xc0a01234ull        /* PDPT 3, PD 5, PT 1 */

START_TEST(test_pae_4k_and_2m)
{
    uint64_t pdpte_before;

    pae_mode();
    map(PAE_VA, PA_4K, 1, LEAF_FLAGS);
    pdpte_before = *entry_of(PAE_VA, 3);
    ASSERT_STATUS(walk(PAE_VA, W | U), GW_OK);
    ck_assert_uint_eq(info.gpa, PA_4K | 0x234);
    ck_assert_uint_eq(info.top_level, 3);
    ck_assert_uint_eq(info.level, 1);
    ck_assert_uint_eq(info.entry_gpa[2], gp.cr3 + 3 * 8);
    ck_assert(info.user && info.writable);          /* PDPTEs carry no rights */
    ck_assert_uint_eq(*entry_of(PAE_VA, 3), pdpte_before);     /* no A in a PDPTE */
    ck_assert(*entry_of(PAE_VA, 2) & GPTE_A);
    ck_assert((*entry_of(PAE_VA, 1) & (GPTE_A | GPTE_D)) == (GPTE_A | GPTE_D));
    ck_assert_uint_eq(fake.nr_stores, 2);

    /* Bits 63:32 of the address are not part of a 32-bit linear address. */
    ASSERT_STATUS(walk(0xdead0000ull << 32 | PAE_VA, 0), GW_OK);
    ck_assert_uint_eq(info.gpa, PA_4K | 0x234);
    *entry_of(PAE_VA, 1) = 0;
    ASSERT_PF(walk(0xdead0000ull << 32 | PAE_VA, 0), 0, 1, PAE_VA);

    map(PAE_VA, PA_2M, 2, LEAF_FLAGS | GPTE_NX);
    ASSERT_STATUS(walk(PAE_VA, 0), GW_OK);
    ck_assert_uint_eq(info.gpa, PA_2M | (PAE_VA & 0x1fffff));
    ck_assert_uint_eq(info.page_size, GW_PAGE_2M);
    ck_assert(info.nx);
    ASSERT_PF(walk(PAE_VA, F), PF_P | PF_ID, 2, PAE_VA);
}
END_TEST

START_TEST(test_pae_pdpte)
{
    static const uint64_t reserved[] = {
        GPTE_RW, GPTE_US, GPTE_A, GPTE_D, GPTE_PS, GPTE_G, GPTE_NX, 1ull << 40, 1ull << 52,
    };

    pae_mode();
    map(PAE_VA, PA_4K, 1, LEAF_FLAGS);
    *entry_of(PAE_VA, 3) |= GPTE_PWT | GPTE_PCD | (7ull << 9);     /* allowed */
    ASSERT_STATUS(walk(PAE_VA, W | U), GW_OK);
    for (size_t i = 0; i < ARRAY_SIZE(reserved); i++) {
        *entry_of(PAE_VA, 3) |= reserved[i];
        ASSERT_PF(walk(PAE_VA, U), PF_P | PF_RSVD | U, 3, PAE_VA);
        *entry_of(PAE_VA, 3) &= ~reserved[i];
    }
    *entry_of(PAE_VA, 3) &= ~GPTE_P;
    ASSERT_PF(walk(PAE_VA, U), U, 3, PAE_VA);
    ck_assert_uint_eq(info.entry_gpa[2], gp.cr3 + 3 * 8);

    /* The PDPT outside RAM. */
    gp.cr3 = OUTSIDE_RAM | 0x20;
    ASSERT_STATUS(walk(PAE_VA, 0), GW_NOT_RAM);
    ck_assert_uint_eq(info.bad_gpa, OUTSIDE_RAM + 0x20 + 3 * 8);
}
END_TEST

START_TEST(test_pae_high_bits_are_reserved)
{
    pae_mode();
    map(PAE_VA, PA_4K, 1, LEAF_FLAGS);
    /* Unlike long mode, bits 62:52 are reserved in PAE PDEs and PTEs. */
    for (unsigned int level = 2; level >= 1; level--) {
        *entry_of(PAE_VA, level) |= 1ull << 52;
        ASSERT_PF(walk(PAE_VA, 0), PF_P | PF_RSVD, level, PAE_VA);
        *entry_of(PAE_VA, level) &= ~(1ull << 52);
    }
    gp.efer &= ~GW_EFER_NXE;
    *entry_of(PAE_VA, 2) |= GPTE_NX;
    ASSERT_PF(walk(PAE_VA, 0), PF_P | PF_RSVD, 2, PAE_VA);
    *entry_of(PAE_VA, 2) &= ~GPTE_NX;
    /* 2 MiB leaves: bits 20:13 reserved. */
    map(PAE_VA, PA_2M | (1ull << 14), 2, LEAF_FLAGS);
    ASSERT_PF(walk(PAE_VA, 0), PF_P | PF_RSVD, 2, PAE_VA);
}
END_TEST

START_TEST(test_status_names)
{
    ck_assert_str_eq(guest_walk_status_name(GW_OK), "ok");
    ck_assert_str_eq(guest_walk_status_name(GW_PAGE_FAULT), "page-fault");
    ck_assert_str_eq(guest_walk_status_name(GW_NONCANONICAL), "non-canonical");
    ck_assert_str_eq(guest_walk_status_name(GW_NOT_RAM), "not-ram");
    ck_assert_str_eq(guest_walk_status_name(GW_RETRY), "retry");
    ck_assert_str_eq(guest_walk_status_name(GW_UNSUPPORTED), "unsupported");
    ck_assert_str_eq(guest_walk_status_name((enum guest_walk_status)99), "bad-status");
}
END_TEST

/* ---- randomized comparison with a reference model ------------------------
 *
 * The model is written from the manuals' tables, bit by bit and rule by
 * rule, without sharing code or structure with the walker.  Every iteration
 * builds one random path of tables in distinct pages filled with junk, so a
 * wrong index reads junk, then checks status, error code, translation,
 * entry addresses, and exactly which A/D stores happened.
 */

static uint64_t rng;

static uint64_t rnd(void)       /* splitmix64 */
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static bool chance(unsigned int percent)
{
    return rnd() % 100 < percent;
}

struct model {
    enum guest_walk_status status;
    uint32_t pfec;
    unsigned int level;             /* last entry looked at */
    uint64_t entry_gpa[4];
    uint64_t gpa, page_size;
    bool writable, user, nx;
    unsigned int nr_stores;
    struct store stores[4];
};

static bool model_bit_reserved(bool pae, unsigned int level, uint64_t entry, unsigned int bit)
{
    bool nxe = gp.efer & GW_EFER_NXE;
    bool ps = (entry >> 7) & 1;
    unsigned int m = gp.maxphyaddr;

    if (pae && level == 3)          /* PDPTE: P, PWT, PCD, 11:9, address */
        return bit == 1 || bit == 2 || (bit >= 5 && bit <= 8) || bit >= m;
    if (bit == 63)
        return !nxe;
    if (bit >= m && bit <= (pae ? 62u : 51u))
        return true;
    if (!pae && level == 4)
        return bit == 7 || bit == 8;
    if (level == 3 && ps)
        return gp.gbpages ? (bit >= 13 && bit <= 29) : bit == 7;
    if (level == 2 && ps)
        return bit >= 13 && bit <= 20;
    return false;
}

static bool model_has_reserved(bool pae, unsigned int level, uint64_t entry)
{
    for (unsigned int bit = 0; bit < 64; bit++)
        if (((entry >> bit) & 1) && model_bit_reserved(pae, level, entry, bit))
            return true;
    return false;
}

/* The access rules as a list of denials (SDM 4.6.1). */
static bool model_denied(uint32_t access, bool writable, bool user, bool nx)
{
    bool implicit = access & IMPL;
    bool cpl3 = (access & U) && !implicit;
    bool write = access & W, fetch = access & F;
    bool wp = gp.cr0 & GW_CR0_WP, smep = gp.cr4 & GW_CR4_SMEP, smap = gp.cr4 & GW_CR4_SMAP;

    if (cpl3 && !user)
        return true;
    if (cpl3 && write && !writable)
        return true;
    if (fetch && nx)
        return true;
    if (!cpl3 && write && !writable && wp)
        return true;
    if (!cpl3 && fetch && user && smep)
        return true;
    if (!cpl3 && !fetch && user && smap && (implicit || !gp.rflags_ac))
        return true;
    return false;
}

static void model_fault(struct model *m, uint32_t access, uint32_t cause)
{
    bool implicit = access & IMPL;

    m->status = GW_PAGE_FAULT;
    m->pfec = cause;
    if (access & W)
        m->pfec |= GW_PF_WRITE;
    if ((access & U) && !implicit)
        m->pfec |= GW_PF_USER;
    if ((access & F) && ((gp.efer & GW_EFER_NXE) || (gp.cr4 & GW_CR4_SMEP)))
        m->pfec |= PF_ID;
}

static void model_walk(uint64_t va, uint32_t access, struct model *m)
{
    bool pae = is_pae();
    unsigned int top = pae ? 3 : 4;
    uint64_t la = pae ? (uint32_t)va : va;
    uint64_t table = pae ? (gp.cr3 & 0xffffffe0ull) : (gp.cr3 & 0x000ffffffffff000ull);
    uint64_t entries[4] = { 0 };
    bool writable = true, user = true, nx = false;
    unsigned int level;

    memset(m, 0, sizeof(*m));
    if (!pae && (la >> 47) != 0 && (la >> 47) != 0x1ffff) {
        m->status = GW_NONCANONICAL;
        return;
    }
    for (level = top;; level--) {
        unsigned int shift = 12 + 9 * (level - 1);
        uint64_t egpa = table + ((la >> shift) & 511) * 8;
        uint64_t e;

        m->level = level;
        m->entry_gpa[level - 1] = egpa;
        if (egpa >= RAM_SIZE) {
            m->status = GW_NOT_RAM;
            return;
        }
        e = entries[level - 1] = ram[egpa / 8];
        if (!(e & 1)) {
            model_fault(m, access, 0);
            return;
        }
        if (model_has_reserved(pae, level, e)) {
            model_fault(m, access, PF_P | PF_RSVD);
            return;
        }
        if (!(pae && level == 3)) {
            writable &= (e >> 1) & 1;
            user &= (e >> 2) & 1;
            nx |= (gp.efer & GW_EFER_NXE) && (e >> 63);
        }
        if (level == 1 || ((e >> 7) & 1))
            break;
        table = e & 0x000ffffffffff000ull;
    }
    m->writable = writable;
    m->user = user;
    m->nx = nx;
    if (model_denied(access, writable, user, nx)) {
        model_fault(m, access, PF_P);
        return;
    }
    m->status = GW_OK;
    m->page_size = 1ull << (12 + 9 * (level - 1));
    m->gpa = (entries[level - 1] & 0x000ffffffffff000ull & ~(m->page_size - 1)) |
             (la & (m->page_size - 1));
    for (unsigned int l = top; l >= level; l--) {
        uint64_t want = entries[l - 1];

        if (!(pae && l == 3))
            want |= GPTE_A;
        if (l == level && (access & W))
            want |= GPTE_D;
        if (want != entries[l - 1])
            m->stores[m->nr_stores++] = (struct store){ m->entry_gpa[l - 1], entries[l - 1], want };
    }
}

static uint64_t random_page_in_ram(const uint64_t *taken, unsigned int nr_taken)
{
    for (;;) {
        uint64_t gpa = (1 + rnd() % (RAM_PAGES - 1)) * 4096;
        bool clash = false;

        for (unsigned int i = 0; i < nr_taken; i++)
            clash |= taken[i] == gpa;
        if (!clash)
            return gpa;
    }
}

static void fill_with_junk(uint64_t page)
{
    for (unsigned int i = 0; i < 512; i++)
        ram[page / 8 + i] = rnd();
}

/* A random entry that mostly works: present, next table or a leaf page,
 * random rights and A/D, now and then a reserved or out-of-RAM bit. */
static uint64_t random_entry(bool pae, unsigned int level, uint64_t next_table)
{
    uint64_t e = rnd() & (GPTE_RW | GPTE_US | GPTE_PWT | GPTE_PCD | GPTE_A | GPTE_D | (7ull << 9));
    bool leafish = level == 1 || (level <= 3 && chance(25));

    if (pae && level == 3) {
        static const unsigned int pdpte_noise[] = { 1, 2, 5, 6, 7, 8, 40, 52, 63 };

        e = (rnd() & (GPTE_PWT | GPTE_PCD | (7ull << 9))) | next_table;
        if (chance(8))
            e |= 1ull << pdpte_noise[rnd() % ARRAY_SIZE(pdpte_noise)];
        return chance(94) ? e | GPTE_P : e;
    }
    if (chance(80))
        e |= GPTE_RW;
    if (chance(75))
        e |= GPTE_US;
    if (chance(12))
        e |= GPTE_NX;
    if (chance(10))
        e |= GPTE_G;
    if (!pae && chance(20))
        e |= (rnd() & 0x7ffull) << 52;          /* ignored in long mode */
    if (leafish && level > 1)
        e |= GPTE_PS;
    else if (level == 1 && chance(30))
        e |= GPTE_PAT_4K;
    if (level == 4 && chance(3))
        e |= GPTE_PS;
    if (leafish)
        e |= (rnd() % (1ull << 36)) & ~0xfffull & (level == 1 ? ~0ull : chance(85) ?
                                                   ~((1ull << (12 + 9 * (level - 1))) - 1) :
                                                   ~0ull);
    else
        e |= chance(4) ? (RAM_SIZE + rnd() % (1ull << 34)) & ~0xfffull : next_table;
    if (chance(6))
        e |= 1ull << (8 + rnd() % 56);          /* often, not always, reserved */
    return chance(93) ? e | GPTE_P : e;
}

static uint32_t random_access(void)
{
    uint32_t access = 0;

    switch (rnd() % 3) {
    case 0: access |= W; break;
    case 1: access |= F; break;
    default: break;
    }
    if (chance(50))
        access |= U;
    if (chance(12))
        access |= IMPL;
    return access;
}

static void random_guest(bool pae)
{
    static const unsigned int widths[] = { 36, 40, 46, 52 };

    gp.cr0 = CR0_PE | GW_CR0_PG | (chance(80) ? GW_CR0_WP : 0);
    gp.cr4 = GW_CR4_PAE | (chance(40) ? GW_CR4_SMEP : 0) | (chance(40) ? GW_CR4_SMAP : 0);
    gp.efer = (pae ? 0 : GW_EFER_LME | GW_EFER_LMA) | (chance(75) ? GW_EFER_NXE : 0);
    gp.rflags_ac = chance(30);
    gp.gbpages = chance(70);
    gp.maxphyaddr = widths[rnd() % ARRAY_SIZE(widths)];
}

static uint64_t random_address(bool pae)
{
    uint64_t va = rnd();

    if (pae || chance(3))
        return va;                              /* PAE: upper half ignored */
    return va & (1ull << 47) ? va | 0xffff000000000000ull : va & 0x0000ffffffffffffull;
}

/* Tables for va: distinct pages of junk, the path entries random. */
static void random_tables(bool pae, uint64_t va)
{
    uint64_t pages[4];
    unsigned int top = pae ? 3 : 4;
    uint64_t la = pae ? (uint32_t)va : va;

    for (unsigned int i = 0; i < top; i++) {
        pages[i] = random_page_in_ram(pages, i);
        fill_with_junk(pages[i]);
    }
    gp.cr3 = pae ? pages[0] + (rnd() % 128) * 32 : pages[0] | (rnd() & 0x18);
    if (chance(1))
        gp.cr3 = OUTSIDE_RAM;
    for (unsigned int i = 0; i < top; i++) {
        unsigned int level = top - i;
        uint64_t table = i == 0 ? (pae ? gp.cr3 & 0xffffffe0ull : pages[0]) : pages[i];
        uint64_t next = i + 1 < top ? pages[i + 1] : 0;

        if (table >= RAM_SIZE)
            break;
        ram[table / 8 + ((la >> (12 + 9 * (level - 1))) & 511)] = random_entry(pae, level, next);
    }
}

static void compare_with_model(uint64_t va, uint32_t access, const struct model *m,
                               unsigned int iteration)
{
    enum guest_walk_status st;

    reset_counters();
    st = walk(va, access);
    ck_assert_msg(st == m->status, "#%u va %#llx access %#x: %s, model %s", iteration,
                  (unsigned long long)va, access, guest_walk_status_name(st),
                  guest_walk_status_name(m->status));
    if (st == GW_NONCANONICAL) {
        ck_assert_uint_eq(fake.reads, 0);
        return;
    }
    ck_assert_msg(info.level == m->level, "#%u level %u, model %u", iteration, info.level,
                  m->level);
    for (unsigned int l = m->level; l <= info.top_level; l++)
        ck_assert_uint_eq(info.entry_gpa[l - 1], m->entry_gpa[l - 1]);
    ck_assert_uint_eq(fake.reads, info.top_level - m->level + 1);
    if (st == GW_PAGE_FAULT) {
        ck_assert_msg(info.pfec == m->pfec, "#%u pfec %#x, model %#x", iteration, info.pfec,
                      m->pfec);
        ck_assert_uint_eq(info.cr2, is_pae() ? (uint32_t)va : va);
    } else if (st == GW_NOT_RAM) {
        ck_assert_uint_eq(info.bad_gpa, m->entry_gpa[m->level - 1]);
    } else {
        ck_assert_uint_eq(info.gpa, m->gpa);
        ck_assert_uint_eq(info.page_size, m->page_size);
        ck_assert(info.writable == m->writable && info.user == m->user && info.nx == m->nx);
    }
    /* Exactly the model's stores, in order, and nothing else. */
    ck_assert_uint_eq(fake.nr_stores, m->nr_stores);
    ck_assert_uint_eq(fake.cmpxchgs, m->nr_stores);
    for (unsigned int i = 0; i < m->nr_stores; i++) {
        ck_assert_uint_eq(fake.stores[i].gpa, m->stores[i].gpa);
        ck_assert_uint_eq(fake.stores[i].old, m->stores[i].old);
        ck_assert_uint_eq(fake.stores[i].new, m->stores[i].new);
    }
    if (st == GW_OK)
        ck_assert_uint_eq(info.leaf_entry, *ram_word(m->entry_gpa[m->level - 1]));
}

START_TEST(test_random_against_model)
{
    unsigned int seen[GW_UNSUPPORTED + 1] = { 0 };
    unsigned int not_present = 0, reserved = 0, protection = 0, large = 0, pae_ok = 0;

    rng = 20240611;
    for (unsigned int i = 0; i < 20000; i++) {
        bool pae = chance(25);
        uint64_t va = random_address(pae);
        uint32_t access = random_access();
        struct model m;

        random_guest(pae);
        random_tables(pae, va);
        model_walk(va, access, &m);
        compare_with_model(va, access, &m, i);

        seen[m.status]++;
        if (m.status == GW_PAGE_FAULT) {
            not_present += !(m.pfec & PF_P);
            reserved += !!(m.pfec & PF_RSVD);
            protection += (m.pfec & (PF_P | PF_RSVD)) == PF_P;
        }
        large += m.status == GW_OK && m.page_size > GW_PAGE_4K;
        pae_ok += m.status == GW_OK && pae;
    }
    /* The generator must reach every outcome often enough to mean something. */
    ck_assert_uint_gt(seen[GW_OK], 3000);
    ck_assert_uint_gt(seen[GW_NOT_RAM], 100);
    ck_assert_uint_gt(seen[GW_NONCANONICAL], 100);
    ck_assert_uint_gt(not_present, 1000);
    ck_assert_uint_gt(reserved, 1000);
    ck_assert_uint_gt(protection, 1000);
    ck_assert_uint_gt(large, 500);
    ck_assert_uint_gt(pae_ok, 500);
}
END_TEST

Suite *guest_walk_suite(void)
{
    Suite *s = suite_create("guest_walk");
    TCase *tc = tcase_create("core");
    TCase *random = tcase_create("random");

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_paging_off_is_identity);
    tcase_add_test(tc, test_unsupported_modes);
    tcase_add_test(tc, test_4k_leaf);
    tcase_add_test(tc, test_4k_pat_bit_is_not_ps);
    tcase_add_test(tc, test_2m_leaf);
    tcase_add_test(tc, test_1g_leaf);
    tcase_add_test(tc, test_1g_leaf_without_gbpages_is_reserved);
    tcase_add_test(tc, test_not_present_at_each_level);
    tcase_add_test(tc, test_error_code_describes_the_access);
    tcase_add_test(tc, test_read_only_at_each_level);
    tcase_add_test(tc, test_supervisor_at_each_level);
    tcase_add_test(tc, test_nx_at_each_level);
    tcase_add_test(tc, test_nx_bit_is_reserved_without_nxe);
    tcase_add_test(tc, test_smep);
    tcase_add_test(tc, test_smap);
    tcase_add_test(tc, test_not_present_wins_over_protection);
    tcase_add_test(tc, test_reserved_bits);
    tcase_add_test(tc, test_maxphyaddr_52_has_no_high_reserved_bits);
    tcase_add_test(tc, test_reserved_stops_the_walk_top_down);
    tcase_add_test(tc, test_accessed_set_top_down_on_read);
    tcase_add_test(tc, test_dirty_only_on_the_leaf_of_a_write);
    tcase_add_test(tc, test_no_accessed_dirty_on_faults);
    tcase_add_test(tc, test_race_on_leaf_rewalks_and_sees_new_entry);
    tcase_add_test(tc, test_race_remap_translates_to_the_new_page);
    tcase_add_test(tc, test_endless_race_gives_retry);
    tcase_add_test(tc, test_tables_outside_ram);
    tcase_add_test(tc, test_unwritable_entry_is_not_ram);
    tcase_add_test(tc, test_noncanonical_is_not_a_page_fault);
    tcase_add_test(tc, test_self_map);
    tcase_add_test(tc, test_pae_4k_and_2m);
    tcase_add_test(tc, test_pae_pdpte);
    tcase_add_test(tc, test_pae_high_bits_are_reserved);
    tcase_add_test(tc, test_status_names);
    suite_add_tcase(s, tc);

    tcase_add_checked_fixture(random, setup, NULL);
    tcase_set_timeout(random, 60);
    tcase_add_test(random, test_random_against_model);
    suite_add_tcase(s, random);
    return s;
}
