/*
 * netstack: the guest's IPv4 layer above netfront -- Ethernet II, ARP,
 * IPv4 (no fragments, no options on output), ICMP echo and UDP.
 *
 * Freestanding C11: no libc beyond memcpy/memset/memcmp, no allocation, no
 * floating point.  Everything the stack needs from the world comes through
 * struct netif_ops, so the same files run in the guest and, against fake
 * links, in the host's Check suite (test_netstack.c).
 *
 * Conventions
 *   - IPv4 addresses are uint32_t in host order: 10.0.0.2 is 0x0a000002.
 *     Ports are host order too.  Byte order on the wire is done by hand.
 *   - Functions that can fail return 0 or a negative NETSTACK_E* value;
 *     the values are Linux's errno numbers so that logs read familiarly.
 *   - Single-threaded and not reentrant: netstack_input must not be called
 *     from inside a UDP or ping handler.  A handler may send.
 */
#ifndef SV_NETSTACK_H
#define SV_NETSTACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- sizes -------------------------------------------------------------- */

#define NETSTACK_ETH_ALEN         6
#define NETSTACK_ETH_HLEN         14
#define NETSTACK_ETH_ZLEN         60      /* shortest frame we send (padded) */
#define NETSTACK_MTU              1500
#define NETSTACK_FRAME_MAX        (NETSTACK_ETH_HLEN + NETSTACK_MTU)
#define NETSTACK_IP_HLEN          20      /* what we send: no options */
#define NETSTACK_UDP_HLEN         8
#define NETSTACK_UDP_MAX_PAYLOAD  (NETSTACK_MTU - NETSTACK_IP_HLEN - NETSTACK_UDP_HLEN)
#define NETSTACK_ICMP_HLEN        8
#define NETSTACK_PING_MAX_PAYLOAD (NETSTACK_MTU - NETSTACK_IP_HLEN - NETSTACK_ICMP_HLEN)

#define NETSTACK_ARP_SLOTS        8
#define NETSTACK_ARP_TTL_MS       60000u  /* a learned entry lives this long */
#define NETSTACK_ARP_RETRY_MS     1000u   /* at most one request per IP per this */
#define NETSTACK_UDP_BINDS        8
#define NETSTACK_PING_SLOTS       8       /* outstanding echo requests we remember */

/* ---- flags -------------------------------------------------------------- */

/*
 * TX, passed to netif_ops.send: the UDP checksum is left to the device, as
 * Xen's NETTXF_csum_blank (netif.h) and Linux's CHECKSUM_PARTIAL: the field
 * holds the folded, uncomplemented pseudo-header sum; the device sums from
 * the start of the UDP header to the end of the datagram, complements, and
 * stores the result in the field (csum_start = 34, csum_offset = 6).
 */
#define NETSTACK_CSUM_BLANK         (1u << 0)

/*
 * RX, passed to netstack_input.  Both skip verification of the UDP and
 * ICMP checksums (never of the IPv4 header checksum, which no device
 * vouches for -- Linux's ip_rcv_core checks it whatever the skb says).
 *   DATA_VALIDATED: the backend checked it (NETRXF_data_validated).
 *   CSUM_BLANK: the field is partial, e.g. the frame came from a local
 *               guest that offloaded it (NETRXF_csum_blank).
 */
#define NETSTACK_RX_DATA_VALIDATED  (1u << 0)
#define NETSTACK_RX_CSUM_BLANK      (1u << 1)

/* ---- errors (negative return values) ------------------------------------ */

#define NETSTACK_EIO           (-5)    /* the link refused the frame */
#define NETSTACK_EAGAIN        (-11)   /* the link is full now; try again */
#define NETSTACK_ENOSPC        (-28)   /* a fixed-size table is full */
#define NETSTACK_EINVAL        (-22)
#define NETSTACK_EMSGSIZE      (-90)   /* payload does not fit one frame */
#define NETSTACK_EADDRINUSE    (-98)   /* UDP port already bound */
#define NETSTACK_EHOSTUNREACH  (-113)  /* off-link and no gateway, or our own IP */
#define NETSTACK_EINPROGRESS   (-115)  /* ARP request out; poll and retry */

/* ---- the link below ------------------------------------------------------ */

struct netif_ops {
    void *ctx;
    /*
     * Send one Ethernet frame (no FCS).  flags: NETSTACK_CSUM_BLANK.  The
     * frame buffer is the stack's and is reused by the next send: copy it
     * (into a granted page) before returning.  Returns 0, NETSTACK_EAGAIN
     * when the ring is full, or another negative value on failure.
     */
    int (*send)(void *ctx, const void *frame, size_t len, unsigned flags);
    /* Clocks; at least one must be set.  The missing one is derived. */
    uint64_t (*now_ms)(void *ctx);
    uint64_t (*now_ns)(void *ctx);
};

/* ---- state ---------------------------------------------------------------- */

/*
 * Every frame given to netstack_input lands in exactly one of the rx_* or
 * drop_* counters below (netstack_rx_accounted() sums them).
 */
struct netstack_stats {
    uint64_t rx_frames;
    uint64_t tx_frames;              /* accepted by ops->send */
    uint64_t tx_errors;              /* refused by ops->send (incl. EAGAIN) */

    uint64_t rx_arp_requests;        /* requests for our IP (answered) */
    uint64_t rx_arp_replies;         /* replies to us or refreshing an entry */
    uint64_t tx_arp_requests;
    uint64_t tx_arp_replies;

    uint64_t rx_icmp_echo_requests;  /* for us; a reply was sent or tried */
    uint64_t rx_icmp_echo_replies;   /* matched or not */
    uint64_t tx_icmp_echo_requests;
    uint64_t ping_unmatched;         /* echo replies no outstanding ping wanted */

    uint64_t rx_udp;                 /* delivered to a bound handler */
    uint64_t tx_udp;

    uint64_t drop_bad_length;        /* truncated, or lengths that disagree */
    uint64_t drop_bad_header;        /* IP version/IHL, ARP sizes, bogus MAC */
    uint64_t drop_bad_csum;          /* IPv4 header, ICMP or UDP checksum */
    uint64_t drop_not_for_us;        /* other MAC, other IP, broadcast echo */
    uint64_t drop_unknown_ethertype;
    uint64_t drop_unknown_proto;     /* IP protocol, ICMP type, ARP op */
    uint64_t drop_fragment;          /* MF set or offset != 0: no reassembly */
    uint64_t drop_no_port;           /* UDP to a port nobody bound */
};

enum netstack_arp_state { NETSTACK_ARP_FREE = 0, NETSTACK_ARP_PENDING, NETSTACK_ARP_VALID };

struct netstack_arp_entry {
    uint32_t ip;
    uint8_t mac[NETSTACK_ETH_ALEN];
    uint8_t state;                   /* enum netstack_arp_state */
    uint64_t stamp_ms;               /* VALID: learned at; PENDING: last request */
};

struct netstack;

struct netstack_udp_info {
    uint32_t src_ip, dst_ip;
    uint16_t src_port, dst_port;
    unsigned rx_flags;               /* as given to netstack_input */
};

typedef void (*netstack_udp_handler)(void *ctx, struct netstack *ns,
                                     const struct netstack_udp_info *info,
                                     const void *data, size_t len);

/* Called for every echo reply that matches an outstanding netstack_ping. */
typedef void (*netstack_ping_handler)(void *ctx, uint32_t from_ip, uint16_t id,
                                      uint16_t seq, size_t payload_len, uint64_t rtt_ns);

struct netstack_udp_bind {
    uint16_t port;                   /* 0: free */
    netstack_udp_handler handler;
    void *ctx;
};

struct netstack_ping_slot {
    uint32_t dst_ip;
    uint16_t id, seq;
    bool in_use, answered;
    uint64_t sent_ns, rtt_ns;
};

struct netstack {
    uint8_t mac[NETSTACK_ETH_ALEN];
    uint32_t ip, mask, gateway;      /* gateway 0: none */
    struct netif_ops ops;
    uint16_t ip_id;                  /* IPv4 identification of the next datagram */

    struct netstack_arp_entry arp[NETSTACK_ARP_SLOTS];
    struct netstack_udp_bind udp[NETSTACK_UDP_BINDS];
    struct netstack_ping_slot ping[NETSTACK_PING_SLOTS];
    unsigned ping_next;              /* slot the next ping overwrites */
    netstack_ping_handler ping_handler;
    void *ping_ctx;

    struct netstack_stats stats;

    /* Frames are built here; IP datagrams and ARP apart so that an ARP
     * request sent while resolving never clobbers a datagram being built. */
    uint8_t tx_frame[NETSTACK_FRAME_MAX];
    uint8_t arp_frame[NETSTACK_ETH_ZLEN];
};

/* ---- setup ---------------------------------------------------------------- */

/* EINVAL: null op, no clock, non-contiguous mask, ip 0, or a group MAC. */
int netstack_init(struct netstack *ns, const uint8_t mac[NETSTACK_ETH_ALEN],
                  uint32_t ip, uint32_t mask, const struct netif_ops *ops);
/* 0 removes it; EINVAL if the gateway is not on our subnet. */
int netstack_set_gateway(struct netstack *ns, uint32_t gateway);

uint64_t netstack_now_ms(const struct netstack *ns);
uint64_t netstack_now_ns(const struct netstack *ns);

/* rx_frames == netstack_rx_accounted() after every netstack_input. */
uint64_t netstack_rx_accounted(const struct netstack_stats *s);
uint64_t netstack_drops(const struct netstack_stats *s);

/* ---- receive -------------------------------------------------------------- */

/* One Ethernet frame (no FCS; padding after the IP datagram is ignored). */
void netstack_input(struct netstack *ns, const void *frame, size_t len, unsigned rx_flags);

/* ---- ARP ------------------------------------------------------------------- */

/*
 * The MAC to send to for ip: ip itself if on-link, else the gateway;
 * broadcast MAC for 255.255.255.255 and the subnet broadcast.  0 and
 * mac_out set; EINPROGRESS after sending (at most every ARP_RETRY_MS) an
 * ARP request -- feed received frames to netstack_input and call again;
 * EHOSTUNREACH; or the link's error if the request could not be sent.
 */
int netstack_resolve(struct netstack *ns, uint32_t ip, uint8_t mac_out[NETSTACK_ETH_ALEN]);
/* Valid cache entry for exactly this on-link IP?  No request is sent. */
bool netstack_arp_lookup(struct netstack *ns, uint32_t ip, uint8_t mac_out[NETSTACK_ETH_ALEN]);
void netstack_arp_flush(struct netstack *ns);

/* ---- ICMP echo -------------------------------------------------------------- */

/*
 * Send an echo request with payload_len bytes of pattern (byte i = i).
 * Same returns as netstack_resolve, plus EMSGSIZE.  The reply is matched on
 * (source IP, id, seq) against the last NETSTACK_PING_SLOTS pings.
 */
int netstack_ping(struct netstack *ns, uint32_t dst_ip, uint16_t id, uint16_t seq,
                  size_t payload_len);
/* Has the reply to (id, seq) come?  rtt_ns (may be NULL) gets the round trip. */
bool netstack_ping_reply_seen(const struct netstack *ns, uint16_t id, uint16_t seq,
                              uint64_t *rtt_ns);
void netstack_set_ping_handler(struct netstack *ns, netstack_ping_handler fn, void *ctx);

/* ---- UDP ---------------------------------------------------------------------- */

/* EINVAL for port 0, EADDRINUSE, ENOSPC. */
int netstack_udp_bind(struct netstack *ns, uint16_t port, netstack_udp_handler fn, void *ctx);
int netstack_udp_unbind(struct netstack *ns, uint16_t port);
/*
 * flags: NETSTACK_CSUM_BLANK leaves the checksum to the device (above).
 * Same returns as netstack_resolve, plus EINVAL (port 0) and EMSGSIZE.
 */
int netstack_udp_send(struct netstack *ns, uint16_t src_port, uint32_t dst_ip,
                      uint16_t dst_port, const void *data, size_t len, unsigned flags);

/* ---- helpers ------------------------------------------------------------------ */

/*
 * RFC 1071 Internet checksum, summed in pieces of any length: an odd-length
 * piece leaves its last byte waiting for the next one, so summing "abc" then
 * "d" equals summing "abcd".
 */
struct inet_csum {
    uint64_t sum;
    bool odd;                        /* an odd number of bytes so far */
};

void inet_csum_init(struct inet_csum *c);
void inet_csum_add(struct inet_csum *c, const void *data, size_t len);
void inet_csum_add16(struct inet_csum *c, uint16_t v);   /* a host-order word */
uint16_t inet_csum_fold(const struct inet_csum *c);       /* uncomplemented */
uint16_t inet_csum_final(const struct inet_csum *c);      /* ~fold: what goes in a header */
/* Whole buffer: the value for the checksum field, or 0 if buf verifies. */
uint16_t inet_checksum(const void *data, size_t len);

/* Dotted quad, four decimal fields 0..255, nothing after: 0 or EINVAL. */
int ip_parse(const char *s, uint32_t *ip);
/* "10.0.0.2/24": 0 or EINVAL (prefix 0..32). */
int ip_parse_cidr(const char *s, uint32_t *ip, uint32_t *mask);
#define IP_FORMAT_LEN  16                /* "255.255.255.255" and NUL */
/* Returns the length written, without the NUL. */
size_t ip_format(uint32_t ip, char buf[IP_FORMAT_LEN]);
/* "00:16:3e:01:02:03" (either case): 0 or EINVAL. */
int mac_parse(const char *s, uint8_t mac[NETSTACK_ETH_ALEN]);
#define MAC_FORMAT_LEN 18
size_t mac_format(const uint8_t mac[NETSTACK_ETH_ALEN], char buf[MAC_FORMAT_LEN]);

#define IPV4(a, b, c, d) \
    (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

#endif
