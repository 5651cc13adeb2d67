/*
 * Address -> symbol lookup over the table that scripts/gensyms.sh generates
 * from the first link of the image (sorted by address).
 */
#include <sv/fmt.h>
#include <sv/symbols.h>

struct symbol {
    uint64_t addr;
    const char *name;
};

extern const struct symbol symbols_start[], symbols_end[];

const char *symbol_name(uint64_t addr, uint64_t *offset)
{
    static char buf[96];
    const struct symbol *lo = symbols_start, *hi = symbols_end;

    /* Find the last symbol with address <= addr. */
    while (hi - lo > 1) {
        const struct symbol *mid = lo + (hi - lo) / 2;
        if (mid->addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (lo == symbols_end || lo->addr > addr)
        return "??";
    if (offset)
        *offset = addr - lo->addr;
    fmt_snprintf(buf, sizeof(buf), "%s+%#lx", lo->name, (unsigned long)(addr - lo->addr));
    return buf;
}
