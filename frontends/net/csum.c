/*
 * The Internet checksum (RFC 1071): the ones' complement of the ones'
 * complement sum of the data as big-endian 16-bit words, an odd last byte
 * padded with a zero on its right.
 *
 * The sum is kept in 64 bits and folded only at the end (RFC 1071 section
 * 2(C), "deferred carries"); the byte order of the words is the wire's, so
 * nothing here depends on the CPU's.
 */
#include "net_priv.h"

void inet_csum_init(struct inet_csum *c)
{
    c->sum = 0;
    c->odd = false;
}

void inet_csum_add(struct inet_csum *c, const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t sum = c->sum;

    if (len == 0)
        return;
    /* The previous piece ended mid-word: this byte is that word's low half. */
    if (c->odd) {
        sum += p[0];
        p++;
        len--;
        c->odd = false;
    }
    while (len >= 2) {
        sum += get_be16(p);
        p += 2;
        len -= 2;
    }
    if (len) {
        sum += (uint64_t)p[0] << 8;
        c->odd = true;
    }
    c->sum = sum;
}

void inet_csum_add16(struct inet_csum *c, uint16_t v)
{
    uint8_t b[2];

    put_be16(b, v);
    inet_csum_add(c, b, sizeof(b));
}

uint16_t inet_csum_fold(const struct inet_csum *c)
{
    uint64_t sum = c->sum;

    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

uint16_t inet_csum_final(const struct inet_csum *c)
{
    return (uint16_t)~inet_csum_fold(c);
}

uint16_t inet_checksum(const void *data, size_t len)
{
    struct inet_csum c;

    inet_csum_init(&c);
    inet_csum_add(&c, data, len);
    return inet_csum_final(&c);
}
