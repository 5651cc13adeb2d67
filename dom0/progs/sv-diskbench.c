/*
 * sv-diskbench: dom0's own I/O on a disk, in the patterns of svfront's
 * blk_bench (frontends/diskprog.c), so that a domU's figures through a
 * split-driver backend can be set against what dom0 gets natively from
 * the same device (bench/io.sh).
 *
 *   sv-diskbench [-t MS] [-m MIB] PATH
 *
 * Runs, each for MS milliseconds (default 3000) over the first MIB MiB
 * (default 64) of PATH: sequential 1 MiB writes and reads and random 4 KiB
 * writes and reads, each at queue depth 1 and 32.  O_DIRECT, Linux AIO
 * through the raw system calls (libaio need not be installed); a request
 * is replaced as soon as it completes, as blk_bench's engine does, and the
 * time runs until the last request in flight is back.  Sequential offsets
 * wrap at the end of the region; random ones are blk_bench's xorshift with
 * its seeds, so both touch the same blocks in the same order.  One line
 * per run, in blk_bench's format after the prefix:
 *   sv-diskbench: bench blk seq_write bs=1048576 qd=1: 34.20 MiB/s 34 IOPS (102 ops in 3000 ms)
 * Exit 1 with the reason on any error (open, AIO set-up, a short or failed
 * request), 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/aio_abi.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <splitvisor/blkpattern.h>

#define MAX_QD 32

struct run {
    const char *name;
    bool write, random;
    uint32_t bs, qd;
};

/* blk_bench's table, in its order. */
static const struct run runs[] = {
    { "seq_write", true, false, 1u << 20, 1 },
    { "seq_write", true, false, 1u << 20, 32 },
    { "seq_read", false, false, 1u << 20, 1 },
    { "seq_read", false, false, 1u << 20, 32 },
    { "rand_write", true, true, 4096, 1 },
    { "rand_write", true, true, 4096, 32 },
    { "rand_read", false, true, 4096, 1 },
    { "rand_read", false, true, 4096, 32 },
};

struct bench {
    const struct run *run;
    uint64_t rng, region, pos;
};

/* frontends/main.c's rng_next. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* The next offset, as diskprog.c's bench_next (in bytes, not sectors). */
static uint64_t next_offset(struct bench *b)
{
    uint64_t bs = b->run->bs;
    if (b->run->random)
        return (rng_next(&b->rng) % (b->region / bs)) * bs;
    if (b->pos + bs > b->region)
        b->pos = 0;
    uint64_t off = b->pos;
    b->pos += bs;
    return off;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int number(const char *s, unsigned long long *v)
{
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 0);
    return errno || end == s || *end ? -1 : 0;
}

static void prep(struct iocb *cb, int fd, struct bench *b, void *buf)
{
    memset(cb, 0, sizeof(*cb));
    cb->aio_fildes = (uint32_t)fd;
    cb->aio_lio_opcode = b->run->write ? IOCB_CMD_PWRITE : IOCB_CMD_PREAD;
    cb->aio_buf = (uint64_t)(uintptr_t)buf;
    cb->aio_nbytes = b->run->bs;
    cb->aio_offset = (int64_t)next_offset(b);
    cb->aio_data = (uint64_t)(uintptr_t)cb;
}

/* One run: QD requests kept in flight until the deadline, then drained. */
static int bench_run(int fd, aio_context_t ctx, const struct run *r, size_t idx, uint64_t region,
                     uint64_t ms, char *bufs)
{
    struct bench b = { .run = r, .rng = 0x1234567 + idx, .region = region };
    struct iocb cbs[MAX_QD], *list[MAX_QD];
    struct io_event ev[MAX_QD];
    uint64_t ops = 0, bytes = 0, inflight = 0;

    if (r->write)
        for (uint32_t q = 0; q < r->qd; q++)
            blkpattern_fill((uint64_t *)(void *)(bufs + (size_t)q * r->bs), r->bs, 99, (uint64_t)q * r->bs);
    uint64_t t0 = now_ns(), deadline = t0 + ms * 1000000ull;
    for (uint32_t q = 0; q < r->qd; q++) {
        prep(&cbs[q], fd, &b, bufs + (size_t)q * r->bs);
        list[q] = &cbs[q];
    }
    long n = syscall(SYS_io_submit, ctx, (long)r->qd, list);
    if (n != (long)r->qd) {
        fprintf(stderr, "sv-diskbench: io_submit of %u: %s\n", r->qd, n < 0 ? strerror(errno) : "short");
        return -1;
    }
    inflight = r->qd;
    while (inflight) {
        long got = syscall(SYS_io_getevents, ctx, 1L, (long)MAX_QD, ev, NULL);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "sv-diskbench: io_getevents: %s\n", strerror(errno));
            return -1;
        }
        bool more = now_ns() < deadline;
        long again = 0;
        for (long i = 0; i < got; i++) {
            struct iocb *cb = (struct iocb *)(uintptr_t)ev[i].data;
            if (ev[i].res != (int64_t)r->bs) {
                fprintf(stderr, "sv-diskbench: %s of %u bytes at %lld: %s\n",
                        r->write ? "write" : "read", r->bs, (long long)cb->aio_offset,
                        ev[i].res < 0 ? strerror((int)-ev[i].res) : "short");
                return -1;
            }
            ops++;
            bytes += r->bs;
            inflight--;
            if (more) {
                prep(cb, fd, &b, (void *)(uintptr_t)cb->aio_buf);
                list[again++] = cb;
            }
        }
        if (again) {
            n = syscall(SYS_io_submit, ctx, again, list);
            if (n != again) {
                fprintf(stderr, "sv-diskbench: io_submit of %ld: %s\n", again,
                        n < 0 ? strerror(errno) : "short");
                return -1;
            }
            inflight += (uint64_t)again;
        }
    }
    uint64_t ns = now_ns() - t0;
    if (!ns)
        ns = 1;
    /* diskprog.c's arithmetic, so that both print the same rounding. */
    uint64_t kib_s = bytes * 1000000000ull / 1024 / ns;
    uint64_t iops = ops * 1000000000ull / ns;
    printf("sv-diskbench: bench blk %s bs=%u qd=%u: %" PRIu64 ".%02" PRIu64 " MiB/s %" PRIu64
           " IOPS (%" PRIu64 " ops in %" PRIu64 " ms)\n",
           r->name, r->bs, r->qd, kib_s / 1024, kib_s % 1024 * 100 / 1024, iops, ops, ns / 1000000);
    fflush(stdout);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: sv-diskbench [-t MS] [-m MIB] PATH\n");
    return 2;
}

int main(int argc, char **argv)
{
    unsigned long long ms = 3000, mib = 64;
    int opt;
    while ((opt = getopt(argc, argv, "t:m:")) != -1) {
        if (opt == 't' && !number(optarg, &ms) && ms > 0 && ms < 3600000)
            continue;
        if (opt == 'm' && !number(optarg, &mib) && mib > 0 && mib < (1ull << 20))
            continue;
        return usage();
    }
    if (optind != argc - 1)
        return usage();
    const char *path = argv[optind];
    int fd = open(path, O_RDWR | O_DIRECT);
    if (fd < 0) {
        fprintf(stderr, "sv-diskbench: %s: %s (O_DIRECT)\n", path, strerror(errno));
        return 1;
    }
    struct stat st;
    uint64_t size = 0;
    if (fstat(fd, &st) == 0 && S_ISBLK(st.st_mode)) {
        if (ioctl(fd, BLKGETSIZE64, &size) < 0)
            size = 0;
    } else if (fstat(fd, &st) == 0) {
        size = (uint64_t)st.st_size;
    }
    /* blk_bench's clamp: the region never exceeds the disk. */
    if (size && (mib << 20) > size)
        mib = size >> 20;
    if (!mib) {
        fprintf(stderr, "sv-diskbench: %s: smaller than 1 MiB\n", path);
        return 1;
    }
    char *bufs;
    if (posix_memalign((void **)&bufs, 4096, (size_t)MAX_QD << 20)) {
        fprintf(stderr, "sv-diskbench: no memory for %d buffers of 1 MiB\n", MAX_QD);
        return 1;
    }
    aio_context_t ctx = 0;
    if (syscall(SYS_io_setup, MAX_QD, &ctx) < 0) {
        fprintf(stderr, "sv-diskbench: io_setup: %s\n", strerror(errno));
        return 1;
    }
    printf("sv-diskbench: %s: %" PRIu64 " MiB, region %llu MiB, %llu ms a run, O_DIRECT, Linux AIO\n",
           path, size >> 20, mib, ms);
    fflush(stdout);
    int rc = 0;
    for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]) && !rc; i++)
        rc = bench_run(fd, ctx, &runs[i], i, mib << 20, ms, bufs);
    syscall(SYS_io_destroy, ctx);
    close(fd);
    free(bufs);
    return rc ? 1 : 0;
}
