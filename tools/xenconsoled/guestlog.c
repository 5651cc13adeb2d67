/*
 * The per-guest log: <log-dir>/guest-NAME.log, appended to, never
 * truncated by us (rotate with copytruncate or move + SIGHUP).
 */
#include "xenconsoled.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NAME_MAX_KEPT 64

void guestlog_filename(char *out, size_t out_len, const char *name, unsigned domid)
{
    char clean[NAME_MAX_KEPT + 1];
    size_t n = 0;

    for (const char *p = name; p && *p && n < NAME_MAX_KEPT; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                  c == '.' || c == '+';
        clean[n++] = ok ? c : '_';
    }
    clean[n] = '\0';
    /* No hidden files, no "." or "..": a leading dot becomes '_'. */
    if (n > 0 && clean[0] == '.')
        clean[0] = '_';

    if (n == 0)
        snprintf(out, out_len, "guest-%u.log", domid);
    else
        snprintf(out, out_len, "guest-%s.log", clean);
}

int guestlog_mkdir(const char *dir)
{
    char path[PATH_MAX];
    size_t len = strlen(dir);

    if (len == 0 || len >= sizeof(path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(path, dir, len + 1);
    for (char *p = path + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return -1;
            *p = c;
            if (c == '\0')
                break;
        }
    }
    struct stat st;
    if (stat(path, &st) < 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

int guestlog_open(const char *dir, const char *file)
{
    char path[PATH_MAX];

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    /* O_NOFOLLOW: a planted symlink does not redirect root's appends. */
    return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
}

int write_all(int fd, const char *data, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, data, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (w == 0) {
            errno = EIO;
            return -1;
        }
        data += w;
        n -= (size_t)w;
    }
    return 0;
}
