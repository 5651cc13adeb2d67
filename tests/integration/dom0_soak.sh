#!/usr/bin/env bash
# dom0_soak: dom0 survives load.  Its init runs tests/integration/dom0/soak.sh
# (as /etc/sv-test.sh, sv.test=1) for SOAK_SECONDS (120; sv.soak=N on the
# kernel command line): a CPU loop, O_DIRECT writes to and verified reads
# from a 64 MiB QEMU disk, and pings of QEMU's gateway, all at once on
# dom0's one vCPU, with a progress line every 10 s.  Then: no disk error,
# at most one ping lost, no hypervisor panic or crashed domain, no kernel
# BUG, soft lockup, hung task or RCU stall, and an ACPI power-off (QEMU
# exit 0).  `SOAK_SECONDS=1200 tests/integration/dom0_soak.sh` runs longer
# (give run-all.sh a TEST_TIMEOUT above SOAK_SECONDS + 400).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
FIRMWARE=${FIRMWARE:-bios}
SOAK_SECONDS=${SOAK_SECONDS:-120}
case "$SOAK_SECONDS" in ''|*[!0-9]*) fail "SOAK_SECONDS must be a number of seconds" ;; esac
dom0_initramfs "$ROOT/tests/integration/dom0/soak.sh"
truncate -s 64M "$work/disk.img" || fail "cannot make the disk image"

iso="$OUT/$TEST_NAME.iso"
"$ROOT/scripts/mkiso.sh" "$ELF" "$iso" "loglvl=info ${DOM0_HV_OPTS:-}" \
    "$D0/vmlinux" "console=hvc0 nr_cpus=1 sv.test=1 sv.soak=$SOAK_SECONDS" \
    "$work/initramfs.cpio.gz" "initrd" >/dev/null || fail "cannot build $iso"
start_qemu "$TEST_NAME" "$iso" "$FIRMWARE" --smp 2 --mem 2G -- \
    -drive "file=$work/disk.img,format=raw,if=ide,index=0"
t0=$(date +%s)
wait_for 'soak: start: ' 300 || fail "the soak did not start within 300 s"
echo "      dom0_soak: soak started after $(( $(date +%s) - t0 )) s, ${SOAK_SECONDS} s of load"
wait_for 'soak: done after ' $((SOAK_SECONDS + 240)) ||
    fail "no 'soak: done' line within $((SOAK_SECONDS + 240)) s"
wait_exit 120

expect 'splitvisor dom0: init done'
expect 'soak: disk /dev/sda: 64 MiB'
expect 'soak: net: eth0 up'
done_line=$(tr -d '\r' < "$LOG" | grep -E '^soak: done after ' | tail -n 1)
echo "      $done_line"
re='^soak: done after ([0-9]+)s: disk rounds ([0-9]+) \(([0-9]+) errors\), pings ([0-9]+) \(([0-9]+) lost\)$'
[[ "$done_line" =~ $re ]] || fail "cannot parse '$done_line'"
took=${BASH_REMATCH[1]} rounds=${BASH_REMATCH[2]} errors=${BASH_REMATCH[3]}
pings=${BASH_REMATCH[4]} lost=${BASH_REMATCH[5]}
[ "$took" -ge "$SOAK_SECONDS" ] || fail "the soak ended after ${took}s, before ${SOAK_SECONDS}s"
[ "$errors" = 0 ] || fail "$errors disk errors"
[ "$rounds" -gt 0 ] || fail "no disk round finished"
[ "$pings" -gt 0 ] || fail "no ping sent"
[ "$lost" -le 1 ] || fail "$lost of $pings pings lost"
cpu=$(log_value '^soak: cpu loop: ([0-9]+) iterations')
[ "${cpu:-0}" -gt 0 ] || fail "the CPU loop made no progress"
progress=$(tr -d '\r' < "$LOG" | grep -cE '^soak: t=[0-9]+s cpu=[0-9]+ disk-rounds=[0-9]+ disk-errors=0 pings=[0-9]+ lost=[0-9]+$')
[ "$progress" -ge $((SOAK_SECONDS / 10 - 1)) ] ||
    fail "$progress clean progress lines, expected about $((SOAK_SECONDS / 10))"
expect 'soak: kernel problems in dmesg during the run: 0'
expect_not 'Panic|----\[ splitvisor exception|crashed'
expect_not 'BUG:|soft lockup|blocked for more than|hung_task|rcu.*(stall|detected)|Kernel panic|Oops'
[ "$QEMU_STATUS" = 0 ] || fail "QEMU exit status $QEMU_STATUS, expected 0 (dom0 powered off through ACPI)"
echo "      dom0_soak: cpu $cpu iterations, disk $rounds rounds, $pings pings ($lost lost), $progress progress lines"
pass
