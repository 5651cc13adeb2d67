/*
 * Addresses as text: IPv4 dotted quads (with an optional /prefix) for the
 * guest command line, MACs as xenstore writes them ("00:16:3e:..").
 */
#include "net_priv.h"

/* One decimal field 0..255 of at most three digits; advances *s. */
static bool parse_octet(const char **s, uint32_t *out)
{
    const char *p = *s;
    uint32_t v = 0;
    int digits = 0;

    /* Leading zeros refused, as inet_pton(3) does: "010" is octal to inet_aton. */
    if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
        return false;
    while (*p >= '0' && *p <= '9' && digits < 4) {
        v = v * 10 + (uint32_t)(*p - '0');
        p++;
        digits++;
    }
    if (digits == 0 || digits > 3 || v > 255)
        return false;
    *s = p;
    *out = v;
    return true;
}

/* Parses a dotted quad at *s and leaves *s after it. */
static bool parse_quad(const char **s, uint32_t *ip)
{
    uint32_t v = 0, octet;

    for (int i = 0; i < 4; i++) {
        if (i > 0) {
            if (**s != '.')
                return false;
            (*s)++;
        }
        if (!parse_octet(s, &octet))
            return false;
        v = (v << 8) | octet;
    }
    *ip = v;
    return true;
}

int ip_parse(const char *s, uint32_t *ip)
{
    uint32_t v;

    if (!s || !parse_quad(&s, &v) || *s != '\0')
        return NETSTACK_EINVAL;
    *ip = v;
    return 0;
}

int ip_parse_cidr(const char *s, uint32_t *ip, uint32_t *mask)
{
    uint32_t v, prefix = 0;
    int digits = 0;

    if (!s || !parse_quad(&s, &v) || *s != '/')
        return NETSTACK_EINVAL;
    s++;
    while (*s >= '0' && *s <= '9' && digits < 3) {
        prefix = prefix * 10 + (uint32_t)(*s - '0');
        s++;
        digits++;
    }
    if (digits == 0 || *s != '\0' || prefix > 32)
        return NETSTACK_EINVAL;
    *ip = v;
    *mask = prefix == 0 ? 0 : ~0u << (32 - prefix);
    return 0;
}

size_t ip_format(uint32_t ip, char buf[IP_FORMAT_LEN])
{
    size_t n = 0;

    for (int i = 3; i >= 0; i--) {
        unsigned octet = (ip >> (i * 8)) & 0xff;

        if (octet >= 100)
            buf[n++] = (char)('0' + octet / 100);
        if (octet >= 10)
            buf[n++] = (char)('0' + octet / 10 % 10);
        buf[n++] = (char)('0' + octet % 10);
        if (i > 0)
            buf[n++] = '.';
    }
    buf[n] = '\0';
    return n;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int mac_parse(const char *s, uint8_t mac[NETSTACK_ETH_ALEN])
{
    uint8_t v[NETSTACK_ETH_ALEN];

    if (!s)
        return NETSTACK_EINVAL;
    for (int i = 0; i < NETSTACK_ETH_ALEN; i++) {
        int hi, lo;

        if (i > 0 && *s++ != ':')
            return NETSTACK_EINVAL;
        hi = hex_digit(s[0]);
        if (hi < 0)
            return NETSTACK_EINVAL;
        lo = hex_digit(s[1]);
        if (lo < 0)
            return NETSTACK_EINVAL;
        v[i] = (uint8_t)(hi << 4 | lo);
        s += 2;
    }
    if (*s != '\0')
        return NETSTACK_EINVAL;
    memcpy(mac, v, sizeof(v));
    return 0;
}

size_t mac_format(const uint8_t mac[NETSTACK_ETH_ALEN], char buf[MAC_FORMAT_LEN])
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;

    for (int i = 0; i < NETSTACK_ETH_ALEN; i++) {
        if (i > 0)
            buf[n++] = ':';
        buf[n++] = hex[mac[i] >> 4];
        buf[n++] = hex[mac[i] & 0xf];
    }
    buf[n] = '\0';
    return n;
}
