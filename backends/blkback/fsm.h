/*
 * The backend's side of the xenbus handshake, as decisions only: given the
 * states in xenstore and what we hold, what to do next.  xenbus.c does it
 * and asks again until the answer is BE_NOTHING.  Follows Linux's
 * xen-blkback frontend_changed() where that is defined.
 */
#ifndef FSM_H
#define FSM_H

#include <stdbool.h>

enum be_action {
    BE_NOTHING,
    BE_INITWAIT,     /* open the disk, write the features, state 2 */
    BE_CONNECT,      /* read the frontend's rings, map, bind, state 4 */
    BE_RESUME,       /* state 4 already but no rings held (we restarted):
                        map and bind again, serve from rsp_prod */
    BE_CLOSE,        /* release rings and grants, state 6 */
};

struct be_view {
    int be_state;            /* backend state node (XenbusStateUnknown if absent) */
    int fe_state;            /* frontend state node (Unknown if absent or garbage) */
    bool online;             /* backend online node */
    bool rings_live;         /* we hold the rings */
    bool failed;             /* we gave up on it (error, Closing) ... */
    int failed_fe_state;     /* ... while the frontend was in this state */
};

enum be_action be_decide(const struct be_view *v);
const char *be_action_name(enum be_action a);

#endif
