#!/bin/sh
# extract-vmlinux.sh BZIMAGE OUT
# Recover the vmlinux ELF that an x86 bzImage carries as its compressed
# payload. The boot protocol (>= 2.08) says where the payload is:
# payload_offset/payload_length (0x248/0x24c) count from the start of the
# protected-mode code, which follows the (setup_sects + 1) * 512 bytes of
# real-mode setup. The payload's magic then says which decompressor to use.
# If the header is unusable we scan for each magic instead. Either way the
# result must be an ELF64 x86-64 file, or we fail.
set -eu
in=$1 out=$2
tmp=$out.tmp.$$
trap 'rm -f "$tmp" "$tmp.payload"' EXIT

u() { od -An --endian=little -t"u$1" -j "$2" -N "$1" "$in" | tr -d ' '; }  # LE int at offset

# decompress FORMAT: stdin -> stdout. Trailing bytes after the stream
# (e.g. the relocation table) are expected, so a complaint about them is
# not fatal: the ELF check below decides.
decompress() {
	case $1 in
	xz)   xz -dc --single-stream ;;
	zstd) zstd -dcq ;;
	gzip) gzip -dcq ;;
	esac
}

# format_of FILE: name the compression from the first bytes.
format_of() {
	case $(od -An -tx1 -N6 "$1" | tr -d ' \n') in
	fd377a585a00*) echo xz ;;
	28b52ffd*)     echo zstd ;;
	1f8b08*)       echo gzip ;;
	*)             echo unknown ;;
	esac
}

is_elf64_x86_64() {
	# e_ident: 7f 'E' 'L' 'F', class 2 (64-bit), data 1 (LE); e_machine 0x3e.
	[ "$(od -An -tx1 -N6 "$1" | tr -d ' \n')" = 7f454c460201 ] &&
	[ "$(od -An -tx1 -j18 -N2 "$1" | tr -d ' \n')" = 3e00 ]
}

try() {  # try FORMAT: decompress $tmp.payload into $tmp, succeed on an ELF
	decompress "$1" < "$tmp.payload" > "$tmp" 2>/dev/null || true
	is_elf64_x86_64 "$tmp"
}

if [ "$(od -An -c -j 0x202 -N4 "$in" | tr -d ' ')" = HdrS ] && [ "$(u 2 0x206)" -ge 520 ]; then
	start=$(( ($(u 1 0x1f1) + 1) * 512 + $(u 4 0x248) ))
	tail -c +$((start + 1)) "$in" | head -c "$(u 4 0x24c)" > "$tmp.payload"
	fmt=$(format_of "$tmp.payload")
	if [ "$fmt" != unknown ] && try "$fmt"; then
		mv "$tmp" "$out"; echo "extract-vmlinux: $fmt payload at $start"; exit 0
	fi
fi

# Fallback: look for each magic anywhere in the file.
for fmt in xz zstd gzip; do
	case $fmt in
	xz) m='\xfd7zXZ\x00' ;; zstd) m='\x28\xb5\x2f\xfd' ;; gzip) m='\x1f\x8b\x08' ;;
	esac
	for off in $(LC_ALL=C grep -aboP "$m" "$in" | cut -d: -f1); do
		tail -c +$((off + 1)) "$in" > "$tmp.payload"
		if try "$fmt"; then
			mv "$tmp" "$out"; echo "extract-vmlinux: $fmt payload found by magic at $off"; exit 0
		fi
	done
done
echo "extract-vmlinux: no ELF64 x86-64 payload found in $in" >&2
exit 1
