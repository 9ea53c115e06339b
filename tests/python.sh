#!/bin/sh
# ptmon -- python3 PROG: the tutorial's programs (tests/python/) traced by
# ptmon's Python tracer (src/pytrace/). Their threads are tasks under their
# Python names; --no-trace, a tracer that cannot load, or a bad control
# block leave the program running untraced to its own status; a program
# that ends by os._exit or a crash under tracing ends with its status.
# Pool workers are PoolWorker-N, spawned children (the spawn start method)
# traced as forked ones are; the program's queue.Queue and
# multiprocessing.Queue objects are the snapshots' queues.
. "$(dirname "$0")/lib.sh"

python_require

plan 30
src=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
progs=$src/tests/python
tracer=$(dirname "$PTMON")/pytrace
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# has_roles FILE ROOT_ROLE THREAD_ROLE: some snapshot shows the root with
# ROOT_ROLE and a thread of the root's process with THREAD_ROLE (by its
# Python name, as role and as the OS thread's name).
has_roles() {
	python3 - "$@" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
root = ev[0]["root"]
ok = False
for e in ev:
    if e["type"] != "snapshot":
        continue
    r = [t for t in e["tasks"] if t["tid"] == root]
    th = [t for t in e["tasks"] if t["thread"] and t["pid"] == root and
          t["role"] == sys.argv[3] and t["name"] == sys.argv[3] and
          t["gate"] == "running"]
    if r and r[0]["role"] == sys.argv[2] and th:
        ok = True
sys.exit(0 if ok else 1)
PY
}

# children_have FILE PYTHON-EXPR: over every snapshot, `seen` the set of
# (role, name) of the root's child processes, `out` the output lines.
children_have() {
	python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
root = ev[0]["root"]
seen = set()
for e in ev:
    if e["type"] == "snapshot":
        for t in e["tasks"]:
            if not t["thread"] and t["ppid"] == root:
                seen.add((t["role"], t["name"]))
out = [e["text"] for e in ev if e["type"] == "output" and "stream" not in e]
if not eval(sys.argv[2]):
    print("# children %r, output %r" % (sorted(seen), out))
    sys.exit(1)' "$1" "$2"
}

# no_roles FILE: no task of any snapshot has a role or a gate.
no_roles() {
	python3 - "$1" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
snaps = [e for e in ev if e["type"] == "snapshot"]
bad = [t for e in snaps for t in e["tasks"] if t["role"] or t["gate"] != "none"]
sys.exit(0 if snaps and not bad else 1)
PY
}

"$PTMON" --batch --json -d 1 -- python3 "$progs/thread_loop.py" 0.1 \
    >"$dir/loop.json" 2>"$dir/loop.err"
check "thread_loop.py traced: exit status 0" [ $? -eq 0 ]
check "thread_loop.py traced: nothing on stderr" [ ! -s "$dir/loop.err" ]
check "thread_loop.py: LoopThread a thread of the python process, MainThread its root" \
    has_roles "$dir/loop.json" MainThread LoopThread
check "thread_loop.py: the program's output as it prints it" sh -c \
    'grep -q "\"text\":\"thread LoopThread >>> 5\"" "$0" &&
     grep -q "\"text\":\"thread MainThread ended.\"" "$0"' "$dir/loop.json"

"$PTMON" --batch --json --no-trace -d 1 -- python3 "$progs/thread_loop.py" \
    0.1 >"$dir/plain.json" 2>"$dir/plain.err"
check "--no-trace: exit status 0, nothing on stderr" \
    sh -c '[ $1 -eq 0 ] && [ ! -s "$0" ]' "$dir/plain.err" $?
check "--no-trace: no roles, no gates" no_roles "$dir/plain.json"

# A tracer directory whose extension module is missing: the program runs
# untraced and its stderr says why, on one line.
mkdir "$dir/noext"
cp "$tracer/sitecustomize.py" "$dir/noext/"
PTMON_PYTRACE_DIR=$dir/noext "$PTMON" --batch --json -d 1 -- \
    python3 "$progs/race.py" 1000 >"$dir/noext.json" 2>"$dir/noext.err"
check "no extension module: the program ends with its status 0" [ $? -eq 0 ]
check "no extension module: one line on its stderr says why" python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
err = [e["text"] for e in ev if e["type"] == "output" and e.get("stream") == "stderr"]
out = [e["text"] for e in ev if e["type"] == "output" and "stream" not in e]
sys.exit(0 if len(err) == 1 and out == ["0"] and err[0].startswith(
    "ptmon: Python stepping is off: the tracer cannot be loaded") else 1)' \
    "$dir/noext.json"
check "no extension module: ptmon itself adds nothing" [ ! -s "$dir/noext.err" ]
check "no extension module: no roles" no_roles "$dir/noext.json"

# No tracer at all where ptmon looks: ptmon says so, the program runs.
PTMON_PYTRACE_DIR=$dir/nowhere "$PTMON" --batch -- python3 -c \
    'import sys; sys.exit(5)' 2>"$dir/nowhere.err"
check "no tracer: status 5, ptmon's one line says it runs untraced" sh -c \
    '[ $1 -eq 5 ] && [ $(wc -l <"$0") -eq 1 ] &&
     grep -q "^ptmon: Python stepping is off: .*runs untraced" "$0"' \
    "$dir/nowhere.err" $?

# The environment pointing at a descriptor that is no control block.
PYTHONPATH=$tracer PTMON_CTL_FD=99 PTMON_CTL_SIZE=4096 \
    python3 "$progs/race.py" 1000 >"$dir/badfd.out" 2>"$dir/badfd.err"
check "a bad PTMON_CTL_FD: the program runs to its end and says why once" \
    sh -c '[ $1 -eq 0 ] && [ "$(cat "$0.out")" = 0 ] &&
     [ $(wc -l <"$0.err") -eq 1 ] &&
     grep -q "^ptmon: Python stepping is off: the control block (fd 99)" \
     "$0.err"' "$dir/badfd" $?

"$PTMON" --batch --json -d 2 -- python3 "$progs/processes.py" \
    >"$dir/procs.json"
check "processes.py traced: exit status 0" [ $? -eq 0 ]
check "a forked child is Process-1 (multiprocessing) or MainProcess (os.fork)" \
    children_have "$dir/procs.json" '{("Process-1", "Process-1"),
    ("MainProcess", "MainProcess")} <= seen'

"$PTMON" --batch --json -d 1 -- python3 "$progs/pool.py" 0.3 \
    >"$dir/pool.json" 2>"$dir/pool.err"
check "pool.py traced: exit status 0, nothing on stderr" \
    sh -c '[ $1 -eq 0 ] && [ ! -s "$0" ]' "$dir/pool.err" $?
# Workers named as their roles; none keeps multiprocessing's Fork prefix.
check "pool.py: PoolWorker-1..4, processes under the main process" \
    children_have "$dir/pool.json" '({"PoolWorker-%d" % i for i in
    range(1, 5)} <= {r for r, n in seen if r == n} and
    not [r for r, n in seen if r == n and "Fork" in r])'

# The spawn start method: fresh interpreters, handed the block by the
# tracer for themselves alone, named as multiprocessing names them.
"$PTMON" --batch --json -d 1 -- python3 "$progs/spawn.py" 1 \
    >"$dir/spawn.json" 2>"$dir/spawn.err"
check "spawn.py traced: exit status 0, nothing on stderr" \
    sh -c '[ $1 -eq 0 ] && [ ! -s "$0" ]' "$dir/spawn.err" $?
check "spawn.py: the spawned Process is Spawned, under the main process" \
    children_have "$dir/spawn.json" '("Spawned", "Spawned") in seen'
# Process-1 took multiprocessing's first number: the workers are 2 and 3.
check "spawn.py: the spawn Pool's 2 workers are PoolWorker-N, exit code 0" \
    children_have "$dir/spawn.json" '(len({r for r, n in seen if r == n and
    r.startswith("PoolWorker-")}) == 2 and
    "Child exit code 0." in out and out[-1] == "Child process end.")'
"$PTMON" --batch --json --no-trace -d 1 -- python3 "$progs/spawn.py" 1 \
    >"$dir/spawn-plain.json" 2>"$dir/spawn-plain.err"
check "spawn.py --no-trace: exit status 0, nothing on stderr" \
    sh -c '[ $1 -eq 0 ] && [ ! -s "$0" ]' "$dir/spawn-plain.err" $?
spawn_plain() {
	children_have "$1" 'seen and not [r for r, n in seen if r]' &&
	    no_roles "$1"
}
check "spawn.py --no-trace: its children have no roles" \
    spawn_plain "$dir/spawn-plain.json"

"$PTMON" --batch --json -d 1 -- python3 "$progs/mp_queue.py" 0.3 \
    >"$dir/mpq.json" 2>"$dir/mpq.err"
check "mp_queue.py traced: exit status 0, nothing on stderr" \
    sh -c '[ $1 -eq 0 ] && [ ! -s "$0" ]' "$dir/mpq.err" $?
check "mp_queue.py: its Queue q in the snapshots, the reader waiting on it, 3 puts and 3 gets" \
    python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
snaps = [e for e in ev if e["type"] == "snapshot"]
qs = [s["queues"] for s in snaps if "queues" in s]
waited = any(t["role"] == "Process-2" and t["doing"] == "waiting on queue"
             for s in snaps for t in s["tasks"])
names = {q["name"] for s in qs for q in s}
most = max(((q["puts"], q["gets"]) for s in qs for q in s), default=None)
if not (waited and names == {"q"} and most == (3, 3)):
    print("# waited %r, queues %r, most puts/gets %r" %
          (waited, names, most))
    sys.exit(1)' "$dir/mpq.json"

"$PTMON" --batch --json -d 1 -- python3 "$progs/thread_queue.py" 0.3 \
    >"$dir/tq.json" 2>"$dir/tq.err"
check "thread_queue.py traced: exit status 0, nothing on stderr" \
    sh -c '[ $1 -eq 0 ] && [ ! -s "$0" ]' "$dir/tq.err" $?
# tq_has PYTHON-EXPR: some snapshot's queues (q, the only one: the
# LifoQueue is not shown) and tasks make it true.
tq_has() {
	python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
ok = False
for s in ev:
    if s["type"] != "snapshot" or "queues" not in s:
        continue
    if len(s["queues"]) != 1 or s["queues"][0]["name"] != "jobs":
        sys.exit(1)
    q, tasks = s["queues"][0], s["tasks"]
    ok = ok or eval(sys.argv[2])
sys.exit(0 if ok else 1)' "$dir/tq.json" "$1"
}
check "thread_queue.py: queue.Queue jobs shows A, B, C as reprs" \
    tq_has 'q["items"] == ["\x27A\x27", "\x27B\x27", "\x27C\x27"]'
check "thread_queue.py: Worker waits on the empty queue, counted" \
    tq_has 'q["items"] == [] and q["getters_waiting"] == 1 and any(
    t["role"] == "Worker" and t["doing"] == "waiting on queue" for t in tasks)'
check "thread_queue.py: 20 items, the 16 newest shown, 4 hidden" \
    tq_has 'q["items"] == [str(i) for i in range(4, 20)] and q["hidden"] == 4'
check "thread_queue.py: 5 got, the hidden ones first" \
    tq_has '(q["items"] == [str(i) for i in range(5, 20)] and
    "hidden" not in q and (q["puts"], q["gets"]) == (24, 9))'

"$PTMON" --batch -- python3 "$progs/exit3.py" >"$dir/exit3.out" 2>&1
check "os._exit(3) under tracing: status 3" \
    sh -c '[ $1 -eq 3 ] && [ "$(cat "$0")" = bye ]' "$dir/exit3.out" $?
"$PTMON" --batch -- python3 "$progs/crash.py" >"$dir/crash.out" 2>&1
check "os.abort() under tracing: status 134 (SIGABRT)" [ $? -eq 134 ]

finish
