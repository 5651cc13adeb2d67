#!/usr/bin/env bash
# after_boot=reboot goes through the ACPI reset register; QEMU (-no-reboot) exits.
. "$(dirname "$0")/lib.sh"
iso=$(iso_for reboot "after_boot=reboot")
start_qemu reboot "$iso" uefi --smp 2
wait_for 'Rebooting' 240 || fail "no reboot within 240 s"
wait_exit 30
expect 'SMP: all 2 CPUs online'
pass
