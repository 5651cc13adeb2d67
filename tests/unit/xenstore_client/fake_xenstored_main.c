/*
 * The fake daemon as a program, so Debian's xenstore-* tools and ours can
 * be run against the same tree and their output and requests compared
 * (xenstore/tools/compare-debian.sh):
 *
 *   fake-xenstored --socket PATH [--log FILE] [--dir-limit N --dir-chunk N]
 *                  [--deny TYPE:PATH:ERRNAME]...
 *
 * --deny answers XS_ERROR ERRNAME to request TYPE (a number from
 * xs_wire.h) on PATH, to see how the tools report errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_xenstored.h"

static int deny(struct fake_xsd *f, char *spec)
{
    char *path = strchr(spec, ':'), *err;

    if (path == NULL || (err = strrchr(path + 1, ':')) == NULL)
        return -1;
    *path++ = '\0';
    *err++ = '\0';
    fake_xsd_deny(f, (uint32_t)strtoul(spec, NULL, 0), path, err);
    return 0;
}

int main(int argc, char **argv)
{
    struct fake_xsd *f = fake_xsd_new();
    const char *sock = NULL;
    size_t limit = XENSTORE_PAYLOAD_MAX, chunk = XENSTORE_PAYLOAD_MAX - 32;
    int i, r;

    for (i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--socket") == 0)
            sock = argv[i + 1];
        else if (strcmp(argv[i], "--log") == 0 && fake_xsd_log_to(f, argv[i + 1]) == 0)
            ;
        else if (strcmp(argv[i], "--dir-limit") == 0)
            limit = strtoul(argv[i + 1], NULL, 0);
        else if (strcmp(argv[i], "--dir-chunk") == 0)
            chunk = strtoul(argv[i + 1], NULL, 0);
        else if (strcmp(argv[i], "--deny") == 0 && deny(f, argv[i + 1]) == 0)
            ;
        else
            break;
    }
    if (sock == NULL || i != argc) {
        fprintf(stderr, "usage: %s --socket PATH [--log FILE] "
                "[--dir-limit N] [--dir-chunk N] [--deny TYPE:PATH:ERR]\n", argv[0]);
        return 2;
    }
    fake_xsd_set_dir_limits(f, limit, chunk);
    r = fake_xsd_run_socket(f, sock);
    if (r < 0)
        perror(sock);
    fake_xsd_free(f);
    return r < 0 ? 1 : 0;
}
