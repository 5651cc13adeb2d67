/*
 * Check runner for the xenstore client library and tools.  Fails when a
 * test fails and also when no test ran, so a suite that silently
 * disappears cannot pass.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *sr = srunner_create(wire_suite());
    int run, failed;

    srunner_add_suite(sr, hostile_suite());
    srunner_add_suite(sr, events_suite());
    srunner_add_suite(sr, directory_suite());
    srunner_add_suite(sr, escape_suite());
    srunner_add_suite(sr, getopt_suite());
    srunner_add_suite(sr, tools_suite());
    srunner_add_suite(sr, tools_ls_suite());

    srunner_run_all(sr, CK_NORMAL);     /* "NN%: Checks: N, Failures: F, Errors: E" */
    run = srunner_ntests_run(sr);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);

    if (run == 0) {
        fprintf(stderr, "xenstore_client: no test ran\n");
        return EXIT_FAILURE;
    }
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
