/*
 * What the pieces of libsvxs share and nobody else sees: the handle and
 * the one function that moves a request and its reply over the wire.
 */
#ifndef SVXS_XS_INTERNAL_H
#define SVXS_XS_INTERNAL_H

#include "xs_client.h"

/* One queued watch event: the raw body, nul-terminated strings. */
struct svxs_event {
    struct svxs_event *next;
    size_t len;
    char body[];            /* len bytes, then one extra nul */
};

struct svxs_handle {
    int fd;                 /* -1 once the stream is broken or closed */
    bool is_socket;         /* send() with MSG_NOSIGNAL, not write() */
    uint32_t next_req_id;
    int reply_timeout_ms;
    struct svxs_event *ev_head, *ev_tail;
    unsigned int ev_count;
    unsigned long ev_lost;
    unsigned long ev_malformed;
};

/* One piece of a request payload; requests are gathered from up to a few. */
struct svxs_part {
    const void *data;
    size_t len;
};

/*
 * Send TYPE built from PARTS and wait for the reply, queueing any watch
 * events that arrive first.  An XS_ERROR reply becomes -1 with its errno.
 */
int svxs_talk(struct svxs_handle *h, svxs_tx_t tx, uint32_t type,
              const struct svxs_part *parts, unsigned int nparts,
              char **reply, size_t *reply_len);

/* The common case: one string argument including its nul. */
int svxs_talk_str(struct svxs_handle *h, svxs_tx_t tx, uint32_t type,
                  const char *arg, char **reply, size_t *reply_len);

/* Read one whole message (header and body) within TIMEOUT_MS (-1: wait). */
int svxs_read_msg(struct svxs_handle *h, int timeout_ms,
                  struct xsd_sockmsg *hdr, char **body);

/* Validate and queue a watch event body (takes ownership of BODY). */
void svxs_queue_event(struct svxs_handle *h, char *body, size_t len);

/* Mark the stream as unusable: close the descriptor. */
void svxs_break(struct svxs_handle *h);

/* Split LEN bytes of nul-terminated strings into an array (one malloc). */
char **svxs_split_strings(const char *strings, size_t len, unsigned int *num);

#endif /* SVXS_XS_INTERNAL_H */
