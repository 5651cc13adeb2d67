#!/usr/bin/env bash
# split drivers, uefi firmware, guests on shadow paging (see split.sh).
FIRMWARE=uefi PAGING=shadow TEST_NAME=split_uefi_shadow exec bash "$(dirname "$0")/split.sh"
