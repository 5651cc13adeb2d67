/*
 * xenstore-chmod [-r] [-s] [-u] key perm...
 *
 * PERM is a letter (n, r, w, b) and a domain id: "r5".  The first one
 * names the owner and the access of every domain not listed.  -u applies
 * the same permissions to every parent up to (not including) "/", -r to
 * every node below.
 *
 * One deliberate difference from Debian's tool: children of "/" are named
 * "/local", not "//local", so "xenstore-chmod -r / ..." works, and child
 * paths are not cut at 255 characters.
 */
#include <stdlib.h>
#include <string.h>

#include "xst_internal.h"

static enum xst_status chmod_path(struct xst_ctx *c, char *path,
                                  const struct xs_permissions *perms,
                                  unsigned int nperms, bool upto,
                                  bool recurse)
{
    if (path[0] == '\0')
        return XST_OK;      /* walked up past the top */

    if (svxs_set_perms(c->h, c->tx, path, perms, nperms) < 0) {
        xst_warn(c, "Error occurred setting permissions on '%s'", path);
        return XST_DIE;
    }

    if (upto) {
        char *slash = strrchr(path, '/');
        enum xst_status st;

        if (slash == NULL) {
            xst_warnx(c, "Unable to locate path separator '%c' in '%s'",
                      '/', path);
            return XST_DIE;
        }
        *slash = '\0';
        st = chmod_path(c, path, perms, nperms, true, false);
        *slash = '/';
        if (st != XST_OK)
            return st;
    }

    if (recurse) {
        size_t plen = strlen(path);
        bool has_slash = plen > 0 && path[plen - 1] == '/';
        unsigned int i, num;
        char **kids = svxs_directory(c->h, c->tx, path, &num);

        /* A node we cannot list has no children we could change. */
        if (kids == NULL)
            return XST_OK;
        for (i = 0; i < num; i++) {
            char *child = malloc(plen + strlen(kids[i]) + 2);
            enum xst_status st;

            if (child == NULL) {
                free(kids);
                return XST_DIE;
            }
            strcpy(child, path);
            if (!has_slash)
                strcat(child, "/");
            strcat(child, kids[i]);
            st = chmod_path(c, child, perms, nperms, false, true);
            free(child);
            if (st != XST_OK) {
                free(kids);
                return st;
            }
        }
        free(kids);
    }
    return XST_OK;
}

enum xst_status xst_cmd_chmod(struct xst_ctx *c, char **ops, int n)
{
    unsigned int i, nperms = (unsigned int)(n - 1);
    struct xs_permissions *perms = calloc(nperms + 1, sizeof(*perms));
    enum xst_status st;
    char *path;

    if (perms == NULL)
        return XST_DIE;
    for (i = 0; i < nperms; i++) {
        const char *spec = ops[i + 1];

        /* atoi() semantics on purpose: "r0x" is r0, "rfoo" is r0. */
        perms[i].id = (unsigned int)strtol(spec + 1, NULL, 10);
        switch (spec[0]) {
        case 'n': perms[i].perms = XS_PERM_NONE; break;
        case 'r': perms[i].perms = XS_PERM_READ; break;
        case 'w': perms[i].perms = XS_PERM_WRITE; break;
        case 'b': perms[i].perms = XS_PERM_READ | XS_PERM_WRITE; break;
        default:
            xst_warnx(c, "Invalid permission specification: '%c'", spec[0]);
            free(perms);
            return XST_DIE;
        }
    }
    /* -u writes nuls into the path while it walks up: use a copy. */
    path = strdup(ops[0]);
    if (path == NULL) {
        free(perms);
        return XST_DIE;
    }
    st = chmod_path(c, path, perms, nperms, c->o.upto, c->o.recurse);
    free(path);
    free(perms);
    return st;
}
