/* The hypervisor's own symbol table, linked in at build time (scripts/gensyms.sh). */
#ifndef SV_SYMBOLS_H
#define SV_SYMBOLS_H

#include <sv/types.h>

/* "function+0xoff" for addr, or "??"; *offset gets the offset when non-NULL.
 * The returned string lives in a static buffer (one per call site is fine
 * on the panic path, which is serialised). */
const char *symbol_name(uint64_t addr, uint64_t *offset);

#endif
