#!/usr/bin/env bash
# The cost of the Xen ABI core under splitvisor, in one boot per run:
# event-channel round trips between two domains (on two CPUs and sharing
# one CPU), grant map+unmap pairs and whole-page grant copies, under NPT
# and under shadow paging, and the null hypercall (xen_version) round trip.  Medians of RUNS runs (default 3) go to
# bench/results/xen_abi.txt; raw logs under build/bench/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
RUNS=${RUNS:-3}
ROUNDS=${ROUNDS:-10000}
CALLS=${CALLS:-100000}
GRANTS=${GRANTS:-5000}
OUT="$BUILD/bench"
RESULTS="$ROOT/bench/results"
mkdir -p "$OUT" "$RESULTS"
GUEST="$BUILD/guests/svguest.elf"
ELF="$BUILD/hypervisor/splitvisor.elf"
[ -f "$GUEST" ] && [ -f "$ELF" ] || { echo "xen_abi.sh: build first (make hypervisor guests)" >&2; exit 1; }

raw="$OUT/xen_abi-raw.txt"
: > "$raw"
for run in $(seq "$RUNS"); do
    # Pairs run one after another (after=): each ping waits for the previous
    # ping, each pong for the previous pong.
    set -- "$ELF" "$OUT/xen_abi.iso" "loglvl=info boot_guests after_boot=poweroff"
    labels=()
    id=0 prev_ping=0 prev_pong=0
    for mode in hap shadow; do
        for place in two-cpus one-cpu; do
            pong_cpu=2; [ "$place" = one-cpu ] && pong_cpu=1
            ping=$((id + 1)) pong=$((id + 2))
            a1=""; [ "$prev_ping" -gt 0 ] && a1="after=$prev_ping"
            a2=""; [ "$prev_pong" -gt 0 ] && a2="after=$prev_pong"
            set -- "$@" "$GUEST" "name=ping paging=$mode mem=32M cpu=1 $a1 -- tests=evtchn_ping peer=$pong rounds=$ROUNDS" \
                        "$GUEST" "name=pong paging=$mode mem=32M cpu=$pong_cpu $a2 -- tests=evtchn_pong peer=$ping rounds=$ROUNDS"
            labels+=("$ping evtchn_rtt $mode $place")
            prev_ping=$ping prev_pong=$pong id=$pong
        done
    done
    # Grant map+unmap pairs and whole-page copies, by the mapper (take),
    # after the event pairs on the same CPUs.
    for mode in hap shadow; do
        give=$((id + 1)) take=$((id + 2))
        set -- "$@" "$GUEST" "name=give paging=$mode mem=32M cpu=1 after=$prev_ping -- tests=grant_give peer=$take rounds=100" \
                    "$GUEST" "name=take paging=$mode mem=32M cpu=2 after=$prev_pong -- tests=grant_take peer=$give rounds=100 gbench=$GRANTS"
        labels+=("$take grant_map_unmap $mode two-cpus" "$take grant_copy_4k $mode two-cpus")
        prev_ping=$give prev_pong=$take id=$take
    done
    if grep -q null_hypercall "$ROOT/tests/guests/bench.c"; then
        first_null=$((id + 1))
        for mode in hap shadow; do
            id=$((id + 1))
            a=""; [ "$id" -gt "$first_null" ] && a="after=$((id - 1))"
            set -- "$@" "$GUEST" "name=null paging=$mode mem=32M cpu=3 $a -- bench=null_hypercall:$CALLS"
            labels+=("$id null_hypercall $mode -")
        done
    fi
    "$ROOT/scripts/mkiso.sh" "$@" >/dev/null
    log="$OUT/xen_abi-run$run.log"
    timeout 1800 "$ROOT/scripts/qemu.sh" --iso "$OUT/xen_abi.iso" --smp 4 --mem 2G --log "$log" </dev/null >/dev/null 2>&1 || {
        echo "xen_abi.sh: run failed; see $log" >&2; exit 1; }
    for l in "${labels[@]}"; do
        set -- $l
        line=$(tr -d '\r' < "$log" | grep -a "(d$1) BENCH $2 " | tail -1) || true
        [ -n "$line" ] || { echo "xen_abi.sh: no BENCH $2 from d$1 in run $run; see $log" >&2; exit 1; }
        echo "$run $2 $3 $4 $(echo "$line" | sed 's/.*BENCH [a-z_0-9]* //')" >> "$raw"
    done
done

python3 - "$raw" "$RESULTS/xen_abi.txt" "$RUNS" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" <<'PY'
import sys, statistics, collections
raw, out, runs, rev = sys.argv[1:5]
per = collections.defaultdict(list)
for line in open(raw):
    f = line.split()
    run, bench, mode, place, iters, cycles = f[0], f[1], f[2], f[3], int(f[4]), int(f[5])
    ns = int(f[6]) if len(f) > 6 else None
    per[(bench, mode, place)].append((cycles / iters, ns / iters if ns else None))
with open(out, "w") as o:
    o.write(f"# splitvisor Xen ABI benchmark: svguest peers, median of {runs} runs (commit {rev})\n")
    o.write("# under QEMU TCG -cpu max (nested SVM emulated): absolute figures are TCG's, ratios are ours\n")
    o.write(f"{'benchmark':<16} {'paging':<7} {'placement':<10} {'cycles/op':>12} {'us/op':>9}\n")
    for (bench, mode, place), v in sorted(per.items()):
        c = statistics.median(x[0] for x in v)
        ns = [x[1] for x in v if x[1] is not None]
        us = f"{statistics.median(ns) / 1000:9.1f}" if ns else f"{'-':>9}"
        o.write(f"{bench:<16} {'NPT' if mode == 'hap' else mode:<7} {place:<10} {c:>12.0f} {us}\n")
print(open(out).read())
PY
echo "xen_abi.sh: results in $RESULTS/xen_abi.txt"
