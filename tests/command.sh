#!/bin/sh
# Watching any command (ptmon -- COMMAND) and any process (ptmon -p PID).
. "$(dirname "$0")/lib.sh"

plan 15
dir=$(mktemp -d)
trap 'rm -rf "$dir"; kill $sleeper 2>/dev/null' EXIT
py="python3 ${SRCDIR:-$(dirname "$0")/..}/tests/json_check.py"

"$PTMON" --batch -- sh -c 'exit 7'
check "sh -c 'exit 7' gives exit status 7" [ $? -eq 7 ]
"$PTMON" --batch -- sh -c 'kill -TERM $$'
check "a command killed by SIGTERM gives 128+15" [ $? -eq 143 ]
out=$("$PTMON" --batch -- sh -c 'echo to-stdout; echo to-stderr >&2' 2>"$dir/err")
check "stdout passes through" [ "$out" = "to-stdout" ]
check "stderr passes through to stderr" [ "$(cat "$dir/err")" = "to-stderr" ]
"$PTMON" --batch -- /nonexistent/cmd 2>"$dir/err"
check "a missing command: 127 and one clear line" sh -c \
	'[ $1 -eq 127 ] && [ $(wc -l <"$0") -eq 1 ] && grep -q "^ptmon: .*not found" "$0"' \
	"$dir/err" $?
echo 'echo hi' >"$dir/noexec"
chmod 644 "$dir/noexec"
"$PTMON" --batch -- "$dir/noexec" 2>"$dir/err"
check "a command that is not executable: 126" sh -c \
	'[ $1 -eq 126 ] && grep -q "^ptmon: " "$0"' "$dir/err" $?
# To a pipe, the bytes pass as cat would pass them (a terminal gets them
# inert: hostile.sh).
out=$("$PTMON" --batch -- printf 'a\033]0;pwned\007b\n')
check "command output to a pipe passes byte for byte" \
	[ "$out" = "$(printf 'a\033]0;pwned\007b')" ]

cat >"$dir/pool.py" <<'PY'
import multiprocessing, time
def work(i):
    time.sleep(0.6)
    return i
if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    with multiprocessing.Pool(4) as p:
        print(sum(p.map(work, range(4))))
PY
"$PTMON" --batch --json -d 2 -- python3 "$dir/pool.py" >"$dir/pool.json"
check "python Pool: stream well formed" $py stream "$dir/pool.json"
check "python Pool: four worker processes under the Python root" python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
root = ev[0]["root"]
best = 0
for s in ev:
    if s["type"] == "snapshot":
        kids = [t for t in s["tasks"] if not t["thread"] and t["ppid"] == root]
        if all(t["depth"] == 1 for t in kids):
            best = max(best, len(kids))
out = [e["text"] for e in ev if e["type"] == "output"]
sys.exit(0 if best == 4 and out == ["6"] else 1)' "$dir/pool.json"

cat >"$dir/thread.py" <<'PY'
import threading, time
t = threading.Thread(target=time.sleep, args=(0.6,), name="LoopThread")
t.start()
t.join()
PY
"$PTMON" --batch --json -d 2 -- python3 "$dir/thread.py" >"$dir/thread.json"
check "python thread: a second task of its process" python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
root = ev[0]["root"]
ok = any(len(s["tasks"]) >= 2 and any(t["thread"] and t["pid"] == root and
         t["tid"] != root for t in s["tasks"])
         for s in ev if s["type"] == "snapshot")
sys.exit(0 if ok else 1)' "$dir/thread.json"

sh -c 'sleep 30 & sleep 30 & wait' &
sleeper=$!
sleep 0.3
"$PTMON" --batch --json -d 2 -p $sleeper >"$dir/attach.json" &
ptmon=$!
sleep 0.6
kill $sleeper
wait $ptmon
check "attach ends when the process ends, with status 0" [ $? -eq 0 ]
check "attach shows the shell's two sleeping children" python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
root = int(sys.argv[2])
ok = any(len([t for t in s["tasks"] if t["ppid"] == root and
              t["name"] == "sleep"]) == 2
         for s in ev if s["type"] == "snapshot")
sys.exit(0 if ok and ev[0]["attach"] == "pid %d" % root else 1)' \
	"$dir/attach.json" $sleeper
pkill -P $sleeper sleep 2>/dev/null

"$PTMON" --batch -p 2147483 2>"$dir/err"
check "-p of a pid that does not exist: status 2, one line" sh -c \
	'[ $1 -eq 2 ] && [ $(wc -l <"$0") -eq 1 ]' "$dir/err" $?

# The hard case: grandchildren, one in a process group of its own, when
# ptmon is killed with SIGKILL: the keeper ends the whole session.
"$PTMON" --batch --json -d 1 -- sh -c \
	'sh -c "sleep 30" & set -m; sleep 31 & sleep 32' >"$dir/hard.json" &
ptmon=$!
sleep 0.5
root=$(sed -n '1s/.*"root":\([0-9]*\).*/\1/p' "$dir/hard.json")
members=$(ps -e -o pid=,sid=,stat= | awk -v s="$root" '$2 == s && $3 !~ /^Z/' | wc -l)
kill -KILL $ptmon
wait $ptmon 2>/dev/null
gone() {
	for i in $(seq 20); do
		[ -z "$(ps -e -o pid=,sid=,stat= | awk -v s="$root" '$2 == s && $3 !~ /^Z/')" ] && return 0
		sleep 0.05
	done
	return 1
}
check "SIGKILL of ptmon ends a command's grandchildren ($members tasks)" \
	sh -c '[ "$0" -ge 4 ]' "$members"
check "... within one second, other process groups included" gone

finish
