#!/usr/bin/env bash
# svguest's paging tests under NPT and shadow paging on bios with shadow_audit on; the isolation domain runs with paging=hap.
. "$(dirname "$0")/guests_common.sh"
run_guests guests_bios_auditon bios 1 hap
