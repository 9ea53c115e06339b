#!/bin/sh
# Nothing outlives ptmon, not even a process that tries: a daemon (double
# fork + setsid) and a pid hopper (forks on and on, each child in a new
# session and process group) are counted after each way ptmon can end.
# With a cgroup of its own ptmon kills them all at every exit; without one
# (PTMON_NO_CGROUP=1, as where cgroups are not delegated) it still ends a
# daemon at every exit but SIGKILL, as README's Guarantees say.
. "$(dirname "$0")/lib.sh"

ESCAPER=${ESCAPER:-$(dirname "$PTMON")/../tests/helpers/escaper}
plan 11

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ptmon-escape.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# size FILE: its size in bytes (0 when missing).
size() {
	if [ -f "$1" ]; then wc -c <"$1"; else echo 0; fi
}

# none_alive LOG: the escapee's heartbeat log stops growing. Each escaping
# process appends to it every 20 ms, so a log that keeps its size for half
# a second has no writer left.
none_alive() {
	sleep 0.3	# what dies takes a moment
	before=$(size "$1")
	sleep 0.5
	after=$(size "$1")
	[ "$before" -gt 0 ] && [ "$before" = "$after" ] && return 0
	diag "still alive: the log grew from $before to $after bytes"
	return 1
}

# escapes_not HOW KIND: runs `ptmon --batch -- escaper KIND NAME`, waits
# until the escapee runs, ends ptmon HOW (end: the command ends by itself;
# TERM, INT, KILL: that signal to ptmon), then watches for what is left.
seq=0
escapes_not() {
	how=$1 kind=$2
	seq=$((seq + 1))
	log=$tmp/log$seq
	export ESCAPER_LOG="$log"
	if [ "$how" = end ]; then
		"$PTMON" --batch -- "$ESCAPER" "$kind" "esc$seq" exit \
		    >"$tmp/out" 2>&1
	else
		"$PTMON" --batch -- "$ESCAPER" "$kind" "esc$seq" >"$tmp/out" 2>&1 &
		ptmon=$!
		tries=200
		while [ "$(size "$log")" -lt 30 ] && [ "$tries" -gt 0 ]; do
			sleep 0.05
			tries=$((tries - 1))
		done
		[ "$tries" -gt 0 ] || { diag "$kind never started";
		    kill -KILL "$ptmon"; return 1; }
		kill -s "$how" "$ptmon"
		wait "$ptmon" 2>/dev/null
	fi
	none_alive "$log"
}

for how in end TERM INT KILL; do
	check "a daemon does not outlive ptmon ($how)" escapes_not "$how" daemon
	check "a pid hopper does not outlive ptmon ($how)" \
	    escapes_not "$how" hopper
done

# Without a cgroup: the session and the orphans ptmon adopts as subreaper.
# A daemon is ptmon's orphan and goes; a hopper that takes a new session
# at every hop can outrun the scan of /proc, as README's Guarantees say, so
# it is not counted here.
export PTMON_NO_CGROUP=1
for how in end TERM INT; do
	check "without a cgroup, a daemon does not outlive ptmon ($how)" \
	    escapes_not "$how" daemon
done
unset PTMON_NO_CGROUP

finish
