#!/bin/sh
# .ci/count-results, which gives CI's last line, counts each distinct check
# once: fed hand-made result trees laid out as .ci/run leaves them (the
# sanitizer build in build-san/obj inside the plain tree), it must merge a
# check run by both builds, fail a check that failed in one, skip only what
# was skipped everywhere, and still fail a suite that left no result.
. "$(dirname "$0")/lib.sh"

: "${SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
count="$SRCDIR/.ci/count-results"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

plan 7

# result_file ROOT TEST NAME RESULT-LINE...: writes ROOT/TEST.trs and .log
# as automake's TAP driver does, for the test make check calls NAME.
result_file() {
	root=$1 test=$2 name=$3
	shift 3
	mkdir -p "$(dirname "$root/$test")"
	: >"$root/$test.trs"
	: >"$root/$test.log"
	for line in "$@"; do
		# The script's own output is in the log too; it is no result.
		echo "ok - $line" >>"$root/$test.log"
		echo "${line%%:*}: $name ${line#*: }" >>"$root/$test.log"
		echo ":test-result: ${line%%:*}" >>"$root/$test.trs"
	done
}

plain=$dir/tree
san=$dir/tree/build-san/obj
result_file "$plain" tests/cli tests/cli.sh \
	'PASS: 1 - same in both' \
	'PASS: 2 - fails only in the sanitizer build' \
	'FAIL: 3 - fails only in the plain build' \
	'SKIP: 4 - skipped in both # SKIP no valgrind' \
	'SKIP: 5 - skipped here, passes there # SKIP no tmux' \
	'ERROR: - exited with status 1'
echo 'FAIL: tests/other.sh 9 - output of the script, not a result' \
	>>"$plain/tests/cli.log"
result_file "$plain" tests/test_unit tests/test_unit 'PASS: 1 - unit'
result_file "$plain" tests/tui tests/tui.sh 'SKIP: - tmux not found'
result_file "$san" tests/cli tests/cli.sh \
	'PASS: 1 - same in both' \
	'FAIL: 2 - fails only in the sanitizer build' \
	'PASS: 3 - fails only in the plain build' \
	'SKIP: 4 - skipped in both # SKIP sanitizers' \
	'PASS: 5 - skipped here, passes there' \
	'ERROR: - exited with status 1'
result_file "$san" tests/tui tests/tui.sh 'PASS: 1 - t1' 'PASS: 2 - t2'
# A script that crashed after one check: its exit is the only failure.
result_file "$san" tests/crash tests/crash.sh \
	'PASS: 1 - before the crash' 'ERROR: - exited with status 139'
printf 'ok 1 - fuzz_cli: 3000 runs in 10s, no crash\nnot ok 2 - fuzz_params: crash (exit 1); see x\nok 3 - fuzz_cli: again, the same target\n' \
	>"$dir/fuzz.log"

# counts_are EXPECTED ARGS...: count-results prints exactly EXPECTED.
counts_are() {
	want=$1
	shift
	got=$(bash "$count" "$@" 2>&1)
	[ "$got" = "$want" ] && return 0
	diag "count-results $*"
	printf '%s\n' "$got" | sed 's/^/#   got:  /'
	printf '%s\n' "$want" | sed 's/^/#   want: /'
	return 1
}

# Distinct checks: same, sanitizer-only fail, plain-only fail, skip both,
# skip/pass, unit, t1, t2, before the crash, the crash's exit, 2 fuzz.
check "each check counted once across both builds; a fail anywhere fails" \
	counts_are "ci: sanitizer build: 6 passed, 2 failed, 1 skipped
ci: fuzz: 1 passed, 1 failed, 0 skipped
7 passed, 4 failed, 1 skipped" \
	--plain "$plain" --san "$san" --fuzz "$dir/fuzz.log"

# A script skipped whole ("1..0 # SKIP") where no build ran it.
result_file "$dir/skipped" tests/tui tests/tui.sh 'SKIP: - tmux not found'
check "a script skipped whole where nothing ran it counts as one skip" \
	counts_are "ci: sanitizer build: 0 passed, 0 failed, 0 skipped
ci: fuzz: 0 passed, 0 failed, 0 skipped
0 passed, 0 failed, 1 skipped" \
	--plain "$dir/skipped" --san "$dir/none" --fuzz "$dir/none"

# The plain tree alone: cli 1, 2, 4 (skip), 5 (skip) and unit pass or
# skip; 3 fails once, its "exited with status 1" is not a second failure.
rm -rf "$dir/plain-only"
mkdir -p "$dir/plain-only"
cp -r "$plain/tests" "$dir/plain-only/"
check "a script's exit status adds no failure to a failed check" \
	counts_are "ci: sanitizer build: 0 passed, 0 failed, 0 skipped
ci: fuzz: 0 passed, 0 failed, 0 skipped
3 passed, 1 failed, 3 skipped" \
	--plain "$dir/plain-only" --san "$dir/none" --fuzz "$dir/none"

check "a sanitizer build that failed and left no result still fails" \
	counts_are "ci: sanitizer build: 0 passed, 1 failed, 0 skipped
ci: fuzz: 0 passed, 0 failed, 0 skipped
3 passed, 2 failed, 3 skipped" \
	--plain "$dir/plain-only" --san "$dir/none" --fuzz "$dir/none" \
	--status plain=0 --status san=2 --status fuzz=0

check "fuzzing that failed before any target ran still fails" \
	counts_are "ci: sanitizer build: 0 passed, 0 failed, 0 skipped
ci: fuzz: 0 passed, 1 failed, 0 skipped
0 passed, 1 failed, 0 skipped" \
	--plain "$dir/none" --san "$dir/none" --fuzz "$dir/none" \
	--status fuzz=1

check "a restricted distcheck that passed is one more passed check" \
	counts_are "ci: sanitizer build: 0 passed, 0 failed, 0 skipped
ci: fuzz: 0 passed, 0 failed, 0 skipped
ci: distcheck: passed
4 passed, 1 failed, 3 skipped" \
	--plain "$dir/plain-only" --san "$dir/none" --fuzz "$dir/none" \
	--status distcheck=0

check "a distcheck that failed is one failed check" \
	counts_are "ci: sanitizer build: 0 passed, 0 failed, 0 skipped
ci: fuzz: 0 passed, 0 failed, 0 skipped
ci: distcheck: failed
0 passed, 1 failed, 0 skipped" \
	--plain "$dir/none" --san "$dir/none" --fuzz "$dir/none" \
	--status distcheck=2

finish
