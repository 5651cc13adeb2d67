/*
 * Shared-ring back end (see ring.h).  The frontend owns req_prod and the
 * request slots; we read each once (req_prod with an acquire load, a slot
 * by copying it whole) and decide on the copy only.
 */
#include "ring.h"

int blkring_available(const blkif_back_ring_t *r, RING_IDX *prod)
{
    RING_IDX p = __atomic_load_n(&r->sring->req_prod, __ATOMIC_ACQUIRE);

    *prod = p;
    /* RING_REQUEST_PROD_OVERFLOW: more requests than slots since our
     * last response cannot be; a frontend that says so is broken or
     * hostile, and the slots it points at are not requests. */
    RING_IDX ahead = p - r->rsp_prod_pvt;
    RING_IDX taken = r->req_cons - r->rsp_prod_pvt;
    if (ahead > RING_SIZE(r) || ahead < taken)
        return -1;          /* ahead < taken: req_prod moved backwards */
    return (int)(ahead - taken);
}

void blkring_peek(const blkif_back_ring_t *r, blkif_request_t *out)
{
    RING_COPY_REQUEST(r, r->req_cons, out);
}

void blkring_respond(blkif_back_ring_t *r, uint64_t id, uint8_t op, int16_t status)
{
    blkif_response_t *rsp = RING_GET_RESPONSE(r, r->rsp_prod_pvt);

    rsp->id = id;
    rsp->operation = op;
    rsp->status = status;
    r->rsp_prod_pvt++;
}

bool blkring_push(blkif_back_ring_t *r)
{
    int notify;

    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(r, notify);
    return notify != 0;
}

bool blkring_final_check(blkif_back_ring_t *r)
{
    int more;

    RING_FINAL_CHECK_FOR_REQUESTS(r, more);
    return more != 0;
}
