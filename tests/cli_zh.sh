#!/bin/sh
# The command line in Chinese: with LANGUAGE=zh_CN (under C.UTF-8, which
# needs no generated locale) --help and --list are Chinese, and a usage
# error is still one "ptmon: " line with status 2, its message Chinese.
# The catalogue is the source tree's po/zh_CN.po, compiled here into a
# directory PTMON_LOCALEDIR names, as tests/tui_zh.sh does.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
: "${SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"

command -v msgfmt >/dev/null 2>&1 || { echo "1..0 # SKIP msgfmt not found"; exit 0; }
plan 9
loc=$(mktemp -d) || exit 1
trap 'rm -rf "$loc"' EXIT
zh_catalogue "$loc" || exit 1

zh() {
	LC_ALL=C.UTF-8 LANGUAGE=zh_CN PTMON_LOCALEDIR=$loc "$PTMON" "$@"
}

# has_han TEXT: TEXT holds a CJK ideograph (UTF-8 lead bytes E4 to E9).
has_han() {
	printf '%s' "$1" | LC_ALL=C grep -q "$(printf '[\344-\351]')"
}

help_zh() {
	out=$(zh --help) || { diag "status $?"; return 1; }
	case $out in
	*用法*ptmon*--batch*显示本帮助*) return 0 ;;
	esac
	diag "--help is not Chinese: $(printf "%s\n" "$out" | head -n 1)"
	return 1
}
check "LANGUAGE=zh_CN: --help is Chinese" help_zh

# zh_usage_error ARGS...: status 2, nothing on stdout, one stderr line,
# starting "ptmon: ", its message Chinese.
zh_usage_error() {
	out=$(zh "$@" 2>"$loc/err")
	status=$?
	err=$(cat "$loc/err")
	lines=$(printf '%s\n' "$err" | wc -l)
	if [ "$status" -ne 2 ] || [ -n "$out" ] || [ "$lines" -ne 1 ]; then
		diag "ptmon $*: status $status, stdout '$out', stderr '$err'"
		return 1
	fi
	case $err in
	"ptmon: "*) ;;
	*) diag "stderr does not start with 'ptmon: ': '$err'"; return 1 ;;
	esac
	has_han "$err" && return 0
	diag "not Chinese: '$err'"
	return 1
}
check "LANGUAGE=zh_CN: a bad option's error is one Chinese ptmon: line, status 2" \
    zh_usage_error --frobnicate
check "LANGUAGE=zh_CN: a bad parameter's error is Chinese too" \
    zh_usage_error --batch pool workers=four

# han_in PATTERN ARGS...: the lines ptmon ARGS prints that match PATTERN
# (at least one) hold Chinese.
han_in() {
	pattern=$1
	shift
	lines=$(zh "$@" | grep -- "$pattern") || {
		diag "ptmon $*: no line matches '$pattern'"; return 1; }
	has_han "$lines" && return 0
	diag "ptmon $*: not Chinese: $lines"
	return 1
}
check "LANGUAGE=zh_CN: --list's summaries are Chinese" han_in '^fork ' --list

# Each parameter's help in --list, and --version's lines.
check "LANGUAGE=zh_CN: --list's parameter help is Chinese" \
    han_in 'workers=4' --list

version_zh() {
	out=$(zh --version) || return 1
	n=$(printf '%s\n' "$out" | sed 1d | while IFS= read -r l; do
		has_han "$l" || echo "$l"; done | wc -l)
	[ "$n" -eq 0 ] && return 0
	diag "--version has English lines: $out"
	return 1
}
check "LANGUAGE=zh_CN: --version's lines after the first are Chinese" \
    version_zh

# What the run itself refuses: -p of no such process, a schedule's bad
# line (its error names the line).
check "LANGUAGE=zh_CN: -p of no such process is one Chinese line, status 2" \
    zh_usage_error -p 2147483646
printf 'Thread-1\nno/such\n' >"$loc/bad.schedule"
check "LANGUAGE=zh_CN: a schedule's bad line is one Chinese line, status 2" \
    zh_usage_error --batch --replay "$loc/bad.schedule" race

# Without LANGUAGE the same catalogue changes nothing.
help_en() {
	out=$(LC_ALL=C.UTF-8 PTMON_LOCALEDIR=$loc "$PTMON" --help) || return 1
	case $out in
	Usage:*) return 0 ;;
	esac
	diag "--help is not English without LANGUAGE"
	return 1
}
check "no LANGUAGE: --help stays English" help_en
finish
