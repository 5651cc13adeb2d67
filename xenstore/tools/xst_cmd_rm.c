/*
 * xenstore-rm [-s] [-t] key...
 *
 * -t ("tidy") also removes each parent that is left with no children and
 * an empty value, walking up as far as that holds.
 */
#include <stdlib.h>
#include <string.h>

#include "xst_internal.h"

static bool rm_one(struct xst_ctx *c, const char *path)
{
    if (svxs_rm(c->h, c->tx, path) == 0)
        return true;
    xst_warnx(c, "could not remove path %s", path);
    return false;
}

/* Is PATH an empty value with no children (so -t may remove it)? */
static bool is_bare(struct xst_ctx *c, const char *path)
{
    size_t len;
    unsigned int num;
    char *val = svxs_read(c->h, c->tx, path, &len);
    char **kids;
    bool bare = false;

    if (val == NULL)
        return false;
    if (len == 0) {
        kids = svxs_directory(c->h, c->tx, path, &num);
        bare = kids != NULL && num == 0;
        free(kids);
    }
    free(val);
    return bare;
}

enum xst_status xst_cmd_rm(struct xst_ctx *c, char **ops, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        char *path, *slash;

        if (!c->o.tidy) {
            if (!rm_one(c, ops[i]))
                return XST_FAIL;
            continue;
        }
        /* A copy: ops[] must survive for a retried transaction. */
        path = strdup(ops[i]);
        if (path == NULL)
            return XST_FAIL;
        for (;;) {
            if (!rm_one(c, path)) {
                free(path);
                return XST_FAIL;
            }
            slash = strrchr(path, '/');
            if (slash == NULL)
                break;
            *slash = '\0';
            /* "/a" leaves "": the daemon refuses it and the walk ends. */
            if (!is_bare(c, path))
                break;
        }
        free(path);
    }
    return XST_OK;
}
