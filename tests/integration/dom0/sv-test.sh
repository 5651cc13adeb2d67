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
n=$(dmesg | grep -ciE 'xen.*(fail|error|warn)')
t "Xen errors or warnings in dmesg: $n"
dmesg | grep -iE 'xen.*(fail|error|warn)' | sed 's/^/sv-test: dmesg: /'
t "disk says '$(dd if=/dev/sda bs=512 count=1 2>/dev/null | head -c 22)'"
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0
# The link comes up a few seconds after "up" (e1000e on q35 takes ~3 s):
# ping once it has, so the test measures dom0's networking, not that race.
for i in $(seq 30); do
    [ "$(cat /sys/class/net/eth0/operstate 2>/dev/null)" = up ] && break
    sleep 0.5
done
t "eth0 is $(cat /sys/class/net/eth0/operstate 2>/dev/null)"
ping -c 3 -w 30 10.0.2.2 | grep -E 'packets' | sed 's/^/sv-test: ping: /'
t "done"
