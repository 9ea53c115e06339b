#!/bin/sh
# What ptmon must never touch, in the full-screen UI: a session that took
# the pid of a watched root that has ended (the keeper forgets that root
# before it is reaped), a process that replaced the one the signal menu was
# opened on, processes left stopped by P when ptmon or the attached root
# dies, ptmon's own shell, which P never stops, and a scenario process
# that must die of the SIGTERM it is sent.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
plan 7

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ptmon-tui-guard.XXXXXX") || exit 1
bgs=""
# Each loop started here carries this mark, so that the trap ends them all.
mark="guard$$"
trap 'tui_cleanup; for p in $bgs; do kill -KILL "$p" 2>/dev/null; done; \
    pkill -KILL -f "$mark"; rm -rf "$tmp"' EXIT

tui_start 120 40 || { echo "Bail out! cannot start tmux"; exit 1; }

# state_of PID: its state letter, empty when it is gone.
state_of() {
	ps -o stat= -p "$1" 2>/dev/null | cut -c1
}

# not_stopped PID: within two seconds the process runs again (or is gone).
not_stopped() {
	tries=40
	while [ "$tries" -gt 0 ]; do
		case $(state_of "$1") in
		T) ;;
		*) return 0 ;;
		esac
		sleep 0.05
		tries=$((tries - 1))
	done
	diag "process $1 is still stopped"
	return 1
}

# stopped PID: within three seconds the process is stopped.
stopped() {
	tries=60
	while [ "$tries" -gt 0 ]; do
		[ "$(state_of "$1")" = T ] && return 0
		sleep 0.05
		tries=$((tries - 1))
	done
	diag "process $1 is in state '$(state_of "$1")', not stopped"
	return 1
}

# --- the signal menu keeps its target -----------------------------------
tui_run "clear; $PTMON -d 1 -- sh -c 'sleep 3 & sleep 300'"
vanished_ok() {
	tui_wait '└─ sleep .* sleep 300' 5 || return 1
	long=$(tui_screen | sed -n 's/^ *\([0-9][0-9]*\) .*└─ sleep .* sleep 300.*/\1/p')
	# The root, then `sleep 3`: its menu, open while it ends.
	tui_keys Home Down F9
	tui_wait 'Send a signal to sleep' 3 || return 1
	tui_wait 'has ended: Escape closes' 5 || return 1
	tui_keys Enter
	tui_wait 'has ended: nothing was sent' 3 || return 1
	[ -n "$long" ] && [ -n "$(state_of "$long")" ] ||
	    { diag "sleep 300 ($long) was signalled"; return 1; }
}
check "a task that ends while its signal menu is open: nothing is sent" \
    vanished_ok
tui_keys q
tui_wait '^\$' 3

# --- the keeper forgets a root once it has ended ------------------------
# take_pid PID: starts `setsid sleep 300` as process PID (through
# ns_last_pid, root only); prints its pid, or nothing.
take_pid() {
	n=0
	while [ $n -lt 30 ]; do
		echo $(($1 - 1)) >/proc/sys/kernel/ns_last_pid 2>/dev/null ||
		    return 0
		setsid sleep 300 </dev/null >/dev/null 2>&1 &
		got=$!
		if [ "$got" = "$1" ]; then
			echo "$got"
			return 0
		fi
		kill -KILL "$got" 2>/dev/null
		wait "$got" 2>/dev/null
		n=$((n + 1))
	done
}
reuse_ok() {
	tui_run "clear; $PTMON -d 1 -- sh -c 'echo \$\$ >$tmp/root; exit 3'"
	tui_wait 'EXITED \(status 3\)' 5 || return 1
	ptmon=$(tui_child)
	root=$(cat "$tmp/root")
	stranger=$(take_pid "$root")
	if [ -z "$stranger" ]; then
		diag "could not take pid $root"
		return 2
	fi
	bgs="$bgs $stranger"
	kill -KILL "$ptmon"
	sleep 0.5
	# Killed, it would be our zombie until waited for.
	case $(state_of "$stranger") in
	""|Z) diag "the keeper killed session $stranger"; return 1 ;;
	esac
}
reuse_ok
case $? in
0) check "SIGKILL of ptmon after its command ended spares a new session with that pid" true ;;
2) skip "SIGKILL of ptmon after its command ended spares a new session with that pid" \
    "cannot choose a pid here (ns_last_pid)" ;;
*) check "SIGKILL of ptmon after its command ended spares a new session with that pid" false ;;
esac

# A killed ptmon cannot give the terminal back: a new one for what follows.
terminals=0
fresh_terminal() {
	tui_cleanup
	terminals=$((terminals + 1))
	TUI_SOCKET=ptmon-test-$$-$terminals
	tui_start 120 40 || { echo "Bail out! cannot start tmux"; exit 1; }
}
fresh_terminal

# --- -p: what P stopped goes on, whatever ends --------------------------
sh -c "while :; do sleep 0.1; done # $mark" </dev/null >/dev/null 2>&1 &
target=$!
bgs="$bgs $target"
killed_ok() {
	tui_run "clear; $PTMON -d 1 -p $target"
	tui_wait "Watching pid $target" 5 || return 1
	tui_keys P
	stopped "$target" || return 1
	kill -KILL "$(tui_child)"
	not_stopped "$target"
}
check "-p, P, then SIGKILL of ptmon: the keeper continues the process" \
    killed_ok
fresh_terminal

sh -c "sh -c 'while :; do sleep 0.1; done # $mark' & wait" </dev/null >/dev/null 2>&1 &
parent=$!
bgs="$bgs $parent"
root_dies_ok() {
	tui_run "clear; $PTMON -d 1 -p $parent"
	tui_wait "Watching pid $parent" 5 || return 1
	tui_wait '└─ sh .*sh -c while' 5 || return 1
	child=$(ps -o pid= --ppid "$parent" | head -n 1 | tr -d ' ')
	bgs="$bgs $child"
	tui_keys P
	stopped "$child" || return 1
	kill -KILL "$parent"
	tui_wait 'ended' 5 || return 1
	not_stopped "$child"
}
check "-p, P, then the attached root dies: its stopped child goes on" \
    root_dies_ok
tui_keys q
tui_wait '^\$' 3

# --- a scenario process dies of the signal it is sent --------------------
# It runs ptmon's code without exec: none of the UI's handlers (ncurses'
# SIGTERM handler would reset the terminal and exit 1) may stay in it.
sigterm_ok() {
	tui_run "clear; $PTMON -d 1 thread count=1000"
	tui_wait 'LoopThread' 5 || return 1
	tui_keys Home k
	tui_wait 'Send a signal to' 3 || return 1
	tui_keys Enter
	tui_wait 'KILLED \(SIGTERM\)' 5 || return 1
	tui_keys q
	tui_wait '^\$' 3
}
check "SIGTERM from the signal menu kills a scenario root: killed by SIGTERM" \
    sigterm_ok

# --- killed while every task is paused: nothing is left ----------------
paused_killed_ok() {
	tui_run "clear; $PTMON -d 1 --paused pool"
	tui_wait 'PAUSED' 5 && tui_wait 'MainProcess' 5 || return 1
	ptmon=$(tui_child)
	root=$(ps -o pid= --ppid "$ptmon" | head -n 1 | tr -d ' ')
	[ -n "$root" ] || { diag "no scenario root"; return 1; }
	kill -KILL "$ptmon"
	group_gone "$root" 2
}
check "ptmon killed while paused leaves nothing" paused_killed_ok
fresh_terminal

# --- P never stops ptmon's own shell ------------------------------------
shell=$(tui_tmux display-message -p -t "$TUI_TARGET" '#{pane_pid}')
ancestor_ok() {
	tui_run "clear; $PTMON -d 1 -p $shell"
	tui_wait "Watching pid $shell" 5 || return 1
	tui_keys P
	tui_wait 'ancestor of ptmon' 3 || return 1
	sleep 0.3
	[ "$(state_of "$shell")" != T ] ||
	    { kill -CONT "$shell"; diag "the shell was stopped"; return 1; }
	tui_keys q
	tui_wait '^\$' 3
}
check "P on ptmon's own shell says why and stops nothing of the terminal" \
    ancestor_ok

finish
