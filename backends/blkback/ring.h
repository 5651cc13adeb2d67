/*
 * The back end of a blkif shared ring: taking requests with a hostile
 * req_prod, writing responses, and the notification hold-off
 * (<xen/io/ring.h>).  Pure logic over the shared page; the tests run it on
 * a calloc'd ring with the front half driven by the FRONT_RING macros.
 */
#ifndef RING_H
#define RING_H

#include <stdbool.h>

#include "blkproto.h"

/*
 * How many requests may be taken now: the frontend's req_prod is read
 * once.  -1 if it runs more than a ring ahead of our responses (the
 * frontend broke the protocol; *prod says what it wrote).
 */
int blkring_available(const blkif_back_ring_t *r, RING_IDX *prod);

/* A private copy of the next request (at req_cons); does not consume it. */
void blkring_peek(const blkif_back_ring_t *r, blkif_request_t *out);

/* Consumes the request blkring_peek returned. */
static inline void blkring_consume(blkif_back_ring_t *r)
{
    r->req_cons++;
}

/* Writes one response in the next response slot (not yet visible). */
void blkring_respond(blkif_back_ring_t *r, uint64_t id, uint8_t op, int16_t status);

/* Publishes the responses; true if the frontend asked to be notified. */
bool blkring_push(blkif_back_ring_t *r);

/* Before sleeping: arms req_event; true if requests came meanwhile. */
bool blkring_final_check(blkif_back_ring_t *r);

#endif
