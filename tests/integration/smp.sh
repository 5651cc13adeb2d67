#!/usr/bin/env bash
# A boot domain with two vCPUs (vcpus=2): vCPU 1 is down until the guest
# initialises it (64-bit, its page tables) and brings it up; it puts itself
# down and is resumed where it was, and is put down by vCPU 0 while it
# spins.  SCHEDOP_poll: a pending masked port returns at once, a timeout
# returns when it passes, an event sent by vCPU 1 wakes vCPU 0, bad
# arguments are refused.  Then (svguest `contin`) hypercalls that need
# continuations: 10000 frames ballooned out and back in one call each,
# 1000 grant copies in one call.  Shadow paging, then (after=1) NPT.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
GUEST="$BUILD/guests/svguest.elf"
[ -f "$GUEST" ] || fail "no $GUEST (make guests)"
iso="$OUT/smp.iso"
"$ROOT/scripts/mkiso.sh" "$ELF" "$iso" "loglvl=info boot_guests after_boot=poweroff" \
    "$GUEST" "name=smp_shadow vcpus=2 paging=shadow mem=160M -- tests=smp,contin" \
    "$GUEST" "name=smp_hap vcpus=2 paging=hap mem=160M after=1 -- tests=smp,contin" \
    >/dev/null || fail "cannot build $iso"
start_qemu smp "$iso" bios --smp 3 --mem 1G
wait_for 'boot: all boot domains have ended' 400 || fail "domains did not all end within 400 s"
wait_exit 60
for d in 1 2; do
    expect "\\(d$d\\) svguest: smp: vCPU 1: up, ran, put itself down; up again: resumed"
    expect "\\(d$d\\) svguest: smp: vCPU 1 put down by vCPU 0 after [0-9]+ spins \\(none in 200 ms\\)"
    expect "\\(d$d\\) svguest: smp: poll of a pending masked port: 0 after [0-9] ms"
    expect "\\(d$d\\) svguest: smp: poll with timeout now\\+50 ms: 0 after (49|[5-9][0-9]|[1-9][0-9][0-9]+) ms"
    expect "\\(d$d\\) svguest: smp: poll \\(timeout 5 s\\) while vCPU 1 sends after 100 ms: 0 after [0-9]+ ms"
    expect "\\(d$d\\) svguest: contin: 10000 frames given back in one call"
    expect "\\(d$d\\) svguest: contin: GNTTABOP_copy: 1000 copies in one call"
    expect "\\(d$d\\) PASS: smp\$"
    expect "\\(d$d\\) PASS: contin\$"
done
# Ballooned out and back in: each domain ends with all of its RAM.
expect 'domain 1: destroyed, its 159 MiB of RAM and its tables freed'
expect 'domain 2: destroyed, its 159 MiB of RAM and its tables freed'
expect_not 'FAIL:|Panic|----\[ splitvisor exception'
[ "$QEMU_STATUS" = 0 ] || fail "QEMU exit status $QEMU_STATUS, expected 0 (ACPI power-off)"
pass
