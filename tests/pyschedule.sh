#!/bin/sh
# Schedules for a traced Python program (ptmon -- python3 PROG): lines
# name Python threads, a step is one bytecode instruction; --replay loses
# race.py's update the same way every run, --record writes a file that
# replays, --explore finds a losing schedule and prints it.
. "$(dirname "$0")/lib.sh"

python_require

plan 8
src=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
race=$src/tests/python/race.py
lose=$src/tests/python/lose-py.txt
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

values=""
for i in 1 2 3 4 5 6 7 8 9 10; do
	values="$values $("$PTMON" --batch --replay "$lose" -- python3 "$race" 1)"
done
diag "race.py under lose-py.txt:$values"
check "a replayed Python schedule loses the same update 10 times out of 10" \
	[ "$values" = " -5 -5 -5 -5 -5 -5 -5 -5 -5 -5" ]

"$PTMON" --batch --replay "$lose" --record "$dir/rec" -- python3 "$race" 1 >/dev/null
grep -v '^#' "$lose" | sed 's/ *#.*//' >"$dir/plan"
check "--record writes the instructions replayed, a thread a line" sh -c \
	'grep -v "^#" "$0" | cmp -s - "$1"' "$dir/rec" "$dir/plan"
check "the recorded file replays to the same lost update" sh -c \
	'[ "$("$0" --batch --replay "$1" -- python3 "$2" 1)" = -5 ]' \
	"$PTMON" "$dir/rec" "$race"

"$PTMON" --batch --explore 200 --seed 3 --record "$dir/found" -- \
	python3 "$race" 1 >"$dir/explore"
status=$?
diag "$(head -1 "$dir/explore")"
check "explore finds a losing schedule in race.py" [ $status -eq 0 ]
check "explore says what it lost, as the lab pane does" grep -Eq \
	"^# ptmon --explore: schedule [0-9]+: balance = -?[0-9]+, expected 0 \([0-9]+ lost updates?\)" \
	"$dir/explore"
found=$(sed -n 's/.*balance = \(-*[0-9]*\), expected 0.*/\1/p' "$dir/explore")
replayed=$("$PTMON" --batch --replay "$dir/explore" -- python3 "$race" 1)
diag "explore found $found, its printed schedule replays to $replayed"
check "explore's output replays to the final value it found" \
	sh -c '[ -n "$0" ] && [ "$0" != 0 ] && [ "$0" = "$1" ]' "$found" "$replayed"
grep -v '^# tried\|^# final' "$dir/explore" >"$dir/printed"
check "--record saves the schedule explore found" cmp -s "$dir/found" \
	"$dir/printed"

"$PTMON" --batch --replay "$lose" -- sh -c true >/dev/null 2>"$dir/err"
status=$?
diag "$(cat "$dir/err")"
check "--replay of a command that is not Python is a usage error" sh -c \
	'[ $0 -eq 2 ] && grep -q "traced Python program" "$1"' $status "$dir/err"
