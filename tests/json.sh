#!/bin/sh
# The JSON Lines stream of --batch --json: what scripts and tests read.
. "$(dirname "$0")/lib.sh"

plan 21
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
py="python3 ${SRCDIR:-$(dirname "$0")/..}/tests/json_check.py"

"$PTMON" --batch --json --seed 5 -d 1 --speed 2 pool >"$dir/pool"
check "pool: stream runs start..snapshot..end, keys present" $py stream "$dir/pool"
check "pool: root has exactly its 4 workers, pid as printed" $py pool "$dir/pool"
check "pool: every task's states, one letter per refresh" $py states "$dir/pool"
check "pool: 4 workers busy at once, never more, the root W, task 4 after an end" \
    $py pool_states "$dir/pool"
check "pool: end has the exit status" $py end "$dir/pool" 0
"$PTMON" --batch --json --seed 5 -d 1 --speed 4 pool workers=2 tasks=3 >"$dir/pool2"
check "pool workers=2: root has exactly 2 workers" $py pool "$dir/pool2"

"$PTMON" --batch --json -d 1 race iterations=100000000 >"$dir/race"
check "race: one process with MainThread, Thread-1, Thread-2" $py race "$dir/race"
check "race: last snapshot's balance equals the printed one" $py balance "$dir/race"
check "race: %CPU within 0..100 x cores" $py cpu "$dir/race"

"$PTMON" --batch --json -d 1 --speed 4 thread count=2 >"$dir/thread"
check "thread: LoopThread is a thread of the root" $py thread "$dir/thread"

check "thread: its row says it is a thread, its process's that it is not" \
    $py thread_row "$dir/thread"

"$PTMON" --batch --json -d 1 --speed 2 queue >"$dir/queue-wchan"
check "queue: the reader blocked in q.get() has a wchan, running tasks none" \
    $py wchan "$dir/queue-wchan"

"$PTMON" --batch --json -d 1 --speed 10 queue items=a,b,c,d >"$dir/queue"
check "queue: puts and gets reach the number of items" $py queue "$dir/queue"
check "queue: stream well formed" $py stream "$dir/queue"
"$PTMON" --batch --json -d 1 --seed 5 queue >"$dir/queue-states"
check "queue: the reader is W (in q.get()) before each Get" \
    $py queue_states "$dir/queue-states"

"$PTMON" --batch --json -d 1 lock iterations=100000 >"$dir/lock"
check "lock: balance 0 in the last snapshot and printed" $py balance "$dir/lock"

"$PTMON" --batch --json subprocess cmd=false >"$dir/sub"
check "subprocess: output lines of the command are events" sh -c \
	'grep -q "\"text\":\"Exit code: 1\"" "$0"' "$dir/sub"

# A command's pipe does not tell which process wrote a line: no pid is
# claimed. A thread's exit names its process and itself apart.
"$PTMON" --batch --json -- sh -c 'echo hello' >"$dir/cmd"
check "command mode: output events claim no pid (null)" python3 -c '
import json, sys
outs = [e for e in map(json.loads, open(sys.argv[1])) if e["type"] == "output"]
sys.exit(0 if outs and all(e["pid"] is None for e in outs) else 1)
' "$dir/cmd"
check "thread: LoopThread's exit has its process pid and its own tid" \
    python3 -c '
import json, sys
ev = list(map(json.loads, open(sys.argv[1])))
loop = [e for e in ev if e["type"] == "spawn" and e["name"] == "LoopThread"]
ends = [e for e in ev if e["type"] == "exit" and loop and
        e.get("tid") == loop[0]["tid"]]
sys.exit(0 if ends and ends[0]["pid"] == loop[0]["pid"] != loop[0]["tid"]
         else 1)
' "$dir/thread"

# threading.local(): each thread's own value is in its snapshot row.
"$PTMON" --batch --json -d 1 --pace 0.3 threadlocal >"$dir/tl"
check "threadlocal: Thread-A's thread_local is student=Alice, Thread-B's Bob" \
    python3 -c '
import json, sys
seen = {}
for e in map(json.loads, open(sys.argv[1])):
    for t in e.get("tasks", []) if e["type"] == "snapshot" else []:
        seen.setdefault(t["name"], set()).add(t.get("thread_local"))
sys.exit(0 if "student=Alice" in seen.get("Thread-A", ()) and
         "student=Bob" in seen.get("Thread-B", ()) and
         "student=Alice" not in seen.get("Thread-B", ()) and
         seen.get("MainThread") == {None} else 1)
' "$dir/tl"

# -n N: N refreshes, then ptmon leaves with status 0 and ends what it ran.
"$PTMON" --batch --json -d 1 -n 3 -- sleep 97 >"$dir/n3"
echo $? >"$dir/n3.status"
check "-n 3: three snapshots, then end with status 0, the command gone" \
    python3 -c '
import json, subprocess, sys
ev = list(map(json.loads, open(sys.argv[1])))
snaps = [e for e in ev if e["type"] == "snapshot"]
left = subprocess.run(["pgrep", "-f", "^sleep 97$"], capture_output=True)
sys.exit(0 if len(snaps) == 3 and ev[-1] == dict(ev[-1], type="end",
         status=0) and open(sys.argv[2]).read().strip() == "0" and
         left.returncode == 1 else 1)
' "$dir/n3" "$dir/n3.status"

finish
