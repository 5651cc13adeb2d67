#!/bin/sh
# add-progs.sh DESTDIR PROGRAM...
# Copy each host-built ELF program into DESTDIR/usr/bin, and every shared
# library it needs (as ldd resolves them, including the dynamic loader)
# to the same absolute path under DESTDIR, so it runs in the initramfs
# exactly as it does on the build host (both are Debian 12).
set -eu
dest=$1; shift
mkdir -p "$dest/usr/bin"
for prog in "$@"; do
	[ -f "$prog" ] || { echo "add-progs: no such file: $prog" >&2; exit 1; }
	cp -L "$prog" "$dest/usr/bin/"
	# ldd prints "name => /path (addr)" and "/loader (addr)"; keep the paths.
	# A static program has none ("not a dynamic executable").
	for lib in $(ldd "$prog" 2>/dev/null | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'); do
		mkdir -p "$dest${lib%/*}"
		cp -L "$lib" "$dest$lib"
	done
done
