#!/usr/bin/env bash
# make bench-io: disk (and network) throughput of a domU through split
# drivers, side by side on the same host disk image and the same QEMU:
#   sv   splitvisor: svfront (frontends/) through our svblkback / svnetback;
#        dom0 itself on the same disk (dom0/progs/sv-diskbench);
#   xen  the real Xen 4.17.5 (bench/xen_overlay.sh), same dom0 kernel and
#        image: the same svfront through Linux's xen-blkback / xen-netback;
#        dom0 (PV there) on the same disk too.
# The disk is $OUT/disk.img on the host, attached to dom0 by QEMU on an
# AHCI controller (-device ahci: the same controller on pc and q35; dom0
# has the ahci and sd_mod modules); the domU's xvda is that whole block
# device (phy:/dev/sdX), so svblkback does O_DIRECT on the disk, as
# xen-blkback does bios on it.  For reference the domU also runs on a file
# in dom0's tmpfs (buffered in both: svblkback falls back, Xen uses a loop
# device).  Guest: run=blk_bench bench_ms=$BENCH_MS bench_mib=$BENCH_MIB;
# dom0: sv-diskbench -t $BENCH_MS -m $BENCH_MIB, the same patterns and
# output format.  NET=1: two svfront guests on xenbr0, udp_send -> udp_recv.
#
# One QEMU boot per hypervisor, run back to back in one invocation (so both
# see the same host load); the image is recreated (zeroes) before each boot.
#   FIRMWARE=bios|uefi (SeaBIOS pc | OVMF q35; default bios)
#   BENCH_MS (3000) BENCH_MIB (64) DISK_MIB (256) NET (1) UDP_COUNT (20000)
#   UDP_SIZE (1400) RUNS (3: the phy and native runs, medians) SV_PAGING (hap) XEN_HAP (0) HVS ("sv xen") TIMEOUT (1800 s a boot)
#   REPARSE=1: only rebuild the table and plot from the last logs.
# Writes bench/results/io.txt and io.png; logs under build/bench/io/.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
FIRMWARE=${FIRMWARE:-bios}
BENCH_MS=${BENCH_MS:-3000}
BENCH_MIB=${BENCH_MIB:-64}
DISK_MIB=${DISK_MIB:-256}
NET=${NET:-1}
RUNS=${RUNS:-3}
UDP_COUNT=${UDP_COUNT:-20000}
UDP_SIZE=${UDP_SIZE:-1400}
SV_PAGING=${SV_PAGING:-hap}
XEN_HAP=${XEN_HAP:-0}
HVS=${HVS:-sv xen}
TIMEOUT=${TIMEOUT:-1800}
REPARSE=${REPARSE:-0}
OUT="$BUILD/bench/io"
RESULTS="$ROOT/bench/results/io.txt"
PLOT="$ROOT/bench/results/io.png"
D0="$BUILD/dom0"
ELF="$BUILD/hypervisor/splitvisor.elf"
FRONT="$BUILD/frontends/svfront.elf"
DISKBENCH="$D0/progs/sv-diskbench"
DRIVE="-drive file=$OUT/disk.img,format=raw,if=none,id=d0,cache=writeback -device ahci,id=ahci0 -device ide-hd,drive=d0,bus=ahci0.0"
QEMU_OPTS="-accel tcg -cpu max -smp 2 -m 2G $([ "$FIRMWARE" = uefi ] && echo '-machine q35 (OVMF)' || echo '-machine pc (SeaBIOS)') $DRIVE"
die() { echo "bench-io: $*" >&2; exit 1; }

for f in "$ELF" "$D0/vmlinux" "$D0/initramfs.cpio.gz" "$FRONT" "$DISKBENCH"; do
    [ -f "$f" ] || die "no $f (make iso; make -C dom0 builds sv-diskbench)"
done
mkdir -p "$OUT" "$(dirname "$RESULTS")"
kver=$(cat "$D0/kernel-version")

# --- The script dom0 runs (sv.test=1).  Every line starts "io:"; results
# are "io: R TAG <bench line>" with TAG domU-phy, domU-tmpfs, dom0-native,
# net-send, net-recv. -------------------------------------------------------
dom0_script() {
    local hv=$1
    cat <<EOF
HV=$hv BENCH_MS=$BENCH_MS BENCH_MIB=$BENCH_MIB DISK_MIB=$DISK_MIB NET=$NET RUNS=$RUNS
UDP_COUNT=$UDP_COUNT UDP_SIZE=$UDP_SIZE SV_PAGING=$SV_PAGING XEN_HAP=$XEN_HAP
EOF
    cat <<'EOF'
export PATH=/usr/lib/xen-4.17/bin:/usr/sbin:/usr/bin:/sbin:/bin
t() { echo "io: $*"; }
state_of() { xl list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'; }
wait_down() {  # wait_down DOMAIN SECONDS
    for i in $(seq $(($2 * 10))); do
        case $(state_of "$1") in *s*|*c*) return 0 ;; esac
        sleep 0.1
    done
    return 1
}
logf() { echo "/var/log/splitvisor/guest-$1.log"; }
wait_line() {  # wait_line DOMAIN REGEX SECONDS
    for i in $(seq $(($3 * 10))); do grep -q "$2" "$(logf $1)" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}
guest() {  # guest NAME CMDLINE MEMORY EXTRA: an svfront config for this xl
    echo "name = \"$1\""
    echo 'kernel = "/usr/lib/splitvisor/svfront.elf"'
    echo "memory = $3"
    echo "cmdline = \"$2\""
    echo 'on_poweroff = "preserve"'
    echo 'on_crash = "preserve"'
    if [ "$HV" = sv ]; then
        echo "paging = \"$SV_PAGING\""
    else
        echo 'type = "pvh"'; echo 'vcpus = 1'; echo "hap = $XEN_HAP"; echo 'tsc_mode = "native"'
    fi
    echo "$4"
}
create() {  # create NAME: xl create, its output if it fails
    if timeout 120 xl create "/tmp/$1.cfg" > "/tmp/$1.create" 2>&1; then return 0; fi
    t "xl create $1 failed:"; sed "s/^/io: [$1 create] /" "/tmp/$1.create" | tail -n 30
    return 1
}
finish() {  # finish NAME: its console (bench lines tagged), destroy
    tr -d '\r' < "$(logf $1)" | sed "s/^/io: $1 log: /"
    xl destroy "$1" >/dev/null 2>&1
    for i in $(seq 100); do xl list "$1" >/dev/null 2>&1 || break; sleep 0.1; done
}
disk_cfg() {  # disk_cfg TARGET
    if [ "$HV" = sv ]; then
        case $1 in /dev/*) echo "disk = [ 'phy:$1,xvda,w' ]" ;; *) echo "disk = [ 'file:$1,xvda,w' ]" ;; esac
    else
        echo "disk = [ 'format=raw,vdev=xvda,access=rw,target=$1' ]"
    fi
}
domu_blk() {  # domu_blk TAG TARGET RUN
    name=b-$1-$3
    guest $name "run=blk_bench bench_ms=$BENCH_MS bench_mib=$BENCH_MIB" 96 "$(disk_cfg $2)" > /tmp/$name.cfg
    sed "s/^/io: [$name.cfg] /" /tmp/$name.cfg
    start=$(cut -d' ' -f1 /proc/uptime)
    create $name || return
    if wait_down $name 600; then t "$name shut down after $(awk -v a=$start -v b=$(cut -d' ' -f1 /proc/uptime) 'BEGIN { print b - a }') s"
    else t "$name did not finish within 600 s"; fi
    sleep 1
    if [ "$HV" = xen ]; then
        d=$(xl domid $name)
        for k in physical-device feature-persistent max-ring-page-order multi-queue-max-queues feature-max-indirect-segments; do
            t "$name xen-blkback $k = $(xenstore-read /local/domain/0/backend/vbd/$d/51712/$k 2>/dev/null || echo absent)"
        done
    fi
    tr -d '\r' < "$(logf $name)" | sed -n "s/^svfront: bench blk/io: R $1 bench blk/p"
    finish $name
}

t "start: $HV, disk $DISK_MIB MiB, bench_ms=$BENCH_MS bench_mib=$BENCH_MIB"
t "dom0: $(nproc) CPU(s), $(awk '/MemTotal/ { print $2 / 1024 " MiB" }' /proc/meminfo), $(uname -r)"
if [ "$HV" = xen ]; then
    t "daemons: $(tr '\n' ';' < /var/log/pxl-xenstored.out 2>/dev/null)"
    xl info 2>&1 | grep -E '^(xen_version|xen_commandline|free_memory)' | sed 's/^/io: [xl info] /'
    for m in loop xen-blkback xen-netback; do
        ko=$(find /lib/modules -name "$m.ko" | head -n 1)
        if [ -n "$ko" ] && err=$(insmod "$ko" 2>&1); then t "$m loaded"; else t "$m not loaded: ${ko:-no $m.ko} $err"; fi
    done
else
    pidof svblkback >/dev/null && t "svblkback runs" || t "svblkback is not running"
fi

# The bench disk: the sd whose size is DISK_MIB (QEMU's AHCI disk).
disk=
for s in /sys/block/sd*; do
    [ -r "$s/size" ] && [ "$(cat $s/size)" = $((DISK_MIB * 2048)) ] && disk=/dev/${s##*/}
done
t "disks: $(for s in /sys/block/*; do printf '%s=%s ' ${s##*/} $(cat $s/size); done)"
if [ -n "$disk" ] && [ -b "$disk" ]; then
    d=${disk#/dev/}
    t "bench disk $disk: $(cat /sys/block/$d/device/model 2>/dev/null | tr -s ' '), scheduler $(cat /sys/block/$d/queue/scheduler), max_sectors_kb $(cat /sys/block/$d/queue/max_sectors_kb), nr_requests $(cat /sys/block/$d/queue/nr_requests), queue_depth $(cat /sys/block/$d/device/queue_depth 2>/dev/null)"
    # The domU on the whole disk first (the first user of the fresh image
    # in both boots), then dom0 on it; RUNS times, alternating.
    for run in $(seq $RUNS); do
        domu_blk domU-phy "$disk" $run
        sv-diskbench -t "$BENCH_MS" -m "$BENCH_MIB" "$disk" > /tmp/native.out 2>&1
        t "sv-diskbench status $? (run $run)"
        sed 's/^/io: [native] /' /tmp/native.out
        sed -n 's/^sv-diskbench: bench blk/io: R dom0-native bench blk/p' /tmp/native.out
    done
else
    t "no disk of $DISK_MIB MiB: no phy or native runs"
fi
dd if=/dev/zero of=/tmp/d.img bs=1M count=$((BENCH_MIB + 16)) 2>/dev/null
domu_blk domU-tmpfs /tmp/d.img 1
rm -f /tmp/d.img

if [ "$NET" = 1 ]; then
    t "net: $(ls /sys/class/net/xenbr0/brif 2>/dev/null | tr '\n' ' ')"
    guest n-recv "run=udp_recv ip=10.0.0.11 udp_port=5001 udp_wait_s=120" 64 \
        "vif = [ 'bridge=xenbr0,mac=00:16:3e:00:00:11' ]" > /tmp/n-recv.cfg
    guest n-send "run=udp_send ip=10.0.0.12 udp_dst=10.0.0.11 udp_count=$UDP_COUNT udp_size=$UDP_SIZE" 64 \
        "vif = [ 'bridge=xenbr0,mac=00:16:3e:00:00:12' ]" > /tmp/n-send.cfg
    if create n-recv; then
        wait_line n-recv 'waiting for a run' 60 || t "n-recv: not waiting after 60 s"
        if create n-send; then
            wait_down n-send 200 || t "n-send did not finish within 200 s"
            wait_down n-recv 200 || t "n-recv did not finish within 200 s"
            sleep 1
            tr -d '\r' < "$(logf n-send)" | sed -n 's/^svfront: bench net/io: R net-send bench net/p'
            finish n-send
        fi
        tr -d '\r' < "$(logf n-recv)" | sed -n 's/^svfront: bench net/io: R net-recv bench net/p'
        finish n-recv
    fi
fi

if [ "$HV" = xen ]; then
    sed 's/^/io: [hotplug] /' /var/log/xen/hotplug.log 2>/dev/null
    dmesg | grep -iE 'blkback|netback|vif|loop|ahci|ata[0-9]' | tail -n 30 | sed 's/^/io: [dmesg] /'
else
    tr -d '\r' < /var/log/splitvisor/blkback.log 2>/dev/null | sed 's/^/io: [blkback] /'
    tr -d '\r' < /var/log/splitvisor/netback.log 2>/dev/null | tail -n 20 | sed 's/^/io: [netback] /'
    dmesg | grep -iE 'ahci|ata[0-9]|sd ' | tail -n 20 | sed 's/^/io: [dmesg] /'
fi
t done
EOF
}

# --- Overlays and ISOs. -----------------------------------------------------
. "$ROOT/bench/xen_overlay.sh"
K="console=hvc0 nr_cpus=1 sv.test=1"
build_images() {
    local hv dir b
    for hv in $HVS; do
        dir="$OUT/$hv-root"
        rm -rf "$dir" && mkdir -p "$dir/etc" "$dir/usr/lib/splitvisor"
        dom0_script "$hv" > "$dir/etc/sv-test.sh"
        # The same svfront and sv-diskbench in both, whatever dom0's image holds.
        cp "$FRONT" "$dir/usr/lib/splitvisor/svfront.elf"
        xen_overlay_bin "$dir" "$DISKBENCH" /usr/bin
        if [ "$hv" = xen ]; then
            mkdir -p "$dir/etc/xen/scripts"
            xen_overlay_tree "$dir"
            for b in xenstore-read xenstore-write xenstore-exists xenstore-ls xenstore-list xenstore-rm; do
                xen_overlay_bin "$dir" "$X/usr/bin/$b" /usr/lib/xen-4.17/bin
            done
            cp "$ROOT/tests/peers/xen_split/block" "$ROOT/tests/peers/xen_split/vif-bridge" "$dir/etc/xen/scripts/"
            for m in drivers/block/loop.ko drivers/block/xen-blkback/xen-blkback.ko \
                     drivers/net/xen-netback/xen-netback.ko; do
                mkdir -p "$dir/lib/modules/$kver/kernel/${m%/*}"
                cp "$D0/pkg/lib/modules/$kver/kernel/$m" "$dir/lib/modules/$kver/kernel/$m"
            done
            # Linux's backends serve this dom0: ours must not start.
            for b in svblkback svnetback; do
                printf '#!/bin/sh\nexit 1\n' > "$dir/usr/bin/$b"; chmod 755 "$dir/usr/bin/$b"
            done
        fi
        xen_initramfs "$dir" "$D0/initramfs.cpio.gz" "$OUT/$hv-overlay.cpio.gz" "$OUT/$hv-initramfs.cpio.gz"
    done
    case " $HVS " in *" sv "*)
        "$ROOT/scripts/mkiso.sh" "$ELF" "$OUT/sv.iso" "loglvl=info" \
            "$D0/vmlinux" "$K" "$OUT/sv-initramfs.cpio.gz" initrd >/dev/null ;;
    esac
    case " $HVS " in *" xen "*) xen_iso "$OUT/xen.iso" "$OUT/xen-initramfs.cpio.gz" "$K" ;; esac
}

# boot HV: one QEMU on a fresh image until dom0 says "io: done".
boot() {
    local hv=$1 log="$OUT/$1.log" pid t0
    dd if=/dev/zero of="$OUT/disk.img" bs=1M count="$DISK_MIB" status=none
    : > "$log"
    t0=$(date +%s)
    echo "bench-io: booting $hv ($FIRMWARE), log $log; host load $(cut -d' ' -f1-3 /proc/loadavg)"
    # shellcheck disable=SC2086
    "$ROOT/scripts/qemu.sh" --iso "$OUT/$hv.iso" --firmware "$FIRMWARE" --smp 2 --mem 2G --log "$log" \
        -- $DRIVE </dev/null >"$OUT/$hv.qemu.out" 2>&1 &
    pid=$!
    until grep -q 'io: done' "$log"; do
        if ! kill -0 "$pid" 2>/dev/null || [ $(( $(date +%s) - t0 )) -gt "$TIMEOUT" ] ||
           grep -qE 'Panic on CPU|Kernel panic|----\[ splitvisor exception' "$log"; then
            echo "bench-io: $hv did not finish (log: $log)" >&2
            tr -d '\r' < "$log" | tail -n 30 >&2
            break
        fi
        sleep 1
    done
    sleep 5     # dom0 powers off after its script
    if kill -0 "$pid" 2>/dev/null; then
        pkill -TERM -P "$pid" 2>/dev/null
        kill -TERM "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    echo "bench-io: $hv took $(( $(date +%s) - t0 )) s; host load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "$hv $(( $(date +%s) - t0 )) $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/boots.txt"
}

if [ "$REPARSE" != 1 ]; then
    case " $HVS " in *" xen "*) xen_unpack bench-io "$OUT/xen-pkgs" || exit 1 ;; esac
    build_images || die "cannot build the overlays or ISOs"
    rm -f "$OUT/sv.log" "$OUT/xen.log"     # no stale figures from an earlier run
    : > "$OUT/boots.txt"
    t_start=$(date +%s)
    echo "load-before $(cut -d' ' -f1-3 /proc/loadavg) $(date -u +%Y-%m-%dT%H:%MZ)" >> "$OUT/boots.txt"
    echo "rev $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" >> "$OUT/boots.txt"
    echo "built $(for f in "$ELF" "$FRONT" "$BUILD/backends/svblkback" "$D0/initramfs.cpio.gz"; do
        printf '%s@%s,' "${f##*/}" "$(date -u -r "$f" +%H:%MZ)"; done)" >> "$OUT/boots.txt"
    for hv in $HVS; do boot "$hv"; done
    echo "total $(( $(date +%s) - t_start ))" >> "$OUT/boots.txt"
fi

# --- Table and plot. --------------------------------------------------------
raw="$OUT/raw.txt"      # hv tag line
for hv in sv xen; do
    [ -f "$OUT/$hv.log" ] && tr -d '\r' < "$OUT/$hv.log" | sed -n "s/.*io: R \\([a-zA-Z0-9-]*\\) \\(.*\\)/$hv \\1 \\2/p"
done > "$raw"
python3 - "$raw" "$RESULTS" "$OUT/plot.dat" "$OUT/boots.txt" "$FIRMWARE" "$QEMU_OPTS" \
    "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" status --porcelain -- backends frontends hypervisor tools dom0 | grep -q . && echo ' (+uncommitted changes)')" \
    "$XENVER" "$kver" "$(qemu-system-x86_64 --version | head -1)" "$BENCH_MS" "$BENCH_MIB" "$SV_PAGING" "$XEN_HAP" \
    "$UDP_COUNT" "$UDP_SIZE" <<'PY'
import sys, re, time, os
(raw, out, plot, boots, fw, qopts, rev, xenver, kver, qver, ms, mib, svpg, xhap,
 ucount, usize) = sys.argv[1:17]
import statistics, collections
blk = collections.defaultdict(list)   # (hv, tag, test) -> [MiB/s per run]
net = {}   # (hv, tag) -> dict
for line in open(raw):
    hv, tag, rest = line.rstrip("\n").split(" ", 2)
    m = re.match(r"bench blk (\w+) bs=(\d+) qd=(\d+): ([\d.]+) MiB/s (\d+) IOPS", rest)
    if m:
        name, bs, qd, mibs, iops = m.groups()
        blk[(hv, tag, "%s %s qd%s" % (name, "1M" if bs == "1048576" else "4K", qd))].append(float(mibs))
        continue
    m = re.match(r"bench net udp_send size=(\d+): (\d+) datagrams in (\d+) ms, (\d+) Mbit/s offered", rest)
    if m:
        net[(hv, "send")] = dict(size=m.group(1), n=m.group(2), ms=m.group(3), mbit=int(m.group(4)))
        continue
    m = re.match(r"bench net udp_recv: (\d+) of (\d+) datagrams \((\d+) lost.*in (\d+) ms: (\d+) Mbit/s (\d+) pps", rest)
    if m:
        net[(hv, "recv")] = dict(got=m.group(1), of=m.group(2), lost=m.group(3), ms=m.group(4),
                                 mbit=int(m.group(5)), pps=m.group(6))
tests = ["seq_write 1M qd1", "seq_write 1M qd32", "seq_read 1M qd1", "seq_read 1M qd32",
         "rand_write 4K qd1", "rand_write 4K qd32", "rand_read 4K qd1", "rand_read 4K qd32"]
cols = [("sv", "domU-phy", "sv domU"), ("xen", "domU-phy", "Xen domU"), ("sv", "dom0-native", "dom0 native"),
        ("xen", "dom0-native", "Xen dom0 nat."), ("sv", "domU-tmpfs", "sv domU tmpfs"),
        ("xen", "domU-tmpfs", "Xen domU tmpfs")]
def v(c, t):
    x = blk.get((c[0], c[1], t))
    return statistics.median(x) if x else None
def f(x):
    return "-" if x is None else "%.2f" % x
def r(a, b):
    return None if a is None or not b else a / b
bl = {}
for l in open(boots) if os.path.exists(boots) else []:
    p = l.split()
    bl[p[0]] = p[1:]
L = []
L.append("# make bench-io (bench/io.sh): svfront's blk_bench (bench_ms=%s bench_mib=%s) in an xl-created PVH domU, MiB/s." % (ms, mib))
L.append("# firmware: %s.  QEMU: %s; %s." % ({"bios": "SeaBIOS (-machine pc)", "uefi": "OVMF (-machine q35)"}.get(fw, fw), qopts, qver))
L.append("# disk: a raw image on the host (zeroes, recreated before each boot), QEMU cache=writeback, on an AHCI controller in dom0 (/dev/sdX).")
if "rev" in bl:
    rev = bl["rev"][0] + " (HEAD when run; binaries from build/: " + " ".join(bl.get("built", ["?"])).rstrip(",") + ")"
L.append("#   sv domU:  splitvisor %s, our xl, svblkback with O_DIRECT on the whole /dev/sdX (phy:), guest paging=%s." % (rev, svpg))
L.append("#   Xen domU: Xen %s (Debian), its xl/xenstored, Linux's xen-blkback on /dev/sdX, hap=%s, tsc_mode=native." % (xenver, xhap))
L.append("#   dom0 native: dom0/progs/sv-diskbench on /dev/sdX (O_DIRECT, Linux AIO), same patterns, region and duration, under splitvisor")
L.append("#   (Xen dom0 nat.: the same under Xen, dom0 PV).  tmpfs columns: the domU's disk a file in dom0's tmpfs (buffered: svblkback")
L.append("#   falls back from O_DIRECT; Xen: loop device), reference only.  dom0: Linux %s, 1 vCPU (nr_cpus=1; Xen: dom0_max_vcpus=1, 512 MiB)." % kver)
L.append("# Both boots ran back to back in ONE invocation of bench/io.sh (same host load).  Figures: medians of the runs listed at the end")
L.append("# (phy and native: RUNS runs each, alternating domU and dom0 in one boot; tmpfs: one run).  Run started %s" % (
    bl["load-before"][3] if len(bl.get("load-before", [])) > 3 else time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime())))
if bl:
    L.append("# host load average before: %s; boots: %s" % (" ".join(bl.get("load-before", [])[:3]),
             "; ".join("%s %s s (load after %s)" % (h, bl[h][0], " ".join(bl[h][1:4])) for h in ("sv", "xen") if h in bl)))
L.append("# Noise: a 2-CPU host shared with other QEMU runs (load above ~2) moves single runs by 2-10x (Xen's domU most); judge by the")
L.append("# medians and the per-run figures at the end, and rerun on a quiet host before quoting a ratio.")
L.append("")
hdr = "%-18s" % "test" + "".join("%15s" % c[2] for c in cols) + "%10s%12s" % ("sv/Xen", "sv/native")
L.append(hdr)
pl = []
for t in tests:
    vals = [v(c, t) for c in cols]
    rx, rn = r(vals[0], vals[1]), r(vals[0], vals[2])
    L.append("%-18s" % t + "".join("%15s" % f(x) for x in vals) + "%10s%12s" % (f(rx), f(rn)))
    pl.append(t.replace(" ", "_") + " " + " ".join("%g" % (x or 0) for x in vals[:4]))
L.append("(random rows: IOPS = MiB/s x 256)")
L.append("")
# The issue's aims.
L.append("Aims (from the issue):")
def aim(desc, rows, ok):
    res = []
    for t in rows:
        a, b = ok(t)
        res.append((t, a, b))
    known = [x for x in res if x[1] is not None]
    met = "met" if known and all(x[2] for x in known) and len(known) == len(res) else ("NOT met" if known else "not measured")
    L.append("  - %s: %s" % (desc, met))
    for t, a, good in res:
        L.append("      %-18s %s%s" % (t, "-" if a is None else "%.2f" % a, "" if a is None else ("  ok" if good else "  MISSED")))
seq, rnd = tests[:4], tests[4:]
def sx(t):
    x = r(v(cols[0], t), v(cols[1], t)); return x, x is not None and x >= 1.0
def rx_(t):
    x = r(v(cols[0], t), v(cols[1], t)); return x, x is not None and x >= 1 / 1.2
def nat(t):
    x = r(v(cols[0], t), v(cols[2], t)); return x, x is not None and x >= 0.70
aim("\"domU through our backends at least as fast as real Xen with Linux's kernel backends on sequential 1 MiB\" (sv/Xen >= 1.00)", seq, sx)
aim("\"within 1.2x on random 4 KiB\" (sv/Xen >= 0.83)", rnd, rx_)
aim("\"domU throughput at least 70% of dom0-native\" (sv domU / sv dom0 native >= 0.70)", tests, nat)
L.append("")
L.append("Network: svfront udp_send -> udp_recv, two domUs on dom0's bridge xenbr0 (%s datagrams of %s bytes), Mbit/s:" % (ucount, usize))
for hv, nm in (("sv", "splitvisor (svnetback)"), ("xen", "Xen (xen-netback)")):
    s, rc = net.get((hv, "send")), net.get((hv, "recv"))
    if not s and not rc:
        L.append("  %-24s no result" % nm); continue
    L.append("  %-24s sent %s Mbit/s offered (%s in %s ms); received %s Mbit/s, %s of %s datagrams (%s lost) in %s ms, %s pps" % (
        nm, s["mbit"] if s else "-", s["n"] if s else "-", s["ms"] if s else "-",
        rc["mbit"] if rc else "-", rc["got"] if rc else "-", rc["of"] if rc else "-", rc["lost"] if rc else "-",
        rc["ms"] if rc else "-", rc["pps"] if rc else "-"))
L.append("")
L.append("Runs (MiB/s, in order):")
for t in tests:
    L.append("  %-18s " % t + "; ".join("%s %s" % (c[2], ",".join("%.2f" % x for x in blk[(c[0], c[1], t)]))
                                       for c in cols if blk.get((c[0], c[1], t))))
open(out, "w").write("\n".join(L) + "\n")
open(plot, "w").write("\n".join(pl) + "\n")
print("\n".join(L))
PY

if command -v gnuplot >/dev/null && [ -s "$OUT/plot.dat" ]; then
    gnuplot <<PLOT
set terminal pngcairo size 1000,480 noenhanced
set output "$PLOT"
set title "blk_bench: domU through split drivers vs dom0 native, same disk and QEMU ($FIRMWARE, TCG); MiB/s, log scale"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.7
set logscale y
set yrange [0.5:50000]
set ylabel "MiB/s"
set xtics rotate by -20
set key top right
plot "$OUT/plot.dat" using 2:xtic(1) title "splitvisor domU (svblkback)", "" using 3 title "Xen 4.17 domU (xen-blkback)", \
     "" using 4 title "dom0 native (splitvisor)", "" using 5 title "dom0 native (Xen, PV)"
PLOT
fi
