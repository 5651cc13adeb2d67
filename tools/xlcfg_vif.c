/*
 * vif = [ 'KEY=VALUE,...', ... ]: the keys of xl-network-configuration(5)
 * that a PVH guest's netfront needs; the MAC is checked, the rest is kept
 * as text for the hotplug script.
 */
#include "xlcfg_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_mac(const char *s, uint8_t mac[6])
{
    /* Exactly "xx:xx:xx:xx:xx:xx". */
    if (strlen(s) != 17)
        return -1;
    for (int i = 0; i < 6; i++) {
        int hi = hex_value((unsigned char)s[3 * i]);
        int lo = hex_value((unsigned char)s[3 * i + 1]);
        if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
            return -1;
        mac[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

static void vif_clear(struct xlcfg_vif *vif)
{
    free(vif->bridge);
    free(vif->ip);
    free(vif->script);
    free(vif->model);
    free(vif->backend);
    free(vif->vifname);
    free(vif->type);
    memset(vif, 0, sizeof(*vif));
}

static int vif_option(struct ctx *c, struct xlcfg_vif *vif, const char *key,
                      const char *val)
{
    char q[QUOTE_BUF];
    struct { const char *name; char **field; } strings[] = {
        { "bridge", &vif->bridge }, { "ip", &vif->ip },
        { "script", &vif->script }, { "model", &vif->model },
        { "backend", &vif->backend }, { "vifname", &vif->vifname },
        { "type", &vif->type },
    };

    if (!strcmp(key, "mac")) {
        if (parse_mac(val, vif->mac))
            return fail(c, "bad mac '%s': expected six hex bytes like "
                        "00:16:3e:12:34:56", xlcfg__quote(q, sizeof(q), val, strlen(val)));
        if (vif->mac[0] & 1)
            return fail(c, "mac %s is a multicast address", val);
        static const uint8_t zero[6];
        if (!memcmp(vif->mac, zero, sizeof(zero)))
            return fail(c, "mac %s is not a usable address", val);
        vif->has_mac = true;
        return 0;
    }
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        if (strcmp(key, strings[i].name) != 0)
            continue;
        if (control_char(val) >= 0)
            return fail(c, "%s contains a control character", key);
        if (!strcmp(key, "vifname") && strlen(val) > XLCFG_VIFNAME_MAX)
            return fail(c, "vifname '%s' is longer than %u characters",
                        xlcfg__quote(q, sizeof(q), val, strlen(val)), XLCFG_VIFNAME_MAX);
        return xlcfg__set_string(c, strings[i].field, val);
    }
    xlcfg__warn(c->diag, &c->w, "unknown vif option '%s' ignored",
         xlcfg__quote(q, sizeof(q), key, strlen(key)));
    return 0;
}

static int parse_vif(struct ctx *c, const char *spec, struct xlcfg_vif *vif)
{
    char q[QUOTE_BUF];
    char *copy = strdup(spec);
    int rc = 0;

    memset(vif, 0, sizeof(*vif));
    if (!copy)
        return fail(c, "out of memory");
    for (char *p = copy; p && rc == 0;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma++ = '\0';
        char *item = xlcfg__trim(p);
        p = comma;
        if (!*item)
            continue;
        char *eq = strchr(item, '=');
        if (!eq) {
            rc = fail(c, "expected KEY=VALUE, got '%s'",
                      xlcfg__quote(q, sizeof(q), item, strlen(item)));
            break;
        }
        *eq = '\0';
        rc = vif_option(c, vif, xlcfg__trim(item), xlcfg__trim(eq + 1));
    }
    free(copy);
    if (rc)
        vif_clear(vif);
    return rc;
}

void xlcfg__vifs_free(struct xlcfg_vif *vifs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        vif_clear(&vifs[i]);
    free(vifs);
}

int xlcfg__h_vif(struct ctx *c, const struct value *v)
{
    struct xlcfg_vif *vifs = NULL;
    size_t n = 0;

    if (xlcfg__want_list(c, v))
        return -1;
    if (v->nitems) {
        vifs = calloc(v->nitems, sizeof(*vifs));
        if (!vifs)
            return fail(c, "out of memory");
    }
    for (; n < v->nitems; n++) {
        const struct atom *a = &v->items[n];
        c->w.line = a->line;
        if (a->is_number) {
            fail(c, "expected a string for each vif, got a number");
            goto bad;
        }
        if (parse_vif(c, a->str, &vifs[n]))
            goto bad;
    }
    xlcfg__vifs_free(c->cfg->vifs, c->cfg->nvifs);
    c->cfg->vifs = vifs;
    c->cfg->nvifs = n;
    return 0;
bad:
    xlcfg__vifs_free(vifs, n);
    return -1;
}
