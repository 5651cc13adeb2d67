/*
 * Test frames.  The checksum arithmetic here is written separately from
 * csum.c on purpose, so that the tests check csum.c against it.
 */
#include <string.h>

#include "tests.h"

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static uint32_t sum_bytes(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += (i & 1) ? p[i] : (uint32_t)p[i] << 8;
    return s;
}

static uint16_t fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

static uint32_t pseudo_sum(const uint8_t *ip, int version, uint8_t proto, size_t l4_len)
{
    if (version == 4)
        return sum_bytes(ip + 12, 8) + proto + (uint32_t)l4_len;
    return sum_bytes(ip + 8, 32) + proto + (uint32_t)l4_len;
}

size_t frame_build(uint8_t *buf, const struct frame_spec *s, size_t *l4_off)
{
    size_t off = 0;
    static const uint8_t dst[6] = { 0x00, 0x16, 0x3e, 0x01, 0x02, 0x03 };
    static const uint8_t src[6] = { 0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c };

    memcpy(buf, dst, 6);
    memcpy(buf + 6, src, 6);
    off = 12;
    if (s->vlan) {
        put16(buf + off, 0x8100);
        put16(buf + off + 2, 42);
        off += 4;
    }
    put16(buf + off, s->ip_version == 4 ? 0x0800 : 0x86dd);
    off += 2;
    uint8_t *ip = buf + off;
    size_t l4_hdr = s->proto == 6 ? 20 + 4 * s->tcp_opt_words : 8;
    size_t l4_len = l4_hdr + s->payload;
    if (s->ip_version == 4) {
        size_t ihl = 20 + 4 * s->ip_opt_words;
        memset(ip, 0, ihl);
        ip[0] = (uint8_t)(0x40 | (ihl / 4));
        put16(ip + 2, (unsigned)(ihl + l4_len));
        ip[8] = 64;
        ip[9] = s->proto;
        memcpy(ip + 12, (const uint8_t[]){ 10, 0, 0, 1, 10, 0, 0, 2 }, 8);
        for (size_t i = 20; i < ihl; i++)
            ip[i] = 1;      /* NOP options */
        off += ihl;
    } else {
        memset(ip, 0, 40);
        ip[0] = 0x60;
        put16(ip + 4, (unsigned)(l4_len + (s->hopopts ? 8 : 0)));
        ip[6] = s->hopopts ? 0 : s->proto;
        ip[7] = 64;
        for (int i = 0; i < 16; i++) {
            ip[8 + i] = (uint8_t)(0xfd + i);
            ip[24 + i] = (uint8_t)(0x20 + i);
        }
        off += 40;
        if (s->hopopts) {
            memset(buf + off, 0, 8);
            buf[off] = s->proto;
            buf[off + 2] = 1;   /* PadN */
            buf[off + 3] = 4;
            off += 8;
        }
    }
    *l4_off = off;
    uint8_t *l4 = buf + off;
    memset(l4, 0, l4_hdr);
    put16(l4, 40000);
    put16(l4 + 2, 80);
    if (s->proto == 6) {
        l4[12] = (uint8_t)((5 + s->tcp_opt_words) << 4);
        l4[13] = 0x18;
        for (size_t i = 20; i < l4_hdr; i++)
            l4[i] = 1;
    } else {
        put16(l4 + 4, (unsigned)l4_len);
    }
    for (size_t i = 0; i < s->payload; i++)
        l4[l4_hdr + i] = (uint8_t)(i * 7 + 3);
    off += l4_len;
    if (s->proto == 6 || s->proto == 17)
        put16(l4 + (s->proto == 6 ? 16 : 6), fold(pseudo_sum(ip, s->ip_version, s->proto,
                                                               l4_len)));
    return off;
}

bool frame_l4_csum_ok(const uint8_t *buf, size_t len, const struct frame_spec *s)
{
    size_t ip_off = 14 + (s->vlan ? 4 : 0);
    size_t l4_off = ip_off + (s->ip_version == 4 ? 20 + 4 * s->ip_opt_words
                                                 : 40 + (s->hopopts ? 8 : 0));
    size_t l4_len = len - l4_off;
    uint32_t sum = pseudo_sum(buf + ip_off, s->ip_version, s->proto, l4_len) +
                   sum_bytes(buf + l4_off, l4_len);
    return fold(sum) == 0xffff;
}
