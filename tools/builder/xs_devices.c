/*
 * PV disks and NICs in xenstore (xs_devices.h), after Xen 4.17's libxl.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xen/io/xenbus.h>

#include "xs_devices.h"

#define TX_ATTEMPTS     10
#define POLL_MS         100u

/* ---- one transaction's writes ------------------------------------------------ */

struct tx {
    struct xs_handle *xs;
    xs_transaction_t t;
    int rc;                     /* 0, or the first failure's -errno */
    char why[300];
};

static void fail_tx(struct tx *x, const char *what, const char *path)
{
    if (x->rc)
        return;
    x->rc = -(errno ? errno : EIO);
    snprintf(x->why, sizeof(x->why), "%s %s: %s", what, path, strerror(-x->rc));
}

static void put(struct tx *x, const char *dir, const char *key, const char *value)
{
    char path[256];

    if (x->rc)
        return;
    snprintf(path, sizeof(path), "%s/%s", dir, key);
    if (!xs_write(x->xs, x->t, path, value, strlen(value)))
        fail_tx(x, "write", path);
}

static void putu(struct tx *x, const char *dir, const char *key, unsigned long v)
{
    char value[24];

    snprintf(value, sizeof(value), "%lu", v);
    put(x, dir, key, value);
}

/* Owner (no rights beyond owning it) and one reader, as libxl's perms[2]. */
static void set_perms(struct tx *x, const char *path, uint32_t owner, uint32_t reader)
{
    struct xs_permissions p[2] = {
        { .id = owner, .perms = XS_PERM_NONE },
        { .id = reader, .perms = XS_PERM_READ },
    };

    if (!x->rc && !xs_set_permissions(x->xs, x->t, path, p, 2))
        fail_tx(x, "set permissions of", path);
}

static void mkdir_perms(struct tx *x, const char *path, uint32_t owner, uint32_t reader)
{
    if (!x->rc && !xs_mkdir(x->xs, x->t, path))
        fail_tx(x, "mkdir", path);
    set_perms(x, path, owner, reader);
}

/* libxl__xs_writev_perms: each node written, then given the perms. */
static void put_perms(struct tx *x, const char *dir, const char *key, const char *value,
                      uint32_t owner, uint32_t reader)
{
    char path[256];

    put(x, dir, key, value);
    snprintf(path, sizeof(path), "%s/%s", dir, key);
    set_perms(x, path, owner, reader);
}

/* A node's value; NULL if it does not exist (errno ENOENT) or on error. */
static char *get(struct xs_handle *xs, xs_transaction_t t, const char *fmt, ...)
{
    char path[256];
    unsigned int len;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(path, sizeof(path), fmt, ap);
    va_end(ap);
    return xs_read(xs, t, path, &len);
}

static bool exists(struct xs_handle *xs, xs_transaction_t t, const char *path)
{
    char *v = get(xs, t, "%s", path);

    free(v);
    return v != NULL;
}

/* A decimal node as an int; -1 if absent or not a number. */
static int get_int(struct xs_handle *xs, xs_transaction_t t, const char *dir, const char *key)
{
    char *v = get(xs, t, "%s/%s", dir, key), *end;
    long n = -1;

    if (v) {
        errno = 0;
        n = strtol(v, &end, 10);
        if (errno || end == v || *end || n < INT_MIN || n > INT_MAX)
            n = -1;
    }
    free(v);
    return (int)n;
}

/* ---- paths ---------------------------------------------------------------------- */

struct paths {
    char fe[96];                /* /local/domain/N/device/KIND/D */
    char be[96];                /* /local/domain/0/backend/KIND/N/D */
    char lx[96];                /* /libxl/N/device/KIND/D */
    char dom[48];               /* /local/domain/N */
};

static void device_paths(struct paths *p, uint32_t domid, const char *kind, unsigned devid)
{
    snprintf(p->dom, sizeof(p->dom), "/local/domain/%u", domid);
    snprintf(p->fe, sizeof(p->fe), "/local/domain/%u/device/%s/%u", domid, kind, devid);
    snprintf(p->be, sizeof(p->be), "/local/domain/0/backend/%s/%u/%u", kind, domid, devid);
    snprintf(p->lx, sizeof(p->lx), "/libxl/%u/device/%s/%u", domid, kind, devid);
}

static bool valid_kind(const char *kind)
{
    return kind && (!strcmp(kind, "vbd") || !strcmp(kind, "vif"));
}

/*
 * libxl__xs_path_cleanup: remove path, then each parent that is left
 * with no children and an empty value, but never `keep` or above it (so
 * .../backend, the guest's own device/ and /libxl/N stay).
 */
static void path_cleanup(struct tx *x, const char *path, const char *keep)
{
    char p[256];
    size_t keeplen = strlen(keep);

    if (x->rc)
        return;
    if (!xs_rm(x->xs, x->t, path) && errno != ENOENT) {
        fail_tx(x, "remove", path);
        return;
    }
    snprintf(p, sizeof(p), "%s", path);
    for (char *slash = strrchr(p, '/'); slash; slash = strrchr(p, '/')) {
        *slash = '\0';
        if (strlen(p) <= keeplen)
            break;
        unsigned int n = 0, len;
        char *v = xs_read(x->xs, x->t, p, &len);
        char **dir = v && !*v ? xs_directory(x->xs, x->t, p, &n) : NULL;
        bool empty = v && !*v && dir && n == 0;

        free(v);
        free(dir);
        if (!empty)
            break;
        if (!xs_rm(x->xs, x->t, p) && errno != ENOENT) {
            fail_tx(x, "remove", p);
            return;
        }
    }
}

/* libxl__device_destroy, as dom0 that is both toolstack and backend. */
static void destroy_device(struct tx *x, uint32_t domid, const struct paths *p)
{
    char keep[64];

    snprintf(keep, sizeof(keep), "%s/device", p->dom);
    path_cleanup(x, p->fe, keep);
    snprintf(keep, sizeof(keep), "/libxl/%u", domid);
    path_cleanup(x, p->lx, keep);
    path_cleanup(x, p->be, "/local/domain/0/backend");
}

/*
 * Runs body in a transaction and commits it; on EAGAIN runs it again (at
 * most TX_ATTEMPTS times), so body must decide from what it reads in x->t.
 * A body that sets x->rc has its transaction abandoned and x->why returned.
 */
typedef void tx_body(struct tx *x, void *arg);

static int run_tx(struct xs_handle *xs, tx_body *body, void *arg, char *err, size_t errlen)
{
    for (int attempt = 0; attempt < TX_ATTEMPTS; attempt++) {
        struct tx x = { xs, xs_transaction_start(xs), 0, "" };

        if (x.t == XBT_NULL) {
            snprintf(err, errlen, "xenstore: cannot start a transaction: %s", strerror(errno));
            return -(errno ? errno : EIO);
        }
        body(&x, arg);
        if (x.rc) {
            xs_transaction_end(xs, x.t, true);
            snprintf(err, errlen, "%s", x.why);
            return x.rc;
        }
        if (xs_transaction_end(xs, x.t, false))
            return 0;
        if (errno != EAGAIN) {
            snprintf(err, errlen, "xenstore: commit: %s", strerror(errno));
            return -(errno ? errno : EIO);
        }
    }
    snprintf(err, errlen, "xenstore: commit: still conflicting after %d attempts", TX_ATTEMPTS);
    return -EAGAIN;
}

/* ---- adding ---------------------------------------------------------------------- */

struct kv {
    const char *key;
    const char *value;
};

struct add_args {
    uint32_t domid;
    const char *kind;
    unsigned devid;
    const char *what;           /* for messages: "vdev xvdb (51712)", "vif 0" */
    const struct kv *back, *front, *ro_front;
    size_t nback, nfront, nro_front;
};

/* libxl__device_exists plus the checks libxl gets from elsewhere. */
static void add_body(struct tx *x, void *arg)
{
    const struct add_args *a = arg;
    struct paths p;

    device_paths(&p, a->domid, a->kind, a->devid);
    if (!exists(x->xs, x->t, p.dom)) {
        x->rc = -ENOENT;
        snprintf(x->why, sizeof(x->why), "domain %u has no xenstore directory %s", a->domid, p.dom);
        return;
    }
    if (exists(x->xs, x->t, p.lx) || exists(x->xs, x->t, p.fe) || exists(x->xs, x->t, p.be)) {
        x->rc = -EEXIST;
        snprintf(x->why, sizeof(x->why), "domain %u: %s is already in use (%s)", a->domid,
                 a->what, p.be);
        return;
    }

    /* The order of libxl__device_generic_add. */
    put(x, p.lx, "frontend", p.fe);
    put(x, p.lx, "backend", p.be);

    mkdir_perms(x, p.fe, a->domid, 0);
    put(x, p.fe, "backend", p.be);
    for (size_t i = 0; i < a->nfront; i++)
        put_perms(x, p.fe, a->front[i].key, a->front[i].value, a->domid, 0);
    for (size_t i = 0; i < a->nro_front; i++)
        put_perms(x, p.fe, a->ro_front[i].key, a->ro_front[i].value, 0, a->domid);

    mkdir_perms(x, p.be, 0, a->domid);
    put(x, p.be, "frontend", p.fe);
    for (size_t i = 0; i < a->nback; i++)
        put(x, p.be, a->back[i].key, a->back[i].value);

    for (size_t i = 0; i < a->nback; i++)
        put(x, p.lx, a->back[i].key, a->back[i].value);
}

static int add_device(struct xs_handle *xs, struct add_args *a, char *err, size_t errlen)
{
    if (a->domid == 0) {
        snprintf(err, errlen, "Domain-0 cannot have PV devices attached");
        return -EINVAL;
    }
    return run_tx(xs, add_body, a, err, errlen);
}

int xs_device_disk_add(struct xs_handle *xs, uint32_t domid, const struct xlcfg_disk *disk,
                       char *err, size_t errlen)
{
    char fe_id[16], devid[16], what[64], script[64];
    struct stat st;

    if (!disk->target || !disk->vdev) {
        snprintf(err, errlen, "disk without a target or vdev");
        return -EINVAL;
    }
    snprintf(what, sizeof(what), "vdev %s (%u)", disk->vdev, disk->vdev_number);
    if (disk->target[0] != '/') {
        snprintf(err, errlen, "%s: target '%s' is not an absolute path", what, disk->target);
        return -EINVAL;
    }
    /* libxl__device_disk_set_backend stats it: the phy backend takes a
     * block device or a regular file. */
    if (stat(disk->target, &st)) {
        int e = errno;
        snprintf(err, errlen, "%s: %s: %s", what, disk->target, strerror(e));
        return -e;
    }
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
        snprintf(err, errlen, "%s: %s is neither a regular file nor a block device", what,
                 disk->target);
        return -EINVAL;
    }
    snprintf(fe_id, sizeof(fe_id), "%u", domid);
    snprintf(devid, sizeof(devid), "%u", disk->vdev_number);
    snprintf(script, sizeof(script), "%s/block", XS_DEVICE_SCRIPT_DIR);

    /* device_disk_add's order; "direct-io-safe" only when asked for (never). */
    const struct kv back[] = {
        { "params", disk->target },
        { "script", script },
        { "frontend-id", fe_id },
        { "online", "1" },
        { "removable", "0" },
        { "bootable", "1" },
        { "state", "1" },                           /* XenbusStateInitialising */
        { "dev", disk->vdev },
        { "type", "phy" },
        { "mode", disk->readonly ? "r" : "w" },
        { "device-type", "disk" },
        { "discard-enable", disk->readonly ? "0" : "1" },
        { "specification", "xen" },
    };
    const struct kv front[] = {
        { "backend-id", "0" },
        { "state", "1" },
        { "virtual-device", devid },
        { "device-type", "disk" },
        { "trusted", "1" },
    };
    struct add_args a = {
        .domid = domid, .kind = "vbd", .devid = disk->vdev_number, .what = what,
        .back = back, .nback = sizeof(back) / sizeof(back[0]),
        .front = front, .nfront = sizeof(front) / sizeof(front[0]),
    };
    return add_device(xs, &a, err, errlen);
}

/* libxl__device_nic_setdefault's MAC: Xen's OUI, then random bytes. */
static int random_mac(uint8_t mac[6])
{
    uint8_t r[3];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    bool ok = fd >= 0 && read(fd, r, sizeof(r)) == (ssize_t)sizeof(r);

    if (fd >= 0)
        close(fd);
    if (!ok)
        return -1;
    mac[0] = 0x00;
    mac[1] = 0x16;
    mac[2] = 0x3e;
    mac[3] = r[0] & 0x7f;
    mac[4] = r[1];
    mac[5] = r[2];
    return 0;
}

int xs_device_nic_add(struct xs_handle *xs, uint32_t domid, unsigned devid,
                      const struct xlcfg_vif *vif, uint8_t mac_out[6], char *err,
                      size_t errlen)
{
    char fe_id[16], handle[16], what[32], mac_s[18], script[PATH_MAX], mtu[16];
    uint8_t mac[6];
    struct kv back[16], front[8];
    size_t nb = 0, nf = 0;

    snprintf(what, sizeof(what), "vif %u", devid);
    if (vif->type && strcmp(vif->type, "vif") != 0) {
        snprintf(err, errlen, "%s: type=%s: only type=vif (a PV NIC) is supported for a PVH "
                 "guest", what, vif->type);
        return -EINVAL;
    }
    if (vif->backend && strcmp(vif->backend, "0") != 0 && strcmp(vif->backend, "Domain-0") != 0) {
        snprintf(err, errlen, "%s: backend=%s: only Domain-0 can be the backend (no driver "
                 "domains yet)", what, vif->backend);
        return -EINVAL;
    }
    if (vif->has_mac)
        memcpy(mac, vif->mac, sizeof(mac));
    else if (random_mac(mac)) {
        snprintf(err, errlen, "%s: cannot read /dev/urandom for a MAC address", what);
        return -EIO;
    }
    snprintf(mac_s, sizeof(mac_s), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
             mac[3], mac[4], mac[5]);
    /* libxl__abs_path(script, XEN_SCRIPT_DIR). */
    const char *s = vif->script ? vif->script : "vif-bridge";
    if (s[0] == '/')
        snprintf(script, sizeof(script), "%s", s);
    else
        snprintf(script, sizeof(script), "%s/%s", XS_DEVICE_SCRIPT_DIR, s);
    snprintf(fe_id, sizeof(fe_id), "%u", domid);
    snprintf(handle, sizeof(handle), "%u", devid);
    snprintf(mtu, sizeof(mtu), "%u", XS_DEVICE_MTU);

    /* libxl__device_add_async, then libxl__set_xenstore_nic, in order. */
    back[nb++] = (struct kv){ "frontend-id", fe_id };
    back[nb++] = (struct kv){ "online", "1" };
    back[nb++] = (struct kv){ "state", "1" };
    back[nb++] = (struct kv){ "script", script };
    if (vif->vifname)
        back[nb++] = (struct kv){ "vifname", vif->vifname };
    back[nb++] = (struct kv){ "mac", mac_s };
    if (vif->ip)
        back[nb++] = (struct kv){ "ip", vif->ip };
    /* "mtu" only when not 1500, and 1500 is all there is. */
    back[nb++] = (struct kv){ "bridge", vif->bridge ? vif->bridge : XS_DEVICE_DEFAULT_BRIDGE };
    back[nb++] = (struct kv){ "handle", handle };
    back[nb++] = (struct kv){ "type", "vif" };
    back[nb++] = (struct kv){ "hotplug-status", "" };

    front[nf++] = (struct kv){ "backend-id", "0" };
    front[nf++] = (struct kv){ "state", "1" };
    front[nf++] = (struct kv){ "handle", handle };
    front[nf++] = (struct kv){ "mac", mac_s };
    front[nf++] = (struct kv){ "trusted", "1" };

    const struct kv ro_front[] = { { "mtu", mtu } };
    struct add_args a = {
        .domid = domid, .kind = "vif", .devid = devid, .what = what,
        .back = back, .nback = nb, .front = front, .nfront = nf,
        .ro_front = ro_front, .nro_front = 1,
    };
    int rc = add_device(xs, &a, err, errlen);

    if (!rc && mac_out)
        memcpy(mac_out, mac, sizeof(mac));
    return rc;
}

/* ---- listing ---------------------------------------------------------------------- */

static int cmp_devid(const void *a, const void *b)
{
    const struct xs_device_entry *x = a, *y = b;

    return (x->devid > y->devid) - (x->devid < y->devid);
}

/* The device numbers under dir (non-numeric names skipped), or -errno. */
static int list_ids(struct xs_handle *xs, const char *dir, unsigned **ids)
{
    unsigned int n = 0;
    char **names = xs_directory(xs, XBT_NULL, dir, &n);
    int count = 0;

    *ids = NULL;
    if (!names)
        return errno == ENOENT ? 0 : -(errno ? errno : EIO);
    if (n && !(*ids = calloc(n, sizeof(**ids)))) {
        free(names);
        return -ENOMEM;
    }
    for (unsigned int i = 0; i < n; i++) {
        char *end;
        unsigned long v;

        errno = 0;
        v = strtoul(names[i], &end, 10);
        if (!errno && end != names[i] && !*end && v <= UINT_MAX)
            (*ids)[count++] = (unsigned)v;
    }
    free(names);
    return count;
}

int xs_device_list(struct xs_handle *xs, uint32_t domid, const char *kind,
                   struct xs_device_entry **list, char *err, size_t errlen)
{
    char dir[64];
    unsigned *ids;
    int n;

    *list = NULL;
    if (!valid_kind(kind)) {
        snprintf(err, errlen, "unknown device kind '%s' (vbd or vif)", kind ? kind : "");
        return -EINVAL;
    }
    snprintf(dir, sizeof(dir), "/libxl/%u/device/%s", domid, kind);
    n = list_ids(xs, dir, &ids);
    if (n < 0) {
        snprintf(err, errlen, "xenstore: list %s: %s", dir, strerror(-n));
        return n;
    }
    if (n == 0) {
        free(ids);
        return 0;
    }
    struct xs_device_entry *e = calloc((size_t)n, sizeof(*e));
    if (!e) {
        free(ids);
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    bool vif = !strcmp(kind, "vif");
    for (int i = 0; i < n; i++) {
        struct paths p;
        char *v;

        device_paths(&p, domid, kind, ids[i]);
        e[i].devid = ids[i];
        /* libxl_device_{disk,nic}_getinfo: the backend path from /libxl,
         * the rest from the frontend. */
        v = get(xs, XBT_NULL, "%s/backend", p.lx);
        snprintf(e[i].backend, sizeof(e[i].backend), "%s", v ? v : "");
        e[i].backend_id = -1;
        if (v) {
            unsigned be;
            char slash;
            if (sscanf(v, "/local/domain/%u%c", &be, &slash) == 2 && slash == '/')
                e[i].backend_id = (int)be;
        }
        e[i].backend_state = v ? get_int(xs, XBT_NULL, v, "state") : -1;
        free(v);
        e[i].state = get_int(xs, XBT_NULL, p.fe, "state");
        e[i].evtchn = get_int(xs, XBT_NULL, p.fe, "event-channel");
        e[i].ring_ref = get_int(xs, XBT_NULL, p.fe, vif ? "tx-ring-ref" : "ring-ref");
        e[i].rx_ring_ref = vif ? get_int(xs, XBT_NULL, p.fe, "rx-ring-ref") : -1;
        v = get(xs, XBT_NULL, "%s/%s", p.lx, vif ? "mac" : "dev");
        if (vif)
            snprintf(e[i].mac, sizeof(e[i].mac), "%s", v ? v : "");
        else
            snprintf(e[i].vdev, sizeof(e[i].vdev), "%s", v ? v : "");
        free(v);
    }
    free(ids);
    qsort(e, (size_t)n, sizeof(*e), cmp_devid);
    *list = e;
    return n;
}

long xs_device_next_devid(struct xs_handle *xs, uint32_t domid, const char *kind)
{
    char dir[64];
    unsigned *ids;
    long next = 0;
    int n;

    if (!valid_kind(kind))
        return -EINVAL;
    snprintf(dir, sizeof(dir), "/libxl/%u/device/%s", domid, kind);
    n = list_ids(xs, dir, &ids);
    if (n < 0)
        return n;
    for (int i = 0; i < n; i++)
        if ((long)ids[i] + 1 > next)
            next = (long)ids[i] + 1;
    free(ids);
    return next;
}

/* ---- removing ---------------------------------------------------------------------- */

enum remove_outcome { RM_GONE, RM_WAIT };

struct remove_args {
    uint32_t domid;
    const char *kind;
    unsigned devid;
    bool force;
    struct paths p;
    enum remove_outcome outcome;
    int be_state;               /* what the backend was in */
};

static bool frontend_connected(int fe_state)
{
    return fe_state == XenbusStateInitialised || fe_state == XenbusStateConnected ||
           fe_state == XenbusStateClosing;
}

/* The first step: remove now, or ask the backend to close. */
static void remove_begin_body(struct tx *x, void *arg)
{
    struct remove_args *r = arg;
    const struct paths *p = &r->p;

    if (!exists(x->xs, x->t, p->lx) && !exists(x->xs, x->t, p->fe) &&
        !exists(x->xs, x->t, p->be)) {
        x->rc = -ENOENT;
        snprintf(x->why, sizeof(x->why), "domain %u has no %s %u", r->domid, r->kind, r->devid);
        return;
    }
    r->be_state = get_int(x->xs, x->t, p->be, "state");
    int fe_state = get_int(x->xs, x->t, p->fe, "state");

    if (r->force || r->be_state < 0 || r->be_state == XenbusStateClosed ||
        ((r->be_state == XenbusStateInitialising || r->be_state == XenbusStateInitWait) &&
         !frontend_connected(fe_state))) {
        destroy_device(x, r->domid, p);
        r->outcome = RM_GONE;
        return;
    }
    put(x, p->be, "online", "0");
    putu(x, p->be, "state", XenbusStateClosing);
    r->outcome = RM_WAIT;
}

static void remove_end_body(struct tx *x, void *arg)
{
    struct remove_args *r = arg;

    destroy_device(x, r->domid, &r->p);
}

int xs_device_remove(struct xs_handle *xs, uint32_t domid, const char *kind, unsigned devid,
                     bool force, char *err, size_t errlen)
{
    struct remove_args r = { .domid = domid, .kind = kind, .devid = devid, .force = force };
    int rc, state = -1;

    if (!valid_kind(kind)) {
        snprintf(err, errlen, "unknown device kind '%s' (vbd or vif)", kind ? kind : "");
        return -EINVAL;
    }
    if (domid == 0) {
        snprintf(err, errlen, "Domain-0 has no PV devices to detach");
        return -EINVAL;
    }
    device_paths(&r.p, domid, kind, devid);
    if ((rc = run_tx(xs, remove_begin_body, &r, err, errlen)))
        return rc;
    if (r.outcome == RM_GONE)
        return 0;

    /* libxl__ev_devstate_wait(state_path, XenbusStateClosed, 10 s), polled
     * like libxl__wait_for_backend: the backend answers Closing with
     * Closed, or removes its directory. */
    for (unsigned waited = 0; waited <= XS_DEVICE_CLOSE_TIMEOUT_MS; waited += POLL_MS) {
        state = get_int(xs, XBT_NULL, r.p.be, "state");
        if (state < 0 || state == XenbusStateClosed)
            return run_tx(xs, remove_end_body, &r, err, errlen);
        nanosleep(&(struct timespec){ 0, POLL_MS * 1000000L }, NULL);
    }
    snprintf(err, errlen, "domain %u: %s %u: the backend did not close within %u s (state %d, "
             "it was %d)", domid, kind, devid, XS_DEVICE_CLOSE_TIMEOUT_MS / 1000, state,
             r.be_state);
    return -ETIMEDOUT;
}

void xs_devices_destroy_all(struct xs_handle *xs, uint32_t domid)
{
    static const char *const kinds[] = { "vbd", "vif" };
    char err[256];

    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        struct xs_device_entry *list;
        int n = xs_device_list(xs, domid, kinds[k], &list, err, sizeof(err));

        for (int i = 0; i < n; i++)
            xs_device_remove(xs, domid, kinds[k], list[i].devid, true, err, sizeof(err));
        free(list);
    }
}
