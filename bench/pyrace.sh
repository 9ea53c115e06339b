#!/bin/sh
# The tracer's cost (issue 16): the chapter's race.py (tests/python/race.py,
# 2,000,000 rounds of two threads, as the chapter has it) run plain,
# `python3 race.py`, and under `ptmon --batch -- python3 race.py` with the
# tracer in it, nothing paused, in the same run: RUNS of each, one after
# the other, the median wall time of each and their ratio (the target is
# at most 3x). Prints "PLAIN_S TRACED_S RATIO RUNS ROUNDS" on stdout, or
# "- - - RUNS ROUNDS" when ptmon has no Python stepping built in; notes go
# to stderr.
#
# Environment: BUILDDIR (the build tree, default .), SRCDIR (the sources,
# default this script's ..), PYRACE_RUNS (3), PYRACE_ROUNDS (2000000),
# PYTHON (python3).
set -u

B=${BUILDDIR:-.}
S=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
PTMON=$B/src/ptmon
RUNS=${PYRACE_RUNS:-3}
ROUNDS=${PYRACE_ROUNDS:-2000000}
PY=${PYTHON:-python3}
RACE=$S/tests/python/race.py

note() {
	echo "pyrace: $*" >&2
}

# median: the median of the numbers on stdin, one a line.
median() {
	sort -g | awk '{ v[NR] = $1 } END {
	    if (NR == 0) { print "-"; exit }
	    if (NR % 2) print v[(NR + 1) / 2]
	    else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# wall CMD...: the command's wall time in seconds; fails when it does,
# or when it does not print race.py's result.
wall() {
	t0=$(date +%s%N)
	out=$("$@" 2>/dev/null) || return 1
	t1=$(date +%s%N)
	case $out in
	*[0-9]*) ;;
	*) return 1 ;;
	esac
	echo "$t0 $t1" | awk '{ printf "%.3f\n", ($2 - $1) / 1e9 }'
}

if ! "$PTMON" --version 2>/dev/null | grep -q '^Python stepping: built in'
then
	note "Python stepping is not built in: nothing to measure"
	echo "- - - $RUNS $ROUNDS"
	exit 0
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ptmon-pyrace.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
: > "$TMP/plain"
: > "$TMP/traced"
r=0
while [ "$r" -lt "$RUNS" ]; do
	wall "$PY" "$RACE" "$ROUNDS" >> "$TMP/plain" ||
	    { note "plain $PY race.py failed"; exit 1; }
	wall "$PTMON" --batch -- "$PY" "$RACE" "$ROUNDS" >> "$TMP/traced" ||
	    { note "ptmon --batch -- $PY race.py failed"; exit 1; }
	r=$((r + 1))
done
plain=$(median < "$TMP/plain")
traced=$(median < "$TMP/traced")
echo "$plain $traced" | awk -v runs="$RUNS" -v rounds="$ROUNDS" '{
    printf "%.2f %.2f %.2f %d %d\n", $1, $2, ($1 > 0 ? $2 / $1 : 0),
    runs, rounds }'
