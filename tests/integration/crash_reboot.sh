#!/usr/bin/env bash
# Without noreboot a panic reboots the machine after five seconds
# (QEMU runs with -no-reboot, so it exits).
. "$(dirname "$0")/lib.sh"
iso=$(iso_for crash-ud "crash=ud")
start_qemu crash-ud "$iso" bios --smp 2
wait_for 'Reboot in five seconds' 240 || fail "no panic within 240 s"
expect 'vector 6: invalid opcode \(#UD\)'
wait_exit 60
expect 'Rebooting'
pass
