# Four test domains at once: svguest's paging tests under NPT, under
# shadow paging (address spaces kept across CR3 writes, the default) and
# under shadow paging as a plain virtual TLB (shadow_roots=1), and a domain that touches a guest-physical address
# outside its p2m and must be crashed while the others run to completion.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

GUEST="$BUILD/guests/svguest.elf"
PAGING_TESTS="paging_onoff cr3_switch demand_paging ad_bits write_protect nx invlpg large_pages pt_heavy"

# run_guests NAME FIRMWARE AUDIT(0|1) ISOLATION_PAGING
run_guests() {
    local name=$1 firmware=$2 audit=$3 iso_paging=$4 cmdline iso
    [ -f "$GUEST" ] || fail "no $GUEST (make guests)"
    cmdline="loglvl=info boot_guests after_boot=poweroff"
    [ "$audit" = 1 ] && cmdline="$cmdline shadow_audit"
    iso="$OUT/$name.iso"
    "$ROOT/scripts/mkiso.sh" "$ELF" "$iso" "$cmdline" \
        "$GUEST" "name=npt paging=hap mem=64M cpu=1 -- tests=all" \
        "$GUEST" "name=shadow paging=shadow mem=64M cpu=2 -- tests=all" \
        "$GUEST" "name=isolation paging=$iso_paging mem=32M cpu=3 -- tests=outside_p2m" \
        "$GUEST" "name=vtlb paging=shadow shadow_roots=1 mem=64M cpu=3 -- tests=all" \
        >/dev/null || fail "cannot build $iso"
    start_qemu "$name" "$iso" "$firmware" --smp 4 --mem 2G
    wait_for 'boot: all boot domains have ended' 900 || fail "domains did not all end within 900 s"
    wait_exit 60

    for d in 1 2 4; do
        for t in $PAGING_TESTS; do
            expect "\\(d$d\\) PASS: $t\$"
        done
        expect "\\(d$d\\) svguest: [1-9][0-9]* passed, 0 failed"
        expect "domain $d \\([a-z]+\\) ended \\(shut down\\)"
    done
    expect '\(d1\) svguest: Xen 4\.17-splitvisor'
    expect 'domain 1 \(npt\) ended \(shut down\) after [0-9]+ ms; exits:.* vmmcall='
    expect 'domain 2 \(shadow\) ended \(shut down\) after [0-9]+ ms; exits:.* page_fault=[0-9]+'
    expect 'domain 2 shadow roots \(8 kept\): [1-9][0-9]* CR3 writes, [1-9][0-9]* kept roots found'
    expect 'domain 4 shadow roots \(1 kept\): [1-9][0-9]* CR3 writes, 0 kept roots found'
    expect '\(d3\) outside_p2m: touching gpa'
    expect 'domain 3 \(isolation\) crashed by the hypervisor: touched guest-physical address 0x10000000[0-9a-f]* outside its p2m'
    expect 'domain 3 \(isolation\) ended \(crashed\)'
    expect_not '\(d3\) (PASS|FAIL): outside_p2m'
    expect_not 'shadow audit: d|Panic|----\[ splitvisor exception'
    if [ "$audit" = 1 ]; then
        expect 'domain 2 shadow: .* audit: [1-9][0-9]* runs, 0 mismatches'
        expect 'domain 4 shadow: .* audit: [1-9][0-9]* runs, 0 mismatches'
    else
        expect 'domain 2 shadow: .* audit: 0 runs, 0 mismatches'
    fi
    [ "$QEMU_STATUS" = 0 ] || fail "QEMU exit status $QEMU_STATUS, expected 0 (ACPI power-off)"
    pass
}
