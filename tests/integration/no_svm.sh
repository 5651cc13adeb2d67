#!/usr/bin/env bash
# A CPU without SVM gets a clear message and a halt, not a crash.
. "$(dirname "$0")/lib.sh"
iso=$(iso_for no-svm "loglvl=info")
start_qemu no-svm "$iso" bios --cpu qemu64,-svm --smp 1
wait_for 'Halting' 240 || fail "no message within 240 s"
expect 'SVM: this CPU has no AMD SVM \(AMD-V\): splitvisor cannot run guests'
sleep 2
kill -0 "$QEMU_PID" 2>/dev/null || fail "QEMU exited: expected a halt"
expect_not 'SMP: all|Panic|exception'
pass
