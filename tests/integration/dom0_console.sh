#!/usr/bin/env bash
# dom0_console: the interactive console works both ways.  dom0 boots without
# sv.test=1, so its init keeps a root shell on hvc0; the test types into the
# serial line and reads the answers: a command's output (control_d), a
# shell-evaluated expression (so input really reaches dom0), Ctrl-A three
# times to the hypervisor's debug keys ('h' prints their help) and back,
# another command in dom0, then `poweroff -f` (ACPI S5, QEMU exits 0).
# Between, `xl list` shows the demo domain and `xl console demo` gets a
# typed line echoed; sv-apic aims INIT/STARTUP/NMI IPIs at CPU 1 through the APIC
# page; the 'c' key then shows CPU 1's timer still ticking.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
D0="$BUILD/dom0"
[ -f "$D0/vmlinux" ] && [ -f "$D0/initramfs.cpio.gz" ] || fail "no dom0 image in $D0 (make dom0)"

work="$OUT/$TEST_NAME.d"
rm -rf "$work" && mkdir -p "$work"
CAT_PID=""
cleanup() {
    stop_qemu
    if [ -n "$CAT_PID" ] && kill -0 "$CAT_PID" 2>/dev/null; then
        kill -TERM "$CAT_PID" 2>/dev/null
        wait "$CAT_PID" 2>/dev/null
    fi
    CAT_PID=""
}
trap cleanup EXIT

iso="$OUT/$TEST_NAME.iso"
"$ROOT/scripts/mkiso.sh" "$ELF" "$iso" "loglvl=info" \
    "$D0/vmlinux" "console=hvc0 nr_cpus=1 iomem=relaxed" \
    "$D0/initramfs.cpio.gz" "initrd" >/dev/null || fail "cannot build $iso"

# -chardev pipe reads the guest's input from ser.in and writes its output
# to ser.out; QEMU opens both read-write, so neither open blocks.
ser="$work/ser"
mkfifo "$ser.in" "$ser.out" || fail "cannot make the serial FIFOs"
LOG="$OUT/$TEST_NAME.log"
: > "$LOG"
cat "$ser.out" >> "$LOG" &
CAT_PID=$!
exec 3<>"$ser.in"
qemu-system-x86_64 -machine pc -accel tcg -cpu max -smp 2 -m 2G -no-reboot -display none \
    -cdrom "$iso" -boot d -monitor none \
    -chardev "pipe,id=ser,path=$ser" -serial chardev:ser \
    </dev/null >"$OUT/$TEST_NAME.qemu.out" 2>&1 &
QEMU_PID=$!

# type TEXT: a few bytes at a time (the UART's FIFO is small and the
# hypervisor polls it at 100 Hz from CPU 1).
type_slowly() {
    local s=$1 i
    for ((i = 0; i < ${#s}; i += 3)); do
        printf '%s' "${s:i:3}" >&3
        sleep 0.1
    done
}

# mark: the log's size now; wait_after MARK REGEX TIMEOUT: like wait_for,
# but only what the log got after MARK counts.
mark() { stat -c %s "$LOG"; }
# GREP_MODE=-Pzq makes REGEX a Perl one over the whole text (\n matches
# the end of a line).
wait_after() {
    local from=$1 regex=$2 timeout=$3 waited=0 mode=${GREP_MODE:--Eq}
    while [ "$waited" -lt $((timeout * 10)) ]; do
        if tail -c +$((from + 1)) "$LOG" | tr -d '\r' | grep "$mode" -- "$regex"; then
            return 0
        fi
        if ! kill -0 "$QEMU_PID" 2>/dev/null; then
            tail -c +$((from + 1)) "$LOG" | tr -d '\r' | grep "$mode" -- "$regex"
            return
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    return 1
}

wait_for 'dom0:~# ' 300 || fail "no dom0 shell prompt within 300 s"
expect 'console: input goes to dom0'
sleep 1

m=$(mark)
type_slowly $'cat /proc/xen/capabilities\r'
wait_after "$m" '^control_d$' 30 || fail "'cat /proc/xen/capabilities' did not print control_d"

m=$(mark)
type_slowly $'echo sv-console-$((6*7))\r'
wait_after "$m" 'sv-console-42' 30 || fail "the shell did not evaluate 'echo sv-console-\$((6*7))'"
# The next prompt (ash follows it with a cursor-position query, ESC [6n).
GREP_MODE=-Pzq wait_after "$m" '\nsv-console-42\ndom0:~# ' 30 || fail "no prompt after the echo"

# The default scenario's demo domain is there, and answers on its console.
m=$(mark)
type_slowly $'xl list\r'
wait_after "$m" '^demo +[0-9]+ +[0-9]+ +1 +-b----' 30 || fail "'xl list' does not show the demo domain"
m=$(mark)
type_slowly $'printf \'hi-demo\\r\' | timeout 8 xl console demo\r'
wait_after "$m" 'svguest: echo: hi-demo' 30 || fail "the demo domain did not echo through xl console"
GREP_MODE=-Pzq wait_after "$m" '\ndom0:~# ' 30 || fail "no prompt after xl console"

m=$(mark)
type_slowly $'sv-apic\r'
wait_after "$m" 'sv-apic: PASS' 60 || fail "sv-apic did not pass"
wait_after "$m" 'dom0: IPI refused \(INIT\): icr 0xc500, destination 0x1;' 10 || fail "dom0's INIT to CPU 1 was not refused"

m=$(mark)
printf '\001\001\001' >&3
wait_after "$m" 'console: input goes to the hypervisor' 30 || fail "Ctrl-A x3 did not switch input to the hypervisor"

# CPU 1 survived the INITs: its timer ticks on (and the keys typed here are
# polled from it).
ticks() { tail -c +$(($1 + 1)) "$LOG" | tr -d '\r' | sed -n 's/.*CPU 1: APIC ID 1, online, \([0-9]*\) timer ticks.*/\1/p' | tail -1; }
m=$(mark)
printf 'c' >&3
wait_after "$m" 'IPIs from dom0 refused: 5' 30 || fail "'c' did not count dom0's 5 refused IPIs"
t1=$(ticks "$m")
sleep 2
m=$(mark)
printf 'c' >&3
wait_after "$m" 'IPIs from dom0 refused: 5' 30 || fail "the second 'c' did not answer"
t2=$(ticks "$m")
[ -n "$t1" ] && [ -n "$t2" ] && [ "$t2" -gt $((t1 + 50)) ] ||
    fail "CPU 1's timer is not ticking after dom0's IPIs ('$t1' then '$t2' ticks 2 s apart)"

m=$(mark)
printf 'h' >&3
wait_after "$m" 'Debug keys on the serial console:' 30 || fail "'h' did not print the debug-key help"
wait_after "$m" "'h'  show this help" 10 || fail "the help does not list 'h'"
wait_after "$m" "'d'  domains" 10 || fail "the help does not list 'd'"

m=$(mark)
printf 'd' >&3
wait_after "$m" 'd0 dom0: running, privileged, paging=hap, [0-9]+ MiB, 1 vCPUs, [0-9]+ hypercalls' 30 ||
    fail "'d' did not show dom0 and its counters"
wait_after "$m" 'v0 on CPU 0: upcalls [0-9]+, exits: .*vmmcall=[1-9]' 10 || fail "'d' did not show dom0's exits"

m=$(mark)
printf '\001\001\001' >&3
wait_after "$m" 'console: input goes to dom0' 30 || fail "Ctrl-A x3 did not switch input back to dom0"
sleep 0.5

m=$(mark)
type_slowly $'echo back-in-dom0\r'
wait_after "$m" '^back-in-dom0$' 30 || fail "dom0's shell did not answer after switching back"
# The 'h' went to the hypervisor, not into dom0's command line.
if tail -c +$((m + 1)) "$LOG" | tr -d '\r' | grep -Eq 'not found'; then
    fail "dom0's shell saw stray input (a key meant for the hypervisor?)"
fi

type_slowly $'poweroff -f\r'
wait_exit 120
expect_not 'Panic|----\[ splitvisor exception|domain 0 \(dom0\) crashed'
[ "$QEMU_STATUS" = 0 ] || fail "QEMU exit status $QEMU_STATUS, expected 0 (dom0 powered off through ACPI)"
cleanup
pass
