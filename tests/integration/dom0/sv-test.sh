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
n=$(dmesg | grep -ciE 'xen.*(fail|error|warn)')
t "Xen errors or warnings in dmesg: $n"
dmesg | grep -iE 'xen.*(fail|error|warn)' | sed 's/^/sv-test: dmesg: /'
t "disk says '$(dd if=/dev/sda bs=512 count=1 2>/dev/null | head -c 22)'"
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0
ping -c 3 -W 5 10.0.2.2 | grep -E 'packets' | sed 's/^/sv-test: ping: /'
t "done"
