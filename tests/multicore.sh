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

# The busy and the total clock ticks of every CPU, from /proc/stat.
cpu_ticks() {
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9,
	    $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}

# free_run: a run without the GIL into $dir/free, and in $dir/busy the
# cores the whole machine was busy meanwhile.
free_run() {
	set -- $(cpu_ticks)
	"$PTMON" --batch --json -d 1 multicore threads=2 seconds=3 >"$dir/free"
	set -- "$@" $(cpu_ticks)
	awk -v b="$3" -v B="$1" -v t="$4" -v T="$2" -v n="$(nproc)" \
	    'BEGIN { printf "%.2f\n", (t > T ? n * (b - B) / (t - T) : 0) }' \
	    >"$dir/busy"
}

# wait_quiet: waits (10 s at most) for a half second in which the machine
# is busy less than half a core: a test beside this one may end meanwhile.
wait_quiet() {
	for wq in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		set -- $(cpu_ticks)
		sleep 0.5
		set -- "$@" $(cpu_ticks)
		awk -v b="$3" -v B="$1" -v t="$4" -v T="$2" -v n="$(nproc)" \
		    'BEGIN { exit !(t > T && n * (b - B) / (t - T) < 0.5) }' &&
		    return 0
	done
	return 0
}

free_run
check "multicore threads=2: the root has threads Thread-1 and Thread-2" \
    $py loop_threads "$dir/free"
# Other load on the machine (the suite runs tests side by side) can take
# CPU from the loops (it never gives the GIL run more): the check weighs
# what the others took, and short of it, two more runs decide.
parallel() {
	for try in 1 2 3; do
		$py cores "$dir/free" 1.5 2.5 "$(cat "$dir/busy")" && return 0
		[ $try -lt 3 ] || return 1
		diag "once more, the machine may be busy"
		wait_quiet
		free_run
	done
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
    $py cores "$dir/gil" 0.05 1.2
check "multicore gil=1: ends with status 0" $py end "$dir/gil" 0

finish
