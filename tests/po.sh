#!/bin/sh
# Every translatable string of the current sources has a zh_CN translation:
# xgettext extracts them afresh (po/POTFILES.in, po/Makevars's keywords)
# into a temporary catalogue, msgmerge matches po/zh_CN.po against it, and
# any untranslated or fuzzy message fails, named. msgfmt -c checks the
# translations' printf formats against the English ones. Nothing in po/ is
# rewritten: `make -C po update-po` does that, then translate.
. "${SRCDIR:-$(dirname "$0")/..}/tests/lib.sh"
: "${SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"

for p in xgettext msgmerge msgfmt msgattrib; do
	command -v $p >/dev/null 2>&1 || { echo "1..0 # SKIP $p not found"; exit 0; }
done
plan 3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

extract() {
	(cd "$SRCDIR" && grep -v '^#' po/POTFILES.in | grep . >"$tmp/files" &&
	    xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=X:2 \
	    --language=C --files-from="$tmp/files" -o "$tmp/ptmon.pot") &&
	    [ "$(grep -c '^msgid ' "$tmp/ptmon.pot")" -gt 100 ] && return 0
	diag "xgettext found too few messages"
	return 1
}
check "xgettext extracts the marked strings" extract

complete() {
	msgmerge -q --no-fuzzy-matching -o "$tmp/zh_CN.po" \
	    "$SRCDIR/po/zh_CN.po" "$tmp/ptmon.pot" || return 1
	msgattrib --untranslated --no-obsolete "$tmp/zh_CN.po" >"$tmp/untr"
	msgattrib --only-fuzzy --no-obsolete "$tmp/zh_CN.po" >"$tmp/fuzzy"
	if grep -q '^msgid "[^"]' "$tmp/untr" "$tmp/fuzzy" ||
	    grep -A1 '^msgid ""$' "$tmp/untr" | grep -q '^"'; then
		diag "po/zh_CN.po lacks these (make -C po update-po, then translate):"
		grep -h -A2 '^msgid' "$tmp/untr" "$tmp/fuzzy" | sed 's/^/  /' |
		    while read -r l; do diag "$l"; done
		return 1
	fi
	return 0
}
check "po/zh_CN.po translates every marked string (none untranslated or fuzzy)" complete

formats() {
	msgfmt -c --statistics -o "$tmp/zh_CN.mo" "$tmp/zh_CN.po" 2>"$tmp/err" &&
	    return 0
	while read -r l; do diag "$l"; done <"$tmp/err"
	return 1
}
check "msgfmt -c: the translations' formats match" formats
finish
