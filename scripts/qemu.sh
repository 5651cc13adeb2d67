#!/bin/sh
# Boot an ISO in QEMU the way `make run` and the tests do.
#   qemu.sh --iso ISO [--firmware bios|uefi] [--cpu MODEL] [--smp N] [--mem SIZE]
#           [--log FILE] [--interactive] [-- extra QEMU args]
# Serial goes to stdio (interactive) or to --log.  QEMU exits when the
# hypervisor powers off (ACPI) or reboots (-no-reboot).
set -eu

iso="" firmware=bios cpu=max smp=4 mem=2G log="" interactive=0
while [ $# -gt 0 ]; do
    case "$1" in
        --iso) iso=$2; shift 2 ;;
        --firmware) firmware=$2; shift 2 ;;
        --cpu) cpu=$2; shift 2 ;;
        --smp) smp=$2; shift 2 ;;
        --mem) mem=$2; shift 2 ;;
        --log) log=$2; shift 2 ;;
        --interactive) interactive=1; shift ;;
        --) shift; break ;;
        *) echo "qemu.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -n "$iso" ] || { echo "qemu.sh: --iso is required" >&2; exit 2; }

set -- -accel tcg -cpu "$cpu" -smp "$smp" -m "$mem" -no-reboot \
    -display none -cdrom "$iso" -boot d "$@"

case "$firmware" in
    bios)
        set -- -machine pc "$@" ;;
    uefi)
        code=/usr/share/OVMF/OVMF_CODE_4M.fd
        vars_src=/usr/share/OVMF/OVMF_VARS_4M.fd
        vars=$(mktemp --suffix=.fd)
        cp "$vars_src" "$vars"
        trap 'rm -f "$vars"' EXIT
        set -- -machine q35 \
            -drive if=pflash,format=raw,unit=0,readonly=on,file="$code" \
            -drive if=pflash,format=raw,unit=1,file="$vars" "$@" ;;
    *) echo "qemu.sh: firmware must be bios or uefi" >&2; exit 2 ;;
esac

if [ "$interactive" = 1 ]; then
    echo "qemu: $firmware firmware; serial console below. Quit QEMU with Ctrl-A X."
    exec_status=0
    qemu-system-x86_64 "$@" -serial mon:stdio || exec_status=$?
    exit $exec_status
fi
if [ -n "$log" ]; then
    qemu-system-x86_64 "$@" -serial "file:$log" -monitor none
else
    qemu-system-x86_64 "$@" -serial stdio -monitor none
fi
