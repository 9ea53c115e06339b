#!/bin/sh
# Watching any command (ptmon -- COMMAND) and an existing process (ptmon -p
# PID) in the full-screen UI: P stops and continues a ticking shell loop,
# the signal menu TERMs the command, its end is told with its status and
# its last tree stays, r runs it again, a thread of a foreign process
# cannot be stopped alone, -p leaves the process running when ptmon quits.
# A command that cannot be run is said on one line before curses starts.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
plan 19

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ptmon-tui-command.XXXXXX") || exit 1
bg=
slow=
# The background processes and theirs go, stopped or not: one left
# stopped would hold the test's output open.
trap 'tui_cleanup; for p in $bg $slow; do pkill -KILL -P "$p"; \
    kill -KILL "$p"; done 2>/dev/null; rm -rf "$tmp"' EXIT

# not_run STATUS WORDS ARGS...: ptmon exits with STATUS, writes nothing on
# stdout (curses never started) and one line holding WORDS on stderr.
not_run() {
	want=$1 words=$2
	shift 2
	"$PTMON" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" = "$want" ] ||
	    { diag "status $got, expected $want"; return 1; }
	[ ! -s "$tmp/out" ] || { diag "stdout: $(od -c "$tmp/out" | head -3)";
	    return 1; }
	[ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q -- "$words" "$tmp/err" ||
	    { diag "stderr: $(cat "$tmp/err")"; return 1; }
}
check "a missing command: one line, status 127, terminal untouched" \
    not_run 127 'ptmon: /nonexistent/ptmon-nope: command not found' \
    -- /nonexistent/ptmon-nope
: >"$tmp/plain"
chmod 644 "$tmp/plain"
check "a command that is not executable: status 126" \
    not_run 126 "ptmon: $tmp/plain: " -- "$tmp/plain"
sh -c 'exit 0' &
gone=$!
wait "$gone"
check "-p with no such process: status 2" \
    not_run 2 'no such process' -p "$gone"
check "-p with a word, not a pid: status 2" \
    not_run 2 'not a process id' -p nine

tui_start 120 40 || { echo "Bail out! cannot start tmux"; exit 1; }

# The number of the last "tick N" line on screen.
last_tick() {
	tui_screen | sed -n 's/^ tick \([0-9][0-9]*\) *$/\1/p' | tail -n 1
}

loop='i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.1; done'
tui_run "$PTMON -d 2 -- sh -c '$loop'"
check "the command's tree and output show" \
    eval "tui_wait '^ tick 3 *\$' 5 && tui_wait ' sh -c i=0; while' 1"
root=$(tui_screen | sed -n 's/^ Watching command \([0-9]*\) .*/\1/p')
tui_keys P
stopped_ok() {
	tui_wait ' STOPPED  refresh' 3 || return 1
	state=$(ps -o stat= -p "$root" 2>/dev/null)
	case $state in
	T*) ;;
	*) diag "root $root in state '$state'"; return 1 ;;
	esac
	# Output already in the pipe may still come: let it, then watch.
	sleep 0.3
	before=$(last_tick)
	sleep 1
	after=$(last_tick)
	[ -n "$before" ] && [ "$before" = "$after" ] ||
	    { diag "ticks went on while stopped: $before -> $after"; return 1; }
}
check "P stops every process: the log stops growing" stopped_ok
tui_keys P
resumed_ok() {
	tui_wait 'resumed every process' 3 || return 1
	n=0
	while [ "$(last_tick)" -lt $((after + 3)) ] && [ $n -lt 100 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	[ "$(last_tick)" -ge $((after + 3)) ] ||
	    { diag "ticks stuck at $(last_tick)"; return 1; }
}
check "P again continues them: the log grows again" resumed_ok

tabbed_ok() {
	tui_keys Tab
	tui_wait 'Tab would end the command you watch' 3 || return 1
	tui_type 0
	tui_wait '0 would end the command you watch' 3 || return 1
	tui_alive "$root" || { diag "the command $root was ended"; return 1; }
	tui_wait 'Watching command' 1
}
check "Tab and 0 do not end a running command: they say why" tabbed_ok

tui_keys Home k
check "k opens the signal menu for the selected process" \
    tui_wait "Send a signal to sh \\($root\\)" 3
tui_keys Enter
check "Enter sends SIGTERM: the command ends, killed by it" \
    eval "tui_wait 'KILLED \\(SIGTERM\\)' 5 &&
    tui_wait 'sh -c i=0; while :; .* was killed by SIGTERM' 1"
check "its last tree stays on screen, with how it ended and its lifetime" \
    tui_wait "^ +$root +$root .* sh +killed by SIGTERM after [0-9.]+s" 1
tui_keys q
check "q quits with status 0" tui_status_is 0

# The end of a command, and r.
tui_run "clear; $PTMON -d 2 -- sh -c 'echo hello \$\$; exit 3'"
check "the end shows the exit status" \
    eval "tui_wait 'EXITED \\(status 3\\)' 5 &&
    tui_wait 'The command exited with status 3' 1"
first=$(tui_screen | sed -n 's/^ hello \([0-9]*\).*/\1/p')
tui_keys r
restarted_ok() {
	n=0
	while [ $n -lt 100 ]; do
		again=$(tui_screen | sed -n 's/^ hello \([0-9]*\).*/\1/p')
		[ -n "$again" ] && [ "$again" != "$first" ] && break
		sleep 0.05
		n=$((n + 1))
	done
	[ -n "$first" ] && [ -n "$again" ] && [ "$again" != "$first" ] ||
	    { diag "hello $first, then $again"; return 1; }
	tui_wait 'EXITED \(status 3\)' 5
}
check "r runs the command again (a new pid)" restarted_ok
tui_keys q
tui_wait '^\$' 3

# A thread of a foreign process cannot be stopped alone (--no-trace: a
# traced Python's threads are gated, tests/tui_python.sh).
py='import threading, time; threading.Thread(target=time.sleep, args=(60,)).start()'
thread_ok() {
	tui_run "clear; $PTMON -d 2 --no-trace -- python3 -c '$py'"
	tui_wait '└─ [{]python3[}]' 5 || return 1
	tui_keys End ' '
	tui_wait 'cannot be stopped alone' 3 || return 1
	tui_keys q
	tui_wait '^\$' 3
}
if PATH=/usr/bin:/bin command -v python3 >/dev/null 2>&1; then
	check "Space on a thread of a command says it cannot be stopped alone" \
	    thread_ok
else
	test_count=$((test_count + 1))
	echo "ok $test_count # SKIP python3 not found (a command with threads)"
fi

# -p PID: a process ptmon did not start.
sh -c 'while :; do sleep 0.1; done' &
bg=$!
tui_run "clear; $PTMON -d 2 -p $bg"
attach_ok() {
	tui_wait "ptmon  pid $bg \\(sh\\)" 5 &&
	tui_wait "└─ sleep" 3 || return 1
	tui_keys P
	tui_wait ' STOPPED  refresh' 3 || return 1
	n=0
	while ! ps -o stat= -p "$bg" | grep -q '^T' && [ $n -lt 40 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	ps -o stat= -p "$bg" | grep -q '^T'
}
check "-p PID watches the process; P stops it" attach_ok
tui_keys r
check "r says an attached process cannot be restarted" \
    tui_wait 'cannot restart it' 3
tui_keys q
check "q leaves it running, continued" eval 'tui_status_is 0 &&
    tui_alive "$bg" && ! ps -o stat= -p "$bg" | grep -q "^T"'

# A process whose stop lands late: it waits in the kernel ("D") for its
# vfork child, and a SIGSTOP lands when that child ends, which we choose.
# P, then q after a refresh that still saw the process running: ptmon
# knows it stopped it all the same, and continues it (a SIGCONT drops the
# pending stop), so it goes on once its child ends.
slowstop=${BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/helpers/slowstop
"$slowstop" >"$tmp/slow" &
slow=$!
# clock: the run's clock, at the end of the header's first line.
clock() {
	tui_screen | head -n 1 | awk '{ print $NF }'
}
# next_refresh: waits (3 s at most) until the clock moves on.
next_refresh() {
	nr_was=$(clock)
	nr_n=0
	while [ "$(clock)" = "$nr_was" ] && [ $nr_n -lt 60 ]; do
		sleep 0.05
		nr_n=$((nr_n + 1))
	done
}
late_stop_ok() {
	n=0
	while [ ! -s "$tmp/slow" ] && [ $n -lt 40 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	w=$(head -n 1 "$tmp/slow")
	tui_run "clear; $PTMON -d 10 -p $w"
	tui_wait "ptmon  pid $w \\(slowstop\\)" 5 || return 1
	# P just after a refresh, so that the next is a second away.
	next_refresh
	tui_keys P
	tui_wait ' STOPPED  refresh' 3 || return 1
	next_refresh
	state=$(ps -o stat= -p "$w")
	case $state in
	D*) ;;
	*) diag "the stop did not wait: $state"; return 1 ;;
	esac
	tui_keys q
	tui_status_is 0 || return 1
	# The vfork child ends: a stop still pending would land now.
	for nap in $(pgrep -P "$slow"); do
		[ "$nap" = "$w" ] || kill -TERM "$nap"
	done
	sleep 0.5
	state=$(ps -o stat= -p "$w")
	case $state in
	T*) diag "left stopped: $state"; kill -CONT "$w"; return 1 ;;
	"") diag "it has gone"; return 1 ;;
	esac
}
check "a stop that lands late: q still continues the process" late_stop_ok
finish
