/*
 * Check runner for xenstored.  Fails when a test fails and when no test
 * ran at all, so a suite that disappears cannot turn the build green.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *sr = srunner_create(xs_path_suite());
    srunner_add_suite(sr, xs_tree_suite());
    srunner_add_suite(sr, xs_perms_suite());
    srunner_add_suite(sr, xs_txn_suite());
    srunner_add_suite(sr, xs_watch_suite());
    srunner_add_suite(sr, xs_quota_suite());
    srunner_add_suite(sr, xs_directory_suite());
    srunner_add_suite(sr, xs_message_suite());
    srunner_add_suite(sr, xs_domain_suite());
    srunner_add_suite(sr, xs_control_suite());
    srunner_add_suite(sr, xs_ring_suite());
    srunner_add_suite(sr, xs_persist_suite());
    srunner_add_suite(sr, xs_e2e_suite());

    srunner_run_all(sr, CK_NORMAL);   /* prints "NN%: Checks: N, Failures: F, Errors: E" */
    int run = srunner_ntests_run(sr);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);

    if (run == 0) {
        fprintf(stderr, "xenstore unit: no test ran\n");
        return EXIT_FAILURE;
    }
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
