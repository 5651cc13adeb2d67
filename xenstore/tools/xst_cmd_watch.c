/*
 * xenstore-watch [-n NR] [-s] [-t TIMEOUT] key...
 *
 * Watches every key (the key is also the token) and prints the path of
 * each event as it comes, flushed at once.  The daemon fires every watch
 * once when it is set, so the keys themselves come first.  -n stops after
 * NR events.
 *
 * -t TIMEOUT is our addition (Debian's 4.17 tool has none): give up after
 * TIMEOUT seconds in all, with status 1 if -n NR events had not all come,
 * else 0.  Losing the daemon ends the watch with status 1; Debian's tool
 * would spin on it instead.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "xst_internal.h"

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum xst_status xst_cmd_watch(struct xst_ctx *c, char **ops, int n)
{
    long long deadline = -1;
    int i, count;

    for (i = 0; i < n; i++) {
        if (svxs_watch(c->h, ops[i], ops[i]) < 0) {
            /* sic: Debian's message ends in a newline of its own. */
            xst_warnx(c, "Unable to add watch on %s\n", ops[i]);
            return XST_DIE;
        }
    }
    if (c->o.timeout_s >= 0)
        deadline = now_ms() + (long long)c->o.timeout_s * 1000;

    for (count = 0; c->o.nr_watches < 0 || count < c->o.nr_watches; count++) {
        int wait_ms = -1;
        unsigned int num;
        char **ev;

        if (deadline >= 0) {
            long long left = deadline - now_ms();
            wait_ms = left < 0 ? 0 : (left > 0x7fffffff ? 0x7fffffff : (int)left);
        }
        ev = svxs_read_watch(c->h, &num, wait_ms);
        if (ev == NULL) {
            if (errno == ETIMEDOUT)
                return c->o.nr_watches < 0 ? XST_OK : XST_FAIL;
            xst_warn(c, "xs_read_watch");
            return XST_FAIL;
        }
        fprintf(c->env->out, "%s\n", ev[XS_WATCH_PATH]);
        fflush(c->env->out);
        free(ev);
    }
    return XST_OK;
}
