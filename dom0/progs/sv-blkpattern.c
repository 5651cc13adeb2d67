/*
 * sv-blkpattern: writes or checks splitvisor's disk-test pattern
 * (include/splitvisor/blkpattern.h) in a file or block device, so dom0 can
 * check what a guest wrote through blkfront and blkback, and give a guest
 * data to check.
 *
 *   sv-blkpattern write|check PATH SEED OFFSET_MIB SIZE_MIB
 *
 * check prints "sv-blkpattern: PATH: N MiB at M MiB match seed S" and
 * exits 0, or names the first differing offset and exits 1.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <splitvisor/blkpattern.h>

#define CHUNK (1u << 20)

static int usage(void)
{
    fprintf(stderr, "usage: sv-blkpattern write|check PATH SEED OFFSET_MIB SIZE_MIB\n");
    return 2;
}

static int number(const char *s, unsigned long long *v)
{
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 0);
    return errno || end == s || *end ? -1 : 0;
}

int main(int argc, char **argv)
{
    unsigned long long seed, off_mib, size_mib;
    if (argc != 6 || number(argv[3], &seed) || number(argv[4], &off_mib) ||
        number(argv[5], &size_mib) || off_mib > (1ull << 30) || size_mib > (1ull << 30))
        return usage();
    int writing = !strcmp(argv[1], "write");
    if (!writing && strcmp(argv[1], "check"))
        return usage();
    int fd = open(argv[2], writing ? O_WRONLY | O_CREAT : O_RDONLY, 0644);
    if (fd < 0) {
        fprintf(stderr, "sv-blkpattern: %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    uint64_t *buf = malloc(CHUNK);
    if (!buf)
        return 1;
    for (unsigned long long i = 0; i < size_mib; i++) {
        uint64_t off = (off_mib + i) << 20;
        if (writing) {
            blkpattern_fill(buf, CHUNK, seed, off);
            if (pwrite(fd, buf, CHUNK, (off_t)off) != CHUNK) {
                fprintf(stderr, "sv-blkpattern: write %s at %llu MiB: %s\n", argv[2], off_mib + i,
                        strerror(errno));
                return 1;
            }
            continue;
        }
        ssize_t n = pread(fd, buf, CHUNK, (off_t)off);
        if (n != CHUNK) {
            fprintf(stderr, "sv-blkpattern: read %s at %llu MiB: %s\n", argv[2], off_mib + i,
                    n < 0 ? strerror(errno) : "short read");
            return 1;
        }
        uint64_t bad = blkpattern_check(buf, CHUNK, seed, off);
        if (bad != CHUNK) {
            printf("sv-blkpattern: %s: differs at offset %#llx (seed %llu)\n", argv[2],
                   (unsigned long long)(off + bad), seed);
            return 1;
        }
    }
    if (writing && fsync(fd)) {
        fprintf(stderr, "sv-blkpattern: fsync %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    printf("sv-blkpattern: %s: %llu MiB at %llu MiB %s seed %llu\n", argv[2], size_mib, off_mib,
           writing ? "written with" : "match", seed);
    free(buf);
    close(fd);
    return 0;
}
