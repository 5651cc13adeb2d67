/*
 * One ring: its pages mapped with gntdev, its event channel bound with a
 * handle of its own, and a thread that serves it (io.c) whenever the
 * frontend kicks.  The ring pages are mapped; the data moves by grant
 * copy, or for a persistent frontend by CPU copy from its pages kept
 * mapped (pgrant.c).  The thread never touches xenstore: when the frontend
 * breaks the ring it sets `fatal`, pokes the main loop and ends.
 */
#define _GNU_SOURCE
#include "blkback.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int grant_copy(void *ctx, uint32_t count, xengnttab_grant_copy_segment_t *segs)
{
    return xengnttab_grant_copy(ctx, count, segs);
}

static void *map_refs(void *ctx, domid_t domid, unsigned count, const grant_ref_t *refs)
{
    return xengnttab_map_domain_grant_refs(ctx, count, domid, (uint32_t *)refs,
                                           PROT_READ | PROT_WRITE);
}

static void unmap_refs(void *ctx, void *addr, unsigned count)
{
    xengnttab_unmap(ctx, addr, count);
}

int device_pgrant_start(struct blk_device *d, char *err, size_t errlen)
{
    struct pgrant_mapper mapper = { map_refs, unmap_refs, NULL };
    int rc;

    d->pg_xgt = xengnttab_open(&msg_xtl, 0);
    if (!d->pg_xgt) {
        rc = errno ? -errno : -EIO;
        snprintf(err, errlen, "open /dev/xen/gntdev: %s", strerror(-rc));
        return rc;
    }
    mapper.ctx = d->pg_xgt;
    rc = pgrant_init(&d->pg, &mapper, (domid_t)d->domid, PGRANT_PER_RING * d->nqueues);
    if (rc) {
        snprintf(err, errlen, "persistent grant table: %s", strerror(-rc));
        xengnttab_close(d->pg_xgt);
        d->pg_xgt = NULL;
        return rc;
    }
    d->pg_live = true;
    return 0;
}

void device_pgrant_stop(struct blk_device *d)
{
    if (d->pg_live) {
        pgrant_fini(&d->pg);            /* before the frontend may end its grants */
        d->pg_live = false;
    }
    if (d->pg_xgt) {
        xengnttab_close(d->pg_xgt);
        d->pg_xgt = NULL;
    }
}

/*
 * The event channel fired: take its port off the evtchn device and
 * unmask it, before serving the ring so that a kick during the service
 * wakes the next poll.  The port is masked from when it fires until we
 * unmask it, and this handle has only it bound: one read finds it.
 */
static void ack_event(struct blk_queue *q)
{
    xenevtchn_port_or_error_t p = xenevtchn_pending(q->xce);

    if (p >= 0)
        xenevtchn_unmask(q->xce, (evtchn_port_t)p);
}

/* The disk finished something: reset the eventfd before collecting. */
static void ack_disk(int fd)
{
    uint64_t n;

    if (read(fd, &n, sizeof(n)) < 0) {
        /* EAGAIN: a collect already took what it counted */
    }
}

static void notify(struct blk_queue *q, int rc)
{
    if (rc > 0)
        xenevtchn_notify(q->xce, q->local_port);
}

static void *queue_thread(void *arg)
{
    struct blk_queue *q = arg;
    struct pollfd pfd[3] = {
        { .fd = xenevtchn_fd(q->xce), .events = POLLIN },
        { .fd = q->stop_pipe[0], .events = POLLIN },
        { .fd = q->ring.io.fd, .events = POLLIN },      /* -1: ignored */
    };

    /* Serve first: after a restart requests may already be waiting. */
    for (;;) {
        int rc = blk_ring_service(&q->ring);
        if (rc < 0) {
            __atomic_store_n(&q->fatal, true, __ATOMIC_RELEASE);
            if (write(q->wake_fd, "f", 1) < 0) {
                /* the main loop also rescans on its idle timer */
            }
            return NULL;        /* queue_stop's teardown waits for the disk */
        }
        notify(q, rc);
        /* A flooding frontend keeps `more` set: then only a look. */
        pfd[0].revents = pfd[1].revents = pfd[2].revents = 0;
        int n = poll(pfd, 3, q->ring.more ? 0 : -1);
        if (n < 0 && errno != EINTR)
            break;
        if (pfd[1].revents & POLLIN)
            break;
        if (pfd[0].revents & POLLIN)
            ack_event(q);
        if (pfd[2].revents & POLLIN)
            ack_disk(pfd[2].fd);
    }
    /* Answer everything taken, so that a daemon started later resumes at
     * rsp_prod with nothing lost (requests not taken stay on the ring). */
    notify(q, blk_ring_drain(&q->ring));
    return NULL;
}

int queue_start(struct blk_queue *q, struct blk_device *d, unsigned index,
                const grant_ref_t *refs, unsigned nr_pages, evtchn_port_t remote_port,
                int wake_fd, char *err, size_t errlen)
{
    memset(q, 0, sizeof(*q));
    q->dev = d;
    q->index = index;
    q->wake_fd = wake_fd;
    q->stop_pipe[0] = q->stop_pipe[1] = -1;
    q->nr_pages = nr_pages;

    q->xgt = xengnttab_open(&msg_xtl, 0);
    if (!q->xgt) {
        snprintf(err, errlen, "open /dev/xen/gntdev: %s", strerror(errno));
        goto fail;
    }
    q->sring = xengnttab_map_domain_grant_refs(q->xgt, nr_pages, d->domid,
                                               (uint32_t *)refs, PROT_READ | PROT_WRITE);
    if (!q->sring) {
        snprintf(err, errlen, "queue %u: mapping %u ring page(s) (ring-ref %u...): %s", index,
                 nr_pages, refs[0], strerror(errno));
        goto fail;
    }
    q->xce = xenevtchn_open(&msg_xtl, 0);
    if (!q->xce) {
        snprintf(err, errlen, "open /dev/xen/evtchn: %s", strerror(errno));
        goto fail;
    }
    xenevtchn_port_or_error_t lp = xenevtchn_bind_interdomain(q->xce, d->domid, remote_port);
    if (lp < 0) {
        snprintf(err, errlen, "queue %u: binding event-channel %u: %s", index, remote_port,
                 strerror(errno));
        goto fail;
    }
    q->local_port = (evtchn_port_t)lp;
    q->bound = true;
    int efd = xenevtchn_fd(q->xce);
    int fl = fcntl(efd, F_GETFL);
    if (fl < 0 || fcntl(efd, F_SETFL, fl | O_NONBLOCK) < 0) {
        snprintf(err, errlen, "event channel fd: %s", strerror(errno));
        goto fail;
    }
    /* A persistent frontend's pages are mapped once (per device) and copied
     * by the CPU; any other frontend ends its grants after each request,
     * which a kept mapping would block, so its data moves by grant copy. */
    struct blk_copier copier = { grant_copy, q->xgt };
    if (d->pg_live) {
        pgrant_copier_init(&q->pgc, &d->pg, &copier, &q->ring.cnt);
        q->pgc_live = true;
        copier = (struct blk_copier){ pgrant_copy, &q->pgc };
    }
    int rc = blk_ring_setup(&q->ring, q->sring, __builtin_ctz(nr_pages), (domid_t)d->domid,
                            &d->disk, &d->lim, &copier, NULL, BLK_BOUNCE_BYTES);
    if (rc) {
        snprintf(err, errlen, "queue %u: ring buffers: %s", index, strerror(-rc));
        goto fail;
    }
    q->ring_set_up = true;
    if (pipe2(q->stop_pipe, O_CLOEXEC) < 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        goto fail;
    }
    /* The thread takes no signals: the main loop's ppoll does. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    rc = pthread_create(&q->thread, NULL, queue_thread, q);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc) {
        snprintf(err, errlen, "pthread_create: %s", strerror(rc));
        goto fail;
    }
    q->thread_running = true;
    return 0;

fail:
    queue_stop(q);
    return -1;
}

void queue_stop(struct blk_queue *q)
{
    if (q->thread_running) {
        if (write(q->stop_pipe[1], "s", 1) < 0) {
            /* a full pipe is already a stop request */
        }
        pthread_join(q->thread, NULL);
        q->thread_running = false;
    }
    for (int i = 0; i < 2; i++) {
        if (q->stop_pipe[i] >= 0)
            close(q->stop_pipe[i]);
        q->stop_pipe[i] = -1;
    }
    if (q->ring_set_up) {
        blk_ring_teardown(&q->ring);
        q->ring_set_up = false;
    }
    if (q->pgc_live) {
        pgrant_copier_fini(&q->pgc);
        q->pgc_live = false;
    }
    if (q->bound) {
        xenevtchn_unbind(q->xce, q->local_port);
        q->bound = false;
    }
    if (q->xce) {
        xenevtchn_close(q->xce);
        q->xce = NULL;
    }
    if (q->sring) {
        xengnttab_unmap(q->xgt, q->sring, q->nr_pages);
        q->sring = NULL;
    }
    if (q->xgt) {
        xengnttab_close(q->xgt);
        q->xgt = NULL;
    }
}
