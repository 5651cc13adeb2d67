#!/bin/sh
# Build one bootable ISO for BIOS and UEFI: GRUB loads splitvisor.elf with
# multiboot2, then each module in order.
#   mkiso.sh ELF ISO "hypervisor command line" [FILE "module string"]...
set -eu
elf=$1 iso=$2 cmdline=$3
shift 3

stage=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$stage" "$log"' EXIT
mkdir -p "$stage/boot/grub"
cp "$elf" "$stage/boot/splitvisor.elf"
modules=""
n=0
while [ $# -ge 2 ]; do
    n=$((n + 1))
    name="m$n-$(basename "$1")"
    [ -e "$stage/boot/$name" ] || cp "$1" "$stage/boot/$name"
    # --nounzip: a module reaches us as its file is (Linux unpacks its own
    # initramfs, including concatenated archives GRUB would cut short).
    modules="$modules    module2 --nounzip /boot/$name $2
"
    shift 2
done
cat > "$stage/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
menuentry "splitvisor" {
    multiboot2 /boot/splitvisor.elf $cmdline
$modules    boot
}
CFG
mkdir -p "$(dirname "$iso")"
grub-mkrescue -o "$iso.tmp" "$stage" >"$log" 2>&1 || {
    cat "$log" >&2
    exit 1
}
mv "$iso.tmp" "$iso"
echo "iso: $iso (cmdline: $cmdline)"
