/*
 * The hypervisor log ring: every printk line is kept here (whatever the
 * console log level) so that `xl dmesg` can read it later.  When full, the
 * oldest bytes are overwritten.  Readers keep a cursor (a byte sequence
 * number); a cursor that fell behind the oldest byte still held is moved
 * forward to it, and the number of bytes lost is reported.
 */
#ifndef SV_LOGRING_H
#define SV_LOGRING_H

#include <sv/types.h>

struct logring {
    char *buf;
    size_t size;        /* power of two */
    uint64_t head;      /* sequence number of the next byte written */
};

/* size must be a power of two; returns -EINVAL otherwise. */
int logring_init(struct logring *r, char *buf, size_t size);
void logring_write(struct logring *r, const char *s, size_t len);
/* Oldest sequence number still held. */
uint64_t logring_tail(const struct logring *r);
/*
 * Copy up to len bytes starting at *cursor into out, advance *cursor.
 * Returns the number of bytes copied; *lost (if not NULL) gets how many
 * bytes were skipped because the cursor was older than the tail.
 */
size_t logring_read(const struct logring *r, uint64_t *cursor, char *out,
                    size_t len, uint64_t *lost);
/* Forget everything (xl dmesg -c). */
void logring_clear(struct logring *r);

#endif
