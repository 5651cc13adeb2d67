/*
 * Watches: WATCH path token fires once at once (the initial event), then
 * on every change at or below path.  RM fires one event for the removed
 * path (to watches at or above it) and one exact event per removed node
 * below it (to watches on exactly that node), as Xen does.  Special names
 * @introduceDomain / @releaseDomain fire on INTRODUCE / RELEASE.
 *
 * A watcher only hears of a node it could read (the node, its parent, or
 * the node's permissions before a SET_PERMS), so events leak nothing.
 */
#ifndef XS_WATCH_H
#define XS_WATCH_H

#include "store.h"

enum { EV_NODE = 0, EV_PARENT = 1, EV_OLD = 2 };

struct xs_event *event_new(const char *path, bool exact);
/* Copies perms into slot (EV_NODE, EV_PARENT or EV_OLD). */
int event_set_perms(struct xs_event *ev, int slot, const struct xs_permissions *p,
                    unsigned n);
void event_free(struct xs_event *ev);

/* Delivers an event to every matching watch of every live client. */
void watch_fire(struct xs_store *st, const struct xs_event *ev);
void watch_fire_special(struct xs_store *st, const char *name);

/* Drops all of a client's watches. */
void watch_clear(struct xs_client *c);

#endif
