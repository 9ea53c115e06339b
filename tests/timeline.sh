#!/bin/sh
# --batch --timeline: after the scenario's own output, each task of its
# tree with its states, one letter per refresh; --json has them already.
. "$(dirname "$0")/lib.sh"

plan 4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$PTMON" --batch --timeline -d 1 --speed 2 --seed 5 pool >"$dir/pool"
echo $? >"$dir/pool.status"

# The table: "NAME TID STATES" after the line that starts it.
table() {
	awk '/^Timeline, a letter per 0.1 s refresh/ { on = 1; next }
	    on && !/^NAME / { print }' "$dir/pool"
}

after_output() {
	[ "$(cat "$dir/pool.status")" = 0 ] &&
	grep -n 'All subprocesses done.' "$dir/pool" | cut -d: -f1 >"$dir/a" &&
	grep -n '^Timeline, ' "$dir/pool" | cut -d: -f1 >"$dir/b" &&
	[ "$(cat "$dir/a")" -lt "$(cat "$dir/b")" ] && return 0
	sed 's/^/# | /' "$dir/pool"
	return 1
}
check "pool: the timeline follows the scenario's output, status 0" after_output

rows_ok() {
	table | awk '
	    { n++; name[n] = $1; st[n] = $3 }
	    END {
		if (n != 5 || name[1] != "MainProcess") exit 1
		for (i = 2; i <= 5; i++)
			if (name[i] !~ /^PoolWorker-[1-4]$/) exit 1
		for (i = 1; i <= 5; i++)
			if (length(st[i]) != length(st[1]) ||
			    st[i] !~ /^[RrSWPZ.]+$/) exit 1
	    }' && return 0
	table | sed 's/^/# | /'
	return 1
}
check "pool: a row per task, each strip as long as the run" rows_ok

root_strip() {
	table | awk '$1 == "MainProcess" { print $3 }' |
	    grep -Eq '^[RrS]*W+[RrS]?Z$' && return 0
	table | sed 's/^/# | /'
	return 1
}
check "pool: the root waits (W) for its workers, then exits (Z)" root_strip

"$PTMON" --batch --json --timeline pool >"$dir/out" 2>"$dir/err"
echo $? >"$dir/status"
check "--timeline with --json: one ptmon: line, status 2" sh -c \
    '[ "$(cat "$1/status")" = 2 ] && [ ! -s "$1/out" ] &&
     [ "$(wc -l <"$1/err")" = 1 ] && grep -q "^ptmon: " "$1/err"' sh "$dir"

finish
