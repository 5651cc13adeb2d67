#!/usr/bin/env bash
# The hypercall fuzzer (svguest's hypercall_fuzz, fixed seeds): one domain
# under shadow paging and one under NPT throw random and boundary arguments
# at every hypercall while a bystander runs the paging tests; the
# hypervisor must not crash and the bystander must finish.  FUZZ_CALLS
# (default 100000 per fuzzer) and FUZZ_SEED make the longer `make fuzz`.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
GUEST="$BUILD/guests/svguest.elf"
CALLS=${FUZZ_CALLS:-100000}
SEED=${FUZZ_SEED:-1}
[ -f "$GUEST" ] || fail "no $GUEST (make guests)"
iso="$OUT/fuzz.iso"
"$ROOT/scripts/mkiso.sh" "$ELF" "$iso" "loglvl=info boot_guests after_boot=poweroff" \
    "$GUEST" "name=fuzzshadow paging=shadow mem=32M cpu=1 -- tests=hypercall_fuzz seed=$SEED calls=$CALLS" \
    "$GUEST" "name=fuzzhap paging=hap mem=32M cpu=2 -- tests=hypercall_fuzz seed=$((SEED + 1)) calls=$CALLS" \
    "$GUEST" "name=bystander paging=shadow mem=32M cpu=3 -- tests=all" \
    >/dev/null || fail "cannot build $iso"
start_qemu fuzz "$iso" bios --smp 4 --mem 1G
wait_for 'boot: all boot domains have ended' $((300 + CALLS / 500)) || fail "domains did not all end"
wait_exit 60
expect '\(d1\) PASS: hypercall_fuzz$'
expect '\(d2\) PASS: hypercall_fuzz$'
expect '\(d3\) svguest: [1-9][0-9]* passed, 0 failed'
expect 'domain 1 \(fuzzshadow\) ended \(shut down\)'
expect 'domain 2 \(fuzzhap\) ended \(shut down\)'
expect 'domain 3 \(bystander\) ended \(shut down\)'
expect_not 'FAIL:|Panic|----\[ splitvisor exception|bad free'
[ "$QEMU_STATUS" = 0 ] || fail "QEMU exit status $QEMU_STATUS, expected 0 (ACPI power-off)"
pass
