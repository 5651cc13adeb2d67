#!/usr/bin/env bash
# split drivers, uefi firmware, guests on hap paging (see split.sh).
FIRMWARE=uefi PAGING=hap TEST_NAME=split_uefi exec bash "$(dirname "$0")/split.sh"
