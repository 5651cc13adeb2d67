#!/usr/bin/env bash
# dom0: the stock Debian kernel boots as the PVH control domain on CPU 0
# (FIRMWARE=bios|uefi, DOM0_PAGING=hap|shadow).  Its init runs
# tests/integration/dom0/sv-test.sh: the Xen drivers are loaded and their
# devices exist, /proc/xen says control_d, dmesg has no Xen error or
# warning, sv-xentest (dom0/progs/) notifies itself over a loopback event
# channel and maps back a gntalloc page with gntdev, dom0 reads its QEMU
# disk (a known first sector) and pings QEMU's user-network gateway with
# its native drivers; then it powers the machine off through ACPI, which
# the hypervisor lets it do.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
FIRMWARE=${FIRMWARE:-bios}
DOM0_PAGING=${DOM0_PAGING:-hap}
dom0_initramfs "$ROOT/tests/integration/dom0/sv-test.sh"
# A disk whose first sector dom0 must read back.
printf 'SPLITVISOR-DOM0-DISK-1' > "$work/disk.img"
truncate -s 16M "$work/disk.img"

iso="$OUT/$TEST_NAME.iso"
"$ROOT/scripts/mkiso.sh" "$ELF" "$iso" "loglvl=info dom0_paging=$DOM0_PAGING ${DOM0_HV_OPTS:-}" \
    "$D0/vmlinux" "console=hvc0 nr_cpus=1 iomem=relaxed sv.test=1" \
    "$work/initramfs.cpio.gz" "initrd" >/dev/null || fail "cannot build $iso"
start_qemu "$TEST_NAME" "$iso" "$FIRMWARE" --smp 2 --mem 2G -- \
    -drive "file=$work/disk.img,format=raw,if=ide,index=0"
wait_for 'sv-test: done' 300 || fail "dom0 did not finish its checks within 300 s"
wait_exit 60
expect "dom0: linux kernel at 0x1000000-0x4a00000, entry 0x1000850, paging=$DOM0_PAGING"
expect 'splitvisor dom0: init done'
expect 'sv-test: capabilities: control_d'
for d in evtchn privcmd gntdev gntalloc xenbus; do expect "sv-test: /dev/xen/$d present"; done
for m in xenfs xen_evtchn xen_privcmd xen_gntdev xen_gntalloc; do expect "sv-test: module $m loaded"; done
expect 'sv-test: sv-xentest: evtchn loopback: [0-9]+ notifications in'
expect 'sv-test: sv-xentest: grant: gntdev -> gntalloc: 4096 bytes ok'
expect 'sv-test: sv-xentest: privcmd: xen_version 4.17-splitvisor from user space'
expect 'sv-test: sv-xentest: PASS'
expect 'sv-test: sv-apic: self IPIs: RES [0-9]+ -> [0-9]+'
expect 'sv-test: sv-apic: PASS'
# Each IPI aimed at CPU 1 (or at every other CPU) was stopped.
expect 'dom0: IPI refused \(INIT\): icr 0xc500, destination 0x1;'
expect 'dom0: IPI refused \(INIT\): icr 0x8500, destination 0x1;'
expect 'dom0: IPI refused \(STARTUP\): icr 0x608, destination 0x1;'
expect 'dom0: IPI refused \(another CPU\): icr 0x4030, destination 0x1;'
expect 'dom0: IPI refused \(shorthand all-excluding-self\): icr 0xc4400, destination (0|0x0);'
expect 'sv-test: balloon: down 64 MiB to [0-9]+ kB'
expect 'sv-test: balloon: up again to [0-9]+ kB'
expect 'sv-test: balloon: 96 MiB written and read back the same'
expect 'sv-test: Xen errors or warnings in dmesg: 0'
expect "sv-test: disk says 'SPLITVISOR-DOM0-DISK-1'"
expect 'sv-test: ping: 3 packets transmitted, 3 packets received'
expect_not 'Panic|----\[ splitvisor exception|domain 0 \(dom0\) crashed'
[ "$QEMU_STATUS" = 0 ] || fail "QEMU exit status $QEMU_STATUS, expected 0 (dom0 powered off through ACPI)"
pass
