#!/bin/sh
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang against the
# library's sources, not through automake, and runs each for SECONDS
# (default 10), starting from the seed corpus in tests/fuzz/corpus/TARGET.
# Prints one TAP line per target; exits non-zero when a target fails to
# build or finds a crash. New inputs and crashes go to the build directory.
#
# Usage: tests/fuzz/run.sh [SECONDS [TARGET...]]
# CI runs each target 10 s; by hand, run longer (tests/fuzz/run.sh 900
# fuzz_sanitize) and copy interesting inputs from the build directory's
# corpus into tests/fuzz/corpus/TARGET.
# Environment: CC (a clang), FUZZ_OUT (build directory, default
# build-fuzz), BUILDDIR (where configure wrote config.h, if not the
# source tree), FUZZ_JOBS (libFuzzer workers per target, default 1).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-10}
[ $# -gt 0 ] && shift
out=${FUZZ_OUT:-$top/build-fuzz}
jobs=${FUZZ_JOBS:-1}
par=""
[ "$jobs" -gt 1 ] && par="-jobs=$jobs -workers=$jobs"

if [ -z "${CC:-}" ] || ! "$CC" --version 2>/dev/null | grep -q clang; then
	CC=""
	for c in clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14; do
		command -v "$c" >/dev/null 2>&1 && { CC=$c; break; }
	done
fi
if [ -z "$CC" ]; then
	echo "Bail out! no clang found (apt-get install clang)"
	exit 1
fi

mkdir -p "$out/obj" "$out/cfg" || exit 1
# Every source includes "config.h": the configured one, or a minimal one.
cfg=""
for d in "${BUILDDIR:-}" "$top" "$top/build"; do
	[ -n "$d" ] && [ -f "$d/config.h" ] && { cfg=$d; break; }
done
if [ -z "$cfg" ]; then
	cat >"$out/cfg/config.h" <<'H'
#define _GNU_SOURCE 1
#define PACKAGE_NAME "ptmon"
#define PACKAGE_VERSION "fuzz"
#define PACKAGE_STRING "ptmon fuzz"
#define PACKAGE_BUGREPORT ""
H
	cfg=$out/cfg
fi

san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-std=gnu11 -pthread -g -O1 -fno-omit-frame-pointer $san \
-I$cfg -I$top/include $(pkg-config --cflags libproc2 2>/dev/null)"
warn="-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
-Wformat=2 -Wwrite-strings -Werror"
libs="$(pkg-config --libs libproc2 2>/dev/null) -lm"

# The library's sources, as Makefile.am lists them (src_libptmon_a_SOURCES).
sources=$(sed -n '/^src_libptmon_a_SOURCES *=/,/[^\\]$/p' "$top/Makefile.am" |
    tr -d '\\' | sed 's/^src_libptmon_a_SOURCES *=//' | tr -s ' \t' '\n' |
    grep '\.c$')
if [ -z "$sources" ]; then
	echo "Bail out! no src_libptmon_a_SOURCES in Makefile.am"
	exit 1
fi

echo "# fuzz: $CC, config.h from $cfg, $seconds s a target, in $out"
rm -f "$out/libfuzz.a" "$out"/obj/*.o
for s in $sources; do
	echo "$s"
done | FUZZ_CC=$CC FUZZ_CFLAGS="$cflags -fsanitize=fuzzer-no-link" \
    FUZZ_TOP=$top FUZZ_OBJ=$out/obj xargs -P "$(nproc)" -n 1 sh -c '
	o=$FUZZ_OBJ/$(echo "$0" | tr / _ | sed "s/\.c$/.o/")
	# shellcheck disable=SC2086
	$FUZZ_CC $FUZZ_CFLAGS -c "$FUZZ_TOP/$0" -o "$o" 2>"$o.err" || {
		echo "# cannot compile $0:"; sed "s/^/#   /" "$o.err"; exit 1; }'
status=$?
if [ "$status" -ne 0 ] || ! ar rcs "$out/libfuzz.a" "$out"/obj/*.o; then
	echo "Bail out! cannot build the library for fuzzing"
	exit 1
fi

if [ $# -eq 0 ]; then
	set -- $(cd "$top/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')
fi
echo "1..$#"
n=0
failed=0
for t in "$@"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	if ! $CC $cflags $warn -fsanitize=fuzzer "$top/tests/fuzz/$t.c" \
	    "$out/libfuzz.a" $libs -o "$out/$t" 2>"$out/$t.build.log"; then
		echo "not ok $n - $t: does not build"
		sed 's/^/#   /' "$out/$t.build.log" | head -n 30
		failed=$((failed + 1))
		continue
	fi
	mkdir -p "$out/corpus/$t"
	seeds=$top/tests/fuzz/corpus/$t
	[ -d "$seeds" ] || seeds=""
	# New inputs go to the first directory; the seeds stay as they are.
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
	    "$out/$t" -max_total_time="$seconds" -timeout=10 \
	    -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 $par \
	    -artifact_prefix="$out/$t-" "$out/corpus/$t" $seeds \
	    >"$out/$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
	    "$out/$t.log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "ok $n - $t: ${runs:-?} runs in ${seconds}s, no crash"
	else
		echo "not ok $n - $t: crash (exit $rc); see $out/$t.log"
		grep -E '^==[0-9]+==|SUMMARY|^    #[0-9]' "$out/$t.log" |
		    head -n 30 | sed 's/^/#   /'
		ls "$out/$t"-crash-* "$out/$t"-leak-* "$out/$t"-timeout-* \
		    2>/dev/null | sed 's/^/#   input: /'
		failed=$((failed + 1))
	fi
done
[ "$failed" -eq 0 ]
