/*
 * xlcfg — the xl.cfg parser of the splitvisor toolstack (dom0 userspace).
 *
 * Reads the subset of xl.cfg(5) (libxlu's syntax) that `xl create` supports
 * for PVH guests and turns it into a typed struct xlcfg.  Every input is
 * treated as hostile: the file is capped at XLCFG_FILE_MAX, NUL bytes,
 * nested lists, overlong strings and integer overflow are errors, and
 * nothing recurses.
 *
 * Syntax (as libxlu):
 *   KEY = VALUE          one per line, or several separated by ';'
 *   # comment            to the end of the line
 *   VALUE := "string" | 'string' | NUMBER | [ VALUE, VALUE, ... ]
 *   Strings take the escapes \\ \" \' \n \t \r \xHH in either quote kind
 *   (libxlu dequotes both the same way); \x00 is refused.  A string ends on
 *   its line.  NUMBER is decimal or 0x hex; a leading zero ("010") is an
 *   error because xl reads it as octal.  Lists may span lines, may end with
 *   a comma, and may not contain lists.  KEY is [A-Za-z_][A-Za-z0-9_]*,
 *   case-sensitive (libxlu: lower case only).  Bytes >= 0x80 (UTF-8) are
 *   fine inside strings and comments.  A key given twice: the last wins, but
 *   each value is checked as it is read, so a bad one fails at its own line
 *   even if a later line would replace it (xl looks only at the last).
 *   KEY += VALUE is refused (libxlu's concatenation is not supported).
 *
 * Unlike libxlu, values are typed: memory = "256" is an error ("expected a
 * number, got a string") and so is name = 5.  Only cpus takes either.
 *
 * Keys (ARCHITECTURE.md §6), and the choices made where xl is loose:
 *   name      required; 1..63 of [A-Za-z0-9_.-], not "Domain-0" and not
 *             all digits (xl would take it for a domain id).
 *   type      "pvh" (default); "pv" and "hvm" are errors.  The deprecated
 *             `builder` key is an error too (it can only mean PV or HVM).
 *   kernel    required.  ramdisk optional; ramdisk = "" means none (handy
 *             as an override).  Paths may not hold control characters.
 *   cmdline / root / extra (tabs allowed, other control characters not)
 *             — as xl's parse_cmdline(): cmdline wins (with a
 *             warning if root or extra is also given); otherwise
 *             "root=ROOT EXTRA", "root=ROOT" or "EXTRA".  Done in
 *             xlcfg_validate(), so an override of any of them counts.
 *   memory    MiB, 1..XLCFG_MEMORY_MAX, default 128.
 *   maxmem    MiB, >= memory, default memory.
 *   vcpus     1..XLCFG_VCPUS_MAX, default 1.  maxvcpus >= vcpus, default
 *             vcpus.
 *   cpus      "all", "N", "N-M", "^N", "^N-M", comma-separated (xl's
 *             CPULIST without NUMA nodes), or a bare number; CPUs < 256.
 *             A string pins every vCPU to that set.  A list pins vCPU i to
 *             element i, as xl does; vCPUs past the list's end are not
 *             pinned, and a list longer than maxvcpus is an error.  An
 *             empty set is an error; cpus = [] means no pinning.
 *   disk      list of xl-disk-configuration(5) specs; see struct xlcfg_disk.
 *   vif       list of xl-network-configuration(5) specs; see xlcfg_vif.
 *   on_poweroff / on_reboot / on_crash
 *             destroy | restart | preserve.  xl's other actions
 *             (rename-restart, coredump-*, soft-reset) are errors "not
 *             supported" rather than silently acting differently.
 *             Defaults as xl: destroy, restart, destroy.
 *   paging    "shadow" (default) | "hap".  hap = 0|1 is xl's spelling
 *             (other numbers are errors, where xl takes any non-zero as
 *             true).  When both are given, paging wins and a warning says
 *             so if they disagree.
 *   Anything else: a warning "FILE:LINE: unknown key 'K' ignored".
 *
 * Messages are "FILE:LINE: KEY: what is wrong".  Overrides report
 * "<command line>:N: KEY: ..." where N counts the overrides from 1, and a
 * missing required key "FILE: KEY: required key is missing".
 */
#ifndef SPLITVISOR_TOOLS_XLCFG_H
#define SPLITVISOR_TOOLS_XLCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XLCFG_FILE_MAX      (1024u * 1024u) /* bytes of one config file */
#define XLCFG_STRING_MAX    4096u           /* bytes of one string value */
#define XLCFG_LIST_MAX      256u            /* elements of one list */
#define XLCFG_NAME_MAX      63u
#define XLCFG_MEMORY_MAX    1048576ul       /* MiB: 1 TiB */
#define XLCFG_VCPUS_MAX     128u
#define XLCFG_CPUS_MAX      256u            /* host CPUs a cpumap can name */
#define XLCFG_VIFNAME_MAX   15u             /* IFNAMSIZ - 1 */

/* Where each key was last set; internal, but sized here. */
enum xlcfg_key {
    XLCFG_KEY_NAME,
    XLCFG_KEY_TYPE,
    XLCFG_KEY_KERNEL,
    XLCFG_KEY_RAMDISK,
    XLCFG_KEY_CMDLINE,
    XLCFG_KEY_ROOT,
    XLCFG_KEY_EXTRA,
    XLCFG_KEY_MEMORY,
    XLCFG_KEY_MAXMEM,
    XLCFG_KEY_VCPUS,
    XLCFG_KEY_MAXVCPUS,
    XLCFG_KEY_CPUS,
    XLCFG_KEY_DISK,
    XLCFG_KEY_VIF,
    XLCFG_KEY_ON_POWEROFF,
    XLCFG_KEY_ON_REBOOT,
    XLCFG_KEY_ON_CRASH,
    XLCFG_KEY_PAGING,
    XLCFG_KEY_HAP,
    XLCFG_KEY_COUNT
};

enum xlcfg_action {
    XLCFG_ACTION_DESTROY,
    XLCFG_ACTION_RESTART,
    XLCFG_ACTION_PRESERVE,
};

enum xlcfg_paging {
    XLCFG_PAGING_SHADOW,
    XLCFG_PAGING_HAP,
};

/* Only raw images are supported; the enum leaves room for more. */
enum xlcfg_disk_format {
    XLCFG_DISK_FORMAT_RAW,
};

/*
 * "phy:" names a block device; "file:", any other accepted prefix or no
 * prefix names an image file (xl itself ignores these prefixes and stats
 * the target; we keep what the user said and let the builder check it).
 */
enum xlcfg_disk_backend {
    XLCFG_DISK_BACKEND_FILE,
    XLCFG_DISK_BACKEND_PHY,
};

/*
 * One disk = [...] entry.  Accepted forms (xl-disk-configuration(5)):
 *   positional  TARGET,FORMAT,VDEV,ACCESS  (empty fields take defaults)
 *   prefixed    [PREFIX:]TARGET,VDEV[:cdrom],ACCESS  with PREFIX among
 *               raw qcow qcow2 vhd qed file phy tap tap2 aio tapdisk ioemu
 *   named       format=, vdev=, access=, devtype=, target= (last: it takes
 *               the rest of the spec, commas included)
 *   flag        cdrom (= devtype=cdrom)
 * A parameter given twice is an error, as in xl.  devtype=cdrom is accepted
 * with a warning and ignored (the disk is attached as a plain disk, read-only
 * by default as xl does for cdroms).
 */
struct xlcfg_disk {
    char *target;                   /* path; "/dev/" prepended for phy: X */
    char *vdev;                     /* as written: xvda, hdc, sdb2, ... */
    uint32_t vdev_number;           /* xenstore virtual-device number */
    enum xlcfg_disk_format format;
    enum xlcfg_disk_backend backend;
    bool readonly;
};

/*
 * One vif = [...] entry: comma-separated KEY=VALUE among mac, bridge, ip,
 * script, model, backend, vifname, type; unknown keys are warned about and
 * ignored; a key given twice: the last wins (as xl's parse_nic_config).
 * '' is a vif with every default.  Unset strings are NULL.
 */
struct xlcfg_vif {
    bool has_mac;
    uint8_t mac[6];                 /* unicast, not all-zero */
    char *bridge;
    char *ip;
    char *script;
    char *model;
    char *backend;
    char *vifname;                  /* at most XLCFG_VIFNAME_MAX bytes */
    char *type;
};

struct xlcfg_cpumap {
    uint64_t bits[XLCFG_CPUS_MAX / 64];
};

/* Internal: a setting's origin, for messages after parsing. */
struct xlcfg_loc {
    const char *src;                /* NULL: never set */
    unsigned line;
};

struct xlcfg_src;                   /* internal: owned source names */

struct xlcfg {
    char *name;
    char *kernel;
    char *ramdisk;                  /* NULL if none */
    char *cmdline;                  /* effective; set by xlcfg_validate() */
    unsigned long memory_mib;
    unsigned long maxmem_mib;       /* set by xlcfg_validate() if not given */
    unsigned vcpus;
    unsigned maxvcpus;              /* set by xlcfg_validate() if not given */

    /*
     * CPU pinning.  ncpumaps == 0: no pinning.  !cpus_per_vcpu: cpumaps[0]
     * applies to every vCPU.  cpus_per_vcpu: cpumaps[i] is vCPU i's, vCPUs
     * from ncpumaps on are not pinned.
     */
    struct xlcfg_cpumap *cpumaps;
    size_t ncpumaps;
    bool cpus_per_vcpu;

    struct xlcfg_disk *disks;
    size_t ndisks;
    struct xlcfg_vif *vifs;
    size_t nvifs;

    enum xlcfg_action on_poweroff;
    enum xlcfg_action on_reboot;
    enum xlcfg_action on_crash;
    enum xlcfg_paging paging;       /* effective; set by xlcfg_validate() */

    /* Internal: the keys as given, before xlcfg_validate() combines them. */
    struct {
        char *cmdline;
        char *root;
        char *extra;
        enum xlcfg_paging paging;
        int hap;                    /* -1: not given */
        struct xlcfg_loc loc[XLCFG_KEY_COUNT];
        struct xlcfg_src *srcs;
        unsigned noverrides;
    } given;
};

/*
 * Diagnostics.  err (errlen bytes, may be NULL/0) receives the message of
 * the first error; warn (may be NULL) is called once per warning with a
 * complete message.
 */
typedef void xlcfg_warn_fn(void *arg, const char *msg);

struct xlcfg_diag {
    char *err;
    size_t errlen;
    xlcfg_warn_fn *warn;
    void *warn_arg;
};

/* Empty config with xl's defaults.  Must precede every other call. */
void xlcfg_init(struct xlcfg *cfg);

/* Frees everything and leaves cfg as xlcfg_init() does.  NULL is fine. */
void xlcfg_free(struct xlcfg *cfg);

/*
 * Parses text[0..len) (not NUL-terminated; NUL bytes are an error) named
 * `name` in messages, and applies each setting to cfg.  Does not check for
 * required keys nor cross-key rules: call xlcfg_validate() after the
 * overrides.  Returns 0, or -1 at the first error; cfg may then be partly
 * updated and must still be passed to xlcfg_free().
 */
int xlcfg_parse_buffer(struct xlcfg *cfg, const char *name, const char *text,
                       size_t len, const struct xlcfg_diag *diag);

/* Reads at most XLCFG_FILE_MAX bytes of `path` and parses them as above. */
int xlcfg_parse_file(struct xlcfg *cfg, const char *path,
                     const struct xlcfg_diag *diag);

/*
 * One `xl create CFG KEY=VALUE` argument, in the file's syntax (so
 * 'a="x"; b=2' sets two keys), except that a value that is not quoted and
 * not a list is taken verbatim up to ';' or the end, trimmed: a number if
 * it is one, otherwise a string (so name=web1 and cmdline=console=hvc0 quiet
 * work without shell-quoted quotes; xl itself would refuse them).  Lists
 * still need quoted elements.  Returns 0 or -1.
 */
int xlcfg_override(struct xlcfg *cfg, const char *kv,
                   const struct xlcfg_diag *diag);

/*
 * Required keys and cross-key rules; fills the effective cmdline, maxmem,
 * maxvcpus and paging.  Idempotent: call it again after more overrides.
 */
int xlcfg_validate(struct xlcfg *cfg, const struct xlcfg_diag *diag);

/*
 * What `xl create` does: init, parse `path`, apply the overrides in order,
 * validate.  On failure cfg is freed (and left initialised) and -1 returned.
 * overrides is typed as execv()'s argv so that main()'s argv passes as is
 * (C does not convert char ** to const char *const *).
 */
int xlcfg_load(struct xlcfg *cfg, const char *path,
               char *const *overrides, size_t noverrides,
               const struct xlcfg_diag *diag);

/* Names as written in xl.cfg: "destroy", "shadow", "raw", "phy", ... */
const char *xlcfg_action_name(enum xlcfg_action action);
const char *xlcfg_paging_name(enum xlcfg_paging paging);
const char *xlcfg_disk_format_name(enum xlcfg_disk_format format);
const char *xlcfg_disk_backend_name(enum xlcfg_disk_backend backend);

/*
 * The xenstore virtual-device number of a vdev name (docs/misc/
 * vbd-interface.txt): xvdN[P], hdN[P], sdN[P].  Returns 0 and sets *number,
 * or -1 with a reason in why (whylen bytes).
 */
int xlcfg_vdev_number(const char *vdev, uint32_t *number, char *why,
                      size_t whylen);

/* Whether CPU cpu is set in map. */
bool xlcfg_cpumap_test(const struct xlcfg_cpumap *map, unsigned cpu);

#endif /* SPLITVISOR_TOOLS_XLCFG_H */
