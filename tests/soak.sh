#!/bin/sh
# tests/soak.sh [SECONDS]: a soak, run by hand (not by make check, which
# must stay short): for SECONDS (default 60), the full-screen UI watches a
# command that churns processes and floods output while random keys
# arrive, and a batch JSON run watches a flood of its own. Prints each
# ptmon's resident memory and descriptor count at the start and at the end,
# and fails (TAP) if descriptors grew, memory grew by more than 2 MiB, or
# either ptmon died or left a process behind.
. "$(dirname "$0")/tui_lib.sh"

seconds=${1:-60}
tui_require
plan 4

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ptmon-soak.XXXXXX") || exit 1
trap 'tui_cleanup; [ -n "${batch:-}" ] && kill -KILL "$batch" 2>/dev/null;
    rm -rf "$tmp"' EXIT

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" | wc -l; }
# Descriptors but the sampler's kept /proc files, which follow the tree.
own_fds() { ls -l "/proc/$1/fd" | grep -c -v -e ' -> /proc/' -e '^total'; }

churn='while :; do (sleep 0.01 &); yes churn | head -n 500; done'
tui_start 120 40 || { echo "Bail out! cannot start tmux"; exit 1; }
tui_run "$PTMON -d 1 -- sh -c '$churn'"
tui_wait 'churn' 5 || { echo "Bail out! the churn did not start"; exit 1; }
ui=$(tui_child)
"$PTMON" --batch --json -d 5 -- yes flood >/dev/null 2>&1 &
batch=$!
sleep 2
ui_rss0=$(rss "$ui") ui_fds0=$(own_fds "$ui")
b_rss0=$(rss "$batch") b_fds0=$(fds "$batch")
diag "start: UI ${ui_rss0} kB, $ui_fds0 fds; batch ${b_rss0} kB, $b_fds0 fds"

# Random keys that neither quit nor leave the command: no q, Q, F10,
# digits or Tab (they would start a scenario instead).
end=$(( $(date +%s) + seconds ))
round=0
while [ "$(date +%s)" -lt "$end" ]; do
	round=$((round + 1))
	keys=$(awk -v s="$round" 'BEGIN { srand(s); k = "jkPpsS /+-?hHlL";
		for (i = 0; i < 8; i++) printf "%s", substr(k,
		    int(rand() * length(k)) + 1, 1) }')
	tui_type "j$keys"	# never a leading '-': tmux would take a flag
	tui_keys Escape Up Down PPage NPage Home End Escape
	[ $((round % 10)) -eq 0 ] && tui_resize $((60 + round % 60)) \
	    $((15 + round % 25))
	sleep 0.2
done
tui_resize 120 40
tui_keys Escape
sleep 2
alive=true
kill -0 "$ui" 2>/dev/null && kill -0 "$batch" 2>/dev/null || alive=false
ui_rss1=$(rss "$ui") ui_fds1=$(own_fds "$ui")
b_rss1=$(rss "$batch") b_fds1=$(fds "$batch")
diag "end after $seconds s: UI ${ui_rss1} kB, $ui_fds1 fds; batch ${b_rss1} kB, $b_fds1 fds"
check "both ptmon processes are alive after the soak" $alive
check "no descriptor leaked (UI $ui_fds0 -> $ui_fds1, batch $b_fds0 -> $b_fds1)" \
    [ "$ui_fds1" -le "$ui_fds0" -a "$b_fds1" -le "$b_fds0" ]
check "memory grew by less than 2 MiB (UI +$((ui_rss1 - ui_rss0)) kB, batch +$((b_rss1 - b_rss0)) kB)" \
    [ $((ui_rss1 - ui_rss0)) -lt 2048 -a $((b_rss1 - b_rss0)) -lt 2048 ]
kill -TERM "$batch"
wait "$batch"
tui_keys Escape
sleep 0.3
tui_keys q
gone_ok() {
	tui_status_is 0 || return 1
	sleep 0.5
	! pgrep -f 'yes churn' >/dev/null && ! pgrep -x -f 'yes flood' >/dev/null
}
check "q ends the UI with status 0 and nothing is left behind" gone_ok
finish
