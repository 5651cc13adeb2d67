#!/bin/sh
# Boot svguest bare (no hypervisor) in QEMU TCG: the "no hypervisor"
# baseline of the guest tests and benchmarks.
#
#   tests/guests/run-bare.sh [--pvh] [tests=...|bench=...|other words]
#
# Default command line: tests=all.  Builds $BUILD/guests/svguest.elf (BUILD
# defaults to the repository's build/), makes an ISO with grub-mkrescue
# (multiboot2 /boot/svguest.elf <command line>), boots it with the serial
# console on stdout and the isa-debug-exit device, and exits 0 only if
#   - the guest printed "svguest: N passed, 0 failed" and no FAIL line,
#   - QEMU exited through isa-debug-exit with the guest's "all passed" value,
#   - every benchmark named in bench= (all five for bench=all) printed its
#     BENCH line (or said why it was skipped).
# --pvh boots the same ELF through its XEN_ELFNOTE_PHYS32_ENTRY instead,
# with QEMU's own PVH loader (-kernel): the PVH entry and hvm_start_info
# parsing, without Xen (so still the COM1 console).
# Environment: TIMEOUT (seconds, default 600), MEM (512M), CPU (max),
# QEMU_EXTRA (more QEMU arguments).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BUILD=${BUILD:-$root/build}
case "$BUILD" in /*) ;; *) BUILD="$root/$BUILD" ;; esac
out="$BUILD/guests"
pvh=0
if [ "${1:-}" = --pvh ]; then
    pvh=1
    shift
fi
cmdline=${*:-tests=all}
TIMEOUT=${TIMEOUT:-600}
MEM=${MEM:-512M}
CPU=${CPU:-max}

tools="gcc make qemu-system-x86_64"
[ "$pvh" = 1 ] || tools="$tools grub-mkrescue xorriso"
for tool in $tools; do
    command -v "$tool" >/dev/null || { echo "run-bare: $tool missing (scripts/deps.sh installs it)" >&2; exit 2; }
done

make --no-print-directory -C "$here" BUILD="$BUILD"
elf="$out/svguest.elf"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
if [ "$pvh" = 1 ]; then
    set -- -kernel "$elf" -append "$cmdline"
    what="$elf through its PVH entry"
else
    mkdir -p "$stage/iso/boot/grub"
    cp "$elf" "$stage/iso/boot/svguest.elf"
    cat > "$stage/iso/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
menuentry "svguest" {
    multiboot2 /boot/svguest.elf $cmdline
    boot
}
CFG
    iso="$out/svguest-bare.iso"
    grub-mkrescue -o "$iso" "$stage/iso" >"$stage/mkrescue.log" 2>&1 || {
        cat "$stage/mkrescue.log" >&2
        exit 1
    }
    set -- -cdrom "$iso" -boot d
    what="$iso through GRUB multiboot2"
fi

log="$out/run-bare.log"
echo "run-bare: booting $what, command line \"$cmdline\" (log: $log)"
{
    rc=0
    # shellcheck disable=SC2086
    timeout --foreground -k 5 "$TIMEOUT" qemu-system-x86_64 -accel tcg -cpu "$CPU" -m "$MEM" \
        -display none -serial stdio -monitor none -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" ${QEMU_EXTRA:-} \
        </dev/null 2>&1 || rc=$?
    echo "$rc" > "$stage/rc"
} | tr -d '\r' | tee "$log"
rc=$(cat "$stage/rc")

status=0
# isa-debug-exit makes QEMU exit with (value << 1) | 1; the guest writes 0
# when all passed (status 1) and 1 otherwise (status 3).
case "$rc" in
    1) ;;
    3) echo "run-bare: the guest shut down with 'crash'" >&2; status=1 ;;
    124|137) echo "run-bare: timed out after ${TIMEOUT}s" >&2; status=1 ;;
    *) echo "run-bare: QEMU exited with status $rc" >&2; status=1 ;;
esac
if ! grep -q '^svguest: [0-9]* passed, 0 failed$' "$log"; then
    echo "run-bare: no 'svguest: N passed, 0 failed' line" >&2
    status=1
fi
if grep -q '^FAIL' "$log"; then
    status=1
fi
for word in $cmdline; do
    case "$word" in bench=*) ;; *) continue ;; esac
    for b in $(echo "${word#bench=}" | tr ',' ' '); do
        b=${b%%:*}
        names=$b
        [ "$b" = all ] && names="pf_loop fork_churn random_access compute null_hypercall"
        for n in $names; do
            grep -q "^BENCH $n " "$log" || grep -q "^svguest: bench $n skipped" "$log" || {
                echo "run-bare: no BENCH line for $n" >&2
                status=1
            }
        done
    done
done
if [ "$status" = 0 ]; then
    echo "run-bare: OK"
else
    echo "run-bare: FAILED" >&2
fi
exit "$status"
