#!/usr/bin/env bash
# bench/xenstore/run.sh - our xenstored against Debian's C xenstored 4.17.
#
# Builds xs_bench (Debian's libxenstore), then runs it RUNS times (default 3)
# against each daemon in the same run, interleaved, a fresh daemon per run, and
# writes the medians to bench/results/xenstore.txt: row, ours, debian and
# ours/debian.  Ours is build/xenstore/xenstored (override XENSTORED_OURS);
# if it is not built its column says "-".  With gnuplot (gnuplot-nox from
# Debian, installed if missing) it also draws bench/results/xenstore.png.
#
# Knobs: RUNS, KEYS (10000), TXNS (1000), EVENTS (2000).  Exits 1 if a
# daemon failed a run (the table is still written).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-3} KEYS=${KEYS:-10000} TXNS=${TXNS:-1000} EVENTS=${EVENTS:-2000}
OURS_BIN=${XENSTORED_OURS:-$ROOT/build/xenstore/xenstored}
OUT="$ROOT/build/bench/xenstore"
RESULTS="$ROOT/bench/results/xenstore.txt"
PNG="$ROOT/bench/results/xenstore.png"
BENCH="$OUT/xs_bench"
ROWS="write read directory rm txn watch_p50 watch_p99"
mkdir -p "$OUT" "$(dirname "$RESULTS")"

export DEBIAN_FRONTEND=noninteractive
need_pkg() {   # need_pkg PKG...: apt-get install those not installed
    local p missing=""
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q " installed" || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null; }
}
need_pkg gcc libc6-dev libxen-dev || { echo "cannot install libxen-dev" >&2; exit 1; }
need_pkg gnuplot-nox || echo "run.sh: no gnuplot, no PNG" >&2

gcc -O2 -Wall -Wextra -o "$BENCH" "$ROOT/bench/xenstore/xs_bench.c" -lxenstore || exit 1

# Short /tmp dir for the sockets (sun_path is 108 bytes).
TMP=$(mktemp -d /tmp/xs-bench.XXXXXX)
DAEMON_PID=""
stop_daemon() {
    [ -n "$DAEMON_PID" ] || return 0
    kill "$DAEMON_PID" 2>/dev/null
    for _ in $(seq 20); do kill -0 "$DAEMON_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$DAEMON_PID" 2>/dev/null
    wait "$DAEMON_PID" 2>/dev/null
    DAEMON_PID=""
}
trap 'stop_daemon; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

FAILED=0
# run_one KIND REP: one fresh daemon, one xs_bench run into $OUT/KIND.REP.txt.
run_one() {
    local kind=$1 rep=$2
    rm -f "$OUT/$kind.$rep.txt"
    DAEMON_PID=$(XENSTORED_OURS="$OURS_BIN" "$ROOT/tests/peers/start-xenstored.sh" "$kind" "$TMP/$kind.sock") \
        || { echo "run.sh: $kind xenstored did not start" >&2; DAEMON_PID=""; FAILED=1; return; }
    # Bounded: a healthy run takes ~4 s; 60 s keeps a hung daemon to 3 minutes.
    if ! XENSTORED_PATH="$TMP/$kind.sock" timeout 60 \
        "$BENCH" -n "$KEYS" -t "$TXNS" -e "$EVENTS" >"$OUT/$kind.$rep.txt"; then
        echo "run.sh: xs_bench against $kind failed (run $rep)" >&2
        rm -f "$OUT/$kind.$rep.txt"
        FAILED=1
    fi
    stop_daemon
    echo "run.sh: $kind run $rep done" >&2
}

# median KIND ROW: median of ROW over KIND's runs, or "-".
median() {
    cat "$OUT/$1".*.txt 2>/dev/null | awk -v r="$2" '$1 == r { print $2 }' | sort -g \
        | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'
}

KINDS=debian
if [ -x "$OURS_BIN" ]; then KINDS="debian ours"; else echo "run.sh: $OURS_BIN not built, debian only" >&2; fi
# Repetitions interleaved (debian, ours, debian, ours, ...) so that a noisy
# moment on the host hits both daemons alike.
rm -f "$OUT"/debian.*.txt "$OUT"/ours.*.txt
for rep in $(seq "$RUNS"); do
    for kind in $KINDS; do run_one "$kind" "$rep"; done
done

deb_ver=""
for deb in "$ROOT"/build/peers/debian/xen-utils-4.17_*.deb; do
    [ -f "$deb" ] && deb_ver=$(dpkg-deb -f "$deb" Version)
done
{
    echo "# xenstored benchmark: xs_bench on Debian's libxenstore over the Unix socket"
    echo "# $(date -u +%Y-%m-%dT%H:%MZ); median of $RUNS runs per daemon, interleaved, fresh daemon per run"
    echo "# keys=$KEYS (100 dirs), txns=$TXNS x 10 writes, watch events=$EVENTS"
    echo "# debian = xenstored from xen-utils-4.17 ${deb_ver:-?} (LD_PRELOAD fakes, tests/peers/README.md)"
    echo "# ours = $OURS_BIN"
    echo "# host: $(nproc) CPUs; commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "# ratio = ours/debian: above 1 is better for ops/s and txn/s, worse for us"
    printf "%-10s %-6s %12s %12s %8s\n" row unit ours debian ratio
    for r in $ROWS; do
        unit=$(cat "$OUT"/*.*.txt 2>/dev/null | awk -v r="$r" '$1 == r { print $3; exit }')
        o=$(median ours "$r") d=$(median debian "$r")
        ratio=$(awk -v o="$o" -v d="$d" 'BEGIN { if (o == "-" || d == "-" || d == 0) print "-"; else printf "%.2f", o / d }')
        printf "%-10s %-6s %12s %12s %8s\n" "$r" "${unit:--}" "$o" "$d" "$ratio"
    done
} | tee "$RESULTS"

if command -v gnuplot >/dev/null; then
    "$ROOT/bench/xenstore/plot.sh" "$RESULTS" "$PNG" && echo "run.sh: wrote $PNG" >&2
fi
exit "$FAILED"
