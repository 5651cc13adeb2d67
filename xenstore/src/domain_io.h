/*
 * How the daemon reaches real domains: map a domain's xenstore page and
 * bind its event channel.  The Xen implementation (domain_io_xen.c) uses
 * Debian's libxengnttab (the page is granted at GNTTAB_RESERVED_XENSTORE)
 * and libxenevtchn.  Without /dev/xen, domain_io_xen_open() fails and the
 * daemon serves socket clients only; INTRODUCE then answers an error.
 */
#ifndef XS_DOMAIN_IO_H
#define XS_DOMAIN_IO_H

#include <stddef.h>
#include <stdint.h>

struct xenstore_domain_interface;
struct xs_domain_io;

struct xs_domain_io_ops {
    /* 0 or errno. */
    int (*map)(struct xs_domain_io *io, unsigned domid, uint64_t mfn,
               struct xenstore_domain_interface **intf);
    void (*unmap)(struct xs_domain_io *io, struct xenstore_domain_interface *intf);
    /* Binds the domain's remote port; *local is ours.  0 or errno. */
    int (*bind)(struct xs_domain_io *io, unsigned domid, unsigned remote, unsigned *local);
    void (*unbind)(struct xs_domain_io *io, unsigned local);
    void (*notify)(struct xs_domain_io *io, unsigned local);
    /* An fd that polls readable when some port fired. */
    int (*fd)(struct xs_domain_io *io);
    /* The next fired local port (and re-arms it), or -1 when none. */
    int (*pending)(struct xs_domain_io *io);
    /* The local port VIRQ_DOM_EXC is bound to, or -1 (not bound). */
    int (*dom_exc_port)(struct xs_domain_io *io);
    /* Whether a domain runs, has shut down (or crashed), or is gone; 0 ALIVE,
     * 1 SHUTDOWN, 2 GONE (enum xs_domain_state).  ALIVE when unknown. */
    int (*domain_state)(struct xs_domain_io *io, unsigned domid);
    void (*close)(struct xs_domain_io *io);
};

struct xs_domain_io {
    const struct xs_domain_io_ops *ops;
};

/* NULL with a reason in err when Xen is not there. */
struct xs_domain_io *domain_io_xen_open(char *err, size_t errlen);

#endif
