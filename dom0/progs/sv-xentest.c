/*
 * sv-xentest: dom0's check that Linux's Xen user-space devices work on
 * splitvisor, through Debian's own libraries (libxenevtchn, libxengnttab),
 * the way xenstored, QEMU and the backends will use them.
 *
 *  1. Event channels (/dev/xen/evtchn): bind an unbound port offered to
 *     domain 0 itself, then bind_interdomain to it from the same domain,
 *     which makes a loopback pair (a, b). Notifying a must make b pending
 *     on our handle, and notifying b must make a pending. Then count how
 *     many notify -> poll -> pending -> unmask round trips fit in 1 s.
 *  2. Grants: gntalloc (/dev/xen/gntalloc, via xengntshr) allocates a page
 *     and grants domain 0 access to it; gntdev (/dev/xen/gntdev, via
 *     xengnttab) maps that grant back. The two mappings must be the same
 *     page: a pattern written through one is read through the other, in
 *     both directions. Then unmap (gntdev) before unsharing (gntalloc), so
 *     that gntalloc can end the grant at once instead of deferring it.
 *
 * Output: one line per step, each starting "sv-xentest: ", and last either
 * "sv-xentest: PASS" (exit 0) or "sv-xentest: FAIL: <why>" (exit 1, the
 * first failure's reason). A part that fails says so ("failed: ...") and
 * stops; the other part still runs, so one boot tells about both. The
 * libraries log their own errors on stderr (their default logger).
 *
 * Nothing here may hang the boot test: every wait is a poll() with a
 * timeout, and an alarm ends the program if a call into the kernel (or the
 * hypervisor behind it) never returns. A SIGSEGV/SIGBUS while touching a
 * mapping is reported with the step it happened in.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xencall.h>
#include <xenevtchn.h>
#include <xen/version.h>
#include <xengnttab.h>

#define PFX "sv-xentest: "
#define DOM0 0u               /* our own domain id: everything is loopback */
#define PAGE 4096u
#define WAIT_MS 1000          /* how long an event may take to arrive */
#define WATCHDOG_S 30         /* the whole program, whatever blocks */

/* The step in progress, for the signal handlers (set before each step). */
static const char *volatile step = "start";

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs(PFX, stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	/* stdout may be a pipe (sv-test.sh prefixes it): flush every line so
	 * that a crash or a hang still leaves what happened before it. */
	fflush(stdout);
}

/* The first failure's reason, for the last line. A failed part is left at
 * once (its handles are not cleaned up: the process is about to end), and
 * the next part still runs, so one run tells about both. */
static char first_failure[256];

static int fail(const char *fmt, ...)
{
	char why[sizeof(first_failure)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	say("failed: %s", why);
	if (!first_failure[0])
		memcpy(first_failure, why, sizeof(why));
	return -1;
}

/* Async-signal-safe: only write(2) and _exit(2). */
static void put(const char *s)
{
	ssize_t r = write(STDOUT_FILENO, s, strlen(s));
	(void)r;
}

static void on_signal(int sig)
{
	put(PFX "FAIL: ");
	put(sig == SIGALRM ? "timed out (watchdog)" :
	    sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
	put(" during: ");
	put(step);
	put("\n");
	_exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Wait for the next pending port on xce, which must be `want`, and unmask
 * it again (the evtchn driver masks a port when it delivers it). poll()
 * first, as xenevtchn.h asks: a read on the fd may block even when it is
 * non-blocking. Returns 0, or -1 with the reason in why.
 */
static int wait_port(xenevtchn_handle *xce, evtchn_port_t want, char *why, size_t len)
{
	struct pollfd pfd = { .fd = xenevtchn_fd(xce), .events = POLLIN };
	int n = poll(&pfd, 1, WAIT_MS);

	if (n < 0) {
		snprintf(why, len, "poll: %s", strerror(errno));
		return -1;
	}
	if (n == 0) {
		snprintf(why, len, "no event within %d ms", WAIT_MS);
		return -1;
	}
	xenevtchn_port_or_error_t got = xenevtchn_pending(xce);
	if (got < 0) {
		snprintf(why, len, "xenevtchn_pending: %s", strerror(errno));
		return -1;
	}
	if (xenevtchn_unmask(xce, (evtchn_port_t)got) < 0) {
		snprintf(why, len, "xenevtchn_unmask(%d): %s", got, strerror(errno));
		return -1;
	}
	if ((evtchn_port_t)got != want) {
		snprintf(why, len, "port %d became pending instead", got);
		return -1;
	}
	return 0;
}

static int test_evtchn(void)
{
	char why[128];

	step = "xenevtchn_open";
	xenevtchn_handle *xce = xenevtchn_open(NULL, 0);
	if (!xce)
		return fail("xenevtchn_open: %s", strerror(errno));
	say("xenevtchn_open: ok (fd %d)", xenevtchn_fd(xce));

	/* a: a port waiting for domain 0 (us) to connect to it. */
	step = "xenevtchn_bind_unbound_port";
	xenevtchn_port_or_error_t a = xenevtchn_bind_unbound_port(xce, DOM0);
	if (a < 0)
		return fail("xenevtchn_bind_unbound_port(dom0): %s", strerror(errno));
	say("evtchn: unbound port %d for dom0", a);

	/* b: our end of the loopback, connected to a in our own domain. */
	step = "xenevtchn_bind_interdomain";
	xenevtchn_port_or_error_t b = xenevtchn_bind_interdomain(xce, DOM0, (evtchn_port_t)a);
	if (b < 0)
		return fail("xenevtchn_bind_interdomain(dom0, %d): %s", a, strerror(errno));
	say("evtchn: loopback pair %d <-> %d", a, b);

	/* Xen marks the port that bind_interdomain made pending at once
	 * (notifications sent to the unbound port before it was connected
	 * would otherwise be lost: common/event_channel.c), so b may already
	 * have an event. Take whatever is there before counting ours; any
	 * other port would be a stray event making the checks below pass for
	 * the wrong reason. */
	step = "evtchn drain";
	for (;;) {
		struct pollfd pfd = { .fd = xenevtchn_fd(xce), .events = POLLIN };
		int n = poll(&pfd, 1, 100);

		if (n < 0)
			return fail("poll on the evtchn fd: %s", strerror(errno));
		if (n == 0)
			break;
		xenevtchn_port_or_error_t p = xenevtchn_pending(xce);
		if (p < 0)
			return fail("xenevtchn_pending: %s", strerror(errno));
		if (xenevtchn_unmask(xce, (evtchn_port_t)p) < 0)
			return fail("xenevtchn_unmask(%d): %s", p, strerror(errno));
		if (p != b)
			return fail("port %d pending before any notify", p);
		say("evtchn: port %d pending after the bind (as on Xen), taken", p);
	}

	step = "evtchn notify a -> b";
	if (xenevtchn_notify(xce, (evtchn_port_t)a) < 0)
		return fail("xenevtchn_notify(%d): %s", a, strerror(errno));
	if (wait_port(xce, (evtchn_port_t)b, why, sizeof(why)) < 0)
		return fail("notify %d, expecting %d pending: %s", a, b, why);
	say("evtchn: notify %d -> pending %d: ok", a, b);

	step = "evtchn notify b -> a";
	if (xenevtchn_notify(xce, (evtchn_port_t)b) < 0)
		return fail("xenevtchn_notify(%d): %s", b, strerror(errno));
	if (wait_port(xce, (evtchn_port_t)a, why, sizeof(why)) < 0)
		return fail("notify %d, expecting %d pending: %s", b, a, why);
	say("evtchn: notify %d -> pending %d: ok", b, a);

	/* Throughput: each round trip is one EVTCHNOP_send, the upcall, the
	 * driver's read and one unmask (an ioctl, and a hypercall only if
	 * the port was pending again meanwhile). */
	step = "evtchn loopback timing";
	unsigned long count = 0;
	double t0 = now(), t;
	do {
		if (xenevtchn_notify(xce, (evtchn_port_t)a) < 0)
			return fail("xenevtchn_notify(%d) after %lu round trips: %s",
				    a, count, strerror(errno));
		if (wait_port(xce, (evtchn_port_t)b, why, sizeof(why)) < 0)
			return fail("round trip %lu: %s", count + 1, why);
		count++;
		t = now();
	} while (t - t0 < 1.0);
	say("evtchn loopback: %lu notifications in %.2f s", count, t - t0);

	step = "xenevtchn_unbind";
	if (xenevtchn_unbind(xce, (evtchn_port_t)b) < 0)
		return fail("xenevtchn_unbind(%d): %s", b, strerror(errno));
	if (xenevtchn_unbind(xce, (evtchn_port_t)a) < 0)
		return fail("xenevtchn_unbind(%d): %s", a, strerror(errno));
	if (xenevtchn_close(xce) < 0)
		return fail("xenevtchn_close: %s", strerror(errno));
	say("evtchn: unbound and closed");
	return 0;
}

/* Byte i of pattern `seed`: differs from byte to byte and from seed to
 * seed, and is never the zero a fresh or unmapped page reads as. */
static unsigned char pat(unsigned seed, size_t i)
{
	return (unsigned char)(((i * 131u) ^ (seed * 0x5bu) ^ (i >> 8)) | 1u);
}

/* Write pattern `seed` through `to`, read it back through `from`.
 * volatile: the two pointers alias one page, and every byte must really
 * go through each mapping. Returns the first bad offset, or -1. */
static long copy_check(volatile unsigned char *to, volatile unsigned char *from, unsigned seed)
{
	for (size_t i = 0; i < PAGE; i++)
		to[i] = pat(seed, i);
	for (size_t i = 0; i < PAGE; i++)
		if (from[i] != pat(seed, i))
			return (long)i;
	return -1;
}

static int test_grants(void)
{
	uint32_t ref;
	long bad;

	step = "xengntshr_open";
	xengntshr_handle *xgs = xengntshr_open(NULL, 0);
	if (!xgs)
		return fail("xengntshr_open (/dev/xen/gntalloc): %s", strerror(errno));
	say("xengntshr_open: ok");

	/* gntalloc: a new page, granted writable to domain 0 (us). */
	step = "xengntshr_share_pages";
	unsigned char *shared = xengntshr_share_pages(xgs, DOM0, 1, &ref, 1);
	if (!shared)
		return fail("xengntshr_share_pages(dom0, 1 page, writable): %s", strerror(errno));
	say("gntalloc: shared 1 page with dom0, grant ref %u", (unsigned)ref);

	step = "xengnttab_open";
	xengnttab_handle *xgt = xengnttab_open(NULL, 0);
	if (!xgt)
		return fail("xengnttab_open (/dev/xen/gntdev): %s", strerror(errno));
	say("xengnttab_open: ok");

	/* gntdev: map domain 0's grant `ref` back (GNTTABOP_map_grant_ref). */
	step = "xengnttab_map_grant_ref";
	unsigned char *mapped = xengnttab_map_grant_ref(xgt, DOM0, ref, PROT_READ | PROT_WRITE);
	if (!mapped)
		return fail("xengnttab_map_grant_ref(dom0, ref %u): %s", (unsigned)ref, strerror(errno));
	say("gntdev: mapped dom0's grant ref %u", (unsigned)ref);

	step = "write via gntalloc, read via gntdev";
	bad = copy_check(shared, mapped, 1);
	if (bad >= 0)
		return fail("wrote through gntalloc, gntdev reads 0x%02x at offset %ld, expected 0x%02x",
			    mapped[bad], bad, pat(1, (size_t)bad));
	say("grant: gntalloc -> gntdev: %u bytes ok", PAGE);

	step = "write via gntdev, read via gntalloc";
	bad = copy_check(mapped, shared, 2);
	if (bad >= 0)
		return fail("wrote through gntdev, gntalloc reads 0x%02x at offset %ld, expected 0x%02x",
			    shared[bad], bad, pat(2, (size_t)bad));
	say("grant: gntdev -> gntalloc: %u bytes ok", PAGE);

	/* Unmap first: gntalloc can only end a grant nobody maps. */
	step = "xengnttab_unmap";
	if (xengnttab_unmap(xgt, mapped, 1) < 0)
		return fail("xengnttab_unmap: %s", strerror(errno));
	say("gntdev: unmapped");

	step = "xengntshr_unshare";
	if (xengntshr_unshare(xgs, shared, 1) < 0)
		return fail("xengntshr_unshare: %s", strerror(errno));
	say("gntalloc: unshared");

	step = "close";
	if (xengnttab_close(xgt) < 0)
		return fail("xengnttab_close: %s", strerror(errno));
	if (xengntshr_close(xgs) < 0)
		return fail("xengntshr_close: %s", strerror(errno));
	say("grant: handles closed");
	return 0;
}

/*
 * A hypercall from user space through privcmd (libxencall), the way the
 * toolstack will make them: xen_version(XENVER_extraversion) into a
 * buffer in this process's memory.  The hypervisor reads the arguments
 * through dom0's current page tables, user pages and all.
 */
static int test_privcmd(void)
{
	xencall_handle *xc;
	char *buf;
	long v;

	step = "privcmd";
	xc = xencall_open(NULL, 0);
	if (!xc)
		return fail("xencall_open: %s", strerror(errno));
	v = xencall2(xc, __HYPERVISOR_xen_version, XENVER_version, 0);
	buf = xencall_alloc_buffer(xc, sizeof(xen_extraversion_t));
	if (!buf) {
		xencall_close(xc);
		return fail("xencall_alloc_buffer: %s", strerror(errno));
	}
	memset(buf, 0x55, sizeof(xen_extraversion_t));
	int rc = xencall2(xc, __HYPERVISOR_xen_version, XENVER_extraversion, (uint64_t)(uintptr_t)buf);
	if (v < 0 || rc < 0) {
		xencall_free_buffer(xc, buf);
		xencall_close(xc);
		return fail("xen_version through privcmd: %ld, %d (%s)", v, rc, strerror(errno));
	}
	buf[sizeof(xen_extraversion_t) - 1] = '\0';
	say("privcmd: xen_version %ld.%ld%s from user space", v >> 16, v & 0xffff, buf);
	bool ok = !strcmp(buf, "-splitvisor");
	xencall_free_buffer(xc, buf);
	xencall_close(xc);
	return ok ? 0 : fail("extraversion '%s' through privcmd", buf);
}

int main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) < 0 || sigaction(SIGSEGV, &sa, NULL) < 0 ||
	    sigaction(SIGBUS, &sa, NULL) < 0) {
		say("FAIL: sigaction: %s", strerror(errno));
		return 1;
	}
	alarm(WATCHDOG_S);

	/* Both parts run, whatever the first one says. */
	int bad = test_evtchn() < 0;
	bad |= test_grants() < 0;
	bad |= test_privcmd() < 0;

	if (bad || first_failure[0]) {
		say("FAIL: %s", first_failure);
		return 1;
	}
	say("PASS");
	return 0;
}
