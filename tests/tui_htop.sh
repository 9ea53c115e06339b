#!/bin/sh
# What an htop user tries: F3 searches, F4 filters (ancestors stay, Escape
# clears), F5 flattens the tree, F6 sorts from a menu, H hides threads, a
# CPU meter per core in the header, a key bar that fits 80 columns with F1
# and F10, a click on the key bar, and help's "Differs from htop". None of
# these keys pauses or changes a task.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
plan 18
tui_start 120 40 || { echo "Bail out! cannot start tmux"; exit 1; }

# The rows of a flat list as "PID NAME", top to bottom: NAME is read at
# the column the header names it (WCHAN, before it, may be blank).
flat_rows() {
	tui_screen | awk '/^ +PID +TID .*NAME/ { col = index($0, "NAME"); next }
	    col && substr($0, 3) ~ /^ *[0-9]+ +[0-9]+ +[0-9]+ / {
	    split(substr($0, 3), f, " "); split(substr($0, col), g, " ");
	    print f[1], g[1] }'
}

# A command tree whose names are not in PID order: sh, tail, sleep 301,
# sh, and sleep 302 under the second sh. Scripts, so that no command line
# but sleep's holds "sleep 302".
dir=$(mktemp -d) || { echo "Bail out! mktemp"; exit 1; }
trap 'tui_cleanup; rm -rf "$dir"' EXIT
printf 'tail -f /dev/null & sleep 301 & sh %s/inner.sh & wait\n' "$dir" \
    >"$dir/outer.sh"
printf 'sleep 302 & wait\n' >"$dir/inner.sh"
tui_run "$PTMON -d 2 -- sh $dir/outer.sh"
# The title holds the command line: wait for the rows.
tui_wait '└─ sleep +sleep 302' 5 || { echo "Bail out! no tree"; exit 1; }

tui_keys F3
check "F3 opens the search prompt" tui_wait '^ Search: _' 3
tui_type tail
tui_keys Enter
check "... and Enter selects the match" tui_wait 'selected tail' 3

tui_keys F4
tui_type 'sleep 302'
filter_ok() {
	tui_wait '^ Filter: sleep 302_' 3 &&
	tui_gone '─ sleep +sleep 301' 3 && tui_gone '─ tail ' 1 &&
	tui_wait '└─ sleep +sleep 302' 1 &&
	tui_wait '└─ sh +sh .*/inner.sh' 1 &&
	tui_wait '^ +[0-9]+ +[0-9]+ +[0-9]+ [A-Z] .* sh +sh .*/outer.sh' 1
}
check "F4 keeps the task whose command line matches, and its ancestors" \
    filter_ok
tui_keys Enter
check "... the key bar says the filter is on" \
    tui_wait 'F4Filter=sleep 302 ' 6
tui_keys F4
sleep 0.2
tui_keys Escape
check "Escape in the filter prompt clears it" tui_wait '─ sleep +sleep 301' 3

tui_keys F5
flat_ok() {
	tui_wait 'flat list sorted by PID' 3 &&
	tui_gone '├─|└─' 1 &&
	tui_wait ' tail +tail -f /dev/null' 1
}
check "F5 shows a flat list without tree guides" flat_ok

tui_keys F6
tui_wait 'Sort by' 3
tui_keys n
names_sorted() {
	tui_wait 'list sorted by name' 3 || return 1
	got=$(flat_rows | awk '{ print $2 }' | tr '\n' ' ')
	[ "$got" = "sh sh sleep sleep tail " ] && return 0
	diag "names: $got"
	return 1
}
check "F6 then n sorts the list by name" names_sorted
tui_keys F6
tui_wait 'Sort by' 3
tui_keys Up Up Up Enter
pids_sorted() {
	tui_wait 'list sorted by PID' 3 || return 1
	got=$(flat_rows | awk '{ print $1 }' | tr '\n' ' ')
	sorted=$(flat_rows | awk '{ print $1 }' | sort -n | tr '\n' ' ')
	second=$(flat_rows | sed -n 2p | awk '{ print $2 }')
	[ "$got" = "$sorted" ] && [ "$second" = tail ] && return 0
	diag "pids: $got (second: $second)"
	return 1
}
check "F6 menu: PID sorts by PID again" pids_sorted
tui_keys k
check "the selection stayed on tail through filter, F5 and F6" \
    tui_wait 'Send a signal to tail \(' 3
tui_keys Escape
tui_keys F5
check "F5 again: the tree is back" tui_wait '[├└]─ tail' 3

# The key bar's F6 entry, clicked (xterm mouse report, as ncurses reads
# it for this terminal): the sort menu opens.
click_bar() {
	line=$(tui_screen | tail -n 1)
	col=$(printf '%s\n' "$line" | awk -v k="$1" '{ print index($0, k) }')
	[ "$col" -gt 0 ] || { diag "no $1 on: $line"; return 1; }
	row=$(tui_tmux display-message -p -t "$TUI_TARGET" '#{pane_height}')
	tui_type "$(printf '\033[M %b%b\033[M#%b%b' \
	    "\\0$(printf %o $((32 + col)))" "\\0$(printf %o $((32 + row)))" \
	    "\\0$(printf %o $((32 + col)))" "\\0$(printf %o $((32 + row)))")"
}
tui_gone 'Send a signal' 3
sleep 4.2	# the message of the last key covers the key bar a while
click_bar F6SortBy
check "a click on F6SortBy in the key bar opens the sort menu" \
    tui_wait 'Enter sorts, Escape cancels' 3
tui_keys Escape

meters_ok() {
	want=$(nproc)
	got=$(tui_screen | sed -n '3,/PID +TID/p' | grep -o '[0-9]\+\[' |
	    wc -l)
	[ "$got" -eq "$want" ] && return 0
	if tui_screen | grep -q "$want CPUs\["; then
		return 0
	fi
	diag "meters: $got, CPUs: $want"
	return 1
}
check "the header shows one CPU meter per core and the task counts" \
    eval 'meters_ok && tui_wait "Tasks: 5, 0 thr; [0-9]+ running" 1'

help_ok() {
	tui_wait 'ptmon help' 3 || return 1
	i=0
	while [ $i -lt 40 ]; do tui_keys Down; i=$((i + 1)); done
	tui_wait 'Differs from htop' 3 &&
	tui_wait ' P +htop: sort by CPU; here: pause or resume every task' 1 &&
	tui_wait ' Space +htop: tag a process' 1
}
tui_keys F1
check "F1 help lists the keys that differ from htop" help_ok
tui_keys Escape
tui_gone 'ptmon help' 3
# No row marked paused (||) or in state T.
nothing_paused() {
	tui_wait ' RUNNING  refresh' 1 || return 1
	! tui_screen | grep -Eq '^(\|\||  ) +[0-9]+ +[0-9]+ +[0-9]+ T |^\|\|'
}
check "view keys paused nothing: the command still RUNNING" nothing_paused
tui_keys q
tui_quit_status >/dev/null

# Threads: the race's two threads under MainThread.
tui_run "$PTMON --paused -d 2 race"
tui_wait '─ {Thread-2}' 5
tui_keys H
hidden_ok() {
	tui_gone '[├└]─ [{]?Thread-1' 3 && tui_wait '^ .* MainThread ' 1 &&
	tui_wait '2 thr \(hidden\)' 1
}
check "H hides threads" hidden_ok
tui_keys H
check "H again shows them" tui_wait '─ {Thread-2}' 3
tui_keys q
tui_quit_status >/dev/null

# 80x24: the key bar keeps F1 and F10 and fits.
tui_resize 80 24
tui_run "$PTMON --paused -d 2 race"
bar_ok() {
	tui_wait 'F10Quit' 5 || return 1
	line=$(tui_screen | tail -n 1)
	cells=$(printf '%s' "$line" | wc -m)
	case $line in
	F1Help*F10Quit*) ;;
	*) diag "bar: $line"; return 1 ;;
	esac
	[ "$cells" -le 80 ] || { diag "$cells cells: $line"; return 1; }
}
check "at 80x24 the key bar fits, with F1Help and F10Quit" bar_ok
# htop keys ptmon has no use for say so, and what to use instead.
htop_only_ok() {
	tui_keys M
	tui_wait "htop's M sorts by memory: F6 sorts here" 3 || return 1
	tui_keys F7
	tui_wait "htop's F7/F8 change priority" 3 || return 1
	tui_wait 'PAUSED' 1
}
check "htop's M and F7 say why they do nothing here" htop_only_ok
tui_keys q
tui_quit_status >/dev/null
finish
