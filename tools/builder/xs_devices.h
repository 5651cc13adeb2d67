/*
 * A domain's PV disks (vbd) and NICs (vif) in xenstore, laid out exactly as
 * Xen 4.17's libxl lays them out (libxl_device.c libxl__device_generic_add,
 * libxl_disk.c device_disk_add, libxl_nic.c libxl__set_xenstore_nic), so
 * that the backends (backends/: blkback, netback) and Linux's own frontends
 * find what they expect.  For domain N, device D:
 *
 *   /local/domain/0/backend/vbd/N/D     n0 rN   (dom0 owns it, N reads)
 *     frontend        /local/domain/N/device/vbd/D
 *     params          the target's path (absolute)
 *     script          /etc/xen/scripts/block   (libxl's; nothing runs it here)
 *     frontend-id N, online 1, removable 0, bootable 1, state 1
 *     dev             the vdev as written (xvdb)
 *     type            phy: libxl's "phy" backend takes regular files too
 *                     (libxl__try_phy_backend: S_ISREG || S_ISBLK); the
 *                     backend stats params to tell a file from a device
 *     mode            r | w
 *     device-type     disk
 *     discard-enable  1 if writable, else 0 (libxl's default)
 *     specification   xen
 *   /local/domain/N/device/vbd/D        nN r0   (N owns it, dom0 reads)
 *     backend         /local/domain/0/backend/vbd/N/D
 *     backend-id 0, state 1, virtual-device D, device-type disk, trusted 1
 *
 *   /local/domain/0/backend/vif/N/D     n0 rN
 *     frontend, frontend-id N, online 1, state 1
 *     script          /etc/xen/scripts/vif-bridge, or script= (made
 *                     absolute under /etc/xen/scripts)
 *     vifname         only if given
 *     mac             aa:bb:cc:dd:ee:ff
 *     ip              only if given
 *     bridge          xenbr0, or bridge=
 *     handle D, type vif
 *     hotplug-status  "" (libxl: the backend waits for the hotplug script
 *                     to write "connected" before it connects)
 *   /local/domain/N/device/vif/D        nN r0
 *     backend, backend-id 0, state 1, handle D, mac, trusted 1
 *     mtu 1500                          n0 rN   (libxl's read-only node)
 *
 *   /libxl/N/device/KIND/D              n0      (libxl's private copy)
 *     frontend, backend, and every backend entry again (never updated:
 *     its state stays 1).  It is the list of devices: the listers and
 *     libxl__device_exists look here.
 *
 * Every device's entries are written in one transaction, retried on EAGAIN.
 * Functions return 0 or a negative errno with a one-line reason in err.
 */
#ifndef XS_DEVICES_H
#define XS_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xenstore.h>

#include "../xlcfg.h"

#define XS_DEVICE_SCRIPT_DIR        "/etc/xen/scripts"  /* libxl's XEN_SCRIPT_DIR */
#define XS_DEVICE_DEFAULT_BRIDGE    "xenbr0"
#define XS_DEVICE_MTU               1500u
/* libxl's LIBXL_DESTROY_TIMEOUT: how long a detach waits for the backend. */
#define XS_DEVICE_CLOSE_TIMEOUT_MS  10000u

/*
 * A disk: devid is disk->vdev_number.  The target must exist (a regular
 * file or a block device: libxl stats it too) and be an absolute path (the
 * backend daemon does not share our working directory).  -EEXIST if the
 * domain already has a device with that number, -ENOENT if the domain has
 * no /local/domain/N, -EINVAL for domain 0.
 */
int xs_device_disk_add(struct xs_handle *xs, uint32_t domid, const struct xlcfg_disk *disk,
                       char *err, size_t errlen);

/*
 * A NIC with handle devid (xl create: 0, 1, 2... in the config's order;
 * xl network-attach: xs_device_next_devid()).  Without mac= it gets one
 * as libxl makes it: 00:16:3e (Xen's OUI) then three random bytes, the
 * first of them below 0x80.  mac_out (may be NULL) receives the address
 * written.  type= other than "vif" and backend= other than dom0 are
 * refused (no emulated NICs, no driver domains); model= is ignored, as
 * libxl ignores it for a PV NIC.
 */
int xs_device_nic_add(struct xs_handle *xs, uint32_t domid, unsigned devid,
                      const struct xlcfg_vif *vif, uint8_t mac_out[6], char *err,
                      size_t errlen);

/* The next free NIC handle: one more than the highest in use, as libxl's
 * libxl__device_nextid; 0 for none.  -errno on a xenstore error. */
long xs_device_next_devid(struct xs_handle *xs, uint32_t domid, const char *kind);

/*
 * Detach, as libxl's libxl__initiate_device_generic_remove: set the
 * backend's online to 0 and state to 5 (Closing), wait up to
 * XS_DEVICE_CLOSE_TIMEOUT_MS for the backend to reach 6 (Closed) or to
 * remove its directory, then remove the frontend, backend and /libxl
 * directories (and parents left empty, down to .../backend, .../device and
 * /libxl/N, which stay).  -ETIMEDOUT (nothing removed, the backend is left
 * Closing) if it does not close in time.  Removed at once, without waiting:
 *   - force (xl's -f);
 *   - a backend whose state node is gone (libxl: "backend already
 *     removed, cleanup frontend only");
 *   - a backend still in 1 (Initialising) or 2 (InitWait) while the
 *     frontend is not in 3 (Initialised), 4 (Connected) or 5 (Closing):
 *     no backend has mapped anything yet (a backend maps the ring only
 *     after the frontend has published it and said Initialised), so there
 *     is nothing to tear down, and without a backend running (none exists
 *     yet in this tree) the wait would always time out.  A backend that
 *     is running and watching sees its directory go and forgets the device.
 * kind is "vbd" or "vif"; -ENOENT if there is no such device.
 */
int xs_device_remove(struct xs_handle *xs, uint32_t domid, const char *kind, unsigned devid,
                     bool force, char *err, size_t errlen);

/* Every vbd and vif of the domain, forced (for xl destroy, before
 * xs_domain_remove(): the backend directories are outside /local/domain/N
 * and /libxl/N and would otherwise stay). */
void xs_devices_destroy_all(struct xs_handle *xs, uint32_t domid);

/* One device, as `xl block-list` / `xl network-list` show it.  -1: absent. */
struct xs_device_entry {
    unsigned devid;
    int backend_id;             /* from the backend path */
    int state;                  /* the frontend's (what xl lists) */
    int backend_state;
    int evtchn;                 /* frontend's event-channel */
    int ring_ref;               /* vbd: ring-ref; vif: tx-ring-ref */
    int rx_ring_ref;            /* vif: rx-ring-ref */
    char vdev[32];              /* vbd: dev */
    char mac[18];               /* vif: mac; "" if unknown */
    char backend[96];           /* the backend path */
};

/*
 * The devices of a kind ("vbd" or "vif") listed in /libxl/N/device/KIND,
 * sorted by devid, in *list (malloc'd, the caller frees it; NULL when
 * there are none).  Returns how many, or -errno.
 */
int xs_device_list(struct xs_handle *xs, uint32_t domid, const char *kind,
                   struct xs_device_entry **list, char *err, size_t errlen);

#endif
