#!/usr/bin/env bash
# Shadow paging vs NPT vs no hypervisor, on svguest's microbenchmarks:
# pf_loop (map/fault/unmap), fork_churn (address-space create/switch/free),
# random_access (8-byte accesses over 256 MiB) and compute (no memory).
#
# Each run boots the guest bare (GRUB multiboot2, no hypervisor), then one
# splitvisor session in which each benchmark runs in its own domain, under
# NPT, under shadow paging as a plain virtual TLB (shadow_roots=1: every
# CR3 write drops every shadow) and under shadow paging as shipped
# (address spaces kept across CR3 writes), one after another on CPU 1 (after=).  Figures are TSC
# cycles as the guest measures them (the same TSC bare and virtualized);
# RUNS runs (default 3), medians.  Writes bench/results/paging.txt and
# bench/results/paging.png (gnuplot), and the raw logs under build/bench/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
RUNS=${RUNS:-3}
OUT="$BUILD/bench"
RESULTS="$ROOT/bench/results"
mkdir -p "$OUT" "$RESULTS"

BENCHES=${BENCHES:-"pf_loop:20000 fork_churn:1000 random_access:1000000 compute:100000000"}
GUEST="$BUILD/guests/svguest.elf"
ELF="$BUILD/hypervisor/splitvisor.elf"
[ -f "$GUEST" ] && [ -f "$ELF" ] || { echo "paging.sh: build first (make hypervisor guests)" >&2; exit 1; }

bench_arg=$(echo $BENCHES | tr ' ' ',')
raw="$OUT/paging-raw.txt"
: > "$raw"                      # run mode bench iterations cycles ms exits...

mem_for() { case "$1" in random_access) echo 384M ;; *) echo 64M ;; esac; }

for run in $(seq "$RUNS"); do
    # Bare: the guest is the kernel GRUB boots.
    MEM=512M TIMEOUT=600 "$ROOT/tests/guests/run-bare.sh" "bench=$bench_arg" >/dev/null 2>&1 || {
        echo "paging.sh: bare run failed; see $BUILD/guests/run-bare.log" >&2; exit 1; }
    awk -v run="$run" '/^BENCH / { print run, "bare", $2, $3, $4 }' "$BUILD/guests/run-bare.log" >> "$raw"

    # splitvisor: one domain per (mode, benchmark), all on CPU 1 in turn.
    set -- "$ELF" "$OUT/paging.iso" "loglvl=info boot_guests after_boot=poweroff"
    names=()
    domid=0                     # each domain starts when the one before it ended (after=)
    for mode in hap vtlb shadow; do
        case $mode in
            vtlb) opts="paging=shadow shadow_roots=1" ;;
            *) opts="paging=$mode" ;;
        esac
        for b in $BENCHES; do
            n=${b%%:*}
            after=""; [ "$domid" -gt 0 ] && after="after=$domid"
            domid=$((domid + 1))
            set -- "$@" "$GUEST" "name=$mode-$n $opts mem=$(mem_for "$n") cpu=1 $after -- bench=$b"
            names+=("$mode-$n")
        done
    done
    "$ROOT/scripts/mkiso.sh" "$@" >/dev/null
    log="$OUT/paging-run$run.log"
    timeout 1800 "$ROOT/scripts/qemu.sh" --iso "$OUT/paging.iso" --smp 2 --mem 2G --log "$log" </dev/null >/dev/null 2>&1 || {
        echo "paging.sh: hypervisor run failed; see $log" >&2; exit 1; }
    tr -d '\r' < "$log" | awk -v run="$run" '
        match($0, /\(d[0-9]+\) BENCH /) {
            split(substr($0, RSTART), f, " "); d = f[1]; gsub(/[()d]/, "", d)
            bench[d] = f[3] " " f[4] " " f[5]
        }
        match($0, /domain [0-9]+ \([a-z_-]+\) ended \(shut down\) after [0-9]+ ms; exits:.*/) {
            s = substr($0, RSTART); split(s, f, " "); d = f[2]; name = f[3]; gsub(/[()]/, "", name)
            ms = f[8]; exits = s; sub(/.*exits: */, "", exits)
            split(name, m, "-"); print run, m[1], bench[d], ms, exits
        }' >> "$raw"
    for n in "${names[@]}"; do
        grep -q " ${n%%-*} ${n#*-} " "$raw" || { echo "paging.sh: no result for $n in run $run; see $log" >&2; exit 1; }
    done
done

# Medians and ratios.
python3 - "$raw" "$RESULTS/paging.txt" "$RUNS" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" <<'PY'
import sys, statistics, collections
raw, out, runs, rev = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
cycles = collections.defaultdict(list)
exits = {}
for line in open(raw):
    f = line.split()
    run, mode, bench, iters, cyc = f[0], f[1], f[2], int(f[3]), int(f[4])
    cycles[(mode, bench)].append(cyc)
    if mode != "bare":
        ms = int(f[5])
        counts = dict(kv.split("=") for kv in f[6:])
        exits.setdefault((mode, bench), []).append((ms, counts))
benches = [b for b in ["pf_loop", "fork_churn", "random_access", "compute"] if ("bare", b) in cycles]
med = {k: statistics.median(v) for k, v in cycles.items()}
with open(out, "w") as o:
    o.write(f"# splitvisor paging benchmark: svguest, TSC cycles, median of {runs} runs (commit {rev})\n")
    o.write("# bare = the same kernel booted by GRUB with no hypervisor; all under QEMU TCG -cpu max\n")
    o.write("# vtlb = shadow paging with shadow_roots=1 (the first, virtual-TLB step); shadow = as shipped\n")
    o.write(f"{'benchmark':<14} {'bare':>13} {'NPT':>13} {'vtlb':>13} {'shadow':>13} {'NPT/bare':>9} {'vtlb/bare':>10} {'shadow/bare':>12} {'shadow/NPT':>11} {'shadow/vtlb':>12}\n")
    for b in benches:
        bare, npt, vt, sh = med[("bare", b)], med[("hap", b)], med[("vtlb", b)], med[("shadow", b)]
        o.write(f"{b:<14} {bare:>13.0f} {npt:>13.0f} {vt:>13.0f} {sh:>13.0f} {npt/bare:>9.2f} {vt/bare:>10.2f} {sh/bare:>12.2f} {sh/npt:>11.2f} {sh/vt:>12.2f}\n")
    o.write("\n# exits per second of guest run time, by reason (median run)\n")
    for (mode, b), rows in sorted(exits.items()):
        rows.sort(key=lambda r: r[0]); ms, counts = rows[len(rows) // 2]
        rate = ", ".join(f"{k}={int(v) * 1000 / max(ms, 1):.0f}/s" for k, v in sorted(counts.items(), key=lambda kv: -int(kv[1])))
        o.write(f"{'NPT' if mode == 'hap' else mode:<7} {b:<14} {ms:>7} ms  {rate}\n")
print(open(out).read())
with open(out + ".dat", "w") as d:
    for b in benches:
        d.write(f"{b} {med[('hap', b)] / med[('bare', b)]:.3f} {med[('vtlb', b)] / med[('bare', b)]:.3f} {med[('shadow', b)] / med[('bare', b)]:.3f}\n")
PY

if command -v gnuplot >/dev/null; then
    gnuplot <<GP
set terminal pngcairo size 900,500 noenhanced
set output "$RESULTS/paging.png"
set title "svguest under splitvisor: cycles relative to bare (log scale, median of $RUNS)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.5:*]
set ylabel "x bare"
set grid ytics
plot "$RESULTS/paging.txt.dat" using 2:xtic(1) title "NPT", "" using 3 title "shadow (virtual TLB)", "" using 4 title "shadow (kept roots)"
GP
fi
rm -f "$RESULTS/paging.txt.dat"
echo "paging.sh: results in $RESULTS/paging.txt${RUNS:+, plot in $RESULTS/paging.png}"
