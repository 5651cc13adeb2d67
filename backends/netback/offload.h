/*
 * Offload metadata between the netif ABI (NETTXF_*, NETRXF_*, GSO extra
 * info) and the tap's struct virtio_net_hdr (IFF_VNET_HDR).
 *
 * The tap's header is the legacy one (10 bytes, no TUNSETVNETHDRSZ), its
 * 16-bit fields little-endian: the native order of every legacy virtio
 * host we run on (x86).
 */
#ifndef NB_OFFLOAD_H
#define NB_OFFLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/virtio_net.h>

#include "nb_ring.h"

#define NB_VNET_HDR_LEN sizeof(struct virtio_net_hdr)

/* What the frontend said it takes on its receive side. */
struct offload_rx_caps {
    bool csum_v4;   /* not feature-no-csum-offload: csum_blank for IPv4 */
    bool csum_v6;   /* feature-ipv6-csum-offload */
};

/*
 * The header for a frame the guest sent: flags are the first request's
 * NETTXF_*, gso the GSO extra info (NULL if none).
 *   csum_blank      -> NEEDS_CSUM, csum_start/offset from the frame's
 *                      IPv4/IPv6 + TCP/UDP headers (Linux netback drops a
 *                      csum_blank frame it cannot parse; so do we);
 *   data_validated  -> DATA_VALID (without csum_blank);
 *   GSO TCPv4/v6    -> gso_type, gso_size (the MSS), hdr_len; needs
 *                      csum_blank and a TCP frame of that IP version.
 * 0, or -EINVAL / -EPROTONOSUPPORT with *why set to a short reason.
 */
int offload_tx_hdr(uint16_t flags, const struct netif_extra_info *gso, const uint8_t *frame,
                   size_t len, struct virtio_net_hdr *h, const char **why);

/*
 * NETRXF_* for a frame the tap gave us with header h:
 *   NEEDS_CSUM  -> csum_blank | data_validated if the frontend takes a
 *                  blank checksum for this IP version and csum_start is
 *                  the TCP/UDP header we find; otherwise the checksum is
 *                  completed here (the frame is modified) -> data_validated;
 *   DATA_VALID  -> data_validated;
 *   GSO         -> refused (the tap is never given TSO offloads).
 * 0, or -EINVAL with *why set.
 */
int offload_rx_flags(const struct virtio_net_hdr *h, uint8_t *frame, size_t len,
                     const struct offload_rx_caps *caps, uint16_t *flags, const char **why);

#endif
