/*
 * A fake grant copy: grants are pages in memory, the statuses are Xen's
 * (GNTST_bad_gntref for an unknown reference or domain, GNTST_permission_denied
 * for writing a read-only grant, GNTST_bad_copy_arg past the page end).
 */
#include <stdlib.h>
#include <string.h>

#include "tests.h"

struct fake_gnt *fake_gnt_new(void)
{
    struct fake_gnt *f = calloc(1, sizeof(*f));
    ck_assert_ptr_nonnull(f);
    return f;
}

uint8_t *fake_gnt_add(struct fake_gnt *f, uint16_t domid, uint32_t ref, bool readonly)
{
    for (unsigned i = 0; i < FAKE_GNT_MAX; i++) {
        if (!f->g[i].used) {
            f->g[i] = (struct fake_grant){ .used = true, .domid = domid, .ref = ref,
                                           .readonly = readonly };
            return f->g[i].page;
        }
    }
    ck_abort_msg("fake grant table full");
    return NULL;
}

static struct fake_grant *find(struct fake_gnt *f, uint16_t domid, uint32_t ref)
{
    for (unsigned i = 0; i < FAKE_GNT_MAX; i++)
        if (f->g[i].used && f->g[i].domid == domid && f->g[i].ref == ref)
            return &f->g[i];
    return NULL;
}

int fake_gnt_copy(void *ctx, uint32_t count, xengnttab_grant_copy_segment_t *segs)
{
    struct fake_gnt *f = ctx;

    f->calls++;
    f->segs += count;
    if (f->during)
        f->during(f->during_ctx);
    if (f->fail_next) {
        int rc = f->fail_next;
        f->fail_next = 0;
        return rc;
    }
    for (uint32_t i = 0; i < count; i++) {
        xengnttab_grant_copy_segment_t *s = &segs[i];
        bool from_gref = s->flags & GNTCOPY_source_gref;
        const union xengnttab_copy_ptr *fp = from_gref ? &s->source : &s->dest;
        struct fake_grant *g = find(f, fp->foreign.domid, fp->foreign.ref);

        ck_assert_msg(!!(s->flags & GNTCOPY_source_gref) != !!(s->flags & GNTCOPY_dest_gref),
                      "a segment must have exactly one grant side");
        if (!g) {
            s->status = GNTST_bad_gntref;
        } else if ((unsigned)fp->foreign.offset + s->len > NB_PAGE_SIZE) {
            s->status = GNTST_bad_copy_arg;
        } else if (!from_gref && g->readonly) {
            s->status = GNTST_permission_denied;
        } else {
            if (from_gref)
                memcpy(s->dest.virt, g->page + fp->foreign.offset, s->len);
            else
                memcpy(g->page + fp->foreign.offset, s->source.virt, s->len);
            s->status = GNTST_okay;
        }
    }
    return 0;
}
