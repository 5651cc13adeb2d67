/*
 * Test doubles for the engine: a fake guest (pages indexed by grant ref)
 * with a grant-copy function that checks what gntdev checks, an in-memory
 * shared ring whose front half the tests drive with the FRONT_RING macros
 * of <xen/io/ring.h>, a temporary disk file, and a fake disk driver that
 * does each I/O at once or holds it until the test finishes it.
 */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>

#include "blkio.h"
#include "pgrant.h"

#define FAKE_PAGES   2048u
#define FAKE_DOMID   7

struct fake_guest {
    int fd;                      /* a memfd: the pages, so they can be mapped twice */
    uint8_t *mem;                /* FAKE_PAGES pages; gref g is page g */
    bool granted[FAKE_PAGES];
    bool readonly[FAKE_PAGES];   /* granted read-only: fake_map refuses */
    unsigned calls;              /* copy calls */
    unsigned ops;                /* segments copied */
    unsigned segs;               /* segments asked for, copied or not */
    grant_ref_t poison;          /* nonzero: any call naming it fails whole */
    bool lenient;                /* fake_copy answers a segment past its page
                                    with an error instead of failing the test */
    bool fail_copy;              /* fake_copy fails whole (-1) */
    unsigned map_calls, pages_mapped, pages_unmapped;
};

/* Zeroed pages, none granted. */
void fake_guest_init(struct fake_guest *g);
void fake_guest_fini(struct fake_guest *g);

#define FAKE_MAX_IO  512u

/* The engine's disk driver in the tests (struct blk_iodrv). */
struct fake_disk {
    const struct blk_disk *disk;
    bool hold;                   /* keep I/Os until fake_disk_finish */
    struct blk_io *held[FAKE_MAX_IO];
    unsigned nheld;
    struct blk_io *ready[FAKE_MAX_IO];
    unsigned nready;
    unsigned submits;            /* submit calls */
    unsigned ios;                /* I/Os submitted */
};

enum tr_io { TR_IO_NOW, TR_IO_HELD, TR_IO_AIO };

struct test_ring {
    struct fake_guest guest;
    blkif_front_ring_t front;
    blkif_sring_t *sring;
    unsigned order;
    char path[64];
    struct blk_disk disk;
    struct blk_limits lim;
    struct fake_disk fdisk;
    enum tr_io io;
    struct blk_ring ring;
    bool kept;                   /* data through pgrant.c's kept mappings */
    struct pgrant_cache pg;
    struct pgrant_copier pgc;
};

/* Ring of 2^order pages over a fresh file of `bytes`; each I/O done at
 * once by the fake driver (one blk_ring_service answers everything). */
void tr_setup(struct test_ring *t, unsigned order, uint64_t bytes, bool writable);
/* The same with the disk driver io: TR_IO_HELD (fake_disk_finish) or
 * TR_IO_AIO (the daemon's Linux AIO). */
void tr_setup_io(struct test_ring *t, unsigned order, uint64_t bytes, bool writable,
                 enum tr_io io);
/* TR_IO_AIO with the copier svblkback uses for a persistent frontend:
 * kept mappings (fake_map) in front of fake_copy. */
void tr_setup_kept(struct test_ring *t, unsigned order, uint64_t bytes);
/* The driver struct tr_setup_io hands the engine. */
struct blk_iodrv tr_iodrv(struct test_ring *t);
/* Serves until everything posted is answered, waiting for the disk
 * (TR_IO_NOW, TR_IO_AIO); what blk_ring_service returned, OR'ed. */
int tr_serve(struct test_ring *t);
/* Does held I/O number k (in submit order among those still held) now,
 * or fails it with err (-errno); it is collected on the next pass. */
void fake_disk_finish(struct fake_disk *f, unsigned k, int err);
void tr_teardown(struct test_ring *t);
/* A fresh slot at req_prod_pvt (zeroed); publish with tr_push. */
blkif_request_t *tr_next(struct test_ring *t);
/* A direct read or write at the next slot: nseg whole-page segments with
 * refs g0, g0 + 1, ... */
void tr_put_rw(struct test_ring *t, uint8_t op, uint64_t id, uint64_t sector, unsigned nseg,
               grant_ref_t g0);
/* An indirect request at the next slot: op (any value, for the hostile
 * tests) on nseg whole-page segments g0, g0 + 1, ... listed in page ind
 * (as many as fit in it; nseg itself goes into the request). */
void tr_put_indirect(struct test_ring *t, uint8_t op, uint64_t id, uint64_t sector,
                     unsigned nseg, grant_ref_t ind, grant_ref_t g0);
void tr_push(struct test_ring *t);
/* Takes the next response; false if none. */
bool tr_response(struct test_ring *t, blkif_response_t *out);
/* Fills gref's page with a pattern from seed. */
void tr_fill(struct test_ring *t, grant_ref_t g, unsigned seed);
uint8_t *tr_page(struct test_ring *t, grant_ref_t g);

int fake_copy(void *ctx, uint32_t count, xengnttab_grant_copy_segment_t *segs);
/* gntdev's map for the fake guest: the refs' pages at consecutive
 * addresses, aliasing mem; NULL (EINVAL) if any is not granted rw. */
void *fake_map(void *ctx, domid_t domid, unsigned count, const grant_ref_t *refs);
void fake_unmap(void *ctx, void *addr, unsigned count);

/* test_ringio.c's random reads and writes against a file (480 requests,
 * direct and indirect), served by t as set up. */
void random_rw_against_file_on(struct test_ring *t);

Suite *req_suite(void);
Suite *ring_suite(void);
Suite *io_suite(void);
Suite *fsm_suite(void);
Suite *ringio_suite(void);
Suite *pipeline_suite(void);
Suite *pgrant_suite(void);

#endif
