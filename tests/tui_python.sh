#!/bin/sh
# Stepping the learner's own Python in the full-screen UI: the tutorial's
# race.py (tests/python/, 1000 rounds) under --paused. MainThread waits at
# the program's first line; resumed, it starts Thread-1 and Thread-2, which
# wait at their first line; s on Thread-1 runs it to its next source line,
# each time, while Thread-2 stays; P lets everything go, and the program
# ends with its output and status.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
python_require tui
plan 8
progs=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/python

# step_until_moves NAME: presses s and waits until NAME stands elsewhere.
step_until_moves() {
	before=$(tui_at_of "$1")
	tui_keys s
	i=0
	while [ "$(tui_at_of "$1")" = "$before" ] && [ $i -lt 60 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	tui_at_of "$1"
}

tui_start 120 30 || { echo "Bail out! cannot start tmux"; exit 1; }
tui_run "$PTMON -d 2 --paused -- python3 $progs/race.py 1000"
check "--paused: MainThread waits at race.py's first line" \
    tui_wait 'MainThread +race\.py:3 *$' 5
tui_keys Home Space
check "resumed, it starts Thread-1 and Thread-2, each paused at its first line" \
    eval "tui_wait '\\{Thread-1\\} +race\\.py:18 *\$' 5 &&
	tui_wait '\\{Thread-2\\} +race\\.py:18 *\$' 1"
tui_select Thread-1 1
steps=""
for n in 1 2 3; do
	steps="$steps $(step_until_moves Thread-1)"
done
check "s runs Thread-1 to its next source line, three times" \
    [ "$steps" = " race.py:19 race.py:14 race.py:15" ]
[ "$steps" = " race.py:19 race.py:14 race.py:15" ] || diag "steps:$steps"
check "Thread-2 stays at its line meanwhile" [ "$(tui_at_of Thread-2)" = race.py:18 ]
check "MainThread waits in t1.join() meanwhile" \
    [ "$(tui_at_of MainThread)" = race.py:25 ]
tui_keys P
check "P lets every thread go: the program prints 0 and exits 0" \
    eval "tui_wait 'EXITED \\(status 0\\)' 10 && tui_wait '^ 0 *\$' 1"
tui_keys q
check "ptmon ends with the program's status 0" tui_status_is 0
check "the terminal is sane afterwards" tui_shell_echoes
finish
