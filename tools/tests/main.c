/*
 * The Check runner of the toolstack's host unit tests.  It fails when any
 * test fails and also when no test ran, so a suite that silently drops out
 * cannot turn the build green.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

/* One line per suite; each lives in tests/test_<component>.c. */
Suite *xlcfg_suite(void);

int main(void)
{
    SRunner *sr = srunner_create(xlcfg_suite());

    srunner_run_all(sr, CK_NORMAL);     /* "NN%: Checks: N, Failures: F, Errors: E" */
    int run = srunner_ntests_run(sr);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);

    if (run == 0) {
        fprintf(stderr, "run-unit-tools: no test ran\n");
        return EXIT_FAILURE;
    }
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
