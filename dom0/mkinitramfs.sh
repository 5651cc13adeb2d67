#!/bin/sh
# mkinitramfs.sh PKGDIR ROOTFS STAGE OUT
# Build dom0's initramfs OUT (cpio newc, gzip) in the staging tree STAGE
# from: busybox and the kernel modules in PKGDIR (the extracted .debs),
# our own files in ROOTFS (/init, /etc), the programs in $DOM0_PROGS and
# the files in $DOM0_FILES (SRC=DEST pairs).
# The modules named in $DOM0_MODULES are taken with their dependencies,
# uncompressed, and listed in load order in /etc/modules-load.order;
# OUT's directory gets modules.txt saying which names are built in.
set -eu
pkg=$1 rootfs=$2 stage=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
kver=$(ls "$pkg/lib/modules")
mods=$pkg/lib/modules/$kver

rm -rf "$stage"
mkdir -p "$stage"
cd "$stage"
mkdir -p bin sbin usr/bin usr/sbin etc proc sys run tmp root var/log "lib/modules/$kver"
# As on Debian: /var/run is /run (libxenstore looks for xenstored's socket
# under /var/run, and falls back to the kernel's /dev/xen/xenbus without it).
ln -s ../run var/run

# busybox, and a symlink for each applet at the path busybox gives it.
cp "$pkg/bin/busybox" bin/busybox
for applet in $("$pkg/bin/busybox" --list-full); do
	[ -e "$applet" ] || ln -s /bin/busybox "$applet"
done

# Modules, in dependency order. busybox insmod takes only plain .ko files,
# so compressed ones are decompressed here.
"$here/resolve-modules.sh" "$mods" $DOM0_MODULES > "$stage.order"
: > etc/modules-load.order
while read -r rel; do
	ko=lib/modules/$kver/${rel%.ko*}.ko
	mkdir -p "${ko%/*}"
	case $rel in
	*.ko.xz)  xz -dc "$mods/$rel" > "$ko" ;;
	*.ko.zst) zstd -dcq "$mods/$rel" > "$ko" ;;
	*.ko.gz)  gzip -dc "$mods/$rel" > "$ko" ;;
	*)        cp "$mods/$rel" "$ko" ;;
	esac
	echo "/$ko" >> etc/modules-load.order
done < "$stage.order"
# A modules.dep for exactly these modules, so busybox modprobe works too.
sed 's/\.ko\.\(xz\|zst\|gz\)/.ko/g' "$mods/modules.dep" | awk -v list="$stage.order" '
	BEGIN { while ((getline l < list) > 0) { sub(/\.ko.*/, ".ko", l); keep[l":"] = 1 } }
	$1 in keep' > "lib/modules/$kver/modules.dep"
cp "$mods/modules.builtin" "$mods/modules.order" "lib/modules/$kver/"
rm -f "$stage.order"

# Which of the requested names are modules and which are built in.
for m in $DOM0_MODULES; do
	if "$here/resolve-modules.sh" "$mods" "$m" 2>/dev/null | tail -n1 | grep -q .; then
		echo "$m module"
	else
		echo "$m built-in"
	fi
done > "$(dirname "$out")/modules.txt"

# Our files last, so they win over anything above; then our programs.
cp -R "$rootfs/." .
chmod 755 init
echo "$kver" > etc/kernel-version
[ -z "${DOM0_PROGS:-}" ] || "$here/add-progs.sh" . $DOM0_PROGS
# xenstore's command-line tools are one program under several names.
if [ -f usr/bin/xenstore ]; then
	for t in read write ls list rm watch exists chmod; do ln -sf xenstore "usr/bin/xenstore-$t"; done
fi
# Data files: SRC=DEST pairs (guest kernels, configs).
for pair in ${DOM0_FILES:-}; do
	src=${pair%%=*} dst=${pair#*=}
	[ -f "$src" ] || { echo "mkinitramfs: no such file: $src" >&2; exit 1; }
	mkdir -p ".${dst%/*}"
	cp -L "$src" ".$dst"
done

# newc_entry NAME MODE_HEX RDEV_MAJOR RDEV_MINOR: one cpio newc header with
# no data. Written by hand so /dev/console exists when the kernel starts
# /init (it opens it for init's stdio) without needing root for mknod.
newc_entry() {
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		0 "$2" 0 0 1 0 0 0 0 "$3" "$4" $((${#1} + 1)) 0
	printf '%s\0' "$1"
	# header (110 bytes) + name + NUL is padded to a multiple of 4
	printf '%*s' $(( (4 - (110 + ${#1} + 1) % 4) % 4 )) '' | tr ' ' '\0'
}

# Two archives, concatenated (the kernel reads them one after the other):
# the device nodes, then the staged tree with fixed owners and times.
{
	newc_entry dev 0x41ED 0 0          # drwxr-xr-x
	newc_entry dev/console 0x2180 5 1  # crw-------
	newc_entry dev/null 0x21B6 1 3     # crw-rw-rw-
	newc_entry TRAILER!!! 0 0 0
	find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --reproducible --quiet
} | gzip -9n > "$out.tmp"
mv "$out.tmp" "$out"
