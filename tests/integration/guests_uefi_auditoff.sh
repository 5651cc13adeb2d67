#!/usr/bin/env bash
# svguest's paging tests under NPT and shadow paging on uefi with shadow_audit off; the isolation domain runs with paging=hap.
. "$(dirname "$0")/guests_common.sh"
run_guests guests_uefi_auditoff uefi 0 hap
