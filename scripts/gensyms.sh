#!/bin/sh
# Generate the hypervisor's symbol table (assembly) from a linked image, so
# backtraces print function names.  Usage: gensyms.sh [ELF] > symbols.S
# Without an ELF, emits an empty table for the first link.
set -eu
echo '    .section .symbols, "a"'
echo '    .balign 8'
[ $# -ge 1 ] || exit 0
nm -n --defined-only "$1" | awk '
    $2 ~ /^[tTwW]$/ && $3 !~ /^\./ && $3 !~ /^stub_/ {
        n++; addr[n] = $1; name[n] = $3
    }
    END {
        for (i = 1; i <= n; i++) printf "    .quad 0x%s, .Lsym%d\n", addr[i], i
        print "    .section .rodata.symnames, \"a\""
        for (i = 1; i <= n; i++) printf ".Lsym%d: .asciz \"%s\"\n", i, name[i]
    }'
