/*
 * cpus = "CPULIST" | NUMBER | [ "CPULIST", ... ]: vCPU pinning as xl.cfg(5)
 * describes it, without NUMA node names, into 256-CPU bitmaps.
 */
#include "xlcfg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool xlcfg_cpumap_test(const struct xlcfg_cpumap *map, unsigned cpu)
{
    return cpu < XLCFG_CPUS_MAX && (map->bits[cpu / 64] >> (cpu % 64) & 1);
}

static void cpumap_range(struct xlcfg_cpumap *map, unsigned lo, unsigned hi, bool on)
{
    for (unsigned cpu = lo; cpu <= hi; cpu++) {
        uint64_t bit = (uint64_t)1 << (cpu % 64);
        if (on)
            map->bits[cpu / 64] |= bit;
        else
            map->bits[cpu / 64] &= ~bit;
    }
}

static bool cpumap_empty(const struct xlcfg_cpumap *map)
{
    for (size_t i = 0; i < XLCFG_CPUS_MAX / 64; i++)
        if (map->bits[i])
            return false;
    return true;
}

/* A CPU number: decimal, < XLCFG_CPUS_MAX.  Advances *p. */
static int cpu_number(const char **p, unsigned *out, char *why, size_t whylen)
{
    const char *s = *p;
    unsigned long v = 0;
    if (!is_digit((unsigned char)*s)) {
        snprintf(why, whylen, "expected a CPU number");
        return -1;
    }
    while (is_digit((unsigned char)*s)) {
        v = v * 10 + (unsigned long)(*s++ - '0');
        if (v >= XLCFG_CPUS_MAX) {
            snprintf(why, whylen, "CPU numbers stop at %u", XLCFG_CPUS_MAX - 1);
            return -1;
        }
    }
    *out = (unsigned)v;
    *p = s;
    return 0;
}

/*
 * xl's CPULIST without NUMA nodes: comma-separated "all", "N", "N-M", each
 * optionally prefixed by '^' to remove, applied left to right.
 */
static int parse_cpulist(const char *list, struct xlcfg_cpumap *map, char *why,
                         size_t whylen)
{
    char q[QUOTE_BUF];
    const char *p = list;

    memset(map, 0, sizeof(*map));
    for (;;) {
        while (is_blank((unsigned char)*p))
            p++;
        const char *elem = p;
        bool on = true;
        unsigned lo, hi;
        if (*p == '^') {
            on = false;
            p++;
        }
        if (strncmp(p, "all", 3) == 0) {
            lo = 0;
            hi = XLCFG_CPUS_MAX - 1;
            p += 3;
        } else if (strncmp(p, "node", 4) == 0) {
            snprintf(why, whylen, "NUMA node lists are not supported");
            return -1;
        } else {
            if (*p == ',' || *p == '\0') {
                snprintf(why, whylen, "empty element in CPU list '%s'",
                         xlcfg__quote(q, sizeof(q), list, strlen(list)));
                return -1;
            }
            if (cpu_number(&p, &lo, why, whylen))
                return -1;
            hi = lo;
            if (*p == '-') {
                p++;
                if (cpu_number(&p, &hi, why, whylen))
                    return -1;
                if (hi < lo) {
                    snprintf(why, whylen, "range %u-%u is reversed", lo, hi);
                    return -1;
                }
            }
        }
        while (is_blank((unsigned char)*p))
            p++;
        if (*p != ',' && *p != '\0') {
            snprintf(why, whylen, "bad CPU list element '%s'",
                     xlcfg__quote(q, sizeof(q), elem, strcspn(elem, ",")));
            return -1;
        }
        cpumap_range(map, lo, hi, on);
        if (*p == '\0')
            break;
        p++;
    }
    if (cpumap_empty(map)) {
        snprintf(why, whylen, "CPU list '%s' leaves no CPU",
                 xlcfg__quote(q, sizeof(q), list, strlen(list)));
        return -1;
    }
    return 0;
}

static int cpumap_from_atom(struct ctx *c, const struct atom *a,
                            struct xlcfg_cpumap *map)
{
    char why[160];
    if (a->is_number) {
        if (a->num >= XLCFG_CPUS_MAX)
            return fail(c, "CPU numbers stop at %u", XLCFG_CPUS_MAX - 1);
        memset(map, 0, sizeof(*map));
        cpumap_range(map, (unsigned)a->num, (unsigned)a->num, true);
        return 0;
    }
    if (parse_cpulist(a->str, map, why, sizeof(why)))
        return fail(c, "%s", why);
    return 0;
}

int xlcfg__h_cpus(struct ctx *c, const struct value *v)
{
    struct xlcfg *cfg = c->cfg;
    size_t n = v->is_list ? v->nitems : 1;
    struct xlcfg_cpumap *maps = NULL;

    if (n) {
        maps = calloc(n, sizeof(*maps));
        if (!maps)
            return fail(c, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const struct atom *a = v->is_list ? &v->items[i] : &v->atom;
        c->w.line = a->line;
        if (cpumap_from_atom(c, a, &maps[i])) {
            free(maps);
            return -1;
        }
    }
    free(cfg->cpumaps);
    cfg->cpumaps = maps;
    cfg->ncpumaps = n;
    cfg->cpus_per_vcpu = v->is_list;
    return 0;
}
