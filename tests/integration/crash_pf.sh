#!/usr/bin/env bash
# A page fault in the hypervisor prints the vector, error code, registers,
# CR2 and a backtrace with symbols, stops the other CPUs and panics.
. "$(dirname "$0")/lib.sh"
iso=$(iso_for crash-pf "crash=pf noreboot")
start_qemu crash-pf "$iso" bios --smp 4
wait_for 'Manual reset required' 240 || fail "no panic within 240 s"
expect "crash test 'pf'"
expect 'CPU 0: vector 14: page fault \(#PF\), error code 0002'
expect 'page fault at 00000000dead0000: not present write in supervisor mode'
expect 'RIP: 0018:\[<[0-9a-f]{16}>\] crash_by_page_fault\+0x'
expect 'rax: [0-9a-f]{16}   rbx: [0-9a-f]{16}   rcx: [0-9a-f]{16}'
expect 'cr3: [0-9a-f]{16}   cr2: 00000000dead0000'
expect 'Backtrace:'
expect '\[<[0-9a-f]{16}>\] crash_test\+0x'
expect '\[<[0-9a-f]{16}>\] start_hypervisor\+0x'
expect 'Panic: fatal trap 14 \(page fault \(#PF\)\) on CPU 0'
expect 'Panic: 3 other CPUs stopped'
sleep 2
kill -0 "$QEMU_PID" 2>/dev/null || fail "QEMU exited: noreboot should halt"
pass
