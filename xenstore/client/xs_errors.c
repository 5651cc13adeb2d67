/*
 * XS_ERROR replies carry an errno *name* ("ENOENT"), because errno numbers
 * differ between the daemon's OS and ours.  Xen's own table, xsd_errors[]
 * in <xen/io/xs_wire.h>, is the one list of names the protocol knows.
 */
#include <errno.h>
#include <string.h>

#include "xs_client.h"

#define N_XSD_ERRORS (sizeof(xsd_errors) / sizeof(xsd_errors[0]))

int svxs_errno_from_name(const char *name)
{
    size_t i;

    for (i = 0; i < N_XSD_ERRORS; i++)
        if (strcmp(name, xsd_errors[i].errstring) == 0)
            return xsd_errors[i].errnum;
    return EINVAL;      /* what Xen's libxenstore answers for a stranger */
}

const char *svxs_errno_name(int err)
{
    size_t i;

    for (i = 0; i < N_XSD_ERRORS; i++)
        if (xsd_errors[i].errnum == err)
            return xsd_errors[i].errstring;
    return NULL;
}
