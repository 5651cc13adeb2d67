#!/usr/bin/env bash
# split drivers, bios firmware, guests on shadow paging (see split.sh).
FIRMWARE=bios PAGING=shadow TEST_NAME=split_bios_shadow exec bash "$(dirname "$0")/split.sh"
