#!/usr/bin/env bash
# split drivers, bios firmware, guests on hap paging (see split.sh).
FIRMWARE=bios PAGING=hap TEST_NAME=split_bios exec bash "$(dirname "$0")/split.sh"
