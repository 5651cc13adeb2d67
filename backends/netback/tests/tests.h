/*
 * The unit tests' shared pieces: suites, the fake grant table, test frames.
 */
#ifndef NB_TESTS_H
#define NB_TESTS_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nb_ring.h"

#define TEST_DOMID 7u

Suite *csum_suite(void);
Suite *offload_suite(void);
Suite *fe_config_suite(void);
Suite *tx_suite(void);
Suite *rx_suite(void);

/* ---- fake_gnt.c: a grant table of a few pages of one or more domains --- */

#define FAKE_GNT_MAX 48

struct fake_grant {
    bool used;
    uint16_t domid;
    uint32_t ref;
    bool readonly;
    uint8_t page[NB_PAGE_SIZE];
};

struct fake_gnt {
    struct fake_grant g[FAKE_GNT_MAX];
    unsigned calls;           /* copy calls made */
    unsigned segs;            /* segments over all calls */
    int fail_next;            /* non-zero: the next call returns it */
    /* Runs inside each copy call, before copying: a guest racing us. */
    void (*during)(void *ctx);
    void *during_ctx;
};

struct fake_gnt *fake_gnt_new(void);
/* Grants a page of domid as ref; returns the page. */
uint8_t *fake_gnt_add(struct fake_gnt *f, uint16_t domid, uint32_t ref, bool readonly);
/* xengnttab_grant_copy's contract (nb_copy_ops.copy). */
int fake_gnt_copy(void *ctx, uint32_t count, xengnttab_grant_copy_segment_t *segs);

/* ---- frames.c: Ethernet frames with TCP/UDP over IPv4/IPv6 ---------------- */

struct frame_spec {
    int ip_version;        /* 4 or 6 */
    uint8_t proto;         /* 6 TCP, 17 UDP, or anything */
    size_t payload;        /* bytes after the L4 header */
    unsigned ip_opt_words; /* IPv4: option words (ihl = 5 + this) */
    bool vlan;             /* one 802.1Q tag */
    bool hopopts;          /* IPv6: an 8-byte hop-by-hop header */
    unsigned tcp_opt_words;
};

/* Builds the frame into buf with the L4 checksum field holding the
 * pseudo-header sum (a partial checksum, as a guest or the kernel leaves
 * it).  Returns its length; *l4_off where TCP/UDP starts. */
size_t frame_build(uint8_t *buf, const struct frame_spec *s, size_t *l4_off);
/* True if the frame's L4 checksum verifies (independent of csum.c). */
bool frame_l4_csum_ok(const uint8_t *buf, size_t len, const struct frame_spec *s);

#endif
