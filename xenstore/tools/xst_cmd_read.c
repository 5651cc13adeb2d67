/*
 * xenstore-read [-p] [-s] [-R] key...  and  xenstore-exists [-s] key...
 *
 * read prints each value escaped (see xst_escape.h) on its own line, or
 * with -R the raw bytes and no newline; -p puts "key: " in front.  The
 * first key that cannot be read stops the run with "couldn't read path".
 * exists prints nothing: its exit status is the answer.
 */
#include <stdlib.h>

#include "xst_escape.h"
#include "xst_internal.h"

enum xst_status xst_cmd_read(struct xst_ctx *c, char **ops, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        size_t len;
        char *val = svxs_read(c->h, c->tx, ops[i], &len);

        if (val == NULL) {
            xst_warnx(c, "couldn't read path %s", ops[i]);
            return XST_FAIL;
        }
        if (c->o.prefix)
            xst_out(c, "%s: ", ops[i]);
        if (c->o.raw) {
            xst_out_raw(c, val, len);
        } else {
            char *text = xst_escape(val, len);
            xst_out(c, "%s\n", text != NULL ? text : "(null)");
            free(text);
        }
        free(val);
    }
    return XST_OK;
}

enum xst_status xst_cmd_exists(struct xst_ctx *c, char **ops, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        char *val = svxs_read(c->h, c->tx, ops[i], NULL);

        if (val == NULL)
            return XST_FAIL;
        free(val);
    }
    return XST_OK;
}
