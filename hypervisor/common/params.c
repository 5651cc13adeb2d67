/*
 * The option table.  Names follow Xen's where Xen has the option
 * (loglvl=, dom0_mem=, noreboot, maxcpus=); the rest are ours.
 */
#include <sv/cmdline.h>
#include <sv/errno.h>
#include <sv/params.h>
#include <sv/printk.h>
#include <sv/string.h>

bool opt_noreboot;
bool opt_shadow_audit;
bool opt_boot_guests;
unsigned long opt_maxcpus = ~0ul;
uint64_t opt_dom0_mem;
uint64_t opt_dom0_mem_max;
char opt_after_boot[16] = "idle";
char opt_crash[16];
char opt_loglvl[16] = "info";
char opt_dom0_paging[8] = "hap";
unsigned long opt_dom0_shadow_roots;

static int parse_dom0_paging(const char *value)
{
    if (!value || (strcmp(value, "hap") && strcmp(value, "shadow")))
        return -EINVAL;
    str_copy(opt_dom0_paging, value, sizeof(opt_dom0_paging));
    return 0;
}

static int parse_loglvl(const char *value)
{
    enum log_level lvl;

    if (!value || printk_parse_level(value, &lvl))
        return -EINVAL;
    str_copy(opt_loglvl, value, sizeof(opt_loglvl));
    printk_set_level(lvl);
    return 0;
}

/* Xen's syntax: dom0_mem=<size>[,max:<size>] (also "max:<size>" alone). */
static int parse_dom0_mem(const char *value)
{
    const char *p = value;
    uint64_t size;

    if (!value || !*value)
        return -EINVAL;
    while (*p) {
        bool is_max = strncmp(p, "max:", 4) == 0;

        if (is_max)
            p += 4;
        if (parse_size(p, &p, &size) || size == 0)
            return -EINVAL;
        if (is_max)
            opt_dom0_mem_max = size;
        else
            opt_dom0_mem = size;
        if (*p == ',')
            p++;
        else if (*p)
            return -EINVAL;
    }
    return 0;
}

static int parse_after_boot(const char *value)
{
    if (!value || (strcmp(value, "idle") && strcmp(value, "poweroff") && strcmp(value, "reboot")))
        return -EINVAL;
    str_copy(opt_after_boot, value, sizeof(opt_after_boot));
    return 0;
}

static int parse_crash(const char *value)
{
    static const char *const kinds[] = { "pf", "ud", "de", "gp", "df", "bug" };

    for (size_t i = 0; value && i < ARRAY_SIZE(kinds); i++) {
        if (!strcmp(value, kinds[i])) {
            str_copy(opt_crash, value, sizeof(opt_crash));
            return 0;
        }
    }
    return -EINVAL;
}

static const struct param params[] = {
    { "loglvl", PARAM_CUSTOM, NULL, 0, parse_loglvl },
    { "dom0_mem", PARAM_CUSTOM, NULL, 0, parse_dom0_mem },
    { "noreboot", PARAM_BOOL, &opt_noreboot, 0, NULL },
    { "shadow_audit", PARAM_BOOL, &opt_shadow_audit, 0, NULL },
    { "maxcpus", PARAM_UINT, &opt_maxcpus, 0, NULL },
    { "boot_guests", PARAM_BOOL, &opt_boot_guests, 0, NULL },
    { "after_boot", PARAM_CUSTOM, NULL, 0, parse_after_boot },
    { "crash", PARAM_CUSTOM, NULL, 0, parse_crash },
    { "dom0_paging", PARAM_CUSTOM, NULL, 0, parse_dom0_paging },
    { "dom0_shadow_roots", PARAM_UINT, &opt_dom0_shadow_roots, 0, NULL },
};

int params_parse(const char *cmdline)
{
    return cmdline_parse(cmdline, params, ARRAY_SIZE(params), printk);
}
