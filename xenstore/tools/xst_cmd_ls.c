/*
 * xenstore-ls [-f] [-p] [-s] [path...]
 *
 * The tree below each path (default "/"), one node per line:
 *
 *   name = "value"          indented one space per level
 *   /full/path = "value"    with -f
 *   name:                   when the value cannot be read
 *
 * Lines are cut to the terminal width (80 columns when not a terminal,
 * width - 2 on one) by shortening the value to end in \..." ; -p adds
 * "  (perms)" after the value, first padding short lines with ". . ." to
 * column 60.  The arithmetic below reproduces Debian's tool column for
 * column, quirks included (a name is never cut when there is no room for
 * any of it; a value's length is measured before escaping).
 *
 * Lines go straight to the output, not through the transaction buffer:
 * ls runs outside a transaction and prints what it got before a failure.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xst_escape.h"
#include "xst_internal.h"

/* strlen(" = \"...\""): the room a cut value needs. */
#define TAG_LEN 8
/* Longest path Debian's tool will read a value for. */
#define STRING_MAX (XENSTORE_ABS_PATH_MAX + 1024)

/* printf("%.*s") with Debian's rule that a negative width means "all". */
static int print_cut(FILE *out, const char *s, long long width)
{
    if (width < 0 || width > 0x7fffffff)
        return fprintf(out, "%s", s);
    return fprintf(out, "%.*s", (int)width, s);
}

static void print_perms(struct xst_ctx *c, const char *path, const char *name)
{
    FILE *out = c->env->out;
    unsigned int i, num;
    struct xs_permissions *perms = svxs_get_perms(c->h, SVXS_TX_NONE, path,
                                                  &num);

    if (perms == NULL) {
        xst_warn(c, "\ncould not access permissions for %s", name);
        return;
    }
    fputs("  (", out);
    for (i = 0; i < num; i++) {
        char buf[16];

        if (i > 0)
            fputc(',', out);
        if (svxs_perm_to_string(&perms[i], buf, sizeof(buf)) == 0)
            fputs(buf, out);
    }
    fputc(')', out);
    free(perms);
}

static void print_value(struct xst_ctx *c, const char *val, size_t len,
                        long long linewid)
{
    FILE *out = c->env->out;
    char *text = xst_escape(val, len);
    const char *t = text != NULL ? text : "(null)";
    long long limit;

    /* Debian compares as unsigned, so a negative width never cuts. */
    if (c->max_width >= 0 &&
        (long long)c->max_width < linewid + (long long)len + TAG_LEN) {
        fputs(" = \"", out);
        print_cut(out, t, (long long)c->max_width - TAG_LEN - linewid);
        fputs("\\...\"", out);
    } else {
        linewid += fprintf(out, " = \"%s\"", t);
        if (c->o.prefix) {
            fputc(' ', out);
            limit = c->desired_width < c->max_width ? c->desired_width
                                                    : c->max_width;
            for (linewid++; linewid < limit; linewid++)
                fputc((linewid & 1) ? '.' : ' ', out);
        }
    }
    free(text);
}

static enum xst_status ls_tree(struct xst_ctx *c, const char *path, int depth)
{
    FILE *out = c->env->out;
    unsigned int i, num;
    size_t plen = strlen(path);
    bool has_slash = plen > 0 && path[plen - 1] == '/';
    char **kids = svxs_directory(c->h, SVXS_TX_NONE, path, &num);

    if (kids == NULL) {
        /* A node that vanished while we walked is no error. */
        if (depth > 0 && errno == ENOENT)
            return XST_OK;
        xst_warn(c, "xs_directory (%s)", path);
        return XST_DIE;
    }

    for (i = 0; i < num; i++) {
        size_t len = 0;
        char *val = NULL, *child;
        long long linewid = 0;
        int d;

        child = malloc(plen + strlen(kids[i]) + 2);
        if (child == NULL) {
            free(kids);
            xst_warn(c, "malloc in do_ls");
            return XST_DIE;
        }
        sprintf(child, "%s%s%s", path, has_slash ? "" : "/", kids[i]);

        if (c->o.flat) {
            fputs(child, out);      /* and the width count stays at 0 */
        } else {
            for (d = 0; d < depth; d++)
                fputc(' ', out);
            linewid = depth;
            linewid += print_cut(out, kids[i],
                                 (long long)c->max_width - TAG_LEN - linewid);
        }

        if (strlen(child) < STRING_MAX)
            val = svxs_read(c->h, SVXS_TX_NONE, child, &len);
        if (val == NULL)
            fputs(":\n", out);      /* sic: the line break comes twice */
        else
            print_value(c, val, len, linewid);
        free(val);

        if (c->o.prefix)
            print_perms(c, child, kids[i]);
        fputc('\n', out);

        if (ls_tree(c, child, depth + 1) == XST_DIE) {
            free(child);
            free(kids);
            return XST_DIE;
        }
        free(child);
    }
    free(kids);
    return XST_OK;
}

enum xst_status xst_cmd_ls(struct xst_ctx *c, char **ops, int n)
{
    int i;

    if (n == 0)
        return ls_tree(c, "/", 0);
    for (i = 0; i < n; i++)
        if (ls_tree(c, ops[i], 0) == XST_DIE)
            return XST_DIE;
    return XST_OK;
}
