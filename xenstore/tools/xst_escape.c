/*
 * Escaping for xenstore values (see xst_escape.h).  The odd corners are
 * kept on purpose because scripts depend on them: bytes below 010 are
 * three-digit octal, other control bytes and everything from 0x7f up are
 * "\xNN"; on input, an unknown escape stands for the character itself and
 * a trailing lone backslash yields a nul byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xst_escape.h"

char *xst_escape(const char *val, size_t len)
{
    /* Worst case: every byte becomes four ("\x7f"). */
    char *out = malloc(len * 4 + 1), *op = out;
    size_t i;

    if (out == NULL)
        return NULL;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)val[i];

        if (c >= ' ' && c <= '~' && c != '\\') {
            *op++ = (char)c;
            continue;
        }
        *op++ = '\\';
        switch (c) {
        case '\t': *op++ = 't'; break;
        case '\n': *op++ = 'n'; break;
        case '\r': *op++ = 'r'; break;
        case '\\': *op++ = '\\'; break;
        default:
            op += sprintf(op, c < 010 ? "%03o" : "x%02x", c);
            break;
        }
    }
    *op = '\0';
    return out;
}

/*
 * Reads up to WIDTH digits the way scanf's %x / %o do (including their
 * tolerance for leading white space and a sign), so "\x41" and "\101" both
 * give 'A' and malformed escapes degrade exactly like Xen's tools.
 */
static const char *scan_number(const char *ip, const char *fmt,
                               unsigned int *c)
{
    int n = 0;

    if (sscanf(ip, fmt, c, &n) < 1)
        n = 0;
    return ip + n;
}

size_t xst_unescape(char *out, const char *in)
{
    const char *ip = in;
    char *op = out;
    unsigned int c;

    while ((c = (unsigned char)*ip++) != '\0') {
        if (c == '\\') {
            c = (unsigned char)*ip++;
            switch (c) {
            case 't': c = '\t'; break;
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case '\\': c = '\\'; break;
            case 'x': ip = scan_number(ip, "%2x%n", &c); break;
            case '0': case '1': case '2': case '3':
            case '4': case '5': case '6': case '7':
                ip = scan_number(ip - 1, "%3o%n", &c);
                break;
            case '\0':
                /* Lone backslash at the end: a nul byte, then stop. */
                *op++ = '\0';
                *op = '\0';
                return (size_t)(op - out);
            default:
                break;      /* "\q" is just "q" */
            }
        }
        *op++ = (char)c;
    }
    *op = '\0';
    return (size_t)(op - out);
}
