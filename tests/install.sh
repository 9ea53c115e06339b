#!/bin/sh
# make install and make uninstall, into a temporary DESTDIR: the binary
# runs from where it was installed, the man page, the bash completion and
# (when built) the Python tracer are where they belong, the installed
# completion completes with the installed ptmon, and uninstall leaves no
# file behind.
. "$(dirname "$0")/lib.sh"

: "${BUILDDIR:=$(dirname "$PTMON")/..}"
if [ ! -f "$BUILDDIR/Makefile" ]; then
	echo "1..0 # SKIP no Makefile in $BUILDDIR"
	exit 0
fi
plan 7

dest=${TMPDIR:-/tmp}/ptmon-install.$$
trap 'rm -rf "$dest"' EXIT
# A make of its own: not the jobs or variables of the make running us.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
make_in() {
	${MAKE_BIN:-make} -s -C "$BUILDDIR" "$@" DESTDIR="$dest" \
	    >"$dest.log" 2>&1 && return 0
	sed 's/^/#   /' "$dest.log"
	return 1
}

check "make install DESTDIR=... succeeds" make_in install
bin=$(find "$dest" -type f -path '*/bin/ptmon' | head -n 1)
installed_version() {
	[ -n "$bin" ] || { diag "no bin/ptmon under $dest"; return 1; }
	"$bin" --version | grep -Eq '^ptmon [0-9]+\.[0-9]+' && return 0
	diag "$bin --version: $("$bin" --version 2>&1)"
	return 1
}
check "the installed ptmon --version runs" installed_version
check "the man page is installed as man1/ptmon.1" sh -c \
    'find "$0" -type f -path "*/man/man1/ptmon.1" | grep -q .' "$dest"
comp=$(find "$dest" -type f -path '*/bash-completion/completions/ptmon' |
    head -n 1)
installed_completion() {
	[ -n "$comp" ] || { diag "no bash-completion/completions/ptmon"; return 1; }
	command -v bash >/dev/null 2>&1 || return 0
	got=$(PATH="$(dirname "$bin"):$PATH" bash --norc -c '. "$1"
		COMP_WORDS=(ptmon po); COMP_CWORD=1; _ptmon
		printf "%s\n" "${COMPREPLY[@]}"' x "$comp")
	[ "$got" = pool ] && return 0
	diag "the installed completion of 'ptmon po': '$got'"
	return 1
}
check "the bash completion is installed and completes" installed_completion
if "$bin" --version 2>/dev/null | grep -q '^Python stepping: built in'; then
	check "the Python tracer is installed in lib/ptmon/pytrace" sh -c '
		d=$(find "$0" -type d -path "*/lib/ptmon/pytrace" | head -n 1)
		[ -n "$d" ] && [ -f "$d/sitecustomize.py" ] &&
		    ls "$d"/_ptmon_trace*.so >/dev/null 2>&1' "$dest"
else
	skip "the Python tracer is installed in lib/ptmon/pytrace" \
	    "Python stepping is not built in"
fi
check "make uninstall DESTDIR=... succeeds" make_in uninstall
left_nothing() {
	left=$(find "$dest" -type f)
	[ -z "$left" ] && return 0
	diag "left after uninstall: $left"
	return 1
}
check "make uninstall leaves no file behind" left_nothing
rm -f "$dest.log"
finish
