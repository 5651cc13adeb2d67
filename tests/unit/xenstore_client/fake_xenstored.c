/*
 * The fake daemon behind the xenstore client tests (see fake_xenstored.h).
 * One thread polls the listening socket and every client; state is a flat
 * list of nodes in creation order, which is also the order children are
 * listed in, like C xenstored.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fake_xenstored.h"

#define MAX_CLIENTS 16
#define MAX_PERMS 16
#define MAX_WATCHES 64
#define MAX_DENY 16
#define MAX_LOG 1024

struct node {
    char *path;
    char *value;
    size_t len;
    struct xs_permissions perms[MAX_PERMS];
    unsigned int nperms;
};

struct watch {
    int fd;
    char *path, *token;
};

struct deny {
    uint32_t type;
    char *path;
    const char *err;
};

struct fake_xsd {
    pthread_mutex_t lock;
    pthread_t thread;
    bool running;
    int listen_fd;
    int stop_pipe[2];
    int clients[MAX_CLIENTS];
    unsigned int nclients;
    char *sock_path;

    struct node *nodes;
    unsigned int nnodes;
    unsigned long generation;
    uint32_t next_tx;

    struct watch watches[MAX_WATCHES];
    unsigned int nwatches;
    struct deny denies[MAX_DENY];
    unsigned int ndenies;

    fake_hook_fn hook;
    void *hook_arg;
    size_t dir_limit, dir_chunk;
    unsigned int fail_commits;
    bool events_first;
    FILE *log;
    struct fake_req reqs[MAX_LOG];
    unsigned int nreqs;
};

static const char *const type_names[] = {
    [XS_CONTROL] = "CONTROL", [XS_DIRECTORY] = "DIRECTORY",
    [XS_READ] = "READ", [XS_GET_PERMS] = "GET_PERMS", [XS_WATCH] = "WATCH",
    [XS_UNWATCH] = "UNWATCH", [XS_TRANSACTION_START] = "TRANSACTION_START",
    [XS_TRANSACTION_END] = "TRANSACTION_END", [XS_INTRODUCE] = "INTRODUCE",
    [XS_RELEASE] = "RELEASE", [XS_GET_DOMAIN_PATH] = "GET_DOMAIN_PATH",
    [XS_WRITE] = "WRITE", [XS_MKDIR] = "MKDIR", [XS_RM] = "RM",
    [XS_SET_PERMS] = "SET_PERMS", [XS_WATCH_EVENT] = "WATCH_EVENT",
    [XS_ERROR] = "ERROR", [XS_DIRECTORY_PART] = "DIRECTORY_PART",
};

/* ---- wire helpers --------------------------------------------------- */

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int fake_send_raw(int fd, uint32_t type, uint32_t req_id, uint32_t tx_id,
                  uint32_t len, const void *body, size_t body_len)
{
    struct xsd_sockmsg hdr = { type, req_id, tx_id, len };
    char *buf = malloc(sizeof(hdr) + body_len);
    int r;

    if (buf == NULL)
        return -1;
    memcpy(buf, &hdr, sizeof(hdr));
    if (body_len > 0)
        memcpy(buf + sizeof(hdr), body, body_len);
    r = write_all(fd, buf, sizeof(hdr) + body_len);
    free(buf);
    return r;
}

static void reply(int fd, const struct xsd_sockmsg *req, uint32_t type,
                  const void *body, size_t len)
{
    fake_send_raw(fd, type, req->req_id, req->tx_id, (uint32_t)len, body, len);
}

static void reply_str(int fd, const struct xsd_sockmsg *req, const char *s)
{
    reply(fd, req, req->type, s, strlen(s) + 1);
}

static void reply_err(int fd, const struct xsd_sockmsg *req, const char *err)
{
    reply(fd, req, XS_ERROR, err, strlen(err) + 1);
}

static void send_event(int fd, const char *path, const char *token)
{
    size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
    char *buf = malloc(pl + tl);

    if (buf == NULL)
        return;
    memcpy(buf, path, pl);
    memcpy(buf + pl, token, tl);
    fake_send_raw(fd, XS_WATCH_EVENT, 0, 0, (uint32_t)(pl + tl), buf, pl + tl);
    free(buf);
}

/* ---- the tree --------------------------------------------------------- */

static struct node *find(struct fake_xsd *f, const char *path)
{
    unsigned int i;

    for (i = 0; i < f->nnodes; i++)
        if (strcmp(f->nodes[i].path, path) == 0)
            return &f->nodes[i];
    return NULL;
}

/* Roughly C xenstored's rules: absolute, no empty component, no "/" end. */
static bool valid_path(const char *path)
{
    size_t n = strlen(path);

    if (n == 0 || path[0] != '/' || n > XENSTORE_ABS_PATH_MAX)
        return false;
    if (n > 1 && path[n - 1] == '/')
        return false;
    return strstr(path, "//") == NULL;
}

static char *parent_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *p;

    if (slash == path)
        return strdup("/");
    p = strndup(path, (size_t)(slash - path));
    return p;
}

/* Index of PATH, creating it and its missing parents (who inherit perms). */
static int create(struct fake_xsd *f, const char *path)
{
    struct node *n = find(f, path);
    char *ppath;
    int parent;

    if (n != NULL)
        return (int)(n - f->nodes);
    ppath = parent_of(path);
    parent = create(f, ppath);      /* parents first: listing order */
    free(ppath);
    f->nodes = realloc(f->nodes, (f->nnodes + 1) * sizeof(*f->nodes));
    n = &f->nodes[f->nnodes];
    *n = f->nodes[parent];
    n->path = strdup(path);
    n->value = calloc(1, 1);
    n->len = 0;
    f->generation++;
    return (int)f->nnodes++;
}

static bool is_under(const char *path, const char *top)
{
    size_t n = strlen(top);

    if (strcmp(top, "/") == 0)
        return true;
    return strncmp(path, top, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static void remove_tree(struct fake_xsd *f, const char *top)
{
    unsigned int i = 0;
    char *t = strdup(top);

    while (i < f->nnodes) {
        if (is_under(f->nodes[i].path, t)) {
            free(f->nodes[i].path);
            free(f->nodes[i].value);
            memmove(&f->nodes[i], &f->nodes[i + 1],
                    (f->nnodes - i - 1) * sizeof(*f->nodes));
            f->nnodes--;
        } else {
            i++;
        }
    }
    free(t);
    f->generation++;
}

/* Children names of PATH as "a\0b\0" (malloc), in creation order. */
static char *children(struct fake_xsd *f, const char *path, size_t *len)
{
    size_t plen = strcmp(path, "/") == 0 ? 0 : strlen(path);
    char *out = malloc(1);
    unsigned int i;

    *len = 0;
    for (i = 0; i < f->nnodes; i++) {
        const char *p = f->nodes[i].path;
        size_t nl;

        if (strcmp(p, "/") == 0 || strncmp(p, path, plen) != 0 ||
            p[plen] != '/' || strchr(p + plen + 1, '/') != NULL)
            continue;
        nl = strlen(p + plen + 1) + 1;
        out = realloc(out, *len + nl + 1);
        memcpy(out + *len, p + plen + 1, nl);
        *len += nl;
    }
    return out;
}

static void fire(struct fake_xsd *f, const char *path, bool removal)
{
    unsigned int i;

    for (i = 0; i < f->nwatches; i++) {
        struct watch *w = &f->watches[i];

        if (is_under(path, w->path))
            send_event(w->fd, path, w->token);
        else if (removal && is_under(w->path, path))
            send_event(w->fd, w->path, w->token);
    }
}

static int parse_perms(const char *s, size_t len, struct xs_permissions *out,
                       unsigned int *num)
{
    const char *p = s, *end = s + len;

    *num = 0;
    while (p < end) {
        char *e;

        if (*num == MAX_PERMS)
            return -1;
        switch (*p) {
        case 'n': out[*num].perms = XS_PERM_NONE; break;
        case 'r': out[*num].perms = XS_PERM_READ; break;
        case 'w': out[*num].perms = XS_PERM_WRITE; break;
        case 'b': out[*num].perms = XS_PERM_READ | XS_PERM_WRITE; break;
        default: return -1;
        }
        out[*num].id = (unsigned int)strtoul(p + 1, &e, 10);
        if (e == p + 1 || (*e != '\0' && *e != ' '))
            return -1;
        (*num)++;
        p = e + 1;
    }
    return 0;
}

static void format_perms(const struct node *n, char *buf, size_t size,
                         char sep)
{
    static const char letters[] = "nrwb";
    size_t used = 0;
    unsigned int i;

    buf[0] = '\0';
    for (i = 0; i < n->nperms && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%c%u", letters[n->perms[i].perms & 3],
                         n->perms[i].id);
        if (w < 0 || (size_t)w + 1 >= size - used)
            break;
        used += (size_t)w;
        buf[used++] = sep;
        buf[used] = '\0';
    }
    if (sep == ' ' && used > 0)
        buf[--used] = '\0';
}

/* ---- requests --------------------------------------------------------- */

static const char *denied(struct fake_xsd *f, uint32_t type, const char *path)
{
    unsigned int i;

    for (i = 0; i < f->ndenies; i++)
        if (f->denies[i].type == type && strcmp(f->denies[i].path, path) == 0)
            return f->denies[i].err;
    return NULL;
}

static void log_request(struct fake_xsd *f, const struct xsd_sockmsg *hdr,
                        const char *body)
{
    if (f->nreqs < MAX_LOG) {
        struct fake_req *r = &f->reqs[f->nreqs++];
        r->hdr = *hdr;
        r->body = malloc(hdr->len + 1);
        memcpy(r->body, body, hdr->len + 1);
    }
    if (f->log != NULL) {
        uint32_t i;
        const char *name = hdr->type < sizeof(type_names) / sizeof(type_names[0]) &&
                           type_names[hdr->type] ? type_names[hdr->type] : "?";

        /* req_id is left out: libxenstore always sends 0, we count. */
        fprintf(f->log, "%s tx=%u ", name, hdr->tx_id);
        for (i = 0; i < hdr->len; i++) {
            unsigned char c = (unsigned char)body[i];
            if (c == '\0')
                fputc('|', f->log);
            else if (c >= ' ' && c <= '~' && c != '\\' && c != '|')
                fputc(c, f->log);
            else
                fprintf(f->log, "\\x%02x", c);
        }
        fputc('\n', f->log);
        fflush(f->log);
    }
}

static void handle(struct fake_xsd *f, int fd, const struct xsd_sockmsg *hdr,
                   const char *body)
{
    size_t len = hdr->len, arglen = strnlen(body, len);
    const char *path = body, *err;
    char buf[XENSTORE_PAYLOAD_MAX + 64];
    struct node *n;
    unsigned int i;

    log_request(f, hdr, body);
    if (f->hook != NULL && f->hook(f, fd, hdr, body, f->hook_arg))
        return;

    switch (hdr->type) {
    case XS_TRANSACTION_START:
        snprintf(buf, sizeof(buf), "%u", f->next_tx++);
        reply_str(fd, hdr, buf);
        return;
    case XS_TRANSACTION_END:
        if (strcmp(body, "T") == 0 && f->fail_commits > 0) {
            f->fail_commits--;
            reply_err(fd, hdr, "EAGAIN");
        } else {
            reply_str(fd, hdr, "OK");
        }
        return;
    case XS_GET_DOMAIN_PATH:
        snprintf(buf, sizeof(buf), "/local/domain/%s", body);
        reply_str(fd, hdr, buf);
        return;
    case XS_WATCH:
    case XS_UNWATCH: {
        const char *token = body + arglen + 1;

        if (arglen + 1 >= len || strnlen(token, len - arglen - 1) == len - arglen - 1) {
            reply_err(fd, hdr, "EINVAL");
            return;
        }
        if (hdr->type == XS_WATCH) {
            err = denied(f, XS_WATCH, path);
            if (err != NULL) {
                reply_err(fd, hdr, err);
                return;
            }
            if (f->nwatches == MAX_WATCHES) {
                reply_err(fd, hdr, "ENOSPC");
                return;
            }
            f->watches[f->nwatches].fd = fd;
            f->watches[f->nwatches].path = strdup(path);
            f->watches[f->nwatches].token = strdup(token);
            f->nwatches++;
            /* The daemon fires once up front; order is configurable. */
            if (f->events_first)
                send_event(fd, path, token);
            reply_str(fd, hdr, "OK");
            if (!f->events_first)
                send_event(fd, path, token);
            return;
        }
        for (i = 0; i < f->nwatches; i++) {
            struct watch *w = &f->watches[i];
            if (w->fd == fd && strcmp(w->path, path) == 0 &&
                strcmp(w->token, token) == 0) {
                free(w->path);
                free(w->token);
                *w = f->watches[--f->nwatches];
                reply_str(fd, hdr, "OK");
                return;
            }
        }
        reply_err(fd, hdr, "ENOENT");
        return;
    }
    default:
        break;
    }

    /* Everything below takes a path first. */
    if (arglen == len || !valid_path(path)) {
        reply_err(fd, hdr, "EINVAL");
        return;
    }
    err = denied(f, hdr->type, path);
    if (err != NULL) {
        reply_err(fd, hdr, err);
        return;
    }
    n = find(f, path);

    switch (hdr->type) {
    case XS_READ:
        if (n == NULL)
            reply_err(fd, hdr, "ENOENT");
        else
            reply(fd, hdr, XS_READ, n->value, n->len);
        return;
    case XS_WRITE: {
        int idx = create(f, path);
        n = &f->nodes[idx];
        free(n->value);
        n->len = len - arglen - 1;
        n->value = malloc(n->len + 1);
        memcpy(n->value, body + arglen + 1, n->len);
        n->value[n->len] = '\0';
        f->generation++;
        reply_str(fd, hdr, "OK");
        fire(f, path, false);
        return;
    }
    case XS_MKDIR:
        if (n == NULL)
            create(f, path);
        reply_str(fd, hdr, "OK");
        if (n == NULL)
            fire(f, path, false);
        return;
    case XS_RM: {
        char *parent;
        if (strcmp(path, "/") == 0) {
            reply_err(fd, hdr, "EINVAL");
            return;
        }
        if (n == NULL) {
            parent = parent_of(path);
            /* Like C xenstored: gone already is fine if the parent is there. */
            if (find(f, parent) != NULL)
                reply_str(fd, hdr, "OK");
            else
                reply_err(fd, hdr, "ENOENT");
            free(parent);
            return;
        }
        remove_tree(f, path);
        reply_str(fd, hdr, "OK");
        fire(f, path, true);
        return;
    }
    case XS_DIRECTORY: {
        size_t clen;
        char *c;
        if (n == NULL) {
            reply_err(fd, hdr, "ENOENT");
            return;
        }
        c = children(f, path, &clen);
        if (clen > f->dir_limit)
            reply_err(fd, hdr, "E2BIG");
        else
            reply(fd, hdr, XS_DIRECTORY, c, clen);
        free(c);
        return;
    }
    case XS_DIRECTORY_PART: {
        size_t clen, off, used, glen;
        char *c;
        if (n == NULL) {
            reply_err(fd, hdr, "ENOENT");
            return;
        }
        off = strtoul(body + arglen + 1, NULL, 10);
        c = children(f, path, &clen);
        glen = (size_t)snprintf(buf, sizeof(buf), "%lu", f->generation) + 1;
        used = glen;
        /* Whole names from OFF while they fit in a chunk. */
        while (off < clen) {
            size_t nl = strlen(c + off) + 1;
            if (used - glen + nl > f->dir_chunk && used > glen)
                break;
            memcpy(buf + used, c + off, nl);
            used += nl;
            off += nl;
        }
        if (off >= clen)
            buf[used++] = '\0';     /* the empty name that ends the list */
        reply(fd, hdr, XS_DIRECTORY_PART, buf, used);
        free(c);
        return;
    }
    case XS_GET_PERMS: {
        size_t used;
        if (n == NULL) {
            reply_err(fd, hdr, "ENOENT");
            return;
        }
        format_perms(n, buf, sizeof(buf), '\0');
        for (used = 0, i = 0; i < n->nperms; i++)
            used += strlen(buf + used) + 1;
        reply(fd, hdr, XS_GET_PERMS, buf, used);
        return;
    }
    case XS_SET_PERMS: {
        struct xs_permissions p[MAX_PERMS];
        unsigned int np;
        if (n == NULL) {
            reply_err(fd, hdr, "ENOENT");
            return;
        }
        if (parse_perms(body + arglen + 1, len - arglen - 1, p, &np) < 0 ||
            np == 0) {
            reply_err(fd, hdr, "EINVAL");
            return;
        }
        memcpy(n->perms, p, sizeof(p));
        n->nperms = np;
        f->generation++;
        reply_str(fd, hdr, "OK");
        fire(f, path, false);
        return;
    }
    default:
        reply_err(fd, hdr, "EINVAL");
        return;
    }
}

/* ---- the serving loop -------------------------------------------------- */

static bool read_exact(int fd, void *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = read(fd, (char *)buf + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += (size_t)n;
    }
    return true;
}

static void drop_client(struct fake_xsd *f, unsigned int idx)
{
    int fd = f->clients[idx];
    unsigned int i = 0;

    while (i < f->nwatches) {
        if (f->watches[i].fd == fd) {
            free(f->watches[i].path);
            free(f->watches[i].token);
            f->watches[i] = f->watches[--f->nwatches];
        } else {
            i++;
        }
    }
    close(fd);
    f->clients[idx] = f->clients[--f->nclients];
}

/* One message from client IDX; false when it went away or misbehaved. */
static bool serve_one(struct fake_xsd *f, unsigned int idx)
{
    struct xsd_sockmsg hdr;
    char *body;
    int fd = f->clients[idx];

    if (!read_exact(fd, &hdr, sizeof(hdr)) || hdr.len > XENSTORE_PAYLOAD_MAX)
        return false;
    body = malloc(hdr.len + 1);
    if (!read_exact(fd, body, hdr.len)) {
        free(body);
        return false;
    }
    body[hdr.len] = '\0';
    pthread_mutex_lock(&f->lock);
    handle(f, fd, &hdr, body);
    pthread_mutex_unlock(&f->lock);
    free(body);
    return true;
}

static void *serve(void *arg)
{
    struct fake_xsd *f = arg;

    for (;;) {
        struct pollfd pfd[MAX_CLIENTS + 2];
        unsigned int n = 0, i, nc = f->nclients;

        pfd[n++] = (struct pollfd){ .fd = f->stop_pipe[0], .events = POLLIN };
        pfd[n++] = (struct pollfd){ .fd = f->listen_fd, .events = POLLIN };
        for (i = 0; i < nc; i++)
            pfd[n++] = (struct pollfd){ .fd = f->clients[i], .events = POLLIN };
        if (poll(pfd, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (pfd[0].revents)
            break;
        if (f->listen_fd >= 0 && (pfd[1].revents & POLLIN)) {
            int c = accept(f->listen_fd, NULL, NULL);
            pthread_mutex_lock(&f->lock);
            if (c >= 0 && f->nclients < MAX_CLIENTS)
                f->clients[f->nclients++] = c;
            else if (c >= 0)
                close(c);
            pthread_mutex_unlock(&f->lock);
        }
        for (i = nc; i-- > 0;)
            if (pfd[2 + i].revents && !serve_one(f, i)) {
                pthread_mutex_lock(&f->lock);
                drop_client(f, i);
                pthread_mutex_unlock(&f->lock);
            }
    }
    return NULL;
}

/*
 * Listen at PATH.  The socket is bound under a temporary name and renamed
 * into place once listening, so a client that sees PATH can connect.
 */
static int listen_on(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    char tmp[sizeof(addr.sun_path)];
    int fd;

    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", path) >= sizeof(tmp))
        return -1;
    strcpy(addr.sun_path, tmp);
    unlink(tmp);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        listen(fd, 8) < 0 || rename(tmp, path) < 0) {
        close(fd);
        unlink(tmp);
        return -1;
    }
    return fd;
}

struct fake_xsd *fake_xsd_new(void)
{
    struct fake_xsd *f = calloc(1, sizeof(*f));

    pthread_mutex_init(&f->lock, NULL);
    f->listen_fd = -1;
    f->stop_pipe[0] = f->stop_pipe[1] = -1;
    f->next_tx = 1;
    f->dir_limit = XENSTORE_PAYLOAD_MAX;
    f->dir_chunk = XENSTORE_PAYLOAD_MAX - 32;
    f->nodes = calloc(1, sizeof(*f->nodes));
    f->nodes[0].path = strdup("/");
    f->nodes[0].value = calloc(1, 1);
    f->nodes[0].nperms = 1;     /* n0: owned by dom0, private */
    f->nnodes = 1;
    return f;
}

static int start(struct fake_xsd *f)
{
    if (pipe(f->stop_pipe) < 0)
        return -1;
    if (pthread_create(&f->thread, NULL, serve, f) != 0)
        return -1;
    f->running = true;
    return 0;
}

int fake_xsd_start_socket(struct fake_xsd *f, const char *path)
{
    f->listen_fd = listen_on(path);
    if (f->listen_fd < 0)
        return -1;
    f->sock_path = strdup(path);
    return start(f);
}

int fake_xsd_start_fd(struct fake_xsd *f, int fd)
{
    f->clients[f->nclients++] = fd;
    return start(f);
}

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

int fake_xsd_run_socket(struct fake_xsd *f, const char *path)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    f->listen_fd = listen_on(path);
    if (f->listen_fd < 0 || pipe(f->stop_pipe) < 0)
        return -1;
    f->sock_path = strdup(path);
    /* The handler interrupts poll(); turn that into the stop signal. */
    while (!stop_requested) {
        struct pollfd pfd[MAX_CLIENTS + 1];
        unsigned int n = 0, i, nc = f->nclients;

        pfd[n++] = (struct pollfd){ .fd = f->listen_fd, .events = POLLIN };
        for (i = 0; i < nc; i++)
            pfd[n++] = (struct pollfd){ .fd = f->clients[i], .events = POLLIN };
        if (poll(pfd, n, -1) < 0)
            continue;
        if (pfd[0].revents & POLLIN) {
            int c = accept(f->listen_fd, NULL, NULL);
            if (c >= 0 && f->nclients < MAX_CLIENTS)
                f->clients[f->nclients++] = c;
            else if (c >= 0)
                close(c);
        }
        for (i = nc; i-- > 0;)
            if (pfd[1 + i].revents && !serve_one(f, i))
                drop_client(f, i);
    }
    unlink(path);
    return 0;
}

void fake_xsd_stop(struct fake_xsd *f)
{
    if (f->running) {
        if (write(f->stop_pipe[1], "x", 1) < 0)
            perror("fake_xsd_stop");
        pthread_join(f->thread, NULL);
        f->running = false;
    }
    while (f->nclients > 0)
        drop_client(f, f->nclients - 1);
    if (f->listen_fd >= 0) {
        close(f->listen_fd);
        f->listen_fd = -1;
    }
    if (f->sock_path != NULL) {
        unlink(f->sock_path);
        free(f->sock_path);
        f->sock_path = NULL;
    }
}

void fake_xsd_free(struct fake_xsd *f)
{
    unsigned int i;

    fake_xsd_stop(f);
    for (i = 0; i < f->nnodes; i++) {
        free(f->nodes[i].path);
        free(f->nodes[i].value);
    }
    free(f->nodes);
    for (i = 0; i < f->ndenies; i++)
        free(f->denies[i].path);
    for (i = 0; i < f->nreqs; i++)
        free(f->reqs[i].body);
    if (f->stop_pipe[0] >= 0) {
        close(f->stop_pipe[0]);
        close(f->stop_pipe[1]);
    }
    if (f->log != NULL)
        fclose(f->log);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

/* ---- knobs and seeding ------------------------------------------------- */

void fake_xsd_lock(struct fake_xsd *f) { pthread_mutex_lock(&f->lock); }
void fake_xsd_unlock(struct fake_xsd *f) { pthread_mutex_unlock(&f->lock); }

void fake_xsd_set_hook(struct fake_xsd *f, fake_hook_fn fn, void *arg)
{
    fake_xsd_lock(f);
    f->hook = fn;
    f->hook_arg = arg;
    fake_xsd_unlock(f);
}

void fake_xsd_set_dir_limits(struct fake_xsd *f, size_t limit, size_t chunk)
{
    fake_xsd_lock(f);
    f->dir_limit = limit;
    f->dir_chunk = chunk;
    fake_xsd_unlock(f);
}

void fake_xsd_fail_commits(struct fake_xsd *f, unsigned int n)
{
    fake_xsd_lock(f);
    f->fail_commits = n;
    fake_xsd_unlock(f);
}

void fake_xsd_events_first(struct fake_xsd *f, bool on)
{
    fake_xsd_lock(f);
    f->events_first = on;
    fake_xsd_unlock(f);
}

int fake_xsd_log_to(struct fake_xsd *f, const char *path)
{
    f->log = fopen(path, "a");
    return f->log != NULL ? 0 : -1;
}

int fake_xsd_write_bin(struct fake_xsd *f, const char *path, const void *v,
                       size_t len)
{
    struct node *n;
    int idx;

    if (!valid_path(path))
        return -1;
    fake_xsd_lock(f);
    idx = create(f, path);      /* may move f->nodes: index first */
    n = &f->nodes[idx];
    free(n->value);
    n->value = malloc(len + 1);
    memcpy(n->value, v, len);
    n->value[len] = '\0';
    n->len = len;
    f->generation++;
    fake_xsd_unlock(f);
    return 0;
}

int fake_xsd_write(struct fake_xsd *f, const char *path, const char *value)
{
    return fake_xsd_write_bin(f, path, value, strlen(value));
}

int fake_xsd_set_perms(struct fake_xsd *f, const char *path, const char *perms)
{
    struct xs_permissions p[MAX_PERMS];
    unsigned int np;
    struct node *n;
    int r = -1;

    fake_xsd_lock(f);
    n = find(f, path);
    if (n != NULL && parse_perms(perms, strlen(perms), p, &np) == 0 && np > 0) {
        memcpy(n->perms, p, sizeof(p));
        n->nperms = np;
        r = 0;
    }
    fake_xsd_unlock(f);
    return r;
}

int fake_xsd_read(struct fake_xsd *f, const char *path, char *buf, size_t size)
{
    struct node *n;
    int r = -1;

    fake_xsd_lock(f);
    n = find(f, path);
    if (n != NULL && size > 0) {
        size_t l = n->len < size - 1 ? n->len : size - 1;
        memcpy(buf, n->value, l);
        buf[l] = '\0';
        r = (int)n->len;
    }
    fake_xsd_unlock(f);
    return r;
}

bool fake_xsd_exists(struct fake_xsd *f, const char *path)
{
    bool r;

    fake_xsd_lock(f);
    r = find(f, path) != NULL;
    fake_xsd_unlock(f);
    return r;
}

int fake_xsd_get_perms(struct fake_xsd *f, const char *path, char *buf,
                       size_t size)
{
    struct node *n;
    int r = -1;

    fake_xsd_lock(f);
    n = find(f, path);
    if (n != NULL) {
        format_perms(n, buf, size, ' ');
        r = 0;
    }
    fake_xsd_unlock(f);
    return r;
}

void fake_xsd_deny(struct fake_xsd *f, uint32_t type, const char *path,
                   const char *err)
{
    fake_xsd_lock(f);
    if (f->ndenies < MAX_DENY) {
        f->denies[f->ndenies].type = type;
        f->denies[f->ndenies].path = strdup(path);
        f->denies[f->ndenies].err = err;
        f->ndenies++;
    }
    fake_xsd_unlock(f);
}

unsigned int fake_xsd_requests(struct fake_xsd *f, struct fake_req **reqs)
{
    unsigned int i, n;

    fake_xsd_lock(f);
    n = f->nreqs;
    *reqs = calloc(n + 1, sizeof(**reqs));
    for (i = 0; i < n; i++) {
        (*reqs)[i].hdr = f->reqs[i].hdr;
        (*reqs)[i].body = malloc(f->reqs[i].hdr.len + 1);
        memcpy((*reqs)[i].body, f->reqs[i].body, f->reqs[i].hdr.len + 1);
    }
    fake_xsd_unlock(f);
    return n;
}

void fake_reqs_free(struct fake_req *reqs, unsigned int n)
{
    unsigned int i;

    for (i = 0; i < n; i++)
        free(reqs[i].body);
    free(reqs);
}

void fake_xsd_fire(struct fake_xsd *f, const char *path, const char *token)
{
    unsigned int i;

    fake_xsd_lock(f);
    for (i = 0; i < f->nclients; i++)
        send_event(f->clients[i], path, token);
    fake_xsd_unlock(f);
}
