/*
 * libsvctl: splitvisor's control interface (include/splitvisor/ctl.h) for C
 * programs in dom0, plus the few Xen hypercalls a toolstack needs on
 * another domain's behalf (populate its memory, its memory map, HVM params,
 * event channels).  Hypercalls go through Linux's /dev/xen/privcmd with
 * Debian's libxencall; every argument the hypervisor reads or writes lives
 * in libxencall's locked hypercall buffers.
 *
 * Every call returns 0 (or a count) on success and a negative Xen errno on
 * failure; svctl_strerror() turns one into a message.  Handles are not
 * shared between threads.
 */
#ifndef SVCTL_H
#define SVCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <splitvisor/ctl.h>
#include <xen/xen.h>
#include <xen/memory.h>
#include <xen/hvm/hvm_vcpu.h>

typedef struct svctl svctl;

/*
 * Open privcmd and check that the hypervisor speaks our interface version
 * and that this domain is privileged.  NULL on failure, with the reason in
 * err ("hypervisor interface version mismatch ...", "permission denied: not
 * a privileged domain", "cannot open /dev/xen/privcmd: ...").
 */
svctl *svctl_open(char *err, size_t errlen);
void svctl_close(svctl *h);
/* A logger for Xen's libraries that prints only critical errors: the
 * callers report failures in their own words. */
struct xentoollog_logger *svctl_quiet_logger(void);
/* A message for a negative Xen errno from any call here. */
const char *svctl_strerror(int rc);

/* ---- the machine ---- */
int svctl_physinfo(svctl *h, struct sv_physinfo *out);
/* Up to max domains with id >= first, in id order: how many, or -errno. */
int svctl_domain_list(svctl *h, domid_t first, struct sv_domaininfo *out, unsigned int max);
/* The hypervisor's log from *cursor on into buf: bytes read, or -errno. */
int svctl_read_console(svctl *h, char *buf, size_t size, uint64_t *cursor, uint64_t *lost);

/* ---- one domain ---- */
int svctl_domain_info(svctl *h, domid_t dom, struct sv_domaininfo *out);
/* Paused, no memory, vCPUs down; *dom is its id. */
int svctl_domain_create(svctl *h, const char *name, uint32_t flags, uint32_t max_vcpus,
                        uint32_t shadow_roots, domid_t *dom);
int svctl_domain_pause(svctl *h, domid_t dom);
int svctl_domain_unpause(svctl *h, domid_t dom);
int svctl_domain_destroy(svctl *h, domid_t dom);
int svctl_max_mem(svctl *h, domid_t dom, uint64_t max_pages);
/* Reserved grant entry ref (0 console, 1 xenstore) of dom: gfn for grantee. */
int svctl_seed_grant(svctl *h, domid_t dom, uint32_t ref, domid_t grantee, uint64_t gfn,
                     bool readonly);
int svctl_vcpu_context(svctl *h, domid_t dom, uint32_t vcpu, const struct vcpu_hvm_context *ctx);
int svctl_vcpu_info(svctl *h, domid_t dom, uint32_t vcpu, struct sv_vcpuinfo *out);
int svctl_vcpu_affinity(svctl *h, domid_t dom, uint32_t vcpu, uint64_t cpumask);
int svctl_counters(svctl *h, domid_t dom, uint32_t vcpu, struct sv_counters *out);
int svctl_sched_get(svctl *h, domid_t dom, struct sv_schedparams *out);
int svctl_sched_set(svctl *h, domid_t dom, const struct sv_schedparams *p);

/* ---- its memory and wiring (Xen hypercalls naming it) ---- */
/* Give dom RAM at each of gfns[0..n): 0, or -errno (some may be populated). */
int svctl_populate(svctl *h, domid_t dom, const xen_pfn_t *gfns, size_t n);
/* An e820 entry as XENMEM_memory_map returns it (20 bytes, packed). */
struct svctl_e820 {
    uint64_t addr, size;
    uint32_t type;                      /* 1 RAM, 2 reserved (E820 types) */
} __attribute__((packed));
int svctl_set_memory_map(svctl *h, domid_t dom, const struct svctl_e820 *map, unsigned int n);
int svctl_hvm_param_set(svctl *h, domid_t dom, uint32_t index, uint64_t value);
int svctl_hvm_param_get(svctl *h, domid_t dom, uint32_t index, uint64_t *value);
/* A port in dom, unbound, that remote may bind. */
int svctl_evtchn_alloc_unbound(svctl *h, domid_t dom, domid_t remote, uint32_t *port);
/* xen_version(XENVER_extraversion / version): "4.17-splitvisor" style. */
int svctl_xen_version(svctl *h, char *buf, size_t size);

#endif
