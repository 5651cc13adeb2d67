#!/usr/bin/env bash
# dom0 on OVMF (see dom0.sh).
FIRMWARE=uefi TEST_NAME=dom0_uefi exec bash "$(dirname "$0")/dom0.sh"
