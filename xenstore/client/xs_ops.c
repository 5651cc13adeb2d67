/*
 * The plain requests: values, nodes, transactions, domain paths.  Each is
 * a thin layer over svxs_talk() that knows its payload layout and how to
 * check the reply it gets back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

/*
 * A string reply is one string and its nul, nothing after it.  The body
 * already has an extra nul past its end (svxs_read_msg), so this only
 * rejects what the daemon must not send.
 */
static int check_string_reply(const char *body, size_t len)
{
    if (len == 0 || body[len - 1] != '\0' || strlen(body) != len - 1) {
        errno = EPROTO;
        return -1;
    }
    return 0;
}

char *svxs_read(struct svxs_handle *h, svxs_tx_t tx, const char *path,
                size_t *len)
{
    char *body;
    size_t blen;

    if (svxs_talk_str(h, tx, XS_READ, path, &body, &blen) < 0)
        return NULL;
    if (len != NULL)
        *len = blen;
    return body;        /* values are bytes: no nul required on the wire */
}

int svxs_write(struct svxs_handle *h, svxs_tx_t tx, const char *path,
               const void *data, size_t len)
{
    /* The value is not nul-terminated: its length is the rest of the body. */
    struct svxs_part parts[2] = {
        { path, strlen(path) + 1 },
        { data, len },
    };

    return svxs_talk(h, tx, XS_WRITE, parts, 2, NULL, NULL);
}

int svxs_mkdir(struct svxs_handle *h, svxs_tx_t tx, const char *path)
{
    return svxs_talk_str(h, tx, XS_MKDIR, path, NULL, NULL);
}

int svxs_rm(struct svxs_handle *h, svxs_tx_t tx, const char *path)
{
    return svxs_talk_str(h, tx, XS_RM, path, NULL, NULL);
}

int svxs_transaction_start(struct svxs_handle *h, svxs_tx_t *tx)
{
    char *body, *end;
    size_t len;
    unsigned long id;

    if (svxs_talk_str(h, SVXS_TX_NONE, XS_TRANSACTION_START, "", &body,
                      &len) < 0)
        return -1;
    if (check_string_reply(body, len) < 0)
        goto bad;
    if (body[0] < '0' || body[0] > '9')
        goto bad;
    errno = 0;
    id = strtoul(body, &end, 10);
    /* 0 would mean "no transaction" and silently bypass it. */
    if (errno != 0 || *end != '\0' || id == 0 || id > UINT32_MAX)
        goto bad;
    free(body);
    *tx = (svxs_tx_t)id;
    return 0;
bad:
    free(body);
    errno = EPROTO;
    return -1;
}

int svxs_transaction_end(struct svxs_handle *h, svxs_tx_t tx, bool abort)
{
    return svxs_talk_str(h, tx, XS_TRANSACTION_END, abort ? "F" : "T",
                         NULL, NULL);
}

char *svxs_get_domain_path(struct svxs_handle *h, unsigned int domid)
{
    char arg[16], *body;
    size_t len;

    snprintf(arg, sizeof(arg), "%u", domid);
    if (svxs_talk_str(h, SVXS_TX_NONE, XS_GET_DOMAIN_PATH, arg, &body,
                      &len) < 0)
        return NULL;
    if (check_string_reply(body, len) < 0) {
        free(body);
        errno = EPROTO;
        return NULL;
    }
    return body;
}
