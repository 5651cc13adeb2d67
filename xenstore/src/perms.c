/* See perms.h. */
#include "perms.h"

#include <errno.h>
#include <stdio.h>

#include "util.h"

unsigned perms_for_caller(const struct xs_permissions *p, unsigned n,
                          const struct xs_caller *c)
{
    const unsigned all = XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;

    if (n == 0)   /* never stored; treat a missing list as "owner dom0, none" */
        return c->privileged ? all : XS_PERM_NONE;
    if (c->privileged || p[0].id == c->domid ||
        (c->has_target && p[0].id == c->target))
        return all;
    /* The first matching per-domain entry wins, as in Xen. */
    for (unsigned i = 1; i < n; i++)
        if (p[i].id == c->domid || (c->has_target && p[i].id == c->target))
            return p[i].perms & (XS_PERM_READ | XS_PERM_WRITE);
    return p[0].perms & (XS_PERM_READ | XS_PERM_WRITE);
}

int perm_from_string(const char *s, struct xs_permissions *out)
{
    unsigned bits;
    switch (s[0]) {
    case 'n': bits = XS_PERM_NONE; break;
    case 'r': bits = XS_PERM_READ; break;
    case 'w': bits = XS_PERM_WRITE; break;
    case 'b': bits = XS_PERM_READ | XS_PERM_WRITE; break;
    default: return EINVAL;
    }
    unsigned long long id;
    if (!xs_parse_uint(s + 1, XS_DOMID_MAX, &id))
        return EINVAL;
    out->id = (unsigned)id;
    out->perms = bits;
    return 0;
}

void perm_to_string(const struct xs_permissions *p, char *buf, size_t len)
{
    char c;
    switch (p->perms & (XS_PERM_READ | XS_PERM_WRITE)) {
    case XS_PERM_READ: c = 'r'; break;
    case XS_PERM_WRITE: c = 'w'; break;
    case XS_PERM_READ | XS_PERM_WRITE: c = 'b'; break;
    default: c = 'n'; break;
    }
    snprintf(buf, len, "%c%u", c, p->id);
}
