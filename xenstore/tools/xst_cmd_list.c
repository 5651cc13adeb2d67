/*
 * xenstore-list [-p] [-s] key...
 *
 * One child name per line; -p prints "key/child" (so "/" gives "//local",
 * exactly as Debian's tool does).
 */
#include <stdlib.h>

#include "xst_internal.h"

enum xst_status xst_cmd_list(struct xst_ctx *c, char **ops, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        unsigned int j, num;
        char **kids = svxs_directory(c->h, c->tx, ops[i], &num);

        if (kids == NULL) {
            xst_warnx(c, "could not list path %s", ops[i]);
            return XST_FAIL;
        }
        for (j = 0; j < num; j++) {
            if (c->o.prefix)
                xst_out(c, "%s/", ops[i]);
            xst_out(c, "%s\n", kids[j]);
        }
        free(kids);
    }
    return XST_OK;
}
