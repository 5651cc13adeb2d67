/*
 * Node permissions as in Xen.  A node carries a list of
 * struct xs_permissions (xenstore_lib.h): the first entry names the owner
 * and gives the access of every domain not listed; later entries give
 * per-domain access.  On the wire each entry is one string: a letter
 * 'n' (none), 'r' (read), 'w' (write) or 'b' (both) followed by the domid.
 */
#ifndef XS_PERMS_H
#define XS_PERMS_H

#include <stdbool.h>
#include <stddef.h>

#include <xenstore_lib.h>

/* Who is asking: enough to evaluate permissions. */
struct xs_caller {
    unsigned domid;
    bool privileged;     /* dom0 or the configured privileged domain */
    bool has_target;     /* SET_TARGET: acts for another domain too */
    unsigned target;
};

/* Largest domid a permission may name (Xen domids are 16-bit). */
#define XS_DOMID_MAX 65535u

/*
 * The access bits (XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER) the caller
 * has on a node with these permissions.  Privileged callers and the owner
 * (or a domain targeting the owner) have everything.
 */
unsigned perms_for_caller(const struct xs_permissions *p, unsigned n,
                          const struct xs_caller *c);

/* Parses one "<letter><domid>" string; EINVAL when malformed. */
int perm_from_string(const char *s, struct xs_permissions *out);
/* Writes "<letter><domid>" into buf (>= 16 bytes). */
void perm_to_string(const struct xs_permissions *p, char *buf, size_t len);

#endif
