/*
 * xl.cfg parser: the entry points, the scalar keys and the cross-key rules.
 * The contract, and the choices made where xl is loose, are in xlcfg.h; the
 * files that share the work are listed in xlcfg_internal.h.
 *
 * Two layers:
 *   - syntax (xlcfg_syntax.c): text to one `struct value` per KEY = VALUE,
 *     with the line of every atom;
 *   - meaning (here, xlcfg_cpus.c, xlcfg_disk.c, xlcfg_vif.c): one handler
 *     per key, then xlcfg_validate() for the rules that involve several
 *     keys (run after the overrides, so that `xl create guest.cfg
 *     kernel=...` can supply a key the file lacks).
 * A key is interpreted when its statement is read, so a bad value stops the
 * parse at its own line even if a later statement would replace it (xl
 * would only look at the last one; we prefer failing early and loudly).
 */
#include "xlcfg_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- scalar keys ------------------------------------------------------ */

static int h_name(struct ctx *c, const struct value *v)
{
    const char *s;
    char q[QUOTE_BUF];
    if (xlcfg__want_string(c, v, &s))
        return -1;
    size_t n = strlen(s);
    if (n == 0 || n > XLCFG_NAME_MAX)
        return fail(c, "must be 1 to %u characters long", XLCFG_NAME_MAX);
    bool digits = true;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!is_alpha(ch) && !is_digit(ch) && ch != '_' && ch != '.' && ch != '-')
            return fail(c, "'%s' has a character other than A-Z a-z 0-9 _ . -",
                        xlcfg__quote(q, sizeof(q), s, n));
        digits = digits && is_digit(ch);
    }
    if (digits)
        return fail(c, "'%s' is all digits and would read as a domain id", s);
    if (strcmp(s, "Domain-0") == 0)
        return fail(c, "'Domain-0' is dom0's name");
    return xlcfg__set_string(c, &c->cfg->name, s);
}

static int h_type(struct ctx *c, const struct value *v)
{
    const char *s;
    char q[QUOTE_BUF];
    if (xlcfg__want_string(c, v, &s))
        return -1;
    if (strcmp(s, "pvh") == 0)
        return 0;
    if (strcmp(s, "pv") == 0 || strcmp(s, "hvm") == 0)
        return fail(c, "type \"%s\" is not supported: splitvisor builds PVH "
                    "domains", s);
    return fail(c, "unknown type \"%s\" (splitvisor builds \"pvh\" domains)",
                xlcfg__quote(q, sizeof(q), s, strlen(s)));
}

static int h_builder(struct ctx *c, const struct value *v)
{
    (void)v;
    return fail(c, "deprecated key that selects PV or HVM; splitvisor builds "
                "PVH domains: use type = \"pvh\"");
}

static int h_path(struct ctx *c, const struct value *v, char **field,
                  bool empty_clears)
{
    const char *s;
    if (xlcfg__want_string(c, v, &s))
        return -1;
    if (!*s) {
        if (!empty_clears)
            return fail(c, "is empty");
        free(*field);
        *field = NULL;
        return 0;
    }
    if (xlcfg__no_control(c, "path", s))
        return -1;
    return xlcfg__set_string(c, field, s);
}

static int h_kernel(struct ctx *c, const struct value *v)
{
    return h_path(c, v, &c->cfg->kernel, false);
}

/* ramdisk = "" drops the file's ramdisk, handy as an override. */
static int h_ramdisk(struct ctx *c, const struct value *v)
{
    return h_path(c, v, &c->cfg->ramdisk, true);
}

/* Command-line text: a tab is a blank to the kernel, other controls are not. */
static int h_text(struct ctx *c, const struct value *v, char **field)
{
    const char *s;
    if (xlcfg__want_string(c, v, &s))
        return -1;
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
            return fail(c, "value contains a control character (byte 0x%02x)", ch);
    }
    return xlcfg__set_string(c, field, s);
}

static int h_cmdline(struct ctx *c, const struct value *v)
{
    return h_text(c, v, &c->cfg->given.cmdline);
}

static int h_root(struct ctx *c, const struct value *v)
{
    return h_text(c, v, &c->cfg->given.root);
}

static int h_extra(struct ctx *c, const struct value *v)
{
    return h_text(c, v, &c->cfg->given.extra);
}

static int h_memory(struct ctx *c, const struct value *v)
{
    unsigned long long n;
    if (xlcfg__want_number(c, v, 1, XLCFG_MEMORY_MAX, &n))
        return -1;
    c->cfg->memory_mib = (unsigned long)n;
    return 0;
}

static int h_maxmem(struct ctx *c, const struct value *v)
{
    unsigned long long n;
    if (xlcfg__want_number(c, v, 1, XLCFG_MEMORY_MAX, &n))
        return -1;
    c->cfg->maxmem_mib = (unsigned long)n;
    return 0;
}

static int h_vcpus(struct ctx *c, const struct value *v)
{
    unsigned long long n;
    if (xlcfg__want_number(c, v, 1, XLCFG_VCPUS_MAX, &n))
        return -1;
    c->cfg->vcpus = (unsigned)n;
    return 0;
}

static int h_maxvcpus(struct ctx *c, const struct value *v)
{
    unsigned long long n;
    if (xlcfg__want_number(c, v, 1, XLCFG_VCPUS_MAX, &n))
        return -1;
    c->cfg->maxvcpus = (unsigned)n;
    return 0;
}

static const char *const action_names[] = {
    [XLCFG_ACTION_DESTROY] = "destroy",
    [XLCFG_ACTION_RESTART] = "restart",
    [XLCFG_ACTION_PRESERVE] = "preserve",
};

static int h_action(struct ctx *c, const struct value *v, enum xlcfg_action *out)
{
    /* xl.cfg(5)'s other actions: known, but we cannot honour them. */
    static const char *const unsupported[] = {
        "rename-restart", "coredump-destroy", "coredump-restart", "soft-reset",
    };
    const char *s;
    char q[QUOTE_BUF];
    if (xlcfg__want_string(c, v, &s))
        return -1;
    for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++) {
        if (strcmp(s, action_names[i]) == 0) {
            *out = (enum xlcfg_action)i;
            return 0;
        }
    }
    for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
        if (strcmp(s, unsupported[i]) == 0)
            return fail(c, "action '%s' is not supported (use destroy, restart "
                        "or preserve)", s);
    }
    return fail(c, "unknown action '%s' (expected destroy, restart or preserve)",
                xlcfg__quote(q, sizeof(q), s, strlen(s)));
}

static int h_on_poweroff(struct ctx *c, const struct value *v)
{
    return h_action(c, v, &c->cfg->on_poweroff);
}

static int h_on_reboot(struct ctx *c, const struct value *v)
{
    return h_action(c, v, &c->cfg->on_reboot);
}

static int h_on_crash(struct ctx *c, const struct value *v)
{
    return h_action(c, v, &c->cfg->on_crash);
}

static int h_paging(struct ctx *c, const struct value *v)
{
    const char *s;
    char q[QUOTE_BUF];
    if (xlcfg__want_string(c, v, &s))
        return -1;
    if (strcmp(s, "shadow") == 0)
        c->cfg->given.paging = XLCFG_PAGING_SHADOW;
    else if (strcmp(s, "hap") == 0)
        c->cfg->given.paging = XLCFG_PAGING_HAP;
    else
        return fail(c, "unknown paging mode '%s' (expected shadow or hap)",
                    xlcfg__quote(q, sizeof(q), s, strlen(s)));
    return 0;
}

static int h_hap(struct ctx *c, const struct value *v)
{
    unsigned long long n;
    if (xlcfg__want_number(c, v, 0, 1, &n))
        return -1;
    c->cfg->given.hap = (int)n;
    return 0;
}

/* ---- dispatch -------------------------------------------------------- */

static const struct {
    const char *name;
    int (*apply)(struct ctx *c, const struct value *v);
    enum xlcfg_key id;          /* XLCFG_KEY_COUNT: not recorded */
} handlers[] = {
    { "name",        h_name,        XLCFG_KEY_NAME },
    { "type",        h_type,        XLCFG_KEY_TYPE },
    { "builder",     h_builder,     XLCFG_KEY_COUNT },
    { "kernel",      h_kernel,      XLCFG_KEY_KERNEL },
    { "ramdisk",     h_ramdisk,     XLCFG_KEY_RAMDISK },
    { "cmdline",     h_cmdline,     XLCFG_KEY_CMDLINE },
    { "root",        h_root,        XLCFG_KEY_ROOT },
    { "extra",       h_extra,       XLCFG_KEY_EXTRA },
    { "memory",      h_memory,      XLCFG_KEY_MEMORY },
    { "maxmem",      h_maxmem,      XLCFG_KEY_MAXMEM },
    { "vcpus",       h_vcpus,       XLCFG_KEY_VCPUS },
    { "maxvcpus",    h_maxvcpus,    XLCFG_KEY_MAXVCPUS },
    { "cpus",        xlcfg__h_cpus,        XLCFG_KEY_CPUS },
    { "disk",        xlcfg__h_disk,        XLCFG_KEY_DISK },
    { "vif",         xlcfg__h_vif,         XLCFG_KEY_VIF },
    { "on_poweroff", h_on_poweroff, XLCFG_KEY_ON_POWEROFF },
    { "on_reboot",   h_on_reboot,   XLCFG_KEY_ON_REBOOT },
    { "on_crash",    h_on_crash,    XLCFG_KEY_ON_CRASH },
    { "paging",      h_paging,      XLCFG_KEY_PAGING },
    { "hap",         h_hap,         XLCFG_KEY_HAP },
};

int xlcfg__apply(struct xlcfg *cfg, const struct xlcfg_diag *diag,
                 const char *src, unsigned line, const char *key,
                 const struct value *v)
{
    struct ctx c = { cfg, diag, { src, line, key } };

    for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
        if (strcmp(key, handlers[i].name) != 0)
            continue;
        if (handlers[i].apply(&c, v))
            return -1;
        if (handlers[i].id != XLCFG_KEY_COUNT)
            cfg->given.loc[handlers[i].id] = (struct xlcfg_loc){ src, line };
        return 0;
    }
    struct where w = { src, line, NULL };
    xlcfg__warn(diag, &w, "unknown key '%s' ignored", key);
    return 0;
}

/* ---- entry points --------------------------------------------------------------- */

void xlcfg_init(struct xlcfg *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->memory_mib = 128;
    cfg->maxmem_mib = 128;
    cfg->vcpus = 1;
    cfg->maxvcpus = 1;
    cfg->on_poweroff = XLCFG_ACTION_DESTROY;
    cfg->on_reboot = XLCFG_ACTION_RESTART;
    cfg->on_crash = XLCFG_ACTION_DESTROY;
    cfg->paging = XLCFG_PAGING_SHADOW;
    cfg->given.paging = XLCFG_PAGING_SHADOW;
    cfg->given.hap = -1;
}

void xlcfg_free(struct xlcfg *cfg)
{
    if (!cfg)
        return;
    free(cfg->name);
    free(cfg->kernel);
    free(cfg->ramdisk);
    free(cfg->cmdline);
    free(cfg->cpumaps);
    xlcfg__disks_free(cfg->disks, cfg->ndisks);
    xlcfg__vifs_free(cfg->vifs, cfg->nvifs);
    free(cfg->given.cmdline);
    free(cfg->given.root);
    free(cfg->given.extra);
    for (struct xlcfg_src *s = cfg->given.srcs, *next; s; s = next) {
        next = s->next;
        free(s);
    }
    xlcfg_init(cfg);
}

/* Keeps a copy of a source name for the messages of xlcfg_validate(). */
static const char *src_add(struct xlcfg *cfg, const char *name)
{
    size_t n = strlen(name);
    struct xlcfg_src *s = malloc(sizeof(*s) + n + 1);
    if (!s)
        return NULL;
    memcpy(s->name, name, n + 1);
    s->next = NULL;
    struct xlcfg_src **tail = &cfg->given.srcs;
    while (*tail)
        tail = &(*tail)->next;
    *tail = s;
    return s->name;
}

static int parse_common(struct xlcfg *cfg, const char *src, unsigned first_line,
                        bool override, const char *text, size_t len,
                        const struct xlcfg_diag *diag)
{
    struct where w = { src, 0, NULL };

    if (len > XLCFG_FILE_MAX)
        return xlcfg__report(diag, &w, "larger than %u bytes", XLCFG_FILE_MAX);
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        w.line = first_line;
        if (!override)
            for (const char *p = text; p < nul; p++)
                w.line += *p == '\n';
        return xlcfg__report(diag, &w, "NUL byte in the input");
    }

    return xlcfg__parse_text(cfg, diag, src, first_line, override, text, len);
}

int xlcfg_parse_buffer(struct xlcfg *cfg, const char *name, const char *text,
                       size_t len, const struct xlcfg_diag *diag)
{
    const char *src = src_add(cfg, name);
    if (!src) {
        struct where w = { name, 0, NULL };
        return xlcfg__report(diag, &w, "out of memory");
    }
    return parse_common(cfg, src, 1, false, text, len, diag);
}

int xlcfg_parse_file(struct xlcfg *cfg, const char *path,
                     const struct xlcfg_diag *diag)
{
    struct where w = { path, 0, NULL };
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return xlcfg__report(diag, &w, "cannot open: %s", strerror(errno));

    /* One byte more than allowed, to tell "exactly the cap" from "over". */
    char *buf = malloc(XLCFG_FILE_MAX + 1);
    size_t len = 0;
    int rc = -1;
    if (!buf) {
        xlcfg__report(diag, &w, "out of memory");
        goto out;
    }
    while (len < XLCFG_FILE_MAX + 1) {
        ssize_t n = read(fd, buf + len, XLCFG_FILE_MAX + 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            xlcfg__report(diag, &w, "cannot read: %s", strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    if (len > XLCFG_FILE_MAX) {
        xlcfg__report(diag, &w, "larger than %u bytes", XLCFG_FILE_MAX);
        goto out;
    }
    rc = xlcfg_parse_buffer(cfg, path, buf, len, diag);
out:
    free(buf);
    close(fd);
    return rc;
}

int xlcfg_override(struct xlcfg *cfg, const char *kv, const struct xlcfg_diag *diag)
{
    unsigned n = ++cfg->given.noverrides;
    return parse_common(cfg, OVERRIDE_SRC, n, true, kv, strlen(kv), diag);
}

static const char *first_src(const struct xlcfg *cfg)
{
    return cfg->given.srcs ? cfg->given.srcs->name : "<config>";
}

static struct where key_where(const struct xlcfg *cfg, enum xlcfg_key k, const char *key)
{
    const struct xlcfg_loc *l = &cfg->given.loc[k];
    struct where w = { l->src ? l->src : first_src(cfg), l->src ? l->line : 0, key };
    return w;
}

static int compose_cmdline(struct xlcfg *cfg, const struct xlcfg_diag *diag)
{
    const char *root = cfg->given.root, *extra = cfg->given.extra;
    char *out = NULL;

    free(cfg->cmdline);
    cfg->cmdline = NULL;
    if (cfg->given.cmdline) {
        if (root || extra) {
            struct where w = key_where(cfg, XLCFG_KEY_CMDLINE, "cmdline");
            xlcfg__warn(diag, &w, "root and extra ignored in favour of cmdline");
        }
        out = strdup(cfg->given.cmdline);
    } else if (root) {
        size_t n = strlen(root) + (extra ? strlen(extra) + 1 : 0) + 6;
        out = malloc(n);
        if (out)
            snprintf(out, n, "root=%s%s%s", root, extra ? " " : "", extra ? extra : "");
    } else if (extra) {
        out = strdup(extra);
    } else {
        return 0;
    }
    if (!out) {
        struct where w = { first_src(cfg), 0, "cmdline" };
        return xlcfg__report(diag, &w, "out of memory");
    }
    cfg->cmdline = out;
    return 0;
}

int xlcfg_validate(struct xlcfg *cfg, const struct xlcfg_diag *diag)
{
    const struct xlcfg_loc *loc = cfg->given.loc;
    struct where w;

    if (!cfg->name) {
        w = key_where(cfg, XLCFG_KEY_NAME, "name");
        return xlcfg__report(diag, &w, "required key is missing");
    }
    if (!cfg->kernel) {
        w = key_where(cfg, XLCFG_KEY_KERNEL, "kernel");
        return xlcfg__report(diag, &w, "required key is missing");
    }

    if (!loc[XLCFG_KEY_MAXMEM].src)
        cfg->maxmem_mib = cfg->memory_mib;
    else if (cfg->maxmem_mib < cfg->memory_mib) {
        w = key_where(cfg, XLCFG_KEY_MAXMEM, "maxmem");
        return xlcfg__report(diag, &w, "%lu MiB is less than memory (%lu MiB)",
                      cfg->maxmem_mib, cfg->memory_mib);
    }

    if (!loc[XLCFG_KEY_MAXVCPUS].src)
        cfg->maxvcpus = cfg->vcpus;
    else if (cfg->maxvcpus < cfg->vcpus) {
        w = key_where(cfg, XLCFG_KEY_MAXVCPUS, "maxvcpus");
        return xlcfg__report(diag, &w, "%u is less than vcpus (%u)", cfg->maxvcpus, cfg->vcpus);
    }

    if (cfg->cpus_per_vcpu && cfg->ncpumaps > cfg->maxvcpus) {
        w = key_where(cfg, XLCFG_KEY_CPUS, "cpus");
        return xlcfg__report(diag, &w, "%zu per-vCPU CPU lists for %u vCPUs (maxvcpus)",
                      cfg->ncpumaps, cfg->maxvcpus);
    }

    if (compose_cmdline(cfg, diag))
        return -1;

    if (loc[XLCFG_KEY_PAGING].src) {
        cfg->paging = cfg->given.paging;
        if (loc[XLCFG_KEY_HAP].src &&
            (cfg->given.hap == 1) != (cfg->paging == XLCFG_PAGING_HAP)) {
            w = key_where(cfg, XLCFG_KEY_HAP, "hap");
            xlcfg__warn(diag, &w, "ignored: paging = \"%s\" takes precedence",
                 xlcfg_paging_name(cfg->paging));
        }
    } else if (loc[XLCFG_KEY_HAP].src) {
        cfg->paging = cfg->given.hap == 1 ? XLCFG_PAGING_HAP : XLCFG_PAGING_SHADOW;
    } else {
        cfg->paging = XLCFG_PAGING_SHADOW;
    }
    return 0;
}

int xlcfg_load(struct xlcfg *cfg, const char *path, char *const *overrides,
               size_t noverrides, const struct xlcfg_diag *diag)
{
    xlcfg_init(cfg);
    if (xlcfg_parse_file(cfg, path, diag))
        goto bad;
    for (size_t i = 0; i < noverrides; i++)
        if (xlcfg_override(cfg, overrides[i], diag))
            goto bad;
    if (xlcfg_validate(cfg, diag))
        goto bad;
    return 0;
bad:
    xlcfg_free(cfg);
    return -1;
}

const char *xlcfg_action_name(enum xlcfg_action action)
{
    if ((unsigned)action < sizeof(action_names) / sizeof(action_names[0]))
        return action_names[action];
    return "?";
}

const char *xlcfg_paging_name(enum xlcfg_paging paging)
{
    return paging == XLCFG_PAGING_HAP ? "hap" : "shadow";
}

const char *xlcfg_disk_format_name(enum xlcfg_disk_format format)
{
    return format == XLCFG_DISK_FORMAT_RAW ? "raw" : "?";
}

const char *xlcfg_disk_backend_name(enum xlcfg_disk_backend backend)
{
    return backend == XLCFG_DISK_BACKEND_PHY ? "phy" : "file";
}
