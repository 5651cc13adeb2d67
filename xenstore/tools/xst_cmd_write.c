/*
 * xenstore-write [-s] [-R] key value [key value...]
 *
 * Values are unescaped first (so "\x00" writes a nul byte) unless -R.
 * Several pairs are written in one transaction by the caller.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xst_escape.h"
#include "xst_internal.h"

enum xst_status xst_cmd_write(struct xst_ctx *c, char **ops, int n)
{
    int i;

    for (i = 0; i + 1 < n; i += 2) {
        const char *spec = ops[i + 1];
        char *val = NULL;
        size_t len;
        int r;

        if (c->o.raw) {
            r = svxs_write(c->h, c->tx, ops[i], spec, strlen(spec));
        } else {
            val = malloc(strlen(spec) + 1);
            if (val == NULL) {
                xst_warn(c, "malloc");
                return XST_DIE;
            }
            len = xst_unescape(val, spec);
            r = svxs_write(c->h, c->tx, ops[i], val, len);
            free(val);
        }
        if (r < 0) {
            xst_warnx(c, "could not write path %s", ops[i]);
            return XST_FAIL;
        }
    }
    return XST_OK;
}
