#!/usr/bin/env bash
# Wall time from QEMU start to "SMP: all N CPUs online" on SeaBIOS and OVMF,
# RUNS boots each (default 3), median reported.  Writes
# bench/results/boot-time.txt.  Both firmware are measured in the same run,
# on the same ISO, so the ratio between them is meaningful; the absolute
# figures depend on the host (TCG).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
RUNS=${RUNS:-3}
SMP=${SMP:-4}
OUT="$BUILD/bench"
RESULTS="$ROOT/bench/results/boot-time.txt"
mkdir -p "$OUT" "$(dirname "$RESULTS")"

iso="$OUT/boot-time.iso"
"$ROOT/scripts/mkiso.sh" "$BUILD/hypervisor/splitvisor.elf" "$iso" "after_boot=poweroff" >/dev/null

# One boot: prints seconds from QEMU start to the marker.
measure() {
    local firmware=$1 log="$OUT/boot-time-$1.log"
    : > "$log"
    local t0 t1
    t0=$(date +%s%N)
    "$ROOT/scripts/qemu.sh" --iso "$iso" --firmware "$firmware" --smp "$SMP" --log "$log" \
        </dev/null >/dev/null 2>&1 &
    local pid=$!
    while ! grep -q "SMP: all $SMP CPUs online" "$log"; do
        kill -0 "$pid" 2>/dev/null || { echo "boot on $firmware ended without the marker" >&2; exit 1; }
        sleep 0.02
    done
    t1=$(date +%s%N)
    wait "$pid" || true
    awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f\n", ns / 1e9 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

{
    echo "# splitvisor boot time: QEMU start -> 'SMP: all $SMP CPUs online'"
    echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(qemu-system-x86_64 --version | head -1), -accel tcg -cpu max -smp $SMP -m 2G"
    echo "# host: $(nproc) CPUs; commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    printf "%-8s %-24s %s\n" firmware "runs (s)" "median (s)"
    for fw in bios uefi; do
        runs=""
        for _ in $(seq "$RUNS"); do runs="$runs $(measure "$fw")"; done
        med=$(echo "$runs" | tr ' ' '\n' | grep . | median)
        printf "%-8s %-24s %s\n" "$fw" "$(echo $runs | tr ' ' ',')" "$med"
    done
} | tee "$RESULTS"
