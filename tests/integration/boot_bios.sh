#!/usr/bin/env bash
# SeaBIOS -> GRUB (i386-pc) -> splitvisor, 4 CPUs, clean ACPI power-off.
. "$(dirname "$0")/boot_common.sh"
boot_and_check bios
