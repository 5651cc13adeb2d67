/* See path.h. */
#include "path.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

#include "util.h"

bool path_valid_chars(const char *p)
{
    for (; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '_' ||
              c == '@'))
            return false;
    }
    return true;
}

bool path_is_valid_abs(const char *p)
{
    size_t len = strlen(p);
    if (len == 0 || p[0] != '/' || len > XENSTORE_ABS_PATH_MAX)
        return false;
    if (len > 1 && p[len - 1] == '/')
        return false;
    if (strstr(p, "//"))
        return false;
    return path_valid_chars(p);
}

bool path_is_special_node(const char *p)
{
    return strcmp(p, XS_SPECIAL_INTRODUCE) == 0 ||
           strcmp(p, XS_SPECIAL_RELEASE) == 0;
}

void path_domain_home(unsigned domid, char *buf, size_t len)
{
    snprintf(buf, len, "/local/domain/%u", domid);
}

int path_canonicalize(const char *in, unsigned domid, enum path_kind kind,
                      char **out, size_t *rel_prefix)
{
    size_t len = strlen(in);
    *out = NULL;
    if (rel_prefix)
        *rel_prefix = 0;

    if (in[0] == '@') {
        if (kind == PATH_NODE || (kind == PATH_PERMS && !path_is_special_node(in)))
            return EINVAL;
        if (len > XENSTORE_ABS_PATH_MAX || !path_valid_chars(in))
            return EINVAL;
        *out = xs_strdup(in);
        return *out ? 0 : ENOMEM;
    }
    if (in[0] == '/') {
        if (!path_is_valid_abs(in))
            return EINVAL;
        *out = xs_strdup(in);
        return *out ? 0 : ENOMEM;
    }
    /* Relative: the empty path is refused like any other invalid one. */
    if (len == 0 || len > XENSTORE_REL_PATH_MAX)
        return EINVAL;
    char home[32];
    path_domain_home(domid, home, sizeof(home));
    size_t hl = strlen(home);
    char *p = malloc(hl + 1 + len + 1);
    if (!p)
        return ENOMEM;
    memcpy(p, home, hl);
    p[hl] = '/';
    memcpy(p + hl + 1, in, len + 1);
    if (!path_is_valid_abs(p)) {
        free(p);
        return EINVAL;
    }
    *out = p;
    if (rel_prefix)
        *rel_prefix = hl + 1;
    return 0;
}

bool path_is_child(const char *child, const char *parent)
{
    if (strcmp(parent, "/") == 0)
        return true;
    size_t n = strlen(parent);
    if (strncmp(child, parent, n) != 0)
        return false;
    return child[n] == '/' || child[n] == '\0';
}

char *path_parent(const char *p)
{
    const char *slash = strrchr(p, '/');
    if (!slash || slash == p)
        return xs_strdup("/");
    size_t n = (size_t)(slash - p);
    char *r = malloc(n + 1);
    if (!r)
        return NULL;
    memcpy(r, p, n);
    r[n] = '\0';
    return r;
}

const char *path_basename(const char *p)
{
    const char *slash = strrchr(p, '/');
    return slash ? slash + 1 : p;
}

char *path_join(const char *parent, const char *name)
{
    size_t pl = strlen(parent), nl = strlen(name);
    if (strcmp(parent, "/") == 0)
        pl = 0;
    char *r = malloc(pl + 1 + nl + 1);
    if (!r)
        return NULL;
    memcpy(r, parent, pl);
    r[pl] = '/';
    memcpy(r + pl + 1, name, nl + 1);
    return r;
}
