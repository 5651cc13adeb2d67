/*
 * One Check runner for every host-built unit suite.  It fails when any test
 * fails and also when no test ran at all, so a suite that silently
 * disappears cannot turn the build green.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *sr = srunner_create(fmt_suite());

    srunner_add_suite(sr, logring_suite());
    srunner_add_suite(sr, printk_suite());
    srunner_add_suite(sr, cmdline_suite());
    srunner_add_suite(sr, memmap_suite());
    srunner_add_suite(sr, buddy_suite());
    srunner_add_suite(sr, xmalloc_suite());
    srunner_add_suite(sr, multiboot2_suite());
    srunner_add_suite(sr, acpi_suite());
    srunner_add_suite(sr, p2m_suite());
    srunner_add_suite(sr, guest_walk_suite());
    srunner_add_suite(sr, pvh_loader_suite());
    srunner_add_suite(sr, x86_decode_suite());
    srunner_add_suite(sr, x86_emulate_suite());
    srunner_add_suite(sr, shadow_suite());
    srunner_add_suite(sr, grant_table_suite());
    srunner_add_suite(sr, event_channel_suite());
    srunner_add_suite(sr, pvclock_suite());
    srunner_add_suite(sr, wallclock_suite());
    srunner_add_suite(sr, sched_credit_suite());
    srunner_add_suite(sr, vcpu_context_suite());
    srunner_add_suite(sr, foreign_map_suite());
    srunner_add_suite(sr, dom0_layout_suite());
    srunner_add_suite(sr, acpi_dom0_suite());
    srunner_add_suite(sr, ipi_guard_suite());

    srunner_run_all(sr, CK_NORMAL);     /* prints "NN%: Checks: N, Failures: F, Errors: E" */
    int run = srunner_ntests_run(sr);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);

    if (run == 0) {
        fprintf(stderr, "unit: no test ran\n");
        return EXIT_FAILURE;
    }
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
