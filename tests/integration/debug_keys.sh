#!/usr/bin/env bash
# The idle hypervisor answers debug keys on its serial console: help,
# memory, CPUs, then 'p' powers the machine off.
. "$(dirname "$0")/lib.sh"
iso=$(iso_for keys "loglvl=info")
# -serial pipe:P reads keys from P.in and writes the console to P.out.
pipe="$OUT/keys"
rm -f "$pipe.in" "$pipe.out"
mkfifo "$pipe.in" "$pipe.out"
LOG="$OUT/keys.log"
: > "$LOG"
cat "$pipe.out" > "$LOG" &
exec 3<>"$pipe.in"
qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 1G -machine pc -no-reboot -display none \
    -cdrom "$iso" -boot d -monitor none -serial "pipe:$pipe" </dev/null >/dev/null 2>&1 &
QEMU_PID=$!
wait_for "Press 'h' on this console" 240 || fail "hypervisor did not reach idle"
printf 'h' >&3; wait_for "'p'  power off" 20 || fail "no help text"
printf 'c' >&3; wait_for 'CPU 1: APIC ID 1, online, [0-9]+ timer ticks' 20 || fail "no CPU list"
printf 'm' >&3; wait_for 'heap: [0-9]+ allocations' 20 || fail "no memory report"
printf 'x' >&3; wait_for "key 'x' does nothing" 20 || fail "unknown key not answered"
printf 'p' >&3; wait_for 'Powering off' 20 || fail "no power-off"
wait_exit 30
[ "$QEMU_STATUS" = 0 ] || fail "QEMU exit status $QEMU_STATUS"
pass
