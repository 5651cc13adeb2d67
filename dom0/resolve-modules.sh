#!/bin/sh
# resolve-modules.sh MODDIR NAME...
# Print, one per line and in load order (dependencies first), the paths
# relative to MODDIR (/lib/modules/<version>) of the .ko files that loading
# each NAME needs, from MODDIR/modules.dep. A NAME built into the kernel
# (listed in modules.builtin) needs nothing and is reported on stderr; an
# unknown NAME is an error. Names match as modprobe matches them: '-' and
# '_' are the same, and the .ko[.xz|.zst|.gz] suffix is not part of it.
set -eu
dir=$1; shift
exec awk -v want="$*" '
function norm(p) { sub(/.*\//, "", p); sub(/\.ko(\.(xz|zst|gz))?$/, "", p); gsub(/-/, "_", p); return p }
# Depth-first: a module comes after everything it depends on, once.
function visit(path,   n, i, d) {
	if (path in done) return
	done[path] = 1
	n = split(deps[path], d, " ")
	for (i = 1; i <= n; i++) visit(d[i])
	print path
}
FILENAME ~ /modules\.builtin$/ { builtin[norm($1)] = 1; next }
{ p = $1; sub(/:$/, "", p); byname[norm(p)] = p; $1 = ""; deps[p] = $0 }
END {
	n = split(want, w, " ")
	for (i = 1; i <= n; i++) {
		m = norm(w[i])
		if (m in byname) visit(byname[m])
		else if (m in builtin) print "resolve-modules: " w[i] " is built in" > "/dev/stderr"
		else { print "resolve-modules: no module " w[i] > "/dev/stderr"; bad = 1 }
	}
	exit bad
}' "$dir/modules.builtin" "$dir/modules.dep"
