#!/usr/bin/env bash
# start-xenstored.sh KIND SOCKET_PATH
#
# Starts a xenstored of KIND on the Unix socket SOCKET_PATH and prints its
# pid once the socket exists; the caller kills it.  KIND is
#   ours    build/xenstore/xenstored --socket SOCKET_PATH  (override: XENSTORED_OURS)
#   debian  Debian's C xenstored 4.17, see start-debian-xenstored.sh
# The peer test and the benchmark both start daemons only through here, so
# the two kinds are always started the same way everywhere.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

die() { echo "start-xenstored: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 ours|debian SOCKET_PATH"
KIND=$1 SOCKET=$2

case "$KIND" in
debian)
    exec "$HERE/start-debian-xenstored.sh" "$SOCKET"
    ;;
ours)
    BIN=${XENSTORED_OURS:-$ROOT/build/xenstore/xenstored}
    [ -x "$BIN" ] || die "$BIN not built"
    LOG="$SOCKET.log"
    mkdir -p "$(dirname "$SOCKET")"
    rm -f "$SOCKET"
    "$BIN" --socket "$SOCKET" </dev/null >"$LOG" 2>&1 &
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
        die "$BIN did not come up on $SOCKET"
    fi
    echo "$pid"
    ;;
*)
    die "unknown kind '$KIND' (ours or debian)"
    ;;
esac
