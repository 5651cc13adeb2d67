#!/usr/bin/env bash
# Domain building through control interface v2: a privileged test toolstack
# (svguest `builder`) creates domains, gives them memory, writes a 32-bit
# program into one of their frames through a foreign mapping, sets their
# memory map, an HVM param and vCPU 0's PVH entry state, and starts them;
# each says hello on the console, reads the param back and shuts down
# (poweroff only if it read the right value).  The toolstack checks the
# shutdown (the domain is kept until destroyed), destroys it and sees the
# free pages come back.  Shadow-paged built domains from an NPT toolstack,
# then (after=1) NPT built domains from a shadow-paged toolstack.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
GUEST="$BUILD/guests/svguest.elf"
[ -f "$GUEST" ] || fail "no $GUEST (make guests)"
iso="$OUT/builder.iso"
"$ROOT/scripts/mkiso.sh" "$ELF" "$iso" "loglvl=info boot_guests after_boot=poweroff" \
    "$GUEST" "name=toolstack paging=hap mem=64M cpu=1 privileged -- tests=builder built_paging=shadow cycles=3" \
    "$GUEST" "name=toolstack2 paging=shadow mem=64M cpu=2 privileged after=1 -- tests=builder built_paging=hap cycles=2" \
    >/dev/null || fail "cannot build $iso"
start_qemu builder "$iso" bios --smp 3 --mem 1G
wait_for 'boot: all boot domains have ended' 300 || fail "domains did not all end within 300 s"
wait_exit 60
for c in 1 2 3; do
    expect "\\(d[0-9]+\\) hello from a domain built by d1, cycle $c\$"
    expect "\\(d1\\) svguest: builder: cycle $c: domain [0-9]+ built, said hello, shut down \\(poweroff\\), destroyed; free pages ([0-9]+) -> \\1\$"
done
for c in 1 2; do
    expect "\\(d[0-9]+\\) hello from a domain built by d2, cycle $c\$"
    expect "\\(d2\\) svguest: builder: cycle $c: domain [0-9]+ built, said hello, shut down \\(poweroff\\), destroyed; free pages ([0-9]+) -> \\1\$"
done
expect '\(d1\) svguest: builder: refusals as expected'
expect '\(d2\) svguest: builder: refusals as expected'
# The hypervisor's side: creations by each toolstack and five shutdowns.
# ("domain N (built): stopped; kept for its toolstack until destroyed" is
# not looked for: when the destroy comes before the vCPU left its CPU, the
# domain is freed at once and that line never comes.)
expect 'domain [0-9]+ \(built\) created by d1: paging=shadow, 1 vCPUs'
expect 'domain [0-9]+ \(built\) created by d2: paging=hap, 1 vCPUs'
[ "$(tr -d '\r' < "$LOG" | grep -cE 'domain [0-9]+ \(built\) shut down: poweroff')" = 5 ] ||
    fail "log lacks 5 lines 'domain N (built) shut down: poweroff'"
expect '\(d1\) PASS: builder$'
expect '\(d2\) PASS: builder$'
expect_not 'FAIL:|Panic|----\[ splitvisor exception'
[ "$QEMU_STATUS" = 0 ] || fail "QEMU exit status $QEMU_STATUS, expected 0 (ACPI power-off)"
pass
