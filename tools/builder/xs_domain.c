/*
 * A domain's xenstore tree (xs_domain.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xs_domain.h"

#define CONSOLE_LIMIT "1048576"

struct tx {
    struct xs_handle *xs;
    xs_transaction_t t;
    bool ok;
    char why[400];
};

static void put(struct tx *x, const char *value, const char *fmt, ...)
{
    char path[256];
    va_list ap;

    if (!x->ok)
        return;
    va_start(ap, fmt);
    vsnprintf(path, sizeof(path), fmt, ap);
    va_end(ap);
    if (!xs_write(x->xs, x->t, path, value, strlen(value))) {
        x->ok = false;
        snprintf(x->why, sizeof(x->why), "write %s: %s", path, strerror(errno));
    }
}

static void putu(struct tx *x, unsigned long long v, const char *fmt, ...)
{
    char path[256], value[32];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(path, sizeof(path), fmt, ap);
    va_end(ap);
    snprintf(value, sizeof(value), "%llu", v);
    put(x, value, "%s", path);
}

/* Owner (first entry) and everyone else's rights, as xs_set_permissions wants. */
static void perms(struct tx *x, uint32_t owner, uint32_t reader, unsigned int reader_perm,
                  const char *fmt, ...)
{
    struct xs_permissions p[2] = {
        { .id = owner, .perms = XS_PERM_NONE },
        { .id = reader, .perms = reader_perm },
    };
    char path[256];
    va_list ap;

    if (!x->ok)
        return;
    va_start(ap, fmt);
    vsnprintf(path, sizeof(path), fmt, ap);
    va_end(ap);
    if (!xs_mkdir(x->xs, x->t, path) ||
        !xs_set_permissions(x->xs, x->t, path, p, reader_perm == XS_PERM_NONE ? 1 : 2)) {
        x->ok = false;
        snprintf(x->why, sizeof(x->why), "permissions of %s: %s", path, strerror(errno));
    }
}

/* A random version-4 UUID, as libxl gives every domain. */
static void make_uuid(char *out, size_t size)
{
    uint8_t b[16] = { 0 };
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

    if (fd >= 0) {
        if (read(fd, b, sizeof(b)) != (ssize_t)sizeof(b))
            memset(b, 0x5a, sizeof(b));
        close(fd);
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    snprintf(out, size, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

static void write_tree(struct tx *x, const struct pvh_build_spec *s,
                       const struct pvh_build_result *r, const char *uuid)
{
    uint32_t d = r->domid;
    char dom[64], vm[96];

    snprintf(dom, sizeof(dom), "/local/domain/%u", d);
    snprintf(vm, sizeof(vm), "/vm/%s", uuid);
    perms(x, 0, d, XS_PERM_READ, "%s", dom);
    perms(x, 0, d, XS_PERM_READ, "%s", vm);
    put(x, s->name, "%s/name", dom);
    putu(x, d, "%s/domid", dom);
    put(x, vm, "%s/vm", dom);
    putu(x, s->maxmem_mib << 10, "%s/memory/static-max", dom);
    putu(x, s->memory_mib << 10, "%s/memory/target", dom);
    for (uint32_t i = 0; i < s->maxvcpus; i++)
        put(x, i < s->vcpus ? "online" : "offline", "%s/cpu/%u/availability", dom, i);
    putu(x, r->console_gfn, "%s/console/ring-ref", dom);
    putu(x, r->console_port, "%s/console/port", dom);
    put(x, CONSOLE_LIMIT, "%s/console/limit", dom);
    put(x, "xenconsoled", "%s/console/type", dom);
    put(x, "pty", "%s/console/output", dom);
    putu(x, r->store_gfn, "%s/store/ring-ref", dom);
    putu(x, r->store_port, "%s/store/port", dom);
    /* Where the guest writes: it owns these (libxl's rwperm). */
    static const char *const rw[] = { "device", "data", "drivers", "feature", "attr", "error",
                                      "messages", "control/shutdown" };
    for (size_t i = 0; i < sizeof(rw) / sizeof(rw[0]); i++)
        perms(x, d, 0, XS_PERM_NONE, "%s/%s", dom, rw[i]);
    put(x, s->name, "%s/name", vm);
    put(x, uuid, "%s/uuid", vm);
    putu(x, (unsigned long long)time(NULL), "%s/start_time", vm);
    perms(x, 0, 0, XS_PERM_NONE, "/libxl/%u", d);
    put(x, dom, "/libxl/%u/dom-path", d);
    put(x, vm, "/libxl/%u/vm-path", d);
    put(x, "pvh", "/libxl/%u/type", d);
}

int xs_domain_create(struct xs_handle *xs, const struct pvh_build_spec *spec,
                     const struct pvh_build_result *res, char *err, size_t errlen)
{
    char uuid[40];

    make_uuid(uuid, sizeof(uuid));
    for (int attempt = 0; attempt < 10; attempt++) {
        struct tx x = { xs, xs_transaction_start(xs), true, "" };

        if (x.t == XBT_NULL) {
            snprintf(err, errlen, "xenstore: cannot start a transaction: %s", strerror(errno));
            return -1;
        }
        write_tree(&x, spec, res, uuid);
        if (!x.ok) {
            xs_transaction_end(xs, x.t, true);
            snprintf(err, errlen, "xenstore: %s", x.why);
            return -1;
        }
        if (xs_transaction_end(xs, x.t, false))
            break;
        if (errno != EAGAIN || attempt == 9) {
            snprintf(err, errlen, "xenstore: commit: %s", strerror(errno));
            return -1;
        }
    }
    if (!xs_introduce_domain(xs, res->domid, res->store_gfn, res->store_port)) {
        snprintf(err, errlen, "xenstore: introducing domain %u: %s", res->domid, strerror(errno));
        return -1;
    }
    return 0;
}

void xs_domain_remove(struct xs_handle *xs, uint32_t domid)
{
    char path[96];
    char *vm;
    unsigned int len;

    xs_release_domain(xs, domid);
    snprintf(path, sizeof(path), "/libxl/%u/vm-path", domid);
    vm = xs_read(xs, XBT_NULL, path, &len);
    if (vm && strncmp(vm, "/vm/", 4) == 0 && !strchr(vm + 4, '/'))
        xs_rm(xs, XBT_NULL, vm);
    free(vm);
    snprintf(path, sizeof(path), "/local/domain/%u", domid);
    xs_rm(xs, XBT_NULL, path);
    snprintf(path, sizeof(path), "/libxl/%u", domid);
    xs_rm(xs, XBT_NULL, path);
}

void xs_domain_name(struct xs_handle *xs, uint32_t domid, char *buf, size_t size)
{
    char path[64];
    unsigned int len;
    char *v;

    snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
    v = xs ? xs_read(xs, XBT_NULL, path, &len) : NULL;
    snprintf(buf, size, "%s", v ? v : "");
    free(v);
}
