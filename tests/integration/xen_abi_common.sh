# Event channels and grant tables between domains, with svguest's peer
# tests: two domains ping-pong events; a grantor shares a page with a
# mapper that runs an io/ring.h ring over it and copies through a grant;
# a third domain is refused the grant that was not made for it (it starts
# first and keeps trying until the grantor exists).
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

GUEST="$BUILD/guests/svguest.elf"

# run_abi NAME FIRMWARE MODE_A MODE_B ROUNDS PONG_CPU
run_abi() {
    local name=$1 firmware=$2 a=$3 b=$4 rounds=$5 pong_cpu=$6 iso
    [ -f "$GUEST" ] || fail "no $GUEST (make guests)"
    iso="$OUT/$name.iso"
    "$ROOT/scripts/mkiso.sh" "$ELF" "$iso" "loglvl=info boot_guests after_boot=poweroff" \
        "$GUEST" "name=thief paging=$b mem=32M cpu=3 -- tests=grant_thief victim=4" \
        "$GUEST" "name=ping paging=$a mem=32M cpu=1 -- tests=evtchn_ping peer=3 rounds=$rounds" \
        "$GUEST" "name=pong paging=$b mem=32M cpu=$pong_cpu -- tests=evtchn_pong peer=2 rounds=$rounds" \
        "$GUEST" "name=give paging=$b mem=32M cpu=1 -- tests=grant_give peer=5 thief=1 rounds=1000" \
        "$GUEST" "name=take paging=$a mem=32M cpu=2 -- tests=grant_take peer=4 rounds=1000" \
        >/dev/null || fail "cannot build $iso"
    start_qemu "$name" "$iso" "$firmware" --smp 4 --mem 1G
    wait_for 'boot: all boot domains have ended' 600 || fail "domains did not all end within 600 s"
    wait_exit 60

    expect '\(d1\) PASS: grant_thief$'
    expect '\(d1\) svguest: grant_thief: d4.s ref 10 \(ours\) mapped after [0-9]+ tries'
    expect '\(d1\) svguest: grant_thief: map refused with -(8 \(permission denied\)|1 \(undefined error\)), copy with -[0-9]+'
    expect '\(d2\) PASS: evtchn_ping$'
    expect '\(d3\) PASS: evtchn_pong$'
    expect "\\(d2\\) BENCH evtchn_rtt $rounds [0-9]+"
    expect '\(d4\) PASS: grant_give$'
    expect '\(d5\) PASS: grant_take$'
    for d in 1 2 3 4 5; do
        expect "domain $d \\([a-z]+\\) ended \\(shut down\\)"
    done
    expect 'domain 2 hypercalls:.* event_channel_op=[0-9]+.*; upcalls injected: [1-9]'
    expect 'domain 5 hypercalls:.* grant_table_op=[0-9]+'
    expect_not 'FAIL:|crashed|Panic|----\[ splitvisor exception'
    [ "$QEMU_STATUS" = 0 ] || fail "QEMU exit status $QEMU_STATUS, expected 0 (ACPI power-off)"
    pass
}
