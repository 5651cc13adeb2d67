# Boot with 4 CPUs on the given firmware and check everything the
# foundation promises, ending with an ACPI power-off that makes QEMU exit 0.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

boot_and_check() {
    local firmware=$1
    local iso
    iso=$(iso_for "boot-$firmware" "loglvl=debug after_boot=poweroff bogus_option=1")
    start_qemu "boot-$firmware" "$iso" "$firmware" --smp 4 --mem 2G
    wait_for 'Powering off' 240 || fail "no power-off within 240 s"
    wait_exit 30

    expect '\(SV\) splitvisor [0-9]+\.[0-9]+\.[0-9]+ .*: a split-driver hypervisor'
    expect 'boot: loader .GRUB'
    expect "cmdline: unknown option 'bogus_option'"
    expect 'memory: [0-9]+ MiB of RAM in the firmware map'
    local ram free
    ram=$(log_value 'memory: ([0-9]+) MiB of RAM in the firmware map')
    [ "$ram" -ge 1900 ] && [ "$ram" -le 2048 ] || fail "RAM total $ram MiB, expected about 2048"
    free=$(log_value 'memory: ([0-9]+) MiB free of [0-9]+ MiB managed')
    [ -n "$free" ] && [ "$free" -ge 1800 ] && [ "$free" -le "$ram" ] || fail "free memory '$free' MiB implausible"
    expect 'ACPI: MADT: 4 CPUs'
    expect 'ACPI: FADT: PM timer port'
    expect 'time: TSC [0-9]+\.[0-9]+ MHz, calibrated against the ACPI PM timer'
    expect 'APIC: timer [0-9]+\.[0-9]+ MHz'
    expect 'SVM: revision [0-9]+, [0-9]+ ASIDs, features:.* NPT'
    expect 'SVM: no NRIPS: instruction lengths are decoded in software'
    expect 'SMP: CPU 3 \(APIC ID 3\) online'
    expect 'SMP: all 4 CPUs online'
    expect 'SVM: enabled on 4 CPUs'
    expect 'timer: all 4 CPUs ticking at 100 Hz'
    expect_not 'Panic|exception|did not come up'
    [ "$QEMU_STATUS" = 0 ] || fail "QEMU exit status $QEMU_STATUS after ACPI power-off, expected 0"
    pass
}
