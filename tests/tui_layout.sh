#!/bin/sh
# The tree's columns and the panes' heights in a real terminal (tmux): at
# 80x24 the AT column keeps 20 cells beside NAME, threads are marked
# {name}, a wide terminal shows WCHAN, an ended run's kept tree tells each
# task's exit and lifetime, and the Output pane grows when the tree is
# short.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
plan 7
tui_start 80 24 || { echo "Bail out! cannot start tmux"; exit 1; }

# The column (0-based) where WORD starts in the tree's header, or nothing.
header_col() {
	tui_screen | awk -v w="$1" '/^ +PID +TID / && /NAME/ {
		i = index($0, " " w); if (i) print i; exit }'
}

# The screen row (1-based) of the Output pane's title.
output_row() {
	tui_screen | grep -n '^ Output' | head -n 1 | cut -d: -f1
}

# quit: leaves ptmon and waits for the shell's prompt.
quit() {
	tui_keys q
	tui_quit_status >/dev/null
}

tui_run "$PTMON --paused -d 2 race"
tui_wait '└─ [{]Thread-2[}] ' 5

at_cells_ok() {
	at=$(header_col AT)
	name=$(header_col NAME)
	[ -n "$at" ] && [ -n "$name" ] ||
	    { diag "no NAME or AT in the header"; return 1; }
	[ $((80 - at)) -ge 20 ] && return 0
	diag "AT starts at column $at: $((80 - at)) cells"
	return 1
}
check "80x24: NAME is shown and AT has at least 20 cells" at_cells_ok

threads_ok() {
	tui_screen | grep -Eq '[├└]─ [{]Thread-1[}] +read balance' &&
	tui_screen | grep -Eq ' MainThread +t\.join\(\)' && return 0
	tui_screen | sed 's/^/#   | /'
	return 1
}
check "80x24: threads are marked {name}, their process is not" threads_ok

# Wider, the WCHAN column comes back: the paused threads wait in a futex,
# whatever the kernel calls that function.
wchan_ok() {
	tui_resize 120 40
	tui_wait 'TIME\+ WCHAN +NAME' 3 || return 1
	col=$(header_col WCHAN)
	cells=$(tui_screen | grep '[{]Thread-1[}]' |
	    cut -c"$((col + 1))-$((col + 17))" | tr -d ' ')
	[ -n "$cells" ] && return 0
	diag "Thread-1's WCHAN cell is blank"
	return 1
}
check "120x40: the WCHAN column shows what a paused thread waits in" wchan_ok
quit
tui_resize 80 24

# A command's kept tree: its exit status and how long it lived.
tui_run "$PTMON -d 1 -- sh -c 'sleep 0.3; exit 3'"
lifetime_ok() {
	tui_wait 'EXITED \(status 3\)' 5 || return 1
	tui_wait ' sh +exited 3 after 0\.[2-9]s' 2
}
check "a command's kept tree: 'exited 3 after 0.3s'" lifetime_ok
quit

# A scenario's kept tree: fork's two processes, each with its end.
tui_run "$PTMON fork"
fork_ok() {
	tui_wait 'FINISHED \(status 0\)' 5 &&
	tui_wait ' MainProcess +exited 0 after [0-9.]+s' 2 &&
	tui_wait '└─ child +(exited 0|ended) after [0-9.]+s' 1
}
check "fork's kept tree: each task with its exit and lifetime" fork_ok
short=$(output_row)
quit

# The pool's tree has five processes: the Output pane starts lower.
tui_run "$PTMON --speed 4 pool"
tui_wait 'FINISHED \(status 0\)' 10
long=$(output_row)
grows_ok() {
	[ -n "$short" ] && [ -n "$long" ] && [ "$short" -lt "$long" ] &&
	    return 0
	diag "Output title at row $short after fork, $long after pool"
	return 1
}
check "the Output pane grows when the tree is short (fork vs pool)" grows_ok
tree_fits_ok() {
	# Every pool task is in the tree: none is cut for the Output pane.
	[ "$(tui_screen | grep -Ec '[├└]─ PoolWorker-[1-4] ')" -eq 4 ] &&
	    return 0
	tui_screen | sed 's/^/#   | /'
	return 1
}
check "the pool's tree keeps every row" tree_fits_ok
quit

finish
