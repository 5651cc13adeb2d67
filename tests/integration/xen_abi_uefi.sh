#!/usr/bin/env bash
# Event channels and grants, OVMF: the paging modes swapped, and the two
# event peers share one CPU (the scheduler switches them on every event).
. "$(dirname "$0")/xen_abi_common.sh"
run_abi xen_abi_uefi uefi shadow hap 10000 1
