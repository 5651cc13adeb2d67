#!/usr/bin/env bash
# toolstack: xl in dom0 builds, lists, pauses, attaches to, destroys
# domains (FIRMWARE=bios|uefi).  dom0's init starts xenstored and
# xenconsoled; tests/integration/toolstack/xl-test.sh then drives xl with
# svguest (tests/guests/) as the guest kernel: its console output reaches
# xenconsoled's log and `xl console` (input too), pause/unpause/vcpu-pin
# change what xl list and vcpu-list show, a bad config creates nothing,
# and 20 create/destroy cycles give every page back.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
FIRMWARE=${FIRMWARE:-bios}
dom0_initramfs "$ROOT/tests/integration/toolstack/xl-test.sh"

iso="$OUT/$TEST_NAME.iso"
"$ROOT/scripts/mkiso.sh" "$ELF" "$iso" "loglvl=info" \
    "$D0/vmlinux" "console=hvc0 nr_cpus=1 sv.test=1" \
    "$work/initramfs.cpio.gz" "initrd" >/dev/null || fail "cannot build $iso"
start_qemu "$TEST_NAME" "$iso" "$FIRMWARE" --smp 2 --mem 2G
wait_for 'xl-test: done' 600 || fail "the toolstack checks did not finish within 600 s"
wait_exit 60
expect 'sv-init: xenstored started'
expect 'sv-init: xenconsoled started'
expect "xl-test: \[xl info\] xen_version +: 4.17-splitvisor"
expect "xl-test: \[xl list\] Domain-0 +0 +[0-9]+ +1 +r-----"
# 1. create, first console line, list, names.
expect "xl-test: status of 'xl create /tmp/g1.cfg': 0"
expect 'xl-test: first console line after [0-9]+\.[0-9]+ s'
expect 'xl-test: g1 shut down'
expect 'xl-test: g1 log: svguest: command line "tests=paging_onoff exit=poweroff"'
expect 'xl-test: g1 log: PASS: paging_onoff'
expect 'xl-test: \[xl list\] g1 +[0-9]+ +32 +1 +---s--'
expect 'xl-test: \[xl list\] +"name": "g1",'
expect 'xl-test: \[xl list\] +"shutdown_reason": "poweroff"'
expect 'xl-test: \[xl domname\] g1'
expect 'xl-test: \[xl uptime\] g1 +[0-9]+ +0:00:[0-9]{2}'
expect 'xl-test: dmesg: .*domain [0-9]+ \(g1\) created by d0'
# 2. pause, unpause, pin, console both ways.
expect 'xl-test: g2 waits for input'
expect 'xl-test: g2 state paused: ..p...'
expect 'xl-test: g2 state unpaused: ..-...'
expect 'xl-test: \[xl vcpu-list\] g2 +[0-9]+ +0 +1 .* 1 / all'
expect 'xl-test: xl console status: 0'
expect 'xl-test: console: svguest: echo: hello-from-dom0'
expect 'xl-test: console: svguest: echo: quit'
expect 'xl-test: g2 shut down'
expect "xl-test: status of 'xl destroy g1': 0"
expect "xl-test: status of 'xl destroy g2': 0"
# 3. bad configs.
expect 'xl-test: \[xl create\] xl: /tmp/bad.cfg:3: memory: expected a number, got a string'
expect "xl-test: status of 'xl create /tmp/bad.cfg': 1"
expect 'xl-test: domains after the bad config: 1$'
expect 'xl-test: \[xl create\] xl: kernel /nonexistent: No such file or directory'
expect 'xl-test: domains after the missing kernel: 1$'
# 4. on_* actions.
expect 'xl-test: op1: powered off and destroyed by its watcher'
expect 'xl-test: oc1: crashed and destroyed by its watcher'
expect 'xl-test: xl-oc1.log: .* domain [0-9]+ \(oc1\) shut down \(crash\): action destroy'
expect 'xl-test: oc2: crashed, preserved: +"shutdown_reason": "crash"'
expect 'xl-test: or1: 5 restarts, boots in its console log: 6'
expect 'xl-test: xl-or1.log: .* or1 restarted 5 times within 60 s: not again'
# 5. devices, top, mem-set, shutdown.
expect 'xl-test: d1 vbd params: /tmp/d1.img'
expect 'xl-test: d1 vbd frontend: /local/domain/0/backend/vbd/[0-9]+/51712'
expect "xl-test: status of 'xl block-attach d1 file:/tmp/d2.img,xvdb,r': 0"
expect 'xl-test: \[xl block-list\] 51728 +0 +[0-9]+ +1 '
expect "xl-test: status of 'xl block-detach d1 xvdb': 0"
expect 'xl-test: \[xl network-list\] 1 +0 +00:16:3e:01:02:03 +1 +1 '
expect "xl-test: status of 'xl network-detach d1 1': 0"
expect 'xl-test: \[xl top\] d1 +[0-9]+ '
expect 'xl-test: d1 memory/target: 16384'
expect 'xl-test: \[xl mem-set\] xl: mem-set: 64 MiB is more than domain [0-9]+.s maximum, 32 MiB'
expect 'xl-test: \[xl shutdown\] xl: domain [0-9]+ did not answer the shutdown request'
expect "xl-test: status of 'xl destroy d1': 0"
expect 'xl-test: backends left for d1: 0'
# 6. memory comes back.
tr -d '\r' < "$LOG" | grep -E 'xl-test: 20 cycles: 0 failures; free pages ([0-9]+) -> \1$' -q ||
    fail "20 create/destroy cycles: $(tr -d '\r' < "$LOG" | grep 'xl-test: 20 cycles' || echo 'no result')"
expect_not 'Panic|----\[ splitvisor exception|domain 0 \(dom0\) crashed'
[ "$QEMU_STATUS" = 0 ] || fail "QEMU exit status $QEMU_STATUS, expected 0"
pass
