/* See domain_io.h: domains reached through libxengnttab and libxenevtchn. */
#include "domain_io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xenevtchn.h>
#include <xengnttab.h>
#include <xen/grant_table.h>

#include "../../tools/libsvctl/svctl.h"
#include "domain.h"
#include "log.h"
#include "wire.h"

struct xen_io {
    struct xs_domain_io base;
    xengnttab_handle *gnt;
    xenevtchn_handle *evt;
    int dom_exc;                /* local port of VIRQ_DOM_EXC, or -1 */
    svctl *ctl;                 /* domain states: splitvisor's control interface */
    bool ctl_tried;
};

static int xen_map(struct xs_domain_io *io, unsigned domid, uint64_t mfn,
                   struct xenstore_domain_interface **intf)
{
    struct xen_io *x = (struct xen_io *)io;
    /* Like Xen 4.17 we map the reserved grant and ignore the mfn: the
     * toolstack granted the page to us when it built the domain. */
    (void)mfn;
    void *p = xengnttab_map_grant_ref(x->gnt, domid, GNTTAB_RESERVED_XENSTORE,
                                      PROT_READ | PROT_WRITE);
    if (!p)
        return errno ? errno : EIO;
    *intf = p;
    return 0;
}

static void xen_unmap(struct xs_domain_io *io, struct xenstore_domain_interface *intf)
{
    struct xen_io *x = (struct xen_io *)io;
    xengnttab_unmap(x->gnt, intf, 1);
}

static int xen_bind(struct xs_domain_io *io, unsigned domid, unsigned remote, unsigned *local)
{
    struct xen_io *x = (struct xen_io *)io;
    xenevtchn_port_or_error_t p = xenevtchn_bind_interdomain(x->evt, domid, remote);
    if (p < 0)
        return errno ? errno : EIO;
    *local = (unsigned)p;
    return 0;
}

static void xen_unbind(struct xs_domain_io *io, unsigned local)
{
    struct xen_io *x = (struct xen_io *)io;
    xenevtchn_unbind(x->evt, local);
}

static void xen_notify(struct xs_domain_io *io, unsigned local)
{
    struct xen_io *x = (struct xen_io *)io;
    xenevtchn_notify(x->evt, local);
}

static int xen_fd(struct xs_domain_io *io)
{
    return xenevtchn_fd(((struct xen_io *)io)->evt);
}

static int xen_pending(struct xs_domain_io *io)
{
    struct xen_io *x = (struct xen_io *)io;
    xenevtchn_port_or_error_t p = xenevtchn_pending(x->evt);
    if (p < 0)
        return -1;
    xenevtchn_unmask(x->evt, (evtchn_port_t)p);
    return (int)p;
}

static int xen_dom_exc_port(struct xs_domain_io *io)
{
    return ((struct xen_io *)io)->dom_exc;
}

/* Through splitvisor's control interface (libsvctl); under another
 * hypervisor it does not open, and every domain counts as alive. */
static int xen_domain_state(struct xs_domain_io *io, unsigned domid)
{
    struct xen_io *x = (struct xen_io *)io;
    struct sv_domaininfo info;
    char err[200];
    int rc;

    if (!x->ctl && !x->ctl_tried) {
        x->ctl_tried = true;
        if (!(x->ctl = svctl_open(err, sizeof(err))))
            xs_log(XS_LOG_ERR, "domain states unknown (shutdowns fire nothing): %s", err);
    }
    if (!x->ctl)
        return XS_DOMAIN_ALIVE;
    rc = svctl_domain_info(x->ctl, (domid_t)domid, &info);
    if (rc == -ESRCH || (rc == 0 && (info.flags & SV_DOMINF_dying)))
        return XS_DOMAIN_GONE;
    if (rc == 0 && (info.flags & (SV_DOMINF_shutdown | SV_DOMINF_crashed)))
        return XS_DOMAIN_SHUTDOWN;
    return XS_DOMAIN_ALIVE;
}

static void xen_close(struct xs_domain_io *io)
{
    struct xen_io *x = (struct xen_io *)io;
    svctl_close(x->ctl);
    xengnttab_close(x->gnt);
    xenevtchn_close(x->evt);
    free(x);
}

static const struct xs_domain_io_ops xen_ops = {
    .map = xen_map,
    .unmap = xen_unmap,
    .bind = xen_bind,
    .unbind = xen_unbind,
    .notify = xen_notify,
    .fd = xen_fd,
    .pending = xen_pending,
    .dom_exc_port = xen_dom_exc_port,
    .domain_state = xen_domain_state,
    .close = xen_close,
};

struct xs_domain_io *domain_io_xen_open(char *err, size_t errlen)
{
    struct xen_io *x = calloc(1, sizeof(*x));
    if (!x) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    x->evt = xenevtchn_open(NULL, 0);
    if (!x->evt) {
        snprintf(err, errlen, "cannot open the event channel device (/dev/xen/evtchn): %s",
                 strerror(errno));
        free(x);
        return NULL;
    }
    /* The main loop polls this fd and then drains every pending port until
     * xenevtchn_pending fails: on a blocking fd that last read would wait
     * for the next event with every client stalled behind it. */
    int fd = xenevtchn_fd(x->evt), fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
        snprintf(err, errlen, "cannot make /dev/xen/evtchn non-blocking: %s", strerror(errno));
        xenevtchn_close(x->evt);
        free(x);
        return NULL;
    }
    x->gnt = xengnttab_open(NULL, 0);
    if (!x->gnt) {
        snprintf(err, errlen, "cannot open the grant device (/dev/xen/gntdev): %s",
                 strerror(errno));
        xenevtchn_close(x->evt);
        free(x);
        return NULL;
    }
    /* Domains that shut down or go: as Xen's xenstored, through VIRQ_DOM_EXC. */
    x->dom_exc = xenevtchn_bind_virq(x->evt, VIRQ_DOM_EXC);
    if (x->dom_exc < 0)
        xs_log(XS_LOG_ERR, "cannot bind VIRQ_DOM_EXC: %s (shutdowns fire nothing)", strerror(errno));
    x->base.ops = &xen_ops;
    return &x->base;
}
