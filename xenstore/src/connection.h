/*
 * A connection: a transport plus the core client behind it.  It cuts the
 * incoming byte stream into messages (header, then a payload of at most
 * XENSTORE_PAYLOAD_MAX bytes), hands each to the core, and writes the
 * client's queued output, all without blocking and coping with partial
 * reads and writes.
 *
 * A header announcing a payload over XENSTORE_PAYLOAD_MAX closes the
 * connection (as docs/misc/xenstore.txt says xenstored does): the length
 * cannot be trusted, so neither can anything after it.
 */
#ifndef XS_CONNECTION_H
#define XS_CONNECTION_H

#include <stdbool.h>

#include "store.h"
#include "transport.h"
#include "wire.h"

/* One maximal message: header plus XENSTORE_PAYLOAD_MAX payload bytes. */
#define CONN_IN_SIZE (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)
/* Output staged per write (a larger single message gets a larger buffer). */
#define CONN_OUT_SIZE (2 * CONN_IN_SIZE)

struct xs_connection {
    struct xs_connection *next;
    struct xs_transport *tp;
    struct xs_client *client;
    bool is_ring;
    /* input: bytes read but not yet handled are in[in_off, in_len).  The
     * buffer holds a whole maximal message, so one read can bring in a
     * complete request (or several); partial messages wait for more. */
    uint8_t *in;             /* CONN_IN_SIZE bytes, allocated on first use */
    size_t in_off, in_len;
    /* output: messages popped from the client's queue, copied back to back
     * so that one write sends the replies of a whole batch. */
    uint8_t *out;
    size_t out_cap, out_off, out_len;
    unsigned out_replies;    /* replies (not watch events) among them */
    /* set once the connection must go; why says why, for the log */
    void *ring_ctx;          /* the daemon's ring bookkeeping, if a ring */
    bool closing;
    const char *why;
};

/* Ties a client and a transport together (client->io points back). */
struct xs_connection *conn_new(struct xs_client *c, struct xs_transport *tp, bool is_ring);
/* Closes the transport and frees the client. */
void conn_free(struct xs_connection *conn);

/* Does the connection want more input now?  Not while too many replies
 * wait for the client to read them (the outstanding-request quota for
 * domains, half the output bound for everyone). */
bool conn_wants_input(const struct xs_connection *conn);
bool conn_wants_output(const struct xs_connection *conn);

/* Is a complete request (or a header the connection must die of) already
 * buffered?  Then the connection needs serving even if its transport has
 * nothing new to read. */
bool conn_input_buffered(const struct xs_connection *conn);

/* Handles up to max_msgs complete requests: those already buffered, then
 * those brought in by one read from the transport (a read that fills the
 * buffer may be followed by another, as more may be waiting).  No read is
 * made when the transport's can_read says there is nothing.  False when the
 * connection must be closed (conn->why says why). */
bool conn_handle_input(struct xs_connection *conn, unsigned max_msgs);
/* Writes queued output, as many messages per transport write as fit in the
 * staging buffer; stops at a short write (the transport is full).  False
 * when the connection must be closed. */
bool conn_handle_output(struct xs_connection *conn);
/* Marks the connection for closing if the core gave up on its client. */
bool conn_alive(struct xs_connection *conn);

#endif
