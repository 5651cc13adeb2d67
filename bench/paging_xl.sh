#!/usr/bin/env bash
# svguest's paging microbenchmarks (pf_loop, fork_churn, random_access,
# compute) in a domain made by `xl create` in dom0, under splitvisor
# (paging = "shadow" and "hap", our xl) and under the real Xen 4.17
# (hap = 0 and hap = 1, Xen's own xl, xenstored, xenconsoled), with the
# same dom0 kernel and initramfs, in the same QEMU (SeaBIOS, TCG, -cpu max,
# -smp 2, -m 2G).  One boot per hypervisor; in it each mode runs RUNS
# times (default 2), each time in a new 384 MiB domain (random_access
# wants 320 MiB).  Figures are the guest's own: ns per iteration from its
# BENCH lines (TSC at the frequency CPUID's time leaf gives), medians.
# Writes bench/results/paging-xl.txt and .png; logs under build/bench/paging-xl/.
#
# The real Xen (Debian's bookworm point release 4.17.5+72, which has shadow
# paging) and its toolstack come as an overlay of dom0's initramfs made by
# bench/xen_overlay.sh (nothing is installed on the host).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
RUNS=${RUNS:-2}
BENCH=${BENCH:-pf_loop:20000,fork_churn:4000,random_access:1000000,compute:1000000000}
MEMORY=${MEMORY:-384}
TIMEOUT=${TIMEOUT:-3000}        # seconds per boot (Xen hap=0 fork_churn:4000: ~11 min a run)
# XEN_EXTRA_MODES="hap0m64": also hap=0 with shadow_memory = 64 (MiB) under Xen.
XEN_EXTRA_MODES=${XEN_EXTRA_MODES:-}
OUT="$BUILD/bench/paging-xl"
RESULTS="$ROOT/bench/results/paging-xl.txt"
D0="$BUILD/dom0"
[ -f "$D0/vmlinux" ] && [ -f "$D0/initramfs.cpio.gz" ] && [ -f "$BUILD/hypervisor/splitvisor.elf" ] ||
    { echo "paging_xl: build first (make iso)" >&2; exit 1; }
mkdir -p "$OUT" "$(dirname "$RESULTS")"

# --- The real Xen and its toolstack, unpacked. -------------------------------
. "$ROOT/bench/xen_overlay.sh"
xen_unpack paging_xl "$OUT/xen-pkgs" || exit 1

# --- The script dom0 runs (sv.test=1): create, wait, print the console log. --
# $1: sv or xen.  Every line it prints starts "pxl:".
dom0_script() {
    cat <<'EOF'
P() { echo "pxl: $*"; }
state_of() { $XL list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'; }
EOF
    if [ "$1" = sv ]; then
        cat <<EOF
XL=xl XLV=-v LOGDIR=/var/log/splitvisor
MODES="shadow hap"
cfg_mode() { echo "paging = \"\$1\""; }
EOF
    else
        cat <<EOF
XL="/usr/lib/xen-4.17/bin/xl" XLV=-vvv LOGDIR=/var/log/splitvisor
MODES="hap0 hap1 $XEN_EXTRA_MODES"
cfg_mode() {
  case \$1 in
    hap0m*) echo "hap = 0"; echo "shadow_memory = \${1#hap0m}" ;;
    *) echo "hap = \${1#hap}" ;;
  esac
  echo 'tsc_mode = "native"'
}
P "xenstored: \$(cat /var/log/pxl-xenstored.out 2>/dev/null)"
\$XL info 2>&1 | grep -E '^(xen_version|xen_caps|total_memory|free_memory|virt_caps|xen_commandline)' | sed 's/^/pxl: [xl info] /'
EOF
    fi
    cat <<EOF
RUNS=$RUNS
BENCH="$BENCH"
MEMORY=$MEMORY
EOF
    cat <<'EOF'
for run in $(seq $RUNS); do
  for mode in $MODES; do
    name=pg-$mode-$run
    { echo "name = \"$name\""
      echo 'type = "pvh"'
      echo 'kernel = "/usr/lib/splitvisor/svguest.elf"'
      echo "memory = $MEMORY"
      echo 'vcpus = 1'
      echo "cmdline = \"bench=$BENCH exit=poweroff\""
      echo 'on_poweroff = "preserve"'
      echo 'on_crash = "preserve"'
      cfg_mode $mode; } > /tmp/$name.cfg
    t0=$(cut -d' ' -f1 /proc/uptime)
    $XL $XLV create /tmp/$name.cfg > /tmp/$name.create 2>&1; rc=$?
    t1=$(cut -d' ' -f1 /proc/uptime)
    P "$name: xl create status $rc after $(awk -v a=$t0 -v b=$t1 'BEGIN { print b - a }') s"
    [ $rc = 0 ] || sed "s/^/pxl: $name create: /" /tmp/$name.create
    st=-
    for i in $(seq 1200); do
      st=$(state_of $name)
      case "$st" in *s*|*c*|"") break ;; esac
      sleep 1
    done
    t2=$(cut -d' ' -f1 /proc/uptime)
    P "$name: state '$st' after $(awk -v a=$t1 -v b=$t2 'BEGIN { print b - a }') s"
    sleep 1
    tr -d '\r' < $LOGDIR/guest-$name.log 2>/dev/null | sed "s/^/pxl: $name log: /"
    $XL destroy $name 2>&1 | sed "s/^/pxl: $name destroy: /"
  done
done
if [ -n "${XL##xl}" ]; then
  $XL dmesg 2>&1 | tail -n 40 | sed 's/^/pxl: [xl dmesg] /'
  for f in /var/log/xen/xl-*.log; do [ -f "$f" ] && tail -n 5 "$f" | sed "s|^|pxl: [$f] |"; done
fi
P done
EOF
}

# overlay DIR HV: the overlay's tree in DIR for hypervisor HV.
make_overlay() {
    local dir=$1 hv=$2
    rm -rf "$dir" && mkdir -p "$dir/etc"
    dom0_script "$hv" > "$dir/etc/sv-test.sh"
    [ "$hv" = xen ] || return 0
    xen_overlay_tree "$dir"
}

K="console=hvc0 nr_cpus=1 sv.test=1"
for hv in sv xen; do
    make_overlay "$OUT/$hv-root" "$hv"
    xen_initramfs "$OUT/$hv-root" "$D0/initramfs.cpio.gz" "$OUT/$hv-overlay.cpio.gz" "$OUT/$hv-initramfs.cpio.gz"
done
"$ROOT/scripts/mkiso.sh" "$BUILD/hypervisor/splitvisor.elf" "$OUT/sv.iso" "loglvl=info" \
    "$D0/vmlinux" "$K" "$OUT/sv-initramfs.cpio.gz" initrd >/dev/null
xen_iso "$OUT/xen.iso" "$OUT/xen-initramfs.cpio.gz" "$K"

# One boot per hypervisor, until dom0's script says "pxl: done".
boot() {
    local hv=$1 log="$OUT/$1.log" pid t0
    : > "$log"
    t0=$(date +%s)
    "$ROOT/scripts/qemu.sh" --iso "$OUT/$hv.iso" --firmware bios --smp 2 --mem 2G --log "$log" \
        </dev/null >"$OUT/$hv.qemu.out" 2>&1 &
    pid=$!
    until grep -q 'pxl: done' "$log"; do
        if ! kill -0 "$pid" 2>/dev/null || [ $(( $(date +%s) - t0 )) -gt "$TIMEOUT" ] ||
           grep -qE 'Panic on CPU|Kernel panic|----\[ splitvisor exception' "$log"; then
            echo "paging_xl: $hv did not finish (log: $log)" >&2
            break
        fi
        sleep 1
    done
    sleep 5
    pkill -P "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
for hv in ${HVS:-sv xen}; do boot "$hv"; done

# --- Table: ns per iteration, median over runs. ---------------------------
raw="$OUT/raw.txt"              # hv mode run bench iterations cycles ns
for hv in sv xen; do
    [ -f "$OUT/$hv.log" ] || continue
    tr -d '\r' < "$OUT/$hv.log" | sed -nE "s/.*pxl: pg-([a-z0-9]+)-([0-9]+) log: BENCH ([a-z_]+) ([0-9]+) ([0-9]+) ?([0-9]*).*/$hv \1 \2 \3 \4 \5 \6/p"
done > "$raw"
python3 - "$raw" "$RESULTS" "$BENCH" "$RUNS" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    "$XENVER" "$(cat "$D0/kernel-version")" "$(qemu-system-x86_64 --version | head -1)" "$OUT/plot.dat" <<'PY'
import sys, statistics, collections, time
raw, out, bench, runs, rev, xenver, kver, qver, plot = sys.argv[1:10]
vals = collections.defaultdict(list)   # (col, bench) -> [ns/iter]
its = collections.defaultdict(set)
for line in open(raw):
    hv, mode, run, b, it, cyc, ns = (line.split() + [""])[:7]
    if not ns:
        continue
    vals[(hv + "-" + mode, b)].append(int(ns) / int(it))
    its[(hv + "-" + mode, b)].add(it)
cols = [("sv-shadow", "splitvisor shadow"), ("sv-hap", "splitvisor hap"),
        ("xen-hap0", "Xen hap=0"), ("xen-hap1", "Xen hap=1")]
for c in sorted({c for c, _ in vals} - {c for c, _ in cols}):
    if c.startswith("xen-hap0m"):
        cols.append((c, "Xen hap=0 sm=" + c[len("xen-hap0m"):]))
benches = [b.split(":")[0] for b in bench.split(",")]
iters = {b.split(":")[0]: b.split(":")[1] for b in bench.split(",")}
def med(c, b):
    v = vals.get((c, b))
    return statistics.median(v) if v else None
def f(x):
    return "-" if x is None else ("%.1f" % x if x < 1000 else "%.0f" % x)
lines = []
lines.append("# svguest paging microbenchmarks in an xl-created PVH domU (384 MiB, 1 vCPU), ns per iteration,")
lines.append("# median of the runs listed at the end (each a new domain; RUNS=%s this time); the guest TSC-based ns.  Same dom0 (Linux %s, PV under Xen)," % (runs, kver))
lines.append("# same QEMU (%s, TCG -cpu max -smp 2 -m 2G, SeaBIOS)." % qver)
lines.append("# splitvisor %s (our xl, paging=shadow|hap); Xen %s (Debian; its xl, xenstored, xenconsoled; hap=0|1, tsc_mode=native)." % (rev, xenver))
lines.append("# iterations: %s; %s" % (bench, time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime())))
hdr = "%-14s %10s" % ("benchmark", "iters") + "".join("%19s" % n for _, n in cols) + "%16s%16s" % ("svshadow/xen0", "svhap/xen1")
lines.append(hdr)
pl = []
for b in benches:
    m = [med(c, b) for c, _ in cols]
    r1 = "%.3g" % (m[0] / m[2]) if m[0] and m[2] else "-"
    r2 = "%.3g" % (m[1] / m[3]) if m[1] and m[3] else "-"
    lines.append("%-14s %10s" % (b, iters[b]) + "".join("%19s" % f(x) for x in m) + "%16s%16s" % (r1, r2))
    pl.append(b + " " + " ".join("%g" % x if x is not None else "0" for x in m))
lines.append("# runs (ns/iteration): " + "; ".join("%s %s: %s (%s iters)" % (c, b, ",".join("%.1f" % x for x in vals[(c, b)]), "/".join(sorted(its[(c, b)])))
                                                   for b in benches for c, _ in cols if vals.get((c, b))))
open(out, "w").write("\n".join(lines) + "\n")
open(plot, "w").write("\n".join(pl) + "\n")
print("\n".join(lines))
PY

if command -v gnuplot >/dev/null; then
    gnuplot <<PLOT
set terminal pngcairo size 900,450 noenhanced
set output "$ROOT/bench/results/paging-xl.png"
set title "svguest in an xl-created PVH domU: ns per iteration (log scale), same dom0, QEMU TCG"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.7
set logscale y
set yrange [1:*]
set ylabel "ns per iteration"
set key top left
plot "$OUT/plot.dat" using 2:xtic(1) title "splitvisor shadow", "" using 3 title "splitvisor hap", \
     "" using 4 title "Xen 4.17 hap=0", "" using 5 title "Xen 4.17 hap=1"
PLOT
fi
