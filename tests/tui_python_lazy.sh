#!/bin/sh
# Pausing a Python thread that already runs (issue 16). While nothing is
# paused the tracer installs no trace function; pausing a thread turns it
# on for every thread, the running frames too, so Thread-1, paused in the
# middle of race.py's loop, stops at one of its lines within moments and
# steps line by line; let go, the function goes off again, and P puts it
# back on: both threads stop at a line. (tui_python.sh starts --paused,
# where the function is on from the first line.)
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
if ! "$PTMON" --version | grep -q '^Python stepping: built in'; then
	echo "1..0 # SKIP Python stepping is not built in (no python3-dev)"
	exit 0
fi
if [ ! -x /usr/bin/python3 ] && [ ! -x /bin/python3 ]; then
	echo "1..0 # SKIP no python3 on the panes' PATH (/usr/bin:/bin)"
	exit 0
fi
plan 7
progs=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/python
line='race\.py:(14|15|18|19)'

# select NAME: the cursor on the task named NAME.
select_task() {
	st_row=$(tui_row_of "$1")
	tui_keys Home
	st_i=0
	while [ $st_i -lt "${st_row:-0}" ]; do
		tui_keys Down
		st_i=$((st_i + 1))
	done
}

tui_start 120 30 || { echo "Bail out! cannot start tmux"; exit 1; }
tui_run "$PTMON -d 2 -- python3 $progs/race.py 200000000"
check "the program runs untraced: Thread-1 and Thread-2 in the tree" \
    eval "tui_wait '\\{Thread-1\\}' 5 && tui_wait '\\{Thread-2\\}' 1"
select_task Thread-1
tui_keys Space
check "Space on running Thread-1: it stops at a line of its loop" \
    tui_wait "\\{Thread-1\\} +$line *\$" 3
before=$(tui_at_of Thread-1)
tui_step Thread-1
after=$(tui_at_of Thread-1)
check "s steps it to another line of the loop" \
    eval "[ '$before' != '$after' ] && echo '$after' | grep -Eq '^$line\$'"
diag "stepped from $before to $after"
select_task Thread-1
tui_keys Space P
check "let go, then P: Thread-1 stops at a line again" \
    tui_wait "\\{Thread-1\\} +$line *\$" 3
check "and Thread-2 too" tui_wait "\\{Thread-2\\} +$line *\$" 3
tui_keys q
status=$(tui_quit_status)
check "q ends ptmon, the program with it" [ -n "$status" ]
diag "ptmon's status: $status"
check "the terminal is sane afterwards" tui_shell_echoes
finish
