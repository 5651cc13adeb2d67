/*
 * hypercall_fuzz, shared by its halves: tests_fuzz.c (the memory it hands
 * the hypervisor, the call loop, the checks and the summary) and the
 * generators, fuzz_args.c, fuzz_mem.c and fuzz_ops.c (per hypercall:
 * commands, pointers, the hostile structures behind them, and what a call
 * that succeeded changed for us; fuzz_gen.h between them).
 *
 * The one rule they follow: the hypervisor may write only where we expect
 * it to.  Every pointer that may be written through, and every guest frame
 * a command may take, replace or write, is one of
 *   - the scratch pages (FZ_SLOTS read-write pages in the test window, by
 *     their virtual address or, for one structure, their identity address;
 *     input and output slots, below),
 *   - the window: FZ_WINDOW free gfns above our RAM, for the hypervisor's
 *     pages (shared_info, grant frames, grant maps, populated RAM),
 *   - low RAM below our image, which we zero before every call that points
 *     there, so what the hypervisor reads there is all zeros,
 *   - or something no command may use (NULL-ish, non-canonical, unmapped,
 *     beyond RAM, a huge gfn).
 * Code, data, stack and page tables are given only to commands that just
 * read.  A call that took a scratch frame away (add_to_physmap over it,
 * decrease_reservation, ...) gets the slot a new frame.
 */
#ifndef SVGUEST_FUZZ_H
#define SVGUEST_FUZZ_H

#include "xen_events.h"
#include <xen/vcpu.h>
#include <xen/version.h>

/* Virtual layout in the test window; the page after each group is never
 * mapped, so a structure that runs off its end faults for the hypervisor.
 * Input slots (0..4) hold the structures a call passes and the gfn arrays
 * they point to; nothing the hypervisor writes by a count we do not control
 * goes there.  Output slots (5..7) take buffers it writes (guest handles),
 * the frames it keeps writing (vcpu_info, FIFO control, runstate areas) and
 * grant copies: they may change any time. */
#define FZ_SLOTS       8
#define FZ_IN_SLOTS    5
#define FZ_VA          (TESTWIN + 0x40000000ul)
#define FZ_IN_BYTES    (FZ_IN_SLOTS * PAGE_SIZE)
#define FZ_OUT_VA      (FZ_VA + (FZ_IN_SLOTS + 1) * PAGE_SIZE)
#define FZ_OUT_BYTES   ((FZ_SLOTS - FZ_IN_SLOTS) * PAGE_SIZE)
#define FZ_RO_VA       (FZ_VA + (FZ_SLOTS + 2) * PAGE_SIZE)  /* a page mapped read-only */
#define FZ_TEXT_VA     (FZ_VA + (FZ_SLOTS + 4) * PAGE_SIZE)  /* console text at its end */
#define FZ_GV_VA       (FZ_VA + (FZ_SLOTS + 6) * PAGE_SIZE)  /* grant frame 0, while it is at gv_gfn */
#define FZ_HOLE_VA     (FZ_VA + (FZ_SLOTS + 8) * PAGE_SIZE)  /* never mapped */
static inline uint64_t fz_slot_va(unsigned int s)
{
    return FZ_VA + (s < FZ_IN_SLOTS ? s : s + 1) * PAGE_SIZE;
}
#define FZ_TEXT_LEN    8            /* printable bytes before the text page ends */
#define FZ_LOW_ZERO    0x10000ul    /* low RAM zeroed before a call that points there */
#define FZ_WINDOW      64
#define FZ_GV_REFS     16           /* grant refs 0..15 of grant frame 0 are ours to write */
#define FZ_PORTS       64
#define FZ_MAPS        32
#define FZ_SNAP        64
#define FZ_MIN_FREE    1024         /* fewer free frames: no scratch frame is given away any more */

/* Pointer kinds a generator allows (fz_pointer). */
#define PF_RO    0x01       /* the read-only page: commands that only read it, or write a reply */
#define PF_IN    0x02       /* our code, stack, page tables: commands that only read */
#define PF_IDENT 0x04       /* a scratch frame's identity address: one structure, not an array */
#define PF_NOLOW 0x08       /* not low RAM: zeros there would mean gfn 0 or a persistent mapping */
#define PF_SAFE  0x10       /* what is read there decides what gets written: only pages whose
                               content we control (input slots, zeroed low RAM) or unreadable ones */
#define PF_OUTZONE 0x20     /* a buffer it writes: output slots (or low RAM, or unreadable) */

/* Gfns a command may be given to take or change (safe_gfn). */
#define G_SLOT   0x01       /* any scratch frame: replaced if the call took it */
#define G_OUT    0x02       /* an output scratch frame: it may write or keep it */
#define G_GV     0x04       /* the grant view's gfn */

struct fz_map { uint32_t handle; uint64_t host_addr, dev_bus_addr; };

struct fz_state {
    uint64_t rng;
    uint64_t slot_pa[FZ_SLOTS];
    bool slot_pinned[FZ_SLOTS];     /* output slot registered for good (vcpu_info, FIFO control) */
    uint64_t ro_pa, text_pa;
    uint64_t own_lo, own_hi;        /* our image and every frame we allocate */
    uint64_t low_ram;               /* RAM from address 0 that nothing of ours uses */
    uint64_t window;                /* first gfn of the window */
    uint64_t gv_gfn;                /* the window's last gfn: grant frame 0 */
    bool gv_on, gv_valid;
    domid_t self;                   /* DOMID_INVALID when we could not tell */
    bool privileged;
    long version;                   /* XENVER_version */
    evtchn_port_t ports[FZ_PORTS];
    unsigned int nports;
    struct fz_map maps[FZ_MAPS];
    unsigned int nmaps;
    bool callback_set, upcall_vector_set, console_dirty;
    /* what the calls did */
    uint64_t n_replaced, n_pinned, n_physmap, n_maps, n_unmaps, n_copies, n_ports;
    uint64_t n_dropped, n_populated, n_map_over_ram, n_grant_writes, n_gv_moves, n_pinned_taken;
};

enum fz_effect {
    FX_NONE,
    FX_PHYSMAP,         /* add_to_physmap: snap is the structure */
    FX_REMOVE,          /* remove_from_physmap */
    FX_DECREASE,        /* decrease_reservation: first_ext[] */
    FX_POPULATE,
    FX_GRANT,           /* grant ops in view: op, count, status offset */
    FX_PORT,            /* an event-channel op that returns a port at port_off */
    FX_PIN,             /* registers slot gfn pin_gfn for good (vcpu_info, FIFO) */
    FX_CALLBACK,        /* HVM_PARAM_CALLBACK_IRQ set */
    FX_UPCALL_VECTOR,
};

struct fz_call {
    uint64_t n;                     /* its number in the run */
    unsigned int nr;
    uint64_t a[5];
    uint64_t cmd;                   /* the sub-command, for reports */
    /* The main pointer argument and the structure there, as passed. */
    uint64_t ptr;
    void *view;                     /* where we wrote it (NULL: not ours to write) */
    const void *rview;              /* where we can read it (NULL: we cannot) */
    size_t avail;                   /* bytes of the views that are ours */
    uint8_t snap[FZ_SNAP];
    unsigned int snap_len;
    bool zero_low;                  /* zero low RAM right before the call */
    /* A call only a privileged domain may make: it must fail. */
    const char *must_fail;
    int status_off;                 /* >= 0: ... and the grant op status there must not be okay */
    enum fz_effect effect;
    unsigned int op, op_size, op_count;             /* FX_GRANT */
    unsigned int port_off;                          /* FX_PORT */
    uint64_t pin_gfn;                               /* FX_PIN */
    uint64_t dom_vcpu;                              /* FX_PIN: the vCPU (0 = ours) */
    int32_t first_ext[FZ_SLOTS];                    /* FX_DECREASE: first extent naming slot s */
    uint64_t console_count;         /* console_io write: a reply above it is wrong */
    /* Byte ranges of the input slots this call's structures and arrays use
     * (slot * PAGE_SIZE + offset), kept apart. */
    uint32_t claim_lo[6], claim_hi[6];
    unsigned int nclaims;
};

/* fuzz_args.c */
void fz_generate(struct fz_state *f, struct fz_call *c, uint64_t n);
/* After the call: record what it gave us, note what it took.  False when a
 * scratch frame could not be replaced (out of memory). */
bool fz_after(struct fz_state *f, struct fz_call *c, long ret);
uint64_t fz_hostile(struct fz_state *f);
bool fz_own_value(const struct fz_state *f, uint64_t v);
/* Grant refs 0..FZ_GV_REFS-1 of grant frame 0 get new entries. */
void fz_write_grants(struct fz_state *f);
const char *fz_hypercall_name(unsigned int nr);

/* tests_fuzz.c */
bool fz_replace_slot(struct fz_state *f, unsigned int s);
/* "svguest: hypercall_fuzz: <what> call #n: name (nr) cmd ..: args", and
 * the first bytes of the structure passed. */
void fz_describe(const char *what, uint64_t n, const struct fz_call *c);
int fz_slot_of(const struct fz_state *f, uint64_t gfn);

#endif
