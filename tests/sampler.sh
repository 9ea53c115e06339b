#!/bin/sh
# The sampler against tasks that change under it: a thread that renames
# itself, a process that execs, a pid that a new process gets again, RSS and
# state, and a tree read with too few fds to keep its files open.
. "$(dirname "$0")/lib.sh"

plan 9
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
py="python3 ${SRCDIR:-$(dirname "$0")/..}/tests/json_check.py"

cat >"$dir/rename.py" <<'PY'
import ctypes, threading, time
libc = ctypes.CDLL(None)
def work():
    time.sleep(1.5)
    libc.prctl(15, b"renamed-thread", 0, 0, 0)   # PR_SET_NAME
    time.sleep(2)
t = threading.Thread(target=work)
t.start()
time.sleep(1.5)
libc.prctl(15, b"renamed-main", 0, 0, 0)
t.join()
PY
# Untraced (--no-trace): ptmon's tracer would name the thread Thread-1 first.
# The interpreter itself: a python3 on PATH may be a wrapper script (pyenv's
# shim runs bash first), and the first row must already be python3.
python=$(python3 -c 'import sys; print(sys.executable)')
"$PTMON" --batch --json -d 3 --no-trace -- "$python" "$dir/rename.py" \
    >"$dir/rename"
check "a thread and a process that rename themselves show the new names" \
    $py renamed "$dir/rename"

# A tree that has been quiet for a while (the sampler may then take each
# task's children from its last read) still shows a process forked late,
# and an orphan the moment it is given to a subreaper of the tree: each in
# every snapshot after the script says it is there.
cat >"$dir/late.py" <<'PY'
import ctypes, os, sys, time
libc = ctypes.CDLL(None)
libc.prctl(36, 1, 0, 0, 0)              # PR_SET_CHILD_SUBREAPER
main = os.getpid()
def say(text):
    os.write(1, (text + "\n").encode())
time.sleep(1.2)                         # a dozen quiet refreshes
child = os.fork()
if child == 0:
    say("late-child up %d %d" % (os.getpid(), main))
    orphan = os.fork()
    if orphan == 0:
        while os.getppid() != main:     # its parent has ended
            time.sleep(0.01)
        say("orphan up %d %d" % (os.getpid(), main))
        time.sleep(1.2)
        say("orphan down")
        os._exit(0)
    time.sleep(1.2)
    say("late-child down")
    os._exit(0)
os.waitpid(child, 0)
os.wait()
PY
"$PTMON" --batch --json -d 1 --no-trace -- "$python" "$dir/late.py" \
    >"$dir/late"
check "a quiet tree: a late child and a new orphan show at once" \
    $py late_kids "$dir/late"

# exec changes comm (sh -> python3): the command line is read again at once.
"$PTMON" --batch --json -d 3 -- sh -c \
    'sleep 1; exec python3 -c "import time; time.sleep(2)" after-exec' \
    before-exec >"$dir/exec"
check "a process that execs shows its new command line" \
    $py exec_cmdline "$dir/exec" after-exec

# exec that keeps comm (python3 -> python3): read again within 16 reads.
"$PTMON" --batch --json -d 1 -- python3 -c 'import os, sys, time
time.sleep(1)
os.execv(sys.executable,
    [sys.executable, "-c", "import time; time.sleep(3)", "after-exec"])' \
    >"$dir/exec2"
check "... also when its comm stays the same" \
    $py exec_cmdline "$dir/exec2" after-exec

# Two children that get the same pid, in a pid namespace of our own, where
# ns_last_pid says which pid comes next. "starved": 40 idle threads spend
# the fds a limit of 64 leaves the sampler, so the children's stat is
# opened afresh on each read and the start time must tell them apart.
cat >"$dir/reuse.py" <<'PY'
import subprocess, sys, threading, time
if len(sys.argv) > 1:
    stop = threading.Event()
    for _ in range(40):
        threading.Thread(target=stop.wait, daemon=True).start()
a = subprocess.Popen(["python3", "-c", "import time; time.sleep(1.5)",
    "first"])
print("A", a.pid, flush=True)
a.wait()
with open("/proc/sys/kernel/ns_last_pid", "w") as f:
    f.write(str(a.pid - 1))
b = subprocess.Popen(["python3", "-c", "import time; time.sleep(1.5)",
    "second"])
print("B", b.pid, flush=True)
b.wait()
PY
reuse() {
	unshare --pid --fork --mount-proc sh -c \
	    'ulimit -n "$1"; exec "$0" --batch --json -d 5 -- python3 "$2" $3' \
	    "$PTMON" "$@"
}
if [ "$(id -u)" = 0 ] && unshare --pid --fork --mount-proc true 2>/dev/null
then
	reuse 1024 "$dir/reuse.py" >"$dir/reuse"
	check "a pid used again is a new task, with its own command line" \
	    $py reuse "$dir/reuse"
	reuse 64 "$dir/reuse.py" starved >"$dir/reuse2"
	check "... also when its stat file could not be kept open" \
	    $py reuse "$dir/reuse2"
else
	skip "a pid used again is a new task" "needs root and unshare --pid"
	skip "... also when its stat file could not be kept open" \
	    "needs root and unshare --pid"
fi

# The task directory is read again only when the thread count changes or a
# thread is gone: one ends and another starts between two reads.
cat >"$dir/swap.py" <<'PY'
import ctypes, threading, time
libc = ctypes.CDLL(None)
def work(name, secs):
    libc.prctl(15, name, 0, 0, 0)
    time.sleep(secs)
t = threading.Thread(target=work, args=(b"old-one", 1.5))
t.start()
t.join()
t = threading.Thread(target=work, args=(b"new-one", 1.5))
t.start()
t.join()
PY
"$PTMON" --batch --json -d 3 -- python3 "$dir/swap.py" >"$dir/swap"
check "a thread that starts as another ends, the count the same, shows" \
    $py thread_swap "$dir/swap"

cat >"$dir/rss.py" <<'PY'
import ctypes, threading, time
libc = ctypes.CDLL(None)
block = b"x" * (64 << 20)
def spin():
    libc.prctl(15, b"spinner", 0, 0, 0)
    end = time.time() + 2.5
    while time.time() < end:
        pass
def sleep():
    libc.prctl(15, b"sleeper", 0, 0, 0)
    time.sleep(2.5)
threads = [threading.Thread(target=f) for f in (spin, sleep)]
for t in threads:
    t.start()
for t in threads:
    t.join()
PY
"$PTMON" --batch --json -d 3 -- python3 "$dir/rss.py" >"$dir/rss"
check "RSS from stat's pages, a spinning thread R with %CPU, a sleeper S" \
    $py rss_state "$dir/rss"

# 60 threads under a limit of 64 fds: most files are opened on each read.
cat >"$dir/many.py" <<'PY'
import ctypes, threading, time
libc = ctypes.CDLL(None)
def work(n):
    libc.prctl(15, b"worker-%d" % n, 0, 0, 0)
    time.sleep(2.5)
threads = [threading.Thread(target=work, args=(n,)) for n in range(60)]
for t in threads:
    t.start()
for t in threads:
    t.join()
PY
sh -c 'ulimit -n 64; exec "$0" --batch --json -d 3 -- python3 "$1"' \
    "$PTMON" "$dir/many.py" >"$dir/many"
check "61 tasks read with a budget of 32 fds: every one, named" \
    $py all_threads "$dir/many" 61

finish
