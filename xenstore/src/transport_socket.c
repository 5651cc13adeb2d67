/* See transport.h: the Unix socket server and socket transport. */
#include "transport.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

struct sock_transport {
    struct xs_transport base;
    int fd;
    short revents;
};

static int mkdir_p(char *dir)
{
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
            *p = '/';
            return errno;
        }
        *p = '/';
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return errno;
    return 0;
}

int socket_listen(const char *path, char *err, size_t errlen)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(addr.sun_path)) {
        snprintf(err, errlen, "socket path %s is too long (max %zu bytes)", path,
                 sizeof(addr.sun_path) - 1);
        return -1;
    }
    strcpy(addr.sun_path, path);

    char dir[sizeof(addr.sun_path)];
    strcpy(dir, path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        int e = mkdir_p(dir);
        if (e) {
            snprintf(err, errlen, "cannot create directory %s: %s", dir, strerror(e));
            return -1;
        }
    }

    struct stat stb;
    if (lstat(path, &stb) == 0) {
        if (!S_ISSOCK(stb.st_mode)) {
            snprintf(err, errlen, "%s exists and is not a socket; not touching it", path);
            return -1;
        }
        /* A socket file: live if someone accepts on it, stale otherwise. */
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (probe >= 0 && connect(probe, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
            close(probe);
            snprintf(err, errlen, "%s: another xenstored is already listening", path);
            return -1;
        }
        if (probe >= 0)
            close(probe);
        if (unlink(path) != 0 && errno != ENOENT) {
            snprintf(err, errlen, "cannot remove stale socket %s: %s", path, strerror(errno));
            return -1;
        }
    }

    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        return -1;
    }
    /* Only root (dom0's toolstack) may talk to the store. */
    mode_t old = umask(0077);
    int rc = bind(fd, (struct sockaddr *)&addr, sizeof(addr));
    umask(old);
    if (rc != 0 || listen(fd, 64) != 0) {
        snprintf(err, errlen, "cannot listen on %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static ssize_t sock_read(struct xs_transport *t, void *buf, size_t len)
{
    struct sock_transport *s = (struct sock_transport *)t;
    for (;;) {
        ssize_t n = read(s->fd, buf, len);
        if (n > 0)
            return n;
        if (n == 0)
            return len ? -1 : 0;   /* EOF: the client went away */
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            s->revents &= ~POLLIN;
            return 0;
        }
        return -1;
    }
}

static ssize_t sock_write(struct xs_transport *t, const void *buf, size_t len)
{
    struct sock_transport *s = (struct sock_transport *)t;
    for (;;) {
        /* MSG_NOSIGNAL: a client that hung up must not SIGPIPE us. */
        ssize_t n = send(s->fd, buf, len, MSG_NOSIGNAL);
        if (n >= 0)
            return n;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            s->revents &= ~POLLOUT;
            return 0;
        }
        return -1;
    }
}

static bool sock_can_read(struct xs_transport *t)
{
    return ((struct sock_transport *)t)->revents & (POLLIN | POLLHUP | POLLERR);
}

static bool sock_can_write(struct xs_transport *t)
{
    return ((struct sock_transport *)t)->revents & (POLLOUT | POLLERR);
}

static void sock_close(struct xs_transport *t)
{
    struct sock_transport *s = (struct sock_transport *)t;
    close(s->fd);
    free(s);
}

static const struct xs_transport_ops sock_ops = {
    .read = sock_read,
    .write = sock_write,
    .can_read = sock_can_read,
    .can_write = sock_can_write,
    .protocol_error = NULL,
    .close = sock_close,
};

struct xs_transport *socket_transport_new(int fd)
{
    struct sock_transport *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
        free(s);
        return NULL;
    }
    s->base.ops = &sock_ops;
    s->fd = fd;
    return &s->base;
}

int socket_transport_fd(const struct xs_transport *t)
{
    return ((const struct sock_transport *)t)->fd;
}

void socket_transport_set_revents(struct xs_transport *t, short revents)
{
    ((struct sock_transport *)t)->revents = revents;
}
