/*
 * Permissions travel as strings, one per entry: a letter for the access
 * ('n'one, 'r'ead, 'w'rite, 'b'oth) followed by the domain id, e.g. "r5".
 * The first entry names the owner and the access of everyone not listed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

int svxs_perm_to_string(const struct xs_permissions *perm, char *buf,
                        size_t size)
{
    char letter;
    int n;

    switch (perm->perms) {
    case XS_PERM_NONE:                  letter = 'n'; break;
    case XS_PERM_READ:                  letter = 'r'; break;
    case XS_PERM_WRITE:                 letter = 'w'; break;
    case XS_PERM_READ | XS_PERM_WRITE:  letter = 'b'; break;
    default:
        errno = EINVAL;     /* internal bits never go on the wire */
        return -1;
    }
    n = snprintf(buf, size, "%c%u", letter, perm->id);
    if (n < 0 || (size_t)n >= size) {
        errno = ENOSPC;
        return -1;
    }
    return 0;
}

static int parse_one(const char *s, struct xs_permissions *perm)
{
    unsigned long id = 0;
    const char *p;

    switch (s[0]) {
    case 'n': perm->perms = XS_PERM_NONE; break;
    case 'r': perm->perms = XS_PERM_READ; break;
    case 'w': perm->perms = XS_PERM_WRITE; break;
    case 'b': perm->perms = XS_PERM_READ | XS_PERM_WRITE; break;
    default:
        return -1;
    }
    /* Decimal digits only, as the daemon writes them; no sign, no space. */
    if (s[1] == '\0')
        return -1;
    for (p = s + 1; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        id = id * 10 + (unsigned long)(*p - '0');
        if (id > 0xffffffffUL)
            return -1;
    }
    perm->id = (unsigned int)id;
    return 0;
}

struct xs_permissions *svxs_perms_parse(const char *strings, size_t len,
                                        unsigned int *num)
{
    struct xs_permissions *perms;
    char **vec;
    unsigned int i, n;

    vec = svxs_split_strings(strings, len, &n);
    if (vec == NULL)
        return NULL;
    if (n == 0) {
        free(vec);
        errno = EPROTO;     /* every node has an owner */
        return NULL;
    }
    perms = calloc(n, sizeof(*perms));
    if (perms == NULL) {
        free(vec);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if (parse_one(vec[i], &perms[i]) < 0) {
            free(vec);
            free(perms);
            errno = EPROTO;
            return NULL;
        }
    }
    free(vec);
    *num = n;
    return perms;
}

struct xs_permissions *svxs_get_perms(struct svxs_handle *h, svxs_tx_t tx,
                                      const char *path, unsigned int *num)
{
    struct xs_permissions *perms;
    char *body;
    size_t len;
    int saved;

    if (svxs_talk_str(h, tx, XS_GET_PERMS, path, &body, &len) < 0)
        return NULL;
    perms = svxs_perms_parse(body, len, num);
    saved = errno;
    free(body);
    errno = saved;
    return perms;
}

int svxs_set_perms(struct svxs_handle *h, svxs_tx_t tx, const char *path,
                   const struct xs_permissions *perms, unsigned int num)
{
    /* Built in one buffer; svxs_talk() refuses it if it will not fit. */
    char buf[XENSTORE_PAYLOAD_MAX + 1];
    size_t plen = strlen(path) + 1, used = 0;
    struct svxs_part parts[2];
    unsigned int i;

    for (i = 0; i < num; i++) {
        char one[16];

        if (svxs_perm_to_string(&perms[i], one, sizeof(one)) < 0)
            return -1;
        if (strlen(one) + 1 > sizeof(buf) - used) {
            errno = E2BIG;
            return -1;
        }
        memcpy(buf + used, one, strlen(one) + 1);
        used += strlen(one) + 1;
    }
    parts[0] = (struct svxs_part){ path, plen };
    parts[1] = (struct svxs_part){ buf, used };
    return svxs_talk(h, tx, XS_SET_PERMS, parts, 2, NULL, NULL);
}
