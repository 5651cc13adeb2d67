/*
 * Listing children.  XS_DIRECTORY answers in one reply of at most
 * XENSTORE_PAYLOAD_MAX bytes; a daemon with a longer list answers E2BIG and
 * the list is then read in pieces with XS_DIRECTORY_PART:
 *
 *   request  <path>|<byte offset>|
 *   reply    <generation>|<children from that offset...>
 *
 * The last piece ends with an empty name (two nuls in a row).  If the
 * generation changes between pieces the node changed under us: start over.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

/* Bounds that keep a hostile daemon from running us in circles. */
#define DIR_PART_MAX_BYTES (16u << 20)   /* far beyond any real node */
#define DIR_PART_MAX_RESTARTS 16u
#define DIR_PART_GEN_MAX 32u             /* a decimal 64-bit counter fits */

static char **directory_part(struct svxs_handle *h, svxs_tx_t tx,
                             const char *path, unsigned int *num)
{
    char gen[DIR_PART_GEN_MAX + 1] = "";
    char *list = NULL, **vec;
    size_t off = 0, cap = 0;
    unsigned int restarts = 0;

    for (;;) {
        char offstr[24], *body, *grown;
        size_t blen, glen, clen;
        struct svxs_part parts[2];

        snprintf(offstr, sizeof(offstr), "%zu", off);
        parts[0] = (struct svxs_part){ path, strlen(path) + 1 };
        parts[1] = (struct svxs_part){ offstr, strlen(offstr) + 1 };
        if (svxs_talk(h, tx, XS_DIRECTORY_PART, parts, 2, &body, &blen) < 0) {
            /* No DIRECTORY_PART support: the honest answer is still E2BIG. */
            if (errno == ENOSYS)
                errno = E2BIG;
            goto fail;
        }

        glen = strnlen(body, blen);
        if (glen == blen || glen == 0 || glen > DIR_PART_GEN_MAX) {
            free(body);
            errno = EPROTO;
            goto fail;
        }
        if (off == 0) {
            memcpy(gen, body, glen + 1);
        } else if (strcmp(gen, body) != 0) {
            free(body);
            if (++restarts > DIR_PART_MAX_RESTARTS) {
                errno = EAGAIN;
                goto fail;
            }
            off = 0;        /* keep the buffer, refill it from the start */
            continue;
        }

        clen = blen - glen - 1;
        /* An empty piece past the start would never reach the end. */
        if ((clen == 0 && off > 0) || clen > DIR_PART_MAX_BYTES - off) {
            free(body);
            errno = EPROTO;
            goto fail;
        }
        if (off + clen + 1 > cap) {
            /* Doubling keeps a long list linear, not quadratic, to copy. */
            size_t want = cap * 2 > off + clen + 1 ? cap * 2 : off + clen + 1;

            grown = realloc(list, want);
            if (grown == NULL) {
                free(body);
                goto fail;
            }
            list = grown;
            cap = want;
        }
        memcpy(list + off, body + glen + 1, clen);
        free(body);
        off += clen;

        if (off <= 1 || (list[off - 1] == '\0' && list[off - 2] == '\0'))
            break;
    }

    /* Drop the empty name that ends the list ("" or "...\0" + "\0"). */
    if (off > 0)
        off--;
    vec = svxs_split_strings(list, off, num);
    free(list);
    return vec;

fail:
    {
        int saved = errno;
        free(list);
        errno = saved;
    }
    return NULL;
}

char **svxs_directory(struct svxs_handle *h, svxs_tx_t tx, const char *path,
                      unsigned int *num)
{
    char *body, **vec;
    size_t len;
    int saved;

    if (svxs_talk_str(h, tx, XS_DIRECTORY, path, &body, &len) < 0) {
        if (errno != E2BIG)
            return NULL;
        return directory_part(h, tx, path, num);
    }
    vec = svxs_split_strings(body, len, num);
    saved = errno;
    free(body);
    errno = saved;
    return vec;
}
