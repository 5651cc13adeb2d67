# Shared helpers for the integration tests (bash).  Each test boots the real
# ISO in QEMU (TCG), captures the serial log, and asserts on it.  On any
# failure the last 60 lines of the log are printed.

set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
ELF="$BUILD/hypervisor/splitvisor.elf"
OUT="$BUILD/tests/integration"
mkdir -p "$OUT"

TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}
LOG=""
QEMU_PID=""
QEMU_STATUS=""

fail() {
    echo "FAIL: $TEST_NAME: $*"
    if [ -n "$LOG" ] && [ -f "$LOG" ]; then
        echo "---- last 60 lines of $LOG ----"
        tail -n 60 "$LOG" | tr -d '\r'
        echo "---- end of log ----"
    fi
    stop_qemu
    exit 1
}

# iso_for NAME CMDLINE: build an ISO with that hypervisor command line.
iso_for() {
    local iso="$OUT/$1.iso"
    "$ROOT/scripts/mkiso.sh" "$ELF" "$iso" "$2" >/dev/null || fail "cannot build $iso"
    echo "$iso"
}

# dom0_initramfs SCRIPT: dom0's image (D0) checked, and in $work (this
# test's directory) its initramfs with SCRIPT as /etc/sv-test.sh, which
# dom0's init runs under sv.test=1: $work/initramfs.cpio.gz.
dom0_initramfs() {
    D0="$BUILD/dom0"
    [ -f "$D0/vmlinux" ] && [ -f "$D0/initramfs.cpio.gz" ] || fail "no dom0 image in $D0 (make dom0)"
    work="$OUT/$TEST_NAME.d"
    rm -rf "$work" && mkdir -p "$work/root/etc"
    cat "$ROOT/tests/integration/dom0/helpers.sh" "$1" > "$work/root/etc/sv-test.sh"
    (cd "$work/root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -n) \
        > "$work/overlay.cpio.gz" || fail "cannot pack the test overlay"
    cat "$D0/initramfs.cpio.gz" "$work/overlay.cpio.gz" > "$work/initramfs.cpio.gz"
}

# start_qemu NAME ISO FIRMWARE [qemu.sh options...]: boot in the background.
start_qemu() {
    local name=$1 iso=$2 firmware=$3
    shift 3
    LOG="$OUT/$name.log"
    : > "$LOG"
    QEMU_START=$(date +%s.%N)
    "$ROOT/scripts/qemu.sh" --iso "$iso" --firmware "$firmware" --log "$LOG" "$@" \
        </dev/null >"$OUT/$name.qemu.out" 2>&1 &
    QEMU_PID=$!
    QEMU_STATUS=""
}

stop_qemu() {
    if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then
        pkill -TERM -P "$QEMU_PID" 2>/dev/null
        kill -TERM "$QEMU_PID" 2>/dev/null
        wait "$QEMU_PID" 2>/dev/null
    fi
    QEMU_PID=""
}

# wait_for REGEX TIMEOUT: until the log matches (0), QEMU exits or time runs out (1).
wait_for() {
    local regex=$1 timeout=$2 waited=0
    while [ "$waited" -lt $((timeout * 10)) ]; do
        if tr -d '\r' < "$LOG" | grep -Eq -- "$regex"; then
            return 0
        fi
        if ! kill -0 "$QEMU_PID" 2>/dev/null; then
            tr -d '\r' < "$LOG" | grep -Eq -- "$regex"
            return
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    return 1
}

# wait_exit TIMEOUT: wait for QEMU to exit by itself; sets QEMU_STATUS.
wait_exit() {
    local timeout=$1 waited=0
    while kill -0 "$QEMU_PID" 2>/dev/null; do
        [ "$waited" -ge $((timeout * 10)) ] && fail "QEMU still running after ${timeout}s"
        sleep 0.1
        waited=$((waited + 1))
    done
    wait "$QEMU_PID"
    QEMU_STATUS=$?
    QEMU_PID=""
}

expect() {
    tr -d '\r' < "$LOG" | grep -Eq -- "$1" || fail "log lacks /$1/"
}

expect_not() {
    if tr -d '\r' < "$LOG" | grep -Eq -- "$1"; then
        fail "log unexpectedly has /$1/"
    fi
}

# The value captured by the first group of REGEX (sed -E syntax) in the log.
log_value() {
    tr -d '\r' < "$LOG" | sed -nE "s/.*$1.*/\\1/p" | head -n 1
}

pass() {
    stop_qemu
    echo "PASS: $TEST_NAME"
    exit 0
}

trap stop_qemu EXIT
