/*
 * GNU-compatible option scanning (see xst_getopt.h).  The messages are
 * glibc's, word for word, because scripts and people compare them with
 * Debian's xenstore tools.
 */
#include <stdlib.h>
#include <string.h>

#include "xst_getopt.h"

int xst_getopt_init(struct xst_getopt *g, int argc, char **argv,
                    const char *shortopts, const struct xst_longopt *longopts,
                    FILE *err)
{
    memset(g, 0, sizeof(*g));
    g->argc = argc;
    g->argv = argv;
    g->shortopts = shortopts;
    g->longopts = longopts;
    g->err = err;
    g->ind = 1;
    g->operands = calloc((size_t)(argc > 0 ? argc : 1), sizeof(char *));
    return g->operands != NULL ? 0 : -1;
}

void xst_getopt_free(struct xst_getopt *g)
{
    free(g->operands);
    g->operands = NULL;
}

static int long_option(struct xst_getopt *g, const char *arg)
{
    const char *eq = strchr(arg, '=');
    size_t n = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
    const struct xst_longopt *o, *found = NULL;
    int matches = 0;

    for (o = g->longopts; o->name != NULL; o++) {
        if (strncmp(o->name, arg, n) != 0)
            continue;
        if (strlen(o->name) == n) {     /* an exact match always wins */
            found = o;
            matches = 1;
            break;
        }
        if (found == NULL)
            found = o;
        matches++;
    }
    if (matches == 0) {
        fprintf(g->err, "%s: unrecognized option '--%s'\n", g->argv[0], arg);
        return '?';
    }
    if (matches > 1) {
        fprintf(g->err, "%s: option '--%s' is ambiguous; possibilities:",
                g->argv[0], arg);
        for (o = g->longopts; o->name != NULL; o++)
            if (strncmp(o->name, arg, n) == 0)
                fprintf(g->err, " '--%s'", o->name);
        fputc('\n', g->err);
        return '?';
    }
    if (found->has_arg) {
        if (eq != NULL) {
            g->optarg = eq + 1;
        } else if (g->ind < g->argc) {
            g->optarg = g->argv[g->ind++];
        } else {
            fprintf(g->err, "%s: option '--%s' requires an argument\n",
                    g->argv[0], found->name);
            return '?';
        }
    } else if (eq != NULL) {
        fprintf(g->err, "%s: option '--%s' doesn't allow an argument\n",
                g->argv[0], found->name);
        return '?';
    }
    return found->val;
}

static int short_option(struct xst_getopt *g)
{
    char c = *g->cluster++;
    const char *spec = c != ':' ? strchr(g->shortopts, c) : NULL;

    if (spec == NULL) {
        fprintf(g->err, "%s: invalid option -- '%c'\n", g->argv[0], c);
        if (*g->cluster == '\0')
            g->cluster = NULL;
        return '?';
    }
    if (spec[1] == ':') {
        if (*g->cluster != '\0') {
            g->optarg = g->cluster;     /* "-n5" */
        } else if (g->ind < g->argc) {
            g->optarg = g->argv[g->ind++];
        } else {
            fprintf(g->err, "%s: option requires an argument -- '%c'\n",
                    g->argv[0], c);
            g->cluster = NULL;
            return '?';
        }
        g->cluster = NULL;
        return c;
    }
    if (*g->cluster == '\0')
        g->cluster = NULL;
    return c;
}

int xst_getopt_next(struct xst_getopt *g)
{
    g->optarg = NULL;
    if (g->cluster != NULL)
        return short_option(g);

    while (g->ind < g->argc) {
        char *arg = g->argv[g->ind++];

        if (g->done || arg[0] != '-' || arg[1] == '\0') {
            g->operands[g->noperands++] = arg;   /* "-" is an operand */
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            g->done = true;
            continue;
        }
        if (arg[1] == '-')
            return long_option(g, arg + 2);
        g->cluster = arg + 1;
        return short_option(g);
    }
    return -1;
}
