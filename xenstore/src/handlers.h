/* Internal to the core: one request being handled, and the handlers. */
#ifndef XS_HANDLERS_H
#define XS_HANDLERS_H

#include "store.h"

struct xs_request {
    struct xs_client *c;
    const struct xsd_sockmsg *hdr;
    const uint8_t *data;
    size_t len;
    struct xs_txn *txn;      /* the transaction named by hdr->tx_id, or NULL */
};

/* Each handler replies itself and returns 0, or returns an errno that
 * becomes the error reply. */
int do_read(struct xs_request *r);
int do_write(struct xs_request *r);
int do_mkdir(struct xs_request *r);
int do_rm(struct xs_request *r);
int do_directory(struct xs_request *r);
int do_directory_part(struct xs_request *r);
int do_get_perms(struct xs_request *r);
int do_set_perms(struct xs_request *r);
int do_watch(struct xs_request *r);
int do_unwatch(struct xs_request *r);
int do_reset_watches(struct xs_request *r);
int do_transaction_start(struct xs_request *r);
int do_transaction_end(struct xs_request *r);
int do_introduce(struct xs_request *r);
int do_release(struct xs_request *r);
int do_get_domain_path(struct xs_request *r);
int do_is_domain_introduced(struct xs_request *r);
int do_resume(struct xs_request *r);
int do_set_target(struct xs_request *r);
int do_control(struct xs_request *r);

#endif
