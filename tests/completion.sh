#!/bin/sh
# The bash completion (completion/ptmon): sourced in bash, its function is
# called as bash would call it (COMP_WORDS, COMP_CWORD) and COMPREPLY is
# checked. Options, scenarios and parameters come from the ptmon under
# test, found on PATH as the user's would be.
. "$(dirname "$0")/lib.sh"

COMPLETION=${SRCDIR:-$(dirname "$0")/..}/completion/ptmon
if ! command -v bash >/dev/null 2>&1; then
	echo "1..0 # SKIP bash not found"
	exit 0
fi
plan 8

# completes EXPECTED WORD...: completing the last WORD (the command line
# typed so far, "ptmon" first) offers exactly EXPECTED (space separated,
# sorted).
completes() {
	want=$1
	shift
	got=$(PATH="$(dirname "$PTMON"):$PATH" bash --norc --noprofile -c '
		. "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_ptmon ptmon "${COMP_WORDS[COMP_CWORD]}" \
		    "${COMP_WORDS[COMP_CWORD - 1]}" || exit 1
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "
	' completion "$COMPLETION" "$@" 2>&1)
	got=${got% }
	[ "$got" = "$want" ] && return 0
	diag "$*: got '$got', expected '$want'"
	return 1
}

check "ptmon --ba completes to --batch" completes "--batch" ptmon --ba
check "ptmon po completes to pool" completes "pool" ptmon po
check "ptmon pool wo completes to workers=" completes "workers=" \
    ptmon pool wo
check "a parameter already given is not offered again" completes "tasks=" \
    ptmon pool workers=3 ""
check "options before the scenario are skipped, with their values" \
    completes "amounts=" ptmon --speed 2 --seed 1 race am
check "every scenario of --list is offered" completes \
    "$("$PTMON" --list | awk '/^[^ ]/ { print $1 }' | sort | tr '\n' ' ' |
    sed 's/ $//')" ptmon ""
check "every long option of --help is offered" sh -c '
	"$0" --help | sed -nE "s/^ +(-[A-Za-z], )?(--[a-z][a-z-]*).*/\2/p" |
	    sort > "$1.help"
	PATH="$(dirname "$0"):$PATH" bash --norc -c ". \"\$1\"
		COMP_WORDS=(ptmon --); COMP_CWORD=1; _ptmon
		printf \"%s\n\" \"\${COMPREPLY[@]}\"" x "$2" |
	    grep -- "^--." | sort > "$1.comp"
	cmp -s "$1.help" "$1.comp" && exit 0
	diff "$1.help" "$1.comp" | sed "s/^/# /"
	exit 1' "$PTMON" "${TMPDIR:-/tmp}/ptmon-comp.$$" "$COMPLETION"
rm -f "${TMPDIR:-/tmp}/ptmon-comp.$$".*
check "the completion registers itself for ptmon" sh -c '
	bash --norc -c ". \"\$1\"; complete -p ptmon" x "$0" |
	    grep -q -- "-F _ptmon"' "$COMPLETION"
finish
