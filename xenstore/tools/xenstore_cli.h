/*
 * The xenstore-* tools as a function, so the unit tests can run them
 * against a fake daemon and capture what they print.  The program's main()
 * is only xst_main() on stdout and stderr.
 */
#ifndef XENSTORE_CLI_H
#define XENSTORE_CLI_H

#include <stdio.h>

struct xst_env {
    FILE *out;
    FILE *err;
    /*
     * Terminal width for xenstore-ls: < 0 asks the terminal behind OUT
     * (and uses 80 columns when it is not one, as Debian's tool does).
     */
    int columns;
};

/*
 * Run one tool: argv[0]'s basename "xenstore-read" etc., or "xenstore"
 * with the command in argv[1].  Returns the exit status.  ARGV may be
 * reordered (options before operands), as getopt does.
 */
int xst_main(int argc, char **argv, const struct xst_env *env);

#endif /* XENSTORE_CLI_H */
