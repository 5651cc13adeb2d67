#!/usr/bin/env bash
# toolstack on OVMF (see toolstack.sh).
FIRMWARE=uefi TEST_NAME=toolstack_uefi exec bash "$(dirname "$0")/toolstack.sh"
