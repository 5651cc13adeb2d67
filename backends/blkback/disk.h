/*
 * The backing store of one vbd: a regular file or a block device, opened
 * with O_DIRECT where the filesystem allows it.  Reads and writes are
 * started with Linux AIO (one io_submit for all a ring took at once) and
 * collected as they complete, with synchronous pread/pwrite as the
 * fallback.
 */
#ifndef DISK_H
#define DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct blk_disk {
    char path[256];
    int fd;                      /* O_DIRECT if `direct` */
    int fd_buffered;             /* without O_DIRECT; == fd when !direct */
    bool direct;
    bool blockdev;
    bool writable;
    uint64_t bytes;
    bool discard;                /* PUNCH_HOLE / BLKDISCARD works */
    uint32_t discard_granularity;
    uint32_t discard_alignment;
};

/*
 * Opens path (read-only unless writable), finds its size and, if
 * want_discard, whether it can discard.  0, or -errno with a one-line
 * reason in err.
 */
int disk_open(struct blk_disk *d, const char *path, bool writable, bool want_discard,
              char *err, size_t errlen);
void disk_close(struct blk_disk *d);

/* fdatasync.  0 or -errno. */
int disk_flush(const struct blk_disk *d);
/* Deallocates [off, off + len) (reads as zeros afterwards).  0 or -errno. */
int disk_discard(const struct blk_disk *d, uint64_t off, uint64_t len);

/* One read or write. */
struct blk_io {
    bool write;
    uint64_t off;
    void *buf;                   /* page-aligned */
    size_t len;                  /* multiple of 512 */
    int result;                  /* out: 0 or -errno */
    bool done;                   /* out: result is final */
};

/* All of io now, on d (a direct I/O the device refuses is retried
 * buffered).  0 or -errno. */
int disk_rw_sync(const struct blk_disk *d, const struct blk_io *io);

/*
 * How the request engine starts reads and writes and collects them later
 * without waiting: Linux AIO on the disk (disk_iodrv_open), or a fake in
 * the tests that completes them in the order a test chooses.
 */
struct blk_iodrv {
    /* Starts ios[0..n); the caller keeps each in place until it is
     * collected.  One finished at once (the kernel would not queue it, or
     * there is no AIO) has `done` set on return and is not collected. */
    void (*submit)(void *ctx, struct blk_io *const *ios, unsigned n);
    /* Finished I/Os (done set), up to max, into out; with wait, blocks
     * until there is at least one (the caller has some in flight). */
    unsigned (*collect)(void *ctx, struct blk_io **out, unsigned max, bool wait);
    void (*close)(void *ctx);    /* waits for the I/O in flight; may be NULL */
    void *ctx;
    /* Polls readable when an I/O finished; the poller reads 8 bytes from
     * it (an eventfd) before collecting.  -1 if none. */
    int fd;
};

/*
 * Linux AIO on d for `depth` I/Os in flight, each completion signalled on
 * an eventfd (IOCB_FLAG_RESFD); synchronous I/O if the kernel refuses an
 * AIO context.  0 or -errno.
 */
int disk_iodrv_open(struct blk_iodrv *drv, const struct blk_disk *d, unsigned depth);

#endif
