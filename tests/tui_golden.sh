#!/bin/sh
# Golden screens: what a newcomer sees at a few telling moments, compared
# line by line with tests/golden/*.txt after masking what varies between
# runs (pids, times, CPU, memory: tests/screen_mask.py). A change to the
# layout, a label or a key bar shows here as a diff.
#
# After a deliberate change to the UI, write the goldens again with
#     PTMON_GOLDEN_UPDATE=1 make check TESTS=tests/tui_golden.sh
# and read the diff before committing it.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP no python3"; exit 0; }
plan 8
golden_dir=${SRCDIR:-$(dirname "$0")/..}/tests/golden
mask=${SRCDIR:-$(dirname "$0")/..}/tests/screen_mask.py

# golden NAME: the masked screen equals tests/golden/NAME.txt (or, with
# PTMON_GOLDEN_UPDATE set, becomes it).
golden() {
	tui_screen | python3 "$mask" >"/tmp/ptmon-golden.$$" || return 1
	if [ -n "${PTMON_GOLDEN_UPDATE:-}" ]; then
		cp "/tmp/ptmon-golden.$$" "$golden_dir/$1.txt"
		return 0
	fi
	if diff -u "$golden_dir/$1.txt" "/tmp/ptmon-golden.$$" \
	    >"/tmp/ptmon-golden-diff.$$"; then
		return 0
	fi
	sed 's/^/# /' "/tmp/ptmon-golden-diff.$$"
	return 1
}

# settle REGEX: waits for the screen to show REGEX, then for one more
# refresh, so a capture never catches a half-drawn frame.
settle() {
	tui_wait "$1" 5 || return 1
	sleep 0.3
}

tui_start 80 24 || { echo "Bail out! cannot start tmux"; exit 1; }

# As a newcomer starts it: no options, the picker.
tui_run "$PTMON"
settle 'F10Quit'
check "picker at 80x24" golden picker-80x24
tui_keys F1
settle 'ptmon help'
check "help at 80x24: long lines wrap, none is cut" golden help-80x24
tui_keys Escape
settle 'Pick a scenario'
tui_resize 120 40
settle 'F10Quit'
check "picker at 120x40" golden picker-120x40
tui_keys F1
settle 'ptmon help'
check "help at 120x40" golden help-120x40
tui_keys Escape
tui_keys q
tui_quit_status >/dev/null

# The README's lost-update walkthrough: both threads read 0, both write,
# then each takes its n away alone: 8 - 5 - 8 = -5.
tui_run "$PTMON --paused -d 2 race"
# MainThread takes its beat at t.join() before it blocks there.
tui_wait '└─ [{]Thread-2[}] .*read balance \(\+n\)' 5
settle 'MainThread +t\.join\(\), waits in join'
check "race paused at its start, 120x40" golden race-start-120x40
n=0
while ! tui_screen | grep -q '─ {Thread-2}' && [ $n -lt 20 ]; do
	tui_step MainThread 0
	n=$((n + 1))
done
for row in 1 2; do
	n=0
	while ! tui_at_of "Thread-$row" | grep -q 'read balance (+n)' &&
	    [ $n -lt 10 ]; do
		tui_step "Thread-$row" $row
		n=$((n + 1))
	done
done
for row in 1 2 1 2 1 1 2 2; do
	tui_step "Thread-$row" $row
done
settle 'balance -5  expected 0  off by -5'
check "race after a lost update by hand, 120x40" golden race-lost-120x40
tui_resize 80 24
settle 'balance -5'
check "race after a lost update by hand, 80x24" golden race-lost-80x24
tui_keys q
check "q quits with status 0" tui_status_is 0

rm -f "/tmp/ptmon-golden.$$" "/tmp/ptmon-golden-diff.$$"
finish
