/* See harness.h. */
#define _XOPEN_SOURCE 700 /* nftw */
#define _DEFAULT_SOURCE   /* mkdtemp */
#include "harness.h"

#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

void th_store(struct xs_store *st)
{
    xs_log_set_level(-1);
    ck_assert_int_eq(xs_store_init(st), 0);
}

struct xs_msg *th_raw(struct xs_client *c, uint32_t type, uint32_t tx,
                      const void *data, size_t len)
{
    static uint32_t req_id = 100;
    struct xsd_sockmsg hdr = { .type = type, .req_id = ++req_id, .tx_id = tx,
                               .len = (uint32_t)len };
    /* The core reads exactly len bytes: give it its own copy so ASan sees
     * any read past the end. */
    uint8_t *copy = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(copy);
    if (len)
        memcpy(copy, data, len);
    xs_process(c, &hdr, copy);
    free(copy);

    /* Take the reply out of the queue, leave watch events in place. */
    struct xs_msg *prev = NULL;
    for (struct xs_msg *m = c->out.head; m; prev = m, m = m->next) {
        if (m->hdr.type == XS_WATCH_EVENT)
            continue;
        if (prev)
            prev->next = m->next;
        else
            c->out.head = m->next;
        if (c->out.tail == m)
            c->out.tail = prev;
        c->out.bytes -= sizeof(m->hdr) + m->hdr.len;
        c->out.nreplies--;
        m->next = NULL;
        ck_assert_uint_eq(m->hdr.req_id, hdr.req_id);
        ck_assert_uint_eq(m->hdr.tx_id, hdr.tx_id);
        ck_assert(m->hdr.type == type || m->hdr.type == XS_ERROR);
        return m;
    }
    return NULL;
}

struct xs_msg *th_req(struct xs_client *c, uint32_t type, uint32_t tx, ...)
{
    struct xs_buf b;
    xs_buf_init(&b);
    va_list ap;
    va_start(ap, tx);
    const char *s;
    while ((s = va_arg(ap, const char *)))
        ck_assert_int_eq(xs_buf_append_str0(&b, s), 0);
    va_end(ap);
    struct xs_msg *m = th_raw(c, type, tx, b.data, b.len);
    xs_buf_free(&b);
    return m;
}

int th_errno_of_name(const char *name)
{
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (strcmp(xsd_errors[i].errstring, name) == 0)
            return xsd_errors[i].errnum;
    return -2;
}

int th_errno(struct xs_msg *m)
{
    if (!m)
        return -1;
    int e = 0;
    if (m->hdr.type == XS_ERROR) {
        ck_assert_uint_gt(m->hdr.len, 1);
        ck_assert_int_eq(m->body[m->hdr.len - 1], 0);
        e = th_errno_of_name((const char *)m->body);
    }
    free(m);
    return e;
}

int th_write(struct xs_client *c, uint32_t tx, const char *path, const char *value)
{
    struct xs_buf b;
    xs_buf_init(&b);
    xs_buf_append_str0(&b, path);
    xs_buf_append(&b, value, strlen(value));
    struct xs_msg *m = th_raw(c, XS_WRITE, tx, b.data, b.len);
    xs_buf_free(&b);
    return th_errno(m);
}

int th_mkdir(struct xs_client *c, uint32_t tx, const char *path)
{
    return th_errno(th_req(c, XS_MKDIR, tx, path, NULL));
}

int th_rm(struct xs_client *c, uint32_t tx, const char *path)
{
    return th_errno(th_req(c, XS_RM, tx, path, NULL));
}

/* Reply body as a string with nul bytes turned into sep. */
static char *joined(struct xs_msg *m, int *err, char sep, bool drop_last_nul)
{
    if (!m || m->hdr.type == XS_ERROR) {
        *err = th_errno(m);
        return NULL;
    }
    *err = 0;
    size_t len = m->hdr.len;
    if (drop_last_nul && len && m->body[len - 1] == 0)
        len--;
    char *s = malloc(len + 1);
    for (size_t i = 0; i < len; i++)
        s[i] = m->body[i] ? (char)m->body[i] : sep;
    s[len] = '\0';
    free(m);
    return s;
}

char *th_read(struct xs_client *c, uint32_t tx, const char *path, int *err)
{
    return joined(th_req(c, XS_READ, tx, path, NULL), err, '\0', false);
}

char *th_dir(struct xs_client *c, uint32_t tx, const char *path, int *err)
{
    return joined(th_req(c, XS_DIRECTORY, tx, path, NULL), err, ',', true);
}

char *th_getperms(struct xs_client *c, uint32_t tx, const char *path, int *err)
{
    return joined(th_req(c, XS_GET_PERMS, tx, path, NULL), err, ',', true);
}

int th_setperms(struct xs_client *c, uint32_t tx, const char *path, ...)
{
    struct xs_buf b;
    xs_buf_init(&b);
    xs_buf_append_str0(&b, path);
    va_list ap;
    va_start(ap, path);
    const char *s;
    while ((s = va_arg(ap, const char *)))
        xs_buf_append_str0(&b, s);
    va_end(ap);
    struct xs_msg *m = th_raw(c, XS_SET_PERMS, tx, b.data, b.len);
    xs_buf_free(&b);
    return th_errno(m);
}

int th_watch(struct xs_client *c, const char *path, const char *token)
{
    return th_errno(th_req(c, XS_WATCH, 0, path, token, NULL));
}

int th_unwatch(struct xs_client *c, const char *path, const char *token)
{
    return th_errno(th_req(c, XS_UNWATCH, 0, path, token, NULL));
}

uint32_t th_txn_start(struct xs_client *c, int *err)
{
    struct xs_msg *m = th_req(c, XS_TRANSACTION_START, 0, "", NULL);
    if (!m || m->hdr.type == XS_ERROR) {
        *err = th_errno(m);
        return 0;
    }
    *err = 0;
    ck_assert_int_eq(m->body[m->hdr.len - 1], 0);
    uint32_t id = (uint32_t)strtoul((const char *)m->body, NULL, 10);
    free(m);
    return id;
}

int th_txn_end(struct xs_client *c, uint32_t tx, bool commit)
{
    return th_errno(th_req(c, XS_TRANSACTION_END, tx, commit ? "T" : "F", NULL));
}

char *th_event(struct xs_client *c)
{
    struct xs_msg *prev = NULL;
    for (struct xs_msg *m = c->out.head; m; prev = m, m = m->next) {
        if (m->hdr.type != XS_WATCH_EVENT)
            continue;
        if (prev)
            prev->next = m->next;
        else
            c->out.head = m->next;
        if (c->out.tail == m)
            c->out.tail = prev;
        c->out.bytes -= sizeof(m->hdr) + m->hdr.len;
        ck_assert_uint_eq(m->hdr.req_id, 0);
        ck_assert_uint_eq(m->hdr.tx_id, 0);
        /* Exactly "path\0token\0". */
        ck_assert_uint_eq(msg_count_nuls(m->body, m->hdr.len), 2);
        ck_assert_int_eq(m->body[m->hdr.len - 1], 0);
        int err;
        m->next = NULL;
        return joined(m, &err, '|', true);
    }
    return NULL;
}

unsigned th_nevents(const struct xs_client *c)
{
    unsigned n = 0;
    for (const struct xs_msg *m = c->out.head; m; m = m->next)
        n += m->hdr.type == XS_WATCH_EVENT;
    return n;
}

void th_drain(struct xs_client *c)
{
    outq_clear(&c->out);
}

char *th_tmpdir(void)
{
    char tmpl[] = "/tmp/xs-test-XXXXXX";
    char *d = mkdtemp(tmpl);
    ck_assert_ptr_nonnull(d);
    return xs_strdup(d);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void th_rmtree(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- in-memory transport ------------------------------------------------- */

static ssize_t mem_read(struct xs_transport *t, void *buf, size_t len)
{
    struct th_mem *m = (struct th_mem *)t;
    size_t avail = m->in.len - m->in_off;
    if (avail == 0)
        return m->eof && len ? -1 : 0;
    size_t n = len < avail ? len : avail;
    if (m->chunk && n > m->chunk)
        n = m->chunk;
    memcpy(buf, m->in.data + m->in_off, n);
    m->in_off += n;
    return (ssize_t)n;
}

static ssize_t mem_write(struct xs_transport *t, const void *buf, size_t len)
{
    struct th_mem *m = (struct th_mem *)t;
    if (m->write_blocked)
        return 0;
    size_t n = m->chunk && len > m->chunk ? m->chunk : len;
    ck_assert_int_eq(xs_buf_append(&m->out, buf, n), 0);
    return (ssize_t)n;
}

static bool mem_can_read(struct xs_transport *t)
{
    struct th_mem *m = (struct th_mem *)t;
    return m->in_off < m->in.len || m->eof;
}

static bool mem_can_write(struct xs_transport *t)
{
    return !((struct th_mem *)t)->write_blocked;
}

static void mem_close(struct xs_transport *t)
{
    struct th_mem *m = (struct th_mem *)t;
    if (m->closed)
        *m->closed = true;
    xs_buf_free(&m->in);
    xs_buf_free(&m->out);
    free(m);
}

static const struct xs_transport_ops mem_ops = {
    .read = mem_read,
    .write = mem_write,
    .can_read = mem_can_read,
    .can_write = mem_can_write,
    .protocol_error = NULL,
    .close = mem_close,
};

struct th_mem *th_mem_new(void)
{
    struct th_mem *m = calloc(1, sizeof(*m));
    ck_assert_ptr_nonnull(m);
    m->base.ops = &mem_ops;
    return m;
}

void th_mem_feed(struct th_mem *m, const void *data, size_t len)
{
    ck_assert_int_eq(xs_buf_append(&m->in, data, len), 0);
}

void th_mem_feed_msg(struct th_mem *m, uint32_t type, uint32_t req_id, uint32_t tx,
                     const void *payload, size_t len)
{
    struct xsd_sockmsg h = { .type = type, .req_id = req_id, .tx_id = tx, .len = (uint32_t)len };
    th_mem_feed(m, &h, sizeof(h));
    th_mem_feed(m, payload, len);
}
