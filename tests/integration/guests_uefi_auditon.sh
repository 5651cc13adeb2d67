#!/usr/bin/env bash
# svguest's paging tests under NPT and shadow paging on uefi with shadow_audit on; the isolation domain runs with paging=shadow.
. "$(dirname "$0")/guests_common.sh"
run_guests guests_uefi_auditon uefi 1 shadow
