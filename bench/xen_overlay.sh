# Sourced (bash): the real Xen 4.17 and its toolstack as an overlay of our
# dom0's initramfs, so that the same dom0 kernel and image boot under Xen and
# start Xen's own xenstored, xen-init-dom0, xenconsoled and xl.  Used by
# bench/paging_xl.sh and tests/peers/xen_split.sh.
#
# The real Xen is Debian's bookworm point release 4.17.5+72-g01140da4e8-1,
# hypervisor and tools alike: the security build 4.17.7+13 has shadow paging
# compiled out (CONFIG_SHADOW_PAGING unset, hap=0 fails).  Its packages are
# fetched with apt-get download into build/cache/debs and unpacked with
# dpkg-deb -x; nothing is installed on the host.  In the overlay,
# /usr/bin/xenstored and /usr/bin/xenconsoled are wrappers, so dom0's init
# (dom0/rootfs/init) starts Xen's daemons where it would start ours.
#
#   xen_unpack WHO DIR            unpack into DIR; sets X=DIR, XEN_GZ (the hypervisor)
#   xen_overlay_tree DIR          Xen's daemons, xl and their libraries into DIR
#   xen_overlay_bin DIR BIN DEST  one more program (and its libraries) into DIR/DEST
#   xen_initramfs DIR BASE OVL OUT  DIR packed as cpio (OVL), appended to BASE: OUT
#   xen_iso ISO INITRD "dom0 cmdline"   GRUB ISO: Xen, $BUILD/dom0/vmlinux, INITRD
#
# Inputs: BUILD (the build directory), ROOT (the repository); optional
# XENVER, XEN_CACHE, XEN_CMDLINE.  Inside dom0 the wrappers leave the
# daemons' output in /var/log/pxl-xenstored.out and the guests' consoles in
# /var/log/splitvisor/guest-NAME.log (xenconsoled --log=guest).

XENVER=${XENVER:-4.17.5+72-g01140da4e8-1}
XEN_CACHE=${XEN_CACHE:-$BUILD/cache/debs}
XEN_CMDLINE=${XEN_CMDLINE:-console=com1 com1=115200,8n1 dom0_mem=512M,max:512M dom0_max_vcpus=1 smap=0 noreboot loglvl=all guest_loglvl=all}
XEN_PKGS="xen-hypervisor-4.17-amd64 xen-utils-4.17 xen-utils-common xenstore-utils libxencall1
libxenevtchn1 libxenforeignmemory1 libxengnttab1 libxenmisc4.17 libxenstore4 libxentoollog1
libxenhypfs1 libxendevicemodel1 libxentoolcore1"

# xen_unpack WHO DIR: every package of $XEN_PKGS at $XENVER (and libyajl2 at
# its candidate version), downloaded once into $XEN_CACHE, unpacked into a
# fresh DIR.  Checks the build has shadow paging.  WHO prefixes messages.
xen_unpack() {
    local who=$1 p v deb sandbox=
    X=$2
    [ "$(id -u)" != 0 ] || sandbox='-o APT::Sandbox::User=root'
    mkdir -p "$XEN_CACHE"
    rm -rf "$X" && mkdir -p "$X"
    for p in $XEN_PKGS libyajl2; do
        v=$XENVER; [ "$p" = libyajl2 ] && v=$(apt-cache policy libyajl2 | sed -n 's/^ *Candidate: //p')
        deb="$XEN_CACHE/${p}_$(echo "$v" | sed 's/:/%3a/')_amd64.deb"
        [ -s "$deb" ] || (cd "$XEN_CACHE" && apt-get download $sandbox "$p=$v" >/dev/null) ||
            { echo "$who: cannot download $p=$v" >&2; return 1; }
        dpkg-deb -x "$deb" "$X" || { echo "$who: cannot unpack $deb" >&2; return 1; }
    done
    XEN_GZ="$X/boot/xen-4.17-amd64.gz"
    [ -f "$XEN_GZ" ] || { echo "$who: no $XEN_GZ" >&2; return 1; }
    grep -q '^CONFIG_SHADOW_PAGING=y' "$X/boot/xen-4.17-amd64.config" ||
        { echo "$who: Xen $XENVER has no shadow paging (CONFIG_SHADOW_PAGING)" >&2; return 1; }
}

# xen_overlay_bin DIR BIN DEST: BIN into DIR/DEST, and every library ldd
# names (Xen's unpacked ones, from $X, into /lib/x86_64-linux-gnu; the
# host's at their own path: dom0's user space is the same Debian 12).
xen_overlay_bin() {
    local dir=$1 bin=$2 dest=$3 lib
    mkdir -p "$dir$dest" "$dir/lib/x86_64-linux-gnu"
    cp -L "$bin" "$dir$dest/"
    for lib in $(LD_LIBRARY_PATH="$X/usr/lib/x86_64-linux-gnu" ldd "$bin" |
                 awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'); do
        case $lib in
            "$X"/*) cp -L "$lib" "$dir/lib/x86_64-linux-gnu/" ;;
            *) mkdir -p "$dir${lib%/*}"; cp -L "$lib" "$dir$lib" ;;
        esac
    done
}

# xen_overlay_tree DIR: Xen's daemons, xl and their libraries, and the
# wrappers dom0's init starts, into DIR (which may already hold files).
xen_overlay_tree() {
    local dir=$1 b
    mkdir -p "$dir/usr/lib/xen-4.17/bin" "$dir/usr/bin" "$dir/lib/x86_64-linux-gnu" \
        "$dir/var/lib/xen" "$dir/var/log/xen/console" "$dir/var/lib/xenstored" "$dir/etc/xen"
    for b in xl xenstored xenconsoled xen-init-dom0 libxl-save-helper; do
        xen_overlay_bin "$dir" "$X/usr/lib/xen-4.17/bin/$b" /usr/lib/xen-4.17/bin
    done
    # glibc dlopens libgcc_s for pthread_cancel (xl's child): without it
    # "libgcc_s.so.1 must be installed for pthread_cancel to work", abort.
    cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$dir/lib/x86_64-linux-gnu/"
    cp "$X/etc/xen/xl.conf" "$dir/etc/xen/"
    # dom0's init runs "xenstored --state F --log F &", then waits for
    # /run/xenstored/socket; then "xenconsoled --log-dir D" (must return 0).
    cat > "$dir/usr/bin/xenstored" <<'EOF'
#!/bin/sh
# Xen's C xenstored in place of ours (bench/xen_overlay.sh), then xen-init-dom0.
mkdir -p /var/run/xenstored /var/run/xen /var/lib/xenstored /var/lib/xen /var/log/xen
/usr/lib/xen-4.17/bin/xenstored --pid-file /var/run/xenstored.pid > /var/log/pxl-xenstored.out 2>&1
echo "xenstored status $?" >> /var/log/pxl-xenstored.out
for i in $(seq 100); do [ -S /var/run/xenstored/socket ] && break; sleep 0.1; done
/usr/lib/xen-4.17/bin/xen-init-dom0 >> /var/log/pxl-xenstored.out 2>&1
echo "xen-init-dom0 status $?" >> /var/log/pxl-xenstored.out
EOF
    cat > "$dir/usr/bin/xenconsoled" <<'EOF'
#!/bin/sh
# Xen's xenconsoled in place of ours: guest-NAME.log in the same directory.
mkdir -p /var/log/splitvisor /var/run/xen
exec /usr/lib/xen-4.17/bin/xenconsoled --log=guest --log-dir=/var/log/splitvisor --pid-file=/var/run/xenconsoled.pid
EOF
    chmod 755 "$dir/usr/bin/xenstored" "$dir/usr/bin/xenconsoled"
}

# xen_initramfs DIR BASE OVL OUT: DIR as a newc archive OVL, appended to
# BASE: OUT (Linux unpacks concatenated archives in order: DIR's files win).
xen_initramfs() {
    local dir=$1 base=$2 ovl=$3 out=$4
    (cd "$dir" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -n) > "$ovl"
    cat "$base" "$ovl" > "$out"
}

# xen_iso ISO INITRD "dom0 command line": Xen ($XEN_GZ, $XEN_CMDLINE), our
# dom0 kernel, INITRD, in one GRUB ISO (BIOS and UEFI).
xen_iso() {
    "$ROOT/scripts/mkiso.sh" "$XEN_GZ" "$1" "$XEN_CMDLINE" \
        "$BUILD/dom0/vmlinux" "$3" "$2" initrd >/dev/null
}
