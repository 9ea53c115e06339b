#!/bin/sh
# make bench: one table of what a refresh costs ptmon, htop, top and the
# /proc floors on trees of sleeping tasks, then key-to-screen and pause-all
# latencies, the race's checkpoint ratio (issue 14) and the Python
# tracer's cost on the chapter's race.py (bench/pyrace.sh, issue 16).
#
# For each tree (bench/spawn_tree: 5x10, 50x10, 50x100 tasks and their
# root; and 5x10 again beside a 50x100 tree, a small tree on a busy host),
# RUNS times, each tool makes REFRESHES refreshes at 10 a second:
#
#   ptmon UI     ptmon -d 1 -p ROOT in a detached 200x50 tmux pane, its
#                refreshes counted by its PTMON_TRACE "sampled" lines
#   ptmon batch  ptmon --batch --json -d 1 -n N -p ROOT >/dev/null
#   htop         htop -t -d 1 in a tmux pane, the whole host (as a user
#                runs it; htop reads all of /proc with or without -p);
#                its refreshes counted by bench/countscan.so (LD_PRELOAD)
#   top          top -b -H -d 0.1 -n N, the whole host (top -p takes at
#                most 20 pids)
#   floors       bench_sampler -p ROOT: open+read+close of every task's
#                stat, and pread of the same files kept open
#
# CPU ms per refresh is user + system, start-up taken out: for the two
# full-screen tools, ptmon UI and htop, the CPU between two counts of
# refreshes N/10 s apart, after a second of warm-up, from
# /proc/PID/task/*/schedstat; for batch and top, which end by themselves,
# (run of N+1 refreshes - run of 1) / N (wait4, through bench/cputime).
# Peak RSS is VmHWM for the first two, ru_maxrss for the others. Every
# figure is the median of the runs.
#
# Environment: BUILDDIR (the build tree, default .), BENCH_RUNS (3),
# BENCH_REFRESHES (20), BENCH_TREES (the trees, "PxT" or "PxT+PxT" for a
# tree beside another), BENCH_QUICK=1 (one run, 10 refreshes: a smoke test).
set -u

B=${BUILDDIR:-.}
PTMON=$B/src/ptmon
RUNS=${BENCH_RUNS:-3}
N=${BENCH_REFRESHES:-20}
TREES=${BENCH_TREES:-"5x10 50x10 50x100 5x10+50x100"}
if [ "${BENCH_QUICK:-}" = 1 ]; then
	RUNS=1
	N=10
fi
SOCK=ptmon-bench-$$
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ptmon-bench.XXXXXX") || exit 1
TREE_PIDS=""
unset TMUX TMUX_PANE

for f in src/ptmon bench/spawn_tree bench/cputime bench/bench_sampler \
    bench/bench_pause bench/bench_race bench/keylat bench/countscan.so; do
	[ -e "$B/$f" ] || { echo "bench: $B/$f is not built" >&2; exit 1; }
done
HAVE_HTOP=yes
command -v htop >/dev/null 2>&1 || HAVE_HTOP=""
command -v tmux >/dev/null 2>&1 || {
	echo "bench: tmux is missing (./scripts/setup --bench)" >&2
	exit 1
}

btmux() {
	tmux -L "$SOCK" -f /dev/null "$@"
}

# Ends every tree we spawned, our tmux server and the scratch files, on
# exit and on a signal alike.
cleanup() {
	trap - EXIT INT TERM HUP
	btmux kill-server >/dev/null 2>&1
	unspawn
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM HUP

note() {
	echo "bench: $*" >&2
}

# median: the median of the numbers on stdin, one a line ("-" if none).
median() {
	sort -g | awk '{ v[NR] = $1 } END {
	    if (NR == 0) { print "-"; exit }
	    if (NR % 2) print v[(NR + 1) / 2]
	    else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# waitfile FILE SECONDS: waits until FILE is not empty.
waitfile() {
	t=$(( $2 * 20 ))
	while [ ! -s "$1" ] && [ "$t" -gt 0 ]; do
		sleep 0.05
		t=$((t - 1))
	done
	[ -s "$1" ]
}

# spawn PxT: starts a tree; ROOT is its root's pid once every task is up.
# Not in a subshell: cleanup must know every tree.
spawn() {
	out=$TMP/tree.$(date +%s%N)
	"$B/bench/spawn_tree" "${1%x*}" "${1#*x}" > "$out" &
	TREE_PIDS="$TREE_PIDS $!"
	if ! waitfile "$out" 30; then
		note "spawn_tree $1 did not start"
		exit 1
	fi
	ROOT=$(cat "$out")
}

# unspawn: ends every tree spawned so far (bash would say "Killed").
unspawn() {
	{
		for p in $TREE_PIDS; do
			kill -KILL "$p"
		done
		wait
	} 2>/dev/null
	TREE_PIDS=""
}

# host_tasks: every task of the host now.
host_tasks() {
	ls -d /proc/[0-9]*/task/[0-9]* 2>/dev/null | wc -l
}

# cpu_ns PID: CPU time of every thread of PID, in ns.
cpu_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null |
	    awk '{ s += $1 } END { printf "%.0f\n", s }'
}

# ui_run NAME ROOT: ptmon -d 1 -p ROOT in a fresh 200x50 tmux pane,
# measured as htop is (between): its refreshes are the "sampled" lines
# of its PTMON_TRACE.
ui_run() {
	rm -f "$TMP/$1.trace"
	btmux new-session -d -s "$1" -x 200 -y 50 \
	    "env TERM=tmux-256color LC_ALL=C.UTF-8 \
	    PTMON_TRACE=$TMP/$1.trace $PTMON -d 1 -p $2" || return 1
	pid=$(btmux display-message -p -t "$1" '#{pane_pid}')
	waitfile "$TMP/$1.trace" 10 || { note "ptmon does not trace"; return 1; }
	between "$1" "$pid" "grep -c ^sampled $TMP/$1.trace"
}

# batch_run NAME REFRESHES ROOT
batch_run() {
	"$B/bench/cputime" "$TMP/$1" "$PTMON" --batch --json -d 1 -n "$2" \
	    -p "$3" >/dev/null || return 1
	cat "$TMP/$1"
}

# top_run NAME REFRESHES
top_run() {
	"$B/bench/cputime" "$TMP/$1" top -b -H -d 0.1 -n "$2" >/dev/null ||
	    return 1
	cat "$TMP/$1"
}

# per_refresh ONE MANY: from two cputime lines (1 and N+1 refreshes):
# "CPU_MS_PER_REFRESH REFRESHES_PER_S PEAK_RSS_MIB".
per_refresh() {
	echo "$1 $2" | awk -v n="$N" '{
	    printf "%.4f %.3f %.2f\n", ($5 - $1) / n,
	    n / (($6 - $2) / 1000), $7 / 1024 }'
}

# between SESSION PID COUNT: after a second of warm-up, the CPU time of
# PID (schedstat, every thread) between two runs of the command COUNT,
# which prints how many refreshes there have been, N/10 s apart; then the
# tmux session ends. "CPU_MS_PER_REFRESH REFRESHES_PER_S PEAK_RSS_MIB"
# (VmHWM). One run, no start-up in the figure.
between() {
	sleep 1
	c0=$($3); s0=$(cpu_ns "$2"); t0=$(date +%s%N)
	sleep "$(awk -v n="$N" 'BEGIN { print n / 10 }')"
	c1=$($3); s1=$(cpu_ns "$2"); t1=$(date +%s%N)
	hwm=$(awk '/^VmHWM:/ { print $2 }' /proc/"$2"/status)
	btmux kill-session -t "$1"
	echo "$c0 $c1 $s0 $s1 $t0 $t1 $hwm" | awk '{
	    n = $2 - $1
	    if (n < 1) { print "- - -"; exit }
	    printf "%.4f %.3f %.2f\n", ($4 - $3) / 1e6 / n,
	    n / (($6 - $5) / 1e9), $7 / 1024 }'
}

# htop_run NAME: htop -t -d 1, its refreshes counted by countscan.so.
htop_run() {
	mkdir -p "$TMP/home"
	rm -f "$TMP/$1.scans"
	btmux new-session -d -s "$1" -x 200 -y 50 \
	    "env HOME=$TMP/home TERM=tmux-256color LC_ALL=C.UTF-8 \
	    COUNTSCAN_FILE=$TMP/$1.scans LD_PRELOAD=$B/bench/countscan.so \
	    htop -t -d 1" || return 1
	pid=$(btmux display-message -p -t "$1" '#{pane_pid}')
	waitfile "$TMP/$1.scans" 10 || { note "htop does not scan"; return 1; }
	between "$1" "$pid" "cat $TMP/$1.scans"
}

# field K: the Kth field of the lines on stdin, its median.
field() {
	awk -v k="$1" '{ print $k }' | grep -v '^-$' | median
}

# measure TREE: one row of every column; "TREE" is PxT or PxT+PxT (the
# second a tree beside the first, not watched).
measure() {
	watched=${1%%+*}
	if [ "$watched" != "$1" ]; then
		spawn "${1#*+}"
	fi
	spawn "$watched"
	root=$ROOT
	# The root and PxT tasks: spawn_tree's processes are its children.
	tasks=$(( ${watched%x*} * ${watched#*x} + 1 ))
	all=$(host_tasks)
	note "tree $1: $tasks tasks, $all on the host; $RUNS runs of $N"
	: > "$TMP/ui"; : > "$TMP/batch"; : > "$TMP/htop"; : > "$TMP/top"
	r=0
	while [ "$r" -lt "$RUNS" ]; do
		ui_run ui "$root" >> "$TMP/ui"
		a=$(batch_run b1 1 "$root") &&
		    b=$(batch_run bN $((N + 1)) "$root") &&
		    per_refresh "$a" "$b" >> "$TMP/batch"
		[ -n "$HAVE_HTOP" ] && htop_run htop >> "$TMP/htop"
		a=$(top_run t1 1) && b=$(top_run tN $((N + 1))) &&
		    per_refresh "$a" "$b" >> "$TMP/top"
		r=$((r + 1))
	done
	floors=$("$B/bench/bench_sampler" -p "$root" -r "$RUNS" -n "$N")
	unspawn
	{
		echo "$1 $tasks $all"
		for c in ui batch htop top; do
			echo "$(field 1 < "$TMP/$c") $(field 2 < "$TMP/$c")" \
			    "$(field 3 < "$TMP/$c")"
		done
		echo "$floors" | awk '{ print $3, "-", "-"; print $4, "-", "-" }'
	} | tr '\n' ' ' >> "$TMP/rows"
	echo >> "$TMP/rows"
}

# keys: P (pause all, then resume all) at 5,001 tasks, in the UI, timed
# by PTMON_TRACE; prints keylat's line.
keys() {
	spawn 50x100
	btmux new-session -d -s keys -x 200 -y 50 \
	    "env TERM=tmux-256color LC_ALL=C.UTF-8 PTMON_TRACE=$TMP/trace \
	    $PTMON -d 1 -p $ROOT" || return 1
	waitfile "$TMP/trace" 20 || { note "no PTMON_TRACE"; return 1; }
	sleep 1
	"$B/bench/keylat" "$TMP/trace" 8 \
	    tmux -L "$SOCK" -f /dev/null send-keys -t keys P
	btmux send-keys -t keys q
	sleep 0.5
	btmux kill-session -t keys 2>/dev/null
	unspawn
}

started=$(date -u '+%Y-%m-%d %H:%M UTC')
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
# How busy the host is without us: a second of /proc/stat before we start.
idle() {
	awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' \
	    /proc/stat
}
i0=$(idle); sleep 1; i1=$(idle)
busy=$(echo "$i0 $i1" | awk '{ idle = ($3 - $1) / ($4 - $2)
    printf "%.0f%%", 100 - 100 * idle }')
note "started $started; the host was $busy busy a second before"
: > "$TMP/rows"
for t in $TREES; do
	measure "$t"
done
note "key to screen"
keys > "$TMP/keys"
keyline=$(cat "$TMP/keys")
note "pause-all"
pause=$("$B/bench/bench_pause" 200)
note "race"
race=$("$B/bench/bench_race")
note "race.py under the Python tracer"
pyrace=$(BUILDDIR=$B sh "$(dirname "$0")/pyrace.sh")

# The table.
echo "ptmon benchmarks, $started"
echo "Linux $(uname -r), $(nproc) CPUs, $cpu; the host $busy busy the" \
    "second before"
echo "median of $RUNS runs of $N refreshes at 10 a second; CPU is user +" \
    "system, start-up taken out"
echo "ptmon and the floors read the watched tree; htop -t -d 1 and" \
    "top -b -H -d 0.1 the whole host"
echo
awk '
function r(a, b) {
	if (a == "-" || b == "-" || b + 0 == 0) return "-"
	return sprintf("%.2fx", a / b)
}
function f(v, fmt) { return v == "-" ? "-" : sprintf(fmt, v) }
{
	tree[NR] = $1; tasks[NR] = $2; all[NR] = $3
	for (c = 0; c < 6; c++) {
		cpu[NR, c] = $(4 + 3 * c); hz[NR, c] = $(5 + 3 * c)
		rss[NR, c] = $(6 + 3 * c)
	}
}
END {
	head = sprintf("%-15s %9s %9s %9s %9s %9s %9s %8s %8s %8s",
	    "tasks (all)", "ptmon UI", "batch", "htop", "top", "open+rd",
	    "kept-fd", "UI/htop", "UI/top", "UI/kfd")
	print "CPU ms per refresh"
	print head
	for (i = 1; i <= NR; i++) {
		line = sprintf("%6d (%6d)", tasks[i], all[i])
		for (c = 0; c < 6; c++)
			line = line sprintf(" %9s", f(cpu[i, c], "%.3f"))
		line = line sprintf(" %8s %8s %8s", r(cpu[i, 0], cpu[i, 2]),
		    r(cpu[i, 0], cpu[i, 3]), r(cpu[i, 0], cpu[i, 5]))
		print line
	}
	print ""
	print "refreshes per second"
	for (i = 1; i <= NR; i++) {
		line = sprintf("%6d (%6d)", tasks[i], all[i])
		for (c = 0; c < 4; c++)
			line = line sprintf(" %9s", f(hz[i, c], "%.1f"))
		print line
	}
	print ""
	print "peak RSS MiB"
	for (i = 1; i <= NR; i++) {
		line = sprintf("%6d (%6d)", tasks[i], all[i])
		for (c = 0; c < 4; c++)
			line = line sprintf(" %9s", f(rss[i, c], "%.1f"))
		line = line sprintf("%20s %8s", "", r(rss[i, 0], rss[i, 2]))
		print line
	}
}' "$TMP/rows"
echo
echo "$keyline" | awk 'NF == 8 {
	printf "%-30s %.1f ms median, %.1f max (key read to frame drawn)\n",
	    "key to screen, P, 5001 tasks", $3, $4
	printf "%-30s %.1f ms median from tmux send-keys (%.1f of it tmux)\n",
	    "", $5, $6
	printf "%-30s %.1f ms median, %.1f max to the frame of the next " \
	    "sample\n", "", $7, $8 }
    NF != 8 { print "key to screen: not measured" }'
echo "$pause" | awk 'NR > 2 {
	printf "%-30s %d looping + %d sleeping threads: %.0f us median, " \
	    "%.0f p90, %.0f max\n", NR == 3 ? "pause-all to all parked" : "",
	    $1, $4, $6, $7, $8 }'
echo "$race" | awk 'NR > 2 {
	printf "%-30s %d thread%s: %s (%s ms / %s ms, median of 15)\n",
	    NR == 3 ? "race, checkpoints / none" : "", $1, ($1 > 1 ? "s" : ""),
	    $4, $3, $2 }'
echo "$pyrace" | awk 'NF == 5 && $1 != "-" {
	printf "%-30s %sx (%s s / %s s wall, median of %d, %d rounds)\n",
	    "race.py, traced / plain", $3, $2, $1, $4, $5 }
    NF != 5 || $1 == "-" { print "race.py, traced / plain: not measured" }'
