/*
 * Runs every suite as one runner; fails if any test failed or if no test
 * ran at all.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tests.h"

int main(void)
{
    SRunner *sr = srunner_create(csum_suite());
    srunner_add_suite(sr, offload_suite());
    srunner_add_suite(sr, fe_config_suite());
    srunner_add_suite(sr, tx_suite());
    srunner_add_suite(sr, rx_suite());
    srunner_run_all(sr, CK_NORMAL);
    int ran = srunner_ntests_run(sr), failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (ran == 0) {
        fprintf(stderr, "no test ran\n");
        return EXIT_FAILURE;
    }
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
