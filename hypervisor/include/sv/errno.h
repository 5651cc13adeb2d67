/*
 * Error numbers.  The hypervisor answers with Xen's errno values (the public
 * <xen/errno.h>); they equal Linux's, so host-built unit tests can use the C
 * library's <errno.h> for the same names and values.
 */
#ifndef SV_ERRNO_H
#define SV_ERRNO_H

#ifdef SV_HOSTED
#include <errno.h>
#else
#define XEN_ERRNO(name, value) name = value,
enum sv_errno {
#include <xen/errno.h>
};
#endif

#endif
