#!/bin/sh
# The full-screen UI and its terminal: a storm of resizes down to 1x1 and
# back, "terminal too small" and recovery, Ctrl-Z and fg, and SIGTERM,
# after which the terminal works again.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
plan 9
tui_start 120 40 || { echo "Bail out! cannot start tmux"; exit 1; }

tui_run "$PTMON --seed 5 --speed 0.2 -d 2 pool"
tui_wait '─ PoolWorker-4' 5
pid=$(tui_child)
root=$(pgrep -o -P "$pid")

for size in "1 1" "200 60" "10 3" "80 24" "2 50" "150 5" "40 12" "1 40" \
    "90 1" "120 40" "33 7" "1 1" "250 80" "60 20" "5 5" "1 1"; do
	tui_resize $size
done
check "a resize storm down to 1x1 leaves ptmon running" tui_alive "$pid"
# One refresh or two at 1x1.
sleep 0.5
check "at 1x1 it keeps running" tui_alive "$pid"
tui_resize 30 8
check "below the minimum it says the terminal is too small" \
    tui_wait 'terminal too small \(30x8\)' 3
tui_resize 120 40
recovered() {
	tui_wait 'ptmon  pool: ' 3 && tui_wait '─ PoolWorker-4' 3
}
check "back to 120x40 it draws the tree again" recovered

tui_keys C-z
# Generous: under a loaded CI (tests side by side) the key, the stop and
# the shell's "Stopped" once took more than 3 s to show.
check "Ctrl-Z stops ptmon and gives back the shell" \
    tui_wait 'Stopped' 10
tui_run fg
check "fg redraws the screen" recovered

kill -TERM "$pid"
check "SIGTERM ends ptmon with status 143" \
    tui_status_is 143
check "the terminal echoes input again" tui_shell_echoes
check "the scenario's root is gone" eval 'test -n "$root" && ! tui_alive "$root"'
finish
