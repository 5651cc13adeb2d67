/*
 * Test doubles for the engine: a fake guest (pages indexed by grant ref)
 * with a grant-copy function that checks what gntdev checks, an in-memory
 * shared ring whose front half the tests drive with the FRONT_RING macros
 * of <xen/io/ring.h>, and a temporary disk file.
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

struct test_ring {
    struct fake_guest guest;
    blkif_front_ring_t front;
    blkif_sring_t *sring;
    unsigned order;
    char path[64];
    struct blk_disk disk;
    struct blk_limits lim;
    struct blk_ring ring;
};

/* Ring of 2^order pages over a fresh file of `bytes`. */
void tr_setup(struct test_ring *t, unsigned order, uint64_t bytes, bool writable);
void tr_teardown(struct test_ring *t);
/* A fresh slot at req_prod_pvt (zeroed); publish with tr_push. */
blkif_request_t *tr_next(struct test_ring *t);
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

#endif
