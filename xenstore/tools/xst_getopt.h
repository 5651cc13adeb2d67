/*
 * Option parsing with GNU getopt_long()'s behaviour and messages, but no
 * global state, so the tools can run many times in one process (the unit
 * tests do) and report to any stream.  Options and operands may be mixed;
 * "--" ends the options; long options may be abbreviated.
 */
#ifndef XST_GETOPT_H
#define XST_GETOPT_H

#include <stdbool.h>
#include <stdio.h>

struct xst_longopt {
    const char *name;
    bool has_arg;
    int val;
};

struct xst_getopt {
    /* set by the caller */
    int argc;
    char **argv;                /* argv[0] names the program in messages */
    const char *shortopts;      /* getopt-style: "hn:" */
    const struct xst_longopt *longopts;     /* ends with a NULL name */
    FILE *err;
    /* results */
    const char *optarg;
    char **operands;            /* non-options in order; caller frees */
    int noperands;
    /* scanning state */
    int ind;
    const char *cluster;        /* rest of "-abc" being read */
    bool done;
};

/* Set up G; returns -1 if out of memory. */
int xst_getopt_init(struct xst_getopt *g, int argc, char **argv,
                    const char *shortopts, const struct xst_longopt *longopts,
                    FILE *err);
/* Next option character, '?' after reporting a bad one, -1 at the end. */
int xst_getopt_next(struct xst_getopt *g);
void xst_getopt_free(struct xst_getopt *g);

#endif /* XST_GETOPT_H */
