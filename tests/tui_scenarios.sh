#!/bin/sh
# Every scenario in one UI session, switched with its digit (the previous
# one ends cleanly), each brought to the moment the tutorial is about.
# With PTMON_SCREENS=DIR set, keeps the race's and the lock's stepped
# screens as DIR/race-stepped.txt and DIR/lock-stepped.txt (the others
# come from tui_picker.sh, at default settings: doc/screens/README.md).
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
plan 13
tui_start 120 36 || { echo "Bail out! cannot start tmux"; exit 1; }

# step_all_until REGEX: presses S (step every paused task) until the
# screen matches, at most 30 times.
step_all_until() {
	tries=0
	while ! tui_screen | grep -Eq -- "$1" && [ $tries -lt 30 ]; do
		tui_keys S
		# Let a refresh (0.2 s) show the step before the next one.
		sleep 0.3
		tries=$((tries + 1))
	done
	tui_wait "$1" 1
}

# step_row_until ROW NAME REGEX: steps row ROW until NAME's AT matches.
step_row_until() {
	n=0
	while ! tui_at_of "$2" | grep -Eq -- "$3" && [ $n -lt 10 ]; do
		tui_step "$2" "$1"
		n=$((n + 1))
	done
	tui_at_of "$2" | grep -Eq -- "$3"
}

# Every scenario starts paused at its first checkpoint (--paused), with
# a short beat per statement (--pace 0.1) once resumed. With
# --seed 5 every pool task sleeps at least 1.5 s at this speed, so task 4
# is seen waiting in the queue whatever the machine's load.
tui_run "$PTMON --paused --pace 0.1 --seed 5 --speed 0.5 -d 2"
tui_wait 'Pick a scenario' 5

fork_ok() {
	tui_keys 1
	tui_wait 'ptmon  fork: .*PAUSED' 5 || return 1
	step_all_until '└─ child +print' &&
	tui_wait "^\|\| +[0-9]+ .* MainProcess +print" 1
}
check "fork: one call, the child appears under its parent" fork_ok

process_ok() {
	tui_keys 2
	tui_wait 'ptmon  process: ' 5 || return 1
	step_all_until 'MainProcess +p.join\(\)' &&
	tui_wait '└─ ' 1
}
check "process: the parent waits in join for its child" process_ok

pool_ok() {
	tui_keys 3
	tui_wait 'ptmon  pool: ' 5 || return 1
	tui_keys P
	tui_wait 'Run task 3 ' 5 &&
	tui_wait 'head ▸ \[4\]' 3
}
check "pool: four workers busy, task 4 waits in the queue" pool_ok

subprocess_ok() {
	tui_keys 4
	tui_wait 'ptmon  subprocess: ' 5 || return 1
	tui_keys P
	tui_wait 'Exit code' 10
}
check "subprocess: the command runs as our child" subprocess_ok

queue_ok() {
	tui_keys 5
	tui_wait 'ptmon  queue: ' 5 || return 1
	tui_keys P
	tui_wait 'Get A from queue' 8 &&
	tui_wait 'waits on the queue' 8
}
check "queue: the reader blocks on the empty queue" queue_ok

thread_ok() {
	tui_keys 6
	tui_wait 'ptmon  thread: ' 5 || return 1
	tui_keys P
	tui_wait 'LoopThread >>> 2' 8 &&
	tui_wait '└─ [{]LoopThread[}] ' 1
}
check "thread: LoopThread is a TID of the same process" thread_ok

race_ok() {
	tui_keys 7
	tui_wait 'ptmon  race: ' 5 || return 1
	# Step the main thread alone until both threads exist, then each
	# thread alone to its first read: nothing has interleaved yet.
	n=0
	while ! tui_screen | grep -q '─ {Thread-2}' && [ $n -lt 20 ]; do
		tui_step MainThread 0
		n=$((n + 1))
	done
	step_row_until 1 Thread-1 'read balance \(\+n\)' &&
	step_row_until 2 Thread-2 'read balance \(\+n\)' || return 1
	# A lost update by hand: both read 0, both write, so +5 is lost;
	# then each takes its n away alone: 8 - 5 - 8 = -5.
	tui_step Thread-1 1
	tui_step Thread-2 2
	tui_step Thread-1 1
	tui_step Thread-2 2
	tui_step Thread-1 1
	tui_step Thread-1 1
	tui_step Thread-2 2
	tui_step Thread-2 2
	diag "Thread-1 at $(tui_at_of Thread-1), Thread-2 at $(tui_at_of Thread-2)"
	tui_wait 'balance -5  expected 0  off by -5' 3 &&
	tui_screen_save race-stepped
}
check "race: stepping by hand loses an update" race_ok

lock_ok() {
	tui_keys 8
	tui_wait 'ptmon  lock: ' 5 || return 1
	step_all_until 'waits for it: Thread-' &&
	tui_wait 'lock: held by Thread-' 1 &&
	tui_screen_save lock-stepped
}
check "lock: one thread holds the lock, the other waits" lock_ok

tui_keys 0
check "0 ends the scenario and shows the list again" \
    tui_wait 'Pick a scenario' 5
tui_keys q
check "q quits with status 0" tui_status_is 0

# nslookup ends too fast to be seen: a command that lasts stands in.
tui_run "clear; $PTMON --speed 0.5 -d 2 subprocess 'cmd=sleep 3'"
child_ok() {
	tui_wait '└─ sleep +sleep 3' 5 &&
	tui_wait '^ \$ sleep 3' 1
}
check "subprocess: the external command is our child" child_ok
tui_keys q
tui_wait '^\$' 3

# What a newcomer meets: fork from the picker at default settings is over
# in milliseconds, before the first refresh; its tree stays once it ends.
tui_run "clear; $PTMON"
kept_fork_ok() {
	tui_wait 'Pick a scenario' 5 || return 1
	tui_keys Enter
	tui_wait 'FINISHED \(status 0\)' 5 &&
	tui_wait ' MainProcess +exited 0' 1 &&
	tui_wait '└─ child +(exited 0|ended)' 1
}
check "fork from the picker, default settings: its ended tree stays, with statuses" \
    kept_fork_ok
kept_pool_ok() {
	tui_keys 3
	tui_wait 'pool: .*FINISHED \(status 0\)' 15 || return 1
	[ "$(tui_screen | grep -Ec '─ PoolWorker-[1-4] ')" -eq 4 ] ||
	    { diag "not four PoolWorkers in the kept tree"; return 1; }
}
check "pool from the picker: the kept tree has its four workers" kept_pool_ok
tui_keys q
finish
