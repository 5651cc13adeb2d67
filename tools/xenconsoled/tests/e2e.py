#!/usr/bin/env python3
"""End-to-end run of the real xenconsoled on a host without Xen.

Our xenstored (--no-domains) holds the tree; fake_xen.so (LD_PRELOAD)
stands in for the event-channel, grant and foreign-memory libraries: a
domain's console page is the file ring-N, mmap'd by both sides, and a kick
is a port number written to the FIFO 'kick'.  This script plays the
toolstack (xenstore keys) and the guests (ring indexes), and checks the
ptys, the logs and the teardown.

usage: e2e.py XENSTORED XENCONSOLED FAKE_XEN_SO
"""
import mmap, os, select, signal, struct, subprocess, sys, tempfile, termios, time, tty

OUT, IN_CONS, IN_PROD, OUT_CONS, OUT_PROD = 1024, 3072, 3076, 3080, 3084
xenstored, xenconsoled, fake_so = sys.argv[1:4]
tmp = tempfile.mkdtemp(prefix="xcd-e2e-")
env = dict(os.environ, XENSTORED_PATH=f"{tmp}/socket", FAKE_XEN_DIR=tmp)
failures = 0


def check(cond, what):
    global failures
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures += 1


def wait_for(fn, timeout=5.0):
    end = time.time() + timeout
    while time.time() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.02)
    return fn()


def xs(*args):
    r = subprocess.run(list(args), env=env, capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


def xs_write(path, value):
    assert xs("xenstore-write", path, value) is not None, path


class Guest:
    def __init__(self, domid, name=None, port=7, gfn=0x1234, grant=True):
        self.domid = domid
        path = f"{tmp}/ring-{domid}"
        with open(path, "wb") as f:
            f.write(b"\0" * 4096)
        if not grant:
            open(f"{tmp}/nogrant-{domid}", "w").close()
        self.fd = os.open(path, os.O_RDWR)
        self.m = mmap.mmap(self.fd, 4096)
        base = f"/local/domain/{domid}"
        if name is not None:
            xs_write(f"{base}/name", name)
        xs_write(f"{base}/console/ring-ref", str(gfn))
        xs_write(f"{base}/console/port", str(port))
        xs_write(f"{base}/console/type", "xenconsoled")
        xs_write(f"{base}/console/output", "pty")

    def u32(self, off, val=None):
        if val is None:
            return struct.unpack_from("<I", self.m, off)[0]
        struct.pack_into("<I", self.m, off, val & 0xFFFFFFFF)

    def write(self, data):
        prod = self.u32(OUT_PROD)
        for b in data:
            self.m[OUT + (prod & 2047)] = b
            prod += 1
        self.u32(OUT_PROD, prod)
        kick(self.domid)

    def write_all(self, data):
        """Like a guest: wait for space, never more than 2048 in flight."""
        while data:
            wait_for(lambda: self.u32(OUT_PROD) - self.u32(OUT_CONS) == 0, 5)
            self.write(data[:2048])
            data = data[2048:]

    def read_in(self):
        cons, prod = self.u32(IN_CONS), self.u32(IN_PROD)
        data = bytes(self.m[(i & 1023)] for i in range(cons, prod))
        self.u32(IN_CONS, prod)
        return data

    def tty(self):
        return xs("xenstore-read", f"/local/domain/{self.domid}/console/tty")


def kick(port):
    os.write(kick_fd, struct.pack("<I", port))


def read_file(name):
    try:
        with open(name, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return b""


def open_tty(path):
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    return fd


def read_avail(fd, want, timeout=3.0):
    got = b""
    end = time.time() + timeout
    while want not in got and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            got += os.read(fd, 65536)
    return got


def start_consoled(*extra):
    errlog = open(f"{tmp}/xenconsoled.err", "ab")
    p = subprocess.Popen([xenconsoled, "-F", "-v", "--log-dir", f"{tmp}/logs", *extra],
                         env=dict(env, LD_PRELOAD=fake_so), stderr=errlog)
    return p


def stderr_text():
    return read_file(f"{tmp}/xenconsoled.err").decode(errors="replace")


os.mkfifo(f"{tmp}/kick")
kick_fd = os.open(f"{tmp}/kick", os.O_RDWR)
xsd = subprocess.Popen([xenstored, "--socket", f"{tmp}/socket", "--no-domains"],
                       env=env, stderr=open(f"{tmp}/xenstored.err", "wb"))
wait_for(lambda: os.path.exists(f"{tmp}/socket"))

try:
    # 1. A domain that exists before we start, with boot output waiting.
    g5 = Guest(5, name="web/1 x")
    g5.write(b"early boot\n")
    cd = start_consoled()
    tty5 = wait_for(g5.tty)
    check(tty5 is not None and tty5.startswith("/dev/pts/"), f"dom5 console/tty written ({tty5})")
    log5 = f"{tmp}/logs/guest-web_1_x.log"
    check(wait_for(lambda: b"early boot\n" in read_file(log5)), "output queued before start is logged (sanitized name)")
    check("binds" and b"bind 5 7" in read_file(f"{tmp}/binds"), "event channel bound to (5, port 7)")
    check(b"grant 5 0" in read_file(f"{tmp}/maps"), "ring mapped through grant 0 first")

    # 2. The pty carries the output, raw.
    t5 = open_tty(tty5)
    check(b"early boot\n" in read_avail(t5, b"early boot\n"), "pty shows the early output")
    g5.write(b"hello\n")
    check(b"hello\n" in read_avail(t5, b"hello\n"), "pty shows new output")
    check(wait_for(lambda: read_file(log5).endswith(b"hello\n")), "log has new output")
    check(g5.u32(OUT_CONS) == g5.u32(OUT_PROD), "out_cons caught up with out_prod")

    # 3. Input: pty -> in[], guest kicked.
    os.write(t5, b"ls\r")
    check(wait_for(lambda: g5.u32(IN_PROD) == 3), "input reaches in[] (in_prod 3)")
    check(g5.read_in() == b"ls\r", "input bytes intact")
    check(b"5\n" in read_file(f"{tmp}/notify"), "guest notified")

    # 4. Input with in[] nearly full: only the free space is filled, the rest waits.
    g5.u32(IN_CONS, 1000); g5.u32(IN_PROD, 1000 + 1020)       # 4 bytes free
    os.write(t5, b"0123456789")
    check(wait_for(lambda: g5.u32(IN_PROD) == 2024), "only the 4 free bytes are put")
    time.sleep(0.2)
    check(g5.u32(IN_PROD) == 2024, "nothing overruns the ring")
    g5.u32(IN_CONS, 2024); kick(5)                              # guest drained it
    check(wait_for(lambda: g5.u32(IN_PROD) == 2030), "the rest follows after the guest's kick")
    got = bytes(g5.m[i & 1023] for i in range(2020, 2030))
    check(got == b"0123456789", f"input order kept across the wait ({got!r})")

    # 5. A hostile producer index: resync, warned once, daemon lives.
    for _ in range(2):
        g5.u32(OUT_PROD, g5.u32(OUT_CONS) + 5000)
        kick(5)
        check(wait_for(lambda: g5.u32(OUT_CONS) == g5.u32(OUT_PROD)), "prod far ahead: out_cons resynced")
    check(stderr_text().count("more than 2048 bytes ahead") == 1, "warned exactly once")
    g5.write(b"after resync\n")
    check(wait_for(lambda: read_file(log5).endswith(b"after resync\n")), "output flows after resync")

    # 6. A flood with nobody reading the pty: the log gets every byte.
    os.close(t5)
    flood = bytes((i * 7 + 13) % 251 for i in range(200 * 1024))
    before = len(read_file(log5))
    g5.write_all(flood)
    check(wait_for(lambda: len(read_file(log5)) == before + len(flood)), "flood: log has all 200 KiB")
    check(read_file(log5)[before:] == flood, "flood: log bytes intact")

    # 7. A second domain, grant refused -> foreign map of the gfn; no name -> guest-6.log.
    g6 = Guest(6, name=None, port=9, gfn=0xfeed, grant=False)
    xs_write("/local/domain/5/console/limit", "1048576")      # any watch fire rescans
    tty6 = wait_for(g6.tty)
    check(tty6 is not None and tty6 != tty5, f"dom6 found on a rescan ({tty6})")
    check(b"foreign 6 65261" in read_file(f"{tmp}/maps"), "dom6 mapped through foreign gfn 0xfeed")
    g6.write(b"six\n")
    check(wait_for(lambda: read_file(f"{tmp}/logs/guest-6.log") == b"six\n"), "guest-6.log fallback name")

    # 8. Teardown when the directory goes.
    xs("xenstore-rm", "/local/domain/6")
    check(wait_for(lambda: b"unbind 6" in read_file(f"{tmp}/binds")), "dom6 unbound after rm")
    check(b"unmap-foreign" in read_file(f"{tmp}/maps"), "dom6 ring unmapped")
    check(wait_for(lambda: "domain 6: gone" in stderr_text()), "dom6 reported gone")

    # 9. Restart: SIGTERM, output while down, start again: nothing lost.
    cd.send_signal(signal.SIGTERM)
    check(cd.wait(5) == 0, "SIGTERM: clean exit 0")
    g5.write(b"while down\n")
    cd = start_consoled()
    check(wait_for(lambda: read_file(log5).endswith(b"while down\n")), "restart: output written while down is logged")
    tty5b = wait_for(lambda: g5.tty() if g5.tty() != tty5 or os.path.exists(tty5) else None)
    check(tty5b is not None and os.path.exists(tty5b), f"restart: fresh tty path ({tty5b})")
    t5 = open_tty(tty5b)
    g5.write(b"again\n")
    check(b"again\n" in read_avail(t5, b"again\n"), "restart: new pty works")
    os.close(t5)

    # 10. A second daemon refuses to start (pidfile lock).
    pid = f"{tmp}/xc.pid"
    d1 = subprocess.run([xenconsoled, "--pidfile", pid, "--log-dir", f"{tmp}/logs2"],
                        env=dict(env, LD_PRELOAD=fake_so), capture_output=True, text=True)
    check(d1.returncode == 0 and os.path.exists(pid), "daemon mode: parent exits 0 when ready, pidfile written")
    d2 = subprocess.run([xenconsoled, "--pidfile", pid], env=dict(env, LD_PRELOAD=fake_so),
                        capture_output=True, text=True)
    check(d2.returncode == 1 and "another xenconsoled is running" in d2.stderr,
          f"second daemon refused: {d2.stderr.strip()}")
    dpid = int(read_file(pid))
    os.kill(dpid, signal.SIGTERM)
    check(wait_for(lambda: not os.path.exists(pid)), "daemon removes its pidfile on SIGTERM")

    # 11. Teardown of the last domain.
    xs("xenstore-rm", "/local/domain/5")
    check(wait_for(lambda: "domain 5: gone" in stderr_text()), "dom5 torn down after rm")
    cd.send_signal(signal.SIGTERM)
    check(cd.wait(5) == 0, "clean exit")
finally:
    for p in ("cd",):
        if p in globals() and globals()[p].poll() is None:
            globals()[p].kill()
    xsd.terminate()
    xsd.wait()

if failures:
    print(f"--- xenconsoled stderr ({tmp}) ---\n" + stderr_text()[-3000:])
print(f"e2e: {failures} failure(s)")
sys.exit(1 if failures else 0)
