#!/usr/bin/env bash
# split: the split drivers end to end (FIRMWARE=bios|uefi, PAGING=hap|shadow
# for the guests).  dom0's init starts svblkback and svnetback (backends/);
# tests/integration/split/split-test.sh then creates svfront guests
# (frontends/) with xl:
#  1. one writes and verifies 64 MiB on its file-backed xvda and reads what
#     dom0 wrote; dom0 then finds the guest's data in the image file;
#  2. a hostile frontend next to a good guest;
#  3. hot attach and detach while a guest runs;
#  4. two guests on xenbr0 ping each other and dom0, answer dom0's UDP,
#     and one sends the other 3000 datagrams; a hostile netfront; the
#     console ring's input;
#  5. QEMU's gateway through xenbr0 and eth0; xl destroy while connected;
#  6. svblkback and svnetback restarted under a running guest.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
FIRMWARE=${FIRMWARE:-bios}
PAGING=${PAGING:-hap}
dom0_initramfs "$ROOT/tests/integration/split/split-test.sh"

iso="$OUT/$TEST_NAME.iso"
"$ROOT/scripts/mkiso.sh" "$ELF" "$iso" "loglvl=info" \
    "$D0/vmlinux" "console=hvc0 nr_cpus=1 sv.test=1 sv.paging=$PAGING" \
    "$work/initramfs.cpio.gz" "initrd" >/dev/null || fail "cannot build $iso"
start_qemu "$TEST_NAME" "$iso" "$FIRMWARE" --smp 2 --mem 2G
wait_for 'split-test: done' 900 || fail "the split-driver checks did not finish within 900 s"
wait_exit 60
expect 'sv-init: svblkback started'
expect "split-test: guests use $PAGING paging"
expect "split-test: status of 'xl create /tmp/b1.cfg': 0"
expect 'split-test: b1 log: svfront: vbd 51712: connected to /local/domain/0/backend/vbd/[0-9]+/51712.* persistent grants on'
# svblkback keeps a persistent frontend's pages mapped and copies by CPU;
# b3 (blk_persistent=0) gets grant copy.
expect 'split-test: blkback: .* d[0-9]+/51712 connected: /tmp/d1.img, .* persistent yes \(data by CPU copy from kept mappings\)'
expect 'split-test: blkback: .* d[0-9]+/51712 connected: /tmp/d3.img, .* persistent no \(data by grant copy\)'
expect 'split-test: blkback: .* disconnected .* [0-9]+ segments \([1-9][0-9]* by CPU copy through [1-9][0-9]* persistent grants kept mapped\)'
expect 'split-test: blkback: .* disconnected .* [1-9][0-9]* segments \(0 by CPU copy through 0 persistent grants kept mapped\)'
expect 'split-test: b3 log: svfront: vbd 51712: connected .* persistent grants off'
expect 'split-test: b1 log: PASS: blk_verify'
expect 'split-test: b1 log: svfront: blk_verify: wrote 64 MiB at 0 MiB \(seed 3\)'
expect 'split-test: b1 log: PASS: blk_check'
expect 'split-test: b1 log: PASS: blk_ops'
expect 'split-test: b1 log: svfront: 4 passed, 0 failed'
expect 'split-test: \[sv-blkpattern check\] sv-blkpattern: /tmp/d1.img: 64 MiB at 0 MiB match seed 3'
expect 'split-test: \[sv-blkpattern check\] sv-blkpattern: /tmp/d1.img: 16 MiB at 64 MiB match seed 5'
expect "split-test: status of 'xl destroy b1': 0"
# 2. a hostile frontend: every bad request answered with an error, then a
# ring index far ahead disconnects it; the guest next to it, the daemon
# and dom0 go on.
for what in 'grant ref never granted' 'grant ref beyond any table' '0 segments for a read' \
    '12 segments in a direct request' 'first_sect after last_sect' 'last_sect past the page' \
    'sector past the end' 'sector number near 2\^64' 'indirect request with a garbage segment page' \
    'indirect request of 60000 segments'; do
    expect "split-test: b2 log: svfront: blk_hostile: $what: answered -1"
done
expect 'split-test: b2 log: svfront: blk_hostile: unknown operation 42: answered -2'
expect 'split-test: b2 log: svfront: blk_hostile: a good read after them: OKAY'
expect 'split-test: b2 log: svfront: blk_hostile: req_prod [0-9]+ slots ahead: the backend went to (Closing|Closed)'
expect 'split-test: b2 log: svfront: 1 passed, 0 failed'
expect 'split-test: b3 log: svfront: 3 passed, 0 failed'
expect 'split-test: svblkback still runs'
expect 'split-test: \[sv-blkpattern check\] sv-blkpattern: /tmp/d3.img: 24 MiB at 0 MiB match seed 9'
# 3. hot attach and detach, twice, while the guest runs.
expect "split-test: status of 'xl block-attach h1 file:/tmp/h.img,xvdb,w': 0"
expect "split-test: status of 'xl block-detach h1 xvdb': 0"
expect "split-test: status of 'xl block-attach h1 file:/tmp/h.img,xvdb,r': 0"
expect 'split-test: h1 log: svfront: blk_detach_wait: backend went to Closing: disconnecting'
expect 'split-test: h1 log: svfront: vbd 51728: connected .* read-only'
expect 'split-test: h1 log: svfront: blk_check: read 16 MiB at 0 MiB: the pattern of seed 4'
expect 'split-test: h1 log: svfront: 6 passed, 0 failed'
expect 'split-test: backends left for vbd: 0'
# 4. two guests and dom0 on xenbr0.
expect 'sv-init: svnetback started'
expect 'split-test: dom0 ping n1: 3 packets transmitted, 3 packets received'
expect 'split-test: dom0 ping n2: 3 packets transmitted, 3 packets received'
expect 'split-test: \[sv-udp echo\] sv-udp: echo from 10.0.0.11:7'
expect 'split-test: \[sv-udp echo\] sv-udp: echo from 10.0.0.12:7'
expect 'split-test: n2 log: svfront: net_ping: 10.0.0.11: [1-5] of 5 answered'
expect 'split-test: n2 log: svfront: net_ping: 10.0.0.1: [1-5] of 5 answered'
expect 'split-test: n1 log: svfront: bench net udp_recv: [0-9]+ of 3000 datagrams'
expect 'split-test: n1 log: svfront: 2 passed, 0 failed'
expect 'split-test: n2 log: svfront: 3 passed, 0 failed'
expect 'split-test: backends left for vif: 0'
expect 'split-test: taps left: 0'
# 4b. a hostile netfront: errors, then disconnected; its neighbour goes on.
for what in 'grant ref never granted' 'frame running past its page' 'frame of 0 bytes' 'frame of 13 bytes'; do
    expect "split-test: n3 log: svfront: net_hostile: $what: answered -1"
done
expect 'split-test: n3 log: svfront: net_hostile: 10.0.0.1: [1-3] of 3 answered'
expect 'split-test: n3 log: svfront: net_hostile: tx req_prod [0-9]+ slots ahead: the backend went to (Closing|Closed)'
expect 'split-test: n3 log: svfront: 1 passed, 0 failed'
expect 'split-test: dom0 ping n4 after n3: 3 packets transmitted, 3 packets received'
expect 'split-test: \[sv-udp echo\] sv-udp: echo from 10.0.0.14:7'
expect 'split-test: svnetback still runs'
# 4b2. a NIC attached and detached while the guest runs.
expect "split-test: status of 'xl network-attach w1 bridge=xenbr0': 0"
expect 'split-test: w1 log: svfront: net_attach_wait: vif 0 appeared'
expect 'split-test: w1 log: svfront: net_ping: 10.0.0.1: [1-3] of 3 answered'
expect "split-test: status of 'xl network-detach w1 0': 0"
expect 'split-test: w1 log: svfront: net_detach_wait: backend went to Closing: disconnecting'
expect 'split-test: w1 log: svfront: 3 passed, 0 failed'
# 4c. the console ring's input.
expect 'split-test: e1 console: svguest: echo: hello-svfront'
expect 'split-test: e1 console: svguest: echo: quit'
expect 'split-test: e1 shut down'
# 5. outside through eth0; destroy while connected gives every page back.
expect 'split-test: x1 log: svfront: net_ping: 10.0.2.2: [1-3] of 3 answered'
expect 'split-test: x1 gone'
tr -d '\r' < "$LOG" | grep -Eq 'split-test: free pages around x1: ([0-9]+) -> \1$' ||
    fail "pages lost to x1: $(tr -d '\r' < "$LOG" | grep 'free pages around x1' || echo 'no line')"
expect 'split-test: backends left after destroy: vbd 0 vif 0'
expect 'split-test: both backends still run'
# 6. both backends restart under a running guest and nothing is lost.
expect 'split-test: svblkback restarted'
expect 'split-test: svnetback restarted'
expect 'split-test: blkback: .* d[0-9]+/51712 resumed: /tmp/r.img'
expect 'split-test: dom0 ping r1 after the restart: 3 packets transmitted, 3 packets received'
expect 'split-test: r1 log: svfront: 4 passed, 0 failed'
expect 'split-test: \[sv-blkpattern check\] sv-blkpattern: /tmp/r.img: 64 MiB at 0 MiB match seed 6'
expect_not 'split-test: .*grants still mapped by the backend'
# 7. /etc/xl/split.cfg, the example in README.md.
expect "split-test: status of 'xl create /etc/xl/split.cfg': 0"
expect 'split-test: split log: svfront: 5 passed, 0 failed'
expect_not 'Panic|----\[ splitvisor exception|domain 0 \(dom0\) crashed'
[ "$QEMU_STATUS" = 0 ] || fail "QEMU exit status $QEMU_STATUS, expected 0"
pass
