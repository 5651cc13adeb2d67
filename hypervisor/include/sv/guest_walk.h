/*
 * Guest page-table walker: translate a guest-linear address the way the CPU
 * would, in software, for shadow paging and instruction emulation.
 *
 * Supported guest modes (decided from CR0, CR4 and EFER):
 *  - paging off (CR0.PG=0): linear = guest-physical, 32 bits wide;
 *  - 4-level long-mode paging (EFER.LMA=1, CR4.PAE=1) with 4 KiB, 2 MiB and
 *    1 GiB pages (AMD APM vol. 2, 5.3; Intel SDM vol. 3, 4.5);
 *  - 32-bit PAE paging (CR0.PG=1, CR4.PAE=1, EFER.LMA=0) with 4 KiB and
 *    2 MiB pages (APM vol. 2, 5.2; SDM vol. 3, 4.4).
 * Refused with GW_UNSUPPORTED: 32-bit two-level paging (CR4.PAE=0), 5-level
 * paging (CR4.LA57), protection keys (CR4.PKE in long mode), inconsistent
 * register states that VMRUN would not accept, and MAXPHYADDR outside
 * [GW_MAXPHYADDR_MIN, GW_MAXPHYADDR_MAX].
 *
 * The walker touches guest memory only through the callbacks, so it is plain
 * C tested on the host.  It reads each paging-structure entry once per walk,
 * sets Accessed/Dirty bits with compare-and-exchange, and walks again from the
 * top when an entry changed under it (see guest_walk() for the exact A/D
 * rules).
 *
 * Levels are numbered as the manuals do: 1 = PTE, 2 = PDE, 3 = PDPTE,
 * 4 = PML4E.  Arrays indexed by level use [level - 1].
 */
#ifndef SV_GUEST_WALK_H
#define SV_GUEST_WALK_H

#include <sv/types.h>

/* Paging-structure levels of the deepest supported mode (4-level paging). */
#define GUEST_WALK_LEVELS 4

/* Walks started before giving up with GW_RETRY when entries keep changing. */
#define GUEST_WALK_MAX_ATTEMPTS 16

/* Guest MAXPHYADDR the walker accepts (CPUID 8000_0008h EAX[7:0]). */
#define GW_MAXPHYADDR_MIN 32
#define GW_MAXPHYADDR_MAX 52

/* ---- guest paging-structure entry bits (PAE and long-mode formats) ---- */

#define GPTE_P          (1ull << 0)     /* present */
#define GPTE_RW         (1ull << 1)     /* writable */
#define GPTE_US         (1ull << 2)     /* user */
#define GPTE_PWT        (1ull << 3)
#define GPTE_PCD        (1ull << 4)
#define GPTE_A          (1ull << 5)     /* accessed */
#define GPTE_D          (1ull << 6)     /* dirty (leaf entries only) */
#define GPTE_PS         (1ull << 7)     /* PDPTE/PDE: maps a 1 GiB/2 MiB page */
#define GPTE_PAT_4K     (1ull << 7)     /* PTE: bit 7 is PAT, not PS */
#define GPTE_G          (1ull << 8)     /* global (leaf entries only) */
#define GPTE_PAT_LARGE  (1ull << 12)    /* PAT of a 2 MiB / 1 GiB leaf */
#define GPTE_NX         (1ull << 63)    /* no-execute when EFER.NXE=1 */

#define GPTE_ADDR_MASK  0x000ffffffffff000ull   /* bits 51:12: next table or 4 KiB page */
#define GPTE_ADDR_2M    0x000fffffffe00000ull   /* bits 51:21 of a 2 MiB leaf */
#define GPTE_ADDR_1G    0x000fffffc0000000ull   /* bits 51:30 of a 1 GiB leaf */

#define GW_PAGE_4K      (1ull << 12)
#define GW_PAGE_2M      (1ull << 21)
#define GW_PAGE_1G      (1ull << 30)

/* ---- the guest control-register bits the walker looks at ------------- */

#define GW_CR0_WP       (1ull << 16)
#define GW_CR0_PG       (1ull << 31)
#define GW_CR4_PAE      (1ull << 5)
#define GW_CR4_LA57     (1ull << 12)
#define GW_CR4_SMEP     (1ull << 20)
#define GW_CR4_SMAP     (1ull << 21)
#define GW_CR4_PKE      (1ull << 22)
#define GW_EFER_LME     (1ull << 8)
#define GW_EFER_LMA     (1ull << 10)
#define GW_EFER_NXE     (1ull << 11)

/* ---- #PF error code bits (APM vol. 2, 8.4.2; SDM vol. 3, 4.7) ---------- */

#define GW_PF_PRESENT   (1u << 0)       /* 0: not present; 1: protection/reserved */
#define GW_PF_WRITE     (1u << 1)
#define GW_PF_USER      (1u << 2)
#define GW_PF_RSVD      (1u << 3)
#define GW_PF_FETCH     (1u << 4)       /* I/D */

/*
 * The access, as guest_walk()'s access argument.  WRITE, USER and FETCH are
 * the #PF error-code bits of the same name; pass at most one of WRITE and
 * FETCH.  USER means a CPL-3 access.  IMPLICIT marks an implicit
 * supervisor-mode access (descriptor tables, TSS, ... : SDM 4.6): it is a
 * supervisor access whatever the CPL, so it overrides USER, and SMAP applies
 * to it regardless of RFLAGS.AC.  IMPLICIT is not an error-code bit and never
 * appears in a reported error code.  Other bits are ignored.
 */
#define GW_ACCESS_WRITE     GW_PF_WRITE
#define GW_ACCESS_USER      GW_PF_USER
#define GW_ACCESS_FETCH     GW_PF_FETCH
#define GW_ACCESS_IMPLICIT  (1u << 24)

/* The guest state that decides a translation. */
struct guest_paging {
    uint64_t cr0, cr3, cr4, efer;
    bool rflags_ac;             /* RFLAGS.AC, for SMAP */
    bool gbpages;               /* 1 GiB pages offered to the guest (CPUID 8000_0001h EDX[26]) */
    unsigned int maxphyaddr;    /* guest physical-address width in bits */
};

/*
 * Guest memory.  Addresses are guest-physical and 8-byte aligned.
 *  read_entry:    0, or -EFAULT when gpa is not guest RAM (any other error
 *                 is treated the same).
 *  cmpxchg_entry: store new if the entry still holds old, atomically: 0, or
 *                 -EAGAIN when it did not hold old (nothing stored); any other
 *                 error means the entry cannot be written as RAM.
 */
struct guest_walk_ops {
    int (*read_entry)(void *ctx, uint64_t gpa, uint64_t *val);
    int (*cmpxchg_entry)(void *ctx, uint64_t gpa, uint64_t old, uint64_t new);
};

enum guest_walk_status {
    GW_OK = 0,          /* translated: gpa, page_size, rights, leaf_entry */
    GW_PAGE_FAULT,      /* inject #PF(pfec) with CR2 = cr2 */
    GW_NONCANONICAL,    /* long mode, address not canonical: #GP(0) or #SS(0) in
                         * the CPU (the caller knows which segment); nothing read */
    GW_NOT_RAM,         /* a paging-structure entry at bad_gpa is not guest RAM
                         * (or its A/D bits cannot be written): not a guest #PF,
                         * the caller decides (crash the domain, emulate MMIO) */
    GW_RETRY,           /* entries changed under every one of
                         * GUEST_WALK_MAX_ATTEMPTS walks: try again later */
    GW_UNSUPPORTED,     /* paging mode or parameters not implemented (see top) */
};

/*
 * What a walk found.  Every field is zeroed first; which ones are meaningful
 * depends on the status:
 *  always:          top_level (4 long mode, 3 PAE, 0 paging off)
 *  GW_OK:           all of "translation"; level is the leaf's level
 *                   (0 when paging is off)
 *  GW_PAGE_FAULT:   pfec, cr2; level is the entry that was not present or had
 *                   a reserved bit set, or the leaf on a protection fault
 *  GW_NOT_RAM:      bad_gpa; level is the entry that could not be accessed
 * entry_gpa[] and entry[] hold the entries read, for levels
 * level..top_level, as last seen (after the walker's own A/D update on
 * success).  On a protection fault writable/user/nx are also filled.
 */
struct guest_walk_info {
    /* translation */
    uint64_t gpa;               /* guest-physical address of the linear address */
    uint64_t page_size;         /* GW_PAGE_4K, _2M or _1G (4K when paging is off) */
    bool writable;              /* R/W=1 at every level (CR0.WP not applied) */
    bool user;                  /* U/S=1 at every level */
    bool nx;                    /* NX=1 at some level, EFER.NXE=1 */
    uint64_t leaf_entry;        /* the leaf entry after the A/D update */

    unsigned int top_level;
    unsigned int level;
    uint64_t entry_gpa[GUEST_WALK_LEVELS];
    uint64_t entry[GUEST_WALK_LEVELS];

    uint32_t pfec;              /* GW_PAGE_FAULT: error code */
    uint64_t cr2;               /* GW_PAGE_FAULT: faulting linear address */
    uint64_t bad_gpa;           /* GW_NOT_RAM */
};

/*
 * Translate addr for access (GW_ACCESS_*).  Outside long mode the linear
 * address is 32 bits wide: bits 63:32 of addr are ignored, as the CPU forms
 * no wider linear address there.
 *
 * Accessed/Dirty: only a walk that translates successfully and passes the
 * permission checks writes anything.  It then sets A in every entry used
 * (top-down; PAE PDPTEs have no A bit) and, for a write, D in the leaf
 * (in the same compare-and-exchange as the leaf's A).  A walk that ends in a
 * page fault, GW_NOT_RAM or GW_NONCANONICAL writes nothing.  If an exchange
 * finds the entry changed (-EAGAIN) the whole walk starts again; A bits that
 * an earlier attempt set stay set even if the later attempt faults.
 */
enum guest_walk_status guest_walk(const struct guest_walk_ops *ops, void *ctx,
                                  const struct guest_paging *paging, uint64_t addr,
                                  uint32_t access, struct guest_walk_info *info);

const char *guest_walk_status_name(enum guest_walk_status status);

#endif
