#!/usr/bin/env bash
# dom0 on SeaBIOS (see dom0.sh).
FIRMWARE=bios TEST_NAME=dom0_bios exec bash "$(dirname "$0")/dom0.sh"
