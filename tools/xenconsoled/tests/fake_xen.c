/*
 * LD_PRELOAD stand-ins for libxenevtchn, libxengnttab and
 * libxenforeignmemory, so that the real xenconsoled binary runs on a host
 * without Xen (tests/e2e.py).  Everything lives in $FAKE_XEN_DIR:
 *
 *   ring-N      4096-byte file: domain N's console page (mmap MAP_SHARED)
 *   nogrant-N   exists: the grant map of domain N fails (foreign map used)
 *   kick        FIFO: the driver writes a uint32 port to raise an event
 *   notify      each xenevtchn_notify appends "port\n"
 *
 * The local port bound for domain N is N (remote port + domain are
 * appended to "binds" for the driver to check).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xenevtchn.h>
#include <xenforeignmemory.h>
#include <xengnttab.h>

struct xenevtchn_handle { int fd; };
struct xengntdev_handle { int dummy; };
struct xenforeignmemory_handle { int dummy; };

static const char *dir(void)
{
    const char *d = getenv("FAKE_XEN_DIR");
    return d ? d : "/tmp/fake-xen";
}

static void append(const char *file, const char *fmt, unsigned a, unsigned b)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", dir(), file);
    FILE *f = fopen(p, "a");
    if (f) {
        fprintf(f, fmt, a, b);
        fclose(f);
    }
}

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *l, unsigned flags)
{
    char p[512];
    (void)l; (void)flags;
    snprintf(p, sizeof(p), "%s/kick", dir());
    int fd = open(p, O_RDWR | O_CLOEXEC);   /* RDWR: never EOF */
    if (fd < 0)
        return NULL;
    xenevtchn_handle *h = malloc(sizeof(*h));
    h->fd = fd;
    return h;
}

int xenevtchn_close(xenevtchn_handle *h) { close(h->fd); free(h); return 0; }
int xenevtchn_fd(xenevtchn_handle *h) { return h->fd; }

int xenevtchn_notify(xenevtchn_handle *h, evtchn_port_t port)
{
    (void)h;
    append("notify", "%u\n", port, 0);
    return 0;
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *h, uint32_t domid,
                                                     evtchn_port_t remote)
{
    (void)h;
    append("binds", "bind %u %u\n", domid, remote);
    return (xenevtchn_port_or_error_t)domid;
}

int xenevtchn_unbind(xenevtchn_handle *h, evtchn_port_t port)
{
    (void)h;
    append("binds", "unbind %u%.0u\n", port, 0);
    return 0;
}

xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *h)
{
    uint32_t port;
    if (read(h->fd, &port, sizeof(port)) != sizeof(port))
        return -1;
    return (xenevtchn_port_or_error_t)port;
}

int xenevtchn_unmask(xenevtchn_handle *h, evtchn_port_t port) { (void)h; (void)port; return 0; }

static void *map_ring_file(uint32_t domid)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/ring-%u", dir(), domid);
    int fd = open(p, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return m == MAP_FAILED ? NULL : m;
}

xengnttab_handle *xengnttab_open(struct xentoollog_logger *l, unsigned f)
{
    (void)l; (void)f;
    return calloc(1, sizeof(struct xengntdev_handle));
}

int xengnttab_close(xengnttab_handle *h) { free(h); return 0; }

void *xengnttab_map_grant_ref(xengnttab_handle *h, uint32_t domid, uint32_t ref, int prot)
{
    char p[512];
    struct stat st;
    (void)h; (void)prot;
    snprintf(p, sizeof(p), "%s/nogrant-%u", dir(), domid);
    if (ref != 0 || stat(p, &st) == 0) {
        errno = EINVAL;
        return NULL;
    }
    append("maps", "grant %u %u\n", domid, ref);
    return map_ring_file(domid);
}

int xengnttab_unmap(xengnttab_handle *h, void *addr, uint32_t count)
{
    (void)h;
    append("maps", "unmap-grant %u%.0u\n", count, 0);
    return munmap(addr, 4096 * count);
}

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *l, unsigned f)
{
    (void)l; (void)f;
    return calloc(1, sizeof(xenforeignmemory_handle));
}

int xenforeignmemory_close(xenforeignmemory_handle *h) { free(h); return 0; }

void *xenforeignmemory_map(xenforeignmemory_handle *h, uint32_t dom, int prot,
                           size_t pages, const xen_pfn_t arr[], int err[])
{
    (void)h; (void)prot;
    append("maps", "foreign %u %u\n", dom, (unsigned)arr[0]);
    void *m = pages == 1 ? map_ring_file(dom) : NULL;
    if (err)
        err[0] = m ? 0 : -ENOENT;
    return m;
}

int xenforeignmemory_unmap(xenforeignmemory_handle *h, void *addr, size_t pages)
{
    (void)h;
    append("maps", "unmap-foreign %u%.0u\n", (unsigned)pages, 0);
    return munmap(addr, 4096 * pages);
}
