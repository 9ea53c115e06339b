#!/bin/sh
# The documentation agrees with the binary: every option of --help is in
# the man page's OPTIONS and the other way round; every key of the UI's one
# key table (ptmon --keys prints it) is in the man page's key table and on
# the help screen (F1, in tmux); every scenario of --list and each of its
# NAME=default parameters is in SCENARIOS; --help fits 80 columns;
# --version says what it should; groff finds nothing to warn about.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

MAN=${SRCDIR:-$(dirname "$0")/..}/man/ptmon.1
tmp=${TMPDIR:-/tmp}/ptmon-docs.$$
mkdir -p "$tmp" || exit 1
trap 'rm -rf "$tmp"; tui_cleanup' EXIT

plan 9

# man_section NAME: the man page source of section NAME (.SH NAME up to
# the next .SH), roff escapes for - and \ undone, font changes dropped.
man_section() {
	awk -v want="$1" '
	/^\.SH / { name = substr($0, 5); gsub(/"/, "", name); on = name == want; next }
	on' "$MAN" | sed -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/\\f[BIRP]//g' \
	    -e 's/\\(dq/"/g'
}

# man_items NAME: the line after each .TP of section NAME (the item's tag),
# without its .B/.BR/.I macro and quotes.
man_items() {
	man_section "$1" | awk '
	taken { taken = 0; sub(/^\.(B|BR|I|IR) /, ""); gsub(/"/, ""); print; next }
	/^\.TP/ { taken = 1 }'
}

# Options as "SHORT LONG" ("-b --batch", "- --speed"), one a line, sorted.
help_options() {
	"$PTMON" --help | grep -E '^ +(-[A-Za-z], )?--[a-z]' |
	    sed -E 's/^ +((-[A-Za-z]), )?(--[a-z][a-z-]*).*/\2 \3/' |
	    sed 's/^ /- /' | sort
}
man_options() {
	man_items OPTIONS | grep -E -- '--[a-z]' |
	    sed -E 's/^((-[A-Za-z]) *, *)?(--[a-z][a-z-]*).*/\2 \3/' |
	    sed 's/^ /- /' | sort
}
options_agree() {
	help_options > "$tmp/help" && man_options > "$tmp/man" || return 1
	[ -s "$tmp/help" ] || { diag "no option found in --help"; return 1; }
	if ! cmp -s "$tmp/help" "$tmp/man"; then
		diag "--help (<) and the man page's OPTIONS (>) differ:"
		diff "$tmp/help" "$tmp/man" | grep '^[<>]' | sed 's/^/#   /'
		return 1
	fi
}
check "every option of --help is in the man page, and no other" options_agree

# The key names of ptmon --keys, one a line.
"$PTMON" --keys | cut -f 1 > "$tmp/keys"
keys_listed() {
	[ "$(wc -l < "$tmp/keys")" -ge 30 ] && return 0
	diag "ptmon --keys printed $(wc -l < "$tmp/keys") keys"
	return 1
}
check "ptmon --keys prints the key table" keys_listed

# in_words FILE: every key of $tmp/keys is a word of FILE.
in_words() {
	tr -s ' \t' '\n\n' < "$1" | sort -u > "$1.words"
	missing=$(grep -vxF -f "$1.words" "$tmp/keys")
	[ -z "$missing" ] && return 0
	diag "missing: $(printf '%s\n' "$missing" | tr '\n' ' ')"
	return 1
}
keys_in_man() {
	man_section KEYS | awk '
	taken { taken = 0; if (sub(/^\.B /, "")) print; next }
	/^\.TP/ { taken = 1 }' > "$tmp/mankeys"
	in_words "$tmp/mankeys"
}
check "every key of the key table is in the man page's key table" keys_in_man

# F1 in a terminal tall enough for the whole help screen.
keys_in_help() {
	if ! command -v "$TMUX_BIN" >/dev/null 2>&1; then
		diag "tmux not found"
		return 2
	fi
	tui_start 100 90 || return 1
	tui_run "$PTMON"
	tui_wait 'Watch for: ' 5 || return 1
	tui_keys F1
	tui_wait 'ptmon help' 3 || return 1
	tui_wait 'Differs from htop' 1 || return 1
	tui_screen > "$tmp/help.screen"
	tui_keys Escape q
	in_words "$tmp/help.screen"
}
keys_in_help
case $? in
0) check "every key of the key table is on the F1 help screen" true ;;
2) skip "every key of the key table is on the F1 help screen" \
    "tmux not found" ;;
*) check "every key of the key table is on the F1 help screen" false ;;
esac

# Each scenario of --list and each parameter as NAME=default, in SCENARIOS
# (a default in parentheses, as "(one per core)", is described there).
scenarios_in_man() {
	man_items SCENARIOS > "$tmp/scen" || return 1
	bad=0
	"$PTMON" --list > "$tmp/list" || return 1
	while IFS= read -r line; do
		case $line in
		" "*)
			p=$(printf '%s\n' "$line" | sed -E 's/^ +//; s/  .*//')
			case $p in
			*=\(*) p=${p%%=*}= ;;
			esac
			grep -qxF -- "$p" "$tmp/scen" ||
			    { diag "$s: no $p"; bad=1; }
			;;
		*)
			s=${line%% *}
			grep -qxF -- "$s" "$tmp/scen" ||
			    { diag "no scenario $s"; bad=1; }
			;;
		esac
	done < "$tmp/list"
	[ "$(grep -c '^[^ ]' "$tmp/list")" -ge 11 ] || bad=1
	return $bad
}
check "every scenario and NAME=default of --list is in the man page" \
    scenarios_in_man

fits_80() {
	long=$("$PTMON" --help | awk 'length($0) > 80')
	[ -z "$long" ] && return 0
	diag "longer than 80 columns: $long"
	return 1
}
check "--help fits in 80 columns" fits_80

version_ok() {
	"$PTMON" --version > "$tmp/version" || return 1
	grep -Eq '^ptmon [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/version" &&
	    grep -q '^License: .' "$tmp/version" &&
	    grep -Eq '^Python stepping: (not )?built in' "$tmp/version" &&
	    grep -Eq '^Sanitizers: (not )?built in' "$tmp/version" && return 0
	sed 's/^/#   /' "$tmp/version"
	return 1
}
check "--version: name, version, licence and the optional parts" version_ok

# The sections a man page of a Unix tool has.
sections_ok() {
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS SCENARIOS "SCHEDULE FILES" \
	    "JSON LINES" KEYS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES \
	    "SEE ALSO"; do
		grep -q "^\.SH \"*$s\"*\$" "$MAN" || { diag "no $s"; return 1; }
	done
	for w in htop top ps pstree gdb; do
		man_section "SEE ALSO" | grep -q "^\.BR $w (1)" ||
		    { diag "SEE ALSO: no $w"; return 1; }
	done
	for v in NO_COLOR TERM LANG LC_ALL PTMON_NO_CGROUP PTMON_TRACE \
	    PTMON_PYTRACE_DIR PTMON_CTL_FD; do
		man_section ENVIRONMENT | grep -q "^\.BR* .*$v" ||
		    { diag "ENVIRONMENT: no $v"; return 1; }
	done
}
check "the man page has every section, SEE ALSO and variable" sections_ok

if command -v groff >/dev/null 2>&1; then
	groff_quiet() {
		warn=$(groff -man -ww -z "$MAN" 2>&1)
		[ -z "$warn" ] && return 0
		printf '%s\n' "$warn" | sed 's/^/#   /'
		return 1
	}
	check "groff -man -ww -z prints no warning" groff_quiet
else
	skip "groff -man -ww -z prints no warning" "groff not found"
fi

finish
