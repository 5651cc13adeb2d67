#!/bin/sh
# Build one bootable ISO for BIOS and UEFI: GRUB loads splitvisor.elf with
# multiboot2.  Usage: mkiso.sh ELF ISO "hypervisor command line" [ENTRY_NAME]
set -eu
elf=$1 iso=$2 cmdline=$3

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$elf" "$stage/boot/splitvisor.elf"
cat > "$stage/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
menuentry "splitvisor" {
    multiboot2 /boot/splitvisor.elf $cmdline
    boot
}
CFG
mkdir -p "$(dirname "$iso")"
grub-mkrescue -o "$iso.tmp" "$stage" >"$stage/mkrescue.log" 2>&1 || {
    cat "$stage/mkrescue.log" >&2
    exit 1
}
mv "$iso.tmp" "$iso"
echo "iso: $iso (cmdline: $cmdline)"
