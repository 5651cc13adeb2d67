#!/usr/bin/env bash
# A fault that cannot be delivered (unmapped stack) becomes a double fault,
# which is handled on its own IST stack and still gives a full report.
. "$(dirname "$0")/lib.sh"
iso=$(iso_for crash-df "crash=df noreboot")
start_qemu crash-df "$iso" bios --smp 2
wait_for 'Manual reset required' 240 || fail "no panic within 240 s"
expect 'vector 8: double fault \(#DF\)'
expect 'rsp: 00000000dead0000|rsp: 00000000deacfff8'
expect 'RIP: 0018:\[<[0-9a-f]{16}>\] crash_by_bad_stack\+0x'
expect 'Panic: fatal trap 8'
pass
