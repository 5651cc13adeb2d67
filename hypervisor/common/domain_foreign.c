/*
 * The hypervisor's one table of foreign-mapped frames (common/foreign_map.c
 * keeps it): a privileged domain's P2M_FOREIGN entries hold references, and
 * a frame whose owner lets go of it meanwhile is freed at the last unmap.
 */
#include <sv/domain.h>
#include <sv/domain_xen.h>
#include <sv/errno.h>
#include <sv/foreign_map.h>
#include <sv/page_alloc.h>
#include <sv/printk.h>
#include <sv/xmalloc.h>
#include <asm/mm.h>

#define FOREIGN_FRAMES_MAX 16384        /* 64 MiB mapped at once, over all toolstacks */

static struct foreign_map_table table;
static bool ready;

static void *zalloc(void *ctx, size_t size)
{
    (void)ctx;
    return xzalloc(size);
}

static void zfree(void *ctx, void *p)
{
    (void)ctx;
    xfree(p);
}

static void release(void *ctx, mfn_t mfn)
{
    (void)ctx;
    ram_frame_free(mfn);
}

static const struct foreign_map_ops ops = { zalloc, zfree, release };

void foreign_frames_init(void)
{
    if (foreign_map_init(&table, FOREIGN_FRAMES_MAX, &ops, NULL))
        printk(LOG_ERR "foreign mappings: no memory for the table; none will be allowed\n");
    else
        ready = true;
}

int foreign_frame_get(mfn_t mfn)
{
    return ready ? foreign_map_get(&table, mfn) : -ENOMEM;
}

void foreign_frame_put(mfn_t mfn)
{
    if (ready && foreign_map_put(&table, mfn))
        printk(LOG_ERR "foreign mappings: frame %#lx was not counted\n", (unsigned long)mfn);
}

bool foreign_frame_keep(mfn_t mfn)
{
    return ready && foreign_map_keep(&table, mfn);
}
