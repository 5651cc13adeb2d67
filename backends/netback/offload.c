/*
 * netif flags <-> virtio_net_hdr (offload.h).
 */
#define _DEFAULT_SOURCE     /* htole16, le16toh */
#include "offload.h"

#include <endian.h>
#include <errno.h>
#include <string.h>

#include "csum.h"

#define PROTO_TCP 6u

int offload_tx_hdr(uint16_t flags, const struct netif_extra_info *gso, const uint8_t *frame,
                   size_t len, struct virtio_net_hdr *h, const char **why)
{
    struct csum_l4 l4;

    memset(h, 0, sizeof(*h));
    if (flags & NETTXF_csum_blank) {
        if (csum_parse(frame, len, &l4) < 0) {
            *why = "csum_blank on a frame that is not TCP/UDP over IPv4/IPv6";
            return -EPROTONOSUPPORT;
        }
        h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
        h->csum_start = htole16(l4.l4_off);
        h->csum_offset = htole16(l4.csum_off);
    } else if (flags & NETTXF_data_validated) {
        h->flags = VIRTIO_NET_HDR_F_DATA_VALID;
    }
    if (!gso)
        return 0;

    if (!(flags & NETTXF_csum_blank)) {
        *why = "GSO frame without csum_blank";
        return -EINVAL;
    }
    if (gso->u.gso.size == 0) {
        *why = "GSO frame with segment size 0";
        return -EINVAL;
    }
    if (gso->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 && l4.ip_version == 4 &&
        l4.proto == PROTO_TCP) {
        h->gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
    } else if (gso->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6 && l4.ip_version == 6 &&
               l4.proto == PROTO_TCP) {
        h->gso_type = VIRTIO_NET_HDR_GSO_TCPV6;
    } else {
        *why = "GSO type does not match the frame (or is unknown)";
        return -EINVAL;
    }
    h->gso_size = htole16(gso->u.gso.size);
    h->hdr_len = htole16((uint16_t)(l4.l4_off + l4.l4_hdr_len));
    return 0;
}

int offload_rx_flags(const struct virtio_net_hdr *h, uint8_t *frame, size_t len,
                     const struct offload_rx_caps *caps, uint16_t *flags, const char **why)
{
    *flags = 0;
    if (h->gso_type != VIRTIO_NET_HDR_GSO_NONE) {
        *why = "GSO frame from the tap (TSO was never enabled on it)";
        return -EINVAL;
    }
    if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
        size_t start = le16toh(h->csum_start), off = le16toh(h->csum_offset);
        struct csum_l4 l4;

        if (start + off + 2 > len) {
            *why = "csum_start/csum_offset past the frame";
            return -EINVAL;
        }
        if (csum_parse(frame, len, &l4) == 0 && l4.l4_off == start && l4.csum_off == off &&
            (l4.ip_version == 4 ? caps->csum_v4 : caps->csum_v6)) {
            *flags = NETRXF_csum_blank | NETRXF_data_validated;
            return 0;
        }
        csum_complete(frame, len, start, off);
        *flags = NETRXF_data_validated;
        return 0;
    }
    if (h->flags & VIRTIO_NET_HDR_F_DATA_VALID)
        *flags = NETRXF_data_validated;
    return 0;
}
