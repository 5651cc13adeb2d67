/*
 * xl's PV device commands: block-attach/-detach/-list and
 * network-attach/-detach/-list, with Xen 4.17 xl's arguments and output
 * (tools/xl/xl_block.c, xl_nic.c).  The xenstore work is
 * builder/xs_devices.c.
 *
 * A disk or vif spec is parsed by the xl.cfg parser itself: the spec is
 * quoted into a one-line config "disk = [ 'SPEC' ]" (or vif) and given to
 * xlcfg_parse_buffer(), which applies the key without xlcfg_validate()'s
 * required keys, so no dummy name/kernel is needed and the spec goes
 * through exactly the code (and messages) of a config file's disk = [...].
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../builder/xs_devices.h"
#include "../xlcfg.h"
#include "xl.h"

/* ---- specs through the xl.cfg parser ------------------------------------- */

struct spec_diag {
    const char *prefix;         /* "SRC:1: ", cut from the parser's messages */
};

static const char *unprefixed(const struct spec_diag *d, const char *msg)
{
    size_t n = strlen(d->prefix);

    return strncmp(msg, d->prefix, n) == 0 ? msg + n : msg;
}

static void spec_warn(void *arg, const char *msg)
{
    fprintf(stderr, "xl: warning: %s\n", unprefixed(arg, msg));
}

/*
 * Parses SPEC as the one element of `key = [ 'SPEC' ]` into cfg (initialised
 * here; the caller frees it).  0, or -1 after a message.
 */
static int parse_spec(const char *cmd, const char *key, const char *spec, struct xlcfg *cfg)
{
    char err[512], prefix[64];
    size_t len = strlen(spec), n = 0;
    /* Every byte may become "\xHH"; plus key, " = [ '", "' ]". */
    char *text = malloc(strlen(key) + 4 * len + 16);
    struct spec_diag sd = { prefix };
    struct xlcfg_diag diag = { err, sizeof(err), spec_warn, &sd };
    int rc;

    xlcfg_init(cfg);
    if (!text)
        return xl_fail("%s: out of memory", cmd), -1;
    n += (size_t)sprintf(text, "%s = [ '", key);
    for (const char *s = spec; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '\\' || c == '\'') {
            text[n++] = '\\';
            text[n++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            /* Kept, for the parser to refuse by its own rules. */
            n += (size_t)sprintf(text + n, "\\x%02x", c);
        } else {
            text[n++] = (char)c;
        }
    }
    n += (size_t)sprintf(text + n, "' ]\n");
    snprintf(prefix, sizeof(prefix), "%s:1: ", cmd);
    err[0] = '\0';
    rc = xlcfg_parse_buffer(cfg, cmd, text, n, &diag);
    free(text);
    if (rc)
        return xl_fail("%s: %s", cmd, unprefixed(&sd, err)), -1;
    return 0;
}

/* ---- shared ---------------------------------------------------------------- */

/* The domain named by arg, not Domain-0, and xenstore: 0, or -1 after a message. */
static int device_domain(const char *cmd, const char *arg, domid_t *dom, struct xs_handle **xs)
{
    if (xl_find_domain(arg, dom))
        return -1;
    if (*dom == 0)
        return xl_fail("%s: not for Domain-0 (its devices are the host's)", cmd), -1;
    if (!(*xs = xl_xs()))
        return xl_fail("%s: cannot connect to xenstored: %s", cmd, strerror(errno)), -1;
    return 0;
}

/* Joins argv[0..argc) with commas, as xl's parse_disk_config_multistring. */
static char *join(int argc, char **argv)
{
    size_t len = 1;
    char *s;

    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    if (!(s = malloc(len)))
        return NULL;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(s, ",");
        strcat(s, argv[i]);
    }
    return s;
}

static int parse_uint(const char *s, unsigned *out)
{
    char *end;
    unsigned long v;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v > 0xffffffffUL)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* ---- block-* ------------------------------------------------------------------ */

int main_block_attach(int argc, char **argv)
{
    struct xlcfg cfg;
    struct xs_handle *xs;
    domid_t dom;
    char err[512];
    char *spec;
    int rc;

    if (xl_help_requested(argc, argv))
        return 0;
    if (argc < 3) {
        xl_usage(argv[0], stderr);
        return 1;
    }
    if (!(spec = join(argc - 2, argv + 2)))
        return xl_fail("%s: out of memory", argv[0]);
    rc = parse_spec(argv[0], "disk", spec, &cfg);
    free(spec);
    if (rc) {
        xlcfg_free(&cfg);
        return 1;
    }
    if (cfg.ndisks != 1) {
        xlcfg_free(&cfg);
        return xl_fail("%s: expected one disk spec", argv[0]);
    }
    if (device_domain(argv[0], argv[1], &dom, &xs)) {
        xlcfg_free(&cfg);
        return 1;
    }
    rc = xs_device_disk_add(xs, dom, &cfg.disks[0], err, sizeof(err));
    if (!rc && xl_verbose)
        xl_trace("domain %u: vbd %u (%s) -> /local/domain/0/backend/vbd/%u/%u", dom,
                 cfg.disks[0].vdev_number, cfg.disks[0].vdev, dom, cfg.disks[0].vdev_number);
    xlcfg_free(&cfg);
    return rc ? xl_fail("%s: %s", argv[0], err) : 0;
}

int main_block_detach(int argc, char **argv)
{
    struct xs_handle *xs;
    const char *operand[2] = { NULL, NULL };
    int noperands = 0;
    bool force = false;
    domid_t dom;
    unsigned devid;
    char err[512], why[160];
    int rc;

    if (xl_help_requested(argc, argv))
        return 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--force"))
            force = true;
        else if (argv[i][0] == '-' && argv[i][1])
            return xl_fail("%s: unknown option '%s'", argv[0], argv[i]);
        else if (noperands < 2)
            operand[noperands++] = argv[i];
        else
            noperands = 3;
    }
    if (noperands != 2) {
        xl_usage(argv[0], stderr);
        return 1;
    }
    /* libxl__device_disk_dev_number: a vdev name or the number itself. */
    if (parse_uint(operand[1], &devid) &&
        xlcfg_vdev_number(operand[1], &devid, why, sizeof(why)))
        return xl_fail("%s: %s", argv[0], why);
    if (device_domain(argv[0], operand[0], &dom, &xs))
        return 1;
    rc = xs_device_remove(xs, dom, "vbd", devid, force, err, sizeof(err));
    if (rc == -ENOENT)
        return xl_fail("%s: domain %u has no disk %s (xl block-list %u lists them)", argv[0],
                       dom, operand[1], dom);
    /* xl's block-detach is libxl_device_disk_safe_remove: no forcing. */
    if (rc == -ETIMEDOUT)
        return xl_fail("%s: %s; -f removes it anyway", argv[0], err);
    return rc ? xl_fail("%s: %s", argv[0], err) : 0;
}

static int list_devices(int argc, char **argv, const char *kind)
{
    bool vif = !strcmp(kind, "vif");
    struct xs_handle *xs;

    if (xl_help_requested(argc, argv))
        return 0;
    if (argc < 2) {
        xl_usage(argv[0], stderr);
        return 1;
    }
    /* Resolve every domain first: nothing printed if one is wrong. */
    domid_t *doms = calloc((size_t)argc, sizeof(*doms));
    if (!doms)
        return xl_fail("%s: out of memory", argv[0]);
    for (int i = 1; i < argc; i++)
        if (xl_find_domain(argv[i], &doms[i])) {
            free(doms);
            return 1;
        }
    if (!(xs = xl_xs())) {
        free(doms);
        return xl_fail("%s: cannot connect to xenstored: %s", argv[0], strerror(errno));
    }
    /* Xen's headers and column widths, exactly. */
    if (vif)
        printf("%-3s %-2s %-17s %-6s %-5s %-6s %5s/%-5s %-30s\n", "Idx", "BE", "Mac Addr.",
               "handle", "state", "evt-ch", "tx-", "rx-ring-ref", "BE-path");
    else
        printf("%-5s %-3s %-6s %-5s %-6s %-8s %-30s\n", "Vdev", "BE", "handle", "state",
               "evt-ch", "ring-ref", "BE-path");
    for (int i = 1; i < argc; i++) {
        struct xs_device_entry *list;
        char err[256];
        int n = xs_device_list(xs, doms[i], kind, &list, err, sizeof(err));

        if (n < 0) {
            free(doms);
            return xl_fail("%s: %s", argv[0], err);
        }
        for (int j = 0; j < n; j++) {
            const struct xs_device_entry *e = &list[j];

            if (vif)
                printf("%-3d %-2d %-17s%6d %5d %6d %5d/%-11d %-30s\n", (int)e->devid,
                       e->backend_id, e->mac, (int)e->devid, e->state, e->evtchn, e->ring_ref,
                       e->rx_ring_ref, e->backend);
            else
                /* As Xen's xl, "handle" shows the frontend's domain id. */
                printf("%-5d %-3d %-6d %-5d %-6d %-8d %-30s\n", (int)e->devid, e->backend_id,
                       (int)doms[i], e->state, e->evtchn, e->ring_ref, e->backend);
        }
        free(list);
    }
    free(doms);
    return 0;
}

int main_block_list(int argc, char **argv)
{
    return list_devices(argc, argv, "vbd");
}

/* ---- network-* ------------------------------------------------------------------ */

int main_network_attach(int argc, char **argv)
{
    struct xlcfg cfg;
    struct xs_handle *xs;
    domid_t dom;
    uint8_t mac[6];
    char err[512];
    char *spec;
    long devid;
    int rc;

    if (xl_help_requested(argc, argv))
        return 0;
    if (argc < 2) {
        xl_usage(argv[0], stderr);
        return 1;
    }
    /* xl takes each argument as one KEY=VALUE (a comma would be part of
     * the value); ours joins them into a vif spec, so refuse commas. */
    for (int i = 2; i < argc; i++) {
        if (strchr(argv[i], ','))
            return xl_fail("%s: '%s': give one KEY=VALUE per argument", argv[0], argv[i]);
        if (!strchr(argv[i], '='))
            return xl_fail("%s: '%s': expected KEY=VALUE (bridge=, mac=, ip=, script=, "
                           "vifname=, ...)", argv[0], argv[i]);
    }
    if (!(spec = join(argc - 2, argv + 2)))
        return xl_fail("%s: out of memory", argv[0]);
    rc = parse_spec(argv[0], "vif", spec, &cfg);
    free(spec);
    if (rc) {
        xlcfg_free(&cfg);
        return 1;
    }
    if (cfg.nvifs != 1) {
        xlcfg_free(&cfg);
        return xl_fail("%s: expected one vif spec", argv[0]);
    }
    if (device_domain(argv[0], argv[1], &dom, &xs)) {
        xlcfg_free(&cfg);
        return 1;
    }
    /* libxl__device_nextid; a racing attach makes the add fail with EEXIST. */
    devid = xs_device_next_devid(xs, dom, "vif");
    if (devid < 0) {
        xlcfg_free(&cfg);
        return xl_fail("%s: xenstore: listing domain %u's vifs: %s", argv[0], dom,
                       strerror((int)-devid));
    }
    rc = xs_device_nic_add(xs, dom, (unsigned)devid, &cfg.vifs[0], mac, err, sizeof(err));
    xlcfg_free(&cfg);
    if (rc)
        return xl_fail("%s: %s", argv[0], err);
    if (xl_verbose)
        xl_trace("domain %u: vif %ld, mac %02x:%02x:%02x:%02x:%02x:%02x", dom, devid, mac[0],
                 mac[1], mac[2], mac[3], mac[4], mac[5]);
    return 0;
}

/* "xx:xx:xx:xx:xx:xx", either case. */
static int parse_mac(const char *s, uint8_t mac[6])
{
    unsigned v[6];
    int used = -1;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
               &used) != 6 || used != 17 || s[17])
        return -1;
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)v[i];
    return 0;
}

int main_network_detach(int argc, char **argv)
{
    struct xs_handle *xs;
    domid_t dom;
    unsigned devid = 0;
    uint8_t want[6];
    bool by_mac;
    char err[512];
    int rc;

    if (xl_help_requested(argc, argv))
        return 0;
    if (argc != 3) {
        xl_usage(argv[0], stderr);
        return 1;
    }
    /* As xl: with a ':' it is a MAC, otherwise a device id. */
    by_mac = strchr(argv[2], ':') != NULL;
    if (by_mac ? parse_mac(argv[2], want) : parse_uint(argv[2], &devid))
        return xl_fail("%s: '%s' is neither a device id nor a MAC address", argv[0], argv[2]);
    if (device_domain(argv[0], argv[1], &dom, &xs))
        return 1;
    if (by_mac) {
        struct xs_device_entry *list;
        int n = xs_device_list(xs, dom, "vif", &list, err, sizeof(err)), found = -1;
        uint8_t mac[6];

        if (n < 0)
            return xl_fail("%s: %s", argv[0], err);
        for (int i = 0; i < n && found < 0; i++)
            if (!parse_mac(list[i].mac, mac) && !memcmp(mac, want, sizeof(mac)))
                found = i;
        if (found >= 0)
            devid = list[found].devid;
        free(list);
        if (found < 0)
            return xl_fail("%s: domain %u has no vif with MAC %s (xl network-list %u lists "
                           "them)", argv[0], dom, argv[2], dom);
    }
    rc = xs_device_remove(xs, dom, "vif", devid, false, err, sizeof(err));
    if (rc == -ETIMEDOUT) {
        /* libxl_device_nic_remove is LIBXL__FORCE_AUTO: forced after the wait. */
        fprintf(stderr, "xl: warning: %s: %s: removing it anyway\n", argv[0], err);
        rc = xs_device_remove(xs, dom, "vif", devid, true, err, sizeof(err));
    }
    if (rc == -ENOENT)
        return xl_fail("%s: domain %u has no vif %s (xl network-list %u lists them)", argv[0],
                       dom, argv[2], dom);
    return rc ? xl_fail("%s: %s", argv[0], err) : 0;
}

int main_network_list(int argc, char **argv)
{
    return list_devices(argc, argv, "vif");
}
