/*
 * The one place that includes Xen's wire header: it needs <stdint.h> for
 * its types and <errno.h> before it so that xsd_errors[] is defined.
 */
#ifndef XS_WIRE_H_INCLUDED
#define XS_WIRE_H_INCLUDED

#include <errno.h>
#include <stdint.h>

#include <xen/io/xs_wire.h>

#endif
