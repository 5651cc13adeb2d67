/*
 * The wire: one request out, messages in until its reply comes back.
 *
 * The daemon is not trusted.  A header announcing more than
 * XENSTORE_PAYLOAD_MAX bytes, a reply with someone else's req_id or the
 * wrong type, or a stream that ends mid-message all mean we no longer know
 * where messages start, so the connection is closed rather than guessed at.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "xs_internal.h"

/* Milliseconds left until DEADLINE, or -1 for "no deadline". */
static int ms_left(const struct timespec *deadline)
{
    struct timespec now;
    long long ms;

    if (deadline == NULL)
        return -1;
    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000 +
         (deadline->tv_nsec - now.tv_nsec) / 1000000;
    return ms < 0 ? 0 : (ms > 0x7fffffff ? 0x7fffffff : (int)ms);
}

/*
 * Fill BUF with exactly LEN bytes.  Returns LEN, or fewer with errno set:
 * ETIMEDOUT, ECONNRESET when the daemon hung up, or the read()'s error.
 */
static size_t read_exact(int fd, void *buf, size_t len,
                         const struct timespec *deadline)
{
    size_t done = 0;

    while (done < len) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int r = poll(&pfd, 1, ms_left(deadline));
        ssize_t n;

        if (r < 0) {
            if (errno == EINTR)
                continue;
            return done;
        }
        if (r == 0) {
            errno = ETIMEDOUT;
            return done;
        }
        n = read(fd, (char *)buf + done, len - done);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return done;
        }
        if (n == 0) {
            errno = ECONNRESET;
            return done;
        }
        done += (size_t)n;
    }
    return done;
}

static int write_all(struct svxs_handle *h, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        /* MSG_NOSIGNAL: a dead daemon is an error return, not SIGPIPE. */
        ssize_t n = h->is_socket ? send(h->fd, p, len, MSG_NOSIGNAL)
                                 : write(h->fd, p, len);
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

int svxs_read_msg(struct svxs_handle *h, int timeout_ms,
                  struct xsd_sockmsg *hdr, char **body)
{
    struct timespec deadline, *dl = NULL;
    size_t got;
    char *b;
    int saved;

    if (h->fd < 0) {
        errno = ENOTCONN;
        return -1;
    }
    if (timeout_ms >= 0) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += timeout_ms / 1000;
        deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
        if (deadline.tv_nsec >= 1000000000) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000;
        }
        dl = &deadline;
    }

    got = read_exact(h->fd, hdr, sizeof(*hdr), dl);
    if (got != sizeof(*hdr)) {
        /* Nothing read and out of time: the stream is still in step. */
        if (!(got == 0 && errno == ETIMEDOUT)) {
            saved = errno;
            svxs_break(h);
            errno = saved;
        }
        return -1;
    }
    if (hdr->len > XENSTORE_PAYLOAD_MAX) {
        svxs_break(h);
        errno = EPROTO;
        return -1;
    }
    b = malloc((size_t)hdr->len + 1);
    if (b == NULL) {
        svxs_break(h);      /* the body is still in the pipe: out of step */
        errno = ENOMEM;
        return -1;
    }
    /* The rest of a message is due now; a half message never resyncs. */
    if (read_exact(h->fd, b, hdr->len, dl) != hdr->len) {
        saved = errno;
        free(b);
        svxs_break(h);
        errno = saved;
        return -1;
    }
    b[hdr->len] = '\0';     /* every body can be read as a string */
    *body = b;
    return 0;
}

int svxs_talk(struct svxs_handle *h, svxs_tx_t tx, uint32_t type,
              const struct svxs_part *parts, unsigned int nparts,
              char **reply, size_t *reply_len)
{
    char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
    struct xsd_sockmsg msg = { .type = type, .tx_id = tx };
    size_t total = 0;
    unsigned int i;

    if (h->fd < 0) {
        errno = ENOTCONN;
        return -1;
    }
    for (i = 0; i < nparts; i++) {
        if (parts[i].len > XENSTORE_PAYLOAD_MAX - total) {
            errno = E2BIG;      /* the daemon would drop us for it */
            return -1;
        }
        total += parts[i].len;
    }

    msg.req_id = h->next_req_id++;
    if (h->next_req_id == 0)
        h->next_req_id = 1;
    msg.len = (uint32_t)total;

    /* One write per message: the xenbus device wants whole messages. */
    memcpy(buf, &msg, sizeof(msg));
    total = sizeof(msg);
    for (i = 0; i < nparts; i++) {
        if (parts[i].len > 0)
            memcpy(buf + total, parts[i].data, parts[i].len);
        total += parts[i].len;
    }
    if (write_all(h, buf, total) < 0) {
        int saved = errno;
        svxs_break(h);
        errno = saved;
        return -1;
    }

    for (;;) {
        struct xsd_sockmsg hdr;
        char *body;

        if (svxs_read_msg(h, h->reply_timeout_ms, &hdr, &body) < 0) {
            int saved = errno;
            svxs_break(h);      /* a reply may still come: out of step */
            errno = saved;
            return -1;
        }
        if (hdr.type == XS_WATCH_EVENT) {
            svxs_queue_event(h, body, hdr.len);
            continue;
        }
        if (hdr.req_id != msg.req_id ||
            (hdr.type != type && hdr.type != XS_ERROR)) {
            free(body);
            svxs_break(h);
            errno = EPROTO;
            return -1;
        }
        if (hdr.type == XS_ERROR) {
            int err = svxs_errno_from_name(body);
            free(body);
            errno = err;
            return -1;
        }
        if (reply_len != NULL)
            *reply_len = hdr.len;
        if (reply != NULL)
            *reply = body;
        else
            free(body);
        return 0;
    }
}

int svxs_talk_str(struct svxs_handle *h, svxs_tx_t tx, uint32_t type,
                  const char *arg, char **reply, size_t *reply_len)
{
    struct svxs_part part = { arg, strlen(arg) + 1 };

    return svxs_talk(h, tx, type, &part, 1, reply, reply_len);
}

int svxs_request(struct svxs_handle *h, svxs_tx_t tx, uint32_t type,
                 const void *payload, size_t len,
                 char **reply, size_t *reply_len)
{
    struct svxs_part part = { payload, len };

    if (type == XS_WATCH_EVENT || type == XS_ERROR) {
        errno = EINVAL;     /* daemon-to-client types: no reply would match */
        return -1;
    }
    return svxs_talk(h, tx, type, &part, 1, reply, reply_len);
}

char **svxs_split_strings(const char *strings, size_t len, unsigned int *num)
{
    size_t i, n = 0;
    char **vec, *copy, *p;

    if (len > 0 && strings[len - 1] != '\0') {
        errno = EPROTO;     /* the last string would run off the end */
        return NULL;
    }
    for (i = 0; i < len; i++)
        if (strings[i] == '\0')
            n++;

    vec = malloc((n + 1) * sizeof(char *) + len + 1);
    if (vec == NULL)
        return NULL;
    copy = (char *)&vec[n + 1];
    if (len > 0)
        memcpy(copy, strings, len);
    copy[len] = '\0';
    for (i = 0, p = copy; i < n; i++, p += strlen(p) + 1)
        vec[i] = p;
    vec[n] = NULL;          /* handy for loops; not counted in *num */
    *num = (unsigned int)n;
    return vec;
}
