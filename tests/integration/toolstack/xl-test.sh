# Runs in dom0 under sv.test=1 (tests/integration/toolstack.sh): the
# toolstack end to end.  Every line starts "xl-test:".
TAG=xl-test RUN_TIMEOUT=60      # helpers.sh (in front of this script): t, run, ...
centis() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }
guest() {  # guest NAME CMDLINE [MEMORY [ON_POWEROFF]]: a config for svguest
    cat <<CFG
# svguest, the test guest (tests/guests/)
name = "$1"
kernel = "/usr/lib/splitvisor/svguest.elf"
memory = ${3:-32}
cmdline = "$2"
on_poweroff = "${4:-preserve}"
CFG
}
# gone DOMAIN SECONDS: until xl list no longer knows it.

run xl info
run xl list
free0=$(free_pages)
t "free pages before: $free0"

# 1. create a guest and time its first console line (xenconsoled's log).
guest g1 "tests=paging_onoff exit=poweroff" > /tmp/g1.cfg
start=$(centis)
run xl create /tmp/g1.cfg
for i in $(seq 300); do
    grep -q 'svguest: splitvisor test guest' /var/log/splitvisor/guest-g1.log 2>/dev/null && break
    sleep 0.05
done
end=$(centis)
t "first console line after $(( (end - start) / 100 )).$(printf %02d $(( (end - start) % 100 ))) s"
wait_state g1 s 30 && t "g1 shut down"
sed 's/^/xl-test: g1 log: /' /var/log/splitvisor/guest-g1.log
run xl list
run xl list -l
run xl domid g1
run xl domname "$(xl domid g1)"
run xl vcpu-list g1
run xl uptime
xl dmesg | grep -E 'domain [0-9]+ \(g1\)' | sed 's/^/xl-test: dmesg: /'

# 2. a guest that waits for console input: pause, unpause, pin, console.
guest g2 "tests=echo exit=poweroff" > /tmp/g2.cfg
run xl create /tmp/g2.cfg
for i in $(seq 300); do
    grep -q 'svguest: type a line' /var/log/splitvisor/guest-g2.log 2>/dev/null && break
    sleep 0.1
done
grep -q 'svguest: type a line' /var/log/splitvisor/guest-g2.log && t "g2 waits for input"
t "g2 cpu time: $(xl vcpu-list g2 | awk 'NR == 2 { print $6 }') s"
sleep 2
t "g2 cpu time 2 s later: $(xl vcpu-list g2 | awk 'NR == 2 { print $6 }') s"
run xl pause g2
t "g2 state paused: $(state_of g2)"
run xl unpause g2
t "g2 state unpaused: $(state_of g2)"
run xl vcpu-pin g2 0 1
run xl vcpu-list g2
(sleep 2; printf 'hello-from-dom0\r'; sleep 3; printf 'quit\r'; sleep 3; printf '\035') |
    timeout 30 xl console g2 > /tmp/con.out 2>&1
t "xl console status: $?"
tr -d '\r' < /tmp/con.out | sed 's/^/xl-test: console: /'
wait_state g2 s 30 && t "g2 shut down"

run xl destroy g1
run xl destroy g2
run xl list
sleep 2
free_g=$(free_pages)
t "free pages after g1 and g2: $free_g"

# 3. a bad config: the error names file, line and key; nothing is created.
cat > /tmp/bad.cfg <<'CFG'
name = "bad"
kernel = "/usr/lib/splitvisor/svguest.elf"
memory = "lots"
CFG
run xl create /tmp/bad.cfg
t "domains after the bad config: $(xl list | tail -n +2 | wc -l)"
run xl create /tmp/g1.cfg kernel=/nonexistent
t "domains after the missing kernel: $(xl list | tail -n +2 | wc -l)"

# 4. on_poweroff / on_crash / on_reboot, carried out by xl's watcher.
guest op1 "tests=none exit=poweroff" 16 destroy > /tmp/op1.cfg
run xl create /tmp/op1.cfg
gone op1 30 && t "op1: powered off and destroyed by its watcher"
guest oc1 "tests=none exit=crash" 16 > /tmp/oc1.cfg
echo 'on_crash = "destroy"' >> /tmp/oc1.cfg
run xl create /tmp/oc1.cfg
gone oc1 30 && t "oc1: crashed and destroyed by its watcher"
guest oc2 "tests=none exit=crash" 16 > /tmp/oc2.cfg
echo 'on_crash = "preserve"' >> /tmp/oc2.cfg
run xl create /tmp/oc2.cfg
wait_state oc2 s 30 && sleep 1 && t "oc2: crashed, preserved: $(xl list -l oc2 | grep shutdown_reason)"
run xl destroy oc2
guest or1 "tests=none exit=reboot" 16 > /tmp/or1.cfg
echo 'on_reboot = "restart"' >> /tmp/or1.cfg
run xl create /tmp/or1.cfg
for i in $(seq 600); do
    grep -q 'not again' /var/log/splitvisor/xl-or1.log 2>/dev/null && break
    sleep 0.1
done
t "or1: $(grep -c 'restarted as domain' /var/log/splitvisor/xl-or1.log) restarts, boots in its console log: $(grep -c 'hello from svguest' /var/log/splitvisor/guest-or1.log)"
run xl destroy or1
for f in op1 oc1 oc2 or1; do sed "s/^/xl-test: xl-$f.log: /" /var/log/splitvisor/xl-$f.log; done
run xl list

# 5. devices, top, mem-set, shutdown.
dd if=/dev/zero of=/tmp/d1.img bs=1M count=1 2>/dev/null
dd if=/dev/zero of=/tmp/d2.img bs=1M count=1 2>/dev/null
guest d1 "tests=echo echo_wait=0 exit=poweroff" 32 > /tmp/d1.cfg
cat >> /tmp/d1.cfg <<'CFG'
disk = [ 'file:/tmp/d1.img,xvda,w' ]
vif = [ 'bridge=xenbr0' ]
CFG
run xl create /tmp/d1.cfg
d1=$(xl domid d1)
t "d1 vbd params: $(xenstore-read /local/domain/0/backend/vbd/$d1/51712/params)"
t "d1 vbd frontend: $(xenstore-read /local/domain/$d1/device/vbd/51712/backend)"
run xl block-attach d1 'file:/tmp/d2.img,xvdb,r'
run xl block-list d1
run xl block-detach d1 xvdb
run xl block-list d1
run xl network-attach d1 bridge=xenbr1 mac=00:16:3e:01:02:03
run xl network-list d1
run xl network-detach d1 1
run xl network-list d1
run xl top -b -n 2 -d 1
run xl mem-set d1 16
t "d1 memory/target: $(xenstore-read /local/domain/$d1/memory/target)"
run xl mem-set d1 64
run xl shutdown -F d1
run xl destroy d1
t "backends left for d1: $(xenstore-ls /local/domain/0/backend 2>/dev/null | grep -c "^ *$d1 =")"

# 6. twenty create/destroy cycles give every page back.
guest cyc "tests=none exit=poweroff" 16 > /tmp/cyc.cfg
bad=0
for i in $(seq 20); do
    xl create /tmp/cyc.cfg 2>/dev/null || bad=$((bad + 1))
    wait_state cyc s 30 || bad=$((bad + 1))
    xl destroy cyc || bad=$((bad + 1))
done
sleep 2
free1=$(free_pages)
t "20 cycles: $bad failures; free pages $free_g -> $free1"
sleep 3
t "free pages 3 s later: $(free_pages) (before any guest: $free0)"
t done
