# Runs in dom0 (its init runs /etc/sv-test.sh when the kernel command line
# has sv.test=1, then powers off).  Every line it prints starts "sv-test:"
# so the integration test can assert on it in the serial log.
t() { echo "sv-test: $*"; }
t "capabilities: $(cat /proc/xen/capabilities 2>&1)"
for d in evtchn privcmd gntdev gntalloc xenbus; do
    if [ -e "/dev/xen/$d" ]; then t "/dev/xen/$d present"; else t "/dev/xen/$d MISSING"; fi
done
for m in xenfs xen_evtchn xen_privcmd xen_gntdev xen_gntalloc; do
    if grep -q "^$m " /proc/modules; then t "module $m loaded"; else t "module $m NOT loaded"; fi
done
# sv-xentest (dom0/progs/): a loopback event channel through libxenevtchn,
# and a gntalloc page mapped back with gntdev through libxengnttab. Its
# stderr (the libraries' own error log) comes along; a watchdog in it ends
# it after 30 s, `timeout` is the backstop. It runs before the dmesg check
# so that a Xen warning it causes is counted; the kernel's lines from
# during the run are printed as well.
if command -v sv-xentest >/dev/null; then
    before=$(dmesg | wc -l)
    timeout 60 sv-xentest > /tmp/sv-xentest.out 2>&1
    sed 's/^/sv-test: /' /tmp/sv-xentest.out
    case $before in
    '' | *[!0-9]*) t "xentest dmesg: cannot count dmesg lines ('$before')" ;;
    *) dmesg | tail -n +"$((before + 1))" | sed 's/^/sv-test: xentest dmesg: /' ;;
    esac
    # On failure, how events reach dom0: Linux lists "HYP" only when it
    # installed its handler for the upcall vector (0xf3), and each event
    # channel's IRQ with its count.
    grep -q 'sv-xentest: PASS' /tmp/sv-xentest.out ||
        grep -E 'HYP|xen|evtchn' /proc/interrupts | sed 's/^/sv-test: xentest interrupts: /'
else
    t "sv-xentest not in this image"
fi
# sv-apic (dom0/progs/): IPIs through CPU 0's APIC page (dom0 boots with
# iomem=relaxed so /dev/mem reaches it): self IPIs arrive, the ones aimed
# at the hypervisor's CPUs are refused (the test reads the refusals in the
# hypervisor's log).
if command -v sv-apic >/dev/null; then
    timeout 60 sv-apic 2>&1 | sed 's/^/sv-test: /'
else
    t "sv-apic not in this image"
fi
# The balloon: give 64 MiB back to the hypervisor (decrease_reservation)
# and take it again (populate_physmap maps the same frames 1:1 again), then
# use the memory: a 96 MiB file in tmpfs written and checksummed twice.
bal=/sys/devices/system/xen_memory/xen_memory0
balloon_to() {  # KB: set the target, wait up to 20 s for current to reach it
    echo "$1" > $bal/target_kb || return 1
    for i in $(seq 40); do
        [ "$(cat $bal/info/current_kb)" = "$1" ] && return 0
        sleep 0.5
    done
    return 1
}
if [ -d $bal ]; then
    kb0=$(cat $bal/info/current_kb)
    free0=$(awk '/MemFree/ {print $2}' /proc/meminfo)
    if balloon_to $((kb0 - 65536)); then
        t "balloon: down 64 MiB to $(cat $bal/info/current_kb) kB, MemFree $free0 -> $(awk '/MemFree/ {print $2}' /proc/meminfo) kB"
    else
        t "balloon: down FAILED: current $(cat $bal/info/current_kb) kB, target $((kb0 - 65536))"
    fi
    if balloon_to "$kb0"; then
        t "balloon: up again to $(cat $bal/info/current_kb) kB"
    else
        t "balloon: up FAILED: current $(cat $bal/info/current_kb) kB, target $kb0"
    fi
    mkdir -p /tmp/bal && mount -t tmpfs -o size=128m none /tmp/bal
    dd if=/dev/urandom of=/tmp/bal/f bs=1M count=96 2>/dev/null
    s1=$(md5sum < /tmp/bal/f); sync; echo 3 > /proc/sys/vm/drop_caches; s2=$(md5sum < /tmp/bal/f)
    [ "$s1" = "$s2" ] && t "balloon: 96 MiB written and read back the same" || t "balloon: data differs"
    umount /tmp/bal
else
    t "balloon: no $bal"
fi
n=$(dmesg | grep -ciE 'xen.*(fail|error|warn)')
t "Xen errors or warnings in dmesg: $n"
dmesg | grep -iE 'xen.*(fail|error|warn)' | sed 's/^/sv-test: dmesg: /'
t "disk says '$(dd if=/dev/sda bs=512 count=1 2>/dev/null | head -c 22)'"
# dom0's address goes on xenbr0 when init made the bridge (eth0 is in it).
netdev=eth0; [ -d /sys/class/net/xenbr0 ] && netdev=xenbr0
ip link set eth0 up && ip addr add 10.0.2.15/24 dev $netdev
# The link comes up a few seconds after "up" (e1000e on q35 takes ~3 s):
# ping once it has, so the test measures dom0's networking, not that race.
for i in $(seq 30); do
    [ "$(cat /sys/class/net/eth0/operstate 2>/dev/null)" = up ] && break
    sleep 0.5
done
t "eth0 is $(cat /sys/class/net/eth0/operstate 2>/dev/null) (address on $netdev)"
ping -c 3 -w 30 10.0.2.2 | grep -E 'packets' | sed 's/^/sv-test: ping: /'
t "done"
