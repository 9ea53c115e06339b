#!/bin/sh
# The lab of a traced Python program, by bytecode: the tutorial's race.py
# (tests/python/, 1000 rounds) under --paused. b makes s step one
# instruction; Thread-1 and Thread-2 each run `balance = balance + n` up
# to its store (both loaded 0), then Thread-1 stores and Thread-2 stores
# over it: the lab says a lost update, balance 8 where 13 was expected.
# P lets everything go: the program's final print(balance) is not 0.
# --watch ITERATIONS shows a global nobody stores, live.
. "${SRCDIR:-$(dirname "$0")/..}/tests/tui_lib.sh"

tui_require
python_require tui
plan 10
progs=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}/tests/python

# next_of NAME: the lab's "next instruction" of thread NAME.
next_of() {
	tui_screen | sed -n "s/.*│ $1  *race\.py:[0-9]*  *\([A-Z_]* *[a-z+]*\) .*/\1/p" |
	    head -n 1 | sed 's/ *$//'
}

# step_to NAME OP: s on the selected thread NAME until its next is OP.
step_to() {
	i=0
	while [ "$(next_of "$1")" != "$2" ] && [ $i -lt 40 ]; do
		before=$(next_of "$1")
		tui_keys s
		j=0
		while [ "$(next_of "$1")" = "$before" ] && [ $j -lt 40 ]; do
			sleep 0.05
			j=$((j + 1))
		done
		i=$((i + 1))
	done
	[ "$(next_of "$1")" = "$2" ]
}

tui_start 160 45 || { echo "Bail out! cannot start tmux"; exit 1; }
tui_run "$PTMON -d 2 --paused --watch ITERATIONS -- python3 $progs/race.py 1000"
check "--paused: MainThread waits at race.py's first line" \
    tui_wait 'MainThread +race\.py:3 *$' 5
tui_keys Home Space
tui_wait '\{Thread-2\} +race\.py:18 *$' 5
tui_select Thread-1 1
tui_keys b
check "b: the lab steps by bytecode instruction" \
    tui_wait 'one bytecode instruction, b: by line' 3
check "--watch ITERATIONS: the lab shows it live" \
    tui_wait 'ITERATIONS = 1000 ' 3
check "Thread-1 loads balance (0): it holds it at BINARY_OP" \
    eval 'step_to Thread-1 "LOAD_FAST n" && step_to Thread-1 "BINARY_OP +" &&
	tui_wait "Thread-1 .*BINARY_OP \\+ +balance=0" 2'
check "the lab shows the line's instructions with Thread-1's arrow" \
    eval 'tui_wait "^ +2  LOAD_GLOBAL balance" 1 &&
	tui_wait "^ +16  BINARY_OP \\+ +<- Thread-1" 1'
tui_select Thread-2 2
step_to Thread-2 "BINARY_OP +"
check "Thread-2 loads balance too (0), before Thread-1's store" \
    tui_wait 'Thread-2 .*BINARY_OP \+ +balance=0' 2
tui_select Thread-1 1
step_to Thread-1 "STORE_GLOBAL balance"
step_to Thread-1 "LOAD_GLOBAL balance"
tui_select Thread-2 2
step_to Thread-2 "STORE_GLOBAL balance"
check "Thread-2's load is stale once Thread-1 stored 5" \
    tui_wait 'Thread-2 .*balance=0 stale \(now 5\)' 2
step_to Thread-2 "LOAD_GLOBAL balance"
check "Thread-2's store lost Thread-1's: the lab says so" \
    eval "tui_wait 'balance = 8   expected 13   off by -5' 3 &&
	tui_wait 'balance: lost updates: 1' 1"
tui_keys P
check "P lets every thread go: the program's final balance is not 0" \
    eval "tui_wait 'EXITED \\(status 0\\)' 10 && tui_wait '^ -?[1-9][0-9]* *\$' 1"
tui_keys q
check "ptmon ends with the program's status 0" tui_status_is 0
finish
