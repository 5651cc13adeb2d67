#!/usr/bin/env bash
# Run every integration test with its own timeout; print a summary line in
# the plain "N passed, N failed" form.  Fails when no test ran.
set -u
dir=$(cd "$(dirname "$0")" && pwd)
TESTS=${TESTS:-"boot_bios boot_uefi crash_pf crash_df crash_reboot no_svm reboot debug_keys guests_bios_auditoff guests_bios_auditon guests_uefi_auditoff guests_uefi_auditon xen_abi_bios xen_abi_uefi control builder smp dom0_bios dom0_uefi dom0_shadow dom0_uefi_shadow dom0_console dom0_soak toolstack_bios toolstack_uefi split_bios split_uefi split_bios_shadow split_uefi_shadow fuzz"}
TEST_TIMEOUT=${TEST_TIMEOUT:-1000}
passed=0 failed=0 failed_names=""
start=$(date +%s)
for t in $TESTS; do
    t0=$(date +%s)
    if timeout --kill-after=10 "$TEST_TIMEOUT" bash "$dir/$t.sh"; then
        passed=$((passed + 1))
    else
        status=$?
        [ "$status" = 124 ] && echo "FAIL: $t: timed out after ${TEST_TIMEOUT}s"
        failed=$((failed + 1))
        failed_names="$failed_names $t"
    fi
    echo "      ($t: $(( $(date +%s) - t0 )) s)"
done
echo "integration: $(( $(date +%s) - start )) s in all"
[ -n "$failed_names" ] && echo "integration: failed:$failed_names"
echo "integration: $passed passed, $failed failed"
[ $((passed + failed)) -gt 0 ] || { echo "integration: no test ran"; exit 1; }
[ "$failed" = 0 ]
