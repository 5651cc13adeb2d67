/*
 * The log ring.  Positions are 64-bit byte sequence numbers that never wrap
 * in practice, so "how far behind is this reader" is a subtraction and the
 * ring offset is a mask (size is a power of two).
 *
 * No locking here: printk serialises writers, and readers are expected to
 * hold the same lock (or to tolerate a torn copy of the oldest bytes).
 */
#include <sv/logring.h>
#include <sv/errno.h>
#include <sv/string.h>

static bool is_power_of_two(size_t n)
{
    return n != 0 && (n & (n - 1)) == 0;
}

int logring_init(struct logring *r, char *buf, size_t size)
{
    if (!r || !buf || !is_power_of_two(size))
        return -EINVAL;
    r->buf = buf;
    r->size = size;
    r->head = 0;
    return 0;
}

static size_t ring_offset(const struct logring *r, uint64_t seq)
{
    return (size_t)(seq & (r->size - 1));
}

/* Copy len bytes (len <= size) into the ring at sequence seq, wrapping. */
static void copy_in(struct logring *r, uint64_t seq, const char *s, size_t len)
{
    size_t off = ring_offset(r, seq);
    size_t first = MIN(len, r->size - off);

    memcpy(r->buf + off, s, first);
    memcpy(r->buf, s + first, len - first);
}

static void copy_out(const struct logring *r, uint64_t seq, char *out, size_t len)
{
    size_t off = ring_offset(r, seq);
    size_t first = MIN(len, r->size - off);

    memcpy(out, r->buf + off, first);
    memcpy(out + first, r->buf, len - first);
}

void logring_write(struct logring *r, const char *s, size_t len)
{
    if (!r->size)
        return;     /* never initialised: drop rather than crash early boot */

    /* Bytes that would be overwritten within this very write are only
     * counted, so a huge write keeps just its tail. */
    if (len > r->size) {
        size_t skipped = len - r->size;
        r->head += skipped;
        s += skipped;
        len = r->size;
    }
    copy_in(r, r->head, s, len);
    r->head += len;
}

uint64_t logring_tail(const struct logring *r)
{
    return r->head > r->size ? r->head - r->size : 0;
}

size_t logring_read(const struct logring *r, uint64_t *cursor, char *out,
                    size_t len, uint64_t *lost)
{
    uint64_t tail = logring_tail(r);
    uint64_t skipped = 0;

    if (*cursor < tail) {
        skipped = tail - *cursor;
        *cursor = tail;
    } else if (*cursor > r->head) {
        /* Only possible after logring_clear() restarted the numbering:
         * the reader continues from the oldest byte of the new history. */
        *cursor = tail;
    }
    if (lost)
        *lost = skipped;

    size_t n = (size_t)MIN((uint64_t)len, r->head - *cursor);
    if (n)
        copy_out(r, *cursor, out, n);
    *cursor += n;
    return n;
}

/*
 * The struct holds no separate start position, so forgetting everything
 * means restarting the sequence numbers at zero.
 */
void logring_clear(struct logring *r)
{
    r->head = 0;
}
