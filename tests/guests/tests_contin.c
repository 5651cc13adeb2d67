/*
 * contin: hypercalls too long for one go, which the hypervisor finishes
 * with continuations (Xen's hypercall_create_continuation: the call is
 * made again from where it stopped, so the guest sees one call).
 *
 *   decrease_reservation of 10000 of our free frames in one call: 10000;
 *   populate_physmap of the same 10000: 10000, and every page reads 0;
 *   GNTTABOP_copy with 1000 copies in one call (8 bytes each, between two
 *   of our frames named by gmfn and DOMID_SELF): all GNTST_okay, the data
 *   where it should be.  Needs mem >= 128M (10000 frames are 39 MiB).
 */
#include "xen_events.h"

#define NR_FRAMES 10000u
#define NR_COPIES 1000u
#define SLOTS     (PAGE_SIZE / 8)               /* 8-byte slots per page */
#define CHUNK     4096u                         /* the old per-call limit */

static uint64_t fill(uint64_t i) { return i * 0x9e3779b97f4a7c15ull | 1; }

/* Frames that may be out of our physmap go back in, a chunk at a time
 * (the old limit); what cannot is never used again.  How many came back. */
static uint64_t restore(xen_pfn_t *gfns, uint64_t n)
{
    uint64_t back = 0;

    for (uint64_t i = 0; i < n; i += CHUNK) {
        struct xen_memory_reservation r = { .nr_extents = n - i < CHUNK ? n - i : CHUNK, .domid = DOMID_SELF };
        set_xen_guest_handle(r.extent_start, gfns + i);
        long rc = HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
        back += rc > 0 ? (uint64_t)rc : 0;
    }
    return back;
}

static const char *balloon(void)
{
    uint64_t list_pages = (NR_FRAMES * sizeof(xen_pfn_t) + PAGE_SIZE - 1) / PAGE_SIZE;
    uint64_t list_pa = frame_alloc_contig(list_pages, PAGE_SIZE);
    xen_pfn_t *gfns = phys(list_pa);
    const char *why = NULL;
    uint64_t n = 0;
    domid_t self = DOMID_SELF;
    long rc;

    if (!list_pa)
        return fail("no %lu frames for the list", (unsigned long)list_pages);
    for (; n < NR_FRAMES; n++) {
        uint64_t pa = frame_alloc();
        if (!pa)
            break;
        memset(phys(pa), 0xa5, PAGE_SIZE);      /* populate must hand back zeros */
        gfns[n] = pa >> 12;
    }
    if (n < NR_FRAMES) {
        why = fail("only %lu free frames, need %u (mem >= 128M)", (unsigned long)n, NR_FRAMES);
        goto out;
    }

    long before = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    struct xen_memory_reservation r = { .nr_extents = NR_FRAMES, .extent_order = 0, .domid = DOMID_SELF };
    set_xen_guest_handle(r.extent_start, gfns);
    uint64_t t0 = rdtsc();
    rc = HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r);
    uint64_t t1 = rdtsc();
    long during = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    if (rc != NR_FRAMES) {
        uint64_t back = rc > 0 ? restore(gfns, (uint64_t)rc) : 0;
        why = fail("decrease_reservation of %u frames in one call: %ld (reservation %ld -> %ld; %lu put back)",
                   NR_FRAMES, rc, before, during, (unsigned long)back);
        if (rc > 0 && back < (uint64_t)rc) {
            for (uint64_t i = 0; i < (uint64_t)rc; i++)
                frame_given_away(gfns[i] << 12);
            for (uint64_t i = (uint64_t)rc; i < n; i++)
                frame_free(gfns[i] << 12);
            n = 0;
        }
        goto out;
    }
    rc = HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
    uint64_t t2 = rdtsc();
    long after = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
    if (rc != NR_FRAMES) {
        uint64_t done = rc > 0 ? (uint64_t)rc : 0;
        uint64_t back = restore(gfns + done, NR_FRAMES - done);
        why = fail("populate_physmap of %u frames in one call: %ld (reservation %ld -> %ld -> %ld)", NR_FRAMES,
                   rc, before, during, after);
        if (done + back < NR_FRAMES) {
            for (uint64_t i = 0; i < n; i++)
                frame_given_away(gfns[i] << 12);  /* which ones are holes is unknown */
            n = 0;
        }
        goto out;
    }
    if (during != before - (long)NR_FRAMES || after != before) {
        why = fail("reservation %ld -> %ld -> %ld pages, want -%u then back", before, during, after, NR_FRAMES);
        goto out;
    }
    for (uint64_t i = 0; i < n && !why; i++) {
        const uint64_t *p = phys(gfns[i] << 12);
        for (unsigned int w = 0; w < SLOTS; w++)
            if (p[w]) {
                why = fail("repopulated gfn %#lx word %u is %#lx, want 0", (unsigned long)gfns[i], w,
                           (unsigned long)p[w]);
                break;
            }
    }
    if (!why)
        note("%u frames given back in one call (%lu ms) and taken again (%lu ms), all zero; reservation %ld -> %ld -> %ld",
             NR_FRAMES, (unsigned long)(cycles_to_ns(t1 - t0) / 1000000),
             (unsigned long)(cycles_to_ns(t2 - t1) / 1000000), before, during, after);
out:
    for (uint64_t i = 0; i < n; i++)
        frame_free(gfns[i] << 12);
    for (uint64_t i = 0; i < list_pages; i++)
        frame_free(list_pa + i * PAGE_SIZE);
    return why;
}

/* 1000 copies of 8 bytes: source slot NR_COPIES-1-i into destination slot
 * i, each slot at page slot/SLOTS, offset slot%SLOTS*8. */
static const char *copies(void)
{
    uint64_t ops_pages = (NR_COPIES * sizeof(struct gnttab_copy) + PAGE_SIZE - 1) / PAGE_SIZE;
    uint64_t ops_pa = frame_alloc_contig(ops_pages, PAGE_SIZE);
    uint64_t src[2] = { frame_alloc(), frame_alloc() }, dst[2] = { frame_alloc_zero(), frame_alloc_zero() };
    struct gnttab_copy *ops = phys(ops_pa);
    const char *why = NULL;

    _Static_assert(NR_COPIES <= 2 * SLOTS, "two pages each way");
    if (!ops_pa || !src[0] || !src[1] || !dst[0] || !dst[1]) {
        why = fail("out of frames");
        goto out;
    }
    for (unsigned int s = 0; s < 2 * SLOTS; s++)
        ((uint64_t *)phys(src[s / SLOTS]))[s % SLOTS] = fill(s);
    for (unsigned int i = 0; i < NR_COPIES; i++) {
        unsigned int from = NR_COPIES - 1 - i;
        ops[i] = (struct gnttab_copy){
            .source = { .u.gmfn = src[from / SLOTS] >> 12, .domid = DOMID_SELF, .offset = from % SLOTS * 8 },
            .dest = { .u.gmfn = dst[i / SLOTS] >> 12, .domid = DOMID_SELF, .offset = i % SLOTS * 8 },
            .len = 8,
            .status = 1,                        /* not a GNTST_*: "never written" */
        };
    }
    uint64_t t0 = rdtsc();
    long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, ops, NR_COPIES);
    uint64_t t1 = rdtsc();
    if (rc) {
        why = fail("GNTTABOP_copy with count %u: %ld", NR_COPIES, rc);
        goto out;
    }
    for (unsigned int i = 0; i < NR_COPIES; i++)
        if (ops[i].status != GNTST_okay) {
            why = fail("GNTTABOP_copy %u of %u: status %d", i, NR_COPIES, ops[i].status);
            goto out;
        }
    for (unsigned int s = 0; s < 2 * SLOTS; s++) {
        uint64_t got = ((uint64_t *)phys(dst[s / SLOTS]))[s % SLOTS];
        uint64_t want = s < NR_COPIES ? fill(NR_COPIES - 1 - s) : 0;
        if (got != want) {
            why = fail("after GNTTABOP_copy: destination slot %u is %#lx, want %#lx", s, (unsigned long)got,
                       (unsigned long)want);
            goto out;
        }
    }
    note("GNTTABOP_copy: %u copies in one call (%lu ms), all GNTST_okay, data in place", NR_COPIES,
         (unsigned long)(cycles_to_ns(t1 - t0) / 1000000));
out:
    for (unsigned int i = 0; i < 2; i++) {
        if (src[i])
            frame_free(src[i]);
        if (dst[i])
            frame_free(dst[i]);
    }
    for (uint64_t i = 0; ops_pa && i < ops_pages; i++)
        frame_free(ops_pa + i * PAGE_SIZE);
    return why;
}

const char *test_contin(void)
{
    const char *why;

    if (!xen_present)
        return fail("needs Xen: no hypercall page");
    if (mem_ram_bytes() < 120 * MiB)
        return fail("needs mem >= 128M (have %lu MiB)", (unsigned long)(mem_ram_bytes() / MiB));
    if ((why = balloon()))
        return why;
    return copies();
}
