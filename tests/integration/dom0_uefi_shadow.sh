#!/usr/bin/env bash
# dom0 under shadow paging, on OVMF (see dom0.sh).
FIRMWARE=uefi DOM0_PAGING=shadow TEST_NAME=dom0_uefi_shadow exec bash "$(dirname "$0")/dom0.sh"
