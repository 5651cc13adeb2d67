#!/usr/bin/env bash
# toolstack on SeaBIOS (see toolstack.sh).
FIRMWARE=bios TEST_NAME=toolstack_bios exec bash "$(dirname "$0")/toolstack.sh"
