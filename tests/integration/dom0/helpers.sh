# Shell helpers for the scripts the integration and peer tests run in dom0
# (lib.sh's dom0_initramfs and tests/peers/xen_split.sh put this file in
# front of the script).  Every line a script prints starts "$TAG: ", which
# the script sets first.
TAG=${TAG:-sv-test}
t() { echo "$TAG: $*"; }
run() {  # run CMD...: its output, each line prefixed, then its status
    timeout "${RUN_TIMEOUT:-120}" "$@" > /tmp/out 2>&1
    rc=$?
    sed "s|^|$TAG: [$1 $2] |" /tmp/out
    t "status of '$*': $rc"
    return $rc
}
state_of() { xl list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'; }
wait_state() {  # wait_state DOMAIN LETTER SECONDS: until xl list shows that letter
    for i in $(seq $(($3 * 10))); do
        case $(state_of "$1") in *"$2"*) return 0 ;; esac
        sleep 0.1
    done
    return 1
}
gone() {  # gone DOMAIN SECONDS: until xl list no longer knows it
    for i in $(seq $(($2 * 10))); do
        xl list "$1" >/dev/null 2>&1 || return 0
        sleep 0.1
    done
    return 1
}
free_pages() { xl info | awk '/^free_pages/ { print $3 }'; }
# Guests' consoles, as xenconsoled logs them (both our xenconsoled and
# Xen's write /var/log/splitvisor/guest-NAME.log here).
show_log() { tr -d '\r' < "/var/log/splitvisor/guest-$1.log" | sed "s/^/$TAG: $1 log: /"; }
logline() { grep -q "$2" "/var/log/splitvisor/guest-$1.log" 2>/dev/null; }
wait_line() {  # wait_line DOMAIN REGEX SECONDS: until its console log has the line
    for i in $(seq $(($3 * 10))); do logline "$1" "$2" && return 0; sleep 0.1; done
    t "$1: no '$2' within $3 s"; return 1
}
