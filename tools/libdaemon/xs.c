/*
 * The xenstore connection and the small reads every daemon makes.
 */
#include "daemon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenstore.h>

struct xs_handle *xs_connect(void)
{
    struct xs_handle *xs = xs_open(0);

    /* xs_fileno starts the watch pipe: call it once, early. */
    if (xs && xs_fileno(xs) < 0) {
        int err = errno;
        xs_close(xs);
        errno = err;
        return NULL;
    }
    return xs;
}

char *xs_read_str(struct xs_handle *xs, const char *path)
{
    unsigned len = 0;
    /* libxenstore NUL-terminates the value it returns. */
    return xs_read(xs, XBT_NULL, path, &len);
}

bool xs_read_u64(struct xs_handle *xs, const char *dir, const char *node, uint64_t max,
                 uint64_t *out)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", dir, node);
    char *s = xs_read_str(xs, path);
    bool ok = parse_u64(s, max, out);
    free(s);
    return ok;
}

int xs_drain_watches(struct xs_handle *xs)
{
    int n = 0;

    for (;;) {
        char **ev = xs_check_watch(xs);
        if (!ev) {
            if (errno == EAGAIN)
                return n;
            msg(LOG_ERR, "reading xenstore watch events: %s", strerror(errno));
            return -1;
        }
        msg(LOG_DEBUG, "watch %s (%s)", ev[XS_WATCH_PATH], ev[XS_WATCH_TOKEN]);
        free(ev);
        n++;
    }
}
