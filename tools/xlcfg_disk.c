/*
 * disk = [ 'DISKSPEC', ... ]: the subset of xl-disk-configuration(5) that
 * splitvisor supports (raw images and block devices), and the xenstore
 * virtual-device number of each vdev.
 */
#include "xlcfg_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- vdev numbers ------------------------------------------------------------ */

/*
 * docs/misc/vbd-interface.txt, "Concrete encoding in the VBD interface":
 *    202 << 8 | disk << 4 | partition   xvd, disks and partitions up to 15
 *    1 << 28 | disk << 8 | partition    xvd, beyond (disks < 2^20, parts < 256)
 *      8 << 8 | disk << 4 | partition   sd, disks and partitions up to 15
 *      3 << 8 | disk << 6 | partition   hd, disks 0..1, partitions 0..63
 *     22 << 8 | (disk-2) << 6 | part    hd, disks 2..3, partitions 0..63
 * Disk letters count in bijective base 26: xvdz is 25, xvdaa 26, xvdtq 536.
 */
int xlcfg_vdev_number(const char *vdev, uint32_t *number, char *why, size_t whylen)
{
    enum { XVD, HD, SD } kind;
    char q[QUOTE_BUF];
    const char *p;
    unsigned long disk = 0, part = 0;

    if (strncmp(vdev, "xvd", 3) == 0) {
        kind = XVD;
        p = vdev + 3;
    } else if (strncmp(vdev, "hd", 2) == 0) {
        kind = HD;
        p = vdev + 2;
    } else if (strncmp(vdev, "sd", 2) == 0) {
        kind = SD;
        p = vdev + 2;
    } else {
        snprintf(why, whylen, "vdev '%s' is not xvdX, hdX or sdX",
                 xlcfg__quote(q, sizeof(q), vdev, strlen(vdev)));
        return -1;
    }

    const char *letters = p;
    while (is_lower((unsigned char)*p)) {
        disk = disk * 26 + (unsigned long)(*p - 'a' + 1);
        if (disk > (1ul << 20)) {
            snprintf(why, whylen, "vdev '%s': disk number too large",
                     xlcfg__quote(q, sizeof(q), vdev, strlen(vdev)));
            return -1;
        }
        p++;
    }
    if (p == letters) {
        snprintf(why, whylen, "vdev '%s' has no disk letter",
                 xlcfg__quote(q, sizeof(q), vdev, strlen(vdev)));
        return -1;
    }
    disk--;
    if (is_digit((unsigned char)*p)) {
        if (*p == '0') {
            snprintf(why, whylen, "vdev '%s': partitions start at 1",
                     xlcfg__quote(q, sizeof(q), vdev, strlen(vdev)));
            return -1;
        }
        while (is_digit((unsigned char)*p)) {
            part = part * 10 + (unsigned long)(*p++ - '0');
            if (part > 255) {
                snprintf(why, whylen, "vdev '%s': partition number too large",
                         xlcfg__quote(q, sizeof(q), vdev, strlen(vdev)));
                return -1;
            }
        }
    }
    if (*p) {
        snprintf(why, whylen, "bad vdev '%s'", xlcfg__quote(q, sizeof(q), vdev, strlen(vdev)));
        return -1;
    }

    switch (kind) {
    case XVD:
        if (disk >= (1ul << 20)) {
            snprintf(why, whylen, "vdev '%s': disk number too large", vdev);
            return -1;
        }
        if (disk < 16 && part < 16)
            *number = (uint32_t)(202u << 8 | disk << 4 | part);
        else
            *number = (uint32_t)(1ul << 28 | disk << 8 | part);
        return 0;
    case SD:
        if (disk > 15 || part > 15) {
            snprintf(why, whylen, "vdev '%s': sd disks stop at sdp and their "
                     "partitions at 15", vdev);
            return -1;
        }
        *number = (uint32_t)(8u << 8 | disk << 4 | part);
        return 0;
    case HD:
        if (disk > 3 || part > 63) {
            snprintf(why, whylen, "vdev '%s': hd disks stop at hdd and their "
                     "partitions at 63", vdev);
            return -1;
        }
        if (disk < 2)
            *number = (uint32_t)(3u << 8 | disk << 6 | part);
        else
            *number = (uint32_t)(22u << 8 | (disk - 2) << 6 | part);
        return 0;
    }
    return -1;
}

/* ---- disk specs -------------------------------------------------------------- */

enum disk_param { DP_TARGET, DP_FORMAT, DP_VDEV, DP_ACCESS, DP_DEVTYPE, DP_COUNT };

static const char *const disk_param_names[DP_COUNT] = {
    "target", "format", "vdev", "access", "devtype",
};

struct disk_spec {
    const char *spec;           /* the whole string, for messages */
    const char *val[DP_COUNT];  /* into the working copy; NULL: not given */
    enum xlcfg_disk_backend backend;
    bool prefixed;              /* old "[PREFIX:]TARGET,VDEV,ACCESS" form */
};

PRINTF(3, 4)
static int disk_fail(struct ctx *c, const struct disk_spec *ds, const char *fmt, ...)
{
    char q[QUOTE_BUF], msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return fail(c, "'%s': %s", xlcfg__quote(q, sizeof(q), ds->spec, strlen(ds->spec)), msg);
}

static int disk_set(struct ctx *c, struct disk_spec *ds, enum disk_param p,
                    const char *val)
{
    /* An empty positional target may be given again as target=. */
    if (ds->val[p] && !(p == DP_TARGET && !*ds->val[p]))
        return disk_fail(c, ds, "%s given twice", disk_param_names[p]);
    ds->val[p] = val;
    return 0;
}

static bool format_unsupported(const char *f)
{
    return !strcmp(f, "qcow") || !strcmp(f, "qcow2") || !strcmp(f, "vhd") ||
           !strcmp(f, "qed");
}

/*
 * xl-disk-configuration(5)'s deprecated prefixes on a positional target:
 * "raw:" and friends give the format, "phy:"/"file:" the backend, the rest
 * are ignored as xl does.  Any of them means the next positional is the
 * vdev (the old "[FORMAT:]TARGET,VDEV,ACCESS" form).
 */
static int disk_prefixes(struct ctx *c, struct disk_spec *ds, char **target)
{
    static const char *const ignored[] = { "tap", "tap2", "aio", "tapdisk", "ioemu" };
    static const char *const scripts[] = { "iscsi", "nbd", "enbd", "drbd" };
    char *t = *target;

    for (;;) {
        size_t n = 0;
        if (!is_lower((unsigned char)t[0]))
            break;
        while (is_lower((unsigned char)t[n]) || is_digit((unsigned char)t[n]) || t[n] == '-')
            n++;
        if (t[n] != ':')
            break;
        t[n] = '\0';
        const char *word = t;
        t += n + 1;
        ds->prefixed = true;
        if (!strcmp(word, "raw")) {
            if (disk_set(c, ds, DP_FORMAT, "raw"))
                return -1;
            continue;
        }
        if (format_unsupported(word))
            return disk_fail(c, ds, "format '%s' is not supported (only raw)", word);
        if (!strcmp(word, "phy")) {
            ds->backend = XLCFG_DISK_BACKEND_PHY;
            continue;
        }
        if (!strcmp(word, "file")) {
            ds->backend = XLCFG_DISK_BACKEND_FILE;
            continue;
        }
        bool known = false;
        for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
            known = known || !strcmp(word, ignored[i]);
        if (known)
            continue;
        for (size_t i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++)
            if (!strcmp(word, scripts[i]))
                return disk_fail(c, ds, "'%s:' block scripts are not supported", word);
        return disk_fail(c, ds, "unknown prefix '%s:'", word);
    }
    *target = t;
    return 0;
}

static int disk_positional(struct ctx *c, struct disk_spec *ds, char *item)
{
    /*
     * The first parameter not yet given, in xl's order; after a deprecated
     * prefix the format is not positional (libxlu's had_depr_prefix).
     */
    enum disk_param p = DP_TARGET;
    while (p <= DP_ACCESS && (ds->val[p] || (p == DP_FORMAT && ds->prefixed)))
        p++;
    if (p > DP_ACCESS)
        return disk_fail(c, ds, "too many positional parameters");

    if (p == DP_TARGET) {
        if (disk_prefixes(c, ds, &item))
            return -1;
    } else if (p == DP_VDEV) {
        /* The deprecated "hdc:cdrom" form. */
        char *colon = strchr(item, ':');
        if (colon) {
            *colon = '\0';
            if (strcmp(colon + 1, "cdrom") != 0)
                return disk_fail(c, ds, "unknown vdev suffix ':%s'", colon + 1);
            if (disk_set(c, ds, DP_DEVTYPE, "cdrom"))
                return -1;
        }
    }
    ds->val[p] = item;
    return 0;
}

static int disk_named(struct ctx *c, struct disk_spec *ds, char *item)
{
    static const char *const unsupported[] = {
        "backend", "backendtype", "script", "specification", "grant_usage",
        "colo-host", "colo-port", "colo-export", "active-disk", "hidden-disk",
    };
    char *eq = strchr(item, '=');
    *eq = '\0';
    char *key = xlcfg__trim(item), *val = xlcfg__trim(eq + 1);

    for (enum disk_param p = DP_FORMAT; p < DP_COUNT; p++)
        if (!strcmp(key, disk_param_names[p]))
            return disk_set(c, ds, p, val);
    for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
        if (!strcmp(key, unsupported[i]))
            return disk_fail(c, ds, "parameter '%s' is not supported", key);
    char q[QUOTE_BUF];
    return disk_fail(c, ds, "unknown parameter '%s'", xlcfg__quote(q, sizeof(q), key, strlen(key)));
}

/* Splits and classifies the spec's parameters (xl-disk-configuration(5)). */
static int disk_split(struct ctx *c, struct disk_spec *ds, char *p)
{
    static const char *const ignored_flags[] = {
        "discard", "no-discard", "direct-io-safe", "trusted", "untrusted",
    };
    for (;;) {
        while (is_blank((unsigned char)*p))
            p++;
        if (strncmp(p, "target=", 7) == 0)
            return disk_set(c, ds, DP_TARGET, p + 7);   /* takes the rest */
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        /* xl keeps trailing blanks; "xvda , w" is surely meant as "xvda,w". */
        char *item = xlcfg__trim(p);

        if (strchr(item, '=')) {
            if (disk_named(c, ds, item))
                return -1;
        } else if (!strcmp(item, "cdrom")) {
            if (disk_set(c, ds, DP_DEVTYPE, item))
                return -1;
        } else {
            bool flag = false;
            for (size_t i = 0; i < sizeof(ignored_flags) / sizeof(ignored_flags[0]); i++)
                flag = flag || !strcmp(item, ignored_flags[i]);
            if (flag)
                xlcfg__warn(c->diag, &c->w, "option '%s' ignored", item);
            else if (disk_positional(c, ds, item))
                return -1;
        }
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

static int parse_disk(struct ctx *c, const char *spec, struct xlcfg_disk *out)
{
    struct disk_spec ds;
    char why[160];
    int rc = -1;

    memset(&ds, 0, sizeof(ds));
    memset(out, 0, sizeof(*out));
    ds.spec = spec;
    ds.backend = XLCFG_DISK_BACKEND_FILE;
    char *copy = strdup(spec);
    if (!copy)
        return fail(c, "out of memory");
    if (disk_split(c, &ds, copy))
        goto out;

    const char *format = ds.val[DP_FORMAT] ? ds.val[DP_FORMAT] : "";
    if (*format && strcmp(format, "raw") != 0) {
        if (format_unsupported(format))
            disk_fail(c, &ds, "format '%s' is not supported (only raw)", format);
        else if (!strncmp(format, "xvd", 3) || !strncmp(format, "hd", 2) ||
                 !strncmp(format, "sd", 2))
            disk_fail(c, &ds, "unknown format '%s' (a vdev in the format's "
                      "place? write TARGET,,VDEV or phy:TARGET,VDEV)", format);
        else
            disk_fail(c, &ds, "unknown format '%s'", format);
        goto out;
    }
    out->format = XLCFG_DISK_FORMAT_RAW;
    out->backend = ds.backend;

    bool cdrom = false;
    if (ds.val[DP_DEVTYPE]) {
        if (strcmp(ds.val[DP_DEVTYPE], "cdrom") != 0) {
            disk_fail(c, &ds, "unknown devtype '%s'", ds.val[DP_DEVTYPE]);
            goto out;
        }
        cdrom = true;
        xlcfg__warn(c->diag, &c->w, "devtype=cdrom ignored: attached as a plain "
             "read-only disk");
    }

    const char *access = ds.val[DP_ACCESS] ? ds.val[DP_ACCESS] : "";
    if (!*access)
        out->readonly = cdrom;
    else if (!strcmp(access, "r") || !strcmp(access, "ro"))
        out->readonly = true;
    else if (!strcmp(access, "w") || !strcmp(access, "rw"))
        out->readonly = false;
    else {
        disk_fail(c, &ds, "unknown access '%s' (expected r, ro, w or rw)", access);
        goto out;
    }

    if (!ds.val[DP_VDEV] || !*ds.val[DP_VDEV]) {
        disk_fail(c, &ds, "no vdev");
        goto out;
    }
    if (xlcfg_vdev_number(ds.val[DP_VDEV], &out->vdev_number, why, sizeof(why))) {
        disk_fail(c, &ds, "%s", why);
        goto out;
    }

    const char *target = ds.val[DP_TARGET] ? ds.val[DP_TARGET] : "";
    if (!*target) {
        disk_fail(c, &ds, "no target (empty cdrom drives are not supported)");
        goto out;
    }
    if (control_char(target) >= 0) {
        disk_fail(c, &ds, "target contains a control character");
        goto out;
    }
    /* xl-disk-configuration(5): "/dev" is prepended to a relative device. */
    bool add_dev = out->backend == XLCFG_DISK_BACKEND_PHY && target[0] != '/';
    out->target = malloc(strlen(target) + 6);
    out->vdev = strdup(ds.val[DP_VDEV]);
    if (!out->target || !out->vdev) {
        fail(c, "out of memory");
        goto out;
    }
    strcpy(out->target, add_dev ? "/dev/" : "");
    strcat(out->target, target);
    rc = 0;
out:
    if (rc) {
        free(out->target);
        free(out->vdev);
        memset(out, 0, sizeof(*out));
    }
    free(copy);
    return rc;
}

void xlcfg__disks_free(struct xlcfg_disk *disks, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(disks[i].target);
        free(disks[i].vdev);
    }
    free(disks);
}

int xlcfg__h_disk(struct ctx *c, const struct value *v)
{
    struct xlcfg_disk *disks = NULL;
    size_t n = 0;

    if (xlcfg__want_list(c, v))
        return -1;
    if (v->nitems) {
        disks = calloc(v->nitems, sizeof(*disks));
        if (!disks)
            return fail(c, "out of memory");
    }
    for (; n < v->nitems; n++) {
        const struct atom *a = &v->items[n];
        c->w.line = a->line;
        if (a->is_number) {
            fail(c, "expected a string for each disk, got a number");
            goto bad;
        }
        if (parse_disk(c, a->str, &disks[n]))
            goto bad;
        for (size_t j = 0; j < n; j++) {
            if (disks[j].vdev_number == disks[n].vdev_number) {
                fail(c, "vdev '%s' is used by two disks", disks[n].vdev);
                n++;
                goto bad;
            }
        }
    }
    xlcfg__disks_free(c->cfg->disks, c->cfg->ndisks);
    c->cfg->disks = disks;
    c->cfg->ndisks = n;
    return 0;
bad:
    xlcfg__disks_free(disks, n);
    return -1;
}
