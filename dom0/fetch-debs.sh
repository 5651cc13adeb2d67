#!/bin/sh
# fetch-debs.sh CACHE_DIR OUT_LIST
# Resolve the Debian packages dom0 is built from, download the ones not yet
# in CACHE_DIR with `apt-get download` (Debian's archive only), and write the
# list of .deb paths to OUT_LIST. Only apt's local metadata is consulted when
# a package is already cached, so a warm build never touches the network.
set -eu
cache=$1 out=$2
mkdir -p "$cache"

# linux-image-amd64 is a metapackage: its Depends names the versioned image
# (e.g. linux-image-6.1.0-56-amd64), which is the package holding the kernel.
resolve() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n1
}
kpkg=$(resolve)
if [ -z "$kpkg" ]; then
	# A fresh machine may have no package lists yet.
	echo "fetch-debs: no package lists: apt-get update"
	sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	kpkg=$(resolve)
fi
[ -n "$kpkg" ] || { echo "fetch-debs: cannot resolve linux-image-amd64" >&2; exit 1; }

list=
for pkg in "$kpkg" busybox-static; do
	ver=$(apt-cache policy "$pkg" | sed -n 's/^ *Candidate: //p')
	[ -n "$ver" ] && [ "$ver" != "(none)" ] ||
		{ echo "fetch-debs: no candidate for $pkg (apt-get update?)" >&2; exit 1; }
	# apt-get download names files pkg_version_arch.deb with ':' as %3a.
	deb=$cache/${pkg}_$(echo "$ver" | sed 's/:/%3a/')_amd64.deb
	if [ ! -s "$deb" ]; then
		echo "fetch-debs: downloading $pkg $ver"
		# As root, apt would try to drop to its _apt user, which may not
		# be able to write here; it would warn and go on as root anyway.
		sandbox=; [ "$(id -u)" != 0 ] || sandbox='-o APT::Sandbox::User=root'
		(cd "$cache" && apt-get download $sandbox "$pkg=$ver")
	fi
	[ -s "$deb" ] || { echo "fetch-debs: $deb missing after download" >&2; exit 1; }
	list="$list$deb
"
done
printf '%s' "$list" > "$out.tmp" && mv "$out.tmp" "$out"
