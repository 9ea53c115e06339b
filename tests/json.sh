#!/bin/sh
# The JSON Lines stream of --batch --json: what scripts and tests read.
. "$(dirname "$0")/lib.sh"

plan 12
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
py="python3 ${SRCDIR:-$(dirname "$0")/..}/tests/json_check.py"

"$PTMON" --batch --json --seed 5 -d 1 --speed 2 pool >"$dir/pool"
check "pool: stream runs start..snapshot..end, keys present" $py stream "$dir/pool"
check "pool: root has exactly its 4 workers, pid as printed" $py pool "$dir/pool"
check "pool: end has the exit status" $py end "$dir/pool" 0
"$PTMON" --batch --json --seed 5 -d 1 --speed 4 pool workers=2 tasks=3 >"$dir/pool2"
check "pool workers=2: root has exactly 2 workers" $py pool "$dir/pool2"

"$PTMON" --batch --json -d 1 race iterations=100000000 >"$dir/race"
check "race: one process with MainThread, Thread-1, Thread-2" $py race "$dir/race"
check "race: last snapshot's balance equals the printed one" $py balance "$dir/race"
check "race: %CPU within 0..100 x cores" $py cpu "$dir/race"

"$PTMON" --batch --json -d 1 --speed 4 thread count=2 >"$dir/thread"
check "thread: LoopThread is a thread of the root" $py thread "$dir/thread"

"$PTMON" --batch --json -d 1 --speed 10 queue items=a,b,c,d >"$dir/queue"
check "queue: puts and gets reach the number of items" $py queue "$dir/queue"
check "queue: stream well formed" $py stream "$dir/queue"

"$PTMON" --batch --json -d 1 lock iterations=100000 >"$dir/lock"
check "lock: balance 0 in the last snapshot and printed" $py balance "$dir/lock"

"$PTMON" --batch --json subprocess cmd=false >"$dir/sub"
check "subprocess: output lines of the command are events" sh -c \
	'grep -q "\"text\":\"Exit code: 1\"" "$0"' "$dir/sub"

finish
