/*
 * svnetback: dom0's userspace network backend.  See README.md.
 *
 *   main.c       options, start-up, the main loop
 *   xenbus.c     xenstore: watches, the per-device state machine, nodes
 *   vif.c        one connection: map, bind, the data-path thread, teardown
 *   tap.c        the tap device (/dev/net/tun)
 *   bridge.c     adding a tap to a Linux bridge
 *   util.c       xenstore helpers
 * (start-up, signals, messages, xenstore reads: tools/libdaemon/daemon.h)
 * and the pure parts, unit-tested (tests/):
 *   tx.c rx.c    the guest's transmit and receive rings
 *   offload.c    netif flags <-> virtio_net_hdr
 *   csum.c       header parsing, checksum completion
 *   fe_config.c  the frontend's keys, the state machine's decisions
 *
 * Threads: the main thread alone talks to xenstore; each connected vif has
 * one thread that polls its event channel(s), its tap and a wake-up pipe.
 */
#ifndef NETBACK_H
#define NETBACK_H

#include <net/if.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

#include <xenevtchn.h>
#include <xengnttab.h>
#include <xenstore.h>
#include <xentoollog.h>

#include "daemon.h"      /* msg() (tools/libdaemon) */
#include "fe_config.h"
#include "nb_ring.h"
#include "rx.h"
#include "tx.h"

#define NB_BACKEND_ROOT     "/local/domain/0/backend/vif"
#define NB_DEFAULT_BRIDGE   "xenbr0"
/* Packets each direction moves per turn of a vif thread (fairness). */
#define NB_BUDGET           64u

struct netback;

struct vif {
    struct vif *next;
    struct netback *nb;
    unsigned domid, handle;
    char be[64];                  /* NB_BACKEND_ROOT/N/D */
    char fe[64];                  /* /local/domain/N/device/vif/D */
    char fe_state_path[80];       /* fe + "/state", watched (token "fe") */
    bool fe_watched;
    bool misconfigured;           /* a backend entry we refuse; logged once */
    unsigned seen_pass;
    struct vif_sm sm;

    /* Set up at InitWait. */
    char ifname[IF_NAMESIZE];
    char bridge[IF_NAMESIZE];
    int tap_fd;

    /* Connected. */
    struct fe_config fc;
    xengnttab_handle *xgt;
    xenevtchn_handle *xce;
    void *rings;                  /* two pages: tx sring, rx sring */
    evtchn_port_t tx_local, rx_local;
    bool tx_bound, rx_bound;
    struct tx_engine *tx;
    struct rx_engine *rx;
    pthread_t thread;
    bool thread_started;
    int wake[2];                  /* main -> thread: stop */
    atomic_bool stop;
    atomic_bool exited;           /* the thread ended by itself (fatal) */
    int tap_errno;                /* thread: a tap read/write failed hard */
    char fatal[224];              /* thread: why it ended; read after exited */
    struct nb_counters ctr;
};

struct netback {
    struct xs_handle *xs;
    struct vif *vifs;
    unsigned scan_pass;
    int notify[2];                /* vif threads -> main: "I ended" */
    struct xentoollog_logger *xtl;
};

/* util.c (messages, xs_read_str() and parse_u64() are libdaemon's) */
/* Reads dir/key as a number; def if absent or malformed. */
long nb_xs_read_int(struct xs_handle *xs, const char *dir, const char *key, long def);
/* Writes dir/key = printf(fmt); true on success. */
bool nb_xs_printf(struct xs_handle *xs, xs_transaction_t t, const char *dir, const char *key,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* tap.c */
/* Creates (or attaches to) tap name with IFF_TAP|IFF_NO_PI|IFF_VNET_HDR,
 * non-blocking, checksum offload on; fd or -errno with err set. */
int tap_open(const char *name, char *err, size_t errlen);
/* Sets the MAC address, then brings the interface up. 0 or -errno. */
int tap_configure(const char *name, const uint8_t mac[6], char *err, size_t errlen);
/* One frame each way; length or -errno (-EAGAIN: none / try again). */
ssize_t tap_read(int fd, void *buf, size_t cap);
int tap_write(int fd, const void *buf, size_t len);
/* A name usable as an interface name (vifname from xenstore). */
bool tap_name_valid(const char *name);

/* bridge.c */
/* Adds ifname to bridge; 0 or -errno with err naming the cause. */
int bridge_add(const char *bridge, const char *ifname, char *err, size_t errlen);

/* vif.c */
/* Maps the rings, binds the port(s), starts the thread.  0 or -errno. */
int vif_connect(struct vif *v, const struct fe_config *fc, char *err, size_t errlen);
/* Stops the thread, logs the counters, unbinds, unmaps.  Idempotent. */
void vif_disconnect(struct vif *v, const char *why);
bool vif_connected(const struct vif *v);
void vif_log_counters(const struct vif *v, const char *when);
/* "sg gso-tcpv4 ..." for the connect line. */
void vif_features_str(const struct vif *v, char *buf, size_t len);

/* xenbus.c */
bool xb_watch_root(struct netback *nb);
/* Drains watch events, reconciling what they name; false if xenstore failed. */
bool xb_handle_watches(struct netback *nb);
/* Reconciles every device under NB_BACKEND_ROOT. */
void xb_scan(struct netback *nb);
/* Vifs whose thread ended on a hostile frontend: disconnect them. */
void xb_reap_threads(struct netback *nb);
/* After a xenstore reconnect: watch again. */
void xb_rewatch(struct netback *nb);
/* Everything released (daemon exit: xenstore is left as it is, so that a
 * restarted daemon takes the connections up again). */
void xb_release_all(struct netback *nb);
void xb_log_counters(struct netback *nb);

#endif
