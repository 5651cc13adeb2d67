/*
 * Backend state decisions (see fsm.h).
 *
 *   backend \ frontend  1 Init   3 Initialised  4 Connected  5 Closing  6 Closed  0 gone
 *   1, 0 (fresh)        INITWAIT INITWAIT       INITWAIT     INITWAIT   INITWAIT  INITWAIT
 *   2 InitWait          -        CONNECT        CONNECT      CLOSE      CLOSE     CLOSE
 *   4 Connected, live   CLOSE    -              -            CLOSE      CLOSE     CLOSE
 *   4 Connected, dead   CLOSE    RESUME         RESUME       CLOSE      CLOSE     CLOSE
 *   5 Closing, live     -        -              -            CLOSE      CLOSE     CLOSE
 *   5 Closing, dead     CLOSE*   -*             -*           -*         CLOSE     CLOSE
 *   6 Closed            INITWAIT INITWAIT       -            -          -         -
 *
 * "live": we hold the rings.  5 is written by the toolstack on detach
 * (online 0; the frontend then closes) or by us after an error.  (*) With
 * online 0 a Closing backend that holds nothing closes at once: nothing
 * is mapped, the toolstack waits for 6.  A frontend back in Initialising
 * while we are Connected has restarted without closing: we close and let
 * it start again.  A device we gave up on waits for its frontend to
 * change state first, so a failing device does not loop.
 */
#include "fsm.h"

#include <xen/io/xenbus.h>

const char *be_action_name(enum be_action a)
{
    switch (a) {
    case BE_NOTHING:  return "nothing";
    case BE_INITWAIT: return "initwait";
    case BE_CONNECT:  return "connect";
    case BE_RESUME:   return "resume";
    case BE_CLOSE:    return "close";
    }
    return "?";
}

static bool fe_gone_or_closing(int fe)
{
    return fe == XenbusStateClosing || fe == XenbusStateClosed || fe == XenbusStateUnknown;
}

enum be_action be_decide(const struct be_view *v)
{
    int fe = v->fe_state;

    if (v->failed && fe == v->failed_fe_state && !v->rings_live)
        return BE_NOTHING;

    switch (v->be_state) {
    case XenbusStateInitialising:
        return v->online ? BE_INITWAIT : BE_NOTHING;
    case XenbusStateInitWait:
        if (fe == XenbusStateInitialised || fe == XenbusStateConnected)
            return v->online ? BE_CONNECT : BE_CLOSE;
        return fe_gone_or_closing(fe) ? BE_CLOSE : BE_NOTHING;
    case XenbusStateConnected:
        if (fe_gone_or_closing(fe) || fe == XenbusStateInitialising)
            return BE_CLOSE;
        if (!v->rings_live && (fe == XenbusStateInitialised || fe == XenbusStateConnected))
            return v->online ? BE_RESUME : BE_CLOSE;
        return v->rings_live ? BE_NOTHING : BE_CLOSE;
    case XenbusStateClosing:
        if (fe == XenbusStateClosed || fe == XenbusStateUnknown)
            return BE_CLOSE;
        if (v->rings_live)
            return fe == XenbusStateClosing ? BE_CLOSE : BE_NOTHING;
        if (!v->online || fe == XenbusStateInitialising)
            return BE_CLOSE;
        return BE_NOTHING;
    case XenbusStateClosed:
        if (v->rings_live)
            return BE_CLOSE;        /* cannot be: release what we hold */
        if (v->online && (fe == XenbusStateInitialising || fe == XenbusStateInitialised))
            return BE_INITWAIT;
        return BE_NOTHING;
    default:
        /* Unknown (absent), Reconfiguring..., garbage: start over. */
        return v->online ? BE_INITWAIT : BE_NOTHING;
    }
}
