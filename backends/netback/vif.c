/*
 * One connection: the rings mapped with the grant device, the event
 * channel(s) bound, and the thread that moves frames between the rings
 * and the tap.  Frame data only ever moves by grant copy (tx.c, rx.c):
 * nothing but the two ring pages is mapped, and no device DMAs into a
 * grant-mapped page (dom0 has no IOMMU under our hypervisor).
 */
#define _GNU_SOURCE
#include "netback.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

bool vif_connected(const struct vif *v)
{
    return v->rings != NULL || v->thread_started || v->xgt || v->xce;
}

void vif_features_str(const struct vif *v, char *buf, size_t len)
{
    snprintf(buf, len, "%s, sg %s, csum-offload v4 %s v6 %s, frontend gso-tcpv4 %s v6 %s",
             v->fc.split ? "split event channels" : "one event channel",
             v->fc.sg ? "on" : "off", v->fc.csum_v4 ? "on" : "off", v->fc.csum_v6 ? "on" : "off",
             v->fc.gso_tcpv4 ? "on" : "off", v->fc.gso_tcpv6 ? "on" : "off");
}

void vif_log_counters(const struct vif *v, const char *when)
{
    const struct nb_counters *c = &v->ctr;

    msg(LOG_INFO, "vif %u.%u (%s) %s: from guest %" PRIu64 " packets %" PRIu64 " bytes %"
        PRIu64 " dropped %" PRIu64 " errors; to guest %" PRIu64 " packets %" PRIu64 " bytes %"
        PRIu64 " dropped %" PRIu64 " errors", v->domid, v->handle, v->ifname, when,
        nb_counter(&c->from_guest_packets), nb_counter(&c->from_guest_bytes),
        nb_counter(&c->from_guest_dropped), nb_counter(&c->from_guest_errors),
        nb_counter(&c->to_guest_packets), nb_counter(&c->to_guest_bytes),
        nb_counter(&c->to_guest_dropped), nb_counter(&c->to_guest_errors));
}

/* ---- the engines' hooks ---------------------------------------------------- */

static int real_copy(void *ctx, uint32_t count, xengnttab_grant_copy_segment_t *segs)
{
    return xengnttab_grant_copy(ctx, count, segs) < 0 ? -errno : 0;
}

static int deliver_to_tap(void *ctx, const void *buf, size_t len)
{
    struct vif *v = ctx;
    int rc = tap_write(v->tap_fd, buf, len);

    /* EINVAL: the kernel refused this frame's header; EIO: the tap is
     * down.  Only a vanished device (EBADFD, ENODEV...) ends the vif. */
    if (rc < 0 && rc != -EINVAL && rc != -EIO && rc != -EAGAIN && rc != -ENOBUFS &&
        rc != -ENOMEM && rc != -EFAULT)
        v->tap_errno = -rc;
    return rc;
}

static ssize_t receive_from_tap(void *ctx, void *buf, size_t cap)
{
    struct vif *v = ctx;
    ssize_t n = tap_read(v->tap_fd, buf, cap);

    if (n < 0 && n != -EAGAIN && n != -EINTR)
        v->tap_errno = (int)-n;
    return n;
}

static void report_tx(void *ctx, const char *what)
{
    const struct vif *v = ctx;
    msg(LOG_WARNING, "vif %u.%u: dropped a bad tx request: %s (further ones are only counted)",
        v->domid, v->handle, what);
}

static void report_rx(void *ctx, const char *what)
{
    const struct vif *v = ctx;
    msg(LOG_WARNING, "vif %u.%u: dropped a frame to the guest: %s (further ones are only "
        "counted)", v->domid, v->handle, what);
}

/* ---- the thread ---------------------------------------------------------- */

static void thread_fail(struct vif *v, const char *fmt, const char *detail)
{
    snprintf(v->fatal, sizeof(v->fatal), fmt, detail);
}

static void *vif_thread(void *arg)
{
    struct vif *v = arg;
    int efd = xenevtchn_fd(v->xce);
    /* Resume whatever was published before we bound (new ring, or a
     * restarted daemon): both directions run once at start. */
    bool tx_more = true, rx_more = true, rx_blocked = false;

    while (!atomic_load(&v->stop)) {
        struct pollfd p[3] = {
            { .fd = v->wake[0], .events = POLLIN },
            { .fd = efd, .events = POLLIN },
            { .fd = rx_blocked ? -1 : v->tap_fd, .events = POLLIN },
        };
        int r = poll(p, 3, tx_more || (rx_more && !rx_blocked) ? 0 : -1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            thread_fail(v, "poll failed: %s", strerror(errno));
            break;
        }
        if (p[0].revents)
            break;
        if (p[1].revents & POLLIN) {
            for (int i = 0; i < 64; i++) {
                xenevtchn_port_or_error_t port = xenevtchn_pending(v->xce);
                if (port < 0)
                    break;
                if ((evtchn_port_t)port == v->tx_local)
                    tx_more = true;
                if ((evtchn_port_t)port == v->rx_local) {
                    rx_more = true;
                    rx_blocked = false;
                }
                xenevtchn_unmask(v->xce, (evtchn_port_t)port);
            }
        }
        if (p[2].revents & POLLIN)
            rx_more = true;
        if (p[2].revents & (POLLERR | POLLHUP | POLLNVAL)) {
            thread_fail(v, "tap %s failed", v->ifname);
            break;
        }

        bool notify;
        if (tx_more) {
            enum nb_run rr = tx_run(v->tx, NB_BUDGET, &notify);
            if (notify)
                xenevtchn_notify(v->xce, v->tx_local);
            if (rr == NB_RUN_FATAL) {
                thread_fail(v, "%s", v->tx->why);
                break;
            }
            tx_more = rr == NB_RUN_MORE;
        }
        if (rx_more && !rx_blocked) {
            enum nb_run rr = rx_run(v->rx, NB_BUDGET, &notify);
            if (notify)
                xenevtchn_notify(v->xce, v->rx_local);
            if (rr == NB_RUN_FATAL) {
                thread_fail(v, "%s", v->rx->why);
                break;
            }
            rx_more = rr == NB_RUN_MORE;
            rx_blocked = rr == NB_RUN_BLOCKED;
        }
        if (v->tap_errno) {
            thread_fail(v, "tap failed: %s", strerror(v->tap_errno));
            break;
        }
    }
    if (!atomic_load(&v->stop)) {
        atomic_store(&v->exited, true);
        char c = 1;
        if (write(v->nb->notify[1], &c, 1) < 0) {
            /* The pipe is full: the main thread has wake-ups pending already. */
        }
    }
    return NULL;
}

/* ---- connect / disconnect ---------------------------------------------------- */

int vif_connect(struct vif *v, const struct fe_config *fc, char *err, size_t errlen)
{
    uint32_t refs[2] = { fc->tx_ring_ref, fc->rx_ring_ref };
    int rc;

    v->fc = *fc;
    memset(&v->ctr, 0, sizeof(v->ctr));
    atomic_store(&v->stop, false);
    atomic_store(&v->exited, false);
    v->tap_errno = 0;
    v->fatal[0] = '\0';

    v->xgt = xengnttab_open(v->nb->xtl, 0);
    if (!v->xgt) {
        rc = -errno;
        snprintf(err, errlen, "cannot open /dev/xen/gntdev: %s", strerror(errno));
        goto fail;
    }
    v->rings = xengnttab_map_domain_grant_refs(v->xgt, 2, v->domid, refs,
                                               PROT_READ | PROT_WRITE);
    if (!v->rings) {
        rc = -errno;
        snprintf(err, errlen, "cannot map tx-ring-ref %u and rx-ring-ref %u of domain %u: %s",
                 refs[0], refs[1], v->domid, strerror(errno));
        goto fail;
    }
    v->xce = xenevtchn_open(v->nb->xtl, 0);
    if (!v->xce) {
        rc = -errno;
        snprintf(err, errlen, "cannot open /dev/xen/evtchn: %s", strerror(errno));
        goto fail;
    }
    int efd = xenevtchn_fd(v->xce);
    int fl = fcntl(efd, F_GETFL);
    if (fl < 0 || fcntl(efd, F_SETFL, fl | O_NONBLOCK) < 0) {
        rc = -errno;
        snprintf(err, errlen, "cannot make the event channel fd non-blocking: %s",
                 strerror(errno));
        goto fail;
    }
    xenevtchn_port_or_error_t lp = xenevtchn_bind_interdomain(v->xce, v->domid, fc->tx_port);
    if (lp < 0) {
        rc = -errno;
        snprintf(err, errlen, "cannot bind event channel %u of domain %u: %s", fc->tx_port,
                 v->domid, strerror(errno));
        goto fail;
    }
    v->tx_local = v->rx_local = (evtchn_port_t)lp;
    v->tx_bound = true;
    if (fc->split) {
        lp = xenevtchn_bind_interdomain(v->xce, v->domid, fc->rx_port);
        if (lp < 0) {
            rc = -errno;
            snprintf(err, errlen, "cannot bind event channel %u (rx) of domain %u: %s",
                     fc->rx_port, v->domid, strerror(errno));
            goto fail;
        }
        v->rx_local = (evtchn_port_t)lp;
        v->rx_bound = true;
    }

    v->tx = calloc(1, sizeof(*v->tx));
    v->rx = calloc(1, sizeof(*v->rx));
    if (!v->tx || !v->rx ||
        tx_engine_init(v->tx, v->rings, (uint16_t)v->domid) < 0 ||
        rx_engine_init(v->rx, (netif_rx_sring_t *)((char *)v->rings + NB_PAGE_SIZE),
                       (uint16_t)v->domid) < 0) {
        rc = -ENOMEM;
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    v->tx->copy = (struct nb_copy_ops){ .copy = real_copy, .ctx = v->xgt };
    v->tx->deliver = deliver_to_tap;
    v->tx->deliver_ctx = v;
    v->tx->ctr = &v->ctr;
    v->tx->report = report_tx;
    v->tx->report_ctx = v;
    v->rx->copy = v->tx->copy;
    v->rx->receive = receive_from_tap;
    v->rx->receive_ctx = v;
    v->rx->ctr = &v->ctr;
    v->rx->report = report_rx;
    v->rx->report_ctx = v;
    v->rx->sg = fc->sg;
    v->rx->caps = (struct offload_rx_caps){ .csum_v4 = fc->csum_v4, .csum_v6 = fc->csum_v6 };

    if (pipe2(v->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
        rc = -errno;
        v->wake[0] = v->wake[1] = -1;
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        goto fail;
    }
    rc = pthread_create(&v->thread, NULL, vif_thread, v);
    if (rc != 0) {
        snprintf(err, errlen, "cannot start a thread: %s", strerror(rc));
        rc = -rc;
        goto fail;
    }
    v->thread_started = true;
    return 0;

fail:
    vif_disconnect(v, NULL);
    return rc;
}

void vif_disconnect(struct vif *v, const char *why)
{
    if (v->thread_started) {
        char c = 1;
        atomic_store(&v->stop, true);
        if (write(v->wake[1], &c, 1) < 0) {
            /* Full: a wake-up is pending anyway. */
        }
        pthread_join(v->thread, NULL);
        v->thread_started = false;
        if (why)
            vif_log_counters(v, "disconnected");
    }
    if (v->wake[0] >= 0) {
        close(v->wake[0]);
        close(v->wake[1]);
    }
    v->wake[0] = v->wake[1] = -1;
    if (v->tx)
        tx_engine_fini(v->tx);
    if (v->rx)
        rx_engine_fini(v->rx);
    free(v->tx);
    free(v->rx);
    v->tx = NULL;
    v->rx = NULL;
    if (v->rx_bound)
        xenevtchn_unbind(v->xce, v->rx_local);
    if (v->tx_bound)
        xenevtchn_unbind(v->xce, v->tx_local);
    v->tx_bound = v->rx_bound = false;
    if (v->xce)
        xenevtchn_close(v->xce);
    v->xce = NULL;
    if (v->rings)
        xengnttab_unmap(v->xgt, v->rings, 2);
    v->rings = NULL;
    if (v->xgt)
        xengnttab_close(v->xgt);
    v->xgt = NULL;
}
