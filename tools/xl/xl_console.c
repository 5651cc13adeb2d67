/*
 * xl console: attach this terminal to a domain's console, the pty that
 * xenconsoled made for it (its path in /local/domain/N/console/tty, read
 * when attaching: a restarted xenconsoled writes a new one).  Ctrl-]
 * detaches, as in Xen's xl.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "xl.h"

#define DETACH 0x1d                     /* Ctrl-] */

static char *console_tty(domid_t dom)
{
    char path[64];
    unsigned int len;

    snprintf(path, sizeof(path), "/local/domain/%u/console/tty", dom);
    /* Just after xl create, xenconsoled may not have made it yet. */
    for (int i = 0; i < 100; i++) {
        char *tty = xs_read(xl_xs(), XBT_NULL, path, &len);

        if (tty && tty[0] == '/')
            return tty;
        free(tty);
        nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
    }
    return NULL;
}

/* Copy n bytes out, all of them (a pty or a terminal may take them in parts). */
static int write_all(int fd, const char *buf, size_t n)
{
    while (n) {
        ssize_t w = write(fd, buf, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

int main_console(int argc, char **argv)
{
    struct termios saved, raw;
    bool tty_in;
    domid_t dom;
    char buf[4096];

    if (xl_help_requested(argc, argv))
        return 0;
    if (argc != 2) {
        xl_usage("console", stderr);
        return 1;
    }
    if (xl_find_domain(argv[1], &dom))
        return 1;
    if (dom == 0)
        return xl_fail("Domain-0's console is the hypervisor's serial line");
    if (!xl_xs())
        return xl_fail("cannot reach xenstored: %s", strerror(errno));
    char *tty = console_tty(dom);
    if (!tty)
        return xl_fail("domain %u has no console (is xenconsoled running?)", dom);
    int fd = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;

        free(tty);
        return xl_fail("cannot open domain %u's console: %s", dom, strerror(e));
    }
    free(tty);
    tty_in = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (tty_in) {
        raw = saved;
        cfmakeraw(&raw);
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    }
    struct pollfd p[2] = { { STDIN_FILENO, POLLIN, 0 }, { fd, POLLIN, 0 } };
    int rc = 0;
    for (bool done = false; !done;) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(fd, buf, sizeof(buf));

            if (n <= 0)
                break;                  /* xenconsoled closed it: the domain is gone */
            if (write_all(STDOUT_FILENO, buf, (size_t)n))
                break;
        }
        if (p[0].revents & (POLLIN | POLLHUP)) {
            ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

            if (n <= 0) {
                p[0].fd = -1;           /* input ended: keep showing output */
                continue;
            }
            char *d = memchr(buf, DETACH, (size_t)n);
            if (d) {
                n = d - buf;
                done = true;
            }
            if (n > 0 && write_all(fd, buf, (size_t)n))
                break;
        }
    }
    if (tty_in)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    close(fd);
    return rc;
}
