#!/usr/bin/env bash
# The control interface (include/splitvisor/ctl.h) from a privileged test
# toolstack: physinfo, the domain list, pause/unpause of a busy domain (its
# CPU time stops, then goes on), pinning, counters, readconsole, destroy;
# an ordinary domain is refused (-EPERM), another interface version too
# (-EACCES).  The toolstack also hears VIRQ_DOM_EXC when the domain goes,
# and balloons 64 frames out and back in (decrease_reservation,
# populate_physmap).  Last, it gives itself driver-domain permissions and
# takes them back: fw_cfg's I/O ports (0x510-0x511) read ff without them
# and "QEMU" with them; the HPET's frame (0xfed00, on QEMU's pc machine)
# put in its p2m shows vendor 0x8086 and its period; IRQ 5 is listed.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
GUEST="$BUILD/guests/svguest.elf"
[ -f "$GUEST" ] || fail "no $GUEST (make guests)"
iso="$OUT/control.iso"
"$ROOT/scripts/mkiso.sh" "$ELF" "$iso" "loglvl=info boot_guests after_boot=poweroff" \
    "$GUEST" "name=toolstack paging=hap mem=32M cpu=1 privileged -- tests=ctl target=2" \
    "$GUEST" "name=victim paging=shadow mem=32M cpu=3 -- bench=compute:20000000000" \
    "$GUEST" "name=denied paging=shadow mem=32M cpu=2 -- tests=ctl_denied" \
    >/dev/null || fail "cannot build $iso"
start_qemu control "$iso" bios --smp 4 --mem 1G
wait_for 'boot: all boot domains have ended' 300 || fail "domains did not all end within 300 s"
wait_exit 60
expect '\(d1\) svguest: ctl: physinfo: 4 CPUs'
expect '\(d1\) svguest: ctl: 3 domains listed'
expect '\(d1\) svguest: ctl: paused: \+0 ns in 200 ms; unpaused: \+[1-9][0-9]* ms in 200 ms'
expect "\\(d1\\) svguest: ctl: d2's vCPU moved from CPU 3 to CPU [12]"
expect '\(d1\) svguest: ctl: readconsole: [1-9][0-9]* bytes'
expect 'domain 2 \(victim\) crashed by the hypervisor: destroyed by d1'
expect 'domain 2: destroyed, its 32 MiB of RAM and its tables freed'
expect '\(d1\) svguest: ctl: VIRQ_DOM_EXC on port [0-9]+: [1-9][0-9]* events'
expect '\(d1\) svguest: ctl: balloon: ([0-9]+) -> [0-9]+ -> \1 pages'
expect '\(d1\) svguest: ctl: ioport: fw_cfg reads ff ff ff ff without permission, "QEMU" with it, ff ff ff ff after revoke$'
expect '\(d1\) svguest: ctl: iomem: HPET vendor 0x8086, period [1-9][0-9]* fs through gfn 0x100000$'
expect '\(d1\) svguest: ctl: irq: 5 permitted and listed, revoked$'
expect '\(d1\) PASS: ctl$'
expect '\(d3\) PASS: ctl_denied$'
expect_not 'FAIL:|Panic|----\[ splitvisor exception'
[ "$QEMU_STATUS" = 0 ] || fail "QEMU exit status $QEMU_STATUS, expected 0 (ACPI power-off)"
pass
