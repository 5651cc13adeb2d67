#!/usr/bin/env bash
# xenstore_utils.sh ours|debian
#
# Peer test: Debian's xenstore-utils (real clients on Debian's libxenstore)
# against a xenstored over its Unix socket.  The same checks run against
# Debian's own C xenstored (the reference) and against ours; nothing is
# special-cased for ours.  Where Xen's docs/misc/xenstore.txt leaves the
# daemon a choice (order of DIRECTORY children, spurious watch events), the
# checks accept either behaviour.
#
# Every client call is bounded by `timeout`, every wait has a deadline, and
# the daemon and any watcher are killed on exit.  Prints "ok - ..." /
# "not ok - ..." per check, then "N passed, N failed"; exits 1 on a failure.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KIND=${1:-}
case "$KIND" in ours|debian) ;; *) echo "usage: $0 ours|debian" >&2; exit 2 ;; esac

# The clients: install xenstore-utils from Debian if missing.
if ! command -v xenstore-read >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq xenstore-utils >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq xenstore-utils >/dev/null; } \
        || { echo "cannot install xenstore-utils" >&2; exit 1; }
fi

# Short /tmp path: a Unix socket path must fit in 108 bytes.
TMP=$(mktemp -d /tmp/xs-peer.XXXXXX)
DAEMON_PID=""
WATCH_PID=""
cleanup() {
    [ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null
    if [ -n "$DAEMON_PID" ]; then
        kill "$DAEMON_PID" 2>/dev/null
        # Bounded: 2 s for a clean exit, then SIGKILL.
        for _ in $(seq 20); do kill -0 "$DAEMON_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$DAEMON_PID" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DAEMON_PID=$("$HERE/start-xenstored.sh" "$KIND" "$TMP/socket") \
    || { echo "not ok - start $KIND xenstored"; echo "0 passed, 1 failed"; exit 1; }
export XENSTORED_PATH="$TMP/socket"
echo "# $KIND xenstored, pid $DAEMON_PID, XENSTORED_PATH=$XENSTORED_PATH"

PASSED=0 FAILED=0
pass() { echo "ok - $1"; PASSED=$((PASSED + 1)); }
fail() {
    echo "not ok - $1"; shift
    local line
    # Details shortened: a 1000-key listing would flood the log.
    for line in "$@"; do printf '#   %s\n' "$(printf '%s' "$line" | tr '\n' '|' | cut -c1-300)"; done
    FAILED=$((FAILED + 1))
}

# The checks get 45 s in all: against a daemon that hangs, each call would
# wait its full 5 s, so once the budget is spent the rest fail at once and
# the whole test stays under 60 s.
DEADLINE=$((SECONDS + 45))
out_of_time() { [ "$SECONDS" -ge "$DEADLINE" ]; }

# run CMD...: one client call, at most 5 s; sets OUT, ERR (trailing newlines
# stripped) and RC.
run() {
    if out_of_time; then
        OUT="" RC=124 ERR="not run: the test's 45 s budget is spent"
        return
    fi
    OUT=$(timeout 5 "$@" 2>"$TMP/stderr")
    RC=$?
    ERR=$(cat "$TMP/stderr")
}

# setup CMD...: a client call that prepares a check; bounded like run(),
# its result is judged by the check that follows.
setup() { out_of_time || timeout 5 "$@" >/dev/null 2>&1; }

# expect NAME RC OUT [ERR]: check the last run(); ERR defaults to empty, so
# "exit 1" from a client that could not even connect is not taken for a
# missing key.
expect() {
    local name=$1 rc=$2 out=$3 err=${4:-}
    if [ "$RC" = "$rc" ] && [ "$OUT" = "$out" ] && [ "$ERR" = "$err" ]; then
        pass "$name"
    else
        fail "$name" "expected rc=$rc out=[$out] err=[$err]" \
            "got      rc=$RC out=[$OUT] err=[$ERR]"
    fi
}

sorted() { printf '%s\n' "$1" | LC_ALL=C sort; }

# ---- write / read ----
run xenstore-write /peer/a hello
expect "write a value (exit 0, no output)" 0 ""
run xenstore-read /peer/a
expect "read it back" 0 "hello"

run xenstore-write /peer/spaces "hello big  world"
run xenstore-read /peer/spaces
expect "value with spaces round-trips" 0 "hello big  world"

run xenstore-write /peer/a again
run xenstore-read /peer/a
expect "overwrite replaces the value" 0 "again"

run xenstore-write /peer/empty ""
run xenstore-read /peer/empty
expect "empty value round-trips" 0 ""

long=$(head -c 3000 /dev/zero | tr '\0' 'x')
run xenstore-write /peer/long "$long"
run xenstore-read /peer/long
expect "3000-byte value round-trips" 0 "$long"

# xenstore-write unescapes \x01 to one byte; read -R prints it raw.
run xenstore-write /peer/bin 'a\x01b'
run bash -c 'set -o pipefail; xenstore-read -R /peer/bin | od -An -tx1'
OUT=$(printf '%s' "$OUT" | tr -s ' ')
expect "binary byte round-trips (write escape, read -R)" 0 " 61 01 62"

run xenstore-read -p /peer/a /peer/spaces
expect "read -p of two keys" 0 "/peer/a: again
/peer/spaces: hello big  world"

# ---- mkdir: there is no xenstore-mkdir tool; WRITE creates missing parents
# with empty values (xenstore.txt), i.e. mkdir -p ----
run xenstore-write /peer/d1/d2/leaf x
run xenstore-read -p /peer/d1 /peer/d1/d2
expect "write creates missing parents with empty values (mkdir -p)" 0 \
    "/peer/d1: "$'\n'"/peer/d1/d2: "

# ---- list ----
setup xenstore-write /peer/dir/one 1 /peer/dir/two 2 /peer/dir/three 3
run xenstore-list /peer/dir
OUT=$(sorted "$OUT")
expect "list gives the leaf names (any order)" 0 "one
three
two"
run xenstore-list -p /peer/dir
OUT=$(sorted "$OUT")
expect "list -p gives full paths" 0 "/peer/dir/one
/peer/dir/three
/peer/dir/two"
run xenstore-list /peer/a
expect "list of a leaf is empty" 0 ""

# ---- ls ----
setup xenstore-write /peer/lsf/a 1 /peer/lsf/b/c "x y"
run xenstore-ls -f /peer/lsf
OUT=$(sorted "$OUT")
expect "ls -f prints full paths and quoted values" 0 '/peer/lsf/a = "1"
/peer/lsf/b = ""
/peer/lsf/b/c = "x y"'
run xenstore-ls /peer/lsf/b
expect "ls prints a tree with values" 0 'c = "x y"'
run xenstore-ls /peer/lsf
if [ "$RC" = 0 ] && printf '%s\n' "$OUT" | grep -qx 'a = "1"' \
    && printf '%s\n' "$OUT" | grep -A1 -x 'b = ""' | grep -qx ' c = "x y"'; then
    pass "ls indents children under their parent"
else
    fail "ls indents children under their parent" "rc=$RC out=[$OUT]"
fi

# ---- exists ----
run xenstore-exists /peer/a
expect "exists: present key -> exit 0" 0 ""
run xenstore-exists /peer/missing
expect "exists: missing key -> exit 1" 1 ""
run xenstore-exists /peer/a /peer/missing
expect "exists: any missing of several -> exit 1" 1 ""

# ---- rm ----
setup xenstore-write /peer/rm/x 1 /peer/rm/y 2
run xenstore-rm /peer/rm/x
expect "rm a key" 0 ""
run xenstore-list /peer/rm
expect "rm removed only that key" 0 "y"
run xenstore-rm /peer/rm/never
expect "rm of a missing key whose parent exists is not an error" 0 ""
run xenstore-rm /peer/nodir/x
expect "rm when the parent is missing too fails" 1 "" \
    "xenstore-rm: could not remove path /peer/nodir/x"
setup xenstore-write /peer/tree/a/b 1 /peer/tree/c 2
run xenstore-rm /peer/tree
run xenstore-exists /peer/tree/a/b
expect "rm removes the whole subtree" 1 ""

# rm -t: also removes parents left empty (no value, no children).
setup xenstore-write /peer/tidy/keep 1 /peer/tidy/a/b/c v
run xenstore-rm -t /peer/tidy/a/b/c
expect "rm -t" 0 ""
run xenstore-list /peer/tidy
expect "rm -t removed the empty parents, stopped at a non-empty one" 0 "keep"

# ---- permissions ----
setup xenstore-write /peer/perm/x 1 /peer/perm/y 2
run xenstore-chmod /peer/perm/x n0 r5 w7 b9
expect "chmod sets a permission list" 0 ""
run xenstore-ls -p /peer/perm
if [ "$RC" = 0 ] && printf '%s\n' "$OUT" | grep -Eq '^x = "1" [ .]*\(n0,r5,w7,b9\)$' \
    && printf '%s\n' "$OUT" | grep -Eq '^y = "2" [ .]*\(n0\)$'; then
    pass "ls -p lists each node's permissions"
else
    fail "ls -p lists each node's permissions" "rc=$RC out=[$OUT]"
fi
run xenstore-chmod -r /peer/perm b3
run xenstore-ls -p /peer/perm
if [ "$RC" = 0 ] && [ "$(printf '%s\n' "$OUT" | grep -Ec '[ .]\(b3\)$')" = 2 ]; then
    pass "chmod -r applies to the children too"
else
    fail "chmod -r applies to the children too" "rc=$RC out=[$OUT]"
fi
setup xenstore-chmod /peer/perm n0 r5
setup xenstore-write /peer/perm/new 1
run xenstore-ls -p /peer/perm
if printf '%s\n' "$OUT" | grep -Eq '^new = "1" [ .]*\(n0,r5\)$'; then
    pass "a new node inherits its parent's permissions"
else
    fail "a new node inherits its parent's permissions" "rc=$RC out=[$OUT]"
fi

# ---- watches ----
# watch_then NAME WPATH EXPECT2 ACTION...: watch WPATH; wait (bounded) for
# the initial event, which also proves the watch is set; run ACTION; the
# first event must be WPATH and a later one EXPECT2.  xenstore.txt allows
# spurious events, so the watcher runs with -n 3 rather than -n 2 (an extra
# event does not end it early) and is stopped once EXPECT2 is seen.
watch_then() {
    local name=$1 wpath=$2 expect2=$3; shift 3
    if out_of_time; then fail "$name" "not run: the test's 45 s budget is spent"; return; fi
    : > "$TMP/watch"
    timeout 5 xenstore-watch -n 3 "$wpath" >"$TMP/watch" 2>&1 &
    WATCH_PID=$!
    local i
    for i in $(seq 50); do [ -s "$TMP/watch" ] && break; sleep 0.1; done
    "$@" >/dev/null 2>&1
    # The watcher wants 3 events; we expect 2, so stop it after a while.
    for i in $(seq 20); do
        grep -qxF "$expect2" <(tail -n +2 "$TMP/watch") && break
        sleep 0.1
    done
    kill "$WATCH_PID" 2>/dev/null; wait "$WATCH_PID" 2>/dev/null; WATCH_PID=""
    local first
    first=$(head -1 "$TMP/watch")
    if [ "$first" = "$wpath" ] && grep -qxF "$expect2" <(tail -n +2 "$TMP/watch"); then
        pass "$name"
    else
        fail "$name" "expected events: [$wpath] then [$expect2]" \
            "got: [$(tr '\n' '|' < "$TMP/watch")]"
    fi
}
setup xenstore-write /peer/w/init 1
watch_then "watch: initial event, then a write below it" /peer/w /peer/w/x \
    timeout 5 xenstore-write /peer/w/x 1
watch_then "watch: fires on a permission change" /peer/w /peer/w/x \
    timeout 5 xenstore-chmod /peer/w/x b1
watch_then "watch: fires on removal" /peer/w /peer/w/x \
    timeout 5 xenstore-rm /peer/w/x
watch_then "watch: fires on a deeper creation" /peer/w /peer/w/deep/er \
    timeout 5 xenstore-write /peer/w/deep/er 1
# Special watches get the initial event too.
run xenstore-watch -n 1 @introduceDomain
expect "special watch @introduceDomain: initial event" 0 "@introduceDomain"

# ---- transactions: each tool call is one transaction (start ... end) ----
run xenstore-write /peer/tx/a 1 /peer/tx/b 2
run xenstore-read /peer/tx/a /peer/tx/b
expect "several writes in one call commit together" 0 "1
2"
# A failing step aborts the transaction: the first write must not land.
run xenstore-write /peer/tx2/a 1 /peer/tx2//bad 2
expect "a failed write in a call exits 1" 1 "" \
    "xenstore-write: could not write path /peer/tx2//bad"
run xenstore-exists /peer/tx2/a
expect "...and its transaction is aborted: earlier write discarded" 1 ""

# ---- errors ----
run xenstore-read /peer/missing
expect "read of a missing key: exit 1 and the message" 1 "" \
    "xenstore-read: couldn't read path /peer/missing"
run xenstore-list /peer/missing
expect "list of a missing key: exit 1" 1 "" \
    "xenstore-list: could not list path /peer/missing"
run xenstore-write /peer/bad/ 1
expect "write with a trailing slash is refused" 1 "" \
    "xenstore-write: could not write path /peer/bad/"
run xenstore-write '/peer/bad%char' 1
expect "write with a forbidden character is refused" 1 "" \
    "xenstore-write: could not write path /peer/bad%char"
longpath=/peer/$(head -c 3100 /dev/zero | tr '\0' 'p')
run xenstore-write "$longpath" 1
expect "write of a path over 3072 bytes is refused" 1 "" \
    "xenstore-write: could not write path $longpath"

# ---- many keys ----
# 1000 keys in one call (one transaction); their names total 8000 bytes, over
# the 4096-byte payload limit, so listing them needs DIRECTORY_PART.
N=1000
args=() names="" values=""
for i in $(seq -w 0 $((N - 1))); do
    args+=("/peer/many/key-$i" "value $i")
    names+="key-$i"$'\n'
    values+="value $i"$'\n'
done
names=${names%$'\n'} values=${values%$'\n'}
run xenstore-write "${args[@]}"
expect "write $N keys in one transaction" 0 ""
run xenstore-list /peer/many
OUT=$(sorted "$OUT")
expect "list all $N keys (over the payload limit)" 0 "$names"
keys=()
for i in $(seq -w 0 $((N - 1))); do keys+=("/peer/many/key-$i"); done
run xenstore-read "${keys[@]}"
expect "read all $N values back" 0 "$values"
run xenstore-ls -f /peer/many
if [ "$RC" = 0 ] && [ "$(printf '%s\n' "$OUT" | grep -c '^/peer/many/key-[0-9]* = "value [0-9]*"$')" = $N ]; then
    pass "ls -f shows all $N keys"
else
    fail "ls -f shows all $N keys" "rc=$RC lines=$(printf '%s\n' "$OUT" | wc -l)"
fi
run xenstore-rm /peer/many
run xenstore-exists /peer/many
expect "rm of their parent removes all $N" 1 ""

# The daemon must have survived all of it.
if kill -0 "$DAEMON_PID" 2>/dev/null; then
    pass "daemon still running"
else
    fail "daemon still running" "$(tail -20 "$TMP/socket.log" 2>/dev/null)"
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
