/*
 * libFuzzer target: arbitrary bytes become the byte streams of three
 * clients (dom0 on a socket, domains 1 and 2 on rings) and go through the
 * connection's framing, the message parser and the whole core, including
 * transactions, watches, permissions and domain requests.
 *
 * Input: records of [selector][len lo][len hi][len bytes].  The selector's
 * low two bits pick the client (3 = dom0 again), the rest the chunk size
 * of reads (0 = as much as there is), so partial reads are exercised.  A
 * client the daemon hangs up on is replaced by a fresh one.
 *
 * After every input the tree must pass its consistency check; anything
 * else (crash, sanitizer report, leak) is a bug.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connection.h"
#include "core.h"
#include "log.h"
#include "message.h"
#include "transport.h"
#include "tree.h"
#include "util.h"

struct fz_transport {
    struct xs_transport base;
    const uint8_t *in;
    size_t len, off;
    size_t chunk;
};

static ssize_t fz_read(struct xs_transport *t, void *buf, size_t len)
{
    struct fz_transport *f = (struct fz_transport *)t;
    size_t avail = f->len - f->off;
    size_t n = len < avail ? len : avail;
    if (f->chunk && n > f->chunk)
        n = f->chunk;
    memcpy(buf, f->in + f->off, n);
    f->off += n;
    return (ssize_t)n;
}

static ssize_t fz_write(struct xs_transport *t, const void *buf, size_t len)
{
    (void)t;
    (void)buf;
    return (ssize_t)len;   /* the client reads everything at once */
}

static bool fz_can(struct xs_transport *t)
{
    (void)t;
    return true;
}

static void fz_close(struct xs_transport *t)
{
    free(t);
}

static const struct xs_transport_ops fz_ops = {
    .read = fz_read,
    .write = fz_write,
    .can_read = fz_can,
    .can_write = fz_can,
    .protocol_error = NULL,
    .close = fz_close,
};

static const unsigned domids[3] = { 0, 1, 2 };

static struct xs_connection *new_conn(struct xs_store *st, int slot)
{
    struct xs_client *c = xs_client_new(st, domids[slot], slot != 0);
    struct fz_transport *t = calloc(1, sizeof(*t));
    if (!c || !t)
        abort();
    t->base.ops = &fz_ops;
    return conn_new(c, &t->base, slot != 0);
}

/* Give the domains homes they own, as a toolstack would. */
static void setup(struct xs_store *st, struct xs_connection *dom0)
{
    static const char *const reqs[] = {
        "/local/domain/1\0", "/local/domain/2\0",
    };
    for (int i = 0; i < 2; i++) {
        struct xsd_sockmsg h = { .type = XS_MKDIR, .len = (uint32_t)strlen(reqs[i]) + 1 };
        xs_process(dom0->client, &h, (const uint8_t *)reqs[i]);
        char perms[64];
        int n = snprintf(perms, sizeof(perms), "/local/domain/%d%cn%d%c", i + 1, 0, i + 1, 0);
        h = (struct xsd_sockmsg){ .type = XS_SET_PERMS, .len = (uint32_t)n };
        xs_process(dom0->client, &h, (const uint8_t *)perms);
    }
    outq_clear(&dom0->client->out);
    (void)st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool once;
    if (!once) {
        xs_log_set_level(-1);
        once = true;
    }
    struct xs_store st;
    if (xs_store_init(&st))
        abort();
    /* Small limits so the fuzzer reaches them. */
    st.quota.nodes = 64;
    st.quota.watches = 8;
    st.quota.transactions = 4;
    st.quota.txn_nodes = 64;
    st.quota.out_bytes = 64 * 1024;

    struct xs_connection *conns[3];
    for (int i = 0; i < 3; i++)
        conns[i] = new_conn(&st, i);
    setup(&st, conns[0]);

    size_t off = 0;
    while (off + 3 <= size) {
        uint8_t sel = data[off];
        size_t len = (size_t)data[off + 1] | (size_t)data[off + 2] << 8;
        off += 3;
        if (len > size - off)
            len = size - off;
        int slot = (sel & 3) == 3 ? 0 : sel & 3;
        struct xs_connection *conn = conns[slot];
        struct fz_transport *t = (struct fz_transport *)conn->tp;
        t->in = data + off;
        t->len = len;
        t->off = 0;
        t->chunk = sel >> 2;
        off += len;

        /* Feed until the record is consumed (or the connection dies). */
        for (int guard = 0; guard < 10000 && t->off < t->len; guard++) {
            if (!conn_handle_input(conn, 16))
                break;
            conn_handle_output(conn);
        }
        for (int i = 0; i < 3; i++) {
            if (conn_alive(conns[i])) {
                conn_handle_output(conns[i]);
                continue;
            }
            conn_free(conns[i]);
            conns[i] = new_conn(&st, i);
        }
        xs_store_reap(&st);
    }

    char msg[256];
    if (tree_check(&st.tree, msg, sizeof(msg)) != 0) {
        fprintf(stderr, "tree inconsistent after input: %s\n", msg);
        abort();
    }
    for (int i = 0; i < 3; i++)
        conn_free(conns[i]);
    xs_store_destroy(&st);
    return 0;
}
