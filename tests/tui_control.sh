#!/bin/sh
# Steering from the full-screen UI: P pauses every task (no output, no
# queue traffic while paused) and P again lets the scenario finish; / finds
# a thread by name and s steps it, and only it, to its next checkpoint.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
plan 8
tui_start 120 40 || { echo "Bail out! cannot start tmux"; exit 1; }

# The output and queue band of the screen: what progress changes.
band() {
	tui_screen | sed -n '/^ Output/,$p' | sed '$d'
}

tui_run "$PTMON --seed 5 --speed 5 -d 2 pool"
tui_wait 'Run task 0 ' 5
tui_keys P
check "P pauses every task" tui_wait 'speed 5x  PAUSED ' 3
paused_ok() {
	tui_wait '^\|\| +[0-9]+ .*PoolWorker-4' 2 || return 1
	# Let every task reach its gate, then watch for a second.
	sleep 0.3
	before=$(band)
	sleep 1
	after=$(band)
	[ "$before" = "$after" ] || { diag "progress while paused:";
	    diag "$before"; diag "$after"; return 1; }
	! tui_screen | grep -q 'All subprocesses done'
}
check "while paused nothing progresses" paused_ok
tui_keys P
check "P again resumes and the scenario finishes" \
    tui_wait 'FINISHED \(status 0\)' 10
check "the scenario's last line is in the log" \
    tui_wait '^ All subprocesses done\.' 1
tui_keys q
tui_wait '^\$' 3

# Stepping: with --paused the race's main thread starts both threads,
# which wait before their first read of balance.
tui_run "clear; $PTMON --paused --speed 50 -d 2 race iterations=1000"
tui_wait 'PAUSED' 5
tui_wait '└─ [{]Thread-2[}] .*read balance' 5
# Both threads at their first checkpoint before either is looked at.
tui_wait '─ [{]Thread-1[}] .*read balance' 5
# (A thread's name is shown {name}.)
tui_type /Thread-2
tui_keys Enter
check "/ and Enter select the thread found" tui_wait 'selected Thread-2' 3
t1=$(tui_at_of Thread-1)
t2=$(tui_at_of Thread-2)
tui_keys s
stepped_ok() {
	tui_wait 'Thread-2 \([0-9]+\) steps to its next checkpoint' 3 ||
	    return 1
	tries=0
	while [ "$(tui_at_of Thread-2)" = "$t2" ] && [ $tries -lt 40 ]; do
		sleep 0.05
		tries=$((tries + 1))
	done
	diag "Thread-2: $t2 -> $(tui_at_of Thread-2)"
	[ -n "$t2" ] && [ "$(tui_at_of Thread-2)" != "$t2" ] ||
	    { diag "Thread-2 still at: $t2"; return 1; }
}
check "s steps the selected thread to its next checkpoint" stepped_ok
check "the other thread stays where it was" \
    eval 'test -n "$t1" && test "$(tui_at_of Thread-1)" = "$t1"'
tui_keys q
check "q quits with status 0" tui_status_is 0
finish
