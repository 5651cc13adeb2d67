# dom0 under load (tests/integration/dom0_soak.sh packs this as
# /etc/sv-test.sh; init runs it when the kernel command line has
# sv.test=1, then powers off).  For sv.soak=N seconds (120 without it)
# three workers run side by side on dom0's one vCPU:
#   cpu   a shell arithmetic loop;
#   disk  rounds of: 2 MiB of fresh random data written to one of 32 slots
#         of /dev/sda with O_DIRECT, read back with O_DIRECT and compared by
#         MD5, plus a re-read of an older slot (still what was written?);
#   net   rounds of ten 1000-byte pings of QEMU's user-network gateway.
# Every 10 s a "soak: t=..." progress line, then the summary line
# "soak: done after NNs: disk rounds R (E errors), pings P (L lost)".
# Every line it prints starts "soak:".
s() { echo "soak: $*"; }
secs=120
for w in $(cat /proc/cmdline); do
    case "$w" in sv.soak=*) secs=${w#sv.soak=} ;; esac
done
case "$secs" in ''|*[!0-9]*) s "bad sv.soak='$secs', using 120"; secs=120 ;; esac

st=/tmp/soak
rm -rf "$st" && mkdir -p "$st" || { s "cannot make $st"; exit 1; }
# put NAME VALUE: a counter other processes read; rename keeps it whole.
put() { echo "$2" > "$st/$1.tmp" && mv "$st/$1.tmp" "$st/$1"; }
get() { v=$(cat "$st/$1" 2>/dev/null); echo "${v:-0}"; }
uptime_s() { cut -d. -f1 /proc/uptime; }

# ---- setup -------------------------------------------------------------
disk=/dev/sda
slots=32                      # 2 MiB each: the 64 MiB disk
if [ -b "$disk" ]; then
    sectors=$(cat /sys/block/sda/size 2>/dev/null)
    s "disk $disk: $((${sectors:-0} / 2048)) MiB"
    [ "${sectors:-0}" -ge $((slots * 4096)) ] || slots=$((${sectors:-0} / 4096))
else
    s "no $disk"; slots=0
fi
# O_DIRECT if this dd has it and the device takes it: every read then
# really comes from the device (DMA into dom0's RAM), not the page cache.
if [ "$slots" -gt 0 ] && dd if=/dev/zero of=$disk bs=64k count=1 oflag=direct 2>/dev/null &&
    dd if=$disk of=/dev/null bs=64k count=1 iflag=direct 2>/dev/null; then
    wflag=oflag=direct rflag=iflag=direct
    s "disk I/O: O_DIRECT"
else
    wflag=conv=fsync rflag=
    s "disk I/O: no O_DIRECT; fsync after writes, buffers flushed before reads"
fi
netdev=eth0; [ -d /sys/class/net/xenbr0 ] && netdev=xenbr0    # init's bridge holds eth0
if ip link set eth0 up && ip addr add 10.0.2.15/24 dev $netdev; then
    # One ping, not counted, for the link to come up.
    if ping -c 1 -W 10 10.0.2.2 >/dev/null 2>&1; then s "net: eth0 up, gateway answers"
    else s "net: eth0 up, gateway did not answer the first ping"; fi
else
    s "net: cannot configure eth0"
fi

# ---- workers -----------------------------------------------------------
cpu_worker() {
    n=0
    while [ ! -e "$st/stop" ]; do
        i=0 x=1
        while [ $i -lt 2000 ]; do
            x=$(( (x * 1103515245 + 12345) % 2147483648 ))
            i=$((i + 1))
        done
        n=$((n + 2000))
        put cpu "$n"
    done
}

disk_worker() {
    r=0 e=0
    while [ ! -e "$st/stop" ]; do
        slot=$((r % slots))
        dd if=/dev/urandom of="$st/pat" bs=64k count=32 2>/dev/null
        want=$(md5sum < "$st/pat" | cut -d' ' -f1)
        if ! err=$(dd if="$st/pat" of=$disk bs=64k seek=$((slot * 32)) count=32 $wflag 2>&1); then
            e=$((e + 1)); s "disk error: round $r: write of slot $slot failed: $err"
        else
            echo "$want" > "$st/slot.$slot"
            [ -n "$rflag" ] || blockdev --flushbufs $disk 2>/dev/null
            got=$(dd if=$disk bs=64k skip=$((slot * 32)) count=32 $rflag 2>/dev/null | md5sum | cut -d' ' -f1)
            if [ "$got" != "$want" ]; then
                e=$((e + 1)); s "disk error: round $r: slot $slot read back $got, wrote $want"
            fi
        fi
        # An older slot must still hold what was written to it.
        if [ "$r" -ge 1 ]; then
            old=$(( (r * 7 + 3) % slots ))
            if [ "$old" != "$slot" ] && [ -f "$st/slot.$old" ]; then
                want=$(cat "$st/slot.$old")
                [ -n "$rflag" ] || blockdev --flushbufs $disk 2>/dev/null
                got=$(dd if=$disk bs=64k skip=$((old * 32)) count=32 $rflag 2>/dev/null | md5sum | cut -d' ' -f1)
                if [ "$got" != "$want" ]; then
                    e=$((e + 1)); s "disk error: round $r: older slot $old reads $got, was $want"
                fi
            fi
        fi
        r=$((r + 1))
        put disk_rounds "$r"; put disk_errors "$e"
    done
}

net_worker() {
    p=0 l=0
    while [ ! -e "$st/stop" ]; do
        out=$(ping -c 10 -s 1000 -W 5 10.0.2.2 2>&1)
        tx=$(echo "$out" | sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p')
        rx=$(echo "$out" | sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
        if [ -z "$tx" ] || [ -z "$rx" ]; then
            s "net: ping gave no summary: $(echo "$out" | tail -n 1)"
            tx=10 rx=0
        fi
        p=$((p + tx)); l=$((l + tx - rx))
        [ "$rx" = "$tx" ] || s "net: $tx sent, $rx answered"
        put pings "$p"; put lost "$l"
    done
}

before=$(dmesg | wc -l)
t0=$(uptime_s)
s "start: ${secs}s, disk slots $slots"
cpu_worker & cpu_pid=$!
pids=$cpu_pid
if [ "$slots" -gt 0 ]; then disk_worker & pids="$pids $!"; fi
net_worker & pids="$pids $!"

# ---- progress ----------------------------------------------------------
t=0 next=10
while [ "$t" -lt "$secs" ]; do
    sleep 1
    t=$(( $(uptime_s) - t0 ))
    if [ "$t" -ge "$next" ]; then
        s "t=${t}s cpu=$(get cpu) disk-rounds=$(get disk_rounds) disk-errors=$(get disk_errors) pings=$(get pings) lost=$(get lost)"
        next=$((next + 10))
    fi
done
touch "$st/stop"
# A ping round takes up to about 15 s: give the workers 60.
for i in $(seq 60); do
    alive=0
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 1
done
[ "$alive" = 0 ] || s "workers still running after 60 s:$(for p in $pids; do kill -0 "$p" 2>/dev/null && printf ' %s' "$p"; done)"
wait
t=$(( $(uptime_s) - t0 ))
[ "$(get disk_rounds)" -gt 0 ] || [ "$slots" = 0 ] || s "no disk round finished"
n=$(dmesg | tail -n +"$((before + 1))" | grep -ciE 'BUG:|soft lockup|blocked for more than|rcu.*stall|Oops|WARNING:|xen.*(fail|error|warn)')
s "kernel problems in dmesg during the run: $n"
dmesg | tail -n +"$((before + 1))" | grep -iE 'BUG:|soft lockup|blocked for more than|rcu.*stall|Oops|WARNING:|xen.*(fail|error|warn)' |
    head -n 20 | sed 's/^/soak: dmesg: /'
s "cpu loop: $(get cpu) iterations"
s "done after ${t}s: disk rounds $(get disk_rounds) ($(get disk_errors) errors), pings $(get pings) ($(get lost) lost)"
