/*
 * Shared by the xenstore-* command implementations: the run context, the
 * buffered output and the error reporting in the style of err(3).
 */
#ifndef XST_INTERNAL_H
#define XST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "xenstore_cli.h"
#include "xs_client.h"

enum xst_mode {
    XST_UNKNOWN,
    XST_CHMOD,
    XST_EXISTS,
    XST_LIST,
    XST_LS,
    XST_READ,
    XST_RM,
    XST_WRITE,
    XST_WATCH,
};

/*
 * What a command returns.  XST_FAIL is Debian's "return 1 from perform()":
 * the transaction is aborted but what was gathered is still printed.
 * XST_DIE is its err(1, ...): stop at once and print nothing more.
 */
enum xst_status { XST_OK = 0, XST_FAIL = 1, XST_DIE = 2 };

struct xst_opts {
    bool socket_only, prefix, tidy, upto, recurse, raw, flat;
    int nr_watches;         /* -1: forever */
    int timeout_s;          /* -1: none (our extension, xenstore-watch -t) */
};

struct xst_ctx {
    const struct xst_env *env;
    const char *prog;       /* basename of argv[0], prefix of messages */
    struct svxs_handle *h;
    svxs_tx_t tx;
    struct xst_opts o;
    int max_width;          /* xenstore-ls line width */
    int desired_width;      /* where the -p permission column starts */
    char *buf;              /* output held until the transaction commits */
    size_t len, cap;
};

/* Output that is only printed once the transaction has committed. */
void xst_out(struct xst_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void xst_out_raw(struct xst_ctx *c, const void *data, size_t len);

/* "prog: message\n" and "prog: message: strerror(errno)\n" on stderr. */
void xst_warnx(struct xst_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void xst_warn(struct xst_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The commands; OPS are the operands after the options. */
enum xst_status xst_cmd_read(struct xst_ctx *c, char **ops, int n);
enum xst_status xst_cmd_exists(struct xst_ctx *c, char **ops, int n);
enum xst_status xst_cmd_write(struct xst_ctx *c, char **ops, int n);
enum xst_status xst_cmd_rm(struct xst_ctx *c, char **ops, int n);
enum xst_status xst_cmd_list(struct xst_ctx *c, char **ops, int n);
enum xst_status xst_cmd_ls(struct xst_ctx *c, char **ops, int n);
enum xst_status xst_cmd_chmod(struct xst_ctx *c, char **ops, int n);
enum xst_status xst_cmd_watch(struct xst_ctx *c, char **ops, int n);

#endif /* XST_INTERNAL_H */
