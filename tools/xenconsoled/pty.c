/*
 * A pty pair for one console: the master is ours (non-blocking), the slave
 * is raw (cfmakeraw on its termios, as Xen's xenconsoled does) and stays
 * open in the daemon so that the master does not hang up while no console
 * client is attached.
 */
#define _GNU_SOURCE
#include "xenconsoled.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int pty_open(int *master, int *slave, char *name, size_t name_len)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    int s = -1;
    struct termios t;
    int err;

    if (m < 0)
        return -1;
    if (grantpt(m) < 0 || unlockpt(m) < 0)
        goto fail;
    if (ptsname_r(m, name, name_len) != 0)
        goto fail;
    s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s < 0)
        goto fail;
    if (tcgetattr(s, &t) < 0)
        goto fail;
    cfmakeraw(&t);
    if (tcsetattr(s, TCSANOW, &t) < 0)
        goto fail;
    int fl = fcntl(m, F_GETFL);
    if (fl < 0 || fcntl(m, F_SETFL, fl | O_NONBLOCK) < 0)
        goto fail;
    *master = m;
    *slave = s;
    return 0;

fail:
    err = errno;
    if (s >= 0)
        close(s);
    close(m);
    errno = err;
    return -1;
}
