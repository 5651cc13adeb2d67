#!/usr/bin/env bash
# plot.sh RESULTS.txt OUT.png - bar chart of bench/results/xenstore.txt with
# gnuplot: throughput (ops/s, txn/s) on the left, watch latency (us) on the
# right, since the units differ by orders of magnitude.  Ours and Debian's
# bars side by side; a "-" (not measured) is drawn as no bar.
set -u
[ $# -eq 2 ] || { echo "usage: $0 RESULTS.txt OUT.png" >&2; exit 2; }
RESULTS=$1 PNG=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Data rows only (no comments, no header line).
grep -v '^#' "$RESULTS" | awk 'NR > 1 && ($2 == "ops/s" || $2 == "txn/s")' >"$TMP/thr.dat"
grep -v '^#' "$RESULTS" | awk 'NR > 1 && $2 == "us"' >"$TMP/lat.dat"
# Draw ours only if it was measured (run.sh writes "-" when it is not built).
if awk '$3 != "-" { found = 1 } END { exit !found }' "$TMP/thr.dat" "$TMP/lat.dat"; then
    ours='using 3:xtic(1) title "ours" lc rgb "#1f77b4", "" using 4'
else
    ours='using 4:xtic(1)'
fi
when=$(sed -n 's/^# \([0-9T:-]*Z\).*/\1/p' "$RESULTS" | head -1)

timeout 60 gnuplot <<EOF
set terminal pngcairo size 1100,480 font "sans,10" noenhanced
set output "$PNG"
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set key top left
set yrange [0:*]
set multiplot layout 1,2 title "xenstored: ours vs Debian's C xenstored 4.17 (median, $when)"
set title "throughput (higher is better)"
set ylabel "operations / s  (txn: transactions / s)"
plot "$TMP/thr.dat" $ours title "debian" lc rgb "#ff7f0e"
set title "watch latency, write to event (lower is better)"
set ylabel "microseconds"
plot "$TMP/lat.dat" $ours title "debian" lc rgb "#ff7f0e"
unset multiplot
EOF
