#!/bin/sh
# Memcheck on a few batch runs: no invalid access or use of uninitialised
# memory (0 errors) and no definitely lost block, in ptmon and in the
# scenario processes it forks (forked children run under valgrind too; only
# exec is not followed). Skipped when valgrind is not installed, when ptmon
# is built with sanitizers, and when valgrind cannot run a system call that
# ptmon cannot do without (valgrind 3.19 has no pidfd_open).
. "$(dirname "$0")/lib.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# The runs, one a line: ptmon's arguments, as shell words (quotes and
# $sleeper, the pid of a sleep this script starts, are expanded at run
# time). A command or -p has no scenario parameters: batch mode must not
# read them. --explore exits 1 when its 5 tries lose no update, so any
# status below 2 is its own.
runs='--batch --speed 20 fork
--batch --speed 20 pool
--batch --speed 20 queue
--batch --speed 20 thread
--batch --speed 20 race iterations=20000
--batch --json -d 1 --speed 20 pool
--batch -- echo hi
--batch --json -- sh -c "echo a; sleep 0.3"
--batch --json -d 1 -p $sleeper
--batch --explore 5 race iterations=1'

plan "$(printf '%s\n' "$runs" | wc -l)"

# skip_rest REASON: reports every run not yet reported as skipped.
skip_rest() {
	printf '%s\n' "$runs" | awk -v n="$test_count" 'NR > n' | while read -r args; do
		test_count=$((test_count + 1))
		echo "ok $test_count - memcheck: ptmon $args # SKIP $1"
	done
	exit 0
}

command -v valgrind >/dev/null 2>&1 || skip_rest "valgrind not installed"
# ptmon built with AddressSanitizer cannot run under valgrind.
if nm "$PTMON" 2>/dev/null | grep -q __asan_init; then
	skip_rest "ptmon is built with sanitizers"
fi

# memcheck ARGS...: runs ptmon under memcheck; its log, one file per
# process, goes to $dir/vg.<run>.<pid>. Passes when every process reports
# 0 errors and 0 bytes definitely lost and ptmon exits 0.
run=0
memcheck() {
	run=$((run + 1))
	timeout -k 10 300 valgrind --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite --trace-children=no \
	    --child-silent-after-fork=no --log-file="$dir/vg.$run.%p" \
	    "$PTMON" "$@" </dev/null >"$dir/out.$run" 2>"$dir/err.$run"
	status=$?
	bad=0
	procs=0
	all_errors=0
	all_lost=0
	if [ "$status" -ne 0 ]; then
		diag "ptmon $*: exit status $status"
		sed 's/^/#   /' "$dir/err.$run" | head -n 5
	fi
	for log in "$dir"/vg."$run".*; do
		[ -f "$log" ] || continue
		errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' \
		    "$log" | tail -n 1)
		lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' \
		    "$log" | tail -n 1 | tr -d ,)
		# A process that exec'd or ended by _exit before the summary
		# has no numbers: nothing to count for it.
		[ -n "$errors" ] || continue
		procs=$((procs + 1))
		all_errors=$((all_errors + errors))
		all_lost=$((all_lost + ${lost:-0}))
		if [ "$errors" -ne 0 ] || [ "${lost:-0}" -ne 0 ]; then
			diag "$(basename "$log"): $errors errors," \
			    "${lost:-0} bytes definitely lost"
			grep -E '^==[0-9]+== ' "$log" | head -n 60 |
			    sed 's/^/#   /'
			bad=1
		fi
	done
	diag "ptmon $*: $procs processes checked, $all_errors errors," \
	    "$all_lost bytes definitely lost"
	unhandled=$(sed -n 's/.*unhandled .* syscall: \([0-9]*\).*/\1/p' \
	    "$dir"/vg."$run".* 2>/dev/null | sort -u | tr '\n' ' ')
	if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ] && [ -n "$unhandled" ]; then
		diag "$(valgrind --version) cannot run system call" \
		    "$unhandled(434 is pidfd_open) and ptmon did not go on" \
		    "without it"
		return 77
	fi
	[ "$status" -eq 0 ] && [ "$bad" -eq 0 ]
}

# start_sleeper: a process for -p to watch, killed 1 s after ptmon (slow
# under valgrind) has written its first line, so the watch ends.
sleeper=""
start_sleeper() {
	sleep 300 &
	sleeper=$!
	out="$dir/out.$((run + 1))"
	(
		tries=600
		while [ ! -s "$out" ] && [ "$tries" -gt 0 ]; do
			sleep 0.1
			tries=$((tries - 1))
		done
		sleep 1
		kill "$sleeper"
	) &
}

printf '%s\n' "$runs" >"$dir/runs"
while read -r args; do
	case $args in
	*'$sleeper'*) start_sleeper ;;
	esac
	eval "set -- $args"
	memcheck "$@"
	case $? in
	0)	test_count=$((test_count + 1))
		echo "ok $test_count - memcheck: ptmon $args" ;;
	77)	# Only this run needs the call (-p needs pidfd_open).
		test_count=$((test_count + 1))
		echo "ok $test_count - memcheck: ptmon $args # SKIP" \
		    "valgrind cannot run a system call ptmon needs" ;;
	*)	test_count=$((test_count + 1))
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - memcheck: ptmon $args" ;;
	esac
done <"$dir/runs"
finish
