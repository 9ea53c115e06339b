#!/bin/sh
# No scenario process outlives ptmon, however ptmon ends.
. "$(dirname "$0")/lib.sh"

plan 10

# start_batch SCENARIO...: starts ptmon in the background, sets $ptmon and
# $root (the scenario root, whose pid is its process group).
start_batch() {
	"$PTMON" --batch --json -d 1 "$@" >/tmp/ptmon-clean.$$ 2>&1 &
	ptmon=$!
	root=""
	tries=100
	while [ -z "$root" ] && [ $tries -gt 0 ]; do
		sleep 0.05
		root=$(sed -n '1s/.*"root":\([0-9]*\).*/\1/p' /tmp/ptmon-clean.$$)
		tries=$((tries - 1))
	done
	sleep 0.3	# let the scenario fork its children
	diag "ptmon $ptmon, root $root, group: $(group_members "$root" | tr '\n' ' ')"
}

# killed_leaves_nothing SIGNAL SCENARIO...: kill ptmon, then no member of
# the scenario's group may remain within one second.
killed_leaves_nothing() {
	sig=$1
	shift
	start_batch "$@"
	[ -n "$root" ] || return 1
	[ "$(group_members "$root" | wc -l)" -ge 1 ] || return 1
	kill -s "$sig" "$ptmon"
	wait "$ptmon" 2>/dev/null
	group_gone "$root" 1
}

check "SIGKILL of ptmon during pool leaves nothing" \
	killed_leaves_nothing KILL pool
check "SIGKILL of ptmon during queue leaves nothing" \
	killed_leaves_nothing KILL queue items=a,b,c,d,e,f,g
check "SIGKILL of ptmon during race leaves nothing" \
	killed_leaves_nothing KILL race iterations=1000000000
check "SIGKILL of ptmon during subprocess leaves nothing" \
	killed_leaves_nothing KILL subprocess "cmd=sleep 30" timeout=60
check "SIGTERM of ptmon during pool leaves nothing" \
	killed_leaves_nothing TERM pool
check "SIGINT of ptmon during thread leaves nothing" \
	killed_leaves_nothing INT thread
check "SIGHUP of ptmon during lock leaves nothing" \
	killed_leaves_nothing HUP lock iterations=1000000000

"$PTMON" --batch pool >/dev/null &
ptmon=$!
sleep 0.5
kill -TERM $ptmon
wait $ptmon
check "SIGTERM of ptmon exits 128+15" [ $? -eq 143 ]

# Every pid the run spawned, from its JSON stream; after ptmon has exited
# normally none of them may be left (a zombie counts: it still has a /proc
# entry).
none_left() {
	pids=$(sed -n 's/.*"type":"spawn".*"pid":\([0-9]*\).*/\1/p' "$1" | sort -u)
	[ -n "$pids" ] || { diag "no spawn events"; return 1; }
	for p in $pids; do
		[ -d /proc/$p ] && { diag "$p still there: $(ps -o stat=,comm= -p $p)"; return 1; }
	done
	return 0
}
# run_leaves_nothing ARGS...: ptmon --batch --json ARGS runs to its end;
# then none of the pids it spawned is left.
run_leaves_nothing() {
	"$PTMON" --batch --json "$@" >/tmp/ptmon-clean.$$ || return 1
	none_left /tmp/ptmon-clean.$$
}
check "a finished scenario leaves no process behind" \
	run_leaves_nothing --speed 20 pool
# A command whose root ends while its child still runs: the child goes with
# it, as the README promises.
check "a command's leftover child ends with the command" \
	run_leaves_nothing -d 1 -- sh -c "sleep 300 >/dev/null 2>&1 & sleep 0.3; exit 0"

# Killed while paused: tests/tui_guard.sh (--paused needs the UI).

rm -f /tmp/ptmon-clean.$$
finish
