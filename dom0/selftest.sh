#!/bin/sh
# selftest.sh: boot dom0's kernel and initramfs under plain QEMU (TCG, no
# Xen, no hypervisor) with sv.test=1, and check that /init ran, that the
# disk, NIC, tun and bridge modules loaded, and that a program added the
# DOM0_PROGS way (add-progs.sh: zstd and its shared libraries) runs, and
# that busybox modprobe works with the image's trimmed modules.dep.
# The Xen modules refuse to load without Xen: that is expected and only
# logged. Exit 0 on success; otherwise the log's tail is printed.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
b=$root/build/dom0
log=$b/selftest.log
make -C "$root/dom0" --no-print-directory

# The test's files go in a second archive appended to the real one (the
# kernel unpacks concatenated archives in order), so the image under test
# is the one make built, byte for byte.
st=$b/selftest
rm -rf "$st" && mkdir -p "$st/etc"
cat > "$st/etc/sv-test.sh" <<'T'
echo "hello from sv-test"
echo "--- lsmod"
lsmod
echo "--- modprobe"
rmmod tun && modprobe tun && echo "modprobe tun ok"
echo "--- zstd"
echo "zstd round trip ok" | zstd -q | zstd -dq
echo "sv-test: done"
T
"$root/dom0/add-progs.sh" "$st" /usr/bin/zstd
# Every library ldd names must be in the archive (checked on the host too).
for lib in $(ldd /usr/bin/zstd | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'); do
	[ -f "$st$lib" ] || { echo "selftest: FAIL: $lib not added"; exit 1; }
done
(cd "$st" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -n) > "$b/selftest-overlay.cpio.gz"
cat "$b/initramfs.cpio.gz" "$b/selftest-overlay.cpio.gz" > "$b/selftest-initramfs.cpio.gz"

start=$(date +%s)
timeout 120 qemu-system-x86_64 -accel tcg -cpu max -m 512 -nographic -no-reboot \
	-kernel "$b/bzImage" -initrd "$b/selftest-initramfs.cpio.gz" \
	-append "console=ttyS0 sv.test=1 panic=-1" </dev/null > "$log" 2>&1 || true
echo "selftest: QEMU ran $(( $(date +%s) - start )) s, log in $log"

fail=
need() { grep -q "$1" "$log" || fail="$fail
  missing: $1"; }
need "splitvisor dom0: init done"
need "hello from sv-test"
need "zstd round trip ok"
need "modprobe tun ok"
need "sv-test: done"
for m in libata ahci ata_piix sd_mod sr_mod cdrom e1000e e1000 tun bridge stp llc; do
	sed -n '/^--- lsmod/,/^--- modprobe/p' "$log" | grep -q "^$m " || fail="$fail
  module not loaded: $m"
done
grep "sv-init:" "$log" | tr -d '\r' || true
if [ -n "$fail" ]; then
	echo "selftest: FAIL:$fail"
	tail -n 40 "$log"
	exit 1
fi
echo "selftest: PASS"
