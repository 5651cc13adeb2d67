/* See base64.h. */
#include "base64.h"

#include <stdlib.h>
#include <string.h>

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *base64_encode(const uint8_t *data, size_t len)
{
    size_t outlen = (len + 2) / 3 * 4;
    char *out = malloc(outlen + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)data[i + 1] << 8;
        if (i + 2 < len)
            v |= data[i + 2];
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? alphabet[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

static int value_of(char c)
{
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

bool base64_decode(const char *text, uint8_t **out, size_t *outlen)
{
    size_t len = strlen(text);
    if (len % 4)
        return false;
    uint8_t *buf = malloc(len / 4 * 3 + 1);
    if (!buf)
        return false;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            char c = text[i + k];
            if (c == '=') {
                /* Padding only at the very end, at most two. */
                if (i + 4 != len || k < 2) {
                    free(buf);
                    return false;
                }
                pad++;
                v[k] = 0;
            } else {
                if (pad) {
                    free(buf);
                    return false;
                }
                v[k] = value_of(c);
                if (v[k] < 0) {
                    free(buf);
                    return false;
                }
            }
        }
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        buf[o++] = (uint8_t)(w >> 16);
        if (pad < 2)
            buf[o++] = (uint8_t)(w >> 8);
        if (pad < 1)
            buf[o++] = (uint8_t)w;
    }
    *out = buf;
    *outlen = o;
    return true;
}
