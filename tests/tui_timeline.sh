#!/bin/sh
# The timeline pane: w shows each task's states beside its tree row, one
# cell per refresh with the newest at the right; the strips grow with the
# refreshes; the tree keeps whole names at 80 columns; w hides it again;
# --timeline starts with it shown. With PTMON_SCREENS set, two screens are
# kept there (doc/screens/README.md).
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
plan 6
tui_start 120 40 || { echo "Bail out! cannot start tmux"; exit 1; }

# The strip of the row whose name matches $1: the letters at its end.
strip_of() {
	tui_screen | grep -E -- "$1" | head -n 1 |
	    sed -n 's/.* \([RrSWPZ.]\{1,\}\) *$/\1/p'
}

# The queue, slowed down: the reader waits in q.get() for each item.
tui_run "$PTMON -d 2 --pace 0.3 --seed 5 queue items=A,B,C,D"
tui_wait '─ reader' 10 || { echo "Bail out! no tree"; exit 1; }
tui_keys w
check "w shows the timeline beside the tree, with its legend" \
    tui_wait 'NAME +TIMELINE 0\.2s a cell +R run r ready S sleep W wait' 3

grows() {
	a=$(strip_of '─ reader')
	sleep 1
	b=$(strip_of '─ reader')
	[ "${#b}" -gt "${#a}" ] && return 0
	diag "reader's strip: '$a' then '$b'"
	tui_screen | sed 's/^/#   | /'
	return 1
}
check "the strips grow a cell per refresh" grows

reader_waits() {
	tries=60
	while [ "$tries" -gt 0 ]; do
		case $(strip_of '─ reader') in *W*) return 0 ;; esac
		sleep 0.1
		tries=$((tries - 1))
	done
	tui_screen | sed 's/^/#   | /'
	return 1
}
check "the reader's strip shows it waiting (W) on the queue" reader_waits
sleep 2
tui_screen_save timeline-queue

tui_keys w
check "w hides it again" tui_gone 'TIMELINE' 3
tui_keys q
tui_wait '^\$' 5

# 80 columns, --timeline: the pane from the start, names still whole.
tui_resize 80 24
tui_run "$PTMON -d 2 --timeline --pace 0.3 --seed 5 pool"
check "--timeline at 80 columns: the pane and whole worker names" \
    tui_wait '─ PoolWorker-4 +[RrSWPZ.]+ *$' 10
ended() {
	tui_wait 'FINISHED' 30 &&
	tui_wait 'MainProcess +[RrSWPZ.]*Z *$' 3
}
check "when the run ends its strips stay, the root's ending Z" ended
tui_screen_save timeline-pool-end-80x24
tui_keys q
finish
