#!/bin/sh
# --replay FILE in the full-screen UI: the schedule plays one step per
# refresh, the header tells which step, the race ends as the schedule
# says (-5), --record gets the steps replayed, and a schedule that cannot
# be read ends ptmon with status 2 before curses starts. Every wait polls
# the screen.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
plan 5
dir=$(mktemp -d) || exit 1
trap 'tui_cleanup; rm -rf "$dir"' EXIT

printf 'Thread-1\nThread-2\nnot a name!\n' > "$dir/bad.txt"
bad_ok() {
	"$PTMON" --replay "$dir/bad.txt" race iterations=1 \
	    >"$dir/bad.out" 2>"$dir/bad.err" </dev/null
	st=$?
	[ "$st" -eq 2 ] &&
	    grep -q "^ptmon: .*bad\.txt: line 3: " "$dir/bad.err" &&
	    [ "$(wc -l < "$dir/bad.err")" -eq 1 ] &&
	    [ ! -s "$dir/bad.out" ] && return 0
	diag "status $st, stderr: $(cat "$dir/bad.err")"
	return 1
}
check "a bad line in the schedule: status 2, 'line 3', no UI" bad_ok

tui_start 120 40 || { echo "Bail out! cannot start tmux"; exit 1; }
printf 'Thread-1\nThread-2\nThread-1\nThread-2\n' > "$dir/lose.txt"
tui_run "clear; $PTMON -d 2 --record $dir/steps.txt --replay $dir/lose.txt race iterations=1"
check "the header tells the replay's steps" \
    tui_wait 'replaying .*lose\.txt: step [0-9] of 4' 5
check "the replay takes its 4 steps and is done" \
    tui_wait 'step 4 of 4|replay done' 8
ended_ok() {
	tui_wait 'FINISHED \(status 0\)' 8 &&
	tui_wait '^ *-5 *$' 1 &&
	tui_wait 'replay done: 4 steps of' 1
}
check "the race ends with the final balance -5" ended_ok
tui_keys q
quit_ok() {
	tui_status_is 0 || return 1
	got=$(grep -v '^#' "$dir/steps.txt" | tr '\n' ' ')
	[ "$got" = "Thread-1 Thread-2 Thread-1 Thread-2 " ] && return 0
	diag "recorded: $got"
	return 1
}
check "q quits with status 0; --record has the steps replayed" quit_ok
finish
