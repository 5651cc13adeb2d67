#!/bin/sh
# Install the Debian packages that building and testing splitvisor need,
# only those that are missing, so a second run does nothing.  Needs root
# (or sudo) only when something is missing.
set -eu

PACKAGES="gcc make binutils libc6-dev git qemu-system-x86 ovmf grub-pc-bin grub-efi-amd64-bin
grub-common xorriso mtools check libsubunit-dev pkg-config libyajl-dev libxen-dev python3
xenstore-utils gnuplot-nox clang cpio xz-utils zstd gzip kmod"

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *" installed") ;;
        *) missing="$missing $p" ;;
    esac
done

[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
