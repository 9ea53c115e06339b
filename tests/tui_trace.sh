#!/bin/sh
# PTMON_TRACE=FILE, what bench/run.sh times a key to the screen with: a
# "key NS CODE" line per key read, a "sampled NS" line per snapshot and a
# "drawn NS" line per frame, the key's frame drawn after the key; without
# PTMON_TRACE no file is made.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
plan 5
tui_start 100 30 || { echo "Bail out! cannot start tmux"; exit 1; }
dir=$(mktemp -d)
trap 'tui_cleanup; rm -rf "$dir"' EXIT

# ? is code 63: the help is drawn after it; Escape closes it, q quits.
tui_run "PTMON_TRACE=$dir/trace $PTMON -d 2 -- sleep 95"
tui_wait 'sleep 95' 5
tui_keys '?'
tui_wait 'ptmon help' 3
tui_keys Escape
tui_gone 'ptmon help' 3
tui_keys q
check "ptmon with PTMON_TRACE quits with status 0" tui_status_is 0

check "the trace has the key ? and frames" eval \
    'grep -Eq "^key [0-9]+ 63\$" "$dir/trace" &&
    grep -Eq "^drawn [0-9]+\$" "$dir/trace"'

# The first frame after the key comes no earlier than the key.
key_then_drawn() {
	awk '$1 == "key" && $3 == 63 && k == 0 { k = $2; next }
	    $1 == "drawn" && k > 0 && d == 0 { d = $2 }
	    END { if (k == 0 || d == 0 || d < k) exit 1
	    printf "# ? to its frame: %.3f ms\n", (d - k) / 1e6 }' \
	    "$dir/trace"
}
check "a frame is drawn after the key, later on the same clock" \
    key_then_drawn

# Each refresh (-d 2 over the seconds above) is a snapshot, then a frame.
sampled_then_drawn() {
	awk '$1 == "sampled" { s = $2; n++ }
	    $1 == "drawn" && s > 0 && $2 >= s { shown++; s = 0 }
	    END { if (n < 2 || shown < 2) exit 1 }' "$dir/trace"
}
check "the trace has snapshots, each drawn after it was taken" \
    sampled_then_drawn

tui_run "cd $dir && $PTMON -n 2 -d 1 -- sleep 94; ls $dir"
tui_status_is 0 >/dev/null
check "without PTMON_TRACE nothing is written" eval \
    '[ "$(ls "$dir")" = trace ]'
finish
