/*
 * fake_xen_shim.c - LD_PRELOAD shim that lets Debian's C xenstored (Xen
 * 4.17) run as a plain Unix-socket server on a host without Xen.
 *
 * Without -D, xenstored opens the hypervisor interfaces (libxenctrl,
 * libxengnttab, libxenevtchn) and maps dom0's xenbus page from
 * /proc/xen/xsd_kva with the port from /proc/xen/xsd_port.  With -D it
 * skips all of that, but then no "struct domain" exists for domid 0 and the
 * first write from a socket client makes it call xc_domain_getinfo() on a
 * NULL handle (segfault).  So we let it initialise dom0 for real, against
 * these fakes:
 *
 *   - xc_interface_open / xengnttab_open / xenevtchn_open return dummy
 *     non-NULL handles; the daemon only passes them back to us.
 *   - xenevtchn_fd is the read end of a pipe nobody writes to: the main loop
 *     polls it, and it never becomes readable, so no event is ever pending.
 *   - xenevtchn_bind_virq / _bind_interdomain hand out fresh port numbers;
 *     notify / unmask / unbind succeed and do nothing.
 *   - xc_domain_getinfo reports any asked-for domid as an existing, running
 *     domain, so permissions naming other domids (xenstore-chmod /a b5) are
 *     kept instead of being marked "ignore" for a non-existent domain.
 *   - xengnttab_map_grant_ref maps a private zeroed page (an empty ring), so
 *     XS_INTRODUCE of a guest succeeds without a real guest behind it.
 *   - open("/proc/xen/xsd_port") reads "1" (dom0's xenbus port), and
 *     open("/proc/xen/xsd_kva") is a 1-page memfd: dom0's ring, all zero, so
 *     the daemon never sees a request on it.
 *
 * Everything else (sockets, files, the store itself) is the real code.
 * The shim is built unversioned; the dynamic linker binds the daemon's
 * versioned references (xc_interface_open@VERS_4.17.0, ...) to it because
 * an unversioned definition satisfies any version.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenevtchn.h>
#include <xengnttab.h>

/* Distinct addresses to hand out as opaque handles. */
static char fake_xc, fake_gnttab, fake_evtchn;

/* evtchn: a pipe whose read end never becomes readable. */
static int evtchn_pipe[2] = { -1, -1 };
static evtchn_port_t next_port = 10;	/* below that: dom0's xenbus port 1 */

#define XSD_PORT_PATH "/proc/xen/xsd_port"
#define XSD_KVA_PATH  "/proc/xen/xsd_kva"

/* ---- libxenctrl ---- */

xc_interface *xc_interface_open(xentoollog_logger *logger,
				xentoollog_logger *dombuild_logger,
				unsigned open_flags)
{
	(void)logger; (void)dombuild_logger; (void)open_flags;
	return (xc_interface *)&fake_xc;
}

int xc_interface_close(xc_interface *xch)
{
	(void)xch;
	return 0;
}

int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid,
		      unsigned int max_doms, xc_dominfo_t *info)
{
	(void)xch;
	if (max_doms == 0)
		return 0;
	memset(info, 0, sizeof(*info));
	info->domid = first_domid;
	info->running = 1;
	return 1;
}

/* ---- libxengnttab ---- */

xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger,
				 unsigned open_flags)
{
	(void)logger; (void)open_flags;
	return (xengnttab_handle *)&fake_gnttab;
}

int xengnttab_close(xengnttab_handle *xgt)
{
	(void)xgt;
	return 0;
}

int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants)
{
	(void)xgt; (void)nr_grants;
	return 0;
}

void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid,
			      uint32_t ref, int prot)
{
	void *p;

	(void)xgt; (void)domid; (void)ref;
	p = mmap(NULL, (size_t)getpagesize(), prot,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

int xengnttab_unmap(xengnttab_handle *xgt, void *start_address,
		    uint32_t count)
{
	(void)xgt;
	return munmap(start_address, (size_t)count * (size_t)getpagesize());
}

/* ---- libxenevtchn ---- */

static xenevtchn_handle *evtchn_handle(void)
{
	if (evtchn_pipe[0] < 0 && pipe2(evtchn_pipe, O_CLOEXEC) < 0)
		return NULL;
	return (xenevtchn_handle *)&fake_evtchn;
}

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger,
				 unsigned open_flags)
{
	(void)logger; (void)open_flags;
	return evtchn_handle();
}

/* Used by live update only; same fake, the passed fd is ignored. */
xenevtchn_handle *xenevtchn_fdopen(struct xentoollog_logger *logger,
				   int fd, unsigned open_flags)
{
	(void)logger; (void)fd; (void)open_flags;
	return evtchn_handle();
}

int xenevtchn_close(xenevtchn_handle *xce)
{
	(void)xce;
	return 0;
}

int xenevtchn_fd(xenevtchn_handle *xce)
{
	(void)xce;
	return evtchn_pipe[0];
}

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
	(void)xce; (void)port;
	return 0;
}

xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce,
					      unsigned int virq)
{
	(void)xce; (void)virq;
	return (xenevtchn_port_or_error_t)next_port++;
}

xenevtchn_port_or_error_t
xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
			   evtchn_port_t remote_port)
{
	(void)xce; (void)domid; (void)remote_port;
	return (xenevtchn_port_or_error_t)next_port++;
}

int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
	(void)xce; (void)port;
	return 0;
}

/* Never called (the fd is never readable); say "nothing pending". */
xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
	(void)xce;
	errno = EAGAIN;
	return -1;
}

int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
	(void)xce; (void)port;
	return 0;
}

/* ---- /proc/xen/xsd_port and /proc/xen/xsd_kva ---- */

static int fake_xsd_port(void)
{
	int fd = memfd_create("fake_xsd_port", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (write(fd, "1", 1) != 1) {
		close(fd);
		return -1;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static int fake_xsd_kva(void)
{
	int fd = memfd_create("fake_xsd_kva", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (ftruncate(fd, getpagesize()) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int open(const char *path, int flags, ...)
{
	static int (*real_open)(const char *, int, ...);
	mode_t mode = 0;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (strcmp(path, XSD_PORT_PATH) == 0)
		return fake_xsd_port();
	if (strcmp(path, XSD_KVA_PATH) == 0)
		return fake_xsd_kva();
	if (!real_open)
		real_open = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, "open");
	return real_open(path, flags, mode);
}
