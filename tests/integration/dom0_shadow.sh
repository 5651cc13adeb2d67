#!/usr/bin/env bash
# dom0 under shadow paging, on SeaBIOS (see dom0.sh).
FIRMWARE=bios DOM0_PAGING=shadow TEST_NAME=dom0_shadow exec bash "$(dirname "$0")/dom0.sh"
