#!/bin/sh
# The queue pane for the learner's own Python: the tutorial's Queue example
# (tests/python/mp_queue.py, short sleeps) under --paused. MainThread is
# resumed and starts the writer (Process-1) and the reader (Process-2),
# each paused at its first line; the writer alone is let go, so it puts A,
# B and C and the paused reader gets none: the queue pane, which appears
# once the program makes its Queue, shows the three items, head first, as
# the built-in queue scenario's does. The program ends as it should: the
# writer done, pr.terminate() ends the reader, status 0.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
python_require tui
plan 6
progs=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/python

tui_start 120 30 || { echo "Bail out! cannot start tmux"; exit 1; }
tui_run "$PTMON -d 2 --paused -- python3 $progs/mp_queue.py 0.05"
check "--paused: MainThread waits at the program's first line, no queue yet" \
    eval "tui_wait 'MainThread +mp_queue\\.py:[0-9]+ *\$' 5 &&
	! tui_screen | grep -q ' Queue *\$'"
tui_keys Home Space
check "resumed, it makes its Queue and starts the writer and the reader" \
    eval "tui_wait ' Queue *\$' 5 &&
	tui_wait 'Process-1 +mp_queue\\.py:[0-9]+ *\$' 5 &&
	tui_wait 'Process-2 +mp_queue\\.py:[0-9]+ *\$' 5"
check "the queue pane shows the empty queue" tui_wait '\(empty\)' 1
tui_select Process-1
tui_keys Space
check "the writer let go, the paused reader: the pane shows A, B, C" \
    tui_wait "head ▸ \\['A'\\] \\['B'\\] \\['C'\\] ◂ tail" 10
check "the program ends with status 0 (the reader terminated)" \
    tui_wait 'EXITED \(status 0\)' 10
tui_keys q
check "ptmon ends with the program's status 0" tui_status_is 0
finish
