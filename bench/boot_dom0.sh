#!/usr/bin/env bash
# Wall time from QEMU start to dom0's "splitvisor dom0: init done" (its init
# has mounted everything and loaded the modules; the shell comes next), for
# the same dom0 kernel and initramfs under splitvisor with nested paging,
# under splitvisor with shadow paging, and under the real Xen 4.17 (Debian's
# xen-hypervisor-4.17-amd64), in one run on SeaBIOS, RUNS boots each
# (default 2), median.  Writes bench/results/boot-dom0.txt and .png.
# The real Xen boots this kernel as a PV dom0, its default: a PVH dom0
# needs an IOMMU there ("Presently, iommu must be enabled for PVH hardware
# domain"), and with QEMU's amd-iommu it died of QEMU's RDTSCP quirk
# (docs/dom0.md).  smap=0: Xen's PV dom0 kernel runs in ring 3.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
RUNS=${RUNS:-2}
OUT="$BUILD/bench/boot-dom0"
CACHE="$BUILD/cache/debs"
RESULTS="$ROOT/bench/results/boot-dom0.txt"
D0="$BUILD/dom0"
MARKER='splitvisor dom0: init done'
mkdir -p "$OUT" "$CACHE" "$(dirname "$RESULTS")"

# The real Xen, from Debian's archive (cached like dom0's packages).
ver=$(apt-cache policy xen-hypervisor-4.17-amd64 | sed -n 's/^ *Candidate: //p')
deb="$CACHE/xen-hypervisor-4.17-amd64_$(echo "$ver" | sed 's/:/%3a/')_amd64.deb"
if [ ! -s "$deb" ]; then
    sandbox=; [ "$(id -u)" != 0 ] || sandbox='-o APT::Sandbox::User=root'
    (cd "$CACHE" && apt-get download $sandbox "xen-hypervisor-4.17-amd64=$ver" >/dev/null)
fi
rm -rf "$OUT/xen" && dpkg-deb -x "$deb" "$OUT/xen"
xen=$(ls "$OUT"/xen/boot/xen-4.17*-amd64.gz 2>/dev/null | head -n1)
[ -n "$xen" ] || { echo "boot_dom0: no xen-*.gz in $deb" >&2; exit 1; }

# dom0's initramfs with a test script that only says it got there.
mkdir -p "$OUT/root/etc"
printf 'echo "sv-boot: at the shell"\n' > "$OUT/root/etc/sv-test.sh"
(cd "$OUT/root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -n) > "$OUT/overlay.cpio.gz"
cat "$D0/initramfs.cpio.gz" "$OUT/overlay.cpio.gz" > "$OUT/initramfs.cpio.gz"
K="console=hvc0 nr_cpus=1 sv.test=1"
"$ROOT/scripts/mkiso.sh" "$BUILD/hypervisor/splitvisor.elf" "$OUT/sv-hap.iso" "loglvl=info dom0_paging=hap" \
    "$D0/vmlinux" "$K" "$OUT/initramfs.cpio.gz" initrd >/dev/null
"$ROOT/scripts/mkiso.sh" "$BUILD/hypervisor/splitvisor.elf" "$OUT/sv-shadow.iso" "loglvl=info dom0_paging=shadow" \
    "$D0/vmlinux" "$K" "$OUT/initramfs.cpio.gz" initrd >/dev/null
"$ROOT/scripts/mkiso.sh" "$xen" "$OUT/xen.iso" \
    "console=com1 com1=115200,8n1 dom0_mem=512M,max:512M dom0_max_vcpus=1 smap=0 noreboot" \
    "$D0/vmlinux" "$K" "$OUT/initramfs.cpio.gz" initrd >/dev/null

# One boot: seconds from QEMU start to the marker (then QEMU is stopped).
measure() {
    local name=$1 log="$OUT/$1.log" t0 t1 pid
    : > "$log"
    t0=$(date +%s%N)
    "$ROOT/scripts/qemu.sh" --iso "$OUT/$name.iso" --firmware bios --smp 2 --mem 2G --log "$log" \
        </dev/null >/dev/null 2>&1 &
    pid=$!
    until grep -q "$MARKER" "$log"; do
        if ! kill -0 "$pid" 2>/dev/null || [ $(( ($(date +%s%N) - t0) / 1000000000 )) -gt 300 ] ||
           grep -qE 'Panic|Kernel panic|crashed' "$log"; then
            echo "boot_dom0: $name never reached '$MARKER' (log: $log)" >&2
            pkill -P "$pid" 2>/dev/null || true
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            echo "-"
            return
        fi
        sleep 0.05
    done
    t1=$(date +%s%N)
    pkill -P "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f\n", ns / 1e9 }'
}

median() { grep -v -- - | sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }'; }

declare -A med
{
    echo "# dom0 boot: QEMU start -> '$MARKER' (SeaBIOS, -accel tcg -cpu max -smp 2 -m 2G, dom0_mem 512M, 1 vCPU)"
    echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(qemu-system-x86_64 --version | head -1); host $(nproc) CPUs"
    echo "# splitvisor $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown); Xen $ver; dom0 $(cat "$D0/kernel-version")"
    printf "%-18s %-20s %s\n" hypervisor "runs (s)" "median (s)"
    for name in sv-hap sv-shadow xen; do
        runs=""
        for _ in $(seq "$RUNS"); do runs="$runs $(measure "$name")"; done
        med[$name]=$(echo "$runs" | tr ' ' '\n' | grep . | median)
        label=$name
        case $name in sv-hap) label="splitvisor NPT" ;; sv-shadow) label="splitvisor shadow" ;; xen) label="Xen 4.17 PV dom0" ;; esac
        printf "%-18s %-20s %s\n" "$label" "$(echo $runs | tr ' ' ',')" "${med[$name]}"
    done
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
    echo "# ratios: splitvisor NPT / Xen $(ratio "${med[sv-hap]}" "${med[xen]}"), splitvisor shadow / NPT $(ratio "${med[sv-shadow]}" "${med[sv-hap]}")"
} | tee "$RESULTS"

if command -v gnuplot >/dev/null; then
    awk '!/^#/ && NR > 1 && $NF != "-" { n = NF; label = $1; for (i = 2; i < n - 1; i++) label = label " " $i; printf "\"%s\" %s\n", label, $n }' "$RESULTS" \
        | sed -n '2,$p' > "$OUT/plot.dat"
    gnuplot <<PLOT
set terminal pngcairo size 720,400 noenhanced
set output "$ROOT/bench/results/boot-dom0.png"
set title "QEMU start to dom0's init done (s), same dom0, SeaBIOS, TCG"
set style fill solid 0.6
set boxwidth 0.6
set yrange [0:*]
set offsets 0, 0, graph 0.15, 0
set ylabel "seconds"
plot "$OUT/plot.dat" using 0:2:xtic(1) with boxes notitle, "" using 0:2:(sprintf("%.1f", \$2)) with labels offset 0,1 notitle
PLOT
fi
