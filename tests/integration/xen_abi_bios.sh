#!/usr/bin/env bash
# Event channels and grants, SeaBIOS: 100k event round trips between two
# CPUs, pinger on NPT and ponger on shadow paging.
. "$(dirname "$0")/xen_abi_common.sh"
run_abi xen_abi_bios bios hap shadow 100000 2
