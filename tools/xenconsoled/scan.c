/*
 * Which domains to serve.  Like Xen's xenconsoled we are told that the set
 * of domains changed by the special watches @introduceDomain and
 * @releaseDomain; we then list /local/domain and reconcile:
 *
 *   - a domain whose console/ring-ref and console/port are present (and
 *     whose console/type, if any, is "xenconsoled") and that we do not
 *     serve yet is opened (map, bind, pty, log);
 *   - one we serve whose keys changed (a resumed guest) is closed and
 *     opened again;
 *   - one we serve whose directory or console keys are gone is closed.
 *
 * Each served domain also has a watch on its console directory (token
 * "domN"): removing /local/domain/N fires it, so a domain whose
 * @releaseDomain came before the toolstack removed its directory is still
 * torn down promptly.  All state is in xenstore, so a restarted daemon
 * finds every domain again with the first scan.
 */
#include "xenconsoled.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xen/xen.h>

bool scan_watch_specials(struct daemon *dm)
{
    if (!xs_watch(dm->xs, "@introduceDomain", "introduce")) {
        msg(LOG_ERR, "cannot watch @introduceDomain: %s", strerror(errno));
        return false;
    }
    if (!xs_watch(dm->xs, "@releaseDomain", "release")) {
        msg(LOG_ERR, "cannot watch @releaseDomain: %s", strerror(errno));
        return false;
    }
    return true;
}

static bool parse_domid(const char *s, unsigned *domid)
{
    uint64_t v;

    if (!parse_u64(s, DOMID_FIRST_RESERVED - 1, &v) || v == 0)
        return false;     /* dom0's console is the hypervisor's */
    *domid = (unsigned)v;
    return true;
}

void scan_domains(struct daemon *dm)
{
    unsigned num = 0;
    char **ents;

    errno = 0;
    ents = xs_directory(dm->xs, XBT_NULL, "/local/domain", &num);
    if (!ents) {
        if (errno != ENOENT) {
            /* We cannot tell who is alive: change nothing. */
            msg(LOG_WARNING, "cannot list /local/domain: %s", strerror(errno));
            return;
        }
        num = 0;
    }

    unsigned pass = ++dm->scan_pass;
    for (unsigned i = 0; i < num; i++) {
        unsigned domid;
        struct console_keys k;

        if (!parse_domid(ents[i], &domid))
            continue;
        struct cons_domain *d = domain_find(dm, domid);
        switch (console_keys_read(dm, domid, &k)) {
        case KEYS_ABSENT:
            continue;               /* not ready yet, or its console is gone */
        case KEYS_ERROR:
            if (d)
                d->seen_pass = pass;   /* cannot tell: keep it */
            continue;
        case KEYS_OK:
            break;
        }
        if (d && (d->keys.ring_ref != k.ring_ref || d->keys.port != k.port)) {
            msg(LOG_INFO, "domain %u: console ring or port changed; reconnecting", domid);
            domain_close(dm, d);
            d = NULL;
        }
        if (!d)
            d = domain_open(dm, domid, &k);
        if (d)
            d->seen_pass = pass;
    }
    free(ents);

    for (struct cons_domain *d = dm->domains; d; d = d->next) {
        if (!d->dead && d->seen_pass != pass) {
            msg(LOG_INFO, "domain %u: gone; console closed", d->domid);
            domain_close(dm, d);
        }
    }
}

bool scan_handle_watches(struct daemon *dm)
{
    int fired = xs_drain_watches(dm->xs);

    if (fired > 0)
        scan_domains(dm);
    return fired >= 0;
}
