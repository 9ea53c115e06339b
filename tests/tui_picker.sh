#!/bin/sh
# What a newcomer meets: ptmon with no options, each of the ten
# scenarios started from the picker (Down and Enter) at default settings.
# While it runs, the tree shows every task the scenario creates, each for
# long enough to be caught by screen captures; once it ends, its last tree
# stays, the root with its exit status. Then 0 brings the picker back.
# Last, frames come when something happens, not only on the tick, and
# watching for such events costs next to nothing.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
plan 25
tui_start 120 40 || { echo "Bail out! cannot start tmux"; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ptmon-picker.XXXXXX") || exit 1
trap 'tui_cleanup; rm -rf "$WORK"' EXIT

# The rows of the process tree on the screen read from stdin: they start
# with a PID and a TID.
tree_rows() {
	grep -E '^ *[0-9]+ +[0-9]+ '
}

# count_tasks FILE TASK...: how many of the TASKs are rows of FILE's tree.
count_tasks() {
	ct_file=$1
	shift
	ct_n=0
	for task in "$@"; do
		tree_rows <"$ct_file" | grep -Eq -- "[ {]$task([} ]|\$)" &&
		    ct_n=$((ct_n + 1))
	done
	echo "$ct_n"
}

# run_from_picker N NAME TASK...: picks scenario N (1-based) with Down and
# Enter, then captures the screen until the header says it has finished
# (at most 60 s): $WORK/NAME.run holds the tree rows seen while it ran,
# $WORK/NAME.best the first screen with the most TASKs on it,
# $WORK/NAME.end the last screen. With PTMON_SCREENS set, the best and
# the last screens are kept there as NAME.txt and NAME-end.txt.
run_from_picker() {
	rp_n=$1
	rp_name=$2
	shift 2
	rp_tasks=$*
	tui_wait 'Pick a scenario' 5 || return 1
	tui_keys Home
	i=1
	while [ "$i" -lt "$rp_n" ]; do tui_keys Down; i=$((i + 1)); done
	tui_keys Enter
	tui_wait "ptmon  $rp_name: " 5 || return 1
	: >"$WORK/$rp_name.run"
	best=-1
	tries=1200
	while [ "$tries" -gt 0 ]; do
		tui_screen >"$WORK/screen"
		if grep -q 'FINISHED' "$WORK/screen"; then
			cp "$WORK/screen" "$WORK/$rp_name.end"
			save_screens "$rp_name"
			return 0
		fi
		tree_rows <"$WORK/screen" >>"$WORK/$rp_name.run"
		# shellcheck disable=SC2086 # one word per task name
		got=$(count_tasks "$WORK/screen" $rp_tasks)
		if [ "$got" -gt "$best" ]; then
			best=$got
			cp "$WORK/screen" "$WORK/$rp_name.best"
		fi
		sleep 0.05
		tries=$((tries - 1))
	done
	diag "$rp_name did not finish in 60 s"
	sed 's/^/#   | /' "$WORK/screen"
	return 1
}

# save_screens NAME: with PTMON_SCREENS set, keeps NAME's best and last
# screens there (doc/screens is made so, see its README.md).
save_screens() {
	[ -n "${PTMON_SCREENS:-}" ] || return 0
	sed -e 's/[[:space:]]*$//' "$WORK/$1.best" >"$PTMON_SCREENS/$1.txt"
	sed -e 's/[[:space:]]*$//' "$WORK/$1.end" >"$PTMON_SCREENS/$1-end.txt"
}

# seen_running NAME TASK...: every TASK was a row of the tree while it ran
# (a thread's name is in braces).
seen_running() {
	sr_name=$1
	shift
	for task in "$@"; do
		if ! grep -Eq -- "[ {]$task([} ]|\$)" "$WORK/$sr_name.run"; then
			diag "$sr_name: $task never seen in the tree while it ran"
			sort -u "$WORK/$sr_name.run" | head -n 20 | sed 's/^/#   | /'
			return 1
		fi
	done
}

# kept_at_end NAME ROOT TASK...: the last screen still shows every task in
# the tree, and the root's row its exit status; then 0 shows the picker.
kept_at_end() {
	ke_name=$1
	ke_root=$2
	shift 2
	tree_rows <"$WORK/$ke_name.end" >"$WORK/$ke_name.kept"
	ok=0
	grep -Eq -- " $ke_root .*exited 0" "$WORK/$ke_name.kept" || {
		diag "$ke_name: the root's row has no 'exited 0'"
		ok=1
	}
	for task in "$ke_root" "$@"; do
		grep -Eq -- "[ {]$task([} ]|\$)" "$WORK/$ke_name.kept" || {
			diag "$ke_name: $task is not in the tree kept at the end"
			ok=1
		}
	done
	[ "$ok" -eq 0 ] || sed 's/^/#   | /' "$WORK/$ke_name.end"
	tui_keys 0
	return "$ok"
}

tui_run "$PTMON"

scenario() {
	sc_n=$1
	sc_name=$2
	sc_root=$3
	shift 3
	if run_from_picker "$sc_n" "$sc_name" "$sc_root" "$@"; then
		check "$sc_name from the picker: the tree shows $*" \
		    seen_running "$sc_name" "$sc_root" "$@"
		check "$sc_name ends: its tree stays, $sc_root exited 0" \
		    kept_at_end "$sc_name" "$sc_root" "$@"
	else
		check "$sc_name from the picker: the tree shows $*" false
		check "$sc_name ends: its tree stays, $sc_root exited 0" false
		tui_keys 0
	fi
}

scenario 1 fork MainProcess child
scenario 2 process MainProcess Process-1
scenario 3 pool MainProcess PoolWorker-1 PoolWorker-2 PoolWorker-3 \
    PoolWorker-4
scenario 4 subprocess MainProcess nslookup
scenario 5 queue MainProcess writer reader
scenario 6 thread MainThread LoopThread
scenario 7 race MainThread Thread-1 Thread-2
scenario 8 lock MainThread Thread-1 Thread-2
# multicore starts one thread per core (at most 32).
cores=$(nproc)
[ "$cores" -le 32 ] || cores=32
# shellcheck disable=SC2046 # one word per thread name
scenario 9 multicore MainThread $(seq -f 'Thread-%g' 1 "$cores")
# The tenth has no digit key; Down reaches it as it does the others.
scenario 10 threadlocal MainThread Thread-A Thread-B
# The master, the server process it starts and the worker that connects.
scenario 11 manager task_master QueueManager task_worker-1

# threading.local(): each thread's row shows its own student.
locals_ok() {
	grep -Eq -- '[{]Thread-A[}] .*student=Alice' "$WORK/threadlocal.run" &&
	grep -Eq -- '[{]Thread-B[}] .*student=Bob' "$WORK/threadlocal.run" || {
		diag "no row of Thread-A with student=Alice and Thread-B with Bob"
		sort -u "$WORK/threadlocal.run" | head -n 10 | sed 's/^/#   | /'
		return 1
	}
}
check "threadlocal: each thread shows its own local_school.student" locals_ok

# Frames come on events, not only on the refresh tick: with a 5 s tick
# the child still shows the moment it is forked, and the end at once.
events_ok() {
	tui_keys q
	tui_quit_status >/dev/null || return 1
	tui_run "$PTMON -d 50 --pace 0.3 fork"
	tui_wait '└─ child ' 2 && tui_wait 'FINISHED' 3
}
check "frames on events: a 5 s refresh still shows the fork at once" events_ok
tui_keys q

# Looking at the doorbell for events must not spin: while LoopThread
# sleeps (2 s a statement), ptmon uses well under half a CPU. A busy loop
# would use all of one.
idle_ok() {
	tui_quit_status >/dev/null || return 1
	tui_run "$PTMON --pace 2 thread"
	tui_wait 'LoopThread' 5 || return 1
	pid=$(tui_child)
	[ -n "$pid" ] || return 1
	a=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	sleep 2
	b=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	hz=$(getconf CLK_TCK)
	diag "ptmon used $((b - a)) ticks of $((2 * hz)) in 2 s"
	[ $((b - a)) -lt "$hz" ]
}
check "while tasks sleep the UI idles: no busy loop on the doorbell" idle_ok
tui_keys q
