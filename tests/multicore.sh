#!/bin/sh
# multicore: C threads really run in parallel; with gil=1 (a lock as
# CPython's GIL, handed round) the same threads use about one core in all.
# CPU is the scenario process's CPU time over wall time, from the JSON
# stream (json_check.py cores).
. "$(dirname "$0")/lib.sh"

plan 5
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
py="python3 ${SRCDIR:-$(dirname "$0")/..}/tests/json_check.py"

"$PTMON" --batch --json -d 1 multicore threads=2 seconds=3 >"$dir/free"
check "multicore threads=2: the root has threads Thread-1 and Thread-2" \
    $py loop_threads "$dir/free"
# Other load on the machine can take CPU from the loops (never give the
# GIL run more): short of 1.5 cores, one more run decides.
parallel() {
	$py cores "$dir/free" 1.5 2.5 && return 0
	diag "once more, the machine may be busy"
	"$PTMON" --batch --json -d 1 multicore threads=2 seconds=3 >"$dir/free"
	$py cores "$dir/free" 1.5 2.5
}
if [ "$(nproc)" -ge 2 ]; then
	check "multicore threads=2: more than 1.5 cores busy" parallel
else
	skip "multicore threads=2: more than 1.5 cores busy" \
	    "$(nproc) core here"
fi

"$PTMON" --batch --json -d 1 multicore threads=2 seconds=3 gil=1 >"$dir/gil"
check "multicore gil=1: a thread waits on the GIL, as a lock" \
    $py loop_threads "$dir/gil"
check "multicore gil=1: less than 1.2 cores in all" \
    $py cores "$dir/gil" 0.5 1.2
check "multicore gil=1: ends with status 0" $py end "$dir/gil" 0

finish
