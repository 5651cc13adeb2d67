/*
 * How the tools show values that may hold any byte, and read them back:
 * printable ASCII stays as it is, backslash and control bytes become C-like
 * escapes ("\t", "\\", "\001", "\x7f").  The same rules as Xen's
 * sanitise_value()/unsanitise_value(), so output and scripts carry over.
 */
#ifndef XST_ESCAPE_H
#define XST_ESCAPE_H

#include <stddef.h>

/* The escaped text of LEN bytes of VAL, malloc()ed; NULL if out of memory. */
char *xst_escape(const char *val, size_t len);

/*
 * Undo xst_escape() on the string IN into OUT (at least strlen(IN) + 1
 * bytes); returns the number of bytes produced, which may include nuls.
 */
size_t xst_unescape(char *out, const char *in);

#endif /* XST_ESCAPE_H */
