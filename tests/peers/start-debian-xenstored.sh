#!/usr/bin/env bash
# start-debian-xenstored.sh SOCKET_PATH
#
# Starts Debian's own C xenstored (Xen 4.17, package xen-utils-4.17) on a host
# without Xen, serving xs_wire on the Unix socket SOCKET_PATH, and prints its
# pid.  The caller owns the daemon: kill that pid when done.  Clients reach it
# with XENSTORED_PATH=SOCKET_PATH.
#
# The package is never installed: it is fetched with `apt-get download` and
# unpacked with `dpkg -x` into build/peers/debian/ (reused on later runs).
# Its libraries come from libxen-dev's dependencies (Debian's libxen*).  The
# hypervisor interfaces it opens at start are faked by an LD_PRELOAD shim,
# tests/peers/fake_xen_shim.c (see tests/peers/README.md for why each one).
#
# Files beside the socket: SOCKET_PATH.log (stdout/stderr) and the run dir
# SOCKET_PATH.run/.  Set XENSTORED_TRACE=FILE to get xenstored's -T trace.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${PEERS_CACHE:-$ROOT/build/peers}
DEB_ROOT="$CACHE/debian/root"
XENSTORED="$DEB_ROOT/usr/lib/xen-4.17/bin/xenstored"
SHIM_SRC="$ROOT/tests/peers/fake_xen_shim.c"
SHIM="$CACHE/fake_xen_shim.so"

die() { echo "start-debian-xenstored: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 SOCKET_PATH"
SOCKET=$1
case "$SOCKET" in /*) ;; *) SOCKET="$PWD/$SOCKET" ;; esac
# sun_path holds 108 bytes; xenstored refuses longer paths.
[ ${#SOCKET} -lt 108 ] || die "socket path too long (${#SOCKET} >= 108): $SOCKET"

export DEBIAN_FRONTEND=noninteractive
APT_UPDATED=""
apt_update_once() {
    [ -n "$APT_UPDATED" ] && return 0
    apt-get update -qq >&2 || return 1
    APT_UPDATED=1
}

# One fetch/build at a time: parallel callers share the cache.
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock -w 300 9 || die "cache $CACHE busy for 5 minutes"

# Headers for the shim and the runtime libraries xenstored links against
# (libxenctrl/libxenmisc4.17, libxenevtchn1, libxengnttab1, ...).
if ! dpkg-query -W -f='${Status}' libxen-dev 2>/dev/null | grep -q " installed"; then
    apt_update_once
    apt-get install -y -qq --no-install-recommends libxen-dev gcc libc6-dev >&2 \
        || die "cannot install libxen-dev"
fi

# xen-utils-4.17, downloaded and unpacked only (never installed).
if [ ! -x "$XENSTORED" ]; then
    mkdir -p "$CACHE/debian"
    (
        cd "$CACHE/debian" || exit 1
        # apt's _apt sandbox cannot write here; the warning is harmless.
        apt-get download xen-utils-4.17 >/dev/null 2>&1 \
            || { apt_update_once && apt-get download xen-utils-4.17 >/dev/null 2>&1; }
    ) || die "apt-get download xen-utils-4.17 failed"
    deb=""
    for f in "$CACHE"/debian/xen-utils-4.17_*.deb; do [ -f "$f" ] && deb=$f; done
    [ -n "$deb" ] || die "no xen-utils-4.17 .deb in $CACHE/debian"
    rm -rf "$DEB_ROOT"
    dpkg -x "$deb" "$DEB_ROOT" || die "dpkg -x $deb failed"
    [ -x "$XENSTORED" ] || die "no xenstored in $deb"
fi

# The shim, rebuilt when its source changes.
if [ ! -f "$SHIM" ] || [ "$SHIM_SRC" -nt "$SHIM" ]; then
    mkdir -p "$CACHE"
    gcc -O2 -Wall -shared -fPIC -o "$SHIM" "$SHIM_SRC" -ldl \
        || die "cannot build $SHIM"
fi

flock -u 9
exec 9>&-

RUNDIR="$SOCKET.run"
LOG="$SOCKET.log"
mkdir -p "$RUNDIR" "$(dirname "$SOCKET")"
rm -f "$SOCKET"

# -N: stay in the foreground (we background it ourselves and know the pid).
# No -D: dom0 must be initialised (against the fakes), see README.md.
# XENSTORED_RUNDIR keeps it out of /var/run/xenstored; XENSTORED_PATH is
# where it binds its socket.  The store is in memory (4.17's default).
args=(-N)
[ -n "${XENSTORED_TRACE:-}" ] && args+=(-T "$XENSTORED_TRACE")
XENSTORED_RUNDIR="$RUNDIR" XENSTORED_PATH="$SOCKET" LD_PRELOAD="$SHIM" \
    "$XENSTORED" "${args[@]}" </dev/null >"$LOG" 2>&1 &
pid=$!

# Bounded wait for the socket: 10 s at most.
for _ in $(seq 100); do
    [ -S "$SOCKET" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [ ! -S "$SOCKET" ] || ! kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    echo "---- $LOG ----" >&2
    cat "$LOG" >&2
    die "xenstored did not come up on $SOCKET"
fi
echo "$pid"
