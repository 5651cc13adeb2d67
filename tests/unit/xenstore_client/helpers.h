/*
 * Test plumbing: a fake daemon on a socketpair or a temporary Unix socket,
 * and running a xenstore-* tool with its output captured.
 */
#ifndef XS_TEST_HELPERS_H
#define XS_TEST_HELPERS_H

#include <stddef.h>

#include "fake_xenstored.h"
#include "xs_client.h"

/* A fake daemon on one end of a socketpair and a handle on the other. */
struct pair {
    struct fake_xsd *f;
    struct svxs_handle *h;
};
void pair_start(struct pair *p);
void pair_stop(struct pair *p);

/* A fake daemon on a temporary socket, named in $XENSTORED_PATH. */
struct served {
    struct fake_xsd *f;
    char dir[64];
    char path[96];
};
void served_start(struct served *s);
void served_stop(struct served *s);

/* The tree the tool tests start from (the compare script's seed, trimmed). */
void seed_tree(struct fake_xsd *f);

/* What one tool run printed. */
struct run {
    int rc;
    char *out;
    char *err;
    size_t out_len;
};
/* Run argv (NULL-terminated) like a shell would; COLUMNS < 0: not a tty. */
struct run run_tool(int columns, const char *const *argv);
void run_free(struct run *r);

#define RUN(cols, ...) run_tool((cols), (const char *const[]){ __VA_ARGS__, NULL })

#endif /* XS_TEST_HELPERS_H */
