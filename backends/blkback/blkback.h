/*
 * svblkback: dom0's userspace block backend.  See README.md.
 *
 *   main.c    options, start-up, the main loop
 *   xenbus.c  which devices exist; the backend handshake over xenstore
 *   fsm.c     the handshake's decisions (pure, unit-tested)
 *   queue.c   one ring: map, bind, its thread
 *   io.c      one ring's request engine: grant copy + pipelined disk I/O
 *   pgrant.c  persistent grants kept mapped, moved by CPU copy
 *   ring.c    the shared ring's back end (pure, unit-tested)
 *   req.c     request decoding and checks (pure, unit-tested)
 *   disk.c    the backing file or block device
 * (start-up, signals, the log, xenstore reads: tools/libdaemon/daemon.h)
 */
#ifndef BLKBACK_H
#define BLKBACK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

#include <xenevtchn.h>
#include <xengnttab.h>
#include <xenstore.h>
#include <xentoollog.h>

#include "daemon.h"      /* msg() (tools/libdaemon) */
#include "blkio.h"
#include "blkproto.h"
#include "disk.h"
#include "fsm.h"
#include "pgrant.h"
#include "req.h"

#define BACKEND_VBD_PATH "/local/domain/0/backend/vbd"
#define ERROR_VBD_PATH   "/local/domain/0/error/backend/vbd"

struct blk_device;

/* One ring (a "queue" in multi-queue terms) and its thread. */
struct blk_queue {
    struct blk_device *dev;
    unsigned index;
    xengnttab_handle *xgt;
    xenevtchn_handle *xce;
    evtchn_port_t local_port;
    bool bound;
    void *sring;
    unsigned nr_pages;
    struct blk_ring ring;
    bool ring_set_up;
    struct pgrant_copier pgc;    /* persistent frontends: through dev->pg */
    bool pgc_live;
    pthread_t thread;
    bool thread_running;
    int stop_pipe[2];
    int wake_fd;                 /* the daemon's wake pipe (write end) */
    bool fatal;                  /* atomic: the frontend broke the ring */
};

struct blk_device {
    struct blk_device *next;
    unsigned domid, devid;
    char bepath[96];             /* /local/domain/0/backend/vbd/N/D */
    char fepath[160];            /* its frontend node */
    char fe_state_path[176];
    bool fe_watched;
    unsigned seen_pass;

    struct blk_disk disk;
    bool disk_open;
    struct blk_limits lim;

    /* The connection. */
    bool rings_live;
    unsigned nqueues, order;
    bool fe_persistent;
    struct pgrant_cache pg;      /* fe_persistent: its refs kept mapped */
    bool pg_live;
    xengnttab_handle *pg_xgt;    /* pg's mappings */
    struct blk_queue q[BLK_MAX_QUEUES];

    /* Gave up (error written, Closing) while the frontend was in failed_fe. */
    bool failed;
    int failed_fe;

    struct blk_counters past;    /* earlier connections */
};

struct daemon {
    struct xs_handle *xs;
    int wake[2];                 /* queue threads -> main loop */
    struct blk_device *devs;
    unsigned pass;
};

/* queue.c */
int queue_start(struct blk_queue *q, struct blk_device *d, unsigned index,
                const grant_ref_t *refs, unsigned nr_pages, evtchn_port_t remote_port,
                int wake_fd, char *err, size_t errlen);
/* Stops the thread, unbinds, unmaps.  Safe on a queue never started. */
void queue_stop(struct blk_queue *q);
/* The device's persistent-grant cache (pgrant.h), before its queues start;
 * stopped after they all stopped.  Stop is safe when not started. */
int device_pgrant_start(struct blk_device *d, char *err, size_t errlen);
void device_pgrant_stop(struct blk_device *d);

/* xenbus.c */
bool xb_watch_backends(struct daemon *dm);
/* Reconciles every device with xenstore (and with its rings' health). */
void xb_scan(struct daemon *dm);
/* Drains watch events; rescans if any.  false if xenstore failed. */
bool xb_handle_watches(struct daemon *dm);
/* Releases every ring without touching xenstore (exit: a restarted
 * daemon takes the devices up again). */
void xb_release_all(struct daemon *dm);
void xb_dump_counters(struct daemon *dm);
/* Formats counters in one line. */
void blk_counters_format(const struct blk_counters *c, char *out, size_t len);

#endif
