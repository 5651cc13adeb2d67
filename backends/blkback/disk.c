/*
 * Backing store (see disk.h).
 *
 * O_DIRECT: the guest's data goes through our bounce buffer, never through
 * dom0's page cache twice.  tmpfs (Linux 6.1) refuses O_DIRECT at open
 * with EINVAL; then the file is used buffered.  A device whose logical
 * block is larger than 512 refuses a 512-byte-aligned direct I/O with
 * EINVAL; that one I/O is retried on a buffered descriptor.
 */
#define _GNU_SOURCE
#include "disk.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

static int open_fd(const char *path, int flags)
{
    int fd;

    do
        fd = open(path, flags | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    return fd < 0 ? -errno : fd;
}

/* A number from a sysfs attribute; false if absent or unreadable. */
static bool sysfs_u64(const char *path, uint64_t *out)
{
    FILE *f = fopen(path, "re");
    unsigned long long v;
    bool ok;

    if (!f)
        return false;
    ok = fscanf(f, "%llu", &v) == 1;
    fclose(f);
    if (ok)
        *out = v;
    return ok;
}

static void probe_discard_blockdev(struct blk_disk *d, dev_t rdev)
{
    char p[96];
    uint64_t max = 0, gran = 0, align = 0;

    snprintf(p, sizeof(p), "/sys/dev/block/%u:%u/queue/discard_max_bytes", major(rdev),
             minor(rdev));
    if (!sysfs_u64(p, &max) || max == 0)
        return;
    snprintf(p, sizeof(p), "/sys/dev/block/%u:%u/queue/discard_granularity", major(rdev),
             minor(rdev));
    sysfs_u64(p, &gran);
    snprintf(p, sizeof(p), "/sys/dev/block/%u:%u/discard_alignment", major(rdev),
             minor(rdev));
    sysfs_u64(p, &align);
    d->discard = true;
    d->discard_granularity = gran ? (uint32_t)gran : 512u;
    d->discard_alignment = (uint32_t)align;
}

/* A regular file can discard if its filesystem punches holes.  Punching
 * past the end of the file changes nothing and tells us just that. */
static void probe_discard_file(struct blk_disk *d, const struct stat *st)
{
    off_t off = (off_t)((d->bytes + 4095) & ~(uint64_t)4095);

    if (fallocate(d->fd_buffered, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, 4096) < 0)
        return;
    d->discard = true;
    d->discard_granularity = st->st_blksize > 0 ? (uint32_t)st->st_blksize : 4096u;
    d->discard_alignment = 0;
}

int disk_open(struct blk_disk *d, const char *path, bool writable, bool want_discard,
              char *err, size_t errlen)
{
    int flags = writable ? O_RDWR : O_RDONLY;
    struct stat st;

    memset(d, 0, sizeof(*d));
    d->fd = d->fd_buffered = -1;
    if (strlen(path) >= sizeof(d->path)) {
        snprintf(err, errlen, "params path too long");
        return -ENAMETOOLONG;
    }
    strcpy(d->path, path);
    d->writable = writable;

    int fd = open_fd(path, flags | O_DIRECT);
    if (fd == -EINVAL) {
        fd = open_fd(path, flags);
    } else if (fd >= 0) {
        d->direct = true;
    }
    if (fd < 0) {
        snprintf(err, errlen, "open %s (%s): %s", path, writable ? "rw" : "ro", strerror(-fd));
        return fd;
    }
    d->fd = fd;
    if (fstat(fd, &st) < 0) {
        int e = errno;
        snprintf(err, errlen, "stat %s: %s", path, strerror(e));
        disk_close(d);
        return -e;
    }
    if (S_ISBLK(st.st_mode)) {
        d->blockdev = true;
        if (ioctl(fd, BLKGETSIZE64, &d->bytes) < 0) {
            int e = errno;
            snprintf(err, errlen, "BLKGETSIZE64 %s: %s", path, strerror(e));
            disk_close(d);
            return -e;
        }
    } else if (S_ISREG(st.st_mode)) {
        d->bytes = (uint64_t)st.st_size;
    } else {
        snprintf(err, errlen, "%s is neither a regular file nor a block device", path);
        disk_close(d);
        return -EINVAL;
    }
    if (d->direct) {
        d->fd_buffered = open_fd(path, flags);
        if (d->fd_buffered < 0) {
            int e = d->fd_buffered;
            snprintf(err, errlen, "open %s: %s", path, strerror(-e));
            disk_close(d);
            return e;
        }
    } else {
        d->fd_buffered = d->fd;
    }
    if (want_discard && writable) {
        if (d->blockdev)
            probe_discard_blockdev(d, st.st_rdev);
        else
            probe_discard_file(d, &st);
    }
    return 0;
}

void disk_close(struct blk_disk *d)
{
    if (d->fd_buffered >= 0 && d->fd_buffered != d->fd)
        close(d->fd_buffered);
    if (d->fd >= 0)
        close(d->fd);
    d->fd = d->fd_buffered = -1;
}

int disk_flush(const struct blk_disk *d)
{
    return fdatasync(d->fd) < 0 ? -errno : 0;
}

int disk_discard(const struct blk_disk *d, uint64_t off, uint64_t len)
{
    if (!d->discard)
        return -EOPNOTSUPP;
    if (len == 0)
        return 0;
    if (d->blockdev) {
        uint64_t range[2] = { off, len };
        return ioctl(d->fd, BLKDISCARD, range) < 0 ? -errno : 0;
    }
    return fallocate(d->fd_buffered, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off,
                     (off_t)len) < 0 ? -errno : 0;
}

/* ---- reads and writes --------------------------------------------------- */

/* All of one I/O on fd; a read that meets the end of the file fails. */
static int rw_sync(int fd, const struct blk_io *io)
{
    size_t done = 0;

    while (done < io->len) {
        ssize_t n;
        char *p = (char *)io->buf + done;
        off_t off = (off_t)(io->off + done);

        if (io->write)
            n = pwrite(fd, p, io->len - done, off);
        else
            n = pread(fd, p, io->len - done, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return -EIO;            /* the file shrank under us */
        done += (size_t)n;
    }
    return 0;
}

int disk_rw_sync(const struct blk_disk *d, const struct blk_io *io)
{
    int rc = rw_sync(d->fd, io);

    if (rc == -EINVAL && d->direct)
        rc = rw_sync(d->fd_buffered, io);
    return rc;
}

/* ---- Linux AIO ------------------------------------------------------------ */

/*
 * The head of the completion ring the kernel maps at the context's address
 * (fs/aio.c, struct aio_ring).  Like libaio's io_getevents with a zero
 * timeout, we look at head and tail to skip the syscall when nothing
 * completed; anything else goes through io_getevents.
 */
struct aio_ring_head {
    unsigned id;                 /* cppcheck-suppress unusedStructMember */
    unsigned nr;                 /* cppcheck-suppress unusedStructMember */
    unsigned head, tail, magic;
};
#define AIO_RING_MAGIC 0xa10a10a1u

struct blk_aio {
    const struct blk_disk *disk;
    aio_context_t ctx;
    unsigned depth;
    unsigned inflight;
    int efd;
    struct iocb *cbs;            /* [depth] scratch: io_submit copies them */
    struct iocb **cbp;
    struct io_event *ev;
};

static void sync_submit(void *ctx, struct blk_io *const *ios, unsigned n)
{
    const struct blk_disk *d = ctx;

    for (unsigned i = 0; i < n; i++) {
        ios[i]->result = disk_rw_sync(d, ios[i]);
        ios[i]->done = true;
    }
}

static unsigned sync_collect(void *ctx, struct blk_io **out, unsigned max, bool wait)
{
    (void)ctx, (void)out, (void)max, (void)wait;
    return 0;
}

static void aio_submit(void *ctx, struct blk_io *const *ios, unsigned n)
{
    struct blk_aio *a = ctx;
    const struct blk_disk *d = a->disk;

    if (n == 1 && a->inflight == 0) {
        /* A lone I/O with nothing else on the disk (queue depth 1): at
         * once, saving io_submit, the eventfd wake-up and io_getevents. */
        sync_submit((void *)d, ios, n);
        return;
    }
    while (n > 0) {
        unsigned batch = n < a->depth - a->inflight ? n : a->depth - a->inflight;
        if (batch == 0) {
            /* More than the depth we were made for: the engine never asks. */
            sync_submit((void *)d, ios, n);
            return;
        }
        for (unsigned k = 0; k < batch; k++) {
            struct blk_io *io = ios[k];
            struct iocb *cb = &a->cbs[k];
            memset(cb, 0, sizeof(*cb));
            io->done = false;
            cb->aio_data = (uint64_t)(uintptr_t)io;
            cb->aio_lio_opcode = io->write ? IOCB_CMD_PWRITE : IOCB_CMD_PREAD;
            cb->aio_fildes = (uint32_t)d->fd;
            cb->aio_buf = (uint64_t)(uintptr_t)io->buf;
            cb->aio_nbytes = io->len;
            cb->aio_offset = (int64_t)io->off;
            cb->aio_flags = IOCB_FLAG_RESFD;
            cb->aio_resfd = (uint32_t)a->efd;
            a->cbp[k] = cb;
        }
        unsigned sub = 0;
        while (sub < batch) {
            long r = syscall(SYS_io_submit, a->ctx, (long)(batch - sub), a->cbp + sub);
            if (r > 0) {
                sub += (unsigned)r;
                a->inflight += (unsigned)r;
                continue;
            }
            if (r < 0 && errno == EINTR)
                continue;
            /* The kernel refused this one (EAGAIN: no room, EINVAL: no
             * AIO for this file): do it now, then go on. */
            struct blk_io *io = (struct blk_io *)(uintptr_t)a->cbp[sub]->aio_data;
            io->result = disk_rw_sync(d, io);
            io->done = true;
            sub++;
        }
        ios += batch;
        n -= batch;
    }
}

/* The result of a completed AIO; a short one is finished synchronously. */
static int aio_result(const struct blk_disk *d, const struct blk_io *io, int64_t res)
{
    if (res == (int64_t)io->len)
        return 0;
    if (res == -EINVAL && d->direct)
        return rw_sync(d->fd_buffered, io);
    if (res >= 0) {
        /* Short: past the end of a file that shrank, or a partial device
         * I/O: finish it synchronously. */
        struct blk_io rest = { io->write, io->off + (uint64_t)res, (char *)io->buf + res,
                               io->len - (size_t)res, 0, false };
        return disk_rw_sync(d, &rest);
    }
    return (int)res;
}

static unsigned aio_collect(void *ctx, struct blk_io **out, unsigned max, bool wait)
{
    struct blk_aio *a = ctx;
    const struct aio_ring_head *ring = (const void *)(uintptr_t)a->ctx;
    struct timespec zero = { 0, 0 };

    if (max > a->inflight)
        max = a->inflight;
    if (max == 0)
        return 0;
    if (!wait && ring->magic == AIO_RING_MAGIC &&
        __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE) ==
        __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE))
        return 0;
    long got;
    do
        got = syscall(SYS_io_getevents, a->ctx, wait ? 1L : 0L, (long)max, a->ev,
                      wait ? NULL : &zero);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        abort();            /* cannot happen with a valid context; do not spin */
    for (long i = 0; i < got; i++) {
        struct blk_io *io = (struct blk_io *)(uintptr_t)a->ev[i].data;
        io->result = aio_result(a->disk, io, a->ev[i].res);
        io->done = true;
        out[i] = io;
    }
    a->inflight -= (unsigned)got;
    return (unsigned)got;
}

static void aio_free(struct blk_aio *a)
{
    if (a->efd >= 0)
        close(a->efd);
    free(a->cbs);
    free(a->cbp);
    free(a->ev);
    free(a);
}

static void aio_close(void *ctx)
{
    struct blk_aio *a = ctx;

    /* io_destroy waits for every I/O in flight: their buffers may go
     * once it returns. */
    syscall(SYS_io_destroy, a->ctx);
    aio_free(a);
}

int disk_iodrv_open(struct blk_iodrv *drv, const struct blk_disk *d, unsigned depth)
{
    struct blk_aio *a = calloc(1, sizeof(*a));

    *drv = (struct blk_iodrv){ sync_submit, sync_collect, NULL, (void *)d, -1 };
    if (!a)
        return -ENOMEM;
    a->disk = d;
    a->depth = depth;
    a->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    a->cbs = calloc(depth, sizeof(*a->cbs));
    a->cbp = calloc(depth, sizeof(*a->cbp));
    a->ev = calloc(depth, sizeof(*a->ev));
    if (!a->cbs || !a->cbp || !a->ev) {
        aio_free(a);
        return -ENOMEM;
    }
    if (a->efd < 0 || syscall(SYS_io_setup, depth, &a->ctx) < 0) {
        aio_free(a);        /* no eventfd or no AIO: synchronous I/O works */
        return 0;
    }
    *drv = (struct blk_iodrv){ aio_submit, aio_collect, aio_close, a, a->efd };
    return 0;
}
