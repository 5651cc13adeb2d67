/*
 * hypercall_fuzz's generators, among themselves: the helpers fuzz_args.c
 * keeps (random values, boundary values, pointers of every kind, the gfns
 * a call may be given) for fuzz_mem.c (memory_op, grant_table_op) and
 * fuzz_ops.c (the other hypercalls).  fuzz.h says what the pointers and
 * gfns may be, and why.
 */
#ifndef SVGUEST_FUZZ_GEN_H
#define SVGUEST_FUZZ_GEN_H

#include "fuzz.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* Numbers <xen/...> shows only to the toolstack (__XEN_TOOLS__). */
#ifndef XENMEM_claim_pages
#define XENMEM_claim_pages 24
#endif
#ifndef EVTCHNOP_reset_cont
#define EVTCHNOP_reset_cont 14
#endif

/* splitvisor's p2m covers 48-bit guest-physical addresses. */
#define GFN_LIMIT ((1ul << 36) - 1)

static inline uint64_t rnd(struct fz_state *f) { return rng_next(&f->rng); }
static inline uint64_t below(struct fz_state *f, uint64_t n) { return n ? rnd(f) % n : 0; }
static inline bool chance(struct fz_state *f, unsigned int pct) { return below(f, 100) < pct; }
#define PICK(f, arr) ((arr)[below((f), ARRAY_SIZE(arr))])

/* Values: fz_hostile() and fz_own_value() are in fuzz.h. */
void fz_fill(struct fz_state *f, void *p, size_t len);         /* boundary values, mixed widths */
void fz_defuse(const struct fz_state *f, void *p, size_t len); /* no address or gfn of ours in it */
domid_t fz_pick_domid(struct fz_state *f);
bool fz_foreign(const struct fz_state *f, domid_t d);          /* neither DOMID_SELF nor us */
uint32_t fz_pick_port(struct fz_state *f);
uint32_t fz_pick_vcpu(struct fz_state *f);
uint32_t fz_pick_ref(struct fz_state *f);
uint64_t fz_pick_count(struct fz_state *f);
uint64_t fz_safe_gfn(struct fz_state *f, unsigned int allow);  /* G_* */
uint64_t fz_map_addr(struct fz_state *f);                      /* a grant's host_addr */

/* Pointers. */
struct fz_ptr {
    uint64_t va;
    void *view;             /* where we write what it points at, or NULL */
    const void *rview;      /* where we read it, or NULL */
    size_t avail;           /* bytes of the views that are ours */
    int64_t in_off;         /* input slots: slot * PAGE_SIZE + offset; else -1 */
    bool low;               /* zeroed low RAM */
};
uint64_t fz_unreadable(struct fz_state *f);                    /* neither readable nor writable */
void fz_pointer(struct fz_state *f, unsigned int flags, size_t size, struct fz_ptr *p);   /* PF_* */
/* The main pointer argument, filled with boundary values; its first
 * claim_len bytes are the call's structures. */
uint64_t fz_main_ptr(struct fz_state *f, struct fz_call *c, unsigned int flags, size_t size, size_t claim_len);
/* A guest handle in a structure, to a buffer the hypervisor writes. */
uint64_t fz_handle(struct fz_state *f, unsigned int flags, size_t size);
/* A guest handle to n gfns it takes or changes, each fz_safe_gfn(allow). */
uint64_t fz_gfn_array(struct fz_state *f, struct fz_call *c, unsigned int allow, uint64_t n, int32_t *first_ext);

static inline bool fits(const struct fz_call *c, size_t size)
{
    return c->view && c->avail >= size;
}

/* Edit the structure at view + off through an aligned copy. */
#define EDIT(c, off, T, x) T x; memcpy(&x, (uint8_t *)(c)->view + (off), sizeof(x))
#define DONE(c, off, x)    memcpy((uint8_t *)(c)->view + (off), &x, sizeof(x))

/* fuzz_mem.c */
void fz_gen_memory_op(struct fz_state *f, struct fz_call *c);
void fz_memory_op_checks(struct fz_state *f, struct fz_call *c);
void fz_gen_grant_table_op(struct fz_state *f, struct fz_call *c);
bool fz_grant_effects(struct fz_state *f, struct fz_call *c);

/* fuzz_ops.c */
void fz_gen_event_channel_op(struct fz_state *f, struct fz_call *c, bool compat);
void fz_gen_hvm_op(struct fz_state *f, struct fz_call *c);
void fz_gen_vcpu_op(struct fz_state *f, struct fz_call *c);
void fz_gen_sched_op(struct fz_state *f, struct fz_call *c, bool compat);
void fz_gen_xen_version(struct fz_state *f, struct fz_call *c);
void fz_gen_console_io(struct fz_state *f, struct fz_call *c);
void fz_gen_ctl(struct fz_state *f, struct fz_call *c, bool sysctl);
void fz_gen_multicall(struct fz_state *f, struct fz_call *c);
void fz_gen_other(struct fz_state *f, struct fz_call *c);

#endif
