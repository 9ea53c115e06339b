#!/bin/sh
# The full-screen UI in a real terminal (tmux): the picker, the pool's tree
# with its guides and root PID, help, quitting with status 0 and a shell
# that echoes input again afterwards.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
plan 11
tui_start 120 40 || { echo "Bail out! cannot start tmux"; exit 1; }

# --speed 0.2: the pool's tasks sleep long enough to be seen.
tui_run "$PTMON --seed 5 --speed 0.2 -d 2"
check "the picker lists the tutorial's scenarios" \
    tui_wait '^ +3  pool +multiprocessing.Pool' 5
check "the picker shows what to watch for" \
    tui_wait 'Watch for: ' 1

tui_keys Down Down Enter
tree_ok() {
	tui_wait 'ptmon  pool: ' 5 &&
	tui_wait '─ PoolWorker-4' 5 && tui_wait '└─ PoolWorker-[1-4] ' 1 &&
	tui_wait 'Parent process [0-9]+\.' 5 || return 1
	root=$(tui_screen | sed -n 's/.*Parent process \([0-9]*\)\..*/\1/p')
	tui_screen | grep -Eq "^ +$root +$root +[0-9]+ [A-Z] .* MainProcess " ||
	    { diag "no MainProcess row for $root"; return 1; }
	# Siblings by pid, and pids may wrap: any worker may be the last.
	tui_screen | grep -Eq "[├└]─ PoolWorker-1 +" || return 1
	tui_screen | grep -Eq "^ +[0-9]+ +[0-9]+ +$root .*PoolWorker-2" ||
	    { diag "PoolWorker-2's parent is not $root"; return 1; }
}
check "Enter starts the pool: tree with guides under the root PID" tree_ok

tui_keys '?'
help_ok() {
	tui_wait 'ptmon help' 3 &&
	tui_wait 'Space +pause or resume the selected task' 1 &&
	tui_wait 'F9 k +send a signal' 1 || return 1
	# The last rows may be below the box: Down scrolls to them.
	tui_keys Down Down Down Down Down Down Down Down Down Down
	tui_wait 'q F10 +quit' 2
}
check "? shows help built from the key table" help_ok
tui_keys Escape
check "Escape closes the help" tui_gone 'ptmon help' 3

tui_keys q
check "q quits with status 0" \
    tui_status_is 0
check "the shell echoes input again after ptmon quits" tui_shell_echoes
check "the scenario's root process is gone" eval '! tui_alive "$root"'

# -n N, as top -n: the UI leaves by itself after N refreshes, status 0,
# its command ended and the terminal the shell's again.
tui_run "$PTMON -n 3 -d 2 -- sleep 96"
tui_wait 'sleep 96' 5
check "-n 3 quits by itself with status 0" tui_status_is 0
check "... the shell echoes input again" tui_shell_echoes
check "... and its command is gone" eval '! pgrep -f "^sleep 96\$" >/dev/null'
finish
