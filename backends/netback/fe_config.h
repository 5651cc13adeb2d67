/*
 * What a frontend publishes before it goes to Connected, and the backend
 * state machine's decisions: both pure, both unit-tested.
 */
#ifndef NB_FE_CONFIG_H
#define NB_FE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The frontend's keys (under /local/domain/N/device/vif/D), netif.h and
 * what Linux's xen-netfront writes in talk_to_netback(). */
struct fe_config {
    uint32_t tx_ring_ref, rx_ring_ref;   /* tx-ring-ref, rx-ring-ref */
    uint32_t tx_port, rx_port;           /* event-channel-tx/-rx, or both event-channel */
    bool split;                          /* two ports */
    bool sg;                             /* feature-sg: multi-slot rx frames */
    bool gso_tcpv4, gso_tcpv6;           /* feature-gso-tcpv4/6 (rx GSO: unused) */
    bool csum_v4;                        /* !feature-no-csum-offload */
    bool csum_v6;                        /* feature-ipv6-csum-offload */
};

/* Returns the value of key in the frontend's directory (malloc'd, the
 * caller frees it), or NULL if absent. */
typedef char *(*fe_lookup_fn)(void *ctx, const char *key);

/*
 * Reads and checks the frontend's keys:
 *   tx-ring-ref, rx-ring-ref          required, grant references;
 *   event-channel-tx + event-channel-rx (split), else event-channel;
 *   request-rx-copy                   must be 1 (page flipping is gone);
 *   feature-rx-notify                 must be 1 (as Linux netback requires:
 *                                     without it we could not sleep on rx);
 *   multi-queue-num-queues            absent or 1 (we offer one queue);
 *   feature-sg, feature-gso-tcpv4, feature-gso-tcpv6,
 *   feature-ipv6-csum-offload         0/1, default 0;
 *   feature-no-csum-offload           0/1, default 0.
 * Booleans that are not a number read as their default, as Linux's
 * xenbus_read_unsigned does.  0, or -EINVAL with a reason in err.
 */
int fe_config_read(fe_lookup_fn get, void *ctx, struct fe_config *c, char *err, size_t errlen);

/* ---- the backend state machine ------------------------------------------ */

enum vif_phase {
    VIF_NEW,         /* seen, nothing done yet */
    VIF_INITWAIT,    /* tap up and bridged, features written, state 2 */
    VIF_CONNECTED,   /* rings mapped, thread running, state 4 */
    VIF_CLOSED,      /* torn down (state 5 or 6 written) */
    VIF_FAILED,      /* an error was written; waits for the frontend to move */
};

enum vif_action {
    VIF_ACT_NONE,
    VIF_ACT_SETUP,          /* tap, bridge, features, state 2 */
    VIF_ACT_SETUP_CONNECT,  /* both at once: a daemon restart, or a late start */
    VIF_ACT_CONNECT,        /* map, bind, thread, state 4 */
    VIF_ACT_RESET,          /* tear down, then SETUP: the frontend started over */
    VIF_ACT_CLOSING,        /* tear down, state 5 */
    VIF_ACT_CLOSED,         /* tear down if needed, state 6 */
};

struct vif_sm {
    enum vif_phase phase;
    int failed_fe_state;    /* VIF_FAILED: the frontend state when it failed */
};

/*
 * What to do when the frontend is in fe_state (XenbusState*, -1 if its
 * state node is gone), the backend's state node reads be_state (as the
 * toolstack, or an earlier run of ours, left it) and its online node is
 * online.  A VIF_FAILED device stays put until the frontend changes state;
 * a new device found Closing/Closed in the backend is not reconnected until
 * the frontend starts over.  May move sm->phase between NEW, FAILED and
 * CLOSED; the caller sets the phase that an action reaches.
 */
enum vif_action vif_next(struct vif_sm *sm, int fe_state, int be_state, bool online);

#endif
