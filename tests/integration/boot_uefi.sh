#!/usr/bin/env bash
# OVMF (q35) -> GRUB (x86_64-efi) -> splitvisor, 4 CPUs, clean ACPI power-off.
. "$(dirname "$0")/boot_common.sh"
boot_and_check uefi
expect 'boot: booted through UEFI'
