#!/usr/bin/env bash
# xen_split: our split-driver frontend (svfront, frontends/) against the real
# Xen 4.17 and Linux's own backends.  Boots Debian's Xen 4.17.5+72 with our
# dom0 image (build/dom0: Debian's 6.1 kernel, busybox) in QEMU, with Xen's
# xenstored, xenconsoled and xl (bench/xen_overlay.sh) and Linux's
# xen-blkback (and xen-netback); tests/peers/xen_split/dom0-test.sh then, in
# dom0:
#   1. writes seed 5 at 64..80 MiB of a 96 MiB image, xl creates svfront on
#      it (xen-blkback over a loop device) running blk_verify (seed 3,
#      0..64 MiB), blk_check (seed 5) and blk_ops, prints its console, and
#      checks both patterns in the image with sv-blkpattern;
#   1b. (MQ=4, default; MQ=1 skips) the same with xen-blkback's max_queues
#      raised (it offers dom0's vCPU count, 1, by default): svfront on 4
#      queues verifies seed 7 at 0..32 MiB;
#   2. (NET=1, default) traffic through xen-netback: guests n1 and n2 on
#      xenbr0 (with eth0) and dom0 at 10.0.0.1 ping each other, UDP echo,
#      3000 datagrams of 1400 bytes n2 -> n1; x1 pings QEMU's gateway
#      10.0.2.2 through eth0; every vifD.0 gone after xl destroy;
#   3. (BENCH=1) blk_bench in a second guest (BENCH_ARGS, default
#      bench_ms=3000), figures printed at the end.
#   FIRMWARE=bios|uefi  HAP=0|1 (guest paging; 0, shadow, by default)
#   TIMEOUT=seconds for the whole boot (default 900, 1500 with BENCH=1)
# Logs: build/peers/xen-split/.  See tests/peers/README.md.
# shellcheck source=../integration/lib.sh
. "$(dirname "$0")/../integration/lib.sh"
FIRMWARE=${FIRMWARE:-bios}
NET=${NET:-1}
BENCH=${BENCH:-0}
BENCH_ARGS=${BENCH_ARGS:-bench_ms=3000}
MQ=${MQ:-4}
HAP=${HAP:-0}
MEMORY=${MEMORY:-96}
TIMEOUT=${TIMEOUT:-$([ "$BENCH" = 1 ] && echo 1500 || echo 900)}
TEST_NAME=xen_split_$FIRMWARE
OUT="$BUILD/peers/xen-split"
HERE="$ROOT/tests/peers/xen_split"
D0="$BUILD/dom0"
FRONT="$BUILD/frontends/svfront.elf"
mkdir -p "$OUT"

[ -f "$D0/vmlinux" ] && [ -f "$D0/initramfs.cpio.gz" ] || fail "no dom0 image in $D0 (make dom0)"
[ -f "$FRONT" ] || fail "no $FRONT (make frontends)"
kver=$(cat "$D0/kernel-version")
mods="$D0/pkg/lib/modules/$kver"
[ -d "$mods" ] || fail "no $mods (make -C dom0 unpacks the kernel package there)"
# (a grep of the archive's names: it may be several concatenated cpio archives)
zcat "$D0/initramfs.cpio.gz" | grep -aq 'usr/bin/sv-blkpattern' ||
    fail "dom0's initramfs has no /usr/bin/sv-blkpattern (rerun make -C dom0)"

# --- dom0's overlay: Xen, its toolstack, Linux's backends, the test. ------
# shellcheck source=../../bench/xen_overlay.sh
. "$ROOT/bench/xen_overlay.sh"
root="$OUT/root"
(
    set -e
    xen_unpack xen_split "$OUT/xen-pkgs"
    rm -rf "$root" && mkdir -p "$root/etc/xen/scripts" "$root/usr/lib/splitvisor" "$root/usr/bin"
    xen_overlay_tree "$root"
    for b in xenstore-read xenstore-write xenstore-exists xenstore-ls xenstore-list xenstore-rm; do
        xen_overlay_bin "$root" "$X/usr/bin/$b" /usr/lib/xen-4.17/bin
    done
    cp "$HERE/block" "$HERE/vif-bridge" "$root/etc/xen/scripts/"
    for m in drivers/block/loop.ko drivers/block/xen-blkback/xen-blkback.ko \
             drivers/net/xen-netback/xen-netback.ko; do
        mkdir -p "$root/lib/modules/$kver/kernel/${m%/*}"
        cp "$mods/kernel/$m" "$root/lib/modules/$kver/kernel/$m"
    done
    cp "$FRONT" "$root/usr/lib/splitvisor/svfront.elf"
    # Our own backends must not answer for backend/vbd or backend/vif:
    # dom0's init starts one only if it runs and succeeds.
    for b in svblkback $(zcat "$D0/initramfs.cpio.gz" | grep -ao 'usr/bin/sv[a-z]*back' | sed 's|.*/||' | sort -u); do
        printf '#!/bin/sh\n# tests/peers/xen_split.sh: Linux'"'"'s backends serve this dom0.\nexit 1\n' > "$root/usr/bin/$b"
        chmod 755 "$root/usr/bin/$b"
    done
    { echo "NET=$NET BENCH=$BENCH MQ=$MQ HAP=$HAP MEMORY=$MEMORY BENCH_ARGS=\"$BENCH_ARGS\""
      cat "$ROOT/tests/integration/dom0/helpers.sh" "$HERE/dom0-test.sh"; } > "$root/etc/sv-test.sh"
    xen_initramfs "$root" "$D0/initramfs.cpio.gz" "$OUT/overlay.cpio.gz" "$OUT/initramfs.cpio.gz"
    xen_iso "$OUT/xen-split.iso" "$OUT/initramfs.cpio.gz" "console=hvc0 nr_cpus=1 sv.test=1"
)
[ $? = 0 ] || fail "cannot build the Xen overlay or ISO"

start_qemu "$TEST_NAME" "$OUT/xen-split.iso" "$FIRMWARE" --smp 2 --mem 2G
if ! wait_for 'xen-split: done' "$TIMEOUT"; then
    tr -d '\r' < "$LOG" | grep -E 'xen-split: b[12] log:' | tail -n 40
    fail "dom0's checks did not finish within $TIMEOUT s"
fi
wait_exit 60

# svfront's own account first: it is the point of the run.
tr -d '\r' < "$LOG" | grep -E 'xen-split: (b[13] log:|b[13] backend offers|n[12] log: (svfront: (net|vif|bench|[0-9]+ passed)|PASS|FAIL)|x1 log: (svfront: (net|vif|[0-9]+ passed)|PASS|FAIL)|dom0 ping|\[sv-udp echo\]|n[12] vif counters)' | grep -v 'log: *$' | sed 's/^xen-split: //'
expect 'xen-split: xen-blkback loaded'
expect 'xen-split: loop loaded'
expect "xen-split: status of 'xl create -p b1': 0"
expect 'xen-split: b1 vbd backend in InitWait'
expect 'xen-split: b1 backend offers physical-device = 7:[0-9a-f]+$'
expect 'xen-split: b1 backend offers hotplug-status = connected'
expect 'xen-split: b1 log: svfront: vbd 51712: connected to /local/domain/0/backend/vbd/[0-9]+/51712'
expect 'xen-split: b1 log: PASS: blk_verify'
expect 'xen-split: b1 log: PASS: blk_check'
expect 'xen-split: b1 log: PASS: blk_ops'
expect 'xen-split: b1 log: PASS: blk_close'
expect 'xen-split: b1 log: svfront: [0-9]+ passed, 0 failed'
expect 'xen-split: b1 state ---s--'
expect 'xen-split: \[sv-blkpattern check\] sv-blkpattern: /tmp/d1.img: 64 MiB at 0 MiB match seed 3'
expect 'xen-split: \[sv-blkpattern check\] sv-blkpattern: /tmp/d1.img: 16 MiB at 64 MiB match seed 5'
expect "xen-split: status of 'xl destroy b1': 0"
expect 'xen-split: backends left for vbd: 0'
expect 'xen-split: loop devices left: 0'
if [ "$MQ" -gt 1 ]; then
    expect "xen-split: b3 backend offers multi-queue-max-queues = $MQ"
    expect "xen-split: b3 log: svfront: vbd 51712: connected to .*, $MQ queue\\(s\\)"
    expect 'xen-split: b3 log: PASS: blk_verify'
    expect 'xen-split: b3 log: PASS: blk_check'
    expect 'xen-split: b3 log: svfront: [0-9]+ passed, 0 failed'
    expect 'xen-split: \[sv-blkpattern check\] sv-blkpattern: /tmp/d1.img: 32 MiB at 0 MiB match seed 7'
    expect "xen-split: status of 'xl destroy b3': 0"
    expect 'xen-split: backends left for vbd after b3: 0'
fi
if [ "$NET" = 1 ]; then
    expect 'xen-split: xen-netback loaded'
    expect 'xen-split: bridge xenbr0 up'
    expect 'xen-split: eth0 in xenbr0'
    expect 'xen-split: dom0 is 10.0.0.1 on xenbr0'
    expect "xen-split: status of 'xl create -p n1': 0"
    expect 'xen-split: n1 vif backend in InitWait'
    expect 'xen-split: n1 vif hotplug-status connected'
    expect 'xen-split: interface vif[0-9]+\.0 present'
    expect 'xen-split: vif[0-9]+\.0 is a port of xenbr0'
    expect 'xen-split: n1 vif backend Connected'
    expect 'xen-split: n1 log: svfront: vif 0: connected to /local/domain/0/backend/vif/[0-9]+/0 .*MAC 00:16:3e:00:00:11'
    expect 'xen-split: dom0 ping n1: 3 packets transmitted, 3 packets received'
    expect 'xen-split: dom0 ping n2: 3 packets transmitted, 3 packets received'
    expect 'xen-split: \[sv-udp echo\] sv-udp: echo from 10.0.0.11:7'
    expect 'xen-split: \[sv-udp echo\] sv-udp: echo from 10.0.0.12:7'
    expect 'xen-split: n2 log: svfront: net_ping: 10.0.0.11: [1-5] of 5 answered'
    expect 'xen-split: n2 log: svfront: net_ping: 10.0.0.1: [1-5] of 5 answered'
    expect 'xen-split: n1 log: svfront: net_serve: stopped by a datagram'
    expect 'xen-split: n2 log: svfront: net_serve: stopped by a datagram'
    expect 'xen-split: n2 log: svfront: bench net udp_send size=1400: 3000 datagrams'
    expect 'xen-split: n1 log: svfront: bench net udp_recv: [0-9]+ of 3000 datagrams'
    expect 'xen-split: n1 log: svfront: 2 passed, 0 failed'
    expect 'xen-split: n2 log: svfront: 3 passed, 0 failed'
    expect 'xen-split: x1 log: svfront: net_ping: 10.0.2.2: [1-3] of 3 answered'
    expect 'xen-split: x1 log: svfront: 1 passed, 0 failed'
    expect "xen-split: status of 'xl destroy n1': 0"
    expect "xen-split: status of 'xl destroy n2': 0"
    expect 'xen-split: vif[0-9]+\.0 removed'
    expect 'xen-split: vifs left: 0'
    expect 'xen-split: backends left for vif: 0'
    expect_not 'xen-split: vif[0-9]+\.0 still there after destroy'
    # netback's own complaints about what a frontend put on its rings.
    expect_not 'fatal error; disabling device|Cross page boundary|Too many slots|Missing extra info'
fi
if [ "$BENCH" = 1 ]; then
    tr -d '\r' < "$LOG" | sed -n 's/.*xen-split: b2 log: \(svfront: bench .*\)/\1/p'
    expect 'xen-split: b2 log: PASS: blk_bench'
    expect 'xen-split: b2 log: svfront: [0-9]+ passed, 0 failed'
fi
expect_not 'Panic on CPU|Kernel panic|svblkback runs|sv-init: sv[a-z]*back started'
# Last, so that everything above is checked first: svfront must not free or
# reuse a page xen-blkback still maps.  Linux's blkback unmaps the rings only
# when the frontend reaches Closed; a frontend that frees them at the
# backend's Closing hands blkback a reused page (its "bogus ring requests"
# are the page's new contents).
expect_not 'grants still mapped by the backend at disconnect'
expect_not 'xen-blkback: Frontend provided bogus ring requests'
[ "$QEMU_STATUS" = 0 ] || fail "QEMU exit status $QEMU_STATUS, expected 0"
pass
