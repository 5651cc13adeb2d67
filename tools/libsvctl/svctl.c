/*
 * libsvctl: the handle, the control calls and their errors (svctl.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xencall.h>
#include <xentoollog.h>
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/event_channel.h>
#include <xen/version.h>

#include "svctl.h"

#define STR2(x) #x
#define STR(x) STR2(x)
#define SV_CTL_VERSION_STRING STR(SV_CTL_INTERFACE_VERSION_NUMBER)

struct svctl {
    xencall_handle *xc;
    struct sv_domctl *dc;               /* in a hypercall buffer */
    struct sv_sysctl *sc;
};

/* libxencall answers -1 with errno = the hypervisor's (positive) errno. */
static int call_rc(int rc)
{
    return rc < 0 ? -errno : rc;
}

const char *svctl_strerror(int rc)
{
    switch (-rc) {
    case EACCES:
        return "hypervisor interface version mismatch (these tools speak splitvisor control "
               "interface version " SV_CTL_VERSION_STRING ")";
    case EPERM:
        return "permission denied: not a privileged domain";
    case ESRCH:
        return "no such domain";
    case ENOSYS:
        return "function not implemented by this hypervisor (not splitvisor?)";
    default:
        return strerror(-rc);
    }
}

static int domctl(svctl *h, uint32_t cmd, domid_t dom)
{
    h->dc->cmd = cmd;
    h->dc->interface_version = SV_CTL_INTERFACE_VERSION;
    h->dc->domain = dom;
    return call_rc(xencall1(h->xc, __HYPERVISOR_domctl, (uint64_t)(uintptr_t)h->dc));
}

static int sysctl(svctl *h, uint32_t cmd)
{
    h->sc->cmd = cmd;
    h->sc->interface_version = SV_CTL_INTERFACE_VERSION;
    return call_rc(xencall1(h->xc, __HYPERVISOR_sysctl, (uint64_t)(uintptr_t)h->sc));
}

static void clear_dc(svctl *h)
{
    memset(h->dc, 0, sizeof(*h->dc));
}

struct xentoollog_logger *svctl_quiet_logger(void)
{
    static xentoollog_logger_stdiostream *quiet;

    if (!quiet)
        quiet = xtl_createlogger_stdiostream(stderr, XTL_CRITICAL, 0);
    return (struct xentoollog_logger *)quiet;
}

svctl *svctl_open(char *err, size_t errlen)
{
    svctl *h = calloc(1, sizeof(*h));
    struct sv_physinfo pi;
    int rc;

    if (!h) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    /* libxencall logs its own failures to stderr; ours say it better. */
    h->xc = xencall_open(svctl_quiet_logger(), XENCALL_OPENFLAG_NON_REENTRANT);
    if (!h->xc) {
        snprintf(err, errlen, "cannot open /dev/xen/privcmd: %s (is this dom0 under splitvisor?)",
                 strerror(errno));
        free(h);
        return NULL;
    }
    h->dc = xencall_alloc_buffer(h->xc, sizeof(*h->dc));
    h->sc = xencall_alloc_buffer(h->xc, sizeof(*h->sc));
    if (!h->dc || !h->sc) {
        snprintf(err, errlen, "cannot allocate hypercall buffers: %s", strerror(errno));
        svctl_close(h);
        return NULL;
    }
    rc = svctl_physinfo(h, &pi);
    if (rc) {
        snprintf(err, errlen, "%s", svctl_strerror(rc));
        svctl_close(h);
        return NULL;
    }
    return h;
}

void svctl_close(svctl *h)
{
    if (!h)
        return;
    if (h->dc)
        xencall_free_buffer(h->xc, h->dc);
    if (h->sc)
        xencall_free_buffer(h->xc, h->sc);
    xencall_close(h->xc);
    free(h);
}

/* ---- the machine ---- */

int svctl_physinfo(svctl *h, struct sv_physinfo *out)
{
    int rc;

    memset(h->sc, 0, sizeof(*h->sc));
    rc = sysctl(h, SV_SYSCTL_physinfo);
    if (!rc)
        *out = h->sc->u.physinfo;
    return rc;
}

int svctl_domain_list(svctl *h, domid_t first, struct sv_domaininfo *out, unsigned int max)
{
    struct sv_domaininfo *buf = xencall_alloc_buffer(h->xc, sizeof(*buf) * (max ? max : 1));
    int rc;

    if (!buf)
        return -ENOMEM;
    memset(h->sc, 0, sizeof(*h->sc));
    h->sc->u.list.first_domain = first;
    h->sc->u.list.max = max;
    h->sc->u.list.buffer = (uint64_t)(uintptr_t)buf;
    rc = sysctl(h, SV_SYSCTL_getdomaininfolist);
    if (!rc) {
        rc = (int)(h->sc->u.list.num > max ? max : h->sc->u.list.num);
        memcpy(out, buf, sizeof(*buf) * (size_t)rc);
    }
    xencall_free_buffer(h->xc, buf);
    return rc;
}

int svctl_read_console(svctl *h, char *buf, size_t size, uint64_t *cursor, uint64_t *lost)
{
    uint32_t room = size > 65536 ? 65536 : (uint32_t)size;
    char *hbuf = xencall_alloc_buffer(h->xc, room ? room : 1);
    int rc;

    if (!hbuf)
        return -ENOMEM;
    memset(h->sc, 0, sizeof(*h->sc));
    h->sc->u.console.buffer = (uint64_t)(uintptr_t)hbuf;
    h->sc->u.console.count = room;
    h->sc->u.console.cursor = *cursor;
    rc = sysctl(h, SV_SYSCTL_readconsole);
    if (!rc) {
        rc = (int)(h->sc->u.console.count > room ? room : h->sc->u.console.count);
        memcpy(buf, hbuf, (size_t)rc);
        *cursor = h->sc->u.console.cursor;
        if (lost)
            *lost = h->sc->u.console.lost;
    }
    xencall_free_buffer(h->xc, hbuf);
    return rc;
}

/* ---- one domain ---- */

int svctl_domain_info(svctl *h, domid_t dom, struct sv_domaininfo *out)
{
    int rc;

    clear_dc(h);
    rc = domctl(h, SV_DOMCTL_getdomaininfo, dom);
    if (!rc)
        *out = h->dc->u.info;
    return rc;
}

int svctl_domain_create(svctl *h, const char *name, uint32_t flags, uint32_t max_vcpus,
                        uint32_t shadow_roots, domid_t *dom)
{
    int rc;

    clear_dc(h);
    h->dc->u.create.flags = flags;
    h->dc->u.create.max_vcpus = max_vcpus;
    h->dc->u.create.shadow_roots = shadow_roots;
    snprintf(h->dc->u.create.name, sizeof(h->dc->u.create.name), "%s", name);
    rc = domctl(h, SV_DOMCTL_createdomain, 0);
    if (!rc)
        *dom = h->dc->domain;
    return rc;
}

static int simple(svctl *h, uint32_t cmd, domid_t dom)
{
    clear_dc(h);
    return domctl(h, cmd, dom);
}

int svctl_domain_pause(svctl *h, domid_t dom) { return simple(h, SV_DOMCTL_pausedomain, dom); }
int svctl_domain_unpause(svctl *h, domid_t dom) { return simple(h, SV_DOMCTL_unpausedomain, dom); }
int svctl_domain_destroy(svctl *h, domid_t dom) { return simple(h, SV_DOMCTL_destroydomain, dom); }

int svctl_seed_grant(svctl *h, domid_t dom, uint32_t ref, domid_t grantee, uint64_t gfn,
                     bool readonly)
{
    clear_dc(h);
    h->dc->u.grant.ref = ref;
    h->dc->u.grant.grantee = grantee;
    h->dc->u.grant.readonly = readonly;
    h->dc->u.grant.gfn = gfn;
    return domctl(h, SV_DOMCTL_seed_grant, dom);
}

int svctl_max_mem(svctl *h, domid_t dom, uint64_t max_pages)
{
    clear_dc(h);
    h->dc->u.max_mem.max_pages = max_pages;
    return domctl(h, SV_DOMCTL_max_mem, dom);
}

int svctl_vcpu_context(svctl *h, domid_t dom, uint32_t vcpu, const struct vcpu_hvm_context *ctx)
{
    clear_dc(h);
    h->dc->u.vcpuctx.vcpu = vcpu;
    h->dc->u.vcpuctx.ctx = *ctx;
    return domctl(h, SV_DOMCTL_setvcpucontext, dom);
}

int svctl_vcpu_info(svctl *h, domid_t dom, uint32_t vcpu, struct sv_vcpuinfo *out)
{
    int rc;

    clear_dc(h);
    h->dc->u.vcpu.vcpu = vcpu;
    rc = domctl(h, SV_DOMCTL_getvcpuinfo, dom);
    if (!rc)
        *out = h->dc->u.vcpu;
    return rc;
}

int svctl_vcpu_affinity(svctl *h, domid_t dom, uint32_t vcpu, uint64_t cpumask)
{
    clear_dc(h);
    h->dc->u.vcpu.vcpu = vcpu;
    h->dc->u.vcpu.affinity = cpumask;
    return domctl(h, SV_DOMCTL_setvcpuaffinity, dom);
}

int svctl_counters(svctl *h, domid_t dom, uint32_t vcpu, struct sv_counters *out)
{
    int rc;

    clear_dc(h);
    h->dc->u.counters.vcpu = vcpu;
    rc = domctl(h, SV_DOMCTL_getcounters, dom);
    if (!rc)
        *out = h->dc->u.counters;
    return rc;
}

int svctl_sched_get(svctl *h, domid_t dom, struct sv_schedparams *out)
{
    int rc;

    clear_dc(h);
    rc = domctl(h, SV_DOMCTL_getschedparams, dom);
    if (!rc)
        *out = h->dc->u.sched;
    return rc;
}

int svctl_sched_set(svctl *h, domid_t dom, const struct sv_schedparams *p)
{
    clear_dc(h);
    h->dc->u.sched = *p;
    return domctl(h, SV_DOMCTL_setschedparams, dom);
}

/* ---- its memory and wiring ---- */

#define POPULATE_BATCH 4096             /* extents per hypercall buffer */

int svctl_populate(svctl *h, domid_t dom, const xen_pfn_t *gfns, size_t n)
{
    struct xen_memory_reservation *r = xencall_alloc_buffer(h->xc, sizeof(*r));
    xen_pfn_t *ext = xencall_alloc_buffer(h->xc, sizeof(*ext) * POPULATE_BATCH);
    int rc = 0;

    if (!r || !ext) {
        rc = -ENOMEM;
        goto out;
    }
    for (size_t done = 0; done < n && !rc;) {
        size_t chunk = n - done > POPULATE_BATCH ? POPULATE_BATCH : n - done;

        memcpy(ext, gfns + done, sizeof(*ext) * chunk);
        memset(r, 0, sizeof(*r));
        set_xen_guest_handle(r->extent_start, ext);
        r->nr_extents = chunk;
        r->extent_order = 0;
        r->domid = dom;
        rc = call_rc(xencall2(h->xc, __HYPERVISOR_memory_op, XENMEM_populate_physmap,
                              (uint64_t)(uintptr_t)r));
        if (rc >= 0 && (size_t)rc != chunk)
            rc = -ENOMEM;           /* fewer extents than asked: over max_mem or out of RAM */
        else if (rc >= 0)
            rc = 0;
        done += chunk;
    }
out:
    if (r)
        xencall_free_buffer(h->xc, r);
    if (ext)
        xencall_free_buffer(h->xc, ext);
    return rc;
}

int svctl_set_memory_map(svctl *h, domid_t dom, const struct svctl_e820 *map, unsigned int n)
{
    struct xen_foreign_memory_map *fm = xencall_alloc_buffer(h->xc, sizeof(*fm));
    struct svctl_e820 *buf = xencall_alloc_buffer(h->xc, sizeof(*buf) * (n ? n : 1));
    int rc = -ENOMEM;

    if (fm && buf) {
        memcpy(buf, map, sizeof(*buf) * n);
        memset(fm, 0, sizeof(*fm));
        fm->domid = dom;
        fm->map.nr_entries = n;
        set_xen_guest_handle(fm->map.buffer, buf);
        rc = call_rc(xencall2(h->xc, __HYPERVISOR_memory_op, XENMEM_set_memory_map,
                              (uint64_t)(uintptr_t)fm));
    }
    if (fm)
        xencall_free_buffer(h->xc, fm);
    if (buf)
        xencall_free_buffer(h->xc, buf);
    return rc;
}

static int hvm_param(svctl *h, int op, domid_t dom, uint32_t index, uint64_t *value)
{
    struct xen_hvm_param *p = xencall_alloc_buffer(h->xc, sizeof(*p));
    int rc;

    if (!p)
        return -ENOMEM;
    memset(p, 0, sizeof(*p));
    p->domid = dom;
    p->index = index;
    p->value = *value;
    rc = call_rc(xencall2(h->xc, __HYPERVISOR_hvm_op, (uint64_t)op, (uint64_t)(uintptr_t)p));
    if (!rc)
        *value = p->value;
    xencall_free_buffer(h->xc, p);
    return rc;
}

int svctl_hvm_param_set(svctl *h, domid_t dom, uint32_t index, uint64_t value)
{
    return hvm_param(h, HVMOP_set_param, dom, index, &value);
}

int svctl_hvm_param_get(svctl *h, domid_t dom, uint32_t index, uint64_t *value)
{
    *value = 0;
    return hvm_param(h, HVMOP_get_param, dom, index, value);
}

int svctl_evtchn_alloc_unbound(svctl *h, domid_t dom, domid_t remote, uint32_t *port)
{
    struct evtchn_alloc_unbound *a = xencall_alloc_buffer(h->xc, sizeof(*a));
    int rc;

    if (!a)
        return -ENOMEM;
    memset(a, 0, sizeof(*a));
    a->dom = dom;
    a->remote_dom = remote;
    rc = call_rc(xencall2(h->xc, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
                          (uint64_t)(uintptr_t)a));
    if (!rc)
        *port = a->port;
    xencall_free_buffer(h->xc, a);
    return rc;
}

int svctl_xen_version(svctl *h, char *buf, size_t size)
{
    xen_extraversion_t *extra = xencall_alloc_buffer(h->xc, sizeof(*extra));
    int ver, rc;

    if (!extra)
        return -ENOMEM;
    ver = call_rc(xencall2(h->xc, __HYPERVISOR_xen_version, XENVER_version, 0));
    rc = ver < 0 ? ver : call_rc(xencall2(h->xc, __HYPERVISOR_xen_version, XENVER_extraversion,
                                          (uint64_t)(uintptr_t)extra));
    if (rc >= 0) {
        snprintf(buf, size, "%d.%d%.*s", ver >> 16, ver & 0xffff, (int)sizeof(*extra), *extra);
        rc = 0;
    }
    xencall_free_buffer(h->xc, extra);
    return rc;
}
