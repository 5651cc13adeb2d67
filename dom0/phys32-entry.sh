#!/bin/sh
# phys32-entry.sh VMLINUX
# Print the value of the Xen ELF note XEN_ELFNOTE_PHYS32_ENTRY (type 18,
# name "Xen") as 0x..., read the way a PVH loader reads it: from the
# PT_NOTE program headers, not from the section table (which a stripped or
# objcopy'd kernel need not keep). Fails if there is no such note.
set -eu
elf=$1

# le HEX...: the little-endian bytes given as hex pairs, as one number.
le() { v=; for b in "$@"; do v=$b$v; done; printf '%d' "0x${v:-0}"; }

val=$(readelf -lW "$elf" | awk '$1 == "NOTE" { print $2, $5 }' | while read -r off size; do
	# The segment as one hex byte per word, then walk its notes:
	# namesz, descsz, type (4 bytes each), name and desc padded to 4.
	set -- $(od -An -v -tx1 -j $((off)) -N $((size)) "$elf")
	while [ $# -ge 12 ]; do
		namesz=$(le $1 $2 $3 $4) descsz=$(le $5 $6 $7 $8) type=$(le $9 ${10} ${11} ${12})
		shift 12
		name=$(printf '%s' "$*" | cut -d' ' -f1-$((namesz > 1 ? namesz - 1 : 1)))
		shift $(( (namesz + 3) / 4 * 4 ))
		if [ "$type" = 18 ] && [ "$name" = "58 65 6e" ]; then  # "Xen"
			# The value is 4 bytes (older kernels) or 8 bytes wide.
			printf '0x%x\n' "$(le $(echo "$@" | cut -d' ' -f1-$descsz))"
			exit 0  # leaves the pipeline's subshell
		fi
		shift $(( (descsz + 3) / 4 * 4 ))
	done
done)
[ -n "$val" ] || { echo "phys32-entry: no XEN_ELFNOTE_PHYS32_ENTRY in $elf" >&2; exit 1; }
echo "$val"
