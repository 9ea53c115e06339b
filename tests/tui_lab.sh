#!/bin/sh
# The interleaving lab in the full-screen UI: change_it with a marker per
# thread on the statement it stands at, a lost update made by hand in 8
# keystrokes (README), those steps written by --record and replayed in
# batch mode, the lock's owner and waiter, and the challenge of a target
# final balance. Every wait polls the screen.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
plan 11
tui_start 120 40 || { echo "Bail out! cannot start tmux"; exit 1; }
dir=$(mktemp -d) || exit 1
trap 'tui_cleanup; rm -rf "$dir"' EXIT

# step KEY REGEX: selects with KEY (Up or Down), steps with s and waits
# until the screen matches REGEX.
step() {
	tui_keys "$1" s
	tui_wait "$2" 3
}

# The 8 keystrokes: Thread-1 reads 0, Thread-2 reads 0, Thread-1 writes
# 5, Thread-2 writes 8 over it.
lose_one() {
	step Down 'Thread-1 .*write 0\+5 = 5' &&
	step Down 'Thread-2 .*write 0\+8 = 8$' &&
	step Up 'Thread-2 .*write 0\+8 = 8 over 5: lost!' &&
	step Down 'balance 8  expected 13  off by -5'
}

tui_run "clear; $PTMON --paused -d 2 --record $dir/lose.txt race iterations=1"
start_ok() {
	tui_wait '^1> 2> +local = balance +# read balance' 5 &&
	tui_wait '│ +MainThread +t\.join\(\), waits in join' 1
}
check "race: both threads stand before 'read balance', main waits in join" \
    start_ok
target_key_ok() {
	tui_keys t
	tui_wait 'Target final balance: _' 2 || return 1
	tui_keys -l -- -8
	tui_keys Enter
	tui_wait 'target -8: 0 steps so far' 2
}
check "t prompts for a target balance" target_key_ok
check "8 keystrokes: balance 8, expected 13" lose_one
lost_ok() {
	tui_wait 'lost while stepping: 1$' 1 &&
	tui_wait '\[ptmon\] lost update: Thread-2 wrote 8 over 5' 1 &&
	tui_wait '^1> 2> +local = balance +# read balance' 1
}
check "the lost update is counted and told" lost_ok
tui_keys q
check "q quits with status 0" tui_status_is 0
record_ok() {
	got=$(grep -v '^#' "$dir/lose.txt" | tr '\n' ' ')
	[ "$got" = "Thread-1 Thread-2 Thread-1 Thread-2 " ] && return 0
	diag "recorded: $got"
	return 1
}
check "--record wrote the steps taken by keys" record_ok
replay_ok() {
	out=$("$PTMON" --batch --replay "$dir/lose.txt" race iterations=1)
	printf '%s\n' "$out" | grep -qx -- -5 && return 0
	diag "replay printed: $out"
	return 1
}
check "the recorded steps replay to -5" replay_ok

tui_run "clear; $PTMON --paused -d 2 lock iterations=1"
lock_ok() {
	tui_wait '^1> 2> +lock\.acquire\(\)' 5 &&
	step Down 'lock: held by Thread-1 \(' &&
	step Down 'waits for it: Thread-2 \(' &&
	tui_wait '^1> +local = balance' 1 &&
	tui_wait '^ +2> +lock\.acquire\(\)' 1 &&
	tui_wait 'Thread-2 .*waits in lock\.acquire\(\)' 1
}
check "lock: Thread-1 owns the lock, Thread-2 waits for it" lock_ok
tui_keys s
check "stepping the waiting thread says it stays waiting" \
    tui_wait 'cannot step Thread-2 \([0-9]+\): .*stays waiting' 2
tui_keys q
tui_wait '^\$' 3

# The challenge: lose the update, let Thread-2 run to its end, then all.
tui_run "clear; $PTMON --paused -d 2 race iterations=1 target=-5"
target_ok() {
	tui_wait '^1> 2> +local = balance' 5 &&
	tui_wait 'target -5: 0 steps so far' 1 &&
	lose_one || return 1
	tui_keys Space
	tui_wait 'balance 0  expected 5  off by -5' 3 || return 1
	tui_keys P
	tui_wait 'FINISHED \(status 0\)' 5 &&
	tui_wait 'target -5 reached: final balance -5 in 4 steps' 1
}
check "race target=-5: reached, in 4 steps" target_ok
tui_keys q
check "q quits with status 0" tui_status_is 0
finish
