#!/usr/bin/env python3
"""Checks of ptmon's JSON Lines stream, one per subcommand.

Usage: json_check.py CHECK FILE. Exits 0 when the check holds, else prints
why (as a TAP comment) and exits 1.
"""
import json
import os
import re
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def fail(why):
    print("# " + why)
    sys.exit(1)


def snapshots(events):
    return [e for e in events if e["type"] == "snapshot"]


def outputs(events):
    return [e["text"] for e in events if e["type"] == "output"]


def check_stream(events):
    """Every line is an object with type and t; start first, end last."""
    if events[0]["type"] != "start" or events[-1]["type"] != "end":
        fail("stream does not run from start to end")
    if events[-2]["type"] != "snapshot":
        fail("no last snapshot before end")
    last = 0.0
    for e in events:
        if e.get("type") not in ("start", "output", "spawn", "exit",
                                 "snapshot", "end"):
            fail("bad type %r" % e.get("type"))
        if not isinstance(e.get("t"), (int, float)) or e["t"] < last - 0.001:
            fail("t missing or going back: %r" % e)
        last = e["t"]
    start = events[0]
    if start["pid"] <= 0 or not (start.get("scenario") or
                                 start.get("command") or start.get("attach")):
        fail("start lacks pid or what it watches")
    keys = {"pid", "tid", "ppid", "name", "role", "state", "cpu", "gate", "at"}
    for s in snapshots(events):
        for t in s["tasks"]:
            if not keys <= set(t):
                fail("task lacks %s" % (keys - set(t)))


def check_pool(events):
    """The root has exactly its workers as children; its pid is printed."""
    m = [re.match(r"Parent process (\d+)\.$", o) for o in outputs(events)]
    parent = [int(x.group(1)) for x in m if x]
    if not parent or parent[0] != events[0]["root"]:
        fail("Parent process line %r does not match root %d"
             % (parent, events[0]["root"]))
    root = parent[0]
    workers = int(events[0]["params"]["workers"])
    seen = False
    for s in snapshots(events):
        procs = [t for t in s["tasks"] if not t["thread"]]
        kids = [t for t in procs if t["ppid"] == root]
        if len(kids) != workers:
            continue
        seen = True
        if procs[0]["pid"] != root or procs[0]["depth"] != 0:
            fail("root is not first in tree order")
        for k in kids:
            if k["depth"] != 1 or not k["name"].startswith("PoolWorker-"):
                fail("worker %r misplaced" % k)
        if len(procs) != workers + 1:
            fail("tree has %d processes, want %d" % (len(procs), workers + 1))
    if not seen:
        fail("no snapshot showed %d workers under %d" % (workers, root))
    spawned = [e for e in events if e["type"] == "spawn" and e["ppid"] == root]
    if len(spawned) != workers:
        fail("%d spawn events under the root" % len(spawned))


def check_race_threads(events):
    """One process: MainThread (tid == pid), Thread-1 and Thread-2."""
    for s in snapshots(events):
        names = sorted(t["name"] for t in s["tasks"])
        if names != ["MainThread", "Thread-1", "Thread-2"]:
            continue
        procs = [t for t in s["tasks"] if not t["thread"]]
        threads = [t for t in s["tasks"] if t["thread"]]
        if len(procs) != 1 or procs[0]["pid"] != events[0]["root"]:
            fail("race is not one process")
        for t in threads:
            if t["pid"] != procs[0]["pid"] or t["tid"] == t["pid"]:
                fail("thread %r is not a thread of the root" % t)
            if t["depth"] != 1:
                fail("thread not under its process")
        return
    fail("no snapshot shows MainThread, Thread-1 and Thread-2")


def check_thread(events):
    """LoopThread is a thread (tid != pid) of the root."""
    root = events[0]["root"]
    for s in snapshots(events):
        for t in s["tasks"]:
            if t["name"] == "LoopThread":
                if t["pid"] != root or t["tid"] == root or not t["thread"]:
                    fail("LoopThread %r is not a thread of %d" % (t, root))
                return
    fail("LoopThread never seen")


def check_queue(events):
    """Puts and gets reach the number of items."""
    n = len(events[0]["params"]["items"].split(","))
    q = snapshots(events)[-1]["queue"]
    if q["puts"] != n or q["gets"] != n or q["items"] != []:
        fail("last queue %r, want %d puts and gets" % (q, n))


def check_balance(events):
    """The last snapshot's balance equals the printed one."""
    printed = int(outputs(events)[-1])
    b = snapshots(events)[-1]["balance"]
    if b["value"] != printed or b["expected"] != 0:
        fail("balance %r, printed %d" % (b, printed))


def check_cpu(events):
    """%CPU within 0..100 x cores, and someone used some."""
    top = 100.0 * os.cpu_count()
    busy = 0.0
    for s in snapshots(events):
        for t in s["tasks"]:
            if not 0.0 <= t["cpu"] <= top:
                fail("cpu %r out of range" % t["cpu"])
            busy = max(busy, t["cpu"])
    if busy < 10:
        fail("race threads never showed CPU use (max %.1f)" % busy)


def check_end_status(events):
    """end carries the exit status."""
    if events[-1]["status"] != int(sys.argv[3]):
        fail("end status %r, want %s" % (events[-1]["status"], sys.argv[3]))


def check_wchan(events):
    """Every task has a wchan; a running one an empty one; the queue's
    reader, blocked in q.get(), names what it waits in."""
    seen = False
    for s in snapshots(events):
        for t in s["tasks"]:
            if not isinstance(t.get("wchan"), str):
                fail("task without a wchan string: %r" % t)
            if t["state"] == "R" and t["wchan"] != "":
                fail("a running task has a wchan: %r" % t)
            if (t["name"] == "reader" and t["state"] == "S" and
                    t["doing"] == "waiting on queue" and t["wchan"]):
                seen = True
    if not seen:
        fail("the reader never showed a wchan while waiting on the queue")


def check_thread_row(events):
    """A thread's row says it is one; its process's row says it is not."""
    root = events[0]["root"]
    for s in snapshots(events):
        rows = {t["tid"]: t for t in s["tasks"]}
        loop = [t for t in s["tasks"] if t["name"] == "LoopThread"]
        if not loop or root not in rows:
            continue
        if loop[0]["thread"] is not True or rows[root]["thread"] is not False:
            fail("thread flags wrong: %r, %r" % (loop[0], rows[root]))
        if loop[0]["depth"] != rows[root]["depth"] + 1:
            fail("the thread is not right under its process")
        return
    fail("no snapshot with LoopThread and its process")


def root_rows(events):
    """The root's process row in each snapshot that has it, in order."""
    root = events[0]["root"]
    rows = []
    for s in snapshots(events):
        for t in s["tasks"]:
            if t["tid"] == root:
                rows.append(t)
    return rows


def check_renamed(events):
    """A thread that renames itself after it started, and the process's
    main thread that does the same, show their new names."""
    root = events[0]["root"]
    before = after = False
    for s in snapshots(events):
        for t in s["tasks"]:
            if t["pid"] != root or not t["thread"]:
                continue
            if t["name"] == "python3":
                before = True
            if t["name"] == "renamed-thread":
                after = before
    if not after:
        fail("the thread was not seen first as python3, then renamed-thread")
    rows = root_rows(events)
    if not rows or rows[0]["name"] != "python3":
        fail("the process row did not start as python3: %r" % rows[:1])
    if rows[-1]["name"] != "renamed-main":
        fail("the process row ends named %r, not renamed-main" %
             rows[-1]["name"])


def check_exec_cmdline(events):
    """The root's command line is the one it started with, then, after it
    execs, the new one (sys.argv[3] at the end of it)."""
    rows = root_rows(events)
    if not rows:
        fail("no snapshot with the root")
    if rows[0]["cmdline"].endswith(sys.argv[3]):
        fail("the first command line is already the new one: %r" %
             rows[0]["cmdline"])
    last = [r for r in rows if r["cmdline"].endswith(sys.argv[3])]
    if not last or last[-1] is not rows[-1]:
        fail("the last command line is %r, not one ending in %r" %
             (rows[-1]["cmdline"], sys.argv[3]))


def check_reuse(events):
    """Two children, "first" then "second", got the same pid (the script
    says so: "A pid" and "B pid"); each row under that pid has the command
    line of the child that had it then, never the other's."""
    pids = {}
    for line in outputs(events):
        m = re.match(r"([AB]) (\d+)$", line.strip())
        if m:
            pids[m.group(1)] = int(m.group(2))
    if pids.get("A") is None or pids.get("A") != pids.get("B"):
        fail("the children did not share a pid: %r" % pids)
    pid = pids["A"]
    seen = []
    for s in snapshots(events):
        for t in s["tasks"]:
            if t["tid"] != pid:
                continue
            word = t["cmdline"].split(" ")[-1]
            if not seen or seen[-1] != word:
                seen.append(word)
    if seen != ["first", "second"]:
        fail("the pid's command lines went %r, not first then second" % seen)


def check_late_kids(events):
    """A quiet tree's late changes show in the next snapshot: after the
    output line "NAME up PID PPID" every later snapshot has task PID, with
    that PPID, until the output line "NAME down" (the script says "up" only
    once the task is where it says)."""
    since = {}
    late = []
    for e in events:
        if e["type"] == "output":
            m = re.match(r"(\S+) up (\d+) (\d+)$", e["text"].strip())
            if m:
                since[m.group(1)] = (int(m.group(2)), int(m.group(3)))
            m = re.match(r"(\S+) down$", e["text"].strip())
            if m:
                since.pop(m.group(1), None)
        elif e["type"] == "snapshot":
            rows = {t["tid"]: t for t in e["tasks"]}
            for name, (pid, ppid) in since.items():
                row = rows.get(pid)
                if row is None or row["ppid"] != ppid:
                    late.append("%s at t=%.2f: %r" % (name, e["t"], row))
    seen = set()
    for e in events:
        if e["type"] == "output":
            m = re.match(r"(\S+) up ", e["text"].strip())
            if m:
                seen.add(m.group(1))
    if seen != {"late-child", "orphan"}:
        fail("the script did not say both were up: %r" % sorted(seen))
    if late:
        fail("missing or misplaced in a snapshot after it was up: " +
             "; ".join(late[:3]))


def check_rss_state(events):
    """The process that holds 64 MiB shows at least that much RSS; its
    spinning thread runs (R) with %CPU, its sleeping one sleeps (S)."""
    root = events[0]["root"]
    rss = spin_r = sleep_s = 0
    for s in snapshots(events):
        for t in s["tasks"]:
            if t["pid"] != root:
                continue
            if not t["thread"]:
                rss = max(rss, t["rss"])
            elif t["name"] == "spinner" and t["state"] == "R" and \
                    t["cpu"] > 10:
                spin_r += 1
            elif t["name"] == "sleeper" and t["state"] == "S":
                sleep_s += 1
    if rss < 64 * 1024 or rss > 1024 * 1024:
        fail("RSS %d KiB, not 64 MiB and some" % rss)
    if spin_r == 0 or sleep_s == 0:
        fail("spinner seen running %d times, sleeper sleeping %d" %
             (spin_r, sleep_s))


def check_all_threads(events):
    """Each snapshot while the root's threads are all up has every one of
    them (sys.argv[3] tasks in the process), each named worker-N."""
    root = events[0]["root"]
    want = int(sys.argv[3])
    full = 0
    for s in snapshots(events):
        rows = [t for t in s["tasks"] if t["pid"] == root]
        names = [t["name"] for t in rows if t["thread"]]
        if len(rows) == want:
            full += 1
            if any(not re.match(r"worker-\d+$", n) for n in names):
                fail("a thread with a wrong name: %r" % names)
        elif full:
            break
    if full < 2:
        fail("fewer than two snapshots with all %d tasks" % want)


def check_thread_swap(events):
    """A thread that ends while another starts (the thread count stays
    the same) is replaced by the new one in some snapshot."""
    root = events[0]["root"]
    for s in snapshots(events):
        names = [t["name"] for t in s["tasks"]
                 if t["pid"] == root and t["thread"]]
        if "new-one" in names and "old-one" not in names:
            return
    fail("no snapshot shows new-one in old-one's place")


STATE_LETTERS = set("RrSWPZ.")


def check_states(events):
    """Each task carries its states, one letter per refresh: as many
    letters as snapshots so far (at most 200) for a task there from the
    first, letters of the alphabet only, and an exited task Z."""
    snaps = snapshots(events)
    root = events[0]["root"]
    for n, s in enumerate(snaps, 1):
        for t in s["tasks"]:
            st = t.get("states")
            if not isinstance(st, str) or not set(st) <= STATE_LETTERS:
                fail("bad states %r in %r" % (st, t["name"]))
            if len(st) > 200:
                fail("states longer than 200")
            if t["tid"] == root and len(st) != min(n, 200):
                fail("root has %d states in snapshot %d" % (len(st), n))
    if not any(t["tid"] == root for s in snaps for t in s["tasks"]):
        fail("root never seen")


def last_strips(events, pred):
    """The states of the tasks pred picks, from the last snapshot that has
    them all (the longest history)."""
    best = {}
    for s in snapshots(events):
        got = {t["tid"]: t["states"] for t in s["tasks"] if pred(t)}
        if len(got) >= len(best):
            best = got
    return best


def check_pool_states(events):
    """The pool's strips: never more than `workers` workers busy (S, R, r)
    in one refresh, all of them busy at once in one, and the root waiting
    (W) in p.join(); task number `workers` starts after a task ended."""
    workers = int(events[0]["params"]["workers"])
    root = events[0]["root"]
    strips = last_strips(events, lambda t: t["name"].startswith("PoolWorker"))
    if len(strips) != workers:
        fail("%d worker strips, want %d" % (len(strips), workers))
    width = max(len(v) for v in strips.values())
    most = 0
    for c in range(width):
        busy = sum(1 for v in strips.values()
                   if len(v) == width and v[c] in "SRr")
        most = max(most, busy)
    if most != workers:
        fail("at most %d workers busy at once, want %d: %r" %
             (most, workers, strips))
    roots = last_strips(events, lambda t: t["tid"] == root)
    if "W" not in roots.get(root, ""):
        fail("the root never waits: %r" % roots)
    # The task past the pool's size starts only once a worker is free.
    tasks = int(events[0]["params"]["tasks"])
    if tasks > workers:
        out = outputs(events)
        first_end = min(i for i, t in enumerate(out)
                        if re.match(r"Task \d+ runs ", t))
        late = [i for i, t in enumerate(out)
                if t.startswith("Run task %d " % workers)]
        if not late or late[0] < first_end:
            fail("task %d started before any task ended: %r" % (workers, out))


def check_queue_states(events):
    """The reader is W (blocked in q.get()) in some snapshot between each
    Get and the Get before it."""
    reader = None
    waited, gets = False, 0
    for e in events:
        if e["type"] == "output" and e["text"].startswith("Process to read: "):
            reader = int(e["text"].split(": ")[1])
        elif e["type"] == "snapshot" and reader is not None:
            for t in e["tasks"]:
                if t["tid"] == reader and t["states"].endswith("W"):
                    waited = True
        elif e["type"] == "output" and e["text"].startswith("Get "):
            gets += 1
            if gets > 1 and not waited:
                fail("the reader was not W before %r" % e["text"])
            waited = False
    if gets < 2:
        fail("only %d gets" % gets)
def check_cores(events):
    """The scenario process used between sys.argv[3] and sys.argv[4]
    cores: the CPU time of its whole thread group (its process row) over
    the wall time between the first and the last snapshot that show it
    with all its loop threads (so start-up and the joins do not count)."""
    root = events[0]["root"]
    lo, hi = float(sys.argv[3]), float(sys.argv[4])
    want = int(events[0]["params"]["threads"])
    seen = []
    for s in snapshots(events):
        rows = [t for t in s["tasks"] if t["pid"] == root]
        procs = [t for t in rows if not t["thread"]]
        loops = [t for t in rows if t["thread"] and
                 re.match(r"Thread-\d+$", t["name"])]
        if procs and len(loops) == want:
            seen.append((s["t"], procs[0]["time"]))
    if len(seen) < 2 or seen[-1][0] - seen[0][0] < 1.0:
        fail("the loops were seen for less than a second: %r" % seen)
    cores = (seen[-1][1] - seen[0][1]) / (seen[-1][0] - seen[0][0])
    print("# %.2f cores over %.1f s" % (cores, seen[-1][0] - seen[0][0]))
    if lo <= cores <= hi:
        return
    # sys.argv[5]: the cores the whole machine was busy during the run
    # (/proc/stat). When other work took some, the loops count as
    # parallel if they had most of what was left and clearly more than
    # the one core a single thread can use.
    if cores < lo and len(sys.argv) > 5:
        others = max(0.0, float(sys.argv[5]) - cores)
        left = os.cpu_count() - others
        print("# the machine: %.2f cores busy, %.2f of them others'" %
              (float(sys.argv[5]), others))
        if cores >= 0.75 * left and cores > 1.1:
            return
    fail("%.2f cores, not within %s..%s" % (cores, lo, hi))


def check_loop_threads(events):
    """The root process has threads Thread-1..Thread-N (N = threads=)
    and no other thread but itself; with gil=1 some snapshot shows one
    of them waiting on the lock (the GIL)."""
    root = events[0]["root"]
    params = events[0]["params"]
    want = ["Thread-%d" % i for i in range(1, int(params["threads"]) + 1)]
    names = set()
    waited = False
    for s in snapshots(events):
        for t in s["tasks"]:
            if t["pid"] != root or not t["thread"]:
                continue
            names.add(t["name"])
            waited |= t["doing"] == "waiting on lock"
    if sorted(names) != sorted(want):
        fail("threads %r, want %r" % (sorted(names), want))
    if params["gil"] == "1" and not waited:
        fail("gil=1: no thread was ever seen waiting on the lock")
    if params["gil"] == "0" and waited:
        fail("gil=0: a thread waited on a lock")


def check_manager(events):
    """manager: each Result is n * n = n*n for a Put task n, ten of each;
    sys.argv[3] workers each ran some task; the snapshots show both named
    queues, the task queue holding tasks at some point."""
    out = outputs(events)
    put = sorted(int(m.group(1)) for m in
                 (re.fullmatch(r"Put task (\d+)\.\.\.", t) for t in out) if m)
    got = []
    for t in out:
        m = re.fullmatch(r"Result: (\d+) \* (\d+) = (\d+)", t)
        if m:
            a, b, c = (int(x) for x in m.groups())
            if a != b or a * a != c:
                fail("wrong result line %r" % t)
            got.append(a)
    if len(put) != 10 or sorted(got) != put:
        fail("puts %r, results %r" % (put, sorted(got)))
    pids = {e["pid"] for e in events if e["type"] == "output" and
            re.fullmatch(r"run task \d+ \* \d+\.\.\.", e["text"])}
    if len(pids) != int(sys.argv[3]):
        fail("%d workers ran tasks, want %s" % (len(pids), sys.argv[3]))
    held = False
    for s in snapshots(events):
        names = [q["name"] for q in s.get("queues", [])]
        if names != ["task_queue", "result_queue"]:
            fail("snapshot queues %r" % names)
        if s["queue"]["items"] != s["queues"][0]["items"]:
            fail("queue is not the first of queues")
        held = held or len(s["queues"][0]["items"]) > 0
    if not held:
        fail("no snapshot shows a task waiting in task_queue")


CHECKS = {
    "stream": check_stream, "pool": check_pool, "race": check_race_threads,
    "thread": check_thread, "queue": check_queue, "balance": check_balance,
    "cpu": check_cpu, "end": check_end_status, "wchan": check_wchan,
    "thread_row": check_thread_row, "renamed": check_renamed,
    "exec_cmdline": check_exec_cmdline, "reuse": check_reuse,
    "rss_state": check_rss_state, "all_threads": check_all_threads,
    "thread_swap": check_thread_swap, "states": check_states,
    "pool_states": check_pool_states, "queue_states": check_queue_states,
    "cores": check_cores, "loop_threads": check_loop_threads,
    "manager": check_manager, "late_kids": check_late_kids,
}

if __name__ == "__main__":
    try:
        evs = load(sys.argv[2])
    except (OSError, ValueError) as e:
        fail("not JSON Lines: %s" % e)
    CHECKS[sys.argv[1]](evs)
