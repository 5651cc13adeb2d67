/*
 * The backing store of one vbd: a regular file or a block device, opened
 * with O_DIRECT where the filesystem allows it.  Reads and writes go in
 * batches (Linux AIO: one io_submit for a whole ring batch, so the block
 * layer sees them together), with synchronous pread/pwrite as the fallback.
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

/* One read or write of a batch. */
struct blk_io {
    bool write;
    uint64_t off;
    void *buf;                   /* page-aligned */
    size_t len;                  /* multiple of 512 */
    int result;                  /* out: 0 or -errno */
};

struct blk_aio;
/* An AIO context for `depth` I/Os in flight; NULL if the kernel refuses
 * one (then disk_rw works synchronously). */
struct blk_aio *disk_aio_create(unsigned depth);
void disk_aio_destroy(struct blk_aio *aio);

/* Does all of ios[0..n) (n <= depth), concurrently where it can, and
 * returns when every one has its result. */
void disk_rw(const struct blk_disk *d, struct blk_aio *aio, struct blk_io *ios, unsigned n);

#endif
