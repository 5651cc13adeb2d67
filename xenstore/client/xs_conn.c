/*
 * Finding and opening the daemon: a Unix socket, or the xenbus device
 * (same byte protocol, served by the kernel in a domain without a local
 * xenstored).  The environment variables are the ones Debian's libxenstore
 * reads, so scripts that point one at a test daemon point both.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "xs_internal.h"

#define SVXS_DEFAULT_RUNDIR "/run/xenstored"

const char *svxs_socket_path(void)
{
    static char buf[PATH_MAX];
    const char *s = getenv("XENSTORED_PATH");

    if (s != NULL && s[0] != '\0')
        return s;
    s = getenv("XENSTORED_RUNDIR");
    if (s == NULL || s[0] == '\0')
        s = SVXS_DEFAULT_RUNDIR;
    if ((size_t)snprintf(buf, sizeof(buf), "%s/socket", s) >= sizeof(buf))
        return SVXS_DEFAULT_RUNDIR "/socket";
    return buf;
}

const char *svxs_device_path(void)
{
    const char *s = getenv("XENSTORED_PATH");

    if (s != NULL && s[0] != '\0')
        return s;
    if (access("/dev/xen/xenbus", F_OK) == 0)
        return "/dev/xen/xenbus";
    return "/proc/xen/xenbus";      /* older kernels */
}

static int connect_unix(const char *path)
{
    struct sockaddr_un addr;
    int fd, saved;

    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(addr.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(addr.sun_path, path, strlen(path) + 1);

    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    /* Tools run scripts and helpers; they must not inherit the daemon. */
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
        connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

struct svxs_handle *svxs_open_fd(int fd)
{
    struct svxs_handle *h;
    struct stat st;

    if (fd < 0) {
        errno = EBADF;
        return NULL;
    }
    h = calloc(1, sizeof(*h));
    if (h == NULL)
        return NULL;
    h->fd = fd;
    h->is_socket = fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
    h->next_req_id = 1;     /* 0 is what the daemon uses for events */
    h->reply_timeout_ms = -1;
    return h;
}

struct svxs_handle *svxs_open_path(const char *path)
{
    struct svxs_handle *h;
    struct stat st;
    int fd, saved;

    if (stat(path, &st) != 0)
        return NULL;
    if (S_ISSOCK(st.st_mode))
        fd = connect_unix(path);
    else
        fd = open(path, O_RDWR | O_CLOEXEC);  /* requests are writes */
    if (fd < 0)
        return NULL;
    h = svxs_open_fd(fd);
    if (h == NULL) {
        saved = errno;
        close(fd);
        errno = saved;
    }
    return h;
}

struct svxs_handle *svxs_open(unsigned int flags)
{
    struct svxs_handle *h = svxs_open_path(svxs_socket_path());

    if (h == NULL && !(flags & SVXS_OPEN_SOCKET_ONLY))
        h = svxs_open_path(svxs_device_path());
    return h;
}

void svxs_break(struct svxs_handle *h)
{
    if (h->fd >= 0) {
        close(h->fd);
        h->fd = -1;
    }
}

void svxs_close(struct svxs_handle *h)
{
    struct svxs_event *ev, *next;

    if (h == NULL)
        return;
    svxs_break(h);
    for (ev = h->ev_head; ev != NULL; ev = next) {
        next = ev->next;
        free(ev);
    }
    free(h);
}

int svxs_fileno(const struct svxs_handle *h)
{
    return h->fd;
}

void svxs_set_reply_timeout(struct svxs_handle *h, int ms)
{
    h->reply_timeout_ms = ms < 0 ? -1 : ms;
}
