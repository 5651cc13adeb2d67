/*
 * xenstore, xenstore-read, xenstore-write, ...: one binary, named by the
 * link it is run through (see xst_main.c).
 */
#include <stdio.h>

#include "xenstore_cli.h"

int main(int argc, char **argv)
{
    const struct xst_env env = { .out = stdout, .err = stderr, .columns = -1 };

    return xst_main(argc, argv, &env);
}
