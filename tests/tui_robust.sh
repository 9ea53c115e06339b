#!/bin/sh
# Reliability of the full-screen UI: crashes restore the terminal and end
# the tree, restarts leak nothing, random input does not bring ptmon down.
. "$(dirname "$0")/tui_lib.sh"
tui_require

plan 15

# Live (non-zombie) members of the session of the scenario ptmon runs.
session_members() {
	ps -e -o pid=,sid=,stat= | awk -v s="$1" '$2 == s && $3 !~ /^Z/ { print $1 }'
}

# The scenario root: ptmon's child that leads its own session.
scenario_root() {
	ps -e -o pid=,ppid=,sid= | awk -v p="$1" '$2 == p && $1 == $3 { print $1 }' | head -1
}

members_gone() {
	for i in $(seq 20); do
		[ -z "$(session_members "$1")" ] && return 0
		sleep 0.05
	done
	diag "still alive: $(session_members "$1" | tr '\n' ' ')"
	return 1
}

# crash SIGNAL: ptmon dies of it; the terminal works, the tree is gone.
crash() {
	tui_run "$PTMON -d 2 --speed 0.5 pool"
	tui_wait 'PoolWorker-4' 5 || return 1
	ptmon=$(tui_child)
	root=$(scenario_root "$ptmon")
	[ -n "$root" ] || return 1
	kill -s "$1" "$ptmon"
	tui_wait 'ptmon .* crashed' 5 || return 1
	tui_wait "see README.md, 'Reporting bugs'" 1 || return 1
	tui_shell_echoes || return 1
	members_gone "$root"
}

tui_start 120 40 || exit 1
if ptmon_has_asan; then
	# ASan takes SIGSEGV and SIGABRT itself, to print its own report.
	skip "SIGSEGV: terminal restored, how to report shown, tree ended" \
	    "AddressSanitizer build"
	skip "SIGABRT: the same" "AddressSanitizer build"
else
	check "SIGSEGV: terminal restored, how to report shown, tree ended" \
	    crash SEGV
	tui_run clear
	check "SIGABRT: the same" crash ABRT
	tui_run clear
fi

tui_run "$PTMON -d 2 thread count=1000"
tui_wait 'LoopThread' 5
ptmon=$(tui_child)
root=$(scenario_root "$ptmon")
kill -QUIT "$ptmon"
check "SIGQUIT ends ptmon with 128+3" tui_status_is 131
check "... and the terminal echoes again" tui_shell_echoes
check "... and the scenario is gone" members_gone "$root"
tui_run clear

# Restarts leak nothing: descriptors, control blocks (shared anonymous
# mappings, shown as /dev/zero: the block and the keeper's word), children.
tui_run "$PTMON -d 2 thread count=1000"
tui_wait 'LoopThread' 5
ptmon=$(tui_child)
# Descriptors other than the sampler's kept /proc files, which follow the tree.
own_fds() {
	ls -l /proc/"$1"/fd | grep -c -v -e ' -> /proc/' -e '^total'
}
sleep 0.5
fds_before=$(own_fds "$ptmon")
blocks_before=$(grep -c '/dev/zero' /proc/"$ptmon"/maps)
rss_before=$(awk '/^VmRSS/ { print $2 }' /proc/"$ptmon"/status)
for i in $(seq 50); do
	tui_keys r
	sleep 0.08
done
tui_wait 'LoopThread' 5
sleep 0.5
fds_after=$(own_fds "$ptmon")
blocks=$(grep -c '/dev/zero' /proc/"$ptmon"/maps)
kids=$(ps -o pid= --ppid "$ptmon" | wc -l)
rss_after=$(awk '/^VmRSS/ { print $2 }' /proc/"$ptmon"/status)
diag "fds $fds_before -> $fds_after, shared mappings $blocks_before -> $blocks, children $kids"
check "50 restarts leak no file descriptor" [ "$fds_after" -eq "$fds_before" ]
check "50 restarts leak no control block mapping" [ "$blocks" -eq "$blocks_before" ]
check "50 restarts leave one child (the scenario root)" [ "$kids" -eq 1 ]
diag "RSS $rss_before kB -> $rss_after kB"
if ptmon_has_asan; then
	skip "50 restarts grow ptmon's memory by less than 1 MiB" \
	    "AddressSanitizer keeps freed memory in quarantine"
else
	check "50 restarts grow ptmon's memory by less than 1 MiB" \
	    [ $((rss_after - rss_before)) -lt 1024 ]
fi
tui_keys q
check "q after restarts exits 0" tui_status_is 0
tui_run clear

# The selection holds on its task when a row above it vanishes (htop's
# "following"): select the middle of three sleeps, let the first end. A
# selection kept by row number would move to the last sleep.
tui_run "$PTMON -d 2 -- sh -c 'sleep 1 & sleep 30 & sleep 31'"
tui_wait '└─ sleep' 5
tui_keys End Up k
tui_wait 'Send a signal to sleep \([0-9]+\)' 3
chosen=$(tui_screen | sed -n 's/.*Send a signal to sleep (\([0-9]*\)).*/\1/p')
tui_keys Escape; sleep 0.2	# apart from the next key: ESC k is Alt-k
# two_sleeps: waits until only two sleep rows are left.
two_sleeps() {
	for i in $(seq 100); do
		[ "$(tui_screen | grep -c -- '─ sleep')" -eq 2 ] && return 0
		sleep 0.05
	done
	return 1
}
check "a row above the selection vanishes: the first sleep ends" two_sleeps
tui_keys k
check "the selection is still the task chosen before" \
	tui_wait "Send a signal to sleep \\($chosen\\)" 3
tui_keys Escape; sleep 0.2; tui_keys q	# apart: ESC then q at once is Alt-q
tui_quit_status >/dev/null
tui_run clear

# Random input: keys, escape sequences, mouse reports and resizes.
tui_run "$PTMON -d 1 --speed 20 race iterations=1000000000"
tui_wait 'Thread-2' 5
ptmon=$(tui_child)
seed=1
for round in $(seq 40); do
	# 60 random printable and control bytes, no q (it would quit).
	junk=$(awk -v s=$((seed + round)) 'BEGIN { srand(s);
		for (i = 0; i < 60; i++) { c = int(rand() * 95) + 32;
			if (c == 113) c = 81; printf "%c", c } }')
	tui_type "$junk"
	tui_keys Escape Up Down PPage NPage Home End F1 Escape F9 Escape \
	    Tab 3 Left Right BSpace C-l Escape
	tui_type "$(printf '\033[<0;%d;%dM\033[<0;%d;%dm' $((round % 80 + 1)) \
	    $((round % 30 + 1)) $((round % 80 + 1)) $((round % 30 + 1)))"
	tui_type "$(printf '\033[1;5A\033[200~junk\033[201~\033O')"
	[ $((round % 5)) -eq 0 ] && tui_resize $((20 + round * 2)) $((5 + round % 30))
done
tui_resize 120 40
tui_keys Escape Escape Escape
sleep 0.5
check "ptmon survives a few thousand random keys, mouse reports, resizes" \
	tui_alive "$ptmon"
tui_keys Escape; sleep 0.2; tui_keys q	# apart: ESC then q at once is Alt-q
check "... and then quits cleanly" tui_status_is 0
check "... with the terminal sane" tui_shell_echoes

finish
