/*
 * A new domain's xenstore entries, laid out as Xen's libxl lays them out
 * for a PVH guest, and its introduction to xenstored; and their removal.
 *
 *   /local/domain/N                 n0 rN  (dom0 owns it, the guest reads)
 *     name, domid, vm = /vm/UUID
 *     memory/static-max, memory/target        (KiB)
 *     cpu/I/availability = online | offline
 *     console/{ring-ref,port,limit,type,output}
 *     store/{ring-ref,port}
 *     control/shutdown                 nN     (the guest may write)
 *     device, data, drivers, feature, attr, error, messages   nN
 *   /vm/UUID/{name,uuid,start_time}     n0 rN
 *   /libxl/N/{dom-path,vm-path,type}    n0
 */
#ifndef XS_DOMAIN_H
#define XS_DOMAIN_H

#include <stddef.h>
#include <stdint.h>
#include <xenstore.h>
#include "pvh_build.h"

/* Write the tree in one transaction (retried on EAGAIN), then INTRODUCE. */
int xs_domain_create(struct xs_handle *xs, const struct pvh_build_spec *spec,
                     const struct pvh_build_result *res, char *err, size_t errlen);
/* RELEASE it (xenstored drops its ring and fires @releaseDomain) and remove
 * /local/domain/N, its /vm entry and /libxl/N.  Missing pieces are fine. */
void xs_domain_remove(struct xs_handle *xs, uint32_t domid);
/* The name in /local/domain/N/name into buf, or "" when it has none. */
void xs_domain_name(struct xs_handle *xs, uint32_t domid, char *buf, size_t size);

#endif
