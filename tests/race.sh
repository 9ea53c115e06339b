#!/bin/sh
# The race loses updates on a multi-core machine; the lock never does.
. "$(dirname "$0")/lib.sh"

plan 4

lost=0
values=""
for i in 1 2 3 4 5; do
	v=$("$PTMON" --batch race) || break
	values="$values $v"
	[ "$v" != 0 ] && lost=1 && break
done
diag "race balances:$values ($(nproc) cpus)"
check "race prints one number" sh -c 'printf "%s\n" "$0" | grep -Eqx " *-?[0-9]+( -?[0-9]+)*"' "$values"
check "race at 2,000,000 iterations loses updates in one of 5 runs" [ "$lost" -eq 1 ]

ok_lock=1
for i in 1 2 3; do
	v=$("$PTMON" --batch lock)
	[ "$v" = 0 ] || { ok_lock=0; diag "lock gave $v"; }
done
check "lock is 0 every time" [ "$ok_lock" -eq 1 ]
v=$("$PTMON" --batch race iterations=0)
check "race with iterations=0 prints 0" [ "$v" = 0 ]

finish
