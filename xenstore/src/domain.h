/*
 * Introduced domains.  Each has a client (its ring connection, once the
 * hooks attached I/O) and optionally a target domain (SET_TARGET: a device
 * model acting for the domain it serves).
 */
#ifndef XS_DOMAIN_H
#define XS_DOMAIN_H

#include "store.h"

struct xs_domain *domain_find(struct xs_store *st, unsigned domid);
struct xs_domain *domain_find_by_client(struct xs_store *st, const struct xs_client *c);
/* Adds a record (no client yet); EEXIST, EINVAL or ENOMEM. */
int domain_add(struct xs_store *st, unsigned domid, uint64_t mfn, unsigned port);
void domain_remove(struct xs_store *st, unsigned domid);
/* A real, introducible domid: not 0, below DOMID_FIRST_RESERVED. */
bool domain_id_valid(unsigned long long domid);

enum xs_domain_state { XS_DOMAIN_ALIVE, XS_DOMAIN_SHUTDOWN, XS_DOMAIN_GONE };
/* Ask state() about every introduced domain: the ones newly shut down are
 * marked, the gone ones released; @releaseDomain fires once if any. */
void domain_check_states(struct xs_store *st,
                         enum xs_domain_state (*state)(void *ctx, unsigned domid), void *ctx);

#endif
