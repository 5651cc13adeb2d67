# Runs in dom0 under sv.test=1 (tests/integration/split.sh): the split
# drivers end to end with svfront (frontends/) as the guest.  Every line
# starts "split-test:".  sv.paging=shadow|hap on dom0's command line picks
# the guests' paging mode.
TAG=split-test          # helpers.sh (in front of this script): t, run, state_of, ...
dmesg -n 1      # the kernel's bridge messages would interleave with ours
paging=hap
case " $(cat /proc/cmdline) " in *" sv.paging=shadow "*) paging=shadow ;; esac
t "guests use $paging paging"
guest() {  # guest NAME CMDLINE MEMORY EXTRA-LINES: a config for svfront
    cat <<CFG
name = "$1"
kernel = "/usr/lib/splitvisor/svfront.elf"
memory = $3
paging = "$paging"
cmdline = "$2"
on_poweroff = "preserve"
on_crash = "preserve"
$4
CFG
}

pidof svblkback >/dev/null && t "svblkback runs" || t "svblkback is not running"

# ---- 1. a guest writes and verifies 64 MiB; dom0 sees it in the image ----
dd if=/dev/zero of=/tmp/d1.img bs=1M count=0 seek=96 2>/dev/null
run sv-blkpattern write /tmp/d1.img 5 64 16
guest b1 "run=blk_verify,blk_check,blk_ops blk_seed=3 blk_mib=64 chk_seed=5 chk_off_mib=64 chk_mib=16" 96 \
    "disk = [ 'file:/tmp/d1.img,xvda,w' ]" > /tmp/b1.cfg
start=$(date +%s)
run xl create /tmp/b1.cfg
if wait_state b1 s 600; then t "b1 shut down after $(( $(date +%s) - start )) s"; else t "b1 did not finish"; fi
show_log b1
run sv-blkpattern check /tmp/d1.img 3 0 64
run sv-blkpattern check /tmp/d1.img 5 64 16
run xl destroy b1
gone b1 30 && t "b1 gone"
sleep 1
t "backends left for vbd: $(xenstore-ls /local/domain/0/backend/vbd 2>/dev/null | grep -c '^ *[0-9]')"

# ---- 2. a hostile frontend next to a good one (without persistent grants:
# svblkback moves its data by grant copy, b1's through kept mappings) ----
dd if=/dev/zero of=/tmp/d2.img bs=1M count=0 seek=32 2>/dev/null
dd if=/dev/zero of=/tmp/d3.img bs=1M count=0 seek=32 2>/dev/null
guest b2 "run=blk_hostile" 64 "disk = [ 'file:/tmp/d2.img,xvda,w' ]" > /tmp/b2.cfg
guest b3 "run=blk_verify,blk_verify blk_seed=9 blk_mib=24 blk_persistent=0" 64 "disk = [ 'file:/tmp/d3.img,xvda,w' ]" > /tmp/b3.cfg
run xl create /tmp/b3.cfg
run xl create /tmp/b2.cfg
wait_state b2 s 300 && t "b2 shut down"
wait_state b3 s 300 && t "b3 shut down"
show_log b2
show_log b3
pidof svblkback >/dev/null && t "svblkback still runs" || t "svblkback is gone"
run sv-blkpattern check /tmp/d3.img 9 0 24
run xl destroy b2
run xl destroy b3

# ---- 3. hot attach and detach while the guest runs ----
dd if=/dev/zero of=/tmp/h.img bs=1M count=0 seek=32 2>/dev/null
guest h1 "run=blk_attach_wait,blk_verify,blk_detach_wait,blk_attach_wait,blk_check,blk_detach_wait blk_seed=4 blk_mib=16 chk_seed=4 chk_mib=16" 64 "" > /tmp/h1.cfg
run xl create /tmp/h1.cfg
sleep 1
run xl block-attach h1 file:/tmp/h.img,xvdb,w
for i in $(seq 600); do grep -q 'PASS: blk_verify' /var/log/splitvisor/guest-h1.log 2>/dev/null && break; sleep 0.1; done
run xl block-list h1
run xl block-detach h1 xvdb
for i in $(seq 300); do grep -q 'PASS: blk_detach_wait' /var/log/splitvisor/guest-h1.log 2>/dev/null && break; sleep 0.1; done
run xl block-list h1
run xl block-attach h1 file:/tmp/h.img,xvdb,r
for i in $(seq 600); do grep -q 'PASS: blk_check' /var/log/splitvisor/guest-h1.log 2>/dev/null && break; sleep 0.1; done
run xl block-detach h1 xvdb
wait_state h1 s 120 && t "h1 shut down"
show_log h1
run xl destroy h1
sleep 1
t "backends left for vbd: $(xenstore-ls /local/domain/0/backend/vbd 2>/dev/null | grep -c '^ *[0-9]')"

# ---- 4. two guests on xenbr0 ping each other and dom0, then UDP ----
pidof svnetback >/dev/null && t "svnetback runs" || t "svnetback is not running"
ip addr add 10.0.0.1/24 dev xenbr0 && t "dom0 is 10.0.0.1 on xenbr0"
guest n1 "run=net_serve,udp_recv ip=10.0.0.11 serve_s=120 udp_wait_s=60" 64 \
    "vif = [ 'bridge=xenbr0,mac=00:16:3e:00:00:11' ]" > /tmp/n1.cfg
guest n2 "run=net_ping,net_serve,udp_send ip=10.0.0.12 ping=10.0.0.11+10.0.0.1 serve_s=120 udp_dst=10.0.0.11 udp_count=3000 udp_size=1400" 64 \
    "vif = [ 'bridge=xenbr0,mac=00:16:3e:00:00:12' ]" > /tmp/n2.cfg
run xl create /tmp/n1.cfg
wait_line n1 'serving ARP' 60
ping -c 3 -w 30 10.0.0.11 | grep -E 'packets' | sed 's/^/split-test: dom0 ping n1: /'
run xl create /tmp/n2.cfg
wait_line n2 'PASS: net_ping' 120
wait_line n2 'serving ARP' 30
ping -c 3 -w 30 10.0.0.12 | grep -E 'packets' | sed 's/^/split-test: dom0 ping n2: /'
run xl network-list n1
run sv-udp echo 10.0.0.11 7 hello-n1
run sv-udp echo 10.0.0.12 7 hello-n2
# n1 to its UDP receiver, then n2 to its sender ("stop" to UDP port 7).
sv-udp send 10.0.0.11 7 stop
wait_line n1 'waiting for a run' 30
sv-udp send 10.0.0.12 7 stop
wait_state n2 s 180 && t "n2 shut down"
wait_state n1 s 180 && t "n1 shut down"
show_log n1
show_log n2
run xl destroy n1
run xl destroy n2
sleep 1
t "backends left for vif: $(xenstore-ls /local/domain/0/backend/vif 2>/dev/null | grep -c '^ *[0-9]')"
t "taps left: $(ls /sys/class/net | grep -c '^vif')"
# ---- 4b. a hostile netfront next to a good guest ----
guest n4 "run=net_serve ip=10.0.0.14 serve_s=120" 64 "vif = [ 'bridge=xenbr0' ]" > /tmp/n4.cfg
guest n3 "run=net_hostile ip=10.0.0.13 ping=10.0.0.1" 64 "vif = [ 'bridge=xenbr0' ]" > /tmp/n3.cfg
run xl create /tmp/n4.cfg
run xl create /tmp/n3.cfg
wait_state n3 s 120 && t "n3 shut down"
show_log n3
ping -c 3 -w 30 10.0.0.14 | grep -E 'packets' | sed 's/^/split-test: dom0 ping n4 after n3: /'
run sv-udp echo 10.0.0.14 7 still-here
sv-udp send 10.0.0.14 7 stop
wait_state n4 s 60 && t "n4 shut down"
pidof svnetback >/dev/null && t "svnetback still runs"
run xl destroy n3
run xl destroy n4

# ---- 4b2. a NIC attached and detached while the guest runs ----
guest w1 "run=net_attach_wait,net_ping,net_detach_wait ip=10.0.0.41 ping=10.0.0.1 ping_count=3" 64 "" > /tmp/w1.cfg
run xl create /tmp/w1.cfg
sleep 1
run xl network-attach w1 bridge=xenbr0
wait_line w1 'PASS: net_ping' 60
run xl network-list w1
run xl network-detach w1 0
wait_state w1 s 60 && t "w1 shut down"
show_log w1
run xl destroy w1

# ---- 4c. svfront's console ring, both ways ----
guest e1 "run=echo echo_wait=30" 32 "" > /tmp/e1.cfg
run xl create /tmp/e1.cfg
wait_line e1 'type a line' 30
(sleep 1; printf 'hello-svfront\r'; sleep 2; printf 'quit\r'; sleep 2; printf '\035') |
    timeout 20 xl console e1 > /tmp/con.out 2>&1
tr -d '\r' < /tmp/con.out | grep 'echo:' | sed 's/^/split-test: e1 console: /'
wait_state e1 s 30 && t "e1 shut down"
run xl destroy e1

# ---- 5. the outside network, and xl destroy while the devices are in use ----
# x1 has a disk and a NIC on xenbr0 with an address on QEMU's user network
# (eth0 is in xenbr0): it pings QEMU's gateway, then serves until destroyed.
dd if=/dev/zero of=/tmp/x.img bs=1M count=0 seek=16 2>/dev/null
guest x1 "run=blk_verify,net_ping,net_serve blk_mib=8 ip=10.0.2.30 ping=10.0.2.2 ping_count=3 serve_s=600" 64 \
    "disk = [ 'file:/tmp/x.img,xvda,w' ]
vif = [ 'bridge=xenbr0' ]" > /tmp/x1.cfg
free0=$(free_pages)
run xl create /tmp/x1.cfg
wait_line x1 'serving ARP' 120
show_log x1
run xl destroy x1
gone x1 30 && t "x1 gone"
sleep 2
free1=$(free_pages)
t "free pages around x1: $free0 -> $free1"
t "backends left after destroy: vbd $(xenstore-ls /local/domain/0/backend/vbd 2>/dev/null | grep -c '^ *[0-9]') vif $(xenstore-ls /local/domain/0/backend/vif 2>/dev/null | grep -c '^ *[0-9]')"
pidof svblkback >/dev/null && pidof svnetback >/dev/null && t "both backends still run"

# ---- 6. the backends restart under running guests, and nothing is lost ----
dd if=/dev/zero of=/tmp/r.img bs=1M count=0 seek=96 2>/dev/null
guest r1 "run=blk_verify,blk_verify,net_serve blk_seed=6 blk_mib=64 ip=10.0.0.31 serve_s=120" 96 \
    "disk = [ 'file:/tmp/r.img,xvda,w' ]
vif = [ 'bridge=xenbr0' ]" > /tmp/r1.cfg
run xl create /tmp/r1.cfg
wait_line r1 'vbd 51712: connected' 60
sleep 1
old=$(pidof svblkback)
kill -TERM $old
for i in $(seq 100); do kill -0 $old 2>/dev/null || break; sleep 0.1; done
svblkback --log /var/log/splitvisor/blkback.log && t "svblkback restarted (was $old, now $(pidof svblkback))"
wait_line r1 'serving ARP' 120
old=$(pidof svnetback)
kill -TERM $old
for i in $(seq 100); do kill -0 $old 2>/dev/null || break; sleep 0.1; done
svnetback --log /var/log/splitvisor/netback.log && t "svnetback restarted (was $old, now $(pidof svnetback))"
sleep 1
ping -c 3 -w 30 10.0.0.31 | grep -E 'packets' | sed 's/^/split-test: dom0 ping r1 after the restart: /'
sv-udp send 10.0.0.31 7 stop
wait_state r1 s 60 && t "r1 shut down"
show_log r1
run sv-blkpattern check /tmp/r.img 6 0 64
run xl destroy r1

# ---- 7. the example config README.md points to ----
run xl create /etc/xl/split.cfg
gone split 300 && t "split (the example) ended"
show_log split | grep -E 'PASS|FAIL|passed'

t "netback log:"
tr -d '\r' < /var/log/splitvisor/netback.log | sed 's/^/split-test: netback: /'

t "blkback log:"
tr -d '\r' < /var/log/splitvisor/blkback.log | sed 's/^/split-test: blkback: /'
t done
