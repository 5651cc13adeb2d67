/*
 * Our grant table, version 1 (<xen/grant_table.h>): the frames of the
 * table are ours; the hypervisor maps them over RAM frames we give it
 * (XENMEM_add_to_physmap, XENMAPSPACE_grant_table), as Linux's PVH guests
 * do.  Granting is writing an entry: domid and frame first, then flags,
 * with a compiler barrier between (x86 keeps stores in order).  Ending a
 * grant races with the other side mapping it: a compare-exchange on the
 * flags takes them to 0 only while GTF_reading/GTF_writing are clear.
 */
#include "svfront.h"

#define GNTTAB_WANT_FRAMES  32u     /* 16384 refs, if the hypervisor allows */
#define ENTRIES_PER_FRAME   (PAGE_SIZE / sizeof(grant_entry_v1_t))

static grant_entry_v1_t *table;
static uint32_t nr_entries;
static grant_ref_t *free_refs;      /* a stack */
static uint32_t nr_free;

const char *gnttab_init(void)
{
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1);
    if (rc || q.status != GNTST_okay)
        return fail("GNTTABOP_query_size: rc %ld status %d", rc, q.status);
    uint32_t frames = q.max_nr_frames < GNTTAB_WANT_FRAMES ? q.max_nr_frames : GNTTAB_WANT_FRAMES;
    if (frames == 0)
        return fail("GNTTABOP_query_size: no grant frames allowed");

    uint64_t base = frame_alloc_contig(frames, 1);
    if (!base)
        return fail("no %u contiguous frames for the grant table", frames);
    for (uint32_t i = 0; i < frames; i++) {
        struct xen_add_to_physmap xatp = {
            .domid = DOMID_SELF,
            .space = XENMAPSPACE_grant_table,
            .idx = i,
            .gpfn = (base >> 12) + i,
        };
        rc = HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
        if (rc) {
            if (i == 0)
                return fail("XENMEM_add_to_physmap(grant_table 0): %ld", rc);
            frames = i;             /* fewer than asked: use what we have */
            break;
        }
        frame_given_away(base + i * PAGE_SIZE);
    }
    table = phys(base);
    nr_entries = frames * ENTRIES_PER_FRAME;

    uint64_t stack_bytes = nr_entries * sizeof(grant_ref_t);
    uint64_t stack = frame_alloc_contig((stack_bytes + PAGE_SIZE - 1) / PAGE_SIZE, 1);
    if (!stack)
        return fail("no frames for the free-ref stack");
    free_refs = phys(stack);
    nr_free = 0;
    for (grant_ref_t r = nr_entries - 1; r >= GNTTAB_NR_RESERVED_ENTRIES; r--)
        free_refs[nr_free++] = r;
    kprintf("svfront: grant table: %u frames at gpa %#lx, %u refs\n", frames,
            (unsigned long)base, nr_free);
    return NULL;
}

grant_ref_t gnttab_grant(domid_t domid, uint64_t gfn, bool readonly)
{
    if (!nr_free || gfn > UINT32_MAX)
        return 0;
    grant_ref_t ref = free_refs[--nr_free];
    grant_entry_v1_t *e = &table[ref];
    e->domid = domid;
    e->frame = (uint32_t)gfn;
    barrier();
    __atomic_store_n(&e->flags, (uint16_t)(GTF_permit_access | (readonly ? GTF_readonly : 0)),
                     __ATOMIC_RELEASE);
    return ref;
}

bool gnttab_end(grant_ref_t ref)
{
    if (ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= nr_entries)
        return false;
    uint16_t *flags = &table[ref].flags;
    uint16_t old = __atomic_load_n(flags, __ATOMIC_ACQUIRE);
    do {
        if (old & (GTF_reading | GTF_writing))
            return false;
    } while (!__atomic_compare_exchange_n(flags, &old, 0, false, __ATOMIC_SEQ_CST,
                                          __ATOMIC_SEQ_CST));
    free_refs[nr_free++] = ref;
    return true;
}

uint32_t gnttab_free_count(void) { return nr_free; }
uint32_t gnttab_capacity(void) { return nr_entries > GNTTAB_NR_RESERVED_ENTRIES ? nr_entries - GNTTAB_NR_RESERVED_ENTRIES : 0; }
