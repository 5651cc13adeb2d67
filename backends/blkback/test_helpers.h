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

#define FAKE_PAGES   2048u
#define FAKE_DOMID   7

struct fake_guest {
    uint8_t *mem;                /* FAKE_PAGES pages; gref g is page g */
    bool granted[FAKE_PAGES];
    unsigned calls;              /* copy calls */
    unsigned ops;                /* segments copied */
    grant_ref_t poison;          /* nonzero: any call naming it fails whole */
};

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
};

/* Ring of 2^order pages over a fresh file of `bytes`; each I/O done at
 * once by the fake driver (one blk_ring_service answers everything). */
void tr_setup(struct test_ring *t, unsigned order, uint64_t bytes, bool writable);
/* The same with the disk driver io: TR_IO_HELD (fake_disk_finish) or
 * TR_IO_AIO (the daemon's Linux AIO). */
void tr_setup_io(struct test_ring *t, unsigned order, uint64_t bytes, bool writable,
                 enum tr_io io);
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
void tr_push(struct test_ring *t);
/* Takes the next response; false if none. */
bool tr_response(struct test_ring *t, blkif_response_t *out);
/* Fills gref's page with a pattern from seed. */
void tr_fill(struct test_ring *t, grant_ref_t g, unsigned seed);
uint8_t *tr_page(struct test_ring *t, grant_ref_t g);

int fake_copy(void *ctx, uint32_t count, xengnttab_grant_copy_segment_t *segs);

Suite *req_suite(void);
Suite *ring_suite(void);
Suite *io_suite(void);
Suite *fsm_suite(void);
Suite *ringio_suite(void);
Suite *pipeline_suite(void);

#endif
