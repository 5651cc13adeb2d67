# Runs in dom0 under the real Xen 4.17 (sv.test=1; tests/peers/xen_split.sh
# puts it in the overlay as /etc/sv-test.sh, after the settings it prepends:
# NET, BENCH, HAP, MEMORY, BENCH_ARGS, MQ).  Xen's own xl, xenstored and
# xenconsoled; Linux's xen-blkback (and xen-netback) as the backends;
# svfront (frontends/) as the guest.  Every line starts "xen-split:".
export PATH=/usr/lib/xen-4.17/bin:/usr/sbin:/usr/bin:/sbin:/bin
TAG=xen-split           # helpers.sh (in front of this script): t, run, state_of, gone
wait_down() {  # wait_down DOMAIN SECONDS: until it has shut down or crashed
    for i in $(seq $(($2 * 10))); do
        case $(state_of "$1") in *s*|*c*) return 0 ;; esac
        sleep 0.1
    done
    return 1
}
wait_node() {  # wait_node PATH VALUE SECONDS
    for i in $(seq $(($3 * 10))); do
        [ "$(xenstore-read "$1" 2>/dev/null)" = "$2" ] && return 0
        sleep 0.1
    done
    return 1
}
guest() {  # guest NAME CMDLINE EXTRA-LINES: an svfront config for Xen's xl
    cat <<CFG
name = "$1"
type = "pvh"
kernel = "/usr/lib/splitvisor/svfront.elf"
memory = $MEMORY
vcpus = 1
hap = $HAP
tsc_mode = "native"
cmdline = "$2"
on_poweroff = "preserve"
on_crash = "preserve"
$3
CFG
}
show_tree() {  # show_tree PATH LABEL: xenstore-ls -f, prefixed
    xenstore-ls -f "$1" 2>&1 | sed "s|^|xen-split: [$2] |"
}
# create NAME: xl create -p (paused: the backends set up, the guest not run).
create_paused() {
    if timeout 120 xl -vvv create -p "/tmp/$1.cfg" > "/tmp/$1.create" 2>&1; then
        t "status of 'xl create -p $1': 0"
    else
        t "status of 'xl create -p $1': $?"
        sed "s|^|xen-split: [$1 create] |" "/tmp/$1.create" | tail -n 60
        return 1
    fi
}
backends_left() { xenstore-ls "/local/domain/0/backend/$1" 2>/dev/null | grep -c '^ *[0-9]'; }

t "start: NET=$NET BENCH=$BENCH MQ=$MQ hap=$HAP memory=$MEMORY"
t "daemons: $(tr '\n' ';' < /var/log/pxl-xenstored.out 2>/dev/null)"
xl info 2>&1 | grep -E '^(xen_version|xen_caps|virt_caps|xen_commandline|free_memory)' | sed 's/^/xen-split: [xl info] /'
pidof svblkback >/dev/null && t "svblkback runs (it must not: xen-blkback is the backend)"

# Linux's backends (not in dom0's module list: the overlay brings them).
for m in loop xen-blkback xen-netback; do
    [ "$m" = xen-netback ] && [ "$NET" != 1 ] && continue
    ko=$(find /lib/modules -name "$m.ko" | head -n 1)
    if [ -n "$ko" ] && err=$(insmod "$ko" 2>&1); then t "$m loaded"; else t "$m not loaded: ${ko:-no $m.ko} $err"; fi
done
t "xen-backend drivers: $(ls /sys/bus/xen-backend/drivers 2>/dev/null | tr '\n' ' ')"

# ---- 1. svfront writes and verifies 64 MiB through xen-blkback ----------
t "step 1: blk"
dd if=/dev/zero of=/tmp/d1.img bs=1M count=0 seek=96 2>/dev/null
run sv-blkpattern write /tmp/d1.img 5 64 16
guest b1 "run=blk_verify,blk_check,blk_ops blk_seed=3 blk_mib=64 chk_seed=5 chk_off_mib=64 chk_mib=16" \
    "disk = [ 'format=raw,vdev=xvda,access=rw,target=/tmp/d1.img' ]" > /tmp/b1.cfg
sed 's/^/xen-split: [b1.cfg] /' /tmp/b1.cfg
if create_paused b1; then
    d=$(xl domid b1)
    be=/local/domain/0/backend/vbd/$d/51712
    wait_node "$be/state" 2 10 && t "b1 vbd backend in InitWait" || t "b1 vbd backend state $(xenstore-read $be/state 2>&1)"
    for k in physical-device physical-device-path max-ring-page-order multi-queue-max-queues \
             feature-max-indirect-segments feature-persistent feature-flush-cache feature-discard \
             sectors sector-size info mode hotplug-status; do
        t "b1 backend offers $k = $(xenstore-read $be/$k 2>/dev/null || echo '(absent)')"
    done
    # (blkback writes feature-persistent, feature-flush-cache, sectors, info
    # only in connect(), once the frontend is Initialised: absent here.)
    show_tree /local/domain/$d/device/vbd "b1 frontend before"
    start=$(date +%s)
    run xl unpause b1
    if wait_down b1 600; then t "b1 state $(state_of b1) after $(( $(date +%s) - start )) s"
    else t "b1 did not finish within 600 s (state $(state_of b1))"; fi
    sleep 1
    show_log b1
    show_tree /local/domain/$d/device/vbd "b1 frontend after"
    show_tree $be "b1 backend after"
    run sv-blkpattern check /tmp/d1.img 3 0 64
    run sv-blkpattern check /tmp/d1.img 5 64 16
    run xl destroy b1
    gone b1 30 && t "b1 gone"
fi
sleep 1
t "backends left for vbd: $(backends_left vbd)"
t "loop devices left: $(losetup -a 2>/dev/null | grep -c /tmp/)"

# ---- 1b. several queues: blkback's max_queues (default: dom0's vCPUs, 1) -
if [ "$MQ" -gt 1 ]; then
    t "step 1b: blk with xen-blkback max_queues=$MQ"
    mq=/sys/module/xen_blkback/parameters/max_queues
    old=$(cat $mq)
    echo "$MQ" > $mq && t "xen-blkback max_queues $old -> $(cat $mq)"
    guest b3 "run=blk_verify,blk_check blk_seed=7 blk_mib=32 chk_seed=5 chk_off_mib=64 chk_mib=16" \
        "disk = [ 'format=raw,vdev=xvda,access=rw,target=/tmp/d1.img' ]" > /tmp/b3.cfg
    if create_paused b3; then
        d=$(xl domid b3)
        be=/local/domain/0/backend/vbd/$d/51712
        t "b3 backend offers multi-queue-max-queues = $(xenstore-read $be/multi-queue-max-queues 2>&1)"
        start=$(date +%s)
        run xl unpause b3
        if wait_down b3 600; then t "b3 state $(state_of b3) after $(( $(date +%s) - start )) s"
        else t "b3 did not finish within 600 s (state $(state_of b3))"; fi
        sleep 1
        show_log b3
        show_tree /local/domain/$d/device/vbd "b3 frontend after"
        run sv-blkpattern check /tmp/d1.img 7 0 32
        run xl destroy b3
        gone b3 30 && t "b3 gone"
    fi
    echo "$old" > $mq
    sleep 1
    t "backends left for vbd after b3: $(backends_left vbd)"
fi

# ---- 2. the network peer: svfront's netfront through xen-netback -------
# The scenario of tests/integration/split/split-test.sh section 4 (and 5):
# n1 and n2 on xenbr0 with dom0 at 10.0.0.1.  dom0 pings both and has
# sv-udp echo from both, n2 pings n1 and dom0, then "stop" to n1 (its
# net_serve ends, udp_recv waits) and to n2 (udp_send, 3000 datagrams of
# 1400 bytes to n1).  x1 (10.0.2.30) pings QEMU's user-net gateway through
# xenbr0 and eth0.  n1 is created paused first: what netback offers at
# InitWait, the hotplug script's work, the vif on the bridge.
start_guest() { create_paused "$1" && run xl unpause "$1"; }
if [ "$NET" = 1 ]; then
    t "step 2: net"
    dmesg -n 1      # bridge messages would split our lines (dmesg at the end has them)
    if [ -e /sys/class/net/eth0 ]; then t "eth0 present"; else t "no eth0"; fi
    # dom0's init may have made xenbr0 with eth0 already (as Xen's network
    # scripts set a host up); else make it here.
    if [ -e /sys/class/net/xenbr0/bridge ]; then t "xenbr0 exists"
    else brctl addbr xenbr0 && t "xenbr0 made"; fi
    ip link set xenbr0 up && t "bridge xenbr0 up"
    if [ -e /sys/class/net/eth0 ] && [ ! -e /sys/class/net/xenbr0/brif/eth0 ]; then
        brctl addif xenbr0 eth0
    fi
    [ -e /sys/class/net/xenbr0/brif/eth0 ] && ip link set eth0 up && t "eth0 in xenbr0"
    ip addr add 10.0.0.1/24 dev xenbr0 && t "dom0 is 10.0.0.1 on xenbr0"
    guest n1 "run=net_serve,udp_recv ip=10.0.0.11 serve_s=120 udp_wait_s=60" \
        "vif = [ 'bridge=xenbr0,mac=00:16:3e:00:00:11' ]" > /tmp/n1.cfg
    guest n2 "run=net_ping,net_serve,udp_send ip=10.0.0.12 ping=10.0.0.11+10.0.0.1 serve_s=120 udp_dst=10.0.0.11 udp_count=3000 udp_size=1400" \
        "vif = [ 'bridge=xenbr0,mac=00:16:3e:00:00:12' ]" > /tmp/n2.cfg
    guest x1 "run=net_ping ip=10.0.2.30 ping=10.0.2.2 ping_count=3" \
        "vif = [ 'bridge=xenbr0,mac=00:16:3e:00:00:30' ]" > /tmp/x1.cfg
    vifs=
    if create_paused n1; then
        d=$(xl domid n1)
        vifs="$vifs vif$d.0"
        be=/local/domain/0/backend/vif/$d/0
        wait_node "$be/state" 2 10 && t "n1 vif backend in InitWait" || t "n1 vif backend state $(xenstore-read $be/state 2>&1)"
        wait_node "$be/hotplug-status" connected 10 && t "n1 vif hotplug-status connected"
        show_tree $be "n1 backend"
        if [ -e /sys/class/net/vif$d.0 ]; then t "interface vif$d.0 present"; else t "no interface vif$d.0"; fi
        [ -e /sys/class/net/xenbr0/brif/vif$d.0 ] && t "vif$d.0 is a port of xenbr0"
        t "ports of xenbr0: $(ls /sys/class/net/xenbr0/brif | tr '\n' ' ')"
        run xl unpause n1
        wait_line n1 'serving ARP' 60
        wait_node "$be/state" 4 10 && t "n1 vif backend Connected" || t "n1 vif backend state $(xenstore-read $be/state 2>&1)"
        show_tree /local/domain/$d/device/vif "n1 frontend"
        ping -c 3 -w 30 10.0.0.11 | grep -E 'packets|round-trip' | sed 's/^/xen-split: dom0 ping n1: /'
    fi
    if start_guest n2; then
        vifs="$vifs vif$(xl domid n2).0"
        start_guest x1 && vifs="$vifs vif$(xl domid x1).0"
        wait_line n2 'PASS: net_ping' 60
        wait_line n2 'serving ARP' 30
        ping -c 3 -w 30 10.0.0.12 | grep -E 'packets|round-trip' | sed 's/^/xen-split: dom0 ping n2: /'
        run sv-udp echo 10.0.0.11 7 hello-n1
        run sv-udp echo 10.0.0.12 7 hello-n2
        # While connected: netback frees its queues, and their counters, at
        # the frontend's Closed.  vifD.0's tx is toward the guest.
        for g in n1 n2; do
            st=/sys/class/net/vif$(xl domid $g).0/statistics
            t "$g vif counters: tx $(cat $st/tx_packets) dropped $(cat $st/tx_dropped), rx $(cat $st/rx_packets) dropped $(cat $st/rx_dropped)"
        done
        # n1 to its UDP receiver, then n2 to its sender ("stop" to port 7).
        sv-udp send 10.0.0.11 7 stop
        wait_line n1 'waiting for a run' 30
        sv-udp send 10.0.0.12 7 stop
    fi
    for g in n2 n1 x1; do
        xl list $g >/dev/null 2>&1 || continue
        if wait_down $g 60; then t "$g state $(state_of $g)"; else t "$g did not finish within 60 s (state $(state_of $g))"; fi
    done
    sleep 1
    for g in n1 n2 x1; do
        xl list $g >/dev/null 2>&1 || continue
        show_log $g
        run xl destroy $g
        gone $g 30 && t "$g gone"
    done
    sleep 1
    for v in $vifs; do [ -e /sys/class/net/$v ] && t "$v still there after destroy" || t "$v removed"; done
    t "vifs left: $(ls /sys/class/net | grep -c '^vif')"
    t "ports of xenbr0 at the end: $(ls /sys/class/net/xenbr0/brif | tr '\n' ' ')"
    t "backends left for vif: $(backends_left vif)"
fi

# ---- 3. blk_bench (BENCH=1): the anchor for make bench-io ---------------
if [ "$BENCH" = 1 ]; then
    t "step 3: bench"
    dd if=/dev/zero of=/tmp/d2.img bs=1M count=0 seek=256 2>/dev/null
    guest b2 "run=blk_bench $BENCH_ARGS" "disk = [ 'format=raw,vdev=xvda,access=rw,target=/tmp/d2.img' ]" > /tmp/b2.cfg
    sed 's/^/xen-split: [b2.cfg] /' /tmp/b2.cfg
    if create_paused b2; then
        start=$(date +%s)
        run xl unpause b2
        if wait_down b2 900; then t "b2 state $(state_of b2) after $(( $(date +%s) - start )) s"
        else t "b2 did not finish within 900 s"; fi
        sleep 1
        show_log b2
        run xl destroy b2
        gone b2 30 && t "b2 gone"
    fi
    rm -f /tmp/d2.img
fi

t "hotplug log:"
sed 's/^/xen-split: [hotplug] /' /var/log/xen/hotplug.log 2>/dev/null
xl dmesg 2>&1 | grep -vE 'HVM[0-9]* (d[0-9]+(v[0-9]+)? save|restore):' | tail -n 40 | sed 's/^/xen-split: [xl dmesg] /'
dmesg | grep -iE 'blkback|blkif|netback|vif|xenbr|loop|xen' | tail -n 40 | sed 's/^/xen-split: [dmesg] /'
t done
