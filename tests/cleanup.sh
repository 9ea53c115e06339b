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

check "a finished scenario leaves no zombie or child of ptmon" sh -c '
	"$0" --batch --speed 20 pool >/dev/null &
	p=$!
	wait $p || exit 1
	! ps -e -o ppid=,stat= | awk -v p=$p "\$1 == p" | grep -q .' "$PTMON"

check "ptmon killed while paused leaves nothing" \
	killed_leaves_nothing KILL --paused pool

rm -f /tmp/ptmon-clean.$$
finish
