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
python_require tui
plan 7
progs=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/python
line='race\.py:(14|15|18|19)'

tui_start 120 30 || { echo "Bail out! cannot start tmux"; exit 1; }
tui_run "$PTMON -d 2 -- python3 $progs/race.py 200000000"
check "the program runs untraced: Thread-1 and Thread-2 in the tree" \
    eval "tui_wait '\\{Thread-1\\}' 5 && tui_wait '\\{Thread-2\\}' 1"
tui_select Thread-1
tui_keys Space
check "Space on running Thread-1: it stops at a line of its loop" \
    tui_wait "\\{Thread-1\\} +$line *\$" 3
before=$(tui_at_of Thread-1)
tui_step Thread-1
after=$(tui_at_of Thread-1)
check "s steps it to another line of the loop" \
    eval "[ '$before' != '$after' ] && echo '$after' | grep -Eq '^$line\$'"
diag "stepped from $before to $after"
tui_select Thread-1
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
