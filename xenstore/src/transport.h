/*
 * A byte transport under a connection: a Unix socket (dom0 processes) or a
 * domain's shared ring page.  Reads and writes never block.
 */
#ifndef XS_TRANSPORT_H
#define XS_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct xs_transport;

struct xs_transport_ops {
    /* Bytes moved (> 0), 0 when nothing can move now, -1 when the peer is
     * gone or the transport is broken. */
    ssize_t (*read)(struct xs_transport *t, void *buf, size_t len);
    ssize_t (*write)(struct xs_transport *t, const void *buf, size_t len);
    bool (*can_read)(struct xs_transport *t);
    bool (*can_write)(struct xs_transport *t);
    /* The peer broke the protocol (e.g. an oversized message): tell it if
     * the transport can.  May be NULL. */
    void (*protocol_error)(struct xs_transport *t);
    /* Releases the transport and frees t. */
    void (*close)(struct xs_transport *t);
};

struct xs_transport {
    const struct xs_transport_ops *ops;
};

/* ---- Unix sockets (transport_socket.c) --------------------------------- */

/*
 * Listens on path: creates the directory, removes a stale socket (one no
 * daemon answers on), refuses a live one.  Returns the fd or -1 with a
 * message in err.
 */
int socket_listen(const char *path, char *err, size_t errlen);
/* A transport over an accepted, connected fd (made non-blocking). */
struct xs_transport *socket_transport_new(int fd);
int socket_transport_fd(const struct xs_transport *t);
/* The main loop tells the transport what poll() saw. */
void socket_transport_set_revents(struct xs_transport *t, short revents);

/* ---- Domain rings (transport_ring.c) ----------------------------------- */

struct xenstore_domain_interface;

/*
 * A transport over a domain's xenstore page.  notify() kicks the domain's
 * event channel after we move its indices; release() unmaps the page when
 * the transport closes.  Both may be NULL (tests).
 */
struct xs_transport *ring_transport_new(struct xenstore_domain_interface *intf,
                                        void (*notify)(void *ctx),
                                        void (*release)(void *ctx), void *ctx);
/* Has the domain broken the ring (hostile or corrupt indices)? */
bool ring_transport_broken(const struct xs_transport *t);
/* Resets the ring for a fresh start (INTRODUCE, reconnection). */
void ring_transport_reset(struct xs_transport *t);

#endif
