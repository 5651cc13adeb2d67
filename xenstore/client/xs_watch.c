/*
 * Watches and their events.  The daemon sends XS_WATCH_EVENT messages
 * whenever it likes, including between a request and its reply, so every
 * reader (svxs_talk included) hands them to svxs_queue_event() and they are
 * given out here in arrival order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xs_internal.h"

void svxs_queue_event(struct svxs_handle *h, char *body, size_t len)
{
    struct svxs_event *ev;
    size_t i, nuls = 0;

    /* At least "path\0token\0": anything else is dropped, not delivered. */
    for (i = 0; i < len; i++)
        if (body[i] == '\0')
            nuls++;
    if (nuls < 2 || body[len - 1] != '\0') {
        h->ev_malformed++;
        free(body);
        return;
    }
    if (h->ev_count >= SVXS_EVENT_QUEUE_MAX) {
        h->ev_lost++;       /* memory is bounded even if the daemon is not */
        free(body);
        return;
    }
    ev = malloc(sizeof(*ev) + len + 1);
    if (ev == NULL) {
        h->ev_lost++;
        free(body);
        return;
    }
    ev->next = NULL;
    ev->len = len;
    memcpy(ev->body, body, len + 1);
    free(body);
    if (h->ev_tail != NULL)
        h->ev_tail->next = ev;
    else
        h->ev_head = ev;
    h->ev_tail = ev;
    h->ev_count++;
}

int svxs_watch(struct svxs_handle *h, const char *path, const char *token)
{
    struct svxs_part parts[2] = {
        { path, strlen(path) + 1 },
        { token, strlen(token) + 1 },
    };

    return svxs_talk(h, SVXS_TX_NONE, XS_WATCH, parts, 2, NULL, NULL);
}

/* Is EVENT_PATH the watched PATH itself or somewhere below it? */
static bool under(const char *event_path, const char *path)
{
    size_t n = strlen(path);

    if (strncmp(event_path, path, n) != 0)
        return false;
    return event_path[n] == '\0' || event_path[n] == '/' ||
           (n > 0 && path[n - 1] == '/');
}

int svxs_unwatch(struct svxs_handle *h, const char *path, const char *token)
{
    struct svxs_part parts[2] = {
        { path, strlen(path) + 1 },
        { token, strlen(token) + 1 },
    };
    struct svxs_event **pp, *ev;

    if (svxs_talk(h, SVXS_TX_NONE, XS_UNWATCH, parts, 2, NULL, NULL) < 0)
        return -1;

    h->ev_tail = NULL;
    for (pp = &h->ev_head; (ev = *pp) != NULL;) {
        const char *ev_path = ev->body;
        const char *ev_token = ev_path + strlen(ev_path) + 1;

        if (strcmp(ev_token, token) == 0 && under(ev_path, path)) {
            *pp = ev->next;
            free(ev);
            h->ev_count--;
        } else {
            h->ev_tail = ev;
            pp = &ev->next;
        }
    }
    return 0;
}

char **svxs_read_watch(struct svxs_handle *h, unsigned int *num,
                       int timeout_ms)
{
    struct svxs_event *ev;
    char **vec;

    while (h->ev_head == NULL) {
        struct xsd_sockmsg hdr;
        char *body;

        if (svxs_read_msg(h, timeout_ms, &hdr, &body) < 0)
            return NULL;
        if (hdr.type != XS_WATCH_EVENT) {
            /* No request is outstanding, so no reply can be due. */
            free(body);
            svxs_break(h);
            errno = EPROTO;
            return NULL;
        }
        svxs_queue_event(h, body, hdr.len);
        /* A malformed event was dropped; keep waiting.  Each message
         * restarts the timeout, which only matters to a chatty liar. */
    }

    ev = h->ev_head;
    vec = svxs_split_strings(ev->body, ev->len, num);
    if (vec == NULL)
        return NULL;        /* out of memory: the event stays queued */
    h->ev_head = ev->next;
    if (h->ev_head == NULL)
        h->ev_tail = NULL;
    h->ev_count--;
    free(ev);
    return vec;
}

unsigned int svxs_pending_events(const struct svxs_handle *h)
{
    return h->ev_count;
}

unsigned long svxs_events_lost(const struct svxs_handle *h)
{
    return h->ev_lost;
}
