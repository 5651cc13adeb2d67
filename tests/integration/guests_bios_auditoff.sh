#!/usr/bin/env bash
# svguest's paging tests under NPT and shadow paging on bios with shadow_audit off; the isolation domain runs with paging=shadow.
. "$(dirname "$0")/guests_common.sh"
run_guests guests_bios_auditoff bios 0 shadow
